"""The API-mode C module: emit_c_code() writes it, compile_api_module() builds it.

The C file holds the user's set_source() code verbatim, then only what the compiler knows and
Python cannot: addresses of functions and globals, layouts of structs, values of constants,
sizes of `typedef int...` types and lengths of `[...]` arrays (api_facts.py writes that part;
a cdef() that disagrees with the real C is reported by the runtime when the mismatched name is
used, never by failing the build).  Functions whose arguments and
result are plain numbers get a METH_FASTCALL wrapper converting in C; the others are called by
the runtime through ctypes (by-value structs, unions, complex and long double through a small
C wrapper taking pointers).  Module init hands these facts to `purecffi.apimode.load()`, which
builds `ffi` and `lib` from the declarations (see docs/design.md, "API mode").  With
set_source(py_limited_api=True) the file defines Py_LIMITED_API first and the same parts are
emitted with the limited API only (the `limited` arguments below).

Layout of this file: a collect pass (`collect()` -> `_Plan`), then one `emit_<kind>()` per part
of the C file.
"""
import os
import re
import sys
import sysconfig

from .. import platform as plat
from ..ctype import ENUM, FUNCTION, POINTER, PRIMITIVE, VOID, \
    UnknownNumberType, c_signature
from ..apimode import by_pointer
from .api_errno import ERRNO_HELPERS, ERRNO_SETTER
from .api_facts import builtin_functions, collect_array_typedefs, collect_enums, \
    collect_structs, emit_facts, emit_variable_addresses
from .api_fast_type import emit_fast_type, emit_pointer_result
from .api_from_buffer import FROM_BUFFER_DEF, emit_from_buffer
from .c_text import PREFIX, c_string as _c_string, fast_callee, spell, unqualified

__all__ = ["emit_c_code", "compile_api_module", "distutils_extension", "collect",
           "generate_c_source"]


# set_source(py_limited_api=True): the C file defines this first and uses only the limited
# API of that version (METH_FASTCALL is in the stable ABI since 3.10)
LIMITED_API_VERSION = "0x030A0000"


def uses_limited_api(spec):
    """Whether the C file of `spec` is built for the stable ABI: only when asked with
    set_source(py_limited_api=True) (the default is the faster version-specific build, see
    docs/design.md), and never for a debug CPython, whose Python.h refuses it (spec 8.5)."""
    if not spec.kwds.get("py_limited_api", False):
        return False
    return not (hasattr(sys, "gettotalrefcount") or sysconfig.get_config_var("Py_DEBUG"))

# -- Fast-call conversions: C type category -> (C temporary type, converter, builder) ----
# Every plain-number type maps to one of these; range checks are generated per type.
FAST_KINDS = {
    # (category, signed) -> (temporary C type, Python->C function, C->Python function)
    ("int", True): ("long long", "PyLong_AsLongLong", "PyLong_FromLongLong"),
    ("int", False): ("unsigned long long", "PyLong_AsUnsignedLongLong",
                     "PyLong_FromUnsignedLongLong"),
    ("float", True): ("double", "PyFloat_AsDouble", "PyFloat_FromDouble"),
}


def _fast_kind(ctype):
    """The FAST_KINDS key of a plain-number type, or None."""
    if ctype.kind != PRIMITIVE or not hasattr(ctype, "category"):
        return None
    if ctype.category == plat.INT:
        return ("int", ctype.signed)
    if ctype.category == plat.FLOAT:
        return ("float", True)
    return None


def _special_kind(ctype):
    """'bool', 'char' or 'enum' for the types the fast path converts in its own way (what it
    does not take, it leaves to the slow path, which raises cffi's errors), or None."""
    if ctype.kind == ENUM:
        return "enum"
    category = getattr(ctype, "category", None) if ctype.kind == PRIMITIVE else None
    return {plat.BOOL: "bool", plat.CHAR: "char"}.get(category)


def _fast_arg(ctype):
    """How the fast path takes an argument: 'int' or 'float' (a Python number converted in
    C), 'pointer' (a purecffi cdata of exactly this pointer type, its address read in C),
    'bool', 'char' or 'enum' (True/False, bytes of length 1, an int in range), or None (no
    fast path for this function)."""
    kind = _fast_kind(ctype)
    if kind is not None:
        return kind[0]
    if ctype.kind == POINTER and ctype.item.kind != FUNCTION:
        return "pointer"
    return _special_kind(ctype)


# the C code of the special kinds: (the argument's temporary C type, its conversion lines,
# which go to `slow` for what they do not take); and of their results
_SPECIAL_ARGS = {
    "bool": ("int", [
        "    if (args[{i}] == Py_True || args[{i}] == Py_False)",
        "        x{i} = args[{i}] == Py_True;",
        "    else if (PyLong_CheckExact(args[{i}])) {{",
        "        long v{i} = PyLong_AsLong(args[{i}]);",
        "        if (v{i} == -1 && PyErr_Occurred()) {{      /* too big for a long: cffi's */",
        "            PyErr_SetString(PyExc_OverflowError, \"int too big to convert\");",
        "            return NULL;",
        "        }}",
        "        if (v{i} != 0 && v{i} != 1)        /* cffi's API-mode error, as for ints */",
        "            return _pc_does_not_fit(args[{i}], \"_Bool\");",
        "        x{i} = (int)v{i};",
        "    }}",
        "    else",
        "        goto slow;"]),
    "char": ("char", [
        "    if (!PyBytes_CheckExact(args[{i}]) || PyBytes_Size(args[{i}]) != 1)",
        "        goto slow;",
        "    x{i} = PyBytes_AsString(args[{i}])[0];"]),
    "enum": ("long long", [
        "    if (!PyLong_CheckExact(args[{i}]))",
        "        goto slow;",
        "    x{i} = PyLong_AsLongLong(args[{i}]);",
        "    if (x{i} == -1 && PyErr_Occurred()) {{",
        "        PyErr_Clear();",
        "        goto slow;",
        "    }}",
        "    if ((long long)({cast})x{i} != x{i})     /* out of range: the slow path's error */",
        "        goto slow;"]),
}
_SPECIAL_RESULTS = {
    "bool": ["    return PyBool_FromLong(result ? 1 : 0);"],
    "char": ["    return PyBytes_FromStringAndSize((const char *)&result, 1);"],
    "enum": ["    return PyLong_FromLongLong((long long)result);"],
}


def _pointer_result(ctype):
    """Whether the fast path returns a result of type `ctype` as a pointer cdata (made by the
    function's `result_maker`, from the address)."""
    return ctype.kind == POINTER and ctype.item.kind != FUNCTION


