"""A cdef()'s `#define NAME NUMBER` holds for the whole cdef, as in cffi, which reads them all
first: a use may come before the #define (libyang's cdefs.h sizes `char rev[LY_REV_SIZE]`
sixty lines before defining it), and the last #define of a name is the one every use sees."""
import pytest

from _backend import FFI, FFIError


def _cdef(source):
    ffi = FFI()
    ffi.cdef(source)
    return ffi, ffi.dlopen(None)


def test_array_length_defined_later():
    ffi, lib = _cdef("struct s { char rev[N]; int x; };\n#define N 11\n"
                     "struct t { char d[N]; };")
    assert lib.N == 11
    assert ffi.sizeof("struct s") == 16 and ffi.offsetof("struct s", "x") == 12
    assert ffi.typeof("struct s").fields[0][1].type is ffi.typeof("char[11]")
    assert ffi.sizeof("struct t") == 11


def test_enum_value_defined_later():
    ffi, lib = _cdef("enum e { A = N + 1, B };\n#define N 0x10")
    assert (lib.A, lib.B, lib.N) == (17, 18, 16)


def test_every_use_sees_the_last_define():
    ffi, lib = _cdef("#define N 3\nstruct s { char a[N]; };\n#define N 4\n"
                     "struct t { char b[N]; };")
    assert lib.N == 4
    assert ffi.sizeof("struct s") == ffi.sizeof("struct t") == 4


def test_define_of_an_earlier_cdef_still_applies():
    ffi = FFI()
    ffi.cdef("#define N 5")
    ffi.cdef("struct s { char a[N]; };")
    assert ffi.sizeof("struct s") == 5


def test_undefined_name_is_still_an_error():
    ffi = FFI()
    with pytest.raises(FFIError):
        ffi.cdef("struct s { char a[M]; };\n#define N 5")
