"""The facts part of the API-mode C module: `_pc_facts()` builds a dict of what only the C
compiler knows (addresses, layouts, sizes, values), for `purecffi.apimode.load()`.

Nothing here checks the cdef() against the C code at compile time: a declaration that
disagrees with the compiler must not stop the module from building (the mismatched type may
never be used).  The runtime compares the facts with the cdef() and reports a mismatch when
the type, constant or variable is used (apicheck.py, docs/design.md "API mode").
"""
from .. import platform as plat
from ..ctype import ARRAY, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, UNION
from .c_text import PREFIX, c_string, spell, spellable

__all__ = ["builtin_functions", "emit_facts", "emit_variable_addresses"]


# -- Sizes of array levels ----
def _array_sizes(expr, ctype):
    """C expressions of sizeof(expr), sizeof(expr[0]), ... as deep as `[...]` lengths need
    (0 for an outermost `[]`, whose size C does not know).  Only sizeof(expr) otherwise: the
    real C type may not be an array at all (the runtime then reports the wrong size)."""
    depth, level, item = 0, 0, ctype
    while item.kind == ARRAY:
        level += 1
        if item.length is Ellipsis:
            depth = level
        item = item.item
    sizes = []
    for level in range(depth + 1):
        if level == 0 and ctype.kind == ARRAY and ctype.length is None:
            sizes.append("0")
        else:
            sizes.append("sizeof(%s%s)" % (expr, "[0]" * level))
    return sizes


def _sizes_tuple(sizes):
    """A Py_BuildValue format and arguments for a tuple of sizes."""
    return "(" + "n" * len(sizes) + ")", ", ".join("(Py_ssize_t)" + e for e in sizes)


# -- Structs ----
def reported_fields(ctype):
    """(name, ctype, bitfield) of the fields whose layout the compiler reports: for a struct
    with `...`, its declared fields and the members of its anonymous structs/unions (where
    they are placed; cdef() refuses bitfields in the struct itself, as cffi), or for an
    anonymous member of bitfields only, its first one (`bitfield` is that CField, else None);
    for an exact one, every named field, members of anonymous structs/unions included (C
    names them directly), bitfields left out."""
    if ctype.partial:
        return [item for name, ftype, _ in ctype._decl_fields or () if name
                for item in ([(name, ftype, None)] if not name.startswith("$") else
                             _anonymous_leaves(ftype))]
    return [(name, field.type, None) for name, field in ctype.fields
            if not name.startswith("$") and field.bitsize < 0]


def _anonymous_leaves(ftype):
    """reported_fields() of an anonymous member: its plain fields, or its first bitfield."""
    leaves = [(n, f.type, None) for n, f in ftype.fields or () if f.bitsize < 0]
    if not leaves:
        leaves = [(n, f.type, f) for n, f in ftype.fields or () if f.bitsize > 0][:1]
    return leaves


def fact_key(ctype):
    """The key of a struct's layout: its spelling in the loaded module, where a struct with a
    tag is `struct tag` even when a typedef names it (serialize's `tag_names`)."""
    if ctype.name.startswith("$"):
        return ctype.cname
    from ..serialize import tag_spelling
    return tag_spelling(ctype)


def emit_struct_fact(ctype, ctext, limited=False):
    """layouts[cname] = (size, align, ((field, offset, sizes of each array level), ...)) and
    kinds[cname] = (the compiler's class of each of those fields, -1 for a bitfield or where
    unknown: see apicheck.kind_differences); `ctext` spells the type in C (its name, or
    PC_TYPEOF(...) for an anonymous one)."""
    fields, classes = [], []
    for name, ftype, bitfield in reported_fields(ctype):
        classes.append("-1" if bitfield is not None else
                       "PC_CLASSIFY(((%s *)0)->%s)" % (ctext, name))
        if bitfield is not None:
            fields.append(_bitfield_byte(ctext, name, bitfield))
            continue
        fmt, sizes = _sizes_tuple(_array_sizes("((%s *)0)->%s" % (ctext, name), ftype))
        fields.append(["    _pc_item = Py_BuildValue(\"(sn%s)\", %s, "
                       "(Py_ssize_t)offsetof(%s, %s), %s);"
                       % (fmt, c_string(name), ctext, name, sizes)])
    lines = ["    _pc_fields = PyTuple_New(%d);" % (len(fields),),
             "    if (_pc_fields == NULL) goto error;"]
    for i, item in enumerate(fields):
        lines += item + ["    if (_pc_item == NULL) goto error;",
                  ("    if (PyTuple_SetItem(_pc_fields, %d, _pc_item) < 0) { _pc_item = NULL; "
                   "goto error; }" if limited else
                   "    PyTuple_SET_ITEM(_pc_fields, %d, _pc_item);") % (i,)]
    lines += ["    if (_pc_put(_pc_t_layouts, %s, Py_BuildValue(\"(nnN)\", (Py_ssize_t)sizeof(%s), "
              "(Py_ssize_t)PC_ALIGNOF(%s), _pc_fields)) < 0) { _pc_fields = NULL; goto error; }"
              % (c_string(fact_key(ctype)), ctext, ctext), "    _pc_fields = NULL;",
              "    if (_pc_put(_pc_t_kinds, %s, Py_BuildValue(\"(%s)\"%s)) < 0) goto error;"
              % (c_string(fact_key(ctype)), "i" * len(classes),
                 "".join(", " + c for c in classes))]
    if "PC_TYPEOF" in ctext:
        lines = ["#ifdef PC_TYPEOF"] + lines + ["#endif"]
    return lines


