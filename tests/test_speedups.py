"""purecffi._speedups, the optional C methods for the runtime's classes (purecffi/accel.py,
build/speedups.py, setup.py): its C is what the generator writes, `import purecffi` loads it
where it was built, PURECFFI_PURE=1 leaves it out, a build without a compiler still installs,
and in-line programs give the same results with and without it."""
import os
import re
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from importlib.util import find_spec

import pytest

from conftest import FREE_THREADED
from _backend import IS_CFFI

pytestmark = pytest.mark.skipif(IS_CFFI, reason="purecffi's own optional module")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(REPO, "src")
BUILT = find_spec("purecffi._speedups") is not None
# (the real cffi's backend is a compiled module: with the drop-in installed in its place,
# the comparison would be purecffi's with itself)
_BACKEND = find_spec("_cffi_backend")
needs_cffi = pytest.mark.skipif(
    find_spec("cffi") is None or _BACKEND is None or not str(_BACKEND.origin).endswith(
        tuple(EXTENSION_SUFFIXES)), reason="the real cffi is not installed: nothing to compare with")
needs_build = pytest.mark.skipif(
    not BUILT or FREE_THREADED, reason="purecffi._speedups is not built for this Python "
    "(no C compiler at install) or lends nothing here (a free-threaded build)")


def run_python(code, pure=False, cwd=None):
    """Run `code` in a fresh interpreter on this checkout's sources; its stdout lines."""
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("PURECFFI_PURE", None)
    if pure:
        env["PURECFFI_PURE"] = "1"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_the_c_file_is_what_the_generator_writes():
    from purecffi.build.speedups import SOURCE_PATH, speedups_source
    with open(SOURCE_PATH, encoding="utf-8") as f:
        kept = f.read()
    assert kept == speedups_source(), \
        "src/purecffi/_speedups.c is stale: run python -m purecffi.build.speedups"
    assert "PyImport_ImportModule(\"_cffi_backend\")" not in kept     # (the runtime's own)
    assert "_pc_accelerate" in kept


CLASSES = """
import purecffi
from purecffi.accel import speedups_loaded
ffi = purecffi.FFI()
ffi.cdef("struct pt { int x; double y; };")
p = ffi.new("struct pt *")
a = ffi.new("int[4]")
print(speedups_loaded(), type(type(a).__dict__["__getitem__"]).__name__,
      type(type(p).__dict__["x"].fget).__name__, "purecffi._speedups" in __import__("sys").modules)
"""


@needs_build
def test_import_purecffi_loads_it():
    assert run_python(CLASSES) == ["True method_descriptor builtin_function_or_method True"]


def test_purecffi_pure_leaves_it_out():
    assert run_python(CLASSES, pure=True) == ["False function attrgetter False"]
    for value in ("", "0"):     # (not set, or set to no)
        env_code = "import os; os.environ['PURECFFI_PURE'] = %r\n" % (value,) + CLASSES
        assert run_python(env_code)[0].split()[0] == str(BUILT and not FREE_THREADED)


def test_a_module_older_than_its_c_is_left_out(tmp_path, monkeypatch):
    """A checkout whose C changed since `pip install -e` keeps the runtime pure Python (its
    C may not fit this runtime) until it is built again; a wheel has no C beside it."""
    import importlib.machinery
    import importlib.util
    from purecffi import accel
    built = tmp_path / "_speedups.so"
    built.write_bytes(b"")
    spec = importlib.machinery.ModuleSpec("purecffi._speedups", None, origin=str(built))
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec)
    assert not accel._stale()          # (no C beside it)
    source = tmp_path / "_speedups.c"
    source.write_text("")
    os.utime(built, (1000, 1000))
    os.utime(source, (2000, 2000))
    assert accel._stale()
    os.utime(built, (3000, 3000))
    assert not accel._stale()


@needs_build
def test_doctor_says_whether_it_is_in_use():
    code = "from purecffi.doctor import report; print(report()[2])"
    assert run_python(code) == ["speedups       in use (purecffi._speedups)"]
    assert run_python(code, pure=True) == ["speedups       off: PURECFFI_PURE is set (pure "
                                           "Python)"]


