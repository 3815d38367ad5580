"""The drop-in (dropin/: a distribution named cffi): cffi's names served by purecffi.

The fast tests import the drop-in's modules from the source tree in a subprocess (the test
process may have the real cffi imported); the slow one follows the README's install steps in
a fresh virtual environment and builds a cffi_modules package with pip's build isolation on.
"""
import os
import re
import shutil
import sys
import textwrap

import pytest

from _backend import IS_CFFI
from test_setuptools_ext import run as run_checked

pytestmark = pytest.mark.skipif(IS_CFFI, reason="purecffi's drop-in for cffi")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(REPO, "src")
DROPIN = os.path.join(REPO, "dropin")


def clean_env(**extra):
    """The environment for subprocesses: no PYTHONPATH or pip settings from outside."""
    env = {k: v for k, v in os.environ.items()
           if k != "PYTHONPATH" and not k.startswith("PIP_")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **extra)
    return env


def run(args, cwd, env=None, check=True, timeout=300):
    """test_setuptools_ext's run(), in this file's clean environment by default."""
    return run_checked(args, cwd, env or clean_env(), check, timeout)


def with_dropin(code, tmp_path):
    """Run `code` with the drop-in and this checkout's purecffi first on sys.path."""
    env = clean_env(PYTHONPATH=os.pathsep.join([DROPIN, SRC]))
    return run([sys.executable, "-c", textwrap.dedent(code)], tmp_path, env)


# -- The names ----
def test_cffi_names_are_purecffis(tmp_path):
    proc = with_dropin('''
        import cffi, purecffi
        assert cffi.FFI is purecffi.FFI
        for name in ("CDefError", "FFIError", "VerificationError", "VerificationMissing",
                     "PkgConfigError"):
            assert getattr(cffi, name) is getattr(purecffi, name), name
        ffi = cffi.FFI(backend=None)            # accepted and ignored
        ffi.cdef("int abs(int);")
        print(ffi.dlopen(None).abs(-4), cffi.__version__, cffi.__version_info__)
    ''', tmp_path)
    assert proc.stdout.split() == ["4", "2.0.0", "(2,", "0,", "0)"]


def test_cffi_submodules(tmp_path):
    proc = with_dropin('''
        import cffi.setuptools_ext, cffi.verifier, cffi.pkgconfig
        import purecffi.setuptools_ext, purecffi.verifier, purecffi.pkgconfig
        assert cffi.setuptools_ext.cffi_modules is purecffi.setuptools_ext.purecffi_modules
        assert cffi.verifier.set_tmpdir is purecffi.verifier.set_tmpdir
        assert cffi.verifier.cleanup_tmpdir is purecffi.verifier.cleanup_tmpdir
        assert cffi.pkgconfig.PkgConfigError is cffi.PkgConfigError
        import cffi.api, cffi.error, cffi.ffiplatform
        assert cffi.api.FFI is cffi.FFI is purecffi.FFI
        for name in ("CDefError", "FFIError", "VerificationError", "VerificationMissing",
                     "PkgConfigError"):
            assert getattr(cffi.error, name) is getattr(purecffi, name), name
        assert cffi.ffiplatform.VerificationError is purecffi.VerificationError
        assert cffi.ffiplatform.VerificationMissing is purecffi.VerificationMissing
        try:
            cffi.pkgconfig.flags_from_pkgconfig(["no-such-package-for-purecffi"])
        except cffi.PkgConfigError as exc:
            print("PkgConfigError", "no-such-package-for-purecffi" in str(exc))
    ''', tmp_path)
    if shutil.which("pkg-config"):
        assert proc.stdout.split() == ["PkgConfigError", "True"]


