"""cdata objects: Python objects over C memory; indexing, fields, arithmetic, repr, ownership.

Every cdata that designates memory has `_ctype`, `_addr` (an int) and `_keep` (what keeps the
memory alive: the ctypes buffer of `ffi.new()`, shared by every view derived from it; None for
memory owned by C).  Owning is a property of the class: `ffi.new()` returns an instance of the
type's `owning_class` (`_owning = True`), whose repr says `owning N bytes`.  Primitive values (results of `ffi.cast`, `long double`)
are `ValueCData` holding a Python value.  Each pointer, array and struct type gets its own small
subclass, made once by `attach_classes()`, whose class attributes are that type's prepared
accessors; struct fields are properties on it, so `p.x` is one property call.
"""
import struct as _struct
from operator import index as _index

from . import platform as plat
from .convert import (array_length_for, function_address, float32, longdouble_bytes,
                      longdouble_float, prepare, read_bitfield, to_complex, to_float,
                      write_array, write_bitfield)
from .ctype import (ARRAY, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, UNION, VOID, TYPES,
                    CType, opaque_error)
from .cdatabase import CData, not_instantiable
from .specialise import specialise
from .varsize import byte_extent, is_var_sized, write_items, write_var
from .views import pointer_field_getter, struct_field_getter, struct_item_getitem
from .memory import (MEM, BufferExport, Owned, addressof, allocate, buffer_type, memmove,
                     owned_size, typed_view)
from .memory import _Bytes, _resize

_new_object = object.__new__
_POINTER_SIZE = _struct.calcsize("P")


# -- Base classes ----
def null_error(ctype):
    """The error for dereferencing NULL."""
    return RuntimeError("cannot dereference null pointer of type '%s'" % (ctype.cname,))


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


class AddrCData(CData, metaclass=Family):
    """A cdata that designates memory at `_addr`."""

    __slots__ = ()
    _address = True         # a cdata with `_addr` (cheaper to ask than isinstance())

    def __init__(self, ctype, address, keep=None):
        if not isinstance(ctype, CType):
            raise not_instantiable(type(self))
        self._ctype, self._addr, self._keep = ctype, address, keep

    _owning = False         # True on the classes of what ffi.new() returns
    _cast_keeps = True      # does ffi.cast() of it keep its memory alive? (not for handles)

    def __float__(self):
        raise TypeError("float() not supported on cdata '%s'" % (self._ctype.cname,))

    def __complex__(self):
        raise TypeError("complex() not supported on cdata '%s'" % (self._ctype.cname,))

    # -- Ownership ----
    def _owning_repr(self):
        keep = self._keep
        if self._owning and keep is not None:
            return "owning %d bytes" % (owned_size(keep),)
        if keep.__class__ is BufferExport or keep.__class__ is memoryview:    # from_buffer()
            source = _export_source(keep)
            if source is None:
                return "buffer RELEASED"
            if not self._array:                     # a pointer: no length, as in cffi
                return "buffer from '%s' object" % (_c_type_name(type(source)),)
            return "buffer len %d from '%s' object" % (self._length,
                                                       _c_type_name(type(source)))
        return None

    def __enter__(self):
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

    def __lt__(self, other):
        return self._addr < _other_address(other)

    def __le__(self, other):
        return self._addr <= _other_address(other)

    def __gt__(self, other):
        return self._addr > _other_address(other)

    def __ge__(self, other):
        return self._addr >= _other_address(other)

    def __hash__(self):
        return hash(self._addr)

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
        if ctype.kind in (STRUCT, UNION) and ctype.fields is not None:
            return [name for name, _ in ctype.fields]
        return []


def _c_type_name(cls):
    """A type's name as CPython's tp_name spells it ('bytearray', 'array.array', 'MyClass')."""
    if cls.__module__ == "builtins" or not cls.__flags__ & (1 << 8):    # immutable: C types
        return cls.__name__
    return "%s.%s" % (cls.__module__, cls.__qualname__)


def _export_source(keep):
    """The object a from_buffer() export (a BufferExport or memoryview) is of; None once
    released."""
    if keep.__class__ is BufferExport:
        return keep.obj
    try:
        return keep.obj
    except ValueError:                  # "operation forbidden on released memoryview object"
        return None


def _other_address(other):
    if (isinstance(other, CData) and other._address):
        return other._addr
    raise TypeError("cannot compare cdata with %s" % (type(other).__name__,))


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
                return self._item_read(address + index * self._item_size, self._keep)
            raise null_error(self._ctype)
        if isinstance(index, slice):
            return _slice(self, index, None)
        return self[_as_index(index)]

    def __setitem__(self, index, value):
        if index.__class__ is int:
            address = self._addr
            if address:
                self._item_write(address + index * self._item_size, value)
                return
            raise null_error(self._ctype)
        if isinstance(index, slice):
            _slice_assign(self, index, value, None)
            return
        self[_as_index(index)] = value

    def __add__(self, offset):
        if offset.__class__ is not int:
            offset = _as_index(offset)
        result = _new_object(self.__class__)    # self.__class__(ctype, address, keep), no frame
        result._ctype, result._keep = self._ctype, self._keep
        result._addr = self._addr + offset * (self._item_size or self._checked_item_size())
        return result

    __radd__ = __add__

    def __sub__(self, other):
        if (isinstance(other, CData) and other._address):
            if other._ctype is not self._ctype and not (
                    other._ctype.kind == ARRAY and other._ctype.item is self._ctype.item):
                raise TypeError("cannot subtract cdata '%s' and cdata '%s'"
                                % (self._ctype.cname, other._ctype.cname))
            return (self._addr - other._addr) // self._checked_item_size()
        return self + (-_as_index(other))

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


