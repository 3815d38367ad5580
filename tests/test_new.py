"""ffi.new(): allocation, zero-filling and every initializer form (spec 6.1 and 7.1.3)."""
import re

import pytest

from _backend import FFI, IS_CFFI  # noqa: F401

CDEF = """
    typedef struct { int x, y; } foo_t;
    typedef struct { int x, y, z; char a[5]; } xyz_t;
    struct point { int x; int y; };
    struct vfoo { int n; int data[]; };
    typedef struct { int x; int y[]; } vfoo_t;
    struct vdbl { char c; double d[]; };
    struct opaque;
    typedef struct opaque opaque_t;
    union u { int i; double d; };
    struct nested { foo_t a; int arr[3]; char name[5]; };
    struct withptr { int *ip; double d; };
    enum color { RED, GREEN = 5, BLUE };
"""


@pytest.fixture
def cffi_(ffi):
    """An FFI with the declarations used in this module."""
    ffi.cdef(CDEF)
    return ffi


# --- the type given to ffi.new ------------------------------------------------------------

@pytest.mark.parametrize("cdecl, nbytes", [
    ("int *", 4),
    ("int[10]", 40),
    ("char *", 1),
    ("double *", 8),
    ("short[3]", 6),
])
def test_new_repr_shows_owning_size(ffi, cdecl, nbytes):
    """The spec's examples: `<cdata 'int *' owning 4 bytes>` etc."""
    assert repr(ffi.new(cdecl)) == "<cdata '%s' owning %d bytes>" % (cdecl, nbytes)


def test_new_char_array_from_bytes_repr(ffi):
    """`ffi.new("char[]", b"foobar")` allocates 7 bytes, the 7th being the null."""
    assert repr(ffi.new("char[]", b"foobar")) == "<cdata 'char[]' owning 7 bytes>"


@pytest.mark.parametrize("cdecl", ["int", "double", "char", "foo_t", "struct point",
                                   "union u", "enum color"])
def test_new_refuses_non_pointer_non_array(cffi_, cdecl):
    with pytest.raises(TypeError, match="pointer or array"):
        cffi_.new(cdecl)


def test_new_refuses_function_pointer(ffi):
    """A function pointer does not point to data that could be allocated."""
    with pytest.raises(TypeError):
        ffi.new("int(*)(int)")


@pytest.mark.parametrize("cdecl", ["struct opaque *", "opaque_t *", "struct undeclared_xyz *"])
def test_new_refuses_opaque_struct(cffi_, cdecl):
    """A struct with only a forward declaration has no known size."""
    with pytest.raises(TypeError, match="unknown size"):
        cffi_.new(cdecl)


def test_new_refuses_void_pointer(ffi):
    with pytest.raises(TypeError, match="unknown size"):
        ffi.new("void *")


def test_new_pointer_to_opaque_pointer_is_fine(cffi_):
    """`opaque_t **` points to a pointer, whose size is known (spec: `p_handle`)."""
    p = cffi_.new("opaque_t **")
    assert p[0] == cffi_.NULL
    assert cffi_.sizeof(p[0]) == cffi_.sizeof("void *")


def test_new_returns_the_requested_type(cffi_):
    for cdecl in ["int *", "int[10]", "foo_t *", "struct point[2]", "char *[3]"]:
        assert cffi_.typeof(cffi_.new(cdecl)) is cffi_.typeof(cdecl)


def test_new_allocates_distinct_memory(ffi):
    a = ffi.new("int *", 1)
    b = ffi.new("int *", 2)
    assert a != b
    assert (a[0], b[0]) == (1, 2)


# --- zero-filling and None --------------------------------------------------------------

def test_new_int_array_is_zeroed(ffi):
    assert list(ffi.new("int[10]")) == [0] * 10


def test_new_struct_is_zeroed(cffi_):
    p = cffi_.new("struct nested *")
    assert (p.a.x, p.a.y) == (0, 0)
    assert list(p.arr) == [0, 0, 0]
    assert list(p.name) == [b"\0"] * 5


@pytest.mark.parametrize("cdecl, zero", [
    ("int *", 0),
    ("double *", 0.0),
    ("char *", b"\0"),
    ("wchar_t *", "\0"),
    ("_Bool *", False),
])
def test_new_primitive_is_zeroed(ffi, cdecl, zero):
    value = ffi.new(cdecl)[0]
    assert value == zero
    assert type(value) is type(zero)


