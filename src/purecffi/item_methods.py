"""Item access of per-type pointer and array classes: `p[i]` and `a[i]` readers and writers
for each kind of item (numbers in typed views, chars, structs, pointers), chosen once per type."""
import struct as _struct

from . import platform as plat
from .cdata import ArrayCData, PointerCData, _slice
from .convert import prepare, write_numbers
from .ctype import ARRAY, ENUM, POINTER, PRIMITIVE, STRUCT, UNION, VOID, TYPES, opaque_error
from .views import pointer_item_getitem, pointer_item_setitem, struct_item_getitem
from .memory import MEM, typed_view

_new_object = object.__new__
# what a typed view of memory refuses that the checked path may take (or refuse in cffi's words)
_VIEW_ERRORS = (TypeError, ValueError, OverflowError, IndexError)
_FAR_ERRORS = (IndexError, _struct.error, OverflowError)    # reading beyond the address space
_POINTER_SIZE = _struct.calcsize("P")
_SSIZE_MAX, _SSIZE_MIN = plat.SSIZE_MAX, plat.SSIZE_MIN


def item_accessors(item, attrs):
    """Class attributes for reading/writing items of a pointer or array."""
    if item.kind == VOID or (item.is_opaque() and (item.kind not in (STRUCT, UNION) or getattr(
            item, "layout_error", None) is not None)):      # (the compiler contradicted it)
        attrs["_item_size"] = 0
        attrs["_item_read"] = staticmethod(_void_access(item))
        attrs["_item_write"] = staticmethod(_void_access(item))
        if not attrs.get("_array", False):
            attrs["__getitem__"], attrs["__setitem__"] = _sizeless_item_methods()
        return
    irt = prepare(item)
    if item.is_opaque() and not attrs.get("_array", False):
        attrs["__getitem__"], attrs["__setitem__"] = _sizeless_item_methods()
    attrs["_char_items"] = getattr(item, "category", None) == plat.CHAR or (
        getattr(item, "category", None) == plat.INT and item.byte_size == 1
        and item.kind != ENUM)
    attrs["_item_size"] = max(item.byte_size, 0)
    attrs["_item_read"] = staticmethod(irt.read)
    attrs["_item_write"] = staticmethod(irt.write)
    if item.kind in (STRUCT, UNION) and not item.is_opaque():
        attrs["__getitem__"] = struct_item_getitem(
            irt, attrs["_item_size"], attrs.get("_array", False),
            ArrayCData.__getitem__ if attrs.get("_array", False) else PointerCData.__getitem__)
    elif item.kind == POINTER and item.byte_size == _POINTER_SIZE:
        attrs["__getitem__"] = pointer_item_getitem(
            irt, attrs.get("_array", False),
            ArrayCData.__getitem__ if attrs.get("_array", False) else PointerCData.__getitem__)
        attrs["__setitem__"] = pointer_item_setitem(
            irt, attrs.get("_array", False),
            ArrayCData.__setitem__ if attrs.get("_array", False) else PointerCData.__setitem__)
        # (what an API module's C reads to make `ptrs[i]` as that `__getitem__`: accel.py)
        attrs["_pc_pointer_items"] = (item, irt, attrs.get("_array", False))
    elif is_plain_number(item):
        # numbers: one struct call per access, the checked writer only when pack refuses
        attrs["__getitem__"], attrs["__setitem__"] = _number_item_methods(
            irt.unpack, item.byte_size, irt.write, attrs.get("_array", False), irt.fmt)
    elif getattr(item, "category", None) == plat.CHAR:
        attrs["__getitem__"] = _char_getitem(attrs.get("_array", False))
    elif item.kind == ARRAY and item.length.__class__ is int and item.byte_size > 0 \
            and attrs.get("_array", False):
        attrs["__getitem__"] = _array_item_getitem(irt, item.byte_size)


def _array_item_getitem(irt, size):
    """`__getitem__` of an array of sized arrays (`int[2][3]`): an item in range is a view of
    the item type (its fast class at an aligned address), made here with no other frame, as
    the item reader makes it; anything else is ArrayCData's."""
    item, item_length = irt.ctype, irt.ctype.length

    def getitem(self, index):
        if index.__class__ is int:
            length = self._length
            if length is not None and 0 <= index < length:
                address = self._addr + index * size
                fast = irt.fast_class
                if fast is not None and address and not address & irt.align_mask:
                    result = _new_object(fast)
                    if fast._keeps_views:
                        result._view_items = None
                else:
                    result = _new_object(irt.cdata_class)
                result._ctype, result._addr, result._keep = item, address, self._keep
                result._length = item_length
                return result
        return ArrayCData.__getitem__(self, index)
    return getitem


