"""C type objects: ffi.typeof() identity, ctype introspection attributes, getctype() and list_types()."""
import ctypes
import sys

import pytest

from _backend import FFI, CDefError, IS_CFFI  # noqa: F401

LINUX = sys.platform.startswith("linux")
LP64 = ctypes.sizeof(ctypes.c_void_p) == 8 and ctypes.sizeof(ctypes.c_long) == 8

DECLS = """
struct foo { int a; char b; };
union u { int a; double d; };
enum e { A, B = 5, C };
typedef struct { int x; } anon_t;
typedef int (*fp_t)(int, double);
typedef int arr_t[5];
typedef int myint;
struct bf { int a:3; unsigned b:5; int :0; int c; };
struct flex { int n; int data[]; };
struct node { struct node *next; int v; };
"""


@pytest.fixture
def dffi():
    """A fresh FFI with DECLS already declared."""
    ffi = FFI()
    ffi.cdef(DECLS)
    return ffi


ALL_ATTRS = ["item", "length", "fields", "args", "result", "ellipsis", "abi", "elements", "relements"]


# ---------------------------------------------------------------- identity


@pytest.mark.parametrize("a, b", [
    ("int*", "int *"),
    ("int  *", "int*"),
    ("int[5]", "int [ 5 ]"),
    ("unsigned", "unsigned int"),
    ("signed", "int"),
    ("signed int", "int"),
    ("long int", "long"),
    ("long unsigned int", "unsigned long"),
    ("short int", "short"),
    ("short signed", "short"),
    ("long long int", "long long"),
    ("const int", "int"),
    ("volatile int", "int"),
    ("int *const", "int *"),
    ("const char *", "char *"),
    ("int * restrict", "int *"),
    ("bool", "_Bool"),
    ("int(*)(void)", "int(*)()"),
    ("int(*)(int x, double y)", "int(*)(int, double)"),
    ("int(*)(int[])", "int(*)(int *)"),
    ("void(*)(int(int))", "void(*)(int(*)(int))"),
])
def test_equivalent_spellings_give_the_same_object(ffi, a, b):
    assert ffi.typeof(a) is ffi.typeof(b)


@pytest.mark.parametrize("a, b", [
    ("char", "signed char"), ("char", "unsigned char"), ("int", "unsigned int"), ("long", "long long"),
    ("int[5]", "int[6]"), ("int[5]", "int[]"), ("int *", "int[]"), ("int(*)(int)", "int(*)(int, ...)"),
    ("float", "double"), ("struct foo", "union foo"),
])
def test_distinct_types_give_distinct_objects(ffi, a, b):
    assert ffi.typeof(a) is not ffi.typeof(b)
    assert ffi.typeof(a) != ffi.typeof(b)


@pytest.mark.parametrize("name, target", [
    ("myint", "int"), ("fp_t", "int(*)(int, double)"), ("arr_t", "int[5]"), ("myint *", "int *"),
    ("arr_t *", "int(*)[5]"), ("fp_t[2]", "int(*[2])(int, double)"),
])
def test_typedef_names_resolve_to_the_underlying_type(dffi, name, target):
    assert dffi.typeof(name) is dffi.typeof(target)


def test_struct_typeof_is_stable(dffi):
    t = dffi.typeof("struct foo")
    assert dffi.typeof("struct  foo") is t
    assert dffi.typeof("struct foo *").item is t
    assert dffi.typeof("struct foo[2]").item is t


def test_typeof_cdata_gives_its_type(dffi):
    p = dffi.new("struct foo *")
    assert dffi.typeof(p) is dffi.typeof("struct foo *")
    assert dffi.typeof(p[0]) is dffi.typeof("struct foo")
    assert dffi.typeof(dffi.new("int[3]")) is dffi.typeof("int[3]")
    assert dffi.typeof(dffi.new("anon_t *")[0]) is dffi.typeof("anon_t")
    assert dffi.typeof(dffi.cast("myint", 7)) is dffi.typeof("int")


def test_typeof_rejects_non_type_arguments(ffi):
    with pytest.raises(TypeError):
        ffi.typeof(42)
    with pytest.raises(TypeError):
        ffi.typeof(b"int")