def _owning_item_methods(getitem, setitem, owning_item):
    """`__getitem__`/`__setitem__` of an owning pointer over the plain pointer's `getitem` and
    `setitem`; `owning_item` (structs and unions) is the TypeRuntime of `p[0]`, which co-owns:
    it is made once and kept (slot `_v_item`), so `p[0].x` costs what `p.x` does.  Its
    `owning_class` is looked up at that first `p[0]`: a recursive struct may still have been
    in preparation when this class was made."""
    def owning_getitem(self, index):
        if index.__class__ is int:
            if index == 0:
                if owning_item is not None:
                    try:
                        return self._v_item
                    except AttributeError:
                        item = self._v_item = owning_item.owning_class(
                            self._ctype.item, self._addr, self._keep)
                        return item
            else:
                raise IndexError("cdata '%s' from ffi.new() has only one item (index %d)"
                                 % (self._ctype.cname, index))
        return getitem(self, index)

    def owning_setitem(self, index, value):
        if index.__class__ is int and index != 0:
            raise IndexError("cdata '%s' from ffi.new() has only one item (index %d)"
                             % (self._ctype.cname, index))
        setitem(self, index, value)
    return owning_getitem, owning_setitem


def _owning_number_methods(getitem, setitem, unpack, write):
    """The same for `ffi.new("T *")` of a number type: `p[0]` is one unpack (a size_t *
    out-parameter is read and set around every call of a streaming loop)."""
    def owning_getitem(self, index):
        if index.__class__ is int and index == 0:
            return unpack(MEM, self._addr)[0]
        return getitem(self, index)

    def owning_setitem(self, index, value):
        if index.__class__ is int and index == 0:
            write(self._addr, value)        # the checked writer: nothing written on error
            return
        setitem(self, index, value)
    return owning_getitem, owning_setitem


def _as_index(value):
    if isinstance(value, ValueCData):
        return value._as_int()
    return _index(value)        # "'str' object cannot be interpreted as an integer", as cffi


# -- Arrays ----
class ArrayCData(PointerCData):
    """`T[n]`: bounds-checked indexing, len(), iteration; decays to a pointer in arithmetic."""

    __slots__ = ()
    _slots = ("_length",)       # what a concrete array class adds to the address slots

    def __init__(self, ctype, address, keep=None, length=None):
        if not isinstance(ctype, CType):
            raise not_instantiable(type(self))
        self._ctype, self._addr, self._keep = ctype, address, keep
        self._length = ctype.length if length is None and isinstance(ctype.length, int) \
            else length

    def __getitem__(self, index):
        if index.__class__ is int:
            length = self._length
            if 0 <= index < length if length is not None else True:
                return self._item_read(self._addr + index * self._item_size,
                                       self._keep)
            raise IndexError("index too large for cdata '%s' (expected %d < %d)"
                             % (self._ctype.cname, index, length) if index >= 0
                             else "negative index")
        if isinstance(index, slice):
            return _slice(self, index, self._length)
        return self[_as_index(index)]

    def __setitem__(self, index, value):
        if index.__class__ is int:
            length = self._length
            if 0 <= index < length if length is not None else True:
                self._item_write(self._addr + index * self._item_size, value)
                return
            raise IndexError("index too large for cdata '%s' (expected %d < %d)"
                             % (self._ctype.cname, index, length) if index >= 0
                             else "negative index")
        if isinstance(index, slice):
            _slice_assign(self, index, value, self._length)
            return
        self[_as_index(index)] = value

    def __len__(self):
        if self._length is None:
            raise TypeError("cdata '%s' has an unknown length" % (self._ctype.cname,))
        return self._length

    def __iter__(self):
        read, size, address = self._item_read, self._item_size, self._addr
        keep = self._keep
        for i in range(len(self)):
            yield read(address + i * size, keep)

    def __add__(self, offset):
        ptr = TYPES.pointer(self._ctype.item)
        return prepare(ptr).cdata_class(ptr, self._addr, self._keep) + offset

    __radd__ = __add__

    def __sub__(self, other):
        ptr = TYPES.pointer(self._ctype.item)
        return prepare(ptr).cdata_class(ptr, self._addr, self._keep) - other

    def _owning_repr(self):
        own = AddrCData._owning_repr(self)
        if own is None and self._ctype.length is None and self._length is not None:
            return "sliced length %d" % (self._length,)
        return own


def _slice(cdata, index, length):
    """A view `cdata[start:stop]` as an open array (spec 7.2 footnote 4)."""
    start, stop = index.start, index.stop
    if not (start.__class__ is int and stop.__class__ is int and index.step is None
            and 0 <= start <= stop and (length is None or stop <= length)):
        start, stop = _slice_bounds(cdata, index, length)       # the general case, or raises
    size = cdata._item_size or cdata._checked_item_size()
    arr, cls = cdata._open_array or _open_array(cdata.__class__, cdata._ctype.item)
    result = _new_object(cls)       # what cls(arr, address, keep, length) does, no frame
    result._ctype, result._addr, result._keep = arr, cdata._addr + start * size, cdata._keep
    result._length = stop - start
    return result


def _open_array(cls, item):
    """`item[]` and its cdata class, kept on the pointer or array class `cls` (made once per
    class: the open array type is interned weakly, so it would be rebuilt for every slice)."""
    arr = TYPES.array(item, None)
    pair = (arr, (arr._rt or prepare(arr)).cdata_class)
    type.__setattr__(cls, "_open_array", pair)      # published complete
    return pair


def _slice_bounds(cdata, index, length):
    if index.step is not None:
        raise IndexError("cdata '%s' slice with a step is not supported"
                         % (cdata._ctype.cname,))
    if index.start is None or index.stop is None:
        raise IndexError("cdata '%s' slice needs both a start and a stop"
                         % (cdata._ctype.cname,))
    start, stop = index.start, index.stop
    if start.__class__ is not int or stop.__class__ is not int:
        start, stop = _as_index(start), _as_index(stop)
    if start > stop:
        raise IndexError("slice start > stop")
    if length is not None and (start < 0 or stop > length):
        raise IndexError("index out of range for cdata '%s' (slice %d:%d, length %d)"
                         % (cdata._ctype.cname, start, stop, length))
    return start, stop


