"""Tests for ffi.string, ffi.unpack, ffi.buffer, ffi.from_buffer and ffi.memmove (spec 7.1.6-7.1.8)."""
import array
import ctypes
import gc
import re
import struct
import sys
import warnings
import weakref

import pytest

from _backend import FFI, IS_CFFI


DECLS = """
    enum color { RED, GREEN = 5, BLUE };
    enum sign { NEG = -2, POS = 1 };
    typedef enum { TX = 1, TY = 2 } tenum_t;
    struct pt { int x; int y; };
    struct vs { int n; int items[]; };
"""


@pytest.fixture
def sffi(ffi):
    """An FFI with a few enums and structs declared."""
    ffi.cdef(DECLS)
    return ffi


# ---------------------------------------------------------------------------
# ffi.string()
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("ctype, init, expected", [
    ("char[]", b"hello", b"hello"),
    ("char[]", b"hel\0lo", b"hel"),
    ("char[]", b"", b""),
    ("char[10]", b"abc", b"abc"),
    ("char[3]", b"abc", b"abc"),          # no terminating NUL: stops at the array length
    ("unsigned char[]", b"ab\xffz", b"ab\xffz"),
    ("signed char[]", b"ab", b"ab"),
])
def test_string_of_char_array(ffi, ctype, init, expected):
    """A char array gives the bytes up to the first NUL (or the array end)."""
    p = ffi.new(ctype, init)
    result = ffi.string(p)
    assert type(result) is bytes
    assert result == expected


def test_string_of_zeroed_char_array_is_empty(ffi):
    assert ffi.string(ffi.new("char[10]")) == b""


def test_string_of_char_pointer_stops_at_nul(ffi):
    arr = ffi.new("char[]", b"foo\0bar")
    p = ffi.cast("char *", arr)
    assert ffi.string(p) == b"foo"
    assert ffi.string(p + 4) == b"bar"


@pytest.mark.parametrize("maxlen, expected", [
    (0, b""), (1, b"h"), (3, b"hel"), (5, b"hello"), (6, b"hello"), (100, b"hello"),
])
def test_string_maxlen_on_array(ffi, maxlen, expected):
    p = ffi.new("char[]", b"hello")
    assert ffi.string(p, maxlen) == expected


def test_string_maxlen_keyword(ffi):
    assert ffi.string(ffi.new("char[]", b"hello"), maxlen=2) == b"he"


def test_string_maxlen_on_pointer_without_nul(ffi):
    """maxlen limits how far ffi.string() looks for the NUL through a pointer."""
    arr = ffi.new("char[8]", b"abcdefgh")
    assert ffi.string(ffi.cast("char *", arr), 4) == b"abcd"
    assert ffi.string(ffi.cast("char *", arr) + 2, 3) == b"cde"


def test_string_of_array_slice(ffi):
    p = ffi.new("char[]", b"abcdef")
    assert ffi.string(p[1:4]) == b"bcd"


def test_string_of_row_of_2d_char_array(ffi):
    p = ffi.new("char[2][4]", [b"ab", b"cde"])
    assert ffi.string(p[0]) == b"ab"
    assert ffi.string(p[1]) == b"cde"


def test_string_of_pointer_to_one_char(ffi):
    assert ffi.string(ffi.new("char *", b"x")) == b"x"


def test_string_after_modifying_array(ffi):
    p = ffi.new("char[]", b"hello")
    p[0] = b"J"
    p[3] = b"\0"
    assert ffi.string(p) == b"Jel"


@pytest.mark.parametrize("ctype", ["wchar_t", "char16_t", "char32_t"])
@pytest.mark.parametrize("text", ["hello", "h\xe9llo \u263a", ""])
def test_string_of_unicode_arrays(ffi, ctype, text):
    p = ffi.new(ctype + "[]", text)
    result = ffi.string(p)
    assert type(result) is str
    assert result == text


@pytest.mark.parametrize("ctype", ["wchar_t", "char16_t", "char32_t"])
def test_string_of_unicode_array_non_bmp(ffi, ctype):
    """Characters outside the BMP survive the round trip (surrogates for char16_t)."""
    text = "a\U0001f600b"
    assert ffi.string(ffi.new(ctype + "[]", text)) == text


@pytest.mark.parametrize("ctype", ["wchar_t", "char16_t", "char32_t"])
def test_string_of_unicode_array_stops_at_nul_and_maxlen(ffi, ctype):
    p = ffi.new(ctype + "[]", "ab\0cd")
    assert ffi.string(p) == "ab"
    q = ffi.new(ctype + "[]", "abcd")
    assert ffi.string(q, 2) == "ab"
    assert ffi.string(ffi.cast(ctype + " *", q) + 1, 2) == "bc"


@pytest.mark.parametrize("ctype, value, expected", [
    ("char", 65, b"A"),
    ("char", 0, b"\x00"),
    ("unsigned char", 200, b"\xc8"),
    ("signed char", 66, b"B"),
    ("wchar_t", 0x263A, "\u263a"),
    ("char16_t", 0x263A, "\u263a"),
    ("char32_t", 0x1F600, "\U0001f600"),
])
def test_string_of_single_character_cdata(ffi, ctype, value, expected):
    result = ffi.string(ffi.cast(ctype, value))
    assert type(result) is type(expected)
    assert result == expected