@pytest.mark.parametrize("cdecl", ["int(int, double)", "int(int, ...)", "void(void)", "int()"])
def test_typeof_rejects_plain_function_types(ffi, cdecl):
    with pytest.raises(CDefError, match="function type") as info:
        ffi.typeof(cdecl)
    assert "pointer-to-function" in str(info.value)


def test_typeof_rejects_typedef_of_function_type(ffi):
    ffi.cdef("typedef int fn_t(int);")
    with pytest.raises(CDefError, match="function type"):
        ffi.typeof("fn_t")
    assert ffi.typeof("fn_t *") is ffi.typeof("int(*)(int)")


# ---------------------------------------------------------------- kind / cname / repr


@pytest.mark.parametrize("cdecl, kind", [
    ("int", "primitive"), ("char", "primitive"), ("double", "primitive"), ("_Bool", "primitive"),
    ("size_t", "primitive"), ("wchar_t", "primitive"), ("long double", "primitive"),
    ("int *", "pointer"), ("void *", "pointer"), ("int(*)[5]", "pointer"), ("int(**)(int)", "pointer"),
    ("struct foo *", "pointer"),
    ("int[5]", "array"), ("int[]", "array"), ("int *[3]", "array"), ("int(*[3])(void)", "array"),
    ("struct foo", "struct"), ("anon_t", "struct"), ("FILE", "struct"), ("struct undeclared_s", "struct"),
    ("union u", "union"),
    ("enum e", "enum"),
    ("int(*)(int, double)", "function"), ("fp_t", "function"), ("void(*)(void)", "function"),
    ("void", "void"),
])
def test_kind(dffi, cdecl, kind):
    assert dffi.typeof(cdecl).kind == kind


@pytest.mark.parametrize("cdecl, cname", [
    ("int", "int"),
    ("unsigned", "unsigned int"),
    ("unsigned long int", "unsigned long"),
    ("signed char", "signed char"),
    ("long long", "long long"),
    ("long double", "long double"),
    ("bool", "_Bool"),
    ("size_t", "size_t"),
    ("int8_t", "int8_t"),
    ("char16_t", "char16_t"),
    ("int*", "int *"),
    ("char **", "char * *"),
    ("unsigned char*", "unsigned char *"),
    ("int[5]", "int[5]"),
    ("int[]", "int[]"),
    ("int[2][3]", "int[2][3]"),
    ("int *[3]", "int *[3]"),
    ("float*[2]", "float *[2]"),
    ("int(*)[5]", "int(*)[5]"),
    ("double(*)[2][3]", "double(*)[2][3]"),
    ("int(*)(int, double)", "int(*)(int, double)"),
    ("int(*)(int, ...)", "int(*)(int, ...)"),
    ("char *(*)(void)", "char *(*)()"),
    ("void(*)(void)", "void(*)()"),
    ("int (*[3])(void)", "int(*[3])()"),
    ("int(**)(int)", "int(* *)(int)"),
    ("int(*(*)(int))(long)", "int(*(*)(int))(long)"),
    ("struct foo", "struct foo"),
    ("struct foo *", "struct foo *"),
    ("struct foo[2]", "struct foo[2]"),
    ("union u *", "union u *"),
    ("enum e", "enum e"),
    ("anon_t", "anon_t"),
    ("anon_t *", "anon_t *"),
    ("fp_t", "int(*)(int, double)"),
    ("arr_t", "int[5]"),
    ("void", "void"),
    ("void *", "void *"),
    ("FILE *", "FILE *"),
])
def test_cname(dffi, cdecl, cname):
    assert dffi.typeof(cdecl).cname == cname


@pytest.mark.parametrize("cdecl, text", [
    ("int *", "<ctype 'int *'>"), ("struct foo", "<ctype 'struct foo'>"), ("int[5]", "<ctype 'int[5]'>"),
    ("fp_t", "<ctype 'int(*)(int, double)'>"), ("enum e", "<ctype 'enum e'>"),
])
def test_repr(dffi, cdecl, text):
    assert repr(dffi.typeof(cdecl)) == text


# ---------------------------------------------------------------- attribute availability


