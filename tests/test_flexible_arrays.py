"""Structs whose last field is `T data[]` (or `T data[0]`), nested or not, and global `T x[]`."""
import re
import subprocess

import pytest

from _backend import FFI, IS_CFFI

FOO = "struct foo_s { int len; short data[]; };"
FOO0 = "struct foo_s { int len; short data[0]; };"


def is_short_pointer(ffi, cdata):
    return ffi.typeof(cdata) is ffi.typeof("short *") and \
        re.fullmatch(r"<cdata 'short \*' 0x[0-9a-f]+>", repr(cdata)) is not None


# -- Through a pointer not allocated with a length: `T *` ----
@pytest.mark.parametrize("decl", [FOO, FOO0])
def test_data_through_a_cast_is_a_pointer(ffi, decl):
    ffi.cdef(decl)
    raw = ffi.new("char[100]")
    q = ffi.cast("struct foo_s *", raw)
    assert is_short_pointer(ffi, q.data)
    q.data[3] = 7
    q.data[20] = -2
    items = ffi.cast("short *", raw + ffi.offsetof("struct foo_s", "data"))
    assert (items[3], items[20], q.data[3]) == (7, -2, 7)


def test_data_of_a_null_pointer_is_an_offset_pointer(ffi):
    ffi.cdef(FOO)
    data = ffi.cast("struct foo_s *", 0).data
    assert ffi.typeof(data) is ffi.typeof("short *")
    assert int(ffi.cast("intptr_t", data)) == ffi.offsetof("struct foo_s", "data")


@pytest.mark.parametrize("make", [
    lambda ffi, q: ffi.addressof(q[0]),
    lambda ffi, q: ffi.cast("struct foo_s *", q),
])
def test_data_through_another_pointer_to_new_memory_is_a_pointer(ffi, make):
    ffi.cdef(FOO)
    q = ffi.new("struct foo_s *", [1, [5, 6]])
    assert repr(q.data) == repr(q[0].data) == "<cdata 'short[]' sliced length 2>"
    other = make(ffi, q)
    assert is_short_pointer(ffi, other.data) and other.data[1] == 6


def test_items_of_an_array_of_var_sized_structs(ffi):
    ffi.cdef(FOO)
    a = ffi.new("struct foo_s[2]")
    assert is_short_pointer(ffi, a[0].data)


def test_zero_length_array_field_is_always_a_pointer(ffi):
    ffi.cdef("struct foo_s { int len; short data[0]; int y; };")
    q = ffi.new("struct foo_s *")
    assert is_short_pointer(ffi, q.data)


def test_assigning_a_list_through_a_pointer_writes_its_items(ffi):
    ffi.cdef(FOO)
    raw = ffi.new("short[50]")
    q = ffi.cast("struct foo_s *", raw)
    q.data = [1, 2, 3]
    assert list(raw[2:5]) == [1, 2, 3]
    q.data = ffi.new("short[]", [8, 9])
    assert list(raw[2:5]) == [8, 9, 3]
    with pytest.raises(TypeError, match=re.escape(
            "initializer for ctype 'short[]' must be a list or tuple, not int")):
        q.data = 5


def test_zero_length_array_takes_no_items(ffi):
    ffi.cdef(FOO0)
    q = ffi.cast("struct foo_s *", ffi.new("char[100]"))
    with pytest.raises(IndexError, match=re.escape("too many initializers for 'short[0]'")):
        q.data = [1, 2]
    with pytest.raises(IndexError, match=re.escape("too many initializers for 'short[0]'")):
        ffi.new("struct foo_s *", [3, [1, 2, 3]])


# -- ffi.new() with a length ----
@pytest.mark.parametrize("init, size, length", [
    (None, 4, 0), ([1], 4, 0), ([1, [5, 6, 7]], 10, 3), ({"data": 3}, 10, 3),
    ({"len": 1, "data": [1]}, 6, 1)])
def test_new_with_length(ffi, init, size, length):
    ffi.cdef(FOO)
    q = ffi.new("struct foo_s *", init)
    assert ffi.sizeof(q[0]) == size
    assert repr(q.data) == "<cdata 'short[]' sliced length %d>" % (length,)


