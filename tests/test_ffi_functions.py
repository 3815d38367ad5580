"""Tests for sizeof/alignof/offsetof/addressof/typeof/getctype/list_types and ffi constants (spec 7.1)."""
import ctypes
import errno
import os
import threading

import pytest

from _backend import FFI, CDefError, IS_CFFI


DECLS = """
    struct s { int a; char b; };
    struct n { int a; struct s inner; int arr[4]; struct s sarr[3]; };
    union u { int a; char c[8]; double d; };
    typedef struct { char c; double d; } td_t;
    typedef int myint;
    typedef struct s *sp_t;
    struct anon { int x; union { int y; char z; }; struct { short w; }; };
    struct vs { int n; int items[]; };
    struct vc { int x; char c; char y[]; };
    struct vd { double d; int n; short y[]; };
    enum color { RED, GREEN };
"""


@pytest.fixture
def sffi(ffi):
    """An FFI with the structs, unions and typedefs of DECLS."""
    ffi.cdef(DECLS)
    return ffi


# ctypes mirrors of the C declarations, used as an independent layout oracle.
class _CS(ctypes.Structure):
    _fields_ = [("a", ctypes.c_int), ("b", ctypes.c_char)]


class _CN(ctypes.Structure):
    _fields_ = [("a", ctypes.c_int), ("inner", _CS), ("arr", ctypes.c_int * 4), ("sarr", _CS * 3)]


class _CU(ctypes.Union):
    _fields_ = [("a", ctypes.c_int), ("c", ctypes.c_char * 8), ("d", ctypes.c_double)]


class _CTD(ctypes.Structure):
    _fields_ = [("c", ctypes.c_char), ("d", ctypes.c_double)]


PRIMITIVES = [
    ("char", ctypes.c_char),
    ("signed char", ctypes.c_byte),
    ("unsigned char", ctypes.c_ubyte),
    ("short", ctypes.c_short),
    ("unsigned short", ctypes.c_ushort),
    ("int", ctypes.c_int),
    ("unsigned int", ctypes.c_uint),
    ("long", ctypes.c_long),
    ("unsigned long", ctypes.c_ulong),
    ("long long", ctypes.c_longlong),
    ("float", ctypes.c_float),
    ("double", ctypes.c_double),
    ("_Bool", ctypes.c_bool),
    ("void *", ctypes.c_void_p),
    ("char *", ctypes.c_char_p),
    ("size_t", ctypes.c_size_t),
    ("ssize_t", ctypes.c_ssize_t),
    ("wchar_t", ctypes.c_wchar),
    ("int8_t", ctypes.c_int8),
    ("uint16_t", ctypes.c_uint16),
    ("int32_t", ctypes.c_int32),
    ("uint64_t", ctypes.c_uint64),
]


# ---------------------------------------------------------------------------
# ffi.sizeof()
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("cdecl, ctype", PRIMITIVES)
def test_sizeof_primitive(ffi, cdecl, ctype):
    assert ffi.sizeof(cdecl) == ctypes.sizeof(ctype)


@pytest.mark.parametrize("cdecl, size", [("char16_t", 2), ("char32_t", 4), ("int16_t", 2), ("uint8_t", 1)])
def test_sizeof_fixed_size_types(ffi, cdecl, size):
    assert ffi.sizeof(cdecl) == size


@pytest.mark.parametrize("cdecl, expected", [
    ("int[5]", 5 * ctypes.sizeof(ctypes.c_int)),
    ("char[2][3]", 6),
    ("int *[3]", 3 * ctypes.sizeof(ctypes.c_void_p)),
    ("int(*)(int)", ctypes.sizeof(ctypes.c_void_p)),
    ("int(*)[5]", ctypes.sizeof(ctypes.c_void_p)),
    ("double[0]", 0),
    ("struct s", ctypes.sizeof(_CS)),
    ("struct n", ctypes.sizeof(_CN)),
    ("union u", ctypes.sizeof(_CU)),
    ("td_t", ctypes.sizeof(_CTD)),
    ("myint", ctypes.sizeof(ctypes.c_int)),
    ("sp_t", ctypes.sizeof(ctypes.c_void_p)),
    ("struct s[3]", 3 * ctypes.sizeof(_CS)),
    ("enum color", ctypes.sizeof(ctypes.c_int)),
])
def test_sizeof_composite_types(sffi, cdecl, expected):
    assert sffi.sizeof(cdecl) == expected


