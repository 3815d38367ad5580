"""Differential test: sizeof/alignof/offsetof/.fields layouts must equal what gcc computes."""
# How it works
# ------------
# CORPUS is a table of C declarations.  Each one is fed to ``ffi.cdef()`` (with its optional
# ``packed=True`` / ``pack=N`` keyword) and is also pasted into ONE generated C file, where
# ``packed=True`` becomes ``__attribute__((packed))`` on every struct/union of that declaration and
# ``pack=N`` becomes ``#pragma pack(N)`` ... ``#pragma pack()`` around it.  The C file is compiled
# once per test session (module-scoped fixture, pytest tmp dir) and prints tab-separated lines:
#
# * ``S case probe size align``        -- ``sizeof(T)`` and ``_Alignof(T)``;
# * ``O case probe member offset size`` -- ``offsetof(T, member)`` (member may be a path such as
#   ``arr[2].d``) and ``sizeof`` of that member (-1 for a flexible array member);
# * ``B case probe member hexbytes``    -- the bytes of a memset-zeroed ``T`` after ``v.member = ~0``;
# * ``E case probe NAME value``         -- the value of an enumerator, and ``(enum e)-1`` under the
#   name ``(-1)`` (which tells both the signedness and the width of the enum).
#
# Bitfield convention (checked against cffi 2.0 as oracle): a bitfield's ``CField`` has ``.offset``
# = byte offset of the storage unit it lives in (a multiple of the alignment of the declared type,
# unless packed), ``.bitshift`` = bit position inside that unit (little-endian numbering) and
# ``.bitsize`` = its width.  Hence its *absolute* first bit is
# ``offset * 8 + bitshift``, which must equal the lowest set bit (``byte * 8 + bit``) of gcc's
# all-ones image, and ``bitsize`` must equal the number of set bits (which must be contiguous).
# Ordinary fields have ``bitsize == -1`` and ``bitshift == -1`` (cffi reports ``bitshift == -2``
# for a flexible array member, so only ``bitshift < 0`` is required there).  Members of anonymous
# nested structs/unions appear flattened in the ``.fields`` list of the enclosing type, with offsets
# relative to it; unnamed bitfields (``int :3;``) do not appear at all.
#
# Member specs in the table: ``"x"`` ordinary field, ``"x:"`` bitfield, ``"x[]"`` flexible array
# member -- these three list ``.fields`` in order; a spec containing ``.`` or ``[N]`` is an extra
# ``offsetof`` path only (``ffi.offsetof(T, "arr", 2, "d")``).  For enum probes the specs are the
# enumerator names.
#
# Some declarations are refused: ``long double _Complex`` and ``__int128`` are unsupported per the
# spec (section 8.7 / 8.1), and cffi raises NotImplementedError for packed structs where gcc would
# let a bitfield reuse bits of the previous field (the spec warns that packed bitfields "may be
# packed differently than on GCC").  For those, purecffi may either refuse the same way or produce
# gcc's layout.

import collections
import re
import shutil
import subprocess

import pytest

from _backend import FFI, CDefError, FFIError, IS_CFFI

GCC = shutil.which("gcc")
pytestmark = pytest.mark.skipif(GCC is None, reason="gcc not found on PATH: cannot compute the reference layouts")

Case = collections.namedtuple("Case", "id decl probes kw refuse")
# refuse: None (must match gcc), "unsupported" (must raise in every backend),
#         "packed_bits" (cffi raises NotImplementedError; purecffi may raise it or match gcc).


def case(cid, decl, *probes, refuse=None, **kw):
    """Build a Case; each probe is a type name or (type name, "member specs ...")."""
    norm = []
    for p in probes:
        if isinstance(p, str):
            norm.append((p, ()))
        else:
            norm.append((p[0], tuple(p[1].split())))
    return Case(cid, decl, tuple(norm), kw, refuse)


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------

PRIMITIVES = [
    "char", "signed char", "unsigned char", "short", "unsigned short", "int", "unsigned int",
    "long", "unsigned long", "long long", "unsigned long long",
    "float", "double", "long double", "_Bool", "bool",
    "wchar_t", "char16_t", "char32_t",
    "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t",
    "int_least8_t", "uint_least8_t", "int_least16_t", "uint_least16_t",
    "int_least32_t", "uint_least32_t", "int_least64_t", "uint_least64_t",
    "int_fast8_t", "uint_fast8_t", "int_fast16_t", "uint_fast16_t",
    "int_fast32_t", "uint_fast32_t", "int_fast64_t", "uint_fast64_t",
    "intptr_t", "uintptr_t", "intmax_t", "uintmax_t", "ptrdiff_t", "size_t", "ssize_t",
    "float _Complex", "double _Complex",
]


