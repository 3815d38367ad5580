"""Old-style callbacks made with ffi.callback() and called from C (6.8, 6.7.4 error handling)."""
import gc
import random
import sys
import threading
import weakref

import pytest

from _backend import IS_CFFI
from conftest import missed_attributes

QSORT_CDEF = """
    void qsort(void *base, size_t nmemb, size_t size,
               int (*compar)(const void *, const void *));
"""


@pytest.fixture(autouse=True)
def unraisable_to_stderr(monkeypatch):
    """Exceptions in callbacks are "printed to stderr" (6.7.4).

    An implementation may do that through sys.unraisablehook; pytest replaces that
    hook to turn such reports into warnings, so restore Python's default one.
    """
    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)


def _cmp(a, b):
    return (a > b) - (a < b)


# --------------------------------------------------------------------------
# creating callbacks
# --------------------------------------------------------------------------

def test_callback_direct_form(ffi, testlib):
    cb = ffi.callback("int(int)", lambda x: x * 2)
    assert testlib.tl_apply_n(cb, 5, 1) == 32
    assert testlib.tl_apply_n(cb, 0, 7) == 7


def test_callback_decorator_form(ffi, testlib):
    @ffi.callback("int(int, int)")
    def sub(x, y):
        return x - y

    assert isinstance(sub, ffi.CData)
    assert testlib.tl_call_binop(sub, 10, 3) == 7


def test_callback_decorator_with_keywords(ffi):
    @ffi.callback("int(int)", error=-5, onerror=lambda *a: None)
    def failing(x):
        raise ValueError(x)

    assert failing(1) == -5


@pytest.mark.parametrize("ctype", ["int(int, int)", "int(*)(int, int)", "tl_binop"])
def test_function_and_function_pointer_types_are_equivalent(ffi, testlib, ctype):
    cb = ffi.callback(ctype, lambda a, b: a * b)
    assert ffi.typeof(cb) == ffi.typeof("int(*)(int, int)")
    assert testlib.tl_call_binop(cb, 6, 7) == 42


def test_callback_from_ctype_object(ffi, testlib):
    cb = ffi.callback(ffi.typeof("int(*)(int)"), lambda x: x + 1)
    assert testlib.tl_apply_n(cb, 3, 0) == 3


def test_callback_repr(ffi):
    @ffi.callback("int(int, int)")
    def myfunc(x, y):
        return x + y

    r = repr(myfunc)
    assert r.startswith("<cdata 'int(*)")
    assert "calling" in r
    assert "myfunc" in r


def test_callback_is_a_true_nonnull_pointer(ffi):
    cb = ffi.callback("int(int)", lambda x: x)
    assert bool(cb)
    assert cb != ffi.NULL
    assert int(ffi.cast("intptr_t", cb)) != 0


def test_callback_callable_from_python(ffi):
    cb = ffi.callback("int(int)", lambda x: x + 1)
    assert cb(41) == 42
    with pytest.raises(OverflowError):
        cb(2 ** 40)


def test_variadic_callback_refused(ffi):
    """Callbacks of a variadic function type are not supported (6.8)."""
    with pytest.raises(NotImplementedError):
        ffi.callback("int(int, ...)", lambda *a: 0)


def test_callback_needs_function_type(ffi):
    with pytest.raises(TypeError):
        ffi.callback("int", lambda x: 0)
    with pytest.raises(TypeError):
        ffi.callback("int *", lambda x: 0)


def test_callback_needs_callable(ffi):
    with pytest.raises(TypeError):
        ffi.callback("int(int)", 42)


def test_callback_bad_error_value(ffi):
    with pytest.raises(TypeError):
        ffi.callback("int(int)", lambda x: 0, error="x")
    with pytest.raises(OverflowError):
        ffi.callback("int(int)", lambda x: 0, error=2 ** 40)


def test_callback_bad_onerror(ffi):
    with pytest.raises(TypeError):
        ffi.callback("int(int)", lambda x: 0, onerror=42)


@pytest.mark.parametrize("ctype", ["int(union tl_intfloat)", "union tl_intfloat(int)",
                                   "int(struct tl_bits)"])
