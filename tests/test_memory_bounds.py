"""Memory is bounded by what is alive: no cost per size ever used, and unused types can die."""
import gc
import os
import subprocess
import sys
import textwrap
import weakref

import pytest

from _backend import FFI, IS_CFFI
from conftest import FREE_THREADED, build_api_module, build_shared_library

_HERE = os.path.dirname(os.path.abspath(__file__))

# Each case runs COUNT distinct sizes after a warm-up, then COUNT more, and prints the growth
# of the resident set in bytes over each batch (a subprocess: the suite's own allocations do
# not blur the figure).  A cost per size ever used grows in both batches alike; what waits
# for the garbage collector (the buffer class of a size is in a reference cycle) is reached
# within the first.
_SCRIPT = textwrap.dedent("""
    import gc, os, sys, threading
    sys.path.insert(0, %(tests)r)
    from _backend import FFI

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    ffi = FFI()
    ffi.cdef("long time(long *);")
    lib = ffi.dlopen(None)
    big = ffi.new("char[]", 40000)
    numbers = [0] * 30000
    alloc = ffi.new_allocator()
    cases = {
        "new": lambda n: ffi.new("char[]", n),
        "buffer": lambda n: ffi.buffer(big, n)[:1],
        "list_argument": lambda n: lib.time(numbers[:n]),
        "allocator": lambda n: alloc("char[]", n),
    }
    case, count = cases[sys.argv[1]], int(sys.argv[2])
    # (a thread first: from then on, a free-threaded CPython 3.13 keeps every class made)
    thread = threading.Thread(target=len, args=((),))
    thread.start()
    thread.join()
    for n in range(1, 300):
        case(n)
    gc.collect()
    start = 300
    for batch in range(2):
        before = rss()
        for n in range(start, start + count):
            case(n)
        gc.collect()
        print(rss() - before)
        start += count
""") % {"tests": _HERE}


def _growth(case, count):
    """The growth of the process over a first and a second batch of `count` sizes."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-c", _SCRIPT, case, str(count)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.split()[-2:]
    return int(first), int(second)


@pytest.mark.parametrize("case", ["new", "buffer", "allocator"])
def test_many_sizes_do_not_grow_the_process(case):
    # before this was fixed: +50 to +66 MB over each 20,000 sizes (a type per size).  A
    # free-threaded CPython collects garbage later and its allocator keeps more: there the
    # process grows to a plateau (seen: +13 MB, then -2 to +5 MB a batch, over 21 batches)
    first, second = _growth(case, 20000)
    assert first < (16 if FREE_THREADED else 10) * 2**20
    assert second < (8 if FREE_THREADED else 2) * 2**20


def test_many_list_argument_sizes_do_not_grow_the_process():
    # fewer sizes: each call writes its n items; before: +4 MB for each 1,500 sizes
    first, second = _growth("list_argument", 1500)
    assert first < 1 * 2**20 and second < 1 * 2**20


def _in_a_fresh_process(script):
    """What `script` prints, run in a fresh process: another test's live cdata may use the
    same type, and CPython 3.13's free-threaded build makes every function and class made
    after a first thread immortal (with all they reference)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    script = "import sys\nsys.path.insert(0, %r)\n" % (_HERE,) + textwrap.dedent(script)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_unused_types_die():
    assert _in_a_fresh_process("""
        import gc, weakref
        from _backend import FFI
        ffi = FFI()
        t = ffi.typeof("unsigned short **")
        t2 = ffi.typeof("unsigned short *")
        p = ffi.new("unsigned short **")
        p[0] = ffi.new("unsigned short *")          # the types are prepared and used
        dead, alive = weakref.ref(t), weakref.ref(t2)
        del t, p, ffi
        gc.collect()
        print(dead() is None, alive() is t2)
    """) == ["True", "True"]


def test_unused_struct_and_function_types_die():
    assert _in_a_fresh_process("""
        import gc, weakref
        from _backend import FFI
        ffi = FFI()
        ffi.cdef("struct s { int x; }; long labs(long);")
        lib = ffi.dlopen(None)
        struct_type = weakref.ref(ffi.typeof("struct s *"))
        function_type = weakref.ref(ffi.typeof("int(*)(long *, short)"))
        p = ffi.new("struct s *", [5])
        assert p[0].x == 5 and lib.labs(-3) == 3
        callback = ffi.callback("int(*)(long *, short)", lambda a, b: b)
        assert callback(ffi.NULL, 7) == 7
        del p, callback, lib, ffi
        gc.collect()
        print(struct_type() is None, function_type() is None)
    """) == ["True", "True"]