@pytest.mark.parametrize("ctype, value, expected", [
    ("enum color", 0, "RED"),
    ("enum color", 5, "GREEN"),
    ("enum color", 6, "BLUE"),
    ("enum sign", -2, "NEG"),
    ("enum sign", 1, "POS"),
    ("tenum_t", 2, "TY"),
])
def test_string_of_enum_gives_name(sffi, ctype, value, expected):
    assert sffi.string(sffi.cast(ctype, value)) == expected


@pytest.mark.parametrize("ctype, value, expected", [
    ("enum color", 7, "7"),
    ("enum color", 1, "1"),
    ("enum sign", -3, "-3"),
    ("enum sign", 0, "0"),
])
def test_string_of_enum_unknown_value_gives_number(sffi, ctype, value, expected):
    result = sffi.string(sffi.cast(ctype, value))
    assert type(result) is str
    assert result == expected


@pytest.mark.parametrize("make", [
    lambda f: f.cast("int", 7),
    lambda f: f.cast("float", 1.5),
    lambda f: f.cast("_Bool", 1),
    lambda f: f.new("int[3]"),
    lambda f: f.new("int *"),
    lambda f: f.new("struct pt *"),
    lambda f: f.new("struct pt *")[0],
    lambda f: f.NULL,
    lambda f: f.new("char[2][3]"),
], ids=["int", "float", "bool", "int-array", "int-ptr", "struct-ptr", "struct",
        "void-ptr", "2d-char-array"])
def test_string_rejects_other_cdata_types(sffi, make):
    with pytest.raises(TypeError):
        sffi.string(make(sffi))


@pytest.mark.parametrize("obj", [b"abc", "abc", 5, None])
def test_string_rejects_non_cdata(ffi, obj):
    with pytest.raises(TypeError):
        ffi.string(obj)


def test_string_of_null_char_pointer_raises(ffi):
    with pytest.raises(RuntimeError, match="NULL"):
        ffi.string(ffi.cast("char *", 0))


# ---------------------------------------------------------------------------
# ffi.unpack()
# ---------------------------------------------------------------------------

def test_unpack_char_does_not_stop_at_nul(ffi):
    p = ffi.new("char[]", b"ab\0cd")
    result = ffi.unpack(p, 5)
    assert type(result) is bytes
    assert result == b"ab\0cd"


@pytest.mark.parametrize("length, expected", [(0, b""), (1, b"a"), (3, b"ab\0"), (6, b"ab\0cd\0")])
def test_unpack_char_lengths(ffi, length, expected):
    assert ffi.unpack(ffi.new("char[]", b"ab\0cd"), length) == expected


def test_unpack_char_pointer_and_offset(ffi):
    arr = ffi.new("char[]", b"0123456789")
    p = ffi.cast("char *", arr)
    assert ffi.unpack(p + 3, 4) == b"3456"


def test_unpack_equals_buffer_slice(ffi):
    arr = ffi.new("char[]", b"x\0y\0z")
    assert ffi.unpack(arr, 5) == ffi.buffer(arr, 5)[:]


@pytest.mark.parametrize("ctype", ["wchar_t", "char16_t", "char32_t"])
def test_unpack_unicode_types(ffi, ctype):
    p = ffi.new(ctype + "[]", "ab\0cd")
    result = ffi.unpack(p, 5)
    assert type(result) is str
    assert result == "ab\0cd"
    assert ffi.unpack(ffi.cast(ctype + " *", p) + 1, 2) == "b\0"


def test_unpack_char16_length_counts_units_with_surrogates(ffi):
    """For char16_t the length counts 16-bit units; a surrogate pair becomes one character."""
    p = ffi.new("char16_t[]", "h\U0001f600")
    assert len(p) == 4
    assert ffi.unpack(p, 3) == "h\U0001f600"


@pytest.mark.parametrize("ctype, values", [
    ("int", [1, -2, 3, 2**31 - 1]),
    ("unsigned char", [0, 1, 255]),
    ("signed char", [-128, 0, 127]),
    ("short", [-5, 6]),
    ("long long", [2**62, -1]),
    ("double", [1.5, -2.25, 0.0]),
    ("float", [1.5, 2.5]),
    ("_Bool", [True, False, True]),
])
def test_unpack_numbers_gives_list(ffi, ctype, values):
    p = ffi.new(ctype + "[]", values)
    result = ffi.unpack(p, len(values))
    assert type(result) is list
    assert result == values


def test_unpack_partial_length(ffi):
    assert ffi.unpack(ffi.new("int[]", [10, 20, 30, 40]), 2) == [10, 20]
    assert ffi.unpack(ffi.new("int[]", [10, 20, 30, 40]), 0) == []


def test_unpack_pointer_to_single_item(ffi):
    assert ffi.unpack(ffi.new("int *", 42), 1) == [42]


def test_unpack_enum_array_gives_ints(sffi):
    assert sffi.unpack(sffi.new("enum color[]", [0, 5, 6]), 3) == [0, 5, 6]


def test_unpack_struct_array_gives_struct_cdata(sffi):
    arr = sffi.new("struct pt[]", [[1, 2], [3, 4]])
    items = sffi.unpack(arr, 2)
    assert len(items) == 2
    for item in items:
        assert isinstance(item, sffi.CData)
        assert sffi.typeof(item) is sffi.typeof("struct pt")
    assert (items[0].x, items[0].y, items[1].x, items[1].y) == (1, 2, 3, 4)
    items[1].y = 40                      # the items reference the original memory
    assert arr[1].y == 40


