"""Item reads and writes of char arrays and of pointers to numbers (purecffi reads them
through typed memoryviews when the address is aligned): the values, the errors, and the
unaligned and NULL cases."""
import pytest

from _backend import FFI


@pytest.fixture
def ffi():
    return FFI()


def test_char_array_items(ffi):
    c = ffi.new("char[]", b"hello")
    assert (c[0], c[1], c[5]) == (b"h", b"e", b"\0")
    assert list(c) == [b"h", b"e", b"l", b"l", b"o", b"\0"]
    c[1] = b"E"
    assert ffi.string(c) == b"hEllo"
    with pytest.raises(IndexError, match="negative index"):
        c[-1]
    with pytest.raises(IndexError, match=r"index too large for cdata 'char\[\]' \(expected 6 < 6\)"):
        c[6]


@pytest.mark.parametrize("value", [b"xy", b"", 120, "x", None])
def test_char_array_item_refused_values_leave_memory_alone(ffi, value):
    c = ffi.new("char[3]", b"ab")
    with pytest.raises(TypeError, match="initializer for ctype 'char' must be a bytes of length 1"):
        c[0] = value
    assert ffi.string(c) == b"ab"


def test_char_array_in_a_struct_and_from_a_cast(ffi):
    ffi.cdef("struct msg { int n; char text[8]; };")
    m = ffi.new("struct msg *", [1, b"abc"])
    assert (m.text[0], m.text[2], m.text[3]) == (b"a", b"c", b"\0")
    m.text[3] = b"d"
    assert ffi.string(m.text) == b"abcd"
    view = ffi.cast("char(*)[8]", ffi.addressof(m[0], "text"))[0]
    assert view[3] == b"d" and len(view) == 8


@pytest.mark.parametrize("kind, values", [
    ("signed char", [-128, 127]), ("unsigned short", [0, 65535]), ("int", [-2 ** 31, 7]),
    ("unsigned int", [2 ** 32 - 1, 1]), ("long long", [-2 ** 63, 2 ** 63 - 1]),
    ("float", [1.5, -0.25]), ("double", [1e300, -2.5])])
def test_pointer_items_of_each_size(ffi, kind, values):
    a = ffi.new(kind + "[4]")
    p = ffi.cast(kind + " *", a)
    p[1], p[2] = values
    assert (p[1], p[2], a[1], a[2]) == tuple(values) * 2
    q = p + 2
    assert (q[-1], q[0], q[-2]) == (values[0], values[1], a[0])


def test_pointer_item_writes_are_checked(ffi):
    a = ffi.new("int[2]", [1, 2])
    p = ffi.cast("int *", a)
    with pytest.raises(OverflowError):
        p[0] = 2 ** 31
    with pytest.raises(TypeError):
        p[1] = 1.5
    with pytest.raises(TypeError):
        p[1] = "3"
    assert list(a) == [1, 2]
    u = ffi.cast("unsigned char *", a)
    with pytest.raises(OverflowError):
        u[0] = -1
    assert a[0] == 1


def test_unaligned_pointer_items(ffi):
    buf = ffi.new("unsigned char[16]", list(range(16)))
    p = ffi.cast("int *", buf + 1)
    assert p[0] == int.from_bytes(bytes(range(1, 5)), "little")
    assert p[1] == int.from_bytes(bytes(range(5, 9)), "little")
    p[1] = -1
    assert list(buf[5:9]) == [255] * 4 and buf[4] == 4 and buf[9] == 9
    d = ffi.cast("double *", buf + 3)
    d[0] = 0.5
    assert d[0] == 0.5


def test_pointer_arithmetic_reaching_null_still_refuses(ffi):
    p = ffi.cast("int *", 8)
    null = p - 2
    assert null == ffi.NULL
    with pytest.raises(RuntimeError, match="cannot dereference null pointer"):
        null[0]
    with pytest.raises(RuntimeError, match="cannot dereference null pointer"):
        null[1] = 5


def test_pointer_items_with_index_objects_and_slices(ffi):
    a = ffi.new("short[6]", [0, 10, 20, 30, 40, 50])
    p = ffi.cast("short *", a)
    assert p[True] == 10
    s = p[1:3]
    assert ffi.typeof(s) is ffi.typeof("short[]") and list(s) == [10, 20]
    p[0:2] = [7, 8]
    assert list(a[0:3]) == [7, 8, 20]
