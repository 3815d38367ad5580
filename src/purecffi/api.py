"""The FFI façade: argument checking and delegation to the modules that do the work."""
from __future__ import annotations

import operator
import os
import sys
import threading
from ctypes import get_errno as _get_errno, set_errno as _set_errno

from . import accel as _accel
from . import apimode as _apimode
from .apimode import ApiLib as _ApiLib
from . import cdata as _cd
from . import cdata_make as _mk
from .sizes import SIZES_KEY, _unknown_size, sizeof_cdata as _sizeof_cdata
from .ctype import ARRAY, FUNCTION, POINTER, STRUCT, TYPES, UNION, VOID, \
    CType, RawFunctionType, UnknownNumberType, opaque_error
from .cdatabase import CFFI_TYPE_NAMES as _CFFI_TYPE_NAMES, cffi_type_name
from .convert import fast_twin, prepare as _prepare
from .errors import MSG_FUNCTION_TYPE, CDefError, CompiledFFIError, FFIError
from .allocator import clear_flag as _clear_flag
from .allocator import custom_allocator as _custom_allocator
from .buffer import buffer
from .from_buffer import from_buffer
from .callback import callback_method, make_callback
from .handles import LENT as _HANDLES_LENT, from_handle, new_handle
from .gcref import GcRef as _GcRef
from .memcopy import memmove
from .cast import cast as _cast
from .strings import to_string, unpack
from .outofline_lib import generated_dlopen as _generated_dlopen
from .ffi_attrs import OWN_STATE as _OWN_STATE, refusal as _refusal
from .ffi_attrs import check_module_name as _check_module_name
from .ffi_attrs import check_getctype as _check_getctype
from .ffi_attrs import name_as_cffi as _name_as_cffi

TYPE_CHECKING = False
if TYPE_CHECKING:                       # the annotations are for type checkers only
    from typing import Any, Callable, TypeVar, overload
    from .cdatabase import CData as _CData      # FFI.CData and FFI.CType are class attributes
    from .ctype import CType as _CType
    _T = TypeVar("_T")
    _F = TypeVar("_F", bound=Callable[..., Any])
    StubsWhere = bool | str | os.PathLike[str]
else:
    def overload(func):
        """Typing only: at run time the last definition of a method is the one kept."""
        return func


_CData = _cd.CData
_NOT_DONE = object()    # init_once(): no result filed for the tag yet
_FUNCPTR = object()     # key in FFI._types of {string: type} for strings read as function
_NO_TYPES = {}          # pointer types (one string-keyed lookup: no key tuple to make)
# keys in FFI._types of what sizeof() and offsetof() found for a type string that is a key
# there ({string: size}: sizes.SIZES_KEY, {string: {field names: offset}}): a cdef() clears
# them with it
_OFFSETS = object()
_MSG_NOT_FOR = "%s() is only for %s modules, not for %s modules"    # cffi's words


