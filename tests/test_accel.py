"""The C methods an API-mode module lends to runtime classes (purecffi/accel.py): `p[0]` of
`ffi.new("T *")` for numbers, `ffi.buffer(...)` and `buf[...]`.

The same grid of operations runs in two fresh processes, one with such a module loaded and
one without, and must print the same lines: results, exception types and messages,
warnings.  Then: the fast routes are really taken (no Python function runs), and they hold
under threads."""
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import FREE_THREADED, build_api_module, python_calls, run_together
from _backend import IS_CFFI

pytestmark = [
    pytest.mark.skipif(IS_CFFI, reason="purecffi's own C methods (cffi has its C throughout)"),
    pytest.mark.skipif(FREE_THREADED, reason="the generated C has these methods only with a "
                                             "GIL (docs/design.md)"),
]

STRUCTS = """
enum colour { RED, GREEN = 7, BLUE = -3 };
struct pt { int x; double y; };
struct f { signed char a; unsigned char b; short c; unsigned short d; int e; unsigned int g;
           long h; unsigned long i; long long j; unsigned long long k; float l; double m;
           enum colour n; char o; _Bool q; long double r; int s:5; struct pt t; int *u;
           int8_t v; uint64_t w; size_t x; };
union un { int i; float f; double d; unsigned char c; };
struct flex { short n; double d[]; };
"""
CDEF = STRUCTS + """
size_t count_bytes(const unsigned char *p, size_t n);
"""
SOURCE = "#include <stdint.h>\n#include <stddef.h>\n" + STRUCTS + """
static size_t count_bytes(const unsigned char *p, size_t n)
{ size_t t = 0; while (n--) t += *p++; return t; }
"""

NUMBER_TYPES = ["char", "signed char", "unsigned char", "short", "unsigned short", "int",
                "unsigned int", "long", "unsigned long", "long long", "unsigned long long",
                "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t",
                "uint64_t", "size_t", "ssize_t", "intptr_t", "float", "double", "long double",
                "_Bool", "wchar_t", "enum colour"]
VALUES = ["0", "1", "-1", "127", "128", "-129", "255", "256", "65535", "65536", "-32769",
          "2**31", "-2**31 - 1", "2**32", "2**63", "-2**63 - 1", "2**64", "2**1100", "1.5",
          "-0.0", "1e300", "-1e300", "1e-50", "float('inf')", "float('nan')", "True", "False",
          "None", "'x'", "b'x'", "'RED'", "ffi.cast('int', 3)", "ffi.cast('double', 2.5)",
          "Idx()", "[1]"]
INDICES = ["0", "1", "-1", "True", "False", "Idx()", "2**70", "'0'", "0.0", "slice(0, 1)",
           "slice(None)"]
BUFFER_INDICES = ["0", "3", "7", "8", "-1", "-8", "-9", "2**70", "-2**70", "True", "Idx()",
                  "'1'", "1.0", "None", "slice(None)", "slice(2, 5)", "slice(5, 2)",
                  "slice(-3, None)", "slice(None, -3)", "slice(-100, 100)", "slice(2**70, None)",
                  "slice(None, -2**70)", "slice(0, 8, 1)", "slice(0, 8, 2)", "slice(8, 0, -1)",
                  "slice(True, 3)", "slice(Idx(), 4)", "slice(1.0, 2)", "slice('a', 2)"]

FIELDS = list("abcdeghijklmnoqrsuvwx")      # (struct f: every kind of field)

