"""`ffi.from_buffer()`: a cdata array (or pointer) over the memory of a Python buffer object.

The cdata holds an export of the source's buffer as `_keep` (so the source stays alive, and a
`bytearray` cannot be resized under it) until it dies or `ffi.release()`/`with` releases it.

Two routes, both without a call frame beyond the method itself where they can:
  * an open array type seen before (`ffi._open_arrays`: cdecl -> (cdata class, ctype, item
    size); other types are filed there as (None, ctype, 0)), and a non-empty, C-contiguous
    source that is not a memoryview: the export is a
    plain `memoryview` of the source (its `obj` is the source: the repr names it), and the
    address is read from the view object (`memory._ADDRESSES`), or from the `bytes` object;
    the cdata is built in place (no `__init__`).  `bytearray` and `bytes` come first.  An API
    module's `ffi.from_buffer` does the bytearray/bytes part of this in C
    (build/api_from_buffer.py), from the same `_open_arrays`.
  * everything else: `memory.BufferExport` (its `ctype` tells the cdata made over it from a
    cast or slice of it), whose own fast paths avoid ctypes for `bytes` and for any
    contiguous buffer a memoryview can take; errors are PyObject_GetBuffer's, as cffi's.
The repr names the object the exporter puts in the export (`view.obj`), as cffi's does: the
source, but for a PickleBuffer the object under it.  The export of a memoryview source is taken
of the memoryview itself (a memoryview of a PickleBuffer of it), so that it cannot be released
under the cdata, as with cffi.
"""
import operator

from .buffer import buffer as _ffi_buffer
from .cdatabase import CData, cffi_type_name
from .convert import prepare
from .ctype import ARRAY, POINTER
from .memory import _ADDRESSES, _BYTES_DATA_OFFSET, _PTR_SHIFT, _VIEW_BUF_OFFSET, BufferExport
from .memory import PickleBuffer as _PickleBuffer

__all__ = ["from_buffer", "UNSPECIFIED"]

UNSPECIFIED = object()      # from_buffer(x): no second argument, so `x` is the buffer
_new_object = object.__new__
_memoryview = memoryview
_bytearray, _bytes = bytearray, bytes


def from_buffer(self, cdecl, python_buffer=UNSPECIFIED, require_writable=False):
    """A cdata array over the memory of a Python buffer object (bytearray, array...)."""
    if python_buffer is UNSPECIFIED:        # (None is a buffer argument, refused: cffi)
        cdecl, python_buffer = "char[]", cdecl
    try:
        cls, ctype, item_size = self._open_arrays[cdecl]
    except (KeyError, TypeError):
        cls = ctype = None      # (the general path is called below: no exception context)
    if cls is None or not (require_writable is False or require_writable is True):
        return _from_buffer(self, cdecl, python_buffer, require_writable, ctype)
    source = python_buffer.__class__
    if source is _bytearray:
        if python_buffer:
            result = _new_object(cls)       # (one store per slot: no tuple built)
            result._keep = view = _memoryview(python_buffer)
            result._addr = _ADDRESSES[(id(view) + _VIEW_BUF_OFFSET) >> _PTR_SHIFT]
            result._ctype = ctype
            result._length = len(python_buffer) // item_size
            return result
    elif source is _bytes:
        if python_buffer and require_writable is False:
            result = _new_object(cls)
            result._keep = _memoryview(python_buffer)
            result._addr = id(python_buffer) + _BYTES_DATA_OFFSET
            result._ctype = ctype
            result._length = len(python_buffer) // item_size
            return result
    elif source is not _ffi_buffer:
        # any other exporter (array.array, mmap, a bytearray subclass...); a memoryview is
        # viewed through a PickleBuffer, so that the view holds an export of the memoryview
        # itself, which cannot then be released under the cdata (as with cffi).  The view's
        # `obj` is the object the exporter names, as in cffi's repr.  No cdata nor str
        # exports a buffer: their errors come from the general path
        try:
            view = _memoryview(python_buffer if source is not _memoryview
                               else _PickleBuffer(python_buffer))
        except Exception:
            view = None
        if view is not None:
            size = view.nbytes
            if size and view.c_contiguous and (require_writable is False
                                               or not view.readonly):
                result = _new_object(cls)
                result._keep = view
                result._addr = _ADDRESSES[(id(view) + _VIEW_BUF_OFFSET) >> _PTR_SHIFT]
                result._ctype = ctype
                result._length = size // item_size
                return result
            view.release()
    return _from_buffer(self, cdecl, python_buffer, require_writable, ctype)