def test_callback_with_union_or_bitfield_by_value_refused(ffi, testlib, ctype):
    with pytest.raises(NotImplementedError):
        ffi.callback(ctype, lambda x: 0)


# --------------------------------------------------------------------------
# passing callbacks to C
# --------------------------------------------------------------------------

def test_callback_called_many_times(ffi, testlib):
    calls = []

    @ffi.callback("int(int)")
    def step(x):
        calls.append(x)
        return x + 3

    assert testlib.tl_apply_n(step, 1000, 0) == 3000
    assert len(calls) == 1000
    assert calls[:3] == [0, 3, 6]


def test_callback_reentering_c(ffi, testlib):
    inner = ffi.callback("int(int)", lambda x: x + 1)
    outer = ffi.callback("int(int)", lambda x: testlib.tl_apply_n(inner, 10, x))
    assert testlib.tl_apply_n(outer, 3, 0) == 30


def test_python_function_is_not_a_function_pointer(testlib):
    with pytest.raises(TypeError):
        testlib.tl_apply_n(lambda x: x, 1, 1)


def test_callback_of_wrong_type_refused(ffi, testlib):
    cb = ffi.callback("int(int)", lambda x: x)
    with pytest.raises(TypeError):
        testlib.tl_call_binop(cb, 1, 2)
    casted = ffi.cast("tl_binop", cb)
    assert ffi.typeof(casted) == ffi.typeof("int(*)(int, int)")


def test_callback_cast_to_typedef(ffi, testlib):
    cb = ffi.callback("int(int)", lambda x: x * 2)
    assert testlib.tl_apply_n(ffi.cast("tl_intfn", cb), 3, 1) == 8


def test_qsort_ints_with_libc(ffi):
    ffi.cdef(QSORT_CDEF)
    C = ffi.dlopen(None)
    values = random.Random(42).sample(range(-1000, 1000), 200)
    arr = ffi.new("int[]", values)

    @ffi.callback("int(const void *, const void *)")
    def compare(pa, pb):
        assert ffi.typeof(pa) == ffi.typeof("void *")
        return _cmp(ffi.cast("int *", pa)[0], ffi.cast("int *", pb)[0])

    C.qsort(arr, len(arr), ffi.sizeof("int"), compare)
    assert list(arr) == sorted(values)


def test_qsort_descending_via_testlib(ffi, testlib):
    values = [5, -1, 12, 0, 7, 7, 3]
    arr = ffi.new("int[]", values)
    compare = ffi.callback("int(const void *, const void *)",
                           lambda a, b: _cmp(ffi.cast("int *", b)[0], ffi.cast("int *", a)[0]))
    testlib.tl_sort_ints(arr, len(arr), compare)
    assert list(arr) == sorted(values, reverse=True)


def test_qsort_array_of_structs(ffi, testlib):
    ffi.cdef(QSORT_CDEF)
    C = ffi.dlopen(None)
    rnd = random.Random(7)
    pairs = [(rnd.randint(0, 5), rnd.randint(-50, 50)) for _ in range(60)]
    arr = ffi.new("struct tl_point[]", pairs)

    @ffi.callback("int(const void *, const void *)")
    def by_x_then_y(pa, pb):
        a = ffi.cast("struct tl_point *", pa)
        b = ffi.cast("struct tl_point *", pb)
        return _cmp((a.x, a.y), (b.x, b.y))

    C.qsort(arr, len(pairs), ffi.sizeof("struct tl_point"), by_x_then_y)
    assert [(p.x, p.y) for p in arr] == sorted(pairs)


def test_callback_stored_by_c_stays_valid(ffi, testlib):
    """The callback may be called later by C as long as its cdata is alive (6.8)."""
    cb = ffi.callback("int(int)", lambda x: x + 100)
    testlib.tl_register(cb)
    try:
        for _ in range(3):
            gc.collect()
            assert testlib.tl_invoke_registered(1) == 101
        assert testlib.tl_invoke_registered(-100) == 0
    finally:
        testlib.tl_register(ffi.NULL)