def _slice_assign(cdata, index, value, length):
    start, stop = _slice_bounds(cdata, index, length)
    count = stop - start
    size = cdata._checked_item_size()
    base = cdata._addr + start * size
    item = cdata._ctype.item
    if (isinstance(value, CData) and value._address) and value._ctype.kind in (ARRAY, POINTER) \
            and value._ctype.item is item:
        if value._ctype.kind == ARRAY and len(value) != count:
            raise ValueError("need a cdata of %d items, got %d" % (count, len(value)))
        memmove(base, value._addr, count * size)
        return
    if isinstance(value, (bytes, bytearray, str)):
        if isinstance(value, str) or getattr(item, "category", None) != plat.CHAR:
            items = list(value)
        else:
            items = [value[i:i + 1] for i in range(len(value))]
    else:
        items = list(value)
    if len(items) != count:
        raise ValueError("need %d values to assign to slice, got %d" % (count, len(items)))
    write = cdata._item_write
    for i, v in enumerate(items):
        write(base + i * size, v)


# -- What struct values and C numbers do not do (cffi's messages) ----
def _no_add(self, other):
    raise TypeError("cannot add a cdata '%s' and a number" % (self._ctype.cname,))


def _no_item(self, index, value=None):
    raise TypeError("cdata of type '%s' cannot be indexed" % (self._ctype.cname,))


def _no_len(self):
    raise TypeError("cdata of type '%s' has no len()" % (self._ctype.cname,))


def _no_iter(self):
    raise TypeError("cdata '%s' does not support iteration" % (self._ctype.cname,))


def _no_call(self, *args, **kwargs):
    raise TypeError("cdata '%s' is not callable" % (self._ctype.cname,))


# -- Structs and unions ----
class StructCData(AddrCData):
    """A struct or union in memory (`struct s &`, or `struct s` owning from `p[0]`)."""

    __slots__ = ()
    _struct = True

    def __init__(self, ctype, address, keep=None):
        if not isinstance(ctype, CType):
            raise not_instantiable(type(self))
        self._ctype, self._addr, self._keep = ctype, address, keep

    def _owning_repr(self):
        own = AddrCData._owning_repr(self)
        return own

    def __repr__(self):
        own = self._owning_repr()
        if own:
            return "<cdata '%s' %s>" % (self._ctype.cname, own)
        return "<cdata '%s &' 0x%x>" % (self._ctype.cname, self._addr)

    def __bool__(self):
        return True

    def __int__(self):
        raise TypeError("int() not supported on cdata '%s'" % (self._ctype.cname,))

    __add__ = __radd__ = __sub__ = _no_add
    __getitem__ = __setitem__ = _no_item
    __len__, __call__ = _no_len, _no_call
    __iter__ = _no_iter


def _missing_field(ctype, name):
    if name.startswith("__"):
        raise AttributeError(name)
    if ctype.kind == POINTER:
        ctype = ctype.item
    if ctype.is_opaque():
        raise AttributeError("cdata '%s' has no field '%s' (%s)"
                             % (ctype.cname, name, opaque_error(ctype)))
    raise AttributeError("cdata '%s' has no field '%s'" % (ctype.cname, name))


class StructPointerCData(PointerCData):
    """`struct s *`: also gives access to the fields (`p.x`), as properties of its class."""

    __slots__ = ()


class _OpaqueFields(metaclass=Family):
    """Mixin for cdata of opaque structs: any field access explains why it cannot work.

    (Only opaque types get `__getattr__`: on other classes it would slow every lookup.)
    """

    __slots__ = ()

    def __getattr__(self, name):
        return _missing_field(self._ctype, name)


class _OpaqueStructCData(_OpaqueFields, StructCData):
    """An opaque struct or union in memory."""

    __slots__ = ()


class _OpaqueStructPointerCData(_OpaqueFields, StructPointerCData):
    """A pointer to an opaque struct or union."""

    __slots__ = ()


def _field_property(ctype, field, fast):
    """The property reading and writing one field of a struct (through a pointer or not).

    With `fast`, the class is only used for non-NULL addresses aligned for the struct, so
    naturally aligned number fields read through a typed view with no NULL check.
    """
    offset = field.offset
    if fast and field.bitsize < 0 and _is_plain_number(field.type) \
            and field.offset % field.type.byte_size == 0 \
            and ctype.byte_align >= field.type.byte_size:
        return _aligned_number_property(field)
    if field.bitsize >= 0:
        def get(self):
            address = self._addr
            if not address:
                raise null_error(self._ctype)
            return read_bitfield(field, address)

        def put(self, value):
            address = self._addr
            if not address:
                raise null_error(self._ctype)
            write_bitfield(field, address, value)
        return property(get, put)
    ftype = field.type
    frt = prepare(ftype)
    if ftype.kind == ARRAY and (ftype.length is None or ftype.length == 0):
        return _flexible_array_property(ctype, field, frt)
    write = frt.write
    if ftype.kind in (STRUCT, UNION) and not ftype.is_opaque():
        get = struct_field_getter(frt, offset, fast and offset % ftype.byte_align == 0
                                  and ctype.byte_align >= ftype.byte_align, null_error)
    elif ftype.kind == POINTER:
        get = pointer_field_getter(frt, offset, fast and offset % _POINTER_SIZE == 0
                                   and ctype.byte_align >= _POINTER_SIZE, null_error)
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

    def put(self, value):
        address = self._addr
        if address:
            write(address + offset, value)      # the checked writer: nothing written on error
            return
        raise null_error(self._ctype)
    return property(get, put)


def _aligned_number_property(field):
    """A number field read and written through a typed view (see `_field_property`)."""
    frt = prepare(field.type)
    view = typed_view(frt.fmt)
    offset, shift = field.offset, field.type.byte_size.bit_length() - 1
    write = frt.write

    def get(self):
        return view[(self._addr + offset) >> shift]

    def put(self, value):
        try:
            view[(self._addr + offset) >> shift] = value
            return
        except (TypeError, ValueError, OverflowError):
            pass
        write(self._addr + offset, value)      # raises the right error (outside the except:
    return property(get, put)                   # no internal exception chained to it)


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
            return frt.cdata_class(field.type, self._addr + offset, keep, length)
        return pointer_class(pointer, self._addr + offset, keep)

    def put(self, value):
        if not open_array:
            frt.write(self._addr + offset, value)       # `T x[0]`: no items
        elif self._owning and self._keep is not None:
            arr = get(self)
            write_array(field.type, arr._addr, value, arr._length)
        else:
            write_items(field.type, self._addr + offset, value)
    return property(get, put)