def test_new_with_an_int_is_not_a_length(ffi):
    ffi.cdef(FOO)
    with pytest.raises(TypeError, match="initializer for ctype 'struct foo_s' must be a list "
                                        "or tuple or dict"):
        ffi.new("struct foo_s *", 3)


@pytest.mark.parametrize("init", [3, b"ab", None.__class__, 1.5])
def test_new_sizes_from_a_list_tuple_or_dict_only(ffi, init):
    """Its size comes from its initializer: no other kind of object is taken."""
    ffi.cdef(FOO)
    with pytest.raises(TypeError) as info:
        ffi.new("struct foo_s *", init)
    assert str(info.value) == ("initializer for ctype 'struct foo_s' must be a list or tuple "
                               "or dict, not %s" % (type(init).__name__,))


# -- A variable-sized struct nested in another ----
NESTED = FOO + " struct outer { int x; struct foo_s f; };"


@pytest.mark.parametrize("decl, init, size, check", [
    (NESTED, [1, [2, [3, 4, 5]]], 14, lambda q: q.f.data[2] == 5 and q.f.len == 2),
    (NESTED, {"f": {"data": [3, 4, 5]}}, 14, lambda q: q.f.data[2] == 5),
    (NESTED, [1, [2, 5]], 18, lambda q: q.f.len == 2),
    (NESTED, {"x": 1, "f": {"len": 3}}, 8, lambda q: q.f.len == 3),
    (NESTED, {"x": 1, "f": {"len": 3, "data": 4}}, 16, lambda q: q.f.len == 3),
    (NESTED, None, 8, lambda q: q.x == 0),
    (FOO + " struct mid { int y; struct foo_s f; }; struct outer { int x; struct mid m; };",
     [1, [2, [3, [4, 5, 6, 7]]]], 20, lambda q: q.m.f.data[3] == 7 and q.m.y == 2),
    (FOO + " union u { int x; struct foo_s f; };", {"f": [1, [2, 3, 4]]}, 10,
     lambda q: q.f.data[2] == 4),
    (FOO + " struct outer { int x; struct foo_s f[2]; };", [1, [[2, [3]]]], 12,
     lambda q: q.f[0].data[0] == 3 and q.f[1].len == 3),
    (FOO + " struct outer { int x; struct foo_s f[]; };", [1, [[2], [3]]], 12,
     lambda q: q.f[1].len == 3),
])
def test_new_outer_struct_sizes_the_nested_array(ffi, decl, init, size, check):
    ffi.cdef(decl)
    kind = "union u" if "union u" in decl else "struct outer"
    q = ffi.new(kind + " *", init)
    assert ffi.sizeof(q[0]) == size
    assert repr(q) == "<cdata '%s *' owning %d bytes>" % (kind, size)
    assert check(q)
    if "foo_s f;" in decl:
        inner = q.m.f if "struct mid" in decl else q.f
        assert is_short_pointer(ffi, inner.data)


def test_nested_var_sized_struct_not_last(ffi):
    """'Bogus' nesting: the items overlap the following field, as in C."""
    ffi.cdef(FOO + " struct outer { struct foo_s f; int x; };")
    q = ffi.new("struct outer *", [[1, [2, 3]]])
    assert ffi.sizeof(q[0]) == 8
    assert (q.f.data[0], q.f.data[1]) == (2, 3)
    assert q.x == 3 << 16 | 2
    q = ffi.new("struct outer *", [[1, [2, 3, 4, 5, 6]]])
    assert ffi.sizeof(q[0]) == 14


def test_nested_copy_of_a_struct_value(ffi):
    ffi.cdef(NESTED)
    s = ffi.new("struct foo_s *", [2, [1, 2]])
    q = ffi.new("struct outer *", [1, s[0]])
    assert ffi.sizeof(q[0]) == 8 and q.f.len == 2


