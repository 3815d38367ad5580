"""Per-type cdata classes: pointer, array, struct and function classes made from the families,
with their field properties and item accessors (`attach_classes()`, once per prepared type)."""
import struct as _struct
from operator import attrgetter

from . import accel, platform as plat
from .cdata import (ArrayCData, FunctionPtrCData, OwningPointerCData, PointerCData, StructCData,
                    StructPointerCData, _OpaqueStructCData, _OpaqueStructPointerCData,
                    _owning_item_methods, _owning_number_methods, concrete, null_error)
from .cdatabase import make_cdata
from .bitfields import bitfield_accessors, lent_bitfield
from .convert import bitfield_range, built_runtime, prepare, write_array
from .ctype import ARRAY, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, UNION, VOID, TYPES
from .specialise import specialise
from .varsize import is_var_sized, write_items
from .views import (aligned_struct_items_getitem, aligned_struct_items_iter, array_field_getter,
                    aligned_struct_pointer_getitem, cached_getter, owning_pointer_methods,
                    pointer_field_getter, pointer_field_setter,
                    struct_field_getter, struct_field_setter)
from .pointer_items import aligned_number_getitem
from .memory import MEM, owned_size, typed_view
from .shadow import mirror
from .item_methods import (aligned_item_methods, aligned_pointer_methods, is_byte_char,
                           is_plain_number, item_accessors, viewing_pointer_methods)

_new_object = object.__new__
_POINTER_SIZE = _struct.calcsize("P")


# -- Struct fields ----
def _no_delete(self):
    """`del p.x`: refused with cffi's message."""
    raise AttributeError("cannot delete struct field")


def _field_property(ctype, field, fast, cached=False):
    """The property reading and writing one field of a struct (through a pointer or not).

    With `fast`, the class is only used for non-NULL addresses aligned for the struct, so
    naturally aligned number fields read through a typed view with no NULL check.  With
    `cached` (owning classes, see _cached_field_attrs), the view a struct, pointer or array
    field reads as is kept in the field's slot.
    """
    slot = _view_slot(field.name) if cached else None
    offset = field.offset
    if fast and field.bitsize < 0 and is_plain_number(field.type) \
            and field.offset % field.type.byte_size == 0 \
            and ctype.byte_align >= field.type.byte_size:
        return _aligned_number_property(field)
    if field.bitsize >= 0:
        return property(*bitfield_accessors(ctype, field, null_error), _no_delete)
    ftype = field.type
    frt = prepare(ftype)
    if ftype.kind == ARRAY and (ftype.length is None or ftype.length == 0):
        return _flexible_array_property(ctype, field, frt)
    write = frt.write
    if ftype.kind in (STRUCT, UNION) and not ftype.is_opaque():
        get = struct_field_getter(frt, offset, fast and offset % ftype.byte_align == 0
                                  and ctype.byte_align >= ftype.byte_align, null_error, slot)
    elif ftype.kind == POINTER:
        get = pointer_field_getter(frt, offset, fast and offset % _POINTER_SIZE == 0
                                   and ctype.byte_align >= _POINTER_SIZE, null_error, slot)
    elif ftype.kind == PRIMITIVE and getattr(ftype, "category", None) == plat.BOOL \
            and ftype.byte_size == 1:
        return property(*_bool_field_accessors(frt, offset), _no_delete)
    elif frt.unpack is not None and ftype.kind in (PRIMITIVE, ENUM) \
            and getattr(ftype, "category", plat.INT) in (plat.INT, plat.FLOAT):
        unpack = frt.unpack

        def get(self):
            address = self._addr
            if address:
                return unpack(MEM, address + offset)[0]
            raise null_error(self._ctype)
    else:
        read = frt.read

        def get(self):
            address = self._addr
            if address:
                return read(address + offset, self._keep)
            raise null_error(self._ctype)
        if _is_sized_array(ftype):      # at a fixed place: made once where cached
            get = cached_getter(get, slot) if slot is not None else \
                array_field_getter(frt, offset, null_error)

    def put(self, value):
        address = self._addr
        if address:
            write(address + offset, value)      # the checked writer: nothing written on error
            return
        raise null_error(self._ctype)
    if _takes_bytes(ftype):
        put = _bytes_field_put(offset, ftype.length, write)
    elif ftype.kind == POINTER:
        put = pointer_field_setter(ftype, offset, write, null_error)
    elif getattr(write, "struct_copy", None) is not None:
        put = struct_field_setter(offset, write, null_error)
    return property(get, put, _no_delete)


