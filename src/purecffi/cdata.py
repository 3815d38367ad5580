"""cdata families: the templates of cdata classes (address, pointer, array, struct, function).

Every cdata that designates memory has `_ctype`, `_addr` (an int) and `_keep` (what keeps the
memory alive: the ctypes buffer of `ffi.new()`, shared by every view derived from it; None for
memory owned by C).  Owning is a property of the class: `ffi.new()` returns an instance of the
type's `owning_class` (`_owning = True`), whose repr says `owning N bytes`.  Primitive values
(results of `ffi.cast`, `long double`) are `ValueCData` holding a Python value (cdata_value.py).
Each pointer, array and struct type gets its own small class, made once from these families by
`cdata_classes.attach_classes()` with `concrete()`; its class attributes are that type's
prepared accessors, and struct fields are properties on it, so `p.x` is one property call.
"""
import operator as _op
from operator import index as _index

from . import platform as plat
from .convert import prepare, write_numbers
from .ctype import ARRAY, POINTER, PRIMITIVE, STRUCT, UNION, VOID, TYPES, opaque_error
from .cdatabase import CData, make_cdata, name_as_cffi_class, tp_name
from .cdata_value import (ValueCData, cannot_subtract, index_error, slice_bounds, _no_add,
                          _no_call, _no_item, _no_iter, _no_len, _no_sub)
from .memory import MEM, BufferExport, Owned, far_item_address, owned_size
from .memory import copy as copy_memory
from .ownership import _holds_export, _release_action, release

_ROTATE, _WORD = plat.HASH_ROTATE, plat.WORD_SPAN     # (plat.hash_address, inline in __hash__)

_new_object = object.__new__


# -- Base classes ----
def null_error(ctype):
    """The error for dereferencing NULL."""
    return RuntimeError("cannot dereference null pointer from cdata '%s'" % (ctype.cname,))


def _null_item_error(cdata, index):
    """The error for `NULL[index]`: as cffi, an index beyond ssize_t is refused first."""
    if not _SSIZE_MIN <= index <= _SSIZE_MAX:
        return IndexError("cannot fit 'int' into an index-sized integer")
    return null_error(cdata._ctype)


class Family(type):
    """Metaclass of the families of cdata (AddrCData, PointerCData, ArrayCData...).

    A family is a template, never a base: every cdata class derives from CData alone (as in
    cffi, `type(x).__bases__ == (ffi.CData,)`) and gets a copy of its family's namespace
    (`concrete()`).  `isinstance(x, ArrayCData)` asks the class's `_families`.
    """

    def __instancecheck__(cls, obj):
        return cls in getattr(obj.__class__, "_families", ())

    def __subclasscheck__(cls, other):
        return cls in getattr(other, "_families", ()) or type.__subclasscheck__(cls, other)


def _ordering(compare):
    """`<`, `<=`, `>` or `>=` of pointers: `compare` of the addresses (NotImplemented, so
    Python's TypeError, for a non-pointer)."""
    def order(self, other):
        if isinstance(other, CData):
            address = getattr(other, "_addr", None)     # (also of an in-line lib function)
            if address is not None:
                return compare(self._addr, address)
        return NotImplemented
    return order


