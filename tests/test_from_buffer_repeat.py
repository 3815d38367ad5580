"""ffi.from_buffer() called again with a type already seen: the same results as the first call."""
import array
import gc
import pickle

import pytest

from _backend import IS_CFFI


def test_repeated_bytearray_calls_each_see_their_own_buffer(ffi):
    first, second = bytearray(b"abcd"), bytearray(b"wxyz!")
    for _ in range(3):                  # the first call prepares; the next ones reuse that
        p, q = ffi.from_buffer(first), ffi.from_buffer(second)
        assert ffi.typeof(p) is ffi.typeof("char[]")
        assert len(p) == 4 and len(q) == 5
        assert ffi.buffer(p)[:] == b"abcd" and ffi.buffer(q)[:] == b"wxyz!"
        q[0] = b"W"
        assert second[0:1] == b"W"
        second[0:1] = b"w"


def test_repeated_typed_calls_divide_the_length(ffi):
    ba = bytearray(4 * ffi.sizeof("int") + 3)       # a tail too short for one more item
    for _ in range(3):
        p = ffi.from_buffer("int[]", ba)
        assert len(p) == 4
        p[3] = -5
        assert ffi.cast("int *", ffi.from_buffer(ba))[3] == -5


def test_repeated_bytes_calls(ffi):
    for data in (b"hello", b"xy", b"hello world"):
        p = ffi.from_buffer("unsigned char[]", data)
        assert len(p) == len(data) and bytes(ffi.buffer(p)) == data
        assert list(p) == list(data)


def test_bytes_still_refused_when_writable_is_required(ffi):
    ffi.from_buffer(b"abc")             # prepare the type
    with pytest.raises(BufferError):
        ffi.from_buffer(b"abc", require_writable=True)


def test_repeated_calls_keep_the_source_alive(ffi):
    ffi.from_buffer(bytearray(1))
    p = ffi.from_buffer(bytearray(b"kept alive"))
    q = ffi.from_buffer("char[]", b"bytes kept" + bytes(1))
    gc.collect()
    assert ffi.buffer(p)[:] == b"kept alive"
    assert ffi.string(q) == b"bytes kept"


def test_repeated_calls_lock_the_bytearray_size(ffi):
    ba = bytearray(8)
    ffi.from_buffer(ba)
    p = ffi.from_buffer(ba)
    with pytest.raises(BufferError):
        ba.append(1)
    ffi.release(p)
    ba.append(1)                        # released: it may grow again
    assert len(ba) == 9


@pytest.mark.parametrize("source", [bytearray(b"abc"), b"abc"])
def test_repr_before_and_after_release(ffi, source):
    ffi.from_buffer(source)
    p = ffi.from_buffer(source)
    name = type(source).__name__
    assert repr(p) == "<cdata 'char[]' buffer len 3 from '%s' object>" % (name,)
    ffi.release(p)
    assert repr(p) == "<cdata 'char[]' buffer RELEASED>"


def test_repr_of_a_released_pointer_export(ffi):
    a = array.array("i", [1, 2])
    p = ffi.from_buffer("int *", a)
    assert repr(p) == "<cdata 'int *' buffer from 'array.array' object>"
    ffi.release(p)
    assert repr(p) == "<cdata 'int *' buffer RELEASED>"


def test_empty_sources_after_the_type_was_seen(ffi):
    ffi.from_buffer(bytearray(4))
    assert len(ffi.from_buffer(bytearray())) == 0
    assert len(ffi.from_buffer(b"")) == 0


def test_objects_without_a_truth_value_are_not_asked_for_one(ffi):
    class Ambiguous(bytearray):
        def __bool__(self):
            raise ValueError("the truth value is ambiguous")
    ffi.from_buffer(bytearray(2))
    p = ffi.from_buffer(Ambiguous(b"xyz"))
    assert len(p) == 3 and p[1] == b"y"


@pytest.mark.skipif(IS_CFFI, reason="cffi keeps using the type parsed before the override")
def test_a_cdef_changing_a_typedef_changes_from_buffer(ffi):
    ffi.cdef("typedef short item_t;")
    ba = bytearray(8)
    assert len(ffi.from_buffer("item_t[]", ba)) == 4
    ffi.cdef("typedef long long item_t;", override=True)
    assert len(ffi.from_buffer("item_t[]", ba)) == 1


@pytest.mark.parametrize("data", [bytearray(b"abcd"), b"abcd", array.array("b", b"abcd")],
                         ids=["bytearray", "bytes", "array"])