@pytest.mark.parametrize("init, error, message", [
    ([1, [2, None]], TypeError, "expected new array length or list/tuple/str, not NoneType"),
    ([1, [2, b"ab"]], TypeError, "bytes"),
    ([1, 5], TypeError, "initializer for ctype 'struct foo_s' must be a list or tuple or dict"),
    ([1, [2, [1, 2]], 5], ValueError, "too many initializers for 'struct outer'"),
    ({"zz": 1}, KeyError, "zz"),
    ([1, [2, -1]], ValueError, "negative array length"),
])
def test_nested_initializer_errors(ffi, init, error, message):
    ffi.cdef(NESTED)
    with pytest.raises(error, match=re.escape(message)):
        ffi.new("struct outer *", init)


def test_spec_sizeof_may_be_smaller_than_the_type(ffi):
    ffi.cdef("struct vc { long long x; char c; int y[]; };")
    sizes = [ffi.sizeof(ffi.new("struct vc *", [1, b"a", n])[0]) for n in range(4)]
    if IS_CFFI:
        assert sizes == [16, 16, 20, 24]        # cffi 2.0: never less than the type
    else:
        assert sizes == [12, 16, 20, 24]        # the 1.13 manual (ffi.sizeof): it may be less


# -- A global `int my_array[];` in a library ----
@pytest.fixture(scope="module")
def array_lib(tmp_path_factory):
    src = tmp_path_factory.mktemp("arr") / "arr.c"
    src.write_text("int my_array[] = {10, 20, 30, 40};\nint my_array0[0];\n")
    out = src.with_suffix(".so")
    proc = subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(out), str(src)],
                          capture_output=True, text=True)
    if proc.returncode:
        pytest.skip("gcc failed: " + proc.stderr)
    return str(out)


def test_global_open_array_is_a_pointer(ffi, array_lib):
    ffi.cdef("extern int my_array[];")
    lib = ffi.dlopen(array_lib)
    a = lib.my_array
    assert ffi.typeof(a) is ffi.typeof("int *")
    assert (a[0], a[3]) == (10, 40)
    a[1] = 99
    assert lib.my_array[1] == 99
    lib.my_array = [7, 8]
    assert list(lib.my_array[0:4]) == [7, 8, 30, 40]
    lib.my_array = ffi.new("int[]", [4])
    assert list(lib.my_array[0:2]) == [4, 8]
    with pytest.raises(TypeError, match=re.escape(
            "initializer for ctype 'int[]' must be a list or tuple, not int")):
        lib.my_array = 5


@pytest.mark.parametrize("decl, name", [
    ("struct s { int x[]; int y; };", "struct s"),
    ("union u { int x[]; char c; };", "union u"),
])
def test_open_array_not_last_is_refused_on_use(decl, name):
    """cdef() accepts it; the first use says which field has no size (cffi's message)."""
    ffi = FFI()
    ffi.cdef(decl)
    with pytest.raises(TypeError) as info:
        ffi.sizeof(name)
    assert str(info.value) == "field '%s.x' has ctype 'int[]' of unknown size" % (name,)


@pytest.mark.skipif(IS_CFFI, reason="purecffi's cdef() is all or nothing")
@pytest.mark.parametrize("decl", ["union u { int x[]; };", "union u { int a; int x[]; };"])
def test_union_with_an_open_array_is_refused_on_use(decl):
    """C compilers refuse a flexible array member in a union (cffi lays it out anyway): the
    cdef() is kept, as cffi keeps it, and its use is a clear error; nothing else changes."""
    ffi = FFI()
    ffi.cdef("struct keep { int k; };")
    ffi.cdef(decl)
    with pytest.raises(TypeError) as info:
        ffi.new("union u *")
    assert str(info.value) == "field 'union u.x' has ctype 'int[]' of unknown size"
    assert ffi.sizeof("struct keep") == 4