class AddrCData(CData, metaclass=Family):
    """A cdata that designates memory at `_addr`."""

    __slots__ = ()
    _address = _bytes_at = True     # a cdata with `_addr` (cheaper to ask than isinstance())

    _owning = False         # True on the classes of what ffi.new() returns
    _cast_keeps = True      # does ffi.cast() of it keep its memory alive? (not for handles)

    def __float__(self):
        raise TypeError("float() not supported on cdata '%s'" % (self._ctype.cname,))

    def __complex__(self):
        raise TypeError("complex() not supported on cdata '%s'" % (self._ctype.cname,))

    # -- Ownership ----
    def _owning_repr(self):
        keep = self._keep
        if self._owning and keep is not None:   # (not a custom allocator's array or number)
            return "owning %d bytes" % (owned_size(keep),) if keep.__class__ is not Owned or \
                not self._array and self._ctype.item.kind in (STRUCT, UNION) else None
        if (keep.__class__ is BufferExport or keep.__class__ is memoryview) and \
                _holds_export(self, keep):                                      # from_buffer()
            source = _export_source(keep)
            if source is None:
                return "buffer RELEASED"
            if not self._array:                     # a pointer: no length, as in cffi
                return "buffer from '%s' object" % (tp_name(type(source)),)
            return "buffer len %d from '%s' object" % (self._length,
                                                       tp_name(type(source)))
        return None

    def __enter__(self):
        _release_action(self)           # cffi refuses before the body runs
        return self

    def __exit__(self, *exc):
        release(self)

    # -- Comparisons by address ----
    def __eq__(self, other):
        if (isinstance(other, CData) and other._address):
            return self._addr == other._addr
        return NotImplemented

    def __ne__(self, other):
        if (isinstance(other, CData) and other._address):
            return self._addr != other._addr
        return NotImplemented

    __lt__, __le__, __gt__, __ge__ = map(_ordering, (_op.lt, _op.le, _op.gt, _op.ge))

    def __hash__(self):
        # plat.hash_address(self._addr) inline: CPython's hash of a pointer
        address = self._addr
        rotated = ((address >> 4) | (address << _ROTATE)) & _ADDRESS_MASK
        return rotated - _WORD if rotated >> _HIGH_BIT else rotated

    def __bool__(self):
        return self._addr != 0

    def __repr__(self):
        own = self._owning_repr()
        if own:
            return "<cdata '%s' %s>" % (self._ctype.cname, own)
        if self._addr == 0:
            return "<cdata '%s' NULL>" % (self._ctype.cname,)
        return "<cdata '%s' 0x%x>" % (self._ctype.cname, self._addr)

    def __dir__(self):
        ctype = self._ctype
        if ctype.kind == POINTER:
            ctype = ctype.item
        if ctype.kind in (STRUCT, UNION) and getattr(ctype, "layout_error", None) is not None:
            raise opaque_error(ctype)           # the C compiler contradicted its cdef()
        if ctype.kind in (STRUCT, UNION) and ctype._fields is not None:
            return [name for name, _ in ctype._fields]
        return []


# the methods an API module's C may replace in the classes that still have them (accel.py)
AddrCData._pc_address = (AddrCData.__eq__, AddrCData.__ne__, AddrCData.__hash__,
                         AddrCData.__bool__)
_c_type_name = tp_name


def _export_source(keep):
    """The object a from_buffer() export (a BufferExport or memoryview) is of; None once
    released."""
    if keep.__class__ is BufferExport:
        return keep.obj
    try:
        return keep.obj
    except ValueError:                  # "operation forbidden on released memoryview object"
        return None


