"""API mode at run time: what `lib` is, its functions used as function pointers, ffi.errno
around calls, extern "Python" edge cases, globals at NULL, emit_*_code() to file objects and
what compile() leaves behind.  One module is compiled for most tests (module-scoped)."""
import io
import os
import shutil
import subprocess
import sys
import textwrap
import types

import pytest

from _backend import FFI, IS_CFFI

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

CDEF = """
    struct pt { int x, y; };
    struct holder { int (*fn)(int); int (*fpt)(struct pt); };
    struct pt mkpt(int, int);
    int sumpt(struct pt);
    int vsum(int n, ...);
    int twice(int);
    int nothing(void);
    int apply_i(int(*)(int), int);
    int apply_pt(int(*)(struct pt), struct pt);
    int call_holder(struct holder *);

    int __stdcall h_std(int);
    __cdecl int h_cdecl(int);
    struct pt __stdcall mk_std(int);
    extern int (__stdcall *fp_std)(int);
    int apply_std(int(__stdcall *)(int), int);

    int errno_echo(int);
    int errno_echo_direct(int(*)(int), int);
    int errno_echo_pointer(struct pt);

    extern "Python" int cb(int);
    extern "Python" struct pt cb_pt(int);
    extern "Python" double cb_d(double);
    extern "C+Python" int cb_c_python(int);
    extern "Python + C" int cb_python_c(int);
    extern "C +Python" { int cb_block1(int); int cb_block2(int); }
    int call_cb(int);
    struct pt call_cb_pt(int);
    double call_cb_d(double);
    int call_named(int, int);
    extern "Python" int cb_thread(int);
    int call_in_c_thread(int);
    extern "Python" int cb_errno(int);
    extern "Python" int cb_errno_p(int *);
    int errno_around(int, int);
    int errno_around_fp(int(*)(int), int);

    extern int g;
    extern struct pt gs;
    extern int garr[3];
    extern int gopen[];
    #define K 5
"""

SOURCE = r"""
    #include <errno.h>
    #include <stdarg.h>
    #ifndef _WIN32
    #  define __stdcall       /* cffi copies the keyword into its C code */
    #  define __cdecl
    #endif
    struct pt { int x, y; };
    struct holder { int (*fn)(int); int (*fpt)(struct pt); };
    static struct pt mkpt(int x, int y) { struct pt p; p.x = x; p.y = y; return p; }
    static int sumpt(struct pt p) { return p.x + p.y; }
    static int vsum(int n, ...) {
        va_list a; int s = 0; va_start(a, n); while (n--) s += va_arg(a, int); va_end(a);
        return s;
    }
    static int twice(int x) { return 2 * x; }
    static int nothing(void) { return 42; }
    static int apply_i(int(*f)(int), int x) { return f(x); }
    static int apply_pt(int(*f)(struct pt), struct pt p) { return f(p); }
    static int call_holder(struct holder *h) {
        struct pt p; p.x = 3; p.y = 4; return h->fn(10) + h->fpt(p);
    }

    static int __stdcall h_std(int x) { return x * 3; }
    static int __cdecl h_cdecl(int x) { return x * 5; }
    static struct pt __stdcall mk_std(int x) { return mkpt(x, -x); }
    static int (__stdcall *fp_std)(int) = h_std;
    static int apply_std(int(__stdcall *f)(int), int x) { return f(x); }

    /* each returns the errno it found and leaves its argument as errno */
    static int errno_echo(int x) { int e = errno; errno = x; return e; }
    static int errno_echo_direct(int(*f)(int), int x) { int e = errno; errno = f(x); return e; }
    static int errno_echo_pointer(struct pt p) { int e = errno; errno = p.x; return e; }

    static int cb(int);
    static struct pt cb_pt(int);
    static double cb_d(double);
    int cb_c_python(int);
    int cb_python_c(int);
    int cb_block1(int);
    int cb_block2(int);
    static int call_cb(int x) { return cb(x); }
    static struct pt call_cb_pt(int x) { return cb_pt(x); }
    static double call_cb_d(double x) { return cb_d(x); }
    static int call_named(int which, int x) {
        switch (which) {
        case 0: return cb_c_python(x);
        case 1: return cb_python_c(x);
        case 2: return cb_block1(x);
        default: return cb_block2(x);
        }
    }

    #include <pthread.h>
    static int cb_thread(int);
    static void *thread_body(void *arg) { int *v = (int *)arg; *v = cb_thread(*v); return 0; }
    static int call_in_c_thread(int x) {
        pthread_t t; int v = x;
        if (pthread_create(&t, 0, thread_body, &v) != 0) return -1;
        pthread_join(t, 0);
        return v;
    }

    /* sets errno to 33, calls back (0: cb_errno, 1: cb_errno_p, else f) and gives
       1000 * the result + the errno left on return */
    static int cb_errno(int);
    static int cb_errno_p(int *);
    static int errno_around(int which, int x) {
        int r;
        errno = 33;
        r = which == 0 ? cb_errno(x) : cb_errno_p(&x);
        return r * 1000 + errno;
    }
    static int errno_around_fp(int(*f)(int), int x) {
        int r;
        errno = 34;
        r = f(x);
        return r * 1000 + errno;
    }

    int g = 3;
    struct pt gs = { 1, 2 };
    int garr[3] = { 7, 8, 9 };
    int gopen[4] = { 1, 2, 3, 4 };
    #define K 5
"""

