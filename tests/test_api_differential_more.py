"""More of what a program sees of API-mode and out-of-line modules, found by running the same
builds with cffi and comparing:
- the sizes of the fields a partial struct (`...;`) declares are checked against the
  compiler's, as those of an exact struct are (the struct is unusable when one differs, and
  ffi.verify() refuses it);
- a named enum is signed when the compiler says so (a negative value the cdef() omits), and
  the fields of exact structs follow (verify() keeps the cdef()'s view, as cffi's);
- a variadic lib function is a cdata named '<cdata>';
- ffi.addressof(lib, name) of a constant function pointer is that pointer;
- `typedef T t[...];` takes the compiler's lengths;
- dir() of a generated ffi shows what cffi's does.
Validated against cffi with PURECFFI_TEST_AGAINST=cffi."""
import shutil
import sys
import warnings

import pytest

from _backend import FFI, VerificationError
from conftest import build_api_module, build_shared_library, import_built

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

CDEF = """
    struct wide_s { int a; ...; };
    struct narrow_s { long a; int b; ...; };
    struct fine_s { int b; ...; };
    struct arr_s { int v[4]; ...; };
    struct dots_arr_s { int v[...]; ...; };
    struct holds_wide_s { struct wide_s w; int z; };
    typedef struct { short s; ...; } anon_t;
    union wide_u { short a; ...; };
    extern struct wide_s g_wide;
    extern struct fine_s g_fine;
    int f_wide_p(struct wide_s *);
    int f_fine(struct fine_s);
    int f_variadic(int, ...);
    int f_plain(int);
    static int (*const k_fn)(int);
    extern int (*const e_fn)(int);
    typedef int (*fn_t)(int);
    static const fn_t k_tfn;
    extern int (*v_fn)(int);
    static const int *const k_ip;
    #define K_INT 5
"""
SOURCE = """
    struct wide_s { long a; };
    struct narrow_s { int a; int b; };
    struct fine_s { long pad; int b; };
    struct arr_s { int v[5]; };
    struct dots_arr_s { int v[5]; };
    struct holds_wide_s { struct wide_s w; int z; };
    typedef struct { int s; } anon_t;
    union wide_u { int a; };
    struct wide_s g_wide;
    struct fine_s g_fine = {0, 42};
    static int f_wide_p(struct wide_s *p) { return p == 0; }
    static int f_fine(struct fine_s s) { return s.b; }
    static int f_variadic(int n, ...) { return n; }
    static int f_plain(int n) { return n; }
    static int twice(int n) { return 2 * n; }
    static int (*const k_fn)(int) = twice;
    int (*const e_fn)(int) = twice;
    typedef int (*fn_t)(int);
    static const fn_t k_tfn = twice;
    int (*v_fn)(int) = twice;
    static const int K_TARGET = 4;
    static const int *const k_ip = &K_TARGET;
    #define K_INT 5
"""


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("api_diff_more"), "_api_diff_more",
                            CDEF, SOURCE)


def _error(module, call):
    with pytest.raises(module.ffi.error) as info:
        call()
    return str(info.value)


def _size_message(cname, field, cdef_size, c_size):
    return ("%s: wrong size for field '%s' (cdef says %d, but C compiler says %d). fix it or "
            "use \"...;\" as the last field in the cdef for %s to make it flexible"
            % (cname, field, cdef_size, c_size, cname))


# -- Partial structs: the declared fields' sizes are checked ----
def test_a_partial_struct_field_wider_in_c_makes_the_struct_unusable(module):
    ffi = module.ffi
    message = _size_message("struct wide_s", "a", ffi.sizeof("int"), ffi.sizeof("long"))
    for call in (lambda: ffi.sizeof("struct wide_s"), lambda: ffi.alignof("struct wide_s"),
                 lambda: ffi.offsetof("struct wide_s", "a"),
                 lambda: ffi.new("struct wide_s *")):
        assert _error(module, call) == message
    assert _error(module, lambda: ffi.sizeof("struct wide_s")) == message   # every time
    assert repr(ffi.typeof("struct wide_s *")) == "<ctype 'struct wide_s *'>"   # naming: fine


def test_a_partial_struct_field_narrower_in_c_makes_the_struct_unusable(module):
    ffi = module.ffi
    assert _error(module, lambda: ffi.sizeof("struct narrow_s")) == _size_message(
        "struct narrow_s", "a", ffi.sizeof("long"), ffi.sizeof("int"))


