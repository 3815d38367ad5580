"""Operations on cdata objects: arithmetic, comparison, indexing, slicing, fields, repr."""
import re
import struct

import pytest

from _backend import FFI, IS_CFFI  # noqa: F401

CDEF = """
    typedef struct { int x, y; } foo_t;
    struct foo { int x, y; };
    struct big { char c; double d; };
    struct nested { foo_t a; int arr[3]; char name[5]; };
    union u { int i; double d; };
    enum e { A, B = 7 };
"""

ADDR = r"0x[0-9a-f]+"


@pytest.fixture
def cffi_(ffi):
    """An FFI with the declarations used in this module."""
    ffi.cdef(CDEF)
    return ffi


def addr(ffi, p):
    return int(ffi.cast("intptr_t", p))


# --- pointer arithmetic -----------------------------------------------------------------------

@pytest.mark.parametrize("ctype", ["char", "short", "int", "double", "foo_t", "struct big"])
def test_pointer_add_moves_by_item_size(cffi_, ctype):
    a = cffi_.new(ctype + "[4]")
    size = cffi_.sizeof(ctype)
    assert addr(cffi_, a + 1) == addr(cffi_, a) + size
    assert addr(cffi_, a + 3) == addr(cffi_, a) + 3 * size
    assert addr(cffi_, (a + 3) - 2) == addr(cffi_, a) + size


def test_pointer_add_result_type(ffi):
    a = ffi.new("int[4]")
    assert ffi.typeof(a + 1) is ffi.typeof("int *")
    assert ffi.typeof(ffi.cast("char *", a) + 1) is ffi.typeof("char *")


def test_pointer_add_is_commutative(ffi):
    a = ffi.new("int[4]")
    assert 2 + a == a + 2


def test_pointer_add_negative(ffi):
    a = ffi.new("int[4]", [0, 1, 2, 3])
    p = a + 3
    assert (p + -1)[0] == 2
    assert (p - 3)[0] == 0


def test_pointer_arithmetic_reads_items(ffi):
    a = ffi.new("int[4]", [10, 11, 12, 13])
    assert (a + 2)[0] == 12
    (a + 1)[0] = 99
    assert a[1] == 99


@pytest.mark.parametrize("i, j", [(0, 3), (3, 0), (1, 1), (2, 4)])
def test_pointer_difference_counts_items(ffi, i, j):
    """p2 - p1 is the number of items between them, not bytes."""
    a = ffi.new("double[5]")
    p = ffi.cast("double *", a)
    assert (p + j) - (p + i) == j - i


def test_pointer_minus_array(ffi):
    a = ffi.new("int[5]")
    assert (a + 3) - a == 3


def test_pointer_difference_of_different_types_refused(ffi):
    a = ffi.new("int[5]")
    with pytest.raises(TypeError):
        ffi.cast("int *", a) - ffi.cast("char *", a)


def test_pointer_add_float_refused(ffi):
    a = ffi.new("int[5]")
    with pytest.raises(TypeError):
        a + 1.0


WRAP = 1 << 64


@pytest.mark.parametrize("ctype", ["void", "char", "int", "double", "struct big"])
@pytest.mark.parametrize("start, offset", [
    (0, -1), (0, -3), (WRAP - 1, 1), (WRAP - 16, 5), (8, -(1 << 62)), (0, (1 << 63) - 1),
    (0, -(1 << 63)), (WRAP - 1, (1 << 63) - 1)])
def test_pointer_arithmetic_wraps_as_in_c(cffi_, ctype, start, offset):
    """`p + n` and `p - n` wrap around the address space, as C's pointer arithmetic does."""
    size = 1 if ctype == "void" else cffi_.sizeof(ctype)
    p = cffi_.cast(ctype + " *", start)
    assert addr(cffi_, p + offset) % WRAP == (start + offset * size) % WRAP
    assert addr(cffi_, offset + p) % WRAP == (start + offset * size) % WRAP
    assert re.fullmatch(r"<cdata '.*' (NULL|0x[0-9a-f]{1,16})>", repr(p + offset))
    if offset != -(1 << 63):
        assert addr(cffi_, p - offset) % WRAP == (start - offset * size) % WRAP
    if abs(offset * size) < 1 << 63:
        # the difference of the two pointers is the offset again, across the wrap
        assert (p + offset) - p == offset


