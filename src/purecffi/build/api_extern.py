"""The `extern "Python"` functions of an API-mode module: each is a C function that calls the
Python function attached with @ffi.def_extern(), converting plain numbers in C (part of the C
file api_module.py writes, `emit_extern_python()`)."""
from ..ctype import VOID
from .api_c_types import FAST_KINDS, _arg_names, _fast_kind, _range_check, param_spell, \
    result_spell, result_variable
from .c_text import PREFIX, c_string as _c_string, spell

__all__ = ["emit_extern_python"]


# -- extern "Python" ----
def _fast_extern(rawtype):
    """Whether an extern "Python" function converts in C: number arguments and a number (or
    void) result."""
    return all(_fast_kind(t) for t in rawtype.args) and (
        rawtype.result.kind == VOID or _fast_kind(rawtype.result) is not None)


def emit_extern_python(plan, limited=False):
    """Each extern "Python" function calls its handler (set by ffi.def_extern) with the
    addresses of its arguments and of its result.  When all of them are numbers, it converts
    them in C and calls the user's function itself (a vectorcall); anything unusual (an
    exception, a result that is not an exact int/float or out of range) is handed to the
    handler's `_from_c` method, which reports it exactly as the generic path does.
    `limited`: a call with an argument tuple instead of the vectorcall."""
    n = max(1, len(plan.extern_python))
    lines = ["static PyObject *%sextern_handlers[%d];   /* _ExternHandler objects */" % (PREFIX, n),
             "static PyObject *%sextern_callables[%d];  /* the user's functions */" % (PREFIX, n),
             ""]
    if not plan.extern_python:
        return lines
    lines += [
        "#ifndef PC_START_PYTHON  /* embedding (build/embedding.py): start Python on first call */",
        "#  define PC_START_PYTHON(name) 0",
        "#endif",
        "",
        "static void _pc_call_python(int index, const char *name, void **args, void *result)",
        "{",
        "    int c_errno = errno;",
        "    PyGILState_STATE state = PyGILState_Ensure();",
        "    PyObject *handler = %sextern_handlers[index];" % (PREFIX,),
        "    _pc_errno_enter(c_errno);",
        "    if (handler == NULL) {",
        "        /* C's stderr, as cffi (not sys.stderr) */",
        "        fprintf(stderr, \"extern \\\"Python\\\": function %s() called, but "
        "no code was attached to it yet with @ffi.def_extern().  Returning 0.\\n\", name);",
        "    }",
        "    else {",
        "        PyObject *r;",
        "        Py_INCREF(handler);          /* def_extern() may replace it meanwhile */",
        "        r = PyObject_CallFunction(handler, \"NN\", "
        "PyLong_FromVoidPtr((void *)args), PyLong_FromVoidPtr(result));",
        "        if (r == NULL)",
        "            PyErr_WriteUnraisable(handler);",
        "        Py_XDECREF(r);",
        "        Py_DECREF(handler);",
        "    }",
        "    c_errno = _pc_errno_leave();",
        "    PyGILState_Release(state);",
        "    errno = c_errno;",
        "}",
        "",
        "/* the fast path met something unusual: `value` (a new reference) is the function's",
        " * result, or NULL with an exception set; the handler writes `*result` as usual */",
        "static void _pc_extern_finish(int index, PyObject *value, void *result)",
        "{",
        "    PyObject *exc = Py_None, *r, *handler = %sextern_handlers[index];" % (PREFIX,),
        "    if (value == NULL) {",
    ] + (_LIMITED_FETCH if limited else [
        "#if PY_VERSION_HEX >= 0x030C0000",
        "        exc = PyErr_GetRaisedException();",
        "#else",
        "        PyObject *type, *tb;",
        "        PyErr_Fetch(&type, &exc, &tb);",
        "        PyErr_NormalizeException(&type, &exc, &tb);",
        "        if (tb != NULL)",
        "            PyException_SetTraceback(exc, tb);",
        "        Py_XDECREF(type);",
        "        Py_XDECREF(tb);",
        "#endif",
    ]) + [
        "        value = Py_None;",
        "        Py_INCREF(value);",
        "    }",
        "    else",
        "        Py_INCREF(exc);",
        "    if (handler == NULL) {",
        "        Py_DECREF(value);",
        "        Py_XDECREF(exc);",
        "        return;",
        "    }",
        "    Py_INCREF(handler);",
        "    r = PyObject_CallMethod(handler, \"_from_c\", \"NNN\", "
        "PyLong_FromVoidPtr(result), value, exc);",
        "    if (r == NULL)",
        "        PyErr_WriteUnraisable(handler);",
        "    Py_XDECREF(r);",
        "    Py_DECREF(handler);",
        "}",
        ""]
    if not any(_fast_extern(rawtype) for _, (rawtype, _) in plan.extern_python):
        # no function takes the fast path: leave its helper out (it would be unused)
        start = lines.index("/* the fast path met something unusual: `value` (a new "
                            "reference) is the function's")
        lines = lines[:start]
    for index, (name, (rawtype, plus_c)) in enumerate(plan.extern_python):
        names = _arg_names(rawtype)
        sp = plan.c_spellings.get(name)
        params = ", ".join(param_spell(sp, i, t, n)
                           for i, (t, n) in enumerate(zip(rawtype.args, names))) or "void"
        head = result_spell(sp, rawtype.result, "%s(%s)" % (name, params))
        void = rawtype.result.kind == VOID
        result_ref = "NULL" if void else "&result"
        lines += ["%s%s" % ("" if plus_c else "static ", head), "{"]
        addresses = ", ".join("(void *)&" + n for n in names) or "NULL"
        lines.append("    void *args[%d] = {%s};" % (max(1, len(names)), addresses))
        if not void:
            lines += ["    %s;" % (result_variable(sp, rawtype.result, "result"),),
                      "    memset(&result, 0, sizeof(result));"]
        qualname = _c_string(plan.module_name + "." + name)
        lines += ["    if (PC_START_PYTHON(%s) != 0)" % (qualname,),
                  "        return%s;" % ("" if void else " result")]
        if _fast_extern(rawtype):
            lines += _fast_extern_body(index, rawtype, names, qualname, result_ref, limited)
        else:
            lines.append("    _pc_call_python(%d, %s, args, %s);" % (index, qualname, result_ref))
        if not void:
            lines.append("    return result;")
        lines += ["}", ""]
    return lines


