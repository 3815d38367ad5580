"""ffi.cast() (spec 7.1.4) and int()/float()/bool() of cdata objects."""
import math
import re

import pytest

from _backend import FFI, IS_CFFI  # noqa: F401

CDEF = """
    typedef struct { int x, y; } foo_t;
    enum e { A, B = 7, C = -1 };
    typedef enum { T0, T1 } te_t;
"""


@pytest.fixture
def cffi_(ffi):
    """An FFI with the declarations used in this module."""
    ffi.cdef(CDEF)
    return ffi


class IntLike:
    def __int__(self):
        return 8


# --- integer to integer: truncation, no range check -----------------------------------------

@pytest.mark.parametrize("ctype, value, expected", [
    ("int", 42, 42),
    ("int", 2 ** 32 + 5, 5),
    ("int", 2 ** 31, -2 ** 31),
    ("int", 2 ** 100, 0),
    ("unsigned int", -1, 2 ** 32 - 1),
    ("unsigned char", -1, 255),
    ("unsigned char", 257, 1),
    ("signed char", 200, -56),
    ("short", 70000, 4464),
    ("unsigned short", -2, 65534),
    ("int8_t", 200, -56),
    ("uint8_t", 300, 44),
    ("long long", 2 ** 64 + 3, 3),
    ("unsigned long long", -1, 2 ** 64 - 1),
    ("int64_t", 2 ** 63, -2 ** 63),
    ("int", True, 1),
    ("int", IntLike(), 8),
])
def test_cast_int_truncates(ffi, ctype, value, expected):
    """Like a C cast: wraps around modulo 2**bits instead of raising OverflowError."""
    result = ffi.cast(ctype, value)
    assert int(result) == expected
    assert ffi.typeof(result) is ffi.typeof(ctype)


def test_cast_does_not_range_check_but_new_does(ffi):
    assert int(ffi.cast("unsigned char", 256)) == 0
    with pytest.raises(OverflowError):
        ffi.new("unsigned char *", 256)


@pytest.mark.parametrize("ctype", ["size_t", "uintptr_t", "unsigned long"])
def test_cast_minus_one_to_unsigned_is_max(ffi, ctype):
    assert int(ffi.cast(ctype, -1)) == 2 ** (8 * ffi.sizeof(ctype)) - 1


@pytest.mark.parametrize("value, expected", [(3.9, 3), (-3.9, -3), (0.5, 0), (-0.0, 0), (1e3, 1000)])
def test_cast_float_to_int_truncates_toward_zero(ffi, value, expected):
    assert int(ffi.cast("int", value)) == expected


@pytest.mark.parametrize("ctype", ["int", "unsigned char", "long long", "uint64_t", "enum e"])
@pytest.mark.parametrize("value, expected", [(True, 1), (False, 0), (2.5, 2), (-2.5, -2),
                                             (2.0 ** 64 + 4096, 4096)])
def test_cast_int_from_bool_and_float(ffi, ctype, value, expected):
    ffi.cdef("enum e { E0, E1 };")
    bits = 8 * ffi.sizeof(ctype)
    signed = int(ffi.cast(ctype, -1)) < 0
    wrapped = expected & ((1 << bits) - 1)
    if signed and wrapped >> (bits - 1):
        wrapped -= 1 << bits
    result = int(ffi.cast(ctype, value))
    assert result == wrapped and type(result) is int


@pytest.mark.parametrize("value, error", [(float("nan"), ValueError), (float("inf"), OverflowError),
                                          (float("-inf"), OverflowError)])
def test_cast_int_from_nan_and_infinities(ffi, value, error):
    with pytest.raises(error):
        ffi.cast("int", value)