def test_new_pointer_fields_are_null(cffi_):
    p = cffi_.new("struct withptr *")
    assert p.ip == cffi_.NULL
    assert repr(p.ip) == "<cdata 'int *' NULL>"
    assert list(cffi_.new("int *[2]")) == [cffi_.NULL, cffi_.NULL]


@pytest.mark.parametrize("cdecl", ["int *", "int[3]", "foo_t *", "double *"])
def test_new_with_none_initializer_is_zeroed(cffi_, cdecl):
    data = cffi_.buffer(cffi_.new(cdecl, None))[:]
    assert len(data) > 0
    assert data == b"\0" * len(data)


# --- scalar initializers ---------------------------------------------------------------

@pytest.mark.parametrize("cdecl, init", [
    ("int *", 42),
    ("int *", -7),
    ("unsigned short *", 65535),
    ("double *", 2.5),
    ("float *", 0.5),
    ("char *", b"z"),
    ("wchar_t *", "\u263a"),
    ("_Bool *", True),
])
def test_new_pointer_with_scalar_initializer(ffi, cdecl, init):
    assert ffi.new(cdecl, init)[0] == init


def test_new_pointer_to_scalar_refuses_list(ffi):
    """A `T *` initializer is a single T, not a list of one T."""
    with pytest.raises(TypeError):
        ffi.new("int *", [5])


def test_new_enum_pointer(cffi_):
    assert cffi_.new("enum color *", 5)[0] == 5
    assert cffi_.new("enum color *")[0] == 0


# --- array initializers ----------------------------------------------------------------

@pytest.mark.parametrize("init", [[1, 2, 3], (1, 2, 3)])
def test_new_array_from_list_or_tuple(ffi, init):
    assert list(ffi.new("int[3]", init)) == [1, 2, 3]


def test_new_array_short_initializer_zero_fills(ffi):
    assert list(ffi.new("int[5]", [7, 8])) == [7, 8, 0, 0, 0]


def test_new_open_array_length_from_list(ffi):
    p = ffi.new("int[]", [1, 2, 3, 4])
    assert len(p) == 4
    assert list(p) == [1, 2, 3, 4]
    assert repr(p) == "<cdata 'int[]' owning 16 bytes>"


def test_new_open_array_from_empty_list(ffi):
    p = ffi.new("int[]", [])
    assert len(p) == 0


@pytest.mark.parametrize("n", [0, 1, 1000])
def test_new_open_array_from_length(ffi, n):
    """`ffi.new("int[]", 1000)` is the same as `ffi.new("int[1000]")`."""
    p = ffi.new("int[]", n)
    assert len(p) == n
    assert ffi.sizeof(p) == 4 * n
    assert list(p) == [0] * n


def test_new_open_array_negative_length(ffi):
    with pytest.raises(ValueError, match="negative"):
        ffi.new("int[]", -1)


def test_new_open_array_needs_initializer(ffi):
    with pytest.raises(TypeError):
        ffi.new("int[]")


def test_new_open_array_refuses_float_length(ffi):
    with pytest.raises(TypeError):
        ffi.new("int[]", 2.5)


def test_new_array_too_many_initializers(ffi):
    with pytest.raises(IndexError, match="too many initializers"):
        ffi.new("int[3]", [1, 2, 3, 4])


def test_new_fixed_array_refuses_int_initializer(ffi):
    """Only `T[]` takes a length; `T[3]` takes a list."""
    with pytest.raises(TypeError):
        ffi.new("int[3]", 5)


@pytest.mark.parametrize("init", [[1.5], ["1"], [b"1"], [None]])
def test_new_int_array_wrong_item_type(ffi, init):
    with pytest.raises(TypeError):
        ffi.new("int[3]", init)


def test_new_array_item_overflow(ffi):
    with pytest.raises(OverflowError):
        ffi.new("short[2]", [1, 40000])


def test_new_array_from_same_type_array(ffi):
    """v1.12: `ffi.new("int[4]", p)` with p another `int[4]` copies it."""
    src = ffi.new("int[3]", [1, 2, 3])
    dst = ffi.new("int[3]", src)
    assert list(dst) == [1, 2, 3]
    src[0] = 100
    assert dst[0] == 1