# -- Collect pass ----
class _Function:
    """One cdef() function and how it is called: 'fast', 'direct', 'pointer' or 'variadic'."""

    def __init__(self, name, fntype, index, spellings=None):
        self.name, self.fntype, self.index = name, fntype, index
        self.spellings = spellings      # (result, [params]) as the cdef wrote them, or None
        if fntype.ellipsis:
            self.how = "variadic"
        elif any(by_pointer(t) for t in fntype.args + (fntype.result,)):
            self.how = "pointer"
        elif all(_fast_arg(t) for t in fntype.args) and (
                fntype.result.kind == VOID or _fast_kind(fntype.result) or
                _pointer_result(fntype.result) or _special_kind(fntype.result)):
            self.how = "fast"
        else:
            self.how = "direct"


class _Plan:
    """What the C file needs, collected once from the Declarations (without what comes from
    included FFIs: their own modules report it)."""

    def __init__(self, decls, included=()):
        self.decls = decls
        foreign_types = {id(t) for other in included for t in other.types.values()}
        foreign_constants = {name for other in included for name in other.constants}
        spellings = self.c_spellings = getattr(decls, "c_spellings", {})
        self.functions = [_Function(n, t, i, spellings.get(n)) for i, (n, t) in enumerate(
            sorted(decls.functions.items()))]
        self.variables = sorted(decls.variables.items())
        self.constants = sorted((n, c) for n, c in decls.constants.items()
                                if n not in foreign_constants)
        self.extern_python = sorted(decls.extern_python.items())
        for name, (rawtype, _) in self.extern_python:
            if rawtype.ellipsis:        # (cffi's words; no C signature to give its callers)
                raise NotImplementedError("extern_python %s: a vararg function is extern "
                                          "\"Python\"" % (name,))
        self.structs = collect_structs(decls, included)     # [(ctype, C type), ...]
        self.numbers = [(n, t) for n, t in sorted(decls.types.items())
                        if isinstance(t, UnknownNumberType) and id(t) not in foreign_types]
        self.enums = collect_enums(decls, foreign_types)
        self.array_typedefs = collect_array_typedefs(decls, included)


def collect(ffi, module_name="?"):
    """The plan of the C file for the declarations of `ffi`."""
    included = [other._decls for other in ffi._included]
    plan = _Plan(ffi._decls, included)
    plan.module_name = module_name
    plan.doc_types = _tag_spelled_functions(ffi._decls, included)
    return plan


def _tag_spelled_functions(decls, included):
    """name -> function type as the module will spell it (`struct s`, not its typedef): the
    declarations read back as the runtime reads them, for the docstrings."""
    from ..serialize import dump_declarations, load_declarations
    return load_declarations(dump_declarations(decls, included, tag_names=True),
                             included).functions


def param_spell(spellings, index, ctype, name):
    """Parameter `index` declared as `name`: as the cdef wrote it (with its qualifiers) when
    known, else from the type model (which has no `const`)."""
    if spellings is not None:
        return spellings[1][index].replace("@", name)
    return spell(ctype, name)


def _cast_spell(spellings, index, ctype):
    """The type of parameter `index` as a cast: without the qualifiers of the parameter itself
    (`(volatile int)x` is a warning in C++), with those of what a pointer points to."""
    if ctype.kind != POINTER:
        return spell(ctype, "")
    return re.sub(r"(\s*\b(const|volatile|restrict|__restrict)\b\s*)+$", "",
                  param_spell(spellings, index, ctype, ""))


def result_spell(spellings, ctype, declarator):
    """The result type around `declarator`, with its qualifiers when known."""
    if spellings is not None:
        return spellings[0].replace("@", declarator)
    return spell(ctype, declarator)


def result_variable(spellings, ctype, declarator):
    """A variable of the result type that can be assigned (`const int f()`: `int result`)."""
    return unqualified(result_spell(spellings, ctype, "@")).replace("@", declarator)


# -- The parts of the C file ----
def emit_header(spec, limited=False):
    first = ["#define Py_LIMITED_API %s   /* set_source(py_limited_api=True): stable ABI */"
             % (LIMITED_API_VERSION,)] if limited else []
    return first + [
        "/* %s: the API-mode extension module %r." % (os.path.basename(_c_filename(spec)),
                                                     spec.module_name),
        " * Generated by purecffi.build.api_module from ffi.cdef() and ffi.set_source();",
        " * do not edit.  The set_source() code comes first, verbatim; what follows gives",
        " * purecffi.apimode the facts only the C compiler knows. */",
        "#include <Python.h>",
        "#include <structmember.h>",
        "#include <stddef.h>",
        "#include <stdint.h>",
        "#include <string.h>",
        "#include <errno.h>",
        "#include <wchar.h>",
        "#ifndef __cplusplus",
        "#include <uchar.h>",
        "#endif",
        "",
    ]


def emit_user_source(spec):
    return ["/* ---- set_source() code ---- */", spec.source, "",
            "/* ---- purecffi: generated code ---- */"]


def emit_helpers(limited=False):
    return [
        "#if defined(__GNUC__)         /* anonymous structs are spelled by an expression */",
        "#  define PC_TYPEOF(x) __typeof__(x)",
        "#endif",
        "#ifdef __cplusplus",
        "#  define _Bool bool               /* cdef() spells it the C way */",
        "#  define PC_ALIGNOF(t) alignof(t)",
        "#else",
        "#  define PC_ALIGNOF(t) _Alignof(t)",
        "#endif",
        "",
        "/* put(dict, key, value): store and release `value`; -1 on error */",
        "static int _pc_put(PyObject *dict, const char *key, PyObject *value)",
        "{",
        "    int result;",
        "    if (value == NULL)",
        "        return -1;",
        "    result = PyDict_SetItemString(dict, key, value);",
        "    Py_DECREF(value);",
        "    return result;",
        "}",
        "",
        "/* an integer constant of any type, its sign decided by the compiler; `| 0` refuses",
        " * to compile what is not an integer (a string, a float), as cffi's check does",
        " * (ffi.verify() defines its own, which converts a float as cffi's verify() does) */",
        "#ifndef PC_INT",
        "#define PC_INT(x) (((x) | 0) > 0 || ((x) | 0) == 0 ? \\",
        "    PyLong_FromUnsignedLongLong((unsigned long long)(x)) : \\",
        "    PyLong_FromLongLong((long long)(x)))",
        "#endif",
        "#define PC_ADDRESS(p) PyLong_FromVoidPtr((void *)(p))",
        "/* 1 if an enum type is signed, 0 if not; -1 in ffi.verify(), which, as cffi's,",
        " * takes it from the cdef()'s values */",
        "#ifdef PC_VERIFY",
        "#define PC_ENUM_SIGNED(T) (-1)",
        "#else",
        "#define PC_ENUM_SIGNED(T) ((int)((T)-1 < (T)1))",
        "#endif",
        "",
    ] + ERRNO_HELPERS + (_LIMITED_HELPERS if limited else [])


