"""ffi.memmove() and ffi.release(): their common cases (cdata at both ends and an int size;
memory of ffi.new()) and everything around them, as cffi."""
import array
import gc
import mmap

import pytest

from _backend import FFI


@pytest.fixture
def ffi():
    return FFI()


@pytest.mark.parametrize("n", [0, 1, 7, 400])
def test_memmove_between_cdata(ffi, n):
    src = ffi.new("unsigned char[]", bytes(range(200)) * 2)
    dest = ffi.new("unsigned char[400]")
    ffi.memmove(dest, src, n)
    assert ffi.buffer(dest)[:] == bytes(src[0:n]) + b"\0" * (400 - n)
    pointer = ffi.cast("unsigned char *", dest)
    ffi.memmove(pointer + 1, ffi.cast("void *", src), n // 2)
    assert ffi.buffer(dest, n // 2 + 1)[1:] == bytes(src[0:n // 2])


def test_memmove_overlapping(ffi):
    a = ffi.new("int[10]", list(range(10)))
    ffi.memmove(a + 1, a, 4 * 9)
    assert list(a) == [0, 0, 1, 2, 3, 4, 5, 6, 7, 8]
    ffi.memmove(a, a + 2, 4 * 8)
    assert list(a) == [1, 2, 3, 4, 5, 6, 7, 8, 7, 8]


def test_memmove_size_argument(ffi):
    class Size:
        def __index__(self):
            return 3
    a = ffi.new("char[]", b"abcdef")
    b = ffi.new("char[8]")
    ffi.memmove(b, a, Size())
    assert ffi.string(b) == b"abc"
    ffi.memmove(b, a, True)
    assert ffi.string(b) == b"abc"
    with pytest.raises(ValueError):
        ffi.memmove(b, a, -1)
    with pytest.raises(TypeError):
        ffi.memmove(b, a, 2.0)
    with pytest.raises(TypeError):
        ffi.memmove(b, a, "2")


def test_memmove_python_buffers(ffi):
    dest = ffi.new("char[8]")
    ffi.memmove(dest, b"xyz", 3)
    assert ffi.string(dest) == b"xyz"
    target = bytearray(6)
    ffi.memmove(target, ffi.new("char[]", b"hello"), 5)
    assert target == bytearray(b"hello\0")
    ffi.memmove(target, memoryview(b"--ab--")[2:], 2)
    assert target == bytearray(b"abllo\0")
    numbers = array.array("i", [0, 0])
    ffi.memmove(numbers, ffi.new("int[2]", [5, 6]), 8)
    assert list(numbers) == [5, 6]
    mapped = mmap.mmap(-1, 16)
    ffi.memmove(mapped, b"map", 3)
    assert mapped[:3] == b"map"
    mapped.close()
    with pytest.raises(BufferError):
        ffi.memmove(b"readonly", dest, 1)
    with pytest.raises(TypeError):
        ffi.memmove(dest, "text", 1)
    with pytest.raises(TypeError):
        ffi.memmove(dest, 42, 1)
    with pytest.raises(TypeError):
        ffi.memmove(ffi.cast("int", 1), dest, 1)


_ENDS = {
    "char[]": lambda ffi: ffi.new("char[]", b"0123456789"),
    "int *": lambda ffi: ffi.cast("int *", ffi.new("char[]", b"0123456789")),
    "bytes": lambda ffi: b"abcdefghij",
    "bytearray": lambda ffi: bytearray(b"ABCDEFGHIJ"),
    "short bytearray": lambda ffi: bytearray(b"xy"),
    "memoryview": lambda ffi: memoryview(bytearray(b"klmnopqrst")),
    "struct": lambda ffi: ffi.new("struct { int a, b, c; } *")[0],
    "str": lambda ffi: "text",
}


def _contents(ffi, obj):
    """What an end of memmove holds afterwards, as bytes (or its repr when it is no buffer)."""
    if isinstance(obj, ffi.CData):
        try:
            return ffi.buffer(obj, 10)[:]
        except TypeError:
            return repr(obj)
    try:
        return bytes(obj)
    except TypeError:
        return repr(obj)


_PYTHON_LENGTHS = {"bytes": 10, "bytearray": 10, "short bytearray": 2, "memoryview": 10}


@pytest.mark.parametrize("dest, src, n", [
    (dest, src, n) for dest in sorted(_ENDS) for src in sorted(_ENDS) for n in (0, 2, 4, 10)
    # (not beyond the end of a Python buffer: undefined behaviour, as in C)
    if n <= min(_PYTHON_LENGTHS.get(dest, n), _PYTHON_LENGTHS.get(src, n))])
def test_memmove_grid_of_ends_and_sizes(ffi, dest, src, n):
    """Every pair of ends (cdata, Python buffers, refused objects) with sizes that fit both:
    the bytes copied, or the error, are cffi's."""
    d, s = _ENDS[dest](ffi), _ENDS[src](ffi)
    try:
        ffi.memmove(d, s, n)
    except (TypeError, ValueError, BufferError) as exc:
        outcome = (type(exc).__name__, str(exc))
    else:
        outcome = _contents(ffi, d)
    expected = {
        ("bytes", "*"): ("BufferError", "Object is not writable."),
        ("str", "*"): ("TypeError", "a bytes-like object is required, not 'str'"),
        ("struct", "*"): ("TypeError", "expected a pointer or array ctype, got 'struct $1'"),
    }
    expected_outcome = expected.get((src, "*")) if src in ("str", "struct") else None
    if expected_outcome is None:        # (the source is checked first)
        expected_outcome = expected.get((dest, "*"))
    if expected_outcome is None:
        source = _contents(ffi, _ENDS[src](ffi))[:n]
        before = _contents(ffi, _ENDS[dest](ffi))
        expected_outcome = source + before[n:]
    if isinstance(expected_outcome, tuple) and "struct" in expected_outcome[1]:
        assert outcome[0] == "TypeError" and "expected a pointer or array ctype" in outcome[1]
    else:
        assert outcome == expected_outcome


def test_release_of_new(ffi):
    for cdecl, init in (("int[10]", None), ("int *", 5), ("char[]", b"abc"),
                        ("struct { int x; } *", None)):
        if "struct" in cdecl:
            ffi.cdef("struct s_rel { int x; };")
            cdecl = "struct s_rel *"
        p = ffi.new(cdecl, init)
        ffi.release(p)
        ffi.release(p)                      # twice is fine
    with ffi.new("int[4]") as p:
        p[0] = 1


def test_release_of_custom_allocations(ffi):
    freed = []
    alloc = ffi.new_allocator(lambda n: ffi.new("char[]", n), freed.append)
    p = alloc("int[4]")
    ffi.release(p)
    assert len(freed) == 1
    ffi.release(p)
    assert len(freed) == 1                  # once only
    del p
    gc.collect()
    assert len(freed) == 1


def test_release_of_gc_and_from_buffer(ffi):
    called = []
    p = ffi.gc(ffi.new("int *"), called.append)
    ffi.release(p)
    assert len(called) == 1
    source = bytearray(4)
    view = ffi.from_buffer(source)
    ffi.release(view)
    source.extend(b"x")                     # the export is released
    value = ffi.gc(ffi.cast("int", 3), called.append)
    ffi.release(value)
    assert len(called) == 2


def test_release_refusals(ffi):
    for bad in (ffi.cast("int *", 0), ffi.new("int[2]")[0:1], ffi.cast("int", 1)):
        with pytest.raises(ValueError):
            ffi.release(bad)
    for bad in (None, 42, b"x", bytearray(2)):
        with pytest.raises(TypeError):
            ffi.release(bad)


@pytest.mark.parametrize("cdecl,values", [
    ("int", [0, -1, 2 ** 31 - 1, -2 ** 31]), ("unsigned char", [0, 255, 7]),
    ("int8_t", [-128, 127]), ("uint16_t", [65535, 1]), ("long long", [-2 ** 63, 2 ** 63 - 1]),
    ("unsigned long", [0, 2 ** 64 - 1]), ("double", [1.5, -0.0, 1e300]), ("float", [0.5, -2.0]),
    ("_Bool", [True, False, True])])
def test_unpack_numbers(ffi, cdecl, values):
    array = ffi.new("%s[]" % cdecl, values)
    for _ in range(2):                      # the second time through the type's filed view
        assert ffi.unpack(array, len(values)) == values
        assert ffi.unpack(array, 1) == values[:1]
        assert ffi.unpack(array, 0) == []
        assert ffi.unpack(ffi.cast("%s *" % cdecl, array) + 1, len(values) - 1) == values[1:]
    big = ffi.new("%s[]" % cdecl, 5000)
    big[4999] = values[0]
    assert ffi.unpack(big, 5000) == [type(values[0])(0)] * 4999 + values[:1]


def test_unpack_misaligned_numbers(ffi):
    raw = ffi.new("char[]", 20)
    ffi.memmove(raw + 1, ffi.new("int[2]", [7, -8]), 8)
    ffi.unpack(ffi.new("int[1]"), 1)        # the type's view filed
    assert ffi.unpack(ffi.cast("int *", raw + 1), 2) == [7, -8]
    data = bytearray(b"\x00\x01\x00\x00\x00")
    assert ffi.unpack(ffi.cast("int *", ffi.from_buffer(data) + 1), 1) == [1]