class FFI:
    """The object of CFFI's in-line mode: declare with cdef(), then work with C data."""

    error = FFIError
    CType = CType
    CData = _cd.CData
    if TYPE_CHECKING:
        NULL: _CData            # set below, once the cdata classes exist
    buffer = buffer
    RTLD_LAZY = getattr(os, "RTLD_LAZY", 1)
    RTLD_NOW = getattr(os, "RTLD_NOW", 2)
    RTLD_GLOBAL = getattr(os, "RTLD_GLOBAL", 0x100)
    RTLD_LOCAL = getattr(os, "RTLD_LOCAL", 0)
    RTLD_NODELETE = getattr(os, "RTLD_NODELETE", 0x1000)
    RTLD_NOLOAD = getattr(os, "RTLD_NOLOAD", 4)
    RTLD_DEEPBIND = getattr(os, "RTLD_DEEPBIND", 8)

    def __new__(cls, *args, **kwargs):
        """A new FFI with its state made here, so subclasses need not call __init__."""
        from .decls import Declarations
        self = object.__new__(cls)
        self._decls = Declarations()
        self._lock = threading.RLock()
        self._init_once = {}
        self._init_done = {}        # tag -> result, filed once func() has returned
        self._included = []
        self._types = {}            # cdecl string or CType -> CType, for the hot paths
        self._open_arrays = {}      # cdecl -> (cdata class, CType, item size): from_buffer()
        # list_types()'s names, with the containers (and their lengths) they were read from:
        # a cdef() replaces the containers, naming a new tag in-line adds to them
        self._listed = None
        return self

    def __init__(self, backend: Any = None) -> None:
        """FFI(): an empty set of declarations (`backend` is accepted and ignored)."""

    # -- Declarations ----
    def cdef(self, csource: str, override: bool = False, packed: bool = False,
             pack: int | None = None) -> None:
        """Parse C declarations; transactional (a failing cdef changes nothing)."""
        if not isinstance(csource, str):
            raise TypeError("cdef() argument must be a string")        # (cffi's words)
        from .cparser import parse_cdef
        with self._lock:
            parse_cdef(self._decls, csource, override=override, packed=packed, pack=pack)
            self._types.clear()
            self._open_arrays.clear()
        from .library import declarations_changed
        declarations_changed(self)      # libs already opened see the new names

    def _typeof(self, cdecl, consider_function_as_funcptr=False):
        """The CType for a C type string or CType (cdata are not accepted here)."""
        try:
            return self._types[cdecl]
        except (KeyError, TypeError):
            pass
        if consider_function_as_funcptr:        # "int(int)" is a function pointer here only
            try:
                return self._types[_FUNCPTR][cdecl]
            except (KeyError, TypeError):
                pass
        with self._lock:        # parsing may declare tags: one thread at a time, as cdef()
            ctype = self._parse_typeof(cdecl, consider_function_as_funcptr)
        if not consider_function_as_funcptr or ctype.kind != FUNCTION:
            self._types[cdecl] = ctype
        elif isinstance(cdecl, str):
            funcptrs = self._types.get(_FUNCPTR)
            if funcptrs is None:
                funcptrs = self._types.setdefault(_FUNCPTR, {})
            funcptrs[cdecl] = ctype
        return ctype

    def _parse_typeof(self, cdecl, consider_function_as_funcptr):
        from .typename import parse_type
        if isinstance(cdecl, str):
            ctype = parse_type(self._decls, cdecl)
            item = ctype
            while item.kind in (POINTER, ARRAY):
                item = item.item
            if isinstance(item, UnknownNumberType) and item.layout_error is not None:
                raise CompiledFFIError(item.layout_error)   # `typedef float... t` the compiler denies
            if isinstance(ctype, RawFunctionType):
                if consider_function_as_funcptr:
                    return TYPES.function_pointer(ctype)
                error = CDefError if self._decls.declare_tags else CompiledFFIError
                raise error(MSG_FUNCTION_TYPE % (   # as written in-line, as cffi says it
                    cdecl if self._decls.declare_tags else ctype.cname,))
            return ctype
        if isinstance(cdecl, CType):
            return cdecl
        raise self._wrong_argument("a string or ctype object", cdecl,
                                   "a C type as a string or a ctype object")

    def _wrong_argument(self, generated, value, inline, inline_message=None):
        """The TypeError for an argument of the wrong kind, in cffi's words: those of its
        generated modules' ffi ("expected a string or cdata object, got 'int'"), or of its
        in-line FFI."""
        if not self._decls.declare_tags:        # the ffi of a generated module
            return TypeError("expected %s, got '%s'" % (generated, cffi_type_name(value)))
        return TypeError(inline_message or "expected %s, got %s"
                         % (inline, type(value).__name__))

    def typeof(self, cdecl: object) -> _CType:
        """The ctype of a C type string, or of a cdata."""
        if cdecl.__class__ is str:
            ctype = self._types.get(cdecl)
            return ctype if ctype is not None else self._typeof(cdecl)
        if isinstance(cdecl, _cd.CData) or hasattr(cdecl, "_function_address"):
            return cdecl._ctype
        twin = fast_twin(cdecl, ())
        if twin is not None:
            return twin._ctype
        if isinstance(cdecl, str):
            return self._typeof(cdecl)
        shown = str(type(cdecl))                    # cffi's in-line words: the type
        if isinstance(cdecl, (CType, buffer)):      # (named as cffi's classes)
            shown = "<class '_cffi_backend.%s'>" % (
                "CType" if isinstance(cdecl, CType) else "buffer",)
        raise self._wrong_argument("a string or cdata object", cdecl, None, shown)

    def getctype(self, cdecl: str | _CType, replace_with: str = "", extra: str | None = None) -> str:
        """The C spelling of a type, with `replace_with` (a name, '*', '[5]'...) declared
        (`extra` is the 1.13 manual's name for it)."""
        if extra is not None:
            replace_with = extra
        ctype = self._types.get(cdecl) if cdecl.__class__ is str else None
        if ctype is None or replace_with.__class__ is not str:     # (their checks, in order)
            _check_getctype(cdecl, replace_with, self._decls.declare_tags, self.CType)
            ctype = self._typeof(cdecl)
        return ctype.spell(replace_with.strip())

    def set_unicode(self, enabled_flag):
        """Declare Windows' TCHAR, LPTSTR... over wchar_t (true) or char (false); once only."""
        if getattr(self, "_unicode", None) is not None:
            raise ValueError("set_unicode() can only be called once")
        char = "wchar_t" if enabled_flag else "char"
        self.cdef("typedef %s TBYTE, TCHAR; typedef const %s *LPCTSTR, *PCTSTR; "
                  "typedef %s *LPTSTR, *PTSTR, *PTBYTE, *PTCHAR;" % (char, char, char))
        self._unicode = bool(enabled_flag)
        spec = getattr(self, "_source_spec", None)
        if spec is not None and self._unicode:
            _add_unicode_macros(spec.kwds)

    def list_types(self) -> tuple[list[str], list[str], list[str]]:
        """(typedef names, struct names, union names) declared by cdef()."""
        decls = self._decls
        types, names = decls.types, decls.typedef_names
        listed = self._listed
        if listed is None or listed[0] is not types or listed[1] is not names or \
                listed[2] != len(types) or listed[3] != len(names):
            listed = (types, names, len(types), len(names)) + _listed_names(types, names)
            self._listed = listed       # (published whole: one store)
        return listed[4][:], listed[5][:], listed[6][:]

    # -- Making C data ----
    if TYPE_CHECKING:
        def new(self, cdecl: str | _CType, init: Any = None) -> _CData:
            """Allocate zeroed C memory for a pointer's item or an array, owned by the result."""
    else:       # cdata_make's function itself (a frame less on the commonest call)
        new = _mk.ffi_new

    def new_allocator(self, alloc: Callable[[int], Any] | None = None,
                      free: Callable[[Any], Any] | None = None,
                      should_clear_after_alloc: bool = True) -> Callable[..., _CData]:
        """A function like new() that gets memory from `alloc` and gives it back with `free`."""
        if should_clear_after_alloc.__class__ is not bool:
            _clear_flag(should_clear_after_alloc)
        if alloc is None and free is not None:
            raise TypeError("cannot pass 'free' without 'alloc'")
        if alloc is None:
            return self.new     # the default allocator (its memory is always cleared): new()
        allocator = _custom_allocator(alloc, free, should_clear_after_alloc)
        types = self._types

        def allocate(cdecl, init=None):
            try:
                new = types[cdecl]._rt.new
            except (KeyError, TypeError, AttributeError):
                new = None      # (not handled in here: its errors would chain this one)
            if new is not None:
                return new(init, allocator)
            return _mk.new(self._typeof(cdecl), init, allocator)
        return allocate

    def cast(self, cdecl: str | _CType, source: Any) -> _CData:
        """Reinterpret `source` as a value of the given type (no range checks)."""
        try:
            cast = self._types[cdecl]._rt.cast
        except (KeyError, TypeError, AttributeError):
            cast = None
        if cast is not None:
            return cast(source)
        return _cast(self._typeof(cdecl), source)

    # -- Reading C data ----
    # ffi.string(cdata, maxlen=-1) and ffi.unpack(cdata, length): no FFI state involved, so
    # the façade hands out the functions themselves (one call frame less on a hot path)
    string = staticmethod(to_string)
    unpack = staticmethod(unpack)

    if TYPE_CHECKING:
        def from_buffer(self, cdecl: Any, python_buffer: Any = ...,
                        require_writable: bool = False) -> _CData:
            """A cdata array over the memory of a Python buffer object (bytearray, array...)."""
    else:       # from_buffer.py's function itself (a frame less on the commonest call)
        from_buffer = from_buffer

    def buffer(self, cdata, size=-1):  # noqa: F811 - replaced by the `buffer` type below
        raise NotImplementedError

    memmove = memmove

    # -- Sizes and addresses ----
    def sizeof(self, cdecl: str | _CType | _CData) -> int:
        """The size in bytes of a type or of a cdata (arrays and var-sized structs: their own)."""
        if cdecl.__class__ is str:
            size = self._types.get(SIZES_KEY, _NO_TYPES).get(cdecl)
            if size is not None:
                return size
        elif isinstance(cdecl, _cd.CData):
            if cdecl._array and cdecl._item_size and cdecl._length is not None:
                return cdecl._length * cdecl._item_size
            return _sizeof_cdata(cdecl)
        ctype = self._types.get(cdecl) if cdecl.__class__ is str else None
        if ctype is None:
            if not isinstance(cdecl, (str, CType)):
                raise self._wrong_argument("a string or ctype object or cdata object", cdecl,
                                           None, "expected a 'cdata' or 'ctype' object")
            ctype = self._typeof(cdecl)
        size = ctype.byte_size
        if size < 0:
            if not self._decls.declare_tags and getattr(ctype, "layout_error", None) is None:
                # the ffi of a generated module (a contradicted layout says so below)
                raise CompiledFFIError("don't know the size of ctype '%s'" % (ctype.cname,))
            raise _unknown_size(ctype)
        if cdecl.__class__ is str and self._types.get(cdecl) is ctype:
            _cached(self._types, SIZES_KEY)[cdecl] = size      # (a known size does not change)
        return size

    def alignof(self, cdecl: str | _CType | _CData) -> int:
        """The alignment in bytes of a type (or, on the ffi of a generated module, a cdata's)."""
        ctype = self._types.get(cdecl) if cdecl.__class__ is str else None
        if ctype is not None:
            rt = ctype._rt          # (renewed when a layout changes)
            if rt is not None and rt.byte_align is not None:
                return rt.byte_align
        if isinstance(cdecl, _cd.CData) and not self._decls.declare_tags:
            cdecl = cdecl._ctype
        ctype = self._types.get(cdecl) if cdecl.__class__ is str else None
        if ctype is None:
            if not isinstance(cdecl, (str, CType)):
                raise self._wrong_argument("a string or ctype object or cdata object", cdecl,
                                           None, "expected a 'ctype' object")
            ctype = self._typeof(cdecl)
        if ctype.kind == VOID or ctype.byte_size < 0 and ctype.kind != ARRAY:
            if getattr(ctype, "layout_error", None) is not None:
                raise opaque_error(ctype)           # the C compiler contradicted the cdef
            raise ValueError("ctype '%s' is of unknown alignment" % (ctype.cname,))
        align = ctype.byte_align
        rt = ctype._rt
        if rt is not None:
            rt.byte_align = align       # the next ffi.alignof() of the type: no checks
        return align

    def offsetof(self, cdecl: str | _CType, *fields_or_indexes: str | int) -> int:
        """Byte offset of a field (several names for nested fields, ints for array items)."""
        by_fields = self._types.get(_OFFSETS, _NO_TYPES).get(cdecl) \
            if cdecl.__class__ is str else None
        if by_fields is not None:
            for name in fields_or_indexes:
                if name.__class__ is not str:   # (only names are filed: nothing else hashed)
                    break
            else:
                offset = by_fields.get(fields_or_indexes)
                if offset is not None:
                    return offset
        if not fields_or_indexes and self._decls.declare_tags:
            if isinstance(cdecl, str):
                self._typeof(cdecl)         # (its errors first, then cffi's in-line words)
            raise TypeError("FFI._typeoffsetof() missing 1 required positional argument: "
                            "'field_or_index'")
        ctype = self._typeof(cdecl)
        if not fields_or_indexes:           # (cffi's generated modules' words)
            raise TypeError("offsetof() expects at least 2 arguments")
        offset, _ = _offset_of(ctype, fields_or_indexes)
        if cdecl.__class__ is str and self._types.get(cdecl) is ctype and all(
                name.__class__ is str for name in fields_or_indexes):   # (no unbounded ints)
            _cached(_cached(self._types, _OFFSETS), cdecl)[fields_or_indexes] = offset
        return offset

    def addressof(self, cdata: Any, *fields_or_indexes: str | int) -> _CData:
        """A pointer to a struct/array cdata, or to one of its fields or items; or to a lib symbol."""
        cls = type(cdata)
        if not issubclass(cls, _cd.CData):
            if issubclass(cls, _ApiLib):    # (its class has no _Lib_addressof: slow to miss)
                if len(fields_or_indexes) == 1 and fields_or_indexes[0].__class__ is str:
                    made = cls._pc_pointers.get(fields_or_indexes[0])
                    if made is not None and made.__class__ is not tuple:
                        return made     # a function's pointer, made already (_addressof())
                lib_addressof = cls._addressof
            elif isinstance(cdata, _cd.CData):
                lib_addressof = None
            else:                           # (the class's: a C function may be so named)
                lib_addressof = getattr(cls, "_Lib_addressof", None) or \
                    getattr(cls, "_addressof", None)     # a dlopen()ed lib's
            if lib_addressof is not None:
                if len(fields_or_indexes) == 1:
                    return lib_addressof(cdata, fields_or_indexes[0])
                raise TypeError("function takes exactly 2 arguments (%d given)"   # (cffi's)
                                % (1 + len(fields_or_indexes),))
        if not ((issubclass(cls, _cd.CData) or isinstance(cdata, _cd.CData)) and
                cdata._address):
            if isinstance(cdata, _cd.CData):
                if not self._decls.declare_tags:    # (cffi's compiled ffi)
                    raise TypeError("expected a cdata struct/union/array%s object"
                                    % ("/pointer" if fields_or_indexes else "",))
                if fields_or_indexes:           # a number: the field/index error (cffi's)
                    _offset_of(cdata._ctype, fields_or_indexes)
                raise TypeError("expected a cdata struct/union/array/pointer object")
            raise self._wrong_argument("a cdata object", cdata, None,
                                       "expected a 'cdata' object")
        ctype = cdata._ctype
        if ctype.kind not in _ADDRESSABLE and not (fields_or_indexes and ctype.kind == POINTER):
            if not self._decls.declare_tags:        # (cffi's compiled ffi)
                raise TypeError("expected a cdata struct/union/array%s object"
                                % ("/pointer" if fields_or_indexes else "",))
            if fields_or_indexes:       # a function pointer: the field/index error (cffi's)
                _offset_of(ctype, fields_or_indexes)
            raise TypeError("addressof(pointer)" if ctype.kind == POINTER else
                            "expected a cdata struct/union/array/pointer object")
        if fields_or_indexes:
            offset, target = _offset_of(ctype, fields_or_indexes, allow_pointer=True)
        else:
            offset, target = 0, ctype
        target_rt = target._rt      # (a prepared type keeps its `T *` once made)
        ptr = target_rt.pointer_type if target_rt is not None else None
        if ptr is None:
            ptr = TYPES.pointer(target)
            if target_rt is not None:
                target_rt.pointer_type = ptr
        rt, address = ptr._rt or _prepare(ptr), cdata._addr + offset
        fast = rt.fast_class    # what _mk.pointer_to() makes, without its two frames
        result = _new_object(fast if fast is not None and address and
                             not address & rt.align_mask else rt.cdata_class)
        result._ctype, result._addr, result._keep = ptr, address, cdata._keep
        return result

    # -- Memory management ----
    if TYPE_CHECKING:
        def gc(self, cdata: _CData, destructor: Callable[[_CData], object] | None,
               size: int = 0) -> _CData:
            """A new cdata for the same memory; `destructor(cdata)` runs when it is collected."""

        def release(self, x: _CData) -> None:
            """Free now the memory owned by `cdata` (new(), gc(), from_buffer(), allocators)."""
    else:       # no FFI state involved: the functions themselves (one call frame less)
        gc = _mk.gc
        release = _mk.release

    # -- Handles ----
    # ffi.new_handle(obj) and ffi.from_handle(handle): no FFI state involved (one frame less)
    new_handle = new_handle
    from_handle = from_handle

    # -- Once-only initialisation ----
    def init_once(self, func: Callable[[], _T], tag: object) -> _T:
        """Call func() once per tag (thread-safe) and return its result every time."""
        result = self._init_done.get(tag, _NOT_DONE)
        if result is not _NOT_DONE:
            return result
        with self._lock:
            entry = self._init_once.get(tag)
            if entry is None:       # [done, result, lock, thread running func() or None]
                entry = self._init_once[tag] = [False, None, threading.Lock(), None]
        if entry[0]:
            return entry[1]
        if entry[3] == threading.get_ident():       # (cffi waits for itself forever)
            raise RuntimeError("init_once() called again with the tag %r from inside its "
                               "own function" % (tag,))
        with entry[2]:
            if not entry[0]:
                entry[3] = threading.get_ident()
                try:
                    entry[1] = func()
                finally:
                    entry[3] = None
                entry[0] = True
                self._init_done[tag] = entry[1]
        return entry[1]

    # -- errno ----
    @property
    def errno(self) -> int:
        """errno as saved after the last C call in this thread."""
        return _get_errno()

    @errno.setter
    def errno(self, value: int) -> None:
        try:
            _set_errno(value)
        except OverflowError:
            if not -(1 << 63) <= operator.index(value) < (1 << 63):     # not even a C long
                raise OverflowError("Python int too large to convert to C long") from None
            raise OverflowError("errno value too large") from None      # (cffi's words)

    # -- Libraries, calls, callbacks ----
    def dlopen(self, name: str | None, flags: int = 0) -> Any:
        """Load a shared library and give access to the functions and variables of cdef().
        The ffi keeps the lib (as cffi's in-line ffi does): pointers into the library's data
        stay valid while the ffi lives, even if the lib object itself is dropped."""
        from .library import dlopen
        lib = dlopen(self, name, flags)
        self.__dict__.setdefault("_libraries", []).append(lib)
        return lib

    def dlclose(self, lib: Any) -> None:
        """Close a library opened by dlopen(); later access to it raises."""
        from .library import dlclose
        dlclose(lib, not self._decls.declare_tags)
        kept = self.__dict__.get("_libraries")
        if kept is not None:        # closed: nothing may point into it any more (cffi keeps it)
            try:
                kept.remove(lib)        # (one step: a Lib compares by identity)
            except ValueError:
                pass

    @overload
    def callback(self, cdecl: str | _CType, python_callable: None = None, error: Any = None,
                 onerror: Callable[..., Any] | None = None
                 ) -> Callable[[Callable[..., Any]], _CData]: ...

    @overload
    def callback(self, cdecl: str | _CType, python_callable: Callable[..., Any],
                 error: Any = None, onerror: Callable[..., Any] | None = None) -> _CData: ...

    def callback(self, cdecl: str | _CType, python_callable: Callable[..., Any] | None = None,
                 error: Any = None, onerror: Callable[..., Any] | None = None) -> Any:
        """A C function pointer calling `python_callable` (or a decorator making one)."""
        ctype = self._types.get(_FUNCPTR, _NO_TYPES).get(cdecl) if cdecl.__class__ is str \
            else None
        if ctype is None:       # (a string seen before is under that key: no KeyError first)
            ctype = self._typeof(cdecl, consider_function_as_funcptr=True)
        if python_callable is None:
            return lambda func: make_callback(ctype, func, error, onerror)
        return make_callback(ctype, python_callable, error, onerror)

    if not TYPE_CHECKING:       # the same, made in one frame for a signature used before
        callback = callback_method(_FUNCPTR)    # noqa: F811

    # -- Builders (out-of-line and API modes: see purecffi.build) ----
    def set_source(self, module_name: str, source: str | None, source_extension: str = ".c",
                   **kwds: Any) -> None:
        """Declare the module to build: `source=None` for out-of-line ABI mode, C code for API mode."""
        from .build import set_source_spec
        if not isinstance(module_name, str):
            raise TypeError("'module_name' must be a string")
        if hasattr(self, "_source_spec"):
            raise ValueError("set_source() cannot be called several times per ffi object")
        self._source_spec = set_source_spec(module_name, source, source_extension, kwds)
        if getattr(self, "_unicode", None):
            _add_unicode_macros(self._source_spec.kwds)

    def _require_source(self, what):
        spec = getattr(self, "_source_spec", None)
        if spec is None:
            raise ValueError("set_source() must be called before %s()" % (what,))
        return spec

    def emit_python_code(self, filename: Any, stubs: StubsWhere = True) -> None:
        """Write the out-of-line ABI-mode Python module (set_source(name, None)), and its .pyi
        stub (see build/stubs.py for `stubs`)."""
        from .build.abi_module import emit_python_code
        from .build.stubs import write_emitted_stub
        spec = self._require_source("emit_c_code")     # (cffi's words, for both methods)
        if spec.source is not None:
            raise TypeError(_MSG_NOT_FOR % ("emit_python_code", "dlopen()-style pure Python",
                                            "C extension"))
        emit_python_code(self, spec, filename)
        write_emitted_stub(self, spec, filename, stubs)

    def emit_c_code(self, filename: str | os.PathLike[str], stubs: StubsWhere = True) -> None:
        """Write the API-mode C source of the extension module, and its .pyi stub."""
        from .build.api_module import emit_c_code
        from .build.stubs import write_emitted_stub
        spec = self._require_source("emit_c_code")
        if spec.source is None:
            raise TypeError(_MSG_NOT_FOR % ("emit_c_code", "C extension",
                                            "dlopen()-style pure Python"))
        print("generating %s" % (filename,))
        if getattr(self, "_embedding", None) is not None:
            from .build import embedding
            return embedding.emit_c_code(self, filename)
        if not emit_c_code(self, spec, filename):
            print("(already up-to-date)")
        write_emitted_stub(self, spec, filename, stubs)

    def compile(self, tmpdir: str = ".", verbose: bool = False, target: str | None = None,
                debug: bool | None = None, stubs: StubsWhere = True) -> str:
        """Produce the module of set_source(): a .py file (ABI mode) or a compiled extension,
        with its .pyi stub beside it (`stubs`: see build/stubs.py)."""
        from .build.stubs import write_stub
        spec = self._require_source("compile")
        if spec.source is None:
            from .build.abi_module import compile_abi_module
            path = compile_abi_module(self, spec, tmpdir, verbose=verbose, target=target)
        elif getattr(self, "_embedding", None) is not None:
            from .build.embedding import compile_embedding
            return compile_embedding(self, tmpdir, verbose=verbose, target=target, debug=debug)
        else:
            from .build.api_module import compile_api_module
            path = compile_api_module(self, spec, tmpdir, verbose=verbose, target=target,
                                      debug=debug)
        write_stub(self, spec, os.path.dirname(path), stubs)
        return path

    # -- Embedding (purecffi.build.embedding) ----
    def embedding_api(self, csource: str, packed: bool = False, pack: int | None = None) -> None:
        """Declare the functions (and types, globals) the shared library exports (spec 9.1)."""
        from .build.embedding import embedding_api
        with self._lock:
            embedding_api(self, csource, packed, pack)

    def embedding_init_code(self, pysource: str) -> None:
        """The Python code run when the library starts (spec 9.1)."""
        from .build.embedding import embedding_init_code
        embedding_init_code(self, pysource)

    # -- API mode (purecffi.apimode) ----
    def def_extern(self, name: str | None = None, error: Any = None,
                   onerror: Callable[..., Any] | None = None) -> Callable[[_F], _F]:
        """Decorator attaching a Python function to an extern "Python" function (spec 6.7)."""
        return _apimode.def_extern(self, name, error, onerror)

    def verify(self, source: str = "", tmpdir: str | None = None, **kwargs: Any) -> Any:
        """Compile `source` with the cdef() now and return the lib (deprecated, spec 8.9)."""
        from .verifier import verify
        return verify(self, source, tmpdir, **kwargs)

    def distutils_extension(self, tmpdir: str = "build", verbose: bool = True) -> Any:
        """Write the C file into `tmpdir` and return the setuptools Extension to build it."""
        from .build.extension import distutils_extension
        spec = self._require_source("distutils_extension")
        if spec.source is None:
            raise TypeError(_MSG_NOT_FOR % ("distutils_extension", "C extension",
                                            "dlopen()-style pure Python"))
        return distutils_extension(self, spec, tmpdir, verbose)

    def set_source_pkgconfig(self, module_name: str, pkgconfig_libs: list[str], source: str,
                             source_extension: str = ".c", **kwds: Any) -> None:
        """set_source() with the flags `pkg-config` gives for `pkgconfig_libs` added."""
        from .build.compiler import pkgconfig_flags
        merged = pkgconfig_flags(pkgconfig_libs, kwds, kinds=list)      # (not a tuple: cffi)
        self.set_source(module_name, source, source_extension, **merged)

    def include(self, ffi_to_include: FFI) -> None:
        """Use the types and constants declared by another FFI (cffi's argument name)."""
        other = ffi_to_include
        if not isinstance(other, FFI):
            raise TypeError("ffi.include() expects an argument that is also of type cffi.FFI, "
                            "not %r" % (type(other).__name__,))
        if other is self:
            raise ValueError("self.include(self)")
        with self._lock:
            self._decls.include(other._decls)
            self._included.append(other)
        from .library import declarations_changed
        declarations_changed(self)