# -- Pointers ----
class PointerCData(AddrCData):
    """`T *`: indexing (unchecked, negative allowed), arithmetic, slicing."""

    __slots__ = ()
    _item_size = 0
    _item_read = None
    _item_write = None
    _open_array = None      # (`item[]`, its cdata class) for slices, set by the first one

    def __getitem__(self, index):
        if index.__class__ is int:
            address = self._addr
            if address:
                address += index * self._item_size
                if address >> _HIGH_BIT:       # left the address space: wrapped, or refused
                    address = far_item_address(self._addr, index, self._item_size)
                return self._item_read(address, self._keep)
            raise _null_item_error(self, index)
        if isinstance(index, slice):
            return _slice(self, index, None)
        return self[_as_index(index)]

    def __setitem__(self, index, value):
        if index.__class__ is int:
            address = self._addr
            if address:
                address += index * self._item_size
                if address >> _HIGH_BIT:
                    address = far_item_address(self._addr, index, self._item_size)
                self._item_write(address, value)
                return
            raise _null_item_error(self, index)
        if isinstance(index, slice):
            _slice_assign(self, index, value, None)
            return
        self[_as_index(index)] = value

    def __delitem__(self, index):
        """`del x[i]`: refused (cffi's TypeError) once `i` passed the checks `x[i]` makes."""
        array = self._ctype.kind == ARRAY
        length = self._length if array else None
        if isinstance(index, slice):
            slice_bounds(self, index, length)
        else:
            index = _as_index(index)
            if not _SSIZE_MIN <= index <= _SSIZE_MAX:
                raise IndexError("cannot fit 'int' into an index-sized integer")
            if array:
                if length is not None and not 0 <= index < length:
                    raise index_error(self, index, length)
            elif not self._addr:
                raise null_error(self._ctype)
            elif index != 0 and self.__class__._owning:
                raise _not_zero(self, index)
        raise TypeError("'del x[n]' not supported for cdata objects")

    def __add__(self, offset):
        if offset.__class__ is not int:
            offset = _as_index(offset)
        cls, rt = self.__class__, self._ctype._rt
        if cls._owning or rt is not None and cls is rt.cast_class:
            cls = rt.cdata_class    # `p + n` owns nothing (as in cffi), and has no `_v` view
        address = moved(self._addr, offset, self._item_size or self._offset_item_size(offset))
        result = _new_object(cls)    # cls(ctype, address, keep), no frame
        result._ctype, result._keep, result._addr = self._ctype, self._keep, address
        return result

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, CData):
            size = self._item_size
            if size > 0 and other._ctype is self._ctype and other._address:
                difference = self._addr - other._addr                  # the common case
                if not difference % size and _SSIZE_MIN <= difference <= _SSIZE_MAX:
                    return difference // size
                return _distance(difference, size)
            if not other._address or _decayed(other) is not self._ctype or \
                    size <= 0 and self._ctype.item.kind != VOID:
                raise _cannot_subtract(self, other)
            return _distance(self._addr - other._addr, self._checked_item_size())
        offset = _as_index(other)
        if _SSIZE_MIN <= offset <= _SSIZE_MAX:
            return self + (-offset if offset != _SSIZE_MIN else offset)    # (wraps, as in C)
        raise _offset_overflow()

    def _offset_item_size(self, offset):
        """The item size for `p + offset` (as cffi, an offset beyond ssize_t fails first)."""
        if not _SSIZE_MIN <= offset <= _SSIZE_MAX:
            raise _offset_overflow()
        return self._checked_item_size()

    def _checked_item_size(self):
        size = self._item_size
        if size <= 0:
            item = self._ctype.item
            if item.kind == VOID:
                return 1            # gcc's extension, like cffi
            raise TypeError("ctype '%s' points to items of unknown size" % (self._ctype.cname,))
        return size

    def __iter__(self):
        raise TypeError("cdata '%s' does not support iteration" % (self._ctype.cname,))

    def __int__(self):
        raise TypeError("int() not supported on cdata '%s'" % (self._ctype.cname,))

    def __len__(self):
        raise TypeError("cdata of type '%s' has no len()" % (self._ctype.cname,))

    def __call__(self, *args, **kwargs):
        raise TypeError("cdata '%s' is not callable" % (self._ctype.cname,))


class OwningPointerCData:
    """Mixin for the pointer returned by `ffi.new("T *")`: it designates exactly one item.

    `p[0]` of a struct co-owns the memory (spec 6.1): it is of the struct's owning class.
    """

    __slots__ = ()
    _owning = True


_ZERO = 0      # `index is _ZERO`: one identity test for the int 0 (CPython shares it)


