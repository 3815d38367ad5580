"""ffi.cdef() declaration forms (spec 8.1, 8.2, 8.4 placeholders, 8.7) and dlopen() in ABI mode."""
import ctypes
import struct
import sys
import warnings

import pytest

from _backend import FFI, backend, CDefError, FFIError, IS_CFFI  # noqa: F401

LINUX = sys.platform.startswith("linux")
LP64 = ctypes.sizeof(ctypes.c_void_p) == 8 and ctypes.sizeof(ctypes.c_long) == 8
needs_linux = pytest.mark.skipif(not LINUX, reason="uses the glibc symbols of dlopen(None)")
needs_lp64_linux = pytest.mark.skipif(not (LINUX and LP64), reason="layout values for LP64 Linux")


def no_warnings_cdef(ffi, src, **kwds):
    """Run ffi.cdef(src) and fail if it emits any warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ffi.cdef(src, **kwds)


def field_names(ffi, cdecl):
    return [name for name, _ in ffi.typeof(cdecl).fields]


def field_types(ffi, cdecl):
    return {name: f.type for name, f in ffi.typeof(cdecl).fields}


# ---------------------------------------------------------------- functions


@needs_linux
def test_function_declaration_is_callable_via_dlopen_none(ffi):
    no_warnings_cdef(ffi, "size_t strlen(const char *s); int abs(int);")
    lib = ffi.dlopen(None)
    assert lib.strlen(b"hello") == 5
    assert lib.abs(-17) == 17
    assert ffi.typeof(lib.strlen) is ffi.typeof("size_t(*)(char *)")


@needs_linux
def test_function_storage_classes_are_accepted(ffi):
    no_warnings_cdef(ffi, "extern int abs(int); static long labs(long);")
    lib = ffi.dlopen(None)
    assert lib.abs(-3) == 3
    assert lib.labs(-4) == 4


@needs_linux
def test_variadic_function_declaration(ffi):
    ffi.cdef("int snprintf(char *buf, size_t n, const char *fmt, ...);")
    lib = ffi.dlopen(None)
    fntype = ffi.typeof(lib.snprintf)
    assert fntype.ellipsis is True
    assert fntype.cname == "int(*)(char *, size_t, char *, ...)"
    buf = ffi.new("char[32]")
    n = lib.snprintf(buf, 32, b"%d-%s", ffi.cast("int", 42), ffi.new("char[]", b"ab"))
    assert n == 5
    assert ffi.string(buf) == b"42-ab"


@needs_linux
def test_function_with_function_pointer_argument(ffi):
    ffi.cdef("void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));")
    lib = ffi.dlopen(None)
    assert ffi.typeof(lib.qsort).args[3] is ffi.typeof("int(*)(void *, void *)")
    assert ffi.typeof(lib.qsort).result is ffi.typeof("void")


def test_array_and_function_parameters_decay_to_pointers(ffi):
    ffi.cdef("typedef int cb_t(int);")
    fntype = ffi.typeof("int(*)(int a[3], char b[], cb_t g)")
    assert fntype.args == (ffi.typeof("int *"), ffi.typeof("char *"), ffi.typeof("int(*)(int)"))


@needs_linux
def test_several_declarators_in_one_function_declaration(ffi):
    ffi.cdef("int abs(int), atoi(const char *);")
    lib = ffi.dlopen(None)
    assert lib.atoi(b"123") == 123
    assert lib.abs(-1) == 1


# ---------------------------------------------------------------- global variables


@needs_linux
@pytest.mark.parametrize("storage", ["extern", "static"])
def test_global_variable_with_storage_class(ffi, storage):
    no_warnings_cdef(ffi, "%s char **environ; %s FILE *stdout;" % (storage, storage))
    lib = ffi.dlopen(None)
    assert ffi.typeof(lib.environ) is ffi.typeof("char **")
    assert ffi.typeof(lib.stdout) is ffi.typeof("FILE *")
    assert lib.stdout != ffi.NULL


@needs_linux
def test_global_variable_several_declarators(ffi):
    ffi.cdef("extern FILE *stdin, *stdout, *stderr;")
    lib = ffi.dlopen(None)
    ptrs = {int(ffi.cast("uintptr_t", p)) for p in (lib.stdin, lib.stdout, lib.stderr)}
    assert len(ptrs) == 3 and 0 not in ptrs


def test_bare_void_pointer_global_warns(ffi):
    with pytest.warns(UserWarning, match="storage class") as record:
        ffi.cdef("void *foo;")
    assert any("'foo'" in str(w.message) and "extern" in str(w.message) for w in record)


@pytest.mark.parametrize("src", ["extern void *foo;", "static void *foo;", "extern int bar[5];"])
def test_global_with_storage_class_does_not_warn(ffi, src):
    no_warnings_cdef(ffi, src)


# ---------------------------------------------------------------- #define


@pytest.mark.parametrize("text, value", [
    ("42", 42), ("0", 0), ("0x2A", 42), ("0X2a", 42), ("052", 42), ("00", 0),
    ("-42", -42), ("-0x10", -16),
    ("10U", 10), ("10u", 10), ("10L", 10), ("10UL", 10), ("10lu", 10), ("10LL", 10),
    ("10ULL", 10), ("0x10L", 16),
    ("9223372036854775807", 2 ** 63 - 1), ("0xFFFFFFFFFFFFFFFF", 2 ** 64 - 1),
])
def test_define_integer_constant(ffi, text, value):
    ffi.cdef("#define MYCONST %s" % text)
    lib = ffi.dlopen(None)
    assert lib.MYCONST == value
    assert type(lib.MYCONST) is int


def test_define_several_constants_and_whitespace(ffi):
    ffi.cdef("""
        #define A   1
        #define B\t0x20
            #define C 3
    """)
    lib = ffi.dlopen(None)
    assert (lib.A, lib.B, lib.C) == (1, 32, 3)
    assert {"A", "B", "C"} <= set(dir(lib))


def test_define_usable_as_array_length(ffi):
    """A #define constant can size arrays, also inside a +/- expression."""
    ffi.cdef("#define N 7\nstruct s { int a[N]; int b[N+1]; };")
    assert field_types(ffi, "struct s") == {"a": ffi.typeof("int[7]"), "b": ffi.typeof("int[8]")}
    assert ffi.typeof("int[N]") is ffi.typeof("int[7]")