GRID = r'''
import sys, warnings
sys.path.insert(0, DIRECTORY)
import purecffi
if ACCEL:
    import _accel_grid
    api_ffi = _accel_grid.ffi
else:
    api_ffi = purecffi.FFI()
    api_ffi.cdef(CDEF)
inline = purecffi.FFI()
inline.cdef(CDEF)

class Idx:
    def __index__(self):
        return 1

def show(label, thunk):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = thunk()
            text = repr(result) if not isinstance(result, float) or result == result else "nan"
        except Exception as exc:
            text = "%s: %s" % (type(exc).__name__, exc)
    print(label, "->", text, [str(w.message) for w in caught])

for name, ffi in (("api", api_ffi), ("inline", inline)):
    for t in NUMBER_TYPES:
        p = ffi.new(t + " *")
        for v in VALUES:
            def write(p=p, v=v):
                p[0] = eval(v)
                return p[0]
            show("%s %s p[0] = %s" % (name, t, v), write)
        for i in INDICES:
            show("%s %s p[%s]" % (name, t, i), lambda p=p, i=i: p[eval(i)])
            def write_at(p=p, i=i):
                p[eval(i)] = 1
                return p[0]
            show("%s %s p[%s] = 1" % (name, t, i), write_at)
        for length in ("[3]", "[]"):
            a = ffi.new(t + length, 3) if length == "[]" else ffi.new(t + length)
            for v in VALUES:
                def write_item(a=a, v=v):
                    a[1] = eval(v)
                    return a[1], a[0], a[2]
                show("%s %s%s a[1] = %s" % (name, t, length, v), write_item)
            for i in INDICES + ["2", "3", "-3", "2**63", "-2**63"]:
                show("%s %s%s a[%s]" % (name, t, length, i), lambda a=a, i=i: a[eval(i)])
                def write_item_at(a=a, i=i):
                    a[eval(i)] = 1
                    return list(a)
                show("%s %s%s a[%s] = 1" % (name, t, length, i), write_item_at)
            show("%s %s%s len" % (name, t, length), lambda a=a: (len(a), len(a[1:]),
                                                                 len(ffi.new(t + "[]", 0))))
        # pointers that own nothing: into the middle of an array, and made by `p + n`
        backing = ffi.new(t + "[6]")
        for q in (ffi.cast(t + " *", backing) + 3, ffi.cast(t + " *", backing) + 0 + 3):
            for v in VALUES:
                def write_through(q=q, v=v):
                    q[-1] = eval(v)
                    return q[-1], q[0], q[-2]
                show("%s %s q[-1] = %s" % (name, t, v), write_through)
            for i in ["0", "1", "2", "-1", "-3", "True", "Idx()", "2**70", "-2**70", "'0'",
                      "0.0", "slice(0, 2)", "slice(-2, 1)"]:
                show("%s %s q[%s]" % (name, t, i), lambda q=q, i=i: q[eval(i)])
                def write_at_q(q=q, i=i):
                    q[eval(i)] = 2
                    return list(backing)
                show("%s %s q[%s] = 2" % (name, t, i), write_at_q)
        viewed = ffi.cast(t + " *", backing)     # (ffi.cast()'s own class)
        for i in ["0", "5", "True", "Idx()", "slice(1, 3)"]:
            for _ in range(3):      # (its view of memory is made at the second access)
                show("%s %s cast[%s]" % (name, t, i), lambda i=i: viewed[eval(i)])
                def write_cast(i=i):
                    viewed[eval(i)] = 3
                    return list(backing)
                show("%s %s cast[%s] = 3" % (name, t, i), write_cast)
        for v in VALUES:
            def write_viewed(v=v):
                viewed[4] = eval(v)
                return viewed[4]
            show("%s %s cast[4] = %s" % (name, t, v), write_viewed)
        null = ffi.cast(t + " *", 0)
        show("%s %s NULL[0]" % (name, t), lambda: null[0])
        show("%s %s del p[0]" % (name, t), lambda p=p: p.__delitem__(0))
        show("%s %s p[0] after ffi.release" % (name, t),
             lambda p=p: (ffi.release(p), type(p[0]).__name__)[1])
    data = bytearray(b"abcdefgh")
    holders = [     # (label, the object, how many bytes of memory it has)
        ("char[8]", ffi.new("char[8]", b"abcdefgh"), 8),
        ("char[]", ffi.new("char[]", b"abcdefg"), 8),
        ("int[2]", ffi.new("int[2]", [0x64636261, 0x68676665]), 8),
        ("int[] of 2", ffi.new("int[]", [1, 2]), 8),
        ("char *", ffi.new("char *", b"a"), 1),
        ("struct pt *", ffi.new("struct pt *", [1, 2.0]), 16),
        ("struct pt", ffi.new("struct pt *", [1, 2.0])[0], 16),
        ("from_buffer", ffi.from_buffer(data), 8),
        ("from_buffer int[]", ffi.from_buffer("int[]", data), 8),
        ("cast char *", ffi.cast("char *", ffi.from_buffer(data)), 8),
        ("cast int *", ffi.cast("int *", ffi.from_buffer(data)), 8),
        ("cast void *", ffi.cast("void *", ffi.from_buffer(data)), 8),
        ("NULL char *", ffi.cast("char *", 0), 0),
        ("int", ffi.cast("int", 5), 0),
        ("bytes", b"abcdefgh", 0),
        ("gc'd", ffi.gc(ffi.cast("char *", ffi.from_buffer(data)), lambda p: None), 8),
    ]
    sizes = ["", "0", "1", "8", "9", "16", "-1", "-2", "2**30", "2**70", "1.5", "None",
             "True", "Idx()", "size=3"]

    def contents(holder, size, real):
        """The buffer's length and the bytes of it within the memory (never beyond)."""
        b = eval("ffi.buffer(holder%s)" % (", " + size if size else "",))
        return len(b), bytes(memoryview(b)[:min(len(b), real)])
    for label, holder, real in holders:
        for size in sizes:
            show("%s buffer(%s, %s)" % (name, label, size),
                 lambda h=holder, s=size, r=real: contents(h, s, r))
    buf = ffi.buffer(ffi.new("char[8]", b"abcdefgh"))
    show("%s type" % (name,), lambda: (type(buf).__name__, isinstance(buf, ffi.buffer),
                                       len(buf)))
    for i in BUFFER_INDICES:
        show("%s buf[%s]" % (name, i), lambda i=i: buf[eval(i)])
    short = ffi.buffer(ffi.new("char[]", 1))
    show("%s short[:]" % (name,), lambda: (short[:], short[0], short[-1]))
    empty = ffi.buffer(ffi.new("char[8]"), 0)
    show("%s empty" % (name,), lambda: (empty[:], len(empty)))
    show("%s buffer()" % (name,), lambda: ffi.buffer())
    show("%s buffer(3 args)" % (name,), lambda: ffi.buffer(buf, 1, 2))
    show("%s buffer(cdata=)" % (name,), lambda: bytes(ffi.buffer(cdata=ffi.new("char[2]"))))
    show("%s subclass" % (name,), lambda: issubclass(type(buf), ffi.buffer))
    # number fields of structs, through every kind of struct cdata
    fp = ffi.new("struct f *")
    farr = ffi.new("struct f[3]")
    struct_holders = [
        ("owning", fp), ("value", fp[0]), ("cast", ffi.cast("struct f *", fp)),
        ("item", farr[1]), ("moved", farr + 2), ("cast item", ffi.cast("struct f *", farr)[1]),
        ("from_buffer", ffi.from_buffer("struct f[]", bytearray(ffi.sizeof("struct f") * 2))[1])]
    for label, holder in struct_holders:
        for field in FIELDS:
            show("%s %s .%s" % (name, label, field),
                 lambda h=holder, f=field: getattr(h, f))
            for v in VALUES:
                def write_field(h=holder, f=field, v=v):
                    setattr(h, f, eval(v))
                    return getattr(h, f), h.e, h.m
                show("%s %s .%s = %s" % (name, label, field, v), write_field)
        show("%s %s del .e" % (name, label), lambda h=holder: delattr(h, "e"))
    null = ffi.cast("struct f *", 0)
    for field in ("e", "m", "l", "k"):
        show("%s NULL .%s" % (name, field), lambda f=field: getattr(null, f))
        show("%s NULL .%s = 1" % (name, field), lambda f=field: setattr(null, f, 1))
    u = ffi.new("union un *")
    for field in ("i", "f", "d", "c"):
        for v in VALUES:
            def write_union(f=field, v=v):
                setattr(u, f, eval(v))
                return u.i, u.c, bytes(ffi.buffer(u))
            show("%s union .%s = %s" % (name, field, v), write_union)
    flex = ffi.new("struct flex *", [3, [1.5, 2.5]])
    for v in VALUES:
        def write_flex(v=v):
            flex.n = eval(v)
            return flex.n, list(flex.d)
        show("%s flex .n = %s" % (name, v), write_flex)
    # items of arrays of and pointers to structs (struct f, aligned to 16, has no fast class)
    six = ffi.new("struct pt[6]")
    for i in range(6):
        six[i].x = 10 + i
    item_holders = (("array", six), ("pointer", ffi.cast("struct pt *", six) + 2),
                    ("open array", ffi.new("struct pt[]", 3)), ("union array", ffi.new("union un[2]")),
                    ("struct f array", farr), ("NULL", ffi.cast("struct pt *", 0)),
                    ("owning pointer", ffi.new("struct pt *", [12, 0.5])))
    for label, holder in item_holders:
        bounds = ["2", "3", "-2", "5", "6", "-6", "2**63", "-2**63"]
        for i in INDICES + bounds:
            if label == "pointer" and i in ("5", "6", "-6", "-2**63"):
                continue            # (beyond the memory)
            if label == "NULL" and i not in ("'0'", "0.0", "slice(0, 1)", "slice(None)"):
                continue            # (reading it would crash, as in cffi)
            if label == "owning pointer" and i not in ("0", "True", "False", "'0'", "0.0",
                                                        "slice(0, 1)", "2**63", "-2**63"):
                continue            # (beyond the memory)
            show("%s %s items[%s]" % (name, label, i), lambda h=holder, i=i: (
                lambda r: (type(r).__name__, ffi.typeof(r).cname, getattr(r, "x", None),
                           getattr(r, "i", None), getattr(r, "e", None)))(h[eval(i)]))
    # pointer arithmetic: p + n, n + p, p - n, p - q
    ints = ffi.new("int[8]")
    address = lambda p: int(ffi.cast("intptr_t", p))

    def where(r, p):
        """A pointer as its type, class and place from `p`; an int if it does not depend on
        where memory is, else its type"""
        if isinstance(r, ffi.CData):
            return (ffi.typeof(r).cname, type(r).__name__, address(r) - address(p))
        return r if abs(r) < 2**16 else type(r).__name__
    pointers = (("owning int *", ffi.new("int *")), ("cast int *", ffi.cast("int *", ints) + 2),
                ("moved int *", ints + 2), ("cast double *", ffi.cast("double *", ints)),
                ("struct pt *", ffi.cast("struct pt *", ints)), ("owning pt", ffi.new("struct pt *")),
                ("char *", ffi.cast("char *", ints)), ("void *", ffi.cast("void *", ints)),
                ("NULL int *", ffi.cast("int *", 0)), ("high", ffi.cast("int *", 2**62)),
                ("short * from an array", ffi.cast("short *", ints) + 1))
    for label, pointer in pointers:
        for n in ("0", "1", "-1", "3", "-3", "2**40", "2**41", "-2**41", "2**61", "2**62",
                  "2**63", "-2**63", "True", "1.5", "Idx()", "None", "ints", "pointer",
                  "pointer + 1", "ffi.cast('int *', ints)", "ffi.cast('long *', ints)",
                  "ffi.NULL", "ffi.new('int *')"):
            if label.startswith("owning") and "ints" in n or "ffi.new" in n:
                continue        # (memory apart: their distance changes from run to run)
            show("%s %s + %s" % (name, label, n), lambda p=pointer, n=n: where(p + eval(n), p))
            show("%s %s - %s" % (name, label, n), lambda p=pointer, n=n: where(p - eval(n), p))
            if n in ("3", "-3", "True", "Idx()", "1.5"):
                show("%s %s + %s (right)" % (name, label, n),
                     lambda p=pointer, n=n: where(eval(n) + p, p))
    # comparisons, hashes and truth of cdata with an address

    def pointer_hash(x):
        """CPython's hash of a pointer (64 bits): rotated right by 4 bits"""
        rotated = ((x >> 4) | (x << 60)) & (2**64 - 1)
        value = rotated - 2**64 if rotated >> 63 else rotated
        return -2 if value == -1 else value
    others = (("owning", ffi.new("int *")), ("cast", ffi.cast("int *", ints)),
              ("same place", ffi.cast("long *", ints)), ("void", ffi.cast("void *", ints)),
              ("array", ints), ("moved", ints + 1), ("NULL", ffi.NULL),
              ("NULL int *", ffi.cast("int *", 0)), ("struct", ffi.new("struct pt *")),
              ("struct value", ffi.new("struct pt *")[0]), ("item", six[1]),
              ("int", ffi.cast("int", 5)), ("zero", ffi.cast("int", 0)), ("5", 5), ("None", None),
              ("buffer", ffi.buffer(ints)), ("function", ffi.cast("int(*)(int)", 0)))
    for label, left in others:
        show("%s bool %s" % (name, label), lambda a=left: bool(a))
        show("%s hash %s" % (name, label),
             lambda a=left: (hash(a) == pointer_hash(address(a)),
                             hash(a) == hash(ffi.cast("void *", a))) if isinstance(
                 a, ffi.CData) and not label.startswith(("int", "zero", "function"))
             else type(hash(a)).__name__)
        for other, right in others:
            show("%s %s == %s" % (name, label, other), lambda a=left, b=right: (a == b, a != b))
    prop = vars(type(fp)).get("e") or type(fp).e
    show("%s .e of another class" % (name,), lambda: prop.__get__(ffi.new("int *")))
    show("%s .e of an int" % (name,), lambda: prop.__get__(5))
    show("%s .e = of another class" % (name,), lambda: prop.__set__(ffi.new("int *"), 1))
    show("%s .e = of an int" % (name,), lambda: prop.__set__(5, 1))
print("done")
print("methods", *(type(cls.__getitem__).__name__ for cls in (
    type(inline.new("size_t *")), type(api_ffi.new("float *")), purecffi.FFI.buffer,
    type(inline.new("short[]", 2)), type(inline.cast("short *", 2)),
    type(inline.cast("short *", 2) + 1))))
print("items", *(type(type(a).__getitem__).__name__ for a in (
    inline.new("struct pt[2]"), inline.new("struct pt[]", 2), inline.cast("struct pt *", 8),
    inline.new("struct pt *"), inline.new("struct f[2]"))))
print("compare", *(type(type(p).__eq__).__name__ + type(type(p).__hash__).__name__ for p in (
    inline.new("int *"), inline.cast("int *", 8), inline.new("int[2]"), inline.NULL)))
print("adds", *(type(type(p).__add__).__name__ for p in (
    inline.new("int *"), inline.cast("int *", 8), inline.cast("struct pt *", 8),
    inline.cast("int *", 8) + 1)))
print("fields", *(type(getattr(type(s), "e").fget).__name__ for s in (
    inline.new("struct f *"), inline.new("struct f *")[0], inline.cast("struct f *", 1),
    inline.new("struct f[2]")[1], api_ffi.new("struct f *"))))
'''


