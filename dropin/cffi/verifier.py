"""cffi.verifier's documented helpers (spec 8.9), served by purecffi."""
from purecffi.errors import VerificationError
from purecffi.verifier import Verifier, cleanup_tmpdir, set_tmpdir

__all__ = ["Verifier", "set_tmpdir", "cleanup_tmpdir", "VerificationError"]
