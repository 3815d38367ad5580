"""The rows of bench/run.py that cover the rest of the surface: every public ffi method,
indexing and fields through pointers, arrays and nested structs, calls of each argument and
result kind (in-line ABI and API mode), a streaming step, and rows showing how costs scale.

Rows are given for purecffi and cffi only (the "ffi" key); `make_rows(Bench, api_bench)`
builds them with run.py's classes, so this module imports nothing from run.py.
"""
import os
import subprocess
import sys

FFI_OP = 1.5        # in-line ABI: every ffi operation and lib access
CALL = 1.3          # in-line ABI: calls of every argument and result kind
CALLBACK = 1.5      # making a callback and calling one
API_POINTER = 1.0   # API mode: calls with pointer, array, bytes, from_buffer, out-param args
API_NUMBER = 0.7    # API mode: number-only calls
STREAM = 1.0        # API mode: the streaming step

CDEF = '''
struct point { int x; double y; };
struct line { struct point a, b; struct point *next; };
typedef struct { int quot, rem; } div_t;
int abs(int);
long long llabs(long long);
double sqrt(double);
float sqrtf(float);
size_t strlen(const char *);
void *memchr(const void *, int, size_t);
void srand(unsigned int);
div_t div(int, int);
extern int opterr;
'''

SETUP = 'ffi.cdef(%r)\n' % (CDEF,) + '''
lib = ffi.dlopen(LIBC)
m = ffi.dlopen(LIBM)
p = ffi.new("struct point *", [7, 2.5])
s = p[0]
pts = ffi.new("struct point[10]", [[i, i / 2] for i in range(10)])
line = ffi.new("struct line *")
line.a.x = 3
line.next = p
a = ffi.new("int[100]", list(range(100)))
b = ffi.new("int[100]")
d = ffi.new("double[100]")
ip = ffi.cast("int *", a)
c = ffi.new("char[]", b"hello world")
ba = bytearray(4096)
h = ffi.new_handle(ba)
alloc = ffi.new_allocator()
q = ffi.cast("int *", 0)
def noop(x):
    pass
def ident(x):
    return x
cb = ffi.callback("int(int)", ident)
ffi.init_once(lambda: 42, "tag")
'''

# a small C library for calls with 1, 4 and 8 arguments (in-line ABI mode)
ARGS_SOURCE = '''
int f1(int a) { return a; }
int f4(int a, int b, int c, int d) { return a + b + c + d; }
int f8(int a, int b, int c, int d, int e, int f, int g, int h)
{ return a + b + c + d + e + f + g + h; }
'''


def build_args_library(namespace):
    """Compile ARGS_SOURCE into a shared library and dlopen it as `args`."""
    import atexit
    import shutil
    import tempfile
    tmpdir = tempfile.mkdtemp(prefix="bench-args-")
    atexit.register(shutil.rmtree, tmpdir, True)
    source = os.path.join(tmpdir, "args.c")
    with open(source, "w") as f:
        f.write(ARGS_SOURCE)
    path = os.path.join(tmpdir, "libargs.so")
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-shared", "-fPIC", source, "-o", path],
                   check=True)
    ffi = namespace["ffi"]
    ffi.cdef("int f1(int); int f4(int, int, int, int);"
             "int f8(int, int, int, int, int, int, int, int);")
    namespace["args"] = ffi.dlopen(path)


def ffi_setup(extra=""):
    """The common in-line setup, then `extra` (source)."""
    return SETUP + extra


