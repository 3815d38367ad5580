#!/usr/bin/env python3
"""Micro-benchmarks: purecffi against cffi and ctypes, printed as one comparison table.

Every measurement (one benchmark row on one implementation) runs in its own child process, so
a missing feature, an exception, a hang or even a segfault in one implementation only turns
that cell into "error: ..." and the run goes on.  See bench/README.md for what each row measures.

    python bench/run.py                 # full run (7 repeats)
    python bench/run.py --quick         # smoke test (3 short repeats)
    python bench/run.py --markdown      # Markdown table, for bench/README.md
    python bench/run.py --only abs --only 'qsort*'
    python bench/run.py --list          # the row names
"""
import argparse
import ctypes.util
import dataclasses
import fnmatch
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
import timeit
from typing import Callable, Optional, Union

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import surface  # noqa: E402  (bench/surface.py: the rows covering the rest of the surface)

# -- Implementations ----------------------------------------------------------------------

IMPLS = ("purecffi", "cffi", "ctypes", "pure")   # table columns, in order
DEFAULT_IMPLS = ("purecffi", "cffi", "ctypes")   # "pure" is asked for with --impls
FFI_IMPLS = ("purecffi", "cffi", "pure")  # share the "ffi" entries of a row
# "pure": purecffi without its optional C methods (PURECFFI_PURE=1: no purecffi._speedups),
# with the entries of "purecffi"
ALIASES = {"pure": "purecffi"}
BASELINE = "cffi"                         # the ratio is purecffi / BASELINE

PRELUDES = {
    "purecffi": "from purecffi import FFI\nffi = FFI()\n",
    "pure": "from purecffi import FFI\nffi = FFI()\n",
    "cffi": "from cffi import FFI\nffi = FFI()\n",
    "ctypes": "import ctypes\nfrom ctypes import *\n",
}

CALL_TARGET = 1.3    # calls into C: purecffi may be at most 1.3x slower than cffi
CALL_API_TARGET = 0.7   # API-mode calls with numbers only (compiled module): at most 0.7x
OTHER_TARGET = 1.5   # every other in-line operation: at most 1.5x

# -- The benchmark table ------------------------------------------------------------------
#
# A row's `setup`, `stmt` and `check` are either one value shared by every implementation, or
# a dict keyed by implementation name, where the key "ffi" stands for both purecffi and cffi.
# A missing key means "no equivalent": that cell prints "n/a".  Values are source strings
# (run with exec / timeit) or, for setup, a callable(namespace) for anything more involved.
# The setup namespace starts with the implementation's prelude (`ffi = FFI()` or the ctypes
# names) plus LIBC (None, i.e. dlopen(None)), LIBC_PATH and LIBM (library names).

Code = Union[str, Callable[[dict], None], None]
PerImpl = Union[Code, dict]


@dataclasses.dataclass
class Bench:
    """One row: how to prepare each implementation, what to time, and the ratio target."""

    name: str                      # short id for --only
    title: str                     # label in the table
    stmt: PerImpl                  # the timed statement
    setup: PerImpl = None          # run once before timing
    check: PerImpl = None          # expression that must be true after one run of stmt
    target: float = OTHER_TARGET   # max allowed purecffi/cffi ratio
    per: Optional[tuple] = None    # (title, expr): extra row = time / value of expr after setup;
                                   # "{per}" in the title shows that value
    timeout: float = 120.0         # seconds allowed for one cell (setup + timing)

    def for_impl(self, field, impl):
        """The value of `field` ("setup", "stmt", "check") for one implementation."""
        value = getattr(self, field)
        if not isinstance(value, dict):
            return value
        impl = ALIASES.get(impl, impl)
        if impl in value:
            return value[impl]
        if impl in FFI_IMPLS:
            return value.get("ffi")
        return None

    def available(self, impl):
        """Whether this row has a statement for `impl` (else the cell is "n/a")."""
        return self.for_impl("stmt", impl) is not None


POINT_CDEF = 'ffi.cdef("struct point { int x; double y; };")\n'
POINT_CTYPES = ("class Point(Structure):\n"
                "    _fields_ = [('x', c_int), ('y', c_double)]\n")