def _from_buffer(ffi, cdecl, python_buffer, require_writable, ctype=None):
    """from_buffer() in general (see there): one frame for the common sources.  `ctype`: the
    type of `cdecl` if known (filed in `ffi._open_arrays`)."""
    if require_writable.__class__ is not bool:
        require_writable = operator.index(require_writable)     # an int, as cffi's
    if ctype is None:
        ctype = ffi._types.get(cdecl) if cdecl.__class__ is str else None
        if ctype is None:
            ctype = ffi._typeof(cdecl)      # (outside any `except`: no exception context)
        if ctype.kind == POINTER or ctype.kind == ARRAY and ctype.length is not None:
            # filed without a class: the next call comes here at once, with the type (a
            # KeyError costs more than the rest of the call); API modules' C goes the slow way
            ffi._open_arrays[cdecl] = (None, ctype, 0)
    kind = ctype.kind
    if kind != ARRAY and kind != POINTER:
        raise TypeError("expected a pointer or array ctype, got '%s'" % (ctype.cname,))
    source = python_buffer.__class__
    if source is not _bytearray and isinstance(python_buffer, (str, CData)):
        if isinstance(python_buffer, str):
            raise TypeError("from_buffer() cannot return the address of a unicode object")
        raise TypeError("a bytes-like object is required, not '%s'"
                        % (cffi_type_name(python_buffer),))
    # the export, as BufferExport() makes it, inlined for bytes and for a contiguous,
    # non-empty buffer a memoryview takes (of a memoryview: through a PickleBuffer, which
    # holds an export of the memoryview itself); BufferExport() for the rest and the errors
    export = _new_object(BufferExport)
    export.obj, export.ctype = python_buffer, ctype     # ctype: tells it from a cast of it
    if source is _bytes and not require_writable:
        export.view, address, size = None, id(python_buffer) + _BYTES_DATA_OFFSET, \
            len(python_buffer)
    elif source is _bytearray and python_buffer and _VIEW_BUF_OFFSET is not None:
        export.view = view = _memoryview(python_buffer)     # (contiguous and writable)
        address = _ADDRESSES[(id(view) + _VIEW_BUF_OFFSET) >> _PTR_SHIFT]
        size = len(python_buffer)
    else:
        try:
            view = _memoryview(python_buffer if source is not _memoryview
                               else _PickleBuffer(python_buffer))
        except Exception:
            view = None
        if view is not None and _VIEW_BUF_OFFSET is not None and view.nbytes and \
                view.c_contiguous and (not require_writable or not view.readonly):
            # (an ffi.buffer exports through `__buffer__` from Python 3.12 on, and CPython
            # names a wrapper of it as the view's object: the repr names the buffer, as cffi's)
            export.view, export.obj, size = view, view.obj if source is not _ffi_buffer \
                else python_buffer, view.nbytes
            address = _ADDRESSES[(id(view) + _VIEW_BUF_OFFSET) >> _PTR_SHIFT]
        else:
            if view is not None:
                view.release()
            export = BufferExport(python_buffer, require_writable)
            export.ctype, address, size = ctype, export.address, export.byte_size
    export.address, export.byte_size = address, size
    rt = ctype._rt or prepare(ctype)
    if kind == POINTER:
        fast = rt.fast_class
        cls = fast if fast is not None and address and not address & rt.align_mask \
            else rt.cdata_class
        result = _new_object(cls)
        result._ctype, result._addr, result._keep = ctype, address, export
        return result
    cls = rt.cdata_class
    item_size = cls._item_size if cls._item_size else ctype.item.byte_size
    length = ctype.length
    if length is None:
        length = size // item_size if item_size > 0 else 0
        if item_size > 0 and _VIEW_BUF_OFFSET is not None:
            ffi._open_arrays[cdecl] = (cls, ctype, item_size)     # for the fast path
    elif length * item_size > size:
        raise ValueError("buffer is too small (%d bytes) for '%s' (%d bytes)"
                         % (size, ctype.cname, length * item_size))
    # the array type's own class (its accessors were prepared once, with the type);
    # the repr shows the buffer because `_keep` is the export (see AddrCData._owning_repr)
    result = _new_object(cls)
    result._ctype, result._addr, result._keep, result._length = ctype, address, export, length
    return result