def _slug(name):
    return re.sub(r"\W+", "_", name).strip("_")


CORPUS = []

# Every primitive: alone, as an array, behind a pointer, and as a member after a char.
for _t in PRIMITIVES:
    _s = _slug(_t)
    CORPUS.append(case(
        "prim_" + _s,
        "struct w_%s { char c; %s x; %s a[3]; char z; %s m[2][3]; };" % (_s, _t, _t, _t),
        _t, (_t + "[5]", "[3]"), (_t + "[2][3]", "[1] [1][2]"), (_t + " *", "[2]"),
        ("struct w_%s" % _s, "c x a z m a[2] m[1][2]"),
    ))

CORPUS += [
    # --- pointers and arrays ---
    case("pointers",
         "struct ptrs { char c; void *p; char *s[3]; int (*arrp)[4]; struct ptrs *next; char **pp; };",
         "void *", "char **", "int (*)[4]", "int *[4]",
         ("struct ptrs", "c p s arrp next pp s[2]")),
    case("funcptr_members",
         "struct fns { char c; int (*fn)(int, double); void (*cbs[2])(void); char d;"
         " long double (*ld)(long double *); };",
         "int (*)(int, double)", "void (*[3])(void)",
         ("struct fns", "c fn cbs d ld cbs[1]")),
    case("typedef_funcptr",
         "typedef int (*cmp_fn)(const void *, const void *);"
         " struct sorter { short n; cmp_fn cmp; cmp_fn many[3]; };",
         "cmp_fn", "cmp_fn[3]", ("struct sorter", "n cmp many many[2]")),
    case("multidim_arrays",
         "struct md { char c; short m[2][3][4]; double d; char t[3][5]; };",
         ("int[3][5]", "[2][4]"), ("char[7][3][2]", "[6][2][1]"), "double[2][2]",
         ("struct md", "c m d t m[1][2][3] t[2][4]")),
    case("typedef_array",
         "typedef int vec3[3]; typedef vec3 mat3[3]; struct tarr { char c; vec3 v; mat3 m; };",
         "vec3", "mat3", "vec3 *", ("struct tarr", "c v m m[2][1]")),
    # --- structs with mixed alignment ---
    case("mixed_align",
         "struct mix { char a; double b; short c; int d; char e; };",
         ("struct mix", "a b c d e")),
    case("mixed_align_2",
         "struct mix2 { short a; char b; long long c; char d; float e; char f[3]; };",
         ("struct mix2", "a b c d e f f[2]"), "struct mix2[3]"),
    case("all_chars",
         "struct chars { char a; unsigned char b; signed char c; };",
         ("struct chars", "a b c"), "struct chars[4]"),
    case("tail_padding",
         "struct tailpad { int i; char c; };",
         ("struct tailpad", "i c"), "struct tailpad[3]"),
    case("long_double_members",
         "struct ldm { char c; long double ld; short s; long double arr[2]; };",
         ("struct ldm", "c ld s arr arr[1]")),
    case("complex_members",
         "struct cplx { char c; float _Complex fc; char d; double _Complex dc; char e;"
         " float _Complex fa[3]; };",
         ("struct cplx", "c fc d dc e fa fa[2]")),
    case("char_types_members",
         "struct wch { char c; wchar_t w; char d; char16_t u16; char e; char32_t u32; _Bool b; };",
         ("struct wch", "c w d u16 e u32 b")),
    case("stdint_members",
         "struct stdints { int8_t a; int64_t b; uint16_t c; uint32_t d; uint8_t e; size_t f;"
         " ssize_t g; ptrdiff_t h; intptr_t i; char j; intmax_t k; };",
         ("struct stdints", "a b c d e f g h i j k")),
    # --- nested structs, arrays of structs ---
    case("nested_struct",
         "struct inner1 { char c; double d; }; struct outer1 { char a; struct inner1 i; char b; };",
         ("struct inner1", "c d"), ("struct outer1", "a i b i.c i.d")),
    case("nested_inline_struct",
         "struct outer2 { int a; struct inner2 { char x; short y; } n; char z; };",
         ("struct outer2", "a n z n.x n.y"), ("struct inner2", "x y")),
    case("array_of_structs",
         "struct elem { char c; double d; }; struct holder { char h; struct elem arr[3]; short t; };",
         ("struct holder", "h arr t arr[2] arr[2].d arr[1].c"),
         ("struct elem[4]", "[3] [3].d [2].c"), ("struct elem *", "[5].d")),
    case("deep_nesting",
         "struct l3 { short s; char c; }; struct l2 { char a; struct l3 x[2]; int b; };"
         " struct l1 { char z; struct l2 y; struct l2 w[2]; };",
         ("struct l1", "z y w y.x[1].c w[1].x[1].s w[1].b"), ("struct l2", "a x b x[1].c")),
    case("struct_in_union_in_struct",
         "struct sus_in { int a; char b; }; union sus_u { struct sus_in s; double d; char c[10]; };"
         " struct sus_out { char tag; union sus_u u; char after; };",
         ("union sus_u", "s d c"), ("struct sus_out", "tag u after u.s.b u.c[9]")),
    # --- unions ---
    case("union_basic",
         "union ub { char c; int i; double d; };",
         ("union ub", "c i d"), "union ub[2]"),
    case("union_padding",
         "union upad { char c[13]; int i; };",
         ("union upad", "c i c[12]")),
    case("union_long_double",
         "union uld { long double ld; char c[17]; short s; };",
         ("union uld", "ld c s")),
    case("union_with_structs",
         "union uws { struct { char a; int b; } p; struct { short x; double y; } q; };",
         ("union uws", "p q p.b q.y")),
    # --- anonymous nested structs/unions ---
    case("anon_union_in_struct",
         "struct tagged { int tag; union { int i; double d; char s[3]; }; char after; };",
         ("struct tagged", "tag i d s after s[2]")),
    case("anon_struct_in_union",
         "union halves { struct { short lo; short hi; }; int whole; char bytes[4]; };",
         ("union halves", "lo hi whole bytes")),
    case("anon_deep",
         "struct adeep { char a; struct { char b; union { long long c; struct { char d; int e; }; }; };"
         " char f; };",
         ("struct adeep", "a b c d e f")),
    case("anon_with_bitfields",
         "struct abits { int x; struct { unsigned f1:1; unsigned f2:2; }; char y;"
         " union { unsigned char raw; struct { unsigned char lo:4; unsigned char hi:4; }; }; };",
         ("struct abits", "x f1: f2: y raw lo: hi:")),
    # --- flexible array members ---
    case("flex_char",
         "struct flexc { int n; char data[]; };",
         ("struct flexc", "n data[] data[5]")),
    case("flex_double",
         "struct flexd { char c; double d[]; };",
         ("struct flexd", "c d[]")),
    case("flex_struct_items",
         "struct fitem { short s; char c; }; struct flexs { char h; struct fitem items[]; };",
         ("struct flexs", "h items[] items[3].c")),
    case("flex_after_tail_padding",
         "struct flext { long long a; char b; int arr[]; };",
         ("struct flext", "a b arr[]")),
    # --- enums ---
    case("enum_small_unsigned",
         "enum esu { ESU_A, ESU_B, ESU_C = 7 };",
         ("enum esu", "ESU_A ESU_B ESU_C")),
    case("enum_negative",
         "enum eneg { ENEG_A = -5, ENEG_B, ENEG_C = 3 };",
         ("enum eneg", "ENEG_A ENEG_B ENEG_C")),
    case("enum_int_min",
         "enum emin { EMIN_A = -2147483648, EMIN_B = 2147483647 };",
         ("enum emin", "EMIN_A EMIN_B")),
    case("enum_unsigned_only",
         "enum euo { EUO_A = 1, EUO_B = 0x80000000, EUO_C = 0xffffffff };",
         ("enum euo", "EUO_A EUO_B EUO_C")),
    case("enum_8_bytes_unsigned",
         "enum e8u { E8U_A = 0x100000000 };",
         ("enum e8u", "E8U_A")),
    case("enum_8_bytes_mixed",
         "enum e8m { E8M_A = -1, E8M_B = 0x80000000 };",
         ("enum e8m", "E8M_A E8M_B")),
    case("enum_8_bytes_negative",
         "enum e8n { E8N_A = -2147483649 };",
         ("enum e8n", "E8N_A")),
    case("enum_ulong_max",
         "enum emax { EMAX_A = 0xffffffffffffffff, EMAX_B = 1 };",
         ("enum emax", "EMAX_A EMAX_B")),
    case("enum_expressions",
         "enum eexpr { EX_A = 1 << 4, EX_B, EX_C = EX_B + 2, EX_D = 0x20 | 3, EX_E = -EX_A };",
         ("enum eexpr", "EX_A EX_B EX_C EX_D EX_E")),
    case("enum_members",
         "enum emem { EMEM_A = -1, EMEM_B = 0x100000000 }; enum esm { ESM_A };"
         " struct withenum { char c; enum emem big; char d; enum esm small; char e; };",
         ("struct withenum", "c big d small e"), ("enum emem", "EMEM_A EMEM_B")),
    case("typedef_enum",
         "typedef enum { TE_A = -3, TE_B = 300 } tenum_t; struct tes { char c; tenum_t t; tenum_t arr[2]; };",
         "tenum_t", ("struct tes", "c t arr")),
    # --- bitfields ---
    case("bf_single_unit",
         "struct bf1 { int a:3; int b:5; int c:24; };",
         ("struct bf1", "a: b: c:")),
    case("bf_spanning_unsigned",
         "struct bf2 { unsigned a:30; unsigned b:4; unsigned c:31; unsigned d:2; };",
         ("struct bf2", "a: b: c: d:")),
    case("bf_after_char",
         "struct bf3 { char a; int b:9; int c:17; char d; };",
         ("struct bf3", "a b: c: d")),
    case("bf_zero_width_int",
         "struct bf4 { int a:3; int :0; int b:3; char c; };",
         ("struct bf4", "a: b: c")),
    case("bf_zero_width_char",
         "struct bf5 { char a:3; char :0; char b:3; unsigned char :0; char c; };",
         ("struct bf5", "a: b: c")),
    case("bf_zero_width_long_long",
         "struct bf6 { char x; long long :0; char y; int a:5; long long :0; short z; };",
         ("struct bf6", "x y a: z")),
    case("bf_zero_width_first",
         "struct bf7 { int :0; char a; int :0; char b; };",
         ("struct bf7", "a b")),
    case("bf_unnamed_padding",
         "struct bf8 { int a:3; int :5; int b:4; unsigned :20; unsigned c:7; char d; };",
         ("struct bf8", "a: b: c: d")),
    case("bf_unnamed_no_align",
         "struct bf9 { char a; long long :3; char b; };",
         ("struct bf9", "a b")),
    case("bf_char",
         "struct bf10 { char a:3; char b:3; char c:3; unsigned char d:8; signed char e:7; };",
         ("struct bf10", "a: b: c: d: e:")),
    case("bf_short",
         "struct bf11 { short a:9; short b:9; unsigned short c:9; char d; short e:1; };",
         ("struct bf11", "a: b: c: d e:")),
    case("bf_long_long",
         "struct bf12 { long long a:40; long long b:40; unsigned long long c:63; char d; };",
         ("struct bf12", "a: b: c: d")),
    case("bf_long_long_after_char",
         "struct bf13 { char c; long long x:60; char d; };",
         ("struct bf13", "c x: d")),
    case("bf_long_long_aligns_struct",
         "struct bf14 { char a; long long b:3; };",
         ("struct bf14", "a b:")),
    case("bf_long",
         "struct bf15 { unsigned long a:1; unsigned long b:63; long c:1; int d:31; };",
         ("struct bf15", "a: b: c: d:")),
    case("bf_bool",
         "struct bf16 { _Bool a:1; _Bool b:1; int c:3; _Bool d:1; char e; bool f:1; };",
         ("struct bf16", "a: b: c: d: e f:")),
    case("bf_mixed_normal",
         "struct bf17 { char a; int b:4; char c; int d:20; short e; int f:12; double g; char h:2; };",
         ("struct bf17", "a b: c d: e f: g h:")),
    case("bf_signedness_mix",
         "struct bf18 { signed int a:5; unsigned int b:5; signed char c:3; unsigned char d:5;"
         " int e:1; unsigned f:1; };",
         ("struct bf18", "a: b: c: d: e: f:")),
    case("bf_full_width",
         "struct bf19 { int a:32; char b:8; short c:16; char d; };",
         ("struct bf19", "a: b: c: d")),
    case("bf_full_width_64",
         "struct bf19b { char x; long long d:64; unsigned long long u:64; };",
         ("struct bf19b", "x d: u:")),
    case("bf_stdint_types",
         "struct bf20 { uint8_t a:4; uint16_t b:12; uint32_t c:17; uint64_t d:33; int8_t e:2; };",
         ("struct bf20", "a: b: c: d: e:")),
    case("bf_after_array",
         "struct bf21 { char a[3]; int b:16; char c[2]; short d:4; };",
         ("struct bf21", "a b: c d:")),
    case("bf_in_union",
         "union bf22 { int a:3; char b; long long c:33; unsigned short d:15; };",
         ("union bf22", "a: b c: d:")),
    case("bf_enum_type",
         "enum bfe { BFE_A = 1, BFE_B = 20 }; struct bf23 { enum bfe x:6; int y; enum bfe z:5; };",
         ("struct bf23", "x: y z:")),
    case("bf_then_struct",
         "struct bf24i { char q; }; struct bf24 { int a:7; struct bf24i s; int b:30; };",
         ("struct bf24", "a: s b: s.q")),
    case("bf_typedef_struct",
         "typedef struct { unsigned flag:1; unsigned kind:3; unsigned long long big:50; } bf25_t;",
         ("bf25_t", "flag: kind: big:"), "bf25_t[2]"),
    # --- typedef'd structs ---
    case("typedef_anon_struct",
         "typedef struct { char a; int b; } td1_t;",
         ("td1_t", "a b"), ("td1_t *", "[2].b"), ("td1_t[3]", "[1].b")),
    case("typedef_tagged_struct",
         "typedef struct td2 { short s; struct td2 *self; char c; } td2_t;",
         ("struct td2", "s self c"), ("td2_t", "s self c"), "td2_t[2]"),
    case("typedef_union",
         "typedef union { float f; unsigned int u; unsigned char b[4]; } td3_t;"
         " typedef struct { char c; td3_t v; } td3w_t;",
         ("td3_t", "f u b"), ("td3w_t", "c v v.b[3]")),
    # --- packed (__attribute__((packed)) in gcc) ---
    case("packed_basic",
         "struct pk1 { char a; int b; short c; double d; };",
         ("struct pk1", "a b c d"), "struct pk1[3]", packed=True),
    case("packed_nested",
         "struct pk2i { char a; int b; }; struct pk2 { char c; struct pk2i i; long long d; };",
         ("struct pk2i", "a b"), ("struct pk2", "c i d i.b"), packed=True),
    case("packed_arrays",
         "struct pk3 { char a; short s[3]; int i; long double ld; };",
         ("struct pk3", "a s i ld s[2]"), packed=True),
    case("packed_union",
         "union pk4 { char c; int i; double d; };",
         ("union pk4", "c i d"), "union pk4[3]", packed=True),
    case("packed_complex",
         "struct pk5 { char a; float _Complex f; char b; double _Complex d; };",
         ("struct pk5", "a f b d"), packed=True),
    case("packed_flex",
         "struct pk6 { char a; int n; double data[]; };",
         ("struct pk6", "a n data[]"), packed=True),
    case("packed_bitfield_simple",
         "struct pk7 { char a; int b:3; char c; };",
         ("struct pk7", "a b: c"), packed=True),
    case("packed_bitfield_whole_bytes",
         "struct pk8 { char a; int b:8; short c:16; char d; };",
         ("struct pk8", "a b: c: d"), packed=True),
    case("packed_bitfield_reuse",
         "struct pk9 { char a; int b:3; int c:31; };",
         ("struct pk9", "a b: c:"), packed=True, refuse="packed_bits"),
    case("packed_bitfield_reuse_2",
         "struct pk10 { int a:30; int b:4; char c; };",
         ("struct pk10", "a: b: c"), packed=True),
    # --- pack=N (#pragma pack(N) in gcc) ---
    case("pack1",
         "struct pn1 { char a; int b; double c; };",
         ("struct pn1", "a b c"), pack=1),
    case("pack2",
         "struct pn2 { char a; int b; double c; char d; };",
         ("struct pn2", "a b c d"), "struct pn2[2]", pack=2),
    case("pack4",
         "struct pn4 { char a; double b; long long c; long double ld; char z; };",
         ("struct pn4", "a b c ld z"), pack=4),
    case("pack4_nested",
         "struct pn4i { char a; double b; }; struct pn4o { char c; struct pn4i i; short s; };",
         ("struct pn4i", "a b"), ("struct pn4o", "c i s i.b"), pack=4),
    case("pack8_long_double",
         "struct pn8 { char a; long double b; char c; };",
         ("struct pn8", "a b c"), pack=8),
    case("pack16_no_effect",
         "struct pn16 { char a; long double b; short c; };",
         ("struct pn16", "a b c"), pack=16),
    case("pack2_union",
         "union pn2u { char c[5]; int i; double d; };",
         ("union pn2u", "c i d"), pack=2),
    case("pack2_complex",
         "struct pn2c { char a; double _Complex z; char b; float _Complex f; };",
         ("struct pn2c", "a z b f"), pack=2),
    case("pack1_bitfields",
         "struct pn1b { char a; int b:8; char c; short d:16; };",
         ("struct pn1b", "a b: c d:"), pack=1),
    case("pack4_bitfields",
         "struct pn4b { char a; int b:5; long long c:20; char d; };",
         ("struct pn4b", "a b: c: d"), pack=4),
    # --- declarations that must be refused ---
    case("unsupported_long_double_complex",
         "struct ldc { char a; long double _Complex z; };",
         ("struct ldc", "a z"), refuse="unsupported"),
    case("unsupported_int128",
         "struct i128 { char a; __int128 big; };",
         ("struct i128", "a big"), refuse="unsupported"),
]