def test_partial_struct_array_fields_and_anonymous_and_union(module):
    ffi = module.ffi
    int_size = ffi.sizeof("int")
    assert _error(module, lambda: ffi.new("struct arr_s *")) == _size_message(
        "struct arr_s", "v", 4 * int_size, 5 * int_size)
    assert _error(module, lambda: ffi.sizeof("anon_t")) == _size_message(
        "anon_t", "s", ffi.sizeof("short"), int_size)
    assert _error(module, lambda: ffi.sizeof("union wide_u")) == _size_message(
        "union wide_u", "a", ffi.sizeof("short"), int_size)
    # `[...]` takes the compiler's length: nothing to disagree on
    assert ffi.sizeof("struct dots_arr_s") == 5 * int_size
    assert len(ffi.new("struct dots_arr_s *").v) == 5


def test_what_holds_or_is_a_wrong_partial_struct_is_unusable(module):
    ffi, lib = module.ffi, module.lib
    message = _size_message("struct wide_s", "a", ffi.sizeof("int"), ffi.sizeof("long"))
    assert _error(module, lambda: ffi.sizeof("struct holds_wide_s")) == message
    assert _error(module, lambda: lib.g_wide) == message
    with pytest.raises(ffi.error) as info:
        lib.g_wide = [1]
    assert str(info.value) == message
    # a pointer to it is still fine, as its address
    assert lib.f_wide_p(ffi.NULL) == 1
    assert repr(ffi.addressof(lib, "g_wide")).startswith("<cdata 'struct wide_s *' 0x")


def test_a_partial_struct_whose_fields_agree_takes_the_compilers_layout(module):
    ffi, lib = module.ffi, module.lib
    assert ffi.sizeof("struct fine_s") == ffi.sizeof("long") * 2
    assert ffi.offsetof("struct fine_s", "b") == ffi.sizeof("long")
    assert lib.g_fine.b == 42
    assert lib.f_fine(lib.g_fine) == 42
    assert lib.f_fine({"b": 7}) == 7


VERIFY_PARTIAL_CASES = [
    ("struct m3 { long a; int b; ...; };", "struct m3 { int b; int a; };",
     "struct m3: field 'm3.a' is declared as 8 bytes, but is really 4 bytes"),
    ("struct m5 { short a; int b; ...; };", "struct m5 { short a; long b; };",
     "struct m5: field 'm5.b' is declared as 4 bytes, but is really 8 bytes"),
    ("union u1 { short a; ...; };", "union u1 { int a; };",
     "union u1: field 'u1.a' is declared as 2 bytes, but is really 4 bytes"),
    ("typedef struct { short s; ...; } tmm_t;", "typedef struct { int s; } tmm_t;",
     "anonymous tmm_t: field '$tmm_t.s' is declared as 2 bytes, but is really 4 bytes"),
    ("typedef struct m4 { short a; ...; } m4_t;", "typedef struct m4 { int a; } m4_t;",
     "struct m4: field 'm4.a' is declared as 2 bytes, but is really 4 bytes"),
]


@pytest.mark.parametrize("cdef, source, message", VERIFY_PARTIAL_CASES,
                         ids=["m3", "m5", "u1", "anonymous", "typedef_tag"])
def test_verify_refuses_a_partial_struct_field_of_another_size(cdef, source, message,
                                                                tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)     # (cffi's verify() reads a setup.cfg/pyproject.toml there)
    ffi = FFI()
    ffi.cdef(cdef)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # cffi's verify() is deprecated
        with pytest.raises(VerificationError) as info:
            ffi.verify(source, tmpdir=str(tmp_path))
    assert str(info.value) == message


def test_verify_accepts_a_partial_struct_whose_fields_agree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)     # (cffi's verify() reads a setup.cfg/pyproject.toml there)
    ffi = FFI()
    ffi.cdef("struct pf { int b; ...; }; int getb(struct pf *);")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lib = ffi.verify("struct pf { long pad; int b; };\n"
                         "static int getb(struct pf *p) { return p->b; }",
                         tmpdir=str(tmp_path))
    assert ffi.sizeof("struct pf") == 2 * ffi.sizeof("long")
    assert lib.getb(ffi.new("struct pf *", {"b": 9})) == 9


