"""`a[i:j] = list` on an aligned number array writes the list in one copy when it is in range
and has as many numbers as items; everything else takes the general path, with cffi's errors
(run with PURECFFI_TEST_AGAINST=cffi to check them)."""
import pytest

from _backend import FFI


@pytest.fixture
def ffi():
    return FFI()


@pytest.mark.parametrize("cdecl, values", [
    ("int[10]", [1, -2, 3]), ("unsigned char[10]", (0, 255, 7)),
    ("long long[10]", [-2**63, 2**63 - 1, 0]), ("double[10]", [1, 2.5, -0.5]),
    ("float[10]", (0.5, 1, 2)),
])
def test_list_or_tuple_written_in_range(ffi, cdecl, values):
    """Lists and tuples of numbers land at the slice, the rest untouched."""
    a = ffi.new(cdecl)
    a[4:7] = values
    assert list(a) == [0] * 4 + list(values) + [0] * 3


@pytest.mark.parametrize("index, values, error, message", [
    (slice(0, 3), [1, 2], ValueError, "need 3 values to unpack, got 2"),
    (slice(0, 2), [1, 2, 3], ValueError, "got more than 2 values to unpack"),
    (slice(8, 11), [1, 2, 3], IndexError, "index too large (expected 11 <= 10)"),
    (slice(-1, 2), [1, 2, 3], IndexError, "negative index"),
    (slice(3, 1), [], IndexError, "slice start > stop"),
    (slice(0, 2, 1), [1, 2], IndexError, "slice with step not supported"),
    (slice(0, 2), [1, 2**40], OverflowError, None),
    (slice(0, 2), [1, "x"], TypeError, None),
    (slice(0, 2), [1, 2.5], TypeError, None),
])
def test_errors_are_the_general_paths(ffi, index, values, error, message):
    """Out of range, a wrong count, a value that does not fit or converts: cffi's errors."""
    a = ffi.new("int[10]")
    with pytest.raises(error) as info:
        a[index] = values
    if message is not None:
        assert str(info.value) == message


def test_values_that_fit_are_written_before_the_bad_one(ffi):
    """A value out of range: the items before it are written first, as cffi does."""
    a = ffi.new("int[10]")
    with pytest.raises(OverflowError):
        a[0:3] = [7, 8, 2**40]
    assert list(a)[:2] == [7, 8]


def test_bools_and_int_subclasses(ffi):
    """Values that are not exactly ints still convert, item by item."""
    class MyInt(int):
        pass
    a = ffi.new("int[4]")
    a[0:4] = [True, MyInt(5), False, 3]
    assert list(a) == [1, 5, 0, 3]


def test_slice_of_a_slice_and_single_item(ffi):
    """A slice of a slice is bounded by its own length; one item takes the item writer."""
    a = ffi.new("int[10]")
    s = a[2:6]
    s[1:3] = [4, 5]
    assert list(a)[:6] == [0, 0, 0, 4, 5, 0]
    s[0:1] = [9]
    assert a[2] == 9
    with pytest.raises(IndexError):
        s[0:5] = [1, 2, 3, 4, 5]


def _assign(ffi, dest_decl, value):
    """`dest[2:5] = value` on a new array: its items afterwards, or the error."""
    dest = ffi.new(dest_decl)
    try:
        dest[2:5] = value
    except (TypeError, ValueError) as exc:
        return type(exc).__name__, str(exc)
    return ffi.unpack(dest, 10) if dest_decl.startswith("char") else list(dest)


@pytest.mark.parametrize("dest_decl", ["int[10]", "unsigned char[10]", "double[10]", "char[10]"])
@pytest.mark.parametrize("src_item", ["int", "unsigned char", "double", "char", "signed char"])
@pytest.mark.parametrize("count", [0, 3, 4])
def test_array_value_writes_as_the_list_of_its_items(ffi, dest_decl, src_item, count):
    """`a[i:j] = other array` (copied at once when its items are of the same type) gives what
    the list of its items gives: the values, or the same error (cffi's)."""
    initial = [b"w", b"x", b"y", b"z"] if src_item == "char" else [1, 2, 3, 4]
    owner = ffi.new(src_item + "[]", initial)      # (kept: a slice does not keep it in cffi)
    source = owner[0:count]
    outcome = _assign(ffi, dest_decl, source)
    assert outcome == _assign(ffi, dest_decl, list(source))
    if src_item == dest_decl[:-4] and count == 3:
        assert outcome[2:5] == (b"wxy" if src_item == "char" else [1, 2, 3])


def test_pointer_value_is_refused(ffi):
    owner = ffi.new("int[]", [1, 2, 3])
    source = ffi.cast("int *", owner)
    outcome = _assign(ffi, "int[10]", source)
    assert outcome[0] == "TypeError"


def test_array_copy_overlapping_and_into_itself(ffi):
    """A same-typed slice of the same array, overlapping the target: memmove semantics."""
    a = ffi.new("int[10]", list(range(10)))
    a[1:5] = a[0:4]
    assert list(a) == [0, 0, 1, 2, 3, 5, 6, 7, 8, 9]
    a[0:4] = a[2:6]
    assert list(a) == [1, 2, 3, 5, 3, 5, 6, 7, 8, 9]
    b = ffi.new("int[4]", [7, 8, 9, 10])
    a[6:10] = b
    assert list(a)[6:] == [7, 8, 9, 10]
