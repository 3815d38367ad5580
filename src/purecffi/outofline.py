"""The runtime of out-of-line ABI-mode modules: `make_ffi()`, called by the generated module.

A generated module (build/abi_module.py writes it) holds its declarations as a literal made by
serialize.dump_declarations(); `make_ffi()` wraps it in an `OutOfLineFFI`, which is the in-line
FFI of api.py except that:

  * its declarations are loaded from the literal (serialize.load_declarations), lazily: on the
    first operation that needs a type, so importing the module does almost nothing;
  * it has no cdef(), set_source(), compile(), include()...: the declarations are fixed;
  * ffi.dlopen(name) passes `name` to the system's dlopen() as it is (spec 8.2: no guessing
    of "m" into "libm.so.6"), so give a file name ("libm.so.6") or a path, or None.

Neither this module nor what it loads imports pycparser: type names are read by typename.py.
"""
from .api import FFI

__all__ = ["make_ffi", "OutOfLineFFI"]


def make_ffi(data, includes=(), module_name=None):
    """The ffi object of a generated module: `data` is its declarations literal, `includes` the
    ffi objects of the generated modules its builder included (in order)."""
    return OutOfLineFFI(data, includes, module_name)


class _LazyDeclarations:
    """`ffi._decls`, loaded on first access and then stored in the instance (a non-data
    descriptor: later reads are plain attribute lookups)."""

    def __get__(self, ffi, cls=None):
        if ffi is None:
            return self
        with ffi._lock:
            decls = ffi.__dict__.get("_decls")
            if decls is None:
                from .serialize import load_declarations
                decls = load_declarations(ffi._data, [inc._decls for inc in ffi._included])
                ffi.__dict__["_decls"] = decls
        return decls


class _Absent:
    """A builder method the ffi of a generated module does not have (AttributeError)."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, ffi, cls=None):
        raise AttributeError("the ffi object of an out-of-line module has no '%s()': its "
                             "declarations are fixed when the module is built (use the FFI of "
                             "the build script)" % (self.name,))


class OutOfLineFFI(FFI):
    """The ffi of a generated out-of-line ABI module (see the module docstring)."""

    _decls = _LazyDeclarations()

    def __init__(self, data, includes=(), module_name=None):
        FFI.__init__(self)
        del self.__dict__["_decls"]          # loaded on first use by _LazyDeclarations
        for other in includes:
            if not isinstance(other, FFI):
                raise TypeError("make_ffi(): includes must be ffi objects, not %s"
                                % (type(other).__name__,))
        self._data = data
        self._included = list(includes)
        self._module_name = module_name

    def __repr__(self):
        name = self._module_name
        return "<purecffi.FFI of module '%s'>" % (name,) if name else object.__repr__(self)

    def dlopen(self, name, flags=0):
        """Open a library by its file name or path as given (no guessing), or None for libc."""
        from .library import dlopen
        from .cdata import CData
        if name is not None and not isinstance(name, (str, bytes, CData)):
            raise TypeError("dlopen(name): name must be a file name (str), a path or None, "
                            "not %s" % (type(name).__name__,))
        if isinstance(name, bytes):
            import os
            name = os.fsdecode(name)
        return dlopen(self, name, flags, guess=False)

    cdef = _Absent()
    set_source = _Absent()
    set_source_pkgconfig = _Absent()
    compile = _Absent()
    emit_python_code = _Absent()
    emit_c_code = _Absent()
    include = _Absent()
    verify = _Absent()
    embedding_api = _Absent()
    embedding_init_code = _Absent()
    distutils_extension = _Absent()
    set_unicode = _Absent()

    def __dir__(self):
        """The names the ffi of a generated module has (not the builder methods it lacks)."""
        return [name for name in object.__dir__(self)
                if not isinstance(OutOfLineFFI.__dict__.get(name), _Absent)]
