"""purecffi: the C Foreign Function Interface for Python, in pure Python."""
from .api import FFI
from .errors import CDefError, FFIError, PkgConfigError, VerificationError, VerificationMissing
from .accel import load_speedups as _load_speedups

__version__ = "0.1.0"
__version_info__ = (0, 1, 0)
error = FFIError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .headers import cdef_from_headers
else:
    def __getattr__(name):
        """cdef_from_headers is imported on first use (importing purecffi stays light)."""
        if name == "cdef_from_headers":
            from .headers import cdef_from_headers
            return cdef_from_headers
        raise AttributeError("module 'purecffi' has no attribute %r" % (name,))

_load_speedups()     # the optional C methods (purecffi/accel.py)

__all__ = ["FFI", "CDefError", "FFIError", "VerificationError", "VerificationMissing",
           "PkgConfigError", "error", "cdef_from_headers"]
