"""The distutils configuration files that compile() and verify() read, as cffi's builds do
through setuptools: `[build_ext]` of setup.cfg in the directory of the build (the current one
for verify(), `tmpdir` for compile()), of ~/.pydistutils.cfg, and pyproject.toml's
`[tool.distutils.build_ext]` as far as setuptools reads it.  Validated against cffi with
PURECFFI_TEST_AGAINST=cffi; the pyproject.toml cases compare with cffi in the same process,
what setuptools reads there depending on its version."""
import configparser
import importlib.util
import itertools
import os
import shutil

import pytest

from _backend import FFI, IS_CFFI, VerificationError

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_counter = itertools.count()

# needs a header found through include_dirs and a macro given by `define`
_SOURCE = """
#include "cfg_header.h"
#ifndef CFG_FLAG
#error CFG_FLAG is not defined
#endif
int get(void) { return FROM_HEADER * 10 + CFG_FLAG; }
"""


@pytest.fixture
def place(tmp_path, monkeypatch):
    """An empty HOME, a header directory `inc/` and a work directory made current."""
    home = tmp_path / "home"
    work = tmp_path / "work"
    inc = tmp_path / "inc"
    for directory in (home, work, inc):
        directory.mkdir()
    (inc / "cfg_header.h").write_text("#define FROM_HEADER 4\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    return tmp_path


def _write_cfg(path, *lines):
    path.write_text("[build_ext]\n" + "".join(line + "\n" for line in lines))


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _compile(tmpdir=".", backend=FFI):
    name = "_cfg_mod%d_%d" % (os.getpid(), next(_counter))
    ffi = backend()
    ffi.cdef("int get(void);")
    ffi.set_source(name, _SOURCE)
    return _load(ffi.compile(tmpdir=str(tmpdir)), name).lib.get()


def _verify(tmpdir, backend=FFI):
    ffi = backend()
    ffi.cdef("int get(void);")
    # a distinct source per call: verify() caches modules by source
    return ffi.verify(_SOURCE + "/* %d %d */" % (os.getpid(), next(_counter)),
                      tmpdir=str(tmpdir)).get()


def test_compile_reads_setup_cfg_of_the_current_directory(place):
    _write_cfg(place / "work" / "setup.cfg", "include_dirs=../inc", "define=CFG_FLAG")
    assert _compile() == 41             # define=NAME defines it as 1


def test_compile_into_tmpdir_reads_that_directorys_setup_cfg(place):
    # the build runs in tmpdir: its setup.cfg counts, relative paths are relative to it
    out = place / "out"
    out.mkdir()
    _write_cfg(place / "work" / "setup.cfg", "include_dirs=../inc", "define=CFG_FLAG")
    with pytest.raises(VerificationError):
        _compile(out)
    _write_cfg(out / "setup.cfg", "include_dirs=../inc", "define=CFG_FLAG")
    assert _compile(out) == 41
    assert os.getcwd() == str(place / "work")


def test_verify_reads_setup_cfg_of_the_current_directory(place):
    with pytest.raises(VerificationError):
        _verify(place / "v1")
    _write_cfg(place / "work" / "setup.cfg", "include_dirs=../inc", "define=CFG_FLAG")
    assert _verify(place / "v2") == 41


def test_user_pydistutils_cfg_applies_to_both(place):
    _write_cfg(place / "home" / ".pydistutils.cfg", "include_dirs=%s" % (place / "inc",),
               "define=CFG_FLAG")
    assert _compile() == 41
    assert _verify(place / "v") == 41


def test_config_options_add_to_set_source_keywords(place):
    # setup.cfg's libraries and undef join the Extension's own options
    _write_cfg(place / "work" / "setup.cfg", "libraries=m", "undef=CFG_GONE")
    name = "_cfg_libm%d" % (next(_counter),)
    ffi = FFI()
    ffi.cdef("double root(double);")
    ffi.set_source(name, "#include <math.h>\n"
                   "#ifdef CFG_GONE\n#error undef was not applied\n#endif\n"
                   "double root(double x) { volatile double v = x; return sqrt(v); }",
                   define_macros=[("CFG_GONE", "1")])
    assert _load(ffi.compile(), name).lib.root(9.0) == 3.0


def test_where_the_module_goes_is_the_builds_own(place):
    # build_lib / build_temp / inplace=0 / force=0 of setup.cfg do not move or skip the build
    _write_cfg(place / "work" / "setup.cfg", "include_dirs=../inc", "define=CFG_FLAG",
               "build_lib=elsewhere", "build_temp=elsewhere_tmp", "force=0")
    assert _compile() == 41
    assert _compile() == 41
    assert not os.path.exists("elsewhere") and not os.path.exists("elsewhere_tmp")


def test_unknown_compiler_is_setuptools_error_as_is(place):
    _write_cfg(place / "work" / "setup.cfg", "compiler=no_such_compiler")
    with pytest.raises(Exception) as info:
        _compile()
    assert not isinstance(info.value, VerificationError)
    # setuptools' own class: DistutilsPlatformError, or PlatformError of its newer compilers
    # package (setuptools >= 80), which derives from no DistutilsPlatformError
    assert type(info.value).__name__ in ("DistutilsPlatformError", "PlatformError")
    assert "no_such_compiler" in str(info.value)


def test_malformed_setup_cfg_raises_configparsers_error(place):
    (place / "work" / "setup.cfg").write_text("[build_ext\ninclude_dirs=x\n")
    with pytest.raises(configparser.MissingSectionHeaderError):
        _compile()
    with pytest.raises(configparser.MissingSectionHeaderError):
        _verify(place / "v")


def _outcome(call):
    try:
        return call()
    except VerificationError:
        return "VerificationError"
    except Exception as exc:                    # cffi's and purecffi's classes differ
        return type(exc).__name__


@pytest.mark.skipif(IS_CFFI, reason="compares purecffi with cffi")
@pytest.mark.parametrize("toml", [
    '[tool.distutils.build_ext]\ninclude_dirs = "%(inc)s"\ndefine = "CFG_FLAG"\n',
    '[project]\nname = "x"\nversion = "1"\n[tool.setuptools]\npy-modules = []\n'
    '[tool.distutils.build_ext]\ninclude_dirs = "%(inc)s"\ndefine = "CFG_FLAG"\n',
], ids=["tool_only", "with_project"])
def test_pyproject_toml_as_cffi_reads_it(place, toml):
    cffi = pytest.importorskip("cffi")
    if getattr(cffi, "__purecffi__", False) or "purecffi" in getattr(cffi, "__file__", ""):
        pytest.skip("cffi is the drop-in here")
    (place / "work" / "pyproject.toml").write_text(toml % {"inc": place / "inc"})
    expected = (_outcome(lambda: _compile(backend=cffi.FFI)),
                _outcome(lambda: _verify(place / "v1", backend=cffi.FFI)))
    assert (_outcome(_compile), _outcome(lambda: _verify(place / "v2"))) == expected