QSORT_SETUP_FFI = '''
ffi.cdef("void qsort(void *base, size_t nmemb, size_t size,"
         "           int (*compar)(const int *, const int *));")
lib = ffi.dlopen(LIBC)

@ffi.callback("int(const int *, const int *)")
def cmp(p, q):
    x = p[0]; y = q[0]
    return (x > y) - (x < y)

counter = [0]
@ffi.callback("int(const int *, const int *)")
def counting_cmp(p, q):
    counter[0] += 1
    x = p[0]; y = q[0]
    return (x > y) - (x < y)

data = QSORT_DATA
src = ffi.new("int[100]", data)
a = ffi.new("int[100]")
ffi.memmove(a, src, 400)
lib.qsort(a, 100, 4, counting_cmp)
ncalls = counter[0]
'''

QSORT_SETUP_CTYPES = '''
lib = CDLL(LIBC_PATH)
CMP = CFUNCTYPE(c_int, POINTER(c_int), POINTER(c_int))
lib.qsort.argtypes = [c_void_p, c_size_t, c_size_t, CMP]
lib.qsort.restype = None

def _cmp(p, q):
    x = p[0]; y = q[0]
    return (x > y) - (x < y)
cmp = CMP(_cmp)

counter = [0]
def _counting_cmp(p, q):
    counter[0] += 1
    x = p[0]; y = q[0]
    return (x > y) - (x < y)
counting_cmp = CMP(_counting_cmp)

data = QSORT_DATA
src = (c_int * 100)(*data)
a = (c_int * 100)()
ctypes.memmove(a, src, 400)
lib.qsort(a, 100, 4, counting_cmp)
ncalls = counter[0]
'''