def test_sizeof_ctype_object(sffi):
    for cdecl in ["int", "struct n", "double[7]", "td_t"]:
        assert sffi.sizeof(sffi.typeof(cdecl)) == sffi.sizeof(cdecl)


@pytest.mark.parametrize("make, expected", [
    (lambda f: f.new("int[]", 7), 7 * ctypes.sizeof(ctypes.c_int)),
    (lambda f: f.new("int[10]"), 10 * ctypes.sizeof(ctypes.c_int)),
    (lambda f: f.new("char[]", b"abc"), 4),
    (lambda f: f.new("int *"), ctypes.sizeof(ctypes.c_void_p)),
    (lambda f: f.new("struct n *")[0], ctypes.sizeof(_CN)),
    (lambda f: f.cast("short", 3), ctypes.sizeof(ctypes.c_short)),
    (lambda f: f.cast("double", 3), 8),
    (lambda f: f.new("char[]", b"abcdef")[1:3], 2),
    (lambda f: f.new("int[3][4]")[1], 4 * ctypes.sizeof(ctypes.c_int)),
    (lambda f: f.from_buffer("int[]", bytearray(13)), 3 * ctypes.sizeof(ctypes.c_int)),
    (lambda f: f.NULL, ctypes.sizeof(ctypes.c_void_p)),
], ids=["var-array", "fixed-array", "char-array", "pointer", "struct", "short", "double",
        "slice", "row", "from_buffer", "NULL"])
def test_sizeof_cdata_instance(sffi, make, expected):
    assert sffi.sizeof(make(sffi)) == expected


def test_sizeof_var_sized_struct_type(sffi):
    """The type alone ignores the variable-sized part."""
    assert sffi.sizeof("struct vs") == sffi.offsetof("struct vs", "items") == ctypes.sizeof(ctypes.c_int)


@pytest.mark.parametrize("init, nitems", [([1, [1, 2, 3]], 3), ([5, 4], 4), ({"items": 6}, 6)])
def test_sizeof_var_sized_struct_instance(sffi, init, nitems):
    """ffi.sizeof(p[0]) returns the total allocated size (new in 1.9)."""
    p = sffi.new("struct vs *", init)
    expected = sffi.offsetof("struct vs", "items") + nitems * sffi.sizeof("int")
    assert sffi.sizeof(p[0]) == expected
    assert sffi.sizeof(p) == sffi.sizeof("void *")


def test_sizeof_var_sized_struct_can_exceed_type_size(sffi):
    p = sffi.new("struct vd *", {"y": 3})
    expected = sffi.offsetof("struct vd", "y") + 3 * sffi.sizeof("short")
    assert expected > sffi.sizeof("struct vd")
    assert sffi.sizeof(p[0]) == expected


@pytest.mark.skipif(IS_CFFI, reason="cffi 2.0 differs: never returns less than sizeof(the struct type)")
def test_sizeof_var_sized_struct_can_be_smaller_than_type(sffi):
    """Spec: due to alignment, ffi.sizeof(p[0]) may be smaller than ffi.sizeof(ffi.typeof(p[0]))."""
    p = sffi.new("struct vc *", [1, b"a", 1])
    expected = sffi.offsetof("struct vc", "y") + 1
    assert expected < sffi.sizeof("struct vc")
    assert sffi.sizeof(p[0]) == expected


@pytest.mark.parametrize("cdecl", ["void", "int[]", "struct undefined_s"])
def test_sizeof_unknown_size(ffi, cdecl):
    with pytest.raises(ValueError, match="size"):
        ffi.sizeof(cdecl)


@pytest.mark.parametrize("obj", [3, None, 1.5, b"x"])
def test_sizeof_bad_argument(ffi, obj):
    with pytest.raises(TypeError):
        ffi.sizeof(obj)


# ---------------------------------------------------------------------------
# ffi.alignof()
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("cdecl, ctype", PRIMITIVES)
def test_alignof_primitive(ffi, cdecl, ctype):
    assert ffi.alignof(cdecl) == ctypes.alignment(ctype)


