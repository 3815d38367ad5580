"""Making cdata: ffi.new(), ffi.cast(), ffi.gc(), pointers to known addresses; and the set-up
that gives convert.py the per-type class maker and cdata.py the function-pointer caller."""
import struct
from operator import index as _index

from . import platform as plat
from . import cdata_kinds  # noqa: F401  (registers cffi_class_name() for the char messages)
from .call import LibFunction, call_function_pointer, file_pointer
from .cdata import AddrCData, set_caller
from .ownership import GcRef, holds_gc
from .ownership import release as _release_general
from .cdata_classes import attach_classes
from .item_methods import is_plain_number as _is_plain_number
from .cdata_value import GcValueCData, ValueCData, value_cdata
from .cdatabase import CData, make_cdata, not_a_cdata, tp_name
from .convert import (array_length_for, array_size_error, function_address, is_length, prepare,
                      set_class_maker, write_array, write_numbers)
from .convert_scalar import (bad_init, float32, int_of_object, longdouble_bytes, to_complex,
                             to_float, wide_encoder)
from .ctype import (ARRAY, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, UNION, VOID, TYPES,
                    opaque_error)
from .varsize import byte_extent, is_var_sized, write_var
from .memory import MEM, Owned, addressof, allocate, buffer_type
from .memory import _Bytes, _resize

_new_object = object.__new__
_MemberDescriptor = type(Owned.byte_size)
# fixed-size arrays up to this size allocate with a ctypes class of their size (~3 KB, shared
# by the types of that size and dying with the last): bounded, and ~40% cheaper than resize()
_CLASS_BYTES = 1024

set_class_maker(attach_classes)         # convert.prepare() gives each type its cdata classes
set_caller(call_function_pointer)       # a function pointer cdata calls through call.py


# -- Making cdata ----
def ffi_new(ffi, cdecl, init=None):
    """Allocate zeroed C memory for a pointer's item or an array, owned by the result."""
    # (FFI.new itself: the commonest cases are done here, from the type's `new_plan`, a frame
    # less than through its `new` function)
    try:
        rt = ffi._types[cdecl]._rt
        plan = rt.new_plan
    except (KeyError, TypeError, AttributeError):
        rt = plan = None    # (not handled in here: its errors would chain this one)
    if plan is not None:
        buf_cls, owning, ctype, length, pack, count, item_size, takes_bytes, views = plan
        if buf_cls is not None:     # a fixed size: as new_packed() (new_fixed() without init)
            if init is None or pack is not None or takes_bytes:
                buf = buf_cls()
                address = addressof(buf)
                if init is not None:
                    try:
                        if init.__class__ is bytes and takes_bytes:     # `char[N]` from bytes
                            if len(init) <= length:
                                MEM[address:address + len(init)] = init     # (zeroed after)
                            else:
                                address = None      # too long: the checked path below raises
                        elif pack is None:
                            address = None
                        elif not count:
                            pack(MEM, address, init)
                        elif (init.__class__ is list or init.__class__ is tuple) \
                                and len(init) == count:
                            pack(MEM, address, *init)
                        else:
                            address = None  # another initializer: the general path below
                    except PACK_ERRORS:
                        address = None      # refused: the checked path below raises
                if address is not None:
                    result = _new_object(owning)
                    result._ctype, result._addr, result._keep = ctype, address, buf
                    if length is not None:
                        result._length = length
                        if views:
                            result._view_items = None   # (its first item access makes it)
                    return result
        elif init.__class__ is int and init > 0:       # `T[]` of a length
            byte_size = init * item_size
            buf = _Bytes()
            if byte_size > 1:
                try:
                    _resize(buf, byte_size)
                except OverflowError:
                    raise array_size_error(init) from None
            result = _new_object(owning)
            result._ctype, result._addr, result._keep, result._length = ctype, addressof(buf), \
                buf, init
            if views:
                result._view_items = None
            return result
        elif init.__class__ is bytes and takes_bytes:   # `char[]` from bytes, and its NUL
            length = len(init) + 1
            buf = _Bytes()
            if length > 1:
                _resize(buf, length)
            buf.raw = init
            result = _new_object(owning)
            result._ctype, result._addr, result._keep, result._length = ctype, addressof(buf), \
                buf, length
            if views:
                result._view_items = None
            return result
    new_function = rt.new if rt is not None else None
    if new_function is not None:
        return new_function(init, None)
    return new(ffi._typeof(cdecl), init)