def _owning_item_methods(getitem, setitem, owning_item, copy=None):
    """`__getitem__`/`__setitem__` of an owning pointer over the plain pointer's `getitem` and
    `setitem`; `owning_item` (structs and unions) is the TypeRuntime of `p[0]`, which co-owns:
    it is made once and kept (slot `_v_item`), so `p[0].x` costs what `p.x` does.  Its
    `owning_class` is looked up at that first `p[0]`: a recursive struct may still have been
    in preparation when this class was made.  `copy`, the `(ctype, pack, unpack)` of the item
    writer's small struct copy (see convert._write_struct), makes `p[0] = s` that copy here."""
    copy_ctype, pack, unpack = copy if copy is not None else (None, None, None)

    def owning_getitem(self, index):
        if index is _ZERO and owning_item is not None:     # (the test of the common case)
            try:
                item = self._v_item     # (ffi.new() sets it to None: no exception here)
            except AttributeError:
                item = None
            if item is None:            # the first `p[0]`: made now
                item = self._v_item = make_cdata(
                    owning_item.owning_class, self._ctype.item, self._addr, self._keep)
            return item
        if index.__class__ is int:
            if index == 0:
                if owning_item is not None:
                    return owning_getitem(self, _ZERO)      # (a 0 that is not the shared one)
                return getitem(self, index)
            raise _not_zero(self, index)
        index = _owning_index(self, index)      # (a bool, an `__index__` object, a slice)
        if index.__class__ is int and owning_item is not None:
            return owning_getitem(self, 0)
        return getitem(self, index)

    def owning_setitem(self, index, value):
        if index is _ZERO:                          # `p[0] = v`, with no other frame
            if copy_ctype is not None and isinstance(value, CData) \
                    and value._ctype is copy_ctype:     # a struct copied: what the writer does
                pack(MEM, self._addr, unpack(MEM, value._addr)[0])
                return
            self._item_write(self._addr, value)
            return
        if index.__class__ is int and index != 0:
            raise _not_zero(self, index)
        setitem(self, _owning_index(self, index), value)
    return owning_getitem, owning_setitem


def _owning_index(cdata, index):
    """An index of a pointer from ffi.new() that is no int (a bool, an object with
    `__index__`) as the int it stands for, refused as an int other than 0 is."""
    if index.__class__ is int or isinstance(index, slice):
        return index
    index = _as_index(index)
    if index != 0:
        raise _not_zero(cdata, index)
    return index


def _not_zero(cdata, index):
    """cffi's IndexError for `p[i]`, i != 0, of a pointer from ffi.new() (not an array)."""
    if not _SSIZE_MIN <= index <= _SSIZE_MAX:
        return IndexError("cannot fit 'int' into an index-sized integer")
    return IndexError("cdata '%s' can only be indexed by 0" % (cdata._ctype.cname,))


def _owning_number_methods(getitem, setitem, unpack, write, view=None, size=0):
    """The same for `ffi.new("T *")` of a number type: `p[0]` is one unpack, `p[0] = v` one
    index into `view` (the typed view of memory in the item's format, for items of 1, 2, 4 or
    8 bytes at an aligned address; else the checked writer): a size_t * out-parameter is read
    and set around every call of a streaming loop."""
    mask, shift = size - 1, size.bit_length() - 1

    def owning_getitem(self, index):
        if index is _ZERO or index.__class__ is int and index == 0:
            return unpack(MEM, self._addr)[0]       # (measured: cheaper than the view here)
        return getitem(self, _owning_index(self, index))

    def owning_setitem(self, index, value):
        if index is _ZERO or index.__class__ is int and index == 0:
            address = self._addr
            if view is not None and not address & mask:
                try:
                    view[address >> shift] = value
                    return
                except (TypeError, ValueError, OverflowError):
                    pass
            write(address, value)   # the checked writer: writes or raises (outside the except)
            return
        setitem(self, _owning_index(self, index), value)
    return owning_getitem, owning_setitem


_SSIZE_MIN, _SSIZE_MAX = plat.SSIZE_MIN, plat.SSIZE_MAX
_ADDRESS_MASK, _HIGH_BIT = plat.ADDRESS_MASK, plat.HIGH_BIT


def moved(address, offset, size):
    """`address + offset * size` as C computes it: the offset fits ssize_t, the result wraps."""
    if _SSIZE_MIN <= offset <= _SSIZE_MAX:
        return (address + offset * size) & _ADDRESS_MASK
    raise _offset_overflow()


def _offset_overflow():
    return OverflowError("cannot fit 'int' into an index-sized integer")


