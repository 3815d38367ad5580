"""Python <-> C conversions for every kind of type: the spec's Conversions table (7.2) lives here.

For each C type `prepare(ctype)` builds, once, a `TypeRuntime` holding `read(address, keep)`
(C memory -> Python value) and `write(address, value)` (Python value -> C memory), chosen from
the tables `_READER_BUILDERS` and `_WRITER_BUILDERS` keyed by the kind of type.  Everything
else (cdata, calls, callbacks) goes through these two functions.  Scalars (numbers, chars)
convert in convert_scalar.py; pointers, arrays, structs and bitfields here."""
import operator
import struct
import sys
import weakref

from . import platform as plat
from .ctype import (ARRAY, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, TYPES, UNION, VOID,
                    opaque_error)
from .cdatabase import CFFI_CLASS_NAME, CData, cffi_type_name, make_cdata, tp_name
from .errors import FFIError
from .lazy import BUILD_LOCK
from .memory import MEM, read_address, write_address
from .memory import copy as copy_memory
from .views import function_reader
from .convert_scalar import (_read_bool, _read_char, _read_complex, _read_float, _read_int,
                             _read_longdouble, _read_wchar, _write_bool, _write_char,
                             _write_complex, _write_float, _write_int, _write_longdouble,
                             _write_wchar, bad_init, encode_unicode, encode_wide)
from .convert_scalar import (LONGDOUBLE_BYTES, code_to_str, longdouble_bytes,  # noqa: F401
                             to_bool, to_char, to_float, to_int,
                             to_wchar)   # (call.py imports them from here)

_UNKNOWN = object()


class TypeRuntime:
    """What the runtime prepared for one C type (built once, kept on the type as `_rt`)."""

    __slots__ = ("ctype", "byte_size", "read", "write", "cdata_class", "owning_class", "fmt",
                 "unpack", "pack", "new", "cast", "fast_class", "align_mask", "extra",
                 "array_classes", "arg_converter", "call_plan",
                 "callback_plan", "by_value", "pointer_calls", "field_writers",
                 "byte_align", "new_plan", "cast_class", "named_writers", "list_values",
                 "variadic", "by_value_new", "pointer_type")

    def __init__(self, ctype):
        self.ctype = ctype
        self.byte_size = ctype.byte_size
        self.read = self.write = None
        self.cdata_class = self.owning_class = None
        self.fmt = self.unpack = self.pack = None
        self.new = self.cast = self.extra = None
        self.array_classes = None       # the classes of arrays of this type (cdata.py)
        # made on first use by call.py and callback.py (kept here, so they die with the type)
        self.arg_converter = self.call_plan = self.callback_plan = self.pointer_calls = None
        self.variadic = None            # a value's ctypes object in a `...` part (call.py)
        self.by_value_new = None        # (pack, count, new() of `T *`) for T arguments
        self.field_writers = None       # a struct from a list: see _field_writers()
        self.named_writers = None       # ... and from a dict: see _named_writers()
        self.list_values = None         # write_numbers(): the struct code it packs with, or ""
        self.byte_align = None          # what ffi.alignof() found (its fast path)
        self.new_plan = None            # ffi.new() without initializer, inlined (cdata_make)
        self.by_value = _UNKNOWN        # call.by_value_ctypes(): None is a result
        self.fast_class = None      # the class for non-NULL, aligned memory (typed views)
        self.align_mask = 0
        self.cast_class = None      # the fast class of ffi.cast() results (cdata_classes.py)
        self.pointer_type = None    # `T *` (interned), once ffi.addressof() asked for it


def prepare(ctype):
    """The TypeRuntime of `ctype`, built on first use."""
    rt = ctype._rt
    if rt is None:
        rt = _prepare_once(ctype)
    return rt


# -- Building runtimes: one thread at a time, published when complete ----
# One reentrant lock for every build (lazy.BUILD_LOCK; struct completion takes it too): a build
# prepares the types it refers to, and types refer to each other in cycles (struct node *next),
# so one lock per type could deadlock two threads that start from different ends of a cycle.
# While a build runs, the runtimes it made are in `_building` (seen only by the thread holding
# the lock), so recursive references find them (built_runtime() too); they are published on
# their types (`ctype._rt`) together when the outermost build completes.  Other threads see
# either no runtime (and wait for the lock) or a complete one.
_building = {}              # id(ctype) -> (ctype, TypeRuntime) of the build in progress


