"""The low-level functions of cffi's module `_cffi_backend`, over purecffi's types and cdata.

Code written against that module builds its types by hand (`new_primitive_type("int")`,
`new_pointer_type()`, `new_struct_type()` then `complete_struct_or_union()`...), makes cdata
with `newp()`/`cast()`, and reaches C through `load_library()`.  Each function here makes the
interned type or does what the matching `ffi` method does (through a private FFI, whose
methods take ctype objects), so the objects are the same as an ffi's.  The drop-in's
`_cffi_backend` re-exports them.
"""
import os

from . import platform as plat
from .api import FFI
from .cdatabase import CData, make_cdata, name_as_cffi_class
from .convert import prepare
from .ctype import (ARRAY, POINTER, STRUCT, UNION, TYPES, CField, CType, EnumType,
                    StructOrUnionType, make_type)
from .errors import SymbolNotFoundError, VariableNotFoundError
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


def _ctype(value, position=1):
    """`value` if it is a ctype, else cffi's TypeError for argument `position`."""
    if not isinstance(value, CType):
        raise TypeError("expected a ctype as argument %d, got '%s'"
                        % (position, type(value).__name__))
    return value


# -- Making types ----
def new_primitive_type(name):
    """The primitive type called `name` ("int", "unsigned long long"...); KeyError if none."""
    try:
        return TYPES.primitive(name)
    except KeyError:
        raise KeyError(name) from None


def new_pointer_type(ctype):
    """`ctype *`."""
    return TYPES.pointer(_ctype(ctype))


def new_array_type(pointer_type, length):
    """The array of the items `pointer_type` points to, `length` long (None: `T[]`)."""
    if not isinstance(pointer_type, CType) or pointer_type.kind != POINTER:
        raise TypeError("first arg must be a pointer ctype")
    if length is not None:
        length = int(length)
        if length < 0:
            raise ValueError("negative array length")
    return TYPES.array(pointer_type.item, length)


def new_void_type():
    """`void`."""
    return TYPES.void


def new_struct_type(name):
    """A new struct type, opaque until complete_struct_or_union(); `name` is its C name."""
    return _new_struct_or_union("struct", name)


def new_union_type(name):
    """A new union type, opaque until complete_struct_or_union()."""
    return _new_struct_or_union("union", name)


def _new_struct_or_union(kind, name):
    tag = name[len(kind) + 1:] if name.startswith(kind + " ") else name
    return make_type(StructOrUnionType, kind, tag, cname=name)


def complete_struct_or_union(ctype, fields, ignored=None, totalsize=-1, totalalignment=-1,
                             sflags=0, pack=0):
    """Give a struct or union its fields, each (name, type[, bitsize[, offset]]): laid out
    as the C compiler does, or at the offsets given (with the total size and alignment)."""
    if not isinstance(ctype, StructOrUnionType) or ctype._fields is not None:
        raise TypeError("first arg must be a non-initialized struct or union ctype")
    decl_fields, offsets = [], []
    for field in fields:
        name, ftype = field[0], _ctype(field[1], 2)
        bitsize = field[2] if len(field) > 2 else -1
        offsets.append(field[3] if len(field) > 3 else -1)
        decl_fields.append((name, ftype, bitsize))
    packed = bool(sflags & _SF_PACKED)
    if all(offset < 0 for offset in offsets) or any(bits >= 0 for _, _, bits in decl_fields):
        ctype.complete(decl_fields, packed=packed, pack=pack or None)
        return None
    layout = [(name, CField(name, ftype, offset))
              for (name, ftype, _), offset in zip(decl_fields, offsets)]
    size = totalsize if totalsize >= 0 else max(
        [f.offset + max(f.type.byte_size, 0) for _, f in layout] or [0])
    align = totalalignment if totalalignment > 0 else max(
        [f.type.byte_align for _, f in layout] or [1])
    ctype.complete(decl_fields, packed=packed, pack=pack or None, layout=(layout, size, align))
    return None


def new_function_type(args, result, ellipsis=False, abi=None):
    """The function pointer type `result(*)(args...)` (`ellipsis`: variadic)."""
    args = tuple(_ctype(arg) for arg in args)
    abi = None if abi in (None, FFI_DEFAULT_ABI) else abi
    return TYPES.function_pointer(TYPES.raw_function(args, _ctype(result, 2), bool(ellipsis),
                                                     abi))


def new_enum_type(name, enumerators, values, basetype):
    """An enum of integer type `basetype` naming `values`."""
    if len(enumerators) != len(values):
        raise ValueError("tuple args must have the same size")
    return make_type(EnumType, name[5:] if name.startswith("enum ") else name,
                     list(zip(enumerators, values)), base=_ctype(basetype, 4), cname=name)


# -- Cdata ----
def newp(ctype, init=None):
    """ffi.new(ctype, init)."""
    return _FFI.new(_ctype(ctype), init)


def cast(ctype, value):
    """ffi.cast(ctype, value)."""
    return _FFI.cast(_ctype(ctype), value)


def callback(ctype, python_callable, error=None, onerror=None):
    """ffi.callback(ctype, python_callable, error, onerror)."""
    return _FFI.callback(_ctype(ctype), python_callable, error, onerror)


def sizeof(ctype_or_cdata):
    """ffi.sizeof() of a ctype or cdata."""
    if not isinstance(ctype_or_cdata, (CType, CData)):
        raise TypeError("expected a 'cdata' or 'ctype' object")
    return _FFI.sizeof(ctype_or_cdata)