@pytest.mark.parametrize("cdecl, expected", [
    ("int[5]", ctypes.alignment(ctypes.c_int)),
    ("double[2][2]", ctypes.alignment(ctypes.c_double)),
    ("struct s", ctypes.alignment(_CS)),
    ("struct n", ctypes.alignment(_CN)),
    ("union u", ctypes.alignment(_CU)),
    ("td_t", ctypes.alignment(_CTD)),
    ("int(*)(int)", ctypes.alignment(ctypes.c_void_p)),
    ("struct vs", ctypes.alignment(ctypes.c_int)),
])
def test_alignof_composite(sffi, cdecl, expected):
    assert sffi.alignof(cdecl) == expected


def test_alignof_ctype_object(ffi):
    assert ffi.alignof(ffi.typeof("double")) == ffi.alignof("double")


def test_alignof_void_unknown(ffi):
    with pytest.raises(ValueError):
        ffi.alignof("void")


@pytest.mark.parametrize("obj", [5, None])
def test_alignof_bad_argument(ffi, obj):
    with pytest.raises(TypeError):
        ffi.alignof(obj)


# ---------------------------------------------------------------------------
# ffi.offsetof()
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("cdecl, fields, expected", [
    ("struct s", ["a"], _CS.a.offset),
    ("struct s", ["b"], _CS.b.offset),
    ("td_t", ["d"], _CTD.d.offset),
    ("struct n", ["inner"], _CN.inner.offset),
    ("struct n", ["inner", "b"], _CN.inner.offset + _CS.b.offset),
    ("struct n", ["arr"], _CN.arr.offset),
    ("struct n", ["arr", 2], _CN.arr.offset + 2 * ctypes.sizeof(ctypes.c_int)),
    ("struct n", ["sarr", 1, "b"], _CN.sarr.offset + ctypes.sizeof(_CS) + _CS.b.offset),
    ("union u", ["c"], 0),
    ("union u", ["d"], 0),
    ("struct vs", ["items"], ctypes.sizeof(ctypes.c_int)),
])
def test_offsetof_fields(sffi, cdecl, fields, expected):
    assert sffi.offsetof(cdecl, *fields) == expected


@pytest.mark.parametrize("cdecl, indexes, expected_items", [
    ("int[5]", [2], 2),
    ("int *", [2], 2),
    ("int[5]", [0], 0),
    ("int *", [-1], -1),
])
def test_offsetof_array_and_pointer_indexes(ffi, cdecl, indexes, expected_items):
    """ffi.offsetof("int[5]", 2) is the size of two ints, as is ffi.offsetof("int *", 2)."""
    assert ffi.offsetof(cdecl, *indexes) == expected_items * ffi.sizeof("int")


def test_offsetof_2d_array(ffi):
    assert ffi.offsetof("char[2][3]", 1, 2) == 5
    assert ffi.offsetof("int[4][5]", 2) == 10 * ffi.sizeof("int")


def test_offsetof_array_of_structs(sffi):
    assert sffi.offsetof("struct s[3]", 2, "b") == 2 * ctypes.sizeof(_CS) + _CS.b.offset
    assert sffi.offsetof("struct s *", 1, "b") == ctypes.sizeof(_CS) + _CS.b.offset


def test_offsetof_anonymous_members(sffi):
    int_size = sffi.sizeof("int")
    assert sffi.offsetof("struct anon", "y") == int_size
    assert sffi.offsetof("struct anon", "z") == int_size
    assert sffi.offsetof("struct anon", "w") == 2 * int_size


def test_offsetof_ctype_object(sffi):
    assert sffi.offsetof(sffi.typeof("struct s"), "b") == _CS.b.offset


def test_offsetof_unknown_field(sffi):
    with pytest.raises(KeyError):
        sffi.offsetof("struct s", "nope")


@pytest.mark.parametrize("cdecl, args", [
    ("struct s", [0]),          # an index on a struct
    ("int", [0]),               # an index on a primitive
    ("int", ["a"]),             # a field of a primitive
    ("struct s", ["a", "x"]),   # a field of an int field
    ("struct s", []),           # no field at all
])
def test_offsetof_type_errors(sffi, cdecl, args):
    with pytest.raises(TypeError):
        sffi.offsetof(cdecl, *args)


# ---------------------------------------------------------------------------
# ffi.addressof()
# ---------------------------------------------------------------------------