def test_static_const_int_is_a_constant(ffi):
    ffi.cdef("static const int SC = 5; static const long SN = -3;")
    lib = ffi.dlopen(None)
    assert (lib.SC, lib.SN) == (5, -3)


def test_static_const_usable_as_array_length(ffi):
    ffi.cdef("static const int N = 3; struct s { char a[N]; };")
    assert ffi.sizeof("struct s") == 3


# ---------------------------------------------------------------- enums


def test_enum_explicit_and_implicit_values(ffi):
    ffi.cdef("enum e { A, B = 5, C, D = -2, E };")
    lib = ffi.dlopen(None)
    assert (lib.A, lib.B, lib.C, lib.D, lib.E) == (0, 5, 6, -2, -1)
    assert ffi.typeof("enum e").relements == {"A": 0, "B": 5, "C": 6, "D": -2, "E": -1}


def test_enum_values_referring_to_earlier_values(ffi):
    ffi.cdef("""enum e { A = 10, B = A + 5, C = B * 2, D = C - A, E = 1 << 4,
                         F = (A), G, H = A | 1, I = -A, J = (2 + 3) * 2, K = A / 3, L = A % 3 };""")
    lib = ffi.dlopen(None)
    got = {name: getattr(lib, name) for name in "ABCDEFGHIJKL"}
    assert got == dict(A=10, B=15, C=30, D=20, E=16, F=10, G=11, H=11, I=-10, J=10, K=3, L=1)


def test_enum_values_referring_to_other_enum_and_define(ffi):
    ffi.cdef("#define BASE 100\nenum first { Q = 4 };\nenum second { R = Q + 1, S = BASE, T = BASE + Q };")
    assert ffi.typeof("enum second").relements == {"R": 5, "S": 100, "T": 104}


@pytest.mark.parametrize("text, value", [("0x10", 16), ("010", 8), ("'a'", 97), ("10U", 10),
                                          ("20L", 20), ("-3LL", -3)])
def test_enum_value_literal_forms(ffi, text, value):
    ffi.cdef("enum e { X = %s };" % text)
    assert ffi.typeof("enum e").relements == {"X": value}


def test_enum_trailing_comma(ffi):
    ffi.cdef("enum e { A, B, C, };")
    assert ffi.typeof("enum e").relements == {"A": 0, "B": 1, "C": 2}


def test_enum_constants_usable_as_array_length(ffi):
    ffi.cdef("enum e { N = 4 }; struct s { short a[N]; };")
    assert ffi.typeof("struct s").fields[0][1].type is ffi.typeof("short[4]")


def test_typedef_of_anonymous_enum(ffi):
    ffi.cdef("typedef enum { RED, GREEN = 5, BLUE } color_t; color_t paint(color_t);")
    t = ffi.typeof("color_t")
    assert t.kind == "enum"
    assert t.relements == {"RED": 0, "GREEN": 5, "BLUE": 6}