@pytest.fixture(scope="module")
def grid_directory(tmp_path_factory):
    directory = tmp_path_factory.mktemp("accel")
    build_api_module(directory, "_accel_grid", CDEF, SOURCE)
    return directory


def run_grid(directory, accel):
    script = "DIRECTORY = %r\nACCEL = %r\nCDEF = %r\nNUMBER_TYPES = %r\nVALUES = %r\n" \
             "INDICES = %r\nBUFFER_INDICES = %r\nFIELDS = %r\n" % (
                 str(directory), accel, CDEF, NUMBER_TYPES, VALUES, INDICES,
                 BUFFER_INDICES, FIELDS) + GRID
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env=pure_env())
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def pure_env():
    """The environment of a process without purecffi._speedups (tests/test_speedups.py):
    the C methods come only from the modules a test loads."""
    return dict(os.environ, PURECFFI_PURE="1")


def test_same_results_with_and_without_the_c_methods(grid_directory):
    plain = run_grid(grid_directory, False)
    fast = run_grid(grid_directory, True)
    # (what each kind of class has: the lines printed last)
    assert plain.pop() == "fields attrgetter attrgetter function function attrgetter"
    assert fast.pop() == "fields" + " builtin_function_or_method" * 5
    assert plain.pop() == "adds" + " function" * 4
    assert fast.pop() == "adds" + " method_descriptor" * 4
    assert plain.pop() == "compare" + " functionfunction" * 4
    assert fast.pop() == "compare" + " method_descriptormethod_descriptor" * 4
    assert plain.pop() == "items" + " function" * 5
    assert fast.pop() == "items" + " method_descriptor" * 3 + " function" * 2
    assert plain.pop() == "methods" + " function" * 6
    assert fast.pop() == "methods" + " method_descriptor" * 6
    assert plain[-1] == "done" and len(plain) > 3000
    assert len(plain) == len(fast)
    differing = [(a, b) for a, b in zip(plain, fast) if a != b]
    assert not differing, differing[:10]