class _Absent:
    """A builder method the ffi of a generated module does not have (AttributeError, as
    cffi's compiled ffi has none of them)."""

    def __init__(self, name):
        self.name = name

    def __get__(self, ffi, cls=None):
        raise AttributeError(_MSG_NO_ATTRIBUTE % (self.name,))


_MSG_NO_ATTRIBUTE = "'_cffi_backend.FFI' object has no attribute '%s'"     # (cffi's words)
_OBJECT_NAMES = frozenset(dir(object()))


class GeneratedFFI(FFI):
    """The ffi of a generated module (API mode, out-of-line ABI mode): without the builder
    methods, and with cffi's repr for such an ffi (some packages' tests check it)."""

    error = CompiledFFIError    # (shown as 'ffi.error', and no FFIError, as cffi's)
    _BUILDER_METHODS = frozenset((
        "cdef", "set_source", "set_source_pkgconfig", "compile", "emit_python_code",
        "emit_c_code", "include", "verify", "embedding_api", "embedding_init_code",
        "distutils_extension", "set_unicode"))

    def __init__(self, module_name="", *args):
        """An empty ffi, as type(ffi)() of cffi makes (argument 1 is a module name)."""
        _check_module_name(module_name)
        self._decls.declare_tags = False

    def __setattr__(self, name, value):
        """Its own state and errno only; any other name is refused, as by cffi."""
        if name not in _OWN_STATE and name != "errno":
            raise _refusal(self, name, self._BUILDER_METHODS)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        """Refused, as by cffi."""
        raise _refusal(self, name, self._BUILDER_METHODS)

    def __reduce_ex__(self, protocol):
        """Neither copied nor pickled, as cffi's."""
        raise TypeError("cannot pickle '_cffi_backend.FFI' object")

    def __dir__(self):
        """Its public methods and constants and object's special names, as cffi's: not the
        builder methods, which this ffi does not have, nor its private state."""
        return [name for name in FFI.__dir__(self) if name not in self._BUILDER_METHODS
                and (not name.startswith("_") or name in _OBJECT_NAMES)]

    def __repr__(self):
        return "<_cffi_backend.FFI object at 0x%x>" % (id(self),)

    def dlopen(self, name=None, flags=0):
        """Open a library by its file name or path as given (no guessing), or None (the
        default, as in cffi's generated modules) for libc; the lib is the out-of-line kind,
        as with cffi's compiled ffi objects."""
        return _generated_dlopen(self, name, flags)

    def integer_const(self, name: str) -> int:
        """The value of an integer constant: enum value, #define, or `static const`."""
        return _apimode.integer_const(self, name)


