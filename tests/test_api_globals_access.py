"""Reading and writing the global variables of an API-mode module, type by type: a global
reads and takes values as a struct field of the same type does (the same values, the same
errors), whatever way the lib does it; globals at NULL raise ffi.error; arrays and pointers
read as views of the C memory; thread-local globals are seen per thread; ffi.addressof() of
the lib gives the function pointer itself each time, a new pointer to a variable.
Validated against cffi with PURECFFI_TEST_AGAINST=cffi."""
import math
import shutil

import pytest

from _backend import FFI
from conftest import build_api_module, import_built, run_together

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

TYPES = [("int8_t", "i8"), ("uint8_t", "u8"), ("int16_t", "i16"), ("uint16_t", "u16"),
         ("int32_t", "i32"), ("uint32_t", "u32"), ("int64_t", "i64"), ("uint64_t", "u64"),
         ("float", "f"), ("double", "d"), ("int *", "ip"), ("struct point", "pt"),
         ("_Bool", "b"), ("char", "c"), ("wchar_t", "w"), ("long double", "ld"),
         ("enum color", "e"), ("char *", "s"), ("int(*)(int)", "fp"), ("union u", "un")]


def _decl(ctype, name):
    return "int(*%s)(int)" % (name,) if ctype.startswith("int(*)") else "%s %s" % (ctype, name)


TYPEDEFS = """
    struct point { int x; double y; };
    union u { int i; float f; };
    enum color { RED, GREEN, BLUE = -7 };
    struct holder { %s; };
""" % ("; ".join(_decl(t, n) for t, n in TYPES),)
CDEF = TYPEDEFS + "".join("extern %s;\n" % (_decl(t, "g" + n),) for t, n in TYPES) + """
    extern int garr[10];
    extern double gdarr[3];
    extern struct point gptarr[2];
    extern int gnull_i; extern double gnull_d; extern struct point gnull_pt;
    extern unsigned short gnull_u; extern char *gnull_s;
    extern int gtls[4];
    int twice(int);
    int add(int, int);
    int read_garr(int);
"""
SOURCE = "#include <stdint.h>\n#include <wchar.h>\n" + TYPEDEFS + "".join(
    "%s;\n" % (_decl(t, "g" + n),) for t, n in TYPES) + """
    int garr[10];
    double gdarr[3] = {0.5, 1.5, 2.5};
    struct point gptarr[2] = {{1, 1.5}, {2, 2.5}};
    static int *p_null; static double *pd_null; static struct point *ppt_null;
    static unsigned short *pu_null; static char **ps_null;
    #define gnull_i (*p_null)
    #define gnull_d (*pd_null)
    #define gnull_pt (*ppt_null)
    #define gnull_u (*pu_null)
    #define gnull_s (*ps_null)
    __thread int gtls[4];
    int twice(int x) { return 2 * x; }
    int add(int x, int y) { return x + y; }
    int read_garr(int i) { return garr[i]; }
"""


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("api_globals_access"),
                            "_api_globals_access", CDEF, SOURCE)


def _outcome(ffi, target, name, value):
    """What writing `value` then reading gives: ('ok', the value read as comparable) or
    (error class name, message)."""
    try:
        setattr(target, name, value)
        got = getattr(target, name)
    except Exception as exc:
        return type(exc).__name__, str(exc)
    if isinstance(got, ffi.CData):
        ctype = ffi.typeof(got)
        if ctype.kind == "struct":
            return "ok", (got.x, got.y)
        if ctype.kind == "union":
            return "ok", got.i
        if ctype.kind == "primitive":     # long double
            got = float(got)
            return "ok", "nan" if math.isnan(got) else got
        return "ok", (ctype.cname, int(ffi.cast("intptr_t", got)))
    if isinstance(got, float) and math.isnan(got):
        return "ok", "nan"
    return "ok", got


def _values(ffi):
    point = ffi.new("struct point *", [3, 4.5])
    return [0, 1, -1, 127, 128, -128, -129, 255, 256, 2**15, 2**16, 2**31 - 1, 2**31, -2**31,
            -2**31 - 1, 2**32, 2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64 - 1, 2**64, True,
            1.5, -0.0, 1e300, -1e300, float("inf"), float("nan"), 3.4028235e38, 3.4028236e38,
            "x", b"x", None, [1, 2.5], {"y": 7.5}, (1,), ffi.NULL, point, point[0],
            ffi.new("int *", 5), ffi.new("int[3]"), ffi.new("long *"), ffi.cast("int", 9),
            ffi.cast("double", 2.5), ffi.new("union u *", [4])[0], ffi.cast("enum color", 1),
            ffi.new("struct holder *")[0], ffi.new("char[]", b"ab")]


