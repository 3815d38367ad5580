"""Shared fixtures: a fresh FFI per test, and the compiled C test library; helpers
build_shared_library(), import_built(), build_api_module(), embedding_skip_reason() and
missed_attributes()."""
import contextlib
import importlib
import os
import re
import sys
import sysconfig

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from _backend import FFI  # noqa: E402

# A free-threaded CPython: the generated C leaves out what needs the GIL (its built-in
# ffi.new, ffi.string and ffi.from_buffer, the classes it keeps to make results; see
# docs/design.md), and Python.h has no limited API there.
FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
gil_build_only = pytest.mark.skipif(
    FREE_THREADED, reason="a C route the generated code has only with a GIL (docs/design.md)")
limited_api_only = pytest.mark.skipif(
    FREE_THREADED, reason="a free-threaded CPython has no limited API")


@pytest.fixture(scope="session", autouse=True)
def _empty_current_directory(tmp_path_factory):
    """Run the tests in an empty directory: compile() and verify() read the setup.cfg and
    pyproject.toml of the directory they build in (as cffi's builds do, through setuptools),
    and the checkout's pyproject.toml is no build configuration for the tests (an older
    setuptools even rejects it)."""
    old = os.getcwd()
    os.chdir(str(tmp_path_factory.mktemp("cwd")))
    yield
    os.chdir(old)


@pytest.fixture
def ffi():
    """A fresh FFI instance."""
    return FFI()


# ---------------------------------------------------------------------------
# The C test library (tests/clib/testlib.c) for in-line ABI mode tests.
# ---------------------------------------------------------------------------

_CLIB_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "clib")


@pytest.fixture(scope="session")
def testlib_path(tmp_path_factory):
    """Path of tests/clib/testlib.c compiled with gcc into a shared library (per session)."""
    import shutil
    import subprocess

    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is needed to build the C test library")
    src = os.path.join(_CLIB_DIR, "testlib.c")
    out = tmp_path_factory.mktemp("testlib") / "libpurecffi_testlib.so"
    proc = subprocess.run(
        [gcc, "-shared", "-fPIC", "-O1", "-o", str(out), src],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        pytest.fail("compiling testlib.c failed:\n" + proc.stderr)
    return str(out)


@pytest.fixture(scope="session")
def testlib_cdef():
    """The cdef() source declaring everything in testlib.c (from tests/clib/testlib_cdef.py)."""
    import runpy

    return runpy.run_path(os.path.join(_CLIB_DIR, "testlib_cdef.py"))["CDEF"]


@pytest.fixture
def testlib(ffi, testlib_cdef, testlib_path):
    """The test library dlopen()ed through the `ffi` fixture, after cdef(testlib_cdef)."""
    ffi.cdef(testlib_cdef)
    return ffi.dlopen(testlib_path)


def build_shared_library(tmp_path_factory, stem, source):
    """The path of C `source` compiled by gcc into lib<stem>.so in a new temporary directory
    (the test is skipped without gcc, and fails with gcc's messages if it does not compile)."""
    import shutil
    import subprocess

    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is needed to build the C test library")
    directory = tmp_path_factory.mktemp(stem)
    (directory / (stem + ".c")).write_text(source)
    out = directory / ("lib%s.so" % (stem,))
    proc = subprocess.run([gcc, "-shared", "-fPIC", "-O1", "-o", str(out),
                           str(directory / (stem + ".c"))], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail("compiling %s.c failed:\n%s" % (stem, proc.stderr))
    return str(out)


def embedding_skip_reason():
    """Why embedding (spec chapter 9) cannot be tested here, or None: it needs gcc and a
    shared libpython installed where sysconfig says."""
    import shutil
    import sysconfig

    if shutil.which("gcc") is None:
        return "gcc is not installed"
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        return "this Python has no shared libpython to embed"
    libdir = sysconfig.get_config_var("LIBDIR") or ""
    if not os.path.exists(os.path.join(libdir, sysconfig.get_config_var("LDLIBRARY") or "?")):
        return "libpython is not installed in LIBDIR (%s)" % (libdir,)
    return None


@contextlib.contextmanager
def missed_attributes(cls):
    """The names looked up through `cls.__getattr__` (missing attributes) in the block."""
    missed = []
    original = cls.__getattr__

    def spy(self, name):
        missed.append(name)
        return original(self, name)
    cls.__getattr__ = spy
    try:
        yield missed
    finally:
        cls.__getattr__ = original


def import_built(directory, name):
    """The module `name` that compile() wrote into `directory`, imported; sys.path and
    sys.modules are left as they were, so that another test may build the same name."""
    sys.path.insert(0, str(directory))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(directory))
        for key in (name, name + ".lib"):
            sys.modules.pop(key, None)


def build_api_module(directory, name, cdef, source, **kwds):
    """An API-mode module (an out-of-line ABI one for `source` None): cdef() and
    set_source(name, source, **kwds), compiled into `directory` and imported (as
    import_built())."""
    builder = FFI()
    builder.cdef(cdef)
    builder.set_source(name, source, **kwds)
    builder.compile(tmpdir=str(directory))
    return import_built(directory, name)


def run_together(work, count=8):
    """Run work(i) in `count` threads started on a barrier, switching threads as often as
    possible; the results, or the first error (raised in the caller's thread)."""
    import threading
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as exc:        # reported below, in the test's thread
            errors.append(exc)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    if errors:
        raise errors[0]
    return results


def normalised(text):
    """`text` without addresses and module prefixes, which differ by implementation (what
    the differential tests compare of a repr or an error message)."""
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", text)
    text = re.sub(r"0x[0-9a-fA-F]+", "0x?", text)
    for prefix in ("_cffi_backend.", "purecffi.", "cffi."):
        text = text.replace(prefix, "")
    return text


def python_calls(work):
    """(work(), the names of the Python functions it called, work itself aside): what runs
    no Python code shows an empty list."""
    calls = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code is not work.__code__:
            calls.append(frame.f_code.co_name)
    import gc
    enabled = gc.isenabled()
    gc.disable()        # (a collection would run gc callbacks, which have nothing to do with work)
    sys.setprofile(profile)
    try:
        result = work()
    finally:
        sys.setprofile(None)
        if enabled:
            gc.enable()
    return result, calls
