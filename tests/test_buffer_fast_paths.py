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


def test_from_buffer_bytearray_is_its_memory(ffi):
    ba = bytearray(b"abcdef")
    p = ffi.from_buffer(ba)
    assert len(p) == 6 and p[0] == b"a"
    p[1] = b"X"
    assert ba == bytearray(b"aXcdef")
    ba[2] = ord("Y")
    assert p[2] == b"Y"
    assert ffi.buffer(p)[:] == b"aXYdef"


def test_from_buffer_bytearray_cannot_resize_while_held(ffi):
    ba = bytearray(8)
    p = ffi.from_buffer(ba)
    with pytest.raises(BufferError):
        ba.append(1)
    ffi.release(p)
    ba.append(1)                    # released: resizable again
    assert len(ba) == 9


def test_from_buffer_of_a_memoryview_slice_starts_at_the_slice(ffi):
    ba = bytearray(b"0123456789")
    p = ffi.from_buffer(memoryview(ba)[3:7])
    assert len(p) == 4 and ffi.buffer(p)[:] == b"3456"
    p[0] = b"!"
    assert ba == bytearray(b"012!456789")


def test_from_buffer_empty_bytearray(ffi):
    p = ffi.from_buffer(bytearray())
    assert len(p) == 0


def test_buffer_of_an_array_with_a_size(ffi):
    a = ffi.new("unsigned char[8]", list(range(8)))
    assert ffi.buffer(a, 3)[:] == b"\x00\x01\x02"
    assert ffi.buffer(a, 0)[:] == b""
    assert len(ffi.buffer(a, 8)) == 8
    with pytest.raises(TypeError):
        ffi.buffer(a, 2.0)
    with pytest.raises(TypeError):
        ffi.buffer(a, None)


def test_buffer_items_are_one_byte_bytes(ffi):
    buf = ffi.buffer(ffi.new("unsigned char[]", [0, 7, 255]))
    assert [buf[i] for i in range(3)] == [b"\x00", b"\x07", b"\xff"]
    assert buf[-1] == b"\xff"
    with pytest.raises(IndexError):
        buf[3]


def test_memmove_takes_only_cdata_by_their_address(ffi):
    class LooksLikeCData:
        _addr = 12345
    b = ffi.new("char[4]", b"abc")
    with pytest.raises(TypeError):
        ffi.memmove(b, LooksLikeCData(), 1)
    with pytest.raises(TypeError):
        ffi.memmove(LooksLikeCData(), b, 1)
    assert ffi.string(b) == b"abc"


_SLICES = ["0:4", ":", "2:", ":3", "-3:", "-3:-1", "5:2", "0:100", "-100:2", "8:8", "3:3",
           "::1", "::2", "1:5:2", "None:None:None", "True:3", "0:2.0"]
_VALUES = ["b'abcd'", "b''", "b'x' * 8", "b'xyz'", "bytearray(b'ab')", "bytearray(b'a' * 8)",
           "bytearray()", "memoryview(b'ab')", "'ab'", "[1, 2]", "None", "b'a'"]


def _slice_assignments(module):
    """Outcome of `buf[slice] = value` on an 8-byte buffer, for every pair of the grid: the
    memory afterwards, or the exception's type and message."""
    ffi = module.FFI()
    outcomes = []
    for where in _SLICES:
        for value in _VALUES:
            memory = ffi.new("char[8]", b"01234567")
            buf = ffi.buffer(memory)
            try:
                exec("buf[%s] = %s" % (where, value), {"buf": buf})
            except Exception as exc:        # the outcome compared: type and message
                outcomes.append((where, value, type(exc).__name__, str(exc)))
            else:
                outcomes.append((where, value, "ok", ffi.buffer(memory)[:]))
    return outcomes


def test_buffer_slice_assignment_is_cffi_s():
    cffi = pytest.importorskip("cffi")
    from _backend import FFI

    class Ours:
        pass
    Ours.FFI = FFI
    ours, theirs = _slice_assignments(Ours), _slice_assignments(cffi)
    assert [a for a, b in zip(ours, theirs) if a != b] == []
    assert ("0:4", "b'abcd'", "ok", b"abcd4567") in ours
    assert ("-3:", "b'xyz'", "ok", b"01234xyz") in ours
