"""cffi.pkgconfig: pkg-config flags for set_source(), served by purecffi."""
from purecffi.errors import PkgConfigError
from purecffi.pkgconfig import flags_from_pkgconfig

__all__ = ["flags_from_pkgconfig", "PkgConfigError"]