# -- Function pointers ----
class FunctionPtrCData(PointerCData):
    """`R(*)(args)`: callable (through call.py)."""

    __slots__ = ()

    def __call__(self, *args, **kwargs):
        if kwargs:
            raise TypeError("a cdata function cannot be called with keyword arguments")
        if not self._addr:
            raise RuntimeError("cannot call null function pointer '%s'" % (self._ctype.cname,))
        caller = _CALLER[0] if _CALLER else _load_caller()
        return caller(self, args)

    def __getitem__(self, index):
        raise TypeError("cdata of type '%s' cannot be indexed" % (self._ctype.cname,))

    def __add__(self, other):
        raise TypeError("cannot add to cdata '%s'" % (self._ctype.cname,))

    def __sub__(self, other):
        raise TypeError("cannot subtract from cdata '%s'" % (self._ctype.cname,))


_CALLER = []    # call.call_function_pointer, imported on first use (call.py imports this module)


def _load_caller():
    from .call import call_function_pointer
    _CALLER[:] = [call_function_pointer]
    return call_function_pointer


# -- Primitive values ----
class ValueCData(CData):
    """A primitive C value held by Python (`ffi.cast("int", 42)`, a long double...)."""

    __slots__ = ("_ctype", "_value", "__weakref__")

    def __init__(self, ctype, value):
        if not isinstance(ctype, CType):
            raise not_instantiable(type(self))
        self._ctype, self._value = ctype, value

    def _category(self):
        if self._ctype.kind == ENUM:
            return plat.INT
        return getattr(self._ctype, "category", None)

    def _as_int(self):
        cat = self._category()
        value = self._value
        if cat == plat.CHAR:
            return value[0]
        if cat == plat.WCHAR:
            return ord(value) if isinstance(value, str) and len(value) == 1 else value
        if cat == plat.LONGDOUBLE:
            return int(longdouble_float(value))
        if cat == plat.FLOAT:
            return int(value)
        if cat == plat.COMPLEX:
            raise TypeError("int() not supported on cdata '%s'" % (self._ctype.cname,))
        return int(value)

    def __int__(self):
        return self._as_int()

    def __index__(self):
        if self._category() in (plat.INT, plat.BOOL):
            return int(self._value)
        raise TypeError("cdata '%s' cannot be used as an index" % (self._ctype.cname,))

    def __float__(self):
        # spec 7.2: float() is an operation of the floating-point types only (so an integer
        # cdata is not written into a double either, as in cffi; ffi.cast() converts it)
        cat = self._category()
        if cat == plat.FLOAT:
            return float(self._value)
        if cat == plat.LONGDOUBLE:
            return longdouble_float(self._value)
        raise TypeError("float() not supported on cdata '%s'" % (self._ctype.cname,))

    def __complex__(self):
        if self._category() == plat.COMPLEX:
            return self._value
        # not even for 'double', as in cffi (ffi.cast("double _Complex", x) converts)
        raise TypeError("complex() not supported on cdata '%s'" % (self._ctype.cname,))

    def __bool__(self):
        cat = self._category()
        if cat == plat.LONGDOUBLE:
            return longdouble_float(self._value) != 0
        if cat in (plat.CHAR, plat.WCHAR):
            return self._as_int() != 0
        return bool(self._value)

    def _number(self):
        cat = self._category()
        if cat in (plat.FLOAT, plat.LONGDOUBLE):
            return self.__float__()
        if cat == plat.COMPLEX:
            return self._value
        return self._as_int()

    def __eq__(self, other):
        if isinstance(other, ValueCData):
            return self._number() == other._number()
        if isinstance(other, (int, float, complex)):
            return self._number() == other
        if isinstance(other, (bytes, str)):
            return self._value == other
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __lt__(self, other):
        return self._number() < _other_number(other)

    def __le__(self, other):
        return self._number() <= _other_number(other)

    def __gt__(self, other):
        return self._number() > _other_number(other)

    def __ge__(self, other):
        return self._number() >= _other_number(other)

    def __hash__(self):
        if isinstance(self._value, (bytes, str)):
            return hash(self._value)
        return hash(self._number())

    def __repr__(self):
        return "<cdata '%s' %s>" % (self._ctype.cname, self._repr_value())

    def _repr_value(self):
        cat = self._category()
        if cat == plat.LONGDOUBLE:
            return "%E" % (longdouble_float(self._value),)
        if self._ctype.kind == ENUM:
            name = self._ctype.elements.get(self._value)
            return "%d: %s" % (self._value, name) if name is not None else "%d" % self._value
        return repr(self._value)

    def __dir__(self):
        return []

    # -- What a C value does not do (cffi's messages) ----
    __add__ = __radd__ = __sub__ = _no_add
    __getitem__ = __setitem__ = _no_item
    __len__, __call__ = _no_len, _no_call
    __iter__ = _no_iter


# the name Python's own messages show ("unsupported operand type(s) for *: 'cdata' and 'int'")
ValueCData.__name__ = ValueCData.__qualname__ = "cdata"


def _other_number(other):
    if isinstance(other, ValueCData):
        return other._number()
    if isinstance(other, (int, float)):
        return other
    raise TypeError("cannot compare cdata with %s" % (type(other).__name__,))


# -- Per-type classes ----
def attach_classes(ctype, rt):
    """Give `rt` the cdata class(es) of `ctype` (called once when the type is prepared)."""
    maker = _CLASS_MAKERS.get(ctype.kind)
    if maker is not None:
        maker(ctype, rt)


