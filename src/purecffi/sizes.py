"""The size of a cdata's memory (ffi.sizeof and ffi.buffer of a cdata) and unknown-size errors."""
from . import cdata as _cd
from .ctype import VOID, opaque_error
from .memory import owned_size

SIZES_KEY = object()    # the key in FFI._types of {cdecl: size} (FFI.sizeof's, API mode's C)


def _cdata_size(cdata):
    if isinstance(cdata, _cd.CData) and cdata._array:
        if cdata._length is None:
            raise TypeError("cdata '%s' has an unknown length" % (cdata._ctype.cname,))
        return cdata._length * cdata._ctype.item.byte_size
    if isinstance(cdata, _cd.CData) and cdata._struct and cdata._owning:
        return owned_size(cdata._keep)
    size = cdata._ctype.byte_size
    if size < 0:
        raise _unknown_size(cdata._ctype)
    return size


def sizeof_cdata(cdata):
    """ffi.sizeof() of a cdata: its memory's size; an opaque struct or union (read through a
    pointer) is -1, as cffi says."""
    if cdata._struct:
        ctype = cdata._ctype
        if ctype._fields is None and ctype.layout_error is None:
            return -1
    return _cdata_size(cdata)


def _unknown_size(ctype, what="size"):
    if ctype.is_opaque() and ctype.kind != VOID:
        return opaque_error(ctype, ValueError)
    return ValueError("ctype '%s' is of unknown %s" % (ctype.cname, what))
