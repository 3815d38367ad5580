"""API mode: set_source() + compile() build a C extension module; its ffi and lib (spec 5.2.3-5.5,
8.3-8.6).  Modules are compiled once per module-scoped fixture and imported from tmp dirs."""
import os
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest

from _backend import FFI, IS_CFFI, VerificationError
from conftest import limited_api_only

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")


def build(tmpdir, name, cdef, source, **kwds):
    """Compile module `name` into `tmpdir` and import it (removed from sys.modules later)."""
    ffi = FFI()
    ffi.cdef(cdef)
    ffi.set_source(name, source, **kwds)
    path = ffi.compile(tmpdir=str(tmpdir))
    assert os.path.exists(path)
    return import_from(tmpdir, name)


def import_from(tmpdir, name):
    sys.path.insert(0, str(tmpdir))
    try:
        __import__(name)
        return sys.modules[name]
    finally:
        sys.path.remove(str(tmpdir))


@pytest.fixture(scope="module", autouse=True)
def _clean_modules():
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.startswith(("_api_", "_pi", "_example", "pkg_api")):
            del sys.modules[name]


# -- Spec examples ----
def test_spec_5_2_3_passwd(tmp_path):
    mod = build(tmp_path, "_api_example", """
        struct passwd {
            char *pw_name;
            ...; // literally dot-dot-dot
        };
        struct passwd *getpwuid(int uid); // defined in <pwd.h>
        struct passwd *get_pw_for_root(void); // defined in set_source()
    """, r"""
        #include <sys/types.h>
        #include <pwd.h>
        static struct passwd *get_pw_for_root(void) {
            return getpwuid(0);
        }
    """, libraries=[])
    ffi, lib = mod.ffi, mod.lib
    p = lib.getpwuid(0)
    assert ffi.string(p.pw_name) == b'root'
    p = lib.get_pw_for_root()
    assert ffi.string(p.pw_name) == b'root'
    assert ffi.sizeof("struct passwd") > ffi.sizeof("char *")


def test_spec_5_2_4_pi_from_c_sources(tmp_path):
    (tmp_path / "pi.c").write_text(r"""
        #include <stdlib.h>
        #include <math.h>
        float pi_approx(int n) {
            double i, x, y, sum = 0;
            for (i = 0; i < n; i++) {
                x = rand(); y = rand();
                if (sqrt(x*x + y*y) < sqrt((double)RAND_MAX*RAND_MAX)) sum++;
            }
            return 4*(float)sum/(float)n;
        }
    """)
    (tmp_path / "pi.h").write_text("float pi_approx(int n);\n")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        build(tmp_path, "_pi", "float pi_approx(int n);", '#include "pi.h"',
              sources=['pi.c'], libraries=['m'])
    finally:
        os.chdir(old)
    from _pi.lib import pi_approx
    approx = pi_approx(10)
    assert str(approx).startswith("3.") or str(approx).startswith("2.") or approx > 2
    approx = pi_approx(10000)
    assert str(approx).startswith("3.1")


def test_spec_5_2_5_performance_example(tmp_path):
    mod = build(tmp_path, "_api_perf", "int foo(int *, int *, int);", r"""
        static int foo(int *buffer_in, int *buffer_out, int x)
        {
            int i;
            for (i = 0; i < x; i++) buffer_out[i] = 2 * buffer_in[i];
            return x;
        }
    """)
    ffi, lib = mod.ffi, mod.lib
    buffer_in = ffi.new("int[]", 1000)
    for i in range(1000):
        buffer_in[i] = i
    buffer_out = ffi.new("int[]", 1000)
    assert lib.foo(buffer_in, buffer_out, 1000) == 1000
    assert buffer_out[999] == 1998


def test_spec_8_6_include_between_api_modules(tmp_path):
    other = FFI()
    other.cdef("typedef struct { int a; ...; } shared_t;\n#define SHARED_K ...\n"
               "int base_func(int); extern int base_var;\n"
               "typedef int... count_t; enum shared_e { SHARED_E = 2 };")
    other.set_source("_api_inc_base", "typedef struct { long pad; int a; } shared_t;\n"
                                      "#define SHARED_K 12\n"
                                      "static int base_func(int x) { return -x; }\n"
                                      "int base_var = 3;\ntypedef short count_t;\n"
                                      "enum shared_e { SHARED_E = 2 };")
    other.compile(tmpdir=str(tmp_path))
    ffi = FFI()
    ffi.include(other)
    ffi.cdef("int get_a(shared_t *); count_t count(count_t);")
    ffi.set_source("_api_inc_top", "typedef struct { long pad; int a; } shared_t;\n"
                                   "#define SHARED_K 12\ntypedef short count_t;\n"
                                   "enum shared_e { SHARED_E = 2 };\n"
                                   "static int get_a(shared_t *s) { return s->a; }\n"
                                   "static count_t count(count_t c) { return c; }")
    ffi.compile(tmpdir=str(tmp_path))
    mod = import_from(tmp_path, "_api_inc_top")
    p = mod.ffi.new("shared_t *", {"a": 5})
    assert mod.lib.get_a(p) == 5
    assert mod.ffi.offsetof("shared_t", "a") == 8
    assert import_from(tmp_path, "_api_inc_base").lib.SHARED_K == 12
    # "In API mode, you can also see the functions and global variables directly"
    assert mod.lib.SHARED_K == 12
    assert mod.lib.base_func(4) == -4
    mod.lib.base_var = 8
    assert import_from(tmp_path, "_api_inc_base").lib.base_var == 8
    # ... but dir() lists only its own names and the included enumerators, as cffi's
    assert sorted(dir(mod.lib)) == ["SHARED_E", "count", "get_a"]
    assert sorted(mod.lib.__dict__) == ["SHARED_E", "count", "get_a"]     # (so is __dict__)
    assert mod.lib.count.__doc__.startswith("int16_t count(int16_t);")     # the compiler's


