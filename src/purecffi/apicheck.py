"""API mode: where the cdef() and the C compiler disagree, and cffi's words for it.

The C module never fails to build because of such a disagreement: it reports what the compiler
knows (build/api_facts.py) and the runtime compares.  A struct whose cdef() layout is wrong
becomes unusable (its `layout_error` is raised by whatever needs its layout), a constant whose
value is wrong raises when it is read from `lib`; enumerators simply take the compiler's
values.  ffi.verify() raises the first disagreement at once, with the older wording of cffi's
verify() (`verify_message()`).
"""
from . import platform as plat
from .ctype import ARRAY, POINTER, STRUCT, UNION, UnknownNumberType
from .errors import CompiledFFIError

__all__ = ["Mismatches", "struct_differences", "partial_struct_differences", "number_error",
           "sized_enum_base", "by_value_error", "number_type_error", "names_a_number"]


# -- What differs ----
class Difference:
    """One number on which cdef() and the compiler disagree: `what` is 'field size',
    'field offset', 'total size' or 'total alignment' (structs), 'value' (constants, enum
    values) or 'size' (global variables)."""

    __slots__ = ("what", "field", "cdef_value", "c_value", "position")

    def __init__(self, what, field, cdef_value, c_value):
        self.what, self.field, self.position = what, field, 0
        self.cdef_value, self.c_value = cdef_value, c_value


# -- Kinds of fields ----
# what GCC's and clang's __builtin_classify_type() says of a field: an integer (C++: 3 for an
# enum, 4 for bool), or something else.  As cffi's build (whose C then does not compile), only
# a field cdef() declares as an integer is checked: a float, pointer, struct... in C is a
# mistake its size may not show.
_INTEGER_CLASSES = (1, 2, 3, 4)
_OTHER_CLASS_NAMES = {5: "a pointer or array", 8: "a floating-point number",
                      9: "a complex number", 12: "a struct", 13: "a union"}


def declares_integer(ftype):
    """Whether the compiler must find a field of cdef() type `ftype` to be an integer
    (integers and _Bool, not characters nor enums, as in cffi)."""
    if isinstance(ftype, UnknownNumberType):
        return not ftype.is_float
    return getattr(ftype, "category", None) in (plat.INT, plat.BOOL) and ftype.kind != "enum"


def kind_differences(declared, classes, names):
    """The Differences of kind between the fields `names` of cdef() types `declared` (name ->
    ctype) and the compiler's `classes` (in the order of `names`; -1 where unknown)."""
    return [Difference("field type", name, "an integer",
                       _OTHER_CLASS_NAMES.get(c_class, "of another kind"))
            for name, c_class in zip(names, classes or ())
            if c_class >= 0 and c_class not in _INTEGER_CLASSES and name in declared
            and declares_integer(declared[name])]


def struct_differences(ctype, layout, classes=None):
    """The Differences between an exact struct of cdef() and the compiler's `layout`
    (size, align, ((field, offset, sizes), ...)), in the order cffi reports them: every
    field's size, then every field's offset, then the total size and alignment; then the
    fields of another kind (`classes`: the compiler's, see kind_differences)."""
    size, align, fields = layout
    sizes, offsets = [], []
    for name, offset, level_sizes in fields:
        field = ctype.field(name)
        declared = field.type.byte_size
        if declared >= 0 and level_sizes and level_sizes[0] != declared and not (
                field.type.kind == "array" and field.type.length is None):
            sizes.append(Difference("field size", name, declared, level_sizes[0]))
        if offset != field.offset:
            offsets.append(Difference("field offset", name, field.offset, offset))
    out = sizes + offsets
    if size != ctype._size:
        out.append(Difference("total size", None, ctype._size, size))
    if align != ctype._align:
        out.append(Difference("total alignment", None, ctype._align, align))
    names = [name for name, _, _ in fields]
    return out + kind_differences({name: ctype.field(name).type for name in names}, classes,
                                  names)