def _distance(difference, size):
    """`p - q` in items, from the difference of the addresses, which wraps as C's does."""
    if not _SSIZE_MIN <= difference <= _SSIZE_MAX:
        difference = ((difference - _SSIZE_MIN) & _ADDRESS_MASK) + _SSIZE_MIN
    items, rest = divmod(difference, size)
    if rest:
        raise ValueError("pointer subtraction: the distance between the two pointers is not "
                         "a multiple of the item size")
    return items


def _decayed(cdata):
    """The type `cdata` has as a subtraction's right operand (arrays decay)."""
    if cdata._ctype.kind != ARRAY:
        return cdata._ctype
    return (cdata._decay or _decay_of(cdata))[0]


def _decay_of(array):
    """(the `T *` an array of `T` decays to, its TypeRuntime), filed on the array's class
    (`_decay`) when its items have a size: the next `a + n` or `p - a` finds it at once."""
    ptr = TYPES.pointer(array._ctype.item)
    decay = (ptr, rt := prepare(ptr))
    if array._item_size > 0:    # (`_pc_decay`: the same for a compiled module's C, accel.py)
        type.__setattr__(array.__class__, "_pc_decay", (
            array._item_size, ptr, rt.fast_class, rt.cdata_class, rt.align_mask))
        type.__setattr__(array.__class__, "_decay", decay)     # (published whole)
    return decay


_cannot_subtract = cannot_subtract


def _as_index(value):
    """An index or offset: an int or an object with __index__ (not an int cdata, as cffi)."""
    return _index(value)        # "'str' object cannot be interpreted as an integer", as cffi


# -- Arrays ----
class ArrayCData(PointerCData):
    """`T[n]`: bounds-checked indexing, len(), iteration; decays to a pointer in arithmetic."""

    __slots__ = ()
    _slots = ("_length",)       # what a concrete array class adds to the address slots
    _keeps_views = False        # True on classes with a `_view_items` slot (item_methods.py)

    def __getitem__(self, index):
        if index.__class__ is int:
            length = self._length
            if 0 <= index < length if length is not None else True:
                return self._item_read(self._addr + index * self._item_size,
                                       self._keep)
            raise index_error(self, index, length)
        if isinstance(index, slice):
            return _slice(self, index, self._length)
        return self[_as_index(index)]

    def __setitem__(self, index, value):
        if index.__class__ is int:
            length = self._length
            if 0 <= index < length if length is not None else True:
                self._item_write(self._addr + index * self._item_size, value)
                return
            raise index_error(self, index, length)
        if isinstance(index, slice):
            _slice_assign(self, index, value, self._length)
            return
        self[_as_index(index)] = value

    def __len__(self):
        length = self._length
        if length is not None:
            return length
        raise TypeError("cdata '%s' has an unknown length" % (self._ctype.cname,))

    def __iter__(self):
        read, size, address = self._item_read, self._item_size, self._addr
        keep = self._keep
        for i in range(len(self)):
            yield read(address + i * size, keep)

    _decay = None   # (the `T *` type, its TypeRuntime): set on each class by its first `a + n`

    def __add__(self, offset):
        decay = self._decay
        if offset.__class__ is int and decay is not None:
            address = self._addr + offset * self._item_size
            if not address >> _HIGH_BIT:    # (else wrapped, or an offset beyond ssize_t)
                ptr, rt = decay         # the common case: `T *` made here, with no other frame
                cls = rt.fast_class
                if cls is None or not address or address & rt.align_mask:
                    cls = rt.cdata_class
                result = _new_object(cls)
                result._ctype, result._addr, result._keep = ptr, address, self._keep
                return result
        ptr, rt = decay or _decay_of(self)
        return make_cdata(rt.cdata_class, ptr, self._addr, self._keep) + offset

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, CData):
            raise _cannot_subtract(self, other)     # an array is not a pointer here (cffi)
        ptr = TYPES.pointer(self._ctype.item)
        return make_cdata(prepare(ptr).cdata_class, ptr, self._addr, self._keep) - other

    def _owning_repr(self):
        own = AddrCData._owning_repr(self)
        if own is None and self._ctype.length is None and self._length is not None:
            return "sliced length %d" % (self._length,)
        return own