MODULE = "_api_rt_main"


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    tmpdir = tmp_path_factory.mktemp("api_rt")
    ffi = FFI()
    ffi.cdef(CDEF)
    ffi.set_source(MODULE, SOURCE, extra_compile_args=["-pthread"],
                   extra_link_args=["-pthread"])
    ffi.compile(tmpdir=str(tmpdir))
    sys.path.insert(0, str(tmpdir))
    try:
        __import__(MODULE)
        yield sys.modules[MODULE]
    finally:
        sys.path.remove(str(tmpdir))
        for name in list(sys.modules):
            if name.startswith(MODULE):
                del sys.modules[name]


@pytest.fixture
def lib(mod):
    return mod.lib


@pytest.fixture
def api_ffi(mod):
    return mod.ffi


# -- lib as a module ----
def test_from_lib_import_names(mod):
    namespace = {}
    exec("from %s.lib import twice, g, K" % (MODULE,), namespace)
    assert namespace["twice"](21) == 42
    assert (namespace["g"], namespace["K"]) == (3, 5)
    with pytest.raises(ImportError, match="cannot import name 'nope'"):
        exec("from %s.lib import nope" % (MODULE,), {})
    namespace = {}
    exec("from %s.lib import *" % (MODULE,), namespace)
    assert namespace["twice"](2) == 4 and namespace["K"] == 5
    assert "g" not in namespace                 # __all__ leaves the global variables out


def test_lib_has_the_module_attributes_of_cffi(lib):
    assert lib.__name__ == MODULE + ".lib"
    assert lib.__loader__ is None and lib.__spec__ is None
    assert lib.__class__ is types.ModuleType and isinstance(lib, types.ModuleType)
    assert not hasattr(lib, "__file__")
    assert sys.modules[MODULE + ".lib"] is lib


@pytest.mark.parametrize("name", ["__doc__", "__module__", "__weakref__", "__reduce_ex__",
                                  "__repr__", "__dir__", "__getattr__", "__init__"])
def test_lib_has_none_of_the_attributes_of_an_object(lib, name):
    """cffi's lib answers only its own names (and __class__, __dict__, __name__, __all__...)."""
    with pytest.raises(AttributeError) as info:
        getattr(lib, name)
    assert str(info.value) == ("cffi library '%s' has no function, constant or global "
                               "variable named '%s'" % (MODULE, name))
    assert repr(lib) == "<Lib object for '%s'>" % (MODULE,)


def test_c_names_like_the_libs_own_attributes(tmp_path):
    """C functions may be named as the lib's own helpers are; both keep working."""
    from conftest import build_api_module
    mod = build_api_module(tmp_path, "_api_rt_names", """
        int _addressof(int); int _pc_name(int); int _pc_kinds(int); int _pc_addresses(int);
        extern int g;""", """
        static int _addressof(int x) { return x + 1; }
        static int _pc_name(int x) { return x + 2; }
        static int _pc_kinds(int x) { return x + 3; }
        static int _pc_addresses(int x) { return x + 4; }
        int g = 7;""")
    ffi, lib = mod.ffi, mod.lib
    assert (lib._addressof(0), lib._pc_name(0), lib._pc_kinds(0), lib._pc_addresses(0)) == (
        1, 2, 3, 4)
    assert ffi.addressof(lib, "g")[0] == 7
    assert ffi.addressof(lib, "_addressof")(5) == 6
    assert repr(lib) == "<Lib object for '_api_rt_names'>"
    assert sorted(dir(lib)) == ["_addressof", "_pc_addresses", "_pc_kinds", "_pc_name", "g"]
    lib.g = 3
    assert lib.g == 3 and lib.__name__ == "_api_rt_names.lib"
    with pytest.raises(AttributeError, match="'_api_rt_names' has no function, constant or "
                                             "global variable named 'nope'"):
        lib.nope


def test_module_shows_ffi_and_lib_only(api_ffi, lib):
    module = sys.modules[MODULE]
    assert [name for name in dir(module) if not name.startswith("__")] == ["ffi", "lib"]