_ADDRESS_SLOTS = ("_addr", "_ctype", "_keep")   # sorted: CPython lays slots out sorted
_NOT_COPIED = frozenset(("__dict__", "__weakref__", "__slots__", "__module__", "__qualname__",
                         "__doc__", "_slots"))
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
    return type(name, (CData,), namespace)


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
    namespace["_families"] = frozenset(families)
    return namespace


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
    _item_accessors(item, attrs)
    if attrs["_item_size"] > 0:
        attrs["__add__"] = attrs["__radd__"] = _pointer_add(attrs["_item_size"])
    rt.cdata_class = cls = concrete(ctype.cname, template, attrs)
    owning = {}
    owning_item = None
    slots = ()
    if with_fields:
        rt.fast_class = cls = _fast_subclass(cls, item, rt)
        owning_item = prepare(item)
        owning.update(_owned_view_attrs(item))
        slots = owning.pop("__slots__", ()) + ("_v_item",)
    owning["__getitem__"], owning["__setitem__"] = _owning_item_methods(
        cls.__getitem__, cls.__setitem__, owning_item)
    if _is_plain_number(item):
        irt = prepare(item)
        owning["__getitem__"], owning["__setitem__"] = _owning_number_methods(
            owning["__getitem__"], owning["__setitem__"], irt.unpack, irt.write)
    rt.owning_class = concrete(ctype.cname, OwningPointerCData, owning, parent=cls, slots=slots)


def _pointer_add(size):
    """`p + n` for a pointer to items of `size` bytes: the new pointer made with no frame."""
    def add(self, offset):
        if offset.__class__ is int:
            result = _new_object(self.__class__)
            result._ctype, result._addr, result._keep = \
                self._ctype, self._addr + offset * size, self._keep
            return result
        return PointerCData.__add__(self, offset)
    return add


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
    attrs = {"_array": True}
    _item_accessors(item, attrs)
    cls = fast_cls = concrete(name, ArrayCData, attrs)
    align_mask = 0
    if _is_plain_number(item):
        fast = {}
        fast["__getitem__"], fast["__setitem__"], fast["__iter__"] = _aligned_item_methods(
            irt.fmt, item.byte_size)
        fast_cls = concrete(name, ArrayCData, fast, parent=cls, slots=("_view_items",))
        align_mask = item.byte_size - 1
    owning = concrete(name, ArrayCData, {"_owning": True}, parent=fast_cls)
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
    if not ctype.is_opaque():
        owning.update(_owned_view_attrs(ctype))
    slots = owning.pop("__slots__", ())
    rt.owning_class = concrete(ctype.cname, StructCData, owning, parent=cls, slots=slots)


def _owned_view_attrs(struct_type):
    """Slots and properties for the struct memory that ffi.new() returned.

    Such an object is usually used many times, so on first access it gets one memoryview per
    number format over its own memory (`_v_i`, `_v_d`...), and a field read is a property call
    and one index.  Transient views (array items, fields) keep the computed-address getters.
    """
    fields = [(name, f) for name, f in struct_type.fields if _typed_view_field(struct_type, f)]
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
    return field.bitsize < 0 and _is_plain_number(field.type) \
        and field.offset % field.type.byte_size == 0 \
        and struct_type.byte_align >= field.type.byte_size


def _owned_view_property(field, slot, make_views):
    """A field read and written through the owner's per-format memoryview (slot `slot`)."""
    constants = dict(INDEX=field.offset // field.type.byte_size, MAKE_VIEWS=make_views,
                     WRITE=prepare(field.type).write, OFFSET=field.offset,
                     VIEW_ERRORS=(TypeError, ValueError, OverflowError))
    names = {"_v_": slot}
    return property(specialise(_owned_view_get, names, **constants),
                    specialise(_owned_view_put, names, **constants))


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


def _fast_subclass(cls, struct_type, rt):
    """The class for non-NULL memory aligned for `struct_type`: typed-view field properties."""
    rt.align_mask = struct_type.byte_align - 1
    template = StructCData if struct_type is rt.ctype else StructPointerCData
    return concrete(cls.__name__, template, _field_properties(struct_type, True), parent=cls)


def _function_class(ctype, rt):
    rt.cdata_class = concrete(ctype.cname, FunctionPtrCData)


def _item_accessors(item, attrs):
    """Class attributes for reading/writing items of a pointer or array."""
    if item.kind == VOID or (item.is_opaque() and item.kind not in (STRUCT, UNION)):
        attrs["_item_size"] = 0
        attrs["_item_read"] = staticmethod(_void_access(item))
        attrs["_item_write"] = staticmethod(_void_access(item))
        return
    irt = prepare(item)
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
    elif _is_plain_number(item):
        # numbers: one struct call per access, the checked writer only when pack refuses
        attrs["__getitem__"], attrs["__setitem__"] = _number_item_methods(
            irt.unpack, item.byte_size, irt.write, attrs.get("_array", False), irt.fmt)
    elif getattr(item, "category", None) == plat.CHAR:
        attrs["__getitem__"] = _char_getitem(attrs.get("_array", False))


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
            return _ONE_BYTE[MEM[address + index]]
        return PointerCData.__getitem__(self, index)
    return getitem


def _is_plain_number(ctype):
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
            if not address & mask:          # aligned: one index into the typed view
                return view[(address >> shift) + index]
            return unpack(MEM, address + index * size)[0]
        return PointerCData.__getitem__(self, index)

    def setitem(self, index, value):
        address = self._addr
        if address and index.__class__ is int:
            if not address & mask:          # aligned: one store into the typed view
                try:
                    view[(address >> shift) + index] = value
                    return
                except (TypeError, ValueError, OverflowError):
                    pass
            write(address + index * size, value)    # checked: writes or raises (outside the
            return                                  # except: no internal exception chained)
        PointerCData.__setitem__(self, index, value)
    return getitem, setitem