def _takes_bytes(ftype):
    """A sized array of one-byte chars or ints: its writer copies a short enough bytes."""
    item = ftype.item if ftype.kind == ARRAY else None
    return item is not None and item.byte_size == 1 and item.kind == PRIMITIVE and getattr(
        item, "category", None) in (plat.CHAR, plat.INT) and ftype.length.__class__ is int


def _bytes_field_put(offset, length, write):
    """The setter of a `char x[N]` field: bytes of at most N are copied here, NUL-ended if
    shorter, as the array's writer does (which takes anything else, and raises)."""
    def put(self, value):
        address = self._addr
        if address:
            if value.__class__ is bytes and len(value) <= length:
                start = address + offset
                end = start + len(value)
                MEM[start:end] = value
                if end < start + length:
                    MEM[end] = 0
                return
            write(address + offset, value)
            return
        raise null_error(self._ctype)
    return put


_BOOLS = (False, True)


def _bool_field_accessors(frt, offset):
    """(getter, setter) of a one-byte `_Bool` field: one byte read or written, the checked
    reader and writer for anything but 0 and 1 (their errors)."""
    read, write = frt.read, frt.write

    def get(self):
        address = self._addr
        if address:
            byte = MEM[address + offset]
            return _BOOLS[byte] if byte < 2 else read(address + offset)
        raise null_error(self._ctype)

    def put(self, value):
        address = self._addr
        if not address:
            raise null_error(self._ctype)
        if value is True or value is False or value.__class__ is int and 0 <= value <= 1:
            MEM[address + offset] = value
        else:
            write(address + offset, value)
    return get, put


def _view_slot(name):
    """The slot keeping the view last made for the struct or pointer field `name`."""
    return "_vf_" + name


def _cached_field_attrs(struct_type):
    """The properties of an owning class (ffi.new()'s memory: non-NULL, aligned, and usually
    used many times) for the fields that read as a view (struct, pointer and sized array
    fields), which keep that view in a slot of their own, and those `__slots__`.  The other
    classes make such views at each read: theirs are mostly made for one access, where a
    slot not yet set would cost a caught AttributeError."""
    attrs = {name: _field_property(struct_type, field, True, cached=True)
             for name, field in attribute_fields(struct_type) if field.bitsize < 0 and (
                 field.type.kind == POINTER or _is_sized_array(field.type) or (
                     field.type.kind in (STRUCT, UNION) and not field.type.is_opaque()))}
    attrs["__slots__"] = tuple(_view_slot(name) for name in attrs)
    # (their pointer and struct fields keep the view they read: not lent C, which makes one
    # per read)
    attrs["_pc_fields"] = tuple(entry for entry in _lendable_fields(struct_type)
                                if entry[2] not in ("P", "S"))
    return attrs


def _is_sized_array(ctype):
    """An array type of a known, non-zero length."""
    return ctype.kind == ARRAY and ctype.length.__class__ is int and ctype.length > 0


def _aligned_number_property(field):
    """A number field read and written through a typed view (see `_field_property`): the view
    starts at the field's offset, so the index is `address >> shift` (one big-int operation)."""
    frt = prepare(field.type)
    offset, shift = field.offset, field.type.byte_size.bit_length() - 1
    view = typed_view(frt.fmt)[offset >> shift:]
    write = frt.write

    def get(self):
        return view[self._addr >> shift]

    def put(self, value):
        try:
            view[self._addr >> shift] = value
            return
        except (TypeError, ValueError, OverflowError):
            pass
        write(self._addr + offset, value)      # raises the right error (outside the except:
    return property(get, put, _no_delete)                   # no internal exception chained to it)


