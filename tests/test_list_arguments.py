"""A list or tuple passed for a `T *` parameter (spec 7.2, note [1]: `T *` is `T[]` there): a
temporary array of its items for the call, with the initializer's errors.

Each case calls a C function reading the `n` items it is given, for every kind of item type
and a grid of values, in-line ABI and API mode, and compares what a program sees (the result,
or the exception's type and message) with cffi's.  Skipped when cffi is not installed.
"""
import collections
import shutil

import pytest

from _backend import FFI
from conftest import build_api_module, build_shared_library, import_built, normalised

cffi = pytest.importorskip("cffi")

_TYPES = {"sc": "signed char", "uc": "unsigned char", "s": "short", "us": "unsigned short",
          "i": "int", "ui": "unsigned int", "l": "long", "ul": "unsigned long",
          "ll": "long long", "b": "_Bool", "e": "enum e", "d": "double", "f": "float",
          "ch": "char", "wc": "wchar_t"}
_C = """
#include <wchar.h>
enum e { A, B = 5, C = -3 };
struct pt { int x, y; };
#define SUM(name, T) long long name(T *p, int n) \\
    { long long s = 0; int i; for (i = 0; i < n; i++) s = s * 31 + (long long)p[i]; return s; }
%s
double sum_fl(float *p, int n) { double s = 0; int i; for (i = 0; i < n; i++) s = s * 2 + p[i]; return s; }
double sum_db(double *p, int n) { double s = 0; int i; for (i = 0; i < n; i++) s = s * 2 + p[i]; return s; }
long long sum_pt(struct pt *p, int n)
{ long long s = 0; int i; for (i = 0; i < n; i++) s = s * 1000 + p[i].x * 10 + p[i].y; return s; }
long long sum_pp(int **p, int n)
{ long long s = 0; int i; for (i = 0; i < n; i++) s = s * 31 + (p[i] ? *p[i] : -1); return s; }
""" % "\n".join("SUM(sum_%s, %s)" % (k, t) for k, t in _TYPES.items() if k not in ("d", "f"))
_CDEF = """
enum e { A, B = 5, C = -3 };
struct pt { int x, y; };
%s
double sum_fl(float *p, int n);
double sum_db(double *p, int n);
long long sum_pt(struct pt *p, int n);
long long sum_pp(int **p, int n);
""" % "\n".join("long long sum_%s(%s *p, int n);" % (k, t) for k, t in _TYPES.items()
                if k not in ("d", "f"))
_FUNCTIONS = ["sum_%s" % k for k in _TYPES if k not in ("d", "f")] + [
    "sum_fl", "sum_db", "sum_pt", "sum_pp"]

_Pair = collections.namedtuple("_Pair", "a b")
# (the value passed, its Python expression: each side evaluates it with its own ffi)
_VALUES = ["[]", "[1]", "[1, 2, 3]", "(4, 5)", "[0, -1]", "[255, 256]", "[127, 128, -128, -129]",
           "[2**31, 2**32]", "[2**63 - 1, 2**63]", "[-2**63, -2**63 - 1]", "[1.5, 2]",
           "[True, False]", "['x']", "[b'a', b'bc']", "[b'']", "[None]", "[[1, 2], [3]]",
           "[{'x': 7}, {'y': 8}]", "[ffi.NULL]", "[ffi.new('int *', 9), ffi.NULL]",
           "[ffi.cast('int', 6)]", "['\\u1234', 'ab']", "[float('inf')]", "[1e300]",
           "_Pair(1, 2)", "[[1, 2, 3]]", "[5, 'x', 6]", "[1] * 40"]


def _outcome(ffi, lib, function, expression):
    namespace = {"ffi": ffi, "_Pair": _Pair}
    try:
        value = eval(expression, namespace)
        return ("ok", repr(getattr(lib, function)(value, len(value))))
    except Exception as exc:
        return (type(exc).__name__, normalised(str(exc)))


@pytest.fixture(scope="module")
def libraries(tmp_path_factory):
    path = build_shared_library(tmp_path_factory, "listargs", _C)
    pairs = []
    for ffi_class in (FFI, cffi.FFI):
        ffi = ffi_class()
        ffi.cdef(_CDEF)
        pairs.append((ffi, ffi.dlopen(path)))
    return pairs


@pytest.fixture(scope="module")
def api_modules(tmp_path_factory):
    if shutil.which("gcc") is None:
        pytest.skip("needs gcc")
    source = _C.replace("long long sum_", "static long long sum_").replace(
        "double sum_", "static double sum_")
    mine = build_api_module(tmp_path_factory.mktemp("listargs_api"), "_api_listargs", _CDEF,
                            source)
    theirs_ffi = cffi.FFI()
    theirs_ffi.cdef(_CDEF)
    theirs_ffi.set_source("_api_listargs_cffi", source)
    directory = tmp_path_factory.mktemp("listargs_cffi")
    theirs_ffi.compile(tmpdir=str(directory))
    theirs = import_built(directory, "_api_listargs_cffi")
    return [(mine.ffi, mine.lib), (theirs.ffi, theirs.lib)]


@pytest.mark.parametrize("mode", ["libraries", "api_modules"])
@pytest.mark.parametrize("function", _FUNCTIONS)
def test_results_and_errors_as_cffi(request, mode, function):
    """In-line ABI mode (`libraries`) and API mode (`api_modules`)."""
    (mine, my_lib), (theirs, their_lib) = request.getfixturevalue(mode)
    for expression in _VALUES:
        assert _outcome(mine, my_lib, function, expression) == \
            _outcome(theirs, their_lib, function, expression), expression