def _aligned_item_methods(fmt, size):
    """Item access for arrays at non-NULL addresses aligned to their item size.

    Each array gets, on first access, `_items`: a memoryview of exactly its items in the item's
    format, so `a[i]` is one bounds-checked C-level index (negative indexes are refused before,
    as C arrays have none).  Anything unusual (slices, bad values, out of range) falls back to
    the general, checked ArrayCData methods, which raise the right errors.
    """
    def items_view(self):
        length = self._length
        if length is None:
            return None
        items = self._view_items = MEM[self._addr:self._addr + length * size].cast(fmt)
        return items

    # (the retries and fallbacks run after the `try`: an error they raise must not have the
    # internal exception chained to it)
    def getitem(self, index):
        retry = False
        if index.__class__ is int:      # (a slice would raise in `>=`: an exception is slow)
            try:
                if index >= 0:
                    return self._view_items[index]
            except AttributeError:
                retry = items_view(self) is not None
            except IndexError:
                pass
            if retry:
                return getitem(self, index)
        elif index.__class__ is slice:
            return _slice(self, index, self._length)
        return ArrayCData.__getitem__(self, index)

    def setitem(self, index, value):
        retry = False
        try:
            if index >= 0:
                self._view_items[index] = value
                return
        except AttributeError:
            retry = items_view(self) is not None
        except (TypeError, ValueError, OverflowError, IndexError):
            pass
        if retry:
            setitem(self, index, value)
            return
        ArrayCData.__setitem__(self, index, value)      # checked: writes or raises

    def iterate(self):
        # the memoryview's own iterator reads each item when it is reached, as C would
        items = getattr(self, "_view_items", None)
        if items is None:
            items = items_view(self)
            if items is None:
                len(self)           # raises: unknown length
        return iter(items)
    return getitem, setitem, iterate


def _void_access(item):
    def access(*args):
        if item.kind == VOID:
            raise TypeError("cannot dereference a 'void *': cast it to a typed pointer first")
        raise opaque_error(item)
    return access


def _field_properties(ctype, fast):
    return {name: _field_property(ctype, field, fast) for name, field in ctype.fields}


_CLASS_MAKERS = {
    POINTER: _pointer_class, ARRAY: _array_class, STRUCT: _struct_class, UNION: _struct_class,
    FUNCTION: _function_class,
}


# -- Making cdata ----
def pointer_to(ctype, address, keep=None):
    """A non-owning cdata of pointer type `ctype` at `address`."""
    rt = ctype._rt or prepare(ctype)
    fast = rt.fast_class
    if fast is not None and address and not address & rt.align_mask:
        return fast(ctype, address, keep)
    return rt.cdata_class(ctype, address, keep)


def new(ctype, init=None, allocator=None):
    """`ffi.new(ctype, init)`: fresh zeroed memory, owned by the returned cdata."""
    rt = ctype._rt or prepare(ctype)
    maker = rt.new
    if maker is None:
        maker = rt.new = _make_new(ctype, rt)
    return maker(init, allocator)


def _make_new(ctype, rt):
    """The `new(init, allocator)` function of a pointer or array type (built once)."""
    if ctype.kind == POINTER:
        item = ctype.item
        if item.kind in (STRUCT, UNION) and not item.is_opaque() and is_var_sized(item):
            return _new_var_struct(ctype, rt, item)
        if item.kind == VOID or item.is_opaque() or item.byte_size < 0:
            return _refuse_new(ctype, item)
        irt = prepare(item)
        write = irt.write
        return _new_fixed(ctype, rt, item.byte_size, write)
    if ctype.kind == ARRAY:
        if ctype.length is Ellipsis or ctype.item.byte_size < 0 or ctype.item.is_opaque() \
                and ctype.item.kind not in (STRUCT, UNION):
            return _refuse_new(ctype, ctype if ctype.length is Ellipsis else ctype.item)
        if ctype.item.is_opaque():
            return _refuse_new(ctype, ctype.item)
        if ctype.length is None:
            return _new_open_array(ctype, rt)
        length = ctype.length
        size = length * ctype.item.byte_size

        def write_array_init(address, init):
            write_array(ctype, address, init, length)
        return _new_fixed(ctype, rt, size, write_array_init, length)
    return _refuse_new(ctype, None)


def _new_fixed(ctype, rt, byte_size, write, length=None):
    """ffi.new() of a type of fixed size: one ctypes allocation, one cdata.

    `T *` allocates with a ctypes array class of its item's size (shared by the types of that
    size; there are as many as declared types); `T[N]` with `allocate()`, which makes no class
    per size, since any number of lengths may be used.
    """
    if length is not None:
        return _new_fixed_array(ctype, rt, byte_size, write, length)
    buf_cls = buffer_type(byte_size)
    owning = rt.owning_class

    def new_fixed(init, allocator):
        if allocator is None:
            buf = buf_cls()
            address = addressof(buf)
        else:
            buf = allocator(byte_size)
            address = buf.address
        result = _new_object(owning)        # owning(ctype, address, buf) without its frame
        result._ctype, result._addr, result._keep = ctype, address, buf
        if init is not None:
            write(address, init)
        return result
    return new_fixed


def _new_fixed_array(ctype, rt, byte_size, write, length):
    owning = rt.owning_class

    grow = byte_size > 1

    def new_fixed_array(init, allocator):
        if allocator is None:
            if grow:                        # allocate(), inlined
                buf = _Bytes()
                _resize(buf, byte_size)
                address = addressof(buf)
            else:
                buf, address = allocate(byte_size)
        else:
            buf = allocator(byte_size)
            address = buf.address
        result = _new_object(owning)        # owning(ctype, address, buf, length), no frame
        result._ctype, result._addr, result._keep, result._length = ctype, address, buf, length
        if init is not None:
            write(address, init)
        return result
    return new_fixed_array


def _new_open_array(ctype, rt):
    """ffi.new("T[]", n or initializer)."""
    owning = rt.owning_class
    item_size = ctype.item.byte_size
    # char, signed/unsigned char, int8_t...: a bytes initializer is copied as is, plus a NUL
    takes_bytes = item_size == 1 and getattr(ctype.item, "category", None) in (plat.CHAR,
                                                                              plat.INT)

    def new_open_array(init, allocator):
        if init.__class__ is bytes and takes_bytes and allocator is None:
            length = len(init) + 1
            buf = _Bytes()                  # allocate(), inlined
            if length > 1:
                _resize(buf, length)
            address = addressof(buf)
            MEM[address:address + length - 1] = init
            result = _new_object(owning)    # owning(ctype, address, buf, length), no frame
            result._ctype, result._addr, result._keep, result._length = ctype, address, buf, \
                length
            return result
        length = array_length_for(ctype, init)
        if isinstance(init, int):
            init = None
        byte_size = length * item_size
        if allocator is None:
            buf, address = allocate(byte_size)
        else:
            buf = allocator(byte_size)
            address = buf.address
        result = owning(ctype, address, buf, length)
        if init is not None:
            write_array(ctype, address, init, length)
        return result
    return new_open_array