def test_callback_in_global_function_pointer(ffi, testlib):
    """Assigning a callback to a global function-pointer variable (example of 6.8)."""
    cb = ffi.callback("int(int)", lambda x: -x)
    testlib.tl_global_fn = cb
    try:
        assert testlib.tl_global_fn == cb
        assert testlib.tl_call_global_fn(9) == -9
    finally:
        testlib.tl_global_fn = ffi.NULL


def test_callback_keeps_python_function_alive(ffi):
    def fn(x):
        return x

    cb = ffi.callback("int(int)", fn)
    ref = weakref.ref(fn)
    del fn
    gc.collect()
    assert ref() is not None
    assert cb(5) == 5
    del cb
    gc.collect()
    assert ref() is None


def test_callback_freed_without_the_collector(ffi):
    # nothing in a callback refers back to it: dropping it frees it (and its callable) at
    # once, as in cffi; a reference cycle would wait for the collector
    def fn(x):
        return x

    ref = weakref.ref(fn)
    cb = ffi.callback("int(int)", fn)
    del fn
    enabled = gc.isenabled()
    gc.disable()
    try:
        assert cb(7) == 7
        del cb
        assert ref() is None
    finally:
        if enabled:
            gc.enable()


def test_callback_called_from_another_thread(ffi, testlib):
    seen = []
    cb = ffi.callback("int(int)", lambda x: seen.append(threading.get_ident()) or x + 1)
    results = []
    t = threading.Thread(target=lambda: results.append(testlib.tl_apply_n(cb, 5, 0)))
    t.start()
    t.join()
    assert results == [5]
    assert len(seen) == 5
    assert seen[0] != threading.get_ident()


# --------------------------------------------------------------------------
# argument and result types of callbacks
# --------------------------------------------------------------------------

def test_callback_doubles(ffi, testlib):
    cb = ffi.callback("double(double, double)", lambda a, b: a / b)
    assert testlib.tl_call_dd(cb, 1.0, 4.0) == 0.25


def test_callback_float(ffi, testlib):
    seen = []
    cb = ffi.callback("float(float)", lambda a: seen.append(a) or a * 0.5)
    assert testlib.tl_call_ff(cb, 3.0) == 1.5
    assert seen == [3.0] and type(seen[0]) is float


def test_callback_long_long_and_unsigned_char(ffi, testlib):
    cb = ffi.callback("long long(long long, unsigned char)", lambda a, b: a * b)
    assert testlib.tl_call_ll(cb, 2 ** 40, 200) == 200 * 2 ** 40


def test_callback_many_arguments(ffi, testlib):
    cb = ffi.callback("int(int, int, int, int, int, int, int, int)",
                      lambda *a: sum(x * (i + 1) for i, x in enumerate(a)))
    assert testlib.tl_call_many(cb, 1) == sum((i + 1) * (1 + i) for i in range(8))


def test_callback_receives_pointer(ffi, testlib):
    seen = []

    def total(p, n):
        seen.append(ffi.typeof(p))
        return sum(p[i] for i in range(n))

    cb = ffi.callback("int(int *, int)", total)
    assert testlib.tl_call_ptr(cb, [1, 2, 3, 4], 4) == 10
    assert seen == [ffi.typeof("int *")]


def test_callback_writes_through_pointer(ffi, testlib):
    @ffi.callback("void(int *)")
    def triple(p):
        p[0] = p[0] * 3

    assert testlib.tl_call_void(triple, 5) == 15


def test_callback_receives_char_pointer(ffi, testlib):
    cb = ffi.callback("int(const char *)", lambda s: len(ffi.string(s)) * 10)
    assert testlib.tl_call_str(cb, b"hello") == 50


def test_callback_char_and_bool(ffi, testlib):
    upper = ffi.callback("char(char)", lambda c: c.upper())
    assert testlib.tl_call_char(upper, b"q") == ord("Q")
    gt3 = ffi.callback("_Bool(int)", lambda x: x > 3)
    assert testlib.tl_call_bool(gt3, 4) == 1
    assert testlib.tl_call_bool(gt3, 1) == 0


def test_callback_void_pointer_userdata_with_handle(ffi, testlib):
    class Counter:
        def __init__(self):
            self.total = 0

    @ffi.callback("int(int, void *)")
    def add(x, handle):
        obj = ffi.from_handle(handle)
        obj.total += x
        return obj.total

    counter = Counter()
    h = ffi.new_handle(counter)
    assert testlib.tl_call_userdata(add, h, 5) == 5
    assert testlib.tl_call_userdata(add, h, 7) == 12
    assert counter.total == 12