def _slice(cdata, index, length):
    """A view `cdata[start:stop]` as an open array (spec 7.2 footnote 4)."""
    start, stop = index.start, index.stop
    if not (start.__class__ is int and stop.__class__ is int and index.step is None
            and 0 <= start and start <= stop
            and stop <= (_SSIZE_MAX if length is None else length)):
        start, stop = slice_bounds(cdata, index, length)       # the general case, or raises
    arr, cls = cdata._open_array or _open_array(cdata.__class__, cdata._ctype.item)
    size = cdata._item_size or cdata._checked_item_size()
    address = cdata._addr + start * size
    if address >> _HIGH_BIT:        # (a pointer's far slice: the address wraps, as in C)
        address &= _ADDRESS_MASK
    result = _new_object(cls)       # what cls(arr, address, keep, length) does, no frame
    result._ctype, result._addr, result._keep = arr, address, cdata._keep
    result._length = stop - start
    return result


def _open_array(cls, item):
    """`item[]` and its cdata class, kept on the pointer or array class `cls` (made once per
    class: the open array type is interned weakly, so it would be rebuilt for every slice);
    refused for `void` or an opaque type, as cffi (no class is kept: every slice raises)."""
    if item.byte_size < 0:
        raise ValueError("array item of unknown size: '%s'" % (item.cname,))
    arr = TYPES.array(item, None)
    pair = (arr, (arr._rt or prepare(arr)).cdata_class)
    type.__setattr__(cls, "_open_array", pair)      # published complete
    return pair


def _unpack_count_error(count, got):
    """cffi's error for a slice assignment given `got` values for `count` items."""
    if got > count:
        return ValueError("got more than %d values to unpack" % (count,))
    return ValueError("need %d values to unpack, got %d" % (count, got))


def _slice_assign(cdata, index, value, length):
    start, stop = slice_bounds(cdata, index, length)
    count = stop - start
    size = cdata._item_size
    if size <= 0:
        size = _slice_item_size(cdata)
    base = cdata._addr + start * size
    if base >> _HIGH_BIT:           # (a pointer's far slice: the address wraps, as in C)
        base &= _ADDRESS_MASK
    item = cdata._ctype.item
    if (isinstance(value, CData) and value._address) and value._ctype.kind == ARRAY \
            and value._ctype.item is item:
        copy_memory(base, value._addr, min(count, len(value)) * size)
        if len(value) != count:                 # (what fits is written first, as cffi)
            raise _unpack_count_error(count, len(value))
        return
    if isinstance(value, (bytes, bytearray)) and getattr(item, "category", None) == plat.CHAR:
        if len(value) != count:
            raise ValueError("need a string of length %d, got %d" % (count, len(value)))
        if size == 1:
            MEM[base:base + count] = value          # one copy (a bytearray too, as cffi)
            return
        value = bytes(value)
        items = [value[i:i + 1] for i in range(count)]
    elif value.__class__ is bytes and size == 1 and item.kind == PRIMITIVE and \
            item.category == plat.INT and not item.signed and len(value) == count:
        MEM[base:base + count] = value              # bytes into uint8_t: one copy
        return
    else:
        items = value if value.__class__ is list or value.__class__ is tuple else list(value)
    if len(items) != count:
        _write_then_refuse(cdata, base, items, count)
    irt = item._rt
    if irt is not None and irt.fmt is not None and write_numbers(irt, base, items):
        return
    write = cdata._item_write
    for i, v in enumerate(items):
        write(base + i * size, v)


def _slice_item_size(cdata):
    """The item size of a slice assignment through a pointer to items of unknown size: 0 for
    an opaque struct or union, whose items each refuse to be written (as cffi, which takes
    an empty slice)."""
    if cdata._ctype.item.kind in (STRUCT, UNION):
        return 0
    return cdata._checked_item_size()


