"""A dlopen()ed library is not closed while other objects being finalized may still use it:
at interpreter exit (never closed then) and in a garbage collection that finalizes a cycle
holding the library (closed only once every finalizer of the collection has run).

Each case runs a script in a subprocess (a crash there is a segfault, exit code -11) and
checks its exit code and output; PURECFFI_TEST_AGAINST=cffi runs the same scripts with cffi.
"""
import os
import subprocess
import sys
import textwrap

import pytest

from _backend import IS_CFFI
from conftest import build_shared_library

_SOURCE = r"""
static int data[4] = {11, 22, 33, 44};
int *get_data(void) { return data; }
int add(int a, int b) { return a + b; }
int counter = 5;

typedef int (*cb_t)(int);
static cb_t saved;
void set_cb(cb_t f) { saved = f; }
int call_cb(int x) { return saved(x); }

struct pt { int x, y; };
typedef struct pt (*scb_t)(int);
static scb_t ssaved;
void set_scb(scb_t f) { ssaved = f; }
int call_scb(int v) { struct pt p = ssaved(v); return p.x + p.y; }
"""

_PRELUDE = """\
import gc, sys
sys.path.insert(0, %(tests)r)
from _backend import FFI
PATH = %(path)r
CDEF = '''
int *get_data(void); int add(int, int); extern int counter;
typedef int (*cb_t)(int); void set_cb(cb_t); int call_cb(int);
struct pt { int x, y; }; typedef struct pt (*scb_t)(int); void set_scb(scb_t);
int call_scb(int);
'''
def mapped():
    with open("/proc/self/maps") as maps:
        return any(PATH in line for line in maps)
"""


@pytest.fixture(scope="module")
def library_path(tmp_path_factory):
    if not os.path.exists("/proc/self/maps"):
        pytest.skip("needs /proc/self/maps")
    return build_shared_library(tmp_path_factory, "shutdownlib", _SOURCE)


def run_script(library_path, body):
    """(exit code, stdout, stderr) of the prelude + `body` run by this Python."""
    script = _PRELUDE % {"tests": os.path.dirname(os.path.abspath(__file__)),
                         "path": library_path} + textwrap.dedent(body)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def check(library_path, body, expected):
    code, out, err = run_script(library_path, body)
    assert (code, out.split("\n")) == (0, expected.split("\n")), err


def test_cycle_collected_at_exit_reads_library_data(library_path):
    # the lib and the readers are garbage only once the module globals are cleared at exit
    check(library_path, """
        ffi = FFI()
        ffi.cdef(CDEF)
        lib = ffi.dlopen(PATH)
        class Holder:
            def __del__(self):
                print("read", self.p[1], self.lib.add(1, 2), flush=True)
        for i in range(3):
            h = Holder(); h.p = lib.get_data(); h.lib = lib; h.cycle = h
        class Box:
            pass
        b = Box(); b.lib = lib; b.h = h; b.cycle = b; b.ffi = ffi
        ffi.box = b
        del h, lib, b, ffi
        print("main done", flush=True)
    """, "main done\nread 22 3\nread 22 3\nread 22 3\n")


def test_module_globals_cleared_at_exit(library_path):
    # `lib` is cleared before `h` (dict order): h's finalizer still reads the library's data
    # and calls its functions through a function object and a global's address
    check(library_path, """
        ffi = FFI()
        ffi.cdef(CDEF)
        lib = ffi.dlopen(PATH)
        class Holder:
            def __del__(self):
                print("read", self.p[2], self.add(2, 3), self.counter[0], flush=True)
        h = Holder()
        h.p, h.add, h.counter = lib.get_data(), lib.add, ffi.addressof(lib, "counter")
        print("main done", flush=True)
    """, "main done\nread 33 5 5\n")