assert len({c.id for c in CORPUS}) == len(CORPUS)
assert len(CORPUS) >= 70


# ---------------------------------------------------------------------------------------------
# The gcc probe
# ---------------------------------------------------------------------------------------------

C_PRELUDE = r"""
#include <stdio.h>
#include <string.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <wchar.h>
#include <uchar.h>
#include <sys/types.h>

#define PRINT_INT(CID, PIDX, NAME, X) do { \
    if ((X) < 0) printf("E\t%s\t%d\t%s\t%lld\n", CID, PIDX, NAME, (long long)(X)); \
    else printf("E\t%s\t%d\t%s\t%llu\n", CID, PIDX, NAME, (unsigned long long)(X)); \
} while (0)

static void print_bytes(const char *cid, int pidx, const char *member,
                        const unsigned char *p, size_t n)
{
    size_t i;
    printf("B\t%s\t%d\t%s\t", cid, pidx, member);
    for (i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}
"""


def is_path(spec):
    """A spec that is only an offsetof path, not an entry of .fields."""
    return "." in spec or re.search(r"\[\d", spec) is not None


def path_args(spec):
    """'arr[2].d' -> ['arr', 2, 'd'] (the arguments of ffi.offsetof)."""
    args = []
    for name, index in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", spec):
        args.append(name if name else int(index))
    return args