def test_callback_receives_small_struct(ffi, testlib):
    seen = []

    @ffi.callback("int(struct tl_point)")
    def f(p):
        seen.append(ffi.typeof(p))
        return p.x * 100 + p.y

    assert testlib.tl_call_point(f, 3, 4) == 304
    assert seen == [ffi.typeof("struct tl_point")]


def test_callback_receives_large_struct(ffi, testlib):
    cb = ffi.callback("double(struct tl_big)", lambda b: b.a + b.d + b.e)
    assert testlib.tl_call_big(cb, 4) == 4 + 16 + 1.0


@pytest.mark.parametrize("make", [lambda v: (v, v + 1), lambda v: {"x": v, "y": v + 1},
                                  lambda v: [v, v + 1]])
def test_callback_returns_small_struct(ffi, testlib, make):
    """Callbacks may return structs by value (6.4)."""
    cb = ffi.callback("struct tl_point(int)", make)
    assert testlib.tl_call_ret_point(cb, 7) == 7008


@pytest.mark.skipif(IS_CFFI, reason="cffi leaves them as the result's memory was")
@pytest.mark.parametrize("partial", [lambda v: [v], lambda v: {"x": v}, lambda v: {},
                                     lambda v: []])
def test_callback_struct_result_leaves_the_missing_fields_zero(ffi, testlib, partial):
    """A struct result given by a shorter list or a dict is a new struct: the fields it
    leaves out are 0, not what the memory for the result held (a previous result's)."""
    full = ffi.callback("struct tl_point(int)", lambda v: [v, 99])
    cb = ffi.callback("struct tl_point(int)", partial)
    expected = partial(7)
    x = expected[0] if isinstance(expected, list) and expected else expected.get("x", 0) \
        if isinstance(expected, dict) else 0
    for _ in range(3):
        assert testlib.tl_call_ret_point(full, 7) == 7099
        assert testlib.tl_call_ret_point(cb, 7) == x * 1000
        full(7)
        result = cb(7)
        assert (result.x, result.y) == (x, 0)


def test_callback_returns_struct_cdata(ffi, testlib):
    def make(v):
        p = ffi.new("struct tl_point *", [v * 2, 5])
        return p[0]

    cb = ffi.callback("struct tl_point(int)", make)
    assert testlib.tl_call_ret_point(cb, 4) == 8005


def test_callback_returns_large_struct(ffi, testlib):
    cb = ffi.callback("struct tl_big(long)", lambda v: [v, v, v, v, 0.5])
    assert testlib.tl_call_ret_big(cb, 3) == 12.5


# --------------------------------------------------------------------------
# exceptions in callbacks: error=, onerror=, stderr
# --------------------------------------------------------------------------

@pytest.mark.parametrize("ctype, expected", [("int(int)", 0), ("double(int)", 0.0),
                                             ("long long(int)", 0)])