@pytest.mark.parametrize("offset", [1 << 63, -(1 << 63) - 1, 1 << 64, 10 ** 30])
@pytest.mark.parametrize("kind", ["pointer", "array", "owning"])
def test_pointer_offset_beyond_ssize_t_overflows(ffi, kind, offset):
    p = {"pointer": lambda: ffi.cast("int *", 64), "array": lambda: ffi.new("int[4]"),
         "owning": lambda: ffi.new("int *")}[kind]()
    with pytest.raises(OverflowError, match="cannot fit 'int' into an index-sized integer"):
        p + offset
    with pytest.raises(OverflowError, match="cannot fit 'int' into an index-sized integer"):
        p - offset


@pytest.mark.parametrize("left, right", [(1, 4), (4, 1), (-1, 0), (6, 0)])
def test_pointer_difference_not_a_multiple_of_the_item_size(ffi, left, right):
    with pytest.raises(ValueError, match="the distance between the two pointers is not a "
                                         "multiple of the item size"):
        ffi.cast("int *", left) - ffi.cast("int *", right)
    assert ffi.cast("void *", left) - ffi.cast("void *", right) == left - right


def test_struct_pointer_arithmetic(cffi_):
    p = cffi_.new("foo_t[2]", [[1, 2], [3, 4]])
    assert (p + 1).x == 3
    assert (p + 1)[0].y == 4
    assert p[1].x == 3


@pytest.mark.parametrize("expr", ["prim + 1", "prim - 1", "struct + 1"])
def test_arithmetic_on_non_pointers_refused(cffi_, expr):
    prim = cffi_.cast("int", 1)  # noqa: F841
    struct = cffi_.new("foo_t *")[0]  # noqa: F841
    with pytest.raises(TypeError):
        eval(expr)


# --- comparison and hashing -------------------------------------------------------------------

def test_pointer_comparisons_compare_addresses(ffi):
    a = ffi.new("int[5]")
    p = ffi.cast("int *", a)
    assert p == a
    assert not (p != a)
    assert p + 1 == a + 1
    assert p < p + 1
    assert p + 1 > p
    assert p <= a and p >= a
    assert not (p + 1 < p)
    assert sorted([p + 2, p, p + 4, p + 1]) == [p, p + 1, p + 2, p + 4]


def test_pointers_of_different_types_compare_by_address(ffi):
    a = ffi.new("int[2]")
    assert ffi.cast("char *", a) == ffi.cast("int *", a)
    assert ffi.cast("void *", a) == a
    assert ffi.cast("char *", a) < a + 1


def test_distinct_allocations_are_unequal(ffi):
    assert ffi.new("int *") != ffi.new("int *")


def test_null_comparisons(ffi):
    assert ffi.cast("int *", 0) == ffi.NULL
    assert ffi.new("int **")[0] == ffi.NULL
    assert ffi.new("int *") != ffi.NULL


def test_pointer_never_equals_python_objects(ffi):
    assert not (ffi.NULL == None)  # noqa: E711
    assert ffi.cast("int *", 0) != 0
    assert ffi.new("int *") != 5


def test_pointer_ordering_with_int_refused(ffi):
    with pytest.raises(TypeError):
        ffi.new("int[2]") < 5


def test_pointer_hash_follows_address(ffi):
    a = ffi.new("int[3]")
    p = ffi.cast("int *", a)
    assert hash(p) == hash(a)
    assert hash(ffi.cast("void *", p)) == hash(p)
    d = {a: "found"}
    assert d[p] == "found"
    assert d.get(p + 1) is None


@pytest.mark.parametrize("ctype, value", [
    ("int", 42), ("long long", -3), ("unsigned char", 200), ("double", 1.5), ("char", b"A"),
    ("wchar_t", "A"),
])
def test_primitive_cdata_compares_by_value(ffi, ctype, value):
    """v1.10: primitive cdata compare and order by value, hash like their value."""
    x = ffi.cast(ctype, value)
    assert x == value
    assert x == ffi.cast(ctype, value)
    assert hash(x) == hash(value)


def test_primitive_cdata_ordering(ffi):
    assert ffi.cast("int", 3) < 4
    assert ffi.cast("int", 3) < ffi.cast("long", 4)
    assert ffi.cast("double", 1.0) < ffi.cast("int", 2)
    assert sorted([ffi.cast("int", 3), ffi.cast("int", 1)]) == [1, 3]


