"""The tour printed by `make demo`: each step runs for real and prints what it got."""
import os
import tempfile

from . import FFI


def _step(title):
    print("\n== %s" % (title,))


def demo_libc_calls(ffi, libc):
    """printf (variadic), strlen, and errno through the C library."""
    _step("Calling the C library (in-line ABI mode)")
    n = libc.printf(b"  printf from C: %s has %d letters\n", ffi.new("char[]", b"purecffi"),
                    ffi.cast("int", 8))
    libc.fflush(ffi.NULL)
    print("  printf returned", n)
    print("  strlen(b'hello, world') =", libc.strlen(b"hello, world"))
    libc.strtol(b"99999999999999999999999", ffi.NULL, 10)
    print("  strtol overflow set errno =", ffi.errno, "(ERANGE)")


def demo_qsort(ffi, libc):
    """qsort with a Python comparison function as a C callback."""
    _step("qsort with a Python callback")
    values = [42, 7, 19, 3, 88, 1, 56]
    array = ffi.new("int[]", values)

    @ffi.callback("int(const void *, const void *)")
    def compare(a, b):
        x, y = ffi.cast("int *", a)[0], ffi.cast("int *", b)[0]
        return (x > y) - (x < y)

    libc.qsort(array, len(array), ffi.sizeof("int"), compare)
    print("  before:", values)
    print("  after: ", list(array))


def demo_structs_to_file(ffi):
    """An array of structs filled from Python and written to a file through ffi.buffer."""
    _step("An array of structs written to a file with ffi.buffer")
    points = ffi.new("struct point[]", [{"x": i, "y": i * i, "weight": i / 2} for i in range(4)])
    print("  struct point is %d bytes; the array is %d bytes"
          % (ffi.sizeof("struct point"), ffi.sizeof(points)))
    path = os.path.join(tempfile.mkdtemp(), "points.bin")
    with open(path, "wb") as f:
        f.write(ffi.buffer(points))
    copy = ffi.new("struct point[4]")
    with open(path, "rb") as f:
        f.readinto(ffi.buffer(copy))
    print("  read back:", [(p.x, p.y, p.weight) for p in copy])
    os.remove(path)


def demo_types(ffi):
    """Types are objects you can inspect."""
    _step("C types are inspectable")
    t = ffi.typeof("struct point")
    for name, field in t.fields:
        print("  %-7s %-8s offset %d" % (name, field.type.cname, field.offset))
    print("  ffi.getctype('struct point[4]', '*') =", ffi.getctype("struct point[4]", "*"))


def demo_out_of_line(workdir):
    """Out-of-line ABI mode: a generated module that imports without the C parser."""
    import subprocess
    import sys
    _step("Out-of-line ABI mode: a generated module")
    builder = FFI()
    builder.cdef("double sqrt(double); struct vec { double x, y; };")
    builder.set_source("_demo_ool", None)
    path = builder.compile(tmpdir=workdir)
    print("  wrote", os.path.basename(path))
    code = ("import sys; from _demo_ool import ffi; m = ffi.dlopen('libm.so.6'); "
            "v = ffi.new('struct vec *', [3.0, 4.0]); "
            "print('  |v| =', m.sqrt(v.x * v.x + v.y * v.y), "
            "'- pycparser imported:', 'pycparser' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [workdir] + [p for p in sys.path if p] + [os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    print(out.stdout.rstrip() or out.stderr.strip().splitlines()[-1])


def demo_api_mode(workdir):
    """API mode: a compiled extension module, with an extern "Python" callback."""
    import importlib
    import shutil
    import sys
    _step("API mode: a C extension module built from set_source()")
    if shutil.which("gcc") is None and shutil.which("cc") is None:
        print("  (skipped: no C compiler on this machine)")
        return
    builder = FFI()
    builder.cdef("""
        struct point { int x; ...; };
        int norm1(struct point *p);
        extern "Python" int twice(int);
        int apply_twice(int n);
    """)
    builder.set_source("_demo_api", """
        struct point { long hidden; int x; int y; };   /* the compiler fills the "..." */
        static int norm1(struct point *p) { return (p->x < 0 ? -p->x : p->x)
                                                 + (p->y < 0 ? -p->y : p->y); }
        static int twice(int);
        static int apply_twice(int n) { return twice(twice(n)); }
    """)
    builder.compile(tmpdir=workdir)
    sys.path.insert(0, workdir)
    try:
        module = importlib.import_module("_demo_api")
    finally:
        sys.path.remove(workdir)
    ffi, lib = module.ffi, module.lib

    @ffi.def_extern()
    def twice(n):
        return 2 * n

    p = ffi.new("struct point *", {"x": -7})
    print("  offsetof(struct point, x) from the compiler:", ffi.offsetof("struct point", "x"))
    print("  norm1 ->", lib.norm1(p), "   (", lib.norm1.__doc__.splitlines()[0], ")")
    print("  apply_twice(5), C calling Python twice ->", lib.apply_twice(5))


def run():
    """Run the whole tour."""
    ffi = FFI()
    ffi.cdef("""
        int printf(const char *format, ...);
        int fflush(void *stream);
        size_t strlen(const char *s);
        long strtol(const char *s, char **end, int base);
        void qsort(void *base, size_t nmemb, size_t size,
                   int (*compar)(const void *, const void *));
        struct point { int x, y; double weight; };
    """)
    libc = ffi.dlopen(None)
    print("purecffi demo: CFFI's interface, in pure Python")
    demo_libc_calls(ffi, libc)
    demo_qsort(ffi, libc)
    demo_structs_to_file(ffi)
    demo_types(ffi)
    workdir = tempfile.mkdtemp(prefix="purecffi-demo-")
    demo_out_of_line(workdir)
    demo_api_mode(workdir)
    print("\nDone.")
    return 0
