"""Which of cffi's cdata classes a cdata would be: where cffi's messages name the type of a
Python object (a char or wchar_t initializer of the wrong kind, a bit-field value, the length
of a new array, a buffer item), a cdata is named by its class, not its C type ("must be a
bytes of length 1, not _cffi_backend.__CDataOwn").  Only error paths ask
(`cdatabase.cffi_type_name()`)."""
from . import cdatabase
from .gcref import GcRef, holds_gc
from .ownership import _holds_export
from .cdata_value import ValueCData
from .ctype import POINTER, STRUCT, UNION
from .memory import BufferExport, Owned

__all__ = ["cffi_class_name"]


def cffi_class_name(value):
    """'_CDataBase', '__CDataOwn' (ffi.new()), '__CDataGCP' (ffi.gc()), '__CDataFromBuf'
    (ffi.from_buffer()) or '__CDataOwnGC' (ffi.callback(), ffi.new_handle()): cffi's class of
    a cdata like `value`.  What derives from one of these (a slice, `p + 1`, a cast, an item
    of an array) is a plain '_CDataBase', as in cffi."""
    cls = type(value)
    if isinstance(value, ValueCData):
        return cls.__name__                 # ('_CDataBase', or '__CDataGCP' of ffi.gc())
    named = getattr(cls, "_cffi_class_name", None)
    if named is not None:
        return named
    if value._owning:
        # a custom allocator's memory (Owned) is cffi's ffi.gc() of it, but for a pointer to
        # a struct or union
        if getattr(value, "_keep", None).__class__ is Owned and not (
                value._ctype.kind == POINTER and value._ctype.item.kind in (STRUCT, UNION)):
            return "__CDataGCP"
        return "__CDataOwn"
    keep = getattr(value, "_keep", None)
    if isinstance(keep, GcRef) and holds_gc(value, keep):
        return "__CDataGCP"
    if (keep.__class__ is BufferExport or keep.__class__ is memoryview) and \
            getattr(value, "_address", False) and _holds_export(value, keep):
        return "__CDataFromBuf"
    return "_CDataBase"


cdatabase.CFFI_CLASS_NAME[0] = cffi_class_name