def test_lib_cannot_be_copied(lib):
    import copy
    with pytest.raises(copy.Error, match="un\\(shallow\\)copyable object"):
        copy.copy(lib)


def test_dir_and_all(lib):
    functions = ["apply_i", "apply_pt", "apply_std", "call_cb", "call_cb_d", "call_cb_pt",
                 "call_holder", "call_in_c_thread", "call_named", "cb", "cb_block1",
                 "cb_block2", "cb_c_python", "cb_d", "cb_errno", "cb_errno_p", "cb_pt",
                 "cb_python_c", "cb_thread", "errno_around", "errno_around_fp", "errno_echo",
                 "errno_echo_direct",
                 "errno_echo_pointer", "h_cdecl", "h_std", "mk_std", "mkpt", "nothing",
                 "sumpt", "twice", "vsum"]
    variables = ["fp_std", "g", "garr", "gopen", "gs"]
    assert sorted(lib.__all__) == sorted(functions + ["K"])     # no global variables
    assert sorted(dir(lib)) == sorted(functions + variables + ["K"])


def test_attribute_errors(lib):
    message = "cffi library '%s' has no function, constant or global variable named 'nope'"
    with pytest.raises(AttributeError) as info:
        lib.nope
    assert str(info.value) == message % (MODULE,)
    with pytest.raises(AttributeError) as info:
        lib.nope = 1
    assert str(info.value) == message % (MODULE,)
    for name in ("twice", "K"):
        with pytest.raises(AttributeError, match="cannot write to function or constant '%s'"
                           % (name,)):
            setattr(lib, name, 1)
    for name in ("g", "twice"):
        with pytest.raises(AttributeError, match="C attribute cannot be deleted"):
            delattr(lib, name)


def test_addressof_lib_errors(api_ffi, lib):
    with pytest.raises(AttributeError, match="cannot take the address of the constant 'K'"):
        api_ffi.addressof(lib, "K")
    with pytest.raises(TypeError):
        api_ffi.addressof(lib, 42)


def test_globals_of_struct_and_array_types(api_ffi, lib):
    assert api_ffi.typeof(api_ffi.addressof(lib, "gs")) is api_ffi.typeof("struct pt *")
    assert api_ffi.typeof(api_ffi.addressof(lib, "garr")) is api_ffi.typeof("int(*)[3]")
    assert api_ffi.typeof(api_ffi.addressof(lib, "gopen")) is api_ffi.typeof("int(*)[]")
    assert api_ffi.typeof(lib.gopen) is api_ffi.typeof("int *")
    assert (lib.gs.x, lib.gs.y) == (1, 2)
    assert list(lib.garr) == [7, 8, 9]
    with pytest.raises(IndexError, match="too many initializers for 'int\\[3\\]' \\(got 4\\)"):
        lib.garr = [1, 2, 3, 4]
    lib.gopen = [10, 20]                # items written, the length is C's business
    assert list(lib.gopen[0:4]) == [10, 20, 3, 4]
    lib.gs = {"y": 12}
    assert (lib.gs.x, lib.gs.y) == (1, 12)      # the other fields are left as they were
    assert api_ffi.addressof(lib, "gs").y == 12


# -- lib functions as function pointers ----
def test_lib_functions_are_builtins(api_ffi, lib):
    for name in ("twice", "nothing", "apply_i", "sumpt", "mkpt", "h_std"):
        function = getattr(lib, name)
        assert type(function) is type(len), name
        assert function.__name__ == name
    assert lib.sumpt.__doc__ == "int sumpt(struct pt);\n\nCFFI C function from %s.lib" % (
        MODULE,)
    assert lib.apply_i.__doc__.startswith("int apply_i(int(*)(int), int);")
    assert isinstance(lib.vsum, api_ffi.CData)         # variadic: a function pointer cdata
    assert api_ffi.typeof(lib.vsum) is api_ffi.typeof("int(*)(int, ...)")


@pytest.mark.parametrize("name, ctype", [
    ("twice", "int(*)(int)"), ("apply_i", "int(*)(int(*)(int), int)"),
    ("sumpt", "int(*)(struct pt)"), ("mkpt", "struct pt(*)(int, int)"),
    ("nothing", "int(*)(void)")])
def test_typeof_and_cast_of_lib_functions(api_ffi, lib, name, ctype):
    function = getattr(lib, name)
    assert api_ffi.typeof(function) is api_ffi.typeof(ctype)
    pointer = api_ffi.cast(ctype, function)
    assert pointer == api_ffi.addressof(lib, name)
    assert api_ffi.cast("void *", function) == api_ffi.cast("void *", pointer)
    assert int(api_ffi.cast("intptr_t", function)) != 0