def pointer_to(ctype, address, keep=None):
    """A non-owning cdata of pointer type `ctype` at `address`."""
    rt = ctype._rt or prepare(ctype)
    fast = rt.fast_class
    if fast is not None and address and not address & rt.align_mask:
        return make_cdata(fast, ctype, address, keep)
    return make_cdata(rt.cdata_class, ctype, address, keep)


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
        return _new_fixed(ctype, rt, item.byte_size, irt.write, pack=_initializer_pack(item, irt))
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


def _new_fixed(ctype, rt, byte_size, write, length=None, pack=None):
    """ffi.new() of a type of fixed size: one ctypes allocation, one cdata.

    `T *` allocates with a ctypes array class of its item's size (shared by the types of that
    size; there are as many as declared types); `T[N]` too up to _CLASS_BYTES bytes, and above
    with `allocate()`, which makes no class per size (any number of lengths may be used).
    `pack` (see _initializer_pack) writes the common initializers in one C-level call.
    """
    if length is not None:
        return _new_fixed_array(ctype, rt, byte_size, write, length)
    owning = rt.owning_class
    # a struct's memory is a ctypes mirror of it, read in C by its `_mirror_class` (shadow.py)
    buf_cls = getattr(owning, "_mirror_buffer", None) or buffer_type(byte_size)
    mirrored = getattr(owning, "_mirror_class", owning)
    # FFI.new()'s inlined path: no initializer, or a number (`pack`, as below)
    rt.new_plan = (buf_cls, mirrored, ctype, None) + (pack or (None, 0)) + (0, False, False)
    if pack is not None:
        return _new_packed(ctype, owning, mirrored, byte_size, buf_cls, write, *pack)

    def new_fixed(init, allocator):
        if allocator is None:
            buf = buf_cls()
            address = addressof(buf)
            result = _new_object(mirrored)  # make_cdata(mirrored, ...) without its frame
        else:
            buf = allocator(byte_size)
            address = buf.address
            result = _new_object(owning)
        result._ctype, result._addr, result._keep = ctype, address, buf
        if init is not None:
            write(address, init)
        return result
    return new_fixed


def _new_packed(ctype, owning, mirrored, byte_size, buf_cls, write, pack, count):
    """new_fixed() for a number, or a struct of numbers, whose initializer (a number, or a
    list or tuple of `count` numbers, or a dict of them keyed by every field name in order)
    is written by struct's `pack`; anything it refuses is written by the checked `write`,
    which raises the right error."""
    names = tuple(name for name, f in ctype.item._fields if not f.flags & 1) if count else None

    def new_packed(init, allocator):
        if allocator is None:
            buf = buf_cls()
            address = addressof(buf)
            result = _new_object(mirrored)  # make_cdata(mirrored, ...) without its frame
        else:
            buf = allocator(byte_size)
            address = buf.address
            result = _new_object(owning)
        result._ctype, result._addr, result._keep = ctype, address, buf
        if init is not None:
            if count == 0:
                try:
                    pack(MEM, address, init)
                    return result
                except PACK_ERRORS:
                    pass
            elif (init.__class__ is list or init.__class__ is tuple) and len(init) == count:
                try:
                    pack(MEM, address, *init)
                    return result
                except PACK_ERRORS:
                    pass
            elif init.__class__ is dict and len(init) == count and tuple(init) == names:
                try:        # (in field order: what fits is written first, as the list)
                    pack(MEM, address, *init.values())
                    return result
                except PACK_ERRORS:
                    pass
            write(address, init)            # (outside the except: no exception chained)
        return result
    return new_packed


PACK_ERRORS = (struct.error, TypeError, ValueError, OverflowError)


