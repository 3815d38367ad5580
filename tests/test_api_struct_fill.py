"""API mode: a struct passed by value as a list or tuple (`lib.f([3.0, 4.0])`).

The fast wrappers fill structs of plain-number fields in C (build/api_struct_fill.py); every
outcome must be the one the runtime's initializer gives (`ffi.new("struct s *", init)`), its
errors included, for each shape of struct and each kind of item.
"""
import collections
import gc
import shutil

import pytest

from _backend import IS_CFFI
from conftest import build_api_module, gil_build_only, python_calls

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_CDEF = """
struct vec { double x, y; };
struct iv { int a; unsigned char b; long long c; float f; };
struct part { long b; ...; };
typedef struct { unsigned short u; int8_t i; } anon_t;
struct bf { int a:3; int b; };
struct vec vec_id(struct vec v);
struct iv iv_id(struct iv v);
struct part part_id(struct part v);
anon_t anon_id(anon_t v);
struct bf bf_id(struct bf v);
double two(struct vec a, struct iv b);
"""
_SOURCE = """
struct vec { double x, y; };
struct iv { int a; unsigned char b; long long c; float f; };
struct part { int first; long b; char pad[3]; };
typedef struct { unsigned short u; int8_t i; } anon_t;
struct bf { int a:3; int b; };
static struct vec vec_id(struct vec v) { return v; }
static struct iv iv_id(struct iv v) { return v; }
static struct part part_id(struct part v) { return v; }
static anon_t anon_id(anon_t v) { return v; }
static struct bf bf_id(struct bf v) { return v; }
static double two(struct vec a, struct iv b) { return a.x + a.y + b.a + b.b + b.c + b.f; }
"""

# a struct with a `const` member (which cffi's C++ wrappers cannot take by value: they
# default-construct a local of its type)
_CONST_CDEF = """
struct cf { const int a; short b; };
long long cf_digest(struct cf v);
"""
_CONST_SOURCE = """
struct cf { const int a; short b; };
static long long cf_digest(struct cf v) { return v.a * 100000LL + v.b; }
"""

_Pair = collections.namedtuple("_Pair", "p q")


class _List(list):
    pass


_INITS = [[], [1], [1, 2], (1, 2), _Pair(3, 4), _List([5, 6]), [1.5, 2], [True, 1],
          [2**31, 0], [-1, -1], [1, 256], ["a"], [None], [1, 2, 3, 4, 5], [2**1100],
          [1e300, 1e300, 1e300, 1e300], [2**63 - 1] * 4, [-(2**63)] * 4, [2**64],
          [0, 255, -5, -1.5], [40000, -128], [65535, 127], [65536], [0, 128], (7,), {"x": 1},
          [float("inf"), float("-inf")], [1, b"x"], 5]

# type, its identity function (or digest) in C, the same of a cdata in Python
_CASES = [("struct vec", "vec_id", None), ("struct iv", "iv_id", None),
          ("struct cf", "cf_digest", lambda s: s.a * 100000 + s.b),
          ("struct part", "part_id", None), ("anon_t", "anon_id", None),
          ("struct bf", "bf_id", None)]


@pytest.fixture(scope="module", params=[".c", ".cpp"])
def mod(request, tmp_path_factory):
    if request.param == ".cpp" and shutil.which("g++") is None:
        pytest.skip("needs g++")
    const = not (IS_CFFI and request.param == ".cpp")
    return build_api_module(tmp_path_factory.mktemp("fill"), "_api_fill" + request.param[1:],
                            _CDEF + _CONST_CDEF * const, _SOURCE + _CONST_SOURCE * const,
                            source_extension=request.param)


def _outcome(work):
    try:
        return repr(work())
    except Exception as exc:
        return "%s: %s" % (type(exc).__name__, exc)