def test_enum_dicts_in_cffis_order(ffi):
    # both dicts list the enumerators from the last to the first, as cffi's do; a value
    # named twice keeps its first name
    ffi.cdef("enum e { A = 1, B = 1, C = 2, D = 0, E = 2 };")
    t = ffi.typeof("enum e")
    assert list(t.relements.items()) == [("E", 2), ("D", 0), ("C", 2), ("B", 1), ("A", 1)]
    assert list(t.elements.items()) == [(2, "C"), (0, "D"), (1, "A")]


# ---------------------------------------------------------------- typedefs


def test_typedef_of_primitive_and_pointer(ffi):
    ffi.cdef("typedef int myint; typedef char *str_t; typedef str_t *strp_t;")
    assert ffi.typeof("myint") is ffi.typeof("int")
    assert ffi.typeof("str_t") is ffi.typeof("char *")
    assert ffi.typeof("strp_t") is ffi.typeof("char **")


def test_typedef_of_function_pointer(ffi):
    ffi.cdef("typedef int (*fp_t)(int, double); typedef void (*cb_t)(void *);")
    assert ffi.typeof("fp_t") is ffi.typeof("int(*)(int, double)")
    assert ffi.typeof("cb_t").args == (ffi.typeof("void *"),)


def test_typedef_of_function_type_then_pointer(ffi):
    ffi.cdef("typedef int fn_t(int); fn_t *get_fn(void);")
    assert ffi.typeof("fn_t *") is ffi.typeof("int(*)(int)")


@pytest.mark.parametrize("decl, name, expected", [
    ("typedef int arr_t[5];", "arr_t", "int[5]"),
    ("typedef int a2_t[2][3];", "a2_t", "int[2][3]"),
    ("typedef int ua_t[];", "ua_t", "int[]"),
    ("typedef char *ptrs_t[4];", "ptrs_t", "char *[4]"),
])
def test_typedef_of_array(ffi, decl, name, expected):
    ffi.cdef(decl)
    assert ffi.typeof(name) is ffi.typeof(expected)


def test_typedef_of_named_struct_and_pointer_in_one_declaration(ffi):
    ffi.cdef("typedef struct s { int v; } s_t, *s_p;")
    assert ffi.typeof("s_t") is ffi.typeof("struct s")
    assert ffi.typeof("s_p").item is ffi.typeof("struct s")
    assert ffi.sizeof("s_t") == ffi.sizeof("int")


def test_typedef_with_same_name_as_struct_tag(ffi):
    ffi.cdef("typedef struct s s; struct s { int v; long w; };")
    assert ffi.typeof("s") is ffi.typeof("struct s")
    assert field_names(ffi, "s") == ["v", "w"]


def test_typedef_chain(ffi):
    ffi.cdef("typedef struct { int x; } A; typedef A B; typedef B *PB;")
    assert ffi.typeof("B") is ffi.typeof("A")
    assert ffi.typeof("PB").item is ffi.typeof("A")


def test_typedef_of_multi_word_primitives(ffi):
    ffi.cdef("""typedef long int li; typedef short int si; typedef unsigned ui; typedef signed s2;
                typedef unsigned long long int ulli; typedef signed char sc; typedef long double ld;""")
    for name, target in [("li", "long"), ("si", "short"), ("ui", "unsigned int"), ("s2", "int"),
                         ("ulli", "unsigned long long"), ("sc", "signed char"), ("ld", "long double")]:
        assert ffi.typeof(name) is ffi.typeof(target), name


# ---------------------------------------------------------------- structs and unions


def test_named_struct_fields_in_order(ffi):
    ffi.cdef("struct point { int x; int y; double weight; };")
    assert field_names(ffi, "struct point") == ["x", "y", "weight"]
    p = ffi.new("struct point *", [1, 2, 0.5])
    assert (p.x, p.y, p.weight) == (1, 2, 0.5)


def test_several_declarators_in_one_field_declaration(ffi):
    ffi.cdef("struct s { int a, *b, c[3]; };")
    assert field_types(ffi, "struct s") == {"a": ffi.typeof("int"), "b": ffi.typeof("int *"),
                                             "c": ffi.typeof("int[3]")}


def test_union_members_share_offset_zero(ffi):
    ffi.cdef("union u { char c; double d; int i[3]; };")
    t = ffi.typeof("union u")
    assert t.kind == "union"
    assert [f.offset for _, f in t.fields] == [0, 0, 0]
    if LINUX and LP64:
        assert ffi.sizeof(t) == 16      # 12 bytes rounded up to the alignment of double


def test_anonymous_struct_via_typedef(ffi):
    ffi.cdef("typedef struct { int x; char y; } anon_t; typedef union { int i; float f; } anon_u;")
    assert ffi.typeof("anon_t").kind == "struct"
    assert ffi.typeof("anon_u").kind == "union"
    assert field_names(ffi, "anon_t") == ["x", "y"]