for _name in GeneratedFFI._BUILDER_METHODS:
    setattr(GeneratedFFI, _name, _Absent(_name))
del _name
# named as cffi's compiled ffi type (`_cffi_backend.FFI`; the module stays purecffi's, which
# tells the two apart)
_name_as_cffi(GeneratedFFI)
_CFFI_TYPE_NAMES[GeneratedFFI] = "_cffi_backend.FFI"       # (its tp_name, in messages)
_apimode.set_generated_ffi(GeneratedFFI)      # apimode.load() makes the ffi of a C module


# methods that are module functions are named as methods, in their errors ("FFI.new() missing
# 1 required positional argument: 'cdecl'") and their attributes, as cffi's
for _name in ("new", "callback", "gc", "release", "new_handle", "from_handle", "string",
              "unpack", "from_buffer", "memmove"):
    _method = getattr(FFI, _name)
    _method.__name__, _method.__qualname__, _method.__module__ = _name, "FFI." + _name, __name__
del _name, _method

# the `buffer` type is an attribute of FFI; ffi.buffer(cdata) makes one
FFI.buffer = buffer
FFI.NULL = _mk.pointer_to(TYPES.pointer(TYPES.void), 0)
# its new, cast, from_buffer, string, unpack, typeof, sizeof may be lent C methods by a
# compiled module (purecffi._speedups: accel.py, build/api_accel.py)
FFI._pc_ffi = True
# ... and its gc, new_handle and from_handle (build/api_accel_ffi.py)
FFI._pc_gc_info, FFI._pc_handle_info = _GcRef, _HANDLES_LENT
_accel.offer(FFI)


