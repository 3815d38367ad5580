"""API mode: structs and unions passed and returned by value (taken and made in C by the fast
wrappers when the argument is a cdata of exactly the type) behave as the generic route does,
and as cffi."""
import gc
import shutil
import sys

import pytest

from _backend import IS_CFFI
from conftest import build_api_module, gil_build_only, python_calls, run_together

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_TYPES = """
    struct point { int x; double y; };
    struct tiny { char c; };
    struct big { int items[25]; long long tail; };
    union num { int i; float f; };
    typedef struct { short a, b; struct point *where; } anon_t;
    struct outer { struct point p; struct tiny t; };
    struct mixed { _Bool b; float f; unsigned char u; signed char s; long long ll; };
"""

_CDEF = _TYPES + """
    double mixed_sum(struct mixed);
    int sum_point(struct point);
    struct point make_point(int, double);
    struct point moved(struct point, int, struct point);
    int tiny_code(struct tiny);
    struct tiny make_tiny(char);
    long long big_total(struct big);
    struct big make_big(int);
    int num_bits(union num);
    union num num_of(int);
    int anon_sum(anon_t);
    anon_t anon_make(short, short, struct point *);
    int outer_sum(struct outer);
    struct outer outer_make(int);
    void by_value_void(struct point);
    double complex_real(double _Complex);
"""