_MORE = """
ffi.cdef("struct bits { int lo:3; unsigned hi:5; _Bool ok; char name[16]; };")
bt = ffi.new("struct bits *", {"lo": -2, "ok": True})
w = ffi.new("wchar_t[]", "hello world")
L = list(range(100))
L10 = L[:10]
ptrs = ffi.new("struct point *[10]", [p] * 10)
ip5 = ip + 5
found = ffi.cast("char *", lib.memchr(c, 111, 11))
ffi.cdef("struct arr8 { int a[8]; };")
s8 = ffi.new("struct arr8 *")
L8 = L[:8]
cb12 = ffi.buffer(c)
ld = ffi.new("long double[4]")
ffi.cdef("struct node { int v; struct node *next; struct point at; };"
         "struct ops { int (*f)(int); };")
nodes = ffi.new("struct node[10]")
nodes[3].next = nodes + 4
ops = ffi.new("struct ops *")
ops.f = ffi.cast("int(*)(int)", ffi.addressof(lib, "abs"))
"""


def _rows_inline(Bench):
    def row(name, title, stmt, check=None, target=FFI_OP, extra=""):
        return Bench(name, title, setup={"ffi": ffi_setup(extra)}, stmt={"ffi": stmt},
                     check={"ffi": check} if check else None, target=target)
    return [
        # -- the ffi methods --
        row("typeof_str", 'ffi.typeof("struct point *")', 'ffi.typeof("struct point *")'),
        row("typeof_cdata", "ffi.typeof(p)", "ffi.typeof(p)"),
        row("sizeof_str", 'ffi.sizeof("struct point")', 'ffi.sizeof("struct point")',
            'ffi.sizeof("struct point") == 16'),
        row("sizeof_cdata", "ffi.sizeof(a), int[100]", "ffi.sizeof(a)", "ffi.sizeof(a) == 400"),
        row("alignof", 'ffi.alignof("struct point")', 'ffi.alignof("struct point")'),
        row("offsetof", 'ffi.offsetof("struct point", "y")', 'ffi.offsetof("struct point", "y")',
            'ffi.offsetof("struct point", "y") == 8'),
        row("addressof", 'ffi.addressof(s, "y"), s a struct', 'ffi.addressof(s, "y")'),
        row("getctype", 'ffi.getctype("int", "*")', 'ffi.getctype("int", "*")'),
        row("cast_ptr", 'ffi.cast("void *", p)', 'ffi.cast("void *", p)'),
        row("cast_double", 'ffi.cast("double", 1.5)', 'ffi.cast("double", 1.5)'),
        row("new_int", 'ffi.new("int *", 5)', 'ffi.new("int *", 5)'),
        row("new_struct_init", 'ffi.new("struct point *", [1, 2.0])',
            'ffi.new("struct point *", [1, 2.0])'),
        row("new_char_bytes", 'ffi.new("char[]", b"hello")', 'ffi.new("char[]", b"hello")'),
        row("new_allocator", 'alloc("int[10]"), alloc = ffi.new_allocator()', 'alloc("int[10]")'),
        row("release", 'ffi.release(ffi.new("int[10]"))', 'ffi.release(ffi.new("int[10]"))'),
        row("unpack_int", "ffi.unpack(a, 100), int[100]", "ffi.unpack(a, 100)",
            "ffi.unpack(a, 100) == list(range(100))"),
        row("buffer", "ffi.buffer(a), int[100]", "ffi.buffer(a)"),
        row("buffer_bytes", "ffi.buffer(a)[:], int[100]", "ffi.buffer(a)[:]"),
        row("from_buffer", "ffi.from_buffer(ba), bytearray(4096)", "ffi.from_buffer(ba)"),
        row("from_buffer_typed", 'ffi.from_buffer("int[]", ba)', 'ffi.from_buffer("int[]", ba)'),
        row("from_buffer_view", "ffi.from_buffer(mv), mv = memoryview(bytes(4096))",
            "ffi.from_buffer(mv)", "len(ffi.from_buffer(mv)) == 4096",
            extra="mv = memoryview(bytes(4096))\n"),
        row("from_buffer_fixed", 'ffi.from_buffer("int[4]", ba)', 'ffi.from_buffer("int[4]", ba)',
            'len(ffi.from_buffer("int[4]", ba)) == 4'),
        row("memmove", "ffi.memmove(b, a, 400)", "ffi.memmove(b, a, 400)"),
        row("gc", "ffi.gc(q, noop)", "ffi.gc(q, noop)"),
        row("new_handle", "ffi.new_handle(ba)", "ffi.new_handle(ba)"),
        row("from_handle", "ffi.from_handle(h)", "ffi.from_handle(h)",
            "ffi.from_handle(h) is ba"),
        row("from_handle_void", 'ffi.from_handle(vp), vp = ffi.cast("void *", h)',
            "ffi.from_handle(vp)", "ffi.from_handle(vp) is ba",
            extra='vp = ffi.cast("void *", h)\n'),
        row("errno", "ffi.errno", "ffi.errno"),
        row("init_once", 'ffi.init_once(f, "tag"), done', 'ffi.init_once(noop, "tag")',
            'ffi.init_once(noop, "tag") == 42'),
        # -- indexing and fields --
        row("p0_field", "p[0].y, struct point *", "p[0].y", "p[0].y == 2.5"),
        row("p0_field_set", "p[0].y = 1.5", "p[0].y = 1.5"),
        row("field_double", "p.y, struct point *", "p.y", "p.y == 2.5"),
        row("struct_field", "s.x, s = p[0]", "s.x", "s.x == 7"),
        row("array_struct_field", "pts[3].y, struct point[10]", "pts[3].y", "pts[3].y == 1.5"),
        row("nested_field", "line.a.x, struct line *", "line.a.x", "line.a.x == 3"),
        row("nested_field_set", "line.a.x = 4", "line.a.x = 4"),
        row("pointer_field", "line.next.y (through a pointer field)", "line.next.y",
            "line.next.y == 2.5"),
        row("ptr_item", "ip[5], int * from cast", "ip[5]", "ip[5] == 5"),
        row("ptr_item_set", "ip[5] = 5", "ip[5] = 5"),
        row("double_item", "d[5], double[100]", "d[5]"),
        row("char_item", "c[1], char[]", "c[1]", 'c[1] == b"e"'),
        row("ptr_add", "ip + 3", "ip + 3"),
        row("array_len", "len(a)", "len(a)"),
        row("iterate", "for x in a: pass (int[100])", "for x in a: pass"),
        row("slice", "a[10:20]", "a[10:20]"),
        row("lib_global", "lib.opterr (read a C global)", "lib.opterr"),
        row("lib_global_set", "lib.opterr = 1", "lib.opterr = 1"),
        row("lib_attr", "lib.abs (attribute only)", "lib.abs"),
        # -- more data paths: bit-fields, wide strings, copies, lists, casts --
        row("struct_copy", "p[0] = s (a struct copied through a pointer)", "p[0] = s", "p.x == 7"),
        row("bitfield_get", "bt.lo, an int:3 bit-field", "bt.lo", "bt.lo == -2", extra=_MORE),
        row("bitfield_set", "bt.lo = 3", "bt.lo = 3", extra=_MORE),
        row("bool_field", "bt.ok, a _Bool field", "bt.ok", "bt.ok is True", extra=_MORE),
        row("char_field_set", 'bt.name = b"abc", a char[16] field', 'bt.name = b"abc"',
            extra=_MORE),
        row("wide_string", 'ffi.string(w), w a wchar_t[] "hello world"', "ffi.string(w)",
            'ffi.string(w) == "hello world"', extra=_MORE),
        row("new_wide", 'ffi.new("wchar_t[]", "hello")', 'ffi.new("wchar_t[]", "hello")'),
        row("array_add", "a + 3, int[100]", "a + 3", "(a + 3)[0] == 3"),
        row("new_dict", 'ffi.new("struct point *", {"x": 1, "y": 2.0})',
            'ffi.new("struct point *", {"x": 1, "y": 2.0})'),
        row("new_list", 'ffi.new("int[]", L), L a list of 100 ints', 'ffi.new("int[]", L)',
            extra=_MORE),
        row("slice_set", "b[0:10] = L10, a list of 10 ints", "b[0:10] = L10", extra=_MORE),
        row("new_then_field", "a fresh struct's first write: "
            'q = ffi.new("struct point *"); q.x = 5', 'q = ffi.new("struct point *"); q.x = 5'),
        row("new_then_item", "a fresh array's first read: "
            'q = ffi.new("int[100]"); q[5]', 'q = ffi.new("int[100]"); q[5]'),
        row("cast_char", 'ffi.cast("char", 65)', 'ffi.cast("char", 65)'),
        row("cast_ptr_int", 'int(ffi.cast("intptr_t", p))', 'int(ffi.cast("intptr_t", p))'),
        row("ptr_items", "ptrs[3], ptrs a struct point *[10]", "ptrs[3]", "ptrs[3] == p",
            extra=_MORE),
        row("ptr_sub", "(ip + 5) - ip", "ip5 - ip", "ip5 - ip == 5", extra=_MORE),
        row("ptr_sub_array", "found - c, found a char * from memchr(c, ...), c a char[]",
            "found - c", "found - c == 4", extra=_MORE),
        row("array_field_set", "s8.a = L8, an int[8] field from a list of 8 ints", "s8.a = L8",
            "list(s8.a) == L8", extra=_MORE),
        row("buffer_slice_set", 'buf[0:4] = b"hell", buf = ffi.buffer(c), c a char[12]',
            'cb12[0:4] = b"hell"', 'cb12[:] == b"hello world\\0"', extra=_MORE),
        row("longdouble_set", "ld[1] = 1.5, long double[4]", "ld[1] = 1.5",
            "float(ld[1]) == 1.5", extra=_MORE),
        row("struct_item_set_list", "pts[3] = [3, 1.5], struct point[10]", "pts[3] = [3, 1.5]",
            "pts[3].y == 1.5"),
        row("unpack_structs", "ffi.unpack(pts, 3), struct point[10]", "ffi.unpack(pts, 3)",
            "ffi.unpack(pts, 3)[2].y == 1.0"),
        row("new_then_deref", 'a fresh struct\'s value: ffi.new("struct point *")[0]',
            'ffi.new("struct point *")[0]', 'ffi.new("struct point *")[0].x == 0'),
        row("item_pointer_field", "nodes[3].next, struct node[10] (a fresh item's pointer field)",
            "nodes[3].next", "nodes[3].next == nodes + 4", extra=_MORE),
        row("item_struct_field", "nodes[3].at.x (a fresh item's struct field)",
            "nodes[3].at.x", "nodes[3].at.x == 0", extra=_MORE),
        row("callback_field_call", "ops.f(-3), a function pointer field read and called",
            "ops.f(-3)", "ops.f(-3) == 3", extra=_MORE),
        # -- calls: argument and result kinds --
        row("call_llabs", "call long long llabs(long long)", "lib.llabs(-42)",
            "lib.llabs(-42) == 42", CALL),
        row("call_sqrtf", "call float sqrtf(float)", "m.sqrtf(2.25)", "m.sqrtf(2.25) == 1.5",
            CALL),
        row("call_memchr", "call memchr(ptr, int, size_t): pointer arg and result",
            "lib.memchr(c, 111, 11)", "lib.memchr(c, 111, 11) == c + 4", CALL),
        row("call_strlen_arr", "call strlen(char[]) with a cdata array", "lib.strlen(c)",
            "lib.strlen(c) == 11", CALL),
        row("call_list_arg", "call strlen([b\"h\", b\"i\", b\"\\0\"]): a list for a pointer "
            "(a temporary array)", "lib.strlen(hi)", "lib.strlen(hi) == 2", CALL,
            extra='hi = [b"h", b"i", b"\\0"]\n'),
        row("call_void", "call void srand(unsigned)", "lib.srand(1)", None, CALL),
        row("call_struct_result", "call div_t div(int, int): struct result", "lib.div(7, 2)",
            "lib.div(7, 2).rem == 1", CALL),
        row("call_from_buffer", "call strlen(ffi.from_buffer(...))",
            "lib.strlen(ffi.from_buffer(bz))", "lib.strlen(ffi.from_buffer(bz)) == 3", CALL,
            extra='bz = b"abc\\0"\n'),
        # -- callbacks --
        row("callback_make", 'ffi.callback("int(int)", f)', 'ffi.callback("int(int)", ident)',
            None, CALLBACK),
        row("callback_call", "cb(3), a callback called from Python", "cb(3)", "cb(3) == 3",
            CALLBACK),
    ]