@pytest.mark.parametrize("ctype, field", TYPES)
def test_a_global_takes_what_a_field_takes(module, ctype, field):
    ffi, lib = module.ffi, module.lib
    holder = ffi.new("struct holder *")
    for value in _values(ffi):
        expected = _outcome(ffi, holder, field, value)
        assert _outcome(ffi, lib, "g" + field, value) == expected, (ctype, value)


def test_numbers_at_their_bounds(module):
    lib = module.lib
    for name, bits, signed in [("i8", 8, 1), ("u8", 8, 0), ("i16", 16, 1), ("u16", 16, 0),
                               ("i32", 32, 1), ("u32", 32, 0), ("i64", 64, 1), ("u64", 64, 0)]:
        low, high = (-2 ** (bits - 1), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
        for value in (low, high, low + 1, high - 1, 0):
            setattr(lib, "g" + name, value)
            assert getattr(lib, "g" + name) == value
        for value in (low - 1, high + 1):
            with pytest.raises(OverflowError):
                setattr(lib, "g" + name, value)
            assert getattr(lib, "g" + name) == 0    # (left as it was)


def test_float_rounds_and_overflows_to_infinity(module):
    ffi, lib = module.ffi, module.lib
    lib.gf = 0.1
    assert lib.gf == ffi.cast("float", 0.1) and lib.gf != 0.1
    lib.gf = 1e300
    assert lib.gf == float("inf")
    lib.gf = -1e300
    assert lib.gf == float("-inf")
    lib.gd = 0.1
    assert lib.gd == 0.1
    lib.gd = 7          # an int: converted
    assert lib.gd == 7.0 and type(lib.gd) is float


def test_struct_global_copies_and_views(module):
    ffi, lib = module.ffi, module.lib
    lib.gpt = ffi.new("struct point *", [3, 4.5])[0]
    view = lib.gpt
    assert ffi.typeof(view) is ffi.typeof("struct point")
    assert (view.x, view.y) == (3, 4.5)
    lib.gpt = [5, 6.5]
    assert (view.x, view.y) == (5, 6.5)     # a view of the C memory, not a copy
    lib.gpt = {"x": 8}      # (the fields not named are left as they are)
    assert (lib.gpt.x, lib.gpt.y) == (8, 6.5)
    lib.gpt = lib.gpt       # onto itself
    assert (lib.gpt.x, lib.gpt.y) == (8, 6.5)
    view.x = 11
    assert lib.gpt.x == 11
    assert ffi.addressof(lib.gpt) == ffi.addressof(lib, "gpt")
    with pytest.raises(TypeError):
        lib.gpt = ffi.new("struct point *")     # a pointer is no struct
    with pytest.raises(TypeError):
        lib.gpt = lib.gun


def test_pointer_global_reads_what_it_holds(module):
    ffi, lib = module.ffi, module.lib
    lib.gip = ffi.NULL
    assert lib.gip == ffi.NULL and ffi.typeof(lib.gip) is ffi.typeof("int *")
    target = ffi.new("int *", 42)
    lib.gip = target
    assert lib.gip == target and lib.gip[0] == 42
    items = ffi.new("int[3]", [7, 8, 9])
    lib.gip = items     # an array of its items
    assert lib.gip[2] == 9
    lib.gip = ffi.cast("int *", 1)      # unaligned: read as any other pointer
    assert int(ffi.cast("intptr_t", lib.gip)) == 1
    lib.gs = ffi.NULL
    assert lib.gs == ffi.NULL
    lib.gfp = lib.twice
    assert lib.gfp(21) == 42
    with pytest.raises(TypeError):
        lib.gip = ffi.new("long *")
    lib.gip = ffi.NULL


def test_array_global_is_a_view_of_its_items(module):
    ffi, lib = module.ffi, module.lib
    arr = lib.garr
    assert ffi.typeof(arr) is ffi.typeof("int[10]") and len(arr) == 10
    for i in range(10):
        lib.garr[i] = i * 3
    assert [lib.garr[i] for i in range(10)] == [i * 3 for i in range(10)]
    assert [lib.read_garr(i) for i in range(10)] == [i * 3 for i in range(10)]
    assert list(arr) == list(lib.garr) and list(lib.garr[2:5]) == [6, 9, 12]
    lib.garr = list(range(10, 20))
    assert arr[9] == 19 and lib.garr[0] == 10
    lib.garr[1:3] = [100, 200]
    assert lib.read_garr(2) == 200
    with pytest.raises(IndexError):
        lib.garr[10]
    with pytest.raises(IndexError):
        lib.garr[-1]
    with pytest.raises(TypeError):
        lib.garr[0] = "x"
    with pytest.raises(OverflowError):
        lib.garr[0] = 2**31
    assert lib.garr[0] == 10
    assert list(lib.gdarr) == [0.5, 1.5, 2.5]
    assert (lib.gptarr[1].x, lib.gptarr[1].y) == (2, 2.5)
    lib.gptarr[0] = [9, 9.5]
    assert lib.gptarr[0].y == 9.5
    assert lib.garr is not lib.garr and lib.garr == lib.garr    # a new cdata each time


@pytest.mark.parametrize("name, value", [("gnull_i", 1), ("gnull_d", 1.5),
                                         ("gnull_pt", [1, 2.0]), ("gnull_u", 3),
                                         ("gnull_s", None)])
def test_globals_at_null_raise(module, name, value):
    ffi, lib = module.ffi, module.lib
    message = "global variable '%s' is at address NULL" % (name,)
    with pytest.raises(ffi.error) as info:
        getattr(lib, name)
    assert str(info.value) == message
    with pytest.raises(ffi.error) as info:
        setattr(lib, name, value if name != "gnull_s" else ffi.NULL)
    assert str(info.value) == message
    with pytest.raises(ffi.error) as info:
        ffi.addressof(lib, name)
    assert str(info.value) == message


def test_lib_attribute_writes_that_are_refused(module):
    lib = module.lib
    with pytest.raises(AttributeError) as info:
        lib.twice = 5
    assert str(info.value) == "cannot write to function or constant 'twice'"
    with pytest.raises(AttributeError) as info:
        lib.RED = 5
    assert str(info.value) == "cannot write to function or constant 'RED'"
    with pytest.raises(AttributeError) as info:
        lib.nope = 5
    assert "has no function, constant or global variable named 'nope'" in str(info.value)
    with pytest.raises(AttributeError) as info:
        del lib.gi32
    assert str(info.value) == "C attribute cannot be deleted"
    with pytest.raises(AttributeError):
        del lib.nope


def test_thread_local_globals_are_per_thread(module):
    """Each thread sees its own `__thread` array, item views included (the view of the
    items is made for the address of the thread's own array)."""
    lib = module.lib

    def work(i):
        for round_ in range(50):
            for k in range(4):
                lib.gtls[k] = i * 1000 + round_ * 10 + k
            if [lib.gtls[k] for k in range(4)] != [i * 1000 + round_ * 10 + k
                                                   for k in range(4)]:
                return "mixed"
            if list(lib.gtls) != [i * 1000 + round_ * 10 + k for k in range(4)]:
                return "mixed"
        return "ok"
    assert run_together(work) == ["ok"] * 8


def test_first_reads_in_threads(tmp_path):
    """Globals first read by threads started together: every thread sees the values."""
    mod = build_api_module(tmp_path, "_api_globals_first",
                           "extern int fa[8]; extern double fd; extern struct p { int x; } fs;",
                           "int fa[8] = {0, 1, 2, 3, 4, 5, 6, 7}; double fd = 2.5;"
                           "struct p { int x; } fs = {9};")
    lib = mod.lib

    def work(i):
        return [lib.fa[k] for k in range(8)], lib.fd, lib.fs.x, list(lib.fa)
    assert run_together(work) == [(list(range(8)), 2.5, 9, list(range(8)))] * 8


def test_addressof_of_the_lib(module):
    ffi, lib = module.ffi, module.lib
    assert ffi.addressof(lib, "add") is ffi.addressof(lib, "add")
    assert ffi.addressof(lib, "add")(2, 3) == 5
    first, second = ffi.addressof(lib, "gi32"), ffi.addressof(lib, "gi32")
    assert first is not second and first == second
    lib.gi32 = 17
    assert first[0] == 17 and ffi.typeof(first) is ffi.typeof("int32_t *")
    assert ffi.addressof(lib, "garr")[0][3] == lib.garr[3]
    assert ffi.typeof(ffi.addressof(lib, "garr")) is ffi.typeof("int(*)[10]")
    with pytest.raises(TypeError):
        ffi.addressof(lib)
    with pytest.raises(TypeError):
        ffi.addressof(lib, "add", "x")
    with pytest.raises(TypeError):
        ffi.addressof(lib, 5)
    with pytest.raises(AttributeError):
        ffi.addressof(lib, "nope")
    with pytest.raises(AttributeError):
        ffi.addressof(lib, "RED")


def test_addressof_of_cdata(module):
    ffi, lib = module.ffi, module.lib
    point = ffi.new("struct point *", [1, 2.5])
    assert ffi.addressof(point[0]) == point
    assert ffi.typeof(ffi.addressof(point[0])) is ffi.typeof("struct point *")
    assert ffi.addressof(point[0], "y") == ffi.cast("double *", ffi.addressof(point[0], "y"))
    assert ffi.addressof(point, "y")[0] == 2.5
    assert ffi.addressof(lib.garr, 3)[0] == lib.garr[3]
    assert ffi.typeof(ffi.addressof(lib.garr)) is ffi.typeof("int(*)[10]")
    with pytest.raises(TypeError):
        ffi.addressof(point)
    with pytest.raises(TypeError):
        ffi.addressof(5)


def test_globals_of_an_included_module(tmp_path):
    """The including module's lib reads and writes the included module's globals."""
    base = FFI()
    base.cdef("extern int inc_i; extern double inc_d; struct ip { int x; }; "
              "extern struct ip inc_s; extern int inc_a[3];")
    base.set_source("_api_ga_base", "int inc_i = 3; double inc_d = 1.5; "
                    "struct ip { int x; } inc_s = {4}; int inc_a[3] = {1, 2, 3};")
    base.compile(tmpdir=str(tmp_path))
    top = FFI()
    top.include(base)
    top.cdef("int top_f(void);")
    top.set_source("_api_ga_top", "struct ip { int x; }; int top_f(void) { return 8; }")
    top.compile(tmpdir=str(tmp_path))
    base_lib, top_lib = import_built(tmp_path, "_api_ga_base").lib, \
        import_built(tmp_path, "_api_ga_top").lib
    assert (top_lib.inc_i, top_lib.inc_d, top_lib.inc_s.x, list(top_lib.inc_a)) == \
        (3, 1.5, 4, [1, 2, 3])
    top_lib.inc_i, top_lib.inc_d, top_lib.inc_s, top_lib.inc_a[1] = 30, 2.5, [40], 20
    assert (base_lib.inc_i, base_lib.inc_d, base_lib.inc_s.x, list(base_lib.inc_a)) == \
        (30, 2.5, 40, [1, 20, 3])
    with pytest.raises(OverflowError):
        top_lib.inc_i = 2**31
    with pytest.raises(TypeError):
        top_lib.inc_d = "x"
    assert top_lib.top_f() == 8


def test_a_global_the_compiler_contradicts_raises_when_used(tmp_path):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mod = build_api_module(tmp_path, "_api_ga_wrong",
                               "struct bad { int a; }; extern struct bad wrong_g; int right_g;",
                               "struct bad { long long a; int b; } wrong_g; int right_g = 6;")
    ffi, lib = mod.ffi, mod.lib
    for action in (lambda: lib.wrong_g, lambda: setattr(lib, "wrong_g", 1)):
        with pytest.raises(ffi.error) as info:
            action()
        assert "struct bad" in str(info.value)
    lib.right_g = 7
    assert lib.right_g == 7


def test_function_pointer_made_once_by_threads(tmp_path):
    """ffi.addressof(lib, name) of a function asked first by threads started together: all
    get the one pointer, which calls the function."""
    mod = build_api_module(tmp_path, "_api_ga_fnptr", "int triple(int); int quad(int);",
                           "int triple(int x) { return 3 * x; }"
                           "int quad(int x) { return 4 * x; }")
    ffi, lib = mod.ffi, mod.lib
    results = run_together(lambda i: (ffi.addressof(lib, "triple"), ffi.addressof(lib, "quad")))
    assert all(r[0] is results[0][0] and r[1] is results[0][1] for r in results)
    assert results[0][0](5) == 15 and results[0][1](5) == 20
    assert ffi.addressof(lib, "triple") is results[0][0]
