"""Conversions of scalar C values (integers, _Bool, chars, floats, long double, complex) and
the conversion error messages: the number rows of the spec's Conversions table (7.2)."""
import _codecs
import ctypes
import math
import struct
import sys

from . import platform as plat
from .ctype import ENUM, PRIMITIVE, TYPES
from .cdatabase import CData, cffi_type_name, tp_name
from .cdata_value import ValueCData, value_cdata
from .memory import MEM

_INF = float("inf")


# -- Error messages (one table) ----
def _type_name(value):
    if isinstance(value, CData):
        return "cdata '%s'" % (value._ctype.cname,)
    return tp_name(type(value))     # ('_io.TextIOWrapper', as cffi's messages name it)


def _char_init_error(ctype, expected, value):
    """TypeError for a value of the wrong kind written into a char or wchar_t `ctype`: cffi
    names a cdata's class there ('_CDataBase', '__CDataOwn'...), not its C type."""
    if isinstance(value, CData) and value._ctype.cname != ctype.cname:
        return TypeError("initializer for ctype '%s' must be a %s, not %s"
                         % (_char_name(ctype), expected, cffi_type_name(value)))
    return bad_init(ctype, expected, value)


def bad_init(ctype, expected, value):
    """TypeError for a value of the wrong kind written into `ctype`."""
    if isinstance(value, CData) and value._ctype.cname == ctype.cname \
            and value._ctype is not ctype:
        # the same spelling, another type: two ffi's declarations (cffi's words)
        return TypeError("initializer for ctype '%s' appears indeed to be '%s', but the types "
                         "are different (check that you are not e.g. mixing up different ffi "
                         "instances)" % (ctype.cname, ctype.cname))
    return TypeError("initializer for ctype '%s' must be a %s, not %s"
                     % (ctype.cname, expected, _type_name(value)))


def out_of_range(ctype, value, source=None):
    """OverflowError for an integer that does not fit (cffi's three messages).

    `source` is the object the integer came from when it was not an int (a cdata, an object
    with __int__): cffi names it, not its integer value."""
    base = ctype.base if ctype.kind == ENUM else ctype
    if value < 0 and not getattr(base, "signed", True):
        return OverflowError("can't convert negative number to unsigned")
    if not -(1 << 63) <= value < (1 << 64 if value >= 0 and not base.signed else 1 << 63):
        return OverflowError("int too big to convert")
    shown = value if source is None else source
    return OverflowError("integer %s does not fit '%s'" % (shown, ctype.cname))


def not_an_integer(value):
    """TypeError for a value written into an integer type that is not an integer."""
    if isinstance(value, CData) and not isinstance(value, ValueCData):
        return TypeError("int() not supported on cdata '%s'" % (value._ctype.cname,))
    if isinstance(value, ValueCData) and value._category() == plat.COMPLEX:
        return TypeError("int() not supported on cdata '%s'" % (value._ctype.cname,))
    return TypeError("an integer is required")


def not_a_real_number(value):
    """TypeError for a value written into a floating-point type that is not a number."""
    if isinstance(value, CData):
        return TypeError("float() not supported on cdata '%s'" % (value._ctype.cname,))
    return TypeError("must be real number, not %s" % (tp_name(type(value)),))


# -- Integers ----
def to_int(ctype, value):
    """Check and convert a Python value written into an integer (or enum) C type."""
    if isinstance(value, int):
        result = int(value)
    elif value.__class__ is ValueCData and value._value.__class__ is int:
        result = value._value           # an integer, enum or _Bool cdata
    else:
        result = _integer_of(value)
    base = ctype.base if ctype.kind == ENUM else ctype
    lo, hi = plat.int_bounds(base.byte_size, base.signed)
    if not lo <= result <= hi:
        raise out_of_range(ctype, result, None if isinstance(value, int) else value)
    return result


def _integer_of(value):
    """The integer of a value that is not an int: integer cdata, objects with __int__."""
    if isinstance(value, float):
        raise not_an_integer(value)
    if isinstance(value, ValueCData) and value._ctype.kind in (PRIMITIVE, ENUM) \
            and value._category() not in (plat.FLOAT, plat.LONGDOUBLE, plat.COMPLEX):
        return value._as_int()          # "not a float!" (7.2) holds for float cdata too
    if isinstance(value, CData):
        raise not_an_integer(value)
    if hasattr(value, "__int__") and not isinstance(value, (str, bytes)):
        # (as cffi: __int__, not __index__ alone; Decimal(1.5) and Fraction(1, 2) truncate)
        return int_of_object(value)
    raise not_an_integer(value)


def int_of_object(value, failed="integer conversion failed"):
    """What `value.__int__()` returns, which must be an int: cffi's TypeError `failed` if
    not (int() would say "__int__ returned non-int")."""
    result = type(value).__int__(value)
    if not isinstance(result, int):
        raise TypeError(failed)
    return int(result)


