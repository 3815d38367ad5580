"""The API-mode C module: emit_c_code() writes it, compile_api_module() builds it.

The C file holds the helpers, the user's set_source() code verbatim, then only what the
compiler knows and Python cannot: addresses of functions and globals, layouts of structs,
values of constants, sizes of `typedef int...` types and lengths of `[...]` arrays
(api_facts.py writes that part; a cdef() that disagrees with the real C is reported by the
runtime when the mismatched name is used, never by failing the build).  Functions whose
arguments and result are plain numbers get a METH_FASTCALL wrapper converting in C; the others
are called by the runtime through ctypes (by-value structs, unions, complex and long double
through a small C wrapper taking pointers).  Module init hands these facts to
`purecffi.apimode.load()`, which builds `ffi` and `lib` from the declarations (see
docs/design.md, "API mode").  With set_source(py_limited_api=True) the file defines
Py_LIMITED_API first and the same parts are emitted with the limited API only (the `limited`
arguments below).

Layout of this file: a collect pass (`collect()` -> `_Plan`), then one `emit_<kind>()` per part
of the C file.
"""
import os
import re
import sys
import sysconfig

from .. import platform as plat
from ..ctype import ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, UNION, VOID, \
    UnknownNumberType, c_signature
from ..apifunctions import by_pointer
from .api_errno import ERRNO_HELPERS
from .api_facts import builtin_functions, collect_array_typedefs, collect_enums, \
    collect_structs, emit_facts, emit_variable_addresses
from .api_fast_type import emit_fast_type, emit_fnptr_arg, emit_pointer_result, \
    emit_result_renew, emit_struct_arg, emit_struct_result
from .api_accel import emit_accel
from .api_cast import emit_cast
from .api_from_buffer import emit_from_buffer
from .api_new import emit_new
from .api_string import emit_string
from .api_struct_fill import array_item, emit_array_fills, emit_struct_fills, fill_variable
from .api_c_types import FAST_KINDS, _arg_names, _cast_spell, _fast_kind, _range_check, \
    _size_name, param_spell, result_spell, result_variable
from .api_extern import emit_extern_python
from .api_lib_c import emit_module_functions
from .c_names import emit_local_name_guard
from .c_text import PREFIX, c_string as _c_string, fast_callee, spell

__all__ = ["emit_c_code", "compile_api_module", "distutils_extension", "collect",
           "generate_c_source"]


# set_source(py_limited_api=True): the C file defines this first and uses only the limited
# API of that version (METH_FASTCALL is in the stable ABI since 3.10)
LIMITED_API_VERSION = "0x030A0000"


