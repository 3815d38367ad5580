"""Libraries in ABI mode: ffi.dlopen(), ffi.dlclose() and the `lib` objects they return.

Each `Lib` has its own class holding one accessor per name declared in the FFI (refreshed by
`declarations_changed()`, which FFI.cdef() calls, so a later cdef() is seen); Lib defines no
`__getattr__`, which would slow every lookup down.  A name is resolved the first time it is
read: a function becomes a ctypes-backed function object (call.make_lib_function) and an
integer constant its value, which then replace their accessor: the accessor is deleted from the
class and the value stored in the instance `__dict__`, so that `lib.f` is CPython's specialised
instance-attribute load (a class attribute, or an instance attribute shadowing a class
descriptor, is not specialised and costs twice as much).  Global variables read and write the C
memory each time through a data descriptor.  `__setattr__` only lets variables change.
"""
import ctypes
import operator
import os
import sys
import threading
import weakref

from . import call
from .cdatabase import cffi_type_name, make_cdata
from .convert import array_items_view, prepare
from .ctype import ARRAY, ENUM, TYPES
from .decls import unbuildable_error, warn_guessed_enum
from .lazy import once
from .finalizing import release, watch
from .errors import (CDefError, LibraryClosedError, SymbolNotFoundError, VariableNotFoundError,
                     VerificationMissing)

__all__ = ["dlopen", "dlclose", "declarations_changed", "Lib", "Messages"]

_MSG_NON_INTEGER = "non-integer constant '%s' cannot be accessed from a dlopen() library"
_MSG_READ_ONLY = "cannot assign to '%s': it is a %s of the library, not a global variable"


# what `del lib.name` raises on an in-line lib, as cffi's (whose lib has no such attribute of
# its own: it reads the name through its class)
_MSG_NO_DELETE = "'FFILibrary' object has no attribute '%s'"


class Messages:
    """The wording of a kind of lib's errors (cffi's in-line and out-of-line libs differ)."""

    closed = "library '%s' has already been closed"
    not_found = "%s '%s' not found in library '%s': %s"
    function = "function/symbol"
    variable = "variable"


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


_loader = once(_Loader)


# -- One opened library ----
def _close_collected(library):
    """dlclose() of a collected library (by finalizing.release)."""
    if not library.closed:
        library.closed = True
        _loader().close(library.handle)     # made already: it opened this handle


class _Library:
    """A dlopen() handle: the symbols' addresses, closed by dlclose() or when collected.

    lib function objects and views of global variables hold it, so the code and data they
    point to stay mapped as long as they live (unless dlclose() is called explicitly).
    """

    __slots__ = ("name", "handle", "closed", "messages", "__weakref__")

    def __init__(self, name, handle, messages=Messages):
        self.name, self.handle, self.closed = name, handle, False
        self.messages = messages
        watch()

    def closed_error(self):
        """The exception for a use after dlclose()."""
        return LibraryClosedError(self.messages.closed % (self.name,))

    def address(self, symbol, what, missing=SymbolNotFoundError):
        """The address of `symbol`, or `missing` (an exception class) naming it and the
        library."""
        if self.closed:
            raise self.closed_error()
        address, error = _loader().symbol(self.handle, symbol)
        if error is not None:
            raise missing(self.messages.not_found % (what, symbol, self.name, error))
        return address

    def close(self):
        """Close the handle once; later accesses raise ValueError."""
        if not self.closed:
            self.closed = True
            _loader().close(self.handle)

    def __del__(self, _release=release, _close=_close_collected):
        # not closed at interpreter exit, and only at the end of a garbage collection: other
        # finalizers may still use the library's code or data (see finalizing.py)
        if not self.closed:
            _release(_close, self)



# -- dlopen and dlclose ----
def dlopen(ffi, name, flags=0, guess=True, lib_class=None):
    """Open a library: None for the C library, a path, or a name found like ctypes does
    (`guess=False`, for out-of-line modules: the name is given to dlopen() as it is), or a
    `void *` handle that C's dlopen() returned.
    `lib_class`: the Lib subclass to make (out-of-line modules have their own)."""
    from .cdata import CData
    if isinstance(name, CData):
        return _lib_for(ffi, *_opened_handle(name), lib_class)
    if name is not None and not isinstance(name, str):
        raise TypeError("dlopen(name): name must be a file name, None, or an already-opened "
                        "'void *' handle")                  # (cffi's words)
    return _lib_for(ffi, *open_library(name, flags, guess), lib_class)


