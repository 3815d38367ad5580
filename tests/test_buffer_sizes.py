"""ffi.buffer() over sizes and kinds of cdata in turn: each buffer has its own size and memory."""
import pytest

from _backend import IS_CFFI


def test_alternating_sizes_each_get_their_own_length(ffi):
    a = ffi.new("unsigned char[]", bytes(range(64)))
    for _ in range(3):
        for size in (1, 7, 64, 7, 0, 33, 1):
            buf = ffi.buffer(a, size)
            assert len(buf) == size
            assert buf[:] == bytes(range(size))
            assert bytes(memoryview(buf)) == bytes(range(size))


def test_pointer_with_a_size_and_array_without(ffi):
    a = ffi.new("short[5]", [1, 2, 3, 4, 5])
    p = ffi.cast("short *", a) + 1
    assert len(ffi.buffer(a)) == 5 * ffi.sizeof("short")
    assert ffi.buffer(p, 2 * ffi.sizeof("short"))[:] == ffi.buffer(a)[2:6]
    assert len(ffi.buffer(p)) == ffi.sizeof("short")       # a pointer without size: one item


def test_a_buffer_writes_through_to_its_memory(ffi):
    out = ffi.new("uint8_t[]", 8)
    for size in (3, 8, 3):
        buf = ffi.buffer(out, size)
        buf[:] = b"z" * size
        assert ffi.buffer(out)[:] == b"z" * size + ffi.buffer(out)[size:]


@pytest.mark.skipif(IS_CFFI, reason="cffi makes a buffer over NULL (docs/design.md)")
def test_null_pointer(ffi):
    null = ffi.cast("char *", 0)
    assert len(ffi.buffer(null, 0)) == 0
    with pytest.raises(RuntimeError):
        ffi.buffer(null, 1)


def test_a_large_size_is_taken_as_given(ffi):
    a = ffi.new("char[16]")
    with pytest.warns(UserWarning, match="owns only 16 bytes"):     # (as cffi 2.x)
        assert len(ffi.buffer(a, (1 << 30) + 5)) == (1 << 30) + 5     # a view: nothing is read


@pytest.mark.parametrize("address", [(1 << 47) - 3, 1 << 47, (1 << 62) + 8])
def test_memory_at_any_address_is_taken_as_given(ffi, address):
    # beyond user space too (nothing is read): the buffer has the size asked for
    for size in (1, 10, 100):
        buf = ffi.buffer(ffi.cast("char *", address), size)
        assert len(buf) == size and memoryview(buf).nbytes == size


@pytest.mark.parametrize("size", [1.0, "3", None])
def test_a_size_must_be_an_int(ffi, size):
    with pytest.raises(TypeError):
        ffi.buffer(ffi.new("char[4]"), size)


def test_not_a_pointer_or_array(ffi):
    with pytest.raises(TypeError):
        ffi.buffer(ffi.new("int *")[0], 4)
    with pytest.raises(TypeError):
        ffi.buffer(ffi.cast("int", 5))
    with pytest.raises(TypeError):
        ffi.buffer(b"abc", 2)


_DEFAULT_SIZE_CASES = [
    ('ffi.new("struct pt *")', 16),
    ('ffi.new("union u *")', 8),
    ('ffi.new("struct var *", [1, 5])', None),      # a variable-sized struct: what it owns
    ('ffi.cast("struct pt *", ffi.new("struct pt *"))', 16),
    ('ffi.new("struct pt[3]") + 1', 16),
    ('ffi.new("int *")', 4),
    ('ffi.cast("short *", ffi.new("int[4]"))', 2),
    ('ffi.new("char[]", 7)', 7),
    ('ffi.new("struct pt[3]")', 48),
    ('alloc("struct pt *")', 16),
    ('alloc("struct var *", [3, 9])', None),
    ('ffi.new("struct pt *")[0].inner', None),      # a struct field: refused
]


@pytest.mark.parametrize("expr, size", _DEFAULT_SIZE_CASES)
def test_default_size_of_each_kind(ffi, expr, size):
    ffi.cdef("struct pt { int x; int y; double z; }; union u { double d; char c[5]; };"
             "struct var { int n; short data[]; }; struct holder { struct pt inner; };")
    alloc = ffi.new_allocator(should_clear_after_alloc=False)
    namespace = {"ffi": ffi, "alloc": alloc}
    if expr.endswith(".inner"):
        cdata = eval('ffi.new("struct holder *").inner', namespace)
        with pytest.raises(TypeError):
            ffi.buffer(cdata)
        return
    cdata = eval(expr, namespace)
    expected = size if size is not None else ffi.sizeof(cdata[0])
    assert len(ffi.buffer(cdata)) == expected
    assert len(ffi.buffer(cdata)[:]) == expected
    if "var" in expr:
        assert expected > ffi.sizeof("struct var")