@pytest.mark.parametrize("cdecl, present", [
    ("int", []),
    ("void", []),
    ("int *", ["item"]),
    ("int[5]", ["item", "length"]),
    ("struct foo", ["fields"]),
    ("union u", ["fields"]),
    ("enum e", ["elements", "relements"]),
    ("int(*)(int)", ["args", "result", "ellipsis", "abi"]),
])
def test_attributes_present_only_for_matching_kind(dffi, cdecl, present):
    """kind/cname always exist; other introspection attributes only for their kind."""
    t = dffi.typeof(cdecl)
    assert isinstance(t.kind, str) and isinstance(t.cname, str)
    for attr in ALL_ATTRS:
        if attr in present:
            getattr(t, attr)
        else:
            with pytest.raises(AttributeError) as info:
                getattr(t, attr)
            assert str(info.value) == attr          # cffi's message is the name alone
            assert not hasattr(t, attr)


@pytest.mark.parametrize("attr", ["kind", "cname", "item"])
def test_ctype_attributes_are_read_only(ffi, attr):
    t = ffi.typeof("int *")
    with pytest.raises(AttributeError):
        setattr(t, attr, "x")


@pytest.mark.parametrize("cdecl, attr", [
    ("int", "kind"), ("int", "item"), ("int *", "item"), ("struct foo", "fields"),
    ("enum e", "elements"), ("int(*)(int)", "args"), ("int[5]", "length"),
])
def test_ctype_attributes_cannot_be_set_or_deleted(dffi, cdecl, attr):
    """Set or not for this kind, an introspection attribute stays as it is."""
    t = dffi.typeof(cdecl)
    before = getattr(t, attr, None)
    with pytest.raises(AttributeError):
        setattr(t, attr, "x")
    with pytest.raises(AttributeError):
        delattr(t, attr)
    assert getattr(t, attr, None) == before


def test_field_objects_are_read_only(dffi):
    field = dffi.typeof("struct foo").fields[1][1]
    for attr in ("type", "offset", "bitshift", "bitsize", "flags"):
        with pytest.raises(AttributeError):
            setattr(field, attr, 0)
    assert field.offset == 4 and field.type is dffi.typeof("char")


def test_introspection_collections_are_copies(dffi):
    """Changing what `fields`, `elements` or `relements` returned does not change the type."""
    t = dffi.typeof("struct foo")
    t.fields.clear()
    assert [name for name, _ in t.fields] == ["a", "b"]
    assert t.fields is not t.fields
    e = dffi.typeof("enum e")
    e.elements[0] = "Z"
    e.relements["Z"] = 0
    assert e.elements == {0: "A", 5: "B", 6: "C"}
    assert e.relements == {"A": 0, "B": 5, "C": 6}
    assert repr(dffi.cast("enum e", 0)) == "<cdata 'enum e' 0: A>"
    assert dffi.new("struct foo *", [1, b"x"]).b == b"x"


def test_ctype_is_instance_of_ffi_CType(dffi):
    for cdecl in ("int", "int *", "struct foo", "fp_t", "enum e", "int[2]", "void"):
        assert isinstance(dffi.typeof(cdecl), dffi.CType)


# ---------------------------------------------------------------- item / length


@pytest.mark.parametrize("cdecl, item", [
    ("int *", "int"), ("void *", "void"), ("char **", "char *"), ("int(*)[5]", "int[5]"),
    ("int(**)(int)", "int(*)(int)"), ("struct foo *", "struct foo"),
    ("int[5]", "int"), ("int[]", "int"), ("int[3][4]", "int[4]"), ("char *[2]", "char *"),
])
def test_item(dffi, cdecl, item):
    assert dffi.typeof(cdecl).item is dffi.typeof(item)


@pytest.mark.parametrize("cdecl, length", [
    ("int[5]", 5), ("int[]", None), ("int[0]", 0), ("int[2][3]", 2), ("int[0x10]", 16), ("int[010]", 8),
    ("int[2+3]", 5), ("arr_t", 5),
])
def test_array_length(dffi, cdecl, length):
    assert dffi.typeof(cdecl).length == length


def test_pointer_to_array_item_length(ffi):
    assert ffi.typeof("int(*)[5]").item.length == 5


# ---------------------------------------------------------------- fields


def test_fields_is_list_of_name_field_pairs(dffi):
    fields = dffi.typeof("struct foo").fields
    assert isinstance(fields, list)
    assert [name for name, _ in fields] == ["a", "b"]
    a, b = fields[0][1], fields[1][1]
    assert (a.type, a.offset, a.bitshift, a.bitsize) == (dffi.typeof("int"), 0, -1, -1)
    assert (b.type, b.offset, b.bitshift, b.bitsize) == (dffi.typeof("char"), 4, -1, -1)
    assert isinstance(a.flags, int) and a.flags == 0


