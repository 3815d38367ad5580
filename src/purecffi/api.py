"""The FFI façade: argument checking and delegation to the modules that do the work."""
import os
import threading

from . import cdata as _cd
from .ctype import ARRAY, FUNCTION, POINTER, STRUCT, TYPES, UNION, VOID, \
    CType, RawFunctionType, opaque_error
from .convert import fast_twin, prepare
from .errors import CDefError, FFIError
from .memory import BufferExport, Owned, memmove, memset, owned_size
from .buffer import buffer
from .strings import to_string, unpack


class FFI:
    """The object of CFFI's in-line mode: declare with cdef(), then work with C data."""

    error = FFIError
    CType = CType
    CData = _cd.CData
    buffer = buffer
    RTLD_LAZY = getattr(os, "RTLD_LAZY", 1)
    RTLD_NOW = getattr(os, "RTLD_NOW", 2)
    RTLD_GLOBAL = getattr(os, "RTLD_GLOBAL", 0x100)
    RTLD_LOCAL = getattr(os, "RTLD_LOCAL", 0)
    RTLD_NODELETE = getattr(os, "RTLD_NODELETE", 0x1000)
    RTLD_NOLOAD = getattr(os, "RTLD_NOLOAD", 4)
    RTLD_DEEPBIND = getattr(os, "RTLD_DEEPBIND", 8)

    def __init__(self, backend=None):
        from .decls import Declarations
        self._decls = Declarations()
        self._lock = threading.RLock()
        self._init_once = {}
        self._included = []
        self._types = {}            # cdecl string or CType -> CType, for the hot paths
        self.NULL = _cd.pointer_to(TYPES.pointer(TYPES.void), 0)

    # -- Declarations ----
    def cdef(self, csource, override=False, packed=False, pack=None):
        """Parse C declarations; transactional (a failing cdef changes nothing)."""
        if not isinstance(csource, str):
            raise TypeError("cdef() argument must be a string, not %s" % (type(csource).__name__,))
        from .cparser import parse_cdef
        with self._lock:
            parse_cdef(self._decls, csource, override=override, packed=packed, pack=pack)
            self._types.clear()
        from .library import declarations_changed
        declarations_changed(self)      # libs already opened see the new names

    def _typeof(self, cdecl, consider_function_as_funcptr=False):
        """The CType for a C type string or CType (cdata are not accepted here)."""
        try:
            return self._types[cdecl]
        except (KeyError, TypeError):
            pass
        with self._lock:        # parsing may declare tags: one thread at a time, as cdef()
            ctype = self._parse_typeof(cdecl, consider_function_as_funcptr)
        if not consider_function_as_funcptr or ctype.kind != FUNCTION:
            self._types[cdecl] = ctype
        return ctype

    def _parse_typeof(self, cdecl, consider_function_as_funcptr):
        from .typename import parse_type
        if isinstance(cdecl, str):
            ctype = parse_type(self._decls, cdecl)
            if isinstance(ctype, RawFunctionType):
                if consider_function_as_funcptr:
                    return TYPES.function_pointer(ctype)
                raise CDefError("the type '%s' is a function type, not a pointer-to-function type"
                                % (ctype.cname,))
            return ctype
        if isinstance(cdecl, CType):
            return cdecl
        raise TypeError("expected a C type as a string or a ctype object, got %s"
                        % (type(cdecl).__name__,))

    def typeof(self, cdecl):
        """The ctype of a C type string, or of a cdata."""
        if isinstance(cdecl, _cd.CData) or hasattr(cdecl, "_function_address"):
            return cdecl._ctype
        twin = fast_twin(cdecl)
        if twin is not None:
            return twin._ctype
        if isinstance(cdecl, str):
            return self._typeof(cdecl)
        raise TypeError("expected a string or a cdata, got %s" % (type(cdecl).__name__,))

    def getctype(self, cdecl, extra=""):
        """The C spelling of a type, with `extra` (a name, '*', '[5]'...) declared."""
        ctype = self._typeof(cdecl)
        return ctype.spell(extra.strip())

    def list_types(self):
        """(typedef names, struct names, union names) declared by cdef()."""
        typedefs = sorted(self._decls.typedef_names)
        structs, unions = [], []
        for key, ctype in self._decls.types.items():
            if key.startswith("struct "):
                structs.append(key[7:])
            elif key.startswith("union "):
                unions.append(key[6:])
        return typedefs, sorted(structs), sorted(unions)

    # -- Making C data ----
    def new(self, cdecl, init=None):
        """Allocate zeroed C memory for a pointer's item or an array, owned by the result."""
        try:
            new = self._types[cdecl]._rt.new
        except (KeyError, TypeError, AttributeError):
            new = None          # (not handled in here: its errors would chain this one)
        return new(init, None) if new is not None else _cd.new(self._typeof(cdecl), init)

    def new_allocator(self, alloc=None, free=None, should_clear_after_alloc=True):
        """A function like new() that gets memory from `alloc` and gives it back with `free`."""
        if alloc is None and free is not None:
            raise TypeError("new_allocator(): 'free' given without 'alloc'")
        if alloc is None:
            allocator = None
        else:
            allocator = _custom_allocator(alloc, free, should_clear_after_alloc)

        def allocate(cdecl, init=None):
            return _cd.new(self._typeof(cdecl), init, allocator)
        return allocate

    def cast(self, cdecl, source):
        """Reinterpret `source` as a value of the given type (no range checks)."""
        try:
            cast = self._types[cdecl]._rt.cast
        except (KeyError, TypeError, AttributeError):
            cast = None
        if cast is not None:
            return cast(source)
        return _cd.cast(self._typeof(cdecl, consider_function_as_funcptr=True), source)

    # -- Reading C data ----
    # ffi.string(cdata, maxlen=-1) and ffi.unpack(cdata, length): no FFI state involved, so
    # the façade hands out the functions themselves (one call frame less on a hot path)
    string = staticmethod(to_string)
    unpack = staticmethod(unpack)

    def from_buffer(self, cdecl, python_buffer=None, require_writable=False):
        """A cdata array over the memory of a Python buffer object (bytearray, array...)."""
        if python_buffer is None:
            cdecl, python_buffer = "char[]", cdecl
        ctype = self._typeof(cdecl)
        if ctype.kind != ARRAY and not (ctype.kind == POINTER):
            raise TypeError("from_buffer() needs an array or pointer type, not '%s'"
                            % (ctype.cname,))
        if isinstance(python_buffer, (str, _cd.CData)):
            raise TypeError("from_buffer() cannot take %s: it needs an object with the buffer "
                            "protocol (bytes, bytearray, memoryview, array...)"
                            % (type(python_buffer).__name__,))
        export = BufferExport(python_buffer, writable=require_writable)
        if ctype.kind == POINTER:
            return _cd.pointer_to(ctype, export.address, export)
        item_size = ctype.item.byte_size
        length = ctype.length
        if length is None:
            length = export.byte_size // item_size if item_size > 0 else 0
        elif length * item_size > export.byte_size:
            raise ValueError("buffer is too small (%d bytes) for '%s' (%d bytes)"
                             % (export.byte_size, ctype.cname, length * item_size))
        # the array type's own class (its accessors were prepared once, with the type);
        # the repr shows the buffer because `_keep` is the export (see AddrCData._owning_repr)
        return prepare(ctype).cdata_class(ctype, export.address, export, length)

    def buffer(self, cdata, size=-1):  # noqa: F811 - replaced by the `buffer` type below
        raise NotImplementedError

    def memmove(self, dest, src, n):
        """Copy `n` bytes from `src` to `dest` (cdata or Python buffers); overlap is fine."""
        dest_address, keep1 = _address_of_buffer(dest, writable=True)
        src_address, keep2 = _address_of_buffer(src, writable=False)
        if n < 0:
            raise ValueError("negative size")
        memmove(dest_address, src_address, n)

    # -- Sizes and addresses ----
    def sizeof(self, cdecl):
        """The size in bytes of a type or of a cdata (arrays and var-sized structs: their own)."""
        if isinstance(cdecl, _cd.CData):
            return _cdata_size(cdecl)
        ctype = self._typeof(cdecl)
        size = ctype.byte_size
        if size < 0:
            raise _unknown_size(ctype)
        return size

    def alignof(self, cdecl):
        """The alignment in bytes of a type."""
        ctype = self._typeof(cdecl)
        if ctype.kind == VOID or ctype.byte_size < 0 and ctype.kind != ARRAY:
            raise _unknown_size(ctype, "alignment")
        return ctype.byte_align

    def offsetof(self, cdecl, *fields_or_indexes):
        """Byte offset of a field (several names for nested fields, ints for array items)."""
        ctype = self._typeof(cdecl)
        if not fields_or_indexes:
            raise TypeError("offsetof() needs at least one field name or index")
        offset, _ = _offset_of(ctype, fields_or_indexes)
        return offset

    def addressof(self, cdata, *fields_or_indexes):
        """A pointer to a struct/array cdata, or to one of its fields or items; or to a lib symbol."""
        if not isinstance(cdata, _cd.CData) and hasattr(cdata, "_addressof"):
            return cdata._addressof(*fields_or_indexes)        # a lib object
        if not isinstance(cdata, _cd.AddrCData):
            raise TypeError("addressof() needs a cdata struct, union or array, not %s"
                            % (type(cdata).__name__,))
        ctype = cdata._ctype
        if ctype.kind not in (STRUCT, UNION, ARRAY) and not (
                fields_or_indexes and ctype.kind == POINTER):
            raise TypeError("addressof() needs a cdata struct, union or array, not cdata '%s'"
                            % (ctype.cname,))
        offset, target = _offset_of(ctype, fields_or_indexes, allow_pointer=True)
        ptr = TYPES.pointer(target)
        return _cd.pointer_to(ptr, cdata._addr + offset, cdata._keep)

    # -- Memory management ----
    def gc(self, cdata, destructor, size=0):
        """A new cdata for the same memory; `destructor(cdata)` runs when it is collected."""
        return _cd.gc(cdata, destructor, size)

    def release(self, cdata):
        """Free now the memory owned by `cdata` (new(), gc(), from_buffer(), new_allocator())."""
        _cd.release(cdata)

    # -- Handles ----
    def new_handle(self, python_object):
        """A `void *` that ffi.from_handle() turns back into `python_object` (kept alive)."""
        from .handles import new_handle
        return new_handle(python_object)

    def from_handle(self, handle):
        """The Python object of a handle made by new_handle()."""
        from .handles import from_handle
        return from_handle(handle)

    # -- Once-only initialisation ----
    def init_once(self, func, tag):
        """Call func() once per tag (thread-safe) and return its result every time."""
        with self._lock:
            entry = self._init_once.get(tag)
            if entry is None:
                entry = self._init_once[tag] = [False, None, threading.Lock()]
        if entry[0]:
            return entry[1]
        with entry[2]:
            if not entry[0]:
                entry[1] = func()
                entry[0] = True
        return entry[1]

    # -- errno ----
    @property
    def errno(self):
        """errno as saved after the last C call in this thread."""
        import ctypes
        return ctypes.get_errno()

    @errno.setter
    def errno(self, value):
        import ctypes
        ctypes.set_errno(value)

    # -- Libraries, calls, callbacks ----
    def dlopen(self, name, flags=0):
        """Load a shared library and give access to the functions and variables of cdef()."""
        from .library import dlopen
        return dlopen(self, name, flags)

    def dlclose(self, lib):
        """Close a library opened by dlopen(); later access to it raises."""
        from .library import dlclose
        dlclose(lib)

    def callback(self, cdecl, python_callable=None, error=None, onerror=None):
        """A C function pointer calling `python_callable` (or a decorator making one)."""
        from .callback import make_callback
        ctype = self._typeof(cdecl, consider_function_as_funcptr=True)
        if python_callable is None:
            return lambda func: make_callback(ctype, func, error, onerror)
        return make_callback(ctype, python_callable, error, onerror)

    # -- Builders (out-of-line and API modes: see purecffi.build) ----
    def set_source(self, module_name, source, source_extension=".c", **kwds):
        """Declare the module to build: `source=None` for out-of-line ABI mode, C code for API mode."""
        from .build import SourceSpec
        if not isinstance(module_name, str):
            raise TypeError("set_source(): module_name must be a string")
        if hasattr(self, "_source_spec"):
            raise ValueError("set_source() cannot be called several times per ffi object")
        self._source_spec = SourceSpec(module_name, source, source_extension, kwds)

    def _require_source(self, what):
        spec = getattr(self, "_source_spec", None)
        if spec is None:
            raise ValueError("%s(): set_source() must be called before" % (what,))
        return spec

    def emit_python_code(self, filename):
        """Write the out-of-line ABI-mode Python module (set_source(name, None))."""
        from .build.abi_module import emit_python_code
        spec = self._require_source("emit_python_code")
        if spec.source is not None:
            raise TypeError("emit_python_code() is for set_source(name, None) (ABI mode); "
                            "use emit_c_code() in API mode")
        return emit_python_code(self, spec, filename)

    def emit_c_code(self, filename):
        """Write the API-mode C source of the extension module."""
        from .build.api_module import emit_c_code
        spec = self._require_source("emit_c_code")
        if spec.source is None:
            raise TypeError("emit_c_code() is for API mode; use emit_python_code() in ABI mode")
        if getattr(self, "_embedding", None) is not None:
            from .build import embedding
            return embedding.emit_c_code(self, filename)
        return emit_c_code(self, spec, filename)

    def compile(self, tmpdir=".", verbose=False, target=None, debug=None):
        """Produce the module of set_source(): a .py file (ABI mode) or a compiled extension."""
        spec = self._require_source("compile")
        if spec.source is None:
            from .build.abi_module import compile_abi_module
            return compile_abi_module(self, spec, tmpdir, verbose=verbose, target=target)
        if getattr(self, "_embedding", None) is not None:
            from .build.embedding import compile_embedding
            return compile_embedding(self, tmpdir, verbose=verbose, target=target, debug=debug)
        from .build.api_module import compile_api_module
        return compile_api_module(self, spec, tmpdir, verbose=verbose, target=target, debug=debug)

    # -- Embedding (purecffi.build.embedding) ----
    def embedding_api(self, csource):
        """Declare the functions (and types, globals) the shared library exports (spec 9.1)."""
        from .build.embedding import embedding_api
        with self._lock:
            embedding_api(self, csource)

    def embedding_init_code(self, pysource):
        """The Python code run when the library starts (spec 9.1)."""
        from .build.embedding import embedding_init_code
        embedding_init_code(self, pysource)

    # -- API mode (purecffi.apimode) ----
    def def_extern(self, name=None, error=None, onerror=None):
        """Decorator attaching a Python function to an extern "Python" function (spec 6.7)."""
        from .apimode import def_extern
        return def_extern(self, name, error, onerror)

    def verify(self, source="", tmpdir=None, **kwargs):
        """Compile `source` with the cdef() now and return the lib (deprecated, spec 8.9)."""
        from .verifier import verify
        return verify(self, source, tmpdir, **kwargs)

    def distutils_extension(self, tmpdir="build", verbose=True):
        """Write the C file into `tmpdir` and return the setuptools Extension to build it."""
        from .build.api_module import distutils_extension
        return distutils_extension(self, self._require_source("distutils_extension"), tmpdir,
                                   verbose)

    def set_source_pkgconfig(self, module_name, pkgconfig_libs, source, source_extension=".c",
                             **kwds):
        """set_source() with the flags `pkg-config` gives for `pkgconfig_libs` added."""
        from .build.compiler import pkgconfig_flags
        merged = pkgconfig_flags(pkgconfig_libs, kwds)
        self.set_source(module_name, source, source_extension, **merged)

    def include(self, other):
        """Use the types and constants declared by another FFI."""
        if not isinstance(other, FFI):
            raise TypeError("include() expects an FFI instance")
        if other is self:
            raise ValueError("an FFI cannot include itself")
        with self._lock:
            self._decls.include(other._decls)
            self._included.append(other)
        from .library import declarations_changed
        declarations_changed(self)