# What the limited API lacks (py_limited_api=True): Py_XSETREF, and vectorcall (3.12), for
# which a call with an argument tuple stands in.
_LIMITED_HELPERS = [
    "#ifndef Py_XSETREF",
    "#  define Py_XSETREF(op, op2) do { PyObject *_pc_old = (PyObject *)(op); (op) = (op2); \\",
    "        Py_XDECREF(_pc_old); } while (0)",
    "#endif",
    "",
    "/* callable(*args) without vectorcall */",
    "static PyObject *_pc_call_tuple(PyObject *callable, PyObject *const *args, Py_ssize_t n)",
    "{",
    "    PyObject *tuple = PyTuple_New(n), *r;",
    "    Py_ssize_t i;",
    "    if (tuple == NULL)",
    "        return NULL;",
    "    for (i = 0; i < n; i++) {",
    "        Py_INCREF(args[i]);",
    "        if (PyTuple_SetItem(tuple, i, args[i]) < 0) {",
    "            Py_DECREF(tuple);",
    "            return NULL;",
    "        }",
    "    }",
    "    r = PyObject_Call(callable, tuple, NULL);",
    "    Py_DECREF(tuple);",
    "    return r;",
    "}",
    "",
]


# -- Functions ----
def _arg_names(fntype):
    """The wrappers' parameter names (prefixed: a C function named `a0` stays visible)."""
    return [PREFIX + "a%d" % i for i in range(len(fntype.args))]


def emit_direct_wrapper(fn):
    """`_pc_d_f`: calls f with the cdef's types (the compiler converts and checks)."""
    fntype, sp = fn.fntype, fn.spellings
    names = _arg_names(fntype)
    params = ", ".join(param_spell(sp, i, t, n)
                       for i, (t, n) in enumerate(zip(fntype.args, names))) or "void"
    call = "%s(%s)" % (fn.name, ", ".join(names))
    body = "    %s;" % (call,) if fntype.result.kind == VOID else "    return %s;" % (call,)
    return ["static %s" % (result_spell(sp, fntype.result,
                                        "%sd_%s(%s)" % (PREFIX, fn.name, params)),),
            "{", body, "}", ""]


def emit_pointer_wrapper(fn):
    """`_pc_p_f(result *, args...)`: by-value structs, complex, long double through pointers."""
    fntype = fn.fntype
    params, args = [], []
    if fntype.result.kind != VOID:
        params.append(result_variable(fn.spellings, fntype.result, "*" + PREFIX + "result"))
    for ctype, name in zip(fntype.args, _arg_names(fntype)):
        if by_pointer(ctype):
            params.append(spell(ctype, "*" + name))
            args.append("*" + name)
        else:
            params.append(param_spell(fn.spellings, len(args), ctype, name))
            args.append(name)
    call = "%s(%s)" % (fn.name, ", ".join(args))
    body = "    %s;" % (call,) if fntype.result.kind == VOID else \
        "    *%sresult = %s;" % (PREFIX, call)
    return ["static void %sp_%s(%s)" % (PREFIX, fn.name, ", ".join(params) or "void"),
            "{", body, "}", ""]


_KWNAMES = ", PyObject *kwnames"      # METH_KEYWORDS: functions of two or more arguments


def _refuse_keywords(limited):
    """The C lines refusing keyword arguments (cffi's functions of two or more arguments take
    a tuple: CPython's message names the bare function)."""
    size = "PyTuple_Size" if limited else "PyTuple_GET_SIZE"
    return ["    if (kwnames != NULL && %s(kwnames) != 0)" % (size,),
            "        return _pc_no_keywords(self);"]


def _size_name(ctype):
    """How cffi's API-mode range check names an integer type: by its size and sign."""
    return "%d-bit %sint" % (8 * ctype.byte_size, "" if ctype.signed else "unsigned ")


def _range_check(ctype, var):
    """A C condition true when `var` (the wide temporary) does not fit `ctype`: a round trip
    through the type, so the file stays the same on every platform."""
    temp = FAST_KINDS[_fast_kind(ctype)][0]
    return "(%s)(%s)%s != %s" % (temp, ctype.cname, var, var)


