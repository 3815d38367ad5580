"""The runtime of out-of-line ABI-mode modules: `make_ffi()`, called by the generated module.

A generated module (build/abi_module.py writes it) holds its declarations as a literal made by
serialize.dump_declarations(); `make_ffi()` wraps it in an `OutOfLineFFI`, which is the in-line
FFI of api.py except that:

  * its declarations are loaded from the literal (serialize.load_declarations), lazily: the
    JSON is decoded on the first operation that needs a type, so importing the module does
    almost nothing, and each declaration (with the types it reaches) is built the first time
    it is named (serialize.LazyTable); its lib installs an accessor on a name's first use;
  * it has no cdef(), set_source(), compile(), include()...: the declarations are fixed;
  * ffi.dlopen(name) passes `name` to the system's dlopen() as it is (spec 8.2: no guessing
    of "m" into "libm.so.6"), so give a file name ("libm.so.6") or a path, or None.

Neither this module nor what it loads imports pycparser: type names are read by typename.py.
"""
import re

from .api import FFI, GeneratedFFI
from .ffi_attrs import name_as_cffi
from .serialize import FORMAT

__all__ = ["make_ffi", "OutOfLineFFI"]


def make_ffi(data, includes=(), module_name=None, version=None):
    """The ffi object of a generated module: `data` is its declarations literal, `includes` the
    ffi objects of the generated modules its builder included (in order), `version` the
    format it was written in (read from `data` when not given, by older modules)."""
    if version is None:
        version = _peek_version(data)
    if version != FORMAT:
        raise ImportError("purecffi out-of-line Python module '%s' has unknown version %r "
                          "(this purecffi reads version %d): run its build script again"
                          % (module_name, version, FORMAT))
    return OutOfLineFFI._made(data, includes, module_name)


def _peek_version(data):
    """The "version" of a declarations text, without decoding the rest."""
    if not isinstance(data, str):
        return data.get("version")
    found = re.match(r'\s*\{\s*"version":\s*(\d+)', data)
    return int(found.group(1)) if found else None


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
                decls = load_declarations(ffi._data, [inc._decls for inc in ffi._included],
                                          lazy=True)
                ffi.__dict__["_decls"] = decls
        return decls


class OutOfLineFFI(GeneratedFFI):
    """The ffi of a generated out-of-line ABI module (see the module docstring)."""

    _decls = _LazyDeclarations()

    @classmethod
    def _made(cls, data, includes=(), module_name=None):
        """The ffi of a module: `data` its declarations literal, `includes` the ffi objects
        of the modules its builder included (type(ffi)() is an empty ffi, as cffi's)."""
        for other in includes:
            if not isinstance(other, FFI):
                raise TypeError("make_ffi(): includes must be ffi objects, not %s"
                                % (type(other).__name__,))
        ffi = cls.__new__(cls)
        del ffi.__dict__["_decls"]          # loaded on first use by _LazyDeclarations
        ffi._data = data
        ffi._included = list(includes)
        ffi._module_name = module_name
        ffi._api_externs = {}       # def_extern(): "no 'extern "Python"' function" (ffi.error)
        return ffi

    def _parse_typeof(self, cdecl, consider_function_as_funcptr):
        """As FFI's, with ffi.error for a type string it cannot read (as cffi's compiled ffi)."""
        from .errors import CDefError, CompiledFFIError, TypeNameError
        try:
            return FFI._parse_typeof(self, cdecl, consider_function_as_funcptr)
        except CDefError as exc:
            if isinstance(exc, CompiledFFIError):
                raise
            error = TypeNameError(*exc.args)
        raise error

    def integer_const(self, name):
        """The value of an integer constant: enum value, #define, or `static const` with one."""
        from .outofline_lib import integer_const
        return integer_const(self, name)


name_as_cffi(OutOfLineFFI)     # as cffi's (type(ffi).__name__, and in messages)