def test_lib_functions_as_callback_arguments(api_ffi, lib):
    assert lib.apply_i(lib.twice, 5) == 10          # fast
    assert lib.apply_i(lib.h_std, 5) == 15
    assert lib.apply_pt(lib.sumpt, [1, 2]) == 3     # pointer route: struct by value
    assert lib.apply_pt(lib.sumpt, lib.mkpt(4, 5)) == 9
    assert lib.apply_std(lib.h_cdecl, 2) == 10
    assert lib.vsum(2, api_ffi.cast("int", 3), api_ffi.cast("int", 4)) == 7
    assert api_ffi.cast("int(*)(int, ...)", lib.vsum)(
        1, api_ffi.cast("int", 6)) == 6


def test_lib_functions_stored_in_memory(api_ffi, lib):
    holder = api_ffi.new("struct holder *", [lib.twice, lib.sumpt])
    assert lib.call_holder(holder) == 27
    holder = api_ffi.new("struct holder *", {"fn": lib.h_std, "fpt": lib.sumpt})
    assert lib.call_holder(holder) == 37
    holder.fn = lib.twice
    assert holder.fn(8) == 16
    box = api_ffi.new("int(**)(int)", lib.h_cdecl)
    assert box[0](3) == 15
    assert api_ffi.callback("int(*)(int)", lib.twice)(7) == 14


def test_lib_functions_are_typed_function_pointers(api_ffi, lib):
    """A lib function converts only to its own function-pointer type (or void *)."""
    for name, target in (("twice", "int(*)(long)"), ("sumpt", "int(*)(int)"),
                         ("twice", "int(*)(struct pt)")):
        source = api_ffi.typeof(getattr(lib, name)).cname
        with pytest.raises(TypeError) as info:
            api_ffi.new(target.replace("(*)", "(**)", 1), getattr(lib, name))
        assert str(info.value) == ("initializer for ctype '%s' must be a pointer to same "
                                   "type, not cdata '%s'" % (target, source))
    with pytest.raises(TypeError, match="must be a pointer to same type"):
        lib.apply_i(lib.sumpt, 1)
    holder = api_ffi.new("struct holder *")
    with pytest.raises(TypeError, match="must be a pointer to same type"):
        holder.fn = lib.mkpt
    assert api_ffi.new("void **", lib.sumpt)[0] == api_ffi.cast(
        "void *", api_ffi.addressof(lib, "sumpt"))
    assert lib.apply_i(api_ffi.cast("int(*)(int)", lib.h_std), 2) == 6    # a cast is explicit
    for bad in (0, 5.0):        # (None is NULL, as the initializer of ffi.new())
        with pytest.raises(TypeError) as info:
            api_ffi.new("int(**)(int)", bad)
        assert str(info.value) == ("initializer for ctype 'int(*)(int)' must be a cdata "
                                   "pointer, not %s" % (type(bad).__name__,))
    with pytest.raises(TypeError) as info:
        api_ffi.new("int **", api_ffi.new("long *"))
    assert str(info.value) == ("initializer for ctype 'int *' must be a pointer to same type, "
                               "not cdata 'long *'")


def test_argument_count_errors(lib):
    """cffi's messages: its functions of no or one argument name themselves as CPython does
    (`MODULE.Lib.f()`), the others by their bare name; every route says the same."""
    def message(call, *args, **kwargs):
        with pytest.raises(TypeError) as info:
            call(*args, **kwargs)
        return str(info.value)
    for name in ("twice", "sumpt"):         # fast and through a pointer wrapper
        function = getattr(lib, name)
        assert message(function, 1, 2) == (
            "%s.Lib.%s() takes exactly one argument (2 given)" % (MODULE, name))
        assert message(function) == (
            "%s.Lib.%s() takes exactly one argument (0 given)" % (MODULE, name))
        assert message(function, x=1) == (
            "%s.Lib.%s() takes no keyword arguments" % (MODULE, name))
        assert function.__qualname__ == "Lib." + name
        assert function.__module__ == MODULE
    assert message(lib.nothing, 1) == "%s.Lib.nothing() takes no arguments (1 given)" % (
        MODULE,)
    assert message(lib.nothing, x=1) == "%s.Lib.nothing() takes no keyword arguments" % (
        MODULE,)
    for name in ("call_named", "apply_i", "mkpt"):     # fast, direct, pointer wrapper
        function = getattr(lib, name)
        assert message(function, 1, 2, 3) == "%s expected 2 arguments, got 3" % (name,)
        assert message(function, 1) == "%s expected 2 arguments, got 1" % (name,)
        assert message(function, 1, y=2) == "%s() takes no keyword arguments" % (name,)
        assert message(function, x=1, y=2) == "%s() takes no keyword arguments" % (name,)
        assert message(function, **{}) == "%s expected 2 arguments, got 0" % (name,)
    assert lib.apply_i(lib.twice, 4, **{}) == 8
    assert lib.mkpt(*(1, 2), **{}).y == 2


