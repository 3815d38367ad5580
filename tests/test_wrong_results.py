"""No wrong results: float complex casts round like float casts, struct values have no integer
or address meaning in a cast, and a callback whose error reporting fails still gives C its
declared error value."""
import math
import sys

import pytest

from _backend import FFI


# -- float _Complex casts ----
def test_cast_to_float_complex_overflows_to_inf():
    ffi = FFI()
    assert complex(ffi.cast("float _Complex", 1e300)) == complex(math.inf, 0)
    assert complex(ffi.cast("float _Complex", complex(0.1, -1e300))).imag == -math.inf


def test_cast_to_float_complex_rounds_like_a_float_cast():
    ffi = FFI()
    rounded = float(ffi.cast("float", 0.1))
    assert rounded != 0.1
    value = complex(ffi.cast("float _Complex", complex(0.1, 0.1)))
    assert value == complex(rounded, rounded)
    assert complex(ffi.cast("float _Complex", ffi.cast("double", 0.1))) == complex(rounded, 0)


def test_cast_to_double_complex_keeps_the_double():
    ffi = FFI()
    assert complex(ffi.cast("double _Complex", 0.1)) == complex(0.1, 0)


# -- struct and union values in casts ----
@pytest.fixture
def values():
    ffi = FFI()
    ffi.cdef("struct pt { int x, y; }; union u { int a; double d; };")
    return ffi, ffi.new("struct pt *")[0], ffi.new("union u *")[0]


@pytest.mark.parametrize("target", ["int", "long", "char", "_Bool", "uint8_t", "void *",
                                    "struct pt *", "int[2]", "wchar_t", "enum e { A }"])
def test_cast_of_a_struct_value_to_a_number_or_pointer_is_refused(values, target):
    ffi, pt, u = values
    for value, name in ((pt, "struct pt"), (u, "union u")):
        with pytest.raises(TypeError) as info:
            ffi.cast(target, value)
        assert str(info.value) == "int() not supported on cdata '%s'" % (name,)


def test_int_of_a_struct_value_is_refused(values):
    ffi, pt, u = values
    with pytest.raises(TypeError, match=r"int\(\) not supported on cdata 'struct pt'"):
        int(pt)
    with pytest.raises(TypeError, match=r"int\(\) not supported on cdata 'struct pt'"):
        ffi.new("int *", pt)


def test_pointer_to_the_struct_still_casts(values):
    ffi, pt, u = values
    address = ffi.cast("intptr_t", ffi.addressof(pt))
    assert int(address) != 0
    assert ffi.cast("struct pt *", address) == ffi.addressof(pt)


# -- callbacks whose error reporting fails ----
class _FailingStderr:
    """A stderr whose write() raises, as reporting code may at the recursion limit."""

    def write(self, text):
        raise RecursionError("maximum recursion depth exceeded (simulated)")

    def flush(self):
        pass


def _fail(*args):
    raise ValueError("the callback failed")


def _raising_onerror(exc_type, exc_value, tb):
    raise KeyError("onerror failed too")


@pytest.fixture
def failing_stderr(monkeypatch):
    """stderr fails; what cannot be reported at all may go to sys.unraisablehook (cffi)."""
    monkeypatch.setattr(sys, "stderr", _FailingStderr())
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)


@pytest.mark.parametrize("kwargs, expected", [
    ({}, 0), ({"error": -7}, -7), ({"error": 5, "onerror": _raising_onerror}, 5)])
def test_callback_returns_its_error_value_when_reporting_fails(failing_stderr, kwargs, expected):
    ffi = FFI()
    callback = ffi.callback("int(int)", _fail, **kwargs)
    results = [callback(1) for _ in range(20)]         # ctypes would hand C garbage
    assert results == [expected] * 20


def test_struct_returning_callback_returns_zeroes_when_reporting_fails(failing_stderr):
    ffi = FFI()
    ffi.cdef("struct pair { long a, b; };")
    callback = ffi.callback("struct pair(int)", _fail)
    for _ in range(5):
        result = callback(1)
        assert (result.a, result.b) == (0, 0)


def test_callback_returns_its_error_value_when_the_result_conversion_and_reporting_fail(
        failing_stderr):
    ffi = FFI()
    callback = ffi.callback("int(int)", lambda x: "not an int", error=3)
    assert [callback(1) for _ in range(10)] == [3] * 10