def _flexible_array_property(ctype, field, frt):
    """A `T x[]` (or `T x[0]`) field: an array as long as ffi.new() allocated it, read from
    what ffi.new() returned; otherwise a `T *` to the items (their number is not known)."""
    offset = field.offset
    item_size = field.type.item.byte_size
    pointer = TYPES.pointer(field.type.item)
    pointer_class = prepare(pointer).cdata_class
    open_array = field.type.length is None

    def get(self):
        keep = self._keep
        if open_array and self._owning and keep is not None:
            length = (owned_size(keep) - offset) // item_size if item_size > 0 else 0
            return make_cdata(frt.cdata_class, field.type, self._addr + offset, keep, length)
        return make_cdata(pointer_class, pointer, self._addr + offset, keep)

    def put(self, value):
        if not open_array:
            frt.write(self._addr + offset, value)       # `T x[0]`: no items
        elif self._owning and self._keep is not None:
            arr = get(self)
            write_array(field.type, arr._addr, value, arr._length)
        else:
            write_items(field.type, self._addr + offset, value)
    return property(get, put, _no_delete)


# -- Per-type classes ----
def attach_classes(ctype, rt):
    """Give `rt` the cdata class(es) of `ctype` (called once when the type is prepared)."""
    maker = _CLASS_MAKERS.get(ctype.kind)
    if maker is not None:
        maker(ctype, rt)
        _offer_classes(rt)


# what a class names when an API module's C may speed it up (accel.py, build/api_accel.py)
_LENDABLE = ("_pc_number", "_pc_number_array", "_pc_number_pointer", "_pc_fields",
             "_pc_struct_items", "_pc_pointer_add", "_pc_address", "_pc_array_add",
             "_pc_pointer_items", "_pc_struct_copy", "_pc_pointer_call")


def _offer_classes(rt):
    """Offer to accel.py the classes of `rt` that name what C may speed up, once all are
    made: each takes some methods of the others as it is made, which must be the Python
    ones (a C method is bound to its class)."""
    owning = rt.owning_class
    for cls in (rt.cdata_class, rt.fast_class, rt.cast_class, owning,
                vars(owning).get("_mirror_class") if owning is not None else None):
        if cls is not None and any(vars(cls).get(mark) for mark in _LENDABLE):
            accel.offer(cls)