def emit_fast_function(fn, limited=False):
    """A METH_FASTCALL wrapper: exact ints/floats convert in C, anything else (or out of range)
    goes to the slow path (`self`: the ctypes-called function), which raises like ABI mode.
    `limited`: the same with the limited API only (no PyFloat_AS_DOUBLE, no vectorcall)."""
    fntype = fn.fntype
    n = len(fntype.args)
    lines = ["static PyObject *%sf_%s(PyObject *self, PyObject *const *args, Py_ssize_t nargs%s)"
             % (PREFIX, fn.name, _KWNAMES if n >= 2 else ""), "{"]
    for i, ctype in enumerate(fntype.args):
        if _fast_arg(ctype) == "pointer":
            lines.append("    void *x%d;" % (i,))
        elif _special_kind(ctype):
            lines.append("    %s x%d;" % (_SPECIAL_ARGS[_special_kind(ctype)][0], i))
        else:
            lines.append("    %s x%d;" % (FAST_KINDS[_fast_kind(ctype)][0], i))
    if fntype.result.kind != VOID:
        lines.append("    %s;" % (result_variable(fn.spellings, fntype.result, "result"),))
    lines += ["    int saved_errno, errno_before, *errno_space;"]
    if n >= 2:
        lines += _refuse_keywords(limited)
    lines += ["    if (nargs != %d)" % (n,),
              "        return _pc_bad_count(self, nargs);"]
    for i, ctype in enumerate(fntype.args):
        if _fast_arg(ctype) == "pointer":
            if limited:
                lines += ["    if (!PC_IS_CDATA(args[%d], self, %d) || "
                          "_pc_address_of(args[%d], &x%d) < 0)" % (i, i, i, i), "        goto slow;"]
            else:
                lines += ["    if (_pc_pointer_arg(args[%d], self, %d, &x%d) < 0)" % (i, i, i),
                          "        goto slow;"]
            continue
        special = _special_kind(ctype)
        if special is not None:
            lines += [line.format(i=i, cast=_cast_spell(fn.spellings, i, ctype))
                      for line in _SPECIAL_ARGS[special][1]]
            continue
        kind = _fast_kind(ctype)
        temp, to_c, _ = FAST_KINDS[kind]
        if kind[0] == "int":
            lines += ["    if (!PyLong_CheckExact(args[%d]))" % (i,), "        goto slow;",
                      "    x%d = %s(args[%d]);" % (i, to_c, i),
                      "    if (x%d == (%s)-1 && PyErr_Occurred()) {" % (i, temp),
                      "        PyErr_Clear();", "        goto slow;", "    }"]
            check = _range_check(ctype, "x%d" % i)
            if check:
                lines += ["    if (%s)" % (check,),     # (negative unsigned: slow path)
                          "        return _pc_does_not_fit(args[%d], \"%s\");"
                          % (i, _size_name(ctype))]
        else:
            lines += ["    if (PyFloat_CheckExact(args[%d]))" % (i,),
                      "        x%d = %s(args[%d]);" % (
                          i, "PyFloat_AsDouble" if limited else "PyFloat_AS_DOUBLE", i),
                      "    else if (PyLong_CheckExact(args[%d])) {" % (i,),
                      "        x%d = PyLong_AsDouble(args[%d]);" % (i, i),
                      "        if (x%d == -1.0 && PyErr_Occurred()) {" % (i,),
                      "            PyErr_Clear();", "            goto slow;", "        }",
                      "    }",
                      "    else",
                      "        goto slow;"]
    call = "%s(%s)" % (fast_callee(fn.name),
                       ", ".join("(%s)x%d" % (_cast_spell(fn.spellings, i, t), i)
                                 for i, t in enumerate(fntype.args)))
    lines += ["    errno_before = _pc_load_errno(&errno_space);",
              "    Py_BEGIN_ALLOW_THREADS",
              "    errno = errno_before;",
              "    %s%s;" % ("" if fntype.result.kind == VOID else "result = ", call),
              "    saved_errno = errno;",
              "    Py_END_ALLOW_THREADS",
              "    _pc_store_errno(errno_space, errno_before, saved_errno);"]
    if fntype.result.kind == VOID:
        lines.append("    Py_RETURN_NONE;")
    elif _pointer_result(fntype.result):
        lines.append("    return _pc_pointer_result(self, (void *)result);")
    elif _special_kind(fntype.result):
        lines += _SPECIAL_RESULTS[_special_kind(fntype.result)]
    else:
        _, _, to_py = FAST_KINDS[_fast_kind(fntype.result)]
        temp = FAST_KINDS[_fast_kind(fntype.result)][0]
        lines.append("    return %s((%s)result);" % (to_py, temp))
    if n == 0:                  # no argument to convert: no slow path
        return lines + ["    (void)args;", "}", ""]
    if limited:
        lines += ["  slow:",
                  "    return _pc_call_tuple(((_pc_fast_object *)self)->slow, args, nargs);",
                  "}", ""]
    else:
        lines += ["  slow:",
                  "    return PyObject_Vectorcall(((_pc_fast_object *)self)->slow, args, "
                  "(size_t)nargs, NULL);",
                  "}", ""]
    return lines


def emit_fast_table(plan, limited=False):
    """The built-in functions: the fast wrappers, and `_pc_forward` (which calls the slow
    twin at once) for the 'direct' and 'pointer' routes."""
    forward = "_pc_call_tuple" if limited else "PyObject_Vectorcall"
    lines = ["/* a built-in function that just calls its twin (direct and pointer routes) */",
             "static PyObject *_pc_forward(PyObject *self, PyObject *const *args, "
             "Py_ssize_t nargs)",
             "{",
             "    if (nargs != ((_pc_fast_object *)self)->nargs)",
             "        return _pc_bad_count(self, nargs);",
             "    return %s(((_pc_fast_object *)self)->slow, args, %s);"
             % (forward, "nargs" if limited else "(size_t)nargs, NULL"),
             "}",
             "",
             "static PyObject *_pc_forward_kw(PyObject *self, PyObject *const *args, "
             "Py_ssize_t nargs%s)" % (_KWNAMES,),
             "{"] + _refuse_keywords(limited) + [
             "    return _pc_forward(self, args, nargs);",
             "}",
             "",
             "static PyMethodDef %sfast_table[] = {" % (PREFIX,)]
    for fn in builtin_functions(plan):
        keywords = len(fn.fntype.args) >= 2
        if fn.how == "fast":
            c_function = "%sf_%s" % (PREFIX, fn.name)
        else:
            c_function = "_pc_forward_kw" if keywords else "_pc_forward"
        doc = "%s\n\nCFFI C function from %s.lib" % (
            c_signature(fn.name, plan.doc_types[fn.name]), plan.module_name)
        lines.append("    {%s, (PyCFunction)(void (*)(void))%s, %s, %s},"
                     % (_c_string(fn.name), c_function,
                        "METH_FASTCALL | METH_KEYWORDS" if keywords else "METH_FASTCALL",
                        _c_string(doc)))
    lines += ["    {NULL, NULL, 0, NULL}", "};", ""]
    return lines


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
             "    PyObject *fn = %sextern_callables[%d];" % (PREFIX, index),
             "    PyObject *argv[%d] = {NULL%s};" % (n + 1, ", NULL" * n),
             "    PyObject *r = NULL;",
             "    if (fn == NULL) {              /* no def_extern() yet: the generic message */",
             "        errno = c_errno;",
             "        _pc_call_python(%d, %s, args, %s);" % (index, qualname, result_ref),
             "        PyGILState_Release(state);",
             "        return%s;" % ("" if rawtype.result.kind == VOID else " result"),
             "    }",
             "    Py_INCREF(fn);                 /* def_extern() may replace it meanwhile */",
             "    _pc_errno_enter(c_errno);"]
    for i, ctype in enumerate(rawtype.args):
        temp, _, to_py = FAST_KINDS[_fast_kind(ctype)]
        lines += ["    argv[%d] = %s((%s)%s);" % (i + 1, to_py, temp, names[i]),
                  "    if (argv[%d] == NULL)" % (i + 1,), "        goto call_done;"]
    if limited:
        lines.append("    r = _pc_call_tuple(fn, argv + 1, %d);" % (n,))
    else:
        lines += ["    r = PyObject_Vectorcall(fn, argv + 1, %d | PY_VECTORCALL_ARGUMENTS_OFFSET, "
                  "NULL);" % (n,)]
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
              "    Py_DECREF(fn);",
              "    c_errno = _pc_errno_leave();",
              "    PyGILState_Release(state);",
              "    errno = c_errno;",
              "  }"]
    return lines


