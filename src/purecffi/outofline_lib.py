"""The lib objects of out-of-line ABI modules: what differs from an in-line ffi.dlopen() lib.

As cffi's out-of-line libs:
  * a `static const T name;` (or `const T name;`) of cdef() is read from the library's exported
    symbol `name`, whatever T is (an in-line lib raises NotImplementedError for those);
  * its errors are ffi.error: "symbol 'x' not found in library ...", "library ... has been
    closed" (SymbolNotFoundError and LibraryClosedError, which are also the AttributeError and
    ValueError an in-line lib raises);
  * a function, variable or non-integer constant declared by an included module must be
    fetched from that module's lib (ffi.error); integer constants of included modules are here;
  * ffi.addressof(lib, "array") is a pointer to the array, `T(*)[N]`.
"""
import operator
import os
import threading
import types

from .cdatabase import CData, cffi_type_name, make_cdata
from .convert import prepare
from .ctype import ARRAY, ENUM, FUNCTION, TYPES
from .decls import declared_by_includes, is_integer_constant
from .errors import CompiledFFIError
from .library import Lib, Messages, _GlobalVariable, _Library, dlopen, open_library, reserved
from .serialize import LazyTable

__all__ = ["OutOfLineLib", "integer_const"]

MSG_ELSEWHERE = "function, global variable or non-integer constant '%s' must be fetched from " \
                "its original 'lib' object"
_MSG_UNDECLARED = "cffi library '%s' has no function, constant or global variable named '%s'"


class _Messages(Messages):
    """cffi's out-of-line wording."""

    closed = "library '%s' has been closed"
    function = variable = "symbol"


def _is_symbol_constant(name, declaration):
    """A constant whose value only the library has (`static const T name;`), not an
    enumerator (of a partial enum, or of an included API-mode module's enum)."""
    ctype, value = declaration
    return value is Ellipsis and ctype is not None and not (
        ctype.kind == ENUM and (ctype.partial or name in ctype._relements))


def _own_names(ffi):
    """The names the module's own cdef() declared (not those taken from included modules)."""
    return {name for _, name in ffi._decls.order}


class _NotThere:
    """A class attribute the lib has not (`lib.__reduce_ex__`: its __getattr__'s error)."""

    def __get__(self, lib, cls=None):
        if lib is None:
            return self
        raise AttributeError("not there")


class _ModuleName(str):
    """`__module__` of the lib's class: '_cffi_backend' for the class (`<class
    '_cffi_backend.Lib'>`, as cffi's), but no attribute of the lib itself (as _NotThere)."""

    def __get__(self, lib, cls=None):
        if lib is None:
            return self
        raise AttributeError("not there")