INLINE_GRID = r"""
import purecffi, re, warnings
SAFE = False            # (True: leave out what crashes cffi, which purecffi refuses)
ffi = purecffi.FFI()
ffi.cdef('''
struct pt { int x; double y; };
typedef int (*fn_t)(int);
struct names { char name[4]; unsigned char u[3]; signed char sc[2]; int n; char tail[1]; };
struct node { struct node *next; int v; char *s; void *vp; int *ip; };
int abs(int);
int snprintf(char *, size_t, const char *, ...);
enum e { E0, E1, E5 = 5 };
struct bits { int a:1; unsigned b:3; int c:7; char d:2; _Bool e:1; long long f:40;
              unsigned long long g:63; enum e h:4; short i:9; unsigned char j; int k:30;
              long long l:64; unsigned long long m:64; };
struct f { signed char a; unsigned char b; short c; unsigned short d; int e; unsigned int g;
           long long j; unsigned long long k; float l; double m; _Bool q; int s:5;
           struct pt t; int *u; };
''')
p = ffi.new("struct f *")
pts = ffi.new("struct pt[5]")
arrays = {t: ffi.new(t + "[3]") for t in ("signed char", "unsigned char", "short",
          "unsigned short", "int", "unsigned int", "long", "unsigned long", "long long",
          "unsigned long long", "float", "double", "_Bool", "char")}
pointers = {t: ffi.cast(t + " *", a) for t, a in arrays.items()}
values = [0, 1, -1, 127, 128, 255, 256, -129, 2**31, -2**31 - 1, 2**32, 2**63, -2**63 - 1,
          2**64, 1.5, -0.0, 1e300, float("inf"), True, None, "x", b"x", [1]]
indices = [0, 2, 3, -1, True, 2**70, "0", 1.0]
inside = [0, 2, True, 2**70, "0", 1.0]     # (for pointers: no memory outside the array)
ba = bytearray(b"0123456789abcdef")

def delete(x, i):
    del x[i]

def show(label, thunk):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = repr(thunk())
        except Exception as exc:
            result = "%s: %s" % (type(exc).__name__, exc)
    result = re.sub(r"0x[0-9a-f]{8,}", "0x?", result)    # (addresses of memory)
    print(re.sub(r"0x[0-9a-f]{8,}", "0x?", label), result, [str(w.message) for w in caught])

for name in "abcdegjklmqs":
    for v in values:
        show("p.%s = %r" % (name, v), lambda: setattr(p, name, v))
        show("p.%s" % name, lambda: getattr(p, name))
memory = ffi.new("char[256]")      # (a cast or an item keeps nothing alive in cffi: held)
name_pair, f_pair, bits_pair = (ffi.new("struct %s[2]" % n) for n in ("names", "f", "bits"))
for names in (ffi.new("struct names *"), ffi.cast("struct names *", memory),
              name_pair[1]):
    for field in ("name", "u", "sc", "tail"):
        for v in (b"", b"a", b"ab", b"abc", b"abcd", b"abcde", bytearray(b"a"), "a", [1, 2],
                  None, 5, b"\0\0"):
            show("names.%s = %r" % (field, v), lambda: (setattr(names, field, v),
                                                       list(getattr(names, field)), names.n))
released = memoryview(ba)
released.release()
views = [memoryview(ba), memoryview(ba)[::2], memoryview(ba)[2:6], memoryview(b""),
         memoryview(ba).cast("i"), memoryview(bytes(16)).cast("i", (2, 2)), released,
         memoryview(b"abcdefgh"), memoryview(ba)[::-1]]
for k, view in enumerate(views):
    for cdecl in ("char[]", "int[]", "int[2]", "int *", "uint8_t[]", "struct pt[]"):
        show("from_buffer %s view %d" % (cdecl, k), lambda: (
            ffi.from_buffer(cdecl, view), ffi.from_buffer(cdecl, view)[0]))
        show("from_buffer w %s view %d" % (cdecl, k), lambda: ffi.from_buffer(
            cdecl, view, require_writable=True))
held = memoryview(bytearray(4))
kept = ffi.from_buffer(held)
show("release a held view", lambda: held.release())
del kept
show("release it after", lambda: held.release())
svalues = [ffi.new("struct pt *", [7, 1.5])[0], pts[2], ffi.new("struct f *")[0], [5, 6.5],
           {"x": 9}, 5, None, pts]
for holder in [ffi.new("struct f *"), ffi.cast("struct f *", memory),
               f_pair[1]] + [ffi.cast("struct f *", 0)] * (not SAFE):
    for k, v in enumerate(svalues):
        show("f.t = %d" % k, lambda: (setattr(holder, "t", v), holder.t.x, holder.t.y))
        show("f.t read %d" % k, lambda: (holder.t, type(holder.t).__name__,
                                         holder.t == holder.t))
    show("f.t of a cast", lambda: ffi.cast("struct f *", holder).t.x)
lib = ffi.dlopen(None)
out = ffi.new("char[16]")
functions = [ffi.cast("fn_t", ffi.addressof(lib, "abs")),
             ffi.cast("int(*)(char *, size_t, const char *, ...)", ffi.addressof(lib, "snprintf"))]
for k, f in enumerate(functions + [ffi.cast("fn_t", 0)] * (not SAFE)):
    for args in [(-3,), (), (1, 2), ("a",), (None,), (2**40,), (out, 16, b"%d", ffi.cast("int", 5)),
                 (out, 16, b"x"), (out, 16)]:
        show("call %d %r" % (k, args), lambda: (f(*args), ffi.string(out)))
    show("call %d kw" % k, lambda: f(x=1))
    show("call %d twice" % k, lambda: (f(-4), f(-4)) if k == 0 else None)
bitvalues = [0, 1, -1, 2, 3, 7, 8, -64, 63, 64, 255, 2**39 - 1, -2**39, 2**39, 2**62,
             2**63 - 1, 2**63, True, 1.0, None, "1"]
for holder in [ffi.new("struct bits *"), ffi.cast("struct bits *", memory),
               bits_pair[1]] + [ffi.cast("struct bits *", 0)] * (not SAFE):
    for field in "abcdefghik" + "lm" * (not SAFE):     # (cffi's 64-bit stores corrupt memory)
        for v in bitvalues:
            show("bits.%s = %r" % (field, v), lambda: (setattr(holder, field, v),
                                                      getattr(holder, field), holder.j))
raw = ffi.cast("unsigned char *", memory)
for byte in (0x55, 0xff, 0x80):
    for i in range(ffi.sizeof("struct bits")):
        raw[i] = byte
    show("bits of %x" % byte, lambda: [getattr(ffi.cast("struct bits *", raw), f)
                                        for f in "abcdefghijk" + "lm" * (not SAFE)])
nodes = ffi.new("struct node[3]")
chars = ffi.new("char[]", b"abc")
nvalues = [nodes + 1, ffi.NULL, ffi.cast("void *", nodes), chars, ffi.cast("char *", 0),
           arrays["int"], pointers["int"], ffi.cast("int *", 3), ffi.cast("struct node *", 2),
           nodes, 0, None, 5, b"x", ffi.new_handle(1)]
for holder in [nodes[0], ffi.cast("struct node *", nodes), ffi.new("struct node *")] + \
        [ffi.cast("struct node *", 0)] * (not SAFE):
    for field in ("next", "s", "vp", "ip"):
        for k, v in enumerate(nvalues):
            show("node.%s = %d" % (field, k), lambda: (setattr(holder, field, v),
                                                      getattr(holder, field)))
            show("node.%s read %d" % (field, k), lambda: (
                type(getattr(holder, field)).__name__, bool(getattr(holder, field))))
show("node.next.next", lambda: ffi.cast("struct node *", nodes).next)
nodes[1].next = nodes + 2
nodes[2].v = 42
show("node chain", lambda: ffi.cast("struct node *", nodes)[1].next.v)
raw = ffi.cast("unsigned char *", ffi.addressof(p, "q"))
for byte in (0, 1, 2, 255):
    raw[0] = byte
    show("p.q of byte %d" % byte, lambda: p.q)
    show("cast p.q of byte %d" % byte, lambda: ffi.cast("struct f *", p).q)
for t in arrays:
    for i in indices:
        for v in values[::3]:
            show("%s a[%r] = %r" % (t, i, v), lambda: arrays[t].__setitem__(i, v))
        show("%s a[%r]" % (t, i), lambda: arrays[t][i])
    for i in inside:
        for v in values[::3]:
            show("%s p[%r] = %r" % (t, i, v), lambda: pointers[t].__setitem__(i, v))
        show("%s p[%r]" % (t, i), lambda: pointers[t][i])
    show("len %s" % t, lambda: len(arrays[t]))
    for i in indices + [slice(0, 1)]:
        show("%s del a[%r]" % (t, i), lambda: delete(arrays[t], i))
        show("%s del p[%r]" % (t, i), lambda: delete(pointers[t], i))
q = ffi.cast("struct pt *", pts)
for i in indices:
    show("pts[%r].x" % (i,), lambda: pts[i].x)
    show("q + %r" % (i,), lambda: (q + i) - q)
for i in inside:
    show("q[%r].y" % (i,), lambda: q[i].y)
for n in (0, 1, 3, 5, -1, 2**70, "2", True):
    show("unpack pts %r" % (n,), lambda: [(v.x, v.y, type(v).__name__) for v in ffi.unpack(pts, n)])
    show("unpack q %r" % (n,), lambda: [v.x for v in ffi.unpack(q, n)])
    show("unpack q + 1 %r" % (n,), lambda: [v.y for v in ffi.unpack(q + 1, min(n, 4))])
show("unpack null", lambda: ffi.unpack(ffi.cast("struct pt *", 0), 0))
show("q == q + 0", lambda: (q == q + 0, q != q + 1, bool(q), hash(q) == hash(q + 0)))
if not SAFE:
    show("null", lambda: ffi.cast("struct pt *", 0).x)
buf = ffi.buffer(arrays["int"])
for i in indices + [slice(1, 3), slice(None), slice(0, 8, 2)]:
    show("buf[%r]" % (i,), lambda: buf[i])
show("buffer", lambda: ffi.buffer(pointers["char"], 5)[:])
slices = [slice(0, 3), slice(1, 2), slice(3, 3), slice(0, 0), slice(-1, 2), slice(2, 1),
          slice(0, 4), slice(None, 2), slice(1, None), slice(0, 3, 1), slice(True, 2),
          slice(2**70, 2**70), slice(0, 2**70), slice("0", 1), slice(1.0, 2)]
for t in arrays:
    for r in slices:
        show("%s a[%r]" % (t, r), lambda: (arrays[t][r], list(arrays[t][r])))
        show("%s p[%r]" % (t, r), lambda: pointers[t][r])
    show("%s slice of slice" % t, lambda: list(arrays[t][1:3][0:2]))
    show("%s slice of cast" % t, lambda: list(ffi.cast(t + "[2]", arrays[t])[0:2]))
targets = [ffi.NULL, pts, pts + 1, ffi.cast("struct pt *", 1), ffi.cast("struct pt *", 8)]
for ptype in ("struct pt *", "int *", "char *", "void *", "double *", "fn_t",
              "struct pt **"):
    ptrs = ffi.new(ptype + "[5]")
    for k, target in enumerate(targets):
        show("%s[%d] = %r" % (ptype, k, target), lambda: ptrs.__setitem__(
            k, ffi.cast(ptype, target)))
    through = ffi.cast(ptype + " *", ptrs)
    for i in indices + [4, 5, -5, slice(0, 2)]:
        show("%s ptrs[%r]" % (ptype, i), lambda: (ptrs[i], type(ptrs[i]).__name__))
    for i in inside + [4, slice(0, 2)]:         # (no memory outside the array)
        show("%s through[%r]" % (ptype, i), lambda: (through[i], bool(through[i])))
    made = ffi.new(ptype + " *", ptrs[1])
    for i in indices:
        show("%s made[%r]" % (ptype, i), lambda: made[i])
    show("%s ptrs[1][0]" % ptype, lambda: ptrs[1][0])
    show("%s ptrs[1] == pts" % ptype, lambda: (ptrs[1] == pts, ptrs[0] == ffi.NULL))
    show("%s null through" % ptype, lambda: ffi.cast(ptype + " *", 0)[0])
one = ffi.new("struct pt *", [7, 1.5])
sources = [one[0], pts[1], ffi.new("struct f *")[0], [3, 2.5], {"y": 4.5}, 5, None, one,
           ffi.cast("struct pt *", 0)]
for k, source in enumerate(sources):
    for i in indices + [4, 5, slice(0, 1)]:
        show("pts[%r] = source %d" % (i, k), lambda: (pts.__setitem__(i, source), pts[i].x))
        made = ffi.new("struct pt *")
        show("made[%r] = source %d" % (i, k), lambda: (made.__setitem__(i, source), made.x))
    for i in inside + [4]:                      # (no memory outside the array)
        show("q[%r] = source %d" % (i, k), lambda: (q.__setitem__(i, source), q[i].y))
show("self copy", lambda: (one.__setitem__(0, one[0]), one.x, one.y))
died = []
for k, target in enumerate([arrays["int"], pointers["int"], p, pts, q, one, ffi.NULL,
                            ffi.cast("int", 5), ffi.cast("fn_t", 0), 5, None, b"x"]):
    for extra in [(), (0,), (100,), (-1,), (2**63,), ("x",), (1.0,)]:
        def made():
            kept = ffi.gc(target, died.append, *extra)
            return (kept, len(died), type(kept).__name__, kept == target)
        show("gc %d %r" % (k, extra), made)
        show("gc dead %d %r" % (k, extra), lambda: len(died))
    show("gc None %d" % k, lambda: ffi.gc(target, None))
    show("gc kw %d" % k, lambda: ffi.gc(cdata=target, destructor=died.append))
    show("gc released %d" % k, lambda: (ffi.release(ffi.gc(target, died.append)), len(died)))
    show("gc removed %d" % k, lambda: (ffi.gc(ffi.gc(target, died.append), None), len(died)))
kept = [ffi.gc(arrays["int"], died.append) for _ in range(3)]
del kept
show("gc dead after", lambda: len(died))
show("gc raising", lambda: ffi.gc(pts, lambda _: 1 / 0) is None)
objects = [ffi.new_handle(x) for x in (1, "a", None, pts)]
for k, h in enumerate(objects):
    for view in ("void *", "char *", "int *", "struct pt *"):
        show("from_handle %d %s" % (k, view), lambda: ffi.from_handle(ffi.cast(view, h)))
    show("from_handle %d" % k, lambda: ffi.from_handle(h))
    show("from_handle kw %d" % k, lambda: ffi.from_handle(x=h))
    show("handle ops %d" % k, lambda: (h + 1 - h, h == ffi.cast("void *", h), bool(h)))
    if not SAFE:
        show("handle item %d" % k, lambda: h[1])
stale = ffi.cast("void *", ffi.new_handle(7))
for x in (ffi.NULL, 5, None, pts, arrays["char"]) + (stale, ffi.cast("void *", 8)) * (not SAFE):
    show("from_handle %r" % (x,), lambda: ffi.from_handle(x))
show("new_handle kw", lambda: ffi.from_handle(ffi.new_handle(x=3)))
show("new_handle 0", lambda: ffi.new_handle())
show("new_handle 2", lambda: ffi.new_handle(1, 2))
ends = [arrays["int"], arrays["char"], pointers["short"], arrays["int"] + 1, p, pts, one,
        bytearray(6), b"abcdef", bytearray(b"xyz"), ffi.NULL, ffi.cast("int", 3), None, 5,
        ffi.buffer(arrays["int"]), memoryview(bytearray(8))]
for i, dest in enumerate(ends):
    for j, src in enumerate(ends):
        if dest is ffi.NULL and src is not ffi.NULL:
            continue                            # (a copy to NULL crashes, as in C)
        for n in (0, 3, 2**70, -1, 1.0):
            if src is ffi.NULL and n:
                continue
            show("memmove %d %d %r" % (i, j, n), lambda: (ffi.memmove(dest, src, n), bytes(
                ffi.buffer(arrays["int"])), bytes(ends[7]), bytes(ends[9])))
show("memmove kw", lambda: ffi.memmove(dest=arrays["int"], src=b"abcd", n=4))
show("memmove 2", lambda: ffi.memmove(arrays["int"], b"abcd"))
other = purecffi.FFI()
other.cdef("struct pt { short x; };")
for f in (ffi, other, purecffi.FFI()):     # (each ffi its own types)
    for cdecl in ("int *", "struct pt *", "struct pt[2]", "char[]", "int[]", "int[3]",
                  "double *", "_Bool *", "void *", "int", "struct nope *", "int[-1]", 5,
                  ffi.typeof("int *")):
        for init in (None, 5, -1, 2**40, 1.5, b"ab", "ab", [1, 2], (3,), {"x": 1}, ba):
            show("new %r %r" % (cdecl, init), lambda: f.new(cdecl, init))
            show("cast %r %r" % (cdecl, init), lambda: f.cast(cdecl, init))
        show("typeof %r" % (cdecl,), lambda: f.typeof(cdecl))
        show("sizeof %r" % (cdecl,), lambda: f.sizeof(cdecl))
        show("from_buffer %r" % (cdecl,), lambda: f.from_buffer(cdecl, ba))
    show("new()", lambda: f.new())
    show("new kw", lambda: f.new(cdecl="int *", init=3)[0])
    show("new 3 args", lambda: f.new("int *", 1, 2))
    show("cast kw", lambda: f.cast(cdecl="int", source=3))
    show("typeof cdata", lambda: f.typeof(pts))
    show("sizeof cdata", lambda: (f.sizeof(pts), f.sizeof(p), f.sizeof(arrays["char"])))
    show("typeof kw", lambda: f.typeof(cdecl="int"))
    show("typeof 0", lambda: f.typeof())
    for source in (ba, b"abc", bytearray(), memoryview(b"xy"), "str", 5, None):
        label = type(source).__name__
        show("from_buffer %s" % label, lambda: f.from_buffer(source))
        show("from_buffer w %s" % label, lambda: f.from_buffer(source, require_writable=True))
    for data in (arrays["char"], p, pts, f.new("char[]", b"abc"), f.new("int[3]", [1, 2, 3]),
                 f.cast("char *", 0), 5, b"x"):
        show("string %r" % (data,), lambda: f.string(data))
        show("string 2 %r" % (data,), lambda: f.string(data, 2))
        show("unpack %r" % (data,), lambda: f.unpack(data, 2))
    show("unpack kw", lambda: f.unpack(arrays["int"], length=2))
print("done")
"""