def _pointer_class(ctype, rt):
    item = ctype.item
    attrs = {}
    template = PointerCData
    with_fields = item.kind in (STRUCT, UNION) and not item.is_opaque()
    if item.kind in (STRUCT, UNION):
        if item.is_opaque():
            template = _OpaqueStructPointerCData
        else:
            template = StructPointerCData
            attrs.update(_field_properties(item, False))
    item_accessors(item, attrs)
    if with_fields and getattr(prepare(item).write, "struct_copy", None) is not None:
        attrs["_pc_struct_copy"] = (item, item.byte_size, 2)    # (`p[i] = s`: accel.py)
    size = attrs["_item_size"]
    if size > 0 or item.kind == VOID:   # (`void *` moves by bytes: gcc's extension, as cffi)
        attrs.update(_pointer_adds(size or 1, None))
    rt.cdata_class = cls = concrete(ctype.cname, template, attrs)
    owning = {}
    owning_item = None
    slots = ()
    if is_plain_number(item):      # non-NULL and aligned: `p[i]` with no checks
        rt.fast_class = cls = concrete(ctype.cname, template, {"__getitem__": (
            aligned_number_getitem(prepare(item).fmt, item.byte_size, cls.__getitem__))},
            parent=cls)
        rt.align_mask = item.byte_size - 1
    if with_fields:
        # non-NULL and aligned for the struct: so is `p[i]` (and it is not NULL in practice)
        rt.fast_class = cls = _fast_subclass(cls, item, rt, {"__getitem__": (
            aligned_struct_pointer_getitem(prepare(item), item.byte_size, cls.__getitem__)),
            "_pc_struct_items": _struct_items_info(prepare(item), False)})
        owning_item = prepare(item)
        owning.update(_owned_view_attrs(item))
        slots = owning.pop("__slots__", ()) + ("_v_item",)
        owning.update(_cached_field_attrs(item))
        slots += owning.pop("__slots__")
    copy = getattr(cls._item_write, "struct_copy", None) if with_fields else None
    owning["__getitem__"], owning["__setitem__"] = _owning_item_methods(
        cls.__getitem__, cls.__setitem__, owning_item, copy)
    if copy is not None:    # (`p[0] = s` as the C of an API module: accel.py)
        owning["_pc_struct_copy"] = (item, item.byte_size, 0)
    if item.kind == POINTER and item.byte_size == _POINTER_SIZE:
        owning["__getitem__"], owning["__setitem__"] = owning_pointer_methods(
            prepare(item), owning["__getitem__"], owning["__setitem__"])
    if is_plain_number(item):
        irt = prepare(item)
        view = typed_view(irt.fmt) if item.byte_size in (1, 2, 4, 8) else None
        owning["__getitem__"], owning["__setitem__"] = _owning_number_methods(
            owning["__getitem__"], owning["__setitem__"], irt.unpack, irt.write, view,
            item.byte_size)
        if item.byte_size in (1, 2, 4, 8):
            # (what an API module's C reads: accel.py)
            lent = {"_pc_number_pointer": irt.fmt}
            owning["_pc_number"] = irt.fmt
            fast = concrete(ctype.cname, PointerCData, dict(aligned_pointer_methods(
                irt.fmt, item.byte_size), **lent), parent=cls)
            rt.cast_class = concrete(ctype.cname, PointerCData, dict(_pointer_adds(size, fast), **(
                viewing_pointer_methods(irt.fmt, fast.__getitem__, fast.__setitem__)), **lent),
                parent=fast, slots=("_v",))
            rt.fast_class = fast
            rt.align_mask = item.byte_size - 1
    if size > 0:    # memory of ffi.new() is aligned and non-NULL: so is `p + n`
        owning.update(_pointer_adds(size, rt.fast_class or rt.cdata_class))
    owning_class = concrete(ctype.cname, OwningPointerCData, owning, parent=cls, slots=slots)
    if with_fields:
        _add_mirror_class(owning_class, OwningPointerCData, item, lambda parent: dict(zip(
            ("__getitem__", "__setitem__"), _owning_item_methods(
                cls.__getitem__, cls.__setitem__, _MirrorItem(owning_item), copy))))
    rt.owning_class = owning_class


# `p + n` is made here when the new address is below 2**63 (the rest, the general way, wraps
# around the address space and refuses an offset beyond ssize_t, as C and cffi do)
_HIGH_BIT = plat.HIGH_BIT
_SSIZE_MAX, _SSIZE_MIN = plat.SSIZE_MAX, plat.SSIZE_MIN


def _pointer_add(size, target=None):
    """`p + n` for a pointer to items of `size` bytes: the new pointer made with no frame, of
    the same class (plain and fast pointers stay so: `p + n` is as aligned as `p`), or of the
    class `target` (for owning and cast pointers: `p + n` owns nothing, as in cffi, and has no
    view of its own)."""
    def add(self, offset):
        if offset.__class__ is int:
            address = self._addr + offset * size
            if not address >> _HIGH_BIT:        # else wrapped, or an offset beyond ssize_t
                result = _new_object(target or self.__class__)
                result._ctype, result._addr, result._keep = self._ctype, address, self._keep
                return result
        return PointerCData.__add__(self, offset)
    return add