def uses_limited_api(spec):
    """Whether the C file of `spec` is built for the stable ABI: only when asked with
    set_source(py_limited_api=True) (the default is the faster version-specific build, see
    docs/design.md), and never for a debug or a free-threaded CPython, whose Python.h
    refuses it (spec 8.5): there the module is built for the running version."""
    if not spec.kwds.get("py_limited_api", False):
        return False
    return not (hasattr(sys, "gettotalrefcount") or sysconfig.get_config_var("Py_DEBUG")
                or sysconfig.get_config_var("Py_GIL_DISABLED"))


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
    'fnptr' (a function pointer: a cdata of exactly its type, or a fast function of this
    module with that type), 'bool', 'char' or 'enum' (True/False, bytes of length 1, an int
    in range), or None (no fast path for this function)."""
    kind = _fast_kind(ctype)
    if kind is not None:
        return kind[0]
    if ctype.kind == POINTER and ctype.item.kind != FUNCTION:
        return "pointer"
    if ctype.kind == FUNCTION:
        return "fnptr"
    return _special_kind(ctype)


def _fast_or_struct_arg(ctype):
    """_fast_arg(), or 'struct' for a struct or union passed by value (a purecffi cdata of
    exactly its type: its bytes are read at its address in C)."""
    return "struct" if ctype.kind in (STRUCT, UNION) else _fast_arg(ctype)


def _fast_result(ctype):
    """Whether the fast path returns a result of type `ctype` in C."""
    return (ctype.kind == VOID or _fast_kind(ctype) is not None or _pointer_result(ctype) or
            _special_kind(ctype) is not None)


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
        elif all(_fast_arg(t) for t in fntype.args) and _fast_result(fntype.result):
            self.how = "fast"
        else:
            self.how = "direct"
        # a METH_FASTCALL wrapper converting in C: every 'fast' function, and the 'pointer'
        # ones whose by-value types are all structs or unions (not complex, long double)
        self.fast_c = self.how == "fast" or self.how == "pointer" and all(
            _fast_or_struct_arg(t) for t in fntype.args) and (
            _fast_result(fntype.result) or fntype.result.kind in (STRUCT, UNION))


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


# -- The parts of the C file ----
def emit_header(spec, limited=False):
    first = ["#define Py_LIMITED_API %s   /* set_source(py_limited_api=True): stable ABI */"
             % (LIMITED_API_VERSION,)] if limited else []
    return first + [
        "/* %s: the API-mode extension module %r." % (os.path.basename(_c_filename(spec)),
                                                     spec.module_name),
        " * Generated by purecffi.build.api_module from ffi.cdef() and ffi.set_source();",
        " * do not edit.  The helpers come first, then the set_source() code, verbatim;",
        " * what follows gives purecffi.apimode the facts only the C compiler knows. */",
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
        "#  define PC_CLASSIFY(x) __builtin_classify_type(x)  /* integer, float, pointer... */",
        "#else",
        "#  define PC_CLASSIFY(x) (-1)",
        "#endif",
        "#ifdef __cplusplus",
        "#  define _Bool bool               /* cdef() spells it the C way */",
        "#  define PC_ALIGNOF(t) alignof(t)",
        "#  define PC_ALIGNAS(t) alignas(t)",
        "#else",
        "#  define PC_ALIGNOF(t) _Alignof(t)",
        "#  define PC_ALIGNAS(t) _Alignas(t)",
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


def emit_fast_function(fn, limited=False, fills=None, arrays=None):
    """A METH_FASTCALL wrapper: exact ints/floats convert in C, anything else (or out of range)
    goes to the slow path (`self`: the ctypes-called function), which raises like ABI mode.
    `limited`: the same with the limited API only (no PyFloat_AS_DOUBLE, no vectorcall);
    `fills`: id(struct type) -> the helper filling it from a list, `arrays`: id(item type) ->
    the helper making a temporary array of a list's items (api_struct_fill.py)."""
    fntype = fn.fntype
    n = len(fntype.args)
    fills, arrays = fills or {}, arrays or {}
    lines = ["static PyObject *%sf_%s(PyObject *self, PyObject *const *args, Py_ssize_t nargs%s)"
             % (PREFIX, fn.name, _KWNAMES if n >= 2 else ""), "{"]
    structs = [i for i, t in enumerate(fntype.args) if t.kind in (STRUCT, UNION)]
    lists = [i for i, t in enumerate(fntype.args)
             if _fast_arg(t) == "pointer" and id(array_item(t)) in arrays]
    for i, ctype in enumerate(fntype.args):
        if i in structs:
            lines.append("    void *x%d;" % (i,))
            lines.append("    PyObject *k%d = NULL;" % (i,))
            if id(ctype) in fills:
                lines.append("    " + fill_variable(ctype, "s%d" % (i,)))
        elif _fast_arg(ctype) in ("pointer", "fnptr"):
            lines.append("    void *x%d;" % (i,))
            if i in lists:
                lines.append("    void *m%d = NULL;" % (i,))
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
    start = len(lines)
    for i, ctype in enumerate(fntype.args):
        if i in structs:
            other = "if"
            if id(ctype) in fills:              # a list or tuple of numbers, filled in C
                lines += ["    if (%s(args[%d], s%d) == 0)" % (fills[id(ctype)], i, i),
                          "        x%d = s%d;" % (i, i)]
                other = "else if"
            lines += ["    %s (_pc_struct_arg(args[%d], self, %d, &x%d, &k%d, sizeof(%s)) < 0)"
                      % (other, i, i, i, i, spell(ctype)), "        goto slow;"]
            continue
        if ctype.kind == FUNCTION:
            lines += ["    if (_pc_fnptr_arg(args[%d], self, %d, &x%d) < 0)" % (i, i, i),
                      "        goto slow;"]
            continue
        if _fast_arg(ctype) == "pointer":
            if limited:
                lines += ["    if (!PC_IS_CDATA(args[%d], self, %d) || "
                          "_pc_address_of(args[%d], &x%d) < 0)" % (i, i, i, i), "        goto slow;"]
            elif i in lists:                    # or a list or tuple: a temporary array
                lines += ["    if (_pc_pointer_arg(args[%d], self, %d, &x%d) < 0) {" % (i, i, i),
                          "        if (%s(args[%d], &m%d) < 0)" % (
                              arrays[id(array_item(ctype))], i, i),
                          "            goto slow;",
                          "        x%d = m%d;" % (i, i),
                          "    }"]
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
    if structs or lists:    # what the conversions refuse, the slow path refuses (in argument
        lines[start:] = [_to_slow(line) for line in lines[start:]]      # order), and frees
    call = "%s(%s)" % (fast_callee(fn.name), ", ".join(
        "*(%s)x%d" % (spell(t, "*"), i) if t.kind in (STRUCT, UNION) else
        "(%s)x%d" % (_cast_spell(fn.spellings, i, t), i) for i, t in enumerate(fntype.args)))
    lines += ["    errno_before = _pc_load_errno(&errno_space);",
              "    Py_BEGIN_ALLOW_THREADS",
              "    errno = errno_before;",
              "    %s%s;" % ("" if fntype.result.kind == VOID else "result = ", call),
              "    saved_errno = errno;",
              "    Py_END_ALLOW_THREADS",
              "    _pc_store_errno(errno_space, errno_before, saved_errno);"]
    lines += ["    Py_XDECREF(k%d);" % (i,) for i in structs]
    lines += ["    PyMem_Free(m%d);" % (i,) for i in lists]
    if fntype.result.kind == VOID:
        lines.append("    Py_RETURN_NONE;")
    elif _pointer_result(fntype.result):
        lines.append("    return _pc_pointer_result(self, (void *)result);")
    elif fntype.result.kind in (STRUCT, UNION):
        lines.append("    return _pc_struct_result(self, (const void *)&result, sizeof(result));")
    elif _special_kind(fntype.result):
        lines += _SPECIAL_RESULTS[_special_kind(fntype.result)]
    else:
        _, _, to_py = FAST_KINDS[_fast_kind(fntype.result)]
        temp = FAST_KINDS[_fast_kind(fntype.result)][0]
        lines.append("    return %s((%s)result);" % (to_py, temp))
    if n == 0:                  # no argument to convert: no slow path
        return lines + ["    (void)args;", "}", ""]
    lines += ["  slow:"] + ["    Py_XDECREF(k%d);" % (i,) for i in structs] + [
        "    PyMem_Free(m%d);" % (i,) for i in lists]
    if limited:
        lines += ["    return _pc_call_tuple(((_pc_fast_object *)self)->slow, args, nargs);",
                  "}", ""]
    else:
        lines += ["    return PyObject_Vectorcall(((_pc_fast_object *)self)->slow, args, "
                  "(size_t)nargs, NULL);",
                  "}", ""]
    return lines