def _bitfield_byte(ctext, name, field):
    """C lines setting `_pc_item` to (name, the first byte a 1 stored in bitfield `name` of a
    zeroed struct sets, None): where the compiler puts a bitfield, which offsetof() cannot say
    (a signed 1-bit field holds -1)."""
    one = "-1" if field.bitsize == 1 and getattr(field.type, "signed", False) else "1"
    return ["    {",
            "        %s _pc_probe;" % (ctext,),
            "        size_t _pc_at = 0;",
            "        memset(&_pc_probe, 0, sizeof(_pc_probe));",
            "        _pc_probe.%s = %s;" % (name, one),
            "        while (_pc_at < sizeof(_pc_probe) && !((unsigned char *)&_pc_probe)[_pc_at])",
            "            _pc_at++;",
            "        _pc_item = Py_BuildValue(\"(snO)\", %s, (Py_ssize_t)_pc_at, Py_None);"
            % (c_string(name),),
            "    }"]


def collect_structs(decls, included):
    """(ctype, C spelling) of every struct/union whose layout the C file reports: those with
    a name or typedef, and the anonymous ones reached from them through fields or from a
    pointer typedef, spelled `PC_TYPEOF(((struct s *)0)->field)` or `PC_TYPEOF(*(p_t)0)`
    (GNU C and C++ only: elsewhere they keep layout.py's layout, and `...` in them stays
    unknown).  Those of the `included` Declarations are left to their own modules."""
    from ..apimode import reachable_structs
    foreign = {id(t) for t in reachable_structs(
        [t for other in included for t in other.types.values()])}
    found, order = {}, []

    def add(ctype, ctext):
        if id(ctype) in found or id(ctype) in foreign or ctype.fields is None:
            return
        found[id(ctype)] = ctext
        order.append(ctype)
        for name, ftype, _ in ctype._decl_fields or ():
            if not name or name.startswith("$"):
                continue        # members of anonymous members: reached through the outer
            level, item = "", ftype
            while item.kind == ARRAY:
                level, item = level + "[0]", item.item
            if item.kind in (STRUCT, UNION) and not spellable(item):
                add(item, "PC_TYPEOF(((%s *)0)->%s%s)" % (ctext, name, level))

    for key, ctype in sorted(decls.types.items()):
        if ctype.kind in (STRUCT, UNION) and spellable(ctype):
            add(ctype, ctype.cname)
        elif ctype.kind == POINTER and ctype.item.kind in (STRUCT, UNION) and \
                not spellable(ctype.item):
            add(ctype.item, "PC_TYPEOF(*(%s)0)" % (key,))
    return [(ctype, found[id(ctype)]) for ctype in order]


# -- Variables ----
def emit_variable_addresses(plan):
    """`_pc_variable_address(i)`: the address of global variable i, computed at each access
    (so thread-local variables and macros like `#define v (*get_v())` work, spec 8.7).  No
    typed pointer: the runtime compares the reported sizes with the cdef() instead."""
    lines = ["static void *_pc_variable_address(long _pc_index)", "{",
             "    switch (_pc_index) {"]
    for index, (name, (ctype, _)) in enumerate(plan.variables):
        # an array is its own address (a macro may stand for a pointer: `#define a (p)`)
        address = "(%s)" if ctype.kind == ARRAY else "&(%s)"
        lines.append("    case %d: return (void *)%s;" % (index, address % (name,)))
    lines += ["    default: return NULL;", "    }", "}", ""]
    return lines