def test_unpack_pointer_array_gives_pointer_cdata(ffi):
    target = ffi.new("int *", 5)
    arr = ffi.new("int *[]", [target, ffi.NULL])
    items = ffi.unpack(arr, 2)
    assert ffi.typeof(items[0]) is ffi.typeof("int *")
    assert items[0] == target
    assert items[0][0] == 5
    assert items[1] == ffi.NULL


def test_unpack_2d_array_gives_row_arrays(ffi):
    arr = ffi.new("int[2][3]", [[1, 2, 3], [4, 5, 6]])
    rows = ffi.unpack(arr, 2)
    assert [ffi.typeof(r) is ffi.typeof("int[3]") for r in rows] == [True, True]
    assert [list(r) for r in rows] == [[1, 2, 3], [4, 5, 6]]


def test_unpack_negative_length(ffi):
    with pytest.raises(ValueError, match="negative"):
        ffi.unpack(ffi.new("char[]", b"abc"), -1)


def test_unpack_void_pointer_unknown_item_size(ffi):
    p = ffi.new("char[4]")
    with pytest.raises(ValueError):
        ffi.unpack(ffi.cast("void *", p), 2)


@pytest.mark.parametrize("make", [lambda f: f.cast("int", 0), lambda f: b"abc", lambda f: 5])
def test_unpack_non_pointer(ffi, make):
    with pytest.raises(TypeError):
        ffi.unpack(make(ffi), 2)


def test_unpack_null_pointer(ffi):
    with pytest.raises(RuntimeError, match="NULL"):
        ffi.unpack(ffi.cast("int *", 0), 2)


# ---------------------------------------------------------------------------
# ffi.buffer()
# ---------------------------------------------------------------------------

@pytest.mark.xfail(not IS_CFFI and sys.version_info < (3, 12), strict=True,
                   reason="issues 2 and 11, a documented limit of Python < 3.12: a pure-Python "
                          "class can only export the buffer protocol by deriving from ctypes, so "
                          "each size of buffer is a subclass of ffi.buffer (docs/design.md, "
                          "'ffi.buffer')")
def test_buffer_is_a_type(ffi):
    assert isinstance(ffi.buffer, type)
    buf = ffi.buffer(ffi.new("char[]", b"hi"))
    assert isinstance(buf, ffi.buffer)
    assert type(buf) is ffi.buffer
    assert not isinstance(buf, ffi.CData)


_INT = ctypes.sizeof(ctypes.c_int)
_PTR = ctypes.sizeof(ctypes.c_void_p)


@pytest.mark.parametrize("ctype, init, expected_len", [
    ("char[]", b"hello", 6),
    ("int[10]", None, 10 * _INT),
    ("int[]", 7, 7 * _INT),
    ("int *", None, _INT),
    ("double *", None, ctypes.sizeof(ctypes.c_double)),
    ("struct pt *", None, 2 * _INT),
    ("struct pt[3]", None, 6 * _INT),
    ("char *[2]", None, 2 * _PTR),
    ("int[0]", None, 0),
])
def test_buffer_default_size(sffi, ctype, init, expected_len):
    """The default size is what the pointer points to, or the whole array."""
    p = sffi.new(ctype, init)
    assert len(sffi.buffer(p)) == expected_len


def test_buffer_of_struct_pointer_has_struct_size(sffi):
    p = sffi.new("struct pt *", [1, 2])
    buf = sffi.buffer(p)
    assert len(buf) == sffi.sizeof("struct pt")
    assert buf[:] == struct.pack("ii", 1, 2)


def test_buffer_default_size_of_var_sized_struct(sffi):
    p = sffi.new("struct vs *", [3, [4, 5, 6]])
    assert len(sffi.buffer(p)) == sffi.sizeof(p[0]) == 4 * _INT
    assert sffi.buffer(p)[:] == struct.pack("iiii", 3, 4, 5, 6)


def test_buffer_of_cast_pointer_uses_item_size(ffi):
    arr = ffi.new("char[]", b"abcdefgh")
    assert len(ffi.buffer(ffi.cast("int *", arr))) == ffi.sizeof("int")
    assert len(ffi.buffer(ffi.cast("short *", arr))) == ffi.sizeof("short")


def test_buffer_with_size(ffi):
    p = ffi.new("char[]", b"hello")
    buf = ffi.buffer(p, 2)
    assert len(buf) == 2
    assert buf[:] == b"he"
    assert ffi.buffer(p, size=3)[:] == b"hel"
    assert ffi.buffer(cdata=p)[:] == b"hello\0"
    assert ffi.buffer(p, 0)[:] == b""


def _malloc_allocator(ffi):
    ffi.cdef("void *malloc(size_t); void free(void *);")
    libc = ffi.dlopen(None)
    return ffi.new_allocator(alloc=libc.malloc, free=libc.free)


OWNS_ONLY = (r"ffi.buffer\(cdata, bytes\): creating a buffer of %d bytes over a cdata that "
             r"owns only %d bytes.  This will crash if you access the extra memory")