def _write_then_refuse(cdata, base, items, count):
    """As cffi: convert and write the items that fit (which may fail), then refuse the count."""
    write, size = cdata._item_write, cdata._item_size
    for i, v in enumerate(items[:count]):
        write(base + i * size, v)
    raise _unpack_count_error(count, len(items))


# -- Structs and unions ----
class StructCData(AddrCData):
    """A struct or union in memory (`struct s &`, or `struct s` owning from `p[0]`)."""

    __slots__ = ()
    _struct, _bytes_at = True, False
    _pc_fields = ()     # the number fields whose properties an API module may lend C to

    def _owning_repr(self):
        if self._keep.__class__ is Owned and self._owning:
            return None     # `p[0]` of a custom allocator's pointer: a reference, as in cffi
        return AddrCData._owning_repr(self)

    def __repr__(self):
        own = self._owning_repr()
        if own:
            return "<cdata '%s' %s>" % (self._ctype.cname, own)
        return "<cdata '%s &' 0x%x>" % (self._ctype.cname, self._addr)

    def __bool__(self):
        return True

    def __int__(self):
        raise TypeError("int() not supported on cdata '%s'" % (self._ctype.cname,))

    __add__ = __radd__ = _no_add
    __sub__ = _no_sub
    __getitem__ = __setitem__ = __delitem__ = _no_item
    __len__, __call__ = _no_len, _no_call
    __iter__ = _no_iter


def _missing_field(ctype, name, verb="read"):
    """cffi's AttributeError for field `name` of an opaque or unusable struct (any name)."""
    shown = ctype
    if ctype.kind == POINTER:
        ctype = ctype.item
    if ctype._fields is None and not ctype.partial and ctype.layout_error is None:
        raise AttributeError("cdata '%s' points to an opaque type: cannot %s fields"
                             % (shown.cname, verb))
    if ctype.layout_error is not None:          # the C compiler contradicted its cdef()
        raise opaque_error(ctype)
    if ctype.is_opaque():
        raise AttributeError("cdata '%s' has no field '%s' (%s)"
                             % (ctype.cname, name, opaque_error(ctype)))
    raise AttributeError("cdata '%s' has no field '%s'" % (ctype.cname, name))


class StructPointerCData(PointerCData):
    """`struct s *`: also gives access to the fields (`p.x`), as properties of its class."""

    __slots__ = ()
    _pc_fields = ()     # (as StructCData's)


class _OpaqueFields(metaclass=Family):
    """Mixin for cdata of opaque structs: any field access explains why it cannot work.

    (Only opaque types get `__getattr__`: on other classes it would slow every lookup.)
    """

    __slots__ = ()

    def __getattr__(self, name):
        return _missing_field(self._ctype, name)

    def __setattr__(self, name, value):
        if hasattr(self.__class__, name):   # (its slots, as the runtime fills them)
            object.__setattr__(self, name, value)
            return
        _missing_field(self._ctype, name, "write")

    def __delattr__(self, name):
        if hasattr(self.__class__, name):
            object.__delattr__(self, name)
            return
        _missing_field(self._ctype, name, "write")


class _OpaqueStructCData(_OpaqueFields, StructCData):
    """An opaque struct or union in memory."""

    __slots__ = ()


class _OpaqueStructPointerCData(_OpaqueFields, StructPointerCData):
    """A pointer to an opaque struct or union."""

    __slots__ = ()


# -- Function pointers ----
class FunctionPtrCData(PointerCData):
    """`R(*)(args)`: callable (through call.py)."""

    __slots__ = ()
    _slots = ("_v_call",)       # the ctypes function calling it, made at its first call
    _bytes_at = False

    def __call__(self, *args, **kwargs):
        if kwargs:
            raise TypeError("a cdata function cannot be called with keyword arguments")
        try:
            function = self._v_call
        except AttributeError:
            if not self._addr:
                raise RuntimeError("cannot call null pointer pointer from cdata '%s'"
                                   % (self._ctype.cname,)) from None    # (cffi's words)
            function = self._v_call = _CALLER[0](self)  # (two threads: either is complete)
        try:
            return function(*args)
        except TypeError:
            ctype = self._ctype
            if ctype.ellipsis or len(args) == len(ctype.args):
                raise
        raise arity_error(ctype, len(args))

    __getitem__ = __setitem__ = __delitem__ = _no_item
    __add__ = __radd__ = _no_add
    __sub__ = _no_sub


