"""`ffi.buffer`: a type whose instances expose C memory as raw bytes (buffer protocol included).

An instance exports the memory as bytes of format 'B', as cffi's buffers do, so `bytes(buf)`,
memoryview, `file.readinto(buf)` and `file.write(buf)` work at C speed; indexing and slicing
give bytes.  It holds the cdata it was made from (keeping the memory alive).  Where it is a
ctypes array, its items are a one-byte *union*: ctypes describes an array of `c_ubyte` with the
format '<B', which memoryview cannot assign to, and an array of unions with the plain 'B'.

From Python 3.12 on, `buffer` is a plain class exporting, through `__buffer__`, a ctypes array
of a class made per size (a slice of the memoryview of memory, memory.MEM, on a free-threaded
build), and `type(b) is ffi.buffer`.  Before 3.12 a Python class can only export the buffer
protocol by deriving from a C type that does, so `buffer` derives from ctypes.Array and each
size gets a subclass: `isinstance(b, ffi.buffer)` holds, but `type(b)` is that subclass.
"""
from __future__ import annotations

import ctypes
import itertools
import operator
import sys
import sysconfig
import threading
import warnings
import weakref

from . import accel
from .cdatabase import (CFFI_TYPE_NAMES, CData, cffi_type_name, name_as_cffi_class, not_a_cdata,
                         tp_name)
from .memory import MEM, Owned, _view_address, owned_size
from .platform import ADDRESS_SPACE_BYTES as _MEM_END
from .sizes import _cdata_size
from .errors import FFIError


class _Byte(ctypes.Union):
    """One byte whose ctypes buffer format is 'B' (see the module's docstring)."""

    _fields_ = [("value", ctypes.c_ubyte)]


class _BufferMethods:
    """What both forms of `buffer` share; `memoryview(self)` is the memory as bytes."""

    __slots__ = ()

    def __reduce_ex__(self, protocol):
        """Refused, as in cffi (so copy.copy() and pickle.dumps() refuse too)."""
        raise TypeError("cannot pickle '_cffi_backend.buffer' object")

    def __reduce__(self):
        """Refused, as in cffi."""
        raise TypeError("cannot pickle 'buffer' object")

    def __dir__(self):
        """object's names and the item and length methods, as cffi's buffer lists (not the
        ctypes array underneath)."""
        return sorted(set(dir(object)) | _BUFFER_NAMES)

    def __getitem__(self, index: int | slice) -> bytes:
        if index.__class__ is int:
            length = len(self)
            position = index + length if index < 0 else index
            if 0 <= position < length:      # (one byte read from memory: no view of the buffer)
                return _ONE_BYTE[MEM[_buffer_address(self) + position]]
        elif index.__class__ is slice:
            start, stop = index.start, index.stop
            if start is None and stop is None and index.step is None:
                return bytes(self)          # buf[:], the common case: one copy
            if start.__class__ is int and stop.__class__ is int and index.step is None \
                    and 0 <= start <= stop <= len(self):
                address = _buffer_address(self)     # in range: one copy, straight from memory
                return MEM[address + start:address + stop].tobytes()
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
            source = value if value.__class__ is bytes else _bytes_view(value)
            if len(source) != len(view):
                raise ValueError("right operand length must match slice length")
            view[:] = source
            return
        position = _item_index(self, index, "buffer assignment index out of range")
        if value.__class__ is not bytes or len(value) != 1:
            raise TypeError("must assign a bytes of length 1, not %s" % (cffi_type_name(value),))
        memoryview(self)[position] = value[0]

    def __delitem__(self, index):
        raise TypeError("'del x[n]' not supported for buffer objects")

    def __repr__(self):
        return "<_cffi_backend.buffer object at 0x%x>" % (id(self),)

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
# what dir() of a buffer lists beside object's names, as cffi's (its type has a buffer slot,
# which Python 3.12 and later show as `__buffer__`)
_BUFFER_NAMES = {"__delitem__", "__getitem__", "__len__", "__setitem__"} | (
    {"__buffer__"} if sys.version_info >= (3, 12) else set())


