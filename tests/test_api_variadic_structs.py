"""API mode: a struct declared with `...;` passed by value to a variadic function goes
through libffi, which needs its whole layout: refused with cffi's reason when its declared
fields do not make up that layout, passed when they do (as cffi).  Non-variadic functions
take both through their C wrappers."""
import shutil

import pytest

from conftest import build_api_module

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

CDEF = """
    struct part { int a; ...; };
    struct whole { int a; int b; ...; };
    int count(int n, ...);
    int first(struct part);
    int second(struct whole);
"""
SOURCE = """
    struct part { int a; int hidden; };
    struct whole { int a; int b; };
    static int count(int n, ...) { return n; }
    static int first(struct part p) { return p.a; }
    static int second(struct whole w) { return w.b; }
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("variadic_structs"),
                            "_api_variadic_structs", CDEF, SOURCE)


def test_a_partial_struct_is_refused_as_a_variadic_argument(mod):
    value = mod.ffi.new("struct part *", {"a": 4})[0]
    with pytest.raises(NotImplementedError) as info:
        mod.lib.count(1, value)
    assert str(info.value).startswith(
        "ctype 'struct part' not supported as argument.  It is a struct declared with "
        "\"...;\", but the C calling convention may depend on the missing fields; or, it "
        "contains anonymous struct/unions.  Such structs are only supported as argument if "
        "the function is 'API mode' and non-variadic")


def test_a_struct_whose_fields_are_all_declared_is_passed(mod):
    assert mod.lib.count(1, mod.ffi.new("struct whole *", {"b": 5})[0]) == 1


def test_non_variadic_functions_take_both(mod):
    assert mod.lib.first(mod.ffi.new("struct part *", {"a": 4})[0]) == 4
    assert mod.lib.second(mod.ffi.new("struct whole *", {"b": 5})[0]) == 5