def test_char_cdata_compare_as_strings(ffi):
    """A char cdata compares as its bytes, a wchar_t one as its str (not as their codes)."""
    assert ffi.cast("char", b"a") < b"b"
    assert ffi.cast("char", b"b") >= ffi.cast("char", b"a")
    assert ffi.cast("wchar_t", "a") < "b"
    assert ffi.cast("char16_t", "b") > ffi.cast("wchar_t", "a")
    assert ffi.cast("char", b"a") != ffi.cast("int", 97)
    assert ffi.cast("char", b"a") != 97


@pytest.mark.parametrize("expression, message", [
    ('ffi.cast("int", 1) < b"a"', "'<' not supported between instances of 'int' and 'bytes'"),
    ('ffi.cast("int", 1) >= None', "'>=' not supported between instances of 'int' and 'NoneType'"),
    ('b"a" < ffi.cast("double", 1.5)', "'>' not supported between instances of 'float' and 'bytes'"),
    ('ffi.cast("int", 1) < ffi.cast("char", b"b")',
     "'<' not supported between instances of 'int' and 'bytes'"),
    ('ffi.cast("char", b"b") <= ffi.cast("double", 1.5)',
     "'<=' not supported between instances of 'bytes' and 'float'"),
    ('ffi.cast("_Bool", 1) < "a"', "'<' not supported between instances of 'bool' and 'str'"),
    ('ffi.cast("double _Complex", 1) < 2', "'<' not supported between instances of 'complex' and 'int'"),
])
def test_primitive_ordering_is_that_of_the_python_values(ffi, expression, message):
    """Ordering a C value compares its Python value, so the error is Python's own."""
    with pytest.raises(TypeError) as info:
        eval(expression, {"ffi": ffi})
    assert str(info.value) == message


@pytest.mark.parametrize("expression", [
    'ffi.cast("int *", 8) < 1', '1 < ffi.cast("int *", 8)', 'ffi.cast("int *", 8) < None',
    'ffi.cast("int *", 8) < ffi.cast("int", 1)', 'ffi.cast("int", 1) >= ffi.cast("int *", 8)',
])
def test_pointer_ordering_with_non_pointer_is_pythons_error(ffi, expression):
    with pytest.raises(TypeError, match="not supported between instances of"):
        eval(expression, {"ffi": ffi})


def test_signed_and_unsigned_compare_by_value(ffi):
    """v1.10: `<cdata 'int' -1>` compares smaller than `ffi.cast("unsigned int", -1)`."""
    minus_one = ffi.cast("int", -1)
    umax = ffi.cast("unsigned int", -1)
    assert minus_one != umax
    assert minus_one < umax


# --- indexing ---------------------------------------------------------------------------------

def test_array_index_read_write(ffi):
    a = ffi.new("int[3]")
    a[2] = 7
    assert a[2] == 7
    assert list(a) == [0, 0, 7]


@pytest.mark.parametrize("index", [3, 100, -1, -3])
def test_array_index_bounds_checked(ffi, index):
    """Unlike Python lists, C arrays cannot be indexed from the end with negative numbers."""
    a = ffi.new("int[3]")
    with pytest.raises(IndexError):
        a[index]
    with pytest.raises(IndexError):
        a[index] = 1


def test_open_array_bounds_checked(ffi):
    a = ffi.new("int[]", 4)
    a[3] = 1
    with pytest.raises(IndexError):
        a[4]


def test_pointer_negative_index(ffi):
    """A pointer into the middle of an array can be indexed backwards, like in C."""
    a = ffi.new("int[5]", [0, 1, 2, 3, 4])
    p = a + 3
    assert p[-1] == 2
    assert p[-3] == 0
    assert p[1] == 4
    p[-2] = 11
    assert a[1] == 11


def test_owning_pointer_to_one_item(cffi_):
    """A pointer from `ffi.new("T *")` points to a single item."""
    p = cffi_.new("int *", 3)
    p[0] = 4
    assert p[0] == 4
    with pytest.raises(IndexError):
        p[1]
    s = cffi_.new("foo_t *")
    with pytest.raises(IndexError):
        s[1]