def _pointer_sub(size, target=None):
    """`p - n` made as `p + n` is, and `p - q` of two pointers of the same type, with no
    other frame; anything else (and every error) the general way."""
    def sub(self, other):
        if other.__class__ is int:
            address = self._addr - other * size
            if not address >> _HIGH_BIT:        # else wrapped, or an offset beyond ssize_t
                result = _new_object(target or self.__class__)
                result._ctype, result._addr, result._keep = self._ctype, address, self._keep
                return result
        else:
            try:
                ctype = other._ctype        # (a slot: cheaper than getattr() with a default)
            except AttributeError:
                ctype = None
            # `p - q` of the same type, or `p - a` of an array `a` of the items (`end - buf`)
            if ctype is self._ctype or ctype is not None and \
                    (getattr(other, "_decay", None) or _NO_DECAY)[0] is self._ctype:
                difference = self._addr - other._addr
                if not difference % size and _SSIZE_MIN <= difference <= _SSIZE_MAX:
                    return difference // size
        return PointerCData.__sub__(self, other)
    return sub


_NO_DECAY = (None,)    # what `_decay` reads as on a cdata that is no array (or not yet added to)


def _pointer_adds(size, target):
    """`__add__`, `__radd__` and `__sub__` making pointers of class `target` (see
    _pointer_add), or of the pointer's own class when `target` is None."""
    add, sub = _pointer_add(size, target), _pointer_sub(size, target)
    return {"__add__": add, "__radd__": add, "__sub__": sub,
            "_pc_pointer_add": (size, target, add, sub)}    # (what an API module's C reads)


def _array_class(ctype, rt):
    """The classes of an array type: shared by all the arrays of one item type (the length
    is in each instance), so a new length costs no new class."""
    item = ctype.item
    irt = prepare(item) if item.kind != VOID else None
    shared = getattr(irt, "array_classes", None)
    if shared is None:
        shared = _make_array_classes(item, irt)
        if irt is not None:
            irt.array_classes = shared
    rt.cdata_class, rt.fast_class, rt.owning_class, rt.align_mask = shared


def _make_array_classes(item, irt):
    name = item.spell("[]")
    attrs = {"_array": True, "_pc_array_add": True}     # (`a + n` in C: accel.py)
    item_accessors(item, attrs)
    if item.kind in (STRUCT, UNION) and getattr(irt.write, "struct_copy", None) is not None:
        attrs["_pc_struct_copy"] = (item, item.byte_size, 1)    # (`a[i] = s`: accel.py)
    cls = fast_cls = concrete(name, ArrayCData, attrs)
    align_mask = 0
    if is_plain_number(item) or is_byte_char(item):
        fast = {"_keeps_views": True}
        (fast["__getitem__"], fast["__setitem__"], fast["__iter__"], fast["_slice_view"],
         fast["_slice_set"], fast["_first_item"], fast["_first_item_set"]) = \
            aligned_item_methods(irt.fmt, item.byte_size, item)
        fast_cls = concrete(name, ArrayCData, fast, parent=cls, slots=("_view_items",))
        align_mask = item.byte_size - 1
    elif item.kind in (STRUCT, UNION) and not item.is_opaque() and 0 < item.byte_align <= 8:
        # non-NULL and aligned for the item (ffi.new()'s memory is): so is every item
        fast_cls = concrete(name, ArrayCData, {
            "_pc_struct_items": _struct_items_info(irt, True),
            "__getitem__": aligned_struct_items_getitem(irt, item.byte_size,
                                                        ArrayCData.__getitem__),
            "__iter__": aligned_struct_items_iter(irt, item.byte_size, ArrayCData.__iter__)},
            parent=cls)
        align_mask = item.byte_align - 1
    owning = {"_owning": True}
    for lent in ("_pc_struct_items", "_pc_pointer_items"):     # (its `a[i]` is fast_cls's)
        if lent in vars(fast_cls):
            owning[lent] = vars(fast_cls)[lent]
    if is_plain_number(item) and item.byte_size in (1, 2, 4, 8) or is_byte_char(item):
        owning["_pc_number_array"] = irt.fmt    # (what an API module's C reads: accel.py)
    owning = concrete(name, ArrayCData, owning, parent=fast_cls)
    return cls, (fast_cls if fast_cls is not cls else None), owning, align_mask