def test_exception_returns_zero_by_default(ffi, ctype, expected):
    cb = ffi.callback(ctype, lambda x: 1 // 0)
    r = cb(1)
    assert r == expected and type(r) is type(expected)


def test_exception_returns_null_pointer_by_default(ffi):
    cb = ffi.callback("int *(int)", lambda x: 1 // 0)
    assert cb(1) == ffi.NULL


def test_exception_returns_error_value(ffi, testlib):
    cb = ffi.callback("int(int)", lambda x: 1 // 0, error=-7)
    assert testlib.tl_apply_n(cb, 1, 5) == -7
    dcb = ffi.callback("double(double, double)", lambda a, b: a / 0, error=1.5)
    assert testlib.tl_call_dd(dcb, 1.0, 2.0) == 1.5


def test_exception_does_not_propagate_to_caller(ffi, testlib):
    cb = ffi.callback("int(int)", lambda x: {}[x], error=-1)
    assert testlib.tl_apply_n(cb, 3, 5) == -1      # -1 fed back each time, no raise


def test_exception_printed_to_stderr(ffi, testlib, capfd):
    def my_failing_callback(x):
        raise ZeroDivisionError("boom-%d" % x)

    cb = ffi.callback("int(int)", my_failing_callback, error=-2)
    assert testlib.tl_apply_n(cb, 1, 33) == -2
    err = capfd.readouterr().err
    assert "ZeroDivisionError" in err
    assert "boom-33" in err
    assert "my_failing_callback" in err
    assert "Traceback" in err


@pytest.mark.parametrize("bad_result, exc_name", [("a string", "TypeError"), (2 ** 40, "OverflowError"),
                                                  (None, "TypeError"), (1.5, "TypeError")])
def test_wrong_result_type_handled_like_exception(ffi, testlib, capfd, bad_result, exc_name):
    cb = ffi.callback("int(int)", lambda x: bad_result, error=-8)
    assert testlib.tl_apply_n(cb, 1, 5) == -8
    assert exc_name in capfd.readouterr().err


def test_onerror_receives_exception_info(ffi, testlib, capfd):
    calls = []

    def handler(exc, val, tb):
        calls.append((exc, val, tb))

    cb = ffi.callback("int(int)", lambda x: 1 // 0, error=-1, onerror=handler)
    assert testlib.tl_apply_n(cb, 1, 5) == -1          # onerror returned None
    assert len(calls) == 1
    exc, val, tb = calls[0]
    assert exc is ZeroDivisionError
    assert isinstance(val, ZeroDivisionError)
    assert tb is not None
    assert capfd.readouterr().err == ""                 # handled: nothing printed


def test_onerror_result_is_used(ffi, testlib):
    cb = ffi.callback("int(int)", lambda x: 1 // 0, error=-1, onerror=lambda *a: 99)
    assert testlib.tl_apply_n(cb, 1, 5) == 99


def test_onerror_for_bad_result_gets_no_traceback(ffi, testlib):
    calls = []
    cb = ffi.callback("int(int)", lambda x: "bad", error=-1,
                      onerror=lambda exc, val, tb: calls.append((exc, tb)))
    assert testlib.tl_apply_n(cb, 1, 5) == -1
    assert calls == [(TypeError, None)]


def test_onerror_can_read_callback_arguments(ffi, testlib):
    """The traceback's frame is the callback's own frame (6.7.4 hack)."""
    seen = []

    def handler(exc, val, tb):
        seen.append(tb.tb_frame.f_locals["x"])
        return tb.tb_frame.f_locals["x"] + 1000

    def failing(x):
        raise ValueError(x)

    cb = ffi.callback("int(int)", failing, onerror=handler)
    assert testlib.tl_apply_n(cb, 1, 21) == 1021
    assert seen == [21]


def test_onerror_raising_prints_both_and_uses_error(ffi, testlib, capfd):
    def handler(exc, val, tb):
        raise KeyError("from-handler")

    cb = ffi.callback("int(int)", lambda x: 1 // 0, error=-3, onerror=handler)
    assert testlib.tl_apply_n(cb, 1, 5) == -3
    err = capfd.readouterr().err
    assert "ZeroDivisionError" in err
    assert "KeyError" in err and "from-handler" in err


def test_onerror_returning_bad_value_uses_error(ffi, testlib):
    cb = ffi.callback("int(int)", lambda x: 1 // 0, error=-4,
                      onerror=lambda *a: "not an int")
    assert testlib.tl_apply_n(cb, 1, 5) == -4


@pytest.mark.parametrize("ctype, error, expected", [
    ("signed char", 3, 3), ("short", -2, -2), ("long long", 3, 3), ("unsigned long long", 3, 3),
    ("float", 1.5, 1.5), ("double", 1.5, 1.5),
    # unsigned, character and _Bool results narrower than the return register come back 0
    ("unsigned char", 3, 0), ("unsigned short", 3, 0), ("unsigned int", 3, 0),
    ("enum e_small", 5, 0), ("_Bool", True, False), ("char", b"a", b"\0"),
    ("wchar_t", "x", "\0"), ("char16_t", "x", "\0"), ("char32_t", "x", "\0"),
])
def test_onerror_returning_unconvertible_value(ffi, capfd, ctype, error, expected):
    ffi.cdef("enum e_small { ES_A, ES_B = 5 };")
    cb = ffi.callback(ctype + "(void)", lambda: 1 // 0, error=error,
                      onerror=lambda *a: [])
    assert cb() == expected
    err = capfd.readouterr().err
    assert "ZeroDivisionError" in err
    assert "Exception ignored during handling of the above exception by 'onerror'" in err


@pytest.mark.parametrize("signature, error, message", [
    ("union u(void)", 5, "initializer for ctype 'union u' must be a list or tuple or dict or "
                         "struct-cdata, not int"),
    ("int(union u)", "x", "an integer is required"),
    ("int(int, ...)", "x", "an integer is required"),
    ("void(union u)", 5, "callback with the return type 'void' must return None"),
])
def test_error_value_is_checked_before_an_unsupported_signature(ffi, signature, error, message):
    ffi.cdef("union u { int a; double b; };")
    with pytest.raises(TypeError) as info:
        ffi.callback(signature, lambda *a: 0, error=error)
    assert str(info.value) == message
    with pytest.raises(NotImplementedError):
        ffi.callback(signature, lambda *a: 0)


def test_printed_traceback_has_no_frame_of_the_implementation(ffi, capfd):
    def calls_null(p):
        return p(3)         # raises inside the implementation's call code
    cb = ffi.callback("int(int(*)(int))", calls_null)
    assert ffi.cast("int(*)(int(*)(int))", cb)(ffi.NULL) == 0
    assert cb(ffi.NULL) == 0
    err = capfd.readouterr().err
    files = [line.strip() for line in err.splitlines() if line.strip().startswith('File "')]
    assert len(files) == 2 and all(line.endswith("in calls_null") for line in files)
    assert err.count("RuntimeError: cannot call null pointer pointer from cdata "
                     "'int(*)(int)'") == 2


def test_bool_argument_other_than_0_or_1_from_c_is_an_error(ffi, capfd):
    seen = []
    cb = ffi.callback("int(_Bool)", lambda b: seen.append(b) or 7, error=-9)
    through_int = ffi.cast("int(*)(int)", cb)       # C passes the byte as it is
    assert (through_int(1), through_int(0)) == (7, 7)
    assert seen == [True, False]
    assert through_int(2) == -9
    assert seen == [True, False]
    assert "ValueError: got a _Bool of value 2, expected 0 or 1" in capfd.readouterr().err


def test_onerror_not_called_on_success(ffi, testlib):
    calls = []
    cb = ffi.callback("int(int)", lambda x: x + 1, onerror=lambda *a: calls.append(a))
    assert testlib.tl_apply_n(cb, 4, 0) == 4
    assert calls == []


def test_struct_error_value(ffi, testlib):
    cb = ffi.callback("struct tl_point(int)", lambda x: 1 // 0, error=(1, 2))
    r = cb(0)
    assert (r.x, r.y) == (1, 2)


def test_struct_default_error_is_zeroed(ffi, testlib):
    cb = ffi.callback("struct tl_point(int)", lambda x: 1 // 0)
    assert testlib.tl_call_ret_point(cb, 3) == 0


# -- Calling a callback from Python (integer signatures skip the round trip through C) ----
def test_callback_called_from_python_converts_like_c(ffi):
    cb = ffi.callback("long long(signed char, unsigned short)", lambda a, b: a * 100000 + b)
    assert cb(-128, 65535) == -128 * 100000 + 65535
    assert cb(True, 2) == 100002
    for bad in [(128, 0), (0, -1), (0, 65536)]:
        with pytest.raises(OverflowError):
            cb(*bad)
    with pytest.raises(TypeError):
        cb(1.5, 0)
    with pytest.raises(TypeError):
        cb(1)
    with pytest.raises(TypeError):
        cb(1, 2, 3)


def test_callback_called_from_python_reports_errors(ffi, capfd):
    def fn(x):
        if x == 0:
            raise ValueError("zero")
        return x * 2 ** 40

    cb = ffi.callback("int(int)", fn, error=-7)
    assert cb(0) == -7
    err = capfd.readouterr().err
    assert "Exception ignored from cffi callback" in err and "ValueError: zero" in err
    assert cb(1) == -7                  # the result does not fit in an int
    err = capfd.readouterr().err
    assert "trying to convert the result back to C" in err and "OverflowError" in err
    seen = []
    cb = ffi.callback("int(int)", fn, onerror=lambda *info: seen.append(info[0]) or 5)
    assert cb(0) == 5 and seen == [ValueError]


def test_callback_called_from_python_void_and_results(ffi):
    seen = []
    cb = ffi.callback("void(int, int)", lambda a, b: seen.append((a, b)))
    assert cb(1, 2) is None and seen == [(1, 2)]
    cb = ffi.callback("unsigned char(void)", lambda: True)
    result = cb()
    assert result == 1 and type(result) is int
    ffi.cdef("enum e { A, B };")
    cb = ffi.callback("enum e(enum e)", lambda x: x + 1)
    assert cb(0) == 1


def test_callback_called_from_python_sees_errno(ffi):
    def fn(x):
        seen.append(ffi.errno)
        ffi.errno = x
        return 0

    seen = []
    cb = ffi.callback("int(int)", fn)
    ffi.errno = 3
    cb(11)
    assert seen == [3] and ffi.errno == 11


def _report_lines(err):
    """The report's lines with addresses and line numbers taken out."""
    import re
    return [re.sub(r"0x[0-9a-f]+|line \d+", "_", line) for line in err.splitlines()]


def test_result_conversion_errors_show_the_callers_frames(ffi, capfd):
    # as cffi: a result C cannot take is reported with a traceback of the Python frames the
    # callback was called under (here, this test), and so is an `onerror` result C cannot take
    def caller_of_the_callback(cb):
        return cb(3)

    cb = ffi.callback("int(int)", lambda x: "bad")
    assert caller_of_the_callback(cb) == 0
    lines = _report_lines(capfd.readouterr().err)
    assert lines[0].startswith("Exception ignored from cffi callback <function ")
    assert lines[0].endswith(", trying to convert the result back to C:")
    assert lines[1] == "Traceback (most recent call last):"
    assert lines[2].endswith(", _, in caller_of_the_callback")     # that frame only
    assert lines[3].strip() == "return cb(3)"
    assert lines[-1] == "TypeError: an integer is required"
    assert not any("purecffi" in line for line in lines)
    # only the innermost frame, as cffi: not this test's own
    assert not any("in test_result_conversion_errors" in line for line in lines)
    assert sum(line.startswith("  File ") for line in lines) == 1

    def boom(x):
        raise ValueError("boom")
    cb = ffi.callback("int(int)", boom, onerror=lambda *exc: "x")
    assert caller_of_the_callback(cb) == 0
    lines = _report_lines(capfd.readouterr().err)
    failure = lines.index("Exception ignored during handling of the above exception by "
                          "'onerror':")
    assert lines[failure + 1] == "Traceback (most recent call last):"
    assert any("in caller_of_the_callback" in line for line in lines[failure:])
    assert lines[-1] == "TypeError: an integer is required"


def test_callback_errors_reach_sys_unraisablehook(ffi, monkeypatch):
    # as cffi: the reports go through sys.unraisablehook (pytest's, or an application's), with
    # cffi's message, the exception and a traceback starting in the callable
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)

    def boom(x):
        raise KeyError(x)

    def caller(cb):
        return cb(3)

    assert caller(ffi.callback("int(int)", boom)) == 0
    assert caller(ffi.callback("int(int)", lambda x: "bad")) == 0
    assert caller(ffi.callback("int(int)", boom, error=-1, onerror=lambda *exc: 1 // 0)) == -1
    assert [(a.exc_type, str(a.exc_value), a.object) for a in seen] == [
        (KeyError, "3", None), (TypeError, "an integer is required", None),
        (KeyError, "3", None), (ZeroDivisionError, "integer division or modulo by zero", None)]
    assert seen[0].err_msg == "Exception ignored from cffi callback %r" % (boom,)
    assert seen[1].err_msg.endswith(", trying to convert the result back to C")
    assert seen[3].err_msg == ("Exception ignored during handling of the above exception by "
                               "'onerror'")
    assert seen[0].exc_traceback.tb_frame.f_code.co_name == "boom"
    # a result C cannot take: the one frame the callback was called from
    tb = seen[1].exc_traceback
    assert tb.tb_frame.f_code.co_name == "caller" and tb.tb_next is None
    assert seen[3].exc_traceback.tb_frame.f_code.co_name == "<lambda>"


def test_report_prints_as_pythons_default_hook(ffi, capfd):
    # the exception's type and str() (even empty), and no chained exception
    def chained(x):
        try:
            {}[x]
        except KeyError:
            raise ValueError()

    assert ffi.callback("int(int)", chained)(3) == 0
    lines = _report_lines(capfd.readouterr().err)
    assert lines[0].startswith("Exception ignored from cffi callback <function ")
    assert lines[1] == "Traceback (most recent call last):"
    assert lines[-1] == "ValueError: "
    assert not any("During handling" in line or "KeyError" in line for line in lines)


def test_builtin_callable_errors_show_the_callers_frame(ffi, capfd):
    # a callable with no Python frame (a built-in function): onerror gets no traceback, and
    # the report shows the frame the callback was called from, none of the implementation's
    def caller(cb):
        return cb(3)

    seen = []
    assert caller(ffi.callback("int(int)", len, onerror=lambda *exc: seen.append(exc))) == 0
    assert seen[0][0] is TypeError and seen[0][2] is None
    assert caller(ffi.callback("int(int)", len)) == 0
    lines = _report_lines(capfd.readouterr().err)
    assert lines[0] == "Exception ignored from cffi callback <built-in function len>:"
    frames = [line for line in lines if line.lstrip().startswith("File ")]
    assert len(frames) == 1 and frames[0].endswith(", in caller")
    assert lines[-1] == "TypeError: object of type 'int' has no len()"


@pytest.mark.parametrize("cdecl, message", [
    ("struct opaque_s(int)", "result type 'struct opaque_s' is not yet initialized"),
    ("int(struct opaque_s)", "ctype 'struct opaque_s' has incomplete type"),
    ("int(int, struct opaque_s)", "ctype 'struct opaque_s' has incomplete type"),
])
def test_callback_of_an_opaque_struct_by_value_refused(ffi, cdecl, message):
    ffi.cdef("struct opaque_s;")
    with pytest.raises(TypeError) as info:
        ffi.callback(cdecl, lambda *args: None)
    assert str(info.value) == message


def test_callback_with_an_enum_without_values_warns(ffi):
    # as typeof("enum e"): cffi guesses 'unsigned int', and says so once
    with pytest.warns(UserWarning, match="'enum guessed_e' has no values explicitly defined"):
        cb = ffi.callback("int(enum guessed_e)", lambda x: x)
    assert cb(7) == 7


def test_callback_getattr_is_reached_by_no_normal_operation(ffi):
    """A missing attribute of a callback says cffi's words; calls, casts and conversions
    never look one up (each would run the class's Python __getattr__)."""
    cb = ffi.callback("int(const void *, const void *)", lambda a, b: 0)
    with pytest.raises(AttributeError) as info:
        cb.x
    assert str(info.value) == "cdata 'int(*)(void *, void *)' has no attribute 'x'"
    cls = type(cb)
    if "__getattr__" not in cls.__dict__ and not hasattr(cls, "__getattr__"):
        pytest.skip("no Python __getattr__ to watch")
    with missed_attributes(cls) as missed:
        ffi.cdef("void qsort(void *, size_t, size_t, int(*)(const void *, const void *));")
        items = ffi.new("int[3]", [3, 1, 2])
        ffi.dlopen(None).qsort(items, 3, ffi.sizeof("int"), cb)
        assert cb(ffi.NULL, ffi.NULL) == 0
        ffi.cast("void *", cb)
        ffi.cast("intptr_t", cb)
        assert ffi.cast("int(*)(void *, void *)", cb)(ffi.NULL, ffi.NULL) == 0
        assert ffi.new("int(**)(void *, void *)", cb)[0] == cb
        assert cb == cb and hash(cb) == hash(cb)
        ffi.typeof(cb)
        repr(cb)
        ffi.gc(cb, lambda f: None)
    assert missed == []
