"""API mode: ffi.string() of a compiled module (`char *` and `char[]` made in C, the rest by
the runtime) gives what the in-line ffi.string() gives, with the same errors."""
import shutil

import pytest

from _backend import FFI, IS_CFFI
from conftest import build_api_module, gil_build_only, python_calls

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_CDEF = """
enum color { RED, GREEN = 5 };
const char *hello(void);
char *nothing(void);
"""
_SOURCE = """
enum color { RED, GREEN = 5 };
static const char *hello(void) { return "hello world"; }
static char *nothing(void) { return 0; }
"""
# (the cdata, as an expression of `ffi` and `lib`; the maxlen arguments tried)
CASES = [
    ('ffi.new("char[]", b"hello")', ()), ('ffi.new("char[]", b"hello")', (3,)),
    ('ffi.new("char[]", b"hello")', (0,)), ('ffi.new("char[]", b"hello")', (-1,)),
    ('ffi.new("char[]", b"hello")', (100,)), ('ffi.new("char[10]", b"hi")', ()),
    ('ffi.new("char[3]", b"abc")', ()), ('ffi.new("char[3]", b"abc")', (2,)),
    ('ffi.new("char[]", b"a\\0b")', ()), ('ffi.new("char[]", 0)', ()),
    ('ffi.new("char[]", b"hello")[1:3]', ()), ('ffi.new("char[]", b"hello") + 1', ()),
    ('ffi.cast("char *", ffi.new("char[]", b"hello"))', ()),
    ('ffi.cast("char *", ffi.new("char[]", b"hello"))', (2,)),
    ('ffi.cast("char *", ffi.new("char[]", b"hello"))', (5000,)),
    ('ffi.cast("char *", 0)', ()), ('ffi.NULL', ()),
    ('ffi.new("char[]", b"hello")', (1.5,)), ('ffi.new("char[]", b"hello")', (2 ** 64,)),
    ('ffi.new("char[]", b"hello")', ("x",)), ('ffi.new("char[]", b"hello")', (True,)),
    ('ffi.new("unsigned char[]", b"hello")', ()), ('ffi.new("signed char *", 65)', ()),
    ('ffi.new("wchar_t[]", "h\\u00e9llo")', ()), ('ffi.new("char16_t[]", "abc")', (2,)),
    ('ffi.cast("enum color", 5)', ()), ('ffi.cast("enum color", 7)', ()),
    ('ffi.cast("char", 65)', ()), ('ffi.cast("int", 65)', ()), ('ffi.new("int[3]")', ()),
    ('ffi.new("char **")', ()), ('ffi.new("char *")', ()), ('b"hello"', ()), ('None', ()),
    ('5', ()),
]


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("apistring"), "_api_string", _CDEF,
                            _SOURCE)


def _outcome(ffi, lib, expression, extra, method="string"):
    """What ffi.string (or ffi.unpack) of the cdata `expression` with `extra` gives."""
    try:
        cdata = eval(expression, {"ffi": ffi, "lib": lib})
        return "ok", getattr(ffi, method)(cdata, *extra)
    except Exception as exc:
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("expression, extra", CASES, ids=["%s-%r" % c for c in CASES])
def test_string_as_inline(mod, expression, extra):
    inline = FFI()
    inline.cdef(_CDEF)
    expected = _outcome(inline, None, expression, extra)
    assert _outcome(mod.ffi, mod.lib, expression, extra) == expected
    assert _outcome(mod.ffi, mod.lib, expression, extra) == expected


def test_strings_of_function_results(mod):
    ffi, lib = mod.ffi, mod.lib
    assert ffi.string(lib.hello()) == b"hello world"
    assert ffi.string(lib.hello(), 5) == b"hello"
    assert ffi.string(lib.hello(), 2 ** 63 - 1) == b"hello world"
    null = _outcome(ffi, lib, "lib.nothing()", ())
    assert null == _outcome(ffi, lib, 'ffi.cast("char *", 0)', ()) and null[0] == "RuntimeError"


def test_keywords_go_the_long_way(mod):
    ffi = mod.ffi
    p = ffi.new("char[]", b"hello")
    assert ffi.string(p, maxlen=2) == b"he"
    assert ffi.string(cdata=p) == b"hello"
    with pytest.raises(TypeError):
        ffi.string()


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi's C path (cffi's ffi.string is C throughout)")
def test_char_strings_run_no_python_code(mod):
    ffi, lib = mod.ffi, mod.lib
    p = ffi.new("char[]", b"hello")
    q = ffi.cast("char *", p)
    r = lib.hello()
    part = p[1:4]
    made, calls = python_calls(lambda: (ffi.string(p), ffi.string(q, 2), ffi.string(r),
                                        ffi.string(part)))
    assert made == (b"hello", b"he", b"hello world", b"ell") and calls == []


UNPACK_CASES = [
    ('ffi.new("char[]", b"hello")', 5), ('ffi.new("char[]", b"hello")', 0),
    ('ffi.new("char[]", b"hello")', 3), ('ffi.new("char[]", b"a\\0b")', 3),
    ('ffi.new("char[]", b"hello")', -1), ('ffi.new("char[]", b"hello")', 1.5),
    ('ffi.new("char[]", b"hello")', 2 ** 64), ('ffi.new("char[]", b"hello")', True),
    ('ffi.new("char[10]", b"hi")', 10), ('ffi.new("char[]", b"hello")[1:4]', 3),
    ('ffi.new("char[]", b"hello") + 1', 4),
    ('ffi.cast("char *", ffi.new("char[]", b"hello"))', 6), ('ffi.cast("char *", 0)', 0),
    ('ffi.cast("char *", 0)', 3), ('ffi.NULL', 1), ('ffi.new("char *", b"x")', 1),
    ('ffi.new("unsigned char[]", b"hi")', 2), ('ffi.new("signed char[]", b"hi")', 2),
    ('ffi.new("int[3]", [1, 2, 3])', 3), ('ffi.new("wchar_t[]", "hi")', 2),
    ('ffi.new("char **")', 1), ('ffi.cast("char", 65)', 1), ('b"hello"', 2), ('None', 1),
]


@pytest.mark.parametrize("expression, length", UNPACK_CASES,
                         ids=["%s-%r" % c for c in UNPACK_CASES])
def test_unpack_as_inline(mod, expression, length):
    inline = FFI()
    inline.cdef(_CDEF)
    expected = _outcome(inline, None, expression, (length,), "unpack")
    assert _outcome(mod.ffi, mod.lib, expression, (length,), "unpack") == expected
    assert _outcome(mod.ffi, mod.lib, expression, (length,), "unpack") == expected


def test_unpack_of_function_results_and_keywords(mod):
    ffi, lib = mod.ffi, mod.lib
    assert ffi.unpack(lib.hello(), 5) == b"hello"
    assert ffi.unpack(cdata=lib.hello(), length=2) == b"he"
    with pytest.raises(TypeError):
        ffi.unpack(lib.hello())


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi's C path (cffi's ffi.unpack is C throughout)")
def test_char_unpacks_run_no_python_code(mod):
    ffi, lib = mod.ffi, mod.lib
    p = ffi.new("char[]", b"hello")
    q = ffi.cast("char *", p)
    r = lib.hello()
    made, calls = python_calls(lambda: (ffi.unpack(p, 6), ffi.unpack(q, 2), ffi.unpack(r, 11)))
    assert made == (b"hello\0", b"he", b"hello world") and calls == []
    assert repr(ffi.unpack).startswith("<built-in method unpack of _cffi_backend.FFI object at")
