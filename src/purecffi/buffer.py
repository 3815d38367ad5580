"""`ffi.buffer`: a type whose instances expose C memory as raw bytes (buffer protocol included).

An instance is a ctypes `unsigned char` array laid over the memory, so `bytes(buf)`, memoryview
(format 'B'), `file.readinto(buf)` and `file.write(buf)` work at C speed; indexing and slicing
give bytes, as cffi's buffers do.  It holds the cdata it was made from (keeping the memory alive).

Python < 3.12 has no way for a Python class to export the buffer protocol except by deriving
from a C type that does, so each buffer size gets a subclass of `buffer`:
`isinstance(b, ffi.buffer)` holds, but `type(b)` is that subclass.
"""
import ctypes

from .errors import FFIError


class _BufferType(type(ctypes.Array)):
    """Metaclass: `buffer(cdata, size)` makes an instance of a per-size subclass."""

    def __call__(cls, cdata, size=-1):
        if cls is not buffer:
            return super().__call__(cdata, size)
        return make_buffer(cdata, size)


class buffer(ctypes.Array, metaclass=_BufferType):
    """ffi.buffer(cdata, [size]): the raw bytes of a cdata's memory."""

    _type_ = ctypes.c_ubyte
    _length_ = 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise TypeError("ffi.buffer slices must have no step")
            return bytes(memoryview(self).cast("B")[index])
        return bytes((ctypes.Array.__getitem__(self, index),))

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise TypeError("ffi.buffer slices must have no step")
            view = memoryview(self).cast("B")[index]
            if isinstance(value, str) or not hasattr(value, "__len__"):
                raise TypeError("a bytes-like object is required, not %s"
                                % (type(value).__name__,))
            if len(value) != len(view):
                raise ValueError("slice assignment of %d bytes to a slice of %d bytes"
                                 % (len(value), len(view)))
            view[:] = value
            return
        if not isinstance(value, (bytes, bytearray)) or len(value) != 1:
            raise TypeError("ffi.buffer items are bytes of length 1, not %r" % (value,))
        ctypes.Array.__setitem__(self, index, value[0])

    def __repr__(self):
        return "<cffi.buffer object of length %d>" % (len(self),)

    def __eq__(self, other):
        if isinstance(other, (buffer, bytes, bytearray, memoryview)):
            return bytes(self) == bytes(other)
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None


_sized = {}


def make_buffer(cdata, size=-1):
    """A buffer over `size` bytes of the memory of `cdata` (default: all of it)."""
    from .cdata import AddrCData, ArrayCData, StructCData, CData
    if not isinstance(cdata, AddrCData) or isinstance(cdata, StructCData) or \
            cdata._ctype.kind not in ("pointer", "array"):
        raise TypeError("ffi.buffer() needs a cdata pointer or array, not %s"
                        % (type(cdata).__name__ if not isinstance(cdata, CData)
                           else "cdata '%s'" % cdata._ctype.cname))
    if size is None or not isinstance(size, int):
        raise TypeError("ffi.buffer() size must be an int, not %s" % (type(size).__name__,))
    if size is not None and size >= 1 << 62:
        raise OverflowError("ffi.buffer() size %d is too large" % (size,))
    if size < 0:
        if isinstance(cdata, ArrayCData):
            from .api import _cdata_size
            size = _cdata_size(cdata)
        elif cdata._ctype.item.kind in ("struct", "union") and cdata._keep is not None:
            from .api import _cdata_size
            size = _cdata_size(cdata[0])
        else:
            item_size = cdata._ctype.item.byte_size if cdata._ctype.kind == "pointer" else -1
            if item_size < 0:
                raise TypeError("ffi.buffer() of cdata '%s': give the size explicitly"
                                % (cdata._ctype.cname,))
            size = item_size
    if not cdata._addr and size:
        raise RuntimeError("ffi.buffer() of a NULL pointer")
    cls = _sized.get(size)
    if cls is None:
        cls = _sized[size] = _BufferType("buffer", (buffer,), {"_length_": size})
    result = cls.from_address(cdata._addr)
    result._cdata = cdata
    return result


__all__ = ["buffer", "make_buffer", "FFIError"]
