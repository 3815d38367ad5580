"""purecffi: the C Foreign Function Interface for Python, in pure Python."""
from .api import FFI
from .errors import CDefError, FFIError, PkgConfigError, VerificationError, VerificationMissing
from .headers import cdef_from_headers

__version__ = "0.1.0"
__version_info__ = (0, 1, 0)
error = FFIError

__all__ = ["FFI", "CDefError", "FFIError", "VerificationError", "VerificationMissing",
           "PkgConfigError", "error", "cdef_from_headers"]
