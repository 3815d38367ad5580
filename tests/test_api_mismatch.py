"""API mode when the cdef() and the C code disagree: the module still builds; a wrong struct
layout or constant raises ffi.error when it is used, enumerators and `...` take the compiler's
values (cffi 2.0's behaviour).  ffi.verify() reports the first disagreement at once.  One
compiled module holds most cases."""
import shutil
import warnings

import pytest

from _backend import FFI, IS_CFFI, VerificationError
from conftest import import_built

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

CDEF = """
    #define FOO 123
    #define FOO_SAME 123
    #define NEG 5
    static const int SC = 5;
    static const unsigned long BIG = 1;
    int NAME = 11;
    int NAME_SAME = 12;
    enum foo_e { AA, BB, CC };
    enum foo_u { UA = 4294967295 };
    enum foo_p { PA, PB, ... };
    struct off_s { int x; int y; };
    struct size_s { int x; };
    struct total_s { int a; int b; };
    struct align_s { char a[8]; };
    struct order_s { short a; short b; };
    struct sign_s { int x; };
    struct ok_s { int a; char *p; };
    struct flex_s { char c; int b[]; };
    struct outer_s { struct total_s inner; };
    struct anon_member_s { int z; union { int a; short b; }; };
    typedef struct { int a; int b; } swapped_t;
    typedef float... t_float_is_int;
    typedef int... t_int;
    typedef int... t_bool;
    typedef float... t_long_double;
    typedef int... t_int128;
    t_long_double f_long_double(t_long_double);
    static const t_long_double K_LONG_DOUBLE;
    t_int128 f_int128(void);
    static const struct total_s K_TOTAL;
    extern struct total_s g_total;
    int f_total(struct total_s);
    int f_total_p(struct total_s *);
    struct total_s *get_total_p(void);
    extern "Python" int cb_total(struct total_s);
    extern "Python" t_long_double cb_long_double(t_long_double);
    extern t_long_double g_long_doubles[2];
    struct holds_total_s { struct total_s in; };
    extern struct holds_total_s g_holds_total;
    struct unused_s { int x; };
    int f_uses_ok(struct ok_s *);
    typedef struct { int a; int b; } *anon_ptr_t;
    struct nested_s { struct { int a; int b; } x; int after; };
    extern int gv;
    extern long gw;
    extern int ok_global;
"""

