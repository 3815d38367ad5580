"""Accessors that make a struct or pointer view in one step (no reader call, no `__init__`).

`pts[3]`, `line.a` and `line.next` each make a new cdata view per access; these closures
choose its class (the type's fast class when the address is non-NULL and aligned for it,
as the readers in convert.py do) and fill its slots themselves.
"""
from struct import calcsize
from struct import error as StructError

from . import platform as plat
from .cdatabase import CData
from .ctype import TYPES
from .memory import MEM, read_address, typed_view, write_address
from .specialise import specialise

_new_object = object.__new__
_POINTER_SIZE = calcsize("P")
_HIGH_BIT = plat.HIGH_BIT   # an item address at or past 1 << HIGH_BIT (or negative) wrapped
_FAR_ERRORS = (StructError, OverflowError)  # what reading beyond the address space raises


def struct_item_getitem(irt, size, is_array, fallback):
    """`__getitem__` of a pointer or array of structs/unions (`irt`: the item's runtime);
    anything but an in-range int index goes to `fallback` (the family's checked method)."""
    item = irt.ctype
    if is_array:
        def getitem(self, index):
            if index.__class__ is int:
                length = self._length
                if length is not None and 0 <= index < length:
                    address = self._addr + index * size
                    cls = irt.fast_class
                    if cls is None or not address or address & irt.align_mask:
                        cls = irt.cdata_class
                    result = _new_object(cls)
                    result._ctype, result._addr, result._keep = item, address, self._keep
                    return result
            return fallback(self, index)
        return getitem

    def getitem(self, index):
        address = self._addr
        if address and index.__class__ is int:
            address += index * size
            if address >> _HIGH_BIT:        # wrapped, or an index beyond ssize_t: the
                return fallback(self, index)    # checked path (cffi's IndexError or wrap)
            cls = irt.fast_class
            if cls is None or not address or address & irt.align_mask:
                cls = irt.cdata_class
            result = _new_object(cls)
            result._ctype, result._addr, result._keep = item, address, self._keep
            return result
        return fallback(self, index)
    return getitem


def pointer_item_getitem(irt, is_array, fallback):
    """`__getitem__` of a pointer or array of data pointers (`irt`: the item pointer type's
    runtime): an in-range int index reads the pointer and makes its view here; anything else
    goes to `fallback` (the family's checked method)."""
    ptype = irt.ctype
    if is_array:
        def getitem(self, index):
            if index.__class__ is int:
                length = self._length
                if length is not None and 0 <= index < length:
                    pointer = read_address(MEM, self._addr + index * _POINTER_SIZE)[0]
                    cls = irt.fast_class
                    if cls is None or not pointer or pointer & irt.align_mask:
                        cls = irt.cdata_class
                    result = _new_object(cls)
                    result._ctype, result._addr, result._keep = ptype, pointer, None
                    return result
            return fallback(self, index)
        return getitem

    def getitem(self, index):
        address = self._addr
        if address and index.__class__ is int:
            try:
                pointer = read_address(MEM, address + index * _POINTER_SIZE)[0]
            except _FAR_ERRORS:             # beyond the address space: the checked path
                return fallback(self, index)
            cls = irt.fast_class
            if cls is None or not pointer or pointer & irt.align_mask:
                cls = irt.cdata_class
            result = _new_object(cls)
            result._ctype, result._addr, result._keep = ptype, pointer, None
            return result
        return fallback(self, index)
    return getitem


def pointer_item_setitem(irt, is_array, fallback):
    """`__setitem__` of a pointer or array of data pointers: an in-range int index is written
    here (a pointer of the item type itself with no test, anything else by the item's writer,
    which knows what else the type takes as it is); any other index goes to `fallback`."""
    ptype, write = irt.ctype, irt.write
    if is_array:
        def setitem(self, index, value):
            if index.__class__ is int:
                length = self._length
                if length is not None and 0 <= index < length:
                    if isinstance(value, CData) and value._ctype is ptype:
                        write_address(MEM, self._addr + index * _POINTER_SIZE, value._addr)
                    else:
                        write(self._addr + index * _POINTER_SIZE, value)
                    return
            fallback(self, index, value)
        return setitem

    def setitem(self, index, value):
        address = self._addr
        if address and index.__class__ is int:
            try:
                if isinstance(value, CData) and value._ctype is ptype:
                    write_address(MEM, address + index * _POINTER_SIZE, value._addr)
                else:
                    write(address + index * _POINTER_SIZE, value)
                return
            except _FAR_ERRORS:             # beyond the address space: the checked path
                pass
        fallback(self, index, value)
    return setitem


