"""API mode: `static const T NAME;` of every kind of T reads as cffi reads it (a char is bytes,
the wide characters are str, a float is the float's value, an array and a pointer are cdata)."""
import shutil

import pytest

from conftest import build_api_module

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_DECLS = [
    # (type, C initialiser, expected Python value)
    ("char", "'z'", b"z"),
    ("char", "'\\xff'", b"\xff"),
    ("signed char", "-3", -3),
    ("unsigned char", "250", 250),
    ("_Bool", "1", 1),
    ("short", "-300", -300),
    ("unsigned long long", "18446744073709551615ULL", 2**64 - 1),
    ("long long", "-5", -5),
    ("float", "0.1f", 0.10000000149011612),
    ("double", "0.1", 0.1),
    ("wchar_t", "L'w'", "w"),
    ("char16_t", "u'q'", "q"),
    ("char32_t", "U'\\U0001F600'", "\U0001F600"),
]


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    cdef = "\n".join("static const %s C%d;" % (ctype, i) for i, (ctype, _, _) in
                     enumerate(_DECLS))
    cdef += "\nstatic const int ARR[3];\nstatic const char *const STR;\n"
    cdef += "typedef ... opaque_t;\nstatic const opaque_t OPAQUE;\n"
    source = "#include <wchar.h>\n#include <uchar.h>\n" + "\n".join(
        "static const %s C%d = %s;" % (ctype, i, init)
        for i, (ctype, init, _) in enumerate(_DECLS))
    source += '\nstatic const int ARR[3] = {4, 5, 6};\nstatic const char *const STR = "s";\n'
    source += "typedef struct { int a; } opaque_t;\nstatic const opaque_t OPAQUE = {1};\n"
    module = build_api_module(tmp_path_factory.mktemp("apiconst"), "_api_constants", cdef,
                              source)
    return module.ffi, module.lib


@pytest.mark.parametrize("index", range(len(_DECLS)), ids=[d[0] for d in _DECLS])
def test_scalar_constant(lib, index):
    _, lib = lib
    value = getattr(lib, "C%d" % index)
    expected = _DECLS[index][2]
    assert value == expected and type(value) is type(expected)


def test_array_and_pointer_constants(lib):
    ffi, lib = lib
    assert ffi.typeof(lib.ARR) is ffi.typeof("int[3]") and list(lib.ARR) == [4, 5, 6]
    assert ffi.string(lib.STR) == b"s"
    with pytest.raises(AttributeError) as info:
        lib.C0 = b"a"
    assert str(info.value) == "cannot write to function or constant 'C0'"
    with pytest.raises(AttributeError) as info:
        ffi.addressof(lib, "C0")
    assert str(info.value) == "cannot take the address of the constant 'C0'"


def test_constant_of_an_opaque_type_raises_when_read(lib):
    """(the module imports; cffi cannot read it either)"""
    ffi, lib = lib
    with pytest.raises(ffi.error) as info:
        lib.OPAQUE
    assert str(info.value) == "constant 'OPAQUE' is of type 'opaque_t', whose size is not known"