def test_nested_named_struct_is_visible_at_top_level(ffi):
    ffi.cdef("struct outer { struct inner { int x; } inn; int y; };")
    assert ffi.typeof("struct outer").fields[0][1].type is ffi.typeof("struct inner")
    assert field_names(ffi, "struct inner") == ["x"]
    p = ffi.new("struct outer *", [[5], 6])
    assert (p.inn.x, p.y) == (5, 6)


def test_nested_anonymous_struct_and_union_fields_are_flattened(ffi):
    ffi.cdef("struct outer { int x; struct { int y; int z; }; union { int p; float q; }; };")
    assert field_names(ffi, "struct outer") == ["x", "y", "z", "p", "q"]
    offsets = {name: f.offset for name, f in ffi.typeof("struct outer").fields}
    assert offsets == {"x": 0, "y": 4, "z": 8, "p": 12, "q": 12}
    s = ffi.new("struct outer *")
    s.y = 3
    s.q = 1.5
    assert (s.y, s.q) == (3, 1.5)
    assert ffi.offsetof("struct outer", "z") == 8


def test_anonymous_struct_inside_union(ffi):
    ffi.cdef("union u { struct { int a, b; }; long l; };")
    offsets = {name: f.offset for name, f in ffi.typeof("union u").fields}
    assert offsets == {"a": 0, "b": 4, "l": 0}


def test_named_member_of_anonymous_union_type(ffi):
    ffi.cdef("struct s { union { int i; float f; } u; };")
    ftype = ffi.typeof("struct s").fields[0][1].type
    assert ftype.kind == "union"
    assert [n for n, _ in ftype.fields] == ["i", "f"]


def test_forward_declaration_completed_later(ffi):
    ffi.cdef("struct fwd; typedef struct fwd fwd_t; struct user { struct fwd *p; };")
    assert ffi.typeof("struct fwd").fields is None
    with pytest.raises(ValueError):
        ffi.sizeof("struct fwd")
    ffi.cdef("struct fwd { int a; double b; };")
    assert ffi.typeof("fwd_t") is ffi.typeof("struct fwd")
    assert field_names(ffi, "struct fwd") == ["a", "b"]
    assert ffi.new("fwd_t *", [1, 2.5]).b == 2.5
    assert ffi.typeof("struct user").fields[0][1].type.item is ffi.typeof("struct fwd")


def test_forward_declaration_repeated_is_harmless(ffi):
    ffi.cdef("struct s;")
    ffi.cdef("struct s;")
    ffi.cdef("struct s { int a; };")
    ffi.cdef("struct s;")
    assert ffi.sizeof("struct s") == ffi.sizeof("int")


def test_self_referencing_struct(ffi):
    ffi.cdef("struct node { struct node *next; struct node *prev; int v; };")
    t = ffi.typeof("struct node")
    assert t.fields[0][1].type.item is t
    a = ffi.new("struct node *", {"v": 1})
    b = ffi.new("struct node *", {"v": 2, "next": a})
    assert b.next.v == 1
    assert b.next.next == ffi.NULL


def test_mutually_referencing_structs(ffi):
    ffi.cdef("struct a; struct b { struct a *pa; }; struct a { struct b *pb; int v; };")
    assert ffi.typeof("struct a").fields[0][1].type.item is ffi.typeof("struct b")
    assert ffi.typeof("struct b").fields[0][1].type.item is ffi.typeof("struct a")


def test_struct_and_union_and_typedef_namespaces_are_separate(ffi):
    ffi.cdef("typedef int s; struct s { int a; }; union s { long l; };")
    assert ffi.typeof("s") is ffi.typeof("int")
    assert ffi.typeof("struct s").kind == "struct"
    assert ffi.typeof("union s").kind == "union"


def test_struct_with_nested_struct_array_field(ffi):
    ffi.cdef("struct pt { int x, y; }; struct poly { int n; struct pt pts[3]; };")
    assert ffi.typeof("struct poly").fields[1][1].type is ffi.typeof("struct pt[3]")
    assert ffi.sizeof("struct poly") == 4 + 3 * 8


def test_struct_member_using_typedef_resolves_to_underlying_type(ffi):
    ffi.cdef("typedef int int_t; typedef struct { int a; } A_t; struct s { int_t a; A_t b; };")
    types = field_types(ffi, "struct s")
    assert types["a"] is ffi.typeof("int")
    assert types["b"] is ffi.typeof("A_t")


# ---------------------------------------------------------------- bitfields


