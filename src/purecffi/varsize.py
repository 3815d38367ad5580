"""Variable-sized structs: a struct whose last field is `T data[]`, possibly nested in others.

`ffi.new("struct s *", init)` of such a struct (or of a struct containing one, at any depth)
allocates what the initializer needs: `byte_extent()` walks the initializer as the writer will,
and `write_var()` then writes it, giving each variable-sized array the length of its
initializer.  Through a pointer that was not allocated with a length (a cast, a nested struct),
`data` is a `T *` (cdata.py); writing a list to it, or to a global `T x[]`, writes as many items
as the list has (`write_items()`), as C would.
"""
from .cdatabase import CData
from .convert import (array_length_for, is_length, named_field, prepare, write_array,
                      write_field, write_items, write_struct)
from .convert_scalar import bad_init
from .ctype import ARRAY, STRUCT, UNION

__all__ = ["is_var_sized", "byte_extent", "write_var", "write_items"]


def _is_open_array(ctype):
    return ctype.kind == ARRAY and ctype.length is None


# -- Which types ----
def is_var_sized(ctype, _seen=()):
    """True for a struct/union with a `T x[]` field, or with a field (or array items) of such a
    struct/union, at any depth."""
    if ctype.kind == ARRAY:
        return is_var_sized(ctype.item, _seen)
    if ctype.kind not in (STRUCT, UNION) or ctype._fields is None or ctype in _seen:
        return False
    return any(_is_open_array(field.type) or is_var_sized(field.type, _seen + (ctype,))
               for _, field in ctype._fields if field.bitsize < 0)


# -- Size ----
def byte_extent(ctype, value):
    """Bytes needed from the start of a `ctype` to hold `value`, each variable-sized array as
    long as its initializer: for a struct, up to the end of its last byte used, which may be
    less than its sizeof (spec: `ffi.sizeof(p[0])` may be smaller than the type's)."""
    if ctype.kind in (STRUCT, UNION) and isinstance(value, (list, tuple, dict)):
        size, given = 0, set()
        for field, item in _initialized_fields(ctype, value):
            given.add(id(field))
            size = max(size, _field_end(field, item))
        for _, field in ctype._fields:
            if id(field) not in given:
                size = max(size, _field_end(field, _ABSENT))
        return size
    if ctype.kind == ARRAY and isinstance(value, (list, tuple)) and is_var_sized(ctype.item):
        item_size = ctype.item.byte_size
        size = max(ctype.byte_size, len(value) * item_size)
        for index, item in enumerate(value):
            if not isinstance(item, (list, tuple, dict, CData)):
                # refused when reached, before any count is checked (cffi's order)
                raise bad_init(ctype.item, "list or tuple or dict or struct-cdata", item)
            size = max(size, index * item_size + byte_extent(ctype.item, item))
        return size
    return max(ctype.byte_size, 0)


_ABSENT = object()


def _field_end(field, value):
    """Where a field initialized with `value` (or not) ends, from the start of its struct."""
    ftype = field.type
    if field.bitsize >= 0:
        return (field.bit_position + field.bitsize + 7) // 8
    if _is_open_array(ftype):
        if value is _ABSENT:
            return field.offset
        return field.offset + _open_length(ftype, value) * ftype.item.byte_size
    if value is not _ABSENT and is_var_sized(ftype):
        if ftype.kind == ARRAY:
            if not isinstance(value, (list, tuple, CData)):
                raise bad_init(ftype, "list or tuple", value)
        elif not isinstance(value, (list, tuple, dict, CData)):
            raise bad_init(ftype, "list or tuple or dict", value)
        return field.offset + max(byte_extent(ftype, value), ftype.byte_size)
    return field.offset + max(ftype.byte_size, 0)


def _open_length(ftype, value):
    """The length a `T x[]` field takes from `value`; 0 for a str or bytes it cannot take,
    which the writer refuses after the initializer's count was checked (cffi's order)."""
    if isinstance(value, (str, bytes)):
        try:
            return array_length_for(ftype, value)
        except TypeError:
            return 0
    return array_length_for(ftype, value)


def _initialized_fields(ctype, value):
    """Yield the (field, value) pairs of a list or dict initializer; as cffi's sizing, an
    unknown name or too many items are refused when reached (wrong values are left to the
    writer)."""
    if isinstance(value, dict):
        by_name = dict(ctype._fields)
        for name, item in value.items():
            field = named_field(ctype, name)
            if by_name.get(name) is field:
                yield field, item
        return
    fields = [field for _, field in ctype._fields if not field.flags & 1]
    yield from zip(fields, value)
    if len(value) > len(fields):
        raise ValueError("too many initializers for '%s' (got %d)" % (ctype.cname, len(value)))


# -- Writing ----
def write_var(ctype, address, value):
    """Write `value` into memory sized by byte_extent(): variable-sized arrays take the length
    of their initializer (an int only gives the length)."""
    if ctype.kind in (STRUCT, UNION) and isinstance(value, (list, tuple, dict)):
        write_struct(ctype, address, value, _write_var_field)
    elif ctype.kind == ARRAY and isinstance(value, (list, tuple)) and is_var_sized(ctype.item):
        if ctype.length is not None and len(value) > ctype.length:
            raise IndexError("too many initializers for '%s' (got %d)"
                             % (ctype.cname, len(value)))
        item_size = ctype.item.byte_size
        for index, item in enumerate(value):
            write_var(ctype.item, address + index * item_size, item)
    else:
        prepare(ctype).write(address, value)


def _write_var_field(field, base_address, value):
    ftype = field.type
    if field.bitsize < 0 and _is_open_array(ftype):
        if not is_length(value):
            write_array(ftype, base_address + field.offset, value,
                        array_length_for(ftype, value))
    elif field.bitsize < 0 and is_var_sized(ftype):
        write_var(ftype, base_address + field.offset, value)
    else:
        write_field(field, base_address, value)