_ONE_BYTE = tuple(bytes((b,)) for b in range(256))


def _char_getitem(is_array):
    """`__getitem__` for char items: the byte at the address, from a table of the 256
    one-byte bytes objects (no read function, no new object)."""
    if is_array:
        def getitem(self, index):
            if index.__class__ is int:
                length = self._length
                if 0 <= index < length if length is not None else index >= 0:
                    return _ONE_BYTE[MEM[self._addr + index]]
            return ArrayCData.__getitem__(self, index)
        return getitem

    def getitem(self, index):
        address = self._addr
        if address and index.__class__ is int:
            try:
                return _ONE_BYTE[MEM[address + index]]
            except IndexError:
                pass                        # beyond the address space: the checked path
        return PointerCData.__getitem__(self, index)
    return getitem


def is_byte_char(ctype):
    """`char`: a memoryview of format 'c' reads and writes its items as one-byte bytes."""
    return ctype.kind == PRIMITIVE and getattr(ctype, "category", None) == plat.CHAR \
        and ctype.byte_size == 1


def is_plain_number(ctype):
    """Integers, enums and float/double: the types a struct format reads and writes alone."""
    if ctype.kind == ENUM:
        return True
    return ctype.kind == PRIMITIVE and getattr(ctype, "category", None) in (plat.INT, plat.FLOAT)


def _number_item_methods(unpack, size, write, is_array, fmt):
    """`__getitem__`/`__setitem__` for number items (any alignment: struct's unpack_from).

    Closures (not class attributes) hold the accessors: a closure cell is the fastest lookup.
    Writes go through the checked writer, which never leaves half-written memory on error.
    """
    if is_array:
        def getitem(self, index):
            if index.__class__ is int:
                try:
                    if 0 <= index < self._length:
                        return unpack(MEM, self._addr + index * size)[0]
                except TypeError:
                    pass
            return ArrayCData.__getitem__(self, index)

        def setitem(self, index, value):
            length = self._length
            if index.__class__ is int and length is not None and 0 <= index < length:
                write(self._addr + index * size, value)
                return
            ArrayCData.__setitem__(self, index, value)
        return getitem, setitem

    view, shift, mask = typed_view(fmt), size.bit_length() - 1, size - 1

    def getitem(self, index):
        address = self._addr
        if address and index.__class__ is int:
            try:
                if address & mask:
                    return unpack(MEM, address + index * size)[0]
                return view[(address >> shift) + index]     # aligned: one index into the view
            except _FAR_ERRORS:
                pass                        # beyond the address space: the checked path
        return PointerCData.__getitem__(self, index)

    def setitem(self, index, value):
        address = self._addr
        if address and index.__class__ is int and not address & mask:
            try:
                view[(address >> shift) + index] = value    # aligned: one store into the view
                return
            except _VIEW_ERRORS:
                pass
        PointerCData.__setitem__(self, index, value)    # checked: writes or raises (outside
                                                        # the except: nothing chained)
    return getitem, setitem


def aligned_pointer_methods(fmt, size):
    """`__getitem__`/`__setitem__` of a pointer to numbers at an address aligned to their size
    (the type's fast class): one index into the typed view of memory, with no alignment test.
    (Arithmetic keeps the class and the alignment, and may reach NULL: that is still tested.)
    """
    view, shift = typed_view(fmt), size.bit_length() - 1

    def getitem(self, index):
        address = self._addr
        if address and index.__class__ is int:
            try:
                if index:
                    return view[(address >> shift) + index]
                return view[address >> shift]       # p[0]: one big-int operation
            except IndexError:
                pass                        # beyond the address space: the checked path
        elif index.__class__ is slice:
            return _slice(self, index, None)
        return PointerCData.__getitem__(self, index)

    def setitem(self, index, value):
        address = self._addr
        if address and index.__class__ is int:
            try:
                view[(address >> shift) + index] = value
                return
            except _VIEW_ERRORS:
                pass
        PointerCData.__setitem__(self, index, value)    # checked: writes or raises (outside
                                                        # the except: nothing chained)
    return {"__getitem__": getitem, "__setitem__": setitem}