@needs_lp64_linux
@pytest.mark.parametrize("decl, expected_size, expected", [
    ("unsigned a:1; unsigned b:2; unsigned c:29; unsigned d:1;", 8,
     [("a", 0, 0, 1), ("b", 0, 1, 2), ("c", 0, 3, 29), ("d", 4, 0, 1)]),
    ("char a:3; char b:6;", 2, [("a", 0, 0, 3), ("b", 1, 0, 6)]),
    ("int a:3; int :0; int b:3;", 8, [("a", 0, 0, 3), ("b", 4, 0, 3)]),
    ("int a:3; int :5; int b:3;", 4, [("a", 0, 0, 3), ("b", 0, 8, 3)]),
    ("int a:3; unsigned b:5; int c;", 8, [("a", 0, 0, 3), ("b", 0, 3, 5), ("c", 4, -1, -1)]),
])
def test_bitfield_layout(ffi, decl, expected_size, expected):
    """Bit fields are laid out like GCC does (offset, bitshift, bitsize)."""
    ffi.cdef("struct bf { %s };" % decl)
    t = ffi.typeof("struct bf")
    got = [(name, f.offset, f.bitshift, f.bitsize) for name, f in t.fields]
    assert got == expected
    assert ffi.sizeof(t) == expected_size


def test_bitfield_read_write_and_range(ffi):
    ffi.cdef("struct bf { int a:3; unsigned b:5; };")
    p = ffi.new("struct bf *")
    p.a = -4
    p.b = 31
    assert (p.a, p.b) == (-4, 31)
    if sys.byteorder == "little":
        assert bytes(ffi.buffer(p))[0] == 0xFC
    p.a = 3
    assert p.a == 3
    with pytest.raises(OverflowError):
        p.a = 4
    with pytest.raises(OverflowError):
        p.b = 32


def test_bitfield_in_union(ffi):
    ffi.cdef("union u { int a : 3; int b; };")
    fields = dict(ffi.typeof("union u").fields)
    assert fields["a"].bitsize == 3
    assert ffi.sizeof("union u") == ffi.sizeof("int")


# ---------------------------------------------------------------- flexible array members


def test_flexible_array_member(ffi):
    ffi.cdef("struct flex { int n; int data[]; };")
    t = ffi.typeof("struct flex")
    data = dict(t.fields)["data"]
    assert data.type is ffi.typeof("int[]")
    assert data.offset == 4
    assert ffi.sizeof(t) == 4
    p = ffi.new("struct flex *", [3, [10, 20, 30]])
    assert p.n == 3
    assert list(p.data[0:3]) == [10, 20, 30]
    assert ffi.sizeof(p[0]) == 16


def test_flexible_array_member_alignment(ffi):
    ffi.cdef("struct f { char c; double d[]; };")
    assert dict(ffi.typeof("struct f").fields)["d"].offset == ffi.alignof("double")
    assert ffi.sizeof("struct f") == ffi.alignof("double")


# ---------------------------------------------------------------- function pointers in structs


def test_function_pointers_in_struct(ffi):
    ffi.cdef("""typedef int (*cmp_t)(const void *, const void *);
                struct ops { cmp_t cmp; int (*raw)(int); void (*cbs[4])(void *); };""")
    types = field_types(ffi, "struct ops")
    assert types["cmp"] is ffi.typeof("int(*)(void *, void *)")
    assert types["raw"] is ffi.typeof("int(*)(int)")
    assert types["cbs"] is ffi.typeof("void(*[4])(void *)")
    assert ffi.sizeof("struct ops") == 6 * ffi.sizeof("void *")


# ---------------------------------------------------------------- qualifiers


def test_const_volatile_restrict_are_accepted_and_ignored(ffi):
    ffi.cdef("""struct s { const int a; volatile long b; int *restrict c; const char *const d; };
                int f(const char *restrict s, volatile int v);""")
    assert field_types(ffi, "struct s") == {"a": ffi.typeof("int"), "b": ffi.typeof("long"),
                                             "c": ffi.typeof("int *"), "d": ffi.typeof("char *")}
    assert ffi.typeof("int(*)(const char *restrict, volatile int)") is ffi.typeof("int(*)(char *, int)")


def test_const_struct_field_is_writable_at_runtime(ffi):
    ffi.cdef("struct s { const int a; };")
    p = ffi.new("struct s *", [1])
    p.a = 2
    assert p.a == 2


# ---------------------------------------------------------------- packed / pack


PACK_SRC = "struct s { char c; int i; short h; double d; };"


