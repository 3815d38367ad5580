"""First use from several threads at once: every lazily built table (type runtimes and cdata
classes, typeof parsing, call and callback plans, library symbols, out-of-line declarations)
must be complete when another thread sees it.

Each test starts 8 threads on a barrier with a tiny switch interval, over several fresh FFIs
(so that every round is a first use), and checks that every thread got the right answer.
"""
import ctypes.util
import os
import subprocess
import sys
import textwrap
import threading

import pytest

from conftest import FREE_THREADED, build_api_module, run_together  # noqa: E402
from _backend import IS_CFFI, FFI, FFIError

THREADS = 8
ROUNDS = 6

CONN = """
    struct conn { int fd; struct conn *next; char name[16]; double t; struct peer *peer; };
    struct peer { struct conn *owner; int port; };
"""


@pytest.fixture(autouse=True)
def tiny_switch_interval():
    """Switch threads as often as possible, to make races likely."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def test_first_new_of_a_recursive_struct():
    for _ in range(ROUNDS):
        ffi = FFI()
        ffi.cdef(CONN)

        def work(i):
            p = ffi.new("struct conn *")
            p.fd, p.next, p.t = i, p, i / 2
            p.name = b"conn%d" % i
            peer = ffi.new("struct peer *", {"owner": p, "port": i})
            p.peer = peer
            return (p.next.next.fd, ffi.string(p.name), p.peer.owner.fd, p.peer.port, p.t)
        assert run_together(work) == [(i, b"conn%d" % i, i, i, i / 2) for i in range(THREADS)]


def test_first_use_of_a_struct_from_both_ends_of_a_cycle():
    # half the threads start from 'struct peer', half from 'struct conn *'
    for _ in range(ROUNDS):
        ffi = FFI()
        ffi.cdef(CONN)

        def work(i):
            if i % 2:
                arr = ffi.new("struct peer[2]")
                arr[1].port = i
                return arr[1].port, repr(ffi.new("struct conn *")[0])
            p = ffi.new("struct conn *")
            p.fd = i
            return p.fd, repr(p[0])
        results = run_together(work)
        assert [r[0] for r in results] == list(range(THREADS))
        assert all(r[1].startswith("<cdata 'struct conn' owning") for r in results)


def test_first_cast_typeof_and_sizeof_of_fresh_types():
    for round_ in range(ROUNDS):
        ffi = FFI()
        ffi.cdef("typedef struct { short a; long b[3]; } rec_t;")
        length = 1000 + round_          # a type no earlier round prepared

        def work(i):
            arr = ffi.new("int[%d]" % length, list(range(length)))
            p = ffi.cast("rec_t *", ffi.new("rec_t *", {"a": i, "b": [i, i, i]}))
            tag = ffi.typeof("struct tag%d *" % (i % 2))      # declares a tag on first use
            return arr[length - 1], p.a, p.b[2], ffi.sizeof("rec_t"), tag
        results = run_together(work)
        assert [r[:3] for r in results] == [(length - 1, i, i) for i in range(THREADS)]
        assert {r[3] for r in results} == {ffi.sizeof("rec_t")}
        assert {r[4] for r in results} == {ffi.typeof("struct tag0 *"), ffi.typeof("struct tag1 *")}


def test_first_call_of_a_callback_from_several_threads():
    for _ in range(ROUNDS):
        ffi = FFI()
        ffi.cdef("struct job { int id; struct job *next; };")

        def add(job, n):
            return job.id + n + (job.next.id if job.next != ffi.NULL else 0)
        callback = ffi.callback("int(struct job *, int)", add, error=-1)

        def work(i):
            job = ffi.new("struct job *", {"id": i})
            return callback(job, 100)
        assert run_together(work) == [i + 100 for i in range(THREADS)]


@pytest.fixture(scope="module")
def libc():
    """The C library (for qsort and strlen)."""
    name = ctypes.util.find_library("c")
    if name is None:
        pytest.skip("no C library found")
    return name


def test_first_call_of_a_callback_from_c_in_several_threads(libc):
    for _ in range(ROUNDS):
        ffi = FFI()
        ffi.cdef("struct item { int key; int pad; };"
                 "void qsort(void *base, size_t n, size_t size,"
                 "           int (*compar)(const void *, const void *));")
        lib = ffi.dlopen(libc)

        @ffi.callback("int(const void *, const void *)")
        def compare(a, b):
            x = ffi.cast("struct item *", a).key
            y = ffi.cast("struct item *", b).key
            return (x > y) - (x < y)

        def work(i):
            items = ffi.new("struct item[]", [{"key": (k * 7 + i) % 13} for k in range(13)])
            lib.qsort(items, 13, ffi.sizeof("struct item"), compare)
            return [item.key for item in items]
        assert run_together(work) == [list(range(13))] * THREADS


def test_first_lookup_of_library_functions(libc):
    for _ in range(ROUNDS):
        ffi = FFI()
        ffi.cdef("size_t strlen(const char *); int abs(int); long labs(long);")
        lib = ffi.dlopen(libc)

        def work(i):
            return lib.strlen(b"x" * i), lib.abs(-i), lib.labs(-2 * i)
        assert run_together(work) == [(i, i, 2 * i) for i in range(THREADS)]


def test_first_use_of_an_out_of_line_module(tmp_path):
    builder = FFI()
    builder.set_source("_threads_ool", None)
    builder.cdef(CONN + "size_t strlen(const char *);")
    builder.compile(tmpdir=str(tmp_path))
    source = (tmp_path / "_threads_ool.py").read_text()
    for _ in range(ROUNDS):
        namespace = {"__name__": "_threads_ool"}
        exec(compile(source, "_threads_ool.py", "exec"), namespace)     # a fresh module
        ffi = namespace["ffi"]

        def work(i):
            p = ffi.new("struct conn *", {"fd": i})
            p.next = p
            return p.next.fd, ffi.sizeof("struct peer"), ffi.typeof(p).cname
        results = run_together(work)
        assert [r[0] for r in results] == list(range(THREADS))
        assert len({r[1:] for r in results}) == 1


def test_init_once_runs_once():
    for _ in range(ROUNDS):
        ffi = FFI()
        calls = []

        def init():
            calls.append(1)
            return len(calls)
        assert run_together(lambda i: ffi.init_once(init, "tag")) == [1] * THREADS
        assert calls == [1]


@pytest.mark.skipif(IS_CFFI, reason="cffi can keep the opaque type built by a use that "
                                     "races with the cdef() completing the struct")
def test_struct_completed_by_cdef_while_threads_use_it():
    # threads keep using an opaque struct while cdef() completes it: afterwards every use
    # sees the fields (no runtime built from the opaque struct survives the completion)
    for _ in range(ROUNDS):
        ffi = FFI()
        ffi.cdef("struct late;")
        done = threading.Event()

        def work(i):
            if i == 0:
                ffi.cdef("struct late { int a; double b; };")
                done.set()
                return True
            while not done.is_set():
                try:
                    ffi.new("struct late *")
                except (TypeError, ValueError, FFIError):
                    pass                    # still opaque
                ffi.typeof("struct late *")
            return True
        assert run_together(work) == [True] * THREADS
        p = ffi.new("struct late *", {"a": 3, "b": 0.5})
        assert (p.a, p.b, p[0].a) == (3, 0.5, 3)
        assert ffi.new("struct late[2]")[1].b == 0.0


@pytest.mark.skipif(not FREE_THREADED, reason="the GIL is only left off by a free-threaded build")
def test_api_mode_modules_leave_the_gil_off(tmp_path):
    """A compiled module declares it needs no GIL: importing it (in a fresh process) leaves
    the GIL off, with no warning, and its functions and lib run in threads."""
    build_api_module(tmp_path, "_api_nogil", "int add(int, int); extern int counter;",
                     "static int add(int a, int b) { return a + b; }\nint counter;")
    script = textwrap.dedent("""
        import sys, warnings
        warnings.simplefilter("error")
        sys.path.insert(0, %r)
        import _api_nogil
        sys.path.insert(0, %r)
        from conftest import run_together
        lib = _api_nogil.lib
        assert run_together(lambda i: [lib.add(i, n) for n in range(2000)][-1]) == [
            i + 1999 for i in range(8)]
        print(sys._is_gil_enabled())
    """) % (str(tmp_path), os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False"]
