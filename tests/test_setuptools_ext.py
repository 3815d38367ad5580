"""Setuptools integration: the `purecffi_modules` setup() keyword (spec 5.1, 8.3, 8.10).

Unit-level tests run setup commands on a Distribution in a subprocess (setuptools patches
global state); the end-to-end tests (marked slow, a few seconds each) create a virtual
environment, pip-install purecffi and a sample package into it, and call C from the result.
"""
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from _backend import IS_CFFI

pytestmark = pytest.mark.skipif(IS_CFFI, reason="purecffi's own setuptools keyword")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(REPO, "src")

ABI_BUILD = '''\
from purecffi import FFI
ffibuilder = FFI()
ffibuilder.cdef("double sqrt(double); struct pt {{ int x, y; }};")
ffibuilder.set_source("{module}", None)
if __name__ == "__main__":
    raise SystemExit("the build script ran as __main__")
'''

# run in the environment under test: the module must load without pycparser
USE_MODULE = '''\
import sys
sys.modules["pycparser"] = None          # importing pycparser now fails
from {module} import ffi
libm = ffi.dlopen("libm.so.6")
p = ffi.new("struct pt *", [3, 4])
print(libm.sqrt(p.x * p.x + p.y * p.y))
'''


def write_sample(root, package="mypkg", src_layout=True, setup_py=None):
    """A project with package `package` and its ABI build script; returns the script's path
    relative to `root`."""
    pkg_dir = os.path.join(root, "src", package) if src_layout else os.path.join(root, package)
    os.makedirs(pkg_dir)
    with open(os.path.join(pkg_dir, "__init__.py"), "w") as f:
        f.write("")
    with open(os.path.join(pkg_dir, "foo_build.py"), "w") as f:
        f.write(ABI_BUILD.format(module=package + "._foo"))
    if setup_py is not None:
        with open(os.path.join(root, "setup.py"), "w") as f:
            f.write(textwrap.dedent(setup_py))
    return os.path.relpath(os.path.join(pkg_dir, "foo_build.py"), root)


def clean_env(**extra):
    """The environment for subprocesses: no PYTHONPATH from the test run, quiet pip."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **extra)
    return env


def run(args, cwd, env=None, check=True, timeout=120):
    """Run a subprocess, failing the test with its output if it fails."""
    proc = subprocess.run(args, cwd=str(cwd), env=env or clean_env(), capture_output=True,
                          text=True, timeout=timeout)
    if check and proc.returncode != 0:
        pytest.fail("%s failed (%d):\n%s\n%s" % (args, proc.returncode, proc.stdout, proc.stderr))
    return proc


def run_setup_script(root, code):
    """Run `code` (which builds a Distribution) with this checkout's purecffi importable."""
    with open(os.path.join(root, "run_setup.py"), "w") as f:
        f.write(textwrap.dedent(code))
    return run([sys.executable, "run_setup.py"], root, clean_env(PYTHONPATH=SRC))


DISTRIBUTION = '''\
from setuptools import Distribution
from purecffi.setuptools_ext import purecffi_modules
dist = Distribution({"name": "mypkg", "version": "1.0", "packages": ["mypkg"],
                     "package_dir": {"": "src"}})
dist.script_name = "setup.py"
purecffi_modules(dist, "purecffi_modules", [%r])
'''


# -- Unit level: the keyword on a Distribution ----
def test_build_py_writes_the_abi_module_into_build_lib(tmp_path):
    script = write_sample(str(tmp_path))
    run_setup_script(tmp_path, DISTRIBUTION % (script + ":ffibuilder",) + '''
dist.run_command("build_py")
print(sorted(dist.get_command_obj("build_py").get_outputs()))
''')
    module = tmp_path / "build" / "lib" / "mypkg" / "_foo.py"
    assert module.exists()
    assert not (tmp_path / "src" / "mypkg" / "_foo.py").exists()
    assert "purecffi.outofline" in module.read_text()
    proc = run([sys.executable, "-c", USE_MODULE.format(module="mypkg._foo")],
               tmp_path / "build" / "lib", clean_env(PYTHONPATH=SRC))
    assert proc.stdout.strip() == "5.0"


def test_inplace_build_ext_writes_beside_the_sources(tmp_path):
    """`setup.py build_ext --inplace` and `develop` write the module into the package dir."""
    script = write_sample(str(tmp_path))
    run_setup_script(tmp_path, DISTRIBUTION % (script[:-len(".py")],) + '''
cmd = dist.get_command_obj("build_ext")
cmd.inplace = 1
dist.run_command("build_ext")
''')
    assert (tmp_path / "src" / "mypkg" / "_foo.py").exists()
    proc = run([sys.executable, "-c", USE_MODULE.format(module="mypkg._foo")],
               tmp_path / "src", clean_env(PYTHONPATH=SRC))
    assert proc.stdout.strip() == "5.0"