def _read_int(ctype, rt):
    unpack = rt.unpack

    def read(address, keep=None):
        return unpack(MEM, address)[0]
    return read


def _write_int(ctype, rt):
    pack = rt.pack
    base = ctype.base if ctype.kind == ENUM else ctype
    lo, hi = plat.int_bounds(base.byte_size, base.signed)

    def write(address, value):
        # check the range first: struct.pack_into zeroes the bytes before refusing a value
        if value.__class__ is int and lo <= value <= hi:
            pack(MEM, address, value)
            return
        pack(MEM, address, to_int(ctype, value))
    return write


# -- _Bool ----
def to_bool(ctype, value):
    """Only 0, 1, False and True (or what converts to them as an integer) go into a _Bool."""
    if value is True or value is False or (isinstance(value, int) and value in (0, 1)):
        return int(value)
    if isinstance(value, int):
        raise out_of_range(ctype, int(value))
    result = _integer_of(value)         # integer cdata, __int__ objects, as cffi
    if result not in (0, 1):
        raise out_of_range(ctype, result, value)
    return result


def _read_bool(ctype, rt):
    unpack = rt.unpack

    def read(address, keep=None):
        value = unpack(MEM, address)[0]
        if value > 1:
            raise ValueError("got a _Bool of value %d, expected 0 or 1" % (value,))
        return value == 1
    return read


def _packing_writer(to_code):
    """A writer builder: check/convert with `to_code(ctype, value)`, then pack."""
    def build(ctype, rt):
        pack = rt.pack

        def write(address, value):
            pack(MEM, address, to_code(ctype, value))
        return write
    return build


_write_bool = _packing_writer(to_bool)


# -- char ----
def to_char(ctype, value):
    """A bytes of length 1 (or a char cdata) as the byte."""
    if isinstance(value, bytes) and len(value) == 1:     # (not a bytearray, as cffi)
        return bytes(value)
    if isinstance(value, ValueCData) and getattr(value._ctype, "category", None) == plat.CHAR:
        return value._value
    raise _char_init_error(ctype, "bytes of length 1", value)


def _read_char(ctype, rt):
    def read(address, keep=None):
        return MEM[address:address + 1].tobytes()
    return read


def _write_char(ctype, rt):
    def write(address, value):
        if value.__class__ is bytes and len(value) == 1:
            MEM[address] = value[0]
        else:
            MEM[address] = to_char(ctype, value)[0]
    return write


# -- wchar_t, char16_t, char32_t ----
def to_wchar(ctype, value):
    """A str of length 1 as a code unit (a surrogate pair is two characters here, as cffi:
    only strings written into arrays join them)."""
    if isinstance(value, ValueCData) and getattr(value._ctype, "category", None) == plat.WCHAR \
            and value._ctype.byte_size == ctype.byte_size:      # (char16_t is no char32_t)
        value = value._value
        if value.__class__ is int:      # a code no str holds: copied as it is, as cffi
            return _as_code_unit(ctype, value)
    if isinstance(value, str) and len(value) == 1:
        code = ord(value)
        if code > 0xFFFF and ctype.byte_size == 2:
            raise TypeError("initializer for ctype '%s' must be a unicode string of length "
                            "1, not larger-than-0xFFFF character" % (_char_name(ctype),))
        return code
    if isinstance(value, str):
        raise TypeError("initializer for ctype '%s' must be a unicode string of length 1, not "
                        "unicode string of length %d" % (_char_name(ctype), len(value)))
    if isinstance(value, CData):
        raise _char_init_error(ctype, "unicode string of length 1", value)
    raise TypeError("initializer for ctype '%s' must be a unicode string of length 1, not %s"
                    % (_char_name(ctype), _type_name(value)))


def _as_code_unit(ctype, code):
    """`code` (of a character cdata of the same size) in the range of `ctype`'s unit."""
    bits = 8 * ctype.byte_size
    code &= (1 << bits) - 1
    return code - (1 << bits) if ctype.signed and code >> (bits - 1) else code


def _char_name(ctype):
    """The name cffi's character errors give a character type: wchar_t is named as the
    charN_t of its size."""
    if ctype.cname == "wchar_t":
        return "char32_t" if ctype.byte_size == 4 else "char16_t"
    return ctype.cname


def code_to_str(ctype, code):
    """The str for one code unit read from memory."""
    if code < 0 or code > 0x10FFFF:
        raise ValueError("%s out of range for '%s': not a unicode character" % (code, ctype.cname))
    return chr(code)


def _read_wchar(ctype, rt):
    unpack = rt.unpack

    def read(address, keep=None):
        code = unpack(MEM, address)[0]
        if 0 <= code <= 0x10FFFF:           # code_to_str(), inlined for the common case
            return chr(code)
        return code_to_str(ctype, code)     # (raises)
    return read


_write_wchar = _packing_writer(to_wchar)