def _initializer_pack(item, irt):
    """(pack_into, count) writing what ffi.new("T *", init) is given: a number (count 0) for
    a number type; a list or tuple of one number per field (count) for a struct of numbers
    only (no bitfields), laid out by one struct format; None for other types."""
    if _is_plain_number(item):
        return irt.pack, 0
    if item.kind != STRUCT or item._fields is None or item.partial:
        return None
    fmt, position = "=", 0
    fields = [f for _, f in item._fields if not f.flags & 1]
    for field in fields:
        ftype = field.type
        if field.bitsize >= 0 or not _is_plain_number(ftype) or field.offset < position:
            return None
        letter = prepare(ftype).fmt
        if len(letter) != 1 or struct.calcsize("=" + letter) != ftype.byte_size:
            return None
        fmt += "%dx%s" % (field.offset - position, letter)
        position = field.offset + ftype.byte_size
    if not fields or position > item.byte_size:
        return None
    return struct.Struct(fmt).pack_into, len(fields)


def _array_pack(item, length):
    """(pack_into, count) writing a list or tuple of `length` numbers into `T[length]` in one
    call; (None, 0) for other items (and shorter lists take the checked path)."""
    if not _is_plain_number(item) or length < 2:
        return None, 0
    letter = prepare(item).fmt
    if len(letter) != 1 or struct.calcsize("=" + letter) != item.byte_size:
        return None, 0
    return struct.Struct("=%d%s" % (length, letter)).pack_into, length


def has_views(cls):
    """Whether instances of `cls` keep a typed view of their items (the `_view_items` slot
    of the number arrays' fast class), which ffi.new() sets to None, "not made yet"."""
    return isinstance(getattr(cls, "_view_items", None), _MemberDescriptor)


def _new_fixed_array(ctype, rt, byte_size, write, length):
    owning = rt.owning_class
    buf_cls = buffer_type(byte_size) if 0 < byte_size <= _CLASS_BYTES else None
    views = has_views(owning)
    if buf_cls is not None:
        item = ctype.item
        takes_bytes = item.byte_size == 1 and getattr(item, "category", None) in (plat.CHAR,
                                                                                 plat.INT)
        rt.new_plan = (buf_cls, owning, ctype, length) + _array_pack(item, length) + (
            0, takes_bytes, views)
    grow = byte_size > 1

    def new_fixed_array(init, allocator):
        if allocator is None:
            if buf_cls is not None:
                buf = buf_cls()
                address = addressof(buf)
            elif grow:                      # allocate(), inlined
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
        if views:
            result._view_items = None
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
    views = has_views(owning)
    if item_size > 0:
        rt.new_plan = (None, owning, ctype, None, None, 0, item_size, takes_bytes, views)
    takes_str = getattr(ctype.item, "category", None) == plat.WCHAR
    encode = wide_encoder(ctype.item) if takes_str else None     # (encode_wide's, no frame)
    number_items = prepare(ctype.item) if ctype.item.kind in (PRIMITIVE, ENUM) \
        and item_size > 0 else None

    def new_open_array(init, allocator):
        if init.__class__ is int and init > 0 and allocator is None and item_size > 0:
            byte_size = init * item_size    # the common case, inlined: a length, no allocator
            buf = _Bytes()
            if byte_size > 1:
                try:
                    _resize(buf, byte_size)
                except OverflowError:
                    raise array_size_error(init) from None
            result = _new_object(owning)    # make_cdata(owning, ...) without its frame
            result._ctype, result._addr, result._keep, result._length = ctype, addressof(buf), \
                buf, init
            if views:
                result._view_items = None
            return result
        if init.__class__ is bytes and takes_bytes and allocator is None:
            length = len(init) + 1
            buf = _Bytes()                  # allocate(), inlined
            if length > 1:
                _resize(buf, length)
            buf.raw = init                  # (ctypes' copy: cheaper than a memoryview's)
            result = _new_object(owning)    # make_cdata(owning, ...) without its frame
            result._ctype, result._addr, result._keep, result._length = ctype, addressof(buf), \
                buf, length
            if views:
                result._view_items = None
            return result
        if init.__class__ is str and takes_str and allocator is None:
            data = encode(init, "surrogatepass")[0]
            length = len(data) // item_size + 1
            buf = _Bytes()                  # allocate(), inlined: zeroed (the final NUL)
            _resize(buf, length * item_size)
            buf.raw = data
            result = _new_object(owning)    # make_cdata(owning, ...) without its frame
            result._ctype, result._addr, result._keep, result._length = ctype, addressof(buf), \
                buf, length
            if views:
                result._view_items = None
            return result
        if (init.__class__ is list or init.__class__ is tuple) and allocator is None \
                and number_items is not None and len(init) > 1:
            length = len(init)              # a list of numbers, the common case: one pack
            buf = _Bytes()
            _resize(buf, length * item_size)
            result = _new_object(owning)
            result._ctype, result._addr, result._keep, result._length = ctype, addressof(buf), \
                buf, length
            if views:
                result._view_items = None
            if not write_numbers(number_items, result._addr, init, True):
                write_array(ctype, result._addr, init, length)
            return result
        length = array_length_for(ctype, init)
        if isinstance(init, int) or is_length(init):     # (an object with __index__ too)
            init = None
        byte_size = length * item_size
        if allocator is None:
            buf, address = allocate(byte_size)
        else:
            buf = allocator(byte_size)
            address = buf.address
        result = make_cdata(owning, ctype, address, buf, length)
        if init is not None:
            write_array(ctype, address, init, length)
        return result
    return new_open_array


