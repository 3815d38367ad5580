"""Global variables of an API-mode module written from Python, as cffi's lib writes them: arrays
of unknown length (`extern T x[];`) take a list or tuple, a `char` one a bytes (with its
terminating zero), a `wchar_t` one a str (its characters only); anything else is the array
initializer's TypeError.  (And ffi.dlclose() of the lib, which cffi accepts and ignores.)"""
import shutil

import pytest

from conftest import build_api_module

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

CDEF = """
    extern char gco[];
    extern wchar_t gwo[];
    extern int gio[];
"""
SOURCE = """
    #include <wchar.h>
    char gco[8] = "abcdef";
    wchar_t gwo[8] = L"uvwxyz";
    int gio[4] = {1, 2, 3, 4};
"""


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("api_globals"), "_api_globals", CDEF,
                            SOURCE)


def test_open_char_array_takes_bytes_with_their_zero(module):
    ffi, lib = module.ffi, module.lib
    lib.gco = b"xy"
    assert ffi.string(lib.gco) == b"xy"
    assert ffi.unpack(lib.gco, 4) == b"xy\0d"
    lib.gco = [b"A"]                    # a list: only its items
    assert ffi.unpack(lib.gco, 3) == b"Ay\0"


def test_open_wchar_array_takes_the_characters_of_a_str(module):
    """(no terminating zero: cffi writes only the characters)"""
    ffi, lib = module.ffi, module.lib
    lib.gwo = "ab"
    assert ffi.unpack(lib.gwo, 4) == "abwx"
    lib.gwo = ["q"]
    assert ffi.unpack(lib.gwo, 4) == "qbwx"


def test_open_int_array_takes_a_list_or_tuple(module):
    lib = module.lib
    lib.gio = (5, 6)
    assert list(lib.gio[0:4]) == [5, 6, 3, 4]


@pytest.mark.parametrize("name, value, message", [
    ("gco", "xy", "initializer for ctype 'char[]' must be a bytes or list or tuple, not str"),
    ("gwo", b"ab",
     "initializer for ctype 'wchar_t[]' must be a unicode or list or tuple, not bytes"),
    ("gio", None, "initializer for ctype 'int[]' must be a list or tuple, not NoneType"),
    ("gio", 5, "initializer for ctype 'int[]' must be a list or tuple, not int"),
    ("gio", "new int[2]",
     "initializer for ctype 'int[]' must be a list or tuple, not cdata 'int[2]'"),
])
def test_refused_values(module, name, value, message):
    if value == "new int[2]":
        value = module.ffi.new("int[2]")
    with pytest.raises(TypeError) as info:
        setattr(module.lib, name, value)
    assert str(info.value) == message


def test_dlclose_of_the_lib_does_nothing(module):
    """cffi accepts ffi.dlclose() of an API-mode lib, which stays usable."""
    assert module.ffi.dlclose(module.lib) is None
    assert module.lib.gio[3] == 4
    assert module.ffi.addressof(module.lib, "gio")[0][3] == 4
