"""extern "Python" and "Python+C" in API mode (spec 6.7): C functions calling the Python
function attached with @ffi.def_extern()."""
import shutil
import sys

import pytest

from _backend import FFI, IS_CFFI
from conftest import import_built

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

CDEF = r"""
    extern "Python" int my_callback(int, int);
    int library_function(int (*callback)(int, int));

    typedef struct event_s event_t;
    typedef void (*event_cb_t)(event_t *evt, void *userdata);
    void event_cb_register(event_cb_t cb, void *userdata);
    void fire(int value);
    int event_value(event_t *);
    extern "Python" void my_event_callback(event_t *, void *);

    typedef struct { void *userdata; int w, h; } widget_t;
    typedef void (*widget_cb_t)(widget_t *w, event_t *evt);
    widget_t *new_widget(int, int);
    void widget_register(widget_t *, widget_cb_t);
    void widget_fire(int value);
    extern "Python" void my_widget_callback(widget_t *, event_t *);

    extern "Python" int f(int);
    int my_algo(int);

    extern "Python" {
        double dbl(double);
        void ignore(int);
    }
    struct pair { int a, b; };
    extern "Python" struct pair swap(struct pair);
    struct pair call_swap(int a, int b);
    int call_dbl_ignore(int);

    extern "Python+C" int plus_c(int);
    int from_other_file(int);
    extern "Python" int unattached(int);
    int call_unattached(int);
"""

SOURCE = r"""
    #include <stdlib.h>
    static int my_callback(int, int);
    static int library_function(int (*callback)(int, int)) { return callback(10, 20) + 1; }

    struct event_s { int value; };
    typedef struct event_s event_t;
    typedef void (*event_cb_t)(event_t *evt, void *userdata);
    static event_cb_t registered_cb;
    static void *registered_data;
    static void event_cb_register(event_cb_t cb, void *userdata) {
        registered_cb = cb; registered_data = userdata;
    }
    static void fire(int value) { event_t e; e.value = value; registered_cb(&e, registered_data); }
    static int event_value(event_t *e) { return e->value; }

    typedef struct { void *userdata; int w, h; } widget_t;
    typedef void (*widget_cb_t)(widget_t *w, event_t *evt);
    static widget_t *the_widget;
    static widget_cb_t widget_cb;
    static widget_t *new_widget(int w, int h) {
        widget_t *p = (widget_t *)calloc(1, sizeof(widget_t));
        p->w = w; p->h = h; return p;
    }
    static void widget_register(widget_t *w, widget_cb_t cb) { the_widget = w; widget_cb = cb; }
    static void widget_fire(int value) { event_t e; e.value = value; widget_cb(the_widget, &e); }

    static int f(int); /* the forward declaration */
    static int my_algo(int n) {
        int i, sum = 0;
        for (i = 0; i < n; i++)
            sum += f(i); /* call f() here */
        return sum;
    }
    static double dbl(double);
    static void ignore(int);
    static int call_dbl_ignore(int x) { ignore(x); return (int)dbl(x); }
    struct pair { int a, b; };
    static struct pair swap(struct pair);
    static struct pair call_swap(int a, int b) { struct pair p; p.a = a; p.b = b; return swap(p); }
    static int unattached(int);
    static int call_unattached(int x) { return unattached(x) + 100; }
    int plus_c(int);
"""

