"""Builds without setup.py ([tool.purecffi] in pyproject.toml) and for other build systems
(`python -m purecffi gen-src`, the meson-python example): purecffi's own features."""
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from _backend import IS_CFFI
from test_setuptools_ext import REPO, SRC, clean_env, run, venv  # noqa: F401 (venv: fixture)

pytestmark = pytest.mark.skipif(IS_CFFI, reason="purecffi's own build integration")

PYPROJECT = '''\
[build-system]
requires = ["setuptools>=61", "purecffi"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "1.0"

[tool.setuptools.packages.find]
where = ["src"]

[tool.purecffi]
modules = ["src/{name}/_native_build.py:ffibuilder", "src/{name}/_abi_build.py"]
'''
API_BUILD = '''\
from purecffi import FFI
ffibuilder = FFI()
ffibuilder.cdef("int triple(int);")
ffibuilder.set_source("{name}._native", "static int triple(int x) {{ return 3 * x; }}")
'''
ABI_BUILD = '''\
from purecffi import FFI
ffibuilder = FFI()
ffibuilder.cdef("double sqrt(double);")
ffibuilder.set_source("{name}._abi", None)
'''
USE = '''\
from {name}._native import lib
from {name}._abi import ffi
print(lib.triple(14), ffi.dlopen("libm.so.6").sqrt(16.0))
'''


def write_project(root, name):
    """A pyproject-only project (no setup.py) with an API-mode and an ABI-mode module."""
    package = os.path.join(root, "src", name)
    os.makedirs(package)
    files = {"pyproject.toml": PYPROJECT, "src/%s/__init__.py" % name: "",
             "src/%s/_native_build.py" % name: API_BUILD, "src/%s/_abi_build.py" % name: ABI_BUILD}
    for path, text in files.items():
        with open(os.path.join(root, path), "w") as f:
            f.write(text.format(name=name))
    return root


def entry_point_dir(root):
    """A dist-info registering the hook, as installing purecffi does (for tests that run
    setuptools from this checkout's sources)."""
    info = os.path.join(root, "purecffi_hook-0.0.dist-info")
    os.makedirs(info)
    with open(os.path.join(info, "METADATA"), "w") as f:
        f.write("Metadata-Version: 2.1\nName: purecffi-hook\nVersion: 0.0\n")
    with open(os.path.join(info, "entry_points.txt"), "w") as f:
        f.write("[setuptools.finalize_distribution_options]\n"
                "purecffi = purecffi.pyproject_ext:finalize_distribution_options\n")
    return root


# -- The [tool.purecffi] table ----
def test_configured_modules(tmp_path):
    from purecffi.pyproject_ext import configured_modules
    from setuptools.errors import SetupError
    path = tmp_path / "pyproject.toml"
    assert configured_modules(str(path)) is None
    path.write_text('[project]\nname = "x"\n')
    assert configured_modules(str(path)) is None
    path.write_text('[tool.purecffi]\nmodules = ["a/b.py:ffi", "c.py"]\n')
    assert configured_modules(str(path)) == ["a/b.py:ffi", "c.py"]
    path.write_text('[tool.purecffi]\nmodule = ["a.py"]\n')
    with pytest.raises(SetupError, match=r"\[tool.purecffi\] has unknown key\(s\) module"):
        configured_modules(str(path))
    path.write_text('[tool.purecffi]\nmodules = "a.py"\n')
    with pytest.raises(SetupError, match="modules must be a list"):
        configured_modules(str(path))


@pytest.mark.skipif(shutil.which("gcc") is None, reason="API mode needs gcc")
def test_setuptools_builds_the_modules_without_setup_py(tmp_path):
    project = write_project(str(tmp_path / "project"), "nosetup")
    hook = entry_point_dir(str(tmp_path / "hook"))
    env = clean_env(PYTHONPATH=os.pathsep.join([SRC, hook]))
    run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build"],
        project, env)
    build_lib = os.path.join(project, "build", "lib")
    if not os.path.isdir(build_lib):
        build_lib = [os.path.join(project, "build", d) for d in os.listdir(
            os.path.join(project, "build")) if d.startswith("lib")][0]
    built = sorted(os.listdir(os.path.join(build_lib, "nosetup")))
    assert {"_abi.py", "_abi.pyi", "_native.pyi"} <= set(built), built
    assert any(name.startswith("_native.") and name.endswith(".so") for name in built), built
    proc = run([sys.executable, "-c", USE.format(name="nosetup")], build_lib,
               clean_env(PYTHONPATH=SRC))
    assert proc.stdout.split() == ["42", "4.0"]