def test_field_types_are_ctypes(dffi):
    fields = dict(dffi.typeof("struct node").fields)
    assert fields["next"].type is dffi.typeof("struct node *")
    assert fields["next"].type.item is dffi.typeof("struct node")
    assert fields["v"].offset == dffi.sizeof("void *")


def test_bitfield_field_attributes(dffi):
    fields = dffi.typeof("struct bf").fields
    assert [name for name, _ in fields] == ["a", "b", "c"]     # the unnamed ':0' is not listed
    info = {name: (f.type, f.offset, f.bitshift, f.bitsize) for name, f in fields}
    assert info["a"] == (dffi.typeof("int"), 0, 0, 3)
    assert info["b"] == (dffi.typeof("unsigned int"), 0, 3, 5)
    assert info["c"] == (dffi.typeof("int"), 4, -1, -1)


@pytest.mark.skipif(not LP64, reason="layouts of an LP64 ABI")
@pytest.mark.parametrize("options, expected", [
    ({}, [("a", 0, -1, -1), ("b", 0, 8, 3), ("c", 0, 11, 20), ("d", 4, -1, -1),
          ("e", 8, 0, 40)]),
    ({"packed": True}, [("a", 0, -1, -1), ("b", 1, 0, 3), ("c", 1, 3, 20), ("d", 4, -1, -1),
                        ("e", 5, 0, 40)]),
    ({"pack": 2}, [("a", 0, -1, -1), ("b", 0, 8, 3), ("c", 0, 11, 20), ("d", 4, -1, -1),
                   ("e", 4, 8, 40)]),
    ({"pack": 4}, [("a", 0, -1, -1), ("b", 0, 8, 3), ("c", 0, 11, 20), ("d", 4, -1, -1),
                   ("e", 4, 8, 40)]),
], ids=["natural", "packed", "pack2", "pack4"])
def test_bitfield_offset_counts_from_its_packed_alignment_unit(ffi, options, expected):
    """A bitfield's `offset` is that of the unit of its (packed) alignment holding its first
    bit, and `bitshift` counts from there."""
    ffi.cdef("struct pk { char a; int b:3; int c:20; char d; long long e:40; };", **options)
    fields = ffi.typeof("struct pk").fields
    assert [(n, f.offset, f.bitshift, f.bitsize) for n, f in fields] == expected
    p = ffi.new("struct pk *", [b"\x01", -4, 2**19 - 1, b"\x02", -2**39])
    assert (p.a, p.b, p.c, p.d, p.e) == (b"\x01", -4, 2**19 - 1, b"\x02", -2**39)


def test_flexible_array_field(dffi):
    data = dict(dffi.typeof("struct flex").fields)["data"]
    assert data.type is dffi.typeof("int[]")
    assert data.offset == 4
    assert data.bitsize == -1


def test_union_fields(dffi):
    fields = dffi.typeof("union u").fields
    assert [(n, f.type, f.offset) for n, f in fields] == [("a", dffi.typeof("int"), 0),
                                                          ("d", dffi.typeof("double"), 0)]


def test_fields_of_incomplete_struct_is_none(dffi):
    assert dffi.typeof("struct never_declared").fields is None
    assert dffi.typeof("FILE").fields is None


def test_fields_of_anonymous_members_are_flattened(ffi):
    ffi.cdef("struct s { int x; struct { int y; }; union { char p; short q; }; };")
    assert [n for n, _ in ffi.typeof("struct s").fields] == ["x", "y", "p", "q"]


def test_fields_of_nested_struct_type(ffi):
    ffi.cdef("struct s { struct { int i; } inner[2]; };")
    inner = ffi.typeof("struct s").fields[0][1].type
    assert inner.kind == "array" and inner.length == 2
    assert inner.item.kind == "struct"
    assert [n for n, _ in inner.item.fields] == ["i"]


# ---------------------------------------------------------------- function types


def test_function_type_attributes(dffi):
    t = dffi.typeof("int(*)(int, double)")
    assert t.args == (dffi.typeof("int"), dffi.typeof("double"))
    assert isinstance(t.args, tuple)
    assert t.result is dffi.typeof("int")
    assert t.ellipsis is False
    assert isinstance(t.abi, int)