def partial_struct_differences(ctype, layout, field_type, classes=None):
    """The Differences between the sizes (then the kinds) of the fields a partial struct of
    cdef() (`...;`) declares and the compiler's `layout`: cffi checks those too (the offsets
    and the total size are the compiler's).  `field_type(ftype, sizes)` is a declared field
    type with its `[...]` lengths filled in; bitfields and arrays of unknown length are not
    compared."""
    reported = {name: sizes for name, _, sizes in layout[2]}
    declared = {name: ftype for name, ftype, bits in ctype._decl_fields or ()
                if bits < 0 and not name.startswith("$")}
    kinds = kind_differences(declared, classes, [name for name, _, _ in layout[2]])
    out = []
    for name, ftype, bits in ctype._decl_fields or ():
        sizes = reported.get(name)
        if bits >= 0 or not sizes or name.startswith("$"):
            continue
        ftype = field_type(ftype, sizes)
        if ftype.kind == "array" and ftype.length is None:
            continue
        if 0 <= ftype.byte_size != sizes[0]:
            out.append(Difference("field size", name, ftype.byte_size, sizes[0]))
    return out + kinds


def _struct_message(cname, diff):
    """cffi's message for a struct the compiler lays out differently (raised on use)."""
    if diff.what == "field type":       # (no "...;" can help)
        return "%s: wrong type for field '%s' (cdef says %s, but C compiler says %s)" % (
            cname, diff.field, diff.cdef_value, diff.c_value)
    if diff.field is None:
        head = "wrong %s" % (diff.what,)
    else:
        head = "wrong %s for field '%s'" % (diff.what.split()[1], diff.field)
    return ("%s: %s (cdef says %d, but C compiler says %d). fix it or use \"...;\" as the "
            "last field in the cdef for %s to make it flexible"
            % (cname, head, diff.cdef_value, diff.c_value, cname))


def _verify_struct_message(cname, diffs):
    """ffi.verify()'s message: total size and alignment first, then field by field."""
    def rank(diff):
        order = ("total size", "total alignment")
        if diff.what in order:
            return (order.index(diff.what), 0, 0)
        return (2, diff.position, diff.what != "field offset")
    diff = min(diffs, key=rank)
    if diff.what == "field type":
        return "%s: wrong type for field '%s' (we have %s, but C compiler says %s)" % (
            cname, diff.field, diff.cdef_value, diff.c_value)
    if diff.field is None:
        head = "wrong %s" % (diff.what,)
    else:
        head = "wrong %s for field '%s'" % (diff.what.split()[1], diff.field)
    return "%s: %s (we have %d, but C compiler says %d)" % (cname, head, diff.cdef_value,
                                                            diff.c_value)


def _verify_partial_message(names, diff):
    """ffi.verify()'s message for a partial struct with a field of another size."""
    cname, name = names
    shown = cname if cname.startswith(("struct ", "union ")) else "anonymous " + cname
    if diff.what == "field type":
        return "%s: field '%s.%s' is declared as %s, but is really %s" % (
            shown, name, diff.field, diff.cdef_value, diff.c_value)
    return "%s: field '%s.%s' is declared as %d bytes, but is really %d bytes" % (
        shown, name, diff.field, diff.cdef_value, diff.c_value)


def _constant_message(name, c_value):
    """cffi's message for a constant whose cdef() value is wrong (raised when read)."""
    shown = "%d" % (c_value,) if c_value < 0 else "%d (0x%x)" % (c_value, c_value)
    return "the C compiler says '%s' is equal to %s, but the cdef disagrees" % (name, shown)


