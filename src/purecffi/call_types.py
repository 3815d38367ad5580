"""ctypes types laid out like C types passed by value, and what libffi cannot pass by value."""
import ctypes
import threading

from . import platform as plat
from .convert import _UNKNOWN, prepare
from .ctype import (ARRAY, COMPLETED_PARTIAL, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, TYPES,
                    UNION, opaque_error)

__all__ = ["primitive_ctypes", "unsupported_by_value", "by_value_ctypes", "INT_CTYPES"]

_BY_VALUE_LOCK = threading.Lock()      # publishes each struct's by-value Structure class

INT_CTYPES = {(1, True): ctypes.c_int8, (1, False): ctypes.c_uint8,
               (2, True): ctypes.c_int16, (2, False): ctypes.c_uint16,
               (4, True): ctypes.c_int32, (4, False): ctypes.c_uint32,
               (8, True): ctypes.c_int64, (8, False): ctypes.c_uint64}

_MSG_TAIL = ("Such structs are only supported as %s if the function is 'API mode' and "
             "non-variadic (i.e. declared inside ffibuilder.cdef()+ffibuilder.set_source() "
             "and not taking a final '...' argument)")
_MSG_UNION = ("ctype '%s' not supported as %s by libffi.  Unions are only supported as %s if "
              "the function is 'API mode' and non-variadic (i.e. declared inside "
              "ffibuilder.cdef()+ffibuilder.set_source() and not taking a final '...' argument)")
_MSG_BITFIELDS = "ctype '%s' not supported as %s.  It is a struct with bit fields, which " \
                 "libffi does not support.  " + _MSG_TAIL
_MSG_PACKED = "ctype '%s' not supported as %s.  It is a 'packed' structure, with a different " \
              "layout than expected by libffi.  " + _MSG_TAIL
_MSG_ANONYMOUS = "ctype '%s' not supported as %s.  It is a struct declared with \"...;\", but " \
                 "the C calling convention may depend on the missing fields; or, it contains " \
                 "anonymous struct/unions.  " + _MSG_TAIL
_MSG_COMPLEX = ("ctype '%s' (size %d) not supported as %s (the support for complex types inside "
                "libffi is mostly missing at this point, so CFFI only supports complex types as "
                "arguments or return value in API-mode functions)")



def primitive_ctypes(ctype):
    """The ctypes simple type with the size and kind of a primitive or enum C type."""
    if ctype.kind == ENUM:
        ctype = ctype.base
    category = ctype.category
    if category == plat.INT:
        return INT_CTYPES[(ctype.byte_size, ctype.signed)]
    if category == plat.CHAR:
        return ctypes.c_char
    if category == plat.BOOL:
        return ctypes.c_bool
    if category == plat.WCHAR:
        return INT_CTYPES[(ctype.byte_size, ctype.signed)]
    if category == plat.FLOAT:
        return ctypes.c_float if ctype.byte_size == 4 else ctypes.c_double
    if category == plat.LONGDOUBLE:
        return ctypes.c_longdouble
    raise AssertionError(category)


def unsupported_by_value(ctype, role):
    """The exception for passing `ctype` by value as `role` through libffi, or None if fine."""
    kind = ctype.kind
    if kind in (STRUCT, UNION) and ctype._fields is None:      # opaque: cffi's words
        if role == "return value":
            return TypeError("result type '%s' is not yet initialized" % (ctype.cname,))
        return TypeError("ctype '%s' has incomplete type" % (ctype.cname,))
    if kind == UNION:
        return NotImplementedError(_MSG_UNION % (ctype.cname, role, role))
    if kind == PRIMITIVE:
        if not hasattr(ctype, "category"):
            return opaque_error(ctype)
        if ctype.category == plat.COMPLEX:
            return NotImplementedError(_MSG_COMPLEX % (ctype.cname, ctype.byte_size, role))
        return None
    if kind == ENUM:
        return opaque_error(ctype) if ctype.partial else None
    if kind == STRUCT:
        return _unsupported_struct(ctype, role)
    if kind == ARRAY:
        if not isinstance(ctype.length, int):
            return opaque_error(ctype)
        return unsupported_by_value(ctype.item, role)
    return None


def _unsupported_struct(ctype, role):
    if ctype._fields is None:
        return opaque_error(ctype)
    if ctype.partial or any(name.startswith("$") for name, _, _ in ctype._decl_fields):
        return NotImplementedError(_MSG_ANONYMOUS % (ctype.cname, role, role))
    # as cffi: a bit-field among the fields, then the first field libffi cannot pass (a
    # field's own problem is named "as argument").  Zero-length and flexible arrays are
    # passed with their real layout (cffi refuses them: see docs/design.md)
    if any(bitsize >= 0 and name for name, _, bitsize in ctype._decl_fields):
        return NotImplementedError(_MSG_BITFIELDS % (ctype.cname, role, role))
    for _, ftype, _ in ctype._decl_fields:          # (unnamed bit-fields are padding)
        inner = ftype.item if ftype.kind == ARRAY and ftype.length is None else ftype
        problem = unsupported_by_value(inner, "argument")
        if problem is not None:
            return problem
    if ctype.has_bitfields:
        return NotImplementedError(_MSG_BITFIELDS % (ctype.cname, role, role))
    if by_value_ctypes(ctype) is None:          # (a `...;` struct: fields not declared)
        message = _MSG_ANONYMOUS if ctype in COMPLETED_PARTIAL else _MSG_PACKED
        return NotImplementedError(message % (ctype.cname, role, role))
    return None


def by_value_ctypes(ctype):
    """The ctypes type laid out like `ctype` (a struct gets a Structure), or None if the layouts
    differ (packed structs).  Call unsupported_by_value() first."""
    if ctype.kind in (PRIMITIVE, ENUM):
        return primitive_ctypes(ctype)
    if ctype.kind in (POINTER, FUNCTION):
        return ctypes.c_void_p
    if ctype.kind == ARRAY:
        item = by_value_ctypes(ctype.item)
        return None if item is None else item * (ctype.length or 0)
    rt = prepare(ctype)
    if rt.by_value is not _UNKNOWN:
        return rt.by_value
    fields = []
    for index, (name, ftype, bitsize) in enumerate(ctype._decl_fields):
        if bitsize >= 0 and not name:
            continue                    # padding (see _unsupported_struct)
        if ftype.kind == ARRAY and ftype.length is None:
            ftype = TYPES.array(ftype.item, 0)
        field_ctypes = by_value_ctypes(ftype)
        if field_ctypes is None:
            return None
        fields.append(("f%d" % index, field_ctypes))
    structure = type("struct_" + ctype.name.lstrip("$"), (ctypes.Structure,),
                     {"_fields_": fields})
    if not _same_layout(ctype, structure):
        structure = None
    with _BY_VALUE_LOCK:        # the first one published wins: every caller must use the
        if rt.by_value is _UNKNOWN:     # same Structure class
            rt.by_value = structure
    return rt.by_value


def _same_layout(ctype, structure):
    """Does the natural ctypes layout match ours (it does not for packed structs)?"""
    if ctypes.sizeof(structure) != ctype.byte_size \
            or ctypes.alignment(structure) != ctype.byte_align:
        return False
    for index, (name, _, bitsize) in enumerate(ctype._decl_fields):
        if bitsize >= 0 and not name:
            continue
        if getattr(structure, "f%d" % index).offset != ctype.field(name).offset:
            return False
    return True
