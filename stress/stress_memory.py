"""Memory stress: growth of the process over many distinct sizes (nothing is kept alive).

Each workload runs in its own interpreter (see run.py), so no cache another one filled hides
its growth; the sizes are 1..N as a program meeting N distinct sizes would use them.
"""
import ctypes.util
import gc
import os
import time


def _rss_bytes():
    """The resident set size of this process (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _grow(step, count):
    """Figures for step(n), n = 1..count (the results are dropped): RSS growth and time."""
    gc.collect()
    before, started = _rss_bytes(), time.time()
    for n in range(1, count + 1):
        step(n)
    gc.collect()
    growth = _rss_bytes() - before
    return {"distinct sizes": count, "RSS growth MB": round(growth / 1e6, 1),
            "bytes per size": round(growth / count), "seconds": round(time.time() - started, 1)}


def _count(seconds):
    return max(1000, int(5000 * seconds))      # 50,000 distinct sizes for 10 s


def new_char_array(backend, seconds):
    """ffi.new("char[]", n)."""
    ffi = backend.FFI()
    return _grow(lambda n: ffi.new("char[]", n), _count(seconds))


def buffer_of_size(backend, seconds):
    """ffi.buffer(p, n) over one big array."""
    ffi = backend.FFI()
    count = _count(seconds)
    array = ffi.new("char[]", count + 1)
    return _grow(lambda n: ffi.buffer(array, n), count)


def allocator(backend, seconds):
    """ffi.new_allocator()("char[]", n)."""
    ffi = backend.FFI()
    allocate = ffi.new_allocator(should_clear_after_alloc=False)
    return _grow(lambda n: allocate("char[]", n), _count(seconds))


def list_argument(backend, seconds):
    """A list of n zeroes passed to an `int *` parameter (quadratic: fewer sizes)."""
    ffi = backend.FFI()
    ffi.cdef("size_t strlen(const int *);")     # reads the zeroed list as an empty string
    lib = ffi.dlopen(ctypes.util.find_library("c"))
    return _grow(lambda n: lib.strlen([0] * n), min(_count(seconds), 3000))


def array_types(backend, seconds):
    """A distinct "int[N]" type per size: what each costs."""
    ffi = backend.FFI()
    figures = _grow(lambda n: ffi.new("int[%d]" % (n,)), _count(seconds) // 10)
    figures["KB per type"] = round(figures["bytes per size"] / 1000, 2)
    return figures


def object_churn(backend, seconds):
    """Objects made and dropped by the operations a compiled module does in C (items of
    pointer arrays, slices, struct copies, unpack, ffi.gc and its destructor, handles,
    memmove, from_buffer of a memoryview, function pointer calls, pointer, struct and
    bit-fields): nothing should stay."""
    ffi = backend.FFI()
    ffi.cdef("struct pt { int x; double y; }; struct node { struct node *next; int v:5;"
             " struct pt at; }; int abs(int);")
    lib = ffi.dlopen(None)
    pts = ffi.new("struct pt[8]")
    ptrs = ffi.new("struct pt *[8]", [pts + i for i in range(8)])
    nodes = ffi.cast("struct node *", ffi.new("struct node[2]"))
    nodes.next = nodes + 1
    numbers = ffi.new("int[64]")
    view = memoryview(bytearray(64))
    absolute = ffi.cast("int(*)(int)", ffi.addressof(lib, "abs"))
    dead = []

    def step(n):
        ptrs[n % 8].y = n
        pts[n % 8] = pts[(n + 1) % 8]
        numbers[n % 32:32]
        ffi.unpack(pts, 8)
        ffi.gc(ffi.new("int *"), dead.append)
        handle = ffi.new_handle(n)
        ffi.from_handle(ffi.cast("void *", handle))
        ffi.memmove(numbers, numbers + 1, 16)
        ffi.from_buffer(view)
        absolute(-n)
        nodes.next.v = n % 8
        nodes.at.x = n
        if len(dead) > 1000:
            dead.clear()
    return _grow(step, _count(seconds) * 4)