def _to_slow(line):
    """A conversion line of a function taking structs or lists: an error it would raise goes
    to the slow path instead, which frees what was made and raises the first error in
    argument order (a struct or list argument before it may be refused there first)."""
    line = re.sub(r"return _pc_does_not_fit\(.*\);", "goto slow;", line)
    return line.replace("return NULL;", "PyErr_Clear(); goto slow;")


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
        if fn.fast_c:
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


def emit_init(spec, payload, runtime=False):
    """The module definition and its PyInit (`runtime`: the runtime's own module, which
    imports no `_cffi_backend` and declares nothing, build/speedups.py)."""
    short = spec.module_name.rsplit(".", 1)[-1]
    return [
        "static struct PyModuleDef %smodule = {" % (PREFIX,),
        "    PyModuleDef_HEAD_INIT, %s, NULL, -1, %smodule_defs," % (
            _c_string(spec.module_name), PREFIX),
        "    NULL, NULL, NULL, NULL",
        "};",
        "",
    ] + ([
        "/* the declarations of cdef(), for purecffi.apimode.load() */",
        "static const char %sdeclarations[] = %s;" % (PREFIX, _c_string_lines(payload)),
        "",
    ] if not runtime else []) + [
        "PyMODINIT_FUNC PyInit_%s(void)" % (short,),
        "{",
        "    PyObject *module, *facts, *apimode, *r;",
        "    module = PyModule_Create(&%smodule);" % (PREFIX,),
        "    if (module == NULL) return NULL;",
        "#ifdef Py_GIL_DISABLED   /* its caches that need the GIL are left out of such a build */",
        "    PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED);",
        "#endif",
        "    facts = _pc_facts();",
        "    if (facts == NULL) goto error;",
    ] + ([
        "    /* as cffi's modules, load the backend module where there is one (the drop-in's;",
        "       build tools that ship their own copy rewrite this import, as coincurve does) */",
        "    r = PyImport_ImportModule(\"_cffi_backend\");",
        "    if (r == NULL) PyErr_Clear(); else Py_DECREF(r);",
    ] if not runtime else []) + [
        "    apimode = PyImport_ImportModule(\"purecffi.apimode\");",
        "    if (apimode == NULL) { Py_DECREF(facts); goto error; }",
        "    r = PyObject_CallMethod(apimode, \"load\", \"OsN\", module, %sdeclarations, facts);"
        % (PREFIX,) if not runtime else
        "    r = PyObject_CallMethod(apimode, \"load\", \"OON\", module, Py_None, facts);",
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


def generate_c_source(ffi, spec, prelude=(), epilogue=(), limited=None, runtime=False):
    """The text of the C file (`prelude`/`epilogue`: lines the embedding builder adds before
    the set_source() code and at the end; `limited`: use only the limited API, by default
    when set_source(py_limited_api=True) asks for it, see uses_limited_api(); `runtime`: the
    runtime's own module, see emit_init())."""
    plan = collect(ffi, spec.module_name)
    if limited is None:
        limited = uses_limited_api(spec)
    # the helpers name no declaration: before the set_source() code, no macro of it can
    # change them; what follows it names only `_pc_` identifiers besides the declarations'
    lines = emit_header(spec, limited) + list(prelude) + emit_helpers(limited) + \
        emit_fast_type(limited) + emit_new(limited) + emit_from_buffer(limited) + \
        emit_string(limited) + emit_cast(limited) + emit_accel(limited)
    results = [fn.fntype.result for fn in plan.functions if fn.fast_c]
    pointers = any(_pointer_result(r) for r in results)
    structs = any(r.kind in (STRUCT, UNION) for r in results)
    if pointers or structs:
        lines += emit_result_renew(limited)
    if pointers:
        lines += emit_pointer_result(limited)
    if structs:
        lines += emit_struct_result(limited)
    if any(fn.fast_c and fn.how == "pointer" for fn in plan.functions):
        lines += emit_struct_arg(limited)
    if any(fn.fast_c and "fnptr" in map(_fast_arg, fn.fntype.args) for fn in plan.functions):
        lines += emit_fnptr_arg(limited)
    payload = declarations_payload(ffi)
    arguments = max([len(fn.fntype.args) for fn in plan.functions] +
                    [len(rawtype.args) for _, (rawtype, _) in plan.extern_python] + [0])
    lines += emit_user_source(spec) + emit_local_name_guard(payload, arguments)
    fast_args = [] if limited else [t for fn in plan.functions if fn.fast_c
                                    for t in fn.fntype.args]
    fills, fill_names = emit_struct_fills([t for t in fast_args if t.kind == STRUCT])
    arrays, array_names = emit_array_fills([array_item(t) for t in fast_args
                                            if _fast_arg(t) == "pointer" and array_item(t)])
    lines += fills + arrays
    for fn in plan.functions:
        if fn.how in ("fast", "direct"):
            lines += emit_direct_wrapper(fn)
        elif fn.how == "pointer":
            lines += emit_direct_wrapper(fn) + emit_pointer_wrapper(fn)
        if fn.fast_c:
            lines += emit_fast_function(fn, limited, fill_names, array_names)
    lines += emit_fast_table(plan, limited)
    lines += emit_extern_python(plan, limited)
    lines += emit_variable_addresses(plan)
    lines += emit_facts(plan, limited)
    lines += emit_module_functions(plan, limited)
    lines += emit_init(spec, payload, runtime)
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
