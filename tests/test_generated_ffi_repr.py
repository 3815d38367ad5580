"""The ffi of a generated module has cffi's repr for it (some packages' own tests check it)."""
import re

from _backend import FFI
from conftest import import_built


def test_out_of_line_and_api_mode_ffi_repr(tmp_path):
    ffi = FFI()
    ffi.cdef("int abs(int);")
    ffi.set_source("_repr_ool", None)
    ffi.compile(tmpdir=str(tmp_path))
    api = FFI()
    api.cdef("int twice(int);")
    api.set_source("_repr_api", "static int twice(int x) { return 2 * x; }")
    api.compile(tmpdir=str(tmp_path))
    for name in ("_repr_ool", "_repr_api"):
        module = import_built(tmp_path, name)
        assert re.fullmatch(r"<_cffi_backend\.FFI object at 0x[0-9a-f]+>", repr(module.ffi))
    assert import_built(tmp_path, "_repr_api").lib.twice(21) == 42


BUILDER_METHODS = ["cdef", "set_source", "set_source_pkgconfig", "compile", "emit_c_code",
                   "emit_python_code", "include", "verify", "embedding_api",
                   "embedding_init_code", "distutils_extension", "set_unicode"]


def test_generated_ffi_has_no_builder_methods(tmp_path):
    # cffi's compiled ffi has none of them: hasattr() is False and the call is AttributeError
    ffi = FFI()
    ffi.cdef("int abs(int);")
    ffi.set_source("_nobuild_ool", None)
    ffi.compile(tmpdir=str(tmp_path))
    api = FFI()
    api.cdef("int twice(int);")
    api.set_source("_nobuild_api", "static int twice(int x) { return 2 * x; }")
    api.compile(tmpdir=str(tmp_path))
    for name in ("_nobuild_ool", "_nobuild_api"):
        generated = import_built(tmp_path, name).ffi
        for method in BUILDER_METHODS:
            assert not hasattr(generated, method), (name, method)
            assert method not in dir(generated)
        # what it does have still works
        assert generated.sizeof("int") == 4 and generated.typeof("int *").kind == "pointer"
    for method in BUILDER_METHODS:          # the builder FFI keeps them all
        assert hasattr(api, method)