def _struct_class(ctype, rt):
    attrs = {}
    template = _OpaqueStructCData if ctype.is_opaque() else StructCData
    if not ctype.is_opaque():
        attrs.update(_field_properties(ctype, False))
    rt.cdata_class = cls = concrete(ctype.cname, template, attrs)
    if not ctype.is_opaque():
        rt.fast_class = cls = _fast_subclass(cls, ctype, rt)
    owning = {"_owning": True}
    slots = ()
    if not ctype.is_opaque():
        owning.update(_owned_view_attrs(ctype))
        slots = owning.pop("__slots__", ())
        owning.update(_cached_field_attrs(ctype))
        slots += owning.pop("__slots__")
    owning_class = concrete(ctype.cname, StructCData, owning, parent=cls, slots=slots)
    if not ctype.is_opaque():
        _add_mirror_class(owning_class, StructCData, ctype)
    rt.owning_class = owning_class
    if not ctype.is_opaque():
        _name_pointer_items(ctype, rt)


def _name_pointer_items(struct_type, rt):
    """Give the aligned class of `struct_type *`, if it was made while the struct was prepared
    (a field pointing to the struct), the item class it could not name then (accel.py)."""
    fast = getattr(built_runtime(TYPES.pointer(struct_type)), "fast_class", None)
    if fast is not None and vars(fast).get("_pc_struct_items", False) is None:
        type.__setattr__(fast, "_pc_struct_items", _struct_items_info(rt, False))
        accel.offer(fast)


def _add_mirror_class(owning, template, struct_type, attrs=None):
    """Give the owning class `owning` its `_mirror_class`: the same, for memory that is a
    ctypes mirror of the struct (`_mirror_buffer`, what ffi.new() allocates), whose number
    fields are read in C (shadow.py).  `attrs`, if given, makes more attributes."""
    if is_var_sized(struct_type):
        return
    named = attribute_fields(struct_type)
    bits = [(name, f.bit_position, f.bitsize, bitfield_range(f)[0] < 0)
            for name, f in named if f.bitsize > 0]
    made = mirror([(name, f.offset, prepare(f.type).fmt) for name, f in named
                   if _typed_view_field(struct_type, f)], struct_type.byte_size, bits)
    if made is None:
        return
    structure, members = made
    fields = dict(struct_type._fields)
    overrides = {name: property(attrgetter("_keep." + member),
                                _mirror_setter(struct_type, fields[name], member), _no_delete)
                 for name, member in members.items()}
    overrides.update(attrs(owning) if attrs is not None else ())
    mirror_class = concrete(owning.__name__, template, overrides, parent=owning)
    type.__setattr__(owning, "_mirror_buffer", structure)
    type.__setattr__(owning, "_mirror_class", mirror_class)     # (set last: published whole)


def _mirror_setter(struct_type, field, member):
    """The setter of a field of mirror memory (see _add_mirror_class): a number through the
    typed view of all memory (mirror memory is ctypes', aligned for any number), so a first
    write makes no per-object view, as the owning class's would; a bit-field value in range
    through the mirror's member (ctypes does not check the range: others take the checked
    writer, which raises cffi's errors)."""
    if field.bitsize < 0:
        return _aligned_number_property(field).fset
    checked = bitfield_accessors(struct_type, field, null_error)[1]
    lo, hi = bitfield_range(field)

    def put(self, value):
        if value.__class__ is int and lo <= value <= hi:
            setattr(self._keep, member, value)
            return
        checked(self, value)
    return put


class _MirrorItem:
    """Stands for a struct's TypeRuntime where `p[0]` of a mirrored owning pointer is made:
    the item is of the struct's mirror class (its memory is the same mirror)."""

    __slots__ = ("rt",)

    def __init__(self, rt):
        self.rt = rt

    @property
    def owning_class(self):
        """The struct's owning class for mirror memory."""
        owning = self.rt.owning_class
        return getattr(owning, "_mirror_class", owning)


