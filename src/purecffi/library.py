"""Libraries in ABI mode: ffi.dlopen(), ffi.dlclose() and the `lib` objects they return.

A `Lib` resolves a name the first time it is read, looking at the FFI's declarations at that
moment (so a later cdef() is seen): functions become ctypes-backed function objects
(call.make_lib_function) cached in the instance dict, so `lib.f` is a plain attribute lookup;
global variables become properties of the Lib's own class reading the C memory each time;
integer constants are cached values.  Writes go through `__setattr__`, which only lets
variables change.
"""
import ctypes
import ctypes.util
import os
import threading

from . import call
from .convert import prepare
from .ctype import ARRAY, ENUM, TYPES
from .errors import CDefError, VerificationMissing

__all__ = ["dlopen", "dlclose", "Lib"]

_MSG_CLOSED = "library '%s' has already been closed"
_MSG_NOT_FOUND = "%s '%s' not found in library '%s': %s"
_MSG_UNDECLARED = "library '%s' has no function, variable or constant named '%s' (declare it " \
                  "with ffi.cdef())"
_MSG_NON_INTEGER = "non-integer constant '%s' cannot be accessed from a dlopen() library"
_MSG_DEFINE_DOTS = "'%s' is declared as '#define %s ...': only API mode (ffi.set_source() and " \
                   "a C compiler) can give its value, not a dlopen() library"
_MSG_READ_ONLY = "cannot assign to '%s': it is a %s of the library, not a global variable"
_MSG_NEW_ATTRIBUTE = "cannot add attribute '%s' to a library object: it has no global " \
                     "variable of that name declared in cdef()"


# -- The dynamic loader ----
class _Loader:
    """dlopen/dlsym/dlerror/dlclose of the C library, called through ctypes."""

    def __init__(self):
        libc = ctypes.CDLL(None)
        self.dlopen = libc.dlopen
        self.dlopen.argtypes, self.dlopen.restype = [ctypes.c_char_p, ctypes.c_int], \
            ctypes.c_void_p
        self.dlsym = libc.dlsym
        self.dlsym.argtypes, self.dlsym.restype = [ctypes.c_void_p, ctypes.c_char_p], \
            ctypes.c_void_p
        self.dlerror = libc.dlerror
        self.dlerror.argtypes, self.dlerror.restype = [], ctypes.c_char_p
        self.dlclose = libc.dlclose
        self.dlclose.argtypes, self.dlclose.restype = [ctypes.c_void_p], ctypes.c_int
        self.lock = threading.Lock()

    def open(self, path, flags):
        """(handle, None) or (None, error message)."""
        with self.lock:
            self.dlerror()
            handle = self.dlopen(None if path is None else os.fsencode(path), flags)
            if handle:
                return handle, None
            return None, _text(self.dlerror()) or "unknown dlopen() error"

    def symbol(self, handle, name):
        """(address, None) or (None, error message)."""
        with self.lock:
            self.dlerror()
            address = self.dlsym(handle, name.encode("utf-8"))
            error = self.dlerror()
        if error is not None:
            return None, _text(error)
        return address or 0, None

    def close(self, handle):
        """dlclose() the handle (errors are ignored: the library stays loaded then)."""
        self.dlclose(handle)


def _text(message):
    return message.decode("utf-8", "replace") if message is not None else None


_LOADER = None
_LOADER_LOCK = threading.Lock()


def _loader():
    global _LOADER
    if _LOADER is None:
        with _LOADER_LOCK:
            if _LOADER is None:
                _LOADER = _Loader()
    return _LOADER


