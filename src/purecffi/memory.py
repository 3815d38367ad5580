"""Raw memory: one memoryview over the address space, allocation, copying and C strings.

`MEM` is a byte memoryview whose index is the address: `struct.unpack_from(fmt, MEM, address)`
reads any C value anywhere, in one C-level call.  Nothing is touched until it is read, exactly
like a C pointer: reading an unmapped address crashes as it would in C, so callers check for NULL.
"""
import ctypes
import struct
import sys
import threading
import weakref
try:        # (the class pickle re-exports, without importing pickle and what it imports)
    from _pickle import PickleBuffer
except ImportError:     # pragma: no cover (a Python without the C accelerator)
    from pickle import PickleBuffer

from . import platform as plat
from .cdatabase import tp_name

# -- The address space ----
MEM = memoryview((ctypes.c_char * plat.ADDRESS_SPACE_BYTES).from_address(0)).cast("B")
_ptr_struct = struct.Struct("P")
_PTR_SIZE = _ptr_struct.size
_PTR_SHIFT = _PTR_SIZE.bit_length() - 1         # address >> _PTR_SHIFT: index in _ADDRESSES
read_address = _ptr_struct.unpack_from
write_address = _ptr_struct.pack_into
POINTER_FORMAT = "P"
_SSIZE_MIN, _SSIZE_MAX, _ADDRESS_MASK = plat.SSIZE_MIN, plat.SSIZE_MAX, plat.ADDRESS_MASK


def far_item_address(address, index, size):
    """The address of item `index` (of `size` bytes) from `address` when `address + index *
    size` left the address space: wrapped as C computes it; an index beyond ssize_t is
    cffi's IndexError."""
    if _SSIZE_MIN <= index <= _SSIZE_MAX:
        return (address + index * size) & _ADDRESS_MASK
    raise IndexError("cannot fit 'int' into an index-sized integer")

addressof = ctypes.addressof
memmove = ctypes.memmove
memset = ctypes.memset
string_at = ctypes.string_at


# -- Allocation ----
class Owned:
    """Memory from a custom allocator (`ffi.new_allocator`): its size and how to free it.

    The default allocator needs no such record: its memory is a ctypes char array, freed when
    the last cdata holding it dies.
    """

    __slots__ = ("byte_size", "address", "free")

    def __init__(self, byte_size, address, free=None):
        self.byte_size, self.address, self.free = byte_size, address, free

    def release(self):
        """Give the memory back now; later access is the user's bug, as in C."""
        free, self.free = self.free, None
        if free is not None:
            free()

    def __del__(self):
        self.release()


def owned_size(keep):
    """The byte size of the memory an owning cdata holds (`_keep`)."""
    if keep.__class__ is Owned:
        return keep.byte_size
    if keep.__class__ is _Empty:
        return 0
    return ctypes.sizeof(keep)


# Memory must be bounded by what is alive: ctypes keeps every array type made by `c_char * n`
# forever (its own cache), so no allocation goes through per-size ctypes types made that way.
_buffer_types = weakref.WeakValueDictionary()
_buffer_types_lock = threading.Lock()
_ArrayType = type(ctypes.Array)


_Bytes = ctypes.c_char * 1         # grown by ctypes.resize(): `.value` and `.raw` follow


class _Empty(_Bytes):
    """The buffer of a zero-byte allocation (a distinct address, owned_size() 0)."""


def buffer_type(byte_size):
    """A ctypes char array type of `byte_size` bytes, for the fixed-size types of that size.

    Made directly (not by `c_char * n`, which ctypes caches forever) and shared through a weak
    cache: it dies with the last type runtime holding it.
    """
    cls = _buffer_types.get(byte_size)
    if cls is None:
        with _buffer_types_lock:
            cls = _buffer_types.get(byte_size)
            if cls is None:
                cls = _ArrayType("char_%d" % (byte_size,), (ctypes.Array,),
                                 {"_type_": ctypes.c_char, "_length_": byte_size})
                _buffer_types[byte_size] = cls
    return cls


_resize = ctypes.resize


def allocate(byte_size):
    """Zeroed memory of `byte_size` bytes: returns (buffer, address).

    The buffer is a ctypes char array of any size (one `c_char * 1` grown by `ctypes.resize`,
    so no type per size; ctypes.sizeof(), `.value` and `.raw` follow the new size): blocks
    above its own 16 bytes come from CPython's allocator, aligned to 16 bytes as malloc()'s.
    """
    if byte_size <= 1:
        buf = _Bytes() if byte_size == 1 else _Empty()
    else:
        buf = _Bytes()
        _resize(buf, byte_size)
    return buf, addressof(buf)


