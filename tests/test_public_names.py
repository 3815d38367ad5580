"""The public names of the ffi object and of the package are the spec's (chapter 7.1)."""
import os
import re

import pytest

from _backend import FFI, IS_CFFI, backend

SPEC = os.path.join(os.path.dirname(__file__), "..", "docs", "spec", "cffi-documentation.txt")
# Windows-only: the spec's Windows details do not apply on Linux (cffi has no such name there)
WINDOWS_ONLY = {"getwinerror"}


def _spec_names():
    """Every `ffi.NAME` in the headings of section 7.1 of the spec."""
    with open(SPEC, encoding="utf-8") as f:
        headings = [line for line in f if re.match(r"7\.1\.\d+ ", line)]
    names = set()
    for line in headings:
        names.update(re.findall(r"ffi\.(\w+)", line))
    return sorted(names - WINDOWS_ONLY)


@pytest.mark.skipif(not os.path.exists(SPEC), reason="docs/spec/cffi-documentation.txt is missing")
def test_spec_headings_were_found():
    assert len(_spec_names()) >= 25


@pytest.mark.skipif(not os.path.exists(SPEC), reason="docs/spec/cffi-documentation.txt is missing")
@pytest.mark.parametrize("name", _spec_names() if os.path.exists(SPEC) else [])
def test_ffi_has_spec_name(name):
    if IS_CFFI and name == "error":
        pytest.skip("cffi 2.0 differs from the 1.13.2 spec: ffi.error was removed")
    assert hasattr(FFI(), name), "ffi.%s is in the spec (7.1) but missing" % (name,)


@pytest.mark.parametrize("name", ["RTLD_LAZY", "RTLD_NOW", "RTLD_GLOBAL", "RTLD_LOCAL",
                                  "RTLD_NODELETE", "RTLD_NOLOAD", "RTLD_DEEPBIND"])
def test_rtld_constants(name):
    assert isinstance(getattr(FFI(), name), int)


@pytest.mark.parametrize("name", ["FFI", "CDefError", "FFIError", "VerificationError",
                                  "VerificationMissing", "PkgConfigError"])
def test_package_names(name):
    assert hasattr(backend, name)


@pytest.mark.skipif(IS_CFFI, reason="cffi's FFI has undocumented public methods of its own")
@pytest.mark.skipif(not os.path.exists(SPEC), reason="docs/spec/cffi-documentation.txt is missing")
def test_no_private_helpers_leak_as_public_ffi_methods():
    """Everything public on the FFI class is either in the spec or a documented builder method."""
    builder = {"cdef", "set_source", "compile", "emit_python_code", "emit_c_code", "include",
               "dlopen", "dlclose", "callback", "def_extern", "verify", "distutils_extension",
               "set_source_pkgconfig", "embedding_api", "embedding_init_code", "set_unicode",
               "CData", "CType", "NULL", "error", "errno", "buffer", "getwinerror"}
    rtld = {n for n in dir(FFI) if n.startswith("RTLD_")}
    public = {n for n in dir(FFI()) if not n.startswith("_")}
    unexpected = public - set(_spec_names()) - builder - rtld
    assert not unexpected, unexpected
