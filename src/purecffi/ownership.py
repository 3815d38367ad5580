"""What cdata own, and freeing it early: `ffi.release()` and `with`."""
from .cdatabase import CData
from .cdata_value import ValueCData
from .gcref import GcRef, holds_gc
from .memory import _ADDRESSES, _PTR_SHIFT, _VIEW_BUF_OFFSET, BufferExport, Owned, \
    export_extent


def release(cdata):
    """`ffi.release()` and `with`: free now what `cdata` owns (new(), gc(), from_buffer()...).

    Memory of the default allocator is freed when its last holder dies (it cannot be freed
    earlier without risking the views that share it); custom allocators' `free` runs now.
    """
    if not isinstance(cdata, CData):
        raise TypeError("expected a 'cdata' object")        # (cffi's words)
    action = _release_action(cdata)
    if action is not None:
        action()


def _release_action(cdata):
    """What releasing `cdata` calls (None: nothing to do now); ValueError if it owns nothing
    that ffi.release() or `with` can free."""
    keep = getattr(cdata, "_keep", None)
    if keep.__class__ is memoryview and _VIEW_BUF_OFFSET is not None:
        # from_buffer()'s fast route (from_buffer.py): its open array spans the whole view
        # (what _holds_export() finds, in one frame)
        try:
            keep.obj
        except ValueError:              # released already: releasing again does nothing
            if _holds_export(cdata, keep):
                return None
            raise _not_releasable() from None
        if cdata._addr == _ADDRESSES[(id(keep) + _VIEW_BUF_OFFSET) >> _PTR_SHIFT] and \
                cdata._array and cdata._ctype.length is None:
            item_size = cdata._item_size or cdata._ctype.item.byte_size
            if item_size > 0 and cdata._length == keep.nbytes // item_size:
                return keep.release
    if keep is None:
        keep = getattr(cdata, "_gc", None)      # ffi.gc() of a primitive value
    if cdata.__class__._owning and not cdata._struct:
        return keep.release if keep.__class__ is Owned else None
    if isinstance(keep, GcRef):
        if keep is getattr(cdata, "_gc", None) or holds_gc(cdata, keep):
            return keep.release
    elif keep.__class__ is memoryview or keep.__class__ is BufferExport:
        if _holds_export(cdata, keep):
            return keep.release
    raise _not_releasable()


def _not_releasable():
    """cffi's error for releasing a cdata that owns nothing ffi.release() can free."""
    return ValueError("only 'cdata' object from ffi.new(), ffi.gc(), ffi.from_buffer() or "
                     "ffi.new_allocator()() can be used with the 'with' keyword or "
                     "ffi.release()")


def _holds_export(cdata, keep):
    """Whether `cdata` is what ffi.from_buffer() returned with the export `keep` (not a slice,
    an offset or a cast of it): at its address, and an open array spanning all of it."""
    extent = export_extent(keep, released=True)
    if extent is None:
        return True                     # released, and where unknown: as what it returned
    address, byte_size = extent
    if cdata._addr != address:
        return False
    if keep.__class__ is BufferExport:
        if keep.ctype is not None and cdata._ctype is not keep.ctype:
            return False
    elif not cdata._array or cdata._ctype.length is not None:
        return False                    # (the fast path's from_buffer() makes `T[]` arrays)
    if cdata._array and cdata._ctype.length is None:
        item_size = cdata._item_size or cdata._ctype.item.byte_size
        return item_size <= 0 or cdata._length == byte_size // item_size
    return True


def _value_enter(self):
    """`with` on a value cdata: refused as cffi does (unless it is an ffi.gc() value)."""
    _release_action(self)
    return self


def _value_exit(self, *exc):
    release(self)


ValueCData.__enter__, ValueCData.__exit__ = _value_enter, _value_exit