def emit_module_functions(plan, limited=False):
    """The module-level functions the runtime uses to finish the set-up (`limited`: with the
    limited API only: no member descriptor internals, no type slots read directly)."""
    n_fast = len(builtin_functions(plan))
    n_extern = len(plan.extern_python)
    return [
        "/* _pc_fast(index, slow, ptypes, bytes_mask, doc, result_maker, result_type): the",
        " * fast builtin for function `index`, falling back to `slow`; `doc`, if given,",
        " * replaces its docstring (the types of a `typedef int... t` are only known now);",
        " * `result_maker` makes the cdata of a pointer result from its address, as",
        " * _pc_pointer_result does in C from `result_type` */",
        "static PyObject *_pc_fast(PyObject *module, PyObject *args)",
        "{",
        "    int index;",
        "    unsigned long bytes_mask = 0;",
        "    const char *doc = NULL;",
        "    PyObject *slow, *ptypes, *name, *function, *result_maker = NULL;",
        "    PyObject *result_type = NULL;",
        "    _pc_fast_object *f;",
        "    if (!PyArg_ParseTuple(args, \"iOO!|kzOO\", &index, &slow, &PyTuple_Type, &ptypes,",
        "                          &bytes_mask, &doc, &result_maker, &result_type))",
        "        return NULL;",
        "    if (index < 0 || index >= %d) {" % (n_fast,),
        "        PyErr_SetString(PyExc_IndexError, \"no such fast function\");",
        "        return NULL;",
        "    }",
        "    if (doc != NULL) {     /* kept as long as the module: the table is static */",
        "        size_t size = strlen(doc) + 1;",
        "        char *copy = (char *)malloc(size);",
        "        if (copy == NULL)",
        "            return PyErr_NoMemory();",
        "        memcpy(copy, doc, size);",
        "        %sfast_table[index].ml_doc = copy;" % (PREFIX,),
        "    }",
        "    if (_pc_fast_type == NULL) {",
        "        _pc_fast_type = PyType_FromSpec(&_pc_fast_spec);",
        "        if (_pc_fast_type == NULL)",
        "            return NULL;",
        "    }",
        "    f = PyObject_New(_pc_fast_object, (PyTypeObject *)_pc_fast_type);",
        "    if (f == NULL)",
        "        return NULL;",
        "    Py_INCREF(slow);",
        "    f->slow = slow;",
        "    Py_INCREF(ptypes);",
        "    f->ptypes = ptypes;",
        "    f->nargs = PyTuple_Size(ptypes);",
        "    f->name = %sfast_table[index].ml_name;" % (PREFIX,),
        "    f->bytes_mask = bytes_mask;",
        "    Py_XINCREF(result_maker);",
        "    f->result_maker = result_maker;",
        "    if (result_type == Py_None)",
        "        result_type = NULL;",
        "    Py_XINCREF(result_type);",
        "    f->res_ctype = result_type;",
        "    f->res_rt = f->res_fast = f->res_cls = NULL;",
        "    f->res_mask = 0;",
        "    f->module_name = NULL;",
        "    name = PyModule_GetNameObject(module);",
        "    if (name == NULL) {",
        "        Py_DECREF(f);",
        "        return NULL;",
        "    }",
        "    Py_INCREF(name);",
        "    f->module_name = name;",
        "    function = PyCFunction_NewEx(&%sfast_table[index], (PyObject *)f, name);"
        % (PREFIX,),
        "    Py_DECREF(name);",
        "    Py_DECREF(f);",
        "    return function;",
        "}",
        "",
        "/* _pc_cdata_layout(cls, ctype_slot, addr_slot): the cdata class whose instances",
        " * pointer arguments may be, and the member descriptors of its two slots */",
        "static PyObject *_pc_cdata_layout(PyObject *module, PyObject *args)",
        "{",
        "    PyObject *cls, *ctype_slot, *addr_slot;",
    ] + (_LIMITED_CDATA_LAYOUT if limited else [
        "    (void)module;",
        "    if (!PyArg_ParseTuple(args, \"O!O!O!\", &PyType_Type, &cls, &PyMemberDescr_Type,",
        "                          &ctype_slot, &PyMemberDescr_Type, &addr_slot))",
        "        return NULL;",
        "    if (((PyMemberDescrObject *)ctype_slot)->d_member->type != T_OBJECT_EX ||",
        "            ((PyMemberDescrObject *)addr_slot)->d_member->type != T_OBJECT_EX) {",
        "        PyErr_SetString(PyExc_TypeError, \"expected object slots\");",
        "        return NULL;",
        "    }",
        "    _pc_ctype_offset = ((PyMemberDescrObject *)ctype_slot)->d_member->offset;",
        "    _pc_addr_offset = ((PyMemberDescrObject *)addr_slot)->d_member->offset;",
    ]) + [
        "    Py_INCREF(cls);",
        "    Py_XSETREF(_pc_cdata_type, (PyTypeObject *)cls);",
        "    Py_RETURN_NONE;",
        "}",
        "",
    ] + ([] if limited else RESULT_LAYOUT) + [
        "/* _pc_pointer_layout(array_cls, array_item_slot, pointer_item_slot): the class of",
        " * array ctypes and the member descriptors of the `item` slot of array and pointer",
        " * ctypes (pointer arguments take arrays of their item type in C) */",
        "static PyObject *_pc_pointer_layout(PyObject *module, PyObject *args)",
        "{",
        "    PyObject *cls, *array_item, *pointer_item;",
        "    (void)module;",
        "    if (!PyArg_ParseTuple(args, \"OOO\", &cls, &array_item, &pointer_item))",
        "        return NULL;",
    ] + (["    (void)cls; (void)array_item; (void)pointer_item;  /* limited: not used */"]
         if limited else [
        "    if (!PyType_Check(cls) || Py_TYPE(array_item) != &PyMemberDescr_Type ||",
        "            Py_TYPE(pointer_item) != &PyMemberDescr_Type ||",
        "            ((PyMemberDescrObject *)array_item)->d_member->type != T_OBJECT_EX ||",
        "            ((PyMemberDescrObject *)pointer_item)->d_member->type != T_OBJECT_EX) {",
        "        PyErr_SetString(PyExc_TypeError, \"expected a class and object slots\");",
        "        return NULL;",
        "    }",
        "    _pc_array_item_offset = ((PyMemberDescrObject *)array_item)->d_member->offset;",
        "    _pc_pointer_item_offset = ((PyMemberDescrObject *)pointer_item)->d_member->offset;",
        "    Py_INCREF(cls);",
        "    Py_XSETREF(_pc_array_class, (PyTypeObject *)cls);",
    ]) + [
        "    Py_RETURN_NONE;",
        "}",
        "",
        "/* _pc_lib_class(cls): a subclass of the lib class whose attribute lookup reads the",
        " * instance dict (functions, constants) first, then asks `cls` (globals, errors) */",
        "static PyObject *_pc_lib_getattr;      /* cls.__getattr__: names not found */",
        "/* (_pc_lib_self, _pc_lib_dict: the lib instance and its dict, see emit_fast_type) */",
        "",
        "/* names already looked up on the lib (interned, as in code objects), by address:",
        " * the dict does not change after _pc_lib_bind (lib.__dict__ gives a copy, as cffi's",
        " * does; globals are written through their descriptors), so a hit is its value */",
        "#define PC_NAMES 64",
        "static struct { PyObject *name, *value; } _pc_lib_names[PC_NAMES];",
        "",
        "/* a `__x__` name other than __class__ and __dict__: cffi's lib has none of the",
        " * object's (__doc__, __module__, __reduce_ex__...), only its own (__all__, __name__) */",
        "static int _pc_lib_special(PyObject *name)",
        "{",
        "    Py_ssize_t n;",
        "    const char *s = PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, &n) : NULL;",
        "    if (s == NULL) {",
        "        PyErr_Clear();",
        "        return 0;",
        "    }",
        "    return n > 4 && s[0] == '_' && s[1] == '_' && s[n - 2] == '_' && s[n - 1] == '_' &&",
        "        strcmp(s, \"__class__\") != 0 && strcmp(s, \"__dict__\") != 0;",
        "}",
        "",
        "/* lib.__dict__: a copy without the names of included modules, as cffi's (the class's",
        " * `_pc_listed` has the names listed by dir()) */",
        "static PyObject *_pc_lib_own_dict(PyObject *self)",
        "{",
        "    PyObject *copy = PyDict_Copy(_pc_lib_dict), *keys, *listed;",
        "    Py_ssize_t i, n;",
        "    listed = PyObject_GetAttrString((PyObject *)Py_TYPE(self), \"_pc_listed\");",
        "    keys = copy != NULL && listed != NULL ? PyDict_Keys(copy) : NULL;",
        "    n = keys != NULL ? PyList_Size(keys) : 0;",
        "    for (i = 0; i < n; i++) {",
        "        PyObject *key = PyList_GetItem(keys, i);",
        "        int own = PyDict_Contains(listed, key);",
        "        if (own < 0 || (own == 0 && PyDict_DelItem(copy, key) < 0))",
        "            break;",
        "    }",
        "    Py_XDECREF(listed);",
        "    Py_XDECREF(keys);",
        "    if (PyErr_Occurred())",
        "        Py_CLEAR(copy);",
        "    return copy;",
        "}",
        "",
        "static PyObject *_pc_lib_getattro(PyObject *self, PyObject *name)",
        "{",
        "    PyObject *dict, *value;",
        "    if (self == _pc_lib_self) {",
        "        unsigned slot = (unsigned)(((uintptr_t)name >> 4) % PC_NAMES);",
        "        if (_pc_lib_names[slot].name == name)",
        "            value = _pc_lib_names[slot].value;",
        "        else {",
        "            value = PyDict_GetItemWithError(_pc_lib_dict, name);",
    ] + ([
        "            /* (the limited API cannot tell interned names: any exact str) */",
        "            if (value != NULL && PyUnicode_CheckExact(name)) {",
    ] if limited else [
        "            if (value != NULL && PyUnicode_CheckExact(name) && "
        "PyUnicode_CHECK_INTERNED(name)) {",
    ]) + [
        "                PyObject *old_name = _pc_lib_names[slot].name;",
        "                PyObject *old_value = _pc_lib_names[slot].value;",
        "                Py_INCREF(name);",
        "                Py_INCREF(value);",
        "                _pc_lib_names[slot].name = name;",
        "                _pc_lib_names[slot].value = value;",
        "                Py_XDECREF(old_name);",
        "                Py_XDECREF(old_value);",
        "            }",
        "            else if (value == NULL && !PyErr_Occurred() && PyUnicode_Check(name) &&",
        "                     PyUnicode_CompareWithASCIIString(name, \"__dict__\") == 0)",
        "                return _pc_lib_own_dict(self);",
        "        }",
        "    }",
        "    else {",
        "        dict = PyObject_GenericGetDict(self, NULL);",
        "        if (dict == NULL)",
        "            return NULL;",
        "        value = PyDict_GetItemWithError(dict, name);",
        "        Py_DECREF(dict);",
        "    }",
        "    if (value != NULL) {",
    ] + ([
        "        descrgetfunc get = (descrgetfunc)PyType_GetSlot(Py_TYPE(value), "
        "Py_tp_descr_get);",
        "        if (get != NULL && PyType_GetSlot(Py_TYPE(value), Py_tp_descr_set) != NULL)",
        "            return get(value, self, (PyObject *)Py_TYPE(self));   /* a global */",
    ] if limited else [
        "        descrsetfunc set = Py_TYPE(value)->tp_descr_set;",
        "        if (set != NULL && Py_TYPE(value)->tp_descr_get != NULL)   /* a global */",
        "            return Py_TYPE(value)->tp_descr_get(value, self, (PyObject *)Py_TYPE(self));",
    ]) + [
        "        Py_INCREF(value);",
        "        return value;",
        "    }",
        "    if (PyErr_Occurred())",
        "        return NULL;",
        "    if (_pc_lib_getattr != NULL && _pc_lib_special(name))",
        "        return PyObject_CallFunctionObjArgs(_pc_lib_getattr, self, name, NULL);",
        "    value = PyObject_GenericGetAttr(self, name);      /* globals: descriptors */",
        "    if (value == NULL && _pc_lib_getattr != NULL &&",
        "            PyErr_ExceptionMatches(PyExc_AttributeError)) {",
        "        PyErr_Clear();",
        "        value = PyObject_CallFunctionObjArgs(_pc_lib_getattr, self, name, NULL);",
        "    }",
        "    return value;",
        "}",
        "",
        "static PyType_Slot _pc_lib_slots[] = {",
        "    {Py_tp_getattro, (void *)_pc_lib_getattro},",
        "    {0, NULL}",
        "};",
        "",
        "static PyType_Spec _pc_lib_spec = {",
        "    \"_cffi_backend.Lib\", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,",
        "    _pc_lib_slots  /* named Lib, as cffi's; ffi.dlopen() subclasses it */",
        "};",
        "",
        "/* _pc_lib_bind(lib): remember the lib instance and its dict (both live as long",
        " * as the module: the lib is in sys.modules and its __dict__ cannot be replaced) */",
        "static PyObject *_pc_lib_bind(PyObject *module, PyObject *lib)",
        "{",
        "    PyObject *dict = PyObject_GenericGetDict(lib, NULL);",
        "    (void)module;",
        "    if (dict == NULL)",
        "        return NULL;",
        "    Py_INCREF(lib);",
        "    Py_XSETREF(_pc_lib_self, lib);",
        "    Py_XSETREF(_pc_lib_dict, dict);",
        "    Py_RETURN_NONE;",
        "}",
        "",
        "static PyObject *_pc_lib_class(PyObject *module, PyObject *cls)",
        "{",
        "    PyObject *getattr_method;",
        "    (void)module;",
        "    if (!PyType_Check(cls)) {",
        "        PyErr_SetString(PyExc_TypeError, \"expected a class\");",
        "        return NULL;",
        "    }",
        "    getattr_method = PyObject_GetAttrString(cls, \"__getattr__\");",
        "    if (getattr_method == NULL)",
        "        return NULL;",
        "    Py_XSETREF(_pc_lib_getattr, getattr_method);",
        "    return PyType_FromSpecWithBases(&_pc_lib_spec, cls);",
        "}",
        "",
        "/* _pc_set_extern(index, handler): attach the handler of an extern \"Python\" "
        "function */",
        "static PyObject *_pc_set_extern(PyObject *module, PyObject *args)",
        "{",
        "    int index;",
        "    PyObject *handler, *callable, *old;",
        "    (void)module;",
        "    if (!PyArg_ParseTuple(args, \"iOO\", &index, &handler, &callable))",
        "        return NULL;",
        "    if (index < 0 || index >= %d) {" % (n_extern,),
        "        PyErr_SetString(PyExc_IndexError, \"no such extern function\");",
        "        return NULL;",
        "    }",
        "    old = %sextern_handlers[index];" % (PREFIX,),
        "    Py_INCREF(handler);",
        "    %sextern_handlers[index] = handler;" % (PREFIX,),
        "    Py_XDECREF(old);",
        "    old = %sextern_callables[index];" % (PREFIX,),
        "    Py_INCREF(callable);",
        "    %sextern_callables[index] = callable;" % (PREFIX,),
        "    Py_XDECREF(old);",
        "    Py_RETURN_NONE;",
        "}",
        "",
        "/* _pc_address(index): the current address of global variable `index` */",
        "static PyObject *_pc_address(PyObject *module, PyObject *index)",
        "{",
        "    long i = PyLong_AsLong(index);",
        "    (void)module;",
        "    if (i == -1 && PyErr_Occurred())",
        "        return NULL;",
        "    return PyLong_FromVoidPtr(_pc_variable_address(i));",
        "}",
        "",
    ] + ERRNO_SETTER + [
        "static PyMethodDef %smodule_defs[] = {" % (PREFIX,),
        "    {\"_pc_fast\", _pc_fast, METH_VARARGS, NULL},",
        "    {\"_pc_set_extern\", _pc_set_extern, METH_VARARGS, NULL},",
        "    {\"_pc_errno_setter\", _pc_errno_setter, METH_VARARGS, NULL},",
        "    {\"_pc_address\", _pc_address, METH_O, NULL},",
        "    {\"_pc_cdata_layout\", _pc_cdata_layout, METH_VARARGS, NULL},",
        "    {\"_pc_pointer_layout\", _pc_pointer_layout, METH_VARARGS, NULL},",
        "    {\"_pc_lib_class\", _pc_lib_class, METH_O, NULL},",
        "    {\"_pc_lib_bind\", _pc_lib_bind, METH_O, NULL},",
    ] + ([] if limited else [FROM_BUFFER_DEF, RESULT_LAYOUT_DEF]) + [
        "    {NULL, NULL, 0, NULL}",
        "};",
        "",
    ]