def test_index_null_pointer(ffi):
    """Reading through NULL is detected instead of crashing."""
    with pytest.raises(RuntimeError, match="null pointer"):
        ffi.cast("int *", 0)[0]
    with pytest.raises(RuntimeError):
        ffi.NULL[0]


def test_index_primitive_refused(ffi):
    with pytest.raises(TypeError):
        ffi.cast("int", 1)[0]


def test_multidimensional_indexing(ffi):
    a = ffi.new("int[2][3]")
    a[1][2] = 5
    assert a[1][2] == 5
    assert ffi.typeof(a[1]) is ffi.typeof("int[3]")
    assert len(a[1]) == 3
    with pytest.raises(IndexError):
        a[1][3]


# --- slicing ----------------------------------------------------------------------------------

def test_slice_of_array(ffi):
    a = ffi.new("int[5]", [0, 1, 2, 3, 4])
    s = a[1:4]
    assert ffi.typeof(s) is ffi.typeof("int[]")
    assert len(s) == 3
    assert list(s) == [1, 2, 3]
    assert repr(s) == "<cdata 'int[]' sliced length 3>"
    assert ffi.sizeof(s) == 3 * ffi.sizeof("int")


def test_slice_is_a_view(ffi):
    a = ffi.new("int[5]")
    s = a[2:4]
    s[0] = 42
    assert a[2] == 42
    a[3] = 43
    assert s[1] == 43
    assert s == a + 2


def test_slice_is_bounds_checked(ffi):
    s = ffi.new("int[5]")[1:3]
    with pytest.raises(IndexError):
        s[2]


def test_slice_of_pointer(ffi):
    a = ffi.new("int[5]", [0, 1, 2, 3, 4])
    p = ffi.cast("int *", a) + 2
    assert list(p[0:3]) == [2, 3, 4]
    assert list(p[-2:1]) == [0, 1, 2]


def test_empty_slice(ffi):
    a = ffi.new("int[5]")
    assert len(a[2:2]) == 0
    assert list(a[5:5]) == []


@pytest.mark.parametrize("kind", ["array", "pointer"])
@pytest.mark.parametrize("key", [slice(None, 2), slice(0, None), slice(None, None),
                                 slice(0, 2, 1), slice(0, 4, 2)])
def test_slice_needs_start_and_stop_and_no_step(ffi, kind, key):
    a = ffi.new("int[5]")
    obj = a if kind == "array" else ffi.cast("int *", a)
    with pytest.raises(IndexError):
        obj[key]


@pytest.mark.parametrize("start, stop", [(0, 6), (-1, 2), (3, 1)])
def test_array_slice_bounds_checked(ffi, start, stop):
    a = ffi.new("int[5]")
    with pytest.raises(IndexError):
        a[start:stop]


@pytest.mark.parametrize("value", [[7, 8, 9], (7, 8, 9), range(7, 10), iter([7, 8, 9])])
def test_slice_assign_iterable(ffi, value):
    a = ffi.new("int[5]")
    a[1:4] = value
    assert list(a) == [0, 7, 8, 9, 0]


def test_slice_assign_from_cdata_array(ffi):
    a = ffi.new("int[5]", [1, 2, 3, 4, 5])
    a[0:2] = ffi.new("int[2]", [8, 9])
    assert list(a) == [8, 9, 3, 4, 5]
    a[3:5] = a[0:2]
    assert list(a) == [8, 9, 3, 8, 9]


def test_slice_assign_through_pointer(ffi):
    a = ffi.new("int[4]")
    p = ffi.cast("int *", a)
    p[1:3] = [21, 22]
    assert list(a) == [0, 21, 22, 0]


@pytest.mark.parametrize("value", [[1, 2], [1, 2, 3, 4], "cdata-short", "cdata-long"])
def test_slice_assign_length_mismatch(ffi, value):
    a = ffi.new("int[5]")
    if value == "cdata-short":
        value = ffi.new("int[2]")
    elif value == "cdata-long":
        value = ffi.new("int[4]")
    with pytest.raises(ValueError):
        a[0:3] = value


def test_slice_assign_bytes_into_char_array(ffi):
    """Footnote 4: the string must have exactly the right length; no null is added."""
    c = ffi.new("char[8]", b"xxxxxxx")
    c[1:6] = b"hello"
    assert ffi.string(c) == b"xhellox"
    with pytest.raises(ValueError):
        c[0:5] = b"hell"


