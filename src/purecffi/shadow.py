"""C-level field reads for the structs that ffi.new() allocates: a ctypes structure mirroring
the struct's number fields and bit-fields is the allocated buffer (`_keep`), and the field
properties of the cdata made on it have `operator.attrgetter("_keep.f<n>")` as getter
(cdata_classes.py): ctypes' own field descriptor reads the value, with no Python frame.
Bit-fields sharing a storage unit are one ctypes unit with padding bits around them; each is
checked once against its own bits (a ctypes laying them out otherwise gets no bit-field
getters).

Only the memory of the default allocator is such a mirror (a custom allocator's, or a call
result's, is not): ffi.new() gives that memory the type's `_mirror_class` (cdata_classes.py).
"""
import ctypes

from .memory import buffer_type

_CTYPES = {"b": ctypes.c_int8, "B": ctypes.c_uint8, "h": ctypes.c_int16,
           "H": ctypes.c_uint16, "i": ctypes.c_int32, "I": ctypes.c_uint32,
           "q": ctypes.c_int64, "Q": ctypes.c_uint64, "f": ctypes.c_float,
           "d": ctypes.c_double}


def mirror(fields, byte_size, bitfields=()):
    """(a ctypes structure of `byte_size` bytes, {field name: its member's name}) for `fields`,
    a list of (name, offset, format letter) of naturally aligned number fields, and
    `bitfields`, a list of (name, bit position, bit size, signed).  Fields that overlap one
    already mirrored (unions) keep their getter.  None if none is mirrored."""
    items = [(offset, offset, _CTYPES[fmt], name) for name, offset, fmt in fields
             if fmt in _CTYPES] + _bit_units(bitfields)
    members, getters, end = [], {}, 0
    for lowest, highest, kind, what in sorted(items, key=lambda item: item[1]):
        size = ctypes.sizeof(kind)
        offset = max(lowest, end)       # (a bit unit may start anywhere in its range)
        if offset > highest or offset + size > byte_size:
            continue
        _pad(members, offset - end)
        if isinstance(what, str):
            member = "f%d" % (len(members),)
            members.append((member, kind))
            getters[what] = member
        else:
            _add_bit_unit(members, getters, kind, [(name, position - offset * 8, bits, signed)
                                                   for name, position, bits, signed in what])
        end = offset + size
    if not getters:
        return None
    _pad(members, byte_size - end)
    structure = type(ctypes.Structure)("mirror", (ctypes.Structure,),
                                       {"_pack_": 1, "_fields_": members})
    if ctypes.sizeof(structure) != byte_size:
        return None
    if bitfields and not _bits_read_right(structure, getters, bitfields, byte_size):
        return mirror(fields, byte_size)        # (this ctypes lays them out otherwise)
    return structure, getters


_UNITS = {1: (ctypes.c_uint8, ctypes.c_int8), 2: (ctypes.c_uint16, ctypes.c_int16),
          4: (ctypes.c_uint32, ctypes.c_int32), 8: (ctypes.c_uint64, ctypes.c_int64)}


def _bit_units(bitfields):
    """The bit-fields as ctypes storage units: (lowest and highest byte offset the unit may
    start at, its unsigned ctypes integer, the fields [(name, bit position, bit size,
    signed)]), consecutive fields within 8 bytes sharing a unit."""
    units, group = [], []
    for field in sorted(bitfields, key=lambda f: f[1]):
        if field[2] <= 0:
            continue
        if group and (field[1] < group[-1][1] + group[-1][2]
                      or field[1] + field[2] > group[0][1] // 8 * 8 + 64):
            units.append(_unit(group))
            group = []
        group.append(field)
    if group:
        units.append(_unit(group))
    return [unit for unit in units if unit is not None]


def _unit(group):
    """One storage unit for the bit-fields of `group` (sorted, not overlapping), or None: the
    narrowest that covers them, starting at their first byte or up to that much earlier."""
    first = group[0][1] // 8
    stop = (group[-1][1] + group[-1][2] + 7) // 8
    width = next((w for w in (1, 2, 4, 8) if w >= stop - first), None)
    if width is None:
        return None
    return max(0, stop - width), first, _UNITS[width][0], group


def _add_bit_unit(members, getters, kind, fields):
    """The members of one storage unit: each field (name, shift in the unit, bit size,
    signed), with padding bits around them."""
    width = ctypes.sizeof(kind)
    signed_kind = _UNITS[width][1]
    at = 0
    for name, shift, bits, signed in fields:
        if shift > at:
            members.append(("_bits%d" % (len(members),), kind, shift - at))
        member = "f%d" % (len(members),)
        members.append((member, signed_kind if signed else kind, bits))
        getters[name] = member
        at = shift + bits
    if width * 8 > at:
        members.append(("_bits%d" % (len(members),), kind, width * 8 - at))


def _bits_read_right(structure, getters, bitfields, byte_size):
    """Whether the mirror reads each bit-field from its own bits: all of them set, with all
    others clear, reads -1 (signed) or the largest value; the opposite reads 0."""
    memory = bytearray(byte_size)
    view = structure.from_buffer(memory)
    for name, position, bits, signed in bitfields:
        member = getters.get(name)
        if member is None:
            continue
        mask = ((1 << bits) - 1) << position
        memory[:] = mask.to_bytes(byte_size, "little")
        if getattr(view, member) != (-1 if signed else (1 << bits) - 1):
            return False
        memory[:] = (~mask & ((1 << byte_size * 8) - 1)).to_bytes(byte_size, "little")
        if getattr(view, member) != 0:
            return False
    return True


def _pad(members, size):
    if size > 0:        # (a char array type shared by size, not cached forever by ctypes)
        members.append(("_pad%d" % (len(members),), buffer_type(size)))