@pytest.mark.parametrize("make, size, owned", [
    (lambda ffi: ffi.new("int[4]"), 17, 16),
    (lambda ffi: ffi.new("char[]", 3), 4, 3),
    (lambda ffi: ffi.new("int *"), 5, 4),
    (lambda ffi: ffi.new("double[2]"), 100, 16),
    (lambda ffi: ffi.new_allocator(should_clear_after_alloc=False)("int[2]"), 9, 8),
])
def test_buffer_beyond_what_ffi_new_owns_warns(ffi, make, size, owned):
    """cffi 2.x warns when the size asked reaches past the memory ffi.new() gave."""
    cdata = make(ffi)
    with pytest.warns(UserWarning, match=OWNS_ONLY % (size, owned)) as record:
        assert len(ffi.buffer(cdata, size)) == size
    assert record[0].filename == __file__           # (pointing at the caller, as cffi)


@pytest.mark.parametrize("make, size", [
    (lambda ffi: ffi.new("int[4]"), 16),
    (lambda ffi: ffi.new("uint8_t[8]"), 8),
    (lambda ffi: ffi.new("int *"), 4),
    (lambda ffi: ffi.new("int[4]") + 1, 17),                  # not what ffi.new() returned
    (lambda ffi: ffi.cast("int *", ffi.new("int[4]")), 17),
    (lambda ffi: ffi.from_buffer(bytearray(4)), 5),
    (lambda ffi: ffi.gc(ffi.new("int[2]"), lambda p: None), 9),
    (lambda ffi: _malloc_allocator(ffi)("int[2]"), 9),        # its size is not known
])
def test_buffer_within_owned_memory_or_of_other_cdata_does_not_warn(ffi, make, size):
    cdata = make(ffi)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(ffi.buffer(cdata, size)) == size


def test_buffer_void_pointer_requires_size(ffi):
    arr = ffi.new("char[]", b"abc")
    vp = ffi.cast("void *", arr)
    with pytest.raises(TypeError):
        ffi.buffer(vp)
    assert ffi.buffer(vp, 3)[:] == b"abc"


@pytest.mark.parametrize("bad", [1.5, "3", None])
def test_buffer_size_wrong_type(ffi, bad):
    with pytest.raises(TypeError):
        ffi.buffer(ffi.new("char[]", b"abc"), bad)


def test_buffer_size_too_large(ffi):
    with pytest.raises(OverflowError):
        ffi.buffer(ffi.new("char[]", b"abc"), 2**70)


@pytest.mark.parametrize("make", [
    lambda f: f.cast("int", 5),
    lambda f: f.new("struct pt *")[0],
    lambda f: b"abc",
    lambda f: bytearray(3),
    lambda f: 42,
], ids=["int", "struct", "bytes", "bytearray", "pyint"])
def test_buffer_requires_pointer_or_array_cdata(sffi, make):
    with pytest.raises(TypeError):
        sffi.buffer(make(sffi))


def test_buffer_getitem_returns_bytes_of_length_1(ffi):
    buf = ffi.buffer(ffi.new("char[]", b"hello"))
    assert buf[0] == b"h"
    assert buf[4] == b"o"
    assert buf[5] == b"\0"
    assert buf[-1] == b"\0"
    assert buf[-6] == b"h"
    assert all(type(buf[i]) is bytes and len(buf[i]) == 1 for i in range(len(buf)))


@pytest.mark.parametrize("index", [6, 100, -7])
def test_buffer_getitem_out_of_range(ffi, index):
    buf = ffi.buffer(ffi.new("char[]", b"hello"))
    with pytest.raises(IndexError):
        buf[index]


@pytest.mark.parametrize("sl, expected", [
    (slice(None), b"hello\0"),
    (slice(1, 3), b"el"),
    (slice(None, 2), b"he"),
    (slice(3, None), b"lo\0"),
    (slice(-3, -1), b"lo"),
    (slice(0, 100), b"hello\0"),
    (slice(4, 1), b""),
])
def test_buffer_slicing(ffi, sl, expected):
    buf = ffi.buffer(ffi.new("char[]", b"hello"))
    assert buf[sl] == expected
    assert type(buf[sl]) is bytes


def test_buffer_slicing_with_step_rejected(ffi):
    buf = ffi.buffer(ffi.new("char[]", b"hello"))
    with pytest.raises(TypeError):
        buf[::2]


def test_buffer_bytes_copies(ffi):
    p = ffi.new("char[]", b"abc")
    buf = ffi.buffer(p)
    copy = bytes(buf)
    assert copy == b"abc\0"
    p[0] = b"X"
    assert copy == b"abc\0"
    assert bytes(buf) == b"Xbc\0"        # the buffer itself references live memory


def test_buffer_sees_later_changes(ffi):
    p = ffi.new("int[2]", [1, 2])
    buf = ffi.buffer(p)
    p[1] = 0x01020304
    assert buf[4:8] == (0x01020304).to_bytes(4, sys.byteorder)



def test_buffer_setitem(ffi):
    p = ffi.new("char[]", b"hello")
    buf = ffi.buffer(p)
    buf[0] = b"J"
    buf[-2] = b"y"
    assert ffi.string(p) == b"Jelly"


@pytest.mark.parametrize("value", [72, b"HH", b"", "H"])
def test_buffer_setitem_wrong_value(ffi, value):
    buf = ffi.buffer(ffi.new("char[]", b"hello"))
    with pytest.raises(TypeError):
        buf[0] = value


def test_buffer_setitem_out_of_range(ffi):
    buf = ffi.buffer(ffi.new("char[]", b"hello"))
    with pytest.raises(IndexError):
        buf[6] = b"x"


@pytest.mark.parametrize("source", [b"HELLO!", bytearray(b"HELLO!"), memoryview(b"HELLO!")],
                         ids=["bytes", "bytearray", "memoryview"])