def test_integer_overflow_names_the_size(lib):
    """API mode's range check names an integer type by its size, as cffi's does."""
    with pytest.raises(OverflowError) as info:
        lib.twice(2**31)
    assert str(info.value) == "integer 2147483648 does not fit '32-bit int'"
    with pytest.raises(OverflowError) as info:
        lib.call_named(1, -2**31 - 1)
    assert str(info.value) == "integer -2147483649 does not fit '32-bit int'"
    with pytest.raises(OverflowError) as info:
        lib.twice(2**64)
    assert str(info.value) == "int too big to convert"


# -- calling conventions ----
def test_calling_convention_keywords(api_ffi, lib):
    """__stdcall/__cdecl are accepted in every position and ignored off Windows."""
    for name, ctype in (("h_std", "int(*)(int)"), ("h_cdecl", "int(*)(int)"),
                        ("mk_std", "struct pt(*)(int)")):
        pointer = api_ffi.addressof(lib, name)
        assert api_ffi.typeof(pointer) is api_ffi.typeof(ctype)
    assert api_ffi.addressof(lib, "h_std")(4) == 12
    assert api_ffi.addressof(lib, "mk_std")(5).y == -5
    assert lib.h_cdecl(2) == 10
    assert lib.fp_std(7) == 21
    assert api_ffi.typeof(lib.fp_std) is api_ffi.typeof("int(__stdcall *)(int)")


@pytest.mark.parametrize("decl", [
    "int __stdcall abs(int);", "__stdcall int abs(int);", "int __cdecl abs(int);",
    "int __stdcall __cdecl abs(int);", "int (__stdcall abs)(int);",
])
def test_calling_convention_in_cdef_functions(decl):
    ffi = FFI()
    ffi.cdef(decl)
    lib = ffi.dlopen(None)
    assert ffi.typeof(lib.abs) is ffi.typeof("int(*)(int)")
    assert lib.abs(-3) == 3
    assert ffi.addressof(lib, "abs")(-4) == 4


@pytest.mark.parametrize("text, expected", [
    ("int(__stdcall *)(int)", "int(*)(int)"), ("int(__cdecl *)(int)", "int(*)(int)"),
    ("int __stdcall(*)(int)", "int(*)(int)"), ("int(__stdcall *[3])(int)", "int(*[3])(int)"),
    ("int(*)(int(__stdcall *)(int))", "int(*)(int(*)(int))"),
])
def test_calling_convention_in_types(text, expected):
    ffi = FFI()
    ffi.cdef("typedef int (__stdcall *fn_t)(int); struct s { int (__cdecl *f)(int); };\n"
             "int apply(int(__stdcall *cb)(int), int);")
    assert ffi.typeof("fn_t") is ffi.typeof("int(*)(int)")
    assert ffi.typeof("struct s").fields[0][1].type is ffi.typeof("int(*)(int)")
    assert ffi.typeof(text) is ffi.typeof(expected)


@pytest.mark.parametrize("decl", ["typedef int fn_t(int);", "typedef int __stdcall fn_t(int);"])
def test_function_typedef_is_not_a_pointer(decl):
    from _backend import CDefError
    ffi = FFI()
    ffi.cdef(decl)
    for text in ("fn_t", " fn_t ", "int ( int )"):
        with pytest.raises(CDefError) as info:
            ffi.typeof(text)
        assert str(info.value) == ("the type '%s' is a function type, not a "
                                   "pointer-to-function type" % (text,))
    assert ffi.typeof("fn_t *") is ffi.typeof("int(*)(int)")