def arity_error(ctype, count):
    """cffi's TypeError for calling a function pointer of `ctype` with `count` arguments
    (ctypes' own words name no type)."""
    return TypeError("'%s' expects %d arguments, got %d" % (ctype.cname, len(ctype.args), count))


_CALLER = []    # call.pointer_function, registered by cdata_make (call.py imports this module)


def set_caller(pointer_function):
    """Register the function making the ctypes function of a function pointer (call.py)."""
    _CALLER[:] = [pointer_function]


# -- Classes from families ----
_ADDRESS_SLOTS = ("_addr", "_ctype", "_keep")   # sorted: CPython lays slots out sorted
_NOT_COPIED = frozenset(("__dict__", "__weakref__", "__slots__", "__module__", "__qualname__",
                         "__doc__", "_slots", "_pc_number", "_pc_number_array",
                         "_pc_number_pointer", "_pc_struct_items", "_pc_pointer_items"))
# the C methods an API module may lend a class (accel.py) belong to that class: a class made
# from its namespace gets the Python methods they replaced
_LENT = (("__getitem__", "_pc_getitem"), ("__setitem__", "_pc_setitem"), ("__len__", "_pc_len"),
         ("__add__", "_pc_add"), ("__radd__", "_pc_radd"), ("__sub__", "_pc_sub"),
         ("__eq__", "_pc_eq"), ("__ne__", "_pc_ne"), ("__hash__", "_pc_hash"),
         ("__bool__", "_pc_bool"))
_MEMBER = type(ValueCData._value)


def concrete(name, template, attrs=(), parent=None, slots=()):
    """A cdata class deriving from CData alone, with the namespace of the family `template`
    (its bases' first), or of the concrete class `parent` plus `template`'s own, then `attrs`.

    Every such class lays out `_addr`, `_ctype`, `_keep` at the same offsets (slots are laid
    out sorted by name; the extra slots all sort after `_keep`), which the API-mode C code
    relies on.
    """
    if parent is not None:
        namespace = family_namespace(template, parent)
        slots = tuple(parent.__dict__["__slots__"][len(_ADDRESS_SLOTS):-1]) + tuple(slots)
    else:
        namespace = family_namespace(template)
        slots = getattr(template, "_slots", ()) + tuple(slots)
    namespace.update(attrs)
    namespace.update(__slots__=_ADDRESS_SLOTS + tuple(slots) + ("__weakref__",),
                     __module__=__name__)
    cls = type(name, (CData,), namespace)
    # named as cffi's class of what it makes (what Python's own messages show)
    named = namespace.get("_cffi_class_name")   # (from the namespace: a field is a property)
    name_as_cffi_class(cls, named if named.__class__ is str else
                       "__CDataOwn" if namespace.get("_owning") is True else "_CDataBase")
    return cls


def family_namespace(template, parent=None):
    """The class namespace of a cdata class of the family `template` (with the families it
    belongs to in `_families`): the families' in `template`'s MRO, or `parent`'s with
    `template`'s own on top (a mixin such as OwningPointerCData)."""
    if parent is not None:      # the template's own namespace, unless the parent has it
        sources = [parent] if template in parent._families else [parent, template]
        families = set(parent._families) | {template}
    else:
        sources = [k for k in reversed(template.__mro__) if isinstance(k, Family)]
        families = set(sources)
    namespace = {}
    for source in sources:
        for key, value in vars(source).items():
            if key not in _NOT_COPIED and value.__class__ is not _MEMBER:
                namespace[key] = value
    for special, saved in _LENT:
        if saved in namespace:
            namespace[special] = namespace.pop(saved)
    namespace["_families"] = frozenset(families)
    return namespace