def _addr(ffi, cdata):
    return int(ffi.cast("uintptr_t", cdata))


def test_addressof_whole_struct(sffi):
    p = sffi.new("struct n *")
    q = sffi.addressof(p[0])
    assert sffi.typeof(q) is sffi.typeof("struct n *")
    assert q == p
    q.a = 42
    assert p.a == 42


def test_addressof_whole_union(sffi):
    p = sffi.new("union u *")
    q = sffi.addressof(p[0])
    assert sffi.typeof(q) is sffi.typeof("union u *")
    assert q == p


def test_addressof_struct_field(sffi):
    p = sffi.new("struct n *")
    f = sffi.addressof(p[0], "inner")
    assert sffi.typeof(f) is sffi.typeof("struct s *")
    assert _addr(sffi, f) == _addr(sffi, p) + sffi.offsetof("struct n", "inner")
    f.b = b"Q"
    assert p.inner.b == b"Q"


def test_addressof_primitive_field(sffi):
    p = sffi.new("struct s *")
    f = sffi.addressof(p[0], "a")
    assert sffi.typeof(f) is sffi.typeof("int *")
    f[0] = -7
    assert p.a == -7


def test_addressof_nested_fields(sffi):
    p = sffi.new("struct n *")
    f = sffi.addressof(p[0], "inner", "b")
    assert sffi.typeof(f) is sffi.typeof("char *")
    assert _addr(sffi, f) == _addr(sffi, p) + sffi.offsetof("struct n", "inner", "b")
    f[0] = b"z"
    assert p.inner.b == b"z"


def test_addressof_field_then_index(sffi):
    p = sffi.new("struct n *")
    f = sffi.addressof(p[0], "arr", 2)
    assert sffi.typeof(f) is sffi.typeof("int *")
    assert f == p.arr + 2
    f[0] = 99
    assert list(p.arr) == [0, 0, 99, 0]
    g = sffi.addressof(p[0], "sarr", 1, "b")
    assert _addr(sffi, g) == _addr(sffi, p) + sffi.offsetof("struct n", "sarr", 1, "b")


def test_addressof_array_field(sffi):
    p = sffi.new("struct n *")
    f = sffi.addressof(p[0], "arr")
    assert sffi.typeof(f) is sffi.typeof("int(*)[4]")
    assert _addr(sffi, f) == _addr(sffi, p.arr)


def test_addressof_through_struct_pointer(sffi):
    p = sffi.new("struct n *")
    assert sffi.addressof(p, "inner") == sffi.addressof(p[0], "inner")


@pytest.mark.parametrize("index", [0, 3, 4])
def test_addressof_array_item(ffi, index):
    arr = ffi.new("int[5]")
    q = ffi.addressof(arr, index)
    assert ffi.typeof(q) is ffi.typeof("int *")
    assert q == arr + index


def test_addressof_array_item_write(ffi):
    arr = ffi.new("int[5]")
    ffi.addressof(arr, 3)[0] = 33
    assert list(arr) == [0, 0, 0, 33, 0]


def test_addressof_2d_array_item(ffi):
    arr = ffi.new("char[2][3]")
    q = ffi.addressof(arr, 1, 2)
    assert ffi.typeof(q) is ffi.typeof("char *")
    assert _addr(ffi, q) == _addr(ffi, arr) + 5


def test_addressof_struct_array_item_field(sffi):
    arr = sffi.new("struct s[3]")
    q = sffi.addressof(arr, 1, "b")
    assert _addr(sffi, q) == _addr(sffi, arr) + sffi.offsetof("struct s[3]", 1, "b")
    q[0] = b"k"
    assert arr[1].b == b"k"


def test_addressof_whole_array(ffi):
    arr = ffi.new("int[5]")
    q = ffi.addressof(arr)
    assert ffi.typeof(q) is ffi.typeof("int(*)[5]")
    assert _addr(ffi, q) == _addr(ffi, arr)


@pytest.mark.parametrize("make", [
    lambda f: f.new("int *"),
    lambda f: f.cast("int", 3),
    lambda f: f.NULL,
], ids=["pointer", "primitive", "NULL"])
def test_addressof_of_pointer_or_primitive_rejected(ffi, make):
    """Case 1 only works for structs/unions (and arrays), not primitives or pointers."""
    with pytest.raises(TypeError):
        ffi.addressof(make(ffi))