# -- ffi.errno ----
@pytest.mark.parametrize("route", ["fast", "direct", "pointer"])
def test_errno_around_calls(api_ffi, lib, route):
    """ffi.errno set before a call is the errno C sees; the one C leaves is read after."""
    call = {"fast": lambda x: lib.errno_echo(x),
            "direct": lambda x: lib.errno_echo_direct(lib.twice, x // 2),
            "pointer": lambda x: lib.errno_echo_pointer([x, 0])}[route]
    api_ffi.errno = 42
    assert call(6) == 42
    assert api_ffi.errno == 6
    assert call(0) == 6             # what the last call left is the next one's errno
    assert api_ffi.errno == 0
    api_ffi.errno = 17
    assert call(8) == 17
    assert api_ffi.errno == 8


def test_errno_in_another_thread(api_ffi, lib):
    import threading
    seen = []

    def worker():
        api_ffi.errno = 31
        seen.append(lib.errno_echo(4))
        seen.append(api_ffi.errno)
    api_ffi.errno = 2
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [31, 4]
    assert lib.errno_echo(2) == 2        # this thread's own errno


def test_errno_in_threads_started_by_c(api_ffi, lib):
    """Each C thread calling into Python gets a new thread state, then loses it: ffi.errno
    stays right across those (purecffi remembers per thread where ctypes keeps it)."""
    @api_ffi.def_extern()
    def cb_thread(x):
        api_ffi.errno = x
        before = lib.errno_echo(x + 1)
        return before * 1000 + api_ffi.errno
    for x in range(1, 200):
        assert lib.call_in_c_thread(x) == x * 1000 + x + 1
    api_ffi.errno = 5
    assert lib.errno_echo(6) == 5 and api_ffi.errno == 6


def test_limited_api_module_errno_and_function_pointers(tmp_path):
    """The same with set_source(py_limited_api=True), whose C code differs."""
    ffi = FFI()
    ffi.cdef("int errno_echo(int); int apply_i(int(*)(int), int); int twice(int);"
             "int *pick(int);")
    ffi.set_source("_api_rt_limited", r"""
        #include <errno.h>
        static int VALUES[] = {5, 6};
        static int *pick(int i) { return i < 0 ? 0 : VALUES + i; }
        static int errno_echo(int x) { int e = errno; errno = x; return e; }
        static int apply_i(int(*f)(int), int x) { return f(x); }
        static int twice(int x) { return 2 * x; }
    """, py_limited_api=True)
    ffi.compile(tmpdir=str(tmp_path))
    sys.path.insert(0, str(tmp_path))
    try:
        module = __import__("_api_rt_limited")
    finally:
        sys.path.remove(str(tmp_path))
    try:
        lib = module.lib
        module.ffi.errno = 9
        assert lib.errno_echo(4) == 9 and module.ffi.errno == 4
        assert lib.apply_i(lib.twice, 21) == 42
        assert type(lib.apply_i) is type(len)
        assert lib.pick(1)[0] == 6 and lib.pick(-1) == module.ffi.NULL
        assert module.ffi.typeof(lib.pick(0)) is module.ffi.typeof("int *")
        with pytest.raises(TypeError, match="apply_i expected 2 arguments, got 1"):
            lib.apply_i(lib.twice)
    finally:
        for name in list(sys.modules):
            if name.startswith("_api_rt_limited"):
                del sys.modules[name]


@pytest.mark.parametrize("which", [0, 1], ids=["numbers", "pointer"])
def test_errno_in_extern_python(api_ffi, lib, which):
    """Inside an extern "Python" function ffi.errno is C's errno, and what the Python code
    leaves in ffi.errno is C's errno when it returns (also across a C call it makes)."""
    seen = []

    def body(x):
        seen.append(api_ffi.errno)
        assert lib.errno_echo(55) == 33
        assert api_ffi.errno == 55
        api_ffi.errno = 44
        return x if isinstance(x, int) else x[0]
    api_ffi.def_extern("cb_errno")(body)
    api_ffi.def_extern("cb_errno_p")(body)
    api_ffi.errno = 7
    assert lib.errno_around(which, 2) == 2044
    assert seen == [33]
    assert api_ffi.errno == 44


def test_errno_in_callbacks(api_ffi, lib):
    """The same for ffi.callback() (libffi/ctypes closures) called from API-mode C code."""
    seen = []

    def body(x):
        seen.append(api_ffi.errno)
        api_ffi.errno = 45
        return x
    callback = api_ffi.callback("int(int)", body)
    api_ffi.errno = 8
    assert lib.errno_around_fp(callback, 3) == 3045
    assert seen == [34] and api_ffi.errno == 45


# -- extern "Python" ----
def test_extern_python_not_attached(lib, capfd, monkeypatch):
    """cffi 2.x's message (the manual does not give one), written to C's stderr and not to
    sys.stderr as cffi does; the result is zeroed."""
    import io
    python_stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", python_stderr)
    assert lib.call_cb(3) == 0
    p = lib.call_cb_pt(3)
    assert (p.x, p.y) == (0, 0)
    assert lib.call_cb_d(3.5) == 0.0
    err = capfd.readouterr().err
    for name in ("cb", "cb_pt", "cb_d"):
        assert ('extern "Python": function %s.%s() called, but no code was attached to it '
                'yet with @ffi.def_extern().  Returning 0.\n' % (MODULE, name)) in err
    assert python_stderr.getvalue() == ""


def test_extern_c_python_spellings(api_ffi, lib):
    """extern "C+Python", "Python + C" and a block: non-static, attached as any other."""
    for index, name in enumerate(["cb_c_python", "cb_python_c", "cb_block1", "cb_block2"]):
        api_ffi.def_extern(name)(lambda x, k=index: x * 100 + k)
        assert lib.call_named(index, 7) == 700 + index
        assert api_ffi.typeof(getattr(lib, name)) is api_ffi.typeof("int(*)(int)")


def test_extern_c_python_is_not_static():
    ffi = FFI()
    ffi.cdef('extern "C + Python" int f(int); extern "Python" int s(int);')
    ffi.set_source("_api_rt_emit", "")
    out = io.StringIO()
    ffi.emit_c_code(out)
    text = out.getvalue()
    assert "static int s(int" in text
    assert "static int f(int" not in text and "int f(int" in text


@pytest.mark.parametrize("language", ['"Python+"', '"C"', '"python"', '" Python"',
                                      '"Python+Python"'])
def test_other_extern_languages_are_refused(language):
    from _backend import CDefError
    ffi = FFI()
    with pytest.raises(CDefError):
        ffi.cdef("extern %s int f(int);" % (language,))


@pytest.mark.parametrize("which", [0, 1], ids=["numbers", "pointer"])
def test_onerror_giving_a_bad_result_is_reported(api_ffi, lib, capfd, monkeypatch, which):
    """onerror's result that does not convert counts as a failure of onerror: both are
    reported and C gets the `error` value."""
    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)     # cffi uses it
    def boom(x):
        return 1 // 0
    for name in ("cb_errno", "cb_errno_p"):
        api_ffi.def_extern(name, error=9, onerror=lambda *exc: "not a number")(boom)
    assert lib.errno_around(which, 2) // 1000 == 9
    err = capfd.readouterr().err
    assert "Exception ignored from cffi callback %r:\n" % (boom,) in err
    assert "ZeroDivisionError" in err
    assert "Exception ignored during handling of the above exception by 'onerror':\n" in err
    assert err.rstrip().splitlines()[-1].startswith("TypeError: ")
    for name in ("cb_errno", "cb_errno_p"):
        api_ffi.def_extern(name, error=9, onerror=lambda *exc: 77)(boom)
    assert lib.errno_around(which, 2) // 1000 == 77
    assert capfd.readouterr().err == ""