def ool_cdef(n_structs=100, n_functions=500):
    """Declarations for the out-of-line rows: structs pointing at (and holding) each other,
    typedefs, and functions taking and returning them."""
    prims = ["int", "double", "char *", "unsigned long", "short", "float", "long long"]
    lines = []
    for i in range(n_structs):
        fields = ["    %s f%d;" % (prims[(i + k) % len(prims)], k) for k in range(4)]
        if i:
            fields.append("    struct s%d *prev;" % (i - 1))
            fields.append("    struct s%d by_value;" % (i // 2) if i % 3 == 0 else "    int pad;")
        lines.append("struct s%d {\n%s\n};\ntypedef struct s%d s%d_t;"
                     % (i, "\n".join(fields), i, i))
    for j in range(n_functions):
        args = ", ".join("s%d_t *" % ((j + k) % n_structs) if k % 2 else prims[(j + k) % 7]
                         for k in range(j % 4 + 1))
        lines.append("%s func%d(%s);" % (prims[j % len(prims)], j, args))
    return "\n".join(lines)


def ool_module_setup(with_pyc):
    """Setup of the out-of-line import rows: build the module with the implementation's
    set_source(name, None) + compile() into a fresh directory and import it once (which
    writes its .pyc when `with_pyc`, as for an installed package)."""
    def setup(namespace):
        import atexit
        import importlib
        import shutil
        import tempfile
        ffi = namespace["ffi"]
        ffi.cdef(ool_cdef())
        ffi.set_source("_bench_ool", None)
        tmpdir = tempfile.mkdtemp(prefix="bench-ool-")
        atexit.register(shutil.rmtree, tmpdir, True)
        ffi.compile(tmpdir=tmpdir)
        sys.path.insert(0, tmpdir)
        sys.dont_write_bytecode = not with_pyc
        importlib.import_module("_bench_ool")
        namespace.update(importlib=importlib, sys=sys)
    return setup


# -- API-mode rows: the same C functions compiled by each implementation's set_source() --
API_CDEF = """
struct point { int x; double y; };
int add(int, int);
double addd(double, double);
int getx(struct point *);
void nothing(void);
extern "Python" int cb(int);
int call_cb_100(void);
"""

API_SOURCE = """
struct point { int x; double y; };
static int add(int a, int b) { return a + b; }
static double addd(double a, double b) { return a + b; }
static int getx(struct point *p) { return p->x; }
static void nothing(void) { }
static int cb(int);
static int call_cb_100(void)
{
    int i, total = 0;
    for (i = 0; i < 100; i++)
        total += cb(i);
    return total;
}
"""


def api_module_setup(namespace):
    """Setup of the API-mode rows: build `_bench_api` with the implementation's own
    set_source() + compile() into a fresh directory, import it, and put its `ffi` and `lib`,
    a `struct point *` `p` (p.x == 7) and the extern "Python" handler of `cb` in place."""
    import atexit
    import importlib
    import shutil
    import tempfile
    ffi = namespace["ffi"]
    ffi.cdef(API_CDEF)
    ffi.set_source("_bench_api", API_SOURCE)
    tmpdir = tempfile.mkdtemp(prefix="bench-api-")
    atexit.register(shutil.rmtree, tmpdir, True)
    ffi.compile(tmpdir=tmpdir)
    sys.path.insert(0, tmpdir)
    module = importlib.import_module("_bench_api")
    ffi, lib = module.ffi, module.lib

    @ffi.def_extern()
    def cb(x):
        return x

    p = ffi.new("struct point *")
    p.x = 7
    namespace.update(ffi=ffi, lib=lib, p=p, cb=cb)


def api_bench(name, title, stmt, check, setup=api_module_setup, **kwds):
    """One API-mode row (purecffi and cffi only; ctypes has no API mode)."""
    kwds.setdefault("target", CALL_API_TARGET)
    return Bench(name, title, setup={"ffi": setup}, stmt={"ffi": stmt},
                 check={"ffi": check}, timeout=300.0, **kwds)


OOL_IMPORT = 'del sys.modules["_bench_ool"]; importlib.import_module("_bench_ool")'
OOL_CHECK = 'importlib.import_module("_bench_ool").ffi.sizeof("s5_t") > 0'

EMBED_SOURCE = """
int embed_add(int, int);
CFFI_DLLEXPORT int embed_loop(int n)
{
    int i, total = 0;
    for (i = 0; i < n; i++)
        total += embed_add(i, 1);
    return total;
}
"""


def embed_setup(namespace):
    """Setup of the embedding row: build a shared library with the implementation's
    embedding_api() (exported `int embed_add(int, int)`, written in Python) and a C function
    `embed_loop(n)` calling it n times; load it with ctypes.CDLL as `plugin`."""
    import atexit
    import ctypes
    import shutil
    import tempfile
    ffi = namespace["ffi"]
    ffi.embedding_api("int embed_add(int, int);")
    ffi.set_source("_bench_embed", EMBED_SOURCE)
    ffi.embedding_init_code("""
        from _bench_embed import ffi
        @ffi.def_extern()
        def embed_add(a, b):
            return a + b
    """)
    tmpdir = tempfile.mkdtemp(prefix="bench-embed-")
    atexit.register(shutil.rmtree, tmpdir, True)
    plugin = ctypes.CDLL(ffi.compile(tmpdir=tmpdir, target="lib_bench_embed.*"))
    plugin.embed_loop.argtypes = [ctypes.c_int]
    plugin.embed_loop.restype = ctypes.c_int
    namespace.update(plugin=plugin)


BENCHES = [
    Bench("abs", "call int abs(int)",
          setup={"ffi": 'ffi.cdef("int abs(int);")\nlib = ffi.dlopen(LIBC)\n',
                 "ctypes": "lib = CDLL(LIBC_PATH)\n"
                           "lib.abs.argtypes = [c_int]\nlib.abs.restype = c_int\n"},
          stmt="lib.abs(-42)", check="lib.abs(-42) == 42", target=CALL_TARGET),
    Bench("sqrt", "call double sqrt(double) (libm)",
          setup={"ffi": 'ffi.cdef("double sqrt(double);")\nm = ffi.dlopen(LIBM)\n',
                 "ctypes": "m = CDLL(LIBM)\n"
                           "m.sqrt.argtypes = [c_double]\nm.sqrt.restype = c_double\n"},
          stmt="m.sqrt(2.0)", check="m.sqrt(2.25) == 1.5", target=CALL_TARGET),
    Bench("strlen", "call size_t strlen(const char *), bytes arg",
          setup={"ffi": 'ffi.cdef("size_t strlen(const char *);")\n'
                        'lib = ffi.dlopen(LIBC)\ns = b"hello world"\n',
                 "ctypes": "lib = CDLL(LIBC_PATH)\nlib.strlen.argtypes = [c_char_p]\n"
                           'lib.strlen.restype = c_size_t\ns = b"hello world"\n'},
          stmt="lib.strlen(s)", check="lib.strlen(s) == 11", target=CALL_TARGET),
    Bench("field_get", "struct field read p.x",
          setup={"ffi": POINT_CDEF + 'p = ffi.new("struct point *")\np.x = 7\n',
                 "ctypes": POINT_CTYPES + "p = Point()\np.x = 7\n"},
          stmt="p.x", check="p.x == 7"),
    Bench("field_set", "struct field write p.x = 5",
          setup={"ffi": POINT_CDEF + 'p = ffi.new("struct point *")\n',
                 "ctypes": POINT_CTYPES + "p = Point()\n"},
          stmt="p.x = 5", check="p.x == 5 and p.y == 0.0"),
    Bench("item_get", "array item read a[5] (int[100])",
          setup={"ffi": 'a = ffi.new("int[100]")\na[5] = 9\n',
                 "ctypes": "a = (c_int * 100)()\na[5] = 9\n"},
          stmt="a[5]", check="a[5] == 9"),
    Bench("item_set", "array item write a[5] = 3 (int[100])",
          setup={"ffi": 'a = ffi.new("int[100]")\n',
                 "ctypes": "a = (c_int * 100)()\n"},
          stmt="a[5] = 3", check="a[5] == 3 and a[4] == 0 and a[6] == 0"),
    Bench("new_struct", 'ffi.new("struct point *")',
          setup={"ffi": POINT_CDEF, "ctypes": POINT_CTYPES},
          stmt={"ffi": 'ffi.new("struct point *")', "ctypes": "Point()"},
          check={"ffi": 'ffi.new("struct point *").y == 0.0', "ctypes": "Point().y == 0.0"}),
    Bench("new_array", 'ffi.new("int[100]")',
          setup={"ctypes": "IntArray100 = c_int * 100\n"},
          stmt={"ffi": 'ffi.new("int[100]")', "ctypes": "IntArray100()"},
          check={"ffi": 'len(ffi.new("int[100]")) == 100 and ffi.new("int[100]")[99] == 0',
                 "ctypes": "len(IntArray100()) == 100 and IntArray100()[99] == 0"}),
    Bench("cast", 'ffi.cast("int", 42)',
          stmt={"ffi": 'ffi.cast("int", 42)', "ctypes": "c_int(42)"},
          check={"ffi": 'int(ffi.cast("int", 42)) == 42', "ctypes": "c_int(42).value == 42"}),
    Bench("string", 'ffi.string(x), char[] "hello world"',
          setup={"ffi": 'x = ffi.new("char[]", b"hello world")\n',
                 "ctypes": 'x = create_string_buffer(b"hello world")\n'},
          stmt={"ffi": "ffi.string(x)", "ctypes": "x.value"},
          check={"ffi": 'ffi.string(x) == b"hello world"',
                 "ctypes": 'x.value == b"hello world"'}),
    Bench("qsort", "qsort 100 ints, Python callback (per qsort)",
          setup={"ffi": QSORT_SETUP_FFI, "ctypes": QSORT_SETUP_CTYPES},
          stmt={"ffi": "ffi.memmove(a, src, 400); lib.qsort(a, 100, 4, cmp)",
                "ctypes": "ctypes.memmove(a, src, 400); lib.qsort(a, 100, 4, cmp)"},
          check="list(a) == sorted(data)",
          per=("qsort callback, per invocation ({per} per qsort)", "ncalls")),
    Bench("ool_import", "import of an out-of-line module with 500 functions and 100 structs",
          setup={"ffi": ool_module_setup(with_pyc=True)},
          stmt={"ffi": OOL_IMPORT}, check={"ffi": OOL_CHECK}, target=1.0),
    Bench("ool_import_src", "same import, no .pyc (module compiled from source each time)",
          setup={"ffi": ool_module_setup(with_pyc=False)},
          stmt={"ffi": OOL_IMPORT}, check={"ffi": OOL_CHECK}, target=1.0),
    api_bench("api_add", "API mode: call int add(int, int)",
              "lib.add(40, 2)", "lib.add(40, 2) == 42"),
    api_bench("api_addd", "API mode: call double addd(double, double)",
              "lib.addd(1.5, 2.0)", "lib.addd(1.5, 2.0) == 3.5"),
    api_bench("api_getx", "API mode: call int getx(struct point *), ffi.new'd arg",
              "lib.getx(p)", "lib.getx(p) == 7"),
    api_bench("api_nothing", "API mode: call void nothing(void)",
              "lib.nothing()", "lib.nothing() is None"),
    api_bench("api_callback", 'API mode: C calls extern "Python" int cb(int) 100 times '
              "(per call_cb_100)",
              "lib.call_cb_100()", "lib.call_cb_100() == 4950", target=1.0,
              per=('extern "Python" callback, per invocation ({per} per call)', "100")),
    Bench("embed_call", "embedding: C calls an exported Python int embed_add(int, int) "
          "100 times (per embed_loop, library loaded with ctypes)",
          setup={"ffi": embed_setup}, stmt={"ffi": "plugin.embed_loop(100)"},
          check={"ffi": "plugin.embed_loop(100) == 5050"}, target=1.0, timeout=300.0,
          per=("embedding: one C -> Python call ({per} per embed_loop)", "100")),
]

BENCHES += surface.make_rows(Bench, api_bench)      # the rest of the surface (surface.py)

# A fixed pseudo-random permutation, identical for every implementation (same comparisons).
QSORT_DATA = [(i * 7919 + 13) % 1009 for i in range(100)]

# -- Measuring one cell (runs in a child process) ---------------------------------------

def find_libraries():
    """Library names for the setups: LIBC (for ffi.dlopen), LIBC_PATH, LIBM."""
    libc_path = os.environ.get("BENCH_LIBC_PATH") or ctypes.util.find_library("c") or "libc.so.6"
    libm = os.environ.get("BENCH_LIBM") or ctypes.util.find_library("m") or "libm.so.6"
    return {"LIBC": None, "LIBC_PATH": libc_path, "LIBM": libm}


def run_code(code, namespace):
    """Run a setup value: a source string or a callable(namespace)."""
    if code is None:
        return
    if callable(code):
        code(namespace)
    else:
        exec(compile(code, "<bench setup>", "exec"), namespace)


def autorange(timer, min_time):
    """The smallest loop count among 1, 2, 5, 10, 20, ... whose run takes >= min_time."""
    number = 1
    while True:
        for factor in (1, 2, 5):
            loops = number * factor
            if timer.timeit(loops) >= min_time:
                return loops
        number *= 10


def measure(bench, impl, repeat, min_time):
    """Time one row on one implementation; a dict with "sec" (per op) or "error"."""
    namespace = {"QSORT_DATA": list(QSORT_DATA), **find_libraries()}
    stage = "import"
    try:
        run_code(PRELUDES[impl], namespace)
        stage = "setup"
        run_code(bench.for_impl("setup", impl), namespace)
        stmt = bench.for_impl("stmt", impl)
        stage = "run"
        exec(compile(stmt, "<bench stmt>", "exec"), namespace)
        check = bench.for_impl("check", impl)
        if check is not None and not eval(check, namespace):
            return {"error": "wrong result (check failed: %s)" % check}
        timer = timeit.Timer(stmt, globals=namespace)
        number = autorange(timer, min_time)
        times = timer.repeat(repeat, number)
        result = {"sec": statistics.median(times) / number, "loops": number}
        if bench.per is not None:
            stage = "per"
            result["per"] = eval(bench.per[1], namespace)
        return result
    except BaseException as exc:  # a failing implementation must not stop the table
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        prefix = "" if stage == "run" else stage + ": "
        return {"error": "%s%s%s" % (prefix, type(exc).__name__, ": " + message if message else "")}


def worker_main(impl, name, repeat, min_time):
    """Child-process entry: measure one cell and print it as one JSON line."""
    bench = {b.name: b for b in BENCHES}[name]
    result = measure(bench, impl, repeat, min_time)
    sys.stdout.write("\nBENCH-RESULT " + json.dumps(result) + "\n")
    sys.stdout.flush()


# -- Running the cells (parent process) ---------------------------------------------------

def run_cell(bench, impl, args):
    """Measure one cell in a fresh child process; crashes and hangs become errors."""
    if not bench.available(impl):
        return {"na": True}
    command = [sys.executable, os.path.abspath(__file__), "--worker", impl, bench.name,
               "--repeat", str(args.repeat), "--min-time", str(args.min_time)]
    env = dict(os.environ)
    env.pop("PURECFFI_PURE", None)
    if impl == "pure":
        env["PURECFFI_PURE"] = "1"
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=bench.timeout,
                              stdin=subprocess.DEVNULL, env=env)
    except subprocess.TimeoutExpired:
        return {"error": "timed out after %gs" % bench.timeout}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT "):])
    if proc.returncode < 0:
        try:
            sig = signal.Signals(-proc.returncode).name
        except ValueError:
            sig = "signal %d" % -proc.returncode
        return {"error": "crashed (%s)" % sig}
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": "exit %d: %s" % (proc.returncode, tail)}


def selected_benches(patterns):
    """The rows matching any --only pattern (names or globs, comma-separated allowed)."""
    if not patterns:
        return list(BENCHES)
    wanted = [p.strip() for arg in patterns for p in arg.split(",") if p.strip()]
    chosen = [b for b in BENCHES if any(fnmatch.fnmatchcase(b.name, p) for p in wanted)]
    unknown = [p for p in wanted if not any(fnmatch.fnmatchcase(b.name, p) for b in BENCHES)]
    if unknown:
        sys.exit("unknown benchmark(s): %s (see --list)" % ", ".join(unknown))
    return chosen


def progress(text):
    """Show what is being measured, on stderr and only for a terminal."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K" + text)
        sys.stderr.flush()


def collect(benches, impls, args):
    """Measure every cell, row by row; {(row, impl): result}.

    Each row is measured in `--rounds` rounds, the implementations alternating within a row
    (and their order reversed every other round), and each cell keeps its median round: this
    machine's speed drifts in phases, and a phase change between two columns of a row would
    otherwise skew its ratio.
    """
    results = {}
    for bench in benches:
        rounds = {impl: [] for impl in impls}
        for index in range(args.rounds):
            order = impls if index % 2 == 0 else list(reversed(impls))
            for impl in order:
                progress("measuring %s on %s (round %d) ..." % (bench.name, impl, index + 1))
                rounds[impl].append(run_cell(bench, impl, args))
        for impl in impls:
            results[bench.name, impl] = median_round(rounds[impl])
        results[bench.name, "ratios"] = paired_ratios(rounds)
    progress("")
    return results


def paired_ratios(rounds):
    """purecffi/baseline per round (both measured back to back), for the median ratio."""
    ours, base = rounds.get("purecffi", []), rounds.get(BASELINE, [])
    return [a["sec"] / b["sec"] for a, b in zip(ours, base) if "sec" in a and "sec" in b]


def median_round(cells):
    """The median of a cell's rounds (an error or n/a in any round is the cell's result)."""
    for cell in cells:
        if "sec" not in cell:
            return cell
    cells = sorted(cells, key=lambda cell: cell["sec"])
    return cells[len(cells) // 2]


# -- The table ----------------------------------------------------------------------------

def format_ns(result, divide_by_per=False):
    """A cell: nanoseconds per operation, "n/a", or "error: ..."."""
    if result.get("na"):
        return "n/a"
    if "error" in result:
        return "error: " + shorten(result["error"])
    ns = result["sec"] * 1e9
    if divide_by_per:
        ns /= result["per"]
    return "%.1f" % ns if ns < 100 else "{:,.0f}".format(ns)


def shorten(text, width=70):
    """One short line of an error message, without file paths in parentheses."""
    text = re.sub(r" \(/[^)]*\)", "", text)
    return text if len(text) <= width else text[:width - 3] + "..."


def per_op_seconds(result, divide_by_per):
    """Seconds per operation of a successful cell, else None."""
    if not result or "sec" not in result:
        return None
    return result["sec"] / result["per"] if divide_by_per else result["sec"]


def table_rows(benches, impls, results):
    """The table as lists of strings (header first)."""
    header = ["operation"] + ["%s ns" % impl for impl in impls] + [
        "purecffi/%s" % BASELINE, "target", "status"]
    rows = [header]
    for bench in benches:
        variants = [(bench.title, False)]
        if bench.per is not None:
            values = sorted({str(results[bench.name, impl]["per"]) for impl in impls
                             if "per" in results[bench.name, impl]})
            variants.append((bench.per[0].replace("{per}", "/".join(values) or "?"), True))
        for title, divide in variants:
            cells = [format_ns(results[bench.name, impl], divide) for impl in impls]
            ours = per_op_seconds(results.get((bench.name, "purecffi")), divide)
            base = per_op_seconds(results.get((bench.name, BASELINE)), divide)
            if ours is None or base is None:
                ratio, status = "-", "-"
            else:
                # the median of the per-round ratios: each round measures both columns back
                # to back, so a drift of the machine's speed between rounds cancels out
                # (a "per" row divides both columns by the same count: same ratio)
                paired = results.get((bench.name, "ratios")) or [ours / base]
                value = statistics.median(paired)
                ratio = "%.2fx" % (value,)
                status = "OK" if value <= bench.target else "over"
            rows.append([title] + cells + [ratio, "%.1fx" % bench.target, status])
    return rows


def render_text(rows):
    """A plain aligned table."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    numeric = [i > 0 for i in range(len(widths))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.rjust(w) if numeric[i] and not cell.startswith("error") else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(row, widths))]
        lines.append(" | ".join(cells).rstrip())
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(rows):
    """A GitHub-flavoured Markdown table."""
    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|").strip() or "&nbsp;" for c in cells) + " |"
    align = ["---"] + ["---:"] * (len(rows[0]) - 1)
    return "\n".join([line(rows[0]), "| " + " | ".join(align) + " |"]
                     + [line(r) for r in rows[1:]])