# -- The record of one module ----
class Mismatches:
    """Every disagreement found while loading a module: `names` maps lib names that must
    raise when used to their message; `records` keeps (kind, name, differences) in the order
    found, for ffi.verify()."""

    def __init__(self):
        self.names = {}
        self.records = []

    def struct(self, ctype, diffs, partial=False):
        """An exact struct laid out differently by the compiler, or a `partial` one with
        fields of other sizes: unusable from now on."""
        for position, diff in enumerate(diffs):
            diff.position = position
        if partial:     # verify() names the field as the struct's own 'name.field'
            self.records.append(("partial", (ctype.cname, ctype.name), diffs))
        else:
            self.records.append(("struct", ctype.cname, diffs))
        ctype._forget_runtime()
        ctype.layout_error = _struct_message(ctype.cname, diffs[0])

    def contained(self, ctype, inner):
        """A struct with a field of the unusable struct `inner`: unusable too."""
        ctype._forget_runtime()
        ctype.layout_error = inner.layout_error

    def constant(self, name, value, c_value):
        """`#define X 5`, `static const int X = 5;` or `int X = 5;` with another value in C."""
        self.records.append(("constant", name, [Difference("value", None, value, c_value)]))
        self.names[name] = _constant_message(name, c_value)

    def enumerator(self, enum_name, name, value, c_value):
        """An enum value that differs: the compiler's is used (only verify() complains)."""
        self.records.append(("enum", (enum_name, name),
                             [Difference("value", None, value, c_value)]))

    def variable(self, name, size, c_size):
        """A global variable whose cdef() type has another size than the real one."""
        self.records.append(("variable", name, [Difference("size", None, size, c_size)]))
        self.names[name] = ("global variable '%s': wrong size (cdef says %d, but C compiler "
                            "says %d)" % (name, size, c_size))

    def verify_message(self):
        """The first disagreement as ffi.verify() words it, or None (cffi's verify() does
        not compare the sizes of global variables: it reads them with the cdef() type)."""
        for kind, name, diffs in self.records:
            if kind == "struct":
                return _verify_struct_message(name, diffs)
            if kind == "partial":
                return _verify_partial_message(name, diffs[0])
            value, c_value = diffs[0].cdef_value, diffs[0].c_value
            if kind == "constant":
                return "%s has the real value %d, not %d" % (name, c_value, value)
            if kind == "enum":
                return "%s: %s has the real value %d, not %d" % (name + (c_value, value))
        return None


class Mismatched:
    """What `lib.X` holds for a constant or global the compiler contradicts: reading it
    raises ffi.error with the message (a data descriptor, as globals are)."""

    __slots__ = ("message",)

    def __init__(self, message):
        self.message = message

    def __get__(self, lib, cls=None):
        if lib is None:
            return self
        raise CompiledFFIError(self.message)

    def __set__(self, lib, value):
        raise CompiledFFIError(self.message)


# -- Numbers and enums ----
_INT_NAMES = {1: "int8_t", 2: "int16_t", 4: "int32_t", 8: "int64_t"}


def number_error(ctype, size, is_float):
    """Why the `typedef int.../float... t` cannot be what the compiler reported, or None."""
    if ctype.is_float:
        if size == 16 or (is_float and size > 8):
            return ("primitive floating-point type is 'long double', not supported for now "
                    "with the syntax 'typedef double... xxx;'")
        if not is_float or size not in (4, 8):
            return "primitive floating-point type with an unexpected size (or not a float " \
                   "type at all)"
        return None
    if is_float or size not in _INT_NAMES:
        return "primitive integer type with an unexpected size (or not an integer type at all)"
    return None


def sized_enum_base(name, size, values, signed=None):
    """The name of the integer type under an enum of `size` bytes (as the compiler chose),
    signed as the compiler says (`signed`) or, if unknown, when a value is negative; `name`
    (from the values alone) when that size and signedness fit."""
    from .ctype import TYPES
    if size is None or size not in _INT_NAMES:
        return name
    if signed is None:
        signed = any(v < 0 for v in values)
    base = TYPES.primitive(name)
    if base.byte_size == size and base.signed == signed:
        return name
    return _INT_NAMES[size] if signed else "u" + _INT_NAMES[size]


# -- Types the compiler contradicted, in signatures ----
def by_value_error(fntype):
    """The layout error of a struct or union `fntype` takes or returns by value, or None
    (an extern "Python" function of such a type raises when named, and the address of any
    such function, as cffi's)."""
    for ctype in (fntype.result,) + tuple(fntype.args):
        error = getattr(ctype, "layout_error", None) if ctype.kind in (STRUCT, UNION) else \
            number_type_error(ctype)
        if error is not None:
            return error
    return None


def number_type_error(ctype):
    """The error of a `typedef int.../float... t` the compiler contradicts that `ctype` is,
    points to or holds (as array items), or None."""
    while ctype.kind in (POINTER, ARRAY) and not isinstance(ctype, UnknownNumberType):
        ctype = ctype.item
    return ctype.layout_error if isinstance(ctype, UnknownNumberType) else None


def names_a_number(fntype):
    """Whether a function type names a `typedef int.../float... t` (its result, arguments
    or what they point to): the C file lists those functions in `facts["redoc"]`."""
    for ctype in (fntype.result,) + tuple(fntype.args):
        while ctype.kind in (POINTER, ARRAY) and not isinstance(ctype, UnknownNumberType):
            ctype = ctype.item
        if isinstance(ctype, UnknownNumberType):
            return True
    return False