_SOURCE = _TYPES + """
    static double mixed_sum(struct mixed m) { return m.b + m.f + m.u + m.s + m.ll; }
    static int sum_point(struct point p) { return p.x + (int)p.y; }
    static struct point make_point(int x, double y) { struct point p = {x, y}; return p; }
    static struct point moved(struct point p, int dx, struct point q)
    { p.x += dx + q.x; p.y += q.y; return p; }
    static int tiny_code(struct tiny t) { return t.c; }
    static struct tiny make_tiny(char c) { struct tiny t = {c}; return t; }
    static long long big_total(struct big b)
    { long long t = b.tail; int i; for (i = 0; i < 25; i++) t += b.items[i]; return t; }
    static struct big make_big(int n)
    { struct big b; int i; for (i = 0; i < 25; i++) b.items[i] = n + i; b.tail = -n; return b; }
    static int num_bits(union num u) { return u.i; }
    static union num num_of(int i) { union num u; u.i = i; return u; }
    static int anon_sum(anon_t a) { return a.a + a.b + (a.where ? a.where->x : 0); }
    static anon_t anon_make(short a, short b, struct point *w) { anon_t r = {a, b, w}; return r; }
    static int outer_sum(struct outer o) { return o.p.x + (int)o.p.y + o.t.c; }
    static struct outer outer_make(int n)
    { struct outer o = {{n, n / 2.0}, {(char)n}}; return o; }
    static int last_x;
    static void by_value_void(struct point p) { last_x = p.x; }
    static double complex_real(double _Complex z) { return __real__ z; }
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("byvalue"), "_api_byvalue", _CDEF, _SOURCE)


def test_struct_arguments_of_every_shape(mod):
    ffi, lib = mod.ffi, mod.lib
    p = ffi.new("struct point *", [3, 4.5])
    for _ in range(3):                  # the first call and the later ones
        assert lib.sum_point(p[0]) == 7
        assert lib.tiny_code(ffi.new("struct tiny *", [b"A"])[0]) == 65
        big = ffi.new("struct big *", {"items": list(range(25)), "tail": 10 ** 12})
        assert lib.big_total(big[0]) == 300 + 10 ** 12
        assert lib.num_bits(ffi.new("union num *", [123])[0]) == 123
        assert lib.anon_sum(ffi.new("anon_t *", [1, 2, p])[0]) == 6
        assert lib.outer_sum(ffi.new("struct outer *", [[1, 2.0], [b"\x03"]])[0]) == 6
        points = ffi.new("struct point[3]", [[1, 1.0], [2, 2.0], [3, 3.0]])
        assert [lib.sum_point(points[i]) for i in range(3)] == [2, 4, 6]
        assert lib.sum_point(lib.make_point(5, 1.0)) == 6       # a result as an argument
        assert lib.by_value_void(p[0]) is None


def test_struct_arguments_mixed_with_others(mod):
    ffi, lib = mod.ffi, mod.lib
    p, q = ffi.new("struct point *", [1, 0.5]), ffi.new("struct point *", [10, 0.25])
    r = lib.moved(p[0], 100, q[0])
    assert (r.x, r.y) == (111, 0.75)
    assert (p.x, p.y) == (1, 0.5)       # passed by value: the caller's copy is unchanged


def test_initializers_take_the_generic_route(mod):
    """What is not a cdata of exactly the type (a list, a dict) is converted as ffi.new()
    would, as cffi does."""
    ffi, lib = mod.ffi, mod.lib
    assert lib.sum_point([1, 2.0]) == 3
    assert lib.sum_point({"x": 4, "y": 1.0}) == 5
    assert lib.num_bits([7]) == 7
    assert lib.big_total({"items": [1] * 25, "tail": 5}) == 30


def test_initializers_of_every_kind(mod):
    """Initializers converted for the call: each call gets its own copy, and the argument
    objects are left as they were."""
    import collections
    ffi, lib = mod.ffi, mod.lib
    Pair = collections.namedtuple("Pair", "x y")
    for _ in range(3):
        assert lib.sum_point((2, 3.0)) == 5
        assert lib.sum_point(Pair(4, 1.5)) == 5
        assert lib.sum_point([True, 1]) == 2
        assert lib.tiny_code([b"B"]) == 66
        assert lib.anon_sum([1, 2, ffi.NULL]) == 3
        assert lib.outer_sum([[1, 1.0], [b"\x01"]]) == 3
        r = lib.moved([1, 0.5], 2, {"x": 3, "y": 0.5})
        assert (r.x, r.y) == (6, 1.0)
    init = [1, 2.0]
    lib.sum_point(init)
    assert init == [1, 2.0]


@pytest.mark.parametrize("init, expected", [
    ([True, 1.5, 255, -128, 2 ** 20], 1 + 1.5 + 255 - 128 + 2 ** 20),
    ((False, 0.25, 0, 127, -1), 0.25 + 127 - 1),
    ({"b": 1, "f": 2, "u": 3, "s": 4, "ll": 5}, 15),
    ({"ll": 5, "s": 4, "u": 3, "f": 2, "b": 1}, 15),
    ([0, 1e300, 0, 0, 0], float("inf")),               # a float field rounds as C does
    ([0, 1.0, 0, 0, 0.5], TypeError),
    ([2, 0, 0, 0, 0], OverflowError),                   # _Bool: 0 or 1 only
    ([0, 0, 256, 0, 0], OverflowError),
    ([0, 0, 0, -129, 0], OverflowError),
    ([0, 0, 0, 0, 2 ** 63], OverflowError),
    ([0, "x", 0, 0, 0], TypeError),
    ([0, 0, 0, 0, 0, 0], IndexError),
])
def test_packed_initializers_convert_as_cffi(mod, init, expected):
    """A list, tuple or dict of numbers for a struct of numbers is packed at once; what it
    does not take is converted the checked way, with the same result or error as cffi."""
    lib = mod.lib
    if isinstance(expected, type):
        with pytest.raises((expected, ValueError) if expected is IndexError else expected):
            lib.mixed_sum(init)
    else:
        assert lib.mixed_sum(init) == expected
        assert lib.mixed_sum(init) == expected          # (the prepared route too)


@pytest.mark.parametrize("call, error", [
    ("lib.moved(None, 2 ** 40, q)", TypeError),         # the first argument's error first
    ("lib.moved([1, 2.0], 2 ** 40, q)", OverflowError),
    ("lib.moved([1, 2.0], 1, [1, 2, 3])", ValueError),
    ("lib.moved([1, 'x'], 1, q)", TypeError),
    ("lib.moved(q, 'x', q)", TypeError),
    ("lib.sum_point([2 ** 40, 1.0])", OverflowError),
    ("lib.sum_point({'z': 1})", KeyError),
])
def test_refused_initializers_raise_as_cffi(mod, call, error):
    ffi, lib = mod.ffi, mod.lib
    q = ffi.new("struct point *")[0]
    with pytest.raises(error):
        eval(call)


@pytest.mark.parametrize("call, error, message", [
    ("lib.sum_point(p)", TypeError,
     "initializer for ctype 'struct point' must be a list or tuple or dict or struct-cdata, "
     "not cdata 'struct point *'"),
    ("lib.sum_point(None)", TypeError,
     "initializer for ctype 'struct point' must be a list or tuple or dict or struct-cdata, "
     "not NoneType"),
    ("lib.sum_point(ffi.new('struct tiny *')[0])", TypeError,
     "initializer for ctype 'struct point' must be a list or tuple or dict or struct-cdata, "
     "not cdata 'struct tiny'"),
    ("lib.sum_point(p[0], 1)", TypeError, None),
    ("lib.sum_point()", TypeError, None),
])
def test_refused_arguments_keep_their_errors(mod, call, error, message):
    ffi, lib = mod.ffi, mod.lib
    p = ffi.new("struct point *")
    with pytest.raises(error) as info:
        eval(call)
    if message is not None:
        assert str(info.value) == message
    assert info.value.__cause__ is None and info.value.__context__ is None


def test_struct_results(mod):
    ffi, lib = mod.ffi, mod.lib
    for _ in range(3):
        p = lib.make_point(7, 2.5)
        assert ffi.typeof(p) is ffi.typeof("struct point")
        assert (p.x, p.y) == (7, 2.5)
        assert repr(p) == "<cdata 'struct point' owning %d bytes>" % ffi.sizeof("struct point")
        assert lib.make_tiny(b"z").c == b"z"
        big = lib.make_big(3)
        assert list(big.items) == list(range(3, 28)) and big.tail == -3
        assert lib.num_of(-5).i == -5
        a = lib.anon_make(1, 2, ffi.NULL)
        assert (a.a, a.b, a.where) == (1, 2, ffi.NULL)
        o = lib.outer_make(4)
        assert (o.p.x, o.p.y, o.t.c) == (4, 2.0, b"\x04")
    assert lib.make_point(True, 1).x == 1       # the generic route gives the same


def test_struct_results_are_fresh_copies(mod):
    ffi, lib = mod.ffi, mod.lib
    a, b = lib.make_point(1, 1.0), lib.make_point(1, 1.0)
    assert ffi.addressof(a) != ffi.addressof(b)
    a.x = 50
    assert b.x == 1 and a.x == 50
    address = int(ffi.cast("intptr_t", ffi.addressof(a)))
    assert address % ffi.alignof("struct point") == 0
    big = lib.make_big(1)
    assert int(ffi.cast("intptr_t", ffi.addressof(big))) % ffi.alignof("struct big") == 0
    assert bytes(ffi.buffer(ffi.addressof(big))) == bytes(ffi.buffer(
        ffi.new("struct big *", big)))


def test_struct_results_outlive_their_call(mod):
    ffi, lib = mod.ffi, mod.lib
    kept = [lib.make_big(i) for i in range(50)]
    lib.make_big(99)
    assert [k.items[24] for k in kept] == [i + 24 for i in range(50)]


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi internals: the C route of its fast wrappers")
def test_struct_arguments_run_no_python_code(mod):
    ffi, lib = mod.ffi, mod.lib
    p = ffi.new("struct point *", [1, 1.0])
    s = p[0]
    big = ffi.new("struct big *")[0]
    lib.sum_point(s)
    lib.moved(s, 1, s)      # (its result's plan is made at its first call)
    results, calls = python_calls(lambda: [lib.sum_point(s), lib.big_total(big),
                                           lib.moved(s, 1, s)])
    assert results[:2] == [2, 0] and results[2].x == 3
    assert calls == []                  # moved()'s struct result is made in C too


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi internals: its result makers")
def test_struct_results_made_as_the_runtime_makes_them(mod):
    """The C code makes a struct result's cdata of the class the Python result maker gives,
    with its type, an address of its own, its memory kept, and no reference leaked; a type
    given a new runtime gives results of the new runtime's class."""
    from purecffi.apifunctions import result_plan, struct_result_maker
    ffi, lib = mod.ffi, mod.lib
    for name, args in [("make_point", (1, 2.0)), ("make_tiny", (b"a",)), ("make_big", (2,)),
                       ("num_of", (3,)), ("anon_make", (1, 2, ffi.NULL)), ("outer_make", (5,))]:
        got = getattr(lib, name)(*args)
        ctype = ffi.typeof(got)
        expected = struct_result_maker(ctype)(bytes(ffi.buffer(ffi.addressof(got))))
        assert type(got) is type(expected), name
        assert bytes(ffi.buffer(ffi.addressof(got))) == bytes(ffi.buffer(ffi.addressof(expected)))
        assert type(got._keep) is type(expected._keep)
    ctype = ffi.typeof("struct point")
    point = lib.make_point(1, 1.0)
    # the memory ffi.new() gives a struct: its fields are read without a Python frame
    assert type(point) is type(ffi.new("struct point *")[0])
    values, calls = python_calls(lambda: (point.x, point.y, lib.make_point(2, 3.0).x))
    assert values == (1, 1.0, 2) and calls == []
    old_rt, old_class = ctype._rt, type(point)
    ctype._rt = None
    point = lib.make_point(8, 0.5)
    assert ctype._rt is not None and ctype._rt is not old_rt
    assert type(point) is result_plan(ctype)[2] and type(point) is not old_class
    assert (point.x, point.y) == (8, 0.5)
    before = sys.getrefcount(ctype)
    for _ in range(1000):
        lib.make_point(1, 1.0)
    assert sys.getrefcount(ctype) - before < 10


