"""purecffi against the installed cffi, side by side, over grids of types and values.

Each case runs the same operation with both implementations in this process and compares what
a program can observe: the result (its bytes, value or repr), or the exception's type.  The
grids were how several conversion bugs were found; they stay as a net for the next ones.
Skipped when cffi is not installed.
"""
import ctypes
import math

import pytest

import purecffi

cffi = pytest.importorskip("cffi")

CAST_TYPES = [
    "char", "signed char", "unsigned char", "short", "unsigned short", "int", "unsigned int",
    "long", "unsigned long", "long long", "unsigned long long", "float", "double", "_Bool",
    "wchar_t", "char16_t", "char32_t", "int8_t", "uint64_t", "size_t", "ssize_t", "intptr_t",
    "enum e", "int *", "char *", "void *", "long double",
]
VALUES = [
    0, 1, -1, 127, 128, 255, 256, -129, 2 ** 31 - 1, 2 ** 31, -2 ** 31, -2 ** 31 - 1, 2 ** 32,
    2 ** 63 - 1, 2 ** 63, 2 ** 64, -2 ** 63 - 1, 0.5, -0.5, 1e300, math.nan, math.inf, True,
    False, b"a", b"", b"ab", "a", "\u20ac", "\U0001f600", "", None, [1], (1,),
]


def _observe(ffi, result):
    """What a program can see of a cast/new result, as a comparable string."""
    if not isinstance(result, ffi.CData):
        return "nan" if isinstance(result, float) and math.isnan(result) else repr(result)
    ctype = ffi.typeof(result)
    if ctype.kind == "pointer":
        return "pointer %d" % int(ffi.cast("intptr_t", result))
    if ctype.cname == "long double":
        return "long double %r" % float(result)
    if ctype.cname == "char":
        return repr(result)
    try:
        return "int %d" % int(result)
    except (TypeError, ValueError, OverflowError):
        value = float(result)
        return "float nan" if math.isnan(value) else "float %r" % value


def _outcome(module, operation, *args):
    ffi = module.FFI()
    ffi.cdef("enum e { A, B = 5 };")
    try:
        return _observe(ffi, operation(ffi, *args))
    except Exception as exc:            # the type is what must agree; messages may differ
        return "raises " + type(exc).__name__


def _same(operation, *args):
    mine = _outcome(purecffi, operation, *args)
    theirs = _outcome(cffi, operation, *args)
    assert mine == theirs, "purecffi: %s / cffi: %s" % (mine, theirs)


@pytest.mark.parametrize("ctype", CAST_TYPES)
def test_cast_agrees_with_cffi(ctype):
    for value in VALUES:
        _same(lambda ffi, t, v: ffi.cast(t, v), ctype, value)


@pytest.mark.parametrize("ctype", CAST_TYPES)
def test_new_and_read_back_agrees_with_cffi(ctype):
    for value in VALUES:
        _same(lambda ffi, t, v: ffi.new(t + " *", v)[0], ctype, value)


INIT_CDEF = """struct p { int x; double y; char c; unsigned char u : 3; int s : 4; };
               struct n { struct p a; int arr[3]; char name[4]; };
               union u { int i; float f; };"""

INITIALIZERS = [
    ("struct p *", None), ("struct p *", [1]), ("struct p *", [1, 2.5, b"z", 7, -8]),
    ("struct p *", [1, 2.5, b"z", 8]), ("struct p *", [1, 2.5, b"z", 1, 8]),
    ("struct p *", [1, 2.5, b"z", 1, -9]), ("struct p *", {"x": 5, "s": -1}),
    ("struct p *", {"q": 1}), ("struct p *", (1, 2.0)), ("struct p *", {"y": "a"}),
    ("struct p *", [1, 2, b"c", 4, 5, 6]),
    ("struct n *", {"a": {"x": 1}, "arr": [1, 2], "name": b"abc"}),
    ("struct n *", {"name": b"abcd"}), ("struct n *", {"name": b"abcde"}),
    ("struct n *", {"arr": [1, 2, 3, 4]}), ("struct n *", [[1, 2.0], [1, 2, 3], b"x"]),
    ("union u *", [5]), ("union u *", {"f": 1.5}), ("union u *", [1, 2]),
    ("union u *", {"i": 1, "f": 2.0}),
    ("int[]", [1, 2, 3]), ("int[]", 3), ("int[]", -1), ("int[3]", [1, 2, 3, 4]),
    ("char[]", b"abc"), ("char[3]", b"abc"), ("char[]", "abc"), ("wchar_t[]", "abc\U0001f600"),
    ("char16_t[]", "a\U0001f600"), ("char32_t[]", "a\U0001f600"), ("int[2][3]", [[1, 2, 3], [4]]),
    ("int[][3]", [[1], [2, 3]]), ("int[][3]", 2), ("_Bool[]", [0, 1, 2]),
    ("_Bool[]", [True, 0.0]), ("float[]", [1, 1e300]), ("double[]", [1, "x"]), ("int *", 5),
    ("int *", None), ("int **", None), ("void *", None), ("char *", b"a"), ("char *", 65),
    ("unsigned char[]", b"\xff\x00"), ("signed char[]", [-128, 127]), ("signed char[]", [128]),
]


