"""cffi.error's exception classes, for code that imports them from there."""
from purecffi import (CDefError, FFIError, PkgConfigError, VerificationError,
                      VerificationMissing)

__all__ = ["FFIError", "CDefError", "VerificationError", "VerificationMissing",
           "PkgConfigError"]
