"""Global variables of API-mode libs.

`_Global` (and `_GlobalArrayOfUnknownLength`) read and write a global in Python: its address
is asked from the C module at each access (thread-local variables, macros), then the C memory
is converted.  Where the C module offers it (`_pc_global`, not with the limited API), the lib
holds instead a C descriptor made by `make_global()` that does the common cases itself (numbers,
pointers, structs, arrays: see build/api_globals_c.py) from a plan fixed at load, and hands
everything else (other types, other values, NULL addresses, every error) to the `_Global`.
"""
import functools

from .cdatabase import make_cdata
from .convert import array_items_view, prepare
from .ctype import ARRAY, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, TYPES, UNION
from .errors import CompiledFFIError
from . import platform as plat
from .varsize import write_items

__all__ = ["make_global", "global_plan", "non_null"]

def non_null(address, name):
    """`address`, unless the C code placed the global at NULL (a macro over a NULL pointer)."""
    if not address:
        raise CompiledFFIError("global variable '%s' is at address NULL" % (name,))
    return address


class _Global:
    """A global variable of the lib, read and written in Python."""

    __slots__ = ("name", "locate", "index", "ctype", "read", "write")

    def __init__(self, name, locate, index, ctype):
        rt = prepare(ctype)
        self.name, self.locate, self.index, self.ctype = name, locate, index, ctype
        self.read, self.write = rt.read, rt.write

    def address(self):
        """The variable's address now (NULL possible: ffi.addressof() checks it)."""
        return self.locate(self.index)

    def __get__(self, lib, cls=None):
        if lib is None:
            return self
        address = self.locate(self.index)
        if not address:
            non_null(address, self.name)
        return self.read(address, None)

    def __set__(self, lib, value):
        self.write(non_null(self.locate(self.index), self.name), value)


class _GlobalArrayOfUnknownLength(_Global):
    """`extern T x[];`: reading gives a `T *`."""

    __slots__ = ()

    def __get__(self, lib, cls=None):
        if lib is None:
            return self
        address = non_null(self.locate(self.index), self.name)
        return make_cdata(prepare(self.ctype).cdata_class, self.ctype, address, None)

    def __set__(self, lib, value):
        """Writes as cffi does (varsize.write_items: it trusts the length, as C would)."""
        address = non_null(self.locate(self.index), self.name)
        write_items(TYPES.array(self.ctype.item, None), address, value)


for _cls in (_Global, _GlobalArrayOfUnknownLength):     # cffi's name for them
    _cls.__name__ = _cls.__qualname__ = "__FFIGlobSupport"
    _cls.__module__ = "_cffi_backend"


# the ways build/api_globals_c.py reads and writes a global (PC_G_* there)
SLOW, INT, UINT, FLOAT, VIEW, ARRAY_VIEW, POINTER_VIEW = range(7)


def global_plan(ctype):
    """(code, size, fast class or None, class, align mask, array length, items view maker)
    of a global of type `ctype` (prepared): how the C descriptor reads and writes it, as the
    type's reader and writer do (code SLOW: it leaves it to them)."""
    rt = prepare(ctype)
    kind, size = ctype.kind, ctype.byte_size
    number = ctype.base if kind == ENUM else ctype
    category = getattr(number, "category", None)
    if (kind == ENUM or kind == PRIMITIVE and category == plat.INT) and size in (1, 2, 4, 8):
        return (INT if number.signed else UINT), size, None, None, 0, None, None
    if kind == PRIMITIVE and category == plat.FLOAT and size in (4, 8):
        return FLOAT, size, None, None, 0, None, None
    if kind in (POINTER, FUNCTION):
        return POINTER_VIEW, size, rt.fast_class, rt.cdata_class, rt.align_mask, None, None
    if kind in (STRUCT, UNION) and not ctype.is_opaque() and size > 0:
        return VIEW, size, rt.fast_class, rt.cdata_class, rt.align_mask, None, None
    if kind == ARRAY and ctype.length.__class__ is int:
        return ARRAY_VIEW, size, rt.fast_class, rt.cdata_class, rt.align_mask, \
            ctype.length, _view_maker(ctype, rt)
    return SLOW, size, None, None, 0, None, None


def _view_maker(ctype, rt):
    """For arrays whose fast class keeps a typed view of its items (`_view_items`): the
    function making that view for the array at an address; else None."""
    fast = rt.fast_class
    if fast is None or not fast._keeps_views:
        return None
    return functools.partial(array_items_view, ctype)


def make_global(module, name, index, ctype):
    """(descriptor the lib holds, _Global) of global `name` (variable `index` of the C
    module; `ctype` with the compiler's array lengths): the descriptor is the C module's, or
    the _Global itself where the module has none."""
    if ctype.kind == ARRAY and ctype.length is None:
        glob = _GlobalArrayOfUnknownLength(name, module._pc_address, index,
                                           TYPES.pointer(ctype.item))
        return glob, glob
    glob = _Global(name, module._pc_address, index, ctype)
    maker = getattr(module, "_pc_global", None)
    if maker is None:
        return glob, glob
    return maker(index, glob, ctype, *global_plan(ctype)), glob