# py_limited_api=True: PyErr_GetRaisedException is not in the limited API of 3.10, and
# PyErr_Fetch is deprecated from 3.12 on (still in the stable ABI)
_LIMITED_FETCH = [
    "        PyObject *type, *tb;",
    "#if defined(__GNUC__) || defined(__clang__)",
    "#  pragma GCC diagnostic push",
    "#  pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"",
    "#endif",
    "        PyErr_Fetch(&type, &exc, &tb);",
    "        PyErr_NormalizeException(&type, &exc, &tb);",
    "#if defined(__GNUC__) || defined(__clang__)",
    "#  pragma GCC diagnostic pop",
    "#endif",
    "        if (tb != NULL)",
    "            PyException_SetTraceback(exc, tb);",
    "        Py_XDECREF(type);",
    "        Py_XDECREF(tb);",
]


def _fast_extern_body(index, rawtype, names, qualname, result_ref, limited=False):
    """The number-only extern "Python" path: convert in C, vectorcall the user's function."""
    n = len(names)
    lines = ["  {",
             "    int c_errno = errno;",
             "    PyGILState_STATE state = PyGILState_Ensure();",
             "    PyObject *callee = %sextern_callables[%d];" % (PREFIX, index),
             "    PyObject *argv[%d] = {NULL%s};" % (n + 1, ", NULL" * n),
             "    PyObject *r = NULL;",
             "    if (callee == NULL) {          /* no def_extern() yet: the generic message */",
             "        errno = c_errno;",
             "        _pc_call_python(%d, %s, args, %s);" % (index, qualname, result_ref),
             "        PyGILState_Release(state);",
             "        return%s;" % ("" if rawtype.result.kind == VOID else " result"),
             "    }",
             "    Py_INCREF(callee);             /* def_extern() may replace it meanwhile */",
             "    _pc_errno_enter(c_errno);"]
    for i, ctype in enumerate(rawtype.args):
        temp, _, to_py = FAST_KINDS[_fast_kind(ctype)]
        lines += ["    argv[%d] = %s((%s)%s);" % (i + 1, to_py, temp, names[i]),
                  "    if (argv[%d] == NULL)" % (i + 1,), "        goto call_done;"]
    if limited:
        lines.append("    r = _pc_call_tuple(callee, argv + 1, %d);" % (n,))
    else:
        lines += ["    r = PyObject_Vectorcall(callee, argv + 1, "
                  "%d | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);" % (n,)]
    if n:
        lines.append("  call_done:")
    lines += ["    Py_XDECREF(argv[%d]);" % (i + 1,) for i in range(n)]
    result = rawtype.result
    if result.kind == VOID:
        lines += ["    if (r == Py_None) {", "        Py_DECREF(r);", "        r = NULL;",
                  "        goto done;", "    }"]
    else:
        kind = _fast_kind(result)
        temp, to_c, _ = FAST_KINDS[kind]
        cast = spell(result)
        if kind[0] == "int":
            lines += ["    if (r != NULL && PyLong_CheckExact(r)) {",
                      "        %s v = %s(r);" % (temp, to_c),
                      "        if (!(v == (%s)-1 && PyErr_Occurred()) && !(%s)) {"
                      % (temp, _range_check(result, "v")),
                      "            result = (%s)v;" % (cast,),
                      "            Py_DECREF(r);", "            r = NULL;", "            goto done;",
                      "        }", "        PyErr_Clear();", "    }"]
        else:
            lines += ["    if (r != NULL && PyFloat_CheckExact(r)) {",
                      "        result = (%s)%s(r);" % (
                          cast, "PyFloat_AsDouble" if limited else "PyFloat_AS_DOUBLE"),
                      "        Py_DECREF(r);", "        r = NULL;", "        goto done;", "    }"]
    lines += ["    _pc_extern_finish(%d, r, %s);" % (index, result_ref),
              "  done:",
              "    Py_DECREF(callee);",
              "    c_errno = _pc_errno_leave();",
              "    PyGILState_Release(state);",
              "    errno = c_errno;",
              "  }"]
    return lines
