"""API mode: ffi.new() of a compiled module (its common cases are made in C, the rest by the
runtime) gives what the in-line ffi.new() gives, and what cffi gives, for every kind of type
and initializer, at the first call and after; its errors are cffi's."""
import gc
import re
import shutil
import sys

import pytest

from _backend import FFI, IS_CFFI
from conftest import build_api_module, gil_build_only, python_calls

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_CDEF = """
struct point { int x; double y; };
struct mixed { char c; short s; long long q; float f; unsigned char b[3]; };
union u { int i; double d; };
struct flex { int n; int data[]; };

int total(int *, int);
"""
_SOURCE = """
struct point { int x; double y; };
struct mixed { char c; short s; long long q; float f; unsigned char b[3]; };
union u { int i; double d; };
struct flex { int n; int data[]; };

static int total(int *p, int n) { int t = 0; while (n--) t += p[n]; return t; }
"""

# (cdecl, initializer): None is no initializer
CASES = [
    ("int *", None), ("int *", 5), ("int *", -7), ("int *", 2**31 - 1), ("int *", -2**31),
    ("size_t *", None), ("size_t *", 2**64 - 1), ("size_t *", 2**63),
    ("long long *", -2**63), ("unsigned char *", 255), ("signed char *", -128),
    ("short *", -300), ("unsigned short *", 65535), ("unsigned int *", 2**32 - 1),
    ("long *", 12), ("unsigned long *", 2**64 - 1), ("double *", 1.5), ("double *", 3),
    ("double *", 2**70), ("float *", 0.1), ("float *", 1e300), ("float *", 2),
    ("_Bool *", True), ("_Bool *", 1), ("char *", b"A"), ("wchar_t *", "x"),
    ("struct point *", None), ("struct point *", [1, 2.5]), ("struct point *", (3, 4)),
    ("struct point *", {"x": 5, "y": 6.0}), ("struct point *", [7]),
    ("struct mixed *", None), ("struct mixed *", [b"a", 2, 3, 4.5]),
    ("union u *", None), ("union u *", [4]), ("struct point[2]", [[1, 2.0], [3, 4.0]]),
    ("int[10]", None), ("int[3]", [1, 2, 3]), ("int[3]", (1, 2)), ("int[4]", [1, 2, 3, 4]),
    ("double[2]", [1.5, 2]), ("char[16]", b"hello"), ("char[5]", b"hello"),
    ("unsigned char[4]", b"ab"), ("int[]", 5), ("int[]", [1, 2, 3]),
    ("uint8_t[]", 2048), ("uint8_t[]", 1), ("char[]", b"hello"), ("char[]", b""),
    ("unsigned char[]", b"\x00\xff"), ("double[]", 3), ("struct point[]", 2),
    ("struct flex *", [2, [1, 2]]), ("int[2][3]", None), ("int[][2]", 3),
    ("int **", None), ("void **", None), ("struct point **", None),
]
# what cffi refuses (the message is compared too)
BAD = [
    ("int *", 2**31), ("int *", 1.5), ("int *", "x"), ("int *", b"x"), ("int *", [1]),
    ("unsigned int *", -1), ("size_t *", 2**64), ("unsigned char *", 256),
    ("signed char *", -129), ("double *", "x"), ("_Bool *", 2), ("char *", 65),
    ("struct point *", [1, 2, 3]), ("struct point *", ["a", 2]), ("struct point *", 5),
    ("int[3]", [1, 2, 3, 4]), ("int[3]", ["a", 2, 3]), ("char[5]", b"helloo"),
    ("char[]", "hello"), ("int[]", -1), ("int[]", 2**62), ("uint8_t[]", 2**62),
    ("int[]", 1.5), ("void *", None), ("int", None),
    ("int[3]", [2**40, 1, 1]),
]


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("apinew"), "_api_new", _CDEF, _SOURCE)


@pytest.fixture(scope="module")
def inline():
    ffi = FFI()
    ffi.cdef(_CDEF)
    return ffi


def _seen(ffi, p):
    """What a cdata made by ffi.new() shows."""
    t = ffi.typeof(p)
    shown = [t.cname, ffi.sizeof(p), bytes(ffi.buffer(p))]
    if t.kind == "array":
        shown.append(len(p))
        if t.item.kind == "primitive" and t.item.cname not in ("char", "wchar_t"):
            shown.append(list(p))
    shown.append(re.sub(r"0x[0-9a-f]+", "", repr(p)))
    if t.kind == "pointer" and t.item.kind in ("struct", "union"):     # its `p[0]`, twice
        shown += [ffi.typeof(p[0]).cname, ffi.sizeof(p[0]), ffi.addressof(p[0]) == p,
                  bytes(ffi.buffer(ffi.addressof(p[0])))]
    return shown


def _outcome(ffi, cdecl, init):
    try:
        p = ffi.new(cdecl) if init is None else ffi.new(cdecl, init)
    except Exception as exc:
        return type(exc).__name__, str(exc)
    return _seen(ffi, p)


@pytest.mark.parametrize("cdecl, init", CASES + BAD, ids=["%s-%r" % c for c in CASES + BAD])
def test_new_as_inline_at_first_call_and_after(mod, inline, cdecl, init):
    expected = _outcome(inline, cdecl, init)
    assert _outcome(mod.ffi, cdecl, init) == expected       # the first: filed by the runtime
    assert _outcome(mod.ffi, cdecl, init) == expected       # then the C path
    assert _outcome(mod.ffi, cdecl, init) == expected