@pytest.mark.skipif(IS_CFFI, reason="purecffi's table of interned types")
def test_structs_that_point_to_themselves_die():
    """The type table's keys name the pointer's item by id: a key holding the struct would
    keep it, and the `struct s *` its fields lead to, alive forever."""
    assert _in_a_fresh_process("""
        import gc, weakref
        from _backend import FFI
        refs = []
        for i in range(3):
            ffi = FFI()
            ffi.cdef("struct node { int v; struct node *next; struct node *(*f)(struct node[2]); };"
                     "union u { union u *self; int x[2]; };")
            nodes = ffi.new("struct node[3]")
            nodes[0].next = ffi.cast("struct node *", nodes) + 1
            assert nodes[0].next.v == 0 and ffi.new("union u *").x[1] == 0
            refs += [weakref.ref(ffi.typeof(t)) for t in ("struct node", "struct node *",
                                                           "struct node[3]", "union u *")]
            del ffi, nodes
        gc.collect()
        print(sum(ref() is not None for ref in refs))
    """) == ["0"]


def test_many_ffis_with_structs_do_not_grow_the_process():
    """An FFI with a struct that points to itself, used and dropped 1,000 times: the process
    grows by less than 4 MB (it grew by 90 MB)."""
    assert int(_in_a_fresh_process("""
        import gc, os
        from _backend import FFI

        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

        def once(i):
            ffi = FFI()
            ffi.cdef("struct s%d { int a; double b; struct s%d *next; };" % (i, i))
            p = ffi.new("struct s%d[3]" % i)
            p[1].next = p + 2
        for i in range(300):
            once(i)
        gc.collect()
        start = rss()
        for i in range(300, 1300):
            once(i)
        gc.collect()
        print(rss() - start)
    """)[0]) < 4 << 20


def test_the_type_table_forgets_dead_types():
    """Each interned type leaves the table when it dies: its entry goes with it."""
    from purecffi.ctype import TYPES
    ffi = FFI()
    gc.collect()
    before = len(TYPES._table)
    types = [ffi.typeof("int[%d]" % (n,)) for n in range(1000, 1300)]
    assert len(TYPES._table) >= before + 300
    assert ffi.typeof("int[1000]") is types[0]          # (interned while alive)
    del types, ffi                  # (the ffi keeps the types its strings named)
    gc.collect()
    assert len(TYPES._table) <= before + 5


def test_distinct_array_types_cost_little():
    script = textwrap.dedent("""
        import gc, sys
        sys.path.insert(0, %r)
        from _backend import FFI
        ffi = FFI()
        for n in range(1, 200):
            ffi.new("int[%%d]" %% n)
        gc.collect()
        with open("/proc/self/statm") as f:
            before = int(f.read().split()[1])
        for n in range(200, 5200):
            ffi.new("int[%%d]" %% n)
        gc.collect()
        with open("/proc/self/statm") as f:
            print((int(f.read().split()[1]) - before) * 4096 // 5000)
    """) % (_HERE,)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    # bytes per distinct type (the ffi keeps the types it parsed, as cffi's does: ~1 KB
    # there); before: 12 KB
    assert int(out.stdout) < 4096


@pytest.mark.skipif(IS_CFFI, reason="purecffi's interned types")
def test_list_arguments_make_no_type_per_call(monkeypatch, tmp_path_factory):
    """A list argument for a `T *` parameter is written as an array of T without making the
    type `T[]` at every call (interned weakly, a type nothing holds dies after the call)."""
    from purecffi import ctype
    source = "long total(short *p, int n) { return n ? p[0] + p[n - 1] : 0; }\n"
    cdef = "long total(short *, int);"
    abi = FFI()
    abi.cdef(cdef)
    lib = abi.dlopen(build_shared_library(tmp_path_factory, "typesonce", source))
    api = build_api_module(tmp_path_factory.mktemp("typesonce"), "_api_typesonce", cdef,
                           source.replace("long total", "static long total"))
    made = []
    original = ctype.make_type
    monkeypatch.setattr(ctype, "make_type", lambda *args: made.append(args) or original(*args))
    for target in (lib, api.lib):
        for n in range(1, 4):
            assert target.total([n], 1) == 2 * n and target.total((n, 2, 3), 3) == n + 3
            gc.collect()
    assert made == []