# the `buffer` type is an attribute of FFI; ffi.buffer(cdata) makes one
FFI.buffer = buffer


def _custom_allocator(alloc, free, clear):
    def allocator(byte_size):
        ptr = alloc(byte_size)
        address = getattr(ptr, "_addr", None)
        if address is None:
            raise TypeError("alloc() must return a cdata pointer, not %s" % (type(ptr).__name__,))
        if not address:
            raise MemoryError("alloc() returned NULL")
        if clear:
            memset(address, 0, byte_size)
        release = _freeing(free, ptr) if free is not None else None
        return Owned(byte_size, address, release)
    return allocator


def _freeing(free, ptr):
    """free(ptr), its exception reported as a destructor's (at release() or when it dies)."""
    def release():
        try:
            free(ptr)
        except Exception as exc:
            from .unraisable import report
            report(exc, "Exception ignored from callback for ffi.gc %r" % (ptr,))
    return release


def _cdata_size(cdata):
    if isinstance(cdata, _cd.ArrayCData):
        if cdata._length is None:
            raise TypeError("cdata '%s' has an unknown length" % (cdata._ctype.cname,))
        return cdata._length * cdata._ctype.item.byte_size
    if isinstance(cdata, _cd.StructCData) and cdata._owning:
        return owned_size(cdata._keep)
    size = cdata._ctype.byte_size
    if size < 0:
        raise _unknown_size(cdata._ctype)
    return size


