"""The conversions table (spec 7.2): writing Python objects into C data and reading them back."""
import decimal
import re
import sys
import warnings

import pytest

from _backend import FFI, IS_CFFI  # noqa: F401

CDEF = """
    typedef struct { int x, y; } foo_t;
    struct s {
        int *ip; void *vp; char *cp; foo_t *fp; char **cpp;
        int (*fn)(int);
        int arr[3]; char name[5]; unsigned char ub[3]; _Bool bb[2]; wchar_t wn[4];
        foo_t sub;
        int ia2[2][2];
    };
    union u { int i; double d; };
    struct holder { union u un; };
    enum pos { PA, PB = 7 };
    enum neg { NA = -3, NB };
    struct se { enum pos p; enum neg n; };
"""


@pytest.fixture
def cffi_(ffi):
    """An FFI with the declarations used in this module."""
    ffi.cdef(CDEF)
    return ffi


class IntLike:
    """Supports int() through __int__ only."""
    def __int__(self):
        return 8


class IndexLike:
    """Supports int() through __index__ only."""
    def __index__(self):
        return 7


class FloatLike:
    def __float__(self):
        return 2.5


# --- integers ------------------------------------------------------------------------------

INT_TYPES = [
    "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t",
    "signed char", "unsigned char", "short", "unsigned short", "int", "unsigned int",
    "long", "unsigned long", "long long", "unsigned long long",
    "size_t", "ssize_t", "intptr_t", "uintptr_t", "ptrdiff_t",
]
UNSIGNED = {t for t in INT_TYPES if t.startswith(("u", "size_t"))}


def int_bounds(ffi, ctype):
    bits = 8 * ffi.sizeof(ctype)
    if ctype in UNSIGNED:
        return 0, 2 ** bits - 1
    return -2 ** (bits - 1), 2 ** (bits - 1) - 1


@pytest.mark.parametrize("ctype", INT_TYPES)
def test_int_bounds_accepted(ffi, ctype):
    lo, hi = int_bounds(ffi, ctype)
    p = ffi.new(ctype + "[2]", [lo, hi])
    assert (p[0], p[1]) == (lo, hi)
    p[0] = hi
    p[1] = lo
    assert (p[0], p[1]) == (hi, lo)


@pytest.mark.parametrize("ctype", INT_TYPES)
def test_int_out_of_range_rejected(ffi, ctype):
    """"Must be within range": one past each bound raises OverflowError."""
    lo, hi = int_bounds(ffi, ctype)
    p = ffi.new(ctype + " *")
    with pytest.raises(OverflowError):
        p[0] = hi + 1
    with pytest.raises(OverflowError):
        p[0] = lo - 1
    with pytest.raises(OverflowError):
        ffi.new(ctype + " *", hi + 1)
    assert p[0] == 0


@pytest.mark.parametrize("ctype", ["int", "unsigned long long", "int8_t", "size_t"])
def test_int_read_gives_python_int(ffi, ctype):
    value = ffi.new(ctype + " *", 100)[0]
    assert type(value) is int
    assert value == 100


@pytest.mark.parametrize("ctype", ["int", "unsigned char", "long long", "uint16_t"])
@pytest.mark.parametrize("value", [1.0, 2.5, -0.0])
def test_int_refuses_float(ffi, ctype, value):
    """"anything on which int() works (but not a float!)"."""
    with pytest.raises(TypeError):
        ffi.new(ctype + " *", value)


@pytest.mark.parametrize("value", ["1", b"1", None, [1], 1j])
def test_int_refuses_non_numbers(ffi, value):
    p = ffi.new("int *")
    with pytest.raises(TypeError):
        p[0] = value


def test_int_accepts_object_with_int(ffi):
    assert ffi.new("int *", IntLike())[0] == 8


def test_int_accepts_decimal(ffi):
    assert ffi.new("long *", decimal.Decimal(12))[0] == 12


@pytest.mark.skipif(IS_CFFI, reason="cffi 2.0 differs: refuses objects that only have __index__")
def test_int_accepts_object_with_index(ffi):
    """int() works on objects with only __index__ (Python >= 3.8), so the table accepts them."""
    assert ffi.new("int *", IndexLike())[0] == 7