@needs_lp64_linux
@pytest.mark.parametrize("kwds, size, align, offsets", [
    ({}, 24, 8, [0, 4, 8, 16]),
    ({"packed": False}, 24, 8, [0, 4, 8, 16]),
    ({"packed": True}, 15, 1, [0, 1, 5, 7]),
    ({"pack": 1}, 15, 1, [0, 1, 5, 7]),
    ({"pack": 2}, 16, 2, [0, 2, 6, 8]),
    ({"pack": 4}, 20, 4, [0, 4, 8, 12]),
    ({"pack": 8}, 24, 8, [0, 4, 8, 16]),
    ({"pack": 16}, 24, 8, [0, 4, 8, 16]),
])
def test_packed_and_pack_layout(ffi, kwds, size, align, offsets):
    ffi.cdef(PACK_SRC, **kwds)
    t = ffi.typeof("struct s")
    assert (ffi.sizeof(t), ffi.alignof(t)) == (size, align)
    assert [f.offset for _, f in t.fields] == offsets


def test_packed_struct_bytes(ffi):
    ffi.cdef("struct pk { char c; int i; };", packed=True)
    p = ffi.new("struct pk *", [b"\x01", 0x01020304])
    assert bytes(ffi.buffer(p)) == b"\x01" + struct.pack("=i", 0x01020304)


def test_packed_applies_only_to_its_own_cdef(ffi):
    ffi.cdef("struct pk { char c; int i; };", packed=True)
    ffi.cdef("struct normal { char c; int i; };")
    assert ffi.sizeof("struct pk") == 5
    assert ffi.sizeof("struct normal") == 8


def test_packed_struct_nested_in_normal_struct(ffi):
    ffi.cdef("struct pk { char c; int i; };", packed=True)
    ffi.cdef("struct outer { char c; struct pk p; };")
    assert ffi.alignof("struct pk") == 1
    assert ffi.offsetof("struct outer", "p") == 1
    assert ffi.sizeof("struct outer") == 6


# ---------------------------------------------------------------- default type names


_SIGNED = True
_UNSIGNED = False
_PTR = ctypes.sizeof(ctypes.c_void_p)


@pytest.mark.parametrize("name, size, signed", [
    ("int8_t", 1, _SIGNED), ("int16_t", 2, _SIGNED), ("int32_t", 4, _SIGNED), ("int64_t", 8, _SIGNED),
    ("uint8_t", 1, _UNSIGNED), ("uint16_t", 2, _UNSIGNED), ("uint32_t", 4, _UNSIGNED),
    ("uint64_t", 8, _UNSIGNED),
    ("int_least8_t", 1, _SIGNED), ("int_least16_t", 2, _SIGNED), ("int_least32_t", 4, _SIGNED),
    ("int_least64_t", 8, _SIGNED), ("uint_least8_t", 1, _UNSIGNED), ("uint_least16_t", 2, _UNSIGNED),
    ("uint_least32_t", 4, _UNSIGNED), ("uint_least64_t", 8, _UNSIGNED),
    ("intptr_t", _PTR, _SIGNED), ("uintptr_t", _PTR, _UNSIGNED), ("ptrdiff_t", _PTR, _SIGNED),
    ("size_t", ctypes.sizeof(ctypes.c_size_t), _UNSIGNED),
    ("ssize_t", ctypes.sizeof(ctypes.c_ssize_t), _SIGNED),
    ("intmax_t", 8, _SIGNED), ("uintmax_t", 8, _UNSIGNED),
    ("char16_t", 2, _UNSIGNED), ("char32_t", 4, _UNSIGNED),
])
def test_default_integer_type_names(ffi, name, size, signed):
    t = ffi.typeof(name)
    assert t.kind == "primitive"
    assert ffi.sizeof(name) == size
    assert int(ffi.cast(name, -1)) == (-1 if signed else 2 ** (8 * size) - 1)


@pytest.mark.parametrize("bits", [8, 16, 32, 64])
@pytest.mark.parametrize("prefix, signed", [("int", True), ("uint", False)])
def test_default_fast_integer_type_names(ffi, prefix, bits, signed):
    name = "%s_fast%d_t" % (prefix, bits)
    size = ffi.sizeof(name)
    assert size in (1, 2, 4, 8) and size * 8 >= bits
    assert int(ffi.cast(name, -1)) == (-1 if signed else 2 ** (8 * size) - 1)


def test_default_wchar_t(ffi):
    assert ffi.typeof("wchar_t").kind == "primitive"
    assert ffi.sizeof("wchar_t") == ctypes.sizeof(ctypes.c_wchar)
    if LINUX:
        assert int(ffi.cast("wchar_t", -1)) == -1     # signed 32-bit on Linux


def test_bool_is_the_same_type_as__Bool(ffi):
    assert ffi.typeof("bool") is ffi.typeof("_Bool")
    assert ffi.sizeof("bool") == 1
    assert ffi.new("bool *", True)[0] is True


def test_default_FILE_is_an_opaque_struct(ffi):
    t = ffi.typeof("FILE")
    assert t.kind == "struct"
    assert t.cname == "FILE"
    with pytest.raises(ValueError):
        ffi.sizeof("FILE")
    assert ffi.typeof("FILE *").item is t


