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
    print("\nDone.")
    return 0
