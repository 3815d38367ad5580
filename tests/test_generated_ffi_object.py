"""The ffi object of a generated module (API mode and out-of-line ABI mode) as cffi's
compiled ffi behaves: a program can neither set nor delete its attributes (cffi's
AttributeError, "read-only" for its methods and constants), and type(ffi)() makes an empty
ffi of that kind.  One module of each mode; validated against cffi with
PURECFFI_TEST_AGAINST=cffi."""
import shutil

import pytest

from _backend import FFI
from conftest import build_api_module, import_built

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

CDEF = """
    struct s { int a; double b; };
    typedef struct s s_t;
    int add(int, int);
    #define KD 7
"""
SOURCE = """
    struct s { int a; double b; };
    typedef struct s s_t;
    int add(int a, int b) { return a + b; }
    #define KD 7
"""


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    """{"api": module, "abi": module} of the same cdef."""
    directory = tmp_path_factory.mktemp("generated_ffi_object")
    builder = FFI()
    builder.cdef(CDEF)
    builder.set_source("_gen_ffi_obj_abi", None)
    builder.compile(tmpdir=str(directory))
    return {"api": build_api_module(directory, "_gen_ffi_obj_api", CDEF, SOURCE),
            "abi": import_built(directory, "_gen_ffi_obj_abi")}


@pytest.fixture(params=["api", "abi"])
def ffi(request, modules):
    return modules[request.param].ffi


def _attribute_error(action):
    with pytest.raises(AttributeError) as info:
        action()
    assert info.value.__cause__ is None
    return str(info.value)


# -- Setting and deleting attributes ----
@pytest.mark.parametrize("name", ["foo", "_private", "cdef", "verify", "__foo"])
def test_a_new_attribute_cannot_be_set_or_deleted(ffi, name):
    message = "'_cffi_backend.FFI' object has no attribute '%s'" % (name,)
    assert _attribute_error(lambda: setattr(ffi, name, 1)) == message
    assert _attribute_error(lambda: delattr(ffi, name)) == message
    assert not hasattr(ffi, name)


@pytest.mark.parametrize("name", ["new", "NULL", "error", "CData", "CType", "buffer",
                                  "from_buffer", "RTLD_NOW", "typeof", "integer_const"])
def test_its_methods_and_constants_are_read_only(ffi, name):
    before = getattr(ffi, name)
    message = "'_cffi_backend.FFI' object attribute '%s' is read-only" % (name,)
    assert _attribute_error(lambda: setattr(ffi, name, 1)) == message
    assert _attribute_error(lambda: delattr(ffi, name)) == message
    assert getattr(ffi, name) == before


def test_errno_can_be_set(ffi):
    ffi.errno = 17
    assert ffi.errno == 17
    ffi.errno = 0


def test_the_ffi_still_works_after_the_refusals(ffi):
    assert ffi.new("s_t *", [3, 1.5]).b == 1.5
    assert ffi.integer_const("KD") == 7
    assert repr(ffi.NULL) == "<cdata 'void *' NULL>"


# -- type(ffi)() ----
def test_type_of_ffi_makes_an_empty_compiled_ffi(ffi):
    for empty in (type(ffi)(), type(ffi)("some_name")):
        assert type(empty) is type(ffi)
        assert empty.list_types() == ([], [], [])
        assert repr(empty.typeof("int *")) == "<ctype 'int *'>"
        assert empty.new("int *", 5)[0] == 5
        with pytest.raises(empty.error) as info:
            empty.typeof("struct s")
        assert str(info.value) == "undefined struct/union name\nstruct s\n       ^"
        with pytest.raises(empty.error) as info:
            empty.typeof("s_t")
        assert str(info.value) == "undefined type name\ns_t\n^"
        with pytest.raises(empty.error) as info:     # its parser is the compiled ffi's
            empty.typeof("int[1+2]")
        assert str(info.value) == "expected ']'\nint[1+2]\n     ^"
        with pytest.raises(AttributeError) as info:
            empty.integer_const("KD")
        assert str(info.value) == "integer constant 'KD' not found"
        assert _attribute_error(lambda: setattr(empty, "foo", 1)) == (
            "'_cffi_backend.FFI' object has no attribute 'foo'")


@pytest.mark.parametrize("argument, name", [(None, "None"), (1, "int"), (b"x", "bytes")])
def test_type_of_ffi_takes_a_module_name(ffi, argument, name):
    with pytest.raises(TypeError) as info:
        type(ffi)(argument)
    assert str(info.value) == "FFI() argument 1 must be str, not %s" % (name,)