@needs_build
def test_inline_programs_give_the_same_results_with_and_without_it():
    fast = run_python(INLINE_GRID)
    plain = run_python(INLINE_GRID, pure=True)
    assert fast[-1] == "done" and len(fast) > 1000
    differing = [(a, b) for a, b in zip(plain, fast) if a != b]
    assert len(plain) == len(fast) and not differing, differing[:10]


# labels of the grid's lines where purecffi differs from cffi on purpose (docs/design.md): a
# cdecl that is no type (ffi.new(5)...) and ffi.cast(T, None) have messages that say what
# is wrong; the class of what ffi.gc() returns is named as any cdata's
DOCUMENTED = re.compile(r"(new|cast|from_buffer) 5 |cast .* None |gc \d+ ")


@needs_build
@needs_cffi
def test_inline_programs_give_what_cffi_gives():
    safe = INLINE_GRID.replace("SAFE = False", "SAFE = True")
    ours = run_python(safe)
    theirs = run_python(safe.replace("import purecffi, re,", "import cffi as purecffi, re,"))
    assert ours[-1] == "done" and len(ours) == len(theirs)
    differing = [(a, b) for a, b in zip(theirs, ours) if a != b and not DOCUMENTED.match(a)]
    assert not differing, differing[:10]


LENT = """
import purecffi
from purecffi import FFI

class Mine(FFI):
    def new(self, cdecl, init=None):
        return "mine"

ffi = FFI()
print(" ".join(type(FFI.__dict__[name]).__name__ for name in (
    "new", "cast", "from_buffer", "string", "unpack", "typeof", "sizeof")))
print(Mine().new("int *"), Mine().cast("int", 7), type(ffi.new).__name__,
      ffi.new.__self__ is ffi, FFI.new(ffi, "int *", 4)[0])
"""


