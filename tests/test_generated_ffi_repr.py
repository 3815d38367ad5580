"""The ffi of a generated module is as cffi's for it: cffi's repr (some packages' own tests
check it), and none of the builder methods."""
import re

import pytest

from _backend import FFI
from conftest import build_api_module, import_built

BUILDER_METHODS = ["cdef", "set_source", "set_source_pkgconfig", "compile", "emit_c_code",
                   "emit_python_code", "include", "verify", "embedding_api",
                   "embedding_init_code", "distutils_extension", "set_unicode"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """{"ool": out-of-line module, "api": API-mode module}, built once."""
    directory = tmp_path_factory.mktemp("generated_ffi")
    ool = FFI()
    ool.cdef("int abs(int);")
    ool.set_source("_repr_ool", None)
    ool.compile(tmpdir=str(directory))
    return {"ool": import_built(directory, "_repr_ool"),
            "api": build_api_module(directory, "_repr_api", "int twice(int);",
                                    "static int twice(int x) { return 2 * x; }")}


def test_out_of_line_and_api_mode_ffi_repr(generated):
    for module in generated.values():
        assert re.fullmatch(r"<_cffi_backend\.FFI object at 0x[0-9a-f]+>", repr(module.ffi))
    assert generated["api"].lib.twice(21) == 42


def test_generated_ffi_has_no_builder_methods(generated):
    # cffi's compiled ffi has none of them: hasattr() is False and the call is AttributeError
    for kind, module in generated.items():
        for method in BUILDER_METHODS:
            assert not hasattr(module.ffi, method), (kind, method)
            assert method not in dir(module.ffi)
        # what it does have still works
        assert module.ffi.sizeof("int") == 4 and module.ffi.typeof("int *").kind == "pointer"
    builder = FFI()
    for method in BUILDER_METHODS:          # the builder FFI keeps them all
        assert hasattr(builder, method)
