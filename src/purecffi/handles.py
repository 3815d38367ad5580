"""`ffi.new_handle()` / `ffi.from_handle()`: a `void *` standing for a Python object."""
import weakref

from .cdata import CData, PointerCData, concrete
from .convert import prepare
from .ctype import TYPES
from .memory import allocate

_VOID_P = TYPES.pointer(TYPES.void)
_live = weakref.WeakValueDictionary()      # address -> _HandleBox, while the handle lives


class _HandleBox:
    """Keeps the object and a unique address alive as long as the handle cdata lives."""

    __slots__ = ("obj", "buffer", "address", "__weakref__")

    def __init__(self, obj):
        self.obj = obj
        self.buffer, self.address = allocate(1)


class HandleCData(PointerCData):
    """The `void *` returned by new_handle()."""

    __slots__ = ()
    _item_size = 0
    _cast_keeps = False     # a copy made by ffi.cast() does not keep the object alive (as cffi)

    def __repr__(self):
        return "<cdata 'void *' handle to %r>" % (self._keep.obj,)


_HANDLE_CLASS = concrete("HandleCData", HandleCData)


def new_handle(obj):
    """A new `void *` handle for `obj` (a different one at each call)."""
    box = _HandleBox(obj)
    _live[box.address] = box
    prepare(_VOID_P)
    return _HANDLE_CLASS(_VOID_P, box.address, box)


def from_handle(handle):
    """The object of a live handle (any pointer cdata with the handle's address)."""
    ctype = getattr(handle, "_ctype", None)
    if ctype is None:
        raise TypeError("expected a 'cdata' object")
    if not (isinstance(handle, CData) and handle._address) or ctype.kind != "pointer" or \
            ctype.item.kind != "void" and ctype.item.cname != "char":
        raise TypeError("expected a 'cdata' object with a 'void *' out of new_handle(), got '%s'"
                        % (ctype.cname,))
    if not handle._addr:
        raise RuntimeError("cannot use from_handle() on NULL pointer")
    box = _live.get(handle._addr)
    if box is None:
        raise RuntimeError("from_handle(): %r is not a live handle made by new_handle()"
                           % (handle,))
    return box.obj
