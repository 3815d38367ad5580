"""The common base class of every cdata (`ffi.CData`), apart so that any module can import it."""


class CData:
    """Base of every cdata object (`ffi.CData`)."""

    __slots__ = ()
    _owning = False         # True on the classes of what ffi.new() returns
    _char_items = False     # pointers and arrays of char-sized characters (for ffi.string)
    _array = False          # arrays (with a `_length`)
    _address = False        # cdata with an `_addr` (the AddrCData family)
    _struct = False         # structs and unions in memory (the StructCData family)