OTHER_C = r"""
    int plus_c(int);
    int from_other_file(int x) { return plus_c(x) * 2; }
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("extern")
    other = tmp / "other.c"
    other.write_text(OTHER_C)
    ffi = FFI()
    ffi.cdef(CDEF)
    ffi.set_source("_api_extern", SOURCE, sources=[str(other)])
    ffi.compile(tmpdir=str(tmp))
    sys.path.insert(0, str(tmp))
    try:
        import _api_extern
    finally:
        sys.path.remove(str(tmp))
    yield _api_extern
    for name in ("_api_extern", "_api_extern.lib"):
        sys.modules.pop(name, None)


def test_lib_my_callback_is_a_function_pointer(mod):
    ffi, lib = mod.ffi, mod.lib
    assert ffi.typeof(lib.my_callback) is ffi.typeof("int(*)(int, int)")
    assert lib.my_callback == ffi.addressof(lib, "my_callback")


def test_spec_6_7_round_trip(mod):
    ffi, lib = mod.ffi, mod.lib

    @ffi.def_extern()
    def my_callback(x, y):
        return 42
    assert lib.library_function(lib.my_callback) == 43

    @ffi.def_extern(name="my_callback")
    def other(x, y):
        return x + y
    assert lib.library_function(lib.my_callback) == 31      # redefinition replaces


def test_def_extern_returns_the_function(mod):
    def dbl(x):
        return x * 2
    assert mod.ffi.def_extern()(dbl) is dbl


def test_pointer_is_stable_across_redefinition(mod):
    before = mod.lib.f

    @mod.ffi.def_extern()
    def f(x):
        return x
    assert mod.lib.f == before


def test_spec_6_7_1_new_handle_userdata(mod):
    ffi, lib = mod.ffi, mod.lib
    seen = []

    class Widget(object):
        def __init__(self):
            userdata = ffi.new_handle(self)
            self._userdata = userdata # must keep this alive!
            lib.event_cb_register(lib.my_event_callback, userdata)

        def process_event(self, evt):
            seen.append((self, lib.event_value(evt)))

    @ffi.def_extern()
    def my_event_callback(evt, userdata):
        widget = ffi.from_handle(userdata)
        widget.process_event(evt)

    w = Widget()
    lib.fire(5)
    assert seen == [(w, 5)]


def test_spec_6_7_1_userdata_in_struct(mod):
    ffi, lib = mod.ffi, mod.lib
    seen = []

    class Widget(object):
        def __init__(self):
            ll_widget = lib.new_widget(500, 500)
            self.ll_widget = ll_widget
            userdata = ffi.new_handle(self)
            self._userdata = userdata
            ll_widget.userdata = userdata
            lib.widget_register(ll_widget, lib.my_widget_callback)

        def process_event(self, evt):
            seen.append(lib.event_value(evt))

    @ffi.def_extern()
    def my_widget_callback(ll_widget, evt):
        widget = ffi.from_handle(ll_widget.userdata)
        widget.process_event(evt)

    Widget()
    lib.widget_fire(9)
    assert seen == [9]


def test_spec_6_7_2_called_from_c_directly(mod):
    @mod.ffi.def_extern()
    def f(x):
        return x * 10
    assert mod.lib.my_algo(4) == 60


def test_braces_group_and_void_and_double(mod):
    calls = []

    @mod.ffi.def_extern()
    def dbl(x):
        return x * 2.5

    @mod.ffi.def_extern()
    def ignore(x):
        calls.append(x)
    assert mod.lib.call_dbl_ignore(4) == 10
    assert calls == [4]


def test_struct_by_value(mod):
    @mod.ffi.def_extern()
    def swap(p):
        return {"a": p.b, "b": p.a}
    r = mod.lib.call_swap(1, 2)
    assert (r.a, r.b) == (2, 1)


@pytest.mark.skipif(IS_CFFI, reason="cffi leaves them as the result's memory was")
def test_struct_result_leaves_the_missing_fields_zero(mod):
    """A struct result given by a dict or a shorter list: the fields it leaves out are 0."""
    for partial in ({"a": 5}, [5], {}, []):
        for _ in range(3):
            mod.ffi.def_extern(name="swap")(lambda p: {"a": p.b, "b": p.a})
            assert (mod.lib.call_swap(1, 2).a, mod.lib.call_swap(1, 2).b) == (2, 1)
            mod.ffi.def_extern(name="swap")(lambda p: partial)
            r = mod.lib.call_swap(1, 2)
            assert (r.a, r.b) == (5 if partial else 0, 0)


def test_spec_6_7_3_python_plus_c_from_other_file(mod):
    @mod.ffi.def_extern()
    def plus_c(x):
        return x + 1
    assert mod.lib.from_other_file(5) == 12


def test_unattached_prints_and_returns_zero(mod, capfd):
    assert mod.lib.call_unattached(3) == 100
    err = capfd.readouterr().err
    assert "unattached" in err and "def_extern" in err


@pytest.fixture
def reported(monkeypatch, capfd):
    """What was reported about exceptions in callbacks: stderr, or sys.unraisablehook."""
    hooked = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: hooked.append(
        "%s: %s" % (u.exc_type.__name__, u.exc_value)))
    return lambda: capfd.readouterr().err + "".join(hooked)


def test_exception_prints_and_returns_error(mod, reported):
    @mod.ffi.def_extern(error=-7)
    def f(x):
        raise ValueError("boom")
    assert mod.lib.my_algo(2) == -14
    assert "ValueError: boom" in reported()


def test_default_error_is_zero(mod, reported):
    @mod.ffi.def_extern()
    def f(x):
        return "not an int"
    assert mod.lib.my_algo(3) == 0
    assert "TypeError" in reported()


def test_onerror(mod, capfd):
    seen = []

    def handler(exc, value, tb):
        seen.append((exc, tb is not None and tb.tb_frame.f_locals.get("x")))
        return 1000

    @mod.ffi.def_extern(onerror=handler)
    def f(x):
        raise KeyError(x)
    assert mod.lib.my_algo(2) == 2000
    assert seen == [(KeyError, 0), (KeyError, 1)]
    assert capfd.readouterr().err == ""

    def none_handler(exc, value, tb):
        return None

    @mod.ffi.def_extern(onerror=none_handler, error=3)
    def f(x):               # noqa: F811
        raise KeyError(x)
    assert mod.lib.my_algo(2) == 6


def test_unknown_name(mod):
    with pytest.raises(mod.ffi.error):
        @mod.ffi.def_extern()
        def not_declared(x):
            return x


def test_spec_6_7_3_forward_declaration_with_attribute(tmp_path):
    ffi = FFI()
    ffi.cdef("""
        extern "Python+C" int f(int); /* not static */
        int call_f(int);
    """)
    ffi.set_source("_api_extern_attr", r"""
        int f(int) __attribute__((visibility("hidden")));
        static int call_f(int x) { return f(x); }
    """)
    ffi.compile(tmpdir=str(tmp_path))
    m = import_built(tmp_path, "_api_extern_attr")

    @m.ffi.def_extern()
    def f(x):
        return x + 5
    assert m.lib.call_f(1) == 6


def test_results_the_c_fast_path_does_not_convert(mod, reported):
    # number-only extern "Python" functions convert in C; other results take the generic
    # conversion, and its errors are reported as usual
    @mod.ffi.def_extern()
    def f(x):
        return [True, mod.ffi.cast("int", 5), 3][x]
    assert mod.lib.my_algo(3) == 9

    @mod.ffi.def_extern(error=-1)
    def f(x):               # noqa: F811
        return 2**40
    assert mod.lib.my_algo(2) == -2
    assert "OverflowError" in reported()


class _FailingStderr:
    """A stderr whose write() raises, as reporting code may at the recursion limit."""

    def write(self, text):
        raise RecursionError("maximum recursion depth exceeded (simulated)")

    def flush(self):
        pass


def test_error_value_when_reporting_the_exception_fails(mod, monkeypatch):
    monkeypatch.setattr(sys, "stderr", _FailingStderr())
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)

    @mod.ffi.def_extern(error=-7)
    def f(x):
        raise ValueError("boom")
    assert mod.lib.my_algo(2) == -14

    def failing_onerror(exc, value, tb):
        raise KeyError("onerror failed too")

    @mod.ffi.def_extern(error=5, onerror=failing_onerror)
    def f(x):               # noqa: F811
        raise ValueError("boom")
    assert mod.lib.my_algo(2) == 10


def test_variadic_extern_python_refused_at_emit(tmp_path):
    # cffi accepts the declaration and refuses to write the C code: C callers of a variadic
    # function would have no fixed signature to call
    ffi = FFI()
    ffi.cdef('extern "Python" int vf(int, ...);')
    ffi.set_source("_variadic_extern", "")
    with pytest.raises(NotImplementedError) as info:
        ffi.emit_c_code(str(tmp_path / "variadic.c"))
    assert str(info.value) == 'extern_python vf: a vararg function is extern "Python"'