def _prepare_once(ctype):
    """Build the runtime of `ctype` (and of the types it needs), then publish them."""
    with BUILD_LOCK:
        rt = ctype._rt
        if rt is not None:
            return rt
        entry = _building.get(id(ctype))
        if entry is not None:
            return entry[1]             # a recursive type: this thread is building it
        outermost = not _building
        rt = TypeRuntime(ctype)
        _building[id(ctype)] = (ctype, rt)
        try:
            _build(ctype, rt)
        except BaseException:
            _building.pop(id(ctype), None)
            if outermost:
                _building.clear()
            raise
        if outermost:
            for built, built_rt in _building.values():
                built._rt = built_rt
            _building.clear()
        return rt


def built_runtime(ctype):
    """The runtime of `ctype` if published or being built by this thread, else None."""
    entry = _building.get(id(ctype))        # (not built here)
    return ctype._rt or (entry[1] if entry is not None and entry[0] is ctype else None)


_CLASS_MAKER = []          # cdata_classes.attach_classes, registered when it is imported


def set_class_maker(attach_classes):
    """Register the function giving a prepared type its cdata classes (cdata_classes.py)."""
    _CLASS_MAKER[:] = [attach_classes]


def _build(ctype, rt):
    """Fill `rt` with the readers, writers and cdata classes of `ctype`."""
    key = _kind_key(ctype)
    fmt = _FORMATS.get(key[0]) if key[0] != "int" else None
    if key[0] in ("int", "enum"):
        base = ctype.base if ctype.kind == ENUM else ctype
        fmt = plat.int_format(base.byte_size, base.signed)
    elif key[0] in ("pointer", "function"):
        fmt = "P"
    elif key[0] == "wchar":
        fmt = plat.int_format(ctype.byte_size, ctype.signed)
    elif key[0] == "complex":
        fmt = "ff" if ctype.byte_size == 8 else "dd"
    if fmt:
        st = struct.Struct(fmt)
        rt.fmt, rt.unpack, rt.pack = fmt, st.unpack_from, st.pack_into
    rt.read = _READER_BUILDERS[key[0]](ctype, rt)
    rt.write = _WRITER_BUILDERS[key[0]](ctype, rt)
    _CLASS_MAKER[0](ctype, rt)


_FORMATS = {"char": "c", "bool": "B", "float": None}


def _kind_key(ctype):
    """The row of the conversion tables for this type."""
    if ctype.kind == PRIMITIVE:
        if not hasattr(ctype, "category"):
            return ("opaque",)
        if ctype.category == plat.FLOAT:
            return ("float",)
        return (ctype.category,)
    return (ctype.kind,)


# -- Pointers ----
def pointer_compatible(target, source):
    """Can a cdata of type `source` be stored in a pointer of type `target`? (7.2 footnote 1)."""
    if source is target:
        return True
    if source.kind == ARRAY:
        source_item = source.item
    elif source.kind in (POINTER,):
        source_item = source.item
    elif source.kind == FUNCTION:
        return target.kind == FUNCTION and target is source or \
            target.kind == POINTER and target.item.kind == VOID
    else:
        return False
    if target.kind == FUNCTION:
        return source_item.kind == VOID
    if target.item.kind == VOID or source_item.kind == VOID:
        return True
    return source_item is target.item or _char_compatible(target.item, source_item) or \
        (bool(SIBLINGS) and _siblings(target.item, source_item))


# struct/union/enum type of a module verified again from an ffi's declarations -> the ffi's own
# type of the same name (verifier.py fills it): a pointer made by that ffi is accepted by the
# module's functions, as cffi's one set of types per ffi allows (entries die with the types)
SIBLINGS = weakref.WeakKeyDictionary()


def _siblings(a, b):
    """Whether types `a` and `b` are the same declaration in two verified modules."""
    while a.kind == b.kind and a.kind in (POINTER, ARRAY) and \
            (a.kind == POINTER or a.length == b.length):
        a, b = a.item, b.item
    return a is b or SIBLINGS.get(a) is b or SIBLINGS.get(b) is a