def test_int_accepts_bool(ffi):
    p = ffi.new("int[2]", [True, False])
    assert list(p) == [1, 0]


@pytest.mark.parametrize("src", [("int", 9), ("long", 9), ("unsigned char", 9), ("_Bool", 1)])
def test_int_accepts_integer_cdata(ffi, src):
    ctype, value = src
    assert ffi.new("int *", ffi.cast(ctype, value))[0] == value


def test_int_accepts_char_cdata(ffi):
    """int() works on a `<cdata 'char'>`, giving its ordinal."""
    assert ffi.new("int *", ffi.cast("char", b"a"))[0] == 97


def test_int_cdata_is_range_checked(ffi):
    with pytest.raises(OverflowError):
        ffi.new("int *", ffi.cast("long long", 2 ** 40))


def test_int_struct_field_write(cffi_):
    p = cffi_.new("foo_t *")
    p.x = -5
    assert p.x == -5
    with pytest.raises(OverflowError):
        p.y = 2 ** 31
    with pytest.raises(TypeError):
        p.y = 1.5
    assert p.y == 0


# --- char ----------------------------------------------------------------------------------

def test_char_roundtrip(ffi):
    p = ffi.new("char *", b"x")
    assert p[0] == b"x"
    assert type(p[0]) is bytes
    p[0] = b"\xff"
    assert p[0] == b"\xff"


@pytest.mark.parametrize("value", [65, "A", b"AB", b"", None, 1.0])
def test_char_refuses(ffi, value):
    """char takes only a byte string of length 1 (or a char cdata)."""
    p = ffi.new("char *")
    with pytest.raises(TypeError):
        p[0] = value


def test_char_accepts_char_cdata(ffi):
    assert ffi.new("char *", ffi.cast("char", b"z"))[0] == b"z"


@pytest.mark.parametrize("ctype, value", [("signed char", -1), ("unsigned char", 255)])
def test_signed_unsigned_char_are_integers(ffi, ctype, value):
    """spec 6.1: use signed/unsigned char to map to small integers."""
    p = ffi.new(ctype + " *", value)
    assert p[0] == value
    with pytest.raises(TypeError):
        p[0] = b"a"


# --- wchar_t, char16_t, char32_t -----------------------------------------------------------

UNICHAR_TYPES = ["wchar_t", "char16_t", "char32_t"]


@pytest.mark.parametrize("ctype", UNICHAR_TYPES)
@pytest.mark.parametrize("char", ["a", "\0", "\u263a", "\uffff"])
def test_unichar_roundtrip(ffi, ctype, char):
    value = ffi.new(ctype + " *", char)[0]
    assert value == char
    assert type(value) is str


@pytest.mark.parametrize("ctype", UNICHAR_TYPES)
@pytest.mark.parametrize("value", [b"a", 65, "ab", "", None])
def test_unichar_refuses(ffi, ctype, value):
    p = ffi.new(ctype + " *")
    with pytest.raises(TypeError):
        p[0] = value


@pytest.mark.parametrize("ctype", UNICHAR_TYPES)
def test_unichar_accepts_same_type_cdata(ffi, ctype):
    assert ffi.new(ctype + " *", ffi.cast(ctype, "x"))[0] == "x"


def test_char32_holds_non_bmp(ffi):
    assert ffi.new("char32_t *", "\U0001F600")[0] == "\U0001F600"


def test_char16_single_cannot_hold_non_bmp(ffi):
    """A non-BMP character needs two UTF-16 units: it does not fit one char16_t."""
    with pytest.raises(TypeError):
        ffi.new("char16_t *", "\U0001F600")


def test_char16_array_inserts_surrogates(ffi):
    """7.2.2: surrogates are inserted converting to UTF-16 and removed converting back."""
    p = ffi.new("char16_t[]", "a\U0001F600b")
    assert len(p) == 5
    assert list(p) == ["a", "\ud83d", "\ude00", "b", "\0"]
    assert ffi.string(p) == "a\U0001F600b"