def _comparable(other):
    """The bytes a buffer compares with, or None for what it does not compare with."""
    if isinstance(other, (buffer, bytes, bytearray, memoryview)):
        return bytes(other)
    return None


def _item_index(buf, index, message="buffer index out of range"):
    """`index` (negative counts from the end) checked against the buffer's length."""
    try:
        index = operator.index(index)
    except TypeError:
        raise TypeError("buffer indices must be integers, not %s"
                        % (cffi_type_name(index),)) from None
    if not -sys.maxsize - 1 <= index <= sys.maxsize:
        raise IndexError("cannot fit 'int' into an index-sized integer")
    length = len(buf)
    if index < 0:
        index += length
    if not 0 <= index < length:
        raise IndexError(message)
    return index


def _bytes_view(value):
    """The bytes of a bytes-like object, as the 1-D 'B' memoryview a slice assignment copies.

    (Always a memoryview: ctypes objects, a buffer included before Python 3.12, export no
    strides, on which a memoryview slice assignment from the object itself crashes.)"""
    try:
        view = memoryview(value)
    except TypeError:
        raise TypeError("a bytes-like object is required, not '%s'"
                        % (tp_name(type(value)),)) from None
    if not view.c_contiguous:
        raise BufferError("memoryview: underlying buffer is not C-contiguous")
    if view.format != "B" or view.ndim != 1:
        view = view.cast("B")
    return view


def _fast_size(cdata, size):
    """The byte size of ffi.buffer(cdata, size) in the common cases (a non-NULL pointer or
    array and a size, or an array of known length and none), else -1: make_buffer() decides."""
    if size.__class__ is int and -1 <= size <= _MAX_FAST:
        try:
            address, kind = cdata._addr, cdata._ctype.kind
        except AttributeError:          # not a cdata in memory: make_buffer() says why
            return -1
        if 0 < address < _FAST_END and isinstance(cdata, CData):
            if size >= 0:
                if kind != "pointer" and kind != "array":
                    return -1
                if cdata._keep is not None and (
                        kind == "pointer" or size > (cdata._length or 0)):
                    _check_owned_size(cdata, size, 3)      # (_fast_size, buffer.__new__)
                return size
            if kind == "array" and cdata._length is not None:
                return cdata._length * cdata._item_size
            if kind == "pointer" and cdata._item_size > 0:      # the one item pointed to
                if cdata._owning and cdata._ctype.item.kind in _STRUCTS:
                    return owned_size(cdata._keep)              # (variable size too)
                return cdata._item_size
    return -1


if sys.version_info >= (3, 12):
    class buffer(_BufferMethods):
        """ffi.buffer(cdata, [size]): the raw bytes of a cdata's memory."""

        __slots__ = ("_array", "_cdata", "__weakref__")

        def __new__(cls, cdata: CData, size: int = -1) -> buffer:
            byte_size = _fast_size(cdata, size)
            if byte_size < 0:
                return make_buffer(cdata, size)
            result = _new_object(buffer)        # (_make() inlined: no other frame)
            if _MEM_SLICES:
                address = cdata._addr           # (within MEM: see _fast_size)
                result._array = MEM[address:address + byte_size]
            else:
                last = _last
                result._array = (last[1] if last[0] == byte_size else _maker(byte_size))(
                    cdata._addr)
            result._cdata = cdata
            return result

        def __buffer__(self, flags):
            return memoryview(self._array)

        def __len__(self) -> int:
            return len(self._array)

    def _make(size, address):
        """A buffer over `size` bytes at `address`: a ctypes array of that size's class, or,
        on a free-threaded build, a slice of the memoryview of memory within its span."""
        result = _new_object(buffer)
        if _MEM_SLICES and address + size <= _MEM_END:
            result._array = MEM[address:address + size]
        else:
            result._array = _maker(size)(address)
        return result

    def _new_array_type(size):
        # made directly: `_Byte * size` would stay in ctypes' own cache forever
        return type(ctypes.Array)("bytes_%d" % (size,), (ctypes.Array,),
                                  {"_type_": _Byte, "_length_": size})

    def _buffer_address(buf):
        array = buf._array
        return ctypes.addressof(array) if array.__class__ is not memoryview else \
            _view_address(array)