def _char_compatible(target_item, source_item):
    """`char *` and the pointers to other byte types (signed/unsigned char, _Bool, int8_t,
    uint8_t) take each other's cdata, as in cffi (two such non-char types do not)."""
    return (_is_char(target_item) and _is_byte(source_item)) or \
        (_is_char(source_item) and _is_byte(target_item))


def _is_char(ctype):
    return ctype.kind == PRIMITIVE and getattr(ctype, "category", None) == plat.CHAR


def _is_byte(ctype):
    return ctype.kind == PRIMITIVE and ctype.byte_size == 1 and \
        getattr(ctype, "category", None) in (plat.CHAR, plat.INT, plat.BOOL)


def pointer_value(ctype, value):
    """The address to store for `value` written into the pointer type `ctype`."""
    address = getattr(value, "_addr", None)
    if address is not None and isinstance(value, CData):
        if pointer_compatible(ctype, value._ctype):
            return address
        raise incompatible_pointer(ctype, value)
    func_address = function_address(value)
    if func_address is not None:
        twin = fast_twin(value)
        source = getattr(twin if twin is not None else value, "_ctype", None)
        if source is None or pointer_compatible(ctype, source):
            return func_address
        if ctype.kind == POINTER and _is_char(ctype.item):
            raise _implicit_char_cast(ctype)
        raise TypeError("initializer for ctype '%s' must be a pointer to same type, not "
                        "cdata '%s'" % (ctype.cname, source.cname))
    raise bad_init(ctype, "pointer or array" if isinstance(value, CData) else "cdata pointer",
                   value)


def incompatible_pointer(ctype, value):
    """TypeError for a cdata of a pointer type `ctype` does not take (cffi's messages)."""
    source = value._ctype
    if source.kind not in (POINTER, ARRAY, FUNCTION):
        return bad_init(ctype, "pointer or array", value)
    target_item = ctype.item if ctype.kind == POINTER else None
    source_item = source.item if source.kind != FUNCTION else None
    if target_item is not None and _is_char(target_item):
        return _implicit_char_cast(ctype)
    if source_item is not None and _is_char(source_item):
        return TypeError("implicit cast from '%s' to a different pointer type: %s"
                         % (source_item.spell("*"), _CAST_HINT))
    return bad_init(ctype, "pointer to same type", value)


_CAST_HINT = "(check that the types are as you expect; use an explicit ffi.cast() if they are " \
    "correct)"


def _implicit_char_cast(ctype):
    """TypeError for a pointer of another type given where the char pointer `ctype` goes."""
    return TypeError("implicit cast to '%s' from a different pointer type.%s"
                     % (ctype.cname, _CAST_HINT))


def function_address(value):
    """The address of a lib function object (ctypes-backed), else None."""
    getter = getattr(value, "_function_address", None)
    if getter is None:
        twin = fast_twin(value)
        getter = twin._function_address if twin is not None else None
    return getter() if getter is not None else None


_BUILTIN_FUNCTION = type(len)


# the classes of the `__self__` of the functions of verify()'s modules: cffi's verify() gives
# plain built-in functions, which are no function pointers (filled by refuse_as_pointers())
_NOT_POINTERS = set()


def fast_twin(value, refused=_NOT_POINTERS):
    """The ctypes-called twin of an API-mode fast function, else None.  Fast functions are
    built-in functions (see build/api_module.py) whose `__self__` holds the twin, which has
    what a function pointer needs (`_ctype`, `_function_address`).  None for the functions
    of a verify() lib unless `refused` is given empty (ffi.typeof() knows them)."""
    if type(value) is _BUILTIN_FUNCTION:
        holder = value.__self__
        if holder.__class__ in refused:
            return None
        return getattr(holder, "_pc_slow", None)
    return None


def refuse_as_pointers(function):
    """The functions of the module of lib function `function` are not function pointers."""
    _NOT_POINTERS.add(function.__self__.__class__)


