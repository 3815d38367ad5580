"""API mode: `_Bool`, `char` and enum arguments and results (taken and made in C by the fast
wrappers) behave exactly as cffi's: the values they take, what they return, and the errors
for everything else."""
import shutil

import pytest

from _backend import IS_CFFI
from conftest import build_api_module

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_DECLS = """
    enum e { A, B, C = 5 };
    enum s { N = -2, P = 3 };
    enum big { BIG = 0x80000000 };
    typedef enum { T1, T2 } te;
"""
_CDEF = _DECLS + """
    enum e ide(enum e); enum s ids(enum s); enum big idb(enum big); te idt(te);
    _Bool negate(_Bool); int bool_int(_Bool); char next_char(char); int char_int(char);
    int mixed(enum s, _Bool, char, double);
    te only_fast(te, _Bool, char);
"""
_SOURCE = _DECLS + """
    static enum e ide(enum e x) { return x; }
    static enum s ids(enum s x) { return x; }
    static enum big idb(enum big x) { return x; }
    static te idt(te x) { return x; }
    static _Bool negate(_Bool x) { return !x; }
    static int bool_int(_Bool x) { return x; }
    static char next_char(char c) { return (char)(c + 1); }
    static int char_int(char c) { return c; }
    static int mixed(enum s e, _Bool b, char c, double d)
    { return (int)e * 1000 + (b ? 100 : 0) + c + (int)d; }
    static te only_fast(te t, _Bool b, char c) { return b && c == 'x' ? t : T1; }
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("special"), "_api_special", _CDEF, _SOURCE)


def outcome(function, value):
    """The result, or (exception type name, message)."""
    try:
        return function(value)
    except Exception as exc:
        return type(exc).__name__, str(exc)


UNSIGNED_NEGATIVE = ("OverflowError", "can't convert negative number to unsigned")
NOT_AN_INT = ("TypeError", "an integer is required")


@pytest.mark.parametrize("name, value, expected", [
    ("ide", 0, 0), ("ide", 5, 5), ("ide", 7, 7), ("ide", 2 ** 31, 2 ** 31), ("ide", True, 1),
    ("ide", -1, UNSIGNED_NEGATIVE), ("ide", -2 ** 31 - 1, UNSIGNED_NEGATIVE),
    ("ide", 2 ** 32, ("OverflowError", "integer 4294967296 does not fit 'enum e'")),
    ("ide", 1.0, NOT_AN_INT), ("ide", "A", NOT_AN_INT), ("ide", None, NOT_AN_INT),
    ("ids", -2, -2), ("ids", 3, 3), ("ids", -1, -1),
    ("ids", 2 ** 31, ("OverflowError", "integer 2147483648 does not fit 'enum s'")),
    ("ids", -2 ** 31 - 1, ("OverflowError", "integer -2147483649 does not fit 'enum s'")),
    ("idb", 0x80000000, 0x80000000), ("idb", -2, UNSIGNED_NEGATIVE),
    ("idt", 1, 1), ("idt", 2 ** 32, ("OverflowError", "integer 4294967296 does not fit 'te'")),
    ("negate", 0, True), ("negate", 1, False), ("negate", True, False), ("negate", False, True),
    ("negate", 2, ("OverflowError", "integer 2 does not fit '_Bool'")),
    ("negate", -1, ("OverflowError", "integer -1 does not fit '_Bool'")),
    ("negate", 2 ** 70, ("OverflowError", "int too big to convert")),
    ("negate", 1.0, NOT_AN_INT), ("negate", None, NOT_AN_INT), ("negate", b"\x01", NOT_AN_INT),
    ("bool_int", True, 1), ("bool_int", 0, 0),
    ("next_char", b"a", b"b"), ("next_char", b"\xff", b"\x00"), ("char_int", b"A", 65),
    ("char_int", b"", ("TypeError", "initializer for ctype 'char' must be a bytes of length 1, "
                                    "not bytes")),
    ("char_int", b"ab", ("TypeError", "initializer for ctype 'char' must be a bytes of length "
                                      "1, not bytes")),
    ("char_int", 65, ("TypeError", "initializer for ctype 'char' must be a bytes of length 1, "
                                   "not int")),
    ("char_int", "a", ("TypeError", "initializer for ctype 'char' must be a bytes of length 1, "
                                    "not str")),
])
def test_values_and_errors(mod, name, value, expected):
    function = getattr(mod.lib, name)
    for _ in range(2):          # the first call and a later one
        result = outcome(function, value)
        assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize("make, class_name", [
    (lambda ffi: ffi.cast("int", 5), "_CDataBase"),
    (lambda ffi: ffi.NULL, "_CDataBase"),
    (lambda ffi: ffi.new("int *"), "__CDataOwn"),
])
def test_char_given_another_cdata_names_its_class_with_its_module(mod, make, class_name):
    # cffi names the cdata's class as its tp_name spells it, module included
    assert outcome(mod.lib.char_int, make(mod.ffi)) == (
        "TypeError", "initializer for ctype 'char' must be a bytes of length 1, not "
                     "_cffi_backend." + class_name)


def test_signed_char_results(mod):
    assert outcome(mod.lib.char_int, b"\xff") == -1     # `char` is signed here, as in C


def test_cdata_arguments_take_the_slow_path(mod):
    ffi, lib = mod.ffi, mod.lib
    assert lib.ide(ffi.cast("enum e", 5)) == 5
    assert lib.ids(ffi.cast("int", -2)) == -2
    assert outcome(lib.ide, ffi.cast("enum s", -2)) == UNSIGNED_NEGATIVE
    assert lib.negate(ffi.cast("_Bool", 1)) is False
    assert lib.next_char(ffi.cast("char", b"x")) == b"y"


def test_mixed_arguments(mod):
    lib = mod.lib
    assert lib.mixed(3, True, b"\x02", 4.5) == 3106
    assert lib.mixed(-2, 0, b"\x00", 1) == -1999
    assert outcome(lambda v: lib.mixed(3, v, b"a", 0.0), 5) == \
        ("OverflowError", "integer 5 does not fit '_Bool'")
    assert outcome(lambda v: lib.mixed(3, True, v, 0.0), "a")[0] == "TypeError"


def test_fast_route(mod):
    """These functions are called in C with no ctypes call (purecffi's own check: the ctypes
    twin of a fast function is only made when the fast path cannot take the arguments)."""
    only_fast = mod.lib.only_fast
    assert only_fast(1, True, b"x") == 1 and only_fast(1, 1, b"y") == 0
    if not IS_CFFI:
        assert only_fast.__self__._pc_slow._function is None