def test_addressof_non_cdata(ffi):
    with pytest.raises(TypeError):
        ffi.addressof(5)


def test_addressof_unknown_field(sffi):
    with pytest.raises(KeyError):
        sffi.addressof(sffi.new("struct s *")[0], "nope")


# ---------------------------------------------------------------------------
# ffi.typeof()
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("int*", "int *"),
    ("int  * ", "int*"),
    ("int [5]", "int[5]"),
    ("unsigned", "unsigned int"),
    ("signed int", "int"),
    ("long int", "long"),
    ("const int *", "int *"),
    ("myint", "int"),
    ("sp_t", "struct s *"),
    ("myint *", "int *"),
])
def test_typeof_is_interned(sffi, a, b):
    assert sffi.typeof(a) is sffi.typeof(b)


def test_typeof_result_is_ctype(ffi):
    t = ffi.typeof("int")
    assert isinstance(t, ffi.CType)
    assert not isinstance(t, ffi.CData)


@pytest.mark.parametrize("make, cdecl", [
    (lambda f: f.new("int *"), "int *"),
    (lambda f: f.new("int[3]"), "int[3]"),
    (lambda f: f.new("int[]", 3), "int[]"),
    (lambda f: f.new("struct s *")[0], "struct s"),
    (lambda f: f.new("sp_t"), "struct s *"),
    (lambda f: f.cast("int", 3), "int"),
    (lambda f: f.cast("myint", 3), "int"),
    (lambda f: f.NULL, "void *"),
    (lambda f: f.from_buffer(bytearray(3)), "char[]"),
], ids=["ptr", "array", "var-array", "struct", "typedef-ptr", "int", "typedef-int", "NULL",
        "from_buffer"])
def test_typeof_cdata(sffi, make, cdecl):
    assert sffi.typeof(make(sffi)) is sffi.typeof(cdecl)


@pytest.mark.parametrize("cdecl, kind, cname", [
    ("int", "primitive", "int"),
    ("double", "primitive", "double"),
    ("int *", "pointer", "int *"),
    ("int[5]", "array", "int[5]"),
    ("struct s", "struct", "struct s"),
    ("union u", "union", "union u"),
    ("enum color", "enum", "enum color"),
    ("int(*)(int)", "function", "int(*)(int)"),
    ("void", "void", "void"),
    ("td_t", "struct", "td_t"),
    ("myint", "primitive", "int"),
])
def test_ctype_kind_and_cname(sffi, cdecl, kind, cname):
    t = sffi.typeof(cdecl)
    assert t.kind == kind
    assert t.cname == cname


def test_ctype_item_and_length(ffi):
    assert ffi.typeof("int *").item is ffi.typeof("int")
    assert ffi.typeof("int[5]").item is ffi.typeof("int")
    assert ffi.typeof("int[5]").length == 5
    assert ffi.typeof("int[]").length is None


def test_typeof_non_cdata_rejected(ffi):
    with pytest.raises(TypeError):
        ffi.typeof(3)


@pytest.mark.parametrize("cdecl", ["unknown_t", "struct s s s", "int["])
def test_typeof_bad_declaration(ffi, cdecl):
    with pytest.raises(CDefError):
        ffi.typeof(cdecl)


# ---------------------------------------------------------------------------
# ffi.getctype()
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("cdecl, extra, expected", [
    ("int", "", "int"),
    ("int", "*", "int *"),
    ("int *", "*", "int * *"),
    ("int", "[5]", "int[5]"),
    ("int *", "[5]", "int *[5]"),
    ("int[5]", "*", "int(*)[5]"),
    ("int[5]", "a", "int a[5]"),
    ("char[80]", "a", "char a[80]"),
    ("int[5]", "[3]", "int[3][5]"),
    ("int[5][6]", "", "int[5][6]"),
    ("int(*)[5]", "", "int(*)[5]"),
    ("int(*)[5]", "p", "int(* p)[5]"),
    ("int(*)(int)", "", "int(*)(int)"),
    ("int(*)(int)", "f", "int(* f)(int)"),
    ("int(*)(int)", "*", "int(* *)(int)"),
    ("int(*)(int)", "[2]", "int(*[2])(int)"),
    ("int(*)(int, ...)", "", "int(*)(int, ...)"),
    ("int(*)(long, double)", "", "int(*)(long, double)"),
    ("unsigned long long", "", "unsigned long long"),
    ("long int", "", "long"),
    ("struct s", "*", "struct s *"),
    ("struct s[3]", "*", "struct s(*)[3]"),
    ("myint", "", "int"),
    ("td_t", "", "td_t"),
    ("sp_t", "", "struct s *"),
])
def test_getctype(sffi, cdecl, extra, expected):
    assert sffi.getctype(cdecl, extra) == expected