def test_buffer_full_slice_assignment(ffi, source):
    p = ffi.new("char[]", b"hello")
    ffi.buffer(p)[:] = source
    assert ffi.unpack(p, 6) == b"HELLO!"


def test_buffer_partial_slice_assignment(ffi):
    p = ffi.new("char[]", b"hello")
    ffi.buffer(p)[1:3] = b"EL"
    assert ffi.string(p) == b"hELlo"


@pytest.mark.parametrize("value", [b"E", b"ELL"])
def test_buffer_slice_assignment_length_mismatch(ffi, value):
    p = ffi.new("char[]", b"hello")
    with pytest.raises(ValueError):
        ffi.buffer(p)[1:3] = value
    assert ffi.string(p) == b"hello"


def test_buffer_slice_assignment_from_str_rejected(ffi):
    p = ffi.new("char[]", b"hi")
    with pytest.raises(TypeError):
        ffi.buffer(p)[:] = "hi\0"


def test_buffer_slice_assignment_from_another_buffer(ffi):
    """Another ffi.buffer, or a ctypes array, is a source too (their buffers have no strides)."""
    p = ffi.new("char[]", b"hello")
    ffi.buffer(p)[1:3] = ffi.buffer(ffi.new("char[2]", b"zz"))
    assert ffi.string(p) == b"hzzlo"
    ffi.buffer(p)[3:5] = (ctypes.c_char * 2)(b"Q", b"R")
    assert ffi.string(p) == b"hzzQR"


def test_buffer_slice_assignment_copies_the_bytes_of_any_format(ffi):
    """The source's bytes count, whatever its item format; it must be contiguous."""
    p = ffi.new("char[]", b"hello")
    buf = ffi.buffer(p)
    buf[1:3] = array.array("h", [0x4241])
    assert ffi.string(p) == (b"hABlo" if sys.byteorder == "little" else b"hBAlo")
    with pytest.raises(ValueError, match="right operand length must match slice length"):
        buf[1:3] = array.array("i", [1])
    with pytest.raises(BufferError, match="not C-contiguous"):
        buf[1:3] = memoryview(b"abcd")[::2]


@pytest.mark.parametrize("statement, error, message", [
    ("buf[1.5]", TypeError, "buffer indices must be integers, not float"),
    ("buf['x'] = b'x'", TypeError, "buffer indices must be integers, not str"),
    ("buf[6] = b'x'", IndexError, "buffer assignment index out of range"),
    ("buf[-7] = b'x'", IndexError, "buffer assignment index out of range"),
    ("buf[6]", IndexError, "buffer index out of range"),
    ("buf[0] = bytearray(b'x')", TypeError, "must assign a bytes of length 1, not bytearray"),
    ("buf[0:2] = 'ab'", TypeError, "a bytes-like object is required, not 'str'"),
    ("buf[0:2] = [1, 2]", TypeError, "a bytes-like object is required, not 'list'"),
])
def test_buffer_item_errors(ffi, statement, error, message):
    """cffi's words for bad indexes and values."""
    namespace = {"buf": ffi.buffer(ffi.new("char[]", b"hello"))}
    with pytest.raises(error) as info:
        exec(statement, namespace)
    assert str(info.value) == message


def test_buffer_overwrite_struct(sffi):
    """The spec's example: ffi.buffer(p)[:] = newcontent overwrites a struct."""
    p = sffi.new("struct pt *", [1, 2])
    sffi.buffer(p)[:] = struct.pack("ii", 30, -40)
    assert (p.x, p.y) == (30, -40)
    assert sffi.buffer(p)[:] == struct.pack("ii", 30, -40)


def test_buffer_of_array_plus_index(ffi):
    arr = ffi.new("int[4]", [1, 2, 3, 4])
    buf = ffi.buffer(arr + 2)
    assert len(buf) == ffi.sizeof("int")
    buf[:] = (77).to_bytes(4, sys.byteorder, signed=True)
    assert list(arr) == [1, 2, 77, 4]


def test_buffer_keeps_cdata_alive(ffi):
    p = ffi.new("char[]", b"keepme")
    ref = weakref.ref(p)
    buf = ffi.buffer(p)
    del p
    gc.collect()
    assert ref() is not None
    assert buf[:] == b"keepme\0"
    del buf
    gc.collect()
    assert ref() is None


def test_buffer_memoryview(ffi):
    p = ffi.new("char[]", b"abcdef")
    m = memoryview(ffi.buffer(p))
    assert m.nbytes == 7
    assert (m.format, m.itemsize, m.ndim) == ("B", 1, 1)
    assert m[1] == ord("b")
    assert not m.readonly
    assert m.tobytes() == b"abcdef\0"
    m[0:2] = b"zz"
    assert ffi.string(p) == b"zzcdef"
    m.release()


def test_buffer_protocol_with_builtins(ffi):
    p = ffi.new("char[]", b"xyz")
    buf = ffi.buffer(p, 3)
    assert bytearray(buf) == bytearray(b"xyz")
    assert b"-".join([buf, buf]) == b"xyz-xyz"
    assert bytes(memoryview(buf)) == b"xyz"


def test_buffer_file_write(ffi, tmp_path):
    p = ffi.new("int[3]", [1, 2, 3])
    path = tmp_path / "out.bin"
    with open(path, "wb") as f:
        written = f.write(ffi.buffer(p))
    assert written == 3 * ffi.sizeof("int")
    assert path.read_bytes() == array.array("i", [1, 2, 3]).tobytes()


