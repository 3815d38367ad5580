"""Which implementation the tests exercise: purecffi, or cffi as an oracle.

Set PURECFFI_TEST_AGAINST=cffi to run a test file against the installed cffi; a test that
fails there is testing the wrong thing.  Everything imports FFI and the error classes from here.
"""
import os

AGAINST = os.environ.get("PURECFFI_TEST_AGAINST", "purecffi")
if AGAINST == "cffi":
    import cffi as backend
else:
    import purecffi as backend

FFI = backend.FFI
CDefError = backend.CDefError
FFIError = backend.FFIError
VerificationError = backend.VerificationError
IS_CFFI = AGAINST == "cffi"