def package_version(name):
    """Installed version of a distribution, without importing it."""
    try:
        from importlib import metadata
        return metadata.version(name)
    except Exception:
        return "not installed"


def environment_line(args):
    """One line saying where and how the numbers were taken."""
    return ("Python %s (%s) on %s %s; cffi %s, purecffi %s; median of %d rounds (columns "
            "alternating) of the median of %d repeats, each >= %gs; %s" % (
                platform.python_version(), platform.python_implementation(),
                platform.system(), platform.machine(), package_version("cffi"),
                package_version("purecffi"), args.rounds, args.repeat, args.min_time,
                time.strftime("%Y-%m-%d")))


# -- Command line -------------------------------------------------------------------------

def parse_args(argv):
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="few short repeats: a smoke test, not numbers to publish")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only this row (name or glob; repeatable, comma-separated)")
    parser.add_argument("--impls", default=",".join(DEFAULT_IMPLS),
                        help="comma-separated implementations, of %s (default: %%(default)s)"
                        % ", ".join(IMPLS))
    parser.add_argument("--list", action="store_true", help="list the row names and exit")
    parser.add_argument("--repeat", type=int, help="repeats per cell (default 7, quick 3)")
    parser.add_argument("--rounds", type=int,
                        help="rounds per row, implementations alternating (default 3, quick 1)")
    parser.add_argument("--min-time", type=float,
                        help="seconds per repeat (default 0.2, quick 0.02)")
    parser.add_argument("--worker", nargs=2, metavar=("IMPL", "NAME"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = 3 if args.quick else 7
    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    if args.min_time is None:
        args.min_time = 0.02 if args.quick else 0.2
    impls = [i.strip() for i in args.impls.split(",") if i.strip()]
    bad = [i for i in impls if i not in IMPLS]
    if bad:
        parser.error("unknown implementation(s): %s" % ", ".join(bad))
    args.impls = [i for i in IMPLS if i in impls]
    return args


def main(argv=None):
    """Measure the selected rows and print the table."""
    args = parse_args(argv)
    if args.worker:
        worker_main(args.worker[0], args.worker[1], args.repeat, args.min_time)
        return 0
    if args.list:
        for bench in BENCHES:
            print("%-12s %s" % (bench.name, bench.title))
        return 0
    libraries = find_libraries()  # found once, handed to the children
    os.environ.update({"BENCH_LIBC_PATH": libraries["LIBC_PATH"],
                       "BENCH_LIBM": libraries["LIBM"]})
    benches = selected_benches(args.only)
    results = collect(benches, args.impls, args)
    rows = table_rows(benches, args.impls, results)
    print(render_markdown(rows) if args.markdown else render_text(rows))
    print()
    print(("_%s_" if args.markdown else "%s") % environment_line(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