RESULT_LAYOUT_DEF = "    {\"_pc_result_layout\", _pc_result_layout, METH_VARARGS, NULL},"
RESULT_LAYOUT = [
    "/* _pc_result_layout(plan, rt_slot, keep_slot): what _pc_pointer_result needs to make",
    " * cdata in C: the runtime's function giving a pointer type's classes, and the member",
    " * descriptors of a ctype's `_rt` slot and of a cdata's `_keep` slot */",
    "static PyObject *_pc_result_layout(PyObject *module, PyObject *args)",
    "{",
    "    PyObject *plan, *rt_slot, *keep_slot;",
    "    (void)module;",
    "    if (!PyArg_ParseTuple(args, \"OO!O!\", &plan, &PyMemberDescr_Type, &rt_slot,",
    "                          &PyMemberDescr_Type, &keep_slot))",
    "        return NULL;",
    "    if (((PyMemberDescrObject *)rt_slot)->d_member->type != T_OBJECT_EX ||",
    "            ((PyMemberDescrObject *)keep_slot)->d_member->type != T_OBJECT_EX) {",
    "        PyErr_SetString(PyExc_TypeError, \"expected object slots\");",
    "        return NULL;",
    "    }",
    "    Py_INCREF(plan);",
    "    Py_XSETREF(_pc_result_plan, plan);",
    "    _pc_rt_offset = ((PyMemberDescrObject *)rt_slot)->d_member->offset;",
    "    _pc_keep_offset = ((PyMemberDescrObject *)keep_slot)->d_member->offset;",
    "    Py_RETURN_NONE;",
    "}",
    "",
]


