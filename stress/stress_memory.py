"""Memory stress: growth of the process over many distinct sizes (nothing is kept alive)."""
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


def _grow(step, count, first=1):
    """RSS growth in MB after step(n) for count sizes n from `first` on (results dropped)."""
    gc.collect()
    before = _rss_bytes()
    for n in range(first, first + count):
        step(n)
    gc.collect()
    return (_rss_bytes() - before) / 1e6


def growth(backend, seconds):
    """RSS growth for the workloads whose memory must be bounded by what is alive."""
    ffi = backend.FFI()
    ffi.cdef("size_t strlen(const int *);")     # reads the zeroed list as an empty string
    lib = ffi.dlopen(ctypes.util.find_library("c"))
    count = max(1000, int(5000 * seconds))      # 50,000 distinct sizes for 10 s
    buffer = ffi.new("char[]", 4 * count + 1)
    allocate = ffi.new_allocator(should_clear_after_alloc=False)
    workloads = {
        "new char[n]": lambda n: ffi.new("char[]", n),
        "buffer(p, n)": lambda n: ffi.buffer(buffer, n),
        "new_allocator()(char[], n)": lambda n: allocate("char[]", n),
    }
    started = time.time()
    figures = {"distinct sizes": count}
    first = 1               # each workload gets sizes no earlier one used (no shared caches)
    for name, step in workloads.items():
        figures["%s: MB" % (name,)] = round(_grow(step, count, first), 1)
        first += count
    lists = min(count, 3000)                    # n items each: quadratic, so fewer sizes
    figures["list -> int * param, sizes"] = lists
    figures["list -> int * param: MB"] = round(
        _grow(lambda n: lib.strlen([0] * n), lists, first), 1)
    first += lists
    types = max(200, count // 10)
    growth_mb = _grow(lambda n: ffi.new("int[%d]" % (n,)), types, first)
    figures["distinct int[N] types"] = types
    figures["int[N]: KB per type"] = round(growth_mb * 1000 / types, 2)
    figures["seconds"] = round(time.time() - started, 1)
    return figures