def test_no_reference_leaks(mod):
    ffi, lib = mod.ffi, mod.lib
    s = ffi.new("struct point *", [1, 1.0])[0]
    ctype = ffi.typeof("struct point")
    lib.sum_point(s), lib.make_point(1, 1.0)
    init = [1, 1.0]
    lib.sum_point(init), lib.moved(init, 1, s)
    gc.collect()
    before = sys.getrefcount(s), sys.getrefcount(ctype), sys.getrefcount(init)
    for _ in range(1000):
        lib.sum_point(s)
        lib.make_point(1, 1.0)
        lib.sum_point(init)
        lib.moved(init, 1, s)
        with pytest.raises(OverflowError):
            lib.moved(init, 2 ** 40, s)
    gc.collect()                # (the tracebacks of the errors hold the arguments in cycles)
    assert sys.getrefcount(s) == before[0] and sys.getrefcount(init) == before[2]
    assert sys.getrefcount(ctype) - before[1] < 10


def test_from_threads_at_once(mod):
    ffi, lib = mod.ffi, mod.lib

    def work(i):
        p = lib.make_point(i, 0.5)
        return lib.sum_point(p), lib.moved(p, i, p).x
    assert run_together(work) == [(i, 3 * i) for i in range(8)]


def test_complex_arguments_still_work(mod):
    lib = mod.lib
    assert lib.complex_real(3 + 4j) == 3.0


@pytest.mark.skipif(IS_CFFI, reason="cffi passes whatever its stack held for the fields an "
                    "initializer leaves out (docs/design.md)")
def test_fields_an_initializer_leaves_out_are_zero(mod):
    lib = mod.lib
    assert lib.mixed_sum([0, 0, 0, 0]) == 0
    assert lib.mixed_sum({"ll": 3}) == 3
    assert lib.sum_point([5]) == 5
