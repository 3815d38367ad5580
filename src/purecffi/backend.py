"""The low-level functions of cffi's module `_cffi_backend`, over purecffi's types and cdata.

Code written against that module builds its types by hand (`new_primitive_type("int")`,
`new_pointer_type()`, `new_struct_type()` then `complete_struct_or_union()`...), makes cdata
with `newp()`/`cast()`, and reaches C through `load_library()`.  Each function here makes the
interned type or does what the matching `ffi` method does (through a private FFI, whose
methods take ctype objects), so the objects are the same as an ffi's.  The drop-in's
`_cffi_backend` re-exports them.
"""
import operator
import os

from . import platform as plat
from .api import FFI
from .cdatabase import CData, make_cdata, name_as_cffi_class, tp_name
from .convert import prepare
from .ctype import (ARRAY, POINTER, STRUCT, UNION, TYPES, CField, CType, EnumType,
                    StructOrUnionType, make_type)
from .cdef_structs import _Deferred, _check_bitfield
from .errors import SymbolNotFoundError, VariableNotFoundError
from .layout import lay_out
from .library import Messages, open_library, _Library

__all__ = ["new_primitive_type", "new_pointer_type", "new_array_type", "new_void_type",
           "new_struct_type", "new_union_type", "complete_struct_or_union",
           "new_function_type", "new_enum_type", "newp", "cast", "callback", "sizeof",
           "alignof", "typeof", "string", "unpack", "from_buffer", "memmove", "rawaddressof",
           "getcname", "typeoffsetof", "get_errno", "set_errno", "newp_handle", "from_handle",
           "gcp", "release", "load_library", "CLibrary", "FFI_DEFAULT_ABI", "FFI_CDECL"]

FFI_DEFAULT_ABI = FFI_CDECL = plat.DEFAULT_ABI
_SF_PACKED = 0x08           # complete_struct_or_union()'s flag for a packed struct

_FFI = FFI()                # (its methods do what these functions do, given ctype objects)


def _ctype(value, function, position=1):
    """`value` if it is a ctype, else cffi's TypeError for argument `position` of
    `function` (its name, or "" where cffi's message names none)."""
    if not isinstance(value, CType):
        raise TypeError("%sargument %d must be _cffi_backend.CType, not %s"
                        % (function + "() " if function else "", position,
                           tp_name(type(value))))
    return value


# -- Making types ----
def new_primitive_type(name, /):
    """The primitive type called `name`, spelled as its C name is ("int", "unsigned long
    long"...); KeyError if none."""
    if not isinstance(name, str):
        raise TypeError("new_primitive_type() argument 1 must be str, not %s"
                        % (type(name).__name__,))
    try:
        return TYPES.primitives[name]
    except KeyError:
        raise KeyError(name) from None


def new_pointer_type(ctype, /):
    """`ctype *`."""
    return TYPES.pointer(_ctype(ctype, "new_pointer_type"))


def new_array_type(pointer_type, length, /):
    """The array of the items `pointer_type` points to, `length` long (None: `T[]`)."""
    if not isinstance(pointer_type, CType) or pointer_type.kind != POINTER:
        raise TypeError("first arg must be a pointer ctype")
    if not _sized(pointer_type.item):
        raise ValueError("array item of unknown size: '%s'" % (pointer_type.item.cname,))
    if length is not None:
        length = operator.index(length)
        if length < 0:
            raise ValueError("negative array length")
    return TYPES.array(pointer_type.item, length)


def _sized(ctype):
    """Whether the size of `ctype` is known (not void, an opaque struct or a `T[]`)."""
    return ctype.byte_size >= 0 and not (ctype.kind == ARRAY and ctype.length is None) and \
        not (ctype.kind in (STRUCT, UNION) and ctype.is_opaque())


def new_void_type():
    """`void`."""
    return TYPES.void


def new_struct_type(name, /):
    """A new struct type, opaque until complete_struct_or_union(); `name` is its C name."""
    return _new_struct_or_union("struct", name)


def new_union_type(name, /):
    """A new union type, opaque until complete_struct_or_union()."""
    return _new_struct_or_union("union", name)


def _new_struct_or_union(kind, name):
    if not isinstance(name, str):
        raise TypeError("new_%s_type() argument 1 must be str, not %s"
                        % (kind, type(name).__name__))
    tag = name[len(kind) + 1:] if name.startswith(kind + " ") else name
    return make_type(StructOrUnionType, kind, tag, cname=name)


