"""Arguments given as a list or tuple, filled in C by the fast wrappers.

`lib.f([3.0, 4.0])` for `double f(struct vec)`: a struct whose fields are all plain numbers is
filled in a local variable of the wrapper, one field per item in declaration order (missing
ones zero), without the runtime's converter.  `lib.g([1, 2, 3], 3)` for `long g(int *, int)`:
a temporary array of the items (PyMem_Malloc'ed, freed when the call returns), for a pointer
to a plain number type.  Only exact ints and floats are taken, each in its type's range:
anything else, or too many items, and the helper says so (-1, no exception set), and the
wrapper asks the runtime's converter, which gives cffi's errors.
"""
from ..ctype import POINTER, STRUCT
from .api_c_types import FAST_KINDS, _fast_kind, _range_check
from .c_text import PREFIX, spell, spellable

__all__ = ["fill_fields", "fill_variable", "emit_struct_fills", "array_item", "emit_array_fills"]


def fill_fields(ctype):
    """The [(name, field type)] of a struct the C code can fill from a list, or None: a
    spellable struct (not a union) of named plain-number fields, none a bit-field."""
    fields = ctype._decl_fields
    if ctype.kind != STRUCT or not fields or not spellable(ctype):
        return None
    if any(bits >= 0 or not name or "$" in name or _fast_kind(ftype) is None
           for name, ftype, bits in fields):
        return None
    return [(name, ftype) for name, ftype, _ in fields]


def emit_struct_fills(structs):
    """(lines, {id(ctype): helper name}): one helper per struct type of `structs` that
    fill_fields() takes, each `static int helper(PyObject *, void *)` returning 0 when it
    filled the struct's bytes, -1 (no exception set) for the runtime's converter to decide."""
    lines, names = [], {}
    for ctype in structs:
        fields = fill_fields(ctype)
        if fields is None or id(ctype) in names:
            continue
        name = names[id(ctype)] = "%sfill_%d" % (PREFIX, len(names))
        lines += _helper(name, ctype, fields)
    return lines, names


def _helper(name, ctype, fields):
    c_type = spell(ctype)
    lines = [
        "/* %s from a list or tuple of numbers (see api_struct_fill.py) */" % (c_type,),
        "static int %s(PyObject *_pc_o, void *_pc_out)" % (name,),
        "{",
        "    PyObject *_pc_item;",
        "    Py_ssize_t _pc_n;",
        "#ifdef Py_GIL_DISABLED   /* (a list may change under another thread: a tuple only) */",
        "    if (!PyTuple_Check(_pc_o))",
        "#else",
        "    if (!PyList_Check(_pc_o) && !PyTuple_Check(_pc_o))",
        "#endif",
        "        return -1;",
        "    _pc_n = PySequence_Fast_GET_SIZE(_pc_o);",
        "    if (_pc_n > %d)" % (len(fields),),
        "        return -1;",
        "    memset(_pc_out, 0, sizeof(%s));" % (c_type,)]
    for index, (field, ftype) in enumerate(fields):
        lines += ["    if (_pc_n > %d) {" % (index,),
                  "        _pc_item = PySequence_Fast_GET_ITEM(_pc_o, %d);" % (index,)]
        lines += ["        " + line for line in _field(c_type, field, ftype)]
        lines.append("    }")
    return lines + ["    return 0;", "}", ""]


def fill_variable(ctype, name):
    """The declaration of the bytes a helper fills: aligned as the struct, but no variable of
    its type (C++ cannot default-construct a struct with a `const` member)."""
    c_type = spell(ctype)
    return "PC_ALIGNAS(%s) unsigned char %s[sizeof(%s)];" % (c_type, name, c_type)


def array_item(ctype):
    """The item type of a pointer parameter the C code can take a list for, or None: a
    plain number (not char, _Bool nor an enum, which the runtime converts its own way)."""
    if ctype.kind != POINTER or _fast_kind(ctype.item) is None:
        return None
    return ctype.item