# -- gen-src ----
def gen_src(cwd, *args):
    """Run `python -m purecffi gen-src ARGS` in `cwd`."""
    return subprocess.run([sys.executable, "-m", "purecffi", "gen-src", *args], cwd=str(cwd),
                          capture_output=True, text=True, env=clean_env(PYTHONPATH=SRC))


def test_gen_src_writes_c_or_python_and_the_stub(tmp_path):
    write_project(str(tmp_path), "gen")
    proc = gen_src(tmp_path, "src/gen/_native_build.py:ffibuilder", "-o", "out/native.c")
    assert proc.returncode == 0, proc.stderr
    source = (tmp_path / "out" / "native.c").read_text()
    assert "PyInit__native" in source and "triple" in source
    assert "def triple(self, a0: int, /) -> int: ..." in (tmp_path / "out" / "_native.pyi").read_text()
    proc = gen_src(tmp_path, "src/gen/_abi_build.py", "-o", "out/abi.py", "--no-stubs")
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "out" / "abi.pyi").exists()
    use = run([sys.executable, "-c", "import abi; print(abi.ffi.dlopen('libm.so.6').sqrt(9.0))"],
              tmp_path / "out", clean_env(PYTHONPATH=SRC))
    assert use.stdout.strip() == "3.0"


@pytest.mark.parametrize("args, message", [
    (["src/gen/_abi_build.py", "-o", "x.c"], "gen._abi is an ABI-mode module: write it to a "
                                             ".py file, not 'x.c'"),
    (["src/gen/_native_build.py", "-o", "x.py"], "gen._native is an API-mode module"),
    (["src/gen/_abi_build.py:other"], "_abi_build.py defines no purecffi.FFI named 'other'"),
    (["src/gen/missing.py"], "no build script"),
])
def test_gen_src_errors(tmp_path, args, message):
    write_project(str(tmp_path), "gen")
    proc = gen_src(tmp_path, *args)
    assert proc.returncode == 1
    assert message in proc.stderr and "Traceback" not in proc.stderr


# -- End to end: pip wheel ----
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("gcc") is None, reason="API mode needs gcc")
def test_pip_wheel_of_a_pyproject_only_project(venv, tmp_path):  # noqa: F811
    project = write_project(str(tmp_path / "project"), "wheelpkg")
    wheels = str(tmp_path / "wheels")
    run([venv, "-m", "pip", "wheel", "-q", "--no-build-isolation", "--no-deps", "-w", wheels,
         project], tmp_path)
    [wheel] = os.listdir(wheels)
    names = zipfile.ZipFile(os.path.join(wheels, wheel)).namelist()
    assert any(n.startswith("wheelpkg/_native.") and n.endswith(".so") for n in names), names
    assert {"wheelpkg/_abi.py", "wheelpkg/_abi.pyi", "wheelpkg/_native.pyi"} <= set(names), names
    run([venv, "-m", "pip", "install", "-q", "--no-deps", os.path.join(wheels, wheel)], tmp_path)
    proc = run([venv, "-c", USE.format(name="wheelpkg")], tmp_path)
    assert proc.stdout.split() == ["42", "4.0"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("gcc") is None, reason="meson needs a C compiler")
def test_meson_python_example(venv, tmp_path):  # noqa: F811
    proc = run([venv, "-m", "pip", "install", "-q", "meson-python", "meson", "ninja"], tmp_path,
               check=False, timeout=300)
    if proc.returncode != 0:
        pytest.skip("meson-python, meson and ninja come from a package index, which failed:\n"
                    + proc.stderr[-2000:])
    example = str(tmp_path / "meson")
    shutil.copytree(os.path.join(REPO, "examples", "meson"), example,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    env = clean_env(PATH=os.path.dirname(venv) + os.pathsep + os.environ.get("PATH", ""))
    wheels = str(tmp_path / "wheels")
    run([venv, "-m", "pip", "wheel", "-q", "--no-build-isolation", "--no-deps", "-w", wheels,
         example], tmp_path, env, timeout=300)
    [wheel] = os.listdir(wheels)
    names = zipfile.ZipFile(os.path.join(wheels, wheel)).namelist()
    assert "mesonexample/_example.pyi" in names
    run([venv, "-m", "pip", "install", "-q", "--no-deps", os.path.join(wheels, wheel)], tmp_path)
    proc = run([venv, "-c", "import mesonexample as m; print(m.clamp(0, 10, 42), "
                "m.clamp(0, 10, -3), m.clamp(0, 10, 5), m.__file__)"], tmp_path)
    low_high_mid = proc.stdout.split()
    assert low_high_mid[:3] == ["10", "0", "5"]
    assert "site-packages" in low_high_mid[3]