@pytest.mark.parametrize("ctype", ["float", "double"])
def test_cast_float_from_ints(ffi, ctype):
    assert float(ffi.cast(ctype, 3)) == 3.0 and float(ffi.cast(ctype, True)) == 1.0
    assert float(ffi.cast(ctype, -(2 ** 53) - 1)) == float(-(2 ** 53) - 1)
    single = ctype == "float"
    assert float(ffi.cast(ctype, 16777217)) == (16777216.0 if single else 16777217.0)
    assert float(ffi.cast(ctype, 2 ** 64 + 3)) == 2.0 ** 64
    with pytest.raises(OverflowError):
        ffi.cast(ctype, 10 ** 400)


def test_cast_int_from_cdata(ffi):
    assert int(ffi.cast("int", ffi.cast("char", b"A"))) == 65
    assert int(ffi.cast("int", ffi.cast("double", 2.5))) == 2
    assert int(ffi.cast("short", ffi.cast("long long", 0x12345))) == 0x2345


@pytest.mark.parametrize("value", [b"a", "a"])
def test_cast_int_from_one_char_string(ffi, value):
    """A string of length 1 casts like the corresponding character."""
    assert int(ffi.cast("int", value)) == 97


@pytest.mark.parametrize("value", [None, b"ab", "ab", [1], {}])
def test_cast_int_refuses(ffi, value):
    with pytest.raises(TypeError):
        ffi.cast("int", value)


# --- pointers <-> integers --------------------------------------------------------------------

def test_cast_int_to_pointer_null(cffi_):
    p = cffi_.cast("foo_t *", 0)
    assert repr(p) == "<cdata 'foo_t *' NULL>"
    assert p == cffi_.NULL
    assert not p


def test_cast_int_to_pointer_repr(ffi):
    assert repr(ffi.cast("int *", 0x1000)) == "<cdata 'int *' 0x1000>"


@pytest.mark.parametrize("ptype", ["int *", "void *", "char *", "double **", "int(*)(int)"])
def test_cast_pointer_to_intptr_roundtrip(ffi, ptype):
    p = ffi.cast(ptype, 0x12340)
    assert int(ffi.cast("intptr_t", p)) == 0x12340
    assert int(ffi.cast("uintptr_t", p)) == 0x12340
    assert ffi.cast(ptype, int(ffi.cast("uintptr_t", p))) == p


def test_cast_owned_pointer_to_int(ffi):
    """spec 6.1: `int(ffi.cast("intptr_t", pointer_cdata))`; items are sizeof apart."""
    a = ffi.new("int[4]")
    base = int(ffi.cast("intptr_t", a))
    assert base != 0
    assert int(ffi.cast("intptr_t", a + 3)) == base + 3 * ffi.sizeof("int")
    assert int(ffi.cast("uintptr_t", a)) == base % 2 ** (8 * ffi.sizeof("void *"))


def test_cast_pointer_signed_vs_unsigned(ffi):
    p = ffi.cast("char *", -8)
    bits = 8 * ffi.sizeof("void *")
    assert int(ffi.cast("intptr_t", p)) == -8
    assert int(ffi.cast("uintptr_t", p)) == 2 ** bits - 8


def test_cast_null_to_int(ffi):
    assert int(ffi.cast("intptr_t", ffi.NULL)) == 0


def test_cast_int_cdata_to_pointer(ffi):
    assert ffi.cast("int *", ffi.cast("long", 0x1234)) == ffi.cast("int *", 0x1234)


def test_cast_pointer_to_pointer_keeps_address(cffi_):
    a = cffi_.new("int[2]")
    for target in ["char *", "void *", "foo_t *", "int **", "double *"]:
        p = cffi_.cast(target, a)
        assert cffi_.typeof(p) is cffi_.typeof(target)
        assert int(cffi_.cast("intptr_t", p)) == int(cffi_.cast("intptr_t", a))


def test_cast_pointer_to_array_type(ffi):
    """A cast to `T[N]` is allowed (it works like a pointer), a cast to `T[]` is not."""
    p = ffi.new("int[3]", [1, 2, 3])
    q = ffi.cast("int[3]", ffi.cast("intptr_t", p))
    assert q[2] == 3
    with pytest.raises(TypeError):
        ffi.cast("int[]", 0)