def _new_bytes(module, ctype, init):
    ffi = module.FFI()
    ffi.cdef(INIT_CDEF)
    try:
        p = ffi.new(ctype, init) if init is not None else ffi.new(ctype)
        length = len(p) if ffi.typeof(p).kind == "array" else None
        return bytes(ffi.buffer(p)), length
    except Exception as exc:
        return "raises " + type(exc).__name__


@pytest.mark.parametrize("ctype, init", INITIALIZERS, ids=[repr(c) for c in INITIALIZERS])
def test_initializers_agree_with_cffi(ctype, init):
    """The bytes ffi.new() writes (struct padding included), or the error type."""
    assert _new_bytes(purecffi, ctype, init) == _new_bytes(cffi, ctype, init)


CALL_CDEF = """int abs(int); long labs(long); long long llabs(long long); double fabs(double);
               size_t strlen(const char *); int toupper(int);"""
CALL_VALUES = [0, 1, -1, 2 ** 31 - 1, 2 ** 31, -2 ** 31 - 1, 2 ** 63, -2 ** 63 - 1, 2 ** 64, 0.5,
               math.nan, math.inf, True, b"a", b"abc", "a", "abc", None, [1, 2], (1,),
               bytearray(b"x")]


def _call(module, name, value):
    ffi = module.FFI()
    ffi.cdef(CALL_CDEF)
    lib = ffi.dlopen(None)
    try:
        result = getattr(lib, name)(value)
    except Exception as exc:
        return "raises " + type(exc).__name__
    return "nan" if isinstance(result, float) and math.isnan(result) else repr(result)


@pytest.mark.parametrize("name", ["abs", "labs", "llabs", "fabs", "strlen", "toupper"])
def test_call_arguments_agree_with_cffi(name):
    for value in CALL_VALUES:
        if name == "toupper" and isinstance(value, int) and not -1 <= value <= 255:
            continue        # outside unsigned char and EOF, toupper() is undefined behaviour
        assert _call(purecffi, name, value) == _call(cffi, name, value), (name, value)


PRIMITIVE_SOURCES = ["int", "char", "wchar_t", "_Bool", "enum e", "unsigned long long", "float",
                     "double", "long double"]


def _conversions(module, source):
    """float()/int()/bool() of a primitive cdata, and writing or passing it as a double."""
    ffi = module.FFI()
    ffi.cdef("enum e { A, B = 5 }; double fabs(double);")
    lib = ffi.dlopen(None)
    value = ffi.cast(source, 65)
    results = []
    for operation in (float, int, bool, lambda v: ffi.new("double *", v)[0],
                      lambda v: ffi.new("float *", v)[0], lambda v: float(ffi.cast("double", v)),
                      lambda v: lib.fabs(v), lambda v: ffi.new("int *", v)[0]):
        try:
            results.append(repr(operation(value)))
        except Exception as exc:
            results.append("raises " + type(exc).__name__)
    return results


@pytest.mark.parametrize("source", PRIMITIVE_SOURCES)
def test_primitive_cdata_conversions_agree_with_cffi(source):
    """Spec 7.2: float() is only for the floating types; cast() converts any number."""
    assert _conversions(purecffi, source) == _conversions(cffi, source)


def _call_with_cdata(module, name, source):
    ffi = module.FFI()
    ffi.cdef(CALL_CDEF + "enum e { A, B = 5 };")
    lib = ffi.dlopen(None)
    try:
        return repr(getattr(lib, name)(ffi.cast(source, 65)))
    except Exception as exc:
        return "raises " + type(exc).__name__


@pytest.mark.parametrize("name", ["abs", "llabs", "fabs", "toupper"])
@pytest.mark.parametrize("source", PRIMITIVE_SOURCES)
def test_primitive_cdata_arguments_agree_with_cffi(name, source):
    assert _call_with_cdata(purecffi, name, source) == _call_with_cdata(cffi, name, source)


LONG_DOUBLE_VALUES = ["1.5", "-0.0", "float('inf')", "float('-inf')", "float('nan')", "1e308",
                      "5e-324", "3", "2**63 + 1", "2**1100", "True", "ffi.cast('double', 2.5)",
                      "ffi.cast('long double', 7.25)", "ffi.cast('int', -4)", "'x'", "None",
                      "[1.0]", "1j"]


def _long_double_writes(module):
    """The 10 bytes of an 80-bit long double written from each value (an item, a field, a
    new() initializer), or the exception's type and message."""
    ffi = module.FFI()
    ffi.cdef("struct s { char c; long double x; };")
    outcomes = []
    for text in LONG_DOUBLE_VALUES:
        for how in ("item", "field", "new"):
            try:
                value = eval(text, {"ffi": ffi})
                if how == "item":
                    p = ffi.new("long double[2]")
                    p[1] = value
                    p = p + 1
                elif how == "field":
                    s = ffi.new("struct s *")
                    s.x = value
                    p = ffi.addressof(s, "x")
                else:
                    p = ffi.new("long double *", value)
                outcomes.append(ffi.buffer(p, 10)[:])
            except Exception as exc:
                outcomes.append((type(exc).__name__, str(exc)))
    return outcomes


@pytest.mark.skipif(ctypes.sizeof(ctypes.c_longdouble) != 16, reason="x87 long double only")
def test_long_double_writes_agree_with_cffi():
    ours, theirs = _long_double_writes(purecffi), _long_double_writes(cffi)
    assert ours == theirs
    assert ours[0] == bytes.fromhex("00000000000000c0ff3f")      # 1.5 as an item
