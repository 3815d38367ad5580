"""mesonexample: a C function built by meson from purecffi's generated source."""
from ._example import ffi, lib


def clamp(low, high, value):
    """`value` limited to [low, high], computed in C."""
    return lib.clamp(ffi.new("struct range *", [low, high]), value)
