"""ffi.cast(): reinterpreting a value as another C type, with no range checks."""

from . import platform as plat
from .call import file_pointer
from .cdata import AddrCData
from .cdata_make import pointer_to
from .cdata_value import ValueCData, value_cdata
from .cdatabase import CData, make_cdata, tp_name
from .convert import function_address, prepare
from .convert_scalar import float32, int_of_object, longdouble_bytes, to_complex, to_float
from .ctype import ARRAY, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, TYPES

_new_object = object.__new__


# -- ffi.cast ----
def cast(ctype, value):
    """`ffi.cast(ctype, value)`: reinterpret without range checks."""
    rt = ctype._rt or prepare(ctype)
    if rt.cast is None:
        rt.cast = _make_cast(ctype)
    return rt.cast(value)


def _make_cast(ctype):
    """The cast function of a type: integers get a fast path for Python ints."""
    base = ctype.base if ctype.kind == ENUM else ctype
    if ctype.kind in (PRIMITIVE, ENUM) and getattr(base, "category", None) == plat.INT:
        size, signed = base.byte_size, base.signed
        mask = (1 << (8 * size)) - 1
        half = 1 << (8 * size - 1) if signed else 0

        def cast_int(value):
            kind = value.__class__
            if kind is int or kind is bool:
                result = _new_object(ValueCData)        # value_cdata(), inlined
                result._ctype, result._value = ctype, ((value + half) & mask) - half
                return result
            if kind is float:           # truncated (NaN: ValueError, infinities: OverflowError)
                result = _new_object(ValueCData)
                result._ctype, result._value = ctype, ((int(value) + half) & mask) - half
                return result
            if isinstance(value, CData) and value._address and not value._struct:
                result = _new_object(ValueCData)        # a pointer's address
                result._ctype, result._value = ctype, ((value._addr + half) & mask) - half
                return result
            if value.__class__ is ValueCData and value._value.__class__ is int:
                result = _new_object(ValueCData)        # an integer or enum cdata
                result._ctype, result._value = ctype, ((value._value + half) & mask) - half
                return result
            return value_cdata(ctype, _wrap(_source_int(value, ctype), size, signed))
        return cast_int
    if ctype.kind == POINTER:
        return _make_cast_pointer(ctype, ctype._rt or prepare(ctype))
    if ctype.kind == PRIMITIVE and getattr(ctype, "category", None) == plat.FLOAT:
        return _make_cast_float(ctype)
    if ctype.kind == PRIMITIVE and getattr(ctype, "category", None) == plat.CHAR:
        return _make_cast_char(ctype)
    if ctype.kind == PRIMITIVE and getattr(ctype, "category", None) == plat.BOOL:
        return _make_cast_bool(ctype)
    return lambda value: _cast_slow(ctype, value)


def _make_cast_bool(ctype):
    """The cast function of _Bool: a fast path for Python ints, bools and floats."""
    def cast_bool(value):
        kind = value.__class__
        if kind is int or kind is bool or kind is float:
            result = _new_object(ValueCData)            # value_cdata(), inlined
            result._ctype, result._value = ctype, value != 0
            return result
        return _cast_to_primitive(ctype, value)
    return cast_bool


_ONE_BYTE = tuple(bytes((b,)) for b in range(256))


def _make_cast_char(ctype):
    """The cast function of char: fast paths for an int and a bytes of length 1."""
    def cast_char(value):
        if value.__class__ is int:
            value = _ONE_BYTE[value & 0xFF]
        elif value.__class__ is not bytes or len(value) != 1:
            return _cast_to_primitive(ctype, value)
        result = _new_object(ValueCData)                # value_cdata(), inlined
        result._ctype, result._value = ctype, value
        return result
    return cast_char


def _make_cast_pointer(ctype, rt):
    """The cast function of a pointer type: a fast path for a pointer or array cdata and for
    an int (the result made as pointer_to() does, without the frames: pointer classes only
    set slots)."""
    def cast_pointer(value):
        if isinstance(value, CData) and value._address and not value._struct:
            address = value._addr
            keep = value._keep if value._cast_keeps else None
        elif value.__class__ is int:
            address, keep = value & _ADDRESS_MASK, None
        else:
            return _cast_to_pointer(ctype, value)
        fast = rt.fast_class
        if fast is not None and address and not address & rt.align_mask:
            viewing = rt.cast_class
            if viewing is not None:
                result = _new_object(viewing)
                result._v = None
            else:
                result = _new_object(fast)
        else:
            result = _new_object(rt.cdata_class)
        result._ctype, result._addr, result._keep = ctype, address, keep
        return result
    return cast_pointer