def alignof(ctype):
    """ffi.alignof(ctype)."""
    return _FFI.alignof(_ctype(ctype))


def typeof(cdata):
    """The ctype of a cdata."""
    if not isinstance(cdata, CData):
        raise TypeError("expected a 'cdata' object")
    return _FFI.typeof(cdata)


def string(cdata, maxlen=-1):
    """ffi.string(cdata, maxlen)."""
    return _FFI.string(cdata, maxlen)


def unpack(cdata, length):
    """ffi.unpack(cdata, length)."""
    return _FFI.unpack(cdata, length)


def from_buffer(ctype, python_buffer, require_writable=False):
    """ffi.from_buffer(ctype, python_buffer, require_writable)."""
    return _FFI.from_buffer(_ctype(ctype), python_buffer, require_writable)


def memmove(dest, src, n):
    """ffi.memmove(dest, src, n)."""
    return _FFI.memmove(dest, src, n)


def rawaddressof(pointer_type, cdata, offset):
    """A `pointer_type` to `offset` bytes into what `cdata` (a pointer, array or struct)
    points to or holds."""
    if not isinstance(pointer_type, CType) or pointer_type.kind != POINTER:
        raise TypeError("expected a pointer ctype")
    if not isinstance(cdata, CData) or not hasattr(cdata, "_addr"):
        raise TypeError("expected a cdata struct/union/array/pointer object")
    return make_cdata(prepare(pointer_type).cdata_class, pointer_type, cdata._addr + offset,
                      cdata)


def getcname(ctype, replace_with):
    """The C spelling of `ctype` with `replace_with` inserted where a declared name would go,
    as it is (ffi.getctype() adds the spaces of C's usual spelling)."""
    _ctype(ctype)
    return ctype._prefix + replace_with + ctype._suffix


def typeoffsetof(ctype, field_or_index, following=False):
    """(type, offset) of field `field_or_index` of a struct or union (or of what a pointer
    to one points to, unless `following`: a field name after an index), or of item
    `field_or_index` of what a pointer points to."""
    _ctype(ctype)
    if isinstance(field_or_index, str):
        if ctype.kind == POINTER and not following:
            ctype = ctype.item
        if ctype.kind not in (STRUCT, UNION):
            raise TypeError("with a field name argument, expected a struct or union ctype")
        if ctype.is_opaque():
            raise ValueError("ctype '%s' is of unknown size" % (ctype.cname,))
        field = ctype.field(field_or_index)
        if field.bitsize >= 0:
            raise TypeError("not supported for bitfields")
        return field.type, field.offset
    if ctype.kind not in (POINTER, ARRAY):
        raise TypeError("expected a pointer or array ctype")
    return ctype.item, int(field_or_index) * _FFI.sizeof(ctype.item)


def get_errno():
    """ffi.errno."""
    return _FFI.errno


def set_errno(value):
    """ffi.errno = value."""
    _FFI.errno = value


def newp_handle(ctype, python_object):
    """ffi.new_handle(python_object), as a `ctype` (a `void *` type)."""
    if not isinstance(ctype, CType) or ctype.kind != POINTER or ctype.item.kind != "void":
        raise TypeError("needs 'void *', got '%s'" % (
            ctype.cname if isinstance(ctype, CType) else type(ctype).__name__,))
    return _FFI.new_handle(python_object)


def from_handle(cdata):
    """ffi.from_handle(cdata)."""
    return _FFI.from_handle(cdata)


def gcp(cdata, destructor, size=0):
    """ffi.gc(cdata, destructor, size)."""
    return _FFI.gc(cdata, destructor, size)


def release(cdata):
    """ffi.release(cdata)."""
    return _FFI.release(cdata)


# -- Libraries ----
class CLibrary:
    """What load_library() returns: functions and global variables found by name."""

    __slots__ = ("_library",)

    def __init__(self, name=None, flags=0):
        shown, handle = open_library(name, flags)
        self._library = _Library(shown, handle, Messages)

    def load_function(self, ctype, name):
        """The function `name` as a cdata of function pointer type `ctype`."""
        if not isinstance(ctype, CType) or ctype.kind not in ("function", POINTER, ARRAY):
            raise TypeError("function or pointer or array cdata expected, got '%s'"
                            % (ctype.cname if isinstance(ctype, CType) else
                               type(ctype).__name__,))
        address = self._library.address(name, Messages.function, SymbolNotFoundError)
        return make_cdata(prepare(ctype).cdata_class, ctype, address, self._library)

    def read_variable(self, ctype, name):
        """The value of the global variable `name`, of type `ctype`."""
        return prepare(_ctype(ctype)).read(self._address(name), self._library)

    def write_variable(self, ctype, name, value):
        """Write `value` into the global variable `name`, of type `ctype`."""
        prepare(_ctype(ctype)).write(self._address(name), value)

    def close_lib(self):
        """dlclose() the library now; later uses raise."""
        self._library.close()

    def _address(self, name):
        return self._library.address(name, Messages.variable, VariableNotFoundError)

    def __repr__(self):
        return "<clibrary '%s'>" % (self._library.name,)


name_as_cffi_class(CLibrary, "CLibrary")


def load_library(name=None, flags=0):
    """dlopen() the library `name` (None: the program and the C library)."""
    if isinstance(name, os.PathLike):
        name = os.fspath(name)
    return CLibrary(name, flags)

