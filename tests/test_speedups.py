"""purecffi._speedups, the optional C methods for the runtime's classes (purecffi/accel.py,
build/speedups.py, setup.py): its C is what the generator writes, `import purecffi` loads it
where it was built, PURECFFI_PURE=1 leaves it out, a build without a compiler still installs,
and in-line programs give the same results with and without it."""
import os
import shutil
import subprocess
import sys
from importlib.util import find_spec

import pytest

from conftest import FREE_THREADED
from _backend import IS_CFFI

pytestmark = pytest.mark.skipif(IS_CFFI, reason="purecffi's own optional module")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(REPO, "src")
BUILT = find_spec("purecffi._speedups") is not None
needs_build = pytest.mark.skipif(
    not BUILT or FREE_THREADED, reason="purecffi._speedups is not built for this Python "
    "(no C compiler at install) or lends nothing here (a free-threaded build)")


def run_python(code, pure=False, cwd=None):
    """Run `code` in a fresh interpreter on this checkout's sources; its stdout lines."""
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("PURECFFI_PURE", None)
    if pure:
        env["PURECFFI_PURE"] = "1"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_the_c_file_is_what_the_generator_writes():
    from purecffi.build.speedups import SOURCE_PATH, speedups_source
    with open(SOURCE_PATH, encoding="utf-8") as f:
        kept = f.read()
    assert kept == speedups_source(), \
        "src/purecffi/_speedups.c is stale: run python -m purecffi.build.speedups"
    assert "PyImport_ImportModule(\"_cffi_backend\")" not in kept     # (the runtime's own)
    assert "_pc_accelerate" in kept


CLASSES = """
import purecffi
from purecffi.accel import speedups_loaded
ffi = purecffi.FFI()
ffi.cdef("struct pt { int x; double y; };")
p = ffi.new("struct pt *")
a = ffi.new("int[4]")
print(speedups_loaded(), type(type(a).__dict__["__getitem__"]).__name__,
      type(type(p).__dict__["x"].fget).__name__, "purecffi._speedups" in __import__("sys").modules)
"""


@needs_build
def test_import_purecffi_loads_it():
    assert run_python(CLASSES) == ["True method_descriptor builtin_function_or_method True"]


def test_purecffi_pure_leaves_it_out():
    assert run_python(CLASSES, pure=True) == ["False function attrgetter False"]
    for value in ("", "0"):     # (not set, or set to no)
        env_code = "import os; os.environ['PURECFFI_PURE'] = %r\n" % (value,) + CLASSES
        assert run_python(env_code)[0].split()[0] == str(BUILT and not FREE_THREADED)


def test_a_module_older_than_its_c_is_left_out(tmp_path, monkeypatch):
    """A checkout whose C changed since `pip install -e` keeps the runtime pure Python (its
    C may not fit this runtime) until it is built again; a wheel has no C beside it."""
    import importlib.machinery
    import importlib.util
    from purecffi import accel
    built = tmp_path / "_speedups.so"
    built.write_bytes(b"")
    spec = importlib.machinery.ModuleSpec("purecffi._speedups", None, origin=str(built))
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec)
    assert not accel._stale()          # (no C beside it)
    source = tmp_path / "_speedups.c"
    source.write_text("")
    os.utime(built, (1000, 1000))
    os.utime(source, (2000, 2000))
    assert accel._stale()
    os.utime(built, (3000, 3000))
    assert not accel._stale()


@needs_build
def test_doctor_says_whether_it_is_in_use():
    code = "from purecffi.doctor import report; print(report()[2])"
    assert run_python(code) == ["speedups       in use (purecffi._speedups)"]
    assert run_python(code, pure=True) == ["speedups       off: PURECFFI_PURE is set (pure "
                                           "Python)"]