def test_new_array_of_arrays(ffi):
    p = ffi.new("int[2][3]", [[1, 2, 3], [4]])
    assert [list(row) for row in p] == [[1, 2, 3], [4, 0, 0]]
    q = ffi.new("int[][3]", [[1, 2, 3], [4, 5, 6], [7]])
    assert len(q) == 3
    assert q[2][0] == 7 and q[2][2] == 0
    assert repr(q) == "<cdata 'int[][3]' owning 36 bytes>"


def test_new_array_of_pointers(ffi):
    a = ffi.new("int *", 1)
    b = ffi.new("int *", 2)
    p = ffi.new("int *[]", [a, b, ffi.NULL])
    assert len(p) == 3
    assert p[0][0] == 1 and p[1][0] == 2 and p[2] == ffi.NULL


# --- char / unicode arrays from strings ------------------------------------------------

def test_new_char_array_from_bytes_adds_null(ffi):
    p = ffi.new("char[]", b"abc")
    assert len(p) == 4
    assert list(p) == [b"a", b"b", b"c", b"\0"]
    assert ffi.string(p) == b"abc"


def test_new_char_array_spec_example(ffi):
    """The `x = ffi.new("char[]", "hello")` walk-through of spec 6.1."""
    x = ffi.new("char[]", b"hello")
    assert repr(x) == "<cdata 'char[]' owning 6 bytes>"
    assert len(x) == 6
    assert x[5] == b"\0"
    x[0] = b"H"
    assert ffi.string(x) == b"Hello"


def test_new_char_array_from_empty_bytes(ffi):
    p = ffi.new("char[]", b"")
    assert len(p) == 1 and p[0] == b"\0"


def test_new_char_array_keeps_embedded_nulls(ffi):
    p = ffi.new("char[]", b"a\0b")
    assert len(p) == 4
    assert p[2] == b"b"


def test_new_fixed_char_array_exact_length_has_no_null(ffi):
    p = ffi.new("char[3]", b"abc")
    assert list(p) == [b"a", b"b", b"c"]


def test_new_fixed_char_array_shorter_bytes(ffi):
    p = ffi.new("char[5]", b"ab")
    assert list(p) == [b"a", b"b", b"\0", b"\0", b"\0"]


def test_new_fixed_char_array_too_long(ffi):
    with pytest.raises(IndexError, match="too long"):
        ffi.new("char[2]", b"abc")


def test_new_char_array_refuses_str(ffi):
    """Python 3: `char` is `bytes`, not `str` (spec 6.2)."""
    with pytest.raises(TypeError):
        ffi.new("char[]", "abc")


def test_new_char_array_from_list_of_bytes(ffi):
    p = ffi.new("char[]", [b"a", b"b"])
    assert len(p) == 2
    assert list(p) == [b"a", b"b"]


@pytest.mark.parametrize("cdecl", ["unsigned char[]", "signed char[]"])
def test_new_byte_array_from_bytes(ffi, cdecl):
    """Table 7.2: `unsigned char[]` also accepts a byte string, items read as ints."""
    p = ffi.new(cdecl, b"AB")
    assert list(p) == [65, 66, 0]


def test_new_int_array_refuses_bytes(ffi):
    with pytest.raises(TypeError):
        ffi.new("int[]", b"ab")


@pytest.mark.parametrize("cdecl, source", [
    ("int[]", "int[3]"), ("char[]", "char[4]"), ("int[]", "int *"), ("char[]", "char *")])
def test_new_open_array_refuses_a_cdata(ffi, cdecl, source):
    """An open array's length comes from a number or a list/tuple/string, not from a cdata."""
    with pytest.raises(TypeError, match="expected new array length or list/tuple/str, not "):
        ffi.new(cdecl, ffi.new(source))


def test_new_bytes_arrays_refuse_a_bytearray(ffi):
    """A bytearray is not a bytes (it is not a list or tuple of items either)."""
    for cdecl in ("char[]", "unsigned char[]", "char[3]", "uint8_t[3]"):
        with pytest.raises(TypeError, match="bytearray"):
            ffi.new(cdecl, bytearray(b"ab"))


@pytest.mark.parametrize("cdecl", ["wchar_t[]", "char16_t[]", "char32_t[]"])
def test_new_unicode_array_from_str(ffi, cdecl):
    p = ffi.new(cdecl, "ab\u263a")
    assert len(p) == 4
    assert list(p) == ["a", "b", "\u263a", "\0"]
    assert ffi.string(p) == "ab\u263a"


