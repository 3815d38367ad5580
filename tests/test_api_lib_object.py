"""What a program observes of an API-mode module's `lib` and `ffi` objects beyond calling
them, as cffi shows it: names of the types behind them, the errors of deleting, pickling,
copying and of ffi.addressof() with the wrong arity, builder methods absent from the compiled
ffi, and None given for a by-value struct or long double argument.  One compiled module;
validated against cffi with PURECFFI_TEST_AGAINST=cffi."""
import copy
import pickle
import shutil
import sys

import pytest

from _backend import FFI
from conftest import build_api_module, import_built

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

NAME = "_api_lib_object"
CDEF = """
    struct pt { int x, y; };
    union un { int i; char c; };
    extern int gi;
    extern int gopen[];
    int add(int, int);
    int ptsum(struct pt);
    int unval(union un);
    long double twice(long double);
    #define DX 42
    static const struct pt KPT;
    extern const struct pt CGS;
"""
SOURCE = """
    #define DX 42
    struct pt { int x, y; };
    union un { int i; char c; };
    int gi = 5;
    int gopen[2] = {1, 2};
    int add(int a, int b) { return a + b; }
    int ptsum(struct pt p) { return p.x + p.y; }
    int unval(union un u) { return u.i; }
    long double twice(long double x) { return 2 * x; }
    static const struct pt KPT = {7, 8};
    const struct pt CGS = {1, 2};
"""


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("api_lib_object"), NAME, CDEF, SOURCE)


# -- Names of the types ----
def test_a_function_is_a_built_in_method_of_the_lib(module):
    lib = module.lib
    assert repr(lib.add).startswith("<built-in method add of _cffi_backend.Lib object at 0x")
    assert repr(lib.add.__self__) == repr(lib) == "<Lib object for '%s'>" % (NAME,)


def test_a_global_variable_in_the_lib_dict_is_an_ffi_glob_support(module):
    for name in ("gi", "gopen"):
        assert repr(module.lib.__dict__[name]).startswith(
            "<_cffi_backend.__FFIGlobSupport object at 0x")


def test_the_lib_dict_holds_every_name_in_name_order(module):
    names = list(module.lib.__dict__)
    assert names == sorted(names)
    assert set(names) == {"gi", "gopen", "add", "ptsum", "unval", "twice", "DX", "KPT", "CGS"}


def test_the_compiled_ffi_is_named_ffi(module):
    assert type(module.ffi).__name__ == "FFI"
    with pytest.raises(AttributeError) as info:
        module.ffi.no_such_method
    assert str(info.value) == "'_cffi_backend.FFI' object has no attribute 'no_such_method'"


@pytest.mark.parametrize("method", ["cdef", "set_source", "compile", "verify", "include",
                                    "emit_c_code", "embedding_api", "set_unicode"])
def test_the_compiled_ffi_has_no_builder_methods(module, method):
    with pytest.raises(AttributeError) as info:
        getattr(module.ffi, method)
    assert str(info.value) == "'_cffi_backend.FFI' object has no attribute '%s'" % (method,)
    assert not hasattr(module.ffi, method)


@pytest.mark.parametrize("name, x", [("KPT", 7), ("CGS", 1)])
def test_a_struct_constant_is_shown_as_a_reference(module, name, x):
    value = getattr(module.lib, name)
    assert repr(value).startswith("<cdata 'struct pt &' 0x")
    assert value.x == x and module.ffi.sizeof(value) == 8


# -- Deleting, pickling, copying ----
def test_deleting_an_undeclared_name_says_it_is_not_there(module):
    with pytest.raises(AttributeError) as info:
        del module.lib.nope
    assert str(info.value) == ("cffi library '%s' has no function, constant or global "
                               "variable named 'nope'" % (NAME,))


@pytest.mark.parametrize("name", ["gi", "add", "DX"])
def test_deleting_a_declared_name_is_refused(module, name):
    with pytest.raises(AttributeError):
        delattr(module.lib, name)
    assert hasattr(module.lib, name)


def test_the_lib_cannot_be_pickled_or_copied(module):
    with pytest.raises(pickle.PicklingError) as info:
        pickle.dumps(module.lib)
    assert str(info.value) == "can't pickle '_cffi_backend.Lib' object: %r" % (module.lib,)
    with pytest.raises(pickle.PicklingError) as info:
        pickle.dumps(module.lib.add)                    # (it pickles its `self`, the lib)
    assert str(info.value) == "can't pickle '_cffi_backend.Lib' object: %r" % (module.lib,)
    with pytest.raises(copy.Error) as info:
        copy.copy(module.lib)
    assert str(info.value) == ("un(shallow)copyable object of type <class "
                               "'_cffi_backend.Lib'>")