@needs_build
def test_the_ffi_methods_are_c_for_every_ffi_but_a_subclass_keeps_its_own():
    assert run_python(LENT) == ["method_descriptor" + " method_descriptor" * 6,
                                "mine <cdata 'int' 7> builtin_function_or_method True 4"]
    assert run_python(LENT, pure=True)[0] == "function" + " function" * 2 + " staticmethod" * 2 + \
        " function" * 2


@pytest.mark.slow
def test_a_build_without_a_c_compiler_still_installs(tmp_path):
    """The extension is optional: with a C compiler that fails, setup.py still succeeds and
    leaves the module out; with PURECFFI_PURE=1 it does not even try; with a compiler, it
    is built.  (setup.py alone: pyproject.toml's metadata needs a newer setuptools than
    the one the test environment may have; pip's isolated builds fetch it.)"""
    checkout = tmp_path / "checkout"
    shutil.copytree(os.path.join(REPO, "src"), checkout / "src",
                    ignore=shutil.ignore_patterns("*.so", "__pycache__", "*.egg-info"))
    shutil.copy(os.path.join(REPO, "setup.py"), checkout)
    for extra, tried in (({"CC": "false", "LDSHARED": "false"}, True),
                         ({"PURECFFI_PURE": "1"}, False)):
        env = dict(os.environ, **extra)
        proc = subprocess.run([sys.executable, "setup.py", "build_ext", "-b", "out"],
                              cwd=checkout, env=env, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert not list(checkout.glob("**/_speedups*.so"))
        assert ("_speedups" in proc.stdout + proc.stderr) == tried
    if shutil.which("cc") or shutil.which("gcc"):
        proc = subprocess.run([sys.executable, "setup.py", "build_ext", "-b", "out"],
                              cwd=checkout, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert len(list(checkout.glob("**/_speedups*.so"))) == 1