def open_library(name, flags, guess=True):
    """(shown name, handle) of the library `name` (str or None) opened with `flags`, as
    dlopen() opens it; OSError with cffi's words if it cannot."""
    flags = operator.index(flags)
    if not -(1 << 31) <= flags < (1 << 31):       # a C long, then a C int (cffi's words)
        raise OverflowError("Python int too large to convert to C long"
                            if not -(1 << 63) <= flags < (1 << 63) else
                            "signed integer is greater than maximum" if flags > 0 else
                            "signed integer is less than minimum")
    if not flags & (os.RTLD_NOW | os.RTLD_LAZY):
        flags |= os.RTLD_NOW
    if name is not None and "\0" in name:     # (C's dlopen() would read up to it)
        raise TypeError("load_library() argument 1 must be encoded string without null bytes, "
                        "not str")
    if name is None or not guess:
        handle, error = _loader().open(name, flags)
        shown = "<None>" if name is None else name
    else:
        shown, handle, error = _open_guessing(name, flags)
    if handle is None:
        raise OSError("cannot load library '%s': %s" % (shown, error))
    return shown, handle


def _open_guessing(name, flags):
    """(shown name, handle or None, error) as cffi looks a name up: a bare name ("m") through
    ctypes.util.find_library(), a file name or path directly and then through it."""
    import ctypes.util      # only when guessing: it imports subprocess (~3 ms)
    if "." not in name and "/" not in name:
        found = ctypes.util.find_library(name)
        if found is None:
            raise OSError("ctypes.util.find_library() did not manage to locate a library "
                          "called '%s'" % (name,))
        return (found,) + _loader().open(found, flags)
    handle, error = _loader().open(name, flags)
    if handle is not None:
        return name, handle, error
    found = ctypes.util.find_library(name)
    if found is None:
        raise OSError("cannot load library '%s': %s.  Additionally, "
                      "ctypes.util.find_library() did not manage to locate a library "
                      "called '%s'" % (name, error, name))
    return (found,) + _loader().open(found, flags)


def _opened_handle(cdata):
    """(name, handle) of a `void *` cdata returned by C's dlopen() (named by its address)."""
    ctype = cdata._ctype
    if ctype.kind != "pointer" or ctype.item.kind != "void":
        raise TypeError("dlopen() takes a file name or 'void *' handle, not '%s'"
                        % (ctype.cname,))
    if not cdata._addr:
        raise RuntimeError("cannot call dlopen(NULL)")
    return "0x%x" % (cdata._addr,), cdata._addr


def _lib_for(ffi, name, handle, lib_class=None):
    """The Lib object of `ffi` over an opened library (its own class, registered)."""
    base = lib_class or Lib
    # (an in-line lib's class is named as cffi's, which Python's messages name)
    cls = type("Lib" if lib_class else "FFILibrary", (base,),
               dict({"__module__": base.__module__}, **base._Lib_class_namespace))
    lib = cls(ffi, _Library(name, handle, base._Lib_messages))
    _REGISTRY.add(ffi, lib)
    return lib


def dlclose(lib, generated=False):
    """Close a library opened by dlopen(); using it afterwards raises ValueError.  Anything
    else is cffi's error: of its compiled ffi when `generated`, else of its in-line one."""
    if not isinstance(lib, Lib):
        if hasattr(type(lib), "_pc_kinds"):     # an API-mode module's lib: nothing to close,
            return                              # as cffi says (its functions keep working)
        if generated:
            raise TypeError("argument 1 must be _cffi_backend.Lib, not %s" % (
                "None" if lib is None else cffi_type_name(lib),))
        raise AttributeError("type object '%s' has no attribute '__cffi_close__'"
                             % (cffi_type_name(lib),))
    lib._Lib_close()


def declarations_changed(ffi):
    """Called by FFI.cdef() and FFI.include(): the libs of `ffi` learn the new names."""
    for lib in _REGISTRY.libs_of(ffi):
        lib._Lib_refresh()


