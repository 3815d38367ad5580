"""API mode: pointer arguments given as bytes, cdata arrays, from_buffer() and out-parameters
(taken in C by the fast wrappers) behave exactly as the generic conversion."""
import shutil
import sys
import weakref

import pytest

from _backend import IS_CFFI
from conftest import build_api_module, gil_build_only, python_calls, run_together

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_CDEF = """
    size_t sum(const unsigned char *, size_t);
    int fill(char *out, size_t n, size_t *written);
    int first(const char *);
    int total(int *, int);
    void *same(void *);
    int count_true(_Bool *, int);
"""

_SOURCE = """
    #include <string.h>
    static size_t sum(const unsigned char *p, size_t n)
    { size_t i, t = 0; for (i = 0; i < n; i++) t += p[i]; return t; }
    static int fill(char *out, size_t n, size_t *written)
    { size_t i; for (i = 0; i < n; i++) out[i] = 'a' + (char)i; *written = n; return 7; }
    static int first(const char *s) { return s ? s[0] : -1; }
    static int total(int *p, int n) { int i, t = 0; for (i = 0; i < n; i++) t += p[i]; return t; }
    static void *same(void *p) { return p; }
    static int count_true(_Bool *p, int n) { int i, t = 0; for (i = 0; i < n; i++) t += p[i]; return t; }
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("ptrargs"), "_api_ptrargs", _CDEF, _SOURCE)


def test_bytes_for_char_pointers(mod):
    ffi, lib = mod.ffi, mod.lib
    assert lib.sum(b"\x01\x02\x03", 3) == 6
    assert lib.first(b"A") == 65
    assert lib.sum(b"", 0) == 0


def test_arrays_of_the_item_type(mod):
    ffi, lib = mod.ffi, mod.lib
    data = ffi.new("unsigned char[]", [5, 6, 7])
    assert lib.sum(data, 3) == 18
    numbers = ffi.new("int[4]", [1, 2, 3, 4])
    assert lib.total(numbers, 4) == 10
    assert lib.total(numbers[1:3], 2) == 5           # a slice is an open array


def test_out_buffer_and_size_pointer(mod):
    ffi, lib = mod.ffi, mod.lib
    out = ffi.new("char[]", 8)
    written = ffi.new("size_t *")
    assert lib.fill(out, 5, written) == 7
    assert written[0] == 5
    assert ffi.string(out) == b"abcde"


def test_from_buffer_arguments(mod):
    ffi, lib = mod.ffi, mod.lib
    data = bytearray(b"\x01\x02\x03\x04")
    assert lib.sum(ffi.from_buffer("unsigned char[]", data), 4) == 10
    out = bytearray(3)
    written = ffi.new("size_t *")
    lib.fill(ffi.from_buffer(out), 3, written)
    assert out == b"abc" and written[0] == 3


def test_streaming_step(mod):
    ffi, lib = mod.ffi, mod.lib
    out = ffi.new("uint8_t[]", 16)
    n = ffi.new("size_t *", 16)
    assert lib.sum(ffi.from_buffer("unsigned char[]", b"\x09\x01"), 2) == 10
    lib.fill(ffi.cast("char *", out), 4, n)
    assert ffi.buffer(out, n[0])[:] == b"abcd"


def test_refused_arguments_keep_their_errors(mod):
    ffi, lib = mod.ffi, mod.lib
    with pytest.raises(TypeError):
        lib.total(b"\x01\x00\x00\x00", 1)                  # bytes: only for char-like items
    with pytest.raises(TypeError):
        lib.total(ffi.new("short[2]"), 2)                  # an array of another item type
    with pytest.raises(TypeError):
        lib.sum(bytearray(b"ab"), 2)                       # a bytearray is not a pointer
    with pytest.raises(TypeError):
        lib.fill(ffi.new("char[]", 4), 1, ffi.new("int *"))   # int * for size_t *
    with pytest.raises(TypeError):
        lib.sum(ffi.new("int *"), 1)


def test_bytes_for_a_bool_pointer_are_checked(mod):
    """A `_Bool *` takes bytes of 0s and 1s only."""
    lib = mod.lib
    assert lib.count_true(b"\x01\x00\x01", 3) == 2
    with pytest.raises(ValueError, match=r"an array of _Bool can only contain \\x00 or \\x01"):
        lib.count_true(b"\x01\x02", 2)


@pytest.mark.parametrize("call, message", [
    (lambda lib: lib.same("x"), "initializer for ctype 'void *' must be a cdata pointer, not str"),
    (lambda lib: lib.total("x", 1), "initializer for ctype 'int *' must be a list or tuple, not str"),
    (lambda lib: lib.sum("x", 1),
     "initializer for ctype 'unsigned char *' must be a bytes or list or tuple, not str"),
])
def test_str_for_a_pointer_is_refused_as_cffi_words_it(mod, call, message):
    with pytest.raises(TypeError) as info:
        call(mod.lib)
    assert str(info.value) == message


def test_null_and_void_pointers(mod):
    ffi, lib = mod.ffi, mod.lib
    assert lib.first(ffi.NULL) == -1
    arr = ffi.new("int[2]")
    assert lib.same(arr) == ffi.cast("void *", arr)
    assert lib.same(b"xy") != ffi.NULL


def _address(ffi, cdata):
    return int(ffi.cast("uintptr_t", cdata))


def test_void_pointer_takes_every_pointer_and_array(mod):
    """A `void *` parameter takes a cdata pointer or array of any type, and a `void *` cdata
    goes to a parameter of any pointer type, as in cffi."""
    ffi, lib = mod.ffi, mod.lib
    for value in [ffi.new("int *"), ffi.new("double[3]"), ffi.new("char **"),
                  ffi.new("int[2][3]"), ffi.cast("short *", 24), ffi.cast("void **", 0),
                  ffi.new("unsigned char[]", 5)[1:3], ffi.from_buffer(bytearray(4)),
                  ffi.cast("void *", 8)]:
        for _ in range(2):
            result = lib.same(value)
            assert ffi.typeof(result) is ffi.typeof("void *")
            assert _address(ffi, result) == _address(ffi, value)
    numbers = ffi.new("int[3]", [4, 5, 6])
    assert lib.total(ffi.cast("void *", numbers), 3) == 15
    text = ffi.new("char[]", b"Q")
    assert lib.first(ffi.cast("void *", text)) == ord("Q")
    written = ffi.new("size_t *")
    lib.fill(ffi.new("char[]", 4), 2, ffi.cast("void *", written))
    assert written[0] == 2


def test_void_pointer_refusals_keep_their_errors(mod):
    ffi, lib = mod.ffi, mod.lib
    with pytest.raises(TypeError) as info:
        lib.same(ffi.cast("int", 5))
    assert str(info.value) == \
        "initializer for ctype 'void *' must be a pointer or array, not cdata 'int'"
    with pytest.raises(TypeError) as info:
        lib.total(ffi.new("char[]", 4), 1)
    assert str(info.value) == ("implicit cast from 'char *' to a different pointer type: "
                               "(check that the types are as you expect; use an explicit "
                               "ffi.cast() if they are correct)")
    with pytest.raises(TypeError) as info:
        lib.total(ffi.new("double *"), 1)
    assert str(info.value) == ("initializer for ctype 'int *' must be a pointer to same type, "
                               "not cdata 'double *'")


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi internals: the C route of its fast wrappers")
def test_void_pointer_arguments_run_no_python_code(mod):
    ffi, lib = mod.ffi, mod.lib
    p, a, vp = ffi.new("double *"), ffi.new("int[4]"), ffi.cast("void *", ffi.new("int[4]"))
    lib.same(p), lib.same(a), lib.total(vp, 0)
    _, calls = python_calls(lambda: (lib.same(p), lib.same(a), lib.total(vp, 0), lib.first(vp)))
    assert calls == []


# -- Pointer results, and function-pointer arguments ----
_RESULTS_CDEF = """
    struct node { int value; struct node *next; };
    struct later;
    struct node *node_at(int);
    char *text(int);
    const int *ints(int);
    double *no_doubles(void);
    struct later *opaque_at(int);
    void *raw(int);
    int apply(int (*)(int), int);
    int twice(int);
    int *skew(int);
    int count_args(int, ...);
    int starts(const char *);