def field_specs(members):
    """The (name, kind) list expected in .fields: kind is 'plain', 'bitfield' or 'flex'."""
    out = []
    for m in members:
        if is_path(m):
            continue
        if m.endswith(":"):
            out.append((m[:-1], "bitfield"))
        elif m.endswith("[]"):
            out.append((m[:-2], "flex"))
        else:
            out.append((m, "plain"))
    return out


def c_decl(c):
    """The declaration text as gcc should see it."""
    text = c.decl
    if c.kw.get("packed"):
        text = re.sub(r"\b(struct|union)\b(\s+\w+)?(\s*\{)", r"\1 __attribute__((packed))\2\3", text)
    if "pack" in c.kw:
        text = "#pragma pack(%d)\n%s\n#pragma pack()" % (c.kw["pack"], text)
    return text


def is_enum_probe(tname, members):
    """Enum probes list enumerator names (upper case) instead of member specs."""
    return tname.startswith("enum ") or bool(members and members[0].isupper())


def c_probe_code(c):
    """The statements of main() that print the layout facts of one corpus entry."""
    lines = []
    for pidx, (tname, members) in enumerate(c.probes):
        q = (c.id, pidx)
        lines.append('    printf("S\\t%%s\\t%%d\\t%%zu\\t%%zu\\n", "%s", %d, sizeof(%s), _Alignof(%s));'
                     % (q + (tname, tname)))
        if is_enum_probe(tname, members):
            for m in members:
                lines.append('    PRINT_INT("%s", %d, "%s", %s);' % (q + (m, m)))
            lines.append('    PRINT_INT("%s", %d, "(-1)", (%s)-1);' % (q + (tname,)))
            continue
        for m in members:
            if m.startswith("["):      # item of an array or pointer type: &p[i]... - start
                if tname.endswith("*"):
                    decl, start = "static __typeof__(*(%s)0) buf[64]; %s p = buf;" % (tname, tname), "p"
                else:
                    decl, start = "static __typeof__(%s) p;" % tname, "&p"
                lines.append('    { %s printf("O\\t%%s\\t%%d\\t%%s\\t%%zu\\t%%zu\\n", "%s", %d, "%s",'
                             ' (size_t)((char *)&p%s - (char *)%s), sizeof(p%s)); }'
                             % ((decl,) + q + (m, m, start, m)))
            elif m.endswith(":"):
                name = m[:-1]
                lines.append("    { %s v; memset(&v, 0, sizeof v); v.%s = ~0;"
                             ' print_bytes("%s", %d, "%s", (const unsigned char *)&v, sizeof v); }'
                             % ((tname, name) + q + (name,)))
            elif m.endswith("[]"):
                name = m[:-2]
                lines.append('    printf("O\\t%%s\\t%%d\\t%%s\\t%%zu\\t-1\\n", "%s", %d, "%s", offsetof(%s, %s));'
                             % (q + (name, tname, name)))
            else:
                lines.append('    printf("O\\t%%s\\t%%d\\t%%s\\t%%zu\\t%%zu\\n", "%s", %d, "%s",'
                             ' offsetof(%s, %s), sizeof(((%s *)0)->%s));'
                             % (q + (m, tname, m, tname, m)))
    return "\n".join(lines)