def _new_var_struct(ctype, rt, item):
    """ffi.new("struct s *", init) for a struct with a variable-sized array (varsize.py)."""
    owning = rt.owning_class

    def new_var_struct(init, allocator):
        byte_size = byte_extent(item, init)
        if allocator is None:
            buf, address = allocate(byte_size)
        else:
            buf = allocator(byte_size)
            address = buf.address
        result = owning(ctype, address, buf)
        if init is not None:
            write_var(item, address, init)
        return result
    return new_var_struct


def _refuse_new(ctype, item):
    """ffi.new() of a type it cannot allocate: raise the error that explains why."""
    def refuse(init, allocator):
        if item is None:
            raise TypeError("expected a pointer or array ctype, got '%s'" % (ctype.cname,))
        if item.kind == VOID:
            raise TypeError("cannot instantiate ctype '%s' of unknown size" % (item.cname,))
        raise opaque_error(item)
    return refuse


def release(cdata):
    """`ffi.release()` and `with`: free now what `cdata` owns (new(), gc(), from_buffer()...).

    Memory of the default allocator is freed when its last holder dies (it cannot be freed
    earlier without risking the views that share it); custom allocators' `free` runs now.
    """
    if not isinstance(cdata, CData):
        raise TypeError("release() expects a cdata, not %s" % (type(cdata).__name__,))
    keep = getattr(cdata, "_keep", None)
    if cdata.__class__._owning and not cdata._struct:
        if keep.__class__ is Owned:
            keep.release()
    elif isinstance(keep, GcRef) or keep.__class__ is memoryview or \
            (keep is not None and keep.__class__.__name__ == "BufferExport"):
        keep.release()
    else:
        raise ValueError("cannot release cdata '%s': it does not own its memory"
                         % (cdata._ctype.cname,))


# -- ffi.gc ----
class GcRef:
    """Calls `destructor(original)` when the cdata returned by ffi.gc() dies or is released."""

    __slots__ = ("original", "destructor", "buffer")

    def __init__(self, original, destructor):
        self.original, self.destructor = original, destructor
        self.buffer = getattr(original, "_keep", None)

    def release(self):
        """Call the destructor now (once); its exception is reported, as when it dies."""
        destructor, self.destructor = self.destructor, None
        if destructor is not None:
            try:
                destructor(self.original)
            except Exception as exc:
                from .unraisable import report
                report(exc, "Exception ignored from callback for ffi.gc %r" % (self.original,))

    __del__ = release


def gc(cdata, destructor, size=0):
    """`ffi.gc()`: a new cdata for the same memory whose death calls `destructor(cdata)`."""
    if not (isinstance(cdata, CData) and cdata._address):
        raise TypeError("ffi.gc() expects a pointer cdata, not %s" % (
            "cdata '%s'" % (cdata._ctype.cname,) if isinstance(cdata, CData)
            else type(cdata).__name__,))
    if destructor is None:
        keep = cdata._keep
        if not isinstance(keep, GcRef):
            raise TypeError("ffi.gc(cdata, None): cdata '%s' was not returned by ffi.gc()"
                            % (cdata._ctype.cname,))
        keep.destructor = None
        return None
    ref = _new_object(GcRef)            # GcRef(cdata, destructor) without its frame
    ref.original, ref.destructor, ref.buffer = cdata, destructor, cdata._keep
    ctype = cdata._ctype
    result = _new_object((ctype._rt or prepare(ctype)).cdata_class)    # cls(...), no frame
    result._ctype, result._addr, result._keep = ctype, cdata._addr, ref
    if cdata._array:
        result._length = cdata._length
    return result


# -- ffi.cast ----
def cast(ctype, value):
    """`ffi.cast(ctype, value)`: reinterpret without range checks."""
    rt = ctype._rt or prepare(ctype)
    if rt.cast is None:
        rt.cast = _make_cast(ctype)
    return rt.cast(value)


def _make_cast(ctype):
    """The cast function of a type: integers get a fast path for Python ints."""
    base = ctype.base if ctype.kind == ENUM else ctype
    if ctype.kind in (PRIMITIVE, ENUM) and getattr(base, "category", None) == plat.INT:
        size, signed = base.byte_size, base.signed
        mask = (1 << (8 * size)) - 1
        half = 1 << (8 * size - 1) if signed else 0

        def cast_int(value):
            if value.__class__ is int:
                return ValueCData(ctype, ((value + half) & mask) - half)
            return ValueCData(ctype, _wrap(_source_int(value, ctype), size, signed))
        return cast_int
    if ctype.kind == POINTER:
        return _make_cast_pointer(ctype, ctype._rt or prepare(ctype))
    if ctype.kind == PRIMITIVE and getattr(ctype, "category", None) == plat.FLOAT:
        return _make_cast_float(ctype)
    return lambda value: _cast_slow(ctype, value)


def _make_cast_pointer(ctype, rt):
    """The cast function of a pointer type: a fast path for a pointer or array cdata (the
    result made as pointer_to() does, without the frames: pointer classes only set slots)."""
    def cast_pointer(value):
        if isinstance(value, CData) and value._address and not value._struct:
            address = value._addr
            fast = rt.fast_class
            if fast is not None and address and not address & rt.align_mask:
                result = _new_object(fast)
            else:
                result = _new_object(rt.cdata_class)
            result._ctype, result._addr = ctype, address
            result._keep = value._keep if value._cast_keeps else None
            return result
        return _cast_to_pointer(ctype, value)
    return cast_pointer


def _make_cast_float(ctype):
    """The cast function of float or double: a fast path for a Python float."""
    if ctype.byte_size == 4:
        def cast_float(value):
            if value.__class__ is float:
                return ValueCData(ctype, float32(value))
            return _cast_to_primitive(ctype, value)
        return cast_float

    def cast_double(value):
        if value.__class__ is float:
            return ValueCData(ctype, value)
        return _cast_to_primitive(ctype, value)
    return cast_double