def _owned_view_attrs(struct_type):
    """Slots and properties for the struct memory that ffi.new() returned.

    Such an object is usually used many times, so on first access it gets one memoryview per
    number format over its own memory (`_v_i`, `_v_d`...), and a field read is a property call
    and one index.  Transient views (array items, fields) keep the computed-address getters.
    """
    fields = [(name, f) for name, f in attribute_fields(struct_type)
              if _typed_view_field(struct_type, f)]
    formats = sorted({prepare(f.type).fmt for _, f in fields})
    if not formats:
        return {}
    slots = tuple("_v_" + fmt for fmt in formats)
    sizes = {fmt: _struct.calcsize(fmt) for fmt in formats}

    def make_views(self):
        size = owned_size(self._keep) if self._keep is not None else struct_type.byte_size
        for fmt, slot in zip(formats, slots):
            usable = size - size % sizes[fmt]
            setattr(self, slot, MEM[self._addr:self._addr + usable].cast(fmt))

    attrs = {"__slots__": slots}
    for name, field in fields:
        attrs[name] = _owned_view_property(field, "_v_" + prepare(field.type).fmt, make_views)
    return attrs


def _typed_view_field(struct_type, field):
    """Number fields aligned in any aligned instance of the struct."""
    return field.bitsize < 0 and is_plain_number(field.type) \
        and field.offset % field.type.byte_size == 0 \
        and struct_type.byte_align >= field.type.byte_size


def _owned_view_property(field, slot, make_views):
    """A field read and written through the owner's per-format memoryview (slot `slot`)."""
    constants = dict(INDEX=field.offset // field.type.byte_size, MAKE_VIEWS=make_views,
                     WRITE=prepare(field.type).write, OFFSET=field.offset,
                     VIEW_ERRORS=(TypeError, ValueError, OverflowError))
    names = {"_v_": slot}
    return property(specialise(_owned_view_get, names, **constants),
                    specialise(_owned_view_put, names, **constants), _no_delete)


def _owned_view_get(self):
    try:
        return self._v_[INDEX]                      # noqa: F821 (bound by specialise)
    except AttributeError:
        MAKE_VIEWS(self)                            # noqa: F821
        return self._v_[INDEX]                      # noqa: F821


def _owned_view_put(self, value):
    try:
        self._v_[INDEX] = value                     # noqa: F821
        return
    except AttributeError:
        MAKE_VIEWS(self)                            # noqa: F821 (first write: checked path)
    except VIEW_ERRORS:                             # noqa: F821 (the checked path raises)
        pass
    WRITE(self._addr + OFFSET, value)               # noqa: F821 (outside the except: no chain)


def _fast_subclass(cls, struct_type, rt, attrs=None):
    """The class for non-NULL memory aligned for `struct_type`: typed-view field properties
    (and `attrs`)."""
    rt.align_mask = struct_type.byte_align - 1
    template = StructCData if struct_type is rt.ctype else StructPointerCData
    attrs = dict(_field_properties(struct_type, True), **(attrs or {}))
    return concrete(cls.__name__, template, attrs, parent=cls)


def _function_class(ctype, rt):
    # (what an API module's C reads to call it: its arity, -1 if variadic, and its name)
    rt.cdata_class = concrete(ctype.cname, FunctionPtrCData, {"_pc_pointer_call": (
        -1 if ctype.ellipsis else len(ctype.args), ctype.cname)})


def _struct_items_info(irt, is_array):
    """What an API module's C reads to make `a[i]` (`is_array`) or `p[i]` of the aligned class
    of an array of or pointer to the struct of `irt` (accel.py): the item class, ctype and
    size, as aligned_struct_items_getitem() and aligned_struct_pointer_getitem() use them;
    None (nothing lent) while the struct's classes are not all made (a struct pointing to
    itself, while it is prepared)."""
    if irt.fast_class is None:
        return None
    return (irt.fast_class, irt.ctype, irt.ctype.byte_size, is_array)