# -- C strings ----
def copy(dest, src, n):
    """memmove(dest, src, n) through the memoryview of all memory (overlap is fine): no
    ctypes foreign call, so cheaper than `memmove` for the small copies of structs."""
    MEM[dest:dest + n] = MEM[src:src + n]


def c_strlen(address, maxlen=-1):
    """Length of the NUL-terminated byte string at `address` (at most maxlen if >= 0)."""
    if maxlen >= 0:
        chunk = MEM[address:address + maxlen]
        end = chunk.tobytes().find(b"\0")
        return maxlen if end < 0 else end
    return ctypes.c_size_t(_strlen(address)).value


def c_strnlen(address, maxlen):
    """strnlen(): the length of the string at `address`, at most `maxlen` (vectorised by libc,
    where a byte loop in Python or in ctypes' `.value` is not)."""
    return _strnlen(address, maxlen)


def c_wcslen(address):
    """wcslen(): the number of 4-byte wide characters before the NUL at `address`."""
    return _wcslen(address)


_libc = ctypes.CDLL(None)
_wcslen = _libc.wcslen
_wcslen.argtypes = [ctypes.c_void_p]
_wcslen.restype = ctypes.c_size_t
_strnlen = _libc.strnlen
_strnlen.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_strnlen.restype = ctypes.c_size_t
_strlen = _libc.strlen
_strlen.argtypes = [ctypes.c_void_p]
_strlen.restype = ctypes.c_size_t


def read_bytes(address, byte_size):
    """Copy `byte_size` bytes at `address` into a bytes object."""
    return MEM[address:address + byte_size].tobytes()     # (string_at: a Python wrapper)


def write_bytes(address, data):
    """Copy a bytes-like object to `address`."""
    MEM[address:address + len(data)] = data


# -- Python buffers ----
class _PyBuffer(ctypes.Structure):
    """CPython's Py_buffer (the stable layout since 3.3)."""

    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.py_object), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int),
                ("ndim", ctypes.c_int), ("format", ctypes.c_char_p),
                ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


_PyBUF_SIMPLE, _PyBUF_WRITABLE = 0, 1
_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_get_buffer.restype = ctypes.c_int
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]
_release_buffer.restype = None


_NOT_A_BUFFER = "a bytes-like object is required, not '%s'"     # (Python's words)