INLINE_GRID = r"""
import purecffi, re, warnings
ffi = purecffi.FFI()
ffi.cdef('''
struct pt { int x; double y; };
struct f { signed char a; unsigned char b; short c; unsigned short d; int e; unsigned int g;
           long long j; unsigned long long k; float l; double m; _Bool q; int s:5;
           struct pt t; int *u; };
''')
p = ffi.new("struct f *")
pts = ffi.new("struct pt[5]")
arrays = {t: ffi.new(t + "[3]") for t in ("signed char", "unsigned char", "short",
          "unsigned short", "int", "unsigned int", "long", "unsigned long", "long long",
          "unsigned long long", "float", "double", "_Bool", "char")}
pointers = {t: ffi.cast(t + " *", a) for t, a in arrays.items()}
values = [0, 1, -1, 127, 128, 255, 256, -129, 2**31, -2**31 - 1, 2**32, 2**63, -2**63 - 1,
          2**64, 1.5, -0.0, 1e300, float("inf"), True, None, "x", b"x", [1]]
indices = [0, 2, 3, -1, True, 2**70, "0", 1.0]
inside = [0, 2, True, 2**70, "0", 1.0]     # (for pointers: no memory outside the array)
ba = bytearray(b"0123456789abcdef")

def show(label, thunk):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = repr(thunk())
        except Exception as exc:
            result = "%s: %s" % (type(exc).__name__, exc)
    result = re.sub(r"0x[0-9a-f]{8,}", "0x?", result)    # (addresses of memory)
    print(label, result, [str(w.message) for w in caught])

for name in "abcdegjklmqs":
    for v in values:
        show("p.%s = %r" % (name, v), lambda: setattr(p, name, v))
        show("p.%s" % name, lambda: getattr(p, name))
for t in arrays:
    for i in indices:
        for v in values[::3]:
            show("%s a[%r] = %r" % (t, i, v), lambda: arrays[t].__setitem__(i, v))
        show("%s a[%r]" % (t, i), lambda: arrays[t][i])
    for i in inside:
        for v in values[::3]:
            show("%s p[%r] = %r" % (t, i, v), lambda: pointers[t].__setitem__(i, v))
        show("%s p[%r]" % (t, i), lambda: pointers[t][i])
    show("len %s" % t, lambda: len(arrays[t]))
q = ffi.cast("struct pt *", pts)
for i in indices:
    show("pts[%r].x" % (i,), lambda: pts[i].x)
    show("q + %r" % (i,), lambda: (q + i) - q)
for i in inside:
    show("q[%r].y" % (i,), lambda: q[i].y)
show("q == q + 0", lambda: (q == q + 0, q != q + 1, bool(q), hash(q) == hash(q + 0)))
show("null", lambda: ffi.cast("struct pt *", 0).x)
buf = ffi.buffer(arrays["int"])
for i in indices + [slice(1, 3), slice(None), slice(0, 8, 2)]:
    show("buf[%r]" % (i,), lambda: buf[i])
show("buffer", lambda: ffi.buffer(pointers["char"], 5)[:])
other = purecffi.FFI()
other.cdef("struct pt { short x; };")
for f in (ffi, other, purecffi.FFI()):     # (each ffi its own types)
    for cdecl in ("int *", "struct pt *", "struct pt[2]", "char[]", "int[]", "int[3]",
                  "double *", "_Bool *", "void *", "int", "struct nope *", "int[-1]", 5,
                  ffi.typeof("int *")):
        for init in (None, 5, -1, 2**40, 1.5, b"ab", "ab", [1, 2], (3,), {"x": 1}, ba):
            show("new %r %r" % (cdecl, init), lambda: f.new(cdecl, init))
            show("cast %r %r" % (cdecl, init), lambda: f.cast(cdecl, init))
        show("typeof %r" % (cdecl,), lambda: f.typeof(cdecl))
        show("sizeof %r" % (cdecl,), lambda: f.sizeof(cdecl))
        show("from_buffer %r" % (cdecl,), lambda: f.from_buffer(cdecl, ba))
    show("new()", lambda: f.new())
    show("new kw", lambda: f.new(cdecl="int *", init=3)[0])
    show("new 3 args", lambda: f.new("int *", 1, 2))
    show("cast kw", lambda: f.cast(cdecl="int", source=3))
    show("typeof cdata", lambda: f.typeof(pts))
    show("sizeof cdata", lambda: (f.sizeof(pts), f.sizeof(p), f.sizeof(arrays["char"])))
    show("typeof kw", lambda: f.typeof(cdecl="int"))
    show("typeof 0", lambda: f.typeof())
    for source in (ba, b"abc", bytearray(), memoryview(b"xy"), "str", 5, None):
        label = type(source).__name__
        show("from_buffer %s" % label, lambda: f.from_buffer(source))
        show("from_buffer w %s" % label, lambda: f.from_buffer(source, require_writable=True))
    for data in (arrays["char"], p, pts, f.new("char[]", b"abc"), f.new("int[3]", [1, 2, 3]),
                 f.cast("char *", 0), 5, b"x"):
        show("string %r" % (data,), lambda: f.string(data))
        show("string 2 %r" % (data,), lambda: f.string(data, 2))
        show("unpack %r" % (data,), lambda: f.unpack(data, 2))
    show("unpack kw", lambda: f.unpack(arrays["int"], length=2))
print("done")
"""


