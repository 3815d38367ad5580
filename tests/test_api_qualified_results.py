"""API mode: functions declared with a qualified result (`const int f(int);`, as
cryptography's cdef declares BN_prime_checks_for_size) compile and return their value, through
every wrapper: the fast one (ints), the pointer one (a struct by value) and extern "Python"."""
import shutil

import pytest

from conftest import build_api_module

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_DECLS = "struct pair { int a, b; }; typedef const int cint;"
_CDEF = _DECLS + """
    const int twice(int);
    const volatile long seven(void);
    char *const name(void);
    const char *const label(void);
    const struct pair make(int, int);
    cint thrice(int);
    extern "Python" const int from_python(int);
    int call_python(int);
"""
_SOURCE = _DECLS + """
    static const int twice(int x) { return 2 * x; }
    static const volatile long seven(void) { return 7; }
    static char *const name(void) { static char n[] = "name"; return n; }
    static const char *const label(void) { return "label"; }
    static const struct pair make(int a, int b) { struct pair p = {a, b}; return p; }
    static cint thrice(int x) { return 3 * x; }
    static const int from_python(int);
    static int call_python(int x) { return from_python(x) + 1; }
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("qualres"), "_api_qualres", _CDEF, _SOURCE)


def test_const_scalar_results(mod):
    assert mod.lib.twice(21) == 42
    assert mod.lib.twice(-4) == -8
    assert mod.lib.seven() == 7
    assert mod.lib.thrice(5) == 15


def test_const_pointer_results(mod):
    ffi, lib = mod.ffi, mod.lib
    assert ffi.string(lib.name()) == b"name"
    assert ffi.string(lib.label()) == b"label"
    assert ffi.typeof(lib.label()) is ffi.typeof("char *")


def test_const_struct_result(mod):
    pair = mod.lib.make(3, 4)
    assert (pair.a, pair.b) == (3, 4)
    assert mod.ffi.typeof(pair) is mod.ffi.typeof("struct pair")


def test_const_result_of_extern_python(mod):
    ffi, lib = mod.ffi, mod.lib

    @ffi.def_extern(name="from_python")
    def from_python(x):
        return x * 10

    assert lib.call_python(4) == 41
    assert lib.call_python(-1) == -9
