"""The ffi object of a generated module (API mode and out-of-line ABI mode) as cffi's
compiled ffi behaves: a program can neither set nor delete its attributes (cffi's
AttributeError, "read-only" for its methods and constants), and type(ffi)() makes an empty
ffi of that kind.  One module of each mode; validated against cffi with
PURECFFI_TEST_AGAINST=cffi."""
import shutil

import pytest

from _backend import FFI
from conftest import build_api_module

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
    return {"api": build_api_module(directory, "_gen_ffi_obj_api", CDEF, SOURCE),
            "abi": build_api_module(directory, "_gen_ffi_obj_abi", CDEF, None)}


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


# -- cffi's errors for arguments of the wrong kind ----
@pytest.mark.parametrize("in_line", [False, True])
@pytest.mark.parametrize("value, name", [(1, "int"), (None, "None"), ("x", "str")])
def test_a_non_cdata_argument_1(ffi, in_line, value, name):
    ffi = FFI() if in_line else ffi
    for function, call in [("string", lambda: ffi.string(value)),
                           ("unpack", lambda: ffi.unpack(value, 1)),
                           ("buffer", lambda: ffi.buffer(value)),
                           ("gc", lambda: ffi.gc(value, None))]:
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == ("%s() argument 1 must be _cffi_backend._CDataBase, not %s"
                                   % (function, name))


@pytest.mark.parametrize("make, fields, message", [
    (lambda ffi: ffi.new("int *"), (), "expected a cdata struct/union/array object"),
    (lambda ffi: ffi.new("s_t *"), (), "expected a cdata struct/union/array object"),
    (lambda ffi: ffi.cast("int", 1), (), "expected a cdata struct/union/array object"),
    (lambda ffi: ffi.cast("int(*)(int)", 0), (),
     "expected a cdata struct/union/array object"),
    (lambda ffi: ffi.cast("int", 1), ("a",),
     "expected a cdata struct/union/array/pointer object"),
    (lambda ffi: ffi.cast("int(*)(int)", 0), (0,),
     "expected a cdata struct/union/array/pointer object"),
])
def test_addressof_of_what_is_no_struct_union_or_array(ffi, make, fields, message):
    with pytest.raises(TypeError) as info:
        ffi.addressof(make(ffi), *fields)
    assert str(info.value) == message
    p = ffi.new("s_t *", [1, 2.5])
    assert ffi.addressof(p, "b")[0] == 2.5 and ffi.addressof(p[0]) == p


@pytest.mark.parametrize("value, name", [(None, "None"), (b"*", "bytes"), (5, "int")])
def test_getctype_takes_a_str(ffi, value, name):
    with pytest.raises(TypeError) as info:
        ffi.getctype("int", value)
    assert str(info.value) == "getctype() argument 2 must be str, not %s" % (name,)
    assert ffi.getctype("s_t", "*") == "struct s *"


def test_typeof_of_a_ctype(ffi):
    with pytest.raises(TypeError) as info:
        ffi.typeof(ffi.typeof("int"))
    assert str(info.value) == "expected a string or cdata object, got '_cffi_backend.CType'"


# what cffi's messages call a value's type: its tp_name, module included for a type defined
# in C ('decimal.Decimal'), and '_cffi_backend.X' for cffi's own types
_NAMED_VALUES = [
    (lambda ffi: ffi, "_cffi_backend.FFI"),
    (lambda ffi: ffi.typeof("s_t"), "_cffi_backend.CType"),
    (lambda ffi: ffi.typeof("s_t").fields[0][1], "_cffi_backend.CField"),
    (lambda ffi: ffi.buffer(ffi.new("char[2]")), "_cffi_backend.buffer"),
    (lambda ffi: ffi.dlopen(None), "_cffi_backend.Lib"),
    (lambda ffi: __import__("decimal").Decimal(1), "decimal.Decimal"),
    (lambda ffi: __import__("io").StringIO(), "_io.StringIO"),
]


