"""The `lib` that ffi.verify() returns: a plain `FFILibrary` object, as cffi's verify() gives.

It wraps the lib of the API-mode module that verify() built (apimode.ApiLib), without
duplicating it: functions, constants, enumerators and array globals are copied into the
instance dict (as cffi puts them there: users may replace or add attributes, `lib.__dict__`
lists them), other globals are properties of a class made per load, over the API-mode lib's
own global descriptors (apiglobals._Global).  Unknown names give Python's own AttributeError,
as in cffi.
"""
import ctypes

from .apiglobals import _Global
from .cdatabase import CData, make_cdata
from .convert import fast_twin, prepare, refuse_as_pointers
from .ctype import ARRAY, STRUCT, UNION
from .memory import allocate

__all__ = ["make_ffilibrary"]


def _global_property(api_lib, name):
    """A property reading and writing the global `name` through the API-mode lib."""
    def get(self):
        return getattr(api_lib, name)

    def put(self, value):
        setattr(api_lib, name, value)
    return property(get, put)


def _library_dir(self):
    """The names of the library (its globals) and of the instance dict, as cffi lists them."""
    return type(self)._cffi_dir + list(self.__dict__)


def make_ffilibrary(ffi, module):
    """A new `FFILibrary` instance over the lib of the verified `module`, for `ffi`."""
    api_lib, variables = module.lib, module.ffi._decls.variables
    cls = type(api_lib)
    class_attrs = {"__module__": __name__, "__doc__": None, "__dir__": _library_dir,
                   "_cffi_ffi": ffi, "_cffi_python_module": module}
    values, properties = {}, []
    for name, kind in cls._pc_kinds.items():
        glob = _global_of(cls, name) if kind == "variable" else None
        try:
            if glob is not None and _is_array(variables, name):
                values[name] = glob.__get__(api_lib)    # read once, as cffi does
            elif glob is not None:
                class_attrs[name] = property(glob.__get__, glob.__set__)
                properties.append(name)
            else:
                values[name] = _owned(getattr(api_lib, name), kind)
                if kind == "function" and fast_twin(values[name]) is not None:
                    refuse_as_pointers(values[name])    # (cffi's verify(): no pointers)
            continue
        except Exception:       # (an error the API-mode lib raises on use): the same, on use
            pass
        class_attrs[name] = _global_property(api_lib, name)
        properties.append(name)
    class_attrs["_cffi_dir"] = properties
    library = type("FFILibrary", (object,), class_attrs)()
    library.__dict__.update(values)
    return library


def _owned(value, kind):
    """A struct or union constant as cffi's verify() gives it, a copy it owns (writable, and
    not the read-only C data); any other value as it is."""
    if kind != "constant" or not isinstance(value, CData) or \
            value._ctype.kind not in (STRUCT, UNION):
        return value
    ctype = value._ctype
    buf, address = allocate(ctype.byte_size)
    ctypes.memmove(address, value._addr, ctype.byte_size)
    return make_cdata(prepare(ctype).owning_class, ctype, address, buf)


def _global_of(lib_class, name):
    """The apiglobals._Global of the variable `name`, even where the API-mode lib holds the
    error of a size the compiler contradicts: cffi's verify() reads with the cdef() type."""
    entry = lib_class._pc_addresses.get(name)
    owner = getattr(entry[2], "__self__", None) if entry is not None else None
    return owner if isinstance(owner, _Global) else None


def _is_array(variables, name):
    """Whether the global `name` is declared as an array (cffi reads those once)."""
    entry = variables.get(name)
    return entry is not None and entry[0].kind == ARRAY