def test_setup_keyword_through_the_entry_point_table(tmp_path):
    """setup(purecffi_modules=...) calls the keyword function when the entry point is
    registered (simulated here with an egg-info of purecffi on the path)."""
    write_sample(str(tmp_path), src_layout=False, setup_py='''\
        from setuptools import setup
        setup(name="mypkg", version="1.0", packages=["mypkg"],
              purecffi_modules=["mypkg/foo_build.py:ffibuilder"])
    ''')
    entry_dir = tmp_path / "entry"
    info = entry_dir / "purecffi_ep-0.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: purecffi-ep\nVersion: 0.0\n")
    (info / "entry_points.txt").write_text(
        "[distutils.setup_keywords]\n"
        "purecffi_modules = purecffi.setuptools_ext:purecffi_modules\n")
    env = clean_env(PYTHONPATH=os.pathsep.join([SRC, str(entry_dir)]))
    run([sys.executable, "setup.py", "-q", "build"], tmp_path, env)
    assert (tmp_path / "build" / "lib" / "mypkg" / "_foo.py").exists()


# -- Unit level: finding the builder ----
@pytest.fixture
def setuptools_ext():
    pytest.importorskip("setuptools")
    from purecffi import setuptools_ext
    return setuptools_ext


@pytest.mark.parametrize("entry, expected", [
    ("pkg/foo_build.py:ffibuilder", ("pkg/foo_build.py", "ffibuilder")),
    ("pkg/foo_build.py:ffi", ("pkg/foo_build.py", "ffi")),
    ("pkg/foo_build.py", ("pkg/foo_build.py", "ffibuilder")),
    ("pkg/foo_build:ffi", ("pkg/foo_build.py", "ffi")),
])
def test_split_entry(setuptools_ext, entry, expected):
    assert setuptools_ext.split_entry(entry) == expected


def test_load_builder_runs_the_script_not_as_main(setuptools_ext, tmp_path):
    write_sample(str(tmp_path))
    (tmp_path / "src" / "mypkg" / "helper.py").write_text("CDEF = 'int abs(int);'\n")
    (tmp_path / "src" / "mypkg" / "b2.py").write_text(textwrap.dedent('''\
        import helper                      # the script's directory is on sys.path
        from purecffi import FFI
        def make():
            ffi = FFI()
            ffi.cdef(helper.CDEF)
            ffi.set_source("mypkg._b2", None)
            return ffi
        import os
        with open(os.path.join(os.path.dirname(__file__), "name.txt"), "w") as f:
            f.write(__name__)              # what cffi names a build script: "__cffi__"
    '''))
    ffi = setuptools_ext.load_builder("src/mypkg/foo_build.py", root=str(tmp_path))
    assert ffi._source_spec.module_name == "mypkg._foo"
    ffi = setuptools_ext.load_builder("src/mypkg/b2.py:make", root=str(tmp_path))
    assert ffi._source_spec.module_name == "mypkg._b2"
    assert (tmp_path / "src" / "mypkg" / "name.txt").read_text() == "__cffi__"
    assert str(tmp_path / "src" / "mypkg") not in sys.path
    sys.modules.pop("helper", None)


@pytest.mark.parametrize("script, message", [
    ("x = 1\n", "'bad_build.py': object 'ffibuilder' not found in module"),
    ("ffibuilder = 42\n", "'bad_build.py' is not an FFI instance \\(got 'int'\\)"),
    ("from purecffi import FFI\nffibuilder = FFI()\n",
     "'bad_build.py': the set_source\\(\\) method was not called"),
])
def test_bad_build_scripts_are_reported(setuptools_ext, tmp_path, monkeypatch, script, message):
    from setuptools import Distribution
    from setuptools.errors import SetupError
    (tmp_path / "bad_build.py").write_text(script)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SetupError, match=message):
        setuptools_ext.purecffi_modules(Distribution(), "purecffi_modules", ["bad_build.py"])
    with pytest.raises(SetupError, match="'missing.py' does not name an existing file"):
        setuptools_ext.purecffi_modules(Distribution(), "purecffi_modules", ["missing.py:f"])


API_BUILD = '''\
from purecffi import FFI
ffibuilder = FFI()
ffibuilder.cdef("int add3(int);")
ffibuilder.set_source("mypkg._api", "static int add3(int x) { return x + 3; }")
'''


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
def test_api_mode_module_is_built_by_build_ext(setuptools_ext, tmp_path):
    from purecffi.api import FFI
    if not hasattr(FFI, "distutils_extension"):
        pytest.skip("this purecffi has no distutils_extension() (API mode)")
    write_sample(str(tmp_path))
    (tmp_path / "src" / "mypkg" / "api_build.py").write_text(API_BUILD)
    proc = run_setup_script(tmp_path, DISTRIBUTION % ("src/mypkg/api_build.py",) + '''
assert [ext.name for ext in dist.ext_modules] == ["mypkg._api"], dist.ext_modules
import os
print("before build_ext:", os.path.exists("build"))
dist.run_command("build_ext")
print(dist.get_command_obj("build_ext").build_lib)
''')
    # the C file is written by build_ext, not by setup() (as cffi: `setup.py --version`)
    assert proc.stdout.startswith("before build_ext: False\n")
    build_lib = proc.stdout.strip().splitlines()[-1]
    proc = run([sys.executable, "-c", "from mypkg._api import lib; print(lib.add3(4))"],
               tmp_path / build_lib, clean_env(PYTHONPATH=SRC))
    assert proc.stdout.strip() == "7"


