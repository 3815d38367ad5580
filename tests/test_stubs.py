"""Type stubs: compile(), emit_c_code() and emit_python_code() write NAME.pyi, and mypy --strict
checks programs that use the module (purecffi's own feature; cffi writes no stubs)."""
import os
import shutil
import subprocess
import sys

import pytest

from _backend import FFI, IS_CFFI

pytestmark = pytest.mark.skipif(IS_CFFI, reason="type stubs are purecffi's own feature")
SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")

CDEF = """
    struct point { int x, y; };
    enum color { RED, GREEN = 5 };
    #define ANSWER 42
    static const double RATIO;
    static const char *const GREETING;
    extern int counter;
    double scale(double f, int n);
    int add(int, int);
    size_t count_chars(const char *s, char c);
    struct point make_point(int x, int y);
    void reset(void);
    enum color pick(enum color);
    int log_all(const char *fmt, ...);
    extern "Python" int on_event(int, void *);
    int fire(int n);
    _Bool is_even(int);
    int sum_ints(const int *values, int n);
"""
SOURCE = r"""
    struct point { int x, y; };
    enum color { RED, GREEN = 5 };
    #define ANSWER 42
    static const double RATIO = 1.5;
    static const char *const GREETING = "hi";
    int counter = 0;
    static double scale(double f, int n) { return f * n; }
    static int add(int a, int b) { return a + b; }
    static size_t count_chars(const char *s, char c) {
        size_t n = 0;
        for (; *s; s++) n += *s == c;
        return n;
    }
    static struct point make_point(int x, int y) { struct point p = {x, y}; return p; }
    static void reset(void) { counter = 0; }
    static enum color pick(enum color c) { return c; }
    static int log_all(const char *fmt, ...) { return 0; }
    static int on_event(int, void *);
    static int fire(int n) { return on_event(n, 0); }
    static _Bool is_even(int n) { return n % 2 == 0; }
    static int sum_ints(const int *values, int n) {
        int total = 0;
        while (n--) total += values[n];
        return total;
    }
"""

GOOD = '''\
from _typed import ffi, lib


@ffi.def_extern()
def on_event(n: int, data: object) -> int:
    return n * 2


@ffi.callback("int(int)")
def twice(x: int) -> int:
    return 2 * x


def main() -> str:
    total: int = lib.add(2, 3) + lib.fire(4) + lib.count_chars(b"banana", b"a")
    total += lib.sum_ints([1, 2, 3], 3) - lib.sum_ints(ffi.new("int[]", [6]), 1)
    ratio: float = lib.scale(1.5, 2) * lib.RATIO
    point = lib.make_point(1, 2)
    p = ffi.new("struct point *", {"x": lib.ANSWER, "y": lib.GREEN})
    p.x += point.y
    lib.counter = total
    even: bool = lib.is_even(lib.pick(lib.RED))
    buf = ffi.new("char[]", b"abcb")
    found: int = lib.count_chars(buf, b"b")
    lib.reset()
    size: int = ffi.sizeof("struct point")
    return repr((total, ratio, p.x, even, ffi.string(lib.GREETING), found, size, twice(4),
                 lib.counter, lib.log_all(b"%d", ffi.cast("int", 1))))


print(main())
'''
BAD = {
    "wrong_type.py": 'lib.add("two", 3)',
    "misspelled.py": 'lib.ad(2, 3)',
    "wrong_arity.py": 'lib.scale(1.0)',
}
EXPECTED = {
    "wrong_type.py": 'Argument 1 to "add" of "_Lib" has incompatible type "str"; expected "int"',
    "misspelled.py": '"_Lib" has no attribute "ad"; maybe "add"?',
    "wrong_arity.py": 'Too few arguments for "scale" of "_Lib"',
}


# purecffi's own API under mypy --strict: an unannotated method would be an "untyped call"
API_USE = """\
from purecffi import FFI, CDefError, FFIError, cdef_from_headers

ffi = FFI()
ffi.cdef("struct pt { int x, y; }; int abs(int);")
ffi.cdef(cdef_from_headers("stdio.h", ["puts"]))
lib = ffi.dlopen(None)
p = ffi.new("struct pt *", {"x": 1})
arr = ffi.new("int[]", [1, 2, 3])
total: int = sum(arr) + len(arr) + p.x + lib.abs(-2)
raw: bytes = ffi.buffer(arr)[:]
text = ffi.string(ffi.new("char[]", b"hi"))
values = ffi.unpack(arr, 3)
back = ffi.from_handle(ffi.new_handle(total))
ffi.errno = 0
err: int = ffi.errno
kind: str = ffi.typeof(p).kind
n: int = int(ffi.cast("int", 3))
ffi.memmove(arr, b"\\0\\0\\0\\0", 4)
once: int = ffi.init_once(lambda: 42, "tag")
y = ffi.addressof(p[0], "y")
ffi.release(ffi.gc(ffi.new("int *"), lambda c: None))
typedefs, structs, unions = ffi.list_types()
with ffi.new("int *") as tmp:
    tmp[0] = 1
is_null: bool = p == ffi.NULL
view = ffi.from_buffer(bytearray(8))
size: int = ffi.sizeof(p) + ffi.alignof("int") + ffi.offsetof("struct pt", "y")
callback = ffi.callback("int(int)", lambda x: x)
try:
    ffi.cdef("bad")
except (CDefError, FFIError) as e:
    message: str = str(e)
"""
ABI_USE = """\
from _typed_abi import ffi
libm = ffi.dlopen("libm.so.6")
root: float = libm.sqrt(2.0)
libm.abs(1.5)
"""


