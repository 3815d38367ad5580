"""ffi.string() and ffi.unpack() at every length class, on owned, sliced and cast memory."""
import pytest

LENGTHS = [0, 1, 10, 255, 256, 257, 1000, 4095, 4096, 4097, 20000]


def _text(n):
    return bytes(65 + i % 26 for i in range(n))


@pytest.mark.parametrize("n", LENGTHS)
def test_string_of_an_owned_char_array(ffi, n):
    x = ffi.new("char[]", _text(n))
    assert ffi.string(x) == _text(n)
    assert ffi.string(x, n // 2) == _text(n // 2)


@pytest.mark.parametrize("n", LENGTHS)
def test_string_stops_at_the_first_nul(ffi, n):
    x = ffi.new("char[]", n + 8)
    ffi.memmove(x, _text(n), n)
    x[n // 3] = b"\0"
    assert ffi.string(x) == _text(n // 3)
    assert ffi.string(ffi.cast("char *", x)) == _text(n // 3)


@pytest.mark.parametrize("n", [10, 300, 5000])
def test_string_of_a_full_array_without_nul(ffi, n):
    x = ffi.new("char[%d]" % n)
    ffi.memmove(x, _text(n), n)
    assert ffi.string(x) == _text(n)          # the array's length bounds it


@pytest.mark.parametrize("n", [10, 300, 5000])
def test_string_of_a_slice_starts_at_the_slice(ffi, n):
    x = ffi.new("char[]", _text(n))
    assert ffi.string(x[3:n]) == _text(n)[3:]
    assert ffi.string(x + 3) == _text(n)[3:]


def test_string_maxlen_of_a_pointer_and_an_index(ffi):
    import operator

    class Four:
        def __index__(self):
            return 4
    x = ffi.new("char[]", b"hello world")
    p = ffi.cast("char *", x)
    assert ffi.string(p, 5) == b"hello"
    assert ffi.string(x, Four()) == b"hell"
    assert operator.index(Four()) == 4
    with pytest.raises(TypeError):
        ffi.string(x, 2.0)


def test_string_of_other_char_types(ffi):
    assert ffi.string(ffi.new("unsigned char[]", b"abc")) == b"abc"
    assert ffi.string(ffi.new("signed char[]", b"xy")) == b"xy"
    assert ffi.string(ffi.new("char *", b"z")) == b"z"


def test_string_of_null_refused(ffi):
    with pytest.raises(RuntimeError):
        ffi.string(ffi.cast("char *", 0))


@pytest.mark.parametrize("n", [0, 1, 10, 1000, 100000])
def test_unpack_chars(ffi, n):
    x = ffi.new("char[]", _text(n))
    assert ffi.unpack(x, n) == _text(n)
    assert ffi.unpack(ffi.cast("char *", x) + 1, max(n - 1, 0)) == _text(n)[1:]


@pytest.mark.parametrize("ctype, values", [
    ("int", [0, -1, 2 ** 31 - 1, -2 ** 31]),
    ("unsigned char", [0, 1, 255]),
    ("signed char", [-128, 0, 127]),
    ("long long", [-2 ** 63, 2 ** 63 - 1]),
    ("double", [0.5, -1e300]),
    ("float", [0.5, -2.0]),
    ("_Bool", [True, False, True]),
])
def test_unpack_numbers_again_and_again(ffi, ctype, values):
    a = ffi.new("%s[]" % ctype, values)
    for _ in range(3):                      # the first call prepares the type's fast path
        result = ffi.unpack(a, len(values))
        assert result == values
        assert [type(v) for v in result] == [type(v) for v in values]
        assert ffi.unpack(a, 0) == []


def test_unpack_of_an_unaligned_int_pointer(ffi):
    raw = ffi.new("char[]", 16)
    ffi.memmove(raw + 1, ffi.new("int[2]", [7, -8]), 2 * ffi.sizeof("int"))
    ffi.unpack(ffi.new("int[1]"), 1)        # prepared
    assert ffi.unpack(ffi.cast("int *", raw + 1), 2) == [7, -8]


def test_unpack_errors(ffi):
    a = ffi.new("int[3]")
    with pytest.raises(ValueError):
        ffi.unpack(a, -1)
    with pytest.raises(TypeError):
        ffi.unpack(a, 1.0)
    with pytest.raises(TypeError):
        ffi.unpack(ffi.cast("int", 3), 1)
    with pytest.raises(TypeError):
        ffi.unpack(b"abc", 1)
    with pytest.raises(RuntimeError):
        ffi.unpack(ffi.cast("int *", 0), 1)
    with pytest.raises(RuntimeError, match="cannot use unpack"):
        ffi.unpack(ffi.cast("int *", 0), 0)


@pytest.mark.parametrize("maxlen, expected", [(6, b"hello"), (5, b"hello"), (3, b"hel"),
                                              (12, b"hello"), (0, b"")])
def test_string_maxlen_around_a_nul(ffi, maxlen, expected):
    x = ffi.new("char[]", b"hello\0world")
    assert ffi.string(ffi.cast("char *", x), maxlen) == expected
    assert ffi.string(x, maxlen) == expected


WIDE_TEXTS = ["", "hello", "h\u20acllo \U0001F600 x", "a\0b", "\ud800x", "\U0001F600" * 300]


@pytest.mark.parametrize("ctype", ["wchar_t", "char16_t", "char32_t"])
@pytest.mark.parametrize("text", WIDE_TEXTS)
def test_wide_strings_round_trip(ffi, ctype, text):
    """Wide-character arrays from a str, read back by string() and unpack() from the array,
    a pointer, with limits, and from a var-sized struct's last field."""
    x = ffi.new(ctype + "[]", text)
    units = len(x) - 1                       # (char16_t: a pair of units per astral char)
    assert ffi.unpack(x, units) == text
    before_nul = text.split("\0")[0]
    assert ffi.string(x) == before_nul
    assert ffi.string(ffi.cast(ctype + " *", x)) == before_nul
    assert ffi.string(x, 2) == ffi.unpack(x, 2).split("\0")[0]
    assert ffi.unpack(ffi.cast(ctype + " *", x), units) == text
    sized = ffi.new(ctype + "[%d]" % (units + 3), text)
    assert ffi.string(sized) == before_nul and ffi.unpack(sized, units) == text
    with pytest.raises(IndexError, match="initializer unicode is too long"):
        ffi.new(ctype + "[%d]" % (units - 1,), text) if units else ffi.new(ctype + "[0]", "a")


def test_wide_strings_in_a_var_sized_struct():
    from _backend import FFI
    ffi = FFI()
    ffi.cdef("struct s { int n; wchar_t w[]; };")
    p = ffi.new("struct s *", [1, "ab\U0001F600"])
    assert ffi.string(p.w) == "ab\U0001F600" and len(p.w) == 4


SSIZE_MAX = (1 << 63) - 1


@pytest.mark.parametrize("ctype", ["char", "signed char", "unsigned char", "wchar_t", "char16_t",
                                   "char32_t"])
@pytest.mark.parametrize("kind", ["array", "pointer"])
@pytest.mark.parametrize("maxlen", [1 << 63, -(1 << 63) - 1, 1 << 64, 10 ** 30])
def test_string_maxlen_beyond_ssize_t_overflows(ffi, ctype, kind, maxlen):
    init = {"char": b"AB", "signed char": [65, 66, 0], "unsigned char": [65, 66, 0]}
    x = ffi.new(ctype + "[]", init.get(ctype, "AB"))
    if kind == "pointer":
        x = ffi.cast(ctype + " *", x)
    with pytest.raises(OverflowError):
        ffi.string(x, maxlen)


@pytest.mark.parametrize("ctype", ["char", "signed char", "unsigned char", "wchar_t", "char16_t",
                                   "char32_t"])
@pytest.mark.parametrize("n", [0, 5, 4095, 4096, 4097, 9000])
@pytest.mark.parametrize("maxlen", [SSIZE_MAX, 1 << 47, 10 ** 6, 4097])
def test_string_of_a_pointer_with_a_huge_maxlen_stops_at_the_nul(ffi, ctype, n, maxlen):
    """A maxlen far beyond the string reads up to the NUL only, as cffi does (nothing after
    it, which could be unmapped)."""
    units = [0x41 + i % 26 for i in range(n)]
    expected = units[:maxlen]
    wide = ctype not in ("char", "signed char", "unsigned char")
    init = "".join(map(chr, units)) + "\0xyz" if wide else units + [0, 7, 7]
    if ctype == "char":
        init = bytes(init)
    owner = ffi.new(ctype + "[]", init)
    text = ffi.string(ffi.cast(ctype + " *", owner), maxlen)
    assert text == ("".join(map(chr, expected)) if wide else bytes(expected))


GUARD_PAGE_CHILD = r'''
import mmap, sys
sys.path.insert(0, sys.argv[1])
from _backend import FFI
ffi = FFI()
ffi.cdef("int mprotect(void *, size_t, int);")
libc = ffi.dlopen(None)
page = mmap.PAGESIZE
memory = mmap.mmap(-1, 2 * page)
base = ffi.cast("char *", ffi.from_buffer(memory))
assert libc.mprotect(base + page, page, 0) == 0     # the second page: PROT_NONE
for ctype, unit, text in [("char", 1, b"ab"), ("signed char", 1, b"ab"),
                          ("unsigned char", 1, b"ab"), ("wchar_t", 4, "ab"),
                          ("char16_t", 2, "ab"), ("char32_t", 4, "ab")]:
    # "ab" and its NUL end exactly where the first page ends
    start = page - 3 * unit
    p = ffi.cast(ctype + " *", base + start)
    p[0], p[1], p[2] = ((b"a", b"b", b"\0") if ctype == "char" else
                        (97, 98, 0) if unit == 1 else ("a", "b", "\0"))
    for maxlen in (3, 4, 100, 5000, 10 ** 6):
        assert ffi.string(p, maxlen) == text, (ctype, maxlen)
print("ok")
'''


def test_string_with_maxlen_reads_nothing_after_the_nul(tmp_path):
    """ffi.string(p, maxlen) of a pointer to a string that ends where the memory ends (an
    inaccessible page after it) stops at the NUL, as cffi does: no read beyond, no crash."""
    import os
    import subprocess
    import sys
    script = tmp_path / "guard.py"
    script.write_text(GUARD_PAGE_CHILD)
    proc = subprocess.run([sys.executable, str(script), os.path.dirname(__file__)],
                          capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert (proc.returncode, proc.stdout.strip()) == (0, "ok"), proc.stderr
