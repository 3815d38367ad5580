"""Item reads through pointers to numbers at non-NULL aligned addresses (`p[i]` on an `int *`)."""
from .memory import typed_view


def aligned_number_getitem(fmt, size, fallback):
    """`__getitem__` for a pointer whose address is non-NULL and aligned to its `size`-byte
    items: one index into the typed view of memory, with no checks (the class guarantees the
    address).  Anything but an integer index (a slice, a cdata...) makes the sum or the index
    raise TypeError, and goes to `fallback`, the general method, which says what is wrong."""
    view, shift = typed_view(fmt), size.bit_length() - 1

    def getitem(self, index):
        try:
            return view[(self._addr >> shift) + index]
        except (TypeError, IndexError):     # (IndexError: beyond the address space)
            pass
        return fallback(self, index)        # (outside the except: no internal chaining)
    return getitem
