"""`ffi.new_handle()` / `ffi.from_handle()`: a `void *` standing for a Python object."""
import threading
import weakref

from .cdata import CData, PointerCData, concrete
from .convert import prepare
from .ctype import TYPES
from .memory import allocate

_VOID_P = TYPES.pointer(TYPES.void)
# address -> weak reference to the _HandleBox, while the handle lives (a plain dict of
# references: WeakValueDictionary's Python-level methods cost more than the rest of a call)
_live = {}
_live_lock = threading.RLock()     # reentrant: a box may die (a collection) inside the lock


class _Ref(weakref.ref):
    """A weak reference to a box that knows the address it is filed under."""

    __slots__ = ("address",)


def _drop(ref):
    """Remove a dead box's entry (unless the address was given to a new box since)."""
    with _live_lock:
        if _live.get(ref.address) is ref:
            del _live[ref.address]


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
prepare(_VOID_P)


def new_handle(obj):
    """A new `void *` handle for `obj` (a different one at each call)."""
    box = _HandleBox(obj)
    ref = _Ref(box, _drop)
    ref.address = address = box.address
    with _live_lock:
        _live[address] = ref
    return _HANDLE_CLASS(_VOID_P, address, box)


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
    ref = _live.get(handle._addr)
    box = ref() if ref is not None else None
    if box is None:
        raise RuntimeError("from_handle(): %r is not a live handle made by new_handle()"
                           % (handle,))
    return box.obj