def test_getctype_default_extra(ffi):
    assert ffi.getctype("int *") == "int *"
    assert ffi.getctype("int[5]") == "int[5]"


@pytest.mark.skipif(IS_CFFI, reason="cffi 2.0 differs: the second parameter is not named 'extra'")
def test_getctype_extra_keyword(ffi):
    """The spec documents the signature as getctype(cdecl, extra="")."""
    assert ffi.getctype("int[5]", extra="*") == "int(*)[5]"


def test_getctype_of_ctype_object(ffi):
    x = ffi.new("int[3]")
    assert ffi.getctype(ffi.typeof(x)) == "int[3]"
    assert ffi.getctype(ffi.typeof(x), "*") == "int(*)[3]"
    assert ffi.getctype(ffi.typeof("double"), "*") == "double *"


def test_getctype_round_trips_through_typeof(ffi):
    """The string built with 'extra' parses back to the expected type."""
    assert ffi.typeof(ffi.getctype("int[5]", "*")) is ffi.typeof("int(*)[5]")
    assert ffi.typeof(ffi.getctype("int(*)(int)", "[2]")) is ffi.typeof("int(*[2])(int)")


@pytest.mark.parametrize("make", [lambda f: 5, lambda f: f.new("int *")], ids=["int", "cdata"])
def test_getctype_bad_argument(ffi, make):
    with pytest.raises(TypeError):
        ffi.getctype(make(ffi))


# ---------------------------------------------------------------------------
# ffi.list_types()
# ---------------------------------------------------------------------------

def test_list_types_empty(ffi):
    result = ffi.list_types()
    assert isinstance(result, tuple)
    assert len(result) == 3
    assert [list(x) for x in result] == [[], [], []]


def test_list_types_after_cdef(ffi):
    ffi.cdef("""
        typedef int myint;
        typedef struct { int q; } anon_t;
        struct named { int x; };
        struct opaque;
        union un { int a; };
        typedef union un un_t;
        enum e { E1 };
        int some_function(int);
    """)
    typedefs, structs, unions = ffi.list_types()
    assert sorted(typedefs) == ["anon_t", "myint", "un_t"]
    assert sorted(structs) == ["named", "opaque"]
    assert sorted(unions) == ["un"]


# ---------------------------------------------------------------------------
# ffi.NULL, ffi.CData, ffi.CType, ffi.RTLD_*, ffi.errno, ffi.error
# ---------------------------------------------------------------------------

def test_null(ffi):
    assert isinstance(ffi.NULL, ffi.CData)
    assert ffi.typeof(ffi.NULL) is ffi.typeof("void *")
    assert ffi.NULL == ffi.cast("void *", 0)
    assert ffi.NULL == ffi.cast("int *", 0)
    assert not ffi.NULL
    assert int(ffi.cast("uintptr_t", ffi.NULL)) == 0


def test_null_compares_with_read_pointers(sffi):
    p = sffi.new("int **")
    assert p[0] == sffi.NULL
    p[0] = sffi.new("int *")   # only to make it non-NULL temporarily
    assert p[0] != sffi.NULL
    p[0] = sffi.NULL
    assert p[0] == sffi.NULL


def test_null_shared_across_instances(ffi):
    assert FFI().NULL == ffi.NULL