SOURCE = """
    #define FOO 124
    #define FOO_SAME 123
    #define NEG -3
    static const int SC = 6;
    static const unsigned long BIG = -1;
    #define NAME 12
    #define NAME_SAME 12
    enum foo_e { AA, BB = 5, CC };
    enum foo_u { UA = -1 };
    enum foo_p { PA = -1, PB = 10000000000 };
    struct off_s { int pad; int x; int y; };
    struct size_s { long x; };
    struct total_s { int a; int b; int c; };
    struct align_s { long a; };
    struct order_s { int b; short a; };
    struct sign_s { unsigned int x; };
    struct ok_s { int a; char *p; };
    struct flex_s { char c; long b[]; };
    struct outer_s { struct total_s inner; };
    struct anon_member_s { int z; union { int a; long b; }; };
    typedef struct { int b; int a; } swapped_t;
    typedef int t_float_is_int;
    typedef unsigned short t_int;
    typedef _Bool t_bool;
    typedef long double t_long_double;
    typedef __int128 t_int128;
    static t_long_double f_long_double(t_long_double x) { return x; }
    static const t_long_double K_LONG_DOUBLE = 1.5;
    static t_int128 f_int128(void) { return 0; }
    static const struct total_s K_TOTAL = {1, 2, 3};
    struct total_s g_total;
    static int f_total(struct total_s t) { return t.a; }
    static int f_total_p(struct total_s *t) { return t == 0; }
    static struct total_s *get_total_p(void) { return &g_total; }
    static int cb_total(struct total_s);
    static t_long_double cb_long_double(t_long_double);
    t_long_double g_long_doubles[2];
    struct holds_total_s { struct total_s in; };
    struct holds_total_s g_holds_total;
    struct unused_s { long long x; char more[100]; };
    static int f_uses_ok(struct ok_s *s) { return s->a; }
    typedef struct { int b; int a; } *anon_ptr_t;
    struct nested_s { struct { int b; int a; } x; int after; };
    long gv = 5;
    int gw = 6;
    int ok_global = 7;
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mismatch")
    ffi = FFI()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ffi.cdef(CDEF)
    ffi.cdef("struct pk { char a; int b; }; struct np { char a; int b; };", packed=True)
    ffi.set_source("_api_mismatch", SOURCE + "struct pk { char a; int b; } "
                   "__attribute__((packed));\nstruct np { char a; int b; };\n")
    ffi.compile(tmpdir=str(tmp))        # builds, although much of the cdef is wrong
    return import_built(tmp, "_api_mismatch")


def _error(mod, call):
    with pytest.raises(mod.ffi.error) as info:
        call()
    return str(info.value)


def _flexible(name):
    return ('. fix it or use "...;" as the last field in the cdef for %s to make it flexible'
            % (name,))


# -- Structs ----
def test_wrong_field_offset(mod):
    ffi = mod.ffi
    message = ("struct off_s: wrong offset for field 'x' (cdef says 0, but C compiler says 4)"
               + _flexible("struct off_s"))
    assert _error(mod, lambda: ffi.sizeof("struct off_s")) == message
    assert _error(mod, lambda: ffi.new("struct off_s *")) == message
    assert _error(mod, lambda: ffi.offsetof("struct off_s", "y")) == message
    assert _error(mod, lambda: ffi.alignof("struct off_s")) == message
    assert _error(mod, lambda: ffi.sizeof("struct off_s")) == message     # every time
    assert ffi.typeof("struct off_s *") is ffi.typeof("struct off_s *")  # only naming it is ok


def test_wrong_field_size(mod):
    assert _error(mod, lambda: mod.ffi.new("struct size_s *")) == (
        "struct size_s: wrong size for field 'x' (cdef says 4, but C compiler says 8)"
        + _flexible("struct size_s"))


def test_wrong_total_size_and_alignment(mod):
    assert _error(mod, lambda: mod.ffi.sizeof("struct total_s")) == (
        "struct total_s: wrong total size (cdef says 8, but C compiler says 12)"
        + _flexible("struct total_s"))
    assert _error(mod, lambda: mod.ffi.sizeof("struct align_s")) == (
        "struct align_s: wrong total alignment (cdef says 1, but C compiler says 8)"
        + _flexible("struct align_s"))


def test_field_sizes_are_checked_before_offsets(mod):
    # 'a' is at the wrong offset, 'b' has the wrong size: cffi names the size first
    assert _error(mod, lambda: mod.ffi.sizeof("struct order_s")) == (
        "struct order_s: wrong size for field 'b' (cdef says 2, but C compiler says 4)"
        + _flexible("struct order_s"))


def test_flexible_array_checked_by_offset(mod):
    assert _error(mod, lambda: mod.ffi.sizeof("struct flex_s")) == (
        "struct flex_s: wrong offset for field 'b' (cdef says 4, but C compiler says 8)"
        + _flexible("struct flex_s"))


def test_struct_holding_a_wrong_struct_is_unusable(mod):
    message = _error(mod, lambda: mod.ffi.sizeof("struct outer_s"))
    assert "wrong total size (cdef says 8, but C compiler says 12)" in message


def test_members_of_anonymous_unions_are_checked(mod):
    assert _error(mod, lambda: mod.ffi.sizeof("struct anon_member_s")) == (
        "struct anon_member_s: wrong size for field 'b' (cdef says 2, but C compiler says 8)"
        + _flexible("struct anon_member_s"))


def test_typedef_of_anonymous_struct_is_checked(mod):
    assert _error(mod, lambda: mod.ffi.new("swapped_t *")) == (
        "swapped_t: wrong offset for field 'a' (cdef says 0, but C compiler says 4)"
        + _flexible("swapped_t"))


def test_pointer_typedef_to_anonymous_struct_is_checked(mod):
    ffi = mod.ffi
    with pytest.raises(ffi.error, match=r"^struct \$\d+: wrong offset for field 'a' \(cdef "
                                        r"says 0, but C compiler says 4\)\. fix it"):
        ffi.new("anon_ptr_t")


def test_anonymous_field_type_with_another_layout(mod):
    ffi = mod.ffi
    p = ffi.new("struct nested_s *", {"after": 9})
    assert p.after == 9
    if not IS_CFFI:     # cffi does not check it and keeps the cdef's (wrong) offsets
        assert ffi.offsetof(ffi.typeof(p.x), "a") == 4
        p.x.a = 5
        assert ffi.cast("int *", ffi.addressof(p.x))[1] == 5


def test_packed_cdef_is_checked_against_the_real_layout(mod):
    ffi = mod.ffi
    assert (ffi.sizeof("struct pk"), ffi.offsetof("struct pk", "b")) == (5, 1)
    assert _error(mod, lambda: ffi.sizeof("struct np")) == (
        "struct np: wrong offset for field 'b' (cdef says 1, but C compiler says 4)"
        + _flexible("struct np"))


def test_signedness_and_exact_structs_are_fine(mod):
    ffi, lib = mod.ffi, mod.lib
    assert ffi.sizeof("struct sign_s") == 4
    p = ffi.new("struct ok_s *", {"a": 42})
    assert lib.f_uses_ok(p) == 42


# -- Constants and enums ----
def test_wrong_define_raises_when_read(mod):
    lib = mod.lib
    assert _error(mod, lambda: lib.FOO) == (
        "the C compiler says 'FOO' is equal to 124 (0x7c), but the cdef disagrees")
    assert _error(mod, lambda: lib.NEG) == (
        "the C compiler says 'NEG' is equal to -3, but the cdef disagrees")
    assert lib.FOO_SAME == 123
    assert "FOO" in dir(lib)


def test_wrong_static_const_raises_when_read(mod):
    lib = mod.lib
    assert _error(mod, lambda: lib.SC) == (
        "the C compiler says 'SC' is equal to 6 (0x6), but the cdef disagrees")
    assert _error(mod, lambda: lib.BIG) == (
        "the C compiler says 'BIG' is equal to 18446744073709551615 (0xffffffffffffffff), "
        "but the cdef disagrees")


def test_int_with_initializer_is_a_checked_constant(mod):
    lib = mod.lib
    assert lib.NAME_SAME == 12
    assert _error(mod, lambda: lib.NAME) == (
        "the C compiler says 'NAME' is equal to 12 (0xc), but the cdef disagrees")


def test_enumerators_take_the_compilers_values(mod):
    ffi, lib = mod.ffi, mod.lib
    assert (lib.AA, lib.BB, lib.CC) == (0, 5, 6)
    assert lib.UA == -1
    assert ffi.string(ffi.cast("enum foo_e", 5)) == "BB"


def test_dots_enum_wider_than_int_has_the_compilers_size(mod):
    ffi, lib = mod.ffi, mod.lib
    assert (lib.PA, lib.PB) == (-1, 10000000000)
    assert ffi.sizeof("enum foo_p") == ffi.sizeof("long")
    assert repr(ffi.cast("enum foo_p", -1)) == "<cdata 'enum foo_p' -1: PA>"


# -- typedef int... / float... ----
def test_float_dots_that_is_an_integer_raises_when_used(mod):
    assert _error(mod, lambda: mod.ffi.sizeof("t_float_is_int")) == (
        "primitive floating-point type with an unexpected size (or not a float type at all)")


_LONG_DOUBLE = ("primitive floating-point type is 'long double', not supported for now with the "
                "syntax 'typedef double... xxx;'")
_NOT_AN_INT = "primitive integer type with an unexpected size (or not an integer type at all)"


@pytest.mark.parametrize("call, message", [
    (lambda m: m.ffi.typeof("t_long_double"), _LONG_DOUBLE),
    (lambda m: m.ffi.typeof("t_long_double *"), _LONG_DOUBLE),
    (lambda m: m.ffi.new("t_long_double[2]"), _LONG_DOUBLE),
    (lambda m: m.lib.f_long_double, _LONG_DOUBLE),
    (lambda m: m.lib.K_LONG_DOUBLE, _LONG_DOUBLE),
    (lambda m: m.ffi.addressof(m.lib, "f_long_double"), _LONG_DOUBLE),
    (lambda m: m.ffi.typeof("t_int128"), _NOT_AN_INT),
    (lambda m: m.lib.f_int128, _NOT_AN_INT),
    (lambda m: m.lib.cb_long_double, _LONG_DOUBLE),
    (lambda m: m.lib.g_long_doubles, _LONG_DOUBLE),
])
def test_dots_types_the_compiler_denies_raise_when_used(mod, call, message):
    """The module imports; whatever names the type raises, as with cffi."""
    assert _error(mod, lambda: call(mod)) == message


@pytest.mark.parametrize("call", [
    lambda m: m.lib.K_TOTAL, lambda m: m.lib.g_total, lambda m: m.lib.cb_total,
    lambda m: m.ffi.addressof(m.lib, "f_total"), lambda m: m.lib.g_holds_total,
    lambda m: m.ffi.sizeof("struct holds_total_s"),       # (the inner struct's error)
])
def test_names_of_a_wrong_struct_type_raise_when_used(mod, call):
    """The module imports (a constant of the type made it fail); using them raises."""
    assert _error(mod, lambda: call(mod)) == (
        "struct total_s: wrong total size (cdef says 8, but C compiler says 12)"
        + _flexible("struct total_s"))


def test_pointers_to_a_wrong_struct_type_are_fine(mod):
    assert mod.lib.f_total_p(mod.ffi.NULL) == 1
    assert mod.ffi.typeof(mod.ffi.addressof(mod.lib, "g_total")).cname == "struct total_s *"


@pytest.mark.parametrize("use", [
    lambda ffi, p: p.a, lambda ffi, p: setattr(p, "a", 1), lambda ffi, p: p[0],
    lambda ffi, p: dir(p), lambda ffi, p: setattr(ffi.gc(p, lambda _: None), "b", 2),
], ids=["read_field", "write_field", "item", "dir", "write_field_of_gc"])
def test_a_pointer_to_a_wrong_struct_from_c_raises_when_its_fields_are_used(mod, use):
    # pyheif 0.7.1 against libheif 1.15 (a longer heif_decoding_options): the pointer a
    # C function returns is fine, its fields raise ffi.error (purecffi gave AttributeError)
    p = mod.lib.get_total_p()
    assert _error(mod, lambda: use(mod.ffi, p)) == (
        "struct total_s: wrong total size (cdef says 8, but C compiler says 12)"
        + _flexible("struct total_s"))


def test_int_dots_takes_the_compilers_type(mod):
    ffi = mod.ffi
    assert ffi.sizeof("t_int") == 2
    assert ffi.cast("t_int", -1) == 65535
    assert ffi.typeof("t_bool") is ffi.typeof("uint8_t")    # 1 byte, unsigned: an integer


# -- ffi.verify() ----
VERIFY_CASES = [
    ("#define FOO 123", "#define FOO 124", "FOO has the real value 124, not 123"),
    ("int NAME = 11;", "#define NAME 12", "NAME has the real value 12, not 11"),
    ("enum foo_u { UA=4294967295 };", "enum foo_u { UA=-1 };",
     "enum foo_u: UA has the real value -1, not 4294967295"),
    ("struct s3 { int a; int b; };", "struct s3 { int a; int b; int c; };",
     "struct s3: wrong total size (we have 8, but C compiler says 12)"),
    ("struct s4 { int a; short b; short c; };", "struct s4 { int a; short c; short b; };",
     "struct s4: wrong offset for field 'b' (we have 4, but C compiler says 6)"),
    ("struct a2 { char a[8]; };", "struct a2 { long a; };",
     "struct a2: wrong total alignment (we have 1, but C compiler says 8)"),
    ("struct b3 { int a; char b[4]; };", "struct b3 { int a; char b[2]; char c[2]; };",
     "struct b3: wrong size for field 'b' (we have 4, but C compiler says 2)"),
    ("typedef int... t1;", "typedef int t1;",
     "feature not supported with ffi.verify(), but only with ffi.set_source(): "
     "'typedef int... t1'"),
    ("typedef float... t1;", "typedef double t1;",
     "feature not supported with ffi.verify(), but only with ffi.set_source(): "
     "'typedef float... t1'"),
]


@pytest.mark.parametrize("cdef, source, message", VERIFY_CASES,
                         ids=[c[0].split()[1] for c in VERIFY_CASES])
def test_verify_reports_the_first_mismatch(cdef, source, message, tmp_path):
    ffi = FFI()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ffi.cdef(cdef)
    with pytest.raises(VerificationError) as info:
        ffi.verify(source, tmpdir=str(tmp_path))
    assert str(info.value) == message


def test_verify_accepts_field_signedness_mismatch(tmp_path):
    ffi = FFI()
    ffi.cdef("struct sg_s { int x; }; int get(struct sg_s *);")
    lib = ffi.verify("struct sg_s { unsigned int x; };\n"
                     "static int get(struct sg_s *p) { return (int)p->x; }",
                     tmpdir=str(tmp_path))
    p = ffi.new("struct sg_s *", {"x": -5})
    assert lib.get(p) == -5


def test_verify_with_include_of_a_cdef_only_ffi(tmp_path):
    base = FFI()
    base.cdef("typedef struct { int x, y; } point_t;")
    ffi = FFI()
    ffi.include(base)
    ffi.cdef("int norm1(point_t *);")
    lib = ffi.verify("typedef struct { int x, y; } point_t;\n"
                     "static int norm1(point_t *p) { return p->x + p->y; }",
                     tmpdir=str(tmp_path))
    assert lib.norm1(ffi.new("point_t *", [3, 4])) == 7


@pytest.mark.skipif(IS_CFFI, reason="purecffi also checks the size of global variables "
                                    "(cffi only warns while compiling)")
def test_global_of_the_wrong_size_raises_when_used(mod):
    lib = mod.lib
    assert lib.ok_global == 7
    with pytest.raises(mod.ffi.error) as info:
        lib.gv
    assert str(info.value) == ("global variable 'gv': wrong size (cdef says 4, but C compiler "
                               "says 8)")
    with pytest.raises(mod.ffi.error):
        lib.gw = 3


def test_bitfields_with_dots_are_refused_by_cdef():
    ffi = FFI()
    with pytest.raises(NotImplementedError) as info:
        ffi.cdef("struct bf { int x; int a:3; ...; };")
    assert str(info.value).endswith("<struct bf>: using both bitfields and '...;'")