def _new_var_struct(ctype, rt, item):
    """ffi.new("struct s *", init) for a struct with a variable-sized array (varsize.py)."""
    owning = rt.owning_class

    def new_var_struct(init, allocator):
        if init is not None and not isinstance(init, (list, tuple, dict)):
            raise bad_init(item, "list or tuple or dict", init)   # (its size comes from it)
        byte_size = byte_extent(item, init)
        if allocator is None:
            buf, address = allocate(byte_size)
        else:
            buf = allocator(byte_size)
            address = buf.address
        result = make_cdata(owning, ctype, address, buf)
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
        raise opaque_error(item, message="cannot instantiate ctype '%s' of unknown size")
    return refuse


# -- ffi.release ----
def release(x):
    """`ffi.release()`: the common case (memory of ffi.new(), whose default allocator frees
    it when its last holder dies) in one frame; everything else as ownership.release().  (The
    argument is named `x`, as cffi's.)"""
    cdata = x
    try:
        owning = cdata.__class__._owning and not cdata._struct
    except AttributeError:          # not a cdata: ownership.release() says so
        owning = False
    if owning and isinstance(cdata, CData):
        keep = cdata._keep
        if keep.__class__ is Owned:     # a custom allocator's: its `free` runs now
            keep.release()
        return
    _release_general(cdata)


# -- ffi.gc ----
def gc(cdata, destructor, size=0):
    """`ffi.gc()`: a new cdata for the same memory whose death calls `destructor(cdata)`."""
    if size.__class__ is not int or not -_SSIZE_LIMIT <= size < _SSIZE_LIMIT:
        _check_gc_size(size)
    if not (isinstance(cdata, CData) and cdata._address):
        if isinstance(cdata, ValueCData):
            return _gc_value(cdata, destructor)
        if isinstance(cdata, LibFunction) and destructor is not None:
            return _gc_lib_function(cdata, destructor)
        if not isinstance(cdata, LibFunction):
            raise not_a_cdata("gc", cdata)
    if destructor is None:
        keep = getattr(cdata, "_keep", None)
        if not isinstance(keep, GcRef) or not holds_gc(cdata, keep):   # (not a slice of it)
            raise TypeError("Can remove destructor only on a object previously returned by "
                            "ffi.gc()")
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


def _gc_lib_function(function, destructor):
    """ffi.gc() of an in-line lib function (a cdata too, for cffi): a function pointer cdata
    to it whose death calls `destructor(function)`."""
    ref = _new_object(GcRef)
    ref.original, ref.destructor, ref.buffer = function, destructor, None
    ctype = function._ctype
    result = _new_object((ctype._rt or prepare(ctype)).cdata_class)
    result._ctype, result._addr, result._keep = ctype, function._addr, ref
    return result


_SSIZE_LIMIT = 1 << 63


def _check_gc_size(size):
    """ffi.gc()'s `size` must be an integer that fits a Py_ssize_t (cffi's errors)."""
    size = _index(size)
    if not -_SSIZE_LIMIT <= size < _SSIZE_LIMIT:
        raise OverflowError("Python int too large to convert to C ssize_t")


