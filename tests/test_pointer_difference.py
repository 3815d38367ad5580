"""`p - q` between pointers and arrays, and `ffi.unpack()` of struct, union and pointer items
(spec 7.2: pointer arithmetic as in C; `unpack` gives a list of views of the items).

Each case is compared with cffi (the result, or the exception's type and message, addresses
left out); the whole grid runs twice, so that what the first subtraction or unpack files on a
class (the decayed pointer type of an array) is also checked in use.  Skipped when cffi is
not installed.
"""
import pytest

from _backend import FFI
from conftest import normalised

cffi = pytest.importorskip("cffi")

_CDEF = """
struct pt { int x; double y; };
union u { int i; char c[3]; };
char *strchr(const char *, int);
"""
_SETUP = """
buf = ffi.new("char[]", b"hello world")
cbuf = ffi.cast("const char *", buf)
ints = ffi.new("int[10]", list(range(10)))
ints2 = ffi.new("int[4]")
shorts = ffi.new("short[10]")
pts = ffi.new("struct pt[5]")
us = ffi.new("union u[3]")
pps = ffi.new("struct pt *[4]", [pts, pts + 1, ffi.NULL, pts + 4])
found = lib.strchr(buf, ord("w"))
ip = ffi.cast("int *", ints) + 3
vp = ffi.cast("void *", ints)
odd = ffi.cast("int *", ffi.cast("char *", ints) + 2)
"""
_EXPRESSIONS = [
    "found - buf", "buf - found", "(found - 1) - buf", "found - cbuf", "cbuf - buf",
    "ip - ints", "ints - ip", "(ints + 9) - ints", "ints - ints", "ip - shorts",
    "ip - ip", "(ip + 2) - ip", "odd - ints", "ip - vp", "vp - ints", "ip - pts",
    "(pts + 4) - pts", "ffi.addressof(pts, 2) - pts", "(us + 1) - us", "pps[3] - pts",
    "(pps + 2) - pps", "ip - 2", "ip - ffi.cast('int', 1)", "ip - None", "ip - 1.5",
    "ffi.NULL - buf", "ffi.cast('char *', 0) - buf == -int(ffi.cast('intptr_t', buf))",
    "ffi.cast('int *', 0) - ints == -int(ffi.cast('intptr_t', ints)) // 4",
    "(ip - ints2) * 4 == int(ffi.cast('intptr_t', ip)) - int(ffi.cast('intptr_t', ints2))",
    "ffi.unpack(pts, 3)", "ffi.unpack(pts + 2, 3)", "ffi.unpack(pts, 0)", "ffi.unpack(us, 3)",
    "ffi.unpack(pps, 4)", "ffi.unpack(pps, 0)", "ffi.unpack(ffi.cast('struct pt *', 0), 1)",
    "ffi.unpack(pts, -1)", "ffi.unpack(pts, 2**63)", "ffi.unpack(pts, 1.0)",
    "ffi.unpack(ffi.new('struct pt *'), 1)", "ffi.unpack(pts[1], 1)",
    "ffi.unpack(ffi.new('struct pt **'), 1)", "ffi.unpack(ffi.new('int(**)(int)'), 1)",
    "[(ffi.addressof(s) - pts, s.x) for s in ffi.unpack(pts, 5)]",
    "[p - pts if p else None for p in ffi.unpack(pps, 4)]",
]


def _outcome(module, expression, namespace):
    try:
        result = eval(expression, namespace)
    except Exception as exc:        # the outcome compared: type and message
        return type(exc).__name__, normalised(str(exc))
    return "ok", normalised(repr(result))


def _outcomes(module):
    ffi = module.FFI()
    ffi.cdef(_CDEF)
    namespace = {"ffi": ffi, "lib": ffi.dlopen(None)}
    exec(_SETUP, namespace)
    return [[_outcome(module, e, namespace) for e in _EXPRESSIONS] for _ in range(2)]


class _Purecffi:
    FFI = FFI


def test_pointer_differences_and_unpacked_views_are_cffi_s():
    ours, theirs = _outcomes(_Purecffi), _outcomes(cffi)
    differences = [(e, a, b) for rounds in zip(ours, theirs) for e, a, b in
                   zip(_EXPRESSIONS, *rounds) if a != b]
    assert not differences
    assert ours[0] == ours[1]
    outcome = dict(zip(_EXPRESSIONS, ours[0]))
    assert outcome["found - buf"] == ("ok", "6") and outcome["ip - ints"] == ("ok", "3")


def test_unpacked_structs_are_views_of_the_items(ffi):
    ffi.cdef(_CDEF)
    pts = ffi.new("struct pt[3]")
    views = ffi.unpack(pts, 3)
    pts[2].x = 7
    views[1].y = 2.5
    assert [v.x for v in views] == [0, 0, 7] and pts[1].y == 2.5
    assert [ffi.addressof(v) - pts for v in views] == [0, 1, 2]


def test_first_item_of_a_new_struct_pointer_is_kept(ffi):
    ffi.cdef(_CDEF)
    p = ffi.new("struct pt *")
    first = p[0]
    assert p[0] is first and p[False] is first
    first.x = 4
    assert p.x == 4