def test_char32_array_no_surrogates(ffi):
    p = ffi.new("char32_t[]", "a\U0001F600b")
    assert len(p) == 4
    assert p[1] == "\U0001F600"
    assert ffi.string(p) == "a\U0001F600b"


def test_char32_array_keeps_surrogates_as_they_are(ffi):
    p = ffi.new("char32_t[]", "\ud83d\ude00x")
    assert list(p) == ["\ud83d", "\ude00", "x", "\0"]


@pytest.mark.parametrize("write", [
    lambda ffi: ffi.new("char32_t *", "\ud83d\ude00"),
    lambda ffi: ffi.new("char32_t[1]", ["\ud83d\ude00"]),
    lambda ffi: ffi.new("char32_t *").__setitem__(0, "\ud83d\ude00"),
], ids=["new", "list-item", "item"])
def test_one_char32_is_no_surrogate_pair(ffi, write):
    """A single char32_t takes one character: a surrogate pair is a string of length 2, not
    the character it encodes."""
    with pytest.raises(TypeError, match="must be a unicode string of length 1, not unicode "
                                        "string of length 2"):
        write(ffi)


def test_wchar_array_follows_its_size(ffi):
    """wchar_t is UTF-32 or UTF-16 depending on its platform size."""
    p = ffi.new("wchar_t[]", "\U0001F600")
    if ffi.sizeof("wchar_t") == 4:
        assert len(p) == 2
    else:
        assert len(p) == 3
    assert ffi.string(p) == "\U0001F600"


def test_char16_and_char32_are_unsigned(ffi):
    assert int(ffi.cast("char16_t", -1)) == 0xFFFF
    assert int(ffi.cast("char32_t", -1)) == 0xFFFFFFFF


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="wchar_t signedness is platform's")
def test_wchar_is_signed_32_bits_on_linux(ffi):
    """7.2.2: "on Linux, it is a signed 32-bit integer"."""
    assert ffi.sizeof("wchar_t") == 4
    assert int(ffi.cast("wchar_t", -1)) == -1


# --- float and double ----------------------------------------------------------------------

@pytest.mark.parametrize("ctype", ["float", "double"])
@pytest.mark.parametrize("value, expected", [
    (1, 1.0), (-3, -3.0), (True, 1.0), (2.5, 2.5), (FloatLike(), 2.5),
])
def test_float_accepts(ffi, ctype, value, expected):
    """"a float or anything on which float() works"."""
    result = ffi.new(ctype + " *", value)[0]
    assert result == expected
    assert type(result) is float


@pytest.mark.parametrize("ctype", ["float", "double"])
@pytest.mark.parametrize("value", ["1.0", b"1", None, [1.0]])
def test_float_refuses(ffi, ctype, value):
    p = ffi.new(ctype + " *")
    with pytest.raises(TypeError):
        p[0] = value


def test_float_rounds_to_single_precision(ffi):
    value = ffi.new("float *", 0.1)[0]
    assert value != 0.1
    assert abs(value - 0.1) < 1e-8


def test_double_keeps_full_precision(ffi):
    assert ffi.new("double *", 0.1)[0] == 0.1


def test_double_too_large_int(ffi):
    with pytest.raises(OverflowError):
        ffi.new("double *", 2 ** 1024)


@pytest.mark.parametrize("src", ["float", "double", "long double"])
def test_double_accepts_float_cdata(ffi, src):
    assert ffi.new("double *", ffi.cast(src, 2.5))[0] == 2.5


# --- long double ---------------------------------------------------------------------------

def test_long_double_read_gives_cdata(ffi):
    """Footnote 3: reading a long double keeps it as a cdata to avoid losing precision."""
    value = ffi.new("long double *", 1.5)[0]
    assert not isinstance(value, float)
    assert repr(value).startswith("<cdata 'long double' ")
    assert float(value) == 1.5
    assert type(float(value)) is float


def test_long_double_operations(ffi):
    value = ffi.new("long double[2]", [2.75, 0])
    assert int(value[0]) == 2
    assert bool(value[0]) is True
    assert bool(value[1]) is False