def _gc_value(cdata, destructor):
    """ffi.gc() of a primitive value (cffi accepts any cdata): a copy of the value whose death
    calls `destructor(cdata)`."""
    if destructor is None:
        ref = getattr(cdata, "_gc", None)
        if ref is None:
            raise TypeError("Can remove destructor only on a object previously returned by "
                            "ffi.gc()")
        ref.destructor = None
        return None
    ref = _new_object(GcRef)
    ref.original, ref.destructor, ref.buffer = cdata, destructor, None
    result = _new_object(GcValueCData)
    result._ctype, result._value, result._gc = cdata._ctype, cdata._value, ref
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
                result = _new_object(ValueCData)        # value_cdata(), inlined
                result._ctype, result._value = ctype, ((value + half) & mask) - half
                return result
            if isinstance(value, CData) and value._address and not value._struct:
                result = _new_object(ValueCData)        # a pointer's address
                result._ctype, result._value = ctype, ((value._addr + half) & mask) - half
                return result
            if value.__class__ is ValueCData and value._value.__class__ is int:
                result = _new_object(ValueCData)        # an integer or enum cdata
                result._ctype, result._value = ctype, ((value._value + half) & mask) - half
                return result
            return value_cdata(ctype, _wrap(_source_int(value, ctype), size, signed))
        return cast_int
    if ctype.kind == POINTER:
        return _make_cast_pointer(ctype, ctype._rt or prepare(ctype))
    if ctype.kind == PRIMITIVE and getattr(ctype, "category", None) == plat.FLOAT:
        return _make_cast_float(ctype)
    if ctype.kind == PRIMITIVE and getattr(ctype, "category", None) == plat.CHAR:
        return _make_cast_char(ctype)
    if ctype.kind == PRIMITIVE and getattr(ctype, "category", None) == plat.BOOL:
        return _make_cast_bool(ctype)
    return lambda value: _cast_slow(ctype, value)


def _make_cast_bool(ctype):
    """The cast function of _Bool: a fast path for Python ints, bools and floats."""
    def cast_bool(value):
        kind = value.__class__
        if kind is int or kind is bool or kind is float:
            result = _new_object(ValueCData)            # value_cdata(), inlined
            result._ctype, result._value = ctype, value != 0
            return result
        return _cast_to_primitive(ctype, value)
    return cast_bool


_ONE_BYTE = tuple(bytes((b,)) for b in range(256))


def _make_cast_char(ctype):
    """The cast function of char: fast paths for an int and a bytes of length 1."""
    def cast_char(value):
        if value.__class__ is int:
            value = _ONE_BYTE[value & 0xFF]
        elif value.__class__ is not bytes or len(value) != 1:
            return _cast_to_primitive(ctype, value)
        result = _new_object(ValueCData)                # value_cdata(), inlined
        result._ctype, result._value = ctype, value
        return result
    return cast_char


def _make_cast_pointer(ctype, rt):
    """The cast function of a pointer type: a fast path for a pointer or array cdata and for
    an int (the result made as pointer_to() does, without the frames: pointer classes only
    set slots)."""
    def cast_pointer(value):
        if isinstance(value, CData) and value._address and not value._struct:
            address = value._addr
            keep = value._keep if value._cast_keeps else None
        elif value.__class__ is int:
            address, keep = value & _ADDRESS_MASK, None
        else:
            return _cast_to_pointer(ctype, value)
        fast = rt.fast_class
        if fast is not None and address and not address & rt.align_mask:
            viewing = rt.cast_class
            if viewing is not None:
                result = _new_object(viewing)
                result._v = None
            else:
                result = _new_object(fast)
        else:
            result = _new_object(rt.cdata_class)
        result._ctype, result._addr, result._keep = ctype, address, keep
        return result
    return cast_pointer


_ADDRESS_MASK = plat.ADDRESS_MASK