def test_slice_assign_bytearray_into_char_array(ffi):
    c = ffi.new("char[4]")
    c[0:2] = bytearray(b"AB")
    assert ffi.string(c) == b"AB"


def test_slice_assign_non_iterable(ffi):
    a = ffi.new("int[5]")
    with pytest.raises(TypeError):
        a[0:2] = 5


def test_slice_assign_items_are_converted(ffi):
    a = ffi.new("int[5]")
    with pytest.raises(TypeError):
        a[0:2] = [1.5, 2]
    with pytest.raises(OverflowError):
        a[0:1] = [2 ** 40]


def test_slice_assign_out_of_bounds(ffi):
    a = ffi.new("int[5]")
    with pytest.raises(IndexError):
        a[4:6] = [1, 2]


# --- len() and iteration ----------------------------------------------------------------------

@pytest.mark.parametrize("cdecl, init, length", [
    ("int[7]", None, 7), ("int[]", 7, 7), ("char[]", b"abc", 4), ("int[]", [1, 2], 2),
    ("int[2][3]", None, 2),
])
def test_len_of_arrays(ffi, cdecl, init, length):
    assert len(ffi.new(cdecl, init)) == length


def test_len_of_pointer_refused(cffi_):
    with pytest.raises(TypeError):
        len(cffi_.new("int *"))
    with pytest.raises(TypeError):
        len(cffi_.cast("int *", cffi_.new("int[3]")))
    with pytest.raises(TypeError):
        len(cffi_.new("foo_t *")[0])


def test_iterate_array(ffi):
    it = iter(ffi.new("int[3]", [4, 5, 6]))
    assert next(it) == 4
    assert list(it) == [5, 6]


def test_iterate_char_array_gives_bytes(ffi):
    assert list(ffi.new("char[]", b"ab")) == [b"a", b"b", b"\0"]


def test_iterate_struct_array_gives_structs(cffi_):
    a = cffi_.new("foo_t[2]", [[1, 2], [3, 4]])
    assert [s.y for s in a] == [2, 4]


@pytest.mark.parametrize("make", [
    lambda ffi: ffi.new("int *"),
    lambda ffi: ffi.cast("int *", ffi.new("int[3]")),
    lambda ffi: ffi.new("foo_t *"),
    lambda ffi: ffi.new("foo_t *")[0],
    lambda ffi: ffi.cast("int", 3),
], ids=["owning-pointer", "pointer", "struct-pointer", "struct", "int"])
def test_iterate_non_array_refused(cffi_, make):
    with pytest.raises(TypeError):
        iter(make(cffi_))


@pytest.mark.parametrize("cdecl", ["int[3]", "char[]", "foo_t[2]", "int *"])
def test_reversed_refused(cffi_, cdecl):
    """No cdata is reversible (an array iterates forwards only)."""
    with pytest.raises(TypeError, match="is not reversible"):
        reversed(cffi_.new(cdecl, 2) if cdecl.endswith("[]") else cffi_.new(cdecl))
    with pytest.raises(TypeError, match="is not reversible"):
        reversed(cffi_.cast("int", 3))


# --- struct fields ----------------------------------------------------------------------------

def test_struct_field_through_pointer(cffi_):
    """`p.x` and `p->x` in C both become `p.x`."""
    p = cffi_.new("struct foo *", [1, 2])
    assert (p.x, p.y) == (1, 2)
    p.x = 10
    assert p[0].x == 10
    p[0].y = 20
    assert p.y == 20


def test_struct_p0(cffi_):
    p = cffi_.new("struct foo *", [1, 2])
    s = p[0]
    assert cffi_.typeof(s) is cffi_.typeof("struct foo")
    s.x = 5
    assert p.x == 5


def test_nested_struct_field_shares_memory(cffi_):
    p = cffi_.new("struct nested *")
    a = p.a
    assert cffi_.typeof(a) is cffi_.typeof("foo_t")
    a.x = 7
    assert p.a.x == 7
    p.a.y = 8
    assert a.y == 8
    assert re.fullmatch(r"<cdata 'foo_t &' %s>" % ADDR, repr(a))


def test_array_field_shares_memory(cffi_):
    p = cffi_.new("struct nested *")
    arr = p.arr
    assert cffi_.typeof(arr) is cffi_.typeof("int[3]")
    arr[1] = 5
    assert p.arr[1] == 5
    assert len(p.arr) == 3
    with pytest.raises(IndexError):
        p.arr[3]