@pytest.mark.skipif(sys.platform == "win32", reason="Windows types are predefined on Windows")
@pytest.mark.parametrize("name", ["DWORD", "LPARAM", "HANDLE", "BOOL", "TCHAR"])
def test_windows_type_names_are_not_predefined_elsewhere(ffi, name):
    with pytest.raises(CDefError, match=name):
        ffi.typeof(name)


def test_default_type_names_are_not_listed_as_user_types(ffi):
    ffi.typeof("size_t")
    ffi.typeof("FILE")
    assert ffi.list_types() == ([], [], [])


def test_user_typedef_overrides_default_names(ffi):
    """Predefined names are only defaults: an explicit typedef replaces them."""
    ffi.cdef("typedef short size_t; typedef struct { int x; } FILE; typedef char int32_t;")
    assert ffi.typeof("size_t") is ffi.typeof("short")
    assert ffi.sizeof("FILE") == ffi.sizeof("int")
    assert field_names(ffi, "FILE") == ["x"]
    assert ffi.typeof("int32_t") is ffi.typeof("char")
    assert ffi.sizeof("ssize_t") == ctypes.sizeof(ctypes.c_ssize_t)    # others unaffected


def test_user_typedef_override_used_in_same_cdef(ffi):
    ffi.cdef("typedef int uint8_t; uint8_t f(uint8_t);")
    assert ffi.typeof("uint8_t") is ffi.typeof("int")


def test_user_typedef_overrides_bool(ffi):
    ffi.cdef("typedef int bool;")
    assert ffi.typeof("bool") is ffi.typeof("int")
    assert ffi.typeof("_Bool").cname == "_Bool"


def test_default_type_override_is_per_ffi():
    ffi1 = FFI()
    ffi1.cdef("typedef short size_t;")
    ffi2 = FFI()
    assert ffi1.sizeof("size_t") == 2
    assert ffi2.sizeof("size_t") == ctypes.sizeof(ctypes.c_size_t)


# ---------------------------------------------------------------- multiple cdefs / override


def test_multiple_cdefs_build_on_each_other(ffi):
    ffi.cdef("typedef int myint_t; struct s { myint_t a; };")
    ffi.cdef("typedef struct s s_t; myint_t use(s_t *);")
    ffi.cdef("struct t { s_t inner; myint_t arr[2]; };")
    assert ffi.typeof("struct t").fields[0][1].type is ffi.typeof("struct s")
    assert ffi.sizeof("struct t") == 3 * ffi.sizeof("int")


@needs_linux
def test_lib_sees_declarations_from_later_cdefs(ffi):
    lib = ffi.dlopen(None)
    with pytest.raises(AttributeError):
        lib.strlen
    ffi.cdef("size_t strlen(const char *);")
    assert lib.strlen(b"abcd") == 4


def test_override_redefines_typedef(ffi):
    ffi.cdef("typedef int t;")
    ffi.cdef("typedef long t;", override=True)
    assert ffi.typeof("t") is ffi.typeof("long")


@needs_linux
def test_override_redefines_function_and_variable(ffi):
    ffi.cdef("int abs(int); extern int stdout;")
    ffi.cdef("long labs(long); long abs(long); extern FILE *stdout;", override=True)
    lib = ffi.dlopen(None)
    assert ffi.typeof(lib.abs) is ffi.typeof("long(*)(long)")
    assert ffi.typeof(lib.stdout) is ffi.typeof("FILE *")


def test_identical_typedef_repeated_is_accepted(ffi):
    ffi.cdef("typedef int t; typedef int t;")
    ffi.cdef("typedef int t;")
    assert ffi.typeof("t") is ffi.typeof("int")


# ---------------------------------------------------------------- miscellaneous syntax


@pytest.mark.parametrize("src", [
    "",
    "   \n\n  \t",
    ";;",
    "/* comment */ int f1(int); // line comment\nint f2(int); /* multi\nline */ int f3(int);",
    "int f(void);",
    "int f();",
    "inline int f(int);",
    "int f(register int);",
    "int WINAPI wf(int);",
    "int __stdcall sf(int);",
    "int __cdecl cf(int);",
    "extern _Thread_local int tlv;",
])
def test_accepted_syntax(ffi, src):
    no_warnings_cdef(ffi, src)


def test_cdef_accepts_only_str(ffi):
    with pytest.raises(TypeError):
        ffi.cdef(b"int x;")
    with pytest.raises(TypeError):
        ffi.cdef(None)


# ---------------------------------------------------------------- API-mode placeholders (8.4)