# -- A variadic function is a plain function-pointer cdata ----
def test_a_variadic_function_of_the_lib_is_a_cdata_with_no_name(module):
    ffi, lib = module.ffi, module.lib
    assert repr(lib.f_variadic).startswith("<cdata 'int(*)(int, ...)' 0x")
    assert lib.f_variadic.__name__ == ffi.cast("int(*)(int)", 0).__name__ == "<cdata>"
    assert lib.f_variadic(3, ffi.cast("int", 4)) == 3
    # the other functions are built-in functions named as declared
    assert lib.f_plain.__name__ == "f_plain"
    assert lib.f_plain(5) == 5


# -- ffi.addressof() of a constant function pointer is that pointer ----
@pytest.mark.parametrize("name", ["k_fn", "e_fn", "k_tfn"])
def test_addressof_a_constant_function_pointer_is_its_value(module, name):
    ffi, lib = module.ffi, module.lib
    pointer = ffi.addressof(module.lib, name)
    assert ffi.typeof(pointer) is ffi.typeof("int(*)(int)")
    assert pointer == getattr(lib, name)
    assert pointer(21) == 42


def test_addressof_other_constants_and_variables(module):
    ffi, lib = module.ffi, module.lib
    for name in ("k_ip", "K_INT"):
        with pytest.raises(AttributeError) as info:
            ffi.addressof(lib, name)
        assert str(info.value) == "cannot take the address of the constant '%s'" % (name,)
    # a variable holding a function pointer: the address of the variable
    assert ffi.typeof(ffi.addressof(lib, "v_fn")) is ffi.typeof("int(**)(int)")
    assert ffi.addressof(lib, "v_fn")[0](5) == 10


def test_out_of_line_addressof_a_constant_function_pointer(tmp_path, tmp_path_factory):
    path = build_shared_library(tmp_path_factory, "constfn", """
        static int twice(int n) { return 2 * n; }
        int (*const e_fn)(int) = twice;
        int (*v_fn)(int) = twice;
    """)
    module = build_api_module(tmp_path, "_api_diff_more_constfn", """
        extern int (*const e_fn)(int);
        extern int (*v_fn)(int);
        int (*const no_such_fn)(int);
    """, None)
    ffi = module.ffi
    lib = ffi.dlopen(path)
    assert ffi.addressof(lib, "e_fn") == lib.e_fn
    assert ffi.addressof(lib, "e_fn")(4) == 8
    assert ffi.typeof(ffi.addressof(lib, "v_fn")) is ffi.typeof("int(**)(int)")
    with pytest.raises(ffi.error) as info:      # read first: the symbol is missing
        ffi.addressof(lib, "no_such_fn")
    assert str(info.value).startswith("symbol 'no_such_fn' not found in library '%s': "
                                      % (path,))


# -- dir() of a generated ffi ----
PUBLIC_NAMES = [
    "CData", "CType", "NULL", "RTLD_DEEPBIND", "RTLD_GLOBAL", "RTLD_LAZY", "RTLD_LOCAL",
    "RTLD_NODELETE", "RTLD_NOLOAD", "RTLD_NOW", "addressof", "alignof", "buffer", "callback",
    "cast", "def_extern", "dlclose", "dlopen", "errno", "error", "from_buffer", "from_handle",
    "gc", "getctype", "init_once", "integer_const", "list_types", "memmove", "new",
    "new_allocator", "new_handle", "offsetof", "release", "sizeof", "string", "typeof",
    "unpack"]


def _check_dir(ffi):
    names = dir(ffi)
    assert sorted(n for n in names if not n.startswith("_")) == PUBLIC_NAMES
    # no private state; the special names are those of any object (cffi's FFI is a C type)
    assert [n for n in names if n.startswith("_") and not n.startswith("__")] == []
    assert {n for n in names if n.startswith("__")} <= set(dir(object()))
    assert all(hasattr(ffi, name) for name in names)


def test_dir_of_an_api_mode_ffi_is_its_public_names(module):
    _check_dir(module.ffi)


def test_dir_of_an_out_of_line_ffi_is_its_public_names(tmp_path):
    _check_dir(build_api_module(tmp_path, "_api_diff_more_ool", "int abs(int);", None).ffi)


