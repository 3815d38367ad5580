"""ffi.string() of a short wide-character array decodes the whole array at once, then cuts
at the first NUL: the units after the NUL, the maxlen and surrogates must not change a result."""
import pytest

from _backend import FFI


@pytest.fixture
def ffi():
    return FFI()


def test_invalid_unit_after_nul_is_not_read_as_a_character(ffi):
    """A unit that is no character after the NUL: the text before the NUL, no error."""
    w = ffi.new("char32_t[6]", "ab")
    ffi.cast("uint32_t *", w)[4] = 0x110000
    assert ffi.string(w) == "ab"


def _outcome(ffi, w, *maxlen):
    """ffi.string(w) or the error it raises, as a comparable value."""
    try:
        return ffi.string(w, *maxlen)
    except Exception as e:
        return type(e), str(e)


def test_invalid_unit_before_nul_same_as_the_long_path(ffi):
    """A unit that is no character before the NUL: what the short and long paths give agree."""
    w = ffi.new("char32_t[6]", "abcd")
    ffi.cast("uint32_t *", w)[1] = 0x110000
    w2 = ffi.new("char32_t[]", 2000)
    ffi.memmove(w2, w, ffi.sizeof(w))
    assert _outcome(ffi, w) == _outcome(ffi, w2)


@pytest.mark.parametrize("ctype", ["wchar_t", "char16_t", "char32_t"])
def test_short_arrays_cut_at_nul_or_maxlen(ctype, ffi):
    """No NUL: the whole array; a NUL: up to it; maxlen below the length: at most maxlen."""
    assert ffi.string(ffi.new(ctype + "[3]", "abc")) == "abc"
    assert ffi.string(ffi.new(ctype + "[]", "ab\0cd")) == "ab"
    assert ffi.string(ffi.new(ctype + "[]", "hello"), 3) == "hel"
    assert ffi.string(ffi.new(ctype + "[]", "hello"), 0) == ""
    assert ffi.string(ffi.new(ctype + "[]", "hello"), 99) == "hello"
    assert ffi.string(ffi.new(ctype + "[0]")) == ""


def test_char16_surrogates_before_and_at_the_nul(ffi):
    """A pair before the NUL is one character; a lone high surrogate before it stays alone."""
    w = ffi.new("char16_t[]", "a\U0001f600b")
    assert ffi.string(w) == "a\U0001f600b"
    w = ffi.new("char16_t[4]")
    w[0], w[1] = "x", "\ud83d"
    assert ffi.string(w) == "x\ud83d"


def test_long_array_takes_the_unit_by_unit_path(ffi):
    """Beyond the short size, the same text."""
    text = "x" * 3000
    w = ffi.new("wchar_t[]", text + "\0tail")
    assert ffi.string(w) == text