def emit_variable_fact(index, name, ctype):
    """variables[name] = (index for _pc_address(), sizes of each array level)."""
    fmt, sizes = _sizes_tuple(_array_sizes(name, ctype))
    return ["    if (_pc_put(_pc_t_variables, %s, Py_BuildValue(\"(i%s)\", %d, %s)) < 0) "
            "goto error;"
            % (c_string(name), fmt, index, sizes)]


def collect_array_typedefs(decls, included):
    """The names of the typedefs of arrays with a `[...]` length (`typedef int t[...];`),
    whose sizes the C file reports (an included module reports its own)."""
    foreign = {name for other in included for name in other.types}
    found = []
    for name, ctype in sorted(decls.types.items()):
        item = ctype
        while item.kind == ARRAY and item.length is not Ellipsis:
            item = item.item
        if item.kind == ARRAY and name not in foreign:
            found.append(name)
    return found


def emit_array_typedef_fact(name, ctype):
    """typedefs[name] = sizes of each array level of the type, as for variables."""
    fmt, sizes = _sizes_tuple(_array_sizes("(*(%s *)0)" % (name,), ctype))
    return ["    if (_pc_put(_pc_t_typedefs, %s, Py_BuildValue(\"%s\", %s)) < 0) goto error;"
            % (c_string(name), fmt, sizes)]


# -- Constants, enums, numbers ----
def _is_integer_constant(ctype):
    """Whether a constant of this type is reported as a Python int."""
    if ctype is None or ctype.kind == ENUM:
        return True
    return ctype.kind == PRIMITIVE and getattr(ctype, "category", None) in (
        plat.INT, plat.CHAR, plat.BOOL, plat.WCHAR, None) and not getattr(ctype, "is_float",
                                                                        False)


def emit_constant_fact(name, ctype):
    """The value of `#define X ...`, `static const T X;`, enum values, as C computes it."""
    key = c_string(name)
    if _is_integer_constant(ctype):
        return ["    if (_pc_put(_pc_t_constants, %s, PC_INT(%s)) < 0) goto error;" % (key, name)]
    if ctype.kind == PRIMITIVE and (getattr(ctype, "category", None) == plat.FLOAT
                                    or getattr(ctype, "is_float", False)):
        return ["    if (_pc_put(_pc_t_constants, %s, PyFloat_FromDouble((double)(%s))) < 0) "
                "goto error;" % (key, name)]
    if ctype.kind in (POINTER, FUNCTION):
        return ["    if (_pc_put(_pc_t_constants, %s, PC_ADDRESS(%s)) < 0) goto error;"
                % (key, name)]
    # anything else: the bytes of the value (a plain local: a static one would need a
    # constant initializer, which a const object is not in ISO C)
    return ["    { %s = %s;" % (spell(ctype, "_pc_copy"), name),
            "      if (_pc_put(_pc_t_constants, %s, PyBytes_FromStringAndSize((const char *)"
            "&_pc_copy, sizeof(_pc_copy))) < 0) goto error; }" % (key,)]


def _reported_constant(ctype, value):
    """Whether the C file reports the constant's value: always, except non-integer values
    that cdef() already gives (the runtime then uses cdef()'s)."""
    return value is Ellipsis or _is_integer_constant(ctype) or not isinstance(
        value, (int, float))


def emit_enum_fact(ctype):
    """enums[cname] = (sizeof(enum), signed): the compiler may choose a larger type than
    int, and a signed one for a negative value cdef() does not list."""
    return ["    if (_pc_put(_pc_t_enums, %s, Py_BuildValue(\"(ni)\", (Py_ssize_t)sizeof(%s), "
            "PC_ENUM_SIGNED(%s))) < 0) goto error;"
            % (c_string(ctype.cname), ctype.cname, ctype.cname)]


def emit_number_fact(name):
    """(size, signed, is_float) of a `typedef int... t;` / `typedef float... t;`."""
    # 0.5 survives only in a floating type (it becomes 0, or 1 for _Bool, in the others)
    return ["    if (_pc_put(_pc_t_numbers, %s, Py_BuildValue(\"(nii)\", (Py_ssize_t)sizeof(%s), "
            "(int)((%s)-1 < (%s)1), (int)((%s)0.5 != 0 && (%s)0.5 != 1))) < 0) goto error;"
            % (c_string(name), name, name, name, name, name)]


# -- Functions ----
def emit_function_fact(fn):
    """functions[name] = (how, address to call, address for ffi.addressof / function pointers)"""
    if fn.how == "variadic":
        called = pointer = "PC_ADDRESS(&%s)" % (fn.name,)
    else:
        pointer = "PC_ADDRESS(&%sd_%s)" % (PREFIX, fn.name)
        called = "PC_ADDRESS(&%sp_%s)" % (PREFIX, fn.name) if fn.how == "pointer" else pointer
    return ["    if (_pc_put(_pc_t_functions, %s, Py_BuildValue(\"(sNN)\", %s, %s, %s)) < 0) "
            "goto error;"
            % (c_string(fn.name), c_string(fn.how), called, pointer)]