# -- Enums: signed or not as the compiler says ----
ENUM_CDEF = """
    enum ex { XA, XB };
    enum px { PA, PB, ... };
    typedef enum { TA, ... } pt_t;
    enum pbig { QA, ... };
    enum ev { VA, VB };
    enum ex f_ex(int);
    pt_t f_pt(int);
    int g_px(enum px);
    extern enum ex v_ex;
    struct hold { enum ev v; enum ex e; enum ex arr[2]; enum px p; int x; };
    struct hold mkhold(void);
    struct bf { enum ex s : 4; int y : 3; };
"""
ENUM_SOURCE = """
    enum ex { XA, XB, XN = -1 };
    enum px { PA, PB, PN = -1 };
    typedef enum { TA, TN = -5 } pt_t;
    enum pbig { QA, QBIG = 0x80000000u };
    enum ev { VA, VB = 5 };
    static enum ex f_ex(int i) { return (enum ex)i; }
    static pt_t f_pt(int i) { return (pt_t)i; }
    static int g_px(enum px e) { return (int)e; }
    enum ex v_ex = XN;
    struct hold { enum ev v; enum ex e; enum ex arr[2]; enum px p; int x; };
    static struct hold mkhold(void) { struct hold h = {VB, XN, {XN, XB}, PN, 3}; return h; }
    struct bf { enum ex s : 4; int y : 3; };
"""


@pytest.fixture(scope="module")
def enums(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("api_diff_more_enums"),
                            "_api_diff_more_enums", ENUM_CDEF, ENUM_SOURCE)


@pytest.mark.parametrize("name", ["enum ex", "enum px", "pt_t"])
def test_an_enum_with_a_negative_value_cdef_does_not_list_is_signed(enums, name):
    # gcc makes an enum with a negative value signed, whatever cdef() lists
    ffi = enums.ffi
    assert repr(ffi.cast(name, -1)) == "<cdata '%s' -1>" % (name,)
    assert repr(ffi.cast(name, 2 ** 31)) == "<cdata '%s' -2147483648>" % (name,)
    assert ffi.new(name + " *", -3)[0] == -3
    with pytest.raises(OverflowError) as info:
        ffi.new(name + " *", 2 ** 31)
    assert str(info.value) == "integer 2147483648 does not fit '%s'" % (name,)
    assert ffi.string(ffi.cast(name, -1)) == "-1"


def test_an_enum_with_no_negative_value_stays_unsigned(enums):
    ffi = enums.ffi
    assert repr(ffi.cast("enum pbig", -1)) == "<cdata 'enum pbig' 4294967295>"
    with pytest.raises(OverflowError) as info:
        ffi.new("enum pbig *", -1)
    assert str(info.value) == "can't convert negative number to unsigned"


def test_signed_enums_through_functions_and_globals(enums):
    lib = enums.lib
    assert lib.f_ex(-1) == -1
    assert lib.f_pt(-5) == -5
    assert lib.g_px(-1) == -1
    assert lib.v_ex == -1
    lib.v_ex = -2
    assert lib.v_ex == -2


def test_struct_fields_take_the_compilers_enums(enums):
    ffi, lib = enums.ffi, enums.lib
    hold = lib.mkhold()
    assert (hold.v, hold.e, hold.arr[0], hold.arr[1], hold.p, hold.x) == (5, -1, -1, 1, -1, 3)
    assert ffi.typeof("struct hold").fields[0][1].type is ffi.typeof("enum ev")
    assert repr(ffi.cast("enum ev", 5)) == "<cdata 'enum ev' 5: VB>"
    assert ffi.new("struct hold *", {"e": -1}).e == -1
    assert [(n, f.offset) for n, f in ffi.typeof("struct hold").fields] == [
        ("v", 0), ("e", 4), ("arr", 8), ("p", 16), ("x", 20)]
    # a bitfield of a signed enum holds negative values
    assert ffi.new("struct bf *", {"s": -8}).s == -8
    with pytest.raises(OverflowError) as info:
        ffi.new("struct bf *", {"s": 8})
    assert str(info.value) == ("value 8 outside the range allowed by the bit field width: "
                               "-8 <= x <= 7")


def test_verify_takes_an_enums_signedness_from_the_cdef(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)     # (cffi's verify() reads a setup.cfg/pyproject.toml there)
    # cffi's verify() does not ask the compiler (set_source() does, above)
    ffi = FFI()
    ffi.cdef("enum vx { VXA, VXB }; enum vp { VPA, VPB, ... };")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ffi.verify("enum vx { VXA, VXB, VXN = -1 }; enum vp { VPA, VPB, VPN = -1 };",
                   tmpdir=str(tmp_path))
    assert repr(ffi.cast("enum vx", -1)) == "<cdata 'enum vx' 4294967295>"
    assert repr(ffi.cast("enum vp", -1)) == "<cdata 'enum vp' 4294967295>"


