"""ffi.memmove, ffi.buffer and ffi.from_buffer: the edge cases of their fast paths."""
import pytest


def test_memmove_size_must_be_an_integer(ffi):
    a, b = ffi.new("char[10]", b"abc"), ffi.new("char[10]")
    with pytest.raises(TypeError, match="'float' object cannot be interpreted as an integer"):
        ffi.memmove(b, a, 1.5)
    with pytest.raises(TypeError):
        ffi.memmove(b, a, None)
    ffi.memmove(b, a, True)         # an int: one byte
    assert ffi.string(b) == b"a"


def test_memmove_zero_bytes_changes_nothing(ffi):
    a, b = ffi.new("char[4]", b"xyz"), ffi.new("char[4]", b"abc")
    ffi.memmove(b, a, 0)
    assert ffi.string(b) == b"abc"


def test_buffer_of_an_array_is_all_of_it(ffi):
    a = ffi.new("int[3]", [1, 2, 3])
    buf = ffi.buffer(a)
    assert len(buf) == 3 * ffi.sizeof("int")
    assert buf[:] == bytes(ffi.buffer(a, len(buf)))
    assert isinstance(buf, ffi.buffer)
    before = buf[:]
    a[1] = 7                        # a view, not a copy
    assert buf[:] != before
    assert buf[:] == ffi.buffer(ffi.new("int[3]", [1, 7, 3]))[:]


def test_buffer_full_slice_and_partial_slices_agree(ffi):
    c = ffi.new("char[]", b"hello")
    buf = ffi.buffer(c)
    assert buf[:] == b"hello\x00"
    assert buf[1:3] == b"el"
    assert buf[::1] == b"hello\x00"
    assert buf[4:1] == b""
    with pytest.raises(TypeError):
        buf[::2]


def test_buffer_of_an_empty_array(ffi):
    buf = ffi.buffer(ffi.new("int[]", 0))
    assert len(buf) == 0 and buf[:] == b""


def test_buffer_is_weakly_referenceable(ffi):
    import weakref
    buf = ffi.buffer(ffi.new("char[4]"))
    assert weakref.ref(buf)() is buf