def _cast_slow(ctype, value):
    kind = ctype.kind
    if kind in (POINTER, FUNCTION):
        return _cast_to_pointer(ctype, value)
    if kind == ENUM or (kind == PRIMITIVE and hasattr(ctype, "category")):
        return _cast_to_primitive(ctype, value)
    if kind == ARRAY and isinstance(ctype.length, int):
        address = _cast_to_pointer(TYPES.pointer(ctype.item), value)
        return prepare(ctype).cdata_class(ctype, address._addr, address._keep)
    raise TypeError("cannot cast to ctype '%s'" % (ctype.cname,))


def _source_int(value, ctype=None):
    """An integer from a cast source: int, cdata, float (truncated), bytes/str of length 1."""
    if isinstance(value, CData) and value._address:
        if value._struct:                       # a struct value has no integer meaning
            raise TypeError("int() not supported on cdata '%s'" % (value._ctype.cname,))
        return value._addr
    if isinstance(value, ValueCData):
        if value._category() in (plat.FLOAT, plat.LONGDOUBLE):
            return int(value.__float__())
        return value._as_int()
    if isinstance(value, float):
        return int(value)       # ValueError for NaN, OverflowError for infinities (as cffi)
    if isinstance(value, (bytes, bytearray)) and len(value) == 1:
        return value[0]
    if isinstance(value, str) and len(value) == 1:
        return ord(value)
    lib_address = getattr(value, "_function_address", None)
    if lib_address is not None:
        return lib_address()
    address = function_address(value)          # an API-mode fast function
    if address is not None:
        return address
    if hasattr(value, "__index__"):
        return value.__index__()
    if isinstance(value, str) and ctype is not None:
        raise TypeError("cannot cast unicode string of length %d to ctype '%s'"
                        % (len(value), ctype.cname))
    if isinstance(value, (bytes, bytearray)):
        raise TypeError("initializer for ctype 'char' must be a bytes of length 1, not %s"
                        % (type(value).__name__,))
    if hasattr(value, "__int__") and not isinstance(value, (str, complex)):
        return int(value)
    raise TypeError("an integer is required")


def _wrap(value, byte_size, signed):
    bits = 8 * byte_size
    value &= (1 << bits) - 1
    if signed and value >> (bits - 1):
        value -= 1 << bits
    return value


def _cast_to_primitive(ctype, value):
    base = ctype.base if ctype.kind == ENUM else ctype
    cat = base.category
    if cat == plat.INT:
        return ValueCData(ctype, _wrap(_source_int(value, ctype), base.byte_size, base.signed))
    if cat == plat.BOOL:
        if isinstance(value, ValueCData) and value._category() in (plat.FLOAT, plat.LONGDOUBLE):
            return ValueCData(ctype, float(value) != 0)
        if isinstance(value, float):
            return ValueCData(ctype, value != 0)
        return ValueCData(ctype, _source_int(value, ctype) != 0)
    if cat == plat.CHAR:
        return ValueCData(ctype, bytes([_source_int(value, ctype) & 0xFF]))
    if cat == plat.WCHAR:
        code = _wrap(_source_int(value, ctype), base.byte_size, base.signed)
        return ValueCData(ctype, chr(code) if 0 <= code <= 0x10FFFF else code)
    if cat == plat.FLOAT:
        number = _source_float(ctype, value)
        if base.byte_size == 4:
            number = float32(number)
        return ValueCData(ctype, number)
    if cat == plat.LONGDOUBLE:
        if isinstance(value, ValueCData) and value._category() == plat.LONGDOUBLE:
            return ValueCData(ctype, value._value)
        return ValueCData(ctype, longdouble_bytes(_source_float(ctype, value)))
    if cat == plat.COMPLEX:
        if isinstance(value, AddrCData):
            raise TypeError("cannot cast ctype '%s' to ctype '%s'"
                            % (value._ctype.cname, ctype.cname))
        number = to_complex(ctype, value) if not isinstance(value, ValueCData) \
            or value._category() == plat.COMPLEX else complex(_source_float(ctype, value))
        if base.byte_size == 8:         # float _Complex: each part rounded as a float cast
            number = complex(float32(number.real), float32(number.imag))
        return ValueCData(ctype, number)
    raise TypeError("cannot cast to '%s'" % (ctype.cname,))


def _source_float(ctype, value):
    if isinstance(value, ValueCData):
        category = value._category()
        if category in (plat.FLOAT, plat.LONGDOUBLE):
            return value.__float__()
        if category == plat.COMPLEX:
            raise TypeError("must be real number, not complex")
        return float(value._as_int())
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (bytes, str)):
        if len(value) == 1:
            return float(ord(value))
        raise TypeError("cannot cast %s object to ctype '%s'"
                        % (type(value).__name__, ctype.cname))
    if isinstance(value, CData) and value._address:
        raise TypeError("cannot cast ctype '%s' to ctype '%s'" % (value._ctype.cname, ctype.cname))
    return to_float(ctype, value)


def _cast_to_pointer(ctype, value):
    if value is None:
        raise TypeError("cannot cast None to '%s': use ffi.NULL" % (ctype.cname,))
    if isinstance(value, CData) and value._address:
        if value._struct:
            raise TypeError("int() not supported on cdata '%s'" % (value._ctype.cname,))
        keep = value._keep if value._cast_keeps else None
        return pointer_to(ctype, value._addr, keep)
    file_address = _file_address(value)
    if file_address is not None:
        return pointer_to(ctype, file_address, value)
    if isinstance(value, (bytes, bytearray, str)):
        raise TypeError("an integer is required")
    return pointer_to(ctype, _source_int(value) & ((1 << (8 * plat.POINTER_SIZE)) - 1))


def _file_address(value):
    if hasattr(value, "fileno") and hasattr(value, "flush") and not isinstance(value, CData):
        from .call import file_pointer
        return file_pointer(value)
    return None