_ADDRESS_MASK = plat.ADDRESS_MASK


def _make_cast_float(ctype):
    """The cast function of float or double: a fast path for a Python float."""
    if ctype.byte_size == 4:
        def cast_float(value):
            kind = value.__class__
            if kind is float or kind is int:        # (an int too large: float()'s OverflowError)
                result = _new_object(ValueCData)        # value_cdata(), inlined
                result._ctype, result._value = ctype, float32(float(value))
                return result
            return _cast_to_primitive(ctype, value)
        return cast_float

    def cast_double(value):
        kind = value.__class__
        if kind is float:
            result = _new_object(ValueCData)            # value_cdata(), inlined
            result._ctype, result._value = ctype, value
            return result
        if kind is int:
            result = _new_object(ValueCData)
            result._ctype, result._value = ctype, float(value)
            return result
        if value.__class__ is ValueCData:               # an integer or double cdata
            number = value._value
            if number.__class__ is int or number.__class__ is float:
                result = _new_object(ValueCData)
                result._ctype, result._value = ctype, float(number)
                return result
        return _cast_to_primitive(ctype, value)
    return cast_double


def _cast_slow(ctype, value):
    kind = ctype.kind
    if kind in (POINTER, FUNCTION):
        return _cast_to_pointer(ctype, value)
    if kind == ENUM or (kind == PRIMITIVE and hasattr(ctype, "category")):
        return _cast_to_primitive(ctype, value)
    if kind == ARRAY and isinstance(ctype.length, int):
        address = _cast_to_pointer(TYPES.pointer(ctype.item), value)
        return make_cdata(prepare(ctype).cdata_class, ctype, address._addr, address._keep)
    raise TypeError("cannot cast to ctype '%s'" % (ctype.cname,))


def _source_int(value, ctype=None):
    """An integer from a cast source: int, cdata, float (truncated), bytes/str of length 1."""
    if isinstance(value, CData) and value._address:
        if value._struct:                       # a struct value has no integer meaning
            raise TypeError("int() not supported on cdata '%s'" % (value._ctype.cname,))
        return value._addr
    if isinstance(value, ValueCData):
        if value._category() in (plat.FLOAT, plat.LONGDOUBLE):
            return int(value.__float__())
        return value._as_int()
    if isinstance(value, float):
        return int(value)       # ValueError for NaN, OverflowError for infinities (as cffi)
    if isinstance(value, bytes) and len(value) == 1:     # (not a bytearray, as cffi)
        return value[0]
    if isinstance(value, str) and len(value) == 1:
        return ord(value)
    lib_address = getattr(value, "_function_address", None)
    if lib_address is not None:
        return lib_address()
    address = function_address(value)          # an API-mode fast function
    if address is not None:
        return address
    if isinstance(value, str) and ctype is not None:
        raise TypeError("cannot cast unicode string of length %d to ctype '%s'"
                        % (len(value), ctype.cname))
    if isinstance(value, bytes):
        raise TypeError("initializer for ctype 'char' must be a bytes of length 1, not %s"
                        % (tp_name(type(value)),))
    if hasattr(value, "__int__") and not isinstance(value, (str, complex)):
        return int_of_object(value)     # (as cffi: not an object with only __index__)
    raise TypeError("an integer is required")


def _bool_source(value, ctype):
    """The truth of a cast-to-_Bool source: an integer, else a number with __float__ (cffi)."""
    if isinstance(value, (int, CData, bytes, str)):
        return _source_int(value, ctype) != 0
    if isinstance(value, complex):
        raise TypeError("integer/float expected")
    # as cffi: what __float__ (a Decimal('0.5') is true), else __int__, returns, which may
    # be an int or a float
    method = getattr(type(value), "__float__", None) or getattr(type(value), "__int__", None)
    if method is None:
        raise TypeError("integer/float expected")
    number = method(value)
    if not isinstance(number, (int, float)):
        raise TypeError("integer/float conversion failed")
    return number != 0


def _wrap(value, byte_size, signed):
    bits = 8 * byte_size
    value &= (1 << bits) - 1
    if signed and value >> (bits - 1):
        value -= 1 << bits
    return value