@pytest.mark.parametrize("make, name", _NAMED_VALUES)
def test_messages_name_a_type_as_its_tp_name(ffi, make, name):
    value = make(ffi)
    calls = [
        (lambda: ffi.typeof(value), "expected a string or cdata object, got '%s'"),
        (lambda: ffi.integer_const(value), "argument 1 must be str, not %s"),
        (lambda: ffi.new("s_t *", value), "initializer for ctype 'struct s' must be a list or "
                                          "tuple or dict or struct-cdata, not %s"),
        (lambda: ffi.new("int **", value), "initializer for ctype 'int *' must be a cdata "
                                           "pointer, not %s"),
        (lambda: ffi.string(value), "string() argument 1 must be _cffi_backend._CDataBase, "
                                    "not %s"),
        (lambda: ffi.dlopen(value), "load_library() argument 1 must be str, bytes or "
                                    "bytearray, not %s"),
        (lambda: ffi.callback("int(int)", abs, onerror=value),
         "expected a callable object for 'onerror', not %s"),
    ]
    if name not in ("_cffi_backend.CType", "_cffi_backend.buffer"):
        calls.append((lambda: ffi.memmove(value, b"", 0),
                      "a bytes-like object is required, not '%s'"))
    if name != "_cffi_backend.Lib":
        calls.append((lambda: ffi.dlclose(value), "argument 1 must be _cffi_backend.Lib, "
                                                  "not %s"))
    for call, message in calls:
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == message % (name,)


@pytest.mark.parametrize("value, name", [(1, "int"), (None, "None"), (1.5, "float")])
def test_dlopen_and_dlclose_of_what_is_no_library(ffi, value, name):
    with pytest.raises(TypeError) as info:
        ffi.dlopen(value if value is not None else 2.5)
    assert str(info.value) == ("load_library() argument 1 must be str, bytes or bytearray, "
                               "not %s" % (name if value is not None else "float",))
    with pytest.raises(TypeError) as info:
        ffi.dlclose(value)
    assert str(info.value) == "argument 1 must be _cffi_backend.Lib, not %s" % (name,)
    with pytest.raises(AttributeError) as info:      # the in-line ffi's
        FFI().dlclose(value)
    assert str(info.value) == ("type object '%s' has no attribute '__cffi_close__'"
                               % (type(value).__name__,))


def test_callback_of_what_is_not_callable(ffi):
    for make in (lambda: ffi.callback("int(int)", 1), lambda: ffi.callback("int(int)")(1)):
        with pytest.raises(TypeError) as info:
            make()
        assert str(info.value) == "expected a callable object, not int"
    with pytest.raises(TypeError) as info:       # the type first
        ffi.callback("int", 1)
    assert str(info.value) == "expected a function ctype, got 'int'"
    with pytest.raises(TypeError) as info:       # the in-line ffi's words
        FFI().callback("int(int)", 1)
    assert str(info.value) == "the 'python_callable' argument is not callable"
    assert ffi.callback("int(int)", lambda x: x * 2)(21) == 42


def test_the_ffi_is_neither_copied_nor_pickled(ffi):
    import copy
    import pickle
    for action in (copy.copy, copy.deepcopy, pickle.dumps):
        with pytest.raises(TypeError) as info:
            action(ffi)
        assert str(info.value) == "cannot pickle '_cffi_backend.FFI' object"


# -- ffi.error ----
def test_ffi_error_is_shown_as_ffi_error_and_is_no_ffierror(ffi):
    import _backend
    error = ffi.error
    assert (error.__name__, error.__qualname__, error.__module__) == ("error", "error", "ffi")
    assert repr(error) == "<class 'ffi.error'>"
    assert error.__mro__[1:] == Exception.__mro__ and error.__doc__ is None
    assert type(ffi).error is error and type(ffi)().error is error
    assert not issubclass(error, _backend.FFIError)
    assert not issubclass(_backend.FFIError, error)
    with pytest.raises(error) as info:
        ffi.sizeof("struct nope")
    assert type(info.value) is error
    assert not isinstance(info.value, _backend.FFIError)   # `except FFIError` misses it
    try:
        ffi.typeof("int[")
    except _backend.FFIError:
        raise AssertionError("an FFIError")
    except error as exc:
        assert str(exc) == "expected a positive integer constant\nint[\n    ^"


def test_one_ffi_error_for_every_generated_module(modules):
    assert modules["api"].ffi.error is modules["abi"].ffi.error
