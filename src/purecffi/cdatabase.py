"""The common base class of every cdata (`ffi.CData`), apart so that any module can import it;
and the naming of purecffi's classes as cffi's C classes (`_cffi_backend.__CDataOwn`...)."""
import ctypes
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


class CData:
    """Base of every cdata object (`ffi.CData`)."""

    __slots__ = ()
    _owning = False         # True on the classes of what ffi.new() returns
    _char_items = False     # pointers and arrays of char-sized characters (for ffi.string)
    _array = False          # arrays (with a `_length`)
    _address = False        # cdata with an `_addr` (the AddrCData family)
    _struct = False         # structs and unions in memory (the StructCData family)
    _bytes_at = False       # pointers and arrays to data: what ffi.memmove() copies from or to
    __reversed__ = None     # reversed() refuses every cdata, as cffi's (iterate, then reverse)
    __name__ = "<cdata>"    # what cffi's cdata say (the class's own name stays type.__name__)

    if TYPE_CHECKING:       # what type checkers may do with any cdata (each kind does some)
        def __getattr__(self, name: str) -> Any: ...
        def __setattr__(self, name: str, value: Any) -> None: ...
        def __getitem__(self, index: Any) -> Any: ...
        def __setitem__(self, index: Any, value: Any) -> None: ...
        def __len__(self) -> int: ...
        def __iter__(self) -> Iterator[Any]: ...
        def __call__(self, *args: Any) -> Any: ...
        def __add__(self, other: int) -> CData: ...
        def __sub__(self, other: Any) -> Any: ...
        def __int__(self) -> int: ...
        def __index__(self) -> int: ...
        def __float__(self) -> float: ...
        def __bool__(self) -> bool: ...
        def __lt__(self, other: CData) -> bool: ...
        def __le__(self, other: CData) -> bool: ...
        def __gt__(self, other: CData) -> bool: ...
        def __ge__(self, other: CData) -> bool: ...
        def __enter__(self) -> CData: ...
        def __exit__(self, *exc_info: object) -> None: ...

    def __new__(cls, *args, **kwargs):
        """Refused, as in cffi: the runtime makes cdata with `make_cdata()` (no call)."""
        raise not_instantiable(cls)

    def __delitem__(self, index):
        """`del x[n]`: refused with cffi's message."""
        raise TypeError("'del x[n]' not supported for cdata objects")

    def __reduce_ex__(self, protocol):
        """Refused, as in cffi (so copy.copy() and pickle.dumps() refuse too)."""
        raise not_picklable(self)

    def __reduce__(self):
        """Refused, as in cffi."""
        raise not_picklable(self)


def not_instantiable(cls):
    """The error for calling a cdata class from Python (only purecffi makes cdata): cffi's."""
    return TypeError("cannot create '%s' instances" % (tp_name(cls),))


def not_picklable(obj):
    """The error for copying or pickling a cdata or a ctype (cffi's wording, naming cffi's
    class of a cdata: '__CDataGCP' for what ffi.gc() returned...)."""
    if isinstance(obj, CData):
        return TypeError("cannot pickle '%s' object" % (cffi_type_name(obj),))
    cls = type(obj)
    return TypeError("cannot pickle '%s.%s' object" % (cls.__module__, cls.__qualname__))


# -- Classes named as cffi's ----
_TP_NAMES = {}      # 'module.Name' -> the C string a tp_name points to (a handful in all)


def name_as_cffi_class(cls, name):
    """Name `cls` as cffi's C class `_cffi_backend.<name>`: `name` as its __name__ and
    __qualname__, '_cffi_backend' as its module (so its repr is cffi's), and the dotted name
    as the tp_name CPython's own messages show ("'<' not supported between instances of
    '_cffi_backend.__CDataOwn' and 'dict'")."""
    cls.__name__ = cls.__qualname__ = name
    cls.__module__ = "_cffi_backend"
    set_tp_name(cls, "_cffi_backend." + name)


def set_tp_name(cls, dotted):
    """Point the tp_name of the class `cls` at a C string `dotted` (kept as long as the
    module); False where type objects are not laid out as CPython's (the word after the
    object header and ob_size must be the tp_name, which spells __name__ until then)."""
    if sys.implementation.name != "cpython":
        return False
    text = _TP_NAMES.get(dotted)
    if text is None:
        text = _TP_NAMES.setdefault(dotted, ctypes.create_string_buffer(dotted.encode()))
    slot = ctypes.c_void_p.from_address(id(cls) + _TP_NAME_OFFSET)
    if not slot.value or ctypes.string_at(slot.value) != cls.__name__.encode():
        return False
    slot.value = ctypes.addressof(text)
    return True


_TP_NAME_OFFSET = object.__basicsize__ + ctypes.sizeof(ctypes.c_ssize_t)
name_as_cffi_class(CData, "_CDataBase")        # (ffi.CData is cffi's _cffi_backend._CDataBase)


_new_object = object.__new__


def not_a_cdata(function, value):
    """cffi's TypeError for argument 1 of `function` (string, unpack, buffer, gc) that is not
    a cdata."""
    return TypeError("%s() argument 1 must be _cffi_backend._CDataBase, not %s" % (
        function, "None" if value is None else tp_name(type(value))))


def make_cdata(cls, ctype, address, keep=None, length=None):
    """A cdata of class `cls` over `address` (what calling `cls` would do: the classes refuse
    to be called); an array's `length` defaults to its type's."""
    result = _new_object(cls)
    result._ctype, result._addr, result._keep = ctype, address, keep
    if cls._array:
        result._length = ctype.length if length is None and isinstance(ctype.length, int) \
            else length
    return result


# purecffi's classes that stand for cffi's own C types, and the tp_name cffi's messages give
# them ('_cffi_backend.CType'): registered by the modules defining them
CFFI_TYPE_NAMES = {}


def tp_name(cls):
    """A type's name as CPython's tp_name spells it in messages ('bytearray', 'array.array',
    '_io.TextIOWrapper', 'MyClass'; '_cffi_backend.Lib' for what stands for cffi's types)."""
    for base in getattr(cls, "__mro__", ()):     # (a buffer's class derives from one)
        named = CFFI_TYPE_NAMES.get(base)
        if named is not None:
            return named
    if getattr(cls, "__module__", None) == "_cffi_backend":     # a lib's class (made per lib)
        return "_cffi_backend." + cls.__name__
    module = getattr(cls, "__module__", None) if cls.__flags__ & (1 << 8) else None
    if module is None or module == "builtins":      # (immutable types are C types)
        return cls.__name__
    return "%s.%s" % (module, cls.__qualname__)


# cdata_kinds.cffi_class_name(), registered by that module: the name of cffi's class of a
# cdata ('_CDataBase', '__CDataOwn'...), which cffi's messages show where they name the type
# of a Python object
CFFI_CLASS_NAME = [lambda value: "_CDataBase"]


def cffi_type_name(value):
    """The name cffi's messages give the type of `value`: tp_name, or cffi's class of a cdata
    with the module its tp_name carries ('_cffi_backend.__CDataOwn')."""
    if isinstance(value, CData):
        return "_cffi_backend." + CFFI_CLASS_NAME[0](value)
    return tp_name(type(value))