# -- typedef T t[...]: the compiler's lengths ----
TYPEDEF_CDEF = """
    typedef int tarr[...];
    typedef int m3[2][...];
    typedef char names_t[...][...];
    struct holds { tarr t; int n; };
    int first_last(tarr);
    extern tarr g_t;
    int last_of(tarr *);
    tarr *get_t(void);
    struct holds_p { tarr *p; };
    extern int other[...];
"""
TYPEDEF_SOURCE = """
    typedef int tarr[6];
    typedef int m3[2][5];
    typedef char names_t[3][7];
    struct holds { tarr t; int n; };
    static int first_last(tarr a) { return a[0] + a[5]; }
    tarr g_t = {1, 0, 0, 0, 0, 2};
    static int last_of(tarr *p) { return (*p)[5]; }
    static tarr *get_t(void) { return &g_t; }
    struct holds_p { tarr *p; };
    int other[10];
"""


@pytest.fixture(scope="module")
def typedefs(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("api_diff_more_typedefs"),
                            "_api_diff_more_typedefs", TYPEDEF_CDEF, TYPEDEF_SOURCE)


def test_a_typedef_of_a_dots_array_takes_the_compilers_lengths(typedefs):
    ffi, lib = typedefs.ffi, typedefs.lib
    int_size = ffi.sizeof("int")
    assert ffi.typeof("tarr") is ffi.typeof("int[6]")
    assert ffi.typeof("m3") is ffi.typeof("int[2][5]")
    assert ffi.typeof("names_t") is ffi.typeof("char[3][7]")
    assert ffi.sizeof("tarr") == 6 * int_size and ffi.sizeof("names_t") == 21
    assert ffi.getctype("tarr") == "int[6]"
    assert ffi.typeof("tarr *") is ffi.typeof("int(*)[6]")
    assert repr(ffi.new("tarr *")) == "<cdata 'int(*)[6]' owning %d bytes>" % (6 * int_size,)
    assert len(ffi.new("tarr", [1, 2])) == 6
    assert ffi.offsetof("struct holds", "n") == 6 * int_size
    assert lib.first_last(ffi.new("tarr", [3, 0, 0, 0, 0, 4])) == 7
    assert ffi.typeof(lib.g_t) is ffi.typeof("int[6]")
    assert lib.g_t[5] == 2


def test_a_pointer_to_a_dots_array_typedef_points_to_the_compilers_array(typedefs):
    ffi, lib = typedefs.ffi, typedefs.lib
    assert ffi.typeof(lib.last_of) is ffi.typeof("int(*)(int(*)[6])")
    assert lib.last_of(ffi.new("tarr *", [0, 0, 0, 0, 0, 9])) == 9
    assert ffi.typeof(lib.get_t()) is ffi.typeof("int(*)[6]")
    assert lib.get_t()[0][5] == 2
    assert ffi.typeof("struct holds_p").fields[0][1].type is ffi.typeof("int(*)[6]")
    # a global `[...]` array of the same item type has its own length
    assert ffi.typeof(lib.other) is ffi.typeof("int[10]")
    assert ffi.typeof(ffi.addressof(lib, "other")) is ffi.typeof("int(*)[10]")


def test_an_included_dots_array_typedef_has_the_compilers_length(tmp_path):
    base = FFI()
    base.cdef("typedef int tarr[...];")
    base.set_source("_api_diff_more_included", "typedef int tarr[6];")
    base.compile(tmpdir=str(tmp_path))
    ffi = FFI()
    ffi.include(base)
    ffi.cdef("struct us { tarr t; int n; }; int pick(tarr *);")
    ffi.set_source("_api_diff_more_includer", "typedef int tarr[6];\n"
                   "struct us { tarr t; int n; };\n"
                   "static int pick(tarr *p) { return (*p)[5]; }")
    ffi.compile(tmpdir=str(tmp_path))
    try:
        module = import_built(tmp_path, "_api_diff_more_includer")
    finally:
        sys.modules.pop("_api_diff_more_included", None)
        sys.modules.pop("_api_diff_more_included.lib", None)
    assert module.ffi.typeof("tarr") is module.ffi.typeof("int[6]")
    assert module.ffi.offsetof("struct us", "n") == 6 * module.ffi.sizeof("int")
    assert module.lib.pick(module.ffi.new("tarr *", [0, 0, 0, 0, 0, 3])) == 3