# py_limited_api=True: the slots are read through the descriptors' get function
_LIMITED_CDATA_LAYOUT = [
    "    descrgetfunc ctype_get, addr_get;",
    "    (void)module;",
    "    if (!PyArg_ParseTuple(args, \"O!OO\", &PyType_Type, &cls, &ctype_slot, &addr_slot))",
    "        return NULL;",
    "    ctype_get = (descrgetfunc)PyType_GetSlot(Py_TYPE(ctype_slot), Py_tp_descr_get);",
    "    addr_get = (descrgetfunc)PyType_GetSlot(Py_TYPE(addr_slot), Py_tp_descr_get);",
    "    if (ctype_get == NULL || addr_get == NULL) {",
    "        if (!PyErr_Occurred())",
    "            PyErr_SetString(PyExc_TypeError, \"expected descriptors\");",
    "        return NULL;",
    "    }",
    "    Py_INCREF(ctype_slot);",
    "    Py_XSETREF(_pc_ctype_descr, ctype_slot);",
    "    Py_INCREF(addr_slot);",
    "    Py_XSETREF(_pc_addr_descr, addr_slot);",
    "    _pc_ctype_get = ctype_get;",
    "    _pc_addr_get = addr_get;",
]


def emit_init(spec, payload):
    short = spec.module_name.rsplit(".", 1)[-1]
    return [
        "static struct PyModuleDef %smodule = {" % (PREFIX,),
        "    PyModuleDef_HEAD_INIT, %s, NULL, -1, %smodule_defs," % (
            _c_string(spec.module_name), PREFIX),
        "    NULL, NULL, NULL, NULL",
        "};",
        "",
        "/* the declarations of cdef(), for purecffi.apimode.load() */",
        "static const char %sdeclarations[] = %s;" % (PREFIX, _c_string_lines(payload)),
        "",
        "PyMODINIT_FUNC PyInit_%s(void)" % (short,),
        "{",
        "    PyObject *module, *facts, *apimode, *r;",
        "    module = PyModule_Create(&%smodule);" % (PREFIX,),
        "    if (module == NULL) return NULL;",
        "    facts = _pc_facts();",
        "    if (facts == NULL) goto error;",
        "    apimode = PyImport_ImportModule(\"purecffi.apimode\");",
        "    if (apimode == NULL) { Py_DECREF(facts); goto error; }",
        "    r = PyObject_CallMethod(apimode, \"load\", \"OsN\", module, %sdeclarations, facts);"
        % (PREFIX,),
        "    Py_DECREF(apimode);",
        "    if (r == NULL) goto error;",
        "    Py_DECREF(r);",
        "    return module;",
        "  error:",
        "    Py_DECREF(module);",
        "    return NULL;",
        "}",
        "",
    ]