def build_c_source():
    parts = [C_PRELUDE]
    for c in CORPUS:
        parts.append("/* %s */\n%s\n" % (c.id, c_decl(c)))
    parts.append("int main(void)\n{")
    for c in CORPUS:
        parts.append(c_probe_code(c))
    parts.append("    return 0;\n}\n")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def gcc_layout(tmp_path_factory):
    """Compile and run the probe once; return {(kind, case id, probe index, member): values}."""
    d = tmp_path_factory.mktemp("layout_gcc")
    src = d / "probe.c"
    exe = d / "probe"
    src.write_text(build_c_source())
    r = subprocess.run([GCC, "-std=gnu11", "-w", "-O0", "-o", str(exe), str(src)],
                       capture_output=True, text=True)
    assert r.returncode == 0, "gcc failed on the corpus:\n" + r.stderr[-5000:]
    r = subprocess.run([str(exe)], capture_output=True, text=True, check=True)
    result = {}
    for line in r.stdout.splitlines():
        kind, cid, pidx, *rest = line.split("\t")
        if kind == "S":
            result[(kind, cid, int(pidx), None)] = (int(rest[0]), int(rest[1]))
        elif kind == "O":
            result[(kind, cid, int(pidx), rest[0])] = (int(rest[1]), int(rest[2]))
        elif kind == "B":
            result[(kind, cid, int(pidx), rest[0])] = bytes.fromhex(rest[1])
        elif kind == "E":
            result[(kind, cid, int(pidx), rest[0])] = int(rest[1])
    return result


