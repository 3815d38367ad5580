"""`ffi.buffer`: a type whose instances expose C memory as raw bytes (buffer protocol included).

An instance is a ctypes array of one-byte items laid over the memory, so `bytes(buf)`,
memoryview, `file.readinto(buf)` and `file.write(buf)` work at C speed; indexing and slicing
give bytes, as cffi's buffers do.  It holds the cdata it was made from (keeping the memory alive).
The items are a one-byte *union*: ctypes describes an array of `c_ubyte` with the format '<B',
which memoryview cannot assign to, and an array of unions with the plain 'B' cffi gives.

From Python 3.12 on, `buffer` is a plain class exporting that array through `__buffer__`, and
`type(b) is ffi.buffer`.  Before 3.12 a Python class can only export the buffer protocol by
deriving from a C type that does, so `buffer` derives from ctypes.Array and each size gets a
subclass: `isinstance(b, ffi.buffer)` holds, but `type(b)` is that subclass.
"""
from __future__ import annotations

import ctypes
import itertools
import operator
import sys
import threading
import weakref

from .cdatabase import CData
from .memory import MEM
from .errors import FFIError


class _Byte(ctypes.Union):
    """One byte whose ctypes buffer format is 'B' (see the module's docstring)."""

    _fields_ = [("value", ctypes.c_ubyte)]


class _BufferMethods:
    """What both forms of `buffer` share; `memoryview(self)` is the memory as bytes."""

    __slots__ = ()

    def __getitem__(self, index: int | slice) -> bytes:
        if index.__class__ is slice:
            if index.start is None and index.stop is None and index.step is None:
                return bytes(self)          # buf[:], the common case: one copy
            if index.step not in (None, 1):
                raise TypeError("buffer doesn't support slicing with step != 1")
            start, stop, _ = index.indices(len(self))       # one copy, straight from memory
            address = _buffer_address(self)
            return MEM[address + start:address + max(start, stop)].tobytes()
        return _ONE_BYTE[memoryview(self)[_item_index(self, index)]]

    def __setitem__(self, index: int | slice, value: bytes) -> None:
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise TypeError("buffer doesn't support slicing with step != 1")
            view = memoryview(self)[index]
            if isinstance(value, str) or not hasattr(value, "__len__"):
                raise TypeError("a bytes-like object is required, not %s"
                                % (type(value).__name__,))
            if len(value) != len(view):
                raise ValueError("right operand length must match slice length")
            view[:] = value
            return
        if not isinstance(value, (bytes, bytearray)) or len(value) != 1:
            raise TypeError("must assign a bytes of length 1, not %s" % (type(value).__name__,))
        memoryview(self)[_item_index(self, index)] = value[0]

    def __repr__(self):
        return "<cffi.buffer object of length %d>" % (len(self),)

    # -- Comparisons: by content, with buffers and bytes-like objects ----
    def __eq__(self, other):
        other = _comparable(other)
        return NotImplemented if other is None else bytes(self) == other

    def __ne__(self, other):
        other = _comparable(other)
        return NotImplemented if other is None else bytes(self) != other

    def __lt__(self, other):
        other = _comparable(other)
        return NotImplemented if other is None else bytes(self) < other

    def __le__(self, other):
        other = _comparable(other)
        return NotImplemented if other is None else bytes(self) <= other

    def __gt__(self, other):
        other = _comparable(other)
        return NotImplemented if other is None else bytes(self) > other

    def __ge__(self, other):
        other = _comparable(other)
        return NotImplemented if other is None else bytes(self) >= other

    __hash__ = None


_ONE_BYTE = [bytes((value,)) for value in range(256)]     # byte value -> its bytes object


def _comparable(other):
    """The bytes a buffer compares with, or None for what it does not compare with."""
    if isinstance(other, (buffer, bytes, bytearray, memoryview)):
        return bytes(other)
    return None


def _item_index(buf, index):
    """`index` (negative counts from the end) checked against the buffer's length."""
    index = operator.index(index)
    length = len(buf)
    if index < 0:
        index += length
    if not 0 <= index < length:
        raise IndexError("buffer index out of range")
    return index


if sys.version_info >= (3, 12):
    class buffer(_BufferMethods):
        """ffi.buffer(cdata, [size]): the raw bytes of a cdata's memory."""

        __slots__ = ("_array", "_cdata", "__weakref__")

        def __new__(cls, cdata: CData, size: int = -1) -> buffer:
            return make_buffer(cdata, size)

        def __buffer__(self, flags):
            return memoryview(self._array)

        def __len__(self) -> int:
            return len(self._array)

    def _new_array_type(size):
        # made directly: `_Byte * size` would stay in ctypes' own cache forever
        return type(ctypes.Array)("bytes_%d" % (size,), (ctypes.Array,),
                                  {"_type_": _Byte, "_length_": size})

    def _make(size, address):
        result = object.__new__(buffer)
        result._array = _array_type(size).from_address(address)
        return result

    def _buffer_address(buf):
        return ctypes.addressof(buf._array)