def viewing_pointer_methods(fmt, getitem, setitem):
    """`__getitem__`/`__setitem__` of what ffi.cast() makes of a non-NULL aligned pointer to
    numbers (usually indexed many times): from its second item access on, `p[i]` (i >= 0) is
    one index into `_v`, a memoryview of memory from its address in the item format (None
    until the first access, False until the second); `getitem` and `setitem` (the type's fast
    class methods) do the rest."""
    def view(self):
        v = self._v
        if v is None:
            self._v = False             # (a pointer indexed once makes no view)
            return None
        if v is False:
            v = MEM[self._addr:].cast(fmt)
            if v:                       # (empty for an address beyond the address space)
                self._v = v
                return v
            return None
        return v

    items = typed_view(fmt)
    shift = items.itemsize.bit_length() - 1

    def viewing_getitem(self, index):
        if index.__class__ is int:
            v = self._v
            try:
                if v:
                    if index >= 0:
                        return v[index]
                elif v is None:
                    # the first access (often the only one, as `ffi.cast("int *", p)[0]`):
                    # `getitem`'s index into the typed view of memory, inline (no frames)
                    self._v = False
                    address = self._addr
                    if address:
                        return items[(address >> shift) + index]
                else:
                    v = view(self)
                    if v is not None and index >= 0:
                        return v[index]
            except IndexError:
                pass                        # beyond the address space: the checked path
        elif index.__class__ is slice:
            return _slice(self, index, None)
        return getitem(self, index)

    def viewing_setitem(self, index, value):
        if index.__class__ is int:
            v = self._v
            if not v:
                v = view(self)
            if v is not None and index >= 0:
                try:
                    v[index] = value
                    return
                except _VIEW_ERRORS:
                    pass
        setitem(self, index, value)     # checked: writes or raises (outside the except)
    return {"__getitem__": viewing_getitem, "__setitem__": viewing_setitem}