@pytest.mark.parametrize("make_init, expected", [
    (lambda ffi: ffi.cast("long double", 4.25), 4.25),
    (lambda ffi: ffi.cast("double", 0.5), 0.5),
    (lambda ffi: 3, 3.0),
    (lambda ffi: 2.5, 2.5),
    (lambda ffi: FloatLike(), 2.5),
], ids=["long-double-cdata", "double-cdata", "int", "float", "floatlike"])
def test_long_double_accepts(ffi, make_init, expected):
    """"another <cdata> with a long double, or anything on which float() works"."""
    assert float(ffi.new("long double *", make_init(ffi))[0]) == expected


def test_long_double_refuses_str(ffi):
    with pytest.raises(TypeError):
        ffi.new("long double *", "1")


# --- _Bool ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [(0, False), (1, True), (True, True), (False, False)])
def test_bool_accepts(ffi, value, expected):
    result = ffi.new("_Bool *", value)[0]
    assert result is expected


@pytest.mark.parametrize("value", [2, -1, 256])
def test_bool_refuses_out_of_range(ffi, value):
    with pytest.raises(OverflowError):
        ffi.new("_Bool *", value)


def test_bool_refuses_float(ffi):
    with pytest.raises(TypeError):
        ffi.new("_Bool *", 1.0)


def test_bool_alias(ffi):
    assert ffi.typeof("bool") is ffi.typeof("_Bool")
    assert ffi.new("bool *", True)[0] is True


def test_bool_array_from_bytes(ffi):
    """Footnote 6: only the bytes \\x00 and \\x01 are accepted."""
    p = ffi.new("_Bool[]", b"\x00\x01")
    assert list(p) == [False, True, False]
    with pytest.raises(ValueError):
        ffi.new("_Bool[]", b"\x02")


def test_bool_reading_invalid_byte_raises(ffi):
    """Footnote 6: reading a _Bool that contains neither 0 nor 1 is an error."""
    p = ffi.new("_Bool[2]")
    ffi.cast("unsigned char *", p)[1] = 2
    assert p[0] is False
    with pytest.raises(ValueError):
        p[1]


# --- pointers ------------------------------------------------------------------------------

def test_pointer_same_type(cffi_):
    s = cffi_.new("struct s *")
    i = cffi_.new("int *", 5)
    s.ip = i
    assert s.ip == i
    assert s.ip[0] == 5
    assert re.fullmatch(r"<cdata 'int \*' 0x[0-9a-f]+>", repr(s.ip))


def test_pointer_from_array(cffi_):
    """"or as an array instead": an `int[3]` is accepted by an `int *`."""
    s = cffi_.new("struct s *")
    a = cffi_.new("int[3]", [1, 2, 3])
    s.ip = a
    assert s.ip == a
    assert s.ip[2] == 3


def test_pointer_from_null(cffi_):
    s = cffi_.new("struct s *")
    s.ip = cffi_.new("int *")
    s.ip = cffi_.NULL
    assert s.ip == cffi_.NULL
    assert repr(s.ip) == "<cdata 'int *' NULL>"


def test_pointer_from_void_pointer(cffi_):
    """v1.8.3: void * converts to any pointer type implicitly, like in C."""
    s = cffi_.new("struct s *")
    i = cffi_.new("int *", 3)
    s.ip = cffi_.cast("void *", i)
    assert s.ip == i
    assert s.ip[0] == 3


@pytest.mark.parametrize("make", [
    lambda ffi: ffi.new("int *"),
    lambda ffi: ffi.new("long[2]"),
    lambda ffi: ffi.new("char[]", b"abc"),
    lambda ffi: ffi.new("foo_t *"),
    lambda ffi: ffi.new("char **"),
    lambda ffi: ffi.cast("double *", 0x1000),
    lambda ffi: ffi.cast("int(*)(int)", 0x1000),
], ids=["int*", "long[2]", "char[]", "foo_t*", "char**", "double*", "funcptr"])
def test_void_pointer_accepts_any_pointer(cffi_, make):
    """Table 7.2: `void *` takes "another <cdata> with any pointer or array type"."""
    s = cffi_.new("struct s *")
    ptr = make(cffi_)
    s.vp = ptr
    assert s.vp == ptr
    assert cffi_.typeof(s.vp) is cffi_.typeof("void *")