@pytest.mark.parametrize("cdecl", ["uint8_t[]", "char *", "char[4]"])
def test_a_memoryview_source_stays_exported_while_the_cdata_lives(ffi, data, cdecl):
    """As cffi's: the memoryview itself cannot be released under the cdata (a view of a
    memoryview registers with the memory it views, not with the memoryview)."""
    for _ in range(2):                  # the first call prepares the type, the second reuses it
        view = memoryview(data)
        p = ffi.from_buffer(cdecl, view)
        with pytest.raises(BufferError):
            view.release()
        assert ffi.cast("char *", p)[1] == b"b"
        del p
        gc.collect()
        view.release()
        view = memoryview(data)
        p = ffi.from_buffer(cdecl, view)
        ffi.release(p)                  # released early: the view can go at once
        view.release()


def _twice(ffi, *args, **kwds):
    """The second of two equal calls (the first prepares the type, the second reuses it)."""
    ffi.from_buffer(*args, **kwds)
    return ffi.from_buffer(*args, **kwds)


@pytest.mark.parametrize("make", [
    lambda: memoryview(b"abcdef"),
    lambda: memoryview(bytearray(b"abcdef")),
    lambda: memoryview(b"xxabcdef")[2:],
    lambda: array.array("b", b"abcdef"),
    lambda: pickle.PickleBuffer(b"abcdef"),
    lambda: pickle.PickleBuffer(memoryview(b"xabcdefx")[1:-1]),
    lambda: type("Sub", (bytearray,), {})(b"abcdef"),
], ids=["memoryview-bytes", "memoryview-bytearray", "memoryview-slice", "array",
        "picklebuffer", "picklebuffer-slice", "bytearray-subclass"])
@pytest.mark.parametrize("cdecl", ["char[]", "char[6]", "char *"])
def test_other_sources_read_their_memory_and_release(ffi, make, cdecl):
    for _ in range(3):
        source = make()
        p = ffi.from_buffer(cdecl, source)
        assert ffi.unpack(ffi.cast("char *", p), 6) == b"abcdef"
        if cdecl != "char *":
            assert len(p) == 6 and ffi.buffer(p)[:] == b"abcdef"
        with p:
            pass
        assert repr(p).endswith("buffer RELEASED>")
        if isinstance(source, memoryview):
            source.release()            # not exported any more
        elif isinstance(source, array.array):
            source.append(0)


def test_array_source_is_locked_while_the_cdata_lives(ffi):
    a = array.array("i", [1, 2, 3])
    p = _twice(ffi, "int[]", a)
    assert list(p) == [1, 2, 3]
    p[1] = 20
    assert a[1] == 20
    with pytest.raises(BufferError):
        a.append(4)
    del p
    gc.collect()
    a.append(4)


def test_read_only_sources_refused_when_writable_is_required(ffi):
    for source in (memoryview(b"abc"), pickle.PickleBuffer(b"abc"), b"abc"):
        ffi.from_buffer(source)
        with pytest.raises(BufferError):
            ffi.from_buffer(source, require_writable=True)
        with pytest.raises(BufferError):
            ffi.from_buffer("char *", source, require_writable=True)
    p = _twice(ffi, memoryview(bytearray(b"abc")), require_writable=True)
    p[0] = b"z"
    assert ffi.string(p) == b"zbc"


def test_non_contiguous_and_empty_sources_on_a_repeated_call(ffi):
    ffi.from_buffer(bytearray(4))
    with pytest.raises(BufferError):
        ffi.from_buffer(memoryview(bytearray(8))[::2])
    assert len(ffi.from_buffer(memoryview(b""))) == 0
    assert len(ffi.from_buffer(array.array("i"))) == 0


def test_a_source_kept_alive_by_the_cdata_alone(ffi):
    ffi.from_buffer("int[]", array.array("i", [0]))
    p = ffi.from_buffer("int[]", array.array("i", [5, 6, 7]))
    q = ffi.from_buffer(memoryview(bytearray(b"held")))
    gc.collect()
    assert list(p) == [5, 6, 7] and ffi.buffer(q)[:] == b"held"


def test_fixed_arrays_and_pointers_on_repeated_calls(ffi):
    data = bytearray(b"\x01\x00\x02\x00\x03\x00")
    for _ in range(3):
        p = ffi.from_buffer("short[2]", data)
        assert len(p) == 2 and list(p) == [1, 2]
        q = ffi.from_buffer("short *", data)
        assert q[2] == 3
        assert repr(q) == "<cdata 'short *' buffer from 'bytearray' object>"
        with pytest.raises(ValueError, match="buffer is too small"):
            ffi.from_buffer("short[4]", data)
        ffi.release(p)
        ffi.release(q)
    data.append(0)                      # every export released