@pytest.mark.parametrize("make, expected", [
    (lambda f: f.new("int *"), True),
    (lambda f: f.cast("int", 1), True),
    (lambda f: f.NULL, True),
    (lambda f: f.new("struct s *")[0], True),
    (lambda f: f.from_buffer(bytearray(2)), True),
    (lambda f: f.new("int[3]")[0:2], True),
    (lambda f: f.typeof("int"), False),
    (lambda f: f.buffer(f.new("int *")), False),
    (lambda f: 3, False),
    (lambda f: b"x", False),
], ids=["new", "cast", "NULL", "struct", "from_buffer", "slice", "ctype", "buffer", "int", "bytes"])
def test_isinstance_cdata(sffi, make, expected):
    assert isinstance(make(sffi), sffi.CData) is expected


@pytest.mark.parametrize("make, expected", [
    (lambda f: f.typeof("int"), True),
    (lambda f: f.typeof("struct s"), True),
    (lambda f: f.typeof("int(*)(int)"), True),
    (lambda f: f.typeof(f.new("int[2]")), True),
    (lambda f: f.new("int *"), False),
    (lambda f: "int", False),
], ids=["primitive", "struct", "funcptr", "from-cdata", "cdata", "str"])
def test_isinstance_ctype(sffi, make, expected):
    assert isinstance(make(sffi), sffi.CType) is expected


def test_cdata_and_ctype_are_types(ffi):
    assert isinstance(ffi.CData, type)
    assert isinstance(ffi.CType, type)
    assert ffi.CData is FFI().CData
    assert ffi.CType is FFI().CType


@pytest.mark.parametrize("name", ["RTLD_LAZY", "RTLD_NOW", "RTLD_GLOBAL", "RTLD_LOCAL"])
def test_rtld_constants(ffi, name):
    value = getattr(ffi, name)
    assert isinstance(value, int)
    if hasattr(os, name):
        assert value == getattr(os, name)


@pytest.mark.parametrize("name", ["RTLD_NODELETE", "RTLD_NOLOAD", "RTLD_DEEPBIND"])
def test_rtld_optional_constants_match_os(ffi, name):
    if not hasattr(os, name):
        pytest.skip(name + " not available on this platform")
    assert getattr(ffi, name) == getattr(os, name)


def test_rtld_constants_distinct(ffi):
    assert ffi.RTLD_LAZY != ffi.RTLD_NOW
    assert ffi.RTLD_GLOBAL != ffi.RTLD_LOCAL


def test_dlopen_accepts_rtld_flags(ffi):
    ffi.cdef("int abs(int);")
    lib = ffi.dlopen(None, ffi.RTLD_NOW | ffi.RTLD_GLOBAL)
    assert lib.abs(-4) == 4


def test_errno_set_and_read_back(ffi):
    ffi.errno = 42
    assert ffi.errno == 42
    ffi.errno = 0
    assert ffi.errno == 0


@pytest.mark.parametrize("value, message", [
    (2 ** 31, "errno value too large"), (-2 ** 31 - 1, "errno value too large"),
    (2 ** 40, "errno value too large"), (2 ** 63, "Python int too large to convert to C long"),
    (-2 ** 70, "Python int too large to convert to C long"),
])
def test_errno_out_of_range(ffi, value, message):
    ffi.errno = 3
    with pytest.raises(OverflowError) as info:
        ffi.errno = value
    assert str(info.value) == message
    assert ffi.errno == 3


def test_errno_from_c_call(ffi):
    ffi.cdef("int close(int);")
    lib = ffi.dlopen(None)
    ffi.errno = 0
    assert lib.close(-1) == -1
    assert ffi.errno == errno.EBADF


def test_errno_passed_through_c_call(ffi):
    """errno is passed to the next C call and read back; abs() leaves it unchanged."""
    ffi.cdef("int abs(int);")
    lib = ffi.dlopen(None)
    ffi.errno = 1234
    assert lib.abs(-3) == 3
    assert ffi.errno == 1234
    ffi.errno = 0


def test_errno_is_thread_local(ffi):
    ffi.errno = 17
    seen = []

    def worker():
        ffi.errno = 99
        seen.append(ffi.errno)

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert seen == [99]
    assert ffi.errno == 17
    ffi.errno = 0


@pytest.mark.skipif(IS_CFFI, reason="cffi 2.0 differs: FFI() instances have no 'error' attribute")
def test_ffi_error_is_an_exception_class(ffi):
    """Spec 7.1.2: ffi.error is the Python exception raised in various cases."""
    assert isinstance(ffi.error, type)
    assert issubclass(ffi.error, Exception)