@pytest.mark.parametrize("src", ["long *", "unsigned int *", "double *", "short[2]"])
def test_pointer_refuses_other_pointer_type(cffi_, src):
    s = cffi_.new("struct s *")
    with pytest.raises(TypeError):
        s.ip = cffi_.new(src)
    assert s.ip == cffi_.NULL


@pytest.mark.parametrize("value", [None, 0, 0x1000, b"abc", [1, 2]])
def test_pointer_refuses_non_cdata(cffi_, value):
    """Only a cdata converts to a pointer when writing a struct field: not None, not 0."""
    s = cffi_.new("struct s *")
    with pytest.raises(TypeError):
        s.ip = value


def test_char_pointer_field_refuses_bytes(cffi_):
    """A byte string converts to `char *` only as a call argument (footnote 1)."""
    s = cffi_.new("struct s *")
    with pytest.raises(TypeError):
        s.cp = b"abc"
    with pytest.raises(TypeError):
        s.vp = b"abc"


def test_char_pointer_to_other_pointer_is_not_silent(cffi_):
    """v1.8.3: `char *` to a different pointer type gives a warning (cffi 2.0: an error)."""
    s = cffi_.new("struct s *")
    c = cffi_.new("char[]", b"hi")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises((TypeError, Warning)):
            s.ip = c
        with pytest.raises((TypeError, Warning)):
            s.cpp = c


def test_pointer_to_struct_field(cffi_):
    s = cffi_.new("struct s *")
    f = cffi_.new("foo_t[2]", [[1, 2], [3, 4]])
    s.fp = f
    assert s.fp.x == 1
    assert s.fp[1].y == 4
    with pytest.raises(TypeError):
        s.fp = [1, 2]
    with pytest.raises(TypeError):
        s.fp = {"x": 1}


def test_pointer_read_is_not_owning(cffi_):
    s = cffi_.new("struct s *")
    i = cffi_.new("int *")
    s.ip = i
    assert "owning" not in repr(s.ip)
    assert s.ip is not i


# --- function pointers ---------------------------------------------------------------------

def test_function_pointer_same_type(cffi_):
    s = cffi_.new("struct s *")
    fn = cffi_.cast("int(*)(int)", 0x1230)
    s.fn = fn
    assert s.fn == fn
    assert repr(s.fn) == "<cdata 'int(*)(int)' 0x1230>"


def test_function_pointer_from_void_pointer(cffi_):
    s = cffi_.new("struct s *")
    s.fn = cffi_.cast("void *", 0x1230)
    assert int(cffi_.cast("intptr_t", s.fn)) == 0x1230


def test_function_pointer_null(cffi_):
    s = cffi_.new("struct s *")
    assert repr(s.fn) == "<cdata 'int(*)(int)' NULL>"
    assert not s.fn
    s.fn = cffi_.cast("int(*)(int)", 0x10)
    assert s.fn
    s.fn = cffi_.NULL
    assert s.fn == cffi_.NULL


@pytest.mark.parametrize("value", ["long(*)(int)", "int(*)(long)", "int *", "python"])
def test_function_pointer_refuses(cffi_, value):
    s = cffi_.new("struct s *")
    if value == "python":
        value = lambda x: x  # noqa: E731
    else:
        value = cffi_.cast(value, 0x10)
    with pytest.raises(TypeError):
        s.fn = value


# --- arrays as fields ----------------------------------------------------------------------

@pytest.mark.parametrize("init, expected", [
    ([1, 2, 3], [1, 2, 3]),
    ((4, 5), [4, 5, 3]),
    ([9], [9, 2, 3]),
])
def test_array_field_from_list(cffi_, init, expected):
    """A shorter list overwrites only the first items (like `p.a = "abc"` in spec 6.1)."""
    s = cffi_.new("struct s *", {"arr": [1, 2, 3]})
    s.arr = init
    assert list(s.arr) == expected


