"""Thread stress: first use of fresh types from many threads at once, and steady-state calls."""
import ctypes.util
import sys
import threading
import time

THREADS = 8
CDEF = """
    struct conn { int fd; struct conn *next; char name[16]; double t; struct peer *peer; };
    struct peer { struct conn *owner; int port; };
    int abs(int);
    void qsort(void *base, size_t n, size_t size, int (*compar)(const void *, const void *));
"""


def _together(work, count=THREADS):
    """Run work(i) in `count` barrier-started threads; the number of failed threads."""
    barrier = threading.Barrier(count)
    failures = []

    def run(i):
        try:
            barrier.wait()
            work(i)
        except Exception as exc:
            failures.append(exc)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failures


def _first_use_round(backend, libc, round_):
    """One fresh FFI; 8 threads each use its types, a callback and lib for the first time."""
    ffi = backend.FFI()
    ffi.cdef(CDEF)
    lib = ffi.dlopen(libc)
    length = 100 + round_

    @ffi.callback("int(const void *, const void *)")
    def compare(a, b):
        x, y = ffi.cast("int *", a)[0], ffi.cast("int *", b)[0]
        return (x > y) - (x < y)

    def work(i):
        p = ffi.new("struct conn *", {"fd": i})
        p.next = p
        peer = ffi.new("struct peer *", {"owner": p, "port": i})
        assert p.next.fd == i and peer.owner.fd == i
        items = ffi.new("int[%d]" % length, list(range(length))[::-1])
        lib.qsort(items, length, ffi.sizeof("int"), compare)
        assert list(items) == list(range(length)) and lib.abs(-i) == i
    return _together(work)


def first_use(backend, seconds):
    """Rounds of first use from 8 threads during `seconds`: rounds and failed threads."""
    sys.setswitchinterval(1e-6)
    libc = ctypes.util.find_library("c")
    deadline, rounds, failures, kinds = time.time() + seconds, 0, 0, {}
    while time.time() < deadline:
        for exc in _first_use_round(backend, libc, rounds):
            failures += 1
            kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
        rounds += 1
    figures = {"rounds (8 threads each)": rounds, "failed threads": failures}
    if kinds:
        figures["failures by type"] = ", ".join("%s x%d" % kv for kv in sorted(kinds.items()))
    return figures


def steady_state(backend, seconds):
    """8 threads for `seconds`: new + fields, a C call and a callback called by qsort."""
    ffi = backend.FFI()
    ffi.cdef(CDEF)
    lib = ffi.dlopen(ctypes.util.find_library("c"))

    @ffi.callback("int(const void *, const void *)")
    def compare(a, b):
        x, y = ffi.cast("int *", a)[0], ffi.cast("int *", b)[0]
        return (x > y) - (x < y)
    counts, errors = [0] * THREADS, []
    stop = time.time() + seconds

    def work(i):
        n = 0
        items = ffi.new("int[8]")
        while time.time() < stop:
            for _ in range(100):
                p = ffi.new("struct conn *", {"fd": n})
                p.t = p.fd * 0.5
                if lib.abs(-p.fd) != n:
                    raise AssertionError("abs() gave a wrong result")
                n += 1
            items[0:8] = [7, 6, 5, 4, 3, 2, 1, 0]
            lib.qsort(items, 8, 4, compare)
            if list(items) != list(range(8)):
                raise AssertionError("qsort() with the callback gave a wrong order")
        counts[i] = n
    errors = _together(work)
    total = sum(counts)
    return {"operations (new+fields+call)": total, "per second": round(total / seconds),
            "qsort calls with callbacks": total // 100, "errors": len(errors)}