def aligned_item_methods(fmt, size, item):
    """Item access for arrays at non-NULL addresses aligned to their item size.

    Each array gets, on first access, `_items`: a memoryview of exactly its items in the item's
    format, so `a[i]` is one bounds-checked C-level index (negative indexes are refused before,
    as C arrays have none).  `a[i:j]` in range is made here too: an `item[]` of the same fast
    class (its items are aligned and non-NULL as well).  Anything unusual (bad slices, bad
    values, out of range) falls back to the general, checked ArrayCData methods, which raise
    the right errors.
    """
    # an array's first item access reads or writes through the view of all memory (no view
    # made: an array made for one access, `x2d[1][2]`, costs no more) and marks the slot
    # False; the second makes the array's own view, a slice of that one
    every, shift = typed_view(fmt), size.bit_length() - 1

    def items_view(self):
        length = self._length
        if length is None:
            return None
        start = self._addr >> shift
        items = self._view_items = every[start:start + length]
        return items

    sliced = None       # (`item[]`, its fast class), made by the first slice

    def slice_view(self, index):
        nonlocal sliced
        start, stop, length = index.start, index.stop, self._length
        if start.__class__ is int and stop.__class__ is int and index.step is None \
                and length is not None and 0 <= start and start <= stop and stop <= length:
            if sliced is None:
                arr = TYPES.array(item, None)
                sliced = (arr, (arr._rt or prepare(arr)).fast_class)
                _file_slice(self.__class__, sliced, size)
            result = _new_object(sliced[1])     # what _slice() makes, without its frame
            result._ctype = sliced[0]
            result._addr = self._addr + start * size
            result._keep = self._keep
            result._length = stop - start
            result._view_items = None           # (made at its first item access)
            return result
        return _slice(self, index, length)

    # (the retries and fallbacks run after the `try`: an error they raise must not have the
    # internal exception chained to it; the slices are made apart: each local and free
    # variable of `getitem` costs `a[i]` a little)
    def getitem(self, index):
        if index.__class__ is int:      # (a slice would raise in `>=`: an exception is slow)
            try:
                items = self._view_items
            except AttributeError:
                items = None
            if items is None or items is False:     # as ffi.new() makes it, or read once
                return self._first_item(index, items)
            if index >= 0:
                try:
                    return items[index]
                except IndexError:
                    pass
        elif index.__class__ is slice:
            return self._slice_view(index)      # (a method: not a free variable here)
        return ArrayCData.__getitem__(self, index)

    def first_item(self, index, items):
        """`a[i]` before the array's own view is made (see `every` above)."""
        length = self._length
        if items is None and length is not None and 0 <= index < length:
            self._view_items = False
            return every[(self._addr >> shift) + index]
        items = items_view(self)
        if items is not None and index >= 0:
            try:
                return items[index]
            except IndexError:
                pass
        return ArrayCData.__getitem__(self, index)

    def slice_set(self, index, value):
        start, stop, length = index.start, index.stop, self._length
        # in range, as many values as items: what the general slice assignment tries first
        if start.__class__ is int and stop.__class__ is int and index.step is None \
                and length is not None and 0 <= start <= stop <= length:
            kind = value.__class__
            if kind is list or kind is tuple:
                # (write_numbers() writes nothing where it does not apply)
                if len(value) == stop - start and item._rt is not None \
                        and write_numbers(item._rt, self._addr + start * size, value):
                    return
            elif getattr(value, "_array", False) and value._ctype.item is item \
                    and value._length == stop - start:      # an array of the same items
                address, source, count = self._addr + start * size, value._addr, \
                    (stop - start) * size
                MEM[address:address + count] = MEM[source:source + count]
                return
        ArrayCData.__setitem__(self, index, value)

    def setitem(self, index, value):
        if index.__class__ is not int:              # a slice: an exception is slow
            if index.__class__ is slice:
                self._slice_set(index, value)       # (a method: not a free variable here)
                return
            ArrayCData.__setitem__(self, index, value)
            return
        try:
            items = self._view_items
        except AttributeError:
            items = None
        if items is None or items is False:         # as ffi.new() makes it, or written once
            self._first_item_set(index, value, items)
            return
        if index >= 0:
            try:
                items[index] = value
                return
            except (TypeError, ValueError, OverflowError, IndexError):
                pass
        ArrayCData.__setitem__(self, index, value)      # checked: writes or raises

    def first_item_set(self, index, value, items):
        """`a[i] = x` before the array's own view is made (see `every` above)."""
        length = self._length
        if items is None and length is not None and 0 <= index < length:
            self._view_items = False
            try:
                every[(self._addr >> shift) + index] = value
                return
            except _VIEW_ERRORS:
                pass
        else:
            items = items_view(self)
            if items is not None and index >= 0:
                try:
                    items[index] = value
                    return
                except _VIEW_ERRORS:
                    pass
        ArrayCData.__setitem__(self, index, value)      # checked: writes or raises

    def iterate(self):
        # the memoryview's own iterator reads each item when it is reached, as C would
        items = getattr(self, "_view_items", None)
        if items is None or items is False:         # not made yet
            items = items_view(self)
            if items is None:
                len(self)           # raises: unknown length
        return iter(items)
    return getitem, setitem, iterate, slice_view, slice_set, first_item, first_item_set


def _file_slice(cls, sliced, size):
    """File on the class of `cls` that has `_slice_view` what an API module's C reads to make
    `a[i:j]` as that method does (accel.py): (`item[]`, its fast class, the item size)."""
    owner = next(klass for klass in cls.__mro__ if "_slice_view" in vars(klass))
    type.__setattr__(owner, "_pc_slice", sliced + (size,))      # (published whole)


def _sizeless_item_methods():
    """`p[i]` and `p[i] = x` of a pointer to items of no known size (void, opaque): the index
    moves no address, so one beyond ssize_t is refused here first (cffi's IndexError), then
    the family's method reads or writes (or refuses) the item."""
    def getitem(self, index):
        if index.__class__ is int and not _SSIZE_MIN <= index <= _SSIZE_MAX:
            raise IndexError("cannot fit 'int' into an index-sized integer")
        return PointerCData.__getitem__(self, index)

    def setitem(self, index, value):
        if index.__class__ is int and not _SSIZE_MIN <= index <= _SSIZE_MAX:
            raise IndexError("cannot fit 'int' into an index-sized integer")
        PointerCData.__setitem__(self, index, value)
    return getitem, setitem


def _void_access(item):
    def access(*args):
        if item.kind == VOID:
            raise TypeError("cdata 'void' is opaque")
        raise opaque_error(item)
    return access