@pytest.mark.parametrize("ctype, function, digest", _CASES)
def test_list_and_tuple_arguments_are_what_the_initializer_makes(mod, ctype, function, digest):
    ffi, lib = mod.ffi, mod.lib
    if not hasattr(lib, function):
        pytest.skip("cffi's C++ wrappers cannot take this struct by value")
    names = [name for name, _ in ffi.typeof(ctype).fields]
    read = digest or (lambda s: tuple(getattr(s, name) for name in names))
    for init in _INITS:
        if IS_CFFI and isinstance(init, (list, tuple, dict)) and len(init) < len(names):
            continue        # (cffi leaves the fields a short list omits uninitialised)
        expected = _outcome(lambda: read(ffi.new(ctype + " *", init)[0]))
        got = _outcome(lambda: read(getattr(lib, function)(init)) if digest is None
                       else getattr(lib, function)(init))
        assert got == expected, init


def test_errors_come_in_argument_order(mod):
    lib = mod.lib
    assert lib.two([1, 2], (3, 4, 5, 6.5)) == 21.5
    with pytest.raises(TypeError, match="must be real number, not str"):
        lib.two([1, "x"], (3, "y"))
    with pytest.raises(TypeError, match="an integer is required"):
        lib.two([1, 2], (3.5, 4))
    with pytest.raises(ValueError, match="too many initializers for 'struct vec' .got 3."):
        lib.two([1, 2, 3], (3, 4))


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi's C route for struct arguments")
def test_lists_and_tuples_of_numbers_run_no_python_code(mod):
    lib = mod.lib
    lib.vec_id([1.0, 2.0])
    pair, numbers = _Pair(7, -8), _List([1, 2])
    results, calls = python_calls(lambda: (lib.vec_id([1.0, 2]).y, lib.iv_id((1, 2, 3, 4.5)).f,
                                           lib.anon_id(pair).i, lib.cf_digest([3, 4]),
                                           lib.two(numbers, (3,))))
    assert results == (2.0, 4.5, -8, 300004, 6.0)
    assert calls == []


_LIST_CDEF = "long total(short *p, int n); long pair(short *p, short *q, int n);"
_LIST_SOURCE = """
static long total(short *p, int n) { long s = 0; int i; for (i = 0; i < n; i++) s += p[i]; return s; }
static long pair(short *p, short *q, int n) { return total(p, n) * 1000 + total(q, n); }
"""


def test_temporary_arrays_of_lists_are_freed(tmp_path):
    """A list for a `T *` parameter becomes a temporary array for the call, freed whatever
    happens: after the call, when an item is refused, and when a later argument is."""
    import tracemalloc
    mod = build_api_module(tmp_path, "_api_list_free", _LIST_CDEF, _LIST_SOURCE)
    lib = mod.lib
    cases = [(lambda: lib.total([1, 2, 3], 3), 6), (lambda: lib.total((4,) * 50, 50), 200),
             (lambda: lib.pair([1, 2], (3, 4), 2), 3007),
             (lambda: lib.total([1] * 99 + ["x"], 2), TypeError),
             (lambda: lib.total([1] * 99 + [2 ** 15], 2), OverflowError),
             (lambda: lib.total([1] * 100, 2 ** 40), OverflowError),
             (lambda: lib.pair([1] * 100, [3] * 99 + [None], 2), TypeError)]

    def run(count):
        for work, expected in cases:
            for _ in range(count):
                try:
                    assert work() == expected
                except Exception as exc:        # (no pytest.raises: it keeps tracebacks)
                    assert type(exc) is expected
        gc.collect()
    run(50)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        run(2000)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 64 * 1024     # (a leak: 2000 blocks of 6 to 200 bytes for each case)


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi's C route for list arguments")
def test_lists_of_numbers_for_pointers_run_no_python_code(tmp_path):
    lib = build_api_module(tmp_path, "_api_list_c", _LIST_CDEF, _LIST_SOURCE).lib
    lib.total([1], 1)
    numbers = [5, 6, 7]
    results, calls = python_calls(lambda: (lib.total(numbers, 3), lib.pair((1,), [2], 1)))
    assert results == (18, 1002) and calls == []