def _field_properties(ctype, fast):
    attrs = {name: _field_property(ctype, field, fast) for name, field in attribute_fields(ctype)}
    attrs["_pc_fields"] = _lendable_fields(ctype)
    return attrs


# the struct format letters of the number fields an API module's C may read and write
_LENDABLE_FORMATS = frozenset("bBhHiIlLqQfd")


def _lendable_fields(ctype):
    """The fields of `ctype` whose property an API module's C may replace (accel.py, build/
    api_accel_fields.py: a read or write in C, the property it replaced for the rest), each
    as `_lendable_field` names it."""
    return tuple(entry for entry in (_lendable_field(ctype, name, field)
                                     for name, field in attribute_fields(ctype))
                 if entry is not None)


def _lendable_field(ctype, name, field):
    """(name, offset, format letter) of a number field; (name, offset, "?") of a `_Bool`;
    (name, offset, "s", length) of a `char x[N]` field (bytes written in C); (name, offset,
    "P", (type, its runtime, `void *`)) of a data pointer field (as views.pointer_field_
    getter() and pointer_field_setter()); (name, offset, "S", (type, its runtime, size)) of
    a struct or union field (as views.struct_field_getter() and struct_field_setter());
    (name, first byte, "w", bitfields.lent_bitfield()) of a bit-field; or None."""
    ftype, offset = field.type, field.offset
    if field.bitsize > 0:
        lent = lent_bitfield(ctype, field)
        return None if lent is None else (name, lent[0], "w", lent[1])
    if field.bitsize == 0:
        return None
    if _is_bool(ftype):
        return (name, offset, "?")
    if is_plain_number(ftype) and prepare(ftype).fmt in _LENDABLE_FORMATS:
        return (name, offset, prepare(ftype).fmt)
    if _takes_bytes(ftype):
        return (name, offset, "s", ftype.length)
    if ftype.kind == POINTER and ftype.byte_size == _POINTER_SIZE:
        return (name, offset, "P", (ftype, prepare(ftype), _VOID_P))
    if ftype.kind in (STRUCT, UNION) and not ftype.is_opaque() and ftype.byte_size > 0:
        return (name, offset, "S", (ftype, prepare(ftype), ftype.byte_size))
    return None


def _is_bool(ftype):
    """A one-byte `_Bool` (its field's C reads 0 or 1, and writes False, True, 0 or 1)."""
    return ftype.kind == PRIMITIVE and getattr(ftype, "category", None) == plat.BOOL and \
        ftype.byte_size == 1


def attribute_fields(struct_type):
    """The fields of `struct_type` that its cdata have as attributes: all but those named as
    what the cdata classes have themselves (a slot, a method, a dunder name), which a field
    property would replace (see docs/design.md)."""
    return [(name, field) for name, field in struct_type._fields
            if not (name in _RESERVED or name.startswith(("_v_", "_vf_"))
                    or name.startswith("__") and name.endswith("__"))]


# what the cdata classes of structs and of pointers to them have, or get once made
_RESERVED = frozenset(dir(StructCData)) | frozenset(dir(StructPointerCData)) | frozenset([
    "_addr", "_ctype", "_keep", "_length", "_v", "_view_items", "_families", "_keeps_views",
    "_decay", "_pc_decay", "_pc_array_add", "_mirror_buffer", "_mirror_class", "_open_array",
    "_item_size", "_item_read",
    "_item_write",
    # what an API module's C reads, and the Python methods it keeps (accel.py)
    "_pc_struct_items", "_pc_pointer_add", "_pc_getitem", "_pc_setitem", "_pc_len", "_pc_add",
    "_pc_radd", "_pc_sub", "_pc_address", "_pc_eq", "_pc_ne", "_pc_hash", "_pc_bool",
    "_pc_pointer_items", "_pc_struct_copy", "_pc_slice"])


_VOID_P = TYPES.pointer(TYPES.void)

_CLASS_MAKERS = {
    POINTER: _pointer_class, ARRAY: _array_class, STRUCT: _struct_class, UNION: _struct_class,
    FUNCTION: _function_class,
}