def test_unknown_field(cffi_):
    p = cffi_.new("struct foo *")
    with pytest.raises(AttributeError):
        p.z
    with pytest.raises(AttributeError):
        p.z = 1
    with pytest.raises(AttributeError):
        p[0].z


def test_union_fields_share_memory(cffi_):
    p = cffi_.new("union u *")
    p.d = 0.1
    raw = struct.pack("=d", 0.1)
    assert p.i == struct.unpack("=i", raw[:4])[0]
    p.i = 12345
    assert p.d == struct.unpack("=d", struct.pack("=i", 12345) + raw[4:])[0]


def test_dir_of_struct(cffi_):
    """v1.7: `dir(p)` lists the fields of a struct or pointer-to-struct."""
    p = cffi_.new("struct foo *")
    assert {"x", "y"} <= set(dir(p))
    assert {"x", "y"} <= set(dir(p[0]))


# --- ffi.typeof -------------------------------------------------------------------------------

def test_typeof_cdata_is_the_cached_ctype(cffi_):
    assert cffi_.typeof(cffi_.new("int[5]")) is cffi_.typeof("int[5]")
    assert cffi_.typeof(cffi_.new("foo_t *")) is cffi_.typeof("foo_t*")
    assert cffi_.typeof(cffi_.new("struct foo *")[0]) is cffi_.typeof("struct foo")
    assert cffi_.typeof(cffi_.cast("enum e", 0)) is cffi_.typeof("enum e")
    assert cffi_.typeof(cffi_.new("struct nested *").name) is cffi_.typeof("char[5]")


def test_typeof_string_is_cached(ffi):
    assert ffi.typeof("int *") is ffi.typeof("int*")


# --- repr -------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, pattern", [
    (lambda ffi: ffi.new("int *"), r"<cdata 'int \*' owning 4 bytes>"),
    (lambda ffi: ffi.new("int[10]"), r"<cdata 'int\[10\]' owning 40 bytes>"),
    (lambda ffi: ffi.new("struct foo *"), r"<cdata 'struct foo \*' owning 8 bytes>"),
    (lambda ffi: ffi.new("struct foo *")[0], r"<cdata 'struct foo' owning 8 bytes>"),
    (lambda ffi: ffi.new("union u *"), r"<cdata 'union u \*' owning 8 bytes>"),
    (lambda ffi: ffi.new("int **"), r"<cdata 'int \* \*' owning %d bytes>" % 8),
    (lambda ffi: ffi.cast("int", 42), r"<cdata 'int' 42>"),
    (lambda ffi: ffi.cast("unsigned short", 42), r"<cdata 'unsigned short' 42>"),
    (lambda ffi: ffi.cast("int", -1), r"<cdata 'int' -1>"),
    (lambda ffi: ffi.cast("char", b"A"), r"<cdata 'char' b'A'>"),
    (lambda ffi: ffi.cast("char", 0), r"<cdata 'char' b'\\x00'>"),
    (lambda ffi: ffi.cast("double", 1.5), r"<cdata 'double' 1\.5>"),
    (lambda ffi: ffi.cast("float", 0.5), r"<cdata 'float' 0\.5>"),
    (lambda ffi: ffi.cast("_Bool", 1), r"<cdata '_Bool' True>"),
    (lambda ffi: ffi.cast("wchar_t", "x"), r"<cdata 'wchar_t' 'x'>"),
    (lambda ffi: ffi.cast("foo_t *", 0), r"<cdata 'foo_t \*' NULL>"),
    (lambda ffi: ffi.NULL, r"<cdata 'void \*' NULL>"),
    (lambda ffi: ffi.new("int **")[0], r"<cdata 'int \*' NULL>"),
    (lambda ffi: ffi.cast("int *", 0x1000), r"<cdata 'int \*' 0x1000>"),
    (lambda ffi: ffi.new("int[2]") + 1, r"<cdata 'int \*' %s>" % ADDR),
    (lambda ffi: ffi.new("struct foo[2]")[1], r"<cdata 'struct foo &' %s>" % ADDR),
    (lambda ffi: ffi.new("struct nested *").a, r"<cdata 'foo_t &' %s>" % ADDR),
    (lambda ffi: ffi.new("struct nested *").arr, r"<cdata 'int\[3\]' %s>" % ADDR),
    (lambda ffi: ffi.new("int[5]")[1:4], r"<cdata 'int\[\]' sliced length 3>"),
    (lambda ffi: ffi.cast("int(*)(int)", 0), r"<cdata 'int\(\*\)\(int\)' NULL>"),
    (lambda ffi: ffi.cast("long double", 1.5), r"<cdata 'long double' .*1\.5.*>"),
])
def test_repr(cffi_, make, pattern):
    assert re.fullmatch(pattern, repr(make(cffi_))), repr(make(cffi_))


