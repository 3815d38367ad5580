"""cffi.ffiplatform's exception classes, for code that imports them from there."""
from purecffi import VerificationError, VerificationMissing

__all__ = ["VerificationError", "VerificationMissing"]
