"""`ffi.buffer`: a type whose instances expose C memory as raw bytes (buffer protocol included).

An instance is a ctypes `char` array laid over the memory, so len(), indexing (bytes of length
1), slicing, slice assignment, `bytes(buf)`, memoryview and `file.readinto(buf)` all work at C
speed.  It holds the cdata it was made from, which keeps the memory alive.
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

    _type_ = ctypes.c_char
    _length_ = 0

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
    if not isinstance(cdata, AddrCData):
        raise TypeError("ffi.buffer() needs a cdata pointer or array, not %s"
                        % (type(cdata).__name__ if not isinstance(cdata, CData)
                           else "cdata '%s'" % cdata._ctype.cname))
    if size is None or size < 0:
        if isinstance(cdata, (ArrayCData, StructCData)):
            from .api import _cdata_size
            size = _cdata_size(cdata)
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