def test_cast_pointer_to_double_refused(ffi):
    with pytest.raises(TypeError):
        ffi.cast("double", ffi.cast("int *", 0x10))


def test_cast_to_struct_refused(cffi_):
    with pytest.raises(TypeError):
        cffi_.cast("foo_t", 0)


@pytest.mark.parametrize("value", [b"a", "a", bytearray(b"a"), "\u20ac"])
def test_cast_to_pointer_refuses_strings(ffi, value):
    """A one-character string casts to an integer type, not to a pointer."""
    with pytest.raises(TypeError):
        ffi.cast("char *", value)
    with pytest.raises(TypeError):
        ffi.cast("void *", value)


def test_cast_pointer_refuses_none(ffi):
    with pytest.raises(TypeError):
        ffi.cast("int *", None)


def test_null_is_void_pointer_zero(ffi):
    """7.1.1 / 6.1: `ffi.NULL` is `ffi.cast("void *", 0)`."""
    assert repr(ffi.NULL) == "<cdata 'void *' NULL>"
    assert ffi.typeof(ffi.NULL) is ffi.typeof("void *")
    assert ffi.NULL == ffi.cast("void *", 0)
    assert ffi.NULL == ffi.cast("int *", 0)


def test_cast_result_is_not_owning(ffi):
    p = ffi.new("int[4]")
    q = ffi.cast("int *", p)
    assert re.fullmatch(r"<cdata 'int \*' 0x[0-9a-f]+>", repr(q))
    assert q == p


# --- enums ------------------------------------------------------------------------------------

def test_cast_to_enum(cffi_):
    x = cffi_.cast("enum e", 7)
    assert int(x) == 7
    assert x == 7
    assert cffi_.typeof(x) is cffi_.typeof("enum e")
    assert cffi_.string(x) == "B"


def test_cast_to_enum_out_of_range_value(cffi_):
    x = cffi_.cast("enum e", 42)
    assert int(x) == 42
    assert cffi_.string(x) == "42"
    assert repr(x).startswith("<cdata 'enum e' 42")


def test_cast_to_enum_negative(cffi_):
    assert int(cffi_.cast("enum e", -1)) == -1
    assert cffi_.string(cffi_.cast("enum e", -1)) == "C"


def test_cast_to_typedef_enum(cffi_):
    x = cffi_.cast("te_t", 1)
    assert repr(x).startswith("<cdata 'te_t' 1")
    assert cffi_.string(x) == "T1"


# --- _Bool ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (0, False), (1, True), (5, True), (256, True), (-1, True), (0.0, False), (0.5, True),
])
def test_cast_to_bool(ffi, value, expected):
    """A C cast to _Bool: any nonzero value becomes true (no truncation to the low byte)."""
    b = ffi.cast("_Bool", value)
    assert bool(b) is expected
    assert int(b) == int(expected)
    assert repr(b) == "<cdata '_Bool' %s>" % expected


def test_cast_pointer_to_bool(ffi):
    assert bool(ffi.cast("_Bool", ffi.cast("int *", 0))) is False
    assert bool(ffi.cast("_Bool", ffi.cast("int *", 8))) is True


# --- characters -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [b"A", "A", 65, 65 + 256])
def test_cast_to_char_gives_bytes(ffi, value):
    c = ffi.cast("char", value)
    assert repr(c) == "<cdata 'char' b'A'>"
    assert ffi.string(c) == b"A"
    assert int(c) == 65


def test_cast_char_refuses_long_string(ffi):
    with pytest.raises(TypeError):
        ffi.cast("char", b"AB")


@pytest.mark.parametrize("ctype", ["wchar_t", "char16_t", "char32_t"])
@pytest.mark.parametrize("value", ["x", b"x", 0x78])
def test_cast_to_unichar(ffi, ctype, value):
    c = ffi.cast(ctype, value)
    assert repr(c) == "<cdata '%s' 'x'>" % ctype
    assert ffi.string(c) == "x"
    assert int(c) == 0x78