def test_the_c_methods_are_installed_and_run_no_python(grid_directory, ffi):
    module = build_api_module(grid_directory, "_accel_grid", CDEF, SOURCE)
    api = module.ffi
    p = api.new("size_t *")
    q = ffi.new("double *")         # (an in-line ffi: the same classes)
    array = ffi.new("int[3]")
    cast = ffi.cast("int *", array)
    moved = cast + 1
    out = api.new("char[4]", b"data")
    pointer = ffi.cast("char *", out)
    buf = ffi.buffer(out)

    def work():     # (buffers of one size: the class of a size is made once)
        p[0] = 12
        q[0] = 1.5
        array[1] = 9
        cast[2] = 4
        return (p[0], q[0], array[1], len(array), cast[2], moved[1], bytes(api.buffer(out, 4)),
                buf[:3], buf[1], buf[-2:], bytes(ffi.buffer(pointer, 4)), bytes(ffi.buffer(out)))
    work()
    result, calls = python_calls(work)
    assert result == (12, 1.5, 9, 3, 4, 4, b"data", b"dat", b"a", b"ta", b"data", b"data")
    assert calls == []
    # what they do not take runs the Python methods they replaced
    point = api.new("struct pt *")
    result, calls = python_calls(lambda: (buf[True], len(api.buffer(point))))
    assert result == (b"a", 16)
    assert calls[0] == "__getitem__" and ("__call__" in calls or "__new__" in calls)


