"""cffi.api's public name (`FFI`), for code that imports it from there."""
from purecffi import FFI, CDefError, FFIError, VerificationError, VerificationMissing

__all__ = ["FFI", "CDefError", "FFIError", "VerificationError", "VerificationMissing"]
