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