def test_fields_struct_items_and_pointer_moves_run_no_python(grid_directory, ffi):
    """`p.x` and `p.x = v` of number fields take no Python frame through any struct cdata
    (in-line ones too, once such a module is loaded), nor `a[i]` and `p[i]` of arrays of and
    pointers to structs, nor `p + n`, `n + p`, `p - n` and `p - q`, nor `p == q`, `p != q`,
    `hash(p)` and `bool(p)`; the rest runs the Python methods."""
    module = build_api_module(grid_directory, "_accel_grid", CDEF, SOURCE)
    ffi.cdef(STRUCTS)
    owning = module.ffi.new("struct f *")
    items = ffi.new("struct f[2]")
    holders = (owning, owning[0], module.ffi.cast("struct f *", owning), items[1], items + 1,
               ffi.new("union un *"))
    points = module.ffi.new("struct pt[4]")
    pointer = module.ffi.cast("struct pt *", points)

    def work():
        for holder in holders[:-1]:
            holder.e = -5
            holder.m = 2.5
            holder.l = 1
            holder.w = 2**64 - 1
            holder.n = 7
        holders[-1].d = 0.5
        points[2].x = 4
        pointer[3].y = 0.25
        moved = pointer + 3
        seen = [holders[-1].d, points[2].x, pointer[2].x, points[3].y, type(points[1]),
                (0 + moved).y, (moved - 1).x, moved - pointer, moved == pointer + 3,
                moved != pointer, bool(moved), hash(moved) == hash(pointer + 3)]
        for holder in holders[:-1]:     # (no comprehension: its own frame)
            seen.append((holder.e, holder.m, holder.l, holder.w, holder.n))
        return seen
    work()
    result, calls = python_calls(work)
    assert result == [0.5, 4, 4, 0.25, type(pointer[0]), 0.25, 4, 3, True, True, True, True] + \
        [(-5, 2.5, 1.0, 2**64 - 1, 7)] * 5
    assert calls == []
    double = ffi.cast("double", 1.5)
    result, calls = python_calls(lambda: (setattr(owning, "m", double), owning.m, owning.o))
    assert result == (None, 1.5, b"\0") and calls