def owning_pointer_methods(irt, getitem, setitem):
    """`__getitem__`/`__setitem__` of `ffi.new("T **")` (`irt`: the item pointer type's
    runtime): `p[0]` reads the pointer and makes its view here, `p[0] = q` of a pointer of
    that very type writes its address (any other `q` goes to the item's writer); any other
    index goes to `getitem`/`setitem`."""
    ptype = irt.ctype

    def owning_getitem(self, index):
        if index.__class__ is int and index == 0:
            pointer = read_address(MEM, self._addr)[0]
            cls = irt.fast_class
            if cls is None or not pointer or pointer & irt.align_mask:
                cls = irt.cdata_class
            result = _new_object(cls)
            result._ctype, result._addr, result._keep = ptype, pointer, None
            return result
        return getitem(self, index)

    def owning_setitem(self, index, value):
        if index.__class__ is int and index == 0:
            if isinstance(value, CData) and value._ctype is ptype:
                write_address(MEM, self._addr, value._addr)
            else:
                self._item_write(self._addr, value)
            return
        setitem(self, index, value)
    return owning_getitem, owning_setitem


def aligned_struct_items_getitem(irt, size, fallback):
    """`__getitem__` of an array of structs/unions at a non-NULL address aligned for them (the
    array type's fast class): an item in range is a view of the item's fast class, with no
    test of its address; anything else goes to `fallback`."""
    item = irt.ctype

    def getitem(self, index):
        if index.__class__ is int:
            length = self._length
            if index >= 0 and length is not None:
                if index < length:
                    result = _new_object(irt.fast_class or irt.cdata_class)
                    result._ctype = item
                    result._addr = self._addr + index * size
                    result._keep = self._keep
                    return result
        return fallback(self, index)
    return getitem


def aligned_struct_items_iter(irt, size, fallback):
    """`__iter__` of the same arrays: each item a view of the item's fast class, made in the
    generator with no other frame (`fallback`, the family's method, for an unknown length)."""
    item = irt.ctype

    def iterate(self):
        length = self._length
        if length is None:
            return fallback(self)
        return _struct_items(irt.fast_class or irt.cdata_class, item, self._addr, size,
                             length, self._keep)
    return iterate


def _struct_items(cls, item, address, size, length, keep):
    """The generator of aligned_struct_items_iter()."""
    for address in range(address, address + length * size, size):
        result = _new_object(cls)
        result._ctype, result._addr, result._keep = item, address, keep
        yield result


def aligned_struct_pointer_getitem(irt, size, fallback):
    """`__getitem__` of a pointer to structs/unions at a non-NULL address aligned for them (the
    pointer type's fast class): `p[i]` is a view of the item's fast class, with no test of its
    alignment (only of NULL); anything else goes to `fallback`."""
    item = irt.ctype

    def getitem(self, index):
        if index.__class__ is int:
            address = self._addr + index * size
            if address and not address >> _HIGH_BIT:   # (else NULL, wrapped or refused)
                result = _new_object(irt.fast_class or irt.cdata_class)
                result._ctype = item
                result._addr = address
                result._keep = self._keep
                return result
        return fallback(self, index)
    return getitem


def struct_field_getter(frt, offset, aligned, null_error, slot=None):
    """The getter of a struct/union field that is itself a struct or union (`line.a`).  With
    `aligned` (the class is only used for non-NULL memory where the field is aligned for its
    type), the view is of the field type's fast class with no test.  With a `slot` (owning
    classes), the view is made on first access and kept there (the field is at a fixed place
    in the struct, so the same view serves every later access); without, made each time."""
    get = _struct_field_view(frt, offset, aligned, null_error)
    return cached_getter(get, slot) if slot is not None else get


def cached_getter(make, slot):
    """A getter returning the view `make(self)` made on first access and kept in `slot`."""
    return specialise(_cached_view_get, {"_vf_": slot}, MAKE=make)


def _cached_view_get(self):
    try:
        return self._vf_
    except AttributeError:
        pass
    view = self._vf_ = MAKE(self)                   # noqa: F821 (bound by specialise)
    return view


def _struct_field_view(frt, offset, aligned, null_error):
    """A function making the view of a struct-typed field (see struct_field_getter)."""
    ftype = frt.ctype
    if aligned:
        def get(self):
            result = _new_object(frt.fast_class or frt.cdata_class)
            result._ctype, result._addr, result._keep = ftype, self._addr + offset, self._keep
            return result
        return get

    def get(self):
        address = self._addr
        if address:
            address += offset
            cls = frt.fast_class
            if cls is None or address & frt.align_mask:
                cls = frt.cdata_class
            result = _new_object(cls)
            result._ctype, result._addr, result._keep = ftype, address, self._keep
            return result
        raise null_error(self._ctype)
    return get


