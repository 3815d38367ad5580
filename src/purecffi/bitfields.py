"""Bit-field properties of struct classes: per field, the window of memory holding it is
chosen once (one aligned-width integer read with `struct`, when the struct has room for it),
so a read is one unpack, a shift and a mask, and a write one read-modify-write."""
import struct

from .convert import bitfield_range, read_bitfield, write_bitfield
from .memory import MEM

_WIDTHS = {1: "<B", 2: "<H", 4: "<I", 8: "<Q"}


def bitfield_accessors(struct_type, field, null_error):
    """(getter, setter) of the bit-field `field` of `struct_type` for a cdata class."""
    window = bit_window(struct_type, field)
    if window is None:
        return _general_accessors(field, null_error)
    first, width, shift = window
    codec = struct.Struct(_WIDTHS[width])
    unpack, pack = codec.unpack_from, codec.pack_into
    mask = (1 << field.bitsize) - 1
    lo, hi = bitfield_range(field)
    sign = -lo          # the sign bit of a signed field, else 0
    write_general = write_bitfield

    def get(self):
        address = self._addr
        if address:
            value = (unpack(MEM, address + first)[0] >> shift) & mask
            if value & sign:
                return value - (sign << 1)
            return value
        raise null_error(self._ctype)

    def put(self, value):
        address = self._addr
        if not address:
            raise null_error(self._ctype)
        if value.__class__ is int and lo <= value <= hi:
            where = address + first
            raw = unpack(MEM, where)[0]
            pack(MEM, where, (raw & ~(mask << shift)) | ((value & mask) << shift))
            return
        write_general(field, address, value)     # the checks and cffi's errors
    return get, put


def lent_bitfield(struct_type, field):
    """What an API module's C reads to read and write the bit-field `field` as the accessors
    above do (build/api_accel_fields.py): (first byte, (width | shift << 8 | bits << 16 |
    signed << 24, lowest, highest value written)), or None if no single integer covers it."""
    window = bit_window(struct_type, field)
    if window is None:
        return None
    first, width, shift = window
    lo, hi = bitfield_range(field)
    return first, (width | shift << 8 | field.bitsize << 16 | (lo < 0) << 24, lo, hi)


def bit_window(struct_type, field):
    """(first byte, width in bytes, shift) of an integer of 1, 2, 4 or 8 bytes covering the
    field and within the struct, or None."""
    start, bits = field.bit_position, field.bitsize
    if bits <= 0:
        return None
    first = start // 8
    needed = (start + bits - 1) // 8 - first + 1
    for width in (1, 2, 4, 8):
        if width >= needed:
            if first + width > struct_type.byte_size:
                first = max(0, (start + bits - 1) // 8 + 1 - width)
                if first * 8 > start or first + width > struct_type.byte_size:
                    return None
            return first, width, start - first * 8
    return None


def _general_accessors(field, null_error):
    """The accessors for a field no single integer of the struct covers."""
    def get(self):
        address = self._addr
        if not address:
            raise null_error(self._ctype)
        return read_bitfield(field, address)

    def put(self, value):
        address = self._addr
        if not address:
            raise null_error(self._ctype)
        write_bitfield(field, address, value)
    return get, put