def set_bits(image):
    """Absolute little-endian positions of the bits set in a byte string."""
    return [i * 8 + b for i, byte in enumerate(image) for b in range(8) if byte >> b & 1]


# ---------------------------------------------------------------------------------------------
# Helpers on the FFI side
# ---------------------------------------------------------------------------------------------

def new_ffi(c):
    ffi = FFI()
    ffi.cdef(c.decl, **c.kw)
    return ffi


def run_or_refused(c, check):
    """Run check(); for 'packed_bits' cases accept cffi's NotImplementedError (required for cffi)."""
    if c.refuse != "packed_bits":
        check()
        return
    try:
        check()
    except NotImplementedError as e:
        assert "packed" in str(e)
        return
    assert not IS_CFFI, "cffi is expected to refuse %s with NotImplementedError" % c.id


SUPPORTED = [c for c in CORPUS if c.refuse != "unsupported"]
WITH_FIELDS = [c for c in SUPPORTED
               if any(m and not is_enum_probe(t, m) for t, m in c.probes)]
WITH_BITFIELDS = [c for c in SUPPORTED if any(s.endswith(":") for _, m in c.probes for s in m)]
WITH_ENUMS = [c for c in SUPPORTED if any(is_enum_probe(t, m) for t, m in c.probes)]
UNSUPPORTED = [c for c in CORPUS if c.refuse == "unsupported"]