# -- End to end: pip install into a fresh virtual environment ----
SAMPLE_PYPROJECT = '''\
[build-system]
requires = ["setuptools", "purecffi"]
build-backend = "setuptools.build_meta"
'''

SAMPLE_SETUP = '''\
from setuptools import setup
setup(name="{package}", version="1.0", packages=["{package}"], package_dir={{"": "src"}},
      purecffi_modules=["src/{package}/foo_build.py:ffibuilder"],
      install_requires=["purecffi"])
'''


def _copy_purecffi(destination):
    """A copy of this checkout's sources (so pip's in-tree build leaves the repo clean)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(SRC, os.path.join(destination, "src"), ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(os.path.join(REPO, name), destination)
    return destination


def _ensure(python, check_code, requirement, cwd):
    """pip-install `requirement` into the venv unless `check_code` already succeeds there."""
    if run([python, "-c", check_code], cwd, check=False).returncode == 0:
        return
    proc = run([python, "-m", "pip", "install", "-q", requirement], cwd, check=False)
    if proc.returncode != 0:
        pytest.skip("the test venv needs %s from a package index, which failed:\n%s"
                    % (requirement, proc.stderr[-2000:]))


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A virtual environment with this checkout of purecffi pip-installed; its python."""
    root = tmp_path_factory.mktemp("venv")
    env_dir = root / "env"
    # system site packages: reuse the base interpreter's pip, setuptools and pycparser
    proc = run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                str(env_dir)], root, check=False)
    if proc.returncode != 0:
        pytest.skip("python -m venv is unavailable: " + proc.stderr[-500:])
    python = str(env_dir / "bin" / "python")
    if run([python, "-m", "pip", "--version"], root, check=False).returncode != 0:
        proc = run([python, "-m", "ensurepip", "-q"], root, check=False)
        if proc.returncode != 0:
            pytest.skip("pip is unavailable in a fresh venv (no ensurepip): "
                        + proc.stderr[-500:])
    # purecffi's pyproject.toml gives its license in the SPDX form, read by setuptools >= 77
    _ensure(python, "import setuptools, sys; sys.exit(int(setuptools.__version__.split('.')[0]) "
            "< 77)", "setuptools>=77", root)
    # setuptools < 70.1 builds wheels with the `wheel` package's bdist_wheel
    _ensure(python, "import importlib.util as u, sys; sys.exit(not (u.find_spec('wheel') or "
            "u.find_spec('setuptools.command.bdist_wheel')))", "wheel", root)
    source = _copy_purecffi(str(root / "purecffi"))
    run([python, "-m", "pip", "install", "-q", "--no-build-isolation", source], root)
    return python


def _make_sample(root, package):
    """The sample project: pyproject.toml + setup.py + src/<package>/foo_build.py."""
    write_sample(root, package=package, setup_py=SAMPLE_SETUP.format(package=package))
    with open(os.path.join(root, "pyproject.toml"), "w") as f:
        f.write(SAMPLE_PYPROJECT)
    return root


def _check_installed(python, package, cwd):
    """The installed package's generated module imports (without pycparser) and calls C."""
    proc = run([python, "-c", USE_MODULE.format(module=package + "._foo")
                + "import %s._foo as m; print(m.__file__)\n" % (package,)], cwd)
    result, path = proc.stdout.split()
    assert result == "5.0"
    assert "site-packages" in path


@pytest.mark.slow
def test_pip_install_without_build_isolation(venv, tmp_path):
    sample = _make_sample(str(tmp_path / "sample"), "e2e_noiso")
    run([venv, "-m", "pip", "install", "-q", "--no-build-isolation", sample], tmp_path)
    assert not os.path.exists(os.path.join(sample, "src", "e2e_noiso", "_foo.py"))
    _check_installed(venv, "e2e_noiso", tmp_path)


@pytest.mark.slow
def test_pip_install_with_build_isolation_from_a_wheel_directory(venv, tmp_path):
    """purecffi is not on an index: build its wheel into a directory and give pip that
    directory with --find-links; the isolated build gets setuptools (and pycparser) from the
    configured index."""
    wheels = str(tmp_path / "wheels")
    source = _copy_purecffi(str(tmp_path / "purecffi"))
    proc = run([venv, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, source], tmp_path,
               check=False)
    if proc.returncode != 0:
        pytest.skip("building purecffi's wheel in isolation needs setuptools from a package "
                    "index, which failed:\n" + proc.stderr[-2000:])
    sample = _make_sample(str(tmp_path / "sample"), "e2e_iso")
    run([venv, "-m", "pip", "install", "-q", "--find-links", wheels, sample], tmp_path)
    _check_installed(venv, "e2e_iso", tmp_path)