def _read_pointer(ctype, rt):
    def read(address, keep=None):
        pointer = read_address(MEM, address)[0]
        fast = rt.fast_class
        if fast is not None and pointer and not pointer & rt.align_mask:
            cls = fast
        else:
            cls = rt.cdata_class
        result = _new_object(cls)       # what cls(ctype, pointer) does, without its frame
        result._ctype, result._addr, result._keep = ctype, pointer, None
        return result
    return read


_new_object = object.__new__


def _write_pointer(ctype, rt):
    """The writer of a pointer type: a cdata of this very type, an array of its items (or,
    into `void *`, any data or function pointer or array) gives its address with no test of
    compatibility."""
    takes_any = ctype.kind == POINTER and ctype.item.kind == VOID
    item = ctype.item if ctype.kind == POINTER else None

    def write(address, value):
        if isinstance(value, CData):
            source = value._ctype
            if source is ctype or source.kind == ARRAY and source.item is item \
                    or takes_any and source.kind in _ANY_POINTER:
                write_address(MEM, address, value._addr)
                return
        write_address(MEM, address, pointer_value(ctype, value))
    return write


_ANY_POINTER = (POINTER, ARRAY, FUNCTION)     # the cdata kinds a `void *` takes as they are


# -- Arrays ----
_SSIZE_MAX = plat.SSIZE_MAX


def array_size_error(length):
    """cffi's OverflowError for an array length too large for memory."""
    if length > _SSIZE_MAX:
        return OverflowError("cannot fit 'int' into an index-sized integer")
    return OverflowError("array size would overflow a Py_ssize_t")


def array_length_for(ctype, init):
    """The length of an open array `T[]` from its initializer (an int, a sequence, a string)."""
    item = ctype.item
    if isinstance(init, int):
        if init < 0:
            if init < -_SSIZE_MAX - 1:      # (cffi first converts it to a Py_ssize_t)
                raise OverflowError("cannot fit 'int' into an index-sized integer")
            raise ValueError("negative array length")
        if init > _SSIZE_MAX or item.byte_size > 0 and init * item.byte_size > _SSIZE_MAX:
            raise array_size_error(init)
        return init
    if isinstance(init, bytes) and getattr(item, "category", None) in (
            plat.CHAR, plat.INT, plat.BOOL) and item.byte_size == 1:
        return len(init) + 1
    if isinstance(init, str) and getattr(item, "category", None) == plat.WCHAR:
        return len(encode_wide(item, init)) // item.byte_size + 1
    if isinstance(init, (list, tuple)):
        return len(init)
    if isinstance(init, (str, bytes)):
        raise bad_init(ctype, array_initializers(item), init)
    if is_length(init):                 # an object with __index__ (a numpy integer...)
        length = operator.index(init)
        if length > _SSIZE_MAX:
            raise OverflowError("cannot fit '%s' into an index-sized integer"
                                % (tp_name(type(init)),))
        return array_length_for(ctype, length)
    raise TypeError("expected new array length or list/tuple/str, not %s"
                    % (cffi_type_name(init),))


_ARRAY_INITIALIZERS = (list, tuple, str, bytes, CData)


def is_length(init):
    """Whether the initializer of an open array `T[]` is its length: an int, or (as cffi takes
    it) any object with `__index__` that is no cdata, sequence or string."""
    return isinstance(init, int) or (not isinstance(init, _ARRAY_INITIALIZERS)
                                     and hasattr(type(init), "__index__"))


def array_initializers(item):
    """What an array of `item` is initialised from, in cffi's words."""
    category = getattr(item, "category", None)
    if item.byte_size == 1 and category in (plat.CHAR, plat.INT, plat.BOOL) \
            and item.kind == PRIMITIVE:
        return "bytes or list or tuple"
    if category == plat.WCHAR:
        return "unicode or list or tuple"
    return "list or tuple"