@pytest.mark.parametrize("cdecl, init, exc, message", [
    ("struct fl *", {"i": 1, "d": 2.0}, KeyError, "'i'"),
    ("struct fl *", {"d": 2.0, "i": 1}, TypeError,
     "expected new array length or list/tuple/str, not float"),
    ("struct fl *", {"n": [1], "d": [1], "i": 2}, KeyError, "'i'"),
    ("struct fl2 *", {"n": [1], "d": [1]}, KeyError, "'d'"),
    ("struct fl *", [1, b"x", 3], ValueError, "too many initializers for 'struct fl' (got 3)"),
    ("struct fl *", [1, "x", 3], ValueError, "too many initializers for 'struct fl' (got 3)"),
    ("struct fl *", [[1], [1], 3], ValueError, "too many initializers for 'struct fl' (got 3)"),
    ("struct fl *", [1, 2.0, 3], TypeError,
     "expected new array length or list/tuple/str, not float"),
    ("struct fl *", [1, b"x"], TypeError,
     "initializer for ctype 'int[]' must be a list or tuple, not bytes"),
    ("struct fl2 *", [1, b"x", 3], TypeError,
     "initializer for ctype 'struct fl' must be a list or tuple or dict, not bytes"),
    ("struct fl2 *", [1, 2.0], TypeError,
     "initializer for ctype 'struct fl' must be a list or tuple or dict, not float"),
    ("struct fl2 *", [[1], [1], 3], ValueError, "too many initializers for 'struct fl2' (got 3)"),
])
def test_sizing_refuses_in_cffis_order(ffi, cdecl, init, exc, message):
    """Sizing a variable-sized struct walks its initializer in order: an unknown name, a
    length that cannot be taken or a nested struct that is no list/tuple/dict is refused when
    reached, an excess item after the fields; a wrong kind of string is left to the writer."""
    ffi.cdef("struct fl { int n; int d[]; }; struct fl2 { int n; struct fl f; };")
    with pytest.raises(exc) as info:
        ffi.new(cdecl, init)
    assert str(info.value) == message


_NOT_A_STRUCT = ("initializer for ctype 'struct foo_s' must be a list or tuple or dict or "
                 "struct-cdata, not %s")


@pytest.mark.parametrize("init, exc, message", [
    ([[1, [2, 3, 4, 5, 6]]], TypeError, _NOT_A_STRUCT % "int"),
    ([[1, [2]], 7], TypeError, _NOT_A_STRUCT % "int"),
    ([[[1], [2]], 7], ValueError, "too many initializers for 'struct outer' (got 2)"),
    ([[[1], 2.5], 7], TypeError, _NOT_A_STRUCT % "float"),
    ([[[1], None]], TypeError, _NOT_A_STRUCT % "NoneType"),
    ([1, [[2, [3, 4]]]], TypeError,
     "initializer for ctype 'struct foo_s[2]' must be a list or tuple, not int"),
    ({"f": 5}, TypeError, "initializer for ctype 'struct foo_s[2]' must be a list or tuple, not int"),
    (["ab", 7], TypeError, "initializer for ctype 'struct foo_s[2]' must be a list or tuple, not str"),
    ({"f": [1], "zz": 2}, TypeError, _NOT_A_STRUCT % "int"),
    ([[[1, [2], 9], 1]], ValueError, "too many initializers for 'struct foo_s' (got 3)"),
    ([[[1], [2], [3]]], IndexError, "too many initializers for 'struct foo_s[2]' (got 3)"),
])
def test_array_of_var_sized_structs_in_a_struct_refuses_in_cffis_order(ffi, init, exc, message):
    """'Bogus' nesting, an array of variable-sized structs: each item of the array must be a
    struct initializer, and the array a list or tuple, refused when reached (before the
    outer struct's count)."""
    ffi.cdef(FOO + " struct outer { struct foo_s f[2]; };")
    with pytest.raises(exc) as info:
        ffi.new("struct outer *", init)
    assert str(info.value) == message


def test_array_of_var_sized_structs_in_a_struct_takes_struct_values(ffi):
    ffi.cdef(FOO + " struct outer { struct foo_s f[2]; };")
    item = ffi.new("struct foo_s *", [5])
    q = ffi.new("struct outer *", [[item[0], {"len": 6}]])
    assert (q.f[0].len, q.f[1].len) == (5, 6)
    q = ffi.new("struct outer *", [ffi.new("struct foo_s[2]", [[7], [8]])])
    assert (q.f[0].len, q.f[1].len) == (7, 8)