def test_callbacks_called_by_the_library_at_exit(library_path):
    # the library calls back into Python from a finalizer run at exit (a plain callback and
    # one returning a struct, which is a libffi closure)
    check(library_path, """
        ffi = FFI()
        ffi.cdef(CDEF)
        lib = ffi.dlopen(PATH)
        class Holder:
            def __del__(self):
                print("called", lib.call_cb(20), lib.call_scb(7), flush=True)
        h = Holder()
        h.cycle = h
        cb = ffi.callback("int(int)", lambda x: x + 1)
        scb = ffi.callback("struct pt(int)", lambda x: {"x": x, "y": 100})
        lib.set_cb(cb)
        lib.set_scb(scb)
        h.cb, h.scb = cb, scb
        del cb, scb, h
        print("main done", flush=True)
    """, "main done\ncalled 21 107\n")


def test_cycle_collected_by_gc_collect(library_path):
    # a cycle holding the ffi, its lib and objects whose finalizers use the library: they all
    # run first, and the library is closed after them (it is then no longer mapped)
    check(library_path, """
        def make():
            ffi = FFI()
            ffi.cdef(CDEF)
            lib = ffi.dlopen(PATH)
            class Holder:
                def __del__(self):
                    print("read", self.p[3], self.lib.add(4, 5), flush=True)
            holders = []
            for i in range(4):
                h = Holder(); h.p = lib.get_data(); h.lib = lib; holders.append(h)
            holders.append(ffi)
            ffi.holders = holders
        make()
        print("mapped", mapped(), flush=True)
        gc.collect()
        print("mapped", mapped(), flush=True)
    """, "mapped True\n" + "read 44 9\n" * 4 + "mapped False\n")


def test_ffi_keeps_its_libraries(library_path):
    # as cffi's in-line ffi: a lib object dropped at once does not close the library while
    # the ffi lives; it is closed once the ffi is collected
    check(library_path, """
        ffi = FFI()
        ffi.cdef(CDEF)
        p = ffi.dlopen(PATH).get_data()
        gc.collect()
        print(p[1], mapped(), flush=True)
        del ffi
        gc.collect()
        print(mapped(), flush=True)
    """, "22 True\nFalse\n")


def test_dlclose_still_closes_at_once(library_path):
    check(library_path, """
        ffi = FFI()
        ffi.cdef(CDEF)
        lib = ffi.dlopen(PATH)
        print(lib.add(1, 1), mapped(), flush=True)
        ffi.dlclose(lib)
        print(mapped(), flush=True)
        try:
            lib.add
        except ValueError as e:
            print("closed", flush=True)
    """, "2 True\nFalse\nclosed\n")


@pytest.mark.skipif(IS_CFFI, reason="cffi closes the library there (and the read crashes)")
def test_not_closed_in_an_exit_handler(library_path):
    # an atexit handler registered before the library was opened runs after purecffi's own:
    # the interpreter is exiting, so dropping the last reference does not close the library
    check(library_path, """
        import atexit
        state = {}
        def cleanup():
            p = state["lib"].get_data()
            state.clear()
            gc.collect()
            print("after cleanup", p[1], mapped(), flush=True)
        atexit.register(cleanup)
        ffi = FFI()
        ffi.cdef(CDEF)
        state["lib"], state["ffi"] = ffi.dlopen(PATH), ffi
        del ffi
        print("main done", flush=True)
    """, "main done\nafter cleanup 22 True\n")


@pytest.mark.skipif(IS_CFFI, reason="cffi's ffi keeps even the libraries it closed")
def test_closed_libraries_are_not_kept_by_the_ffi(library_path):
    # the ffi keeps what it opened, not what dlclose() closed: opening and closing in a loop
    # holds no more than the one library open
    import gc
    import weakref

    from _backend import FFI
    ffi = FFI()
    ffi.cdef("int add(int, int);")
    refs = []
    for _ in range(50):
        lib = ffi.dlopen(library_path)
        refs.append(weakref.ref(lib))
        ffi.dlclose(lib)
    kept = ffi.dlopen(library_path)
    del lib
    gc.collect()
    assert sum(ref() is not None for ref in refs) == 0
    assert kept.add(2, 3) == 5
