"""The class of a generated module's ffi is named as cffi's compiled ffi type: __name__ 'FFI',
and '_cffi_backend.FFI' in the messages Python itself writes (an unknown attribute, an
operator it lacks), with no __getattr__ on the class, which would slow every `ffi.method`
lookup.  A subclass is named by its own name, as with cffi.  API mode and out-of-line ABI
mode; validated against cffi with PURECFFI_TEST_AGAINST=cffi."""
import shutil

import pytest

from _backend import IS_CFFI
from conftest import build_api_module

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

CDEF = "struct s { int a; double b; };"
SOURCE = "struct s { int a; double b; };"


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    """{"api": module, "abi": module} of the same cdef."""
    directory = tmp_path_factory.mktemp("ffi_type_name")
    return {"api": build_api_module(directory, "_ffi_type_name_api", CDEF, SOURCE),
            "abi": build_api_module(directory, "_ffi_type_name_abi", CDEF, None)}


@pytest.fixture(params=["api", "abi"])
def ffi(request, modules):
    return modules[request.param].ffi


def _message(error, action):
    with pytest.raises(error) as info:
        action()
    return str(info.value)


def test_its_class_is_named_ffi(ffi):
    assert type(ffi).__name__ == type(ffi).__qualname__ == "FFI"


def test_an_unknown_attribute_names_cffi_type(ffi):
    assert _message(AttributeError, lambda: ffi.no_such_name) == (
        "'_cffi_backend.FFI' object has no attribute 'no_such_name'")
    assert _message(AttributeError, lambda: ffi.cdef) == (
        "'_cffi_backend.FFI' object has no attribute 'cdef'")
    assert getattr(ffi, "no_such_name", 5) == 5
    assert not hasattr(ffi, "compile")


def test_python_own_messages_name_cffi_type(ffi):
    assert _message(TypeError, lambda: ffi + 1) == (
        "unsupported operand type(s) for +: '_cffi_backend.FFI' and 'int'")
    assert _message(TypeError, lambda: ffi()) == "'_cffi_backend.FFI' object is not callable"


def test_a_subclass_is_named_by_its_own_name(ffi):
    class Mine(type(ffi)):
        pass
    mine = Mine()
    assert _message(AttributeError, lambda: mine.no_such_name) == (
        "'Mine' object has no attribute 'no_such_name'")
    assert mine.sizeof("int") == 4


def test_the_methods_still_work(ffi):
    assert ffi.sizeof("struct s") == 16
    assert ffi.new("struct s *", [1, 2.5]).b == 2.5
    assert repr(ffi.typeof("struct s")) == "<ctype 'struct s'>"


@pytest.mark.skipif(IS_CFFI, reason="purecffi's own class")
def test_no_getattr_on_the_class(ffi):
    assert "__getattr__" not in type(ffi).__dict__
    assert all("__getattr__" not in vars(cls) for cls in type(ffi).__mro__)


@pytest.mark.skipif(IS_CFFI, reason="purecffi's own mechanism")
def test_where_the_type_name_cannot_be_set_a_getattr_gives_the_words(monkeypatch):
    from purecffi import ffi_attrs
    from purecffi.api import FFI as InlineFFI

    class Other(InlineFFI):
        pass
    monkeypatch.setattr(ffi_attrs, "set_tp_name", lambda cls, dotted: False)
    ffi_attrs.name_as_cffi(Other)
    assert Other.__name__ == "FFI" and "__getattr__" in vars(Other)
    assert _message(AttributeError, lambda: Other().no_such_name) == (
        "'_cffi_backend.FFI' object has no attribute 'no_such_name'")


@pytest.mark.skipif(IS_CFFI, reason="purecffi's own mechanism")
def test_the_type_name_is_only_set_where_it_is_found_as_expected(monkeypatch):
    from purecffi import cdatabase
    from purecffi.api import FFI as InlineFFI

    class Other(InlineFFI):
        pass
    cpython = cdatabase.sys.implementation.name == "cpython"
    assert cdatabase.set_tp_name(Other, "_cffi_backend.FFI") is cpython
    # set: the word where tp_name was is no longer the class's __name__, so not set again
    assert cdatabase.set_tp_name(Other, "_cffi_backend.FFI") is False
    assert Other.__name__ == "Other"
    assert _message(AttributeError, lambda: Other().x) == (
        "'%s' object has no attribute 'x'" % ("_cffi_backend.FFI" if cpython else "Other",))
    monkeypatch.setattr(cdatabase.sys, "implementation", type("I", (), {"name": "other"}))

    class Third(InlineFFI):
        pass
    assert cdatabase.set_tp_name(Third, "_cffi_backend.FFI") is False
    assert _message(AttributeError, lambda: Third().x) == "'Third' object has no attribute 'x'"
