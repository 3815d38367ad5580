"""ffi.memmove(): copies between cdata pointers or arrays and Python buffers."""
from __future__ import annotations

import operator
import sys

from . import cdata as _cd
from .cdatabase import tp_name
from .memory import MEM, BufferExport

TYPE_CHECKING = False
if TYPE_CHECKING:                       # the annotations are for type checkers only
    from typing import Any

_SSIZE_MAX = sys.maxsize
_SSIZE_MIN = -sys.maxsize - 1


def memmove(self: Any, dest: Any, src: Any, n: int) -> None:
    """Copy `n` bytes from `src` to `dest` (cdata or Python buffers); overlap is fine."""
    kind = type(src)
    if kind is bytes or kind is bytearray or type(dest) is bytearray:
        _memmove_bytes(dest, src, n)    # (with no AttributeError raised and caught below)
        return
    try:                    # pointers or arrays, the common case: their `_addr` slots
        dest_address, src_address = dest._addr, src._addr
        direct = dest._bytes_at and src._bytes_at   # (what only cdata classes say)
    except AttributeError:
        direct = False
    if direct and n.__class__ is int and 0 <= n <= _SSIZE_MAX:     # (cffi's OverflowError)
        # a memoryview slice assignment copies as memmove() does (overlap included),
        # without the cost of a ctypes foreign call
        try:
            MEM[dest_address:dest_address + n] = MEM[src_address:src_address + n]
            return
        except ValueError:          # a size beyond the address space: _memmove() says so
            pass
    _memmove(dest, src, n)


def _memmove(dest, src, n):
    """ffi.memmove() in general: cdata or Python buffers at either end, any size argument.

    The size is checked first, as cffi parses it with the arguments (its errors win), then
    the source, then the destination."""
    if n.__class__ is not int:
        n = operator.index(n)
    if not _SSIZE_MIN <= n <= _SSIZE_MAX:
        raise OverflowError("Python int too large to convert to C ssize_t")     # (cffi's words)
    if n < 0:
        raise ValueError("negative size")
    source = _bytes_of(src, False, n)       # (the source is checked first, as in cffi)
    if source is None:
        src_address, keep2 = _address_of_buffer(src, writable=False)
        source = MEM[src_address:src_address + n]
    target = _bytes_of(dest, True, n)
    if target is None:
        dest_address, keep1 = _address_of_buffer(dest, writable=True)
        target = MEM[dest_address:dest_address + n]
    target[:] = source


def _memmove_bytes(dest, src, n):
    """ffi.memmove() with a bytes or bytearray at one end: the usual pairs with a pointer or
    array at the other end copy through one memoryview slice."""
    if n.__class__ is int and n >= 0:
        try:
            if isinstance(dest, _cd.CData) and dest._bytes_at and n <= len(src):
                address = dest._addr
                MEM[address:address + n] = src if n == len(src) else \
                    src[:n] if n <= 4096 else memoryview(src)[:n]       # (a small copy is cheaper)
                return
            if dest.__class__ is bytearray and isinstance(src, _cd.CData) and src._bytes_at \
                    and n <= len(dest):
                address = src._addr
                dest[:n] = MEM[address:address + n]
                return
        except ValueError:      # a size beyond the address space: _memmove() says so
            pass
    _memmove(dest, src, n)


def _bytes_of(obj, writable, n):
    """The first `n` bytes of a bytearray (or of a bytes object, read only) as a memoryview,
    with no address taken; else None (cdata, other buffers, a buffer shorter than `n`)."""
    cls = obj.__class__
    if (cls is bytearray or cls is bytes and not writable) and len(obj) >= n:
        return memoryview(obj)[:n]
    return None


def _address_of_buffer(obj, writable):
    """(address, what keeps it valid) of a cdata with an address or of a Python buffer."""
    if isinstance(obj, _cd.CData) and obj._bytes_at:
        return obj._addr, None
    if isinstance(obj, _cd.CData):      # (cffi refuses structs and function pointers too)
        raise TypeError("expected a pointer or array ctype, got '%s'" % (obj._ctype.cname,))
    if isinstance(obj, int) or isinstance(obj, str):
        raise TypeError("a bytes-like object is required, not '%s'" % (tp_name(type(obj)),))
    export = BufferExport(obj, writable=writable)
    return export.address, export