else:
    class _BufferType(type(ctypes.Array)):
        """Metaclass: `buffer(cdata, size)` makes an instance of a per-size subclass."""

        def __call__(cls, cdata: CData, size: int = -1) -> buffer:  # type: ignore[override]
            if cls is not buffer:
                return super().__call__(cdata, size)
            if size.__class__ is int and size < 1 << 62 and isinstance(cdata, CData) and \
                    cdata._array and cdata._addr and (size >= 0 or cdata._length is not None):
                # the common cases, make_buffer() inlined: an array's memory, all or `size` bytes
                if size < 0:
                    size = cdata._length * cdata._item_size
                ref = _sized.get(size)
                cls = ref() if ref is not None else None
                result = (cls or _array_type(size)).from_address(cdata._addr)
                result._cdata = cdata
                return result
            return make_buffer(cdata, size)

    class buffer(_BufferMethods, ctypes.Array, metaclass=_BufferType):
        """ffi.buffer(cdata, [size]): the raw bytes of a cdata's memory."""

        __slots__ = ("_cdata", "__weakref__")        # (no __dict__: cheaper to make)
        _type_ = _Byte
        _length_ = 0

    def _new_array_type(size):
        return _BufferType("buffer", (buffer,), {"_length_": size, "__slots__": ()})

    def _make(size, address):
        ref = _sized.get(size)              # (_array_type()'s first step, inlined)
        cls = ref() if ref is not None else None
        return (cls or _array_type(size)).from_address(address)

    _buffer_address = ctypes.addressof


# The array class of each size lives as long as a buffer of that size does (weak values), and
# the few last used stay (a ring): a loop making buffers of one size does not remake the class,
# and memory stays bounded by what is alive, whatever sizes were ever used.
_sized = {}                 # size -> weak reference to the class (removed when it dies)
_recent = [None] * 16
_recent_next = itertools.count()
_sized_lock = threading.RLock()     # reentrant: a collection may run its callback inside


def make_buffer(cdata, size=-1):
    """A buffer over `size` bytes of the memory of `cdata` (default: all of it)."""
    if not isinstance(cdata, CData) or not cdata._address or cdata._struct or \
            cdata._ctype.kind not in ("pointer", "array"):
        raise TypeError("ffi.buffer() needs a cdata pointer or array, not %s"
                        % (type(cdata).__name__ if not isinstance(cdata, CData)
                           else "cdata '%s'" % cdata._ctype.cname))
    if size is None or not isinstance(size, int):
        raise TypeError("ffi.buffer() size must be an int, not %s" % (type(size).__name__,))
    if size is not None and size >= 1 << 62:
        raise OverflowError("ffi.buffer() size %d is too large" % (size,))
    if size < 0:
        if cdata._array and cdata._length is not None:
            size = cdata._length * cdata._item_size     # (no import of api on this path)
        elif cdata._array:
            from .sizes import _cdata_size
            size = _cdata_size(cdata)
        elif cdata._ctype.item.kind in ("struct", "union") and cdata._keep is not None:
            from .sizes import _cdata_size
            size = _cdata_size(cdata[0])
        else:
            item_size = cdata._ctype.item.byte_size if cdata._ctype.kind == "pointer" else -1
            if item_size < 0:
                raise TypeError("don't know the size pointed to by '%s': give ffi.buffer() "
                                "the size" % (cdata._ctype.cname,))
            size = item_size
    if not cdata._addr and size:
        raise RuntimeError("ffi.buffer() of a NULL pointer")
    result = _make(size, cdata._addr)
    result._cdata = cdata
    return result


def _array_type(size):
    """The ctypes array class of `size` bytes (on Python < 3.12, a subclass of `buffer`)."""
    ref = _sized.get(size)
    cls = ref() if ref is not None else None
    if cls is None:
        with _sized_lock:
            ref = _sized.get(size)
            cls = ref() if ref is not None else None
            if cls is None:
                cls = _new_array_type(size)
                _sized[size] = weakref.ref(cls, _forget_size(size))
        _recent[next(_recent_next) % len(_recent)] = cls
    return cls


def _forget_size(size):
    """The weakref callback removing the entry of a dead class (unless replaced since)."""
    def forget(ref):
        with _sized_lock:
            if _sized.get(size) is ref:
                del _sized[size]
    return forget


__all__ = ["buffer", "make_buffer", "FFIError"]
