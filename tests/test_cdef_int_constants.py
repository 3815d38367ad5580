"""`int N = 11;` in a cdef(): an integer type initialised by an integer literal declares an
integer constant, not a global variable (cffi's rule); anything else stays a variable."""
import warnings

import pytest

from _backend import FFI, FFIError, IS_CFFI


def _lib(source):
    ffi = FFI()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ffi.cdef(source)
    return ffi, ffi.dlopen(None)


@pytest.mark.parametrize("source, value", [
    ("int N = 11;", 11), ("long N = -11;", -11), ("int N = -0x10;", -16), ("int N = 011;", 9),
    ("int N = 11L;", 11), ("unsigned int N = 11u;", 11), ("size_t N = 7;", 7),
    ("int64_t N = 7;", 7), ("_Bool N = 1;", 1), ("typedef int T; T N = 7;", 7),
    ("volatile int N = 11;", 11), ("extern int N = 4;", 4), ("static int N = 4;", 4),
    ("unsigned char N = 300;", 300),
])
def test_integer_literal_initializer_is_a_constant(source, value):
    ffi, lib = _lib(source)
    assert lib.N == value
    assert dir(lib) == ["N"]


def test_several_in_one_declaration():
    ffi, lib = _lib("int N = 11, M = 12;")
    assert (lib.N, lib.M) == (11, 12)


@pytest.mark.parametrize("source", [
    "int N = +5;", "int N = 1+2;", "int N = 'a';", "char N = 7;", "double N = 1.5;",
    "float N = 1;", "wchar_t N = 7;", "char *N = 0;",
])
def test_other_initializers_declare_a_variable(source):
    ffi, lib = _lib(source)
    with pytest.raises((AttributeError, KeyError)) as info:
        lib.N            # a variable: looked up in the library, where there is none
    assert "N" in str(info.value)


def test_redeclaring_with_another_value_is_an_error():
    ffi = FFI()
    with pytest.raises(FFIError, match="multiple declarations of constant: N"):
        ffi.cdef("int N = 11; int N = 12;")


def test_same_value_as_a_define_is_fine():
    ffi, lib = _lib("#define N 11\nint N = 11;")
    assert lib.N == 11


def test_in_out_of_line_abi_module(tmp_path):
    ffi = FFI()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ffi.cdef("int NAME2 = 11; int NAME3 = -3;")
    ffi.set_source("_int_constants_ool", None)
    ffi.emit_python_code(str(tmp_path / "_int_constants_ool.py"))
    import importlib.util
    spec = importlib.util.spec_from_file_location("_int_constants_ool",
                                                  str(tmp_path / "_int_constants_ool.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lib = module.ffi.dlopen(None)
    assert (lib.NAME2, lib.NAME3) == (11, -3)


@pytest.mark.skipif(IS_CFFI, reason="cffi 2.0 recurses without end (RecursionError)")
def test_cannot_be_assigned():
    ffi, lib = _lib("int N = 11;")
    with pytest.raises(AttributeError, match="constant"):
        lib.N = 3
    assert lib.N == 11