def test_variadic_function_type_attributes(ffi):
    t = ffi.typeof("int(*)(int, ...)")
    assert t.args == (ffi.typeof("int"),)
    assert t.ellipsis is True
    assert t.cname == "int(*)(int, ...)"


@pytest.mark.parametrize("cdecl, args, result", [
    ("int(*)(void)", (), "int"),
    ("void(*)(int)", ("int",), "void"),
    ("char *(*)(int)", ("int",), "char *"),
    ("int(*(*)(int))(long)", ("int",), "int(*)(long)"),
    ("int(*)(char, short)", ("char", "short"), "int"),
    ("void(*)(int[3])", ("int *",), "void"),
    ("void(*)(char[5][6])", ("char(*)[6]",), "void"),
    ("struct foo *(*)(struct foo *)", ("struct foo *",), "struct foo *"),
])
def test_function_args_and_result(dffi, cdecl, args, result):
    t = dffi.typeof(cdecl)
    assert t.args == tuple(dffi.typeof(a) for a in args)
    assert t.result is dffi.typeof(result)


def test_function_abi_is_the_same_default_for_all_functions(ffi):
    abis = {ffi.typeof(c).abi for c in ("int(*)(int)", "void(*)(void)", "double(*)(double, ...)")}
    assert len(abis) == 1


@pytest.mark.skipif(not LINUX, reason="uses dlopen(None)")
def test_typeof_of_abi_mode_function(ffi):
    ffi.cdef("size_t strlen(const char *); int snprintf(char *, size_t, const char *, ...);")
    lib = ffi.dlopen(None)
    t = ffi.typeof(lib.strlen)
    assert t is ffi.typeof("size_t(*)(const char *)")
    assert t.kind == "function"
    assert t.abi == ffi.typeof("int(*)(int)").abi
    assert ffi.typeof(lib.snprintf).ellipsis is True


# ---------------------------------------------------------------- enums


def test_enum_elements_and_relements(dffi):
    t = dffi.typeof("enum e")
    assert t.elements == {0: "A", 5: "B", 6: "C"}
    assert t.relements == {"A": 0, "B": 5, "C": 6}
    assert isinstance(t.elements, dict)


def test_enum_elements_with_negative_values(ffi):
    ffi.cdef("enum neg { N1 = -1, N2 = 2 };")
    assert ffi.typeof("enum neg").elements == {-1: "N1", 2: "N2"}


def test_enum_string_of_value(dffi):
    assert dffi.string(dffi.cast("enum e", 5)) == "B"
    assert dffi.string(dffi.cast("enum e", 99)) == "99"


@pytest.mark.parametrize("body, size, minus_one", [
    ("A, B", 4, 2 ** 32 - 1),                                 # GCC picks unsigned int
    ("A = 0x7FFFFFFF", 4, 2 ** 32 - 1),
    ("A = 0x80000000", 4, 2 ** 32 - 1),
    ("A = 0xFFFFFFFF", 4, 2 ** 32 - 1),
    ("A = -1, B", 4, -1),                                     # negative values: int
    ("A = -0x80000000", 4, -1),
    ("A = -1, B = 0x7FFFFFFF", 4, -1),
    ("A = 0x100000000", 8, 2 ** 64 - 1),                      # needs 64 bits
    ("A = 0xFFFFFFFFFFFFFFFF", 8, 2 ** 64 - 1),
    ("A = -1, B = 0x80000000", 8, -1),
    ("A = -0x8000000000000000", 8, -1),
    ("A = -0x80000001", 8, -1),
])
def test_enum_size_and_signedness(ffi, body, size, minus_one):
    """Enums get the size and signedness GCC picks for their values."""
    ffi.cdef("enum e { %s };" % body)
    assert ffi.sizeof("enum e") == size
    assert int(ffi.cast("enum e", -1)) == minus_one


def test_enum_negative_value_read_back(ffi):
    ffi.cdef("enum e { NEG = -7, POS = 3 }; struct s { enum e val; };")
    p = ffi.new("struct s *", [-7])
    assert p.val == -7
    p.val = 3
    assert p.val == 3
    q = ffi.new("enum e *", -7)
    assert q[0] == -7
    assert ffi.string(ffi.cast("enum e", -7)) == "NEG"