@gil_build_only
@pytest.mark.parametrize("name", ["new", "from_buffer", "string", "unpack", "cast", "typeof",
                                  "sizeof"])
def test_is_a_builtin_method_of_the_ffi(mod, name):
    """The ffi methods whose common cases the module's C takes are built-in methods of the
    ffi, as cffi's are."""
    method = getattr(mod.ffi, name)
    assert type(method).__name__ == "builtin_function_or_method"
    assert method.__name__ == name and method.__self__ is mod.ffi
    assert repr(method).startswith("<built-in method %s of _cffi_backend.FFI object at 0x"
                                   % (name,))


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi's C path (cffi's ffi.new is C throughout)")
def test_common_cases_run_no_python_code(mod):
    ffi = mod.ffi
    work = [("int *", 5), ("size_t *", None), ("double *", 1.5), ("struct point *", [1, 2.0]),
            ("int[10]", None), ("int[3]", [1, 2, 3]), ("char[16]", b"hi"), ("uint8_t[]", 64),
            ("char[]", b"hello")]
    for cdecl, init in work:                # the runtime files each type's plan first
        ffi.new(cdecl, init)

    def make():
        made = []
        for cdecl, init in work:
            made.append(ffi.new(cdecl, init))
        return made
    made, calls = python_calls(make)
    assert calls == []
    assert made[0][0] == 5 and made[3].y == 2.0 and list(made[5]) == [1, 2, 3]
    unset = object()
    assert getattr(made[3], "_v_item", unset) is None      # its `p[0]`: none yet, no miss
    assert made[3][0].y == 2.0 and made[3][0].x == 1
    assert ffi.string(made[6]) == b"hi" and len(made[7]) == 64 and ffi.string(made[8]) == b"hello"


def test_memory_is_owned_and_released(mod):
    ffi, lib = mod.ffi, mod.lib
    ffi.new("int[]", 3)
    p = ffi.new("int[]", 1000)
    p[999] = 4
    assert lib.total(p, 1000) == 4
    q = ffi.new("int *", 9)
    ffi.release(q)
    with ffi.new("struct point *", [1, 2.0]) as s:
        assert s.x == 1
    ctype = ffi.typeof("int *")
    for count in (10, 1000):          # the same references after 10 cdata made as after 1000
        for _ in range(count):
            ffi.new("int *", 1)
            ffi.new("int *")
        gc.collect()
        refs = sys.getrefcount(ctype) if count == 10 else refs
    assert sys.getrefcount(ctype) == refs


def test_keywords_and_ctype_objects_go_the_long_way(mod, inline):
    ffi = mod.ffi
    assert ffi.new(ffi.typeof("int *"), 5)[0] == 5
    assert ffi.new(cdecl="int *", init=6)[0] == 6
    assert ffi.new("int *", init=7)[0] == 7
    with pytest.raises(TypeError):
        ffi.new()
    with pytest.raises(TypeError):
        ffi.new("int *", 1, 2)


def test_against_cffi(mod):
    cffi = pytest.importorskip("cffi")
    real = cffi.FFI()
    real.cdef(_CDEF)
    for cdecl, init in CASES + BAD:
        expected = _outcome(real, cdecl, init)
        got = _outcome(mod.ffi, cdecl, init)
        if isinstance(expected, list) and isinstance(got, list):
            got, expected = got[:-1], expected[:-1]      # (the reprs differ in class names)
        assert (cdecl, init, got) == (cdecl, init, expected)


@pytest.mark.skipif(IS_CFFI, reason="purecffi's loader")
def test_binders_of_an_earlier_purecffi_are_still_used():
    # a module built before the built-ins became methods of the ffi: its binders take no ffi
    import types
    from purecffi.apimode import bind_fast_methods
    calls = []

    def binder(name, count):
        def bind(*args):
            if len(args) != count:
                raise TypeError("function takes exactly %d arguments" % (count,))
            calls.append(name)
            return name
        return bind
    module = types.SimpleNamespace(_pc_from_buffer_bind=binder("from_buffer", 2),
                                   _pc_new_bind=binder("new", 10),
                                   _pc_string_bind=binder("string", 4))
    ffi = FFI()
    bind_fast_methods(module, ffi)
    assert calls == ["from_buffer", "new", "string"]
    assert (ffi.from_buffer, ffi.new, ffi.string) == ("from_buffer", "new", "string")


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi's C path (cffi's ffi.new is C throughout)")
def test_many_types_in_turn_stay_in_c(mod):
    ffi = mod.ffi
    types = ["int *", "size_t *", "double *", "short *", "long long *", "unsigned char *",
             "float *", "struct point *", "union u *", "struct mixed *", "int[2]", "int[3]",
             "int[4]", "double[2]", "char[8]", "char[]", "int[]", "uint8_t[]", "int **",
             "unsigned int *"]
    work = [(t, 3 if t.endswith("[]") else None) for t in types]
    for cdecl, init in work:                # the runtime files each type's plan first
        ffi.new(cdecl, init)

    def make():
        made = []
        for _ in range(3):
            for cdecl, init in work:
                made.append(ffi.new(cdecl, init))
        return made
    made, calls = python_calls(make)
    assert calls == [] and [ffi.typeof(p).cname for p in made[:len(types)]] == \
        [ffi.typeof(t).cname for t in types]