@pytest.mark.parametrize("cdecl", ["wchar_t[]", "char16_t[]", "char32_t[]"])
def test_new_unicode_array_refuses_bytes(ffi, cdecl):
    with pytest.raises(TypeError):
        ffi.new(cdecl, b"ab")


# --- struct and union initializers ------------------------------------------------------

@pytest.mark.parametrize("init", [[1, 2], (1, 2), {"x": 1, "y": 2}, {"y": 2, "x": 1}])
def test_new_struct_from_list_tuple_dict(cffi_, init):
    """`{ 1, 2 }` and `{ .y=2, .x=1 }` in C."""
    p = cffi_.new("foo_t *", init)
    assert (p.x, p.y) == (1, 2)


def test_new_struct_partial_list(cffi_):
    p = cffi_.new("struct point *", [9])
    assert (p.x, p.y) == (9, 0)


def test_new_struct_partial_dict(cffi_):
    p = cffi_.new("struct point *", {"y": 9})
    assert (p.x, p.y) == (0, 9)


def test_new_struct_too_many_initializers(cffi_):
    with pytest.raises(ValueError, match="too many initializers"):
        cffi_.new("foo_t *", [1, 2, 3])


def test_new_struct_unknown_field(cffi_):
    with pytest.raises(KeyError, match="z"):
        cffi_.new("foo_t *", {"z": 1})


@pytest.mark.parametrize("init", [5, "ab", b"ab", 1.5])
def test_new_struct_wrong_initializer_type(cffi_, init):
    with pytest.raises(TypeError):
        cffi_.new("foo_t *", init)


def test_new_struct_wrong_field_type(cffi_):
    with pytest.raises(TypeError):
        cffi_.new("foo_t *", {"x": 1.5})
    with pytest.raises(OverflowError):
        cffi_.new("foo_t *", [2 ** 31])


def test_new_struct_from_same_type_struct_cdata(cffi_):
    src = cffi_.new("foo_t *", [3, 4])
    p = cffi_.new("foo_t *", src[0])
    assert (p.x, p.y) == (3, 4)
    src.x = 30
    assert p.x == 3


def test_new_struct_refuses_pointer_to_struct(cffi_):
    with pytest.raises(TypeError):
        cffi_.new("foo_t *", cffi_.new("foo_t *"))


def test_new_nested_initializers(cffi_):
    p = cffi_.new("struct nested *", [[1, 2], [3, 4, 5], b"ab"])
    assert (p.a.x, p.a.y) == (1, 2)
    assert list(p.arr) == [3, 4, 5]
    assert cffi_.string(p.name) == b"ab"


def test_new_nested_dict_initializers(cffi_):
    p = cffi_.new("struct nested *", {"a": {"y": 3}, "name": b"hello", "arr": (7,)})
    assert (p.a.x, p.a.y) == (0, 3)
    assert list(p.arr) == [7, 0, 0]
    assert list(p.name) == [b"h", b"e", b"l", b"l", b"o"]


def test_new_nested_char_array_too_long(cffi_):
    with pytest.raises(IndexError):
        cffi_.new("struct nested *", {"name": b"hello!"})


def test_new_union_from_list_sets_first_field(cffi_):
    p = cffi_.new("union u *", [5])
    assert p.i == 5


def test_new_union_from_dict(cffi_):
    p = cffi_.new("union u *", {"d": 1.5})
    assert p.d == 1.5


def test_new_union_refuses_two_list_items(cffi_):
    """Table 7.2: a union takes "at most one field"."""
    with pytest.raises(ValueError, match="too many initializers"):
        cffi_.new("union u *", [5, 6])


@pytest.mark.parametrize("init", [
    [[1, 2], {"y": 4}, (5, 6)],
    ({"x": 1, "y": 2}, [0, 4], [5, 6]),
])
def test_new_array_of_structs(cffi_, init):
    p = cffi_.new("foo_t[]", init)
    assert len(p) == 3
    assert [(s.x, s.y) for s in p] == [(1, 2), (0, 4), (5, 6)]


def test_new_array_of_structs_too_many(cffi_):
    with pytest.raises(IndexError):
        cffi_.new("foo_t[2]", [[1, 2], [3, 4], [5, 6]])