def test_def_extern_argument_errors(api_ffi):
    def cb(x):
        return x
    decorator = api_ffi.def_extern(name=42)     # (checked when it decorates, as cffi)
    with pytest.raises(TypeError, match="^argument 2 must be str or None, not int$"):
        decorator(cb)
    with pytest.raises(api_ffi.error, match="no 'extern \"Python\"' function"):
        api_ffi.def_extern("nope", onerror=42)(cb)      # the name first
    with pytest.raises(TypeError, match="expected a callable object for 'onerror', not int"):
        api_ffi.def_extern("cb", onerror=42)(cb)
    with pytest.raises(TypeError, match="expected a callable object, not int"):
        api_ffi.def_extern("cb")(42)
    with pytest.raises(api_ffi.error, match="ffi.def_extern\\('nope'\\): no 'extern \"Python\"'"
                       " function with this name"):
        api_ffi.def_extern("nope")(cb)


# -- Globals at NULL (issue 9: this used to crash the interpreter) ----
NULL_GLOBALS = r'''
import sys, tempfile
if sys.argv[1] == "cffi":
    import cffi as backend
else:
    import purecffi as backend
ffi = backend.FFI()
ffi.cdef("extern int my_value; extern int *my_ptr; struct s { int a; }; extern struct s my_s;"
         "extern int my_arr[];")
ffi.set_source("_api_rt_null", """
    struct s { int a; };
    static int *p_null; static int **pp_null; static struct s *ps_null;
    #define my_value (*p_null)
    #define my_ptr (*pp_null)
    #define my_s (*ps_null)
    #define my_arr (p_null)
""")
tmpdir = tempfile.mkdtemp()
ffi.compile(tmpdir=tmpdir)
sys.path.insert(0, tmpdir)
from _api_rt_null import ffi, lib
actions = [lambda: lib.my_value, lambda: setattr(lib, "my_value", 3),
           lambda: ffi.addressof(lib, "my_value"), lambda: lib.my_ptr,
           lambda: setattr(lib, "my_ptr", ffi.NULL), lambda: ffi.addressof(lib, "my_ptr"),
           lambda: lib.my_s, lambda: setattr(lib, "my_s", [1]),
           lambda: ffi.addressof(lib, "my_s"), lambda: lib.my_arr,
           lambda: ffi.addressof(lib, "my_arr")]
for action in actions:
    try:
        action()
    except ffi.error as exc:
        print(exc)
    else:
        print("no error")
'''


