"""C-level field reads for the structs that ffi.new() allocates: a ctypes structure mirroring
the struct's number fields is the allocated buffer (`_keep`), and the field properties of the
cdata made on it have `operator.attrgetter("_keep.f<n>")` as getter: ctypes' own field
descriptor reads the value, with no Python frame.

Only the memory of the default allocator is such a mirror (a custom allocator's, or a call
result's, is not): ffi.new() gives that memory the type's `_mirror_class` (cdata_classes.py).
"""
import ctypes
from operator import attrgetter

from .memory import buffer_type

_CTYPES = {"b": ctypes.c_int8, "B": ctypes.c_uint8, "h": ctypes.c_int16,
           "H": ctypes.c_uint16, "i": ctypes.c_int32, "I": ctypes.c_uint32,
           "q": ctypes.c_int64, "Q": ctypes.c_uint64, "f": ctypes.c_float,
           "d": ctypes.c_double}


def mirror(fields, byte_size):
    """(a ctypes structure of `byte_size` bytes, {field name: C-level getter}) for `fields`,
    a list of (name, offset, format letter) of naturally aligned number fields.  Fields that
    overlap one already mirrored (unions) keep their getter.  None if none is mirrored."""
    members, getters, end = [], {}, 0
    for name, offset, fmt in sorted(fields, key=lambda f: f[1]):
        kind = _CTYPES.get(fmt)
        if kind is None or offset < end or offset + ctypes.sizeof(kind) > byte_size:
            continue
        _pad(members, offset - end)
        member = "f%d" % (len(members),)
        members.append((member, kind))
        getters[name] = attrgetter("_keep." + member)
        end = offset + ctypes.sizeof(kind)
    if not getters:
        return None
    _pad(members, byte_size - end)
    structure = type(ctypes.Structure)("mirror", (ctypes.Structure,),
                                       {"_pack_": 1, "_fields_": members})
    if ctypes.sizeof(structure) != byte_size:
        return None
    return structure, getters


def _pad(members, size):
    if size > 0:        # (a char array type shared by size, not cached forever by ctypes)
        members.append(("_pad%d" % (len(members),), buffer_type(size)))