def _cached(types, key):
    """The dict filed under `key` in `types` (an FFI's `_types`, or a dict filed there),
    made if missing."""
    table = types.get(key)
    if table is None:
        table = types.setdefault(key, {})
    return table


def _listed_names(types, typedef_names):
    """(typedef names, struct names, union names) sorted, as list_types() gives them."""
    structs, unions = [], []
    for key in list(types):
        if key.startswith("struct "):
            structs.append(key[7:])
        elif key.startswith("union "):
            unions.append(key[6:])
    return sorted(typedef_names), sorted(structs), sorted(unions)


def _add_unicode_macros(kwds):
    """set_unicode(True) in API mode: the C code is compiled with UNICODE and _UNICODE."""
    macros = list(kwds.get("define_macros", ()))
    kwds["define_macros"] = macros + [("UNICODE", "1"), ("_UNICODE", "1")]


def _offset_of(ctype, path, allow_pointer=False):
    """(byte offset, type reached) following field names and item indexes from `ctype`."""
    offset = 0
    for step, name in enumerate(path):
        if isinstance(name, str):
            if ctype.kind == POINTER and step == 0 and ctype.item.kind in (STRUCT, UNION):
                ctype = ctype.item          # p->field
            if ctype.kind not in (STRUCT, UNION):
                raise TypeError("with a field name argument, expected a struct or union ctype")
            if ctype.is_opaque():
                raise opaque_error(ctype, message="struct/union is opaque")
            try:
                field = ctype.field(name)
            except KeyError:
                raise KeyError(name) from None
            if field.bitsize >= 0:
                raise TypeError("not supported for bitfields")
            offset += field.offset
            ctype = field.type
        else:
            if not (isinstance(name, int) and _SSIZE_MIN <= name <= _SSIZE_MAX):
                raise TypeError("field name or array index expected")   # (as cffi: ints only)
            if ctype.kind not in (ARRAY, POINTER) or ctype.item.byte_size < 0:
                raise TypeError("with an integer argument, expected an array ctype or a "
                                "pointer to non-opaque")
            if ctype.kind == POINTER and step > 0:
                raise TypeError("cannot index through the pointer field of type '%s'"
                                % (ctype.cname,))
            step_bytes = int(name) * ctype.item.byte_size     # unchecked, like C's &a[index]
            if not _SSIZE_MIN <= step_bytes <= _SSIZE_MAX:
                raise OverflowError("array offset would overflow a Py_ssize_t")
            offset += step_bytes
            ctype = ctype.item
    return offset, ctype


_SSIZE_MAX = sys.maxsize
_SSIZE_MIN = -sys.maxsize - 1
_new_object = object.__new__
_ADDRESSABLE = frozenset((STRUCT, UNION, ARRAY))      # the kinds ffi.addressof() takes as such