else:
    class _BufferType(type(ctypes.Array)):
        """Metaclass: `buffer(cdata, size)` makes an instance of a per-size subclass."""

        def __call__(cls, cdata: CData, size: int = -1) -> buffer:  # type: ignore[override]
            if cls is buffer:
                # the common cases, make_buffer() inlined: no other call frame
                # (sizes up to 2**30 - 1 compare as one-digit ints: larger ones go the long way)
                if size.__class__ is int and -1 <= size <= _MAX_FAST:
                    try:
                        address, kind = cdata._addr, cdata._ctype.kind
                    except AttributeError:      # not a cdata in memory: make_buffer() says why
                        address = 0             # (only cdata have both: no isinstance())
                    if address:
                        nbytes = size
                        if size < 0:
                            if kind == "pointer":       # the one item pointed to
                                nbytes = cdata._item_size
                                if nbytes <= 0:         # (void, opaque: make_buffer() says)
                                    nbytes = -1
                                elif cdata._owning and cdata._ctype.item.kind in _STRUCTS:
                                    nbytes = owned_size(cdata._keep)    # (variable size too)
                            else:
                                nbytes = cdata._length * cdata._item_size \
                                    if kind == "array" and cdata._length is not None else -1
                        elif kind != "pointer" and kind != "array":
                            nbytes = -1
                        elif cdata._keep is not None and (
                                kind == "pointer" or size > (cdata._length or 0)):
                            # (items are at least 1 byte: no more than `_length` bytes is fine)
                            _check_owned_size(cdata, size, 2)      # (the metaclass's __call__)
                        if nbytes >= 0:
                            last = _last
                            result = (last[1] if last[0] == nbytes else _maker(nbytes))(address)
                            result._cdata = cdata
                            return result
                return make_buffer(cdata, size)     # (the size as given: it checks it)
            return super().__call__(cdata, size)

    class buffer(_BufferMethods, ctypes.Array, metaclass=_BufferType):
        """ffi.buffer(cdata, [size]): the raw bytes of a cdata's memory."""

        __slots__ = ("_cdata", "__weakref__")        # (no __dict__: cheaper to make)
        _type_ = _Byte
        _length_ = 0

    def _new_array_type(size):
        cls = _BufferType("buffer", (buffer,), {"_length_": size, "__slots__": ()})
        name_as_cffi_class(cls, "buffer")
        return cls

    def _make(size, address):
        last = _last
        return (last[1] if last[0] == size else _maker(size))(address)

    _buffer_address = ctypes.addressof


# The array class of each size lives as long as a buffer of that size does, and the few last
# used stay (a ring): a loop making buffers of one size does not remake the class, and memory
# stays bounded by what is alive, whatever sizes were ever used.  The table holds a weak
# reference to each class's bound `from_address` (its maker), which the class itself holds
# (`_from_address`), so the maker dies with its class and is called with no lookup.
_makers = {}                # size -> weak reference to the maker (removed when it dies)
_recent = [None] * 16
_recent_next = itertools.count()
_sized_lock = threading.RLock()     # reentrant: a collection may run its callback inside
_last = (-1, None)          # (size, maker) of the last maker asked for (one more strong ref)
_MAX_FAST = (1 << 30) - 1
_FAST_END = _MEM_END - _MAX_FAST        # below it, any fast size stays within MEM
# Free-threaded CPython 3.13 makes every class made after a first thread started immortal, so
# there a buffer is a slice of memory.MEM and no class is made per size (elsewhere the ctypes
# array of a size's class is cheaper to make and dies with its last buffer)
_MEM_SLICES = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
_STRUCTS = ("struct", "union")
_new_object = object.__new__


