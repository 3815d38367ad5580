"""Making cdata: ffi.new(), ffi.gc(), pointers to known addresses; and the set-up
that gives convert.py the per-type class maker and cdata.py the function-pointer caller."""
import struct
from operator import index as _index

from . import platform as plat
from . import cdata_kinds  # noqa: F401  (registers cffi_class_name() for the char messages)
from .call import LibFunction, pointer_function
from .cdata import set_caller
from .ownership import release as _release_general
from .cdata_classes import attach_classes
from .item_methods import is_plain_number as _is_plain_number
from .cdata_value import GcValueCData, ValueCData
from .cdatabase import CData, make_cdata, not_a_cdata
from .gcref import GcRef, holds_gc
from .convert import (array_length_for, array_size_error, is_length, prepare, set_class_maker,
                      write_array, write_numbers)
from .convert_scalar import bad_init, wide_encoder
from .ctype import ARRAY, ENUM, POINTER, PRIMITIVE, STRUCT, UNION, VOID, opaque_error
from .varsize import byte_extent, is_var_sized, write_var
from .memory import MEM, Owned, addressof, allocate, buffer_type
from .memory import _Bytes, _resize

_new_object = object.__new__
_MemberDescriptor = type(Owned.byte_size)
# fixed-size arrays up to this size allocate with a ctypes class of their size (~3 KB, shared
# by the types of that size and dying with the last): bounded, and ~40% cheaper than resize()
_CLASS_BYTES = 1024

set_class_maker(attach_classes)         # convert.prepare() gives each type its cdata classes
set_caller(pointer_function)       # a function pointer cdata calls through call.py


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
                    elif views:
                        result._v_item = None           # (its first `p[0]` makes it)
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
        return _new_fixed(ctype, rt, item.byte_size, irt.write, pack=initializer_pack(item, irt))
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
    `pack` (see initializer_pack) writes the common initializers in one C-level call.
    """
    if length is not None:
        return _new_fixed_array(ctype, rt, byte_size, write, length)
    owning = rt.owning_class
    # a struct's memory is a ctypes mirror of it, read in C by its `_mirror_class` (shadow.py)
    buf_cls = getattr(owning, "_mirror_buffer", None) or buffer_type(byte_size)
    mirrored = getattr(owning, "_mirror_class", owning)
    # FFI.new()'s inlined path: no initializer, or a number (`pack`, as below); its `views`
    # for a struct pointer: set `_v_item` (its `p[0]`, made later) to None
    rt.new_plan = (buf_cls, mirrored, ctype, None) + (pack or (None, 0)) + (
        0, False, has_slot(mirrored, "_v_item"))
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


def initializer_pack(item, irt):
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


def has_slot(cls, name):
    """Whether instances of `cls` have the slot `name` that ffi.new() sets to None, "not made
    yet": `_view_items` (the typed view of an array's items, on the number arrays' fast
    class) or `_v_item` (the `p[0]` of an owning pointer to a struct)."""
    return isinstance(getattr(cls, name, None), _MemberDescriptor)


def _new_fixed_array(ctype, rt, byte_size, write, length):
    owning = rt.owning_class
    buf_cls = buffer_type(byte_size) if 0 < byte_size <= _CLASS_BYTES else None
    views = has_slot(owning, "_view_items")
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
    views = has_slot(owning, "_view_items")
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
def release(self, x):
    """`ffi.release()` (a method of FFI: `self` is the ffi): the common case (memory of
    ffi.new(), whose default allocator frees it when its last holder dies) in one frame;
    everything else as ownership.release().  (The argument is named `x`, as cffi's.)"""
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
def gc(self, cdata, destructor, size=0):
    """`ffi.gc()` (a method of FFI: `self` is the ffi): a new cdata for the same memory
    whose death calls `destructor(cdata)`."""
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
        return _remove_destructor(cdata)
    ref = _new_object(GcRef)            # GcRef(cdata, destructor) without its frame
    ref.original, ref.destructor, ref.buffer = cdata, destructor, cdata._keep
    ctype = cdata._ctype
    result = _new_object((ctype._rt or prepare(ctype)).cdata_class)    # cls(...), no frame
    result._ctype, result._addr, result._keep = ctype, cdata._addr, ref
    if cdata._array:
        result._length = cdata._length
    return result


def _remove_destructor(cdata):
    """ffi.gc(cdata, None): what ffi.gc() returned, or a custom allocator's cdata (its `free`),
    no longer calls its destructor."""
    keep = getattr(cdata, "_keep", None)
    if keep.__class__ is Owned and cdata.__class__._owning and not (
            cdata._ctype.kind == POINTER and cdata._ctype.item.kind in (STRUCT, UNION)):
        keep.free = None        # (a struct pointer is owning as ffi.new()'s: refused, as cffi)
        return None
    if not isinstance(keep, GcRef) or not holds_gc(cdata, keep):   # (not a slice of it)
        raise TypeError("Can remove destructor only on a object previously returned by "
                        "ffi.gc()")
    keep.destructor = None
    return None


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
