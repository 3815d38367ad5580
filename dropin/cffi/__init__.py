"""cffi's import names, served by purecffi (the drop-in: no logic of its own)."""
from purecffi import (FFI, CDefError, FFIError, PkgConfigError, VerificationError,
                      VerificationMissing)

# the cffi release whose interface this drop-in stands for; the distribution's version
# (2.0.0+purecffi.X) names the purecffi that provides it
__version__ = "2.0.0"
__version_info__ = (2, 0, 0)

__all__ = ["FFI", "CDefError", "FFIError", "VerificationError", "VerificationMissing",
           "PkgConfigError"]