def _cast_to_primitive(ctype, value):
    base = ctype.base if ctype.kind == ENUM else ctype
    cat = base.category
    if cat == plat.INT:
        return value_cdata(ctype, _wrap(_source_int(value, ctype), base.byte_size, base.signed))
    if cat == plat.BOOL:
        if isinstance(value, ValueCData) and value._category() in (plat.FLOAT, plat.LONGDOUBLE):
            return value_cdata(ctype, float(value) != 0)
        if isinstance(value, float):
            return value_cdata(ctype, value != 0)
        return value_cdata(ctype, _bool_source(value, ctype))
    if cat == plat.CHAR:
        return value_cdata(ctype, bytes([_source_int(value, ctype) & 0xFF]))
    if cat == plat.WCHAR:
        code = _wrap(_source_int(value, ctype), base.byte_size, base.signed)
        return value_cdata(ctype, chr(code) if 0 <= code <= 0x10FFFF else code)
    if cat == plat.FLOAT:
        number = _source_float(ctype, value)
        if base.byte_size == 4:
            number = float32(number)
        return value_cdata(ctype, number)
    if cat == plat.LONGDOUBLE:
        if isinstance(value, ValueCData) and value._category() == plat.LONGDOUBLE:
            return value_cdata(ctype, value._value)
        return value_cdata(ctype, longdouble_bytes(_source_float(ctype, value)))
    if cat == plat.COMPLEX:
        if isinstance(value, AddrCData) or hasattr(value, "_function_address"):
            raise TypeError("cannot cast ctype '%s' to ctype '%s'"
                            % (value._ctype.cname, ctype.cname))
        number = _complex_source(ctype, value)
        if base.byte_size == 8:         # float _Complex: each part rounded as a float cast
            number = complex(float32(number.real), float32(number.imag))
        return value_cdata(ctype, number)
    raise TypeError("cannot cast to '%s'" % (ctype.cname,))


def _complex_source(ctype, value):
    """The complex number of a cast-to-complex source (a 1-character string is its code)."""
    if isinstance(value, ValueCData):
        category = value._category()
        if category == plat.COMPLEX:
            return to_complex(ctype, value)
        if category == plat.LONGDOUBLE:     # as cffi, which reads no long double as complex
            raise TypeError("complex() not supported on cdata '%s'" % (value._ctype.cname,))
        return complex(_source_float(ctype, value))
    if isinstance(value, (bytes, str)):
        return complex(_source_float(ctype, value))
    return to_complex(ctype, value)


def _source_float(ctype, value):
    if isinstance(value, ValueCData):
        category = value._category()
        if category in (plat.FLOAT, plat.LONGDOUBLE):
            return value.__float__()
        if category == plat.COMPLEX:
            raise TypeError("must be real number, not complex")
        return float(value._as_int())
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (bytes, str)):
        if len(value) == 1:
            return float(ord(value))
        raise TypeError("cannot cast %s object to ctype '%s'"
                        % (tp_name(type(value)), ctype.cname))
    if isinstance(value, CData) and (value._address or hasattr(value, "_function_address")):
        # (a pointer, array, struct, or a lib function)
        raise TypeError("cannot cast ctype '%s' to ctype '%s'" % (value._ctype.cname, ctype.cname))
    return to_float(ctype, value)


def _cast_to_pointer(ctype, value):
    if value is None:
        raise TypeError("cannot cast None to '%s': use ffi.NULL" % (ctype.cname,))
    if isinstance(value, CData) and value._address:
        if value._struct:
            raise TypeError("int() not supported on cdata '%s'" % (value._ctype.cname,))
        keep = value._keep if value._cast_keeps else None
        return pointer_to(ctype, value._addr, keep)
    file_address = _file_address(value) if _is_file_pointer(ctype) else None
    if file_address is not None:        # (a file object casts to `FILE *` only, as in cffi)
        return pointer_to(ctype, file_address, value)
    if isinstance(value, (bytes, bytearray, str)):
        raise TypeError("an integer is required")
    return pointer_to(ctype, _source_int(value) & ((1 << (8 * plat.POINTER_SIZE)) - 1))


def _is_file_pointer(ctype):
    """Whether `ctype` is `FILE *` (the only type a Python file object casts to)."""
    return ctype.kind == POINTER and ctype.item.kind == STRUCT and ctype.item.cname == "FILE"


def _file_address(value):
    if not isinstance(value, CData) and hasattr(value, "fileno") and hasattr(value, "flush"):
        return file_pointer(value)
    return None
