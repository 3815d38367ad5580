"""The spec's own in-line ABI-mode examples (5.2.1, 5.2.2, 6.1, 6.3-6.5, 6.8), run as written.

Python 2 spellings of the spec become Python 3 ones: byte strings for `char`, `print()`.
"""
import re
import weakref

import pytest

from _backend import FFI


# -- 5.2.1 Simple example (ABI level, in-line) ----
def test_5_2_1_printf(capfd):
    ffi = FFI()
    ffi.cdef("""
        int printf(const char *format, ...);    // copy-pasted from the man page
    """)
    C = ffi.dlopen(None)                       # loads the entire C namespace
    arg = ffi.new("char[]", b"world")          # equivalent to C code: char arg[] = "world";
    n = C.printf(b"hi there, %s.\n", arg)      # call printf
    ffi.cdef("int fflush(void *);")
    C.fflush(ffi.NULL)
    assert n == 17                             # this is the return value
    assert capfd.readouterr().out == "hi there, world.\n"


# -- 5.2.2 Struct/Array Example (minimal, in-line) ----
def test_5_2_2_pixels(tmp_path):
    data = tmp_path / "data"
    data.write_bytes(bytes(range(256)) * (800 * 600 * 3 // 256))
    ffi = FFI()
    ffi.cdef("""
        typedef struct {
            unsigned char r, g, b;
        } pixel_t;
    """)
    image = ffi.new("pixel_t[]", 800 * 600)
    f = open(data, "rb")    # binary mode -- important
    f.readinto(ffi.buffer(image))
    f.close()
    assert (image[1].r, image[1].g, image[1].b) == (3, 4, 5)

    image[100].r = 255
    image[100].g = 192
    image[100].b = 128

    f = open(data, "wb")
    f.write(ffi.buffer(image))
    f.close()
    written = data.read_bytes()
    assert len(written) == 800 * 600 * 3
    assert written[300:303] == bytes([255, 192, 128])
    grid = ffi.new("pixel_t[600][800]")          # "a two-dimensional array"
    assert len(grid) == 600 and len(grid[0]) == 800


# -- 6.1 Working with pointers, structures and arrays ----
@pytest.mark.parametrize("cdecl, init, text", [
    ("int *", None, "<cdata 'int *' owning 4 bytes>"),
    ("int[10]", None, "<cdata 'int[10]' owning 40 bytes>"),
    ("char *", None, "<cdata 'char *' owning 1 bytes>"),
    ("char[]", b"foobar", "<cdata 'char[]' owning 7 bytes>"),
])
def test_6_1_new_reprs(cdecl, init, text):
    assert repr(FFI().new(cdecl, init)) == text


def test_6_1_weakkeydict_keeps_fields_alive():
    ffi = FFI()
    ffi.cdef("struct bar { int v; }; struct foo { struct bar *thefield1, *thefield2; };")
    global_weakkeydict = weakref.WeakKeyDictionary()

    def make_foo():
        s1 = ffi.new("struct foo *")
        fld1 = ffi.new("struct bar *", [11])
        fld2 = ffi.new("struct bar *", [22])
        s1.thefield1 = fld1
        s1.thefield2 = fld2
        global_weakkeydict[s1] = (fld1, fld2)
        return s1

    s1 = make_foo()
    assert (s1.thefield1.v, s1.thefield2.v) == (11, 22)
    assert len(global_weakkeydict) == 1
    del s1
    assert len(global_weakkeydict) == 0


def test_6_1_char_pp_argument(ffi, testlib):
    p = ffi.new("char[]", b"hello, world")    # p is a 'char *'
    q = ffi.new("char **", p)                 # q is a 'char **'
    assert testlib.tl_total_len(1, q) == len(b"hello, world")


def test_6_1_pointers_to_variables():
    ffi = FFI()
    ffi.cdef("int sscanf(const char *, const char *, ...);")
    lib = ffi.dlopen(None)
    px = ffi.new("int *")
    py = ffi.new("int *")
    lib.sscanf(b"3 4", b"%d %d", px, py)
    x, y = px[0], py[0]
    arr = ffi.new("int[2]")
    lib.sscanf(b"5 6", b"%d %d", arr, arr + 1)
    assert (x, y, arr[0], arr[1]) == (3, 4, 5, 6)


def test_6_1_null_and_casts():
    ffi = FFI()
    assert ffi.NULL == ffi.cast("void *", 0)
    x = ffi.cast("int", 42)
    assert repr(x) == "<cdata 'int' 42>"
    assert int(x) == 42
    p = ffi.new("int *")
    assert int(ffi.cast("intptr_t", p)) == int(ffi.cast("uintptr_t", p)) > 0
    q = ffi.new("int **")
    assert q[0] == ffi.NULL and re.fullmatch(r"<cdata 'int \*' NULL>", repr(q[0]))


def test_6_1_initializers():
    ffi = FFI()
    ffi.cdef("typedef struct { int x, y; } foo_t;")
    v = ffi.new("foo_t *", [1, 2])
    assert (v.x, v.y) == (1, 2)
    v = ffi.new("foo_t *", {'y': 1, 'x': 2})
    assert (v.x, v.y) == (2, 1)


def test_6_1_char_array_from_string():
    ffi = FFI()
    x = ffi.new("char[]", b"hello")
    assert repr(x) == "<cdata 'char[]' owning 6 bytes>"
    assert len(x) == 6                  # the actual size of the array
    assert x[5] == b"\x00"              # the last item in the array
    x[0] = b"H"                         # change the first item
    assert ffi.string(x) == b"Hello"    # interpret 'x' as a regular null-terminated string
    with pytest.raises(IndexError):
        x[-1]                           # no negative indexes into C arrays


def test_6_1_open_arrays_and_lengths():
    ffi = FFI()
    assert list(ffi.new("int[]", [1, 2, 3, 4])) == [1, 2, 3, 4]
    assert len(ffi.new("int[1000]")) == len(ffi.new("int[]", 1000)) == 1000


def test_6_1_variable_sized_structures():
    ffi = FFI()
    ffi.cdef("typedef struct { int x; int y[]; } foo_t;")
    p = ffi.new("foo_t *", [5, [6, 7, 8]])  # length 3
    assert (p.x, list(p.y)) == (5, [6, 7, 8])
    p = ffi.new("foo_t *", [5, 3])          # length 3 with 0 in the array
    assert (p.x, list(p.y)) == (5, [0, 0, 0])
    p = ffi.new("foo_t *", {'y': 3})        # length 3 with 0 everywhere
    assert (p.x, list(p.y)) == (0, [0, 0, 0])


def test_6_1_assigning_initializers():
    ffi = FFI()
    ffi.cdef("typedef struct { int x, y, z; char a[5]; } foo_t;")
    p = ffi.new("int[5][5]")
    p[2] = [10, 20]                         # writes to p[2][0] and p[2][1]
    assert list(p[2]) == [10, 20, 0, 0, 0]
    q = ffi.new("foo_t *", {'y': 7})
    q[0] = {'x': 10, 'z': 20}               # writes to p.x and p.z; p.y unmodified
    assert (q.x, q.y, q.z) == (10, 7, 20)
    q.a[4] = b"!"
    q.a = b"abc"                            # writes 'a', 'b', 'c' and '\0'; p.a[4] unmodified
    assert ffi.unpack(q.a, 5) == b"abc\x00!"


# -- 6.3 An example of calling a main-like thing ----
def test_6_3_argv(ffi, testlib):
    assert testlib.tl_total_len(2, [ffi.new("char[]", b"arg0"),
                                    ffi.new("char[]", b"arg1")]) == 8
    argv_keepalive = [ffi.new("char[]", b"arg0"), ffi.new("char[]", b"arg1")]
    argv = ffi.new("char *[]", argv_keepalive)
    assert testlib.tl_total_len(2, argv) == 8


# -- 6.4 Function calls ----
def test_6_4_calls():
    ffi = FFI()
    ffi.cdef("size_t strlen(const char *); int abs(int);")
    lib = ffi.dlopen(None)
    assert lib.strlen(b"hello") == 5
    with pytest.raises(OverflowError):
        lib.abs(2 ** 40)


# -- 6.5 Variadic function calls ----
def test_6_5_variadic(capfd):
    ffi = FFI()
    ffi.cdef("int printf(const char *, ...); int fflush(void *);")
    lib = ffi.dlopen(None)
    with pytest.raises(TypeError):
        lib.printf(b"hello, %d\n", 42)      # doesn't work!
    lib.printf(b"hello, %d\n", ffi.cast("int", 42))
    lib.printf(b"hello, %ld\n", ffi.cast("long", 42))
    lib.printf(b"hello, %f\n", ffi.cast("double", 42))
    lib.printf(b"hello, %s\n", ffi.new("char[]", b"world"))
    lib.fflush(ffi.NULL)
    assert capfd.readouterr().out == \
        "hello, 42\nhello, 42\nhello, 42.000000\nhello, world\n"


# -- 6.8 Callbacks (old style) ----
def test_6_8_callback_repr_and_call():
    ffi = FFI()

    @ffi.callback("int(int, int)")
    def myfunc(x, y):
        return x + y

    assert re.fullmatch(r"<cdata 'int\(\*\) ?\(int, int\)' calling <function .*myfunc at 0x[0-9a-f]+>>",
                        repr(myfunc))
    assert myfunc(40, 2) == 42
    same = ffi.callback("int (*)(int, int)", lambda x, y: x * y)
    assert ffi.typeof(same) is ffi.typeof(myfunc)


def test_6_8_callback_with_handle(ffi, testlib):
    @ffi.callback("int(int, void *)")
    def my_global_callback(x, handle):
        return ffi.from_handle(handle).some_method(x)

    class Foo(object):
        def __init__(self):
            self._handle = ffi.new_handle(self)     # must be kept alive

        def some_method(self, x):
            return x * 3

    foo = Foo()
    assert testlib.tl_call_userdata(my_global_callback, foo._handle, 14) == 42


def test_6_8_variadic_callback_refused():
    ffi = FFI()
    with pytest.raises((TypeError, NotImplementedError)):
        ffi.callback("int(int, ...)", lambda n, *a: 0)