def pointer_field_getter(prt, offset, aligned, null_error, slot=None):
    """The getter of a data pointer field (`line.next`): the pointer read and its view made
    here.  With `aligned` (the class is only used for non-NULL memory where the field is
    aligned), the pointer is one index into a typed view of memory.  With a `slot` (owning
    classes), the last view made is kept there and returned again while the field holds the
    same pointer; without, a view is made each time (a list walked through `node.next` keeps
    no chain of views alive, and a fresh node pays no first-access miss)."""
    make = _pointer_view(prt)
    if aligned:
        # (the view starts at the field: its index is the struct's address >> shift)
        shift = _POINTER_SIZE.bit_length() - 1
        view = typed_view("P")[offset >> shift:]
        if slot is None:
            return _aligned_pointer_get(prt, view, shift)
        return specialise(_cached_pointer_get, {"_vf_": slot}, VIEW=view, SHIFT=shift,
                          MAKE=make)

    def get(self):                      # (packed structs: no view of the field's memory)
        address = self._addr
        if address:
            return make(read_address(MEM, address + offset)[0])
        raise null_error(self._ctype)
    return get


def _cached_pointer_get(self):
    pointer = VIEW[self._addr >> SHIFT]             # noqa: F821 (bound by specialise)
    try:
        view = self._vf_
        if view._addr == pointer:
            return view
    except AttributeError:
        pass
    view = self._vf_ = MAKE(pointer)                # noqa: F821
    return view


def array_field_getter(frt, offset, null_error):
    """The getter of a sized array field (`rec.vals`): its view made with no other frame, as
    the array type's reader makes it (its typed view of the items, if its class keeps one,
    not made yet)."""
    ftype = frt.ctype
    length = ftype.length

    def get(self):
        address = self._addr
        if address:
            address += offset
            fast = frt.fast_class
            if fast is not None and not address & frt.align_mask:
                result = _new_object(fast)
                if fast._keeps_views:
                    result._view_items = None
            else:
                result = _new_object(frt.cdata_class)
            result._ctype, result._addr, result._keep, result._length = ftype, address, \
                self._keep, length
            return result
        raise null_error(self._ctype)
    return get


def function_reader(ctype, rt):
    """The reader of a function pointer type (a struct field, an array item, `*p`): the
    cdata last made for the type is given again while the memory holds the same address.
    It keeps the ctypes function made at its first call, so a callback read and called each
    time builds and looks up that function once, not at every read."""
    last = (None, None)         # (address, cdata): replaced whole, never changed in place

    def read(address, keep=None):
        nonlocal last
        pointer = read_address(MEM, address)[0]
        made = last
        if made[0] == pointer:
            return made[1]
        result = _new_object(rt.cdata_class)
        result._ctype, result._addr, result._keep = ctype, pointer, None
        last = (pointer, result)
        return result
    return read


def _aligned_pointer_get(prt, view, shift):
    """The uncached getter of an aligned pointer field: the view made with no other frame
    (what `_pointer_view(prt)` makes)."""
    ptype = prt.ctype

    def get(self):
        pointer = view[self._addr >> shift]
        cls = prt.fast_class        # (read here: a recursive struct's pointer type may still
        if cls is None or not pointer or pointer & prt.align_mask:  # be in preparation)
            cls = prt.cdata_class
        result = _new_object(cls)
        result._ctype, result._addr, result._keep = ptype, pointer, None
        return result
    return get


def _pointer_view(prt):
    """A function making the view of the pointer `pointer` of the field type (no keep)."""
    ptype = prt.ctype

    def make(pointer):
        cls = prt.fast_class
        if cls is None or not pointer or pointer & prt.align_mask:
            cls = prt.cdata_class
        result = _new_object(cls)
        result._ctype, result._addr, result._keep = ptype, pointer, None
        return result
    return make


_VOID_P = TYPES.pointer(TYPES.void)


def pointer_field_setter(ptype, offset, write, null_error):
    """The setter of a data pointer field (`line.next = p`): a pointer cdata of the field's
    very type, or a `void *` (ffi.NULL), is written here, anything else by the field type's
    checked writer `write`."""
    def put(self, value):
        address = self._addr
        if address:
            if isinstance(value, CData):
                source = value._ctype
                if source is ptype or source is _VOID_P:      # (a data pointer takes `void *`)
                    write_address(MEM, address + offset, value._addr)
                    return
            write(address + offset, value)
            return
        raise null_error(self._ctype)
    return put


def struct_field_setter(offset, write, null_error):
    """The setter of a struct or union field (`line.a = s`): a copy of a cdata of the field's
    type is made here (its writer's `struct_copy`), anything else goes to `write`."""
    stype, pack, unpack = write.struct_copy

    def put(self, value):
        address = self._addr
        if address:
            if isinstance(value, CData) and value._ctype is stype:
                pack(MEM, address + offset, unpack(MEM, value._addr)[0])
                return
            write(address + offset, value)
            return
        raise null_error(self._ctype)
    return put