def test_enum_64bit_value_read_back(ffi):
    ffi.cdef("enum big { SMALL = -1, HUGE = 0x7FFFFFFFFFFFFFFF };")
    p = ffi.new("enum big *", 0x7FFFFFFFFFFFFFFF)
    assert p[0] == 0x7FFFFFFFFFFFFFFF
    assert ffi.typeof("enum big").relements["HUGE"] == 2 ** 63 - 1


# ---------------------------------------------------------------- getctype


@pytest.mark.parametrize("cdecl, extra, expected", [
    ("int", "", "int"),
    ("int", "*", "int *"),
    ("int", "x", "int x"),
    ("int", "*x", "int *x"),
    ("char[80]", "a", "char a[80]"),
    ("int *", "[5]", "int *[5]"),
    ("int[5]", "*", "int(*)[5]"),
    ("int[5]", "(*p)", "int(*p)[5]"),
    ("int[5]", "[3]", "int[3][5]"),
    ("int(*)(int)", "[3]", "int(*[3])(int)"),
    ("void", "*", "void *"),
])
def test_getctype(ffi, cdecl, extra, expected):
    assert ffi.getctype(cdecl, extra) == expected
    assert ffi.getctype(ffi.typeof(cdecl), extra) == expected


def test_getctype_default_extra(dffi):
    assert dffi.getctype("struct foo *") == "struct foo *"
    assert dffi.getctype("myint") == "int"
    assert dffi.getctype("anon_t") == "anon_t"
    assert dffi.getctype("fp_t") == "int(*)(int, double)"


def test_getctype_pointer_to_type_of_cdata(ffi):
    x = ffi.new("short[4]")
    assert ffi.getctype(ffi.typeof(x), "*") == "short(*)[4]"
    assert ffi.typeof(ffi.getctype(ffi.typeof(x), "*")) is ffi.typeof("short(*)[4]")


def test_getctype_rejects_non_types(ffi):
    with pytest.raises(TypeError):
        ffi.getctype(42)


# ---------------------------------------------------------------- list_types


def test_list_types_of_fresh_ffi_is_empty(ffi):
    assert ffi.list_types() == ([], [], [])


def test_list_types(ffi):
    ffi.cdef("""
        typedef int myint; typedef struct { int x; } anon_t; struct named { int y; };
        union un { int a; }; typedef union { int b; } anon_u; enum en { E1 }; typedef enum en en_t;
        typedef enum { E2 } anon_e; typedef int (*fp_t)(int); struct fwd;
    """)
    result = ffi.list_types()
    assert isinstance(result, tuple) and len(result) == 3
    typedefs, structs, unions = result
    assert all(isinstance(x, list) for x in result)
    assert sorted(typedefs) == ["anon_e", "anon_t", "anon_u", "en_t", "fp_t", "myint"]
    assert sorted(structs) == ["fwd", "named"]
    assert sorted(unions) == ["un"]


def test_list_types_grows_with_cdefs(ffi):
    ffi.cdef("typedef int a_t;")
    assert ffi.list_types()[0] == ["a_t"]
    ffi.cdef("typedef int b_t; struct s { int a; };")
    assert sorted(ffi.list_types()[0]) == ["a_t", "b_t"]
    assert ffi.list_types()[1] == ["s"]


def test_list_types_is_per_ffi():
    ffi1, ffi2 = FFI(), FFI()
    ffi1.cdef("typedef int only_here_t;")
    assert ffi2.list_types() == ([], [], [])


# ---------------------------------------------------------------- hashing / comparison


def test_ctypes_are_hashable_and_comparable(dffi):
    t = dffi.typeof("int")
    assert hash(t) == hash(dffi.typeof("int"))
    assert t == dffi.typeof("int")
    assert t != dffi.typeof("long")
    d = {t: "int", dffi.typeof("int *"): "ptr", dffi.typeof("struct foo"): "foo"}
    assert d[dffi.typeof("myint")] == "int"
    assert d[dffi.typeof("int*")] == "ptr"
    assert d[dffi.typeof("struct foo")] == "foo"
    assert len({dffi.typeof("int"), dffi.typeof("signed"), dffi.typeof("myint")}) == 1


def test_ctypes_are_not_ordered(ffi):
    with pytest.raises(TypeError):
        ffi.typeof("int") < ffi.typeof("long")


def test_str_of_ctype_is_repr(ffi):
    assert str(ffi.typeof("int *")) == "<ctype 'int *'>"
