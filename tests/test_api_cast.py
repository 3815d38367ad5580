"""API mode: ffi.cast() of a compiled module (the type found in C, then the runtime's cast
function of that type) gives what the in-line ffi.cast() gives, with the same errors."""
import shutil

import pytest

from _backend import FFI, IS_CFFI
from conftest import build_api_module, gil_build_only, normalised, python_calls

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_CDEF = """
enum color { RED, GREEN = 5 };
struct pt { int x; double y; };
typedef int (*op_t)(int);
int twice(int);
"""
_SOURCE = """
enum color { RED, GREEN = 5 };
struct pt { int x; double y; };
typedef int (*op_t)(int);
static int twice(int x) { return 2 * x; }
"""
TYPES = ["int", "unsigned char", "char", "_Bool", "float", "double", "long double",
         "long long", "size_t", "enum color", "wchar_t", "int *", "char *", "void *",
         "struct pt *", "int[3]", "struct pt", "op_t", "int(*)(int)", "intptr_t"]
VALUES = ["0", "1", "-1", "2**64 + 5", "-2**70", "1.5", "float('nan')", "True", "b'A'",
          "'A'", "None", "[1]", "ffi.NULL", "ffi.new('int[3]', [1, 2, 3])",
          "ffi.new('char[]', b'hi')", "ffi.new('struct pt *', [1, 2.5])",
          "ffi.new('struct pt *')[0]", "ffi.cast('double', 2.5)", "ffi.cast('char', 66)",
          "lib.twice", "ffi.cast('op_t', lib.twice)", "ffi.new('long double *', 3)[0]"]


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("apicast"), "_api_cast", _CDEF, _SOURCE)


def _outcome(ffi, lib, cdecl, expression, cast=None):
    """What `cast` (by default ffi.cast) of (cdecl, value) gives, shown as values that do
    not depend on the ffi."""
    try:
        value = eval(expression, {"ffi": ffi, "lib": lib})
    except Exception as exc:            # (a value an ffi cannot make: both the same)
        return "setup", type(exc).__name__
    try:
        result = (cast or ffi.cast)(cdecl, value)
    except Exception as exc:
        return type(exc).__name__, normalised(str(exc))
    kind = ffi.typeof(result).kind
    if kind in ("primitive", "enum") and isinstance(value, ffi.CData) and \
            ffi.typeof(value).kind in ("pointer", "array", "function"):
        # an address as a number: it differs between allocations
        return "ok", [ffi.typeof(result).cname, int(result) == int(ffi.cast("intptr_t", value))
                      if ffi.sizeof(result) == 8 else "address"]
    try:
        shown = [normalised(repr(result)), ffi.typeof(result).cname]
    except SystemError:             # (cffi's repr of some wchar_t values)
        return "ok", "no repr"
    if kind == "pointer" or kind == "function":
        shown.append(int(ffi.cast("intptr_t", result)) == int(ffi.cast("intptr_t", value))
                     if not isinstance(value, (int, float)) else
                     int(ffi.cast("uintptr_t", result)))
    return "ok", shown


@pytest.mark.parametrize("cdecl", TYPES)
def test_cast_as_inline(mod, cdecl):
    """The module's ffi.cast against the in-line one, and against its own runtime method
    (the Python façade: for the values only the module can make, its C functions)."""
    inline = FFI()
    inline.cdef(_CDEF)
    runtime_cast = type(mod.ffi).cast.__get__(mod.ffi)
    for expression in VALUES:
        expected = _outcome(mod.ffi, mod.lib, cdecl, expression, runtime_cast)
        if "lib." not in expression:
            assert _outcome(inline, None, cdecl, expression) == expected, expression
        # twice: a type's cast function is prepared at its first cast
        for _ in range(2):
            assert _outcome(mod.ffi, mod.lib, cdecl, expression) == expected, expression


def test_ctypes_and_keywords_go_the_long_way(mod):
    ffi = mod.ffi
    assert ffi.cast(ffi.typeof("int"), 7) == 7
    if not IS_CFFI:     # (cffi's API-mode ffi.cast takes no keywords; its in-line one does)
        assert ffi.cast(cdecl="short", source=70000) == 70000 - 65536
        assert int(ffi.cast("unsigned short", source=-1)) == 65535
    with pytest.raises(TypeError):
        ffi.cast("int")
    with pytest.raises(TypeError):
        ffi.cast("int", 1, 2)
    with pytest.raises(ffi.error):
        ffi.cast("struct nope *", 0)


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi's C path (cffi's ffi.cast is C throughout)")
def test_a_cast_runs_only_the_type_cast_function(mod):
    ffi = mod.ffi
    p = ffi.new("int[3]")
    ffi.cast("int *", p)
    ffi.cast("double", 1.5)
    made, calls = python_calls(lambda: (ffi.cast("int *", p), ffi.cast("double", 1.5)))
    assert made[0] == p and made[1] == 1.5
    assert calls == ["cast_double"]         # (a pointer type's cast of a cdata: in C)


POINTER_TYPES = ["int *", "char *", "void *", "struct pt *", "double *", "short *",
                 "int **", "unsigned char *", "long double *", "enum color *"]