def test_new_array_of_structs_from_length(cffi_):
    p = cffi_.new("struct point[]", 3)
    assert len(p) == 3
    assert cffi_.sizeof(p) == 3 * cffi_.sizeof("struct point")


def test_new_pointer_to_pointer_from_pointer(ffi):
    """spec 6.1: `q = ffi.new("char **", p)`."""
    p = ffi.new("char[]", b"hello, world")
    q = ffi.new("char **", p)
    assert q[0] == p
    assert ffi.string(q[0]) == b"hello, world"


def test_new_pointer_to_pointer_refuses_bytes(ffi):
    with pytest.raises(TypeError):
        ffi.new("char **", b"x")


# --- "ffi.new(T*, init)" is "ffi.new(T*); p[0] = init" ----------------------------------

def test_new_equivalent_to_assigning_p0(cffi_):
    a = cffi_.new("struct nested *", {"a": [1, 2], "arr": [3]})
    b = cffi_.new("struct nested *")
    b[0] = {"a": [1, 2], "arr": [3]}
    assert cffi_.buffer(a)[:] == cffi_.buffer(b)[:]


def test_assign_row_of_2d_array(ffi):
    """spec 6.1: `p[2] = [10, 20]` writes p[2][0] and p[2][1]."""
    p = ffi.new("int[5][5]")
    p[2][4] = 99
    p[2] = [10, 20]
    assert list(p[2]) == [10, 20, 0, 0, 99]


def test_assign_dict_to_struct_leaves_other_fields(cffi_):
    """spec 6.1: `p[0] = {'x': 10, 'z': 20}`: p.y unmodified."""
    p = cffi_.new("xyz_t *", {"y": 7})
    p[0] = {"x": 10, "z": 20}
    assert (p.x, p.y, p.z) == (10, 7, 20)


def test_assign_short_bytes_to_char_array_field(cffi_):
    """spec 6.1: `p.a = "abc"` writes a, b, c and a null; p.a[4] unmodified."""
    p = cffi_.new("xyz_t *", {"a": b"VWXYZ"})
    p.a = b"abc"
    assert list(p.a) == [b"a", b"b", b"c", b"\0", b"Z"]


# --- variable-sized structures ----------------------------------------------------------

@pytest.mark.parametrize("init, x, items", [
    ([5, [6, 7, 8]], 5, [6, 7, 8]),
    ([5, 3], 5, [0, 0, 0]),
    ({"y": 3}, 0, [0, 0, 0]),
    ({"y": [1, 2]}, 0, [1, 2]),
    ([5, (6, 7)], 5, [6, 7]),
])
def test_new_varsize_struct(cffi_, init, x, items):
    """The three forms of spec 6.1, plus a dict and a tuple variant."""
    p = cffi_.new("vfoo_t *", init)
    assert p.x == x
    assert len(p.y) == len(items)
    assert list(p.y) == items


@pytest.mark.parametrize("init, n, items", [
    ([1, [2, 3, 4]], 1, [2, 3, 4]),
    ({"n": 5, "data": 3}, 5, [0, 0, 0]),
])
def test_new_varsize_struct_tag(cffi_, init, n, items):
    p = cffi_.new("struct vfoo *", init)
    assert repr(p) == "<cdata 'struct vfoo *' owning 16 bytes>"
    assert p.n == n
    assert list(p.data) == items


def test_new_varsize_struct_bounds_checked(cffi_):
    """v1.9: the length of the variable part is tracked and checked."""
    p = cffi_.new("vfoo_t *", [5, [6, 7, 8]])
    p.y[2] = 9
    assert p.y[2] == 9
    with pytest.raises(IndexError):
        p.y[3]
    with pytest.raises(IndexError):
        p.y[3] = 0


def test_new_varsize_struct_sizeof(cffi_):
    """v1.9: `ffi.sizeof(p[0])` is the total allocated size."""
    p = cffi_.new("struct vdbl *", [b"x", [1.5, 2.5]])
    assert cffi_.sizeof(p[0]) == cffi_.offsetof("struct vdbl", "d") + 2 * 8
    assert list(p.d) == [1.5, 2.5]
    assert p.c == b"x"


def test_new_varsize_struct_without_length(cffi_):
    p = cffi_.new("vfoo_t *")
    assert len(p.y) == 0
    assert cffi_.sizeof(p[0]) == cffi_.sizeof("vfoo_t")