def test_cast_unichar_ord(ffi):
    """spec 6.1: `int(ffi.cast('wchar_t', x))` gives the code point."""
    assert int(ffi.cast("wchar_t", "\u263a")) == 0x263a
    assert int(ffi.cast("char32_t", "\U0001F600")) == 0x1F600


@pytest.mark.parametrize("ctype", ["wchar_t", "char16_t", "char32_t"])
def test_cast_unichar_refuses_two_chars(ffi, ctype):
    with pytest.raises(TypeError):
        ffi.cast(ctype, "ab")


def test_cast_char16_truncates_int(ffi):
    assert int(ffi.cast("char16_t", 0x10041)) == 0x41


# --- floating point ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [(1.5, 1.5), (1, 1.0), (-7, -7.0), (b"a", 97.0)])
def test_cast_to_double(ffi, value, expected):
    d = ffi.cast("double", value)
    assert float(d) == expected
    assert repr(d) == "<cdata 'double' %r>" % expected


def test_cast_double_from_int_cdata(ffi):
    assert float(ffi.cast("double", ffi.cast("int", 7))) == 7.0


def test_cast_to_float_rounds(ffi):
    f = ffi.cast("float", 1.1)
    assert float(f) != 1.1
    assert abs(float(f) - 1.1) < 1e-6
    assert float(ffi.cast("double", f)) == float(f)


@pytest.mark.parametrize("value, expected", [
    (1e300, math.inf), (-1e300, -math.inf), (10.0 ** 39, math.inf),
    (3.4028235e38, 3.4028234663852886e38), (3.40282356e38, 3.4028234663852886e38),
    (3.4028235677973366e38, math.inf)])     # the last is halfway: rounds to even, 2**128
def test_cast_to_float_beyond_its_range(ffi, value, expected):
    """As in C: a double too large for float becomes an infinity; one just above FLT_MAX that
    still rounds to it (below the halfway point to 2**128) becomes FLT_MAX."""
    assert float(ffi.cast("float", value)) == expected


def test_cast_to_float_keeps_nan(ffi):
    assert math.isnan(float(ffi.cast("float", math.nan)))


@pytest.mark.parametrize("value, exc", [(math.nan, ValueError), (math.inf, OverflowError),
                                        (-math.inf, OverflowError)])
@pytest.mark.parametrize("ctype", ["int", "unsigned char", "int64_t", "int *"])
def test_cast_non_finite_float_to_integer(ffi, ctype, value, exc):
    """The errors int() gives: ValueError for NaN, OverflowError for the infinities."""
    with pytest.raises(exc):
        ffi.cast(ctype, value)


def test_cast_double_refuses_str(ffi):
    with pytest.raises(TypeError):
        ffi.cast("double", "1.5")


def test_cast_long_double(ffi):
    x = ffi.cast("long double", 1.5)
    assert repr(x).startswith("<cdata 'long double' ")
    assert float(x) == 1.5
    assert int(ffi.cast("long double", 2.7)) == 2


# --- int(), float(), bool() of cdata ----------------------------------------------------------

@pytest.mark.parametrize("ctype, value, expected", [
    ("int", -5, -5),
    ("unsigned long long", 2 ** 64 - 1, 2 ** 64 - 1),
    ("char", b"A", 65),
    ("wchar_t", "A", 65),
    ("double", 2.9, 2),
    ("double", -2.9, -2),
    ("float", 7.5, 7),
    ("_Bool", 1, 1),
    ("long double", 3.5, 3),
])
def test_int_of_primitive_cdata(ffi, ctype, value, expected):
    result = int(ffi.cast(ctype, value))
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize("ctype, value", [("double", 2.5), ("float", 0.25), ("long double", -1.5)])
def test_float_of_float_cdata(ffi, ctype, value):
    result = float(ffi.cast(ctype, value))
    assert result == value
    assert type(result) is float


@pytest.mark.parametrize("ctype, value", [("int", 3), ("char", b"A"), ("wchar_t", "A"),
                                          ("_Bool", 1), ("unsigned long long", 7)])
