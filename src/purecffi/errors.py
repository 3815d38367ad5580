"""Every exception purecffi raises of its own.

    Exception
    ├── FFIError             misuse of the ffi object or of a type (opaque, unknown layout...)
    ├── CompiledFFIError     the same, of a generated module's ffi (its `ffi.error`, shown as
    │   │                    'ffi.error', as cffi's)
    │   ├── LibraryClosedError   a lib used after ffi.dlclose() (also a ValueError)
    │   ├── SymbolNotFoundError  a declared name the library does not export (also an
    │   │   │                    AttributeError)
    │   │   └── VariableNotFoundError  such a global variable of an in-line lib (also a KeyError)
    │   └── TypeNameError        a type string the ffi of a generated module cannot read
    │                            (also a CDefError)
    ├── CDefError            a declaration in cdef() that cannot be accepted
    ├── VerificationError    the C compiler refused or could not be run (API mode, verify())
    ├── VerificationMissing  an API-mode placeholder used where no compiler filled it
    └── PkgConfigError       pkg-config failed in set_source_pkgconfig()

Conversion errors use the built-in TypeError, OverflowError, ValueError and IndexError, as cffi does.
"""

MSG_FUNCTION_TYPE = "the type '%s' is a function type, not a pointer-to-function type"
# a function type inside a type string (an item, a result): in-line ffis say it so
MSG_RENDER_FUNCTION = "cannot render the type <%s>: it is a function type, not a " \
    "pointer-to-function type"


class FFIError(Exception):
    """Misuse of the ffi object or of a C type."""


# `ffi.error` of a generated module's ffi (API mode, out-of-line ABI mode), as cffi's compiled
# ffi objects have it: a class shown as 'ffi.error' (and undocumented), which is no FFIError:
# `except cffi.FFIError` does not catch it, `except ffi.error` catches nothing else.
CompiledFFIError = type("error", (Exception,), {"__module__": "ffi", "__doc__": None})


class LibraryClosedError(CompiledFFIError, ValueError):
    """A library object used after ffi.dlclose(): ffi.error for cffi's out-of-line ABI mode,
    ValueError for its in-line mode."""


class SymbolNotFoundError(CompiledFFIError, AttributeError):
    """A declared function, variable or constant that the library does not export: ffi.error
    for cffi's out-of-line ABI mode, AttributeError for its in-line mode."""


class VariableNotFoundError(SymbolNotFoundError, KeyError):
    """A declared global variable that the library of an in-line lib does not export: also
    the KeyError cffi's in-line lib raises, whose str() quotes the message."""

    __str__ = KeyError.__str__


class CDefError(Exception):
    """A declaration in cdef() that cannot be accepted; says where and why."""

    def __str__(self):
        try:
            decl = self.args[1]
            coord = getattr(decl, "coord", None)
            if coord is not None:
                return "%s:%s: %s" % (coord.file, coord.line, self.args[0])
        except (AttributeError, IndexError, TypeError):
            pass
        return "%s" % (self.args[0],) if self.args else ""


class TypeNameError(CompiledFFIError, CDefError):
    """A type string that the ffi of a generated module cannot read: ffi.error, as cffi's
    compiled ffi objects raise, and the CDefError of an in-line ffi."""


class VerificationError(Exception):
    """The C compiler failed (its message is included) or is missing."""


class VerificationMissing(Exception):
    """An incomplete structure or placeholder that only the C compiler can complete."""


class PkgConfigError(Exception):
    """pkg-config could not give the flags asked for."""