def ids(cases):
    return [c.id for c in cases]


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("c", SUPPORTED, ids=ids(SUPPORTED))
def test_sizeof_alignof_match_gcc(c, gcc_layout):
    """ffi.sizeof / ffi.alignof of every probed type equal gcc's sizeof / _Alignof."""
    def check():
        ffi = new_ffi(c)
        for pidx, (tname, _) in enumerate(c.probes):
            expected = gcc_layout[("S", c.id, pidx, None)]
            got = (ffi.sizeof(tname), ffi.alignof(tname))
            assert got == expected, "%s: (sizeof, alignof) %r != gcc %r" % (tname, got, expected)
            ctype = ffi.typeof(tname)
            assert (ffi.sizeof(ctype), ffi.alignof(ctype)) == expected
    run_or_refused(c, check)


@pytest.mark.parametrize("c", WITH_FIELDS, ids=ids(WITH_FIELDS))
def test_fields_and_offsetof_match_gcc(c, gcc_layout):
    """.fields names/offsets, bitfield bit = offset*8 + bitshift and width = bitsize, offsetof paths."""
    def check():
        ffi = new_ffi(c)
        for pidx, (tname, members) in enumerate(c.probes):
            if not members or is_enum_probe(tname, members):
                continue
            ctype = ffi.typeof(tname)
            expected = field_specs(members)
            if ctype.kind in ("array", "pointer"):    # only item paths like "[2].d"
                assert not expected
                fields = []
            else:
                assert ctype.kind in ("struct", "union")
                fields = ctype.fields
            assert [name for name, _ in fields] == [name for name, _ in expected], tname
            for (name, fld), (_, kind) in zip(fields, expected):
                assert isinstance(fld.flags, int)
                if kind == "bitfield":
                    image = gcc_layout[("B", c.id, pidx, name)]
                    bits = set_bits(image)
                    assert bits == list(range(bits[0], bits[0] + len(bits))), "non-contiguous"
                    got = (fld.offset * 8 + fld.bitshift, fld.bitsize)
                    assert got == (bits[0], len(bits)), \
                        "%s.%s: (abs bit, width) %r != gcc %r" % (tname, name, got, (bits[0], len(bits)))
                    assert 0 <= fld.bitshift < 8 * ffi.sizeof(fld.type)
                    assert fld.offset % ffi.alignof(fld.type) == 0 or c.kw
                    continue
                off, size = gcc_layout[("O", c.id, pidx, name)]
                assert fld.offset == off, "%s.%s: offset %d != gcc %d" % (tname, name, fld.offset, off)
                assert ffi.offsetof(tname, name) == off
                assert fld.bitsize == -1
                if kind == "flex":
                    assert fld.bitshift < 0
                    assert fld.type.kind == "array" and fld.type.length is None
                else:
                    assert fld.bitshift == -1
                    assert ffi.sizeof(fld.type) == size, "%s.%s: size" % (tname, name)
            for m in members:
                if is_path(m):
                    off, _ = gcc_layout[("O", c.id, pidx, m)]
                    got = ffi.offsetof(tname, *path_args(m))
                    assert got == off, "offsetof(%s, %s) = %d != gcc %d" % (tname, m, got, off)
    run_or_refused(c, check)


