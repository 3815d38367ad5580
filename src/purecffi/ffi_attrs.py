"""The attributes of a generated module's ffi as cffi's compiled ffi has them: its own state
only, no attribute set or deleted by a program (cffi's AttributeError), and type(ffi)()
taking a module name."""

from .cdatabase import cffi_type_name, set_tp_name

__all__ = ["OWN_STATE", "refusal", "check_module_name", "check_getctype", "arg_type_name",
           "name_as_cffi"]

# what purecffi keeps in the ffi of a generated module (set when the module is loaded)
OWN_STATE = frozenset((
    "_decls", "_lock", "_init_once", "_init_done", "_included", "_types", "_open_arrays",
    "_api_externs", "_api_mismatches", "_api_lib", "_data", "_module_name", "_listed"))


def refusal(ffi, name, hidden=()):
    """cffi's AttributeError for setting or deleting attribute `name` of `ffi`: read-only
    for its methods and constants, none for anything else (`hidden`: names it lacks)."""
    if not name.startswith("_") and name not in hidden and hasattr(type(ffi), name):
        return AttributeError("'_cffi_backend.FFI' object attribute '%s' is read-only" % (name,))
    return AttributeError("'_cffi_backend.FFI' object has no attribute '%s'" % (name,))


def check_module_name(module_name):
    """type(ffi)(module_name): a str, as cffi's FFI type takes (cffi's TypeError)."""
    if not isinstance(module_name, str):
        raise TypeError("FFI() argument 1 must be str, not %s" % (arg_type_name(module_name),))


def check_getctype(cdecl, replace_with, in_line, ctype_class):
    """ffi.getctype()'s arguments, refused with cffi's errors: its in-line ffi takes a type
    string or a ctype, the compiled one a str to declare (the type's own errors come later)."""
    if in_line and not isinstance(cdecl, (str, ctype_class)):
        raise TypeError("getcname() argument 1 must be _cffi_backend.CType, not %s"
                        % (arg_type_name(cdecl),))
    if not in_line and not isinstance(replace_with, str):
        raise TypeError("getctype() argument 2 must be str, not %s" % (arg_type_name(replace_with),))


def arg_type_name(value):
    """The type of an argument as CPython's argument errors name it ('None' for None)."""
    return "None" if value is None else cffi_type_name(value)


# The C-level name CPython's own messages give a compiled ffi's type ("'_cffi_backend.FFI'
# object has no attribute 'x'"), while its __name__ stays 'FFI', as cffi's.
_MSG_NO_ATTRIBUTE = "'_cffi_backend.FFI' object has no attribute '%s'"     # (cffi's words)


def name_as_cffi(cls):
    """Name the class of a compiled ffi as cffi's: __name__ 'FFI', and cffi's type name in
    CPython's messages, without a __getattr__ (which would slow every ffi.method lookup)."""
    cls.__name__ = cls.__qualname__ = "FFI"
    if not set_tp_name(cls, "_cffi_backend.FFI"):
        cls.__getattr__ = _no_attribute     # another interpreter: the same words, slower


def _no_attribute(self, name):
    """(only for a name found nowhere else) cffi's AttributeError."""
    raise AttributeError(_MSG_NO_ATTRIBUTE % (name,))
