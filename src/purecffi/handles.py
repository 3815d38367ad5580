"""`ffi.new_handle()` / `ffi.from_handle()`: a `void *` standing for a Python object."""
import weakref
from operator import index as _index
from _weakref import _remove_dead_weakref

from .cdata import CData, PointerCData, _not_zero, concrete
from .convert import prepare
from .ctype import TYPES

TYPE_CHECKING = False
if TYPE_CHECKING:                       # the annotations are for type checkers only
    from typing import Any

_VOID_P = TYPES.pointer(TYPES.void)
# address -> weak reference to the handle cdata filed there.  No callback on death (a Python
# call per handle, most of new_handle's cost): dead entries are overwritten when their
# address is reused, and swept when the table has doubled since the last sweep, so its size
# stays within twice the live handles (plus a small floor).
# No lock: filing is one dict store, and the sweep drops an entry with the atomic
# `_remove_dead_weakref` (only if it still holds a dead reference), so a handle filed
# meanwhile at a dead one's address (by another thread, or by a destructor the collector runs
# during the sweep) stays.
_live = {}
_SWEEP_FLOOR = 256
_sweep_at = [_SWEEP_FLOOR]
_ref = weakref.ref


class HandleCData(PointerCData):
    """The `void *` returned by new_handle(): its `_keep` is the object, its id() the address
    (unique while it lives, as the object is kept alive)."""

    __slots__ = ()
    _item_size = 0
    _cast_keeps = False     # a copy made by ffi.cast() does not keep the object alive (as cffi)
    _cffi_class_name = "__CDataOwnGC"       # (cdata_kinds)

    def __repr__(self):
        return "<cdata 'void *' handle to %r>" % (self._keep,)

    def __getitem__(self, index):
        """`h[i]`: refused as cffi refuses it for the `void *` it owns."""
        _index_zero(self, index)
        return _plain(self)[index]

    def __setitem__(self, index, value):
        """`h[i] = x`: refused as `h[i]` is."""
        _index_zero(self, index)
        _plain(self)[index] = value

    def __add__(self, offset):
        return _plain(self) + offset        # a plain `void *`: no handle, keeps nothing

    __radd__ = __add__

    def __sub__(self, other):
        return _plain(self) - other


def _index_zero(handle, index):
    """cffi's IndexError for an index of a handle other than 0 (a slice goes on)."""
    if index.__class__ is not slice:
        index = _index(index)
        if index != 0:
            raise _not_zero(handle, index)


def _plain(handle):
    """A plain `void *` cdata with the handle's address."""
    pointer = _new_object(_VOID_P_CLASS)
    pointer._ctype, pointer._keep, pointer._addr = _VOID_P, None, handle._addr
    return pointer


_HANDLE_CLASS = concrete("HandleCData", HandleCData)
_new_object = object.__new__
_VOID_P_CLASS = prepare(_VOID_P).cdata_class


def _sweep():
    """Drop the entries of dead handles (each only if it is still a dead reference)."""
    live = _live
    for address in _addresses(live):
        _remove_dead_weakref(live, address)
    _sweep_at[0] = max(_SWEEP_FLOOR, 2 * len(live))


# what an API module's C reads to make and find handles as new_handle() and from_handle()
# do (build/api_accel_ffi.py): `_live` and `_sweep_at` are read from this module's globals
# at each call, as here
LENT = (_HANDLE_CLASS, _VOID_P, _VOID_P_CLASS, globals(), _sweep)


def _addresses(live):
    """A list of the table's addresses.  Not dict.copy(): CPython's reads the size after
    allocating the copy, where the collector may run destructors that file or sweep handles,
    leaving a copy that cannot be iterated.  list() makes no object while it iterates (under
    the GIL); another thread's change is retried."""
    while True:
        try:
            return list(live)
        except RuntimeError:            # the table changed under the iteration
            continue


def new_handle(self: "Any", x: object) -> CData:
    """A new `void *` handle for the object `x` (a different one at each call; `x` is cffi
    2's keyword name, the manual's `python_object`; a method of FFI: `self` is the ffi)."""
    handle = _new_object(_HANDLE_CLASS)     # built without an __init__ frame
    handle._ctype, handle._keep, handle._addr = _VOID_P, x, id(handle)
    _live[handle._addr] = _ref(handle)
    if len(_live) > _sweep_at[0]:
        _sweep()
    return handle


def from_handle(self: "Any", x: CData) -> "Any":
    """The object of a live handle `x` (any pointer cdata with the handle's address; a
    method of FFI: `self` is the ffi)."""
    handle = x
    cls = handle.__class__
    if cls is _HANDLE_CLASS:
        return handle._keep
    if cls is _VOID_P_CLASS:            # what C gives back: a plain `void *` (one frame)
        ref = _live.get(handle._addr)
        if ref is not None:
            original = ref()
            if original is not None:
                return original._keep
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
    original = ref() if ref is not None else None
    if original is None:
        raise RuntimeError("from_handle(): %r is not a live handle made by new_handle()"
                           % (handle,))
    return original._keep