def test_buffer_file_readinto(ffi, tmp_path):
    path = tmp_path / "in.bin"
    path.write_bytes(array.array("i", [7, -8, 9]).tobytes())
    p = ffi.new("int[3]")
    with open(path, "rb") as f:
        n = f.readinto(ffi.buffer(p))
    assert n == 12
    assert list(p) == [7, -8, 9]


def test_buffer_readinto_struct(sffi, tmp_path):
    path = tmp_path / "pt.bin"
    path.write_bytes(array.array("i", [11, 22]).tobytes())
    p = sffi.new("struct pt *")
    with open(path, "rb") as f:
        f.readinto(sffi.buffer(p))
    assert (p.x, p.y) == (11, 22)


# ---------------------------------------------------------------------------
# ffi.from_buffer()
# ---------------------------------------------------------------------------

def test_from_buffer_bytearray_default_type(ffi):
    ba = bytearray(b"abcdef")
    c = ffi.from_buffer(ba)
    assert isinstance(c, ffi.CData)
    assert ffi.typeof(c) is ffi.typeof("char[]")
    assert len(c) == 6
    assert ffi.sizeof(c) == 6
    assert c[0] == b"a"
    assert c[5] == b"f"


def test_from_buffer_shares_memory_both_ways(ffi):
    ba = bytearray(b"abcdef")
    c = ffi.from_buffer(ba)
    c[0] = b"X"
    assert ba == bytearray(b"Xbcdef")
    ba[1] = ord("Y")
    assert c[1] == b"Y"
    assert ffi.buffer(c)[:] == b"XYcdef"


def test_from_buffer_bytes(ffi):
    c = ffi.from_buffer(b"hello")
    assert ffi.typeof(c) is ffi.typeof("char[]")
    assert len(c) == 5
    assert ffi.string(c) == b"hello"
    assert ffi.unpack(c, 5) == b"hello"


def test_from_buffer_empty(ffi):
    c = ffi.from_buffer(bytearray())
    assert len(c) == 0


def test_from_buffer_array_array(ffi):
    a = array.array("i", [1, 2, 3, 4, 5])
    c = ffi.from_buffer(a)
    assert ffi.typeof(c) is ffi.typeof("char[]")
    assert len(c) == 5 * a.itemsize
    ints = ffi.cast("int *", c)
    assert [ints[i] for i in range(5)] == [1, 2, 3, 4, 5]


def test_from_buffer_memoryview(ffi):
    ba = bytearray(b"wxyz")
    c = ffi.from_buffer(memoryview(ba)[1:3])
    assert len(c) == 2
    assert c[0] == b"x"
    c[1] = b"!"
    assert ba == bytearray(b"wx!z")


def test_from_buffer_of_ffi_buffer(ffi):
    p = ffi.new("char[]", b"abc")
    c = ffi.from_buffer(ffi.buffer(p))
    assert len(c) == 4
    c[0] = b"Z"
    assert p[0] == b"Z"


@pytest.mark.parametrize("cdecl", ["int[]", "int *"])
def test_from_buffer_with_ctype_int(ffi, cdecl):
    a = array.array("i", [1, 2, 3, 4, 5])
    c = ffi.from_buffer(cdecl, a)
    assert ffi.typeof(c) is ffi.typeof(cdecl)
    assert c[4] == 5
    c[0] = 100
    assert a[0] == 100


def test_from_buffer_int_array_length(ffi):
    a = array.array("i", [1, 2, 3, 4, 5])
    c = ffi.from_buffer("int[]", a)
    assert len(c) == 5
    assert list(c) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("flag", ["yes", None, 1.0])
def test_from_buffer_require_writable_must_be_an_integer(ffi, flag):
    """As cffi: an int (or bool) flag; the second call checks it too (the cached fast path)."""
    for _ in range(2):
        with pytest.raises(TypeError, match="object cannot be interpreted as an integer"):
            ffi.from_buffer("int[]", bytearray(8), require_writable=flag)
    assert len(ffi.from_buffer("int[]", bytearray(8), require_writable=1)) == 2
    with pytest.raises(BufferError):
        ffi.from_buffer("int[]", b"12345678", require_writable=1)


def test_from_buffer_of_a_ctypes_array_names_its_type(ffi):
    x = ffi.from_buffer((ctypes.c_int * 2)(1, 2))
    assert repr(x) == "<cdata 'char[]' buffer len 8 from 'c_int_Array_2' object>"


@pytest.mark.parametrize("cdecl", [bytearray(b"abc"), 5, None.__class__])
def test_from_buffer_refuses_a_first_argument_that_is_no_type(ffi, cdecl):
    """ffi.from_buffer(x, True) takes `x` for the type: a TypeError, with no other exception
    chained behind it."""
    with pytest.raises(TypeError) as info:
        ffi.from_buffer(cdecl, bytearray(4))
    if not IS_CFFI:
        assert str(info.value) == ("expected a C type as a string or a ctype object, got %s"
                                   % (type(cdecl).__name__,))
    assert info.value.__context__ is None


def test_from_buffer_ctype_object(ffi):
    a = array.array("i", [1, 2, 3])
    c = ffi.from_buffer(ffi.typeof("int[]"), a)
    assert list(c) == [1, 2, 3]