@pytest.mark.skipif(IS_CFFI, reason="cffi keeps using the type parsed before the override")
def test_a_cdef_changing_a_typedef_changes_fixed_arrays_and_pointers(ffi):
    ffi.cdef("typedef short item_t;")
    data = bytearray(8)
    assert ffi.sizeof(ffi.from_buffer("item_t[2]", data)) == 4
    assert ffi.typeof(ffi.from_buffer("item_t *", data)).item.cname == "short"
    ffi.cdef("typedef int item_t;", override=True)
    assert ffi.sizeof(ffi.from_buffer("item_t[2]", data)) == 8
    assert ffi.typeof(ffi.from_buffer("item_t *", data)).item.cname == "int"


def test_release_of_a_slice_or_cast_is_refused_on_the_fast_route(ffi):
    p = _twice(ffi, "char[]", array.array("b", b"abcd"))
    for other in (p[0:2], ffi.cast("char *", p), p + 1):
        with pytest.raises(ValueError):
            ffi.release(other)
    ffi.release(p)
    ffi.release(p)                      # twice: nothing more to do


_SOURCES = [lambda: bytearray(b"abcdefgh"), lambda: memoryview(bytearray(b"abcdefgh")),
            lambda: b"abcdefgh", lambda: array.array("i", [1, 2])]


@pytest.mark.parametrize("make", _SOURCES)
@pytest.mark.parametrize("cdecl", [None, "char[]", "int[]", "int[2]", "int *"])
def test_what_is_made_from_a_released_export_is_no_export(ffi, make, cdecl):
    """After release, `p + 1`, a slice and casts are plain cdata again: they show their
    address and releasing them is refused, as before; `p` itself may be released again."""
    source = make()
    for _ in range(2):                  # (the second call takes the prepared route)
        p = ffi.from_buffer(source) if cdecl is None else ffi.from_buffer(cdecl, source)
        # (a cast to the export's own pointer type is not told from it: same type, address)
        made = [p + 1] + [ffi.cast(t, p) for t in ("char *", "int *") if ffi.typeof(t)
                          is not ffi.typeof(p)]
        if ffi.typeof(p).kind == "array":
            made.append(p[0:1])
        with p:
            pass
        assert repr(p).endswith(" buffer RELEASED>")
        ffi.release(p)
        for other in made:
            assert "buffer" not in repr(other)
            with pytest.raises(ValueError, match="only 'cdata' object from ffi.new()"):
                ffi.release(other)


@pytest.mark.parametrize("make", [lambda: bytearray(range(16)), lambda: bytes(range(16)),
                                  lambda: bytearray(range(20)), lambda: bytearray(8),
                                  lambda: memoryview(bytearray(16)), lambda: b""])
@pytest.mark.parametrize("writable", [False, True])
def test_repeated_fixed_length_calls(ffi, make, writable):
    """from_buffer("int[4]", x), called again: what the first call gives (its repr, length,
    items, its release, its errors)."""
    outcomes = []
    for _ in range(3):
        source = make()
        try:
            p = ffi.from_buffer("int[4]", source, require_writable=writable)
        except Exception as exc:
            outcomes.append((type(exc).__name__, str(exc)))
            continue
        outcome = [len(p), list(p), repr(p), ffi.typeof(p) is ffi.typeof("int[4]")]
        if isinstance(source, bytearray):
            p[0] = 7
            outcome.append(source[0])
            with pytest.raises(BufferError):
                source.append(1)            # its export holds the size
        ffi.release(p)
        outcome.append(repr(p))
        if isinstance(source, bytearray):
            source.append(1)                # released: the size is free again
        outcomes.append(outcome)
    assert outcomes[0] == outcomes[1] == outcomes[2]
    if isinstance(outcomes[0], list):
        assert outcomes[0][2].startswith("<cdata 'int[4]' buffer len 4 from '")
        assert outcomes[0][-1] == "<cdata 'int[4]' buffer RELEASED>"


def test_an_item_array_of_a_fixed_length_array_is_not_the_export(ffi):
    for _ in range(3):
        p = ffi.from_buffer("int[2][2]", bytearray(16))
        assert repr(p).startswith("<cdata 'int[2][2]' buffer len 2 from 'bytearray'")
        assert "buffer" not in repr(p[0])
