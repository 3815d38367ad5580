"""ffi.new_allocator()'s custom allocators: memory from the user's alloc(), released by the
user's free() (its exception reported as a destructor's)."""
import operator

from . import cdata as _cd
from .ctype import ARRAY, POINTER
from .memory import Owned, memset

__all__ = ["clear_flag", "custom_allocator"]


def clear_flag(value):
    """new_allocator()'s should_clear_after_alloc is an integer that fits a C long (cffi)."""
    value = operator.index(value)
    if not -(1 << 63) <= value < 1 << 63:
        raise OverflowError("Python int too large to convert to C long")


def custom_allocator(alloc, free, clear):
    """The allocator: byte size -> Owned memory from alloc() (cleared if `clear`)."""
    def allocator(byte_size):
        ptr = alloc(byte_size)
        if not isinstance(ptr, _cd.CData):
            raise TypeError("alloc() must return a cdata object (got %s)" % (type(ptr).__name__,))
        if ptr._ctype.kind not in (POINTER, ARRAY):
            raise TypeError("alloc() must return a cdata pointer, not '%s'" % (ptr._ctype.cname,))
        address = ptr._addr
        if not address:
            raise MemoryError("alloc() returned NULL")
        if clear:
            memset(address, 0, byte_size)
        release = freeing(free, ptr) if free is not None else None
        return Owned(byte_size, address, release)
    return allocator


def freeing(free, ptr):
    """free(ptr), its exception reported as a destructor's (at release() or when it dies)."""
    def release():
        try:
            free(ptr)
        except Exception as exc:
            from .unraisable import report
            report(exc, "Exception ignored from callback for ffi.gc %r" % (ptr,))
    return release