# -- One opened library ----
class _Library:
    """A dlopen() handle: the symbols' addresses, closed by dlclose() or when collected.

    lib function objects and views of global variables hold it, so the code and data they
    point to stay mapped as long as they live (unless dlclose() is called explicitly).
    """

    __slots__ = ("name", "handle", "closed", "__weakref__")

    def __init__(self, name, handle):
        self.name, self.handle, self.closed = name, handle, False

    def address(self, symbol, what):
        """The address of `symbol`, or AttributeError naming it and the library."""
        if self.closed:
            raise ValueError(_MSG_CLOSED % (self.name,))
        address, error = _loader().symbol(self.handle, symbol)
        if error is not None:
            raise AttributeError(_MSG_NOT_FOUND % (what, symbol, self.name, error))
        return address

    def close(self):
        """Close the handle once; later accesses raise ValueError."""
        if not self.closed:
            self.closed = True
            _loader().close(self.handle)

    def __del__(self):
        if not self.closed and _LOADER is not None:
            self.closed = True
            _LOADER.close(self.handle)


# -- dlopen and dlclose ----
def dlopen(ffi, name, flags=0):
    """Open a library: None for the C library, a path, or a name found like ctypes does."""
    if name is not None and not isinstance(name, str):
        raise TypeError("dlopen(name): name must be a file name (str) or None, not %s"
                        % (type(name).__name__,))
    flags = int(flags)
    if not flags & (os.RTLD_NOW | os.RTLD_LAZY):
        flags |= os.RTLD_NOW
    handle, error = _loader().open(name, flags)
    shown = "<None>" if name is None else name
    if handle is None and "/" not in name:
        found = ctypes.util.find_library(name)
        if found is None:
            raise OSError("cannot load library '%s': %s.  Additionally, "
                          "ctypes.util.find_library() did not manage to locate a library "
                          "called '%s'" % (name, error, name))
        shown = found
        handle, error = _loader().open(found, flags)
    if handle is None:
        raise OSError("cannot load library '%s': %s" % (shown, error))
    cls = type("Lib", (Lib,), {"__module__": Lib.__module__})
    return cls(ffi, _Library(shown, handle))


def dlclose(lib):
    """Close a library opened by dlopen(); using it afterwards raises ValueError."""
    if not isinstance(lib, Lib):
        raise TypeError("dlclose() expects a library object returned by dlopen(), not %s"
                        % (type(lib).__name__,))
    lib._close()


# -- The lib object ----
class _Variable:
    """A global variable: reading converts the C value, writing converts a Python value."""

    __slots__ = ("library", "name", "address", "ctype", "read", "write")

    def __init__(self, library, name, address, ctype):
        rt = prepare(ctype)
        self.library, self.name, self.address, self.ctype = library, name, address, ctype
        self.read, self.write = rt.read, rt.write

    def get(self, lib):
        if self.library.closed:
            raise ValueError(_MSG_CLOSED % (self.library.name,))
        return self.read(self.address, self.library)

    def set(self, value):
        if self.library.closed:
            raise ValueError(_MSG_CLOSED % (self.library.name,))
        self.write(self.address, value)