def _c_string_lines(text):
    """A long string as adjacent C literals, one per line of the text."""
    parts = text.splitlines(True) or [""]
    return "\n    ".join(_c_string(p) for p in parts)


# -- The whole file ----
def _c_filename(spec):
    return spec.module_name.rsplit(".", 1)[-1] + spec.source_extension


def declarations_payload(ffi):
    """The declarations as text the runtime can load (see apimode.load)."""
    from ..apidecls import dump
    return dump(ffi)


def generate_c_source(ffi, spec, prelude=(), epilogue=(), limited=None):
    """The text of the C file (`prelude`/`epilogue`: lines the embedding builder adds before
    the set_source() code and at the end; `limited`: use only the limited API, by default
    when set_source(py_limited_api=True) asks for it, see uses_limited_api())."""
    plan = collect(ffi, spec.module_name)
    if limited is None:
        limited = uses_limited_api(spec)
    lines = emit_header(spec, limited) + list(prelude) + emit_user_source(spec) + \
        emit_helpers(limited) + emit_fast_type(limited) + emit_from_buffer(limited)
    if any(fn.how == "fast" and _pointer_result(fn.fntype.result) for fn in plan.functions):
        lines += emit_pointer_result(limited)
    for fn in plan.functions:
        if fn.how in ("fast", "direct"):
            lines += emit_direct_wrapper(fn)
        elif fn.how == "pointer":
            lines += emit_direct_wrapper(fn) + emit_pointer_wrapper(fn)
        if fn.how == "fast":
            lines += emit_fast_function(fn, limited)
    lines += emit_fast_table(plan, limited)
    lines += emit_extern_python(plan, limited)
    lines += emit_variable_addresses(plan)
    lines += emit_facts(plan, limited)
    lines += emit_module_functions(plan, limited)
    lines += emit_init(spec, declarations_payload(ffi))
    lines += list(epilogue)
    return "\n".join(lines) + "\n"


def _write_if_changed(filename, text):
    """Write the file unless it already has this content (keeps the mtime, spec 8.5)."""
    try:
        with open(filename, encoding="utf-8") as f:
            if f.read() == text:
                return False
    except OSError:
        pass
    with open(filename, "w", encoding="utf-8") as f:
        f.write(text)
    return True


def emit_c_code(ffi, spec, filename):
    """ffi.emit_c_code(filename): write the C source of the module (`filename` may also be
    a file object, as in cffi 1.17); False if the file already had it."""
    return write_c_source(filename, generate_c_source(ffi, spec))


def write_c_source(filename, text):
    """Write `text` to a file object, or to the file named `filename` if it changed (False
    if it had not)."""
    if hasattr(filename, "write"):
        filename.write(text)
        return True
    if not isinstance(filename, (str, bytes, os.PathLike)):     # (an int would be an fd)
        raise TypeError("rename: dst should be string, bytes or os.PathLike, not %s"
                        % (type(filename).__name__,))
    return _write_if_changed(filename, text)


def compile_api_module(ffi, spec, tmpdir=".", verbose=False, target=None, debug=None):
    """ffi.compile() in API mode: write the C file under tmpdir and build it; the .so path."""
    from .compiler import build_extension
    parts = spec.module_name.split(".")
    directory = os.path.join(tmpdir, *parts[:-1])
    os.makedirs(directory, exist_ok=True)
    c_file = os.path.join(directory, parts[-1] + spec.source_extension)
    if verbose:                                 # cffi's lines (only when verbose here)
        print("generating %s" % (c_file,))
    if not emit_c_code(ffi, spec, c_file) and verbose:
        print("(already up-to-date)")
    return build_extension(spec, c_file, tmpdir, verbose=verbose, target=target, debug=debug,
                           in_tmpdir=True)


def distutils_extension(ffi, spec, tmpdir="build", verbose=True):
    """ffi.distutils_extension(): write the C file under `tmpdir`; the setuptools Extension."""
    from .compiler import make_extension
    parts = spec.module_name.split(".")
    directory = os.path.join(tmpdir, *parts[:-1])
    os.makedirs(directory, exist_ok=True)
    c_file = os.path.join(directory, parts[-1] + spec.source_extension)
    print("generating %s" % (c_file,))          # cffi's words, even when not verbose
    written = emit_c_code(ffi, spec, c_file)
    if not written:
        print("(already up-to-date)")
    if verbose:                                 # (on stderr, as setuptools' log)
        print("%s: %r" % ("regenerated" if written else "not modified", c_file), file=sys.stderr)
    return make_extension(spec, c_file)