def complete_struct_or_union(ctype, fields, ignored=None, totalsize=-1, totalalignment=-1,
                             sflags=0, pack=0, /):
    """Give a struct or union its fields, each (name, type[, bitsize[, offset]]) (a name ""
    for an anonymous struct or union member): laid out as the C compiler does, or at the
    offsets given; `totalsize` and `totalalignment` (if not -1) override the computed ones."""
    if not isinstance(ctype, StructOrUnionType) or ctype._fields is not None:
        raise TypeError("first arg must be a non-initialized struct or union ctype")
    if not isinstance(fields, list):
        raise TypeError("complete_struct_or_union() argument 2 must be list, not %s"
                        % (type(fields).__name__,))
    decl_fields, offsets = _declared_fields(ctype, fields)
    pack = pack or None
    laid, size, align = lay_out(ctype, decl_fields, bool(sflags & _SF_PACKED), pack)
    if any(offset >= 0 for offset in offsets) or totalsize >= 0 or totalalignment >= 0:
        laid = [(name, CField(name, f.type, offset if offset >= 0 else f.offset, f.bitshift,
                              f.bitsize, f.flags))
                for (name, f), offset in zip(laid, _flat_offsets(decl_fields, offsets))]
        computed = size
        align = totalalignment if totalalignment > 0 else align
        end = max([f.offset + max(f.type.byte_size, 0) for _, f in laid] or [0])
        if 0 <= totalsize < end:
            raise TypeError("%s cannot be of size %d: there are fields at least up to %d"
                            % (ctype.cname, totalsize, end))
        size = totalsize if totalsize >= 0 else max(-(-end // align) * align, computed)
    ctype.complete(decl_fields, packed=bool(sflags & _SF_PACKED), pack=pack,
                   layout=(laid, size, align))
    return None


def _declared_fields(ctype, fields):
    """The (name, type, bitsize) list complete() takes, and the offsets given (-1: none),
    checked as cffi checks them."""
    decl_fields, offsets, seen = [], [], set()
    for index, field in enumerate(fields):
        if not isinstance(field, tuple) or not 2 <= len(field) <= 4:
            raise TypeError("list item must be a tuple (name, type[, bitsize[, offset]])")
        name, ftype = field[0], _ctype(field[1], "list item", 2)
        if not isinstance(name, str):
            raise TypeError("list item() argument 1 must be str, not %s"
                            % (type(name).__name__,))
        bitsize = operator.index(field[2]) if len(field) > 2 else -1
        offset = operator.index(field[3]) if len(field) > 3 else -1
        if bitsize >= 0:
            if offset >= 0:
                raise TypeError("field '%s.%s' is a bitfield, but a fixed offset is specified"
                                % (ctype.cname, name))
            try:
                _check_bitfield(ctype, name, ftype, bitsize)
            except _Deferred as deferred:
                raise deferred.error from None
        if not name and bitsize < 0:
            name = "$%d" % (index,)         # an anonymous member: its fields are the owner's
        for flat in _flattened(name, ftype):
            if flat in seen:
                raise KeyError("duplicate field name '%s'" % (flat,))
            seen.add(flat)
        decl_fields.append((name, ftype, bitsize))
        offsets.append(offset)
    return decl_fields, offsets


def _flattened(name, ftype):
    """The field names a member brings into its struct (an anonymous one: its own, which
    its layout lists flattened already)."""
    if name.startswith("$"):
        return [n for n, _ in ftype.fields or ()]
    return [name] if name else []


def _flat_offsets(decl_fields, offsets):
    """The offsets given for each field of the laid-out struct (whose anonymous members are
    flattened: theirs move with the offset given to the member)."""
    out = []
    for (name, ftype, _), offset in zip(decl_fields, offsets):
        if name.startswith("$"):
            first = ftype.fields[0][1].offset if ftype.fields else 0
            out.extend(offset - first + f.offset if offset >= 0 else -1
                       for _, f in ftype.fields or ())
        else:
            out.append(offset)
    return out


def new_function_type(args, result, ellipsis=0, abi=FFI_DEFAULT_ABI, /):
    """The function pointer type `result(*)(args...)` (`ellipsis`: variadic)."""
    if not isinstance(args, tuple):
        raise TypeError("new_function_type() argument 1 must be tuple, not %s"
                        % (type(args).__name__,))
    for arg in args:
        if not isinstance(arg, CType):
            raise TypeError("expected a tuple of ctypes")
        if arg.kind == "void" or arg.kind in (STRUCT, UNION) and arg._fields is None:
            raise TypeError("ctype '%s' has incomplete type" % (arg.cname,))
    _ctype(result, "new_function_type", 2)
    if result.kind in (STRUCT, UNION) and result._fields is None:
        raise TypeError("result type '%s' is not yet initialized" % (result.cname,))
    if result.kind == ARRAY:
        raise TypeError("invalid result type: '%s'" % (result.cname,))
    ellipsis, abi = operator.index(ellipsis), operator.index(abi)
    if abi != FFI_DEFAULT_ABI:
        raise SystemError("libffi failed to build this function type")
    return TYPES.function_pointer(TYPES.raw_function(args, result, bool(ellipsis)))


def new_enum_type(name, enumerators, values, basetype, /):
    """An enum of integer type `basetype` naming `values`."""
    for position, (value, kind) in enumerate(((name, str), (enumerators, tuple),
                                               (values, tuple)), 1):
        if not isinstance(value, kind):
            raise TypeError("new_enum_type() argument %d must be %s, not %s"
                            % (position, kind.__name__, type(value).__name__))
    if len(enumerators) != len(values):
        raise ValueError("tuple args must have the same size")
    if getattr(_ctype(basetype, "new_enum_type", 4), "category", None) != plat.INT:
        raise TypeError("expected a primitive signed or unsigned base type")
    lo, hi = plat.int_bounds(basetype.byte_size, basetype.signed)
    for enumerator, value in zip(enumerators, values):
        if not isinstance(value, int):
            raise TypeError("an integer is required")
        _check_str("new_enum_type", 2, enumerator)
        if value < 0 and lo == 0:
            raise OverflowError("can't convert negative number to unsigned")
        if not lo <= value <= hi:
            raise OverflowError("integer %d does not fit '%s'" % (value, basetype.cname))
    return make_type(EnumType, name[5:] if name.startswith("enum ") else name,
                     list(zip(enumerators, values)), base=basetype, cname=name)


# -- Cdata ----
def newp(ctype, init=None, /):
    """ffi.new(ctype, init)."""
    return _FFI.new(_ctype(ctype, "newp"), init)


def cast(ctype, value, /):
    """ffi.cast(ctype, value)."""
    return _FFI.cast(_ctype(ctype, "cast"), value)


def callback(ctype, python_callable, error=None, onerror=None, /):
    """ffi.callback(ctype, python_callable, error, onerror)."""
    _ctype(ctype, "callback")
    if not callable(python_callable):
        raise TypeError("expected a callable object, not %s" % (type(python_callable).__name__,))
    return _FFI.callback(ctype, python_callable, error, onerror)


def sizeof(ctype_or_cdata, /):
    """ffi.sizeof() of a ctype or cdata."""
    if not isinstance(ctype_or_cdata, (CType, CData)):
        raise TypeError("expected a 'cdata' or 'ctype' object")
    return _FFI.sizeof(ctype_or_cdata)


def alignof(ctype, /):
    """ffi.alignof(ctype)."""
    if not isinstance(ctype, CType):
        raise TypeError("expected a 'ctype' object")
    return _FFI.alignof(ctype)


def typeof(cdata, /):
    """The ctype of a cdata."""
    if not isinstance(cdata, CData):
        raise TypeError("expected a 'cdata' object")
    return _FFI.typeof(cdata)


def string(cdata, maxlen=-1, /):
    """ffi.string(cdata, maxlen)."""
    return _FFI.string(cdata, maxlen)


def unpack(cdata, length, /):
    """ffi.unpack(cdata, length)."""
    return _FFI.unpack(cdata, length)


def from_buffer(ctype, python_buffer, require_writable=False, /):
    """ffi.from_buffer(ctype, python_buffer, require_writable)."""
    return _FFI.from_buffer(_ctype(ctype, ""), python_buffer, require_writable)


def memmove(dest, src, n, /):
    """ffi.memmove(dest, src, n)."""
    return _FFI.memmove(dest, src, n)


def rawaddressof(pointer_type, cdata, offset, /):
    """A `pointer_type` to `offset` bytes into what `cdata` (a pointer, array or struct)
    points to or holds."""
    if _ctype(pointer_type, "rawaddressof").kind != POINTER:
        raise TypeError("expected a pointer ctype")
    if not isinstance(cdata, CData) or not hasattr(cdata, "_addr"):
        raise TypeError("expected a cdata struct/union/array/pointer object")
    return make_cdata(prepare(pointer_type).cdata_class, pointer_type, cdata._addr + offset,
                      cdata)


def getcname(ctype, replace_with, /):
    """The C spelling of `ctype` with `replace_with` inserted where a declared name would go,
    as it is (ffi.getctype() adds the spaces of C's usual spelling)."""
    _ctype(ctype, "getcname")
    _check_str("getcname", 2, replace_with)
    return ctype._prefix + replace_with + ctype._suffix


def _check_str(function, position, value):
    """cffi's TypeError for an argument that must be a str."""
    if not isinstance(value, str):
        raise TypeError("%s() argument %d must be str, not %s"
                        % (function, position, type(value).__name__))


def typeoffsetof(ctype, field_or_index, following=False, /):
    """(type, offset) of field `field_or_index` of a struct or union (or of what a pointer
    to one points to, unless `following`: a field name after an index), or of item
    `field_or_index` of what a pointer points to."""
    _ctype(ctype, "typeoffsetof")
    if isinstance(field_or_index, str):
        if ctype.kind == POINTER and not following:
            ctype = ctype.item
        if ctype.kind not in (STRUCT, UNION):
            raise TypeError("with a field name argument, expected a struct or union ctype")
        if ctype.is_opaque():
            raise TypeError("struct/union is opaque")
        field = ctype.field(field_or_index)
        if field.bitsize >= 0:
            raise TypeError("not supported for bitfields")
        return field.type, field.offset
    if not isinstance(field_or_index, int):
        raise TypeError("field name or array index expected")
    if ctype.kind not in (POINTER, ARRAY) or not _sized(ctype.item):
        raise TypeError("with an integer argument, expected an array ctype or a pointer to "
                        "non-opaque")
    return ctype.item, field_or_index * ctype.item.byte_size


def get_errno():
    """ffi.errno."""
    return _FFI.errno


def set_errno(value, /):
    """ffi.errno = value."""
    _FFI.errno = value


def newp_handle(ctype, python_object, /):
    """ffi.new_handle(python_object), as a `ctype` (a `void *` type)."""
    if _ctype(ctype, "").kind != POINTER or ctype.item.kind != "void":
        raise TypeError("needs 'void *', got '%s'" % (ctype.cname,))
    return _FFI.new_handle(python_object)


def from_handle(cdata, /):
    """ffi.from_handle(cdata)."""
    return _FFI.from_handle(cdata)


def gcp(cdata, destructor, size=0, /):
    """ffi.gc(cdata, destructor, size)."""
    return _FFI.gc(cdata, destructor, size)


def release(cdata, /):
    """ffi.release(cdata)."""
    return _FFI.release(cdata)


# -- Libraries ----
class CLibrary:
    """What load_library() returns: functions and global variables found by name."""

    __slots__ = ("_library",)

    def __init__(self, name=None, flags=0):
        shown, handle = open_library(name, flags)
        self._library = _Library(shown, handle, Messages)

    def load_function(self, ctype, name, /):
        """The function `name` as a cdata of function pointer type `ctype`."""
        if _ctype(ctype, "load_function").kind not in ("function", POINTER, ARRAY):
            raise TypeError("function or pointer or array cdata expected, got '%s'"
                            % (ctype.cname,))
        _check_str("load_function", 2, name)
        address = self._library.address(name, Messages.function, SymbolNotFoundError)
        return make_cdata(prepare(ctype).cdata_class, ctype, address, self._library)

    def read_variable(self, ctype, name, /):
        """The value of the global variable `name`, of type `ctype`."""
        if _ctype(ctype, "read_variable").kind == "void":
            raise TypeError("cdata 'void' is opaque")
        return prepare(ctype).read(self._address(name), self._library)

    def write_variable(self, ctype, name, value, /):
        """Write `value` into the global variable `name`, of type `ctype`."""
        prepare(_ctype(ctype, "write_variable")).write(self._address(name), value)

    def close_lib(self):
        """dlclose() the library now; later uses raise."""
        self._library.close()

    def _address(self, name):
        _check_str("read_variable", 2, name)
        return self._library.address(name, Messages.variable, VariableNotFoundError)

    def __repr__(self):
        return "<clibrary '%s'>" % (self._library.name,)


name_as_cffi_class(CLibrary, "CLibrary")


def load_library(name=None, flags=0, /):
    """dlopen() the library `name` (None: the program and the C library)."""
    if isinstance(name, os.PathLike):
        name = os.fspath(name)
    if name is not None and not isinstance(name, str):
        raise TypeError("load_library() argument 1 must be str, bytes or bytearray, not %s"
                        % (type(name).__name__,))
    return CLibrary(name, flags)