def _rows_args(Bench):
    rows = []
    for n, stmt in ((1, "args.f1(1)"), (4, "args.f4(1, 2, 3, 4)"),
                    (8, "args.f8(1, 2, 3, 4, 5, 6, 7, 8)")):
        rows.append(Bench("call_args%d" % n, "call int f%d(int x %d) (scaling)" % (n, n),
                          setup={"ffi": build_args_library}, stmt={"ffi": stmt},
                          check={"ffi": "%s == %d" % (stmt, sum(range(1, n + 1)))},
                          target=CALL))
    return rows


def _rows_scaling(Bench):
    rows = []
    for label, size in (("16B", 16), ("4KB", 4096), ("1MB", 1 << 20)):
        rows.append(Bench("new_%s" % label, 'ffi.new("char[]", %d) (scaling)' % size,
                          stmt={"ffi": 'ffi.new("char[]", %d)' % size}, target=FFI_OP))
        rows.append(Bench("from_buffer_%s" % label, "ffi.from_buffer(bytearray(%d)) "
                          "(scaling)" % size, setup={"ffi": "ba = bytearray(%d)\n" % size},
                          stmt={"ffi": "ffi.from_buffer(ba)"}, target=FFI_OP))
    for n in (10, 1000, 100000):
        setup = ('x = ffi.new("char[]", b"a" * %d)\ni = ffi.new("int[]", %d)\n' % (n, n))
        rows.append(Bench("unpack_char_%d" % n, "ffi.unpack(char[], %d) (scaling)" % n,
                          setup={"ffi": setup}, stmt={"ffi": "ffi.unpack(x, %d)" % n},
                          target=FFI_OP))
        rows.append(Bench("unpack_int_%d" % n, "ffi.unpack(int[], %d) (scaling)" % n,
                          setup={"ffi": setup}, stmt={"ffi": "ffi.unpack(i, %d)" % n},
                          target=FFI_OP))
        rows.append(Bench("string_%d" % n, "ffi.string(char[] of %d) (scaling)" % n,
                          setup={"ffi": setup}, stmt={"ffi": "ffi.string(x)"},
                          check={"ffi": "len(ffi.string(x)) == %d" % n}, target=FFI_OP))
    return rows


