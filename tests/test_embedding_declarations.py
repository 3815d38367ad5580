"""ffi.embedding_api() and ffi.embedding_init_code() before anything is built (spec 9.1):
what they accept and refuse, with cffi's errors.  Validated against cffi with
PURECFFI_TEST_AGAINST=cffi."""
import pytest

from _backend import FFI, IS_CFFI, CDefError, FFIError


def test_a_function_exported_twice_is_refused_and_changes_nothing():
    ffi = FFI()
    ffi.embedding_api("int add(int, int);")
    with pytest.raises(FFIError) as info:
        ffi.embedding_api("typedef int later_t; int add(int, int);")
    assert str(info.value) == ("multiple declarations of dllexport_python add (for "
                               "interactive usage, try cdef(xx, override=True))")
    if not IS_CFFI:     # purecffi's rule: a refused declaration changes nothing (cffi's
        with pytest.raises(CDefError):      # embedding_api() keeps the typedef before it)
            ffi.typeof("later_t")
    ffi.embedding_api("int sub(int, int);")        # another function is fine
    assert ffi.typeof("int(*)(int, int)").kind == "function"


def test_a_syntax_error_in_the_init_code_is_raised_at_once():
    ffi = FFI()
    ffi.embedding_api("int add(int, int);")
    with pytest.raises(SyntaxError) as info:
        ffi.embedding_init_code("x = (")
    assert info.value.filename == "cffi_init" and info.value.lineno == 1
    with pytest.raises(SyntaxError) as info:
        ffi.embedding_init_code("""

            y = 1
            x = (""")
    assert info.value.lineno == 2       # counted from the first line of code, as cffi


def test_init_code_is_set_once():
    ffi = FFI()
    ffi.embedding_api("int add(int, int);")
    ffi.embedding_init_code("x = 1")
    with pytest.raises(ValueError):
        ffi.embedding_init_code("y = 2")
