"""In-line ABI behaviours of the implementation under test against the installed cffi.

Each case runs one expression with `_backend.FFI` and with `cffi.FFI` and compares what a
program observes: the repr of the result (addresses normalised), or the exception's type and
message, and what was written to stderr.  The rows are the disagreements found by grids of
types x values x operations (buffer item writes, long double reprs, the callback decorator,
lib attribute errors...); with PURECFFI_TEST_AGAINST=cffi both sides are cffi.
Skipped when cffi is not installed.
"""
import contextlib
import io
import re

import pytest

from _backend import FFI

cffi = pytest.importorskip("cffi")

CDEF = """
struct pt { int x, y; };
enum e { A, B = 5 };
"""


def _normalise(text):
    """`text` without addresses and module prefixes, which differ by implementation."""
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", text)
    text = re.sub(r"0x[0-9a-fA-F]+", "0x?", text)
    for prefix in ("_cffi_backend.", "purecffi.", "cffi."):
        text = text.replace(prefix, "")
    return text


def _outcome(ffi_class, expression, setup=""):
    """What evaluating `expression` shows: ('ok', repr) or (exception type, message), and
    stderr."""
    ffi = ffi_class()
    ffi.cdef(CDEF)
    namespace = {"ffi": ffi}
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            exec(setup, namespace)
            result = ("ok", _normalise(repr(eval(expression, namespace))))
        except Exception as exc:
            result = (type(exc).__name__, _normalise(str(exc)))
    return result + (_normalise(err.getvalue()),)


def _same(expression, setup=""):
    mine = _outcome(FFI, expression, setup)
    theirs = _outcome(cffi.FFI, expression, setup)
    assert mine == theirs, "%s\n  tested: %r\n  cffi:   %r" % (expression, mine, theirs)


# -- ffi.buffer item writes: the index is checked before the value ----
BUFFER_WRITES = [
    "b.__setitem__(0, b'x') or bytes(b)",
    "b.__setitem__(-1, b'x') or bytes(b)",
    "b.__setitem__(0, 120)",
    "b.__setitem__(0, b'xy')",
    "b.__setitem__(0, 'x')",
    "b.__setitem__(6, b'x')",
    "b.__setitem__(-7, b'x')",
    "b.__setitem__(6, 65)",
    "b.__setitem__(10, 'x')",
    "b.__setitem__(-10, b'xy')",
    "b.__setitem__('a', b'x')",
    "b.__setitem__(1.0, 65)",
    "b.__setitem__(slice(0, 2), b'xy') or bytes(b)",
    "b.__setitem__(slice(0, 2), b'xyz')",
]


@pytest.mark.parametrize("expression", BUFFER_WRITES)
def test_buffer_item_write_agrees_with_cffi(expression):
    _same(expression, "b = ffi.buffer(ffi.new('char[]', b'hello'))")


# -- long double reprs: C's "%LE", a negative NaN included ----
LONG_DOUBLES = ["float('nan')", "-float('nan')", "float('inf')", "-float('inf')", "0.0", "-0.0",
                "0.1", "1/3", "1e300", "-1e-300", "5e-324", "2**64", "-2**63", "12345.678"]


@pytest.mark.parametrize("value", LONG_DOUBLES)
@pytest.mark.parametrize("make", ["ffi.cast('long double', %s)",
                                  "ffi.new('long double *', %s)[0]",
                                  "ffi.cast('long double', ffi.cast('long double', %s))",
                                  "ffi.new('struct { long double d; } *', [%s]).d"])
def test_long_double_repr_agrees_with_cffi(make, value):
    _same("repr(%s), str(%s)" % (make % value, make % value))


# -- ffi.callback() as a decorator ----
DECORATORS = [
    "ffi.callback('int(*)(int)')",
    "ffi.callback('int(*)(int)', error=-1)",
    "ffi.callback('int(*)(int)', onerror=print)",
    "ffi.callback('int(*)(int)')(lambda x: x * 3)(4)",
    "ffi.callback('int(*)(int)')(5)",
]


@pytest.mark.parametrize("expression", DECORATORS)
def test_callback_decorator_agrees_with_cffi(expression):
    _same(expression)
