"""Numbers written into integer and floating types, one at a time or as whole lists (array
initialisers and slice assignments, which write lists in one copy): the same rules."""
import decimal
import fractions

import pytest

from _backend import FFI, IS_CFFI


class Index:
    def __index__(self):
        return 3


class Int:
    def __int__(self):
        return 4


class Float:
    def __float__(self):
        return 2.5


# (value, what an integer type makes of it, what a floating type makes of it); None: TypeError
VALUES = [(5, 5, 5.0), (True, 1, 1.0), (Int(), 4, None), (Index(), None, 3.0),
          (Float(), None, 2.5), (1.5, None, 1.5), (decimal.Decimal("1.5"), 1, 1.5),
          (fractions.Fraction(1, 2), 0 if hasattr(fractions.Fraction, "__int__") else None,
           0.5),                        # (Fraction has __int__ from Python 3.11 on)
          ("1", None, None), (None, None, None)]


def _writes(ffi, ctype, value):
    """What each way of writing `value` into a `ctype` item leaves there (or TypeError)."""
    results = []
    for write in (lambda: ffi.new(ctype + "[]", [value, 1])[0],
                  lambda: ffi.new(ctype + "[3]", [1, value])[1],
                  lambda: _slice_write(ffi, ctype, value),
                  lambda: _item_write(ffi, ctype, value)):
        try:
            results.append(write())
        except TypeError:
            results.append(None)
    return results


def _slice_write(ffi, ctype, value):
    a = ffi.new(ctype + "[4]")
    a[1:4] = [1, value, 2]
    return a[2]


def _item_write(ffi, ctype, value):
    a = ffi.new(ctype + "[2]")
    a[1] = value
    return a[1]


@pytest.mark.parametrize("ctype", ["int", "unsigned char", "short", "long long", "uint32_t",
                                   "double", "float"])
@pytest.mark.parametrize("value, as_int, as_float", VALUES, ids=[type(v[0]).__name__ + "-" + str(i) for i, v in enumerate(VALUES)])
def test_each_way_of_writing_agrees(ctype, value, as_int, as_float):
    ffi = FFI()
    expected = as_float if ctype in ("double", "float") else as_int
    results = _writes(ffi, ctype, value)
    if value.__class__ is Index and expected is None and not IS_CFFI:
        # purecffi's one difference: `a[i] = x` of a number array writes through a typed
        # memoryview, and a list of numbers is packed with struct, which both take an
        # object with only __index__ (docs/design.md)
        assert results == [3] * 4
        return
    assert results == [expected] * 4


@pytest.mark.parametrize("ctype, bad", [("int", 1 << 40), ("unsigned char", 256),
                                        ("unsigned char", -1), ("uint32_t", -1)])
def test_out_of_range_in_a_list_is_refused_whole(ctype, bad):
    ffi = FFI()
    with pytest.raises(OverflowError, match="does not fit|negative number to unsigned"):
        ffi.new(ctype + "[]", [1, 2, bad])
    a = ffi.new(ctype + "[3]", [7, 7, 7])
    with pytest.raises(OverflowError, match="does not fit|negative number to unsigned"):
        a[0:3] = [1, bad, 2]
    assert a[2] == 7


@pytest.mark.parametrize("ctype", ["int", "unsigned char", "double", "float", "int64_t"])
@pytest.mark.parametrize("bad", ["x", None, 1 << 2000])
def test_a_refused_list_writes_the_items_before_the_refused_one(ctype, bad):
    """As cffi: the items before the refused one are written, the others stay as they were
    (a list packed whole must not leave the slice zeroed or half packed)."""
    ffi = FFI()
    a = ffi.new(ctype + "[5]", [7, 7, 7, 7, 7])
    with pytest.raises((TypeError, OverflowError)):
        a[1:5] = [1, 2, bad, 3]
    assert list(a) == [7, 1, 2, 7, 7]


def test_bool_and_wide_char_lists_keep_their_checks():
    ffi = FFI()
    with pytest.raises(OverflowError):
        ffi.new("_Bool[]", [0, 1, 2])
    assert list(ffi.new("_Bool[]", [0, 1, 1])) == [False, True, True]
    assert ffi.new("wchar_t[]", ["a", "b"])[1] == "b"
    with pytest.raises(TypeError):
        ffi.new("wchar_t[]", [97, 98])


BOOL_FIELD = [(True, True), (False, False), (0, False), (1, True), (2, OverflowError),
              (-1, OverflowError), (1.0, TypeError), (None, TypeError), (b"\x01", TypeError)]


@pytest.mark.parametrize("value, expected", BOOL_FIELD, ids=[repr(v) for v, _ in BOOL_FIELD])
def test_bool_fields(value, expected):
    ffi = FFI()
    ffi.cdef("struct b { char c; _Bool ok; };")
    arr = ffi.new("struct b[2]")
    for target in (ffi.new("struct b *"), arr[1], ffi.cast("struct b *", arr)):
        target.ok = True
        if isinstance(expected, type):
            with pytest.raises(expected):
                target.ok = value
            assert target.ok is True                    # nothing written
        else:
            target.ok = value
            assert target.ok is expected
        ffi.cast("unsigned char *", ffi.addressof(target, "ok"))[0] = 2
        with pytest.raises(ValueError, match="got a _Bool of value 2, expected 0 or 1"):
            target.ok


@pytest.mark.parametrize("value", [0, 1, 65, -1, 255, 256, 1 << 64, (1 << 64) + 8, -(1 << 63)])
def test_casts_of_ints_to_char_and_pointers(value):
    ffi = FFI()
    assert ffi.cast("char", value) == ffi.cast("char", bytes([value & 0xFF]))
    assert ffi.string(ffi.cast("char", value)) == bytes([value & 0xFF])
    for ctype in ("char *", "int *", "double *", "void *"):
        p = ffi.cast(ctype, value)
        assert int(ffi.cast("uintptr_t", p)) == value % (1 << 64)
        assert ffi.cast("intptr_t", p) == ffi.cast("intptr_t", value % (1 << 64))
        assert bool(p) == bool(value % (1 << 64))