class BufferExport:
    """A held export of a Python object's buffer: its address and length, released on demand.

    Fast paths first (measured: the general PyObject_GetBuffer through ctypes.pythonapi costs
    ~1.5 us): a `bytes` object needs no export (immutable; its data sits at a fixed offset in
    the object); a contiguous, non-empty buffer (writable, or not required to be) is held by a
    memoryview, whose address is read from the view object (or by ctypes' `from_buffer`), and
    which releases itself when it dies.  Everything
    else (and every error) takes the general path, so the exceptions are PyObject_GetBuffer's.
    No `__del__` here: only the general path's `_HeldBuffer` needs one.
    """

    __slots__ = ("view", "address", "byte_size", "obj", "ctype")

    def __init__(self, obj, writable=False):
        self.obj, self.ctype = obj, None       # ctype: of the cdata from_buffer() made over it
        if obj.__class__ is bytearray and obj and _VIEW_BUF_INDEX is not None:
            # the common case, inlined: a bytearray is writable and contiguous
            self.view = view = memoryview(obj)
            self.address = _ADDRESSES[id(view) // _PTR_SIZE + _VIEW_BUF_INDEX]
            self.byte_size = len(obj)
            return
        self.view = None
        if obj.__class__ is bytes and not writable:
            self.address, self.byte_size = id(obj) + _BYTES_DATA_OFFSET, len(obj)
            return
        try:
            # a view of a memoryview registers with the memory it views, not with the
            # memoryview itself, which could then be released under the cdata: a
            # PickleBuffer holds an export of the memoryview, as cffi's cdata does
            view = memoryview(obj if obj.__class__ is not memoryview else PickleBuffer(obj))
        except TypeError:
            view = None
        if view is not None:
            # a read-only view's address is read from the view object (ctypes' from_buffer
            # takes writable buffers only): the export a memoryview holds is the same
            if view.nbytes and view.c_contiguous and (
                    not view.readonly or not writable and _VIEW_BUF_INDEX is not None):
                self.address = _view_address(view)
                self.view, self.byte_size = view, view.nbytes
                self.obj = view.obj         # what the repr names, as cffi's (see from_buffer.py)
                return
            view.release()
        try:
            self.view = held = _HeldBuffer(obj, writable)
        except TypeError as exc:
            if str(exc) != _NOT_A_BUFFER % (type(obj).__name__,):
                raise
            raise TypeError(_NOT_A_BUFFER % (tp_name(type(obj)),)) from None    # (cffi's name)
        self.address, self.byte_size = held.address, held.byte_size

    def release(self):
        """Release the export (e.g. so a bytearray can be resized again); `obj` becomes None."""
        view, self.view, self.obj = self.view, None, None
        if view is not None:
            view.release()


class _HeldBuffer:
    """An export taken by PyObject_GetBuffer (through ctypes), released by release() or death."""

    __slots__ = ("view", "address", "byte_size")

    def __init__(self, obj, writable):
        self.view = None
        view = _PyBuffer()
        flags = _PyBUF_WRITABLE if writable else _PyBUF_SIMPLE
        if not isinstance(obj, memoryview) or obj.c_contiguous:
            _get_buffer(obj, ctypes.byref(view), flags)     # raises TypeError/BufferError
        else:
            raise BufferError("memoryview: underlying buffer is not C-contiguous")
        self.view = view
        self.address, self.byte_size = view.buf or 0, view.len

    def release(self):
        """Release the export now."""
        view, self.view = self.view, None
        if view is not None:
            _release_buffer(ctypes.byref(view))

    def __del__(self):
        self.release()


_addressof = ctypes.addressof
_char_from_buffer = ctypes.c_char.from_buffer
_BYTES_PROBE = b"probe"
_BYTES_DATA_OFFSET = ctypes.cast(ctypes.c_char_p(_BYTES_PROBE), ctypes.c_void_p).value \
    - id(_BYTES_PROBE)


def _find_view_buf_offset():
    """Where a memoryview object keeps its buffer's address (Py_buffer.buf), found by probing
    two views whose addresses ctypes tells; None if no single offset fits both."""
    probes = [memoryview(bytearray(16)), memoryview(bytearray(32))[8:]]
    known = [_addressof(_char_from_buffer(view)) for view in probes]
    fits = [offset for offset in range(16, sys.getsizeof(probes[0]) - 7, _PTR_SIZE)
            if all(read_address(MEM, id(view) + offset)[0] == address
                   for view, address in zip(probes, known))]
    return fits[0] if len(fits) == 1 else None


_VIEW_BUF_OFFSET = _find_view_buf_offset()
_VIEW_BUF_INDEX = None if _VIEW_BUF_OFFSET is None else _VIEW_BUF_OFFSET // _PTR_SIZE
_ADDRESSES = MEM.cast("P")      # address // _PTR_SIZE -> the pointer there (objects are aligned)


def _view_address(view):
    """The address of a contiguous memoryview's memory (a writable one if _VIEW_BUF_INDEX is
    None)."""
    if _VIEW_BUF_INDEX is not None:         # one read, where ctypes makes an object (3x the cost)
        return _ADDRESSES[id(view) // _PTR_SIZE + _VIEW_BUF_INDEX]
    return _addressof(_char_from_buffer(view))


def export_extent(keep, released=False):
    """(address, byte size) of the memory of a from_buffer() export (a BufferExport, or the
    memoryview of the fast path), or None once released (`released`: where it was, as long
    as that can be told: to know the cdata from_buffer() returned from those made from it)."""
    if keep.__class__ is BufferExport:
        if keep.obj is None and not released:
            return None
        return keep.address, keep.byte_size
    try:
        source = keep.obj
    except ValueError:                  # a released memoryview (its buffer fields stay set)
        if not released or _VIEW_BUF_INDEX is None:
            return None
        where = id(keep) // _PTR_SIZE + _VIEW_BUF_INDEX
        return _ADDRESSES[where], _ADDRESSES[where + 2]     # Py_buffer: buf, obj, len
    if source.__class__ is bytes and _VIEW_BUF_INDEX is None:
        return id(source) + _BYTES_DATA_OFFSET, len(source)
    return _view_address(keep), keep.nbytes


# -- Typed views ----
_typed_views = {}


def typed_view(fmt):
    """MEM cast to a one-letter numeric format: `typed_view('i')[address >> 2]` reads an int.

    Only for addresses aligned to the item size (the callers guarantee it); about twice as fast
    as struct's unpack_from.
    """
    view = _typed_views.get(fmt)
    if view is None:
        view = _typed_views[fmt] = MEM.cast(fmt)
    return view