def test_new_varsize_struct_negative_length(cffi_):
    with pytest.raises(ValueError):
        cffi_.new("vfoo_t *", [1, -1])


def test_new_varsize_struct_repr_owning(cffi_):
    p = cffi_.new("vfoo_t *", [1, 3])
    assert re.fullmatch(r"<cdata 'vfoo_t' owning 16 bytes>", repr(p[0]))


class _Index:
    """An integer-like object (a numpy integer, say): only `__index__`."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value


@pytest.mark.parametrize("cdecl", ["int[]", "char[]", "double[]"])
def test_new_open_array_length_from_an_index_object(ffi, cdecl):
    """ffi.new("T[]", n) takes any object with __index__ as the length, as cffi."""
    p = ffi.new(cdecl, _Index(3))
    assert len(p) == 3 and ffi.sizeof(p) == 3 * ffi.sizeof(cdecl[:-2])
    assert list(p) == [b"\0"] * 3 if cdecl == "char[]" else list(p) == [0] * 3


def test_new_open_array_index_object_errors(ffi):
    with pytest.raises(ValueError, match="negative array length"):
        ffi.new("int[]", _Index(-1))
    with pytest.raises(OverflowError, match="cannot fit '_Index' into an index-sized integer"):
        ffi.new("int[]", _Index(2 ** 70))
    with pytest.raises(TypeError, match="expected new array length or list/tuple/str"):
        ffi.new("int[]", ffi.cast("int", 3))        # an integer cdata is no length


def test_new_var_sized_struct_length_from_an_index_object(ffi):
    ffi.cdef("struct v { int n; int d[]; };")
    p = ffi.new("struct v *", [1, _Index(2)])
    assert ffi.sizeof(p[0]) == 3 * ffi.sizeof("int")
    assert p.n == 1 and list(p.d) == [0, 0]


ORDER_CDEF = """
    struct s2 { int a; char b[4]; };
    struct bf2 { int x:3; unsigned y:5; };
    union un2 { int i; double d; };
    struct nest2 { struct s2 in; int arr[2]; };
"""


@pytest.mark.parametrize("cdecl, init, exc, message", [
    ("struct s2 *", [1, 2, 3], TypeError,
     "initializer for ctype 'char[4]' must be a bytes or list or tuple, not int"),
    ("struct s2 *", [1, b"ab", 3], ValueError, "too many initializers for 'struct s2' (got 3)"),
    ("struct nest2 *", [1, 2, 3], TypeError, "initializer for ctype 'struct s2' must be a "
     "list or tuple or dict or struct-cdata, not int"),
    ("union un2 *", [[1], [2]], TypeError, "an integer is required"),
    ("union un2 *", [1, 2], ValueError, "too many initializers for 'union un2' (got 2)"),
    ("struct bf2 *", [1, [1], 3], TypeError, "'list' object cannot be interpreted as an integer"),
    ("struct bf2 *", [1, 2, 3], ValueError, "too many initializers for 'struct bf2' (got 3)"),
    ("struct s2 *", {"b": 5, "zz": 1}, TypeError,
     "initializer for ctype 'char[4]' must be a bytes or list or tuple, not int"),
])
def test_struct_initializer_converts_fields_before_counting(ffi, cdecl, init, exc, message):
    """As cffi: the fields an initializer reaches are converted (and may fail) before an
    excess item or an unknown name is refused."""
    ffi.cdef(ORDER_CDEF)
    with pytest.raises(exc) as info:
        ffi.new(cdecl, init)
    assert str(info.value) == message


@pytest.mark.parametrize("init, a, b, message", [
    ([7, b"ab", 3], 7, b"ab", "too many initializers for 'struct s2' (got 3)"),
    ({"a": 9, "zz": 1, "b": b"q"}, 9, b"", "'zz'"),
])
def test_struct_assignment_writes_fields_up_to_the_error(ffi, init, a, b, message):
    """`p[0] = init` writes the fields in order and stops at the excess item or unknown name."""
    ffi.cdef(ORDER_CDEF)
    p = ffi.new("struct s2 *")
    with pytest.raises((ValueError, KeyError)) as info:
        p[0] = init
    assert str(info.value) == message
    assert (p.a, ffi.string(p.b)) == (a, b)
