"""ffi.new("struct s *", dict) for a struct of numbers: a dict of every field, in field order,
is packed in one call; any other dict (another order, fewer or unknown keys, a value that does
not convert) takes the field-by-field path, with cffi's results and errors (run with
PURECFFI_TEST_AGAINST=cffi to check them)."""
import pytest

from _backend import FFI

CDEF = """
    struct pt { int x; double y; };
    struct three { signed char a; unsigned short b; long long c; };
    struct anon { int k; struct { int u; int v; }; };
"""


@pytest.fixture
def ffi():
    ffi = FFI()
    ffi.cdef(CDEF)
    return ffi


def test_every_field_in_order(ffi):
    """Every field, in order: the values, converted as the field writers convert them."""
    p = ffi.new("struct pt *", {"x": -5, "y": 2})
    assert (p.x, p.y) == (-5, 2.0)
    t = ffi.new("struct three *", {"a": -128, "b": 65535, "c": -2**63})
    assert (t.a, t.b, t.c) == (-128, 65535, -2**63)


def test_other_orders_and_subsets(ffi):
    """Another order, or fewer fields: the same values (the rest zero)."""
    p = ffi.new("struct pt *", {"y": 1.5, "x": 3})
    assert (p.x, p.y) == (3, 1.5)
    p = ffi.new("struct pt *", {"y": 1.5})
    assert (p.x, p.y) == (0, 1.5)
    assert ffi.new("struct pt *", {}).x == 0


@pytest.mark.parametrize("init, error", [
    ({"x": 1, "z": 2.0}, KeyError),
    ({"x": 2**31, "y": 1.0}, OverflowError),
    ({"x": 1.5, "y": 1.0}, TypeError),
    ({"x": 1, "y": "no"}, TypeError),
    ({"x": 1, "y": None}, TypeError),
])
def test_errors(ffi, init, error):
    """Unknown names and values that do not convert: the field-by-field path's errors."""
    with pytest.raises(error) as info:
        ffi.new("struct pt *", init)
    if error is KeyError:
        assert "z" in str(info.value)


def test_dict_subclass_and_custom_allocator(ffi):
    """A dict subclass, and memory of a custom allocator: the same values."""
    class D(dict):
        pass
    p = ffi.new("struct pt *", D(x=4, y=0.5))
    assert (p.x, p.y) == (4, 0.5)
    alloc = ffi.new_allocator()
    p = alloc("struct pt *", {"x": 6, "y": 7.5})
    assert (p.x, p.y) == (6, 7.5)


def test_anonymous_member_fields(ffi):
    """Fields of an anonymous struct member are set by their names."""
    p = ffi.new("struct anon *", {"k": 1, "u": 2, "v": 3})
    assert (p.k, p.u, p.v) == (1, 2, 3)