# -- API mode ----
API_CDEF = '''
size_t sum(const unsigned char *, size_t);
int fill(char *out, size_t n, size_t *written);
int step(const uint8_t *in, size_t len, uint8_t *out, size_t *outlen);
int f1(int);
int f4(int, int, int, int);
int f8(int, int, int, int, int, int, int, int);
double mix(int, double, long long);
struct node { int value; };
struct node *node_at(int);
enum color { RED, GREEN, BLUE };
enum color next_color(enum color);
_Bool is_odd(int);
struct vec { double x, y; };
double vlen2(struct vec);
struct vec vadd(struct vec, struct vec);
int apply(int (*)(int), int);
int twice(int);
void *same(void *);
'''

API_SOURCE = '''
#include <string.h>
#include <stdint.h>
static size_t sum(const unsigned char *p, size_t n)
{ size_t i, t = 0; for (i = 0; i < n; i++) t += p[i]; return t; }
static int fill(char *out, size_t n, size_t *written)
{ if (n) out[0] = 'x'; *written = n ? 1 : 0; return 0; }
static int step(const uint8_t *in, size_t len, uint8_t *out, size_t *outlen)
{ size_t k = len < *outlen ? len : *outlen; memcpy(out, in, k); *outlen = k; return 0; }
static int f1(int a) { return a; }
static int f4(int a, int b, int c, int d) { return a + b + c + d; }
static int f8(int a, int b, int c, int d, int e, int f, int g, int h)
{ return a + b + c + d + e + f + g + h; }
static double mix(int a, double b, long long c) { return a + b + c; }
struct node { int value; };
static struct node NODES[4] = {{0}, {1}, {2}, {3}};
static struct node *node_at(int i) { return &NODES[i & 3]; }
enum color { RED, GREEN, BLUE };
static enum color next_color(enum color c) { return (enum color)((c + 1) % 3); }
static _Bool is_odd(int i) { return i & 1; }
struct vec { double x, y; };
static double vlen2(struct vec v) { return v.x * v.x + v.y * v.y; }
static struct vec vadd(struct vec a, struct vec b) { struct vec r = {a.x + b.x, a.y + b.y}; return r; }
static int apply(int (*f)(int), int x) { return f(x); }
static int twice(int x) { return 2 * x; }
static void *same(void *p) { return p; }
'''