def test_float_of_integer_cdata_refused(ffi, ctype, value):
    """Spec 7.2: float() is an operation of float, double and long double only; so such a
    cdata is not a float initializer either, while ffi.cast() still converts it."""
    cdata = ffi.cast(ctype, value)
    with pytest.raises(TypeError):
        float(cdata)
    with pytest.raises(TypeError):
        ffi.new("double *", cdata)
    assert float(ffi.cast("double", cdata)) == float(int(cdata))


@pytest.mark.parametrize("ctype", ["float", "double", "long double"])
def test_float_cdata_is_not_an_integer_initializer(ffi, ctype):
    """Spec 7.2: integers take anything int() works on 'but not a float!', cdata included."""
    cdata = ffi.cast(ctype, 65.0)
    assert int(cdata) == 65
    with pytest.raises(TypeError):
        ffi.new("int *", cdata)
    assert int(ffi.cast("int", cdata)) == 65


def test_int_of_pointer_refused(ffi):
    """To get the address, cast to intptr_t first."""
    with pytest.raises(TypeError):
        int(ffi.cast("int *", 0x10))
    with pytest.raises(TypeError):
        int(ffi.new("int[2]"))


def test_float_of_pointer_refused(ffi):
    with pytest.raises(TypeError):
        float(ffi.cast("int *", 0))


@pytest.mark.parametrize("ctype, zero, nonzero", [
    ("int", 0, 3),
    ("unsigned char", 0, 255),
    ("char", b"\0", b"a"),
    ("wchar_t", "\0", "a"),
    ("double", 0.0, 0.5),
    ("double", -0.0, -1e-300),
    ("float", 0.0, 2.0),
    ("long double", 0.0, 1.0),
    ("_Bool", 0, 1),
])
def test_bool_of_primitive_cdata(ffi, ctype, zero, nonzero):
    """Footnote 6 / v1.7: False if the value is zero (including -0.0)."""
    assert bool(ffi.cast(ctype, zero)) is False
    assert bool(ffi.cast(ctype, nonzero)) is True


def test_bool_of_enum_cdata(cffi_):
    assert bool(cffi_.cast("enum e", 0)) is False
    assert bool(cffi_.cast("enum e", 7)) is True


def test_bool_of_pointers(cffi_):
    assert bool(cffi_.NULL) is False
    assert bool(cffi_.cast("foo_t *", 0)) is False
    assert bool(cffi_.cast("int *", 1)) is True
    assert bool(cffi_.new("int *")) is True
    assert bool(cffi_.cast("int(*)(int)", 0)) is False


class _OnlyIndex:
    """An object with __index__ and no __int__."""
    def __index__(self):
        return 3


class _IndexAndFloat(_OnlyIndex):
    def __float__(self):
        return 6.5


@pytest.mark.parametrize("cdecl, source, expected", [
    ("int", _OnlyIndex, "TypeError: an integer is required"),
    ("unsigned char", _OnlyIndex, "TypeError: an integer is required"),
    ("char", _OnlyIndex, "TypeError: an integer is required"),
    ("wchar_t", _OnlyIndex, "TypeError: an integer is required"),
    ("enum e", _OnlyIndex, "TypeError: an integer is required"),
    ("int *", _OnlyIndex, "TypeError: an integer is required"),
    ("_Bool", _OnlyIndex, "TypeError: integer/float expected"),
    ("int", _IndexAndFloat, "TypeError: an integer is required"),
    ("_Bool", _IndexAndFloat, "True"),
    ("double", _OnlyIndex, "3.0"),
])
def test_cast_takes_no_object_with_only_index(ffi, cdecl, source, expected):
    """As cffi, a cast to an integer type converts with __int__: an object with only
    __index__ is refused (a float or _Bool cast takes what float() takes)."""
    ffi.cdef(CDEF)
    try:
        value = ffi.cast(cdecl, source())
    except TypeError as exc:
        result = "TypeError: %s" % (exc,)
    else:
        result = str(bool(value) if cdecl == "_Bool" else float(value))
    assert result == expected