# -- ffi.addressof(lib, ...) ----
@pytest.mark.parametrize("extra", [(), ("gi", "x")])
def test_addressof_a_lib_takes_exactly_one_name(module, extra):
    with pytest.raises(TypeError) as info:
        module.ffi.addressof(module.lib, *extra)
    assert str(info.value) == ("function takes exactly 2 arguments (%d given)"
                               % (1 + len(extra),))


# -- None for a by-value argument ----
@pytest.mark.parametrize("function, ctype", [("ptsum", "struct pt"), ("unval", "union un")])
def test_none_is_no_struct_or_union_argument(module, function, ctype):
    with pytest.raises(TypeError) as info:
        getattr(module.lib, function)(None)
    assert str(info.value) == ("initializer for ctype '%s' must be a list or tuple or dict "
                               "or struct-cdata, not NoneType" % (ctype,))


def test_none_is_no_long_double_argument(module):
    with pytest.raises(TypeError) as info:
        module.lib.twice(None)
    assert str(info.value) == "must be real number, not NoneType"
    assert float(module.lib.twice(1.5)) == 3.0
    assert module.lib.ptsum({"x": 1, "y": 2}) == 3


# -- ffi.dlopen() of a compiled ffi ----
def test_dlopen_of_the_compiled_ffi_names_the_library(module):
    """No name guessing; the lib is named after the library."""
    lib = module.ffi.dlopen(None)
    assert repr(lib) == "<Lib object for '<None>'>"
    assert lib.__name__ == "<None>.lib"
    assert lib.DX == 42
    with pytest.raises(AttributeError) as info:
        lib.nope
    assert str(info.value) == ("cffi library '<None>' has no function, constant or global "
                               "variable named 'nope'")
    with pytest.raises(OSError) as info:
        module.ffi.dlopen("m")
    assert str(info.value).startswith("cannot load library 'm'")


def test_dlopen_of_the_compiled_ffi_gives_the_compiled_names(module, tmp_path_factory):
    """As cffi: the library is opened, but its lib holds the module's own functions,
    globals and constants (not the library's same-named symbols), which dlclose() leaves."""
    from conftest import build_shared_library
    path = build_shared_library(tmp_path_factory, "apitwin",
                                "int add(int a, int b) { return a - b; } int gi = -1;")
    lib = module.ffi.dlopen(path)
    assert lib is not module.lib
    assert repr(type(lib)) == "<class '_cffi_backend.Lib'>"
    assert repr(lib) == "<Lib object for '%s'>" % (path,)
    assert lib.__name__ == path + ".lib"
    assert lib.add(2, 3) == 5 and lib.DX == 42          # the module's add(), not the .so's
    assert lib.gi == module.lib.gi
    assert module.ffi.addressof(lib, "gi") == module.ffi.addressof(module.lib, "gi")
    assert dir(lib) == dir(module.lib) and sorted(lib.__dict__) == sorted(module.lib.__dict__)
    with pytest.raises(AttributeError) as info:
        lib.nope
    assert str(info.value) == ("cffi library '%s' has no function, constant or global "
                               "variable named 'nope'" % (path,))
    module.ffi.dlclose(lib)
    assert lib.add(2, 3) == 5


# -- The lib of an out-of-line ABI module ----
def test_out_of_line_lib_refuses_to_delete_an_undeclared_name(tmp_path):
    builder = FFI()
    builder.cdef("int abs(int);  extern char **environ;")
    builder.set_source("_ool_lib_object", None)
    builder.compile(tmpdir=str(tmp_path))
    ffi = import_built(tmp_path, "_ool_lib_object").ffi
    lib = ffi.dlopen(None)
    assert type(ffi).__name__ == "FFI"
    with pytest.raises(AttributeError) as info:
        del lib.nope
    assert "has no function, constant or global variable named 'nope'" in str(info.value)
    with pytest.raises(AttributeError):
        del lib.abs
    assert lib.abs(-3) == 3
    assert repr(lib.__dict__["environ"]).startswith(
        "<_cffi_backend.__FFIGlobSupport object at 0x")
    assert "_ool_lib_object" not in sys.modules