# cffi 2.0 bug: storing into a 64-bit-wide bitfield writes nothing (its layout is still right).
CFFI_BITFIELD_STORE_BROKEN = {"bf_full_width_64"}
BITFIELD_PARAMS = [
    pytest.param(c, id=c.id, marks=[pytest.mark.skipif(
        IS_CFFI, reason="cffi 2.0 bug: writing a 64-bit-wide bitfield does not store the value")]
        if c.id in CFFI_BITFIELD_STORE_BROKEN else [])
    for c in WITH_BITFIELDS
]


@pytest.mark.parametrize("c", BITFIELD_PARAMS)
def test_bitfield_memory_image_matches_gcc(c, gcc_layout):
    """Writing all-ones into a bitfield of a zeroed ffi.new() struct sets the same bytes as gcc."""
    def check():
        ffi = new_ffi(c)
        for pidx, (tname, members) in enumerate(c.probes):
            for m in members:
                if not m.endswith(":"):
                    continue
                name = m[:-1]
                fld = dict(ffi.typeof(tname).fields)[name]
                p = ffi.new(tname + " *")
                assert ffi.sizeof(p[0]) == len(gcc_layout[("B", c.id, pidx, name)])
                try:
                    setattr(p, name, -1)
                    value = -1
                except OverflowError:   # unsigned (or _Bool, or cffi's unsigned char) bitfield
                    value = (1 << fld.bitsize) - 1
                    setattr(p, name, value)
                assert getattr(p, name) == value
                image = bytes(ffi.buffer(p))
                assert image == gcc_layout[("B", c.id, pidx, name)], \
                    "%s.%s: %s != gcc %s" % (tname, name, image.hex(),
                                             gcc_layout[("B", c.id, pidx, name)].hex())
                with pytest.raises(TypeError):
                    ffi.offsetof(tname, name)
    run_or_refused(c, check)


@pytest.mark.parametrize("c", WITH_ENUMS, ids=ids(WITH_ENUMS))
def test_enum_values_and_width_match_gcc(c, gcc_layout):
    """Enumerator values (ctype.relements) and (enum e)-1, i.e. signedness and width, equal gcc."""
    ffi = new_ffi(c)
    for pidx, (tname, members) in enumerate(c.probes):
        if not is_enum_probe(tname, members):
            continue
        ctype = ffi.typeof(tname)
        assert ctype.kind == "enum"
        expected = {m: gcc_layout[("E", c.id, pidx, m)] for m in members}
        assert dict(ctype.relements) == expected
        assert dict(ctype.elements) == {v: k for k, v in expected.items()}
        assert int(ffi.cast(tname, -1)) == gcc_layout[("E", c.id, pidx, "(-1)")]


@pytest.mark.parametrize("c", UNSUPPORTED, ids=ids(UNSUPPORTED))
def test_unsupported_types_are_refused(c, gcc_layout):
    """Types the spec says are unsupported raise, although gcc itself accepts them."""
    assert ("S", c.id, 0, None) in gcc_layout        # gcc compiled the declaration fine
    bad = re.search(r"long double _Complex|__int128", c.decl).group(0)
    with pytest.raises((CDefError, FFIError)) as info:
        ffi = FFI()
        ffi.cdef(c.decl, **c.kw)
        for tname, _ in c.probes:
            ffi.sizeof(tname)
    assert bad in str(info.value)