class _Registry:
    """The live Lib objects of each FFI (weakly held), to refresh after a cdef()."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_ffi = weakref.WeakKeyDictionary()

    def add(self, ffi, lib):
        with self.lock:
            libs = self.by_ffi.get(ffi)
            if libs is None:
                libs = self.by_ffi[ffi] = weakref.WeakSet()
            libs.add(lib)

    def libs_of(self, ffi):
        with self.lock:
            return list(self.by_ffi.get(ffi, ()))


_REGISTRY = _Registry()


# -- Accessors installed on a Lib's class ----
class _Variable:
    """A global variable: reading converts the C value, writing converts a Python value."""

    __slots__ = ("library", "name", "address", "ctype", "read", "write", "view")

    def __init__(self, library, name, address, ctype):
        rt = prepare(ctype)
        self.library, self.name, self.address, self.ctype = library, name, address, ctype
        self.read, self.write = rt.read, rt.write
        # an array's items, as the typed view each read gives it (made once: the address
        # does not change), or None
        self.view = array_items_view(ctype, address) if ctype.kind == ARRAY else None

    def get(self):
        if self.library.closed:
            raise self.library.closed_error()
        return self.read(self.address, self.library)

    def set(self, value):
        if self.library.closed:
            raise self.library.closed_error()
        self.write(self.address, value)


class _ArrayAddress(_Variable):
    """`extern T x[];`: reading gives a `T *` to the array (its length is not known)."""

    __slots__ = ()

    def get(self):
        if self.library.closed:
            raise self.library.closed_error()
        return make_cdata(prepare(self.ctype).cdata_class, self.ctype, self.address,
                          self.library)

    def set(self, value):
        if self.library.closed:
            raise self.library.closed_error()
        from .varsize import write_items
        write_items(TYPES.array(self.ctype.item, None), self.address, value)  # all its items


class _Resolved:
    """Functions and constants: resolved on first read, then stored in the Lib's instance
    `__dict__` and this accessor removed from the class (the fastest lookup there is)."""

    __slots__ = ("name", "entry")

    def __init__(self, name, entry):
        self.name, self.entry = sys.intern(name), entry     # see _forget()

    def __get__(self, lib, cls=None):
        if lib is None:
            return self
        value = lib._Lib_resolve(self.name, self.entry)
        # the value first, then the accessor goes: another thread looking `name` up meanwhile
        # finds one or the other (and two threads resolving at once both succeed)
        object.__setattr__(lib, self.name, value)   # not lib.__dict__[...]: see _forget()
        cls = type(lib)
        if cls.__dict__.get(self.name) is self:
            try:
                delattr(cls, self.name)
            except AttributeError:
                pass                                # another thread removed it first
        return value


class _GlobalVariable:
    """A data descriptor reading and writing a global variable through its _Variable."""

    __slots__ = ("name", "ctype", "variable")

    def __init__(self, name, ctype):
        self.name, self.ctype, self.variable = name, ctype, None

    def _resolved(self, lib):
        variable = self.variable
        if variable is None:
            variable = self.variable = lib._Lib_variable(self.name, self.ctype)
        return variable

    def __get__(self, lib, cls=None):
        if lib is None:
            return self
        variable = self.variable or self._resolved(lib)
        if variable.__class__ is not _Variable:
            return variable.get()
        library = variable.library      # _Variable.get(), without its frame
        if library.closed:
            raise library.closed_error()
        if variable.view is None:
            return variable.read(variable.address, library)
        result = variable.read(variable.address, library)
        result._view_items = variable.view      # (made for this address: see _Variable)
        return result

    def __set__(self, lib, value):
        variable = self.variable or self._resolved(lib)
        if variable.__class__ is not _Variable:
            variable.set(value)
            return
        library = variable.library      # _Variable.set(), without its frame
        if library.closed:
            raise library.closed_error()
        variable.write(variable.address, value)

    def __delete__(self, lib):
        raise AttributeError(_MSG_NO_DELETE % (self.name,))


_GlobalVariable.__name__ = _GlobalVariable.__qualname__ = "__FFIGlobSupport"     # as cffi's
_GlobalVariable.__module__ = "_cffi_backend"


# -- The lib object ----
class Lib:
    """What ffi.dlopen() returns: the functions, global variables and constants of cdef().

    Each Lib has its own subclass (made by dlopen()) holding one accessor per declared name,
    refreshed when cdef() declares more; so Lib needs no `__getattr__`, which would slow down
    every `lib.f` lookup.  A resolved function or constant moves from its class accessor to the
    instance `__dict__` (the subclass adds one), where CPython loads it fastest.
    """

    __slots__ = ("_Lib__ffi", "_Lib__library", "_Lib__declared", "__weakref__")
    _Lib_messages = Messages
    _Lib_class_namespace = {}       # more entries for the class of each lib (see OutOfLineLib)

    def __init__(self, ffi, library):
        object.__setattr__(self, "_Lib__ffi", ffi)
        object.__setattr__(self, "_Lib__library", library)
        object.__setattr__(self, "_Lib__declared", {})   # name -> (kind, declaration)
        self._Lib_refresh()

    # -- Accessors ----
    def _Lib_refresh(self):
        """Install an accessor on our class for each name the FFI declares now."""
        decls = self.__ffi._decls
        current, shared = {}, []
        for kind, table in (("constant", decls.constants), ("variable", decls.variables),
                            ("function", decls.functions)):
            for name, declaration in table.items():
                if not reserved(Lib, name):
                    if name in current:
                        shared.append(name)
                    current[name] = (kind, declaration)
        for name in shared:
            current[name] = _latest(decls, name)
        cls, declared = type(self), self.__declared
        for name in [n for n in declared if n not in current]:
            del declared[name]
            _forget(self, name)
            if name in cls.__dict__:
                delattr(cls, name)
        for name, entry in current.items():
            old = declared.get(name)
            if old is not None and old[0] == entry[0] and old[1] is entry[1]:
                continue
            self.__install(name, entry)
            declared[name] = entry

    def __install(self, name, entry):
        """Put the (unresolved) accessor of `name` on our class."""
        kind, declaration = entry
        accessor = _GlobalVariable(name, declaration[0]) if kind == "variable" \
            else _Resolved(name, entry)
        _forget(self, name)                         # a value resolved from an older entry
        setattr(type(self), name, accessor)

    def _Lib_resolve(self, name, entry):
        """The value of a function or constant (made on first access)."""
        library = self.__library
        kind, declaration = entry
        if kind == "function":
            self.__check_buildable(declaration)
            function = call.make_lib_function(      # (named "<cdata>", as cffi's cdata)
                declaration, library.address(name, library.messages.function))
            call.set_attribute(function, "_library", library)   # keeps the code mapped
            return function
        return self._Lib_constant(name, declaration)

    def _Lib_constant(self, name, declaration):
        """The value of a constant: those cdef() gives a value (still there after dlclose(),
        as in cffi); the others raise (an out-of-line lib reads them from the library)."""
        return _constant_value(name, declaration)

    def __check_buildable(self, ctype):
        """Refuse a type cffi cannot build (before looking the symbol up, as cffi), and warn
        about the enums it guesses, as parse_type() does."""
        decls = self.__ffi._decls
        error = unbuildable_error(decls, ctype)
        if error is not None:
            raise type(error)(*error.args)
        warn_guessed_enum(decls, ctype)

    def _Lib_variable(self, name, ctype):
        """The _Variable of a global variable (its address looked up now)."""
        library = self.__library
        if library.closed:
            raise library.closed_error()
        self.__check_buildable(ctype)
        if ctype.kind == ARRAY and ctype.length is Ellipsis:
            raise CDefError("cannot render the type <%s>: unknown length"    # (cffi's words)
                            % (ctype.cname.replace("[...]", "[/*...*/]"),))
        # cffi's in-line lib raises KeyError there (its out-of-line lib ffi.error)
        missing = VariableNotFoundError if library.messages is Messages else SymbolNotFoundError
        address = library.address(name, library.messages.variable, missing)
        if ctype.kind == ARRAY and ctype.length is None:
            return _ArrayAddress(library, name, address, TYPES.pointer(ctype.item))
        return _Variable(library, name, address, ctype)

    # -- Writing ----
    def __setattr__(self, name, value):
        entry = self.__declared.get(name)
        if entry is None:
            raise AttributeError(name)              # (cffi's in-line message: the name)
        library = self.__library
        if library.closed:                          # (after the name, as cffi)
            raise library.closed_error()
        if entry[0] != "variable":
            if entry[0] == "constant":
                getattr(self, name)     # one in-line mode cannot read: that error, as cffi's
            raise AttributeError(_MSG_READ_ONLY % (name, entry[0]))
        object.__setattr__(self, name, value)       # the _GlobalVariable writes it

    def __delattr__(self, name):
        raise AttributeError(_MSG_NO_DELETE % (name,))

    # -- Introspection ----
    def __dir__(self):
        constants = self.__ffi._decls.constants     # (`#define X ...`: API mode only)
        return sorted(name for name in self.__declared
                      if name not in constants or constants[name] != _DEFINE_DOTS)

    def __copy__(self):
        """A lib is its library: copy.copy() gives the same object (cffi's gives a twin)."""
        return self

    def __deepcopy__(self, memo):
        """The lib itself, as copy.copy() gives."""
        return self

    def __repr__(self):
        return "<purecffi library '%s'%s>" % (
            self.__library.name, " (closed)" if self.__library.closed else "")

    # -- Used by the FFI ----
    def _Lib_addressof(self, name):
        """ffi.addressof(lib, name): a pointer to a global variable, or the function pointer."""
        entry = self.__declared.get(name)
        if entry is None:
            raise AttributeError(name)              # (cffi's in-line message: the name)
        library = self.__library
        if library.closed:                          # (after the name, as cffi)
            raise library.closed_error()
        kind, declaration = entry
        if kind == "function":
            self.__check_buildable(declaration)
            address = library.address(name, library.messages.function)
            return make_cdata(prepare(declaration).cdata_class, declaration, address, library)
        if kind == "constant":
            raise AttributeError("cannot take the address of the constant '%s'" % (name,))
        ctype = declaration[0]
        variable = type(self).__dict__[name]._resolved(self)
        if ctype.kind == ARRAY:
            return variable.get()                   # an array is its own address, as in cffi
        pointer = TYPES.pointer(ctype)
        return make_cdata(prepare(pointer).cdata_class, pointer, variable.address, library)

    def _Lib_close(self):
        """dlclose(): close the handle; the accessors put back then raise ValueError."""
        self.__library.close()
        for name, entry in self.__declared.items():
            if entry[0] != "variable":
                self.__install(name, entry)


def reserved(cls, name):
    """Whether a C name cannot be a lib attribute: one the lib class itself defines (its
    methods all start with `_Lib_`, which C libraries do not use), or a special `__x__` name.
    (Not hasattr(): a class also shows `type`'s own `mro`, a fine C name.)"""
    if name.startswith("__") and name.endswith("__"):
        return True
    return any(name in klass.__dict__ for klass in cls.__mro__)


def _latest(decls, name):
    """The entry of a name cdef() declared as more than one of function, global variable and
    constant: as in cffi, the kind declared last (a #define yields to the others)."""
    entries = [("function", decls.functions.get(name)), ("variable", decls.variables.get(name)),
               ("constant", decls.constants.get(name))]
    entries = [entry for entry in entries if entry[1] is not None and (
        entry[0] != "constant" or entry[1][0] is not None)] or entries[2:]
    order = {key: position for position, key in enumerate(decls.order)}
    return max(entries, key=lambda entry: order.get((entry[0], name), -1))


def _forget(lib, name):
    """Drop the resolved value of `name` from `lib`'s instance attributes, if any.

    Instance attributes are only ever set and deleted through object.__setattr__/__delattr__:
    touching `lib.__dict__` would turn CPython's inline attribute values into a real dict,
    and every `lib.f` lookup would then cost twice as much.  Those two do not intern the name
    as `lib.x = ...` does, and even a deletion enters the name in the keys the class's
    instances share: a name that is not the interned string of the bytecode would then be
    compared with memcmp on every lookup, so names are interned first.
    """
    try:
        object.__delattr__(lib, sys.intern(name))
    except AttributeError:                  # nothing resolved, or a variable's descriptor
        pass


_DEFINE_DOTS = (None, Ellipsis)      # the declaration of `#define X ...`


def _constant_value(name, declaration):
    """The value of a constant of cdef(), or the error saying why dlopen() cannot give it."""
    ctype, value = declaration
    if value is Ellipsis:
        if ctype is None:
            raise AttributeError(name)          # (`#define X ...`: cffi's bare name)
        if ctype.kind == ENUM and ctype.partial:
            raise VerificationMissing(ctype.cname)  # (cffi's words: the enum's name)
        raise NotImplementedError(_MSG_NON_INTEGER % (name,))
    if not isinstance(value, int):
        raise NotImplementedError(_MSG_NON_INTEGER % (name,))
    return value