def test_repr_enum(cffi_):
    assert repr(cffi_.cast("enum e", 7)).startswith("<cdata 'enum e' 7")
    assert repr(cffi_.cast("enum e", 8)) == "<cdata 'enum e' 8>"


@pytest.mark.parametrize("target", ["array", "pointer", "field", "field-through-cast"])
@pytest.mark.parametrize("bad", [2**40, 1.5, "x"])
def test_refused_write_leaves_memory_unchanged(target, bad):
    """A value refused by a conversion must not have clobbered the destination first."""
    ffi = FFI()
    ffi.cdef("struct wr { int x; double y; };")
    a = ffi.new("int[3]", [7, 8, 9])
    s = ffi.new("struct wr *", [5, 1.5])
    with pytest.raises((OverflowError, TypeError)):
        if target == "array":
            a[1] = bad
        elif target == "pointer":
            ffi.cast("int *", a)[1] = bad
        elif target == "field":
            s.x = bad
        else:
            ffi.cast("struct wr *", s).x = bad
    assert list(a) == [7, 8, 9]
    assert (s.x, s.y) == (5, 1.5)


@pytest.mark.parametrize("item, value, exc, message, after", [
    ("int", "[7]", ValueError, "need 2 values to unpack, got 1", [0, 7, 0, 0]),
    ("int", "[7, 8, 9]", ValueError, "got more than 2 values to unpack", [0, 7, 8, 0]),
    ("int", "iter([5, 6, 7])", ValueError, "got more than 2 values to unpack", [0, 5, 6, 0]),
    ("int", "ffi.new('int[3]', [1, 2, 3])", ValueError, "got more than 2 values to unpack",
     [0, 1, 2, 0]),
    ("int", "ffi.new('int[1]', [4])", ValueError, "need 2 values to unpack, got 1",
     [0, 4, 0, 0]),
    ("int", "ffi.new('int *', 4)", TypeError, "cdata 'int *' does not support iteration",
     [0, 0, 0, 0]),
    ("int", "ffi.cast('int *', ffi.new('int[3]', [1, 2, 3]))", TypeError,
     "cdata 'int *' does not support iteration", [0, 0, 0, 0]),
    ("int", "'a'", TypeError, "an integer is required", [0, 0, 0, 0]),
    ("char", "[1]", TypeError, "initializer for ctype 'char' must be a bytes of length 1, "
     "not int", [b"\0"] * 4),
    ("char", "[b'x', 2, 3]", TypeError, "initializer for ctype 'char' must be a bytes of "
     "length 1, not int", [b"\0", b"x", b"\0", b"\0"]),
    ("_Bool", "[1, 2, 3]", OverflowError, "integer 2 does not fit '_Bool'",
     [False, True, False, False]),
    ("double", "'a'", TypeError, "must be real number, not str", [0.0] * 4),
])
def test_slice_assignment_converts_items_before_counting(item, value, exc, message, after):
    """`a[1:3] = x` of the wrong length writes (and converts) the items that fit, then refuses
    the count; a pointer is not an iterable of items, even of the same type (cffi)."""
    ffi = FFI()
    a = ffi.new("%s[4]" % item)
    with pytest.raises(exc) as info:
        a[1:3] = eval(value, {"ffi": ffi})
    assert str(info.value) == message
    assert list(a) == after