def emit_array_fills(items):
    """(lines, {id(item type): helper name}): one helper per item type of `items`, each
    `static int helper(PyObject *, void **)` setting a new PyMem_Malloc'ed array of the items
    of a list or tuple (the caller frees it), or returning -1 (no exception set)."""
    lines, names = [], {}
    for item in items:
        if id(item) in names:
            continue
        name = names[id(item)] = "%sarray_%d" % (PREFIX, len(names))
        lines += _array_helper(name, item)
    return lines, names


def _array_helper(name, item):
    c_item = spell(item)
    return [
        "/* a temporary array of %s from a list or tuple (see api_struct_fill.py) */" % (c_item,),
        "static int %s(PyObject *_pc_o, void **_pc_array)" % (name,),
        "{",
        "    PyObject *_pc_item;",
        "    Py_ssize_t _pc_n, _pc_i;",
        "    char *_pc_out;",
    ] + _ACCEPT_SEQUENCE + [
        "    _pc_out = (char *)PyMem_Malloc(_pc_n ? (size_t)_pc_n * sizeof(%s) : 1);" % (c_item,),
        "    if (_pc_out == NULL)",
        "        return -1;",
        "    for (_pc_i = 0; _pc_i < _pc_n; _pc_i++) {",
        "        _pc_item = PySequence_Fast_GET_ITEM(_pc_o, _pc_i);",
    ] + ["        " + line for line in _field(
        c_item, None, item, "_pc_out + _pc_i * sizeof(%s)" % (c_item,),
        "{ PyMem_Free(_pc_out); return -1; }")] + [
        "    }",
        "    *_pc_array = _pc_out;",
        "    return 0;",
        "}",
        ""]


# the start of a helper: `_pc_o` a list or tuple (exactly), of `_pc_n` items
_ACCEPT_SEQUENCE = [
    "#ifdef Py_GIL_DISABLED   /* (a list may change under another thread: a tuple only) */",
    "    if (!PyTuple_CheckExact(_pc_o))",
    "#else",
    "    if (!PyList_CheckExact(_pc_o) && !PyTuple_CheckExact(_pc_o))",
    "#endif",
    "        return -1;",
    "    _pc_n = PySequence_Fast_GET_SIZE(_pc_o);"]


def _field(c_type, field, ftype, target=None, fail="return -1;"):
    """The lines converting `_pc_item` into the field (written by memcpy: a `const` member
    is filled too), or at address `target`; `fail`: the statement giving up."""
    kind = _fast_kind(ftype)
    temp, to_c, _ = FAST_KINDS[kind]
    if kind[0] == "int":
        lines = ["%s _pc_v;" % (temp,),
                 "if (!PyLong_CheckExact(_pc_item))",
                 "    " + fail,
                 "_pc_v = %s(_pc_item);" % (to_c,),
                 "if (_pc_v == (%s)-1 && PyErr_Occurred()) {" % (temp,),
                 "    PyErr_Clear();",
                 "    " + fail,
                 "}",
                 "if (%s)" % (_range_check(ftype, "_pc_v"),),
                 "    " + fail]
    else:
        lines = ["double _pc_v;",
                 "if (PyFloat_CheckExact(_pc_item))",
                 "    _pc_v = PyFloat_AS_DOUBLE(_pc_item);",
                 "else if (PyLong_CheckExact(_pc_item)) {",
                 "    _pc_v = PyLong_AsDouble(_pc_item);",
                 "    if (_pc_v == -1.0 && PyErr_Occurred()) {",
                 "        PyErr_Clear();",
                 "        " + fail,
                 "    }",
                 "}",
                 "else",
                 "    " + fail]
    if target is None:
        target = "(char *)_pc_out + offsetof(%s, %s)" % (c_type, field)
    return ["{"] + ["    " + line for line in lines] + [
        "    {",
        "        %s = (%s)_pc_v;" % (spell(ftype, "_pc_f"), spell(ftype)),
        "        memcpy(%s, &_pc_f, sizeof(_pc_f));" % (target,),
        "    }",
        "}"]