def test_array_field_too_long(cffi_):
    s = cffi_.new("struct s *")
    with pytest.raises(IndexError):
        s.arr = [1, 2, 3, 4]


def test_array_field_from_same_type_array(cffi_):
    s = cffi_.new("struct s *")
    s.arr = cffi_.new("int[3]", [7, 8, 9])
    assert list(s.arr) == [7, 8, 9]


@pytest.mark.parametrize("value", [5, "int[2]", "long[3]"])
def test_array_field_refuses(cffi_, value):
    s = cffi_.new("struct s *")
    if isinstance(value, str):
        value = cffi_.new(value)
    with pytest.raises(TypeError):
        s.arr = value


def test_array_field_item_type_checked(cffi_):
    s = cffi_.new("struct s *")
    with pytest.raises(OverflowError):
        s.arr = [1, 2 ** 40]
    with pytest.raises(TypeError):
        s.arr = [1.5]


@pytest.mark.parametrize("value, expected", [
    (b"abc", [b"a", b"b", b"c", b"\0", b"Z"]),
    (b"hello", [b"h", b"e", b"l", b"l", b"o"]),
    ([b"a", b"b"], [b"a", b"b", b"X", b"Y", b"Z"]),
])
def test_char_array_field(cffi_, value, expected):
    s = cffi_.new("struct s *", {"name": b"VWXYZ"})
    s.name = value
    assert list(s.name) == expected


def test_char_array_field_too_long(cffi_):
    s = cffi_.new("struct s *")
    with pytest.raises(IndexError):
        s.name = b"hello!"


def test_char_array_field_refuses_str(cffi_):
    s = cffi_.new("struct s *")
    with pytest.raises(TypeError):
        s.name = "abc"


def test_unsigned_char_array_field_from_bytes(cffi_):
    s = cffi_.new("struct s *")
    s.ub = b"\x01\xff"
    assert list(s.ub) == [1, 255, 0]


def test_bool_array_field_from_bytes(cffi_):
    s = cffi_.new("struct s *")
    s.bb = b"\x00\x01"
    assert list(s.bb) == [False, True]
    with pytest.raises(ValueError):
        s.bb = b"\x03"


def test_wchar_array_field(cffi_):
    s = cffi_.new("struct s *")
    s.wn = "ab"
    assert list(s.wn) == ["a", "b", "\0", "\0"]
    s.wn = "wxyz"
    assert cffi_.string(s.wn) == "wxyz"
    with pytest.raises(IndexError):
        s.wn = "abcde"
    with pytest.raises(TypeError):
        s.wn = b"ab"


def test_two_dimensional_array_field(cffi_):
    s = cffi_.new("struct s *")
    s.ia2 = [[1, 2], [3]]
    assert [list(row) for row in s.ia2] == [[1, 2], [3, 0]]
    s.ia2[1] = [8, 9]
    assert list(s.ia2[1]) == [8, 9]


# --- structures and unions -----------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ({"y": 4}, (1, 4)),
    ([5, 6], (5, 6)),
    ((7,), (7, 2)),
])
def test_struct_field_from_dict_list_tuple(cffi_, value, expected):
    s = cffi_.new("struct s *", {"sub": [1, 2]})
    s.sub = value
    assert (s.sub.x, s.sub.y) == expected


def test_struct_field_from_struct_cdata(cffi_):
    s = cffi_.new("struct s *")
    src = cffi_.new("foo_t *", [7, 8])
    s.sub = src[0]
    assert (s.sub.x, s.sub.y) == (7, 8)
    src.x = 70
    assert s.sub.x == 7


@pytest.mark.parametrize("value", ["pointer", 5, b"ab"])
def test_struct_field_refuses(cffi_, value):
    s = cffi_.new("struct s *")
    if value == "pointer":
        value = cffi_.new("foo_t *", [7, 8])
    with pytest.raises(TypeError):
        s.sub = value


def test_struct_field_too_many_or_unknown(cffi_):
    s = cffi_.new("struct s *")
    with pytest.raises(ValueError):
        s.sub = [1, 2, 3]
    with pytest.raises(KeyError):
        s.sub = {"q": 1}


