"""ffi.integer_const() on the ffi of an API-mode module: the compiler's values of enum values,
`#define`s and `static const` integers; everything else is refused as cffi refuses it."""
import shutil

import pytest

from _backend import FFI
from conftest import import_built

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

CDEF = """
    enum col { RED, GREEN, ... };
    #define FOO ...
    #define BAR 7
    static const int SCI;
    static const double PI;
    int add(int, int);
    extern int counter;
    static const char CHR;
    static const wchar_t WCHR;
    static const char *const STR;
    static const enum col CONST_COL;
    static const _Bool FLAG;
    static const unsigned char UCHR;
"""
SOURCE = """
    enum col { RED = 3, BLUE, GREEN = 10 };
    #define FOO 123
    #define BAR 7
    static const int SCI = -5;
    static const double PI = 3.14;
    static int add(int a, int b) { return a + b; }
    int counter = 5;
    #include <wchar.h>
    static const char CHR = 'x';
    static const wchar_t WCHR = L'y';
    static const char *const STR = "s";
    static const enum col CONST_COL = BLUE;
    static const _Bool FLAG = 1;
    static const unsigned char UCHR = 200;
"""


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    directory = tmp_path_factory.mktemp("api_integer_const")
    builder = FFI()
    builder.cdef(CDEF)
    builder.set_source("_api_integer_const", SOURCE)
    builder.compile(tmpdir=str(directory))
    return import_built(directory, "_api_integer_const")


@pytest.fixture(scope="module")
def ffi(module):
    return module.ffi


@pytest.mark.parametrize("name, value", [("RED", 3), ("GREEN", 10), ("FOO", 123), ("BAR", 7),
                                         ("SCI", -5), ("FLAG", 1),
                                         ("UCHR", 200)])
def test_integer_constants(ffi, name, value):
    assert ffi.integer_const(name) == value


@pytest.mark.parametrize("name", ["PI", "add", "counter", "CHR", "WCHR", "STR", "CONST_COL"])
def test_other_names_must_come_from_lib(ffi, name):
    with pytest.raises(ffi.error) as info:
        ffi.integer_const(name)
    assert str(info.value) == ("function, global variable or non-integer constant '%s' must "
                               "be fetched from its original 'lib' object" % (name,))


def test_unknown_name(ffi):
    with pytest.raises(AttributeError):
        ffi.integer_const("NOPE")


def test_refused_constants_are_read_from_lib(module):
    """What integer_const() refuses (a char, a wchar_t, a pointer, an enum-typed constant)
    the lib gives."""
    lib = module.lib
    assert (lib.CHR, lib.WCHR, lib.CONST_COL) == (b"x", "y", 4)
    assert module.ffi.string(lib.STR) == b"s"


@pytest.mark.parametrize("name, message", [(b"FOO", "argument 1 must be str, not bytes"),
                                           (None, "argument 1 must be str, not None"),
                                           (42, "argument 1 must be str, not int")])
def test_name_must_be_a_str(ffi, name, message):
    with pytest.raises(TypeError) as info:
        ffi.integer_const(name)
    assert str(info.value) == message


def test_names_of_an_included_module(tmp_path):
    """Integer constants of an included module are there; its functions and globals must be
    fetched from its own lib."""
    base = FFI()
    base.cdef("#define BASE_K 42\nint base_add(int, int);\nextern int base_g;")
    base.set_source("_api_ic_base", "#define BASE_K 42\n"
                                    "static int base_add(int a, int b) { return a + b; }\n"
                                    "int base_g = 3;")
    base.compile(tmpdir=str(tmp_path))
    top = FFI()
    top.include(base)
    top.cdef("int top_f(void);")
    top.set_source("_api_ic_top", "#define BASE_K 42\nstatic int top_f(void) { return 1; }")
    top.compile(tmpdir=str(tmp_path))
    import_built(tmp_path, "_api_ic_base")
    ffi = import_built(tmp_path, "_api_ic_top").ffi
    assert ffi.integer_const("BASE_K") == 42
    for name in ("base_add", "base_g"):
        with pytest.raises(ffi.error) as info:
            ffi.integer_const(name)
        assert "'%s' must be fetched from its original 'lib' object" % (name,) in str(info.value)