def _unknown_size(ctype, what="size"):
    if ctype.is_opaque() and ctype.kind != VOID:
        return opaque_error(ctype, ValueError)
    return ValueError("ctype '%s' is of unknown %s" % (ctype.cname, what))


def _offset_of(ctype, path, allow_pointer=False):
    """(byte offset, type reached) following field names and item indexes from `ctype`."""
    offset = 0
    for step, name in enumerate(path):
        if isinstance(name, str):
            if ctype.kind == POINTER and step == 0 and ctype.item.kind in (STRUCT, UNION):
                ctype = ctype.item          # p->field
            if ctype.kind not in (STRUCT, UNION):
                raise TypeError("ctype '%s' is not a struct or union: no field '%s'"
                                % (ctype.cname, name))
            if ctype.is_opaque():
                raise opaque_error(ctype)
            try:
                field = ctype.field(name)
            except KeyError:
                raise KeyError("'%s' has no field '%s'" % (ctype.cname, name)) from None
            if field.bitsize >= 0:
                raise TypeError("field '%s' is a bitfield: it has no byte offset" % (name,))
            offset += field.offset
            ctype = field.type
        else:
            if ctype.kind not in (ARRAY, POINTER):
                raise TypeError("ctype '%s' is not an array or pointer: no index %r"
                                % (ctype.cname, name))
            index = name.__index__()
            if ctype.kind == POINTER and step > 0:
                raise TypeError("cannot index through the pointer field of type '%s'"
                                % (ctype.cname,))
            if ctype.kind == ARRAY and isinstance(ctype.length, int) and \
                    not 0 <= index <= ctype.length:
                raise IndexError("index %d out of range for '%s'" % (index, ctype.cname))
            offset += index * ctype.item.byte_size
            ctype = ctype.item
    return offset, ctype


def _address_of_buffer(obj, writable):
    if isinstance(obj, _cd.AddrCData):
        return obj._addr, None
    if isinstance(obj, _cd.CData):
        raise TypeError("memmove() needs a pointer or array cdata, not cdata '%s'"
                        % (obj._ctype.cname,))
    if isinstance(obj, int) or isinstance(obj, str):
        raise TypeError("expected a cdata pointer or a buffer object, not %s"
                        % (type(obj).__name__,))
    export = BufferExport(obj, writable=writable)
    return export.address, export