POINTER_VALUES = ["0", "1", "8", "4096 + 2", "2**48", "2**64 - 8", "2**64", "-8", "True",
                  "ffi.NULL", "ffi.new('int[3]', [1, 2, 3])", "ffi.new('int[3]') + 1",
                  "ffi.new('char[]', b'hi')", "ffi.new('struct pt *', [1, 2.5])",
                  "ffi.new('struct pt *')[0]", "ffi.new('int *')", "ffi.cast('char *', 3)",
                  "ffi.cast('int *', 4096)", "ffi.new_handle(5)",
                  "ffi.cast('void *', ffi.new_handle(5))", "ffi.from_buffer(b'abcd')",
                  "ffi.buffer(ffi.new('int[2]'))", "ffi.gc(ffi.new('int *'), lambda p: 0)",
                  "ffi.new('struct pt[2]')", "ffi.cast('op_t', lib.twice)", "lib.twice"]


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi's C path against its runtime")
@pytest.mark.parametrize("cdecl", POINTER_TYPES)
def test_pointer_casts_in_c_make_what_the_runtime_makes(mod, cdecl):
    """The C path of a pointer type's cast makes the runtime's object: the same class (the
    plain, aligned or ffi.cast() class of the address), address, `_keep`, and unset view."""
    ffi, lib = mod.ffi, mod.lib
    runtime_cast = type(ffi).cast.__get__(ffi)
    for expression in POINTER_VALUES:
        value = eval(expression)
        try:
            expected = runtime_cast(cdecl, value)
        except Exception as exc:
            with pytest.raises(type(exc)) as caught:
                ffi.cast(cdecl, value)
            assert str(caught.value) == str(exc), expression
            continue
        for _ in range(2):
            made = ffi.cast(cdecl, value)
            assert type(made) is type(expected), expression
            assert (made._ctype, made._addr) == (expected._ctype, expected._addr), expression
            assert made._keep is expected._keep, expression
            assert getattr(made, "_v", "unset") == getattr(expected, "_v", "unset"), expression
        if made._addr == value and value:       # (an int: the first items read alike)
            continue
        if cdecl == "int *" and "[3], [1, 2, 3]" in expression:
            assert (made[0], made[2], list(made[0:3])) == (1, 3, [1, 2, 3])


TYPEOF_ARGUMENTS = ["'int'", "'struct pt *'", "'struct pt'", "'int[3]'", "'op_t'",
                    "'enum color'", "'nope'", "'int *'", "'struct nope'", "'void'", "'int(int)'",
                    "ffi.typeof('int')", "ffi.new('int *')", "ffi.new('int[3]')",
                    "ffi.new('struct pt *')", "ffi.new('struct pt *')[0]",
                    "ffi.new('struct pt[2]')[1]", "ffi.cast('int *', 8)", "ffi.cast('int', 5)",
                    "ffi.NULL", "lib.twice", "ffi.cast('op_t', lib.twice)",
                    "ffi.new_handle(1)", "ffi.from_buffer(b'ab')", "ffi.buffer(ffi.new('int *'))",
                    "ffi.new('int[]', 5)", "ffi.gc(ffi.new('int *'), lambda p: 0)",
                    "ffi.new('int[]', 0)", "ffi.new('int[5]')[1:3]", "ffi.new('char[]', b'abc')",
                    "ffi.from_buffer('int[]', bytearray(12))", "ffi.new('struct pt[]', 2)",
                    "ffi.new('int[2]') + 1", "ffi.new('long double[3]')",
                    "5", "None", "b'int'", "[1]"]


@pytest.mark.parametrize("method", ["typeof", "sizeof"])
def test_typeof_and_sizeof_as_the_runtime(mod, method):
    """The module's ffi.typeof and ffi.sizeof (strings and cdata found in C) give what its
    runtime methods give, errors included, twice (the first call may parse and file)."""
    ffi, lib = mod.ffi, mod.lib
    runtime = getattr(type(ffi), method).__get__(ffi)
    fast = getattr(ffi, method)

    def outcome(function, argument):
        try:
            return "ok", function(argument)
        except Exception as exc:
            return type(exc).__name__, normalised(str(exc))
    for expression in TYPEOF_ARGUMENTS:
        value = eval(expression)
        for _ in range(2):
            expected = outcome(runtime, value)
            assert outcome(fast, value) == expected, expression
    with pytest.raises(TypeError):
        fast()
    with pytest.raises(TypeError):
        fast("int", "int")
    if not IS_CFFI:     # (keywords: the runtime's method, which takes them)
        assert fast(cdecl="int") == runtime("int")


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi's C path (cffi's methods are C throughout)")
def test_typeof_and_sizeof_run_no_python(mod):
    ffi = mod.ffi
    p = ffi.new("struct pt *")
    expected = (ffi.typeof(p), ffi.typeof("struct pt *"), ffi.sizeof("struct pt"))
    a = ffi.new("int[]", 7)
    expected += (ffi.sizeof(a),)
    made, calls = python_calls(lambda: (ffi.typeof(p), ffi.typeof("struct pt *"),
                                        ffi.sizeof("struct pt"), ffi.sizeof(a)))
    assert made == expected and calls == []
    assert type(ffi.typeof).__name__ == "builtin_function_or_method"


@gil_build_only
@pytest.mark.skipif(IS_CFFI, reason="purecffi's C path against its runtime")
def test_pointer_casts_to_types_in_turn(mod):
    """Casts alternating between pointer types (the C keeps the `_v` slot's offset of the last
    class it saw) make what the runtime makes, and read the memory through each type."""
    ffi = mod.ffi
    runtime_cast = type(ffi).cast.__get__(ffi)
    a = ffi.new("int[4]", [1, 2, 3, 4])
    for _ in range(3):
        for cdecl, index, expected in (("int *", 1, 2), ("short *", 2, 2),
                                       ("unsigned int *", 3, 4), ("double *", 0, None)):
            made, reference = ffi.cast(cdecl, a), runtime_cast(cdecl, a)
            assert type(made) is type(reference) and made._v is reference._v is None
            if expected is not None:
                assert (made[index], made[index]) == (expected, expected)