# -- A rich module, built once ----
RICH_CDEF = r"""
    /* gaps the compiler fills */
    struct gap { int b; char a; ...; };
    typedef struct { double z; ...; } anon_t;
    typedef int... small_t;
    typedef unsigned long... big_t;
    typedef float... real_t;
    #define ANSWER ...
    #define NEGATIVE ...
    #define HUGE_U ...
    static const int SCONST;
    static const double PI_C;
    static const char *const GREETING;
    enum fuzzy { F_ONE, F_TWO, ... };
    enum exact { E_A, E_B = 10, E_C };
    extern int table[...];
    extern int grid[...][...];
    struct holder { int n; int items[...]; ...; };

    /* exact structs and unions, by value */
    struct pt { int x, y; };
    union num { int i; float f; };
    struct pt make_pt(int x, int y);
    int sum_pt(struct pt p);
    union num int_num(int i);
    int num_int(union num n);
    long double ld_twice(long double x);
    double _Complex cplx(double re, double im);
    double cplx_abs2(double _Complex c);

    /* numbers: the fast path */
    int add(int, int);
    short neg16(short);
    unsigned char uc(unsigned char);
    long long mul64(long long, long long);
    unsigned long long umax(void);
    double half(double);
    float fhalf(float);
    void nothing(void);
    int set_errno(int);
    int8_t i8(int8_t);
    size_t sz(size_t);
    small_t small_ident(small_t);
    long misdeclared(long);     /* really takes and returns short */

    /* other calls */
    int str_len(const char *);
    int apply(int (*f)(int), int);
    int twice(int);
    int sum_ints(int n, ...);
    void fill(int *, int);

    /* globals */
    extern int counter;
    extern struct pt origin;
    extern char name[16];
    extern const int readonly_items[3];
    int *const counter_ptr;

    /* more kinds */
    static const struct pt ORIGIN_C;
    extern int (*fnptr_global)(int);
    enum exact pick(enum exact);
    char next_char(char);
    _Bool negate(_Bool);
    wchar_t wide(wchar_t);
    extern struct pt pts[2];
    typedef enum { TD_X = 4 } td_enum;
    int td(td_enum);

    /* extern "Python" */
    extern "Python" int rich_cb(int, struct pt);
    extern "Python+C" void rich_void_cb(double);
    int call_rich_cb(int);
"""

RICH_SOURCE = r"""
    #include <errno.h>
    #include <stdarg.h>
    #include <string.h>
    #include <complex.h>
    struct gap { char a; long pad; int b; };
    typedef struct { char c; double z; } anon_t;
    typedef short small_t;
    typedef unsigned long big_t;
    typedef double real_t;
    #define ANSWER 42
    #define NEGATIVE (-5)
    #define HUGE_U 0xFFFFFFFFFFFFFFFFULL
    static const int SCONST = 1234;
    static const double PI_C = 3.25;
    static const char *const GREETING = "hello";
    enum fuzzy { F_TWO = 7, F_ZERO = 0, F_ONE = 3 };
    enum exact { E_A, E_B = 10, E_C };
    int table[11];
    int grid[3][5];
    struct holder { int n; long x; int items[6]; };

    struct pt { int x, y; };
    union num { int i; float f; };
    static struct pt make_pt(int x, int y) { struct pt p; p.x = x; p.y = y; return p; }
    static int sum_pt(struct pt p) { return p.x + p.y; }
    static union num int_num(int i) { union num n; n.i = i; return n; }
    static int num_int(union num n) { return n.i; }
    static long double ld_twice(long double x) { return 2 * x; }
    static double _Complex cplx(double re, double im) { return re + im * I; }
    static double cplx_abs2(double _Complex c) { return creal(c)*creal(c) + cimag(c)*cimag(c); }

    static int add(int a, int b) { return a + b; }
    static short neg16(short a) { return (short)-a; }
    static unsigned char uc(unsigned char a) { return (unsigned char)(a + 1); }
    static long long mul64(long long a, long long b) { return a * b; }
    static unsigned long long umax(void) { return 0xFFFFFFFFFFFFFFFFULL; }
    static double half(double x) { return x / 2; }
    static float fhalf(float x) { return x / 2; }
    static void nothing(void) { }
    static int set_errno(int e) { errno = e; return -1; }
    static int8_t i8(int8_t x) { return x; }
    static size_t sz(size_t x) { return x + 1; }
    static small_t small_ident(small_t x) { return x; }
    static short misdeclared(short x) { return (short)(x * 2); }

    static int str_len(const char *s) { return (int)strlen(s); }
    static int apply(int (*f)(int), int x) { return f(x); }
    static int twice(int x) { return 2 * x; }
    static int sum_ints(int n, ...) {
        va_list ap; int i, s = 0;
        va_start(ap, n);
        for (i = 0; i < n; i++) s += va_arg(ap, int);
        va_end(ap);
        return s;
    }
    static void fill(int *p, int n) { int i; for (i = 0; i < n; i++) p[i] = i * i; }

    int counter = 7;
    struct pt origin = {1, 2};
    char name[16] = "purecffi";
    const int readonly_items[3] = {4, 5, 6};
    int *const counter_ptr = &counter;

    #include <stdbool.h>
    #include <wchar.h>
    static const struct pt ORIGIN_C = {7, 8};
    int (*fnptr_global)(int) = twice;
    static enum exact pick(enum exact e) { return e == E_A ? E_C : E_A; }
    static char next_char(char c) { return (char)(c + 1); }
    static bool negate(bool b) { return !b; }
    static wchar_t wide(wchar_t w) { return w + 1; }
    struct pt pts[2] = {{1, 2}, {3, 4}};
    typedef enum { TD_X = 4 } td_enum;
    static int td(td_enum e) { return (int)e * 2; }

    static int rich_cb(int, struct pt);
    void rich_void_cb(double);
    static int call_rich_cb(int x) { rich_void_cb(x); return rich_cb(x, origin); }
"""


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rich")
    return build(tmp, "_api_rich", RICH_CDEF, RICH_SOURCE)


@pytest.fixture(scope="module")
def rich_c_file(tmp_path_factory):
    ffi = FFI()
    ffi.cdef(RICH_CDEF)
    ffi.set_source("_api_rich_emit", RICH_SOURCE)
    path = tmp_path_factory.mktemp("emit") / "_api_rich_emit.c"
    ffi.emit_c_code(str(path))
    return path


def _python_include():
    return sysconfig.get_paths()["include"]