def api_surface_setup(namespace):
    """Build `_bench_api2` (API_CDEF/API_SOURCE) with the implementation's set_source() and
    prepare the arguments: bytes `data`, out-buffer `out`, `size_t *` `n`..."""
    import atexit
    import importlib
    import shutil
    import tempfile
    ffi = namespace["ffi"]
    ffi.cdef(API_CDEF)
    ffi.set_source("_bench_api2", API_SOURCE)
    tmpdir = tempfile.mkdtemp(prefix="bench-api2-")
    atexit.register(shutil.rmtree, tmpdir, True)
    ffi.compile(tmpdir=tmpdir)
    sys.path.insert(0, tmpdir)
    module = importlib.import_module("_bench_api2")
    ffi, lib = module.ffi, module.lib
    data = bytes(range(256)) * 4
    namespace.update(ffi=ffi, lib=lib, data=data, ba=bytearray(data),
                     arr=ffi.new("unsigned char[]", data), out=ffi.new("uint8_t[]", 2048),
                     buf=ffi.new("char[]", 64), n=ffi.new("size_t *"),
                     v=ffi.new("struct vec *", [3.0, 4.0])[0], node=lib.node_at(1),
                     vs=ffi.new("struct vec[10]", [[float(i), 0.5] for i in range(10)]),
                     ints=ffi.new("int[100]", list(range(100))))
    namespace["ip"] = ffi.cast("int *", namespace["ints"])     # (ints keeps its memory)


