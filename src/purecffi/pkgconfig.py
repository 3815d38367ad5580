"""pkg-config as a library: the set_source() keywords that `pkg-config` gives for packages."""
from .build.compiler import pkgconfig_flags

__all__ = ["flags_from_pkgconfig"]


def flags_from_pkgconfig(libs):
    """The set_source() keywords (include_dirs, libraries...) for the pkg-config names `libs`."""
    return pkgconfig_flags(libs, {})