def test_struct_assignment_through_index(cffi_):
    p = cffi_.new("foo_t *", [1, 2])
    p[0] = [5, 6]
    assert (p.x, p.y) == (5, 6)
    p[0] = {"y": 9}
    assert (p.x, p.y) == (5, 9)


def test_union_field(cffi_):
    h = cffi_.new("struct holder *")
    h.un = {"d": 2.5}
    assert h.un.d == 2.5
    h.un = [3]
    assert h.un.i == 3
    with pytest.raises(ValueError):
        h.un = [1, 2]


# --- enums ---------------------------------------------------------------------------------

def test_enum_read_gives_int(cffi_):
    s = cffi_.new("struct se *", [7, -3])
    assert s.p == 7 and type(s.p) is int
    assert s.n == -3 and type(s.n) is int


def test_enum_unsigned_when_no_negative_values(cffi_):
    """Footnote 5: GCC's first choice is unsigned."""
    p = cffi_.new("enum pos *", 2 ** 32 - 1)
    assert p[0] == 2 ** 32 - 1
    with pytest.raises(OverflowError):
        p[0] = -1
    with pytest.raises(OverflowError):
        p[0] = 2 ** 32


def test_enum_signed_with_negative_values(cffi_):
    p = cffi_.new("enum neg *", -2 ** 31)
    assert p[0] == -2 ** 31
    with pytest.raises(OverflowError):
        p[0] = 2 ** 31


@pytest.mark.parametrize("value", ["PB", 1.0, None])
def test_enum_refuses_non_integers(cffi_, value):
    s = cffi_.new("struct se *")
    with pytest.raises(TypeError):
        s.p = value


def test_enum_value_as_string(cffi_):
    """Footnote 5: `ffi.string(ffi.cast("the_enum_type", x.field))`."""
    s = cffi_.new("struct se *", {"p": 7, "n": -2})
    assert cffi_.string(cffi_.cast("enum pos", s.p)) == "PB"
    assert cffi_.string(cffi_.cast("enum neg", s.n)) == "NB"
    assert cffi_.string(cffi_.cast("enum pos", 99)) == "99"


@pytest.mark.parametrize("target, source", [("char16_t", "char32_t"), ("char32_t", "char16_t"),
                                            ("wchar_t", "char16_t")])
def test_wide_char_cdata_of_another_size_is_refused(ffi, target, source):
    # as cffi: a char16_t is no char32_t (wchar_t and char32_t, both 4 bytes, are one type);
    # ffi.cast() converts between them
    value = ffi.cast(source, "z")
    with pytest.raises(TypeError, match="must be a unicode string of length 1, not "):
        ffi.new(target + " *", value)
    with pytest.raises(TypeError, match="must be a unicode string of length 1, not "):
        ffi.callback("int(%s)" % (target,), lambda c: 0)(value)
    assert ffi.string(ffi.cast(target, value)) == "z"
    assert ffi.new("wchar_t *", ffi.cast("char32_t", "z"))[0] == "z"


@pytest.mark.parametrize("ctype, filler, value, expected", [
    ("char", b"zzzz", b"ab", [b"a", b"b", b"\0", b"z"]),      # bytes: a zero if it fits
    ("wchar_t", "zzzz", "ab", ["a", "b", "z", "z"]),           # str: none, as cffi
    ("char16_t", "zzzz", "ab", ["a", "b", "z", "z"]),
    ("char32_t", "zzzz", "ab", ["a", "b", "z", "z"]),
    ("int", [9, 9, 9, 9], [1, 2], [1, 2, 9, 9]),
])
def test_array_assignment_writes_only_the_initializer(ctype, filler, value, expected):
    """Assigning a shorter value to an array field or item leaves the rest as it was, except
    the zero a bytes value ends with."""
    ffi = FFI()
    ffi.cdef("struct s { %s a[4]; };" % (ctype,))
    s = ffi.new("struct s *", [filler])
    s.a = value
    assert list(s.a) == expected
    arr = ffi.new("%s[2][4]" % (ctype,), [filler, filler])
    arr[1] = value
    assert list(arr[1]) == expected