def _make_cast_float(ctype):
    """The cast function of float or double: a fast path for a Python float."""
    if ctype.byte_size == 4:
        def cast_float(value):
            if value.__class__ is float:
                result = _new_object(ValueCData)        # value_cdata(), inlined
                result._ctype, result._value = ctype, float32(value)
                return result
            return _cast_to_primitive(ctype, value)
        return cast_float

    def cast_double(value):
        if value.__class__ is float:
            result = _new_object(ValueCData)            # value_cdata(), inlined
            result._ctype, result._value = ctype, value
            return result
        if value.__class__ is ValueCData:               # an integer or double cdata
            number = value._value
            if number.__class__ is int or number.__class__ is float:
                result = _new_object(ValueCData)
                result._ctype, result._value = ctype, float(number)
                return result
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
        return make_cdata(prepare(ctype).cdata_class, ctype, address._addr, address._keep)
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
    if isinstance(value, bytes) and len(value) == 1:     # (not a bytearray, as cffi)
        return value[0]
    if isinstance(value, str) and len(value) == 1:
        return ord(value)
    lib_address = getattr(value, "_function_address", None)
    if lib_address is not None:
        return lib_address()
    address = function_address(value)          # an API-mode fast function
    if address is not None:
        return address
    if isinstance(value, str) and ctype is not None:
        raise TypeError("cannot cast unicode string of length %d to ctype '%s'"
                        % (len(value), ctype.cname))
    if isinstance(value, bytes):
        raise TypeError("initializer for ctype 'char' must be a bytes of length 1, not %s"
                        % (tp_name(type(value)),))
    if hasattr(value, "__int__") and not isinstance(value, (str, complex)):
        return int_of_object(value)     # (as cffi: not an object with only __index__)
    raise TypeError("an integer is required")


def _bool_source(value, ctype):
    """The truth of a cast-to-_Bool source: an integer, else a number with __float__ (cffi)."""
    if isinstance(value, (int, CData, bytes, str)):
        return _source_int(value, ctype) != 0
    if isinstance(value, complex):
        raise TypeError("integer/float expected")
    # as cffi: what __float__ (a Decimal('0.5') is true), else __int__, returns, which may
    # be an int or a float
    method = getattr(type(value), "__float__", None) or getattr(type(value), "__int__", None)
    if method is None:
        raise TypeError("integer/float expected")
    number = method(value)
    if not isinstance(number, (int, float)):
        raise TypeError("integer/float conversion failed")
    return number != 0


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
        return value_cdata(ctype, _wrap(_source_int(value, ctype), base.byte_size, base.signed))
    if cat == plat.BOOL:
        if isinstance(value, ValueCData) and value._category() in (plat.FLOAT, plat.LONGDOUBLE):
            return value_cdata(ctype, float(value) != 0)
        if isinstance(value, float):
            return value_cdata(ctype, value != 0)
        return value_cdata(ctype, _bool_source(value, ctype))
    if cat == plat.CHAR:
        return value_cdata(ctype, bytes([_source_int(value, ctype) & 0xFF]))
    if cat == plat.WCHAR:
        code = _wrap(_source_int(value, ctype), base.byte_size, base.signed)
        return value_cdata(ctype, chr(code) if 0 <= code <= 0x10FFFF else code)
    if cat == plat.FLOAT:
        number = _source_float(ctype, value)
        if base.byte_size == 4:
            number = float32(number)
        return value_cdata(ctype, number)
    if cat == plat.LONGDOUBLE:
        if isinstance(value, ValueCData) and value._category() == plat.LONGDOUBLE:
            return value_cdata(ctype, value._value)
        return value_cdata(ctype, longdouble_bytes(_source_float(ctype, value)))
    if cat == plat.COMPLEX:
        if isinstance(value, AddrCData):
            raise TypeError("cannot cast ctype '%s' to ctype '%s'"
                            % (value._ctype.cname, ctype.cname))
        number = _complex_source(ctype, value)
        if base.byte_size == 8:         # float _Complex: each part rounded as a float cast
            number = complex(float32(number.real), float32(number.imag))
        return value_cdata(ctype, number)
    raise TypeError("cannot cast to '%s'" % (ctype.cname,))


def _complex_source(ctype, value):
    """The complex number of a cast-to-complex source (a 1-character string is its code)."""
    if isinstance(value, ValueCData):
        category = value._category()
        if category == plat.COMPLEX:
            return to_complex(ctype, value)
        if category == plat.LONGDOUBLE:     # as cffi, which reads no long double as complex
            raise TypeError("complex() not supported on cdata '%s'" % (value._ctype.cname,))
        return complex(_source_float(ctype, value))
    if isinstance(value, (bytes, str)):
        return complex(_source_float(ctype, value))
    return to_complex(ctype, value)


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
                        % (tp_name(type(value)), ctype.cname))
    if isinstance(value, CData) and (value._address or hasattr(value, "_function_address")):
        # (a pointer, array, struct, or a lib function)
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
    if not isinstance(value, CData) and hasattr(value, "fileno") and hasattr(value, "flush"):
        return file_pointer(value)
    return None