def make_buffer(cdata, size=-1):
    """A buffer over `size` bytes of the memory of `cdata` (default: all of it)."""
    if not isinstance(cdata, CData) or not cdata._address or cdata._struct or \
            cdata._ctype.kind not in ("pointer", "array"):
        if isinstance(cdata, CData):
            ssize_arg(size)             # (cffi reads the size first)
            raise TypeError("expected a pointer or array cdata, got '%s'" % (cdata._ctype.cname,))
        raise not_a_cdata("buffer", cdata)
    if size.__class__ is not int or not -1 <= size < 1 << 62:
        size = ssize_arg(size)
        if size >= 1 << 62:             # (a ctypes array cannot be that large)
            raise OverflowError("ffi.buffer() size %d is too large" % (size,))
    if size < 0:
        if cdata._array and cdata._length is not None:
            size = cdata._length * cdata._item_size     # (no import of api on this path)
        elif cdata._array:
            size = _cdata_size(cdata)
        elif cdata._ctype.item.kind in ("struct", "union") and cdata._keep is not None:
            size = _cdata_size(cdata[0])
        else:
            item_size = cdata._ctype.item.byte_size if cdata._ctype.kind == "pointer" else -1
            if item_size < 0:
                raise TypeError("don't know the size pointed to by '%s'" % (cdata._ctype.cname,))
            size = item_size
    elif cdata._keep is not None:
        _check_owned_size(cdata, size, 3)          # (make_buffer and the type's call)
    if not cdata._addr and size:
        raise RuntimeError("ffi.buffer() of a NULL pointer")
    result = _make(size, cdata._addr)
    result._cdata = cdata
    return result


def ssize_arg(value):
    """`value` as a C ssize_t argument: an index in range, else cffi's error."""
    value = operator.index(value)       # "'float' object cannot be interpreted as an integer"
    if not -(1 << 63) <= value < 1 << 63:
        raise OverflowError("Python int too large to convert to C ssize_t")
    return value


def _check_owned_size(cdata, size, depth):
    """Warn, as cffi does, when ffi.buffer(cdata, size) reaches beyond what an ffi.new() cdata
    owns (not for custom allocators' memory: cffi does not know its size either).  `depth`:
    the frames between the caller of ffi.buffer() and this function."""
    keep = cdata._keep
    if cdata._owning and keep.__class__ is not Owned and size > owned_size(keep):
        warnings.warn("ffi.buffer(cdata, bytes): creating a buffer of %d bytes over a cdata "
                      "that owns only %d bytes.  This will crash if you access the extra "
                      "memory" % (size, owned_size(keep)), UserWarning, stacklevel=depth + 1)


def _maker(size):
    """The bound `from_address` of the ctypes array class of `size` bytes (on Python < 3.12,
    a subclass of `buffer`): maker(address) is a buffer array over that memory."""
    global _last
    ref = _makers.get(size)
    make = ref() if ref is not None else None
    if make is None:
        with _sized_lock:
            ref = _makers.get(size)
            make = ref() if ref is not None else None
            if make is None:
                cls = _new_array_type(size)
                cls._from_address = make = cls.from_address    # (a cycle: dies with cls)
                _makers[size] = weakref.ref(make, _forget_size(size))
    _recent[next(_recent_next) % len(_recent)] = make.__self__
    _last = (size, make)
    return make


def _forget_size(size):
    """The weakref callback removing the entry of a dead class (unless replaced since)."""
    def forget(ref):
        with _sized_lock:
            if _makers.get(size) is ref:
                del _makers[size]
    return forget


CFFI_TYPE_NAMES[buffer] = "_cffi_backend.buffer"      # (as cffi's messages name it)
name_as_cffi_class(buffer, "buffer")
buffer._pc_buffer = True                    # (what an API module's C reads: accel.py)
buffer._pc_maker = staticmethod(_maker)
accel.offer(buffer)

__all__ = ["buffer", "make_buffer", "FFIError"]