# -- An opaque struct of a generated module is not read, even as a reference ----
OPAQUE_CDEF = """
    struct a;
    typedef struct b b_t;
    typedef ... opq_t;
    struct a *mk(void);
    b_t *mkb(void);
    opq_t *mko(void);
    int use(struct a *);
    extern struct a gv_a;
"""
OPAQUE_SOURCE = """
    struct a { int x; };
    typedef struct b { int y; } b_t;
    typedef struct { int z; } opq_t;
    static struct a the_a = {7};
    static b_t the_b = {8};
    static opq_t the_o = {9};
    static struct a *mk(void) { return &the_a; }
    static b_t *mkb(void) { return &the_b; }
    static opq_t *mko(void) { return &the_o; }
    static int use(struct a *p) { return p->x; }
    struct a gv_a = {5};
"""


def _opaque_reads(ffi, lib):
    """What reading the opaque structs of `ffi` shows: (error type, message) or a repr."""
    outcomes = []
    for read in (lambda: lib.mk()[0], lambda: lib.mk()[1], lambda: lib.mkb()[0],
                 lambda: lib.mko()[0], lambda: ffi.cast("struct a *", 5)[0],
                 lambda: ffi.cast("opq_t *", 5)[3], lambda: ffi.addressof(lib, "gv_a")[0],
                 lambda: lib.gv_a, lambda: lib.mk().x, lambda: ffi.cast("struct a *", 0)[0],
                 lambda: ffi.cast("struct a *", 5)[2**63]):
        try:
            outcomes.append(("ok", repr(read())))
        except Exception as exc:
            outcomes.append((type(exc).__name__, str(exc)))
    return outcomes


OPAQUE_READS = [
    ("TypeError", "cdata 'struct a' is opaque"), ("TypeError", "cdata 'struct a' is opaque"),
    ("TypeError", "cdata 'struct b' is opaque"), ("TypeError", "cdata 'opq_t' is opaque"),
    ("TypeError", "cdata 'struct a' is opaque"), ("TypeError", "cdata 'opq_t' is opaque"),
    ("TypeError", "cdata 'struct a' is opaque"), ("TypeError", "cdata 'struct a' is opaque"),
    ("AttributeError", "cdata 'struct a *' points to an opaque type: cannot read fields"),
    ("RuntimeError", "cannot dereference null pointer from cdata 'struct a *'"),
    ("IndexError", "cannot fit 'int' into an index-sized integer")]


def test_an_opaque_struct_of_an_api_mode_module_is_not_read(tmp_path):
    module = build_api_module(tmp_path, "_api_diff_opaque", OPAQUE_CDEF, OPAQUE_SOURCE)
    ffi, lib = module.ffi, module.lib
    assert _opaque_reads(ffi, lib) == OPAQUE_READS
    assert lib.use(lib.mk()) == 7                   # the pointer itself is fine
    assert lib.use(ffi.addressof(lib, "gv_a")) == 5


def test_an_opaque_struct_of_an_out_of_line_module_is_not_read(tmp_path):
    builder = FFI()
    builder.cdef("struct a; typedef ... opq_t; struct a *mk(void);")
    builder.set_source("_ool_diff_opaque", None)
    builder.emit_python_code(str(tmp_path / "_ool_diff_opaque.py"))
    ffi = import_built(tmp_path, "_ool_diff_opaque").ffi
    for read, message in ((lambda: ffi.cast("struct a *", 5)[0], "cdata 'struct a' is opaque"),
                          (lambda: ffi.cast("opq_t *", 5)[1], "cdata 'opq_t' is opaque")):
        with pytest.raises(TypeError) as info:
            read()
        assert str(info.value) == message


def test_an_opaque_struct_of_an_in_line_ffi_is_read_as_a_reference_after_verify(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)     # (cffi's verify() reads a setup.cfg/pyproject.toml there)
    ffi = FFI()
    ffi.cdef("struct a; struct a *mk(void);")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # cffi's verify() is deprecated
        lib = ffi.verify("struct a { int x; }; static struct a A = {3};\n"
                         "static struct a *mk(void) { return &A; }", tmpdir=str(tmp_path))
    assert repr(lib.mk()[0]).startswith("<cdata 'struct a &' 0x")
    assert repr(ffi.cast("struct a *", 5)[0]) == "<cdata 'struct a &' 0x5>"