def write_array(ctype, address, value, length):
    """Fill `length` items of an array of `ctype.item` at `address` from `value`."""
    item = ctype.item
    irt = prepare(item)
    size = irt.byte_size
    cat = getattr(item, "category", None)
    if isinstance(value, bytes) and item.byte_size == 1 and cat in (   # (no bytearray: cffi)
            plat.CHAR, plat.INT, plat.BOOL):
        if len(value) > length:
            raise IndexError("initializer bytes is too long for '%s' (got %d characters)"
                             % (ctype.cname, len(value)))
        if cat == plat.BOOL and any(b > 1 for b in value):
            raise ValueError("an array of _Bool can only contain \\x00 or \\x01")
        MEM[address:address + len(value)] = value
        if len(value) < length:
            MEM[address + len(value)] = 0
        return
    if isinstance(value, str) and cat == plat.WCHAR:
        data = encode_wide(item, value)
        if len(data) > length * size:
            raise IndexError("initializer unicode is too long for '%s' (got %d characters)"
                             % (ctype.cname, len(data) // size))
        MEM[address:address + len(data)] = data
        return      # no terminating zero written (as cffi; ffi.new()'s memory is zeroed)
    if isinstance(value, CData) and value._ctype is ctype:      # (only the same type: cffi)
        n = len(value)
        if n > length:
            raise IndexError("array of length %d is too long for '%s'" % (n, ctype.cname))
        copy_memory(address, value._addr, n * size)
        return
    if not isinstance(value, (list, tuple)):
        raise bad_init(ctype, array_initializers(item), value)
    if len(value) > length:
        raise IndexError("too many initializers for '%s' (got %d)" % (ctype.cname, len(value)))
    if write_numbers(irt, address, value):
        return
    write = irt.write
    for i, v in enumerate(value):
        write(address + i * size, v)


_NUMBER_CODES = frozenset("bBhHiIlLqQfd")        # struct codes of plain integers and floats
_PACKERS = {}               # (code, count) -> Struct; bounded (cleared when full)
_PACKERS_MAX = 256


def write_numbers(irt, address, values, fresh=False):
    """Write a list or tuple of numbers as items of the number type of `irt` with one struct
    pack; False where that does not apply (not a plain integer or floating type, a value out
    of range or of another kind): the caller then writes item by item, with cffi's errors.
    `fresh`: the memory is new (packed in place: a refused pack leaves it zeroed); else the
    items are packed first, then copied, so that a refused list changes nothing."""
    code = irt.list_values
    if code is None:
        code = irt.list_values = _number_code(irt)
    count = len(values)
    if not code or count < 2:
        return False
    packer = _PACKERS.get((code, count)) or _packer(code, count)
    try:
        if fresh:
            packer.pack_into(MEM, address, *values)
        else:
            MEM[address:address + packer.size] = packer.pack(*values)
    except (struct.error, OverflowError, TypeError, ValueError):
        return False
    return True


def _packer(code, count):
    """The Struct of `count` items of struct code `code` (kept among a bounded few)."""
    if len(_PACKERS) >= _PACKERS_MAX:
        _PACKERS.clear()
    packer = _PACKERS[code, count] = struct.Struct("%d%s" % (count, code))
    return packer


def _number_code(irt):
    """The struct code write_numbers() packs the items of `irt` with (once per type); '' for
    types it leaves to the item writer (_Bool, wchar_t, char, pointers, long double...)."""
    ctype, fmt = irt.ctype, irt.fmt
    if fmt not in _NUMBER_CODES or struct.calcsize(fmt) != irt.byte_size or not (
            ctype.kind == ENUM or getattr(ctype, "category", None) in (plat.INT, plat.FLOAT)):
        return ""
    return fmt


def _view_reader(ctype, rt):
    """Reader for arrays: a cdata view of the memory (the fast class when aligned;
    its typed view of the items, if it keeps one, "not made yet": see item_methods.py)."""
    length = ctype.length if isinstance(ctype.length, int) else None

    def read(address, keep=None):
        fast = rt.fast_class
        if fast is not None and address and not address & rt.align_mask:
            result = _new_object(fast)      # (make_cdata() without its frame)
            if fast._keeps_views:
                result._view_items = None
        else:
            result = _new_object(rt.cdata_class)
        result._ctype, result._addr, result._keep, result._length = ctype, address, keep, length
        return result
    return read


def array_items_view(ctype, address):
    """The typed view of the items of the array of type `ctype` at `address` that its cdata
    keeps (`_view_items`, as item_methods.aligned_item_methods() makes it), made now for a
    global whose address does not change; None where the array's class keeps none."""
    rt = ctype._rt or prepare(ctype)
    fast = rt.fast_class
    if ctype.kind != ARRAY or ctype.length.__class__ is not int or fast is None or \
            not fast._keeps_views or not address or address & rt.align_mask:
        return None
    item = ctype.item
    return MEM[address:address + ctype.length * item.byte_size].cast(
        (item._rt or prepare(item)).fmt)


def _read_struct(ctype, rt):
    """Reader for structs and unions: the same, each view made without an `__init__` frame
    (field and item reads of nested structs make one per access)."""
    def read(address, keep=None):
        fast = rt.fast_class
        if fast is not None and address and not address & rt.align_mask:
            result = _new_object(fast)
        else:
            result = _new_object(rt.cdata_class)
        result._ctype, result._addr, result._keep = ctype, address, keep
        return result
    return read


def _read_array(ctype, rt):
    """Reader for arrays: a view of the memory; an item of an open array type (`p[0]` of a
    `T(*)[]`) has no length to view, and is read as the `T *` to its memory, as by cffi."""
    if ctype.length is not None:
        return _view_reader(ctype, rt)
    decayed = TYPES.pointer(ctype.item)

    def read(address, keep=None):
        return make_cdata((decayed._rt or prepare(decayed)).cdata_class, decayed, address,
                          keep)
    return read


def _write_array(ctype, rt):
    length = ctype.length
    takes_bytes = ctype.item.byte_size == 1 and getattr(ctype.item, "category", None) in (
        plat.CHAR, plat.INT) and ctype.item.kind == PRIMITIVE and length.__class__ is int

    def write(address, value):
        if value.__class__ is bytes and takes_bytes and len(value) <= length:
            end = address + len(value)          # the common case of char fields, inlined
            MEM[address:end] = value
            if end < address + length:
                MEM[end] = 0
            return
        kind = value.__class__
        if (kind is list or kind is tuple) and length.__class__ is int and len(value) <= length:
            irt = ctype.item._rt            # numbers, the common case: one pack (or nothing)
            if irt is not None and write_numbers(irt, address, value):
                return
        if ctype.length is None:            # `p[0] = [...]` of a `T(*)[]`: all the items
            write_items(ctype, address, value)
            return
        if ctype.length is Ellipsis:
            raise TypeError("cannot assign to an array of unknown length '%s'" % (ctype.cname,))
        write_array(ctype, address, value, ctype.length)
    return write


def write_items(array_type, address, value):
    """Assign to an array of unknown length as cffi does: all the items of a list or tuple,
    a bytes and its terminating zero, the characters of a str (without one); anything else
    is the array initializer's TypeError."""
    if isinstance(value, (list, tuple)):
        length = len(value)
    elif isinstance(value, str) and getattr(array_type.item, "category", None) == plat.WCHAR:
        length = len(encode_unicode(array_type.item, value))
    else:
        length = sys.maxsize        # a bytes writes its zero; write_array() refuses the rest
    write_array(array_type, address, value, length)


# -- Structs and unions ----
def write_struct(ctype, address, value, write_one=None):
    """Fill a struct/union at `address` from a list, tuple, dict or same-type cdata (each
    field written by `write_one(field, address, value)`, default write_field)."""
    if isinstance(value, CData) and (value._ctype is ctype or (
            bool(SIBLINGS) and _siblings(ctype, value._ctype))):     # (verify(): same decl)
        copy_memory(address, value._addr, ctype.byte_size)
        return
    if ctype._fields is None or ctype.partial:
        raise opaque_error(ctype)
    write_one = write_one or write_field
    if isinstance(value, (list, tuple)):
        fields = [f for _, f in ctype._fields if not f.flags & 1]
        for field, v in zip(fields, value):     # as cffi: the fields first, then the check
            write_one(field, address, v)
        if len(value) > len(fields):
            raise ValueError("too many initializers for '%s' (got %d)"
                             % (ctype.cname, len(value)))
    elif isinstance(value, dict):
        for name, v in value.items():           # in order, up to the first unknown name
            write_one(named_field(ctype, name), address, v)
    else:
        raise bad_init(ctype, "list or tuple or dict or struct-cdata", value)


def named_field(ctype, name):
    """The field `name` of `ctype`, or cffi's KeyError (with no argument for a None key)."""
    try:
        return ctype.field(name)
    except KeyError:
        pass
    raise KeyError() if name is None else KeyError(name)


def _field_writers(ctype):
    """((offset, writer) of each field a list initializes, in order), kept on the type's
    runtime; None when one is a bitfield or a variable-sized array (the general path)."""
    rt = ctype._rt or prepare(ctype)
    writers = rt.field_writers
    if writers is None:
        fields = [f for _, f in ctype._fields if not f.flags & 1]
        if any(f.bitsize >= 0 or f.type.kind == ARRAY and f.type.length is None for f in fields):
            writers = ()
        else:
            writers = tuple((f.offset, prepare(f.type).write) for f in fields)
        rt.field_writers = writers
    return writers or None


def _named_writers(ctype):
    """{field name: (offset, writer)} of the fields a dict initializes with no check of its
    own (no bitfield, no variable-sized array), kept on the type's runtime."""
    rt = ctype._rt or prepare(ctype)
    named = rt.named_writers
    if named is None:
        named = {}
        for name, f in ctype.fields:
            if f.bitsize < 0 and not (f.type.kind == ARRAY and f.type.length is None) \
                    and ctype.field(name) is f:
                named[name] = (f.offset, prepare(f.type).write)
        rt.named_writers = named
    return named


def write_field(field, base_address, value):
    """Write one field (bitfield or not) of the struct at `base_address`."""
    ftype = field.type
    if field.bitsize >= 0:
        write_bitfield(field, base_address, value)
        return
    address = base_address + field.offset
    if ftype.kind == ARRAY and ftype.length is None:
        raise TypeError("cannot initialize the variable-sized array '%s' of a struct that "
                        "was not allocated with its length" % (field.name,))
    prepare(ftype).write(address, value)


# -- Bitfields ----
def _bitfield_window(field):
    """(first byte address offset, number of bytes, shift) covering the bitfield."""
    start = field.bit_position
    first = start // 8
    last = (start + field.bitsize - 1) // 8
    return first, last - first + 1, start - first * 8


def read_bitfield(field, base_address):
    """Read a bitfield as a Python int (sign-extended for signed integer types; `_Bool` and
    char bitfields read as unsigned integers, as in cffi)."""
    first, nbytes, shift = _bitfield_window(field)
    raw = int.from_bytes(MEM[base_address + first:base_address + first + nbytes], "little")
    value = (raw >> shift) & ((1 << field.bitsize) - 1)
    if bitfield_range(field)[0] < 0 and value >> (field.bitsize - 1):
        value -= 1 << field.bitsize
    return value


def bitfield_range(field):
    """(lowest, highest) value a bitfield takes, as cffi checks it: signed integer fields of
    one bit take -1 and 1 (1 reads back as -1), `_Bool` and char fields are unsigned."""
    ftype = field.type
    base = ftype.base if ftype.kind == ENUM else ftype
    bits = field.bitsize
    if base.signed and getattr(base, "category", plat.INT) == plat.INT:
        return -(1 << (bits - 1)), max((1 << (bits - 1)) - 1, 1)
    return 0, (1 << bits) - 1


def write_bitfield(field, base_address, value):
    """Write a bitfield, checking that the value is an integer that fits in its width."""
    if value.__class__ is not int:
        if isinstance(value, CData) or not hasattr(value, "__index__"):
            name = "'%s' object" % (tp_name(type(value)),)
            if isinstance(value, CData):                # (cffi's class, as cffi names it)
                name = "'_cffi_backend.%s' object" % (CFFI_CLASS_NAME[0](value),)
            raise TypeError("%s cannot be interpreted as an integer" % (name,))
        value = value.__index__()
    bits = field.bitsize
    lo, hi = bitfield_range(field)
    if not lo <= value <= hi:
        if not -(1 << 63) <= value < (1 << 63):
            raise OverflowError("int too big to convert")
        raise OverflowError("value %d outside the range allowed by the bit field width: "
                            "%d <= x <= %d" % (value, lo, hi))
    first, nbytes, shift = _bitfield_window(field)
    where = base_address + first
    raw = int.from_bytes(MEM[where:where + nbytes], "little")
    mask = ((1 << bits) - 1) << shift
    raw = (raw & ~mask) | ((value << shift) & mask)
    MEM[where:where + nbytes] = raw.to_bytes(nbytes, "little")


_STRUCT_COPY_MAX = 512     # up to this size, one bytes object copies faster than two views


def _write_struct(ctype, rt):
    """Writer for structs and unions: a copy of a cdata of the same type (through one bytes
    object, with `struct`, for small ones; through two views otherwise), else the fields."""
    size = ctype.byte_size
    if size > _STRUCT_COPY_MAX:
        def write(address, value):
            if isinstance(value, CData) and value._ctype is ctype:     # a copy, the common case
                source = value._addr
                MEM[address:address + size] = MEM[source:source + size]
                return
            write_struct(ctype, address, value)
        return write
    whole = struct.Struct("%ds" % (size,))
    pack, unpack = whole.pack_into, whole.unpack_from

    def write(address, value):
        if isinstance(value, CData) and value._ctype is ctype:     # a copy, the common case
            pack(MEM, address, unpack(MEM, value._addr)[0])
            return
        # a list, tuple or dict: the writers of the fields, filed at the first one (the
        # rest, and an incomplete type's errors, are write_struct()'s)
        kind = value.__class__
        if kind is list or kind is tuple:
            writers = rt.field_writers
            if writers is None and ctype._fields is not None and not ctype.partial:
                writers = _field_writers(ctype)
            if writers and len(value) <= len(writers):
                for (offset, write_one), item in zip(writers, value):
                    write_one(address + offset, item)
                return
        elif kind is dict:
            named = rt.named_writers
            if named is None and ctype._fields is not None and not ctype.partial:
                named = _named_writers(ctype)
            if named is not None and named.keys() >= value.keys():
                for name, item in value.items():
                    offset, write_one = named[name]
                    write_one(address + offset, item)
                return
        write_struct(ctype, address, value)
    write.struct_copy = (ctype, pack, unpack)   # (owning pointers make the same copy inline)
    return write


# -- Types that hold no value here ----
def _read_opaque(ctype, rt):
    def read(address, keep=None):
        if ctype.kind in (STRUCT, UNION):
            if ctype.generated and ctype._fields is None:   # (as cffi's generated modules)
                raise TypeError("cdata '%s' is opaque" % (ctype.cname,))
            return make_cdata(rt.cdata_class, ctype, address, keep)
        raise opaque_error(ctype) if ctype.kind != VOID else \
            FFIError("cannot read a 'void' value")
    return read


def _write_opaque(ctype, rt):
    def write(address, value):
        if ctype.kind == VOID:
            raise TypeError("cannot write a value of type 'void'")
        raise opaque_error(ctype, message="'%s' is opaque")     # (cffi's words)
    return write


def _struct_reader(ctype, rt):
    return _read_struct(ctype, rt) if not ctype.is_opaque() else _read_opaque(ctype, rt)


def _struct_writer(ctype, rt):
    return _write_struct(ctype, rt) if not ctype.is_opaque() else _write_opaque(ctype, rt)


# -- The tables ----
_READER_BUILDERS = {
    "int": _read_int, "enum": _read_int, "bool": _read_bool, "char": _read_char,
    "wchar": _read_wchar, "float": _read_float, "longdouble": _read_longdouble,
    "complex": _read_complex, "pointer": _read_pointer, "function": function_reader,
    "array": _read_array, "struct": _struct_reader, "union": _struct_reader,
    "void": _read_opaque, "opaque": _read_opaque,
}
_WRITER_BUILDERS = {
    "int": _write_int, "enum": _write_int, "bool": _write_bool, "char": _write_char,
    "wchar": _write_wchar, "float": _write_float, "longdouble": _write_longdouble,
    "complex": _write_complex, "pointer": _write_pointer, "function": _write_pointer,
    "array": _write_array, "struct": _struct_writer, "union": _struct_writer,
    "void": _write_opaque, "opaque": _write_opaque,
}