@pytest.mark.parametrize("cdecl, nbytes, expected_len", [
    ("int[]", 7, 1),
    ("int[]", 8, 2),
    ("short[]", 5, 2),
    ("int[]", 3, 0),
    ("struct pt[]", 17, 2),
])
def test_from_buffer_length_rounded_down(sffi, cdecl, nbytes, expected_len):
    assert len(sffi.from_buffer(cdecl, bytearray(nbytes))) == expected_len


def test_from_buffer_fixed_length_array(ffi):
    a = array.array("i", [1, 2, 3, 4, 5])
    c = ffi.from_buffer("int[3]", a)
    assert ffi.typeof(c) is ffi.typeof("int[3]")
    assert len(c) == 3
    assert list(c) == [1, 2, 3]


def test_from_buffer_2d_array(ffi):
    a = array.array("i", [1, 2, 3, 4, 5, 6])
    c = ffi.from_buffer("int[2][3]", a)
    assert len(c) == 2
    assert list(c[1]) == [4, 5, 6]


@pytest.mark.parametrize("cdecl", ["int[6]", "int[2][3]"])
def test_from_buffer_too_small(ffi, cdecl):
    a = array.array("i", [1, 2, 3, 4, 5])
    with pytest.raises(ValueError, match="too small"):
        ffi.from_buffer(cdecl, a)


def test_from_buffer_struct_pointer(sffi):
    a = array.array("i", [7, 8, 9, 10])
    p = sffi.from_buffer("struct pt *", a)
    assert (p.x, p.y) == (7, 8)
    assert p[1].x == 9
    p.y = -1
    assert a[1] == -1


@pytest.mark.parametrize("cdecl", ["int", "struct pt"])
def test_from_buffer_requires_pointer_or_array_ctype(sffi, cdecl):
    with pytest.raises(TypeError):
        sffi.from_buffer(cdecl, bytearray(16))


@pytest.mark.parametrize("obj", [bytearray(b"ab"), array.array("b", [1]), memoryview(bytearray(2))],
                         ids=["bytearray", "array", "memoryview"])
def test_from_buffer_require_writable_ok(ffi, obj):
    c = ffi.from_buffer(obj, require_writable=True)
    assert len(c) == len(memoryview(obj).cast("B"))


@pytest.mark.parametrize("obj", [b"abc", memoryview(b"abc")], ids=["bytes", "memoryview"])
def test_from_buffer_require_writable_fails_on_readonly(ffi, obj):
    """The exact exception comes from the object itself; for bytes it is BufferError."""
    with pytest.raises((BufferError, TypeError)):
        ffi.from_buffer(obj, require_writable=True)
    with pytest.raises((BufferError, TypeError)):
        ffi.from_buffer("char[]", obj, True)


def test_from_buffer_readonly_allowed_by_default(ffi):
    c = ffi.from_buffer(b"abc", require_writable=False)
    assert ffi.unpack(c, 3) == b"abc"


@pytest.mark.parametrize("obj", [42, None, [1, 2], 1.5, object()])
def test_from_buffer_non_buffer_objects(ffi, obj):
    with pytest.raises(TypeError):
        ffi.from_buffer(obj)


def test_from_buffer_unicode_rejected(ffi):
    with pytest.raises(TypeError):
        ffi.from_buffer("unicode")
    with pytest.raises(TypeError):
        ffi.from_buffer("char[]", "unicode")


def test_from_buffer_cdata_rejected(ffi):
    with pytest.raises(TypeError):
        ffi.from_buffer(ffi.new("char[]", b"abc"))


class _ByteArraySub(bytearray):
    """A weak-referenceable bytearray."""


@pytest.mark.parametrize("cdecl", [None, "int[]", "int *"])
def test_from_buffer_keeps_object_alive(ffi, cdecl):
    obj = _ByteArraySub(b"hello\0\0\0")
    ref = weakref.ref(obj)
    c = ffi.from_buffer(obj) if cdecl is None else ffi.from_buffer(cdecl, obj)
    del obj
    gc.collect()
    assert ref() is not None
    assert ffi.buffer(c, 5)[:] == b"hello"
    del c
    gc.collect()
    assert ref() is None


def test_from_buffer_locks_bytearray_until_released(ffi):
    """On CPython the buffer is locked while the cdata is alive; ffi.release() unlocks it."""
    ba = bytearray(b"abc")
    c = ffi.from_buffer(ba)
    with pytest.raises(BufferError):
        ba.append(1)
    ffi.release(c)
    ba.append(1)
    assert ba == bytearray(b"abc\x01")


def test_from_buffer_with_statement_releases(ffi):
    ba = bytearray(b"abc")
    with ffi.from_buffer(ba) as c:
        assert c[2] == b"c"
        with pytest.raises(BufferError):
            ba.extend(b"more")
    ba.extend(b"more")
    assert ba == bytearray(b"abcmore")


# ---------------------------------------------------------------------------
# ffi.memmove()
# ---------------------------------------------------------------------------

def test_memmove_bytes_into_cdata(ffi):
    p = ffi.new("char[]", b"hello world")
    assert ffi.memmove(p, b"HE", 2) is None
    assert ffi.string(p) == b"HEllo world"


def test_memmove_cdata_into_bytearray(ffi):
    p = ffi.new("char[]", b"hello")
    ba = bytearray(5)
    ffi.memmove(ba, p, 5)
    assert ba == bytearray(b"hello")


