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