# -- The facts builder ----
_TABLES = ("functions", "variables", "constants", "layouts", "kinds", "numbers", "enums",
           "extern_python", "fast", "redoc", "typedefs")
# the C variables holding them (prefixed, as every name _pc_facts() declares: a global,
# constant or enumerator of the user's may have any other name)
_TABLE_VARIABLES = tuple(PREFIX + "t_" + name for name in _TABLES)


def builtin_functions(plan):
    """The functions `lib` shows as built-in functions (as cffi's lib does): all but the
    variadic ones (function-pointer cdata, as in cffi).  Their order is the fast table's."""
    return [fn for fn in plan.functions if fn.how != "variadic"]


def emit_facts(plan, limited=False):
    """`_pc_facts()`: a new dict of dicts, one per kind of fact (see apimode's docstring)."""
    lines = ["static PyObject *_pc_facts(void)", "{",
             "    PyObject *_pc_dict = NULL, *_pc_fields = NULL, *_pc_item = NULL;",
             "    PyObject *%s;" % (", *".join(_TABLE_VARIABLES),),
             "    (void)_pc_item;",
             "    _pc_dict = Py_BuildValue(\"{%s}\", %s);" % (
                 "s{}" * len(_TABLES), ", ".join(c_string(t) for t in _TABLES)),
             "    if (_pc_dict == NULL) return NULL;"]
    for name in _TABLES:
        lines.append("    _pc_t_%s = PyDict_GetItemString(_pc_dict, \"%s\");" % (name, name))
    for fn in plan.functions:
        lines += emit_function_fact(fn)
    from ..apicheck import names_a_number
    for index, fn in enumerate(builtin_functions(plan)):
        lines.append("    if (_pc_put(_pc_t_fast, %s, PyLong_FromLong(%d)) < 0) goto error;"
                     % (c_string(fn.name), index))
        if names_a_number(fn.fntype):   # its docstring is made at load (apimode)
            lines.append("    if (_pc_put(_pc_t_redoc, %s, PyLong_FromLong(1)) < 0) goto error;"
                         % (c_string(fn.name),))
    for index, (name, (ctype, _)) in enumerate(plan.variables):
        lines += emit_variable_fact(index, name, ctype)
    for name, (ctype, value) in plan.constants:
        if _reported_constant(ctype, value):
            lines += emit_constant_fact(name, ctype)
    for ctype, ctext in plan.structs:
        lines += emit_struct_fact(ctype, ctext, limited)
    for ctype in plan.enums:
        lines += emit_enum_fact(ctype)
    for name, _ in plan.numbers:
        lines += emit_number_fact(name)
    for name in plan.array_typedefs:
        lines += emit_array_typedef_fact(name, plan.decls.types[name])
    for index, (name, _) in enumerate(plan.extern_python):
        lines.append("    if (_pc_put(_pc_t_extern_python, %s, Py_BuildValue(\"(iN)\", %d, "
                     "PC_ADDRESS(&%s))) < 0) goto error;" % (c_string(name), index, name))
    lines += ["#ifdef PC_VERIFY     /* (ffi.verify()'s structs keep their flags, as cffi's) */",
              "    if (_pc_put(_pc_dict, \"verify\", PyLong_FromLong(1)) < 0) goto error;",
              "#endif"]
    lines.append("    (void)_pc_save_errno; (void)_pc_is_cdata; (void)_pc_address_of;")
    if limited:
        lines.append("    (void)_pc_is_cdata_of; (void)_pc_call_tuple;")
    else:
        lines.append("    (void)_pc_pointer_arg;")
    lines += ["    %s;" % ("; ".join("(void)" + t for t in _TABLE_VARIABLES),),
              "    return _pc_dict;",
              "  error:",
              "    Py_XDECREF(_pc_fields);",
              "    Py_DECREF(_pc_dict);",
              "    return NULL;", "}", ""]
    return lines


def collect_enums(decls, foreign_types):
    """The named enums whose size the C file reports."""
    seen, enums = set(), []
    for _, ctype in sorted(decls.types.items()):
        if ctype.kind == ENUM and spellable(ctype) and id(ctype) not in foreign_types and \
                id(ctype) not in seen and (ctype._relements or ctype.partial):
            seen.add(id(ctype))
            enums.append(ctype)
    return enums