def test_recompiler_writes_module_sources(tmp_path):
    """cffi.recompiler's make_py_source() and make_c_source() (build tools such as milksnake
    call them without set_source()): write when the text changed, True; else False."""
    proc = with_dropin('''
        import importlib, os, sys
        import cffi
        from cffi import recompiler
        import purecffi.build.sources
        assert recompiler.make_py_source is purecffi.build.sources.make_py_source
        ffi = cffi.FFI()
        ffi.cdef("int abs(int); struct pt { int x, y; };")
        os.mkdir("out")
        print(recompiler.make_py_source(ffi, "_rc_abi", "out/_rc_abi.py"),
              recompiler.make_py_source(ffi, "_rc_abi", "out/_rc_abi.py"),
              recompiler.make_py_source(ffi, "_rc_abi", "out/_rc_abi.py", verbose=True))
        sys.path.insert(0, "out")
        module = importlib.import_module("_rc_abi")
        print(module.ffi.dlopen(None).abs(-7), module.ffi.sizeof("struct pt"))
        print(recompiler.make_c_source(ffi, "_rc_api", "#include <stdlib.h>", "out/_rc_api.c"),
              recompiler.make_c_source(ffi, "_rc_api", "#include <stdlib.h>", "out/_rc_api.c"))
        with open("out/_rc_api.c") as f:
            print("PyInit__rc_api" in f.read())
        try:
            recompiler.make_c_source(ffi, "_rc_api", None, "out/other.c")
        except TypeError as exc:
            print("TypeError", os.path.exists("out/other.c"))
    ''', tmp_path)
    assert proc.stdout.split() == ["generating", "out/_rc_abi.py", "(already", "up-to-date)",
                                   "True", "False", "False", "7", "8", "True",
                                   "False", "True", "TypeError", "False"]


def test_cffi_backend_module(tmp_path):
    proc = with_dropin('''
        import os, _cffi_backend, purecffi
        assert _cffi_backend.FFI is purecffi.FFI
        ffi = purecffi.FFI()
        assert (_cffi_backend._CDataBase, _cffi_backend.CType, _cffi_backend.buffer) == (
            ffi.CData, ffi.CType, ffi.buffer)
        assert isinstance(ffi.new("int *"), _cffi_backend._CDataBase)
        assert isinstance(ffi.typeof("struct { int x; }").fields[0][1], _cffi_backend.CField)
        for flag in ("RTLD_LAZY", "RTLD_NOW", "RTLD_GLOBAL", "RTLD_LOCAL", "RTLD_NODELETE",
                     "RTLD_NOLOAD", "RTLD_DEEPBIND"):
            if hasattr(os, flag):
                assert getattr(_cffi_backend, flag) == getattr(os, flag), flag
        print(_cffi_backend.__version__)
        try:
            _cffi_backend._init_cffi_1_0_external_module
        except ImportError as exc:
            print("ImportError", "rebuild" in str(exc))
        try:
            _cffi_backend.no_such_name
        except AttributeError as exc:
            print("AttributeError", "no_such_name" in str(exc))
    ''', tmp_path)
    assert proc.stdout.split() == ["2.0.0", "ImportError", "True", "AttributeError", "True"]


def _dropin_metadata():
    """(version, dependencies text, entry points text) from dropin/pyproject.toml."""
    with open(os.path.join(DROPIN, "pyproject.toml")) as f:
        text = f.read()
    version = re.search(r'^version = "([^"]+)"', text, re.M).group(1)
    return version, text


def test_dropin_version_names_this_purecffi():
    import purecffi
    version, text = _dropin_metadata()
    public, _, local = version.partition("+")
    assert public == "2.0.0"                  # satisfies cffi>=1.0, >=1.17, >=2.0.0
    assert local == "purecffi." + purecffi.__version__
    assert 'dependencies = ["purecffi==%s"]' % purecffi.__version__ in text
    # the drop-in, not purecffi, registers cffi_modules: one handler whichever is installed
    assert 'cffi_modules = "cffi.setuptools_ext:cffi_modules"' in text
    with open(os.path.join(REPO, "pyproject.toml")) as f:
        assert "cffi_modules" not in f.read().replace("purecffi_modules", "")


def test_doctor_names_the_dropin(tmp_path):
    env = clean_env(PYTHONPATH=os.pathsep.join([DROPIN, SRC]))
    proc = run([sys.executable, "-m", "purecffi", "doctor"], tmp_path, env)
    lines = {line.split()[0]: line for line in proc.stdout.splitlines()}
    assert "purecffi drop-in" in lines["cffi"]
    assert os.path.join(DROPIN, "cffi") in lines["cffi"]
    assert "purecffi drop-in" in lines["_cffi_backend"]