class OutOfLineLib(Lib):
    """What the ffi of a generated module's dlopen() returns (see the module docstring)."""

    __slots__ = ("_Lib_installed",)      # (lock, names whose accessor was installed)
    _Lib_messages = _Messages
    __reduce__ = __reduce_ex__ = _NotThere()    # not copyable nor picklable, as cffi's lib
    __copy__ = __deepcopy__ = None              # (the in-line Lib's, which give the lib itself)

    def _Lib_constant(self, name, declaration):
        """Integer constants as in-line; `static const` ones read from the library; those an
        included API-mode module knows (`#define X ...`), from it."""
        if not _is_symbol_constant(name, declaration):
            if declaration[1] is Ellipsis:
                value = _from_included(self._Lib__ffi, name)
                if value is not None:
                    return value
            return Lib._Lib_constant(self, name, declaration)
        if name not in _own_names(self._Lib__ffi):
            raise CompiledFFIError(MSG_ELSEWHERE % (name,))
        library = self._Lib__library
        address = library.address(name, _Messages.variable)
        return prepare(declaration[0]).read(address, library)

    def _Lib_refresh(self):
        """Only the names: the declarations are fixed, and decoding them (serialize.LazyTable)
        and installing their accessors wait until a name is first used (_Lib_accessor)."""
        decls = self._Lib__ffi._decls
        tables = (("constant", decls.constants), ("variable", decls.variables),
                  ("function", decls.functions))
        entries = [(name, (kind, table, name)) for kind, table in tables for name in table
                   if not reserved(OutOfLineLib, name)]
        lock = threading.RLock()
        object.__setattr__(self, "_Lib_installed", (lock, set()))
        object.__setattr__(self, "_Lib__declared",
                           LazyTable(entries, lambda raw: (raw[0], raw[1][raw[2]]), lock))

    def _Lib_accessor(self, name):
        """Install the accessor of a declared name on first use (once)."""
        lock, installed = self._Lib_installed
        if name in installed:
            return
        with lock:
            if name not in installed:
                self._Lib__install(name, self._Lib__declared[name])
                installed.add(name)

    def __getattr__(self, name):
        """Called for a name without accessor: one declared but not used yet (install its
        accessor), one not declared here, or when an accessor raised AttributeError (a
        SymbolNotFoundError): then raise that again."""
        if name.startswith("__"):
            return self._Lib_special(name)
        if name in self._Lib__declared:
            self._Lib_accessor(name)
            return object.__getattribute__(self, name)
        ffi = self._Lib__ffi
        if declared_by_includes(ffi, name):
            raise CompiledFFIError(MSG_ELSEWHERE % (name,))
        raise AttributeError(_MSG_UNDECLARED % (self._Lib__library.name, name))

    def _Lib_special(self, name):
        """The module-like attributes cffi's lib has (`__name__`, `__all__`: the functions and
        constants; `__spec__`, `__loader__`: None); other `__x__` names are not declared."""
        if name == "__name__":
            return "%s.lib" % (self._Lib__library.name,)       # as cffi names it
        if name == "__all__":
            declared = self._Lib__declared
            return [n for n in self.__dir__() if n not in declared or declared[n][0] != "variable"]
        if name in ("__spec__", "__loader__"):
            return None
        raise AttributeError(_MSG_UNDECLARED % (self._Lib__library.name, name))

    def __repr__(self):
        """cffi's repr of an out-of-line lib."""
        return "<Lib object for '%s'>" % (self._Lib__library.name,)

    def __setattr__(self, name, value):
        """Only global variables can be written; cffi's messages for the rest."""
        accessor = type(self).__dict__.get(name)
        if accessor.__class__ is _GlobalVariable:   # an installed global's (it checks that
            accessor.__set__(self, value)           # the library is open)
            return
        entry = self._Lib__declared.get(name)
        if not self._Lib__library.closed:
            if entry is None:
                self.__getattr__(name)                  # raises the undeclared-name error
            elif entry[0] != "variable":
                raise AttributeError("cannot write to function or constant '%s'" % (name,))
        if entry is not None:
            self._Lib_accessor(name)
        Lib.__setattr__(self, name, value)

    def __dir__(self):
        """Own names, and the enum values of included modules (as cffi lists them)."""
        own, constants = _own_names(self._Lib__ffi), self._Lib__ffi._decls.constants
        return sorted(name for name in Lib.__dir__(self)
                      if name in own or name not in constants or _is_enum_value(constants[name]))

    def __delattr__(self, name):
        if name not in self._Lib__declared:
            raise AttributeError(_MSG_UNDECLARED % (self._Lib__library.name, name))
        raise AttributeError("C attribute cannot be deleted")

    def _Lib_names_dict(self):
        """`lib.__dict__` as cffi's: every name resolved now (a missing symbol raises), a
        global variable as its accessor."""
        result, declared = {}, self._Lib__declared
        for name in self.__dir__():
            entry = declared.get(name)
            try:
                if entry is not None and entry[0] == "variable":
                    self._Lib_accessor(name)
                    accessor = type(self).__dict__[name]
                    accessor._resolved(self)
                    result[name] = accessor
                else:
                    result[name] = getattr(self, name)
            except AttributeError as exc:   # (a missing symbol: not "no attribute __dict__")
                raise CompiledFFIError(str(exc)) from None
        return result

    @property
    def __class__(self):
        """`module`, as cffi's lib says: `isinstance(lib, types.ModuleType)` holds."""
        return types.ModuleType

    def _Lib_addressof(self, name):
        """As in-line, except that the address of an array is a pointer to it."""
        if not isinstance(name, str):
            raise TypeError("argument 2 must be str, not %s" % (cffi_type_name(name),))
        entry = self._Lib__declared.get(name)
        if entry is None and not self._Lib__library.closed:
            return self.__getattr__(name)               # the error of an undeclared name
        if entry is not None:
            self._Lib_accessor(name)
            if entry[0] == "constant":      # a function pointer is its own address (cffi)
                value = getattr(self, name)
                if isinstance(value, CData) and value._ctype.kind == FUNCTION:
                    return value
        result = Lib._Lib_addressof(self, name)
        if entry is None or entry[0] != "variable" or entry[1][0].kind != ARRAY:
            return result
        variable = type(self).__dict__[name]._resolved(self)
        pointer = TYPES.pointer(entry[1][0])
        return make_cdata(prepare(pointer).cdata_class, pointer, variable.address,
                          self._Lib__library)


