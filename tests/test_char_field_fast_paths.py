"""Setting a `char x[N]` (or one-byte int array) field from bytes: copied in the field's setter
when it fits, NUL-ended if shorter; anything else goes to the array writer, with cffi's errors
(run with PURECFFI_TEST_AGAINST=cffi to check them)."""
import pytest

from _backend import FFI, IS_CFFI

CDEF = """
    struct s { int before; char name[8]; unsigned char raw[4]; signed char sc[3]; int after; };
"""


@pytest.fixture
def ffi():
    ffi = FFI()
    ffi.cdef(CDEF)
    return ffi


def test_shorter_is_nul_ended_rest_untouched(ffi):
    """Shorter bytes: copied, then one NUL; the bytes after the NUL are left as they were."""
    p = ffi.new("struct s *", {"before": -1, "after": -2})
    p.name = b"abcdefg"
    p.name = b"xy"
    assert ffi.buffer(p.name)[:] == b"xy\0defg\0"
    assert ffi.string(p.name) == b"xy"
    assert (p.before, p.after) == (-1, -2)


def test_exact_length_has_no_nul_and_does_not_overflow(ffi):
    """As many bytes as items: no NUL written (the next field is intact)."""
    p = ffi.new("struct s *", {"after": 7})
    p.raw = b"\xff\x00\x01\x02"
    assert list(p.raw) == [255, 0, 1, 2]
    p.sc = b"\x80\x7f\x01"
    assert list(p.sc) == [-128, 127, 1]
    assert p.after == 7


def test_too_long_and_other_values_use_the_writer(ffi):
    """Too long bytes, a bytearray, a str, a list: converted or refused as before."""
    p = ffi.new("struct s *")
    with pytest.raises(IndexError) as info:
        p.name = b"123456789"
    assert str(info.value) == "initializer bytes is too long for 'char[8]' (got 9 characters)"
    p.name = [b"a", b"b"]
    assert ffi.string(p.name) == b"ab"
    with pytest.raises(TypeError):
        p.name = "text"
    p.raw = [1, 2]
    assert list(p.raw)[:2] == [1, 2]


@pytest.mark.skipif(IS_CFFI, reason="cffi writes through the NULL pointer (a crash)")
def test_null_pointer_field_set_raises(ffi):
    """Through a NULL struct pointer: the NULL error, not a write."""
    q = ffi.cast("struct s *", 0)
    with pytest.raises(RuntimeError):
        q.name = b"ab"