@pytest.mark.parametrize("expr, exc, message", [
    ("a - a", TypeError, "cannot subtract cdata 'int' and cdata 'int'"),
    ("a - p", TypeError, "cannot subtract cdata 'int' and cdata 'int *'"),
    ("a - arr", TypeError, "cannot subtract cdata 'int' and cdata 'int *'"),
    ("d - a", TypeError, "cannot subtract cdata 'double' and cdata 'int'"),
    ("s - s", TypeError, "cannot subtract cdata 'struct foo' and cdata 'struct foo'"),
    ("s - p", TypeError, "cannot subtract cdata 'struct foo' and cdata 'int *'"),
    ("a - 1", TypeError, "cannot add a cdata 'int' and a number"),
    ("1 + a", TypeError, "cannot add a cdata 'int' and a number"),
    ("s + 1", TypeError, "cannot add a cdata 'struct foo' and a number"),
    ("a + 1.5", TypeError, "'float' object cannot be interpreted as an integer"),
    ("1.5 + a", TypeError, "'float' object cannot be interpreted as an integer"),
    ("a - 1.5", TypeError, "'float' object cannot be interpreted as an integer"),
    ("a - None", TypeError, "'NoneType' object cannot be interpreted as an integer"),
    ("s - 'x'", TypeError, "'str' object cannot be interpreted as an integer"),
    ("a + 2 ** 70", OverflowError, "cannot fit 'int' into an index-sized integer"),
    ("s - 2 ** 70", OverflowError, "cannot fit 'int' into an index-sized integer"),
])
def test_arithmetic_on_numbers_and_structs_is_refused_as_cffi(cffi_, expr, exc, message):
    """A number or struct cdata takes no `+`/`-`: a cdata right operand of `-` is "cannot
    subtract", a non-index is the index error, then "cannot add ... a number"."""
    names = {"a": cffi_.cast("int", 1), "d": cffi_.cast("double", 1), "p": cffi_.new("int *"),
             "arr": cffi_.new("int[2]"), "s": cffi_.new("struct foo *")[0]}
    with pytest.raises(exc) as info:
        eval(expr, names)
    assert str(info.value) == message


@pytest.mark.parametrize("expr, exc, message", [
    ("fp['x']", TypeError, "'str' object cannot be interpreted as an integer"),
    ("fp[2 ** 63]", IndexError, "cannot fit 'int' into an index-sized integer"),
    ("fp[0]", TypeError, "cdata of type 'int(*)(int)' cannot be indexed"),
    ("fp[0:1]", TypeError, "cdata of type 'int(*)(int)' cannot be indexed"),
    ("fp + 2 ** 63", OverflowError, "cannot fit 'int' into an index-sized integer"),
    ("s[1.0]", TypeError, "'float' object cannot be interpreted as an integer"),
    ("s[2 ** 63]", IndexError, "cannot fit 'int' into an index-sized integer"),
    ("s[0]", TypeError, "cdata of type 'struct foo' cannot be indexed"),
    ("i[None]", TypeError, "'NoneType' object cannot be interpreted as an integer"),
    ("i[-2 ** 63 - 1]", IndexError, "cannot fit 'int' into an index-sized integer"),
    ("i[0]", TypeError, "cdata of type 'int' cannot be indexed"),
    ("pp[2 ** 63]", IndexError, "cannot fit 'int' into an index-sized integer"),
    ("pp[-2 ** 63 - 1]", IndexError, "cannot fit 'int' into an index-sized integer"),
    ("pp[1]", IndexError, "cdata 'int * *' can only be indexed by 0"),
    ("ip[2 ** 64]", IndexError, "cannot fit 'int' into an index-sized integer"),
    ("vp[0:2]", ValueError, "array item of unknown size: 'void'"),
    ("vp[0:0]", ValueError, "array item of unknown size: 'void'"),
    ("op[0:1]", ValueError, "array item of unknown size: 'struct opaque_t'"),
])
def test_indexing_checks_the_index_first_and_slices_need_a_known_item_size(cffi_, expr, exc,
                                                                           message):
    """As cffi: an index is converted (and range-checked) before a cdata that cannot be
    indexed is refused; slicing a `void *` or a pointer to an opaque type is refused."""
    cffi_.cdef("struct opaque_t;")
    names = {"fp": cffi_.cast("int(*)(int)", 0), "s": cffi_.new("struct foo *")[0],
             "i": cffi_.cast("int", 1), "pp": cffi_.new("int **"), "ip": cffi_.new("int *"),
             "vp": cffi_.cast("void *", cffi_.new("int[2]")),
             "op": cffi_.cast("struct opaque_t *", 8)}
    with pytest.raises(exc) as info:
        eval(expr, names)
    assert str(info.value) == message