def _is_enum_value(declaration):
    """A constant that is the value of an enum."""
    ctype = declaration[0]
    return ctype is not None and ctype.kind == ENUM


def _from_included(ffi, name):
    """The value an included module's ffi.integer_const() gives `name`, or None."""
    for other in ffi._included:
        getter = getattr(other, "integer_const", None)
        try:
            return getter(name) if getter is not None else None
        except (AttributeError, CompiledFFIError):
            continue
    return None


def integer_const(ffi, name):
    """ffi.integer_const(name): the value of an integer constant (enum value, #define, or
    `static const` with a value) of the module or of a module it included."""
    if not isinstance(name, str):
        raise TypeError("argument 1 must be str, not %s"
                        % ("None" if name is None else cffi_type_name(name),))
    entry = ffi._decls.constants.get(name)
    if entry is not None and not _is_symbol_constant(name, entry) and isinstance(entry[1], int) \
            and is_integer_constant(name, entry[0]):
        return entry[1]
    if entry is not None and entry[1] is Ellipsis:
        value = _from_included(ffi, name)
        if value is not None:
            return value
    decls = ffi._decls
    if entry is not None or name in decls.functions or name in decls.variables \
            or declared_by_includes(ffi, name):
        raise CompiledFFIError(MSG_ELSEWHERE % (name,))
    raise AttributeError("integer constant '%s' not found" % (name,))


# the class of each lib: `lib.__dict__` (the instance dict stays as it is: see library._forget)
# (and no __doc__ nor __module__, as cffi's lib)
OutOfLineLib._Lib_class_namespace = {"__dict__": property(OutOfLineLib._Lib_names_dict),
                                 "__doc__": _NotThere(),
                                 "__module__": _ModuleName("_cffi_backend")}


def generated_dlopen(ffi, name, flags):
    """ffi.dlopen() of a generated module's ffi: the name as given (no guessing), or None
    for libc; an out-of-line lib."""
    if name is not None and not isinstance(name, (str, bytes, CData)):
        raise TypeError("load_library() argument 1 must be str, bytes or bytearray, "
                        "not %s" % (cffi_type_name(name),))        # (cffi's words)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    flags = operator.index(flags)       # TypeError for a non-integer, as cffi
    api_lib = ffi.__dict__.get("_api_lib")
    if api_lib is not None and not isinstance(name, CData):
        return _api_twin(api_lib, *open_library(name, flags, guess=False))
    return dlopen(ffi, name, flags, guess=False, lib_class=OutOfLineLib)


def _api_twin(api_lib, shown, handle):
    """ffi.dlopen() of an API-mode module's ffi, as cffi's: the library is opened (and kept
    open as long as the lib lives), but the lib gives the module's compiled functions,
    globals and constants, under the library's name (repr, errors); dlclose() leaves it
    working."""
    cls = type(api_lib)
    twin = type("Lib", (cls,), {"__module__": "_cffi_backend", "_pc_name": shown,
                                "_pc_library": _Library(shown, handle)})()
    object.__getattribute__(twin, "__dict__").update(
        object.__getattribute__(api_lib, "__dict__"))
    return twin