def test_memmove_cdata_to_cdata(ffi):
    src = ffi.new("int[3]", [7, 8, 9])
    dst = ffi.new("int[3]")
    ffi.memmove(dst, src, ffi.sizeof(src))
    assert list(dst) == [7, 8, 9]


def test_memmove_partial(ffi):
    src = ffi.new("int[3]", [7, 8, 9])
    dst = ffi.new("int[3]", [1, 1, 1])
    ffi.memmove(dst + 1, src, 2 * ffi.sizeof("int"))
    assert list(dst) == [1, 7, 8]


def test_memmove_overlap_forward(ffi):
    p = ffi.new("char[]", b"abcdefgh")
    ffi.memmove(p + 1, p, 5)
    assert ffi.string(p) == b"aabcdegh"


def test_memmove_overlap_backward(ffi):
    p = ffi.new("char[]", b"abcdefgh")
    ffi.memmove(p, p + 2, 5)
    assert ffi.string(p) == b"cdefgfgh"


def test_memmove_overlap_ints(ffi):
    q = ffi.new("int[5]", [1, 2, 3, 4, 5])
    ffi.memmove(q + 1, q, 3 * ffi.sizeof("int"))
    assert list(q) == [1, 1, 2, 3, 5]


@pytest.mark.parametrize("src", [bytearray(b"zz!"), memoryview(b"zz!"), array.array("b", b"zz!")],
                         ids=["bytearray", "memoryview", "array"])
def test_memmove_buffer_sources(ffi, src):
    p = ffi.new("char[]", b"hello")
    ffi.memmove(p, src, 3)
    assert ffi.string(p) == b"zz!lo"


def test_memmove_into_array_array(ffi):
    a = array.array("i", [0, 0, 0])
    ffi.memmove(a, ffi.new("int[3]", [4, 5, 6]), 12)
    assert a.tolist() == [4, 5, 6]


def test_memmove_from_array_array(ffi):
    q = ffi.new("int[3]")
    ffi.memmove(q, array.array("i", [9, 8, 7]), 12)
    assert list(q) == [9, 8, 7]


def test_memmove_with_ffi_buffer_objects(ffi):
    q = ffi.new("int[2]", [1, 2])
    ffi.memmove(ffi.buffer(q), ffi.buffer(ffi.new("int *", 77)), ffi.sizeof("int"))
    assert list(q) == [77, 2]


def test_memmove_keyword_arguments(ffi):
    p = ffi.new("char[]", b"abc")
    ffi.memmove(dest=p, src=b"X", n=1)
    assert ffi.string(p) == b"Xbc"


def test_memmove_zero_bytes(ffi):
    p = ffi.new("char[]", b"abc")
    ffi.memmove(p, b"xyz", 0)
    assert ffi.string(p) == b"abc"


def test_memmove_into_readonly_bytes_fails(ffi):
    data = b"xxxxx"
    with pytest.raises((BufferError, TypeError)):
        ffi.memmove(data, ffi.new("char[]", b"abcde"), 5)
    assert data == b"xxxxx"


def test_memmove_require_writable_hack(ffi):
    """ffi.memmove(obj, b"", 0) fails only if obj is read-only (spec 7.1.7)."""
    ffi.memmove(bytearray(3), b"", 0)
    with pytest.raises((BufferError, TypeError)):
        ffi.memmove(b"abc", b"", 0)


@pytest.mark.parametrize("dest, src", [
    ("cdata", "str"), ("cdata", 42), (42, "cdata"), ("cdata", None),
])
def test_memmove_bad_argument_types(ffi, dest, src):
    p = ffi.new("char[]", b"abc")
    dest = p if dest == "cdata" else dest
    src = p if src == "cdata" else src
    with pytest.raises(TypeError):
        ffi.memmove(dest, src, 2)


def test_memmove_non_pointer_cdata(ffi):
    with pytest.raises(TypeError):
        ffi.memmove(ffi.cast("int", 3), b"x", 1)


def test_memmove_negative_size(ffi):
    p = ffi.new("char[]", b"abc")
    with pytest.raises(ValueError, match="negative"):
        ffi.memmove(p, b"x", -1)


@pytest.mark.parametrize("cdecl, expected", [(None, 8), ("int[]", 2), ("int[1]", 1)])
def test_from_buffer_repr_counts_items(ffi, cdecl, expected):
    ba = bytearray(b"abcdefgh")
    p = ffi.from_buffer(ba) if cdecl is None else ffi.from_buffer(cdecl, ba)
    assert repr(p).endswith("buffer len %d from 'bytearray' object>" % (expected,))


def test_buffer_repr_is_cffis(ffi):
    b = ffi.buffer(ffi.new("int[2]"))
    assert re.fullmatch(r"<_cffi_backend\.buffer object at 0x[0-9a-f]+>", repr(b)), repr(b)
    assert str(b) == repr(b)


@pytest.mark.parametrize("code", [0x110000, -1, 0x7FFFFFFF])
def test_string_of_a_wide_char_beyond_unicode_is_refused(code):
    """ffi.string() of a wchar_t value that is no character raises (cffi: a SystemError by
    accident); purecffi names the code, as unpack() does, not an internal chr() error."""
    ffi = FFI()
    with pytest.raises((ValueError, SystemError)) as info:
        ffi.string(ffi.cast("wchar_t", code))
    if not IS_CFFI:
        assert str(info.value) == "%d out of range for 'wchar_t': not a unicode character" % code