@pytest.mark.parametrize("src", [
    "struct s { int a; ...; };",
    "struct s { ...; };",
    "typedef struct { int a; ...; } ts_t;",
    "typedef int... int_t;",
    "typedef unsigned long long... ull_t;",
    "typedef float... flt_t;",
    "typedef double... dbl_t;",
    "typedef ... opaque_t;",
    "typedef ... *opaque_p;",
    "struct arr { int a[...]; };",
    "struct arr { int a[...][...]; };",
    "extern int garr[...];",
    "extern int garr2[][...];",
    "typedef int tarr_t[...];",
    "#define XX ...",
    "enum e { A, B, ... };",
    "enum e { A = ..., B, C };",
    "enum e { A = ..., B = ..., C = ... };",
    'extern "Python" int cb(int);',
    'extern "Python+C" int cb(int);',
    'extern "Python" { int cb1(int); void cb2(char *, void *); }',
])
def test_placeholders_parse(ffi, src):
    """Every `...` placeholder form of spec 8.4 is accepted by cdef() without warning."""
    no_warnings_cdef(ffi, src)


def test_placeholders_listed_as_user_types(ffi):
    ffi.cdef("""struct s { int a; ...; }; typedef struct { int a; ...; } ts_t; typedef int... int_t;
                typedef ... opaque_t; typedef ... *opaque_p; union u { int a; ...; };""")
    typedefs, structs, unions = ffi.list_types()
    assert sorted(typedefs) == ["int_t", "opaque_p", "opaque_t", "ts_t"]
    assert sorted(structs) == ["s"]
    assert sorted(unions) == ["u"]


def test_opaque_typedef_usable_through_pointers(ffi):
    ffi.cdef("typedef ... opaque_t; opaque_t *make(void); typedef ... *opaque_p;")
    assert ffi.typeof("opaque_t").kind == "struct"
    assert ffi.typeof("opaque_t *").item is ffi.typeof("opaque_t")
    p = ffi.cast("opaque_t *", 0)
    assert p == ffi.NULL
    assert ffi.typeof("opaque_p").kind == "pointer"
    assert ffi.cast("opaque_p", 0) == ffi.NULL


@needs_linux
def test_extern_python_functions_are_not_in_dlopen_lib(ffi):
    ffi.cdef('extern "Python" int cb(int); extern "Python+C" int cb2(int); '
             'extern "Python" { int cb3(int); } size_t strlen(const char *);')
    lib = ffi.dlopen(None)
    assert "strlen" in dir(lib)
    for name in ("cb", "cb2", "cb3"):
        assert name not in dir(lib)
        with pytest.raises(AttributeError):
            getattr(lib, name)


# ---------------------------------------------------------------- dlopen (8.2)


@needs_linux
@pytest.mark.parametrize("name", ["m", "libm.so.6"])
def test_dlopen_by_short_or_full_name(ffi, name):
    ffi.cdef("double sqrt(double);")
    lib = ffi.dlopen(name)
    assert lib.sqrt(16.0) == 4.0


@needs_linux
def test_dlopen_with_flags(ffi):
    ffi.cdef("double cos(double);")
    assert isinstance(ffi.RTLD_NOW, int) and isinstance(ffi.RTLD_LAZY, int)
    assert ffi.RTLD_NOW != ffi.RTLD_LAZY
    lib = ffi.dlopen("libm.so.6", ffi.RTLD_LAZY | ffi.RTLD_GLOBAL)
    assert lib.cos(0.0) == 1.0


@pytest.mark.parametrize("name", ["libdoesnotexist_xyz.so", "doesnotexist_xyz"])
def test_dlopen_missing_library_raises_oserror(ffi, name):
    with pytest.raises(OSError, match="doesnotexist_xyz"):
        ffi.dlopen(name)


def test_dlopen_bad_argument_type(ffi):
    with pytest.raises(TypeError):
        ffi.dlopen(42)


@needs_linux
def test_dlclose_then_access_raises(ffi):
    ffi.cdef("double sqrt(double);")
    lib = ffi.dlopen("libm.so.6")
    ffi.dlclose(lib)
    with pytest.raises(ValueError, match="closed"):
        lib.sqrt(4.0)


@needs_linux
def test_types_live_in_ffi_not_in_lib(ffi):
    ffi.cdef("struct s { int a; }; typedef int my_t; size_t strlen(const char *);")
    lib = ffi.dlopen(None)
    assert "s" not in dir(lib) and "my_t" not in dir(lib)
    assert sorted(dir(lib)) == ["strlen"]


@needs_linux
def test_one_cdef_two_libraries(ffi):
    ffi.cdef("double sqrt(double); size_t strlen(const char *);")
    libm = ffi.dlopen("libm.so.6")
    libc = ffi.dlopen(None)
    assert libm.sqrt(9.0) == 3.0
    assert libc.strlen(b"xy") == 2