"""

_RESULTS_SOURCE = """
    struct node { int value; struct node *next; };
    struct later { int hidden; };
    static struct node NODES[3] = {{1, &NODES[1]}, {2, &NODES[2]}, {3, 0}};
    static char TEXT[] = "hello";
    static const int INTS[] = {10, 20, 30};
    static struct later LATER = {7};
    static struct node *node_at(int i) { return i < 0 ? 0 : &NODES[i]; }
    static char *text(int i) { return i < 0 ? 0 : TEXT + i; }
    static const int *ints(int i) { return INTS + i; }
    static double *no_doubles(void) { return 0; }
    static struct later *opaque_at(int i) { return i ? &LATER : 0; }
    static void *raw(int i) { return (void *)(TEXT + i); }
    static int apply(int (*f)(int), int x) { return f ? f(x) : -x; }
    static int twice(int x) { return 2 * x; }
    static int *skew(int i) { return (int *)((char *)INTS + i); }
    static int count_args(int n, ...) { return n; }
    static int starts(const char *s) { return s ? s[0] : -1; }
"""


@pytest.fixture(scope="module")
def results_mod(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("ptrres"), "_api_ptrres", _RESULTS_CDEF,
                            _RESULTS_SOURCE)


def test_pointer_results(results_mod):
    ffi, lib = results_mod.ffi, results_mod.lib
    for _ in range(3):          # the first call and the later ones
        node = lib.node_at(0)
        assert ffi.typeof(node) is ffi.typeof("struct node *")
        assert (node.value, node.next.value, node.next.next.value) == (1, 2, 3)
        assert node.next.next.next == ffi.NULL
        assert lib.node_at(-1) == ffi.NULL and repr(lib.node_at(-1)) == \
            "<cdata 'struct node *' NULL>"
        assert ffi.string(lib.text(1)) == b"ello" and lib.text(-1) == ffi.NULL
        assert ffi.typeof(lib.text(0)) is ffi.typeof("char *")
        assert lib.ints(1)[0] == 20 and lib.ints(0)[2] == 30
        assert lib.no_doubles() == ffi.NULL
        assert ffi.typeof(lib.opaque_at(1)) is ffi.typeof("struct later *")
        assert lib.opaque_at(0) == ffi.NULL
        assert ffi.string(ffi.cast("char *", lib.raw(2))) == b"llo"
        assert ffi.typeof(lib.raw(0)) is ffi.typeof("void *")
        # the slow path (an argument the fast one does not take) gives the same
        assert lib.node_at(True).value == 2


@pytest.mark.skipif(IS_CFFI, reason="purecffi internals: its result makers")
def test_pointer_results_made_as_the_runtime_makes_them(results_mod):
    """The C code makes a pointer result's cdata itself: the same class as the runtime's
    result maker gives (the fast class only for non-NULL aligned addresses), the result
    type, the address, nothing kept alive, and no reference leaked."""
    from purecffi import call
    ffi, lib = results_mod.ffi, results_mod.lib
    for name, arg in [("node_at", 1), ("node_at", -1), ("text", 1), ("ints", 1),
                      ("skew", 1), ("skew", 4), ("skew", 0), ("raw", 3), ("opaque_at", 1),
                      ("opaque_at", 0), ("no_doubles", None)]:
        function = getattr(lib, name)
        got = function() if arg is None else function(arg)
        ctype = ffi.typeof(function).result
        address = int(ffi.cast("uintptr_t", got))
        expected = call.pointer_result_maker(ctype)(address)
        assert type(got) is type(expected), (name, arg)
        assert ffi.typeof(got) is ctype and got == expected
        weakref.ref(got)            # (a cdata class's __weakref__ slot)
    assert lib.skew(4)[0] == 20 and lib.skew(0)[1] == 20
    assert ffi.cast("char *", lib.skew(1)) == ffi.cast("char *", lib.skew(0)) + 1
    ctype = ffi.typeof("struct node *")
    before = sys.getrefcount(ctype), sys.getrefcount(None)
    for _ in range(1000):
        lib.node_at(2)
    assert sys.getrefcount(ctype) - before[0] < 10 and sys.getrefcount(None) - before[1] < 10


@gil_build_only
def test_pointer_results_run_no_python_code(results_mod):
    """After the first call (which reads the type's classes), a pointer result is made in C:
    no Python function runs, where the result maker would."""
    lib = results_mod.lib
    lib.node_at(0), lib.skew(1), lib.node_at(-1)
    calls = []

    def profile(frame, event, arg):
        if event == "call":
            calls.append(frame.f_code.co_name)
    sys.setprofile(profile)
    try:
        results = [lib.node_at(0), lib.node_at(-1), lib.skew(1), lib.skew(4), lib.text(1)]
    finally:
        sys.setprofile(None)
    assert calls == [] and len(results) == 5


@pytest.mark.skipif(IS_CFFI, reason="purecffi internals: a type's runtime")
def test_pointer_results_follow_a_new_runtime(results_mod):
    """A type given a new runtime (as a struct completed later is) gives results of the new
    runtime's classes: the C code reads them again."""
    ffi, lib = results_mod.ffi, results_mod.lib
    ctype = ffi.typeof("struct node *")
    old = lib.node_at(0)
    old_rt = ctype._rt
    assert type(old) is old_rt.fast_class
    ctype._rt = None                # what a completed struct does to the pointer to it
    node = lib.node_at(1)
    assert ctype._rt is not None and ctype._rt is not old_rt
    assert type(node) is ctype._rt.fast_class and type(node) is not type(old)
    assert node.value == 2 and node.next.value == 3 and lib.node_at(-1) == ffi.NULL
    assert type(lib.node_at(-1)) is ctype._rt.cdata_class


def test_pointer_results_from_threads_at_once(results_mod):
    lib = results_mod.lib
    values = run_together(lambda i: lib.node_at(i % 3).value)
    assert sorted(values) == sorted(i % 3 + 1 for i in range(8))


def test_function_pointer_arguments(results_mod):
    ffi, lib = results_mod.ffi, results_mod.lib
    for _ in range(3):          # NULL's class is learnt by the first call
        assert lib.apply(ffi.NULL, 5) == -5
        assert lib.apply(lib.twice, 5) == 10
        assert lib.apply(ffi.cast("int(*)(int)", 0), 4) == -4
        assert lib.apply(ffi.callback("int(int)", lambda x: x + 1), 4) == 5
    with pytest.raises(TypeError):
        lib.apply(ffi.new("int *"), 1)
    with pytest.raises(TypeError):
        lib.apply(42, 1)
    for _ in range(2):          # a lib function of another type: refused, C path or not
        with pytest.raises(TypeError) as info:
            lib.apply(lib.starts, 1)
        assert str(info.value) == ("initializer for ctype 'int(*)(int)' must be a pointer to "
                                   "same type, not cdata 'int(*)(char *)'")


def test_lib_function_where_a_char_pointer_goes(results_mod):
    ffi, lib = results_mod.ffi, results_mod.lib
    for value in (lib.twice, ffi.cast("int(*)(int)", 0)):
        with pytest.raises(TypeError) as info:
            lib.starts(value)
        assert str(info.value) == (
            "implicit cast to 'char *' from a different pointer type.(check that the types "
            "are as you expect; use an explicit ffi.cast() if they are correct)")
        with pytest.raises(TypeError) as info:
            ffi.new("char **", value)
        assert str(info.value).startswith("implicit cast to 'char *' from a different pointer")
    with pytest.raises(TypeError) as info:
        ffi.new("int **", lib.twice)
    assert str(info.value) == ("initializer for ctype 'int *' must be a pointer to same type, "
                               "not cdata 'int(*)(int)'")


def test_lib_function_in_the_variadic_part(results_mod):
    ffi, lib = results_mod.ffi, results_mod.lib
    with pytest.raises(TypeError) as info:
        lib.count_args(1, lib.twice)
    assert str(info.value) == ("argument 2 passed in the variadic part needs to be a cdata "
                               "object (got builtin_function_or_method)")
    assert lib.count_args(1, ffi.cast("int(*)(int)", ffi.addressof(lib, "twice"))) == 1
    assert lib.count_args(2, lib.count_args) == 2       # a variadic one is a cdata