STREAM_STEP = ("n[0] = 2048; lib.step(ffi.from_buffer(\"uint8_t[]\", data), len(data), out, n); "
               "ffi.buffer(out, n[0])[:]")


def _rows_api(api_bench):
    def row(name, title, stmt, check, target):
        return api_bench(name, "API mode: " + title, stmt, check, target=target,
                         setup=api_surface_setup)
    total = sum(range(256)) * 4
    return [
        row("api_sum_bytes", "size_t sum(const unsigned char *, size_t) with bytes",
            "lib.sum(data, 1024)", "lib.sum(data, 1024) == %d" % total, API_POINTER),
        row("api_sum_array", "sum() with an unsigned char[] cdata", "lib.sum(arr, 1024)",
            "lib.sum(arr, 1024) == %d" % total, API_POINTER),
        row("api_sum_from_buffer", "sum(ffi.from_buffer(bytearray), n)",
            "lib.sum(ffi.from_buffer(\"unsigned char[]\", ba), 1024)",
            "lib.sum(ffi.from_buffer(\"unsigned char[]\", ba), 1024) == %d" % total, API_POINTER),
        row("api_fill", "int fill(char *out, size_t n, size_t *written)", "lib.fill(buf, 64, n)",
            "lib.fill(buf, 64, n) == 0 and n[0] == 1", API_POINTER),
        row("api_stream", "streaming step: from_buffer in, uint8_t[] out, size_t * in/out, "
            "ffi.buffer(out, n[0])[:]", STREAM_STEP, "ffi.buffer(out, n[0])[:] == data", STREAM),
        row("api_mix", "double mix(int, double, long long)", "lib.mix(1, 2.0, 3)",
            "lib.mix(1, 2.0, 3) == 6.0", API_NUMBER),
        row("api_ptr_result", "struct node *node_at(int): a pointer result", "lib.node_at(2)",
            "lib.node_at(2).value == 2", API_POINTER),
        row("api_enum", "enum color next_color(enum color)", "lib.next_color(1)",
            "lib.next_color(1) == 2", API_NUMBER),
        row("api_bool", "_Bool is_odd(int)", "lib.is_odd(3)", "lib.is_odd(3) is True",
            API_NUMBER),
        row("api_struct_arg", "double vlen2(struct vec): a struct by value", "lib.vlen2(v)",
            "lib.vlen2(v) == 25.0", API_POINTER),
        row("api_struct_list", "vlen2() of a list: a struct initializer", "lib.vlen2([3.0, 4.0])",
            "lib.vlen2([3.0, 4.0]) == 25.0", API_POINTER),
        row("api_struct_result", "struct vec vadd(struct vec, struct vec): a struct result",
            "lib.vadd(v, v)", "lib.vadd(v, v).y == 8.0", API_POINTER),
        row("api_fnptr_arg", "int apply(int (*)(int), int) given lib.twice",
            "lib.apply(lib.twice, 3)", "lib.apply(lib.twice, 3) == 6", API_POINTER),
        row("api_void_ptr", "void *same(void *) given a struct node *", "lib.same(node)",
            "lib.same(node) == node", API_POINTER),
        row("api_new_out", "ffi.new(\"size_t *\"): an out-parameter", "ffi.new(\"size_t *\")",
            "ffi.new(\"size_t *\")[0] == 0", FFI_OP),
        row("api_new_int", "ffi.new(\"int *\", 5)", "ffi.new(\"int *\", 5)",
            "ffi.new(\"int *\", 5)[0] == 5", FFI_OP),
        row("api_new_buf", "ffi.new(\"uint8_t[]\", 4096): an out-buffer",
            "ffi.new(\"uint8_t[]\", 4096)", "len(ffi.new(\"uint8_t[]\", 4096)) == 4096",
            FFI_OP),
        row("api_field_get", "node.value, a field of a struct node * returned by C",
            "node.value", "node.value == 1", FFI_OP),
        row("api_field_set", "node.value = 1", "node.value = 1", "node.value == 1", FFI_OP),
        row("api_struct_item", "vs[3].x, vs a struct vec[10]", "vs[3].x", "vs[3].x == 3.0",
            FFI_OP),
        row("api_ptr_add", "ip + 3, ip an int * from ffi.cast()", "ip + 3", "(ip + 3)[0] == 3",
            FFI_OP),
        row("api_args1", "int f1(int) (scaling)", "lib.f1(1)", "lib.f1(1) == 1", API_NUMBER),
        row("api_args4", "int f4(int x 4) (scaling)", "lib.f4(1, 2, 3, 4)",
            "lib.f4(1, 2, 3, 4) == 10", API_NUMBER),
        row("api_args8", "int f8(int x 8) (scaling)", "lib.f8(1, 2, 3, 4, 5, 6, 7, 8)",
            "lib.f8(1, 2, 3, 4, 5, 6, 7, 8) == 36", API_NUMBER),
    ]


def make_rows(Bench, api_bench):
    """Every row of this module, made with run.py's `Bench` and `api_bench`."""
    return _rows_inline(Bench) + _rows_args(Bench) + _rows_scaling(Bench) + _rows_api(api_bench)