def test_globals_at_address_null(tmp_path):
    script = tmp_path / "null_globals.py"
    script.write_text(NULL_GLOBALS)
    proc = subprocess.run([sys.executable, str(script), "cffi" if IS_CFFI else "purecffi"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    names = ["my_value"] * 3 + ["my_ptr"] * 3 + ["my_s"] * 3 + ["my_arr"] * 2
    assert proc.stdout.splitlines() == [
        "global variable '%s' is at address NULL" % (name,) for name in names]


# -- emit_*_code() and compile() ----
def test_emit_c_code_to_a_file_object(tmp_path, capsys):
    ffi = FFI()
    ffi.cdef("int f(int);")
    ffi.set_source("_api_rt_emit", "static int f(int x) { return x; }")
    out = io.StringIO()
    assert ffi.emit_c_code(out) is None
    path = tmp_path / "emitted.c"
    ffi.emit_c_code(str(path))
    assert out.getvalue() == path.read_text()
    assert "generating %s" % (out,) in capsys.readouterr().out


def test_emit_python_code_to_a_file_object(tmp_path):
    ffi = FFI()
    ffi.cdef("int f(int);")
    ffi.set_source("_api_rt_emit_abi", None)
    out = io.StringIO()
    assert ffi.emit_python_code(out) is None
    path = tmp_path / "emitted.py"
    ffi.emit_python_code(str(path))
    assert out.getvalue() == path.read_text()


def _files_under(top):
    return sorted(os.path.relpath(os.path.join(root, name), str(top))
                  for root, _, names in os.walk(str(top)) for name in names)


def test_compile_in_a_package_leaves_files_only_in_the_package(tmp_path):
    ffi = FFI()
    ffi.cdef("int f(int);")
    ffi.set_source("pkg_api_rt._mod", "static int f(int x) { return x + 1; }")
    path = ffi.compile(tmpdir=str(tmp_path))
    assert os.path.dirname(path) == str(tmp_path / "pkg_api_rt")
    assert os.listdir(str(tmp_path)) == ["pkg_api_rt"]
    files = _files_under(tmp_path)
    assert os.path.join("pkg_api_rt", "_mod.c") in files
    assert os.path.relpath(path, str(tmp_path)) in files
    for name in files:
        assert name.startswith("pkg_api_rt" + os.sep) and name.count(os.sep) == 1, name
    if not IS_CFFI:     # cffi also leaves pkg_api_rt/_mod.o; purecffi no object file at all
        # (the C file, the module and its type stub)
        assert sorted(os.path.splitext(name)[1] for name in files) == [".c", ".pyi", ".so"]


# -- Functions prepared at their first use ----
LAZY_CDEF = "".join("struct s%d { int a; double b; }; int get%d(struct s%d *);\n" % (i, i, i)
                    for i in range(6)) + "int apply(int(*)(struct s0 *), struct s0 *);\n"
LAZY_SOURCE = "".join("struct s%d { int a; double b; };\n"
                      "static int get%d(struct s%d *p) { return p ? p->a + %d : -1; }\n"
                      % (i, i, i, i) for i in range(6)) + \
    "static int apply(int(*f)(struct s0 *), struct s0 *p) { return f(p); }\n"


@pytest.fixture(scope="module")
def lazy_mod(tmp_path_factory):
    from conftest import build_api_module
    return build_api_module(tmp_path_factory.mktemp("api_lazy"), "_api_lazy_mod",
                            LAZY_CDEF, LAZY_SOURCE)


def test_import_prepares_no_type_of_an_unused_function(lazy_mod):
    """Importing the module makes no per-type machinery for functions nobody calls (what
    a library of hundreds of functions would otherwise pay at import, in time and memory)."""
    ffi, lib = lazy_mod.ffi, lazy_mod.lib
    if not IS_CFFI:
        assert all(getattr(ffi.typeof("struct s%d *" % i), "_rt", None) is None
                   for i in range(1, 6))
    # used through their function pointer first, then called the slow way (a list)
    assert ffi.typeof(lib.get3) is ffi.typeof("int(*)(struct s3 *)")
    assert ffi.cast("void *", lib.get4) != ffi.NULL
    assert lib.apply(lib.get0, ffi.new("struct s0 *", [5, 0.5])) == 5
    assert lib.get5(ffi.NULL) == -1
    assert lib.get2([[40, 1.5]]) == 42      # (a list for a struct pointer: the slow path)
    with pytest.raises(TypeError):
        lib.get1(ffi.new("struct s2 *"))


def test_first_slow_calls_from_threads_at_once(lazy_mod):
    """The function that takes what the fast path does not is made at the first such call;
    threads doing that call together all get the right result."""
    from conftest import run_together
    lib = lazy_mod.lib
    assert run_together(lambda n: lib.get1([[n, 0.0]])) == [n + 1 for n in range(8)]
