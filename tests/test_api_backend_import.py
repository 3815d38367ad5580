"""An API-mode module loads the module `_cffi_backend` where there is one, as cffi's modules
do (build tools rewrite that import to ship their own copy: coincurve), and imports without
it too."""
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from _backend import FFI, IS_CFFI

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")

# what the fake `_cffi_backend` of each case does when imported
BACKENDS = {
    "present": "import builtins\nbuiltins.BACKEND_LOADED = True\n",
    "broken": "raise ImportError('no backend here')\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    directory = tmp_path_factory.mktemp("backend_import")
    ffi = FFI()
    ffi.cdef("int twice(int);")
    ffi.set_source("_api_backend_import", "static int twice(int x) { return 2 * x; }")
    ffi.compile(tmpdir=str(directory))
    return directory


def test_the_c_source_imports_the_backend(built):
    with open(os.path.join(str(built), "_api_backend_import.c")) as f:
        assert 'PyImport_ImportModule("_cffi_backend")' in f.read()


@pytest.mark.skipif(IS_CFFI, reason="purecffi's module: cffi's needs its real backend")
@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_the_module_imports_with_or_without_a_backend(built, tmp_path, backend):
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "_cffi_backend.py").write_text(BACKENDS[backend])
    code = textwrap.dedent('''
        import builtins, sys
        import _api_backend_import as m
        print(m.lib.twice(21), getattr(builtins, "BACKEND_LOADED", False))
    ''')
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(fake), str(built), SRC]))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["42", str(backend == "present")]