@needs_build
def test_inline_programs_give_the_same_results_with_and_without_it():
    fast = run_python(INLINE_GRID)
    plain = run_python(INLINE_GRID, pure=True)
    assert fast[-1] == "done" and len(fast) > 1000
    differing = [(a, b) for a, b in zip(plain, fast) if a != b]
    assert len(plain) == len(fast) and not differing, differing[:10]


LENT = """
import purecffi
from purecffi import FFI

class Mine(FFI):
    def new(self, cdecl, init=None):
        return "mine"

ffi = FFI()
print(" ".join(type(FFI.__dict__[name]).__name__ for name in (
    "new", "cast", "from_buffer", "string", "unpack", "typeof", "sizeof")))
print(Mine().new("int *"), Mine().cast("int", 7), type(ffi.new).__name__,
      ffi.new.__self__ is ffi, FFI.new(ffi, "int *", 4)[0])
"""


@needs_build
def test_the_ffi_methods_are_c_for_every_ffi_but_a_subclass_keeps_its_own():
    assert run_python(LENT) == ["method_descriptor" + " method_descriptor" * 6,
                                "mine <cdata 'int' 7> builtin_function_or_method True 4"]
    assert run_python(LENT, pure=True)[0] == "function" + " function" * 2 + " staticmethod" * 2 + \
        " function" * 2


@pytest.mark.slow
def test_a_build_without_a_c_compiler_still_installs(tmp_path):
    """The extension is optional: with a C compiler that fails, setup.py still succeeds and
    leaves the module out; with PURECFFI_PURE=1 it does not even try; with a compiler, it
    is built.  (setup.py alone: pyproject.toml's metadata needs a newer setuptools than
    the one the test environment may have; pip's isolated builds fetch it.)"""
    checkout = tmp_path / "checkout"
    shutil.copytree(os.path.join(REPO, "src"), checkout / "src",
                    ignore=shutil.ignore_patterns("*.so", "__pycache__", "*.egg-info"))
    shutil.copy(os.path.join(REPO, "setup.py"), checkout)
    for extra, tried in (({"CC": "false", "LDSHARED": "false"}, True),
                         ({"PURECFFI_PURE": "1"}, False)):
        env = dict(os.environ, **extra)
        proc = subprocess.run([sys.executable, "setup.py", "build_ext", "-b", "out"],
                              cwd=checkout, env=env, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert not list(checkout.glob("**/_speedups*.so"))
        assert ("_speedups" in proc.stdout + proc.stderr) == tried
    if shutil.which("cc") or shutil.which("gcc"):
        proc = subprocess.run([sys.executable, "setup.py", "build_ext", "-b", "out"],
                              cwd=checkout, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert len(list(checkout.glob("**/_speedups*.so"))) == 1
