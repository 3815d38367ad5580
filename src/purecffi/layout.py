"""Struct and union layout: sizes, alignments, field offsets, bitfields and packing.

One strategy class per ABI.  `SysVLayout` follows the System V AMD64 psABI (section 3.1.2,
"Aggregates and Unions", "Bit-Fields") as gcc implements it, including gcc's rules for
`__attribute__((packed))` (packed=True) and `#pragma pack(N)` (pack=N).
"""
from .ctype import ARRAY, UNION, CField, opaque_error, set_layout_rule
from .errors import CDefError

# -- Field flags (cffi compatible values) ----
FLAG_IGNORE_IN_CTOR = 1     # a union member after the first: not filled from a list initializer


class SysVLayout:
    """gcc's layout on System V ABIs (x86-64 Linux and friends)."""

    def lay_out(self, ctype, decl_fields, packed=False, pack=None):
        """Return (fields, byte_size, byte_align) for a struct or union."""
        if pack is not None and (pack <= 0 or pack & (pack - 1)):
            raise CDefError("pack=%r: must be a power of two" % (pack,))
        cap = 1 if packed else pack
        state = _State(ctype.kind == UNION)
        for index, (name, ftype, bitsize) in enumerate(decl_fields):
            self._check_field(ctype, name, ftype, bitsize, index, len(decl_fields))
            if bitsize >= 0:
                self._place_bitfield(state, name, ftype, bitsize, cap, packed)
            else:
                self._place_field(state, name, ftype, cap)
        return state.finish()

    # -- Checks ----
    def _check_field(self, ctype, name, ftype, bitsize, index, count):
        """Refuse fields whose layout cannot be known."""
        if ftype.kind == ARRAY and ftype.length is None:
            if index != count - 1 or ctype.kind == UNION:
                raise CDefError("%s: flexible array member '%s' must be the last field"
                                % (ctype.cname, name))
            if ftype.item.byte_size < 0:
                raise opaque_error(ftype.item)
            return
        if ftype.byte_size < 0:
            raise opaque_error(ftype)
        if bitsize >= 0:
            if ftype.kind not in ("primitive", "enum") or getattr(ftype, "category", "int") \
                    not in ("int", "char", "bool"):
                raise CDefError("%s: bitfield '%s' has a non-integer type %s"
                                % (ctype.cname, name, ftype.cname))
            if bitsize > 8 * ftype.byte_size:
                raise CDefError("%s: bitfield '%s' is wider (%d bits) than its type %s"
                                % (ctype.cname, name, bitsize, ftype.cname))
            if bitsize == 0 and name:
                raise CDefError("%s: zero-width bitfield '%s' must be unnamed"
                                % (ctype.cname, name))

    # -- Ordinary fields ----
    def _place_field(self, state, name, ftype, cap):
        align = ftype.item.byte_align if ftype.kind == ARRAY and ftype.length is None \
            else ftype.byte_align
        if cap is not None:
            align = min(align, cap)
        size = max(ftype.byte_size, 0)
        byte_offset = 0 if state.is_union else _round_up((state.bit_offset + 7) // 8, align)
        state.add(name, CField(name, ftype, byte_offset), byte_offset * 8 + size * 8, align)

    # -- Bitfields ----
    def _place_bitfield(self, state, name, ftype, bitsize, cap, packed):
        """gcc: a bitfield may not span more alignment units of its type than the type itself."""
        unit_bits = 8 * ftype.byte_size
        align_bits = 8 * (ftype.byte_align if cap is None else min(ftype.byte_align, cap))
        start = 0 if state.is_union else state.bit_offset
        if bitsize == 0:
            # an unnamed zero-width bitfield pads to the next unit of its type
            state.bit_offset = max(state.bit_offset, _round_up(start, align_bits))
            return
        if not packed and _round_up(start % align_bits + bitsize, align_bits) > unit_bits:
            start = _round_up(start, align_bits)
        # `offset` and `bitshift` count from the start of the (packed) alignment unit holding
        # the first bit, as cffi reports them (reads and writes use `bit_position`)
        unit_offset = (start // align_bits) * (align_bits // 8)
        field = CField(name, ftype, unit_offset, start - unit_offset * 8, bitsize,
                       bit_position=start)
        # named bitfields give the struct their type's alignment; unnamed ones do not
        align = (1 if packed else align_bits // 8) if name else 1
        state.add(name or None, field, start + bitsize, align)


class _State:
    """The running state of one layout computation."""

    def __init__(self, is_union):
        self.is_union = is_union
        self.bit_offset = 0
        self.align = 1
        self.fields = []

    def add(self, name, field, end_bit, align):
        """Record a field that ends at `end_bit` and needs `align`."""
        if name is not None:
            if self.is_union and self.fields:
                field.add_flags(FLAG_IGNORE_IN_CTOR)
            self._append(name, field)
        self.bit_offset = max(self.bit_offset, end_bit)
        self.align = max(self.align, align)

    def _append(self, name, field):
        """Add a field, flattening an anonymous struct/union member into its fields."""
        ftype = field.type
        if name.startswith("$") and ftype.kind in ("struct", "union") and ftype._fields is not None:
            for sub_name, sub in ftype._fields:
                flat = CField(sub_name, sub.type, field.offset + sub.offset, sub.bitshift,
                              sub.bitsize, sub.flags | field.flags,
                              bit_position=field.offset * 8 + sub.bit_position)
                self.fields.append((sub_name, flat))
            return
        self.fields.append((name, field))

    def finish(self):
        """(fields, byte_size, byte_align)."""
        size = _round_up((self.bit_offset + 7) // 8, self.align)
        return self.fields, size, self.align


def _round_up(value, align):
    return (value + align - 1) // align * align


DEFAULT = SysVLayout()


def lay_out(ctype, decl_fields, packed=False, pack=None):
    """Lay out a struct or union with the platform's rules."""
    return DEFAULT.lay_out(ctype, decl_fields, packed, pack)


set_layout_rule(lay_out)      # StructOrUnionType.complete() lays out with it