@pytest.mark.skipif(IS_CFFI, reason="purecffi's own warning-free promise")
def test_generated_c_is_warning_free(rich_c_file):
    proc = subprocess.run(["gcc", "-Wall", "-Wextra", "-Werror", "-fPIC", "-c",
                           str(rich_c_file), "-I" + _python_include(), "-o",
                           str(rich_c_file) + ".o"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_generated_c_starts_with_python_h_and_source(rich_c_file):
    text = rich_c_file.read_text()
    assert "#include <Python.h>" in text
    assert RICH_SOURCE.strip().splitlines()[0].strip() in text
    assert text.index("#include <Python.h>") < text.index("struct gap { char a;")


def test_emit_c_code_keeps_mtime_when_unchanged(tmp_path):
    ffi = FFI()
    ffi.cdef("int f(int);")
    ffi.set_source("_api_mtime", "static int f(int x) { return x; }")
    path = str(tmp_path / "m.c")
    ffi.emit_c_code(path)
    os.utime(path, (1000000, 1000000))
    ffi.emit_c_code(path)
    assert os.stat(path).st_mtime == 1000000


# gap filling
def test_partial_struct_gets_compiler_layout(rich):
    ffi = rich.ffi
    assert ffi.offsetof("struct gap", "a") == 0
    assert ffi.offsetof("struct gap", "b") == 16
    assert ffi.sizeof("struct gap") == 24
    p = ffi.new("struct gap *", {"a": b"x", "b": 9})
    assert p.a == b"x" and p.b == 9
    assert ffi.offsetof("anon_t", "z") == 8
    assert ffi.sizeof("anon_t") == 16


def test_dots_array_in_struct(rich):
    ffi = rich.ffi
    assert ffi.typeof("struct holder").fields[1][1].type == ffi.typeof("int[6]") or \
        len(ffi.new("struct holder *").items) == 6
    assert ffi.offsetof("struct holder", "items") == 16


def test_unknown_number_types(rich):
    ffi, lib = rich.ffi, rich.lib
    assert ffi.sizeof("small_t") == 2
    assert ffi.sizeof("big_t") == ffi.sizeof("unsigned long")
    assert ffi.cast("big_t", -1) == 2 ** (8 * ffi.sizeof("long")) - 1
    assert ffi.cast("small_t", -1) == -1
    assert ffi.sizeof("real_t") == 8
    assert lib.small_ident(-300) == -300


def test_constants(rich):
    lib = rich.lib
    assert lib.ANSWER == 42
    assert lib.NEGATIVE == -5
    assert lib.HUGE_U == 2 ** 64 - 1
    assert lib.SCONST == 1234
    assert lib.PI_C == 3.25
    assert rich.ffi.string(lib.GREETING) == b"hello"


def test_enums(rich):
    ffi, lib = rich.ffi, rich.lib
    assert (lib.F_ONE, lib.F_TWO) == (3, 7)
    assert (lib.E_A, lib.E_B, lib.E_C) == (0, 10, 11)
    assert ffi.string(ffi.cast("enum fuzzy", 7)) == "F_TWO"


def test_dots_arrays_globals(rich):
    ffi, lib = rich.ffi, rich.lib
    assert len(lib.table) == 11
    assert ffi.sizeof(lib.grid) == 15 * ffi.sizeof("int")
    assert len(lib.grid) == 3 and len(lib.grid[0]) == 5
    lib.table[10] = 99
    assert lib.table[10] == 99


# calls
def test_struct_and_union_by_value(rich):
    ffi, lib = rich.ffi, rich.lib
    p = lib.make_pt(3, 4)
    assert ffi.typeof(p) is ffi.typeof("struct pt")
    assert (p.x, p.y) == (3, 4)
    assert lib.sum_pt(p) == 7
    assert lib.sum_pt({"x": 10, "y": 5}) == 15
    n = lib.int_num(77)
    assert n.i == 77
    assert lib.num_int(n) == 77


def test_long_double_and_complex(rich):
    ffi, lib = rich.ffi, rich.lib
    assert float(lib.ld_twice(1.25)) == 2.5
    assert lib.cplx(1.0, 2.0) == 1 + 2j
    assert lib.cplx_abs2(3 + 4j) == 25.0


def test_fast_functions(rich):
    lib = rich.lib
    assert lib.add(2, 3) == 5
    assert lib.add(-2**31, 0) == -2**31
    assert lib.neg16(5) == -5
    assert lib.uc(255) == 0
    assert lib.mul64(2**31, 2**31) == 2**62
    assert lib.umax() == 2**64 - 1
    assert lib.half(3.0) == 1.5
    assert lib.half(3) == 1.5
    assert lib.fhalf(1.0) == 0.5
    assert lib.nothing() is None
    assert lib.i8(-128) == -128
    assert lib.sz(2**64 - 2) == 2**64 - 1
    assert lib.misdeclared(21) == 42         # the compiler converts long <-> short


def test_fast_function_errors(rich):
    lib = rich.lib
    with pytest.raises(OverflowError):
        lib.add(2**31, 1)
    with pytest.raises(OverflowError):
        lib.neg16(40000)
    with pytest.raises(OverflowError):
        lib.uc(-1)
    with pytest.raises(OverflowError):
        lib.umax(1) if False else lib.sz(-1)
    with pytest.raises(TypeError):
        lib.add(1.5, 2)
    with pytest.raises(TypeError):
        lib.add("1", 2)
    with pytest.raises(TypeError):
        lib.add(1)
    with pytest.raises(TypeError):
        lib.half("x")


def test_fast_function_accepts_cdata_numbers(rich):
    ffi, lib = rich.ffi, rich.lib
    assert lib.add(ffi.cast("int", 6), True) == 7
    assert lib.add(1, ffi.cast("long", 2)) == 3
    assert lib.half(ffi.cast("double", 5.0)) == 2.5


def test_errno(rich):
    ffi, lib = rich.ffi, rich.lib
    assert lib.set_errno(33) == -1
    assert ffi.errno == 33
    ffi.errno = 0


def test_doc_gives_signature(rich):
    assert rich.lib.add.__doc__.startswith("int add(int, int);")
    assert rich.ffi.typeof(rich.ffi.addressof(rich.lib, "add")).cname == "int(*)(int, int)"


def test_pointer_and_callback_args(rich):
    ffi, lib = rich.ffi, rich.lib
    assert lib.str_len(b"hello") == 5
    assert lib.apply(ffi.addressof(lib, "twice"), 21) == 42
    cb = ffi.callback("int(int)", lambda x: x + 1)
    assert lib.apply(cb, 1) == 2
    arr = ffi.new("int[5]")
    lib.fill(arr, 5)
    assert list(arr) == [0, 1, 4, 9, 16]


def test_variadic(rich):
    ffi, lib = rich.ffi, rich.lib
    assert lib.sum_ints(3, ffi.cast("int", 1), ffi.cast("int", 2), ffi.cast("int", 3)) == 6


# globals
def test_global_variables(rich):
    ffi, lib = rich.ffi, rich.lib
    assert lib.counter == 7
    lib.counter = 8
    assert lib.counter == 8
    assert lib.counter_ptr[0] == 8
    assert (lib.origin.x, lib.origin.y) == (1, 2)
    lib.origin = {"x": 5, "y": 6}
    assert lib.make_pt(0, 0).x == 0 and lib.origin.y == 6
    assert ffi.string(lib.name) == b"purecffi"
    lib.name = b"abc"
    assert ffi.string(lib.name) == b"abc"
    assert list(lib.readonly_items) == [4, 5, 6]
    p = ffi.addressof(lib, "counter")
    assert ffi.typeof(p) is ffi.typeof("int *")
    p[0] = 100
    assert lib.counter == 100
    assert ffi.typeof(ffi.addressof(lib, "origin")) is ffi.typeof("struct pt *")


# the lib object
def test_lib_introspection(rich):
    lib = rich.lib
    names = dir(lib)
    assert "add" in names and "counter" in names and "ANSWER" in names
    assert lib.__name__ == "_api_rich.lib"
    assert "add" in lib.__all__ and "counter" not in lib.__all__
    d = lib.__dict__
    assert d["ANSWER"] == 42 and "add" in d and "counter" in d
    assert sys.modules["_api_rich.lib"] is lib
    from _api_rich.lib import add, ANSWER
    assert add(1, 1) == 2 and ANSWER == 42


def test_lib_is_read_only_except_globals(rich):
    lib = rich.lib
    with pytest.raises(AttributeError):
        lib.add = 5
    with pytest.raises(AttributeError):
        lib.ANSWER = 5
    with pytest.raises(AttributeError):
        lib.not_declared = 5
    with pytest.raises(AttributeError):
        lib.not_declared
    with pytest.raises(AttributeError):
        rich.ffi.addressof(lib, "ANSWER")


def test_typeof_of_lib_function(rich):
    ffi = rich.ffi
    assert ffi.typeof(ffi.addressof(rich.lib, "sum_pt")) is ffi.typeof("int(*)(struct pt)")


def test_no_parser_at_import(rich):
    directory = os.path.dirname(rich.__file__)
    code = ("import sys; sys.path.insert(0, %r); import _api_rich; "
            "assert _api_rich.lib.add(1, 2) == 3; "
            "print('pycparser' in sys.modules)" % (directory,))
    env = dict(os.environ)
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    if not IS_CFFI:
        assert proc.stdout.strip() == "False"


# -- C++ ----
def test_cplusplus_module(tmp_path):
    mod = build(tmp_path, "_api_cpp", """
        struct cpt { int x; ...; };
        int somefunc(int);
        struct cpt mk(int);
        extern "Python" int py_cb(int);
        int call_py(int);
        #define CPP_K ...
    """, r'''
        #include <vector>
        static int real_cpp_func(int a) { std::vector<int> v(a, 2); return (int)v.size() * 2; }
        struct cpt { double pad; int x; };
        extern "C" {
            int somefunc(int somearg) { return real_cpp_func(somearg); }
        }
        static cpt mk(int x) { cpt c; c.pad = 0; c.x = x; return c; }
        static int py_cb(int);
        static int call_py(int x) { return py_cb(x) + 1; }
        #define CPP_K 5
    ''', source_extension='.cpp')
    ffi, lib = mod.ffi, mod.lib
    assert lib.somefunc(4) == 8
    assert lib.mk(3).x == 3
    assert ffi.offsetof("struct cpt", "x") == 8
    assert lib.CPP_K == 5

    @ffi.def_extern()
    def py_cb(x):
        return x * 10
    assert lib.call_py(4) == 41


@pytest.mark.skipif(IS_CFFI, reason="purecffi's own warning-free promise")
def test_cplusplus_warning_free(rich_c_file, tmp_path):
    if shutil.which("g++") is None:
        pytest.skip("needs g++")
    cdef_cpp = RICH_CDEF.replace("double _Complex cplx(double re, double im);", "").replace(
        "double cplx_abs2(double _Complex c);", "")
    source = RICH_SOURCE.replace("#include <complex.h>", "").split(
        "static double _Complex cplx")[0] + "\n".join(RICH_SOURCE.split("\n")[
            [i for i, l in enumerate(RICH_SOURCE.split("\n")) if "cplx_abs2" in l][0] + 1:])
    ffi = FFI()
    ffi.cdef(cdef_cpp)
    ffi.set_source("_api_rich_cpp", source, source_extension=".cpp")
    path = tmp_path / "_api_rich_cpp.cpp"
    ffi.emit_c_code(str(path))
    proc = subprocess.run(["g++", "-Wall", "-Wextra", "-Werror", "-fPIC", "-c", str(path),
                           "-I" + _python_include(), "-o", str(path) + ".o"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# -- Errors ----
def _compile_error(tmp_path, cdef, source, name="_api_err", **kwds):
    ffi = FFI()
    ffi.cdef(cdef)
    ffi.set_source(name, source, **kwds)
    with pytest.raises(VerificationError) as info:
        ffi.compile(tmpdir=str(tmp_path))
    return str(info.value)


# setuptools' words for a failed compiler, which differ between its versions: "command
# '/usr/bin/gcc' failed with exit code 1", or "Command [...] returned non-zero exit status 1."
_SETUPTOOLS_FAILED = r"CompileError: (.*failed|Command .* returned non-zero exit status)"


def test_compile_error_is_verification_error(tmp_path):
    message = _compile_error(tmp_path, "int f(int);", "this is not C;")
    assert re.match(_SETUPTOOLS_FAILED, message)


@pytest.mark.parametrize("index, cdef, source", [
    (0, "#define XS ...", '#define XS "text"'),
    (1, "#define XF ...", "#define XF 1.5"),
    (2, "#define XP ...", "#define XP ((void *)0)"),
    (3, "static const int KI;", "static const double KI = 2.5;"),
    (4, "static const long KL;", '#define KL "text"'),
])
def test_integer_constant_that_is_not_an_integer_fails_to_compile(tmp_path, index, cdef,
                                                                   source):
    """cffi's C checks that a `#define X ...` or integer `static const` is an integer (its
    value would otherwise be an address, or a truncated float)."""
    _compile_error(tmp_path, cdef, source, name="_api_not_int%d" % (index,))


@pytest.mark.skipif(IS_CFFI, reason="purecffi carries the compiler's message")
def test_compile_error_says_cffis_words_and_the_compiler_writes_to_stderr(tmp_path, capfd):
    """cffi's message is the failing step and setuptools' words ("CompileError: command
    '/usr/bin/gcc' failed with exit code 1"); what the compiler said is on stderr."""
    message = _compile_error(tmp_path, "int f(int);", "this is not C;", name="_api_err1")
    assert re.match(_SETUPTOOLS_FAILED, message)
    assert "this is not C" not in message
    assert "this is not C" in capfd.readouterr().err


def test_exact_struct_mismatch_is_an_error_when_used(tmp_path):
    """The module builds; using the struct raises (test_api_mismatch.py has the messages)."""
    mod = build(tmp_path, "_api_err2", "struct s { int a; int b; };",
                "struct s { int b; int a; };")
    with pytest.raises(mod.ffi.error):
        mod.ffi.new("struct s *")


def test_wrong_field_pointer_type_does_not_stop_the_build(tmp_path):
    """Only sizes and offsets are compared (as cffi does at run time): a field declared
    `int *` that is `long *` in C builds, without the warning gcc 14 makes an error."""
    mod = build(tmp_path, "_api_err3", "struct s { int *a; ...; };", "struct s { long *a; };")
    assert mod.ffi.sizeof("struct s") == mod.ffi.sizeof("long *")


def test_wrong_pointer_argument_is_an_error(tmp_path):
    _compile_error(tmp_path, "int f(int *);", "static int f(long *p) { return (int)*p; }",
                   name="_api_err4", extra_compile_args=["-Werror"])


def test_wrong_enum_value_takes_the_compilers(tmp_path):
    """cffi 2.0 takes the compiler's values of an exact enum in set_source() (the manual's
    check of exact enums is what ffi.verify() does, see test_api_mismatch.py)."""
    mod = build(tmp_path, "_api_err5", "enum e { A, B };", "enum e { A = 1, B };")
    assert (mod.lib.A, mod.lib.B) == (1, 2)


def test_missing_function_fails_at_import(tmp_path):
    ffi = FFI()
    ffi.cdef("int nowhere(int);")
    ffi.set_source("_api_err6", "")
    try:
        ffi.compile(tmpdir=str(tmp_path))
    except VerificationError:
        return
    with pytest.raises(ImportError):
        import_from(tmp_path, "_api_err6")


def test_quiet_unless_verbose(tmp_path, capfd):
    ffi = FFI()
    ffi.cdef("int q(int);")
    ffi.set_source("_api_quiet", "static int q(int x) { return x; }")
    ffi.compile(tmpdir=str(tmp_path))
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# -- Packages, compile() options ----
def test_module_in_package(tmp_path):
    ffi = FFI()
    ffi.cdef("int pk(void);")
    ffi.set_source("pkg_api._foo", "static int pk(void) { return 11; }")
    path = ffi.compile(tmpdir=str(tmp_path))
    assert os.path.dirname(path) == str(tmp_path / "pkg_api")
    (tmp_path / "pkg_api" / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp_path))
    try:
        from pkg_api._foo.lib import pk
        from pkg_api._foo import ffi as ffi2
    finally:
        sys.path.remove(str(tmp_path))
    assert pk() == 11
    assert ffi2.sizeof("int") == 4


@pytest.mark.skipif(IS_CFFI, reason="target naming detail")
def test_compile_target(tmp_path):
    ffi = FFI()
    ffi.cdef("int t(void);")
    ffi.set_source("_api_target", "static int t(void) { return 1; }")
    path = ffi.compile(tmpdir=str(tmp_path), target="_api_target.*")
    assert os.path.basename(path) == "_api_target.so"


def test_compile_target_in_a_new_directory(tmp_path):
    ffi = FFI()
    ffi.cdef("int t(void);")
    ffi.set_source("_api_target_sub", "static int t(void) { return 1; }")
    path = ffi.compile(tmpdir=str(tmp_path), target="sub/_api_target_sub.*")
    assert path == os.path.join(str(tmp_path), "sub", "_api_target_sub.so")
    assert os.path.exists(path)


def test_define_macros_and_include_dirs(tmp_path):
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "defs.h").write_text("#define FROM_HEADER 17\n")
    mod = build(tmp_path, "_api_macros", "#define FROM_HEADER ...\n#define FROM_MACRO ...", 
                '#include "defs.h"', include_dirs=[str(inc)],
                define_macros=[("FROM_MACRO", "99")])
    assert (mod.lib.FROM_HEADER, mod.lib.FROM_MACRO) == (17, 99)


def test_distutils_extension(tmp_path):
    ffi = FFI()
    ffi.cdef("int d(void);")
    ffi.set_source("_api_dist", "static int d(void) { return 1; }", libraries=["m"])
    ext = ffi.distutils_extension(tmpdir=str(tmp_path), verbose=False)
    assert ext.name == "_api_dist"
    assert ext.sources[0].endswith("_api_dist.c") and os.path.exists(ext.sources[0])
    assert ext.libraries == ["m"]


def test_more_kinds(rich):
    ffi, lib = rich.ffi, rich.lib
    c = lib.ORIGIN_C
    assert ffi.typeof(c) is ffi.typeof("struct pt") and (c.x, c.y) == (7, 8)
    assert lib.fnptr_global(5) == 10
    assert lib.pick(lib.E_A) == lib.E_C
    assert lib.next_char(b"a") == b"b"
    assert lib.negate(True) is False
    assert lib.wide("a") == "b"
    assert [(p.x, p.y) for p in lib.pts] == [(1, 2), (3, 4)]
    lib.pts[1].x = 30
    assert lib.pts[1].x == 30
    assert lib.TD_X == 4 and lib.td(lib.TD_X) == 8


def test_extern_python_in_rich_module(rich):
    ffi, lib = rich.ffi, rich.lib
    seen = []

    @ffi.def_extern()
    def rich_cb(x, p):
        return x + p.x

    @ffi.def_extern()
    def rich_void_cb(d):
        seen.append(d)
    lib.origin = {"x": 100, "y": 0}
    assert lib.call_rich_cb(5) == 105
    assert seen == [5.0]


def test_fast_function_usable_as_function_pointer(rich):
    ffi, lib = rich.ffi, rich.lib
    assert ffi.typeof(lib.twice) is ffi.typeof("int(*)(int)")
    assert ffi.typeof(lib.add) is ffi.typeof("int(*)(int, int)")
    assert lib.apply(lib.twice, 21) == 42
    p = ffi.new("int(**)(int)")
    p[0] = lib.twice
    assert p[0](4) == 8
    assert ffi.cast("void *", lib.twice) != ffi.NULL
    assert lib.twice.__name__ == "twice"


def test_fast_function_keywords_are_refused(rich):
    with pytest.raises(TypeError):
        rich.lib.add(1, b=2)


def test_set_source_pkgconfig_unknown_package(tmp_path):
    if shutil.which("pkg-config") is None:
        pytest.skip("needs pkg-config")
    from _backend import backend
    ffi = FFI()
    with pytest.raises(backend.PkgConfigError):
        ffi.set_source_pkgconfig("_api_pkgc", ["surely-no-such-package-xyz"], "")


def test_set_source_pkgconfig_wants_a_list():
    with pytest.raises(TypeError) as info:
        FFI().set_source_pkgconfig("_api_pkgs", "libffi", "")
    assert str(info.value) == "the pkgconfig_libs argument must be a list of package names"


def test_verbose_prints_the_build(tmp_path, capfd):
    ffi = FFI()
    ffi.cdef("int vb(void);")
    ffi.set_source("_api_verbose", "static int vb(void) { return 1; }")
    ffi.compile(tmpdir=str(tmp_path), verbose=True)
    out, err = capfd.readouterr()
    assert "_api_verbose" in out + err


def test_spec_6_4_function_calls(tmp_path):
    mod = build(tmp_path, "_api_calls64", """
        int foo(short a, int b);
        size_t strlen(const char *);
        int do_something_with_array(int *array);
        struct foo_s { int a, b; };
        struct foo_s function_returning_a_struct(void);
    """, r"""
        #include <string.h>
        static int foo(short a, int b) { return a * b; }
        static int do_something_with_array(int *array) { return array[0] + array[4]; }
        struct foo_s { int a, b; };
        static struct foo_s function_returning_a_struct(void) {
            struct foo_s s; s.a = 1; s.b = 2; return s;
        }
    """)
    ffi, lib = mod.ffi, mod.lib
    n = lib.foo(2, 3)      # returns a normal integer
    assert n == 6 and type(n) is int
    with pytest.raises(OverflowError):
        lib.foo(40000, 3)    # raises OverflowError
    assert lib.strlen(b"hello") == 5
    assert lib.do_something_with_array([1, 2, 3, 4, 5]) == 6
    myfoo = lib.function_returning_a_struct()
    assert repr(myfoo).endswith("'struct foo_s' owning 8 bytes>")
    assert (myfoo.a, myfoo.b) == (1, 2)


def test_by_value_functions_usable_as_function_pointers(rich):
    ffi, lib = rich.ffi, rich.lib
    assert ffi.typeof(lib.sum_pt) is ffi.typeof("int(*)(struct pt)")
    fp = ffi.addressof(lib, "sum_pt")
    assert ffi.cast("void *", lib.sum_pt) == ffi.cast("void *", fp)
    assert fp({"x": 1, "y": 2}) == 3        # through libffi: a plain struct is fine


def test_spec_8_7_thread_local_and_macro_variables(tmp_path):
    import threading
    mod = build(tmp_path, "_api_tls", """
        extern int tls_var;
        extern int myvar;
    """, r"""
        static __thread int tls_var;
        static int hidden = 5;
        static int *fetchme(void) { return &hidden; }
        #define myvar (*fetchme())
    """)
    lib = mod.lib
    assert lib.myvar == 5
    lib.myvar = 6
    assert lib.myvar == 6
    lib.tls_var = 1
    seen = []
    t = threading.Thread(target=lambda: seen.append(lib.tls_var))
    t.start()
    t.join()
    assert seen == [0] and lib.tls_var == 1


def test_pointer_arguments_fast_and_slow(rich):
    # a cdata of exactly the declared pointer type is read in C by the fast wrapper; anything
    # else goes through the generic path, with the same results and errors
    ffi, lib = rich.ffi, rich.lib
    p = ffi.new("int[5]")
    q = ffi.cast("int *", p)
    lib.fill(q, 5)
    assert list(p) == [0, 1, 4, 9, 16]
    lib.fill(q + 1, 2)
    assert list(p) == [0, 0, 1, 9, 16]
    one = ffi.new("int *", 5)
    lib.fill(one, 1)
    assert one[0] == 0
    s = ffi.new("char[]", b"hello")
    assert lib.str_len(ffi.cast("char *", s)) == 5
    assert lib.str_len(s) == 5
    with pytest.raises(TypeError):
        lib.fill(ffi.new("long[2]"), 2)
    with pytest.raises(TypeError):
        lib.fill(5, 1)
    with pytest.raises(TypeError):
        lib.fill(q)


def test_lib_lookup_of_globals_and_missing_names(rich):
    lib = rich.lib
    old = lib.counter
    try:
        lib.counter = 41
        assert lib.counter == 41 and lib.counter_ptr[0] == 41
    finally:
        lib.counter = old
    with pytest.raises(AttributeError):
        lib.no_such_name
    assert getattr(lib, "no_such_name", 5) == 5
    d = lib.__dict__            # a snapshot, as cffi's: writing into it changes nothing
    d["add"] = 5
    assert lib.add(1, 2) == 3 and lib.__dict__["add"] != 5


@pytest.mark.skipif(IS_CFFI, reason="purecffi's own warning-free promise")
@pytest.mark.parametrize("limited", [False, True], ids=["full-api", "limited-api"])
@pytest.mark.parametrize("cdef, source", [
    ("int add(int, int);", "static int add(int a, int b) { return a + b; }"),
    ("extern int x;", "int x;"),
    ('extern "Python" int cb(int);\nint call(void);',
     "static int cb(int);\nstatic int call(void) { return cb(1); }"),
])
def test_small_modules_are_warning_free(tmp_path, cdef, source, limited):
    # helpers only some modules use (pointer arguments, extern "Python", the limited API's
    # own helpers) must not warn in modules that do not use them
    ffi = FFI()
    ffi.cdef(cdef)
    ffi.set_source("_api_small", source, **({"py_limited_api": True} if limited else {}))
    path = tmp_path / "_api_small.c"
    ffi.emit_c_code(str(path))
    proc = subprocess.run(["gcc", "-Wall", "-Wextra", "-Werror", "-fPIC", "-c", str(path),
                           "-I" + _python_include(), "-o", str(path) + ".o"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# -- set_source(py_limited_api=True): the stable ABI (spec 8.5) ----
LIMITED_CDEF = """
    struct lpt { int x, y; };
    int ladd(int, int);
    double lscale(double, float);
    unsigned long long lbig(unsigned long long);
    void lnothing(void);
    int lset_errno(int);
    void lfill(int *p, int n);
    int lsum_pt(struct lpt p);
    struct lpt lmake(int x, int y);
    extern int lcounter;
    extern struct lpt lorigin;
    #define LANSWER ...
    static const double LHALF;
    enum lcolor { L_RED, L_BLUE = 5 };
    extern "Python" int lcb(int, double);
    extern "Python" void lvoid_cb(int);
    extern "Python" int lptr_cb(struct lpt *);
    int lcall_cb(int);
    int lcall_ptr_cb(int);
"""

LIMITED_SOURCE = r"""
    #include <errno.h>
    struct lpt { int x, y; };
    static int ladd(int a, int b) { return a + b; }
    static double lscale(double a, float b) { return a * b; }
    static unsigned long long lbig(unsigned long long x) { return x - 1; }
    static void lnothing(void) { }
    static int lset_errno(int e) { errno = e; return -1; }
    static void lfill(int *p, int n) { int i; for (i = 0; i < n; i++) p[i] = i * 10; }
    static int lsum_pt(struct lpt p) { return p.x + p.y; }
    static struct lpt lmake(int x, int y) { struct lpt p; p.x = x; p.y = y; return p; }
    int lcounter = 3;
    struct lpt lorigin = {5, 6};
    #define LANSWER 42
    static const double LHALF = 0.5;
    enum lcolor { L_RED, L_BLUE = 5 };
    static int lcb(int, double);
    static void lvoid_cb(int);
    static int lptr_cb(struct lpt *);
    static int lcall_cb(int x) { lvoid_cb(x); return lcb(x, 1.5); }
    static int lcall_ptr_cb(int x) { struct lpt p; p.x = x; p.y = 1; return lptr_cb(&p); }
"""

WARNING_FLAGS = ["-Wall", "-Wextra", "-Werror"]


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """(module, path of the built file, text of the C file) of a py_limited_api=True build,
    compiled by setuptools with -Wall -Wextra -Werror."""
    tmp = tmp_path_factory.mktemp("limited")
    ffi = FFI()
    ffi.cdef(LIMITED_CDEF)
    ffi.set_source("_api_limited", LIMITED_SOURCE, py_limited_api=True,
                   extra_compile_args=WARNING_FLAGS)
    path = ffi.compile(tmpdir=str(tmp))
    text = (tmp / "_api_limited.c").read_text()
    return import_from(tmp, "_api_limited"), path, text


def _is_debug_python():
    return hasattr(sys, "gettotalrefcount") or bool(sysconfig.get_config_var("Py_DEBUG"))


@limited_api_only
@pytest.mark.skipif(_is_debug_python(), reason="a debug CPython has no limited API")
def test_limited_api_build_is_abi3(limited):
    mod, path, text = limited
    assert path.endswith(".abi3.so") or os.name == "nt"
    assert os.path.basename(mod.__file__) == os.path.basename(path)
    assert re.search(r"^#\s*define Py_LIMITED_API\b", text, re.M)
    if not IS_CFFI:
        assert text.startswith("#define Py_LIMITED_API 0x030A0000")


@pytest.mark.skipif(IS_CFFI, reason="purecffi's own warning-free promise")
def test_limited_api_c_is_warning_free(limited, tmp_path):
    # also compiled by hand, with nothing but the include directory
    path = tmp_path / "_api_limited.c"
    path.write_text(limited[2])
    for compiler in ("gcc", "g++"):
        if shutil.which(compiler) is None:
            continue
        args = [compiler] + (["-x", "c++"] if compiler == "g++" else []) + WARNING_FLAGS + [
            "-fPIC", "-c", str(path), "-I" + _python_include(), "-o", str(path) + ".o"]
        proc = subprocess.run(args, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr


def test_limited_api_calls(limited):
    ffi, lib = limited[0].ffi, limited[0].lib
    assert lib.ladd(2, 3) == 5
    assert lib.lscale(3, 0.5) == 1.5 and lib.lscale(1.5, 2) == 3.0
    assert lib.lbig(2**64 - 1) == 2**64 - 2
    assert lib.lnothing() is None
    assert lib.lset_errno(7) == -1 and ffi.errno == 7
    with pytest.raises(OverflowError):
        lib.ladd(2**40, 1)           # the slow twin raises as in ABI mode
    with pytest.raises(TypeError):
        lib.ladd("1", 2)
    with pytest.raises(TypeError):
        lib.ladd(1)
    # pointer arguments: exact cdata read in C, anything else through the slow twin
    p = ffi.new("int[4]")
    lib.lfill(ffi.cast("int *", p), 4)
    assert list(p) == [0, 10, 20, 30]
    lib.lfill(p, 2)
    q = ffi.new("int *")
    lib.lfill(q, 1)
    assert q[0] == 0
    with pytest.raises(TypeError):
        lib.lfill(ffi.new("long[2]"), 2)
    # structs by value
    pt = lib.lmake(3, 4)
    assert (pt.x, pt.y) == (3, 4)
    assert lib.lsum_pt(pt) == 7 and lib.lsum_pt({"x": 1, "y": 2}) == 3


def test_limited_api_globals_constants_and_lib(limited):
    ffi, lib = limited[0].ffi, limited[0].lib
    assert lib.lcounter == 3
    lib.lcounter = 9
    assert lib.lcounter == 9
    lib.lcounter = 3
    assert (lib.lorigin.x, lib.lorigin.y) == (5, 6)
    assert lib.LANSWER == 42 and lib.LHALF == 0.5
    assert (lib.L_RED, lib.L_BLUE) == (0, 5)
    assert ffi.sizeof("struct lpt") == 2 * ffi.sizeof("int")
    with pytest.raises(AttributeError):
        lib.no_such_name
    with pytest.raises(AttributeError):
        lib.ladd = 5
    name = "".join(["la", "dd"])        # not interned
    assert getattr(lib, name)(1, 1) == 2
    assert ffi.typeof(lib.ladd) is ffi.typeof("int(*)(int, int)")


def test_limited_api_extern_python(limited):
    ffi, lib = limited[0].ffi, limited[0].lib
    seen = []

    @ffi.def_extern()
    def lcb(x, d):
        return x * 10 + int(d * 2)

    @ffi.def_extern()
    def lvoid_cb(x):
        seen.append(x)

    @ffi.def_extern()
    def lptr_cb(p):
        return p.x + p.y

    assert lib.lcall_cb(4) == 43 and seen == [4]
    assert lib.lcall_ptr_cb(5) == 6

    errors = []

    def onerror(exc, value, tb):
        errors.append(value)

    @ffi.def_extern(error=-1, onerror=onerror)
    def lcb(x, d):                   # noqa: F811  (an exception: the C path hands it over)
        raise ValueError(x)

    assert lib.lcall_cb(1) == -1
    assert [type(e) for e in errors] == [ValueError] and errors[0].args == (1,)

    @ffi.def_extern(error=-2, onerror=onerror)
    def lcb(x, d):                   # noqa: F811  (a result C does not convert itself)
        return 2**40

    assert lib.lcall_cb(1) == -2
    assert type(errors[1]) is OverflowError


@pytest.mark.skipif(IS_CFFI, reason="cffi defines Py_LIMITED_API by default")
@pytest.mark.parametrize("kwds", [{}, {"py_limited_api": False}])
def test_no_limited_api_unless_asked(tmp_path, kwds):
    ffi = FFI()
    ffi.cdef("int add(int, int);")
    ffi.set_source("_api_full", "static int add(int a, int b) { return a + b; }", **kwds)
    path = tmp_path / "_api_full.c"
    ffi.emit_c_code(str(path))
    assert "Py_LIMITED_API" not in path.read_text()


# -- const-qualified parameters: the wrappers keep the cdef's qualifiers ----
_CONST_CDEF = """
    int count_a(int n, const char **names);
    const char *first(const char *const *names);
    extern "Python" int on_names(const char *const *names, int n);
    int call_on_names(void);
"""
_CONST_SOURCE = """
    static int count_a(int n, const char **names) {
        int k = 0;
        for (int i = 0; i < n; i++)
            k += names[i][0] == 'a';
        return k;
    }
    static const char *first(const char *const *names) { return names[0]; }
    static int on_names(const char *const *names, int n);
    static int call_on_names(void) {
        static const char *const words[] = {"apple", "banana", "avocado"};
        return on_names(words, 3);
    }
"""


@pytest.mark.parametrize("extension", [".c", ".cpp"])
def test_const_pointer_to_pointer_parameters(tmp_path, extension):
    """`const char **` and `const char *const *` parameters compile warning-free (C and C++)
    and work: the type model drops `const`, the generated C must not."""
    name = "_api_const" + extension.replace(".", "_")
    mod = build(tmp_path, name, _CONST_CDEF, _CONST_SOURCE, source_extension=extension,
                extra_compile_args=["-Wall", "-Wextra", "-Werror"])
    ffi, lib = mod.ffi, mod.lib
    keep = [ffi.new("char[]", w) for w in (b"apple", b"kiwi", b"apricot")]
    names = ffi.new("char *[]", keep)
    assert lib.count_a(3, names) == 2
    assert ffi.string(lib.first(names)) == b"apple"

    @ffi.def_extern()
    def on_names(words, n):
        return sum(ffi.string(words[i]).startswith(b"a") for i in range(n))

    assert lib.call_on_names() == 2


def test_missing_compiler_says_so(tmp_path, monkeypatch):
    """compile() with no usable C compiler raises VerificationError naming it, in cffi's
    words (setuptools' CompileError)."""
    monkeypatch.setenv("CC", "no-such-cc-purecffi")
    ffi = FFI()
    ffi.cdef("int add(int, int);")
    ffi.set_source("_api_nocc", "static int add(int a, int b) { return a + b; }")
    with pytest.raises(VerificationError) as info:
        ffi.compile(tmpdir=str(tmp_path))
    # setuptools' own words, which vary with its version: "command 'cc' failed: No such file
    # or directory", or "[Errno 2] No such file or directory: 'cc'"
    message = str(info.value)
    assert message.startswith("CompileError: ") and "no-such-cc-purecffi" in message
    assert "No such file or directory" in message
    ffi.emit_c_code(str(tmp_path / "_api_nocc.c"))      # emitting needs no compiler
    assert (tmp_path / "_api_nocc.c").exists()