def test_buffers_of_many_sizes_from_threads(grid_directory):
    module = build_api_module(grid_directory, "_accel_grid", CDEF, SOURCE)
    ffi = module.ffi
    data = ffi.new("unsigned char[]", bytes(range(256)))
    counts = [ffi.new("size_t *") for _ in range(8)]

    def work(i):
        seen = []
        for k in range(300):
            size = (i * 37 + k) % 257
            n = counts[i]
            n[0] = size
            seen.append(ffi.buffer(data, n[0])[:] == bytes(range(size)) and
                        module.lib.count_bytes(data, n[0]) == sum(range(size)))
        return all(seen)
    assert run_together(work) == [True] * 8


def test_limited_api_modules_lend_nothing(tmp_path):
    """A module built for the limited API has no slot internals: nothing is installed
    by it (it still loads and runs)."""
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, %r)
        from conftest import build_api_module
        module = build_api_module(%r, "_accel_limited", %r, %r, py_limited_api=True)
        p = module.ffi.new("size_t *")
        p[0] = 5
        print(type(type(p).__dict__["__getitem__"]).__name__, p[0],
              module.lib.count_bytes(b"ab", 2))
    """ % (os.path.dirname(__file__), str(tmp_path), CDEF, SOURCE))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env=pure_env())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["function", "5", "195"]


def test_a_class_made_from_a_lent_class_gets_the_python_methods(grid_directory):
    """C methods are bound to the class they were lent to: a cdata class made from its
    namespace (cdata.concrete) gets the Python methods they replaced."""
    from purecffi.cdata import OwningPointerCData, concrete
    module = build_api_module(grid_directory, "_accel_grid", CDEF, SOURCE)
    p = module.ffi.new("short *", 7)
    owning = type(p)
    assert type(vars(owning)["__getitem__"]).__name__ == "method_descriptor"
    child = concrete("short *", OwningPointerCData, parent=owning)
    assert type(vars(child)["__getitem__"]).__name__ == "function"
    assert "_pc_number" not in vars(child)
    q = object.__new__(child)
    q._ctype, q._addr, q._keep = p._ctype, p._addr, p._keep
    q[0] = 5
    assert (q[0], p[0]) == (5, 5)


def test_a_class_made_from_a_class_with_c_fields_gets_its_own(grid_directory):
    """A field property in C reads only instances of its class (others go to the Python
    property it replaced): a class made from its namespace reads through the Python property
    until it is offered (as the runtime offers the classes of a type once all are made), then
    has C properties of its own."""
    from purecffi import accel
    from purecffi.cdata import StructPointerCData, concrete
    module = build_api_module(grid_directory, "_accel_grid", CDEF, SOURCE)
    p = module.ffi.cast("struct pt *", module.ffi.new("struct pt *", [4, 2.5]))
    parent = type(p)
    child = concrete("struct pt *", StructPointerCData, parent=parent)
    q = object.__new__(child)
    q._ctype, q._addr, q._keep = p._ctype, p._addr, p._keep
    q.x = 9
    result, calls = python_calls(lambda: (q.x, p.x, q.y))
    assert result == (9, 9, 2.5) and calls
    accel.offer(child)
    assert vars(child)["x"] is not vars(parent)["x"]
    assert type(vars(child)["x"].fget).__name__ == "builtin_function_or_method"
    q.x = 10
    result, calls = python_calls(lambda: (q.x, p.x, q.y))
    assert result == (10, 10, 2.5) and calls == []