def build(tmp_path, name, source, **kwds):
    """Compile module `name` (API mode when `source` is C) into tmp_path."""
    ffi = FFI()
    ffi.cdef(CDEF if source is not None else "struct point { int x, y; }; double sqrt(double);"
             "int abs(int);\n#define ANSWER 42\n")
    ffi.set_source(name, source)
    return ffi, ffi.compile(tmpdir=str(tmp_path), **kwds)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """An API-mode and an ABI-mode module with their stubs, the scripts using them, and the
    output of one mypy --strict run over the scripts: (directory, exit status, output)."""
    pytest.importorskip("mypy", reason="mypy is a test dependency (pip install -e .[test])")
    if shutil.which("gcc") is None:
        pytest.skip("API mode needs gcc")
    directory = tmp_path_factory.mktemp("typed")
    build(directory, "_typed", SOURCE)
    build(directory, "_typed_abi", None)
    scripts = {"good.py": GOOD, "abi_use.py": ABI_USE, "api_use.py": API_USE}
    scripts.update((name, "from _typed import lib\n" + line + "\n") for name, line in BAD.items())
    for name, text in scripts.items():
        (directory / name).write_text(text)
    env = dict(os.environ, MYPYPATH=SRC)
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
                           "--no-error-summary", "--cache-dir", str(directory / ".mypy_cache"),
                           *sorted(scripts)], cwd=str(directory), capture_output=True,
                          text=True, env=env, timeout=300)
    return directory, proc.returncode, proc.stdout + proc.stderr


def test_the_stub_types_lib(checked):
    stub = (checked[0] / "_typed.pyi").read_text()
    assert "def add(self, a0: int, a1: int, /) -> int: ..." in stub
    assert "def count_chars(self, a0: bytes | CData, a1: bytes, /) -> int: ..." in stub
    assert "def make_point(self, a0: int, a1: int, /) -> CData: ..." in stub
    assert "def reset(self) -> None: ..." in stub
    assert "def log_all(self, a0: bytes | CData, /, *args: CData) -> int: ..." in stub
    assert "def on_event(self, a0: int, a1: CData, /) -> int: ..." in stub
    assert "def sum_ints(self, a0: CData | list[Any] | tuple[Any, ...], a1: int, /) -> int: ..." \
        in stub
    assert "    ANSWER: int\n" in stub and "    counter: int\n" in stub
    assert "    RATIO: float\n" in stub and "    GREEN: int\n" in stub
    assert "lib: _Lib" in stub


def test_mypy_strict_accepts_correct_use_and_names_each_mistake(checked):
    directory, status, output = checked
    assert status == 1
    for name, message in EXPECTED.items():
        assert "%s:2: error: %s" % (name, message) in output, output
    assert "good.py" not in output and "api_use.py" not in output, output
    assert output.count("error:") == len(BAD) + 1, output       # + abi_use.py's one
    run = subprocess.run([sys.executable, "good.py"], cwd=str(directory), capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH=SRC))
    assert run.returncode == 0, run.stderr       # the checked program is right at run time too
    assert run.stdout.strip() == "(16, 4.5, 44, True, b'hi', 2, 8, 8, 0, 0)"


def test_abi_mode_stub_types_dlopen(checked):
    directory, _, output = checked
    stub = (directory / "_typed_abi.pyi").read_text()
    assert "def dlopen(self, name: str | None, flags: int = ...) -> _Lib: ..." in stub
    assert 'abi_use.py:4: error: Argument 1 to "abs" of "_Lib" has incompatible type ' \
           '"float"; expected "int"' in output, output
    assert "abi_use.py:3" not in output, output


def test_where_stubs_go(tmp_path):
    _, path = build(tmp_path / "none", "_nostub", None, stubs=False)
    assert os.listdir(os.path.dirname(path)) == ["_nostub.py"]
    build(tmp_path / "dir", "pkg._elsewhere", None, stubs=str(tmp_path / "stubs"))
    assert os.listdir(tmp_path / "stubs") == ["_elsewhere.pyi"]
    assert (tmp_path / "dir" / "pkg" / "_elsewhere.py").exists()
    ffi = FFI()
    ffi.cdef("int abs(int);")
    ffi.set_source("pkg._emitted", None)
    ffi.emit_python_code(str(tmp_path / "out.py"))
    assert "def abs(self, a0: int, /) -> int: ..." in (tmp_path / "out.pyi").read_text()
    api = FFI()
    api.cdef("int abs(int);")
    api.set_source("pkg._api", "#include <stdlib.h>")
    api.emit_c_code(str(tmp_path / "api_src.c"))
    assert "lib: _Lib" in (tmp_path / "_api.pyi").read_text()
    api.emit_c_code(str(tmp_path / "again.c"), stubs=str(tmp_path / "named.pyi"))
    assert (tmp_path / "named.pyi").exists()


def test_purecffi_api_runs_as_type_checked(checked):
    run = subprocess.run([sys.executable, "api_use.py"], cwd=str(checked[0]), capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH=SRC))
    assert run.returncode == 0, run.stderr


def test_purecffi_ships_py_typed():
    assert os.path.exists(os.path.join(SRC, "purecffi", "py.typed"))