class Lib:
    """What ffi.dlopen() returns: the functions, global variables and constants of cdef().

    Each Lib has its own subclass (made by dlopen()), on which the global variables it has
    read become properties.
    """

    def __init__(self, ffi, library):
        state = self.__dict__
        state["_Lib__ffi"] = ffi
        state["_Lib__library"] = library
        state["_Lib__variables"] = {}

    # -- Reading ----
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        library = self.__library
        if library.closed:
            raise ValueError(_MSG_CLOSED % (library.name,))
        decls = self.__ffi._decls
        fntype = decls.functions.get(name)
        if fntype is not None:
            return self.__function(name, fntype)
        variable = decls.variables.get(name)
        if variable is not None:
            return self.__variable(name, variable[0]).get(self)
        constant = decls.constants.get(name)
        if constant is not None:
            return self.__constant(name, constant)
        raise AttributeError(_MSG_UNDECLARED % (library.name, name))

    def __function(self, name, fntype):
        library = self.__library
        function = call.make_lib_function(fntype, library.address(name, "function/symbol"),
                                          name)
        function._library = library
        self.__dict__[name] = function
        return function

    def __variable(self, name, ctype):
        """The _Variable for `name`, made once and installed as a property of our class."""
        variable = self.__variables.get(name)
        if variable is not None:
            return variable
        library = self.__library
        if ctype.kind == ARRAY and ctype.length is Ellipsis:
            raise CDefError("global variable '%s' has type '%s' of unknown length: only API "
                            "mode can give its size" % (name, ctype.cname))
        address = library.address(name, "variable")
        if ctype.kind == ARRAY and ctype.length is None:
            # `T x[];` is read as a `T *` to x
            variable = _ArrayAddress(library, name, address, TYPES.pointer(ctype.item))
        else:
            variable = _Variable(library, name, address, ctype)
        self.__variables[name] = variable
        setattr(type(self), name, property(variable.get))
        return variable

    def __constant(self, name, constant):
        ctype, value = constant
        if value is Ellipsis:
            if ctype is None:
                raise AttributeError(_MSG_DEFINE_DOTS % (name, name))
            if ctype.kind == ENUM and ctype.partial:
                raise VerificationMissing("%s: the values of this enum are only known after "
                                          "compilation (API mode)" % (ctype.cname,))
            raise NotImplementedError(_MSG_NON_INTEGER % (name,))
        if not isinstance(value, int):
            raise NotImplementedError(_MSG_NON_INTEGER % (name,))
        self.__dict__[name] = value
        return value

    # -- Writing ----
    def __setattr__(self, name, value):
        library = self.__library
        if library.closed:
            raise ValueError(_MSG_CLOSED % (library.name,))
        decls = self.__ffi._decls
        variable = decls.variables.get(name)
        if variable is not None:
            self.__variable(name, variable[0]).set(value)
            return
        if name in decls.functions:
            raise AttributeError(_MSG_READ_ONLY % (name, "function"))
        if name in decls.constants:
            raise AttributeError(_MSG_READ_ONLY % (name, "constant"))
        raise AttributeError(_MSG_NEW_ATTRIBUTE % (name,))

    def __delattr__(self, name):
        raise AttributeError("cannot delete attribute '%s' of a library object" % (name,))

    # -- Introspection ----
    def __dir__(self):
        decls = self.__ffi._decls
        return sorted(set(decls.functions) | set(decls.variables) | set(decls.constants))

    def __repr__(self):
        return "<purecffi library '%s'%s>" % (
            self.__library.name, " (closed)" if self.__library.closed else "")

    # -- Used by the FFI ----
    def _addressof(self, name):
        """ffi.addressof(lib, name): a pointer to a global variable, or the function pointer."""
        library = self.__library
        if library.closed:
            raise ValueError(_MSG_CLOSED % (library.name,))
        decls = self.__ffi._decls
        fntype = decls.functions.get(name)
        if fntype is not None:
            address = library.address(name, "function/symbol")
            return prepare(fntype).cdata_class(fntype, address, library)
        variable = decls.variables.get(name)
        if variable is not None:
            ctype = variable[0]
            accessor = self.__variable(name, ctype)
            if ctype.kind == ARRAY:
                return accessor.get(self)          # an array is its own address, as in cffi
            pointer = TYPES.pointer(ctype)
            return prepare(pointer).cdata_class(pointer, accessor.address, library)
        if name in decls.constants:
            raise AttributeError("'%s' is a constant: it has no address" % (name,))
        raise AttributeError(_MSG_UNDECLARED % (library.name, name))

    def _close(self):
        """dlclose(): close the handle and forget every cached symbol."""
        library = self.__library
        library.close()
        state = self.__dict__
        for key in [k for k in state if not k.startswith("_Lib__")]:
            del state[key]


class _ArrayAddress(_Variable):
    """`extern T x[];`: reading gives a `T *` to the array (its length is not known)."""

    __slots__ = ()

    def get(self, lib):
        if self.library.closed:
            raise ValueError(_MSG_CLOSED % (self.library.name,))
        return prepare(self.ctype).cdata_class(self.ctype, self.address, self.library)

    def set(self, value):
        raise TypeError("cannot assign to the global array '%s' of unknown length" % (self.name,))