def test_doctor_names_a_real_cffi(tmp_path):
    proc = run([sys.executable, "-c", "import cffi; print(cffi.__file__)"], tmp_path,
               clean_env(PYTHONPATH=SRC), check=False)
    if proc.returncode != 0:
        pytest.skip("no real cffi in this environment")
    real_path = proc.stdout.strip()
    proc = run([sys.executable, "-m", "purecffi", "doctor"], tmp_path, clean_env(PYTHONPATH=SRC))
    cffi_line = [line for line in proc.stdout.splitlines() if line.startswith("cffi ")][0]
    assert "real cffi" in cffi_line and real_path in cffi_line


# -- The README's steps, end to end ----
SAMPLE_PYPROJECT = '''\
[build-system]
requires = ["setuptools", "cffi>=1.17"]
build-backend = "setuptools.build_meta"
'''

SAMPLE_SETUP = '''\
from setuptools import setup
setup(name="tinycffi", version="1.0", packages=["tinycffi"],
      cffi_modules=["tinycffi/build.py:ffibuilder"], install_requires=["cffi>=1.0"])
'''

SAMPLE_BUILD = '''\
from cffi import FFI
ffibuilder = FFI()
ffibuilder.cdef("int twice(int);")
ffibuilder.set_source("tinycffi._api", "static int twice(int x) { return 2 * x; }")
'''


def _write_sample(root):
    """An unmodified cffi package: API mode, cffi_modules, cffi in its build requirements."""
    os.makedirs(os.path.join(root, "tinycffi"))
    for name, text in (("pyproject.toml", SAMPLE_PYPROJECT), ("setup.py", SAMPLE_SETUP),
                       ("tinycffi/__init__.py", ""), ("tinycffi/build.py", SAMPLE_BUILD)):
        with open(os.path.join(root, name), "w") as f:
            f.write(text)
    return root


def _copy_checkout(destination):
    """What `make wheelhouse` needs, copied (pip's in-tree builds then leave the repo clean)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in ("src", "dropin"):
        shutil.copytree(os.path.join(REPO, name), os.path.join(destination, name), ignore=ignore)
    for name in ("pyproject.toml", "setup.py", "README.md", "LICENSE", "Makefile"):
        shutil.copy(os.path.join(REPO, name), destination)
    return destination


@pytest.mark.slow
def test_readme_install_builds_a_cffi_package_on_purecffi(tmp_path):
    """make wheelhouse; PIP_FIND_LINKS + PIP_CONSTRAINT; pip install cffi; then an unmodified
    cffi package builds with build isolation on, against the drop-in."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env_dir = tmp_path / "env"
    proc = run([sys.executable, "-m", "venv", str(env_dir)], tmp_path, check=False)
    if proc.returncode != 0:
        pytest.skip("python -m venv with pip is unavailable: " + proc.stderr[-500:])
    python = str(env_dir / "bin" / "python")
    checkout = _copy_checkout(str(tmp_path / "purecffi"))
    proc = run(["make", "wheelhouse", "VPY=" + python], checkout, check=False)
    if proc.returncode != 0:
        pytest.skip("building the wheels needs setuptools from a package index, which "
                    "failed:\n" + proc.stdout[-1000:] + proc.stderr[-2000:])
    wheelhouse = os.path.join(checkout, "wheelhouse")
    constraints = os.path.join(wheelhouse, "constraints.txt")
    env = clean_env(PIP_FIND_LINKS=wheelhouse, PIP_CONSTRAINT=constraints,
                    PIP_BUILD_CONSTRAINT=constraints)
    run([python, "-m", "pip", "install", "-q", "cffi"], tmp_path, env)
    sample = _write_sample(str(tmp_path / "sample"))
    run([python, "-m", "pip", "install", "-q", "--no-cache-dir", sample], tmp_path, env)
    proc = run([python, "-c", "from tinycffi._api import ffi, lib; import cffi; "
                "print(lib.twice(21), type(ffi).__module__, cffi.__file__)"], tmp_path)
    answer, ffi_module, cffi_file = proc.stdout.split()
    assert answer == "42"
    assert ffi_module.startswith("purecffi.")       # generated by purecffi, not by cffi
    assert cffi_file.startswith(str(env_dir))
    doctor = run([python, "-m", "purecffi", "doctor"], tmp_path).stdout
    assert re.search(r"^cffi +purecffi drop-in, .*distribution cffi 2\.0\.0\+purecffi\.", doctor,
                     re.M), doctor