def encode_unicode(ctype, text):
    """Code units for a str stored in a `ctype` array (UTF-16 with surrogates for 2 bytes)."""
    if ctype.byte_size == 2:
        data = text.encode("utf-16-le", "surrogatepass")
        return list(struct.unpack("<%dH" % (len(data) // 2), data))
    return [ord(c) for c in text]


_WIDE_ENCODERS = {2: _codecs.utf_16_le_encode, 4: _codecs.utf_32_le_encode} \
    if sys.byteorder == "little" else {2: _codecs.utf_16_be_encode, 4: _codecs.utf_32_be_encode}


def encode_wide(ctype, text):
    """The bytes of a str stored in a `ctype` array, in native order (UTF-16 with surrogates
    for 2 bytes; lone surrogates kept), encoded in C."""
    return _WIDE_ENCODERS[ctype.byte_size](text, "surrogatepass")[0]


def wide_encoder(ctype):
    """The C encoder encode_wide() uses for `ctype`: encoder(text, "surrogatepass")[0]."""
    return _WIDE_ENCODERS[ctype.byte_size]


def decode_unicode(ctype, codes):
    """A str from code units read from a `ctype` array."""
    if ctype.byte_size == 2:
        data = struct.pack("<%dH" % len(codes), *codes)
        return data.decode("utf-16-le", "surrogatepass")
    return "".join(code_to_str(ctype, c) for c in codes)


# -- float, double ----
def to_float(ctype, value):
    """Anything float() accepts, except strings."""
    if isinstance(value, ValueCData) and value._category() in (plat.FLOAT, plat.LONGDOUBLE):
        return value.__float__()
    if isinstance(value, (str, bytes, complex, CData)) or not hasattr(value, "__float__") \
            and not hasattr(value, "__index__"):
        raise not_a_real_number(value)
    return float(value)


def _read_float(ctype, rt):
    fmt = "f" if ctype.byte_size == 4 else "d"
    unpack = struct.Struct(fmt).unpack_from
    rt.fmt, rt.unpack, rt.pack = fmt, unpack, struct.Struct(fmt).pack_into

    def read(address, keep=None):
        return unpack(MEM, address)[0]
    return read


def _write_float(ctype, rt):
    pack = struct.Struct("f" if ctype.byte_size == 4 else "d").pack_into

    def write(address, value):
        # convert first: struct.pack_into zeroes the bytes before refusing a value
        if value.__class__ is not float:
            value = to_float(ctype, value)
        try:
            pack(MEM, address, value)
        except OverflowError:               # too large for a C float
            pack(MEM, address, float32(value))
    return write


def float32(number):
    """The double `number` converted to C float: rounded, and +-inf beyond float's range
    (where struct refuses it)."""
    try:
        return _FLOAT32.unpack(_FLOAT32.pack(number))[0]
    except OverflowError:
        return math.copysign(_INF, number)


_FLOAT32 = struct.Struct("f")


# -- long double: kept as cdata on reading (footnote 3) ----
_LD = ctypes.c_longdouble
LONGDOUBLE_BYTES = ctypes.sizeof(_LD)


def longdouble_bytes(value):
    """The raw bytes of `value` as a C long double."""
    if isinstance(value, ValueCData) and getattr(value._ctype, "category", None) == plat.LONGDOUBLE:
        return value._value
    return bytes(_LD(to_float(_LONGDOUBLE, value)))


_LONGDOUBLE = TYPES.primitive("long double")     # (what the messages of to_float() name)


def _read_longdouble(ctype, rt):

    def read(address, keep=None):
        return value_cdata(ctype, MEM[address:address + LONGDOUBLE_BYTES].tobytes())
    return read


def _write_longdouble(ctype, rt):
    at = _LD.from_address

    def write(address, value):
        if value.__class__ is float:        # the common case: ctypes converts in place
            at(address).value = value
            return
        MEM[address:address + LONGDOUBLE_BYTES] = longdouble_bytes(value)
    return write


# -- complex ----
def to_complex(ctype, value):
    """Anything complex() accepts, except strings."""
    if isinstance(value, ValueCData) and value._category() == plat.COMPLEX:
        return complex(value)
    if isinstance(value, CData):        # even a 'double' cdata, as in cffi (ffi.cast converts)
        raise TypeError("complex() not supported on cdata '%s'" % (value._ctype.cname,))
    if isinstance(value, (str, bytes)) or not (isinstance(value, complex) or hasattr(
            value, "__complex__") or hasattr(value, "__float__") or hasattr(value, "__index__")):
        # (a complex has no __complex__ before Python 3.11)
        raise TypeError("must be real number, not %s" % (tp_name(type(value)),))
    return complex(value)


def _read_complex(ctype, rt):
    unpack = rt.unpack

    def read(address, keep=None):
        re, im = unpack(MEM, address)
        return complex(re, im)
    return read


def _write_complex(ctype, rt):
    pack = rt.pack

    def write(address, value):
        c = to_complex(ctype, value)
        pack(MEM, address, c.real, c.imag)
    return write
