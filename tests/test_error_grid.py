"""Errors a user can read: a grid of bad inputs (ffi.new, ffi.cast, field and item writes,
call arguments, callback results, ffi.string/unpack/buffer/from_buffer...) whose exception
type and message are cffi's, with no internal exception chained behind them.

Every row was checked against cffi (PURECFFI_TEST_AGAINST=cffi runs this file on it).
Deliberate differences (more helpful messages, cffi's internal type names) are not in the grid.
"""
import ctypes.util

import pytest

from _backend import FFI

CDEF = """
struct pt { int x, y; };
union u { int a; double d; };
struct s { char name[4]; int *ip; struct pt p; float f; _Bool b; unsigned char uc;
           signed char sc; long double ld; int arr[3]; char *cp; void *vp;
           enum e { E0, E1 } e; struct pt *pp; };
typedef int (*fn_t)(int);
int abs(int); size_t strlen(const char *); long labs(long); double sqrt(double);
int atoi(const char *); void *memset(void *, int, size_t); char *strcpy(char *, const char *);
int snprintf(char *, size_t, const char *, ...);
uint32_t crc32(uint32_t, const unsigned char *, unsigned int);
float fabsf(float);
"""


def _library(ffi, name):
    path = ctypes.util.find_library(name)
    return ffi.dlopen(path) if path is not None else None


@pytest.fixture(scope="module")
def namespace():
    """The names the rows use: an ffi, libc, libm, zlib and some cdata."""
    ffi = FFI()
    ffi.cdef(CDEF)
    ns = dict(ffi=ffi, libc=_library(ffi, "c"), libm=_library(ffi, "m"), libz=_library(ffi, "z"),
              sp=ffi.new("struct s *"), arr=ffi.new("int[3]"), carr=ffi.new("char[4]"),
              ucarr=ffi.new("unsigned char[4]"), scarr=ffi.new("signed char[4]"),
              ip=ffi.new("int *"), pt=ffi.new("struct pt *"), u=ffi.new("union u *"),
              obj=object())

    def cb_case(signature, result):
        """Call a callback returning `result`: (what C got, the errors onerror saw)."""
        seen = []

        def onerror(exc_type, exc_value, tb):
            seen.append("%s: %s" % (exc_type.__name__, exc_value))
        callback = ffi.callback(signature, lambda *args: result, onerror=onerror)
        args = [ffi.NULL if "*" in signature.split("(")[1] else 0]
        value = callback(*args)
        return (value if not isinstance(value, ffi.CData) else "cdata", seen)
    ns["cb_case"] = cb_case
    return ns


def run(expression, ns):
    """Evaluate (or execute, for an assignment) one row."""
    try:
        code = compile(expression, "<row>", "eval")
    except SyntaxError:
        code = compile(expression, "<row>", "exec")
    return eval(code, ns)


ROWS = [
    ('ffi.new("char[]", "hello")', 'TypeError', "initializer for ctype 'char[]' must be a bytes or list or tuple, not str"),
    ('ffi.new("uint8_t[]", "text")', 'TypeError', "initializer for ctype 'uint8_t[]' must be a bytes or list or tuple, not str"),
    ('ffi.new("int8_t[]", "text")', 'TypeError', "initializer for ctype 'int8_t[]' must be a bytes or list or tuple, not str"),
    ('ffi.new("unsigned char[]", "text")', 'TypeError', "initializer for ctype 'unsigned char[]' must be a bytes or list or tuple, not str"),
    ('ffi.new("char[4]", 5)', 'TypeError', "initializer for ctype 'char[4]' must be a bytes or list or tuple, not int"),
    ('ffi.new("char[4]", "abc")', 'TypeError', "initializer for ctype 'char[4]' must be a bytes or list or tuple, not str"),
    ('ffi.new("char[4]", b"abcde")', 'IndexError', "initializer bytes is too long for 'char[4]' (got 5 characters)"),
    ('ffi.new("char[4]", 3.5)', 'TypeError', "initializer for ctype 'char[4]' must be a bytes or list or tuple, not float"),
    ('ffi.new("char[4]", obj)', 'TypeError', "initializer for ctype 'char[4]' must be a bytes or list or tuple, not object"),
    ('ffi.new("char[]", None)', 'TypeError', 'expected new array length or list/tuple/str, not NoneType'),
    ('ffi.new("char[]", 3.5)', 'TypeError', 'expected new array length or list/tuple/str, not float'),
    ('ffi.new("char[]", -1)', 'ValueError', 'negative array length'),
    ('ffi.new("int[]", "abc")', 'TypeError', "initializer for ctype 'int[]' must be a list or tuple, not str"),
    ('ffi.new("int[]", b"abc")', 'TypeError', "initializer for ctype 'int[]' must be a list or tuple, not bytes"),
    ('ffi.new("int[]", 3.5)', 'TypeError', 'expected new array length or list/tuple/str, not float'),
    ('ffi.new("int[]", obj)', 'TypeError', 'expected new array length or list/tuple/str, not object'),
    ('ffi.new("int[3]", [1, 2, 3, 4])', 'IndexError', "too many initializers for 'int[3]' (got 4)"),
    ('ffi.new("int[3]", [1, "x"])', 'TypeError', 'an integer is required'),
    ('ffi.new("int[3]", "abc")', 'TypeError', "initializer for ctype 'int[3]' must be a list or tuple, not str"),
    ('ffi.new("int[3]", 5)', 'TypeError', "initializer for ctype 'int[3]' must be a list or tuple, not int"),
    ('ffi.new("int[3]", {})', 'TypeError', "initializer for ctype 'int[3]' must be a list or tuple, not dict"),
    ('ffi.new("wchar_t[]", b"abc")', 'TypeError', "initializer for ctype 'wchar_t[]' must be a unicode or list or tuple, not bytes"),
    ('ffi.new("wchar_t[3]", "abcd")', 'IndexError', "initializer unicode is too long for 'wchar_t[3]' (got 4 characters)"),
    ('ffi.new("int *", 3.5)', 'TypeError', 'an integer is required'),
    ('ffi.new("int *", "3")', 'TypeError', 'an integer is required'),
    ('ffi.new("int *", b"3")', 'TypeError', 'an integer is required'),
    ('ffi.new("int *", [1])', 'TypeError', 'an integer is required'),
    ('ffi.new("int *", obj)', 'TypeError', 'an integer is required'),
    ('ffi.new("int *", 2**40)', 'OverflowError', "integer 1099511627776 does not fit 'int'"),
    ('ffi.new("unsigned int *", -1)', 'OverflowError', "can't convert negative number to unsigned"),
    ('ffi.new("char *", 65)', 'TypeError', "initializer for ctype 'char' must be a bytes of length 1, not int"),
    ('ffi.new("char *", "A")', 'TypeError', "initializer for ctype 'char' must be a bytes of length 1, not str"),
    ('ffi.new("char *", b"AB")', 'TypeError', "initializer for ctype 'char' must be a bytes of length 1, not bytes"),
    ('ffi.new("char *", 3.5)', 'TypeError', "initializer for ctype 'char' must be a bytes of length 1, not float"),
    ('ffi.new("signed char *", b"A")', 'TypeError', 'an integer is required'),
    ('ffi.new("unsigned char *", b"A")', 'TypeError', 'an integer is required'),
    ('ffi.new("unsigned char *", 256)', 'OverflowError', "integer 256 does not fit 'unsigned char'"),
    ('ffi.new("_Bool *", 2)', 'OverflowError', "integer 2 does not fit '_Bool'"),
    ('ffi.new("_Bool *", 0.5)', 'TypeError', 'an integer is required'),
    ('ffi.new("_Bool *", "x")', 'TypeError', 'an integer is required'),
    ('ffi.new("float *", "1.0")', 'TypeError', 'must be real number, not str'),
    ('ffi.new("float *", b"x")', 'TypeError', 'must be real number, not bytes'),
    ('ffi.new("float *", obj)', 'TypeError', 'must be real number, not object'),
    ('ffi.new("double *", "1.0")', 'TypeError', 'must be real number, not str'),
    ('ffi.new("double *", ffi.cast("int", 3))', 'TypeError', "float() not supported on cdata 'int'"),
    ('ffi.new("double *", 1j)', 'TypeError', 'must be real number, not complex'),
    ('ffi.new("long double *", "x")', 'TypeError', 'must be real number, not str'),
    ('ffi.new("char16_t *", "\\U00010000")', 'TypeError', "initializer for ctype 'char16_t' must be a unicode string of length 1, not larger-than-0xFFFF character"),
    ('ffi.new("int **", 5)', 'TypeError', "initializer for ctype 'int *' must be a cdata pointer, not int"),
    ('ffi.new("int **", "x")', 'TypeError', "initializer for ctype 'int *' must be a cdata pointer, not str"),
    ('ffi.new("int **", carr)', 'TypeError', "implicit cast from 'char *' to a different pointer type: (check that the types are as you expect; use an explicit ffi.cast() if they are correct)"),
    ('ffi.new("struct pt *", 5)', 'TypeError', "initializer for ctype 'struct pt' must be a list or tuple or dict or struct-cdata, not int"),
    ('ffi.new("struct pt *", [1, 2, 3])', 'ValueError', "too many initializers for 'struct pt' (got 3)"),
    ('ffi.new("struct pt *", {"x": "a"})', 'TypeError', 'an integer is required'),
    ('ffi.new("struct pt *", "ab")', 'TypeError', "initializer for ctype 'struct pt' must be a list or tuple or dict or struct-cdata, not str"),
    ('ffi.new("struct pt *", ffi.new("union u *")[0])', 'TypeError', "initializer for ctype 'struct pt' must be a list or tuple or dict or struct-cdata, not cdata 'union u'"),
    ('ffi.new("union u *", [1, 2.0])', 'ValueError', "too many initializers for 'union u' (got 2)"),
    ('ffi.new("union u *", 5)', 'TypeError', "initializer for ctype 'union u' must be a list or tuple or dict or struct-cdata, not int"),
    ('ffi.new("struct pt", 0)', 'TypeError', "expected a pointer or array ctype, got 'struct pt'"),
    ('ffi.new("int", 0)', 'TypeError', "expected a pointer or array ctype, got 'int'"),
    ('ffi.new("int[]")', 'TypeError', 'expected new array length or list/tuple/str, not NoneType'),
    ('ffi.new("enum e *", "E1")', 'TypeError', 'an integer is required'),
    ('ffi.new("enum e *", 3.5)', 'TypeError', 'an integer is required'),
    ('ffi.new("int *", pt[0])', 'TypeError', "int() not supported on cdata 'struct pt'"),
    ('ffi.new("int *", ffi.cast("double", 1.5))', 'TypeError', 'an integer is required'),
    ('ffi.new("int *", ffi.cast("int *", 0))', 'TypeError', "int() not supported on cdata 'int *'"),
    ('ffi.cast("int", "12")', 'TypeError', "cannot cast unicode string of length 2 to ctype 'int'"),
    ('ffi.cast("int", "")', 'TypeError', "cannot cast unicode string of length 0 to ctype 'int'"),
    ('ffi.cast("int", None)', 'TypeError', 'an integer is required'),
    ('ffi.cast("int", obj)', 'TypeError', 'an integer is required'),
    ('ffi.cast("int", [1])', 'TypeError', 'an integer is required'),
    ('ffi.cast("int", 1j)', 'TypeError', 'an integer is required'),
    ('ffi.cast("int", float("nan"))', 'ValueError', 'cannot convert float NaN to integer'),
    ('ffi.cast("int", float("inf"))', 'OverflowError', 'cannot convert float infinity to integer'),
    ('ffi.cast("int", b"ab")', 'TypeError', "initializer for ctype 'char' must be a bytes of length 1, not bytes"),
    ('ffi.cast("char", "ab")', 'TypeError', "cannot cast unicode string of length 2 to ctype 'char'"),
    ('ffi.cast("int *", "x")', 'TypeError', 'an integer is required'),
    ('ffi.cast("int *", b"x")', 'TypeError', 'an integer is required'),
    ('ffi.cast("int *", obj)', 'TypeError', 'an integer is required'),
    ('ffi.cast("float", "1.0")', 'TypeError', "cannot cast str object to ctype 'float'"),
    ('ffi.cast("float", None)', 'TypeError', 'must be real number, not NoneType'),
    ('ffi.cast("float", ip)', 'TypeError', "cannot cast ctype 'int *' to ctype 'float'"),
    ('ffi.cast("float", obj)', 'TypeError', 'must be real number, not object'),
    ('ffi.cast("double", 1j)', 'TypeError', 'must be real number, not complex'),
    ('ffi.cast("double", ffi.cast("double _Complex", 1j))', 'TypeError', 'must be real number, not complex'),
    ('ffi.cast("long double", ip)', 'TypeError', "cannot cast ctype 'int *' to ctype 'long double'"),
    ('ffi.cast("struct pt", 0)', 'TypeError', "cannot cast to ctype 'struct pt'"),
    ('ffi.cast("struct pt *", pt[0])', 'TypeError', "int() not supported on cdata 'struct pt'"),
    ('ffi.cast("int[]", 0)', 'TypeError', "cannot cast to ctype 'int[]'"),
    ('ffi.cast("void", 0)', 'TypeError', "cannot cast to ctype 'void'"),
    ('ffi.cast("wchar_t", "ab")', 'TypeError', "cannot cast unicode string of length 2 to ctype 'wchar_t'"),
    ('ffi.cast("fn_t", "x")', 'TypeError', 'an integer is required'),
    ('ffi.cast("float _Complex", None)', 'TypeError', 'must be real number, not NoneType'),
    ('ffi.cast("enum e", "E1")', 'TypeError', "cannot cast unicode string of length 2 to ctype 'enum e'"),
    ('sp.name = "abc"', 'TypeError', "initializer for ctype 'char[4]' must be a bytes or list or tuple, not str"),
    ('sp.name = b"abcdef"', 'IndexError', "initializer bytes is too long for 'char[4]' (got 6 characters)"),
    ('sp.name = 5', 'TypeError', "initializer for ctype 'char[4]' must be a bytes or list or tuple, not int"),
    ('sp.ip = 5', 'TypeError', "initializer for ctype 'int *' must be a cdata pointer, not int"),
    ('sp.ip = "x"', 'TypeError', "initializer for ctype 'int *' must be a cdata pointer, not str"),
    ('sp.ip = ffi.new("long *")', 'TypeError', "initializer for ctype 'int *' must be a pointer to same type, not cdata 'long *'"),
    ('sp.ip = carr', 'TypeError', "implicit cast from 'char *' to a different pointer type: (check that the types are as you expect; use an explicit ffi.cast() if they are correct)"),
    ('sp.ip = None', 'TypeError', "initializer for ctype 'int *' must be a cdata pointer, not NoneType"),
    ('sp.p = 5', 'TypeError', "initializer for ctype 'struct pt' must be a list or tuple or dict or struct-cdata, not int"),
    ('sp.p = ffi.new("union u *")[0]', 'TypeError', "initializer for ctype 'struct pt' must be a list or tuple or dict or struct-cdata, not cdata 'union u'"),
    ('sp.p = [1, 2, 3]', 'ValueError', "too many initializers for 'struct pt' (got 3)"),
    ('sp.f = "x"', 'TypeError', 'must be real number, not str'),
    ('sp.f = None', 'TypeError', 'must be real number, not NoneType'),
    ('sp.f = ip', 'TypeError', "float() not supported on cdata 'int *'"),
    ('sp.b = 2', 'OverflowError', "integer 2 does not fit '_Bool'"),
    ('sp.b = "x"', 'TypeError', 'an integer is required'),
    ('sp.b = 1.0', 'TypeError', 'an integer is required'),
    ('sp.uc = -1', 'OverflowError', "can't convert negative number to unsigned"),
    ('sp.uc = b"x"', 'TypeError', 'an integer is required'),
    ('sp.uc = 3.5', 'TypeError', 'an integer is required'),
    ('sp.sc = 200', 'OverflowError', "integer 200 does not fit 'signed char'"),
    ('sp.ld = "x"', 'TypeError', 'must be real number, not str'),
    ('sp.arr = [1, 2, 3, 4]', 'IndexError', "too many initializers for 'int[3]' (got 4)"),
    ('sp.arr = 5', 'TypeError', "initializer for ctype 'int[3]' must be a list or tuple, not int"),
    ('sp.arr = "abc"', 'TypeError', "initializer for ctype 'int[3]' must be a list or tuple, not str"),
    ('sp.cp = "abc"', 'TypeError', "initializer for ctype 'char *' must be a cdata pointer, not str"),
    ('sp.cp = b"abc"', 'TypeError', "initializer for ctype 'char *' must be a cdata pointer, not bytes"),
    ('sp.cp = arr', 'TypeError', "implicit cast to 'char *' from a different pointer type.(check that the types are as you expect; use an explicit ffi.cast() if they are correct)"),
    ('sp.vp = 5', 'TypeError', "initializer for ctype 'void *' must be a cdata pointer, not int"),
    ('sp.vp = "x"', 'TypeError', "initializer for ctype 'void *' must be a cdata pointer, not str"),
    ('sp.vp = b"x"', 'TypeError', "initializer for ctype 'void *' must be a cdata pointer, not bytes"),
    ('sp.e = "E1"', 'TypeError', 'an integer is required'),
    ('sp.e = 2**40', 'OverflowError', "integer 1099511627776 does not fit 'enum e'"),
    ('sp.e = 1.5', 'TypeError', 'an integer is required'),
    ('sp.pp = pt[0]', 'TypeError', "initializer for ctype 'struct pt *' must be a pointer or array, not cdata 'struct pt'"),
    ('sp.pp = ip', 'TypeError', "initializer for ctype 'struct pt *' must be a pointer to same type, not cdata 'int *'"),
    ('pt.x = 2**40', 'OverflowError', "integer 1099511627776 does not fit 'int'"),
    ('pt.x = "1"', 'TypeError', 'an integer is required'),
    ('pt.x = None', 'TypeError', 'an integer is required'),
    ('pt.x = 1.5', 'TypeError', 'an integer is required'),
    ('pt[0].x = "1"', 'TypeError', 'an integer is required'),
    ('pt[0] = 5', 'TypeError', "initializer for ctype 'struct pt' must be a list or tuple or dict or struct-cdata, not int"),
    ('pt[0] = [1, 2, 3]', 'ValueError', "too many initializers for 'struct pt' (got 3)"),
    ('u.d = "x"', 'TypeError', 'must be real number, not str'),
    ('arr[0] = "x"', 'TypeError', 'an integer is required'),
    ('arr[0] = None', 'TypeError', 'an integer is required'),
    ('arr[0] = 1.5', 'TypeError', 'an integer is required'),
    ('arr[0] = 2**40', 'OverflowError', "integer 1099511627776 does not fit 'int'"),
    ('arr[3] = 1', 'IndexError', "index too large for cdata 'int[3]' (expected 3 < 3)"),
    ('arr[-1] = 1', 'IndexError', 'negative index'),
    ('arr[3]', 'IndexError', "index too large for cdata 'int[3]' (expected 3 < 3)"),
    ('arr[-1]', 'IndexError', 'negative index'),
    ('arr["x"]', 'TypeError', "'str' object cannot be interpreted as an integer"),
    ('arr[1.5]', 'TypeError', "'float' object cannot be interpreted as an integer"),
    ('arr[0:2] = [1, "x"]', 'TypeError', 'an integer is required'),
    ('carr[0] = "a"', 'TypeError', "initializer for ctype 'char' must be a bytes of length 1, not str"),
    ('carr[0] = 65', 'TypeError', "initializer for ctype 'char' must be a bytes of length 1, not int"),
    ('carr[0] = b"ab"', 'TypeError', "initializer for ctype 'char' must be a bytes of length 1, not bytes"),
    ('ucarr[0] = b"a"', 'TypeError', 'an integer is required'),
    ('ucarr[0] = 256', 'OverflowError', "integer 256 does not fit 'unsigned char'"),
    ('ucarr[0] = -1', 'OverflowError', "can't convert negative number to unsigned"),
    ('scarr[0] = 200', 'OverflowError', "integer 200 does not fit 'signed char'"),
    ('ip[0] = "x"', 'TypeError', 'an integer is required'),
    ('ip["x"]', 'TypeError', "'str' object cannot be interpreted as an integer"),
    ('ip + "x"', 'TypeError', "'str' object cannot be interpreted as an integer"),
    ('ip + 1.5', 'TypeError', "'float' object cannot be interpreted as an integer"),
    ('ip - "x"', 'TypeError', "'str' object cannot be interpreted as an integer"),
    ('len(ip)', 'TypeError', "cdata of type 'int *' has no len()"),
    ('list(ip)', 'TypeError', "cdata 'int *' does not support iteration"),
    ('iter(pt[0])', 'TypeError', "cdata 'struct pt' does not support iteration"),
    ('len(pt[0])', 'TypeError', "cdata of type 'struct pt' has no len()"),
    ('pt[0] + 1', 'TypeError', "cannot add a cdata 'struct pt' and a number"),
    ('int(ip)', 'TypeError', "int() not supported on cdata 'int *'"),
    ('float(ip)', 'TypeError', "float() not supported on cdata 'int *'"),
    ('int(pt[0])', 'TypeError', "int() not supported on cdata 'struct pt'"),
    ('float(pt[0])', 'TypeError', "float() not supported on cdata 'struct pt'"),
    ('ffi.cast("int", 1) + 1', 'TypeError', "cannot add a cdata 'int' and a number"),
    ('ffi.cast("int", 1)[0]', 'TypeError', "cdata of type 'int' cannot be indexed"),
    ('ffi.cast("fn_t", 1)[0]', 'TypeError', "cdata of type 'int(*)(int)' cannot be indexed"),
    ('libc.abs("1")', 'TypeError', 'an integer is required'),
    ('libc.abs(1.5)', 'TypeError', 'an integer is required'),
    ('libc.abs(None)', 'TypeError', 'an integer is required'),
    ('libc.abs(2**40)', 'OverflowError', "integer 1099511627776 does not fit 'int'"),
    ('libc.abs(obj)', 'TypeError', 'an integer is required'),
    ('libc.abs(b"1")', 'TypeError', 'an integer is required'),
    ('libc.abs(ip)', 'TypeError', "int() not supported on cdata 'int *'"),
    ('libc.abs(ffi.cast("double", 1.0))', 'TypeError', 'an integer is required'),
    ('libc.labs(2**70)', 'OverflowError', 'int too big to convert'),
    ('libm.sqrt(None)', 'TypeError', 'must be real number, not NoneType'),
    ('libm.sqrt("1")', 'TypeError', 'must be real number, not str'),
    ('libm.sqrt(b"1")', 'TypeError', 'must be real number, not bytes'),
    ('libm.sqrt(ip)', 'TypeError', "float() not supported on cdata 'int *'"),
    ('libm.sqrt(obj)', 'TypeError', 'must be real number, not object'),
    ('libm.sqrt(1j)', 'TypeError', 'must be real number, not complex'),
    ('libm.fabsf(None)', 'TypeError', 'must be real number, not NoneType'),
    ('libc.strlen(None)', 'TypeError', "initializer for ctype 'char *' must be a cdata pointer, not NoneType"),
    ('libc.strlen("abc")', 'TypeError', "initializer for ctype 'char *' must be a bytes or list or tuple, not str"),
    ('libc.strlen(5)', 'TypeError', "initializer for ctype 'char *' must be a cdata pointer, not int"),
    ('libc.strlen(1.5)', 'TypeError', "initializer for ctype 'char *' must be a cdata pointer, not float"),
    ('libc.strlen(obj)', 'TypeError', "initializer for ctype 'char *' must be a cdata pointer, not object"),
    ('libc.strlen(arr)', 'TypeError', "implicit cast to 'char *' from a different pointer type.(check that the types are as you expect; use an explicit ffi.cast() if they are correct)"),
    ('libc.strlen(ip)', 'TypeError', "implicit cast to 'char *' from a different pointer type.(check that the types are as you expect; use an explicit ffi.cast() if they are correct)"),
    ('libc.strlen(bytearray(b"abc"))', 'TypeError', "initializer for ctype 'char *' must be a cdata pointer, not bytearray"),
    ('libc.strlen(memoryview(b"abc"))', 'TypeError', "initializer for ctype 'char *' must be a cdata pointer, not memoryview"),
    ('libc.strlen([1, 2])', 'TypeError', "initializer for ctype 'char' must be a bytes of length 1, not int"),
    ('libc.strlen(pt[0])', 'TypeError', "initializer for ctype 'char *' must be a pointer or array, not cdata 'struct pt'"),
    ('libc.memset(5, 0, 1)', 'TypeError', "initializer for ctype 'void *' must be a cdata pointer, not int"),
    ('libc.memset(pt[0], 0, 1)', 'TypeError', "initializer for ctype 'void *' must be a pointer or array, not cdata 'struct pt'"),
    ('libc.memset(ip, "x", 1)', 'TypeError', 'an integer is required'),
    ('libc.memset(ip, 0, -1)', 'OverflowError', "can't convert negative number to unsigned"),
    ('libc.memset(ip, 0, "1")', 'TypeError', 'an integer is required'),
    ('libc.memset(ip, 0, None)', 'TypeError', 'an integer is required'),
    ('libc.snprintf(carr, 4, b"%d", 1.5)', 'TypeError', 'argument 4 passed in the variadic part needs to be a cdata object (got float)'),
    ('libc.snprintf(carr, 4, b"%d", "x")', 'TypeError', 'argument 4 passed in the variadic part needs to be a cdata object (got str)'),
    ('libc.snprintf(carr, 4, b"%d", None)', 'TypeError', 'argument 4 passed in the variadic part needs to be a cdata object (got NoneType)'),
    ('libc.snprintf(carr, 4, b"%d", obj)', 'TypeError', 'argument 4 passed in the variadic part needs to be a cdata object (got object)'),
    ('libc.snprintf(carr, 4, b"%d", 2**70)', 'TypeError', 'argument 4 passed in the variadic part needs to be a cdata object (got int)'),
    ('libc.snprintf(carr, 4, b"%s", b"x")', 'TypeError', 'argument 4 passed in the variadic part needs to be a cdata object (got bytes)'),
    ('libc.snprintf(carr, 4)', 'TypeError', "'int(*)(char *, size_t, char *, ...)' expects at least 3 arguments, got 2"),
    ('libc.snprintf(carr)', 'TypeError', "'int(*)(char *, size_t, char *, ...)' expects at least 3 arguments, got 1"),
    ('libz.crc32(0, scarr, 3)', 'TypeError', "initializer for ctype 'unsigned char *' must be a pointer to same type, not cdata 'signed char[4]'"),
    ('libz.crc32(0, ip, 3)', 'TypeError', "initializer for ctype 'unsigned char *' must be a pointer to same type, not cdata 'int *'"),
    ('libz.crc32(0, "abc", 3)', 'TypeError', "initializer for ctype 'unsigned char *' must be a bytes or list or tuple, not str"),
    ('libz.crc32(-1, b"abc", 3)', 'OverflowError', "can't convert negative number to unsigned"),
    ('cb_case("int(int)", "x")', 'ok', "(0, ['TypeError: an integer is required'])"),
    ('cb_case("int(int)", 1.5)', 'ok', "(0, ['TypeError: an integer is required'])"),
    ('cb_case("int(int)", None)', 'ok', "(0, ['TypeError: an integer is required'])"),
    ('cb_case("int(int)", 2**40)', 'ok', '(0, ["OverflowError: integer 1099511627776 does not fit \'int\'"])'),
    ('cb_case("int(int)", ip)', 'ok', '(0, ["TypeError: int() not supported on cdata \'int *\'"])'),
    ('cb_case("unsigned char(int)", -1)', 'ok', '(0, ["OverflowError: can\'t convert negative number to unsigned"])'),
    ('cb_case("char(int)", 65)', 'ok', '(b\'\\x00\', ["TypeError: initializer for ctype \'char\' must be a bytes of length 1, not int"])'),
    ('cb_case("char(int)", "a")', 'ok', '(b\'\\x00\', ["TypeError: initializer for ctype \'char\' must be a bytes of length 1, not str"])'),
    ('cb_case("_Bool(int)", 2)', 'ok', '(False, ["OverflowError: integer 2 does not fit \'_Bool\'"])'),
    ('cb_case("double(int)", "x")', 'ok', "(0.0, ['TypeError: must be real number, not str'])"),
    ('cb_case("double(int)", None)', 'ok', "(0.0, ['TypeError: must be real number, not NoneType'])"),
    ('cb_case("float(int)", 1e300)', 'ok', '(inf, [])'),
    ('cb_case("int *(int)", 5)', 'ok', '(\'cdata\', ["TypeError: initializer for ctype \'int *\' must be a cdata pointer, not int"])'),
    ('cb_case("int *(int)", ffi.new("long *"))', 'ok', '(\'cdata\', ["TypeError: initializer for ctype \'int *\' must be a pointer to same type, not cdata \'long *\'"])'),
    ('cb_case("int *(int)", "x")', 'ok', '(\'cdata\', ["TypeError: initializer for ctype \'int *\' must be a cdata pointer, not str"])'),
    ('cb_case("void *(int)", ip)', 'ok', "('cdata', [])"),
    ('cb_case("void(int)", 5)', 'ok', '(None, ["TypeError: callback with the return type \'void\' must return None"])'),
    ('cb_case("struct pt(int)", 5)', 'ok', '(\'cdata\', ["TypeError: initializer for ctype \'struct pt\' must be a list or tuple or dict or struct-cdata, not int"])'),
    ('cb_case("struct pt(int)", [1, "x"])', 'ok', "('cdata', ['TypeError: an integer is required'])"),
    ('cb_case("enum e(int)", "E1")', 'ok', "(0, ['TypeError: an integer is required'])"),
    ('ffi.callback("int(int)", 5)', 'TypeError', "the 'python_callable' argument is not callable"),
    ('ffi.callback("int(int)", lambda x: x, error="x")', 'TypeError', 'an integer is required'),
    ('ffi.callback("int(int)", lambda x: x, onerror=5)', 'TypeError', "expected a callable object for 'onerror', not int"),
    ('ffi.callback("int", lambda x: x)', 'TypeError', "expected a function ctype, got 'int'"),
    ('ffi.callback("int(int, ...)", lambda x: x)', 'NotImplementedError', "int(*)(int, ...): callback with unsupported argument or return type or with '...'"),
    ('ffi.string(ffi.cast("char *", 0))', 'RuntimeError', "cannot use string() on <cdata 'char *' NULL>"),
    ('ffi.from_buffer(5)', 'TypeError', "a bytes-like object is required, not 'int'"),
    ('ffi.from_buffer(None)', 'TypeError', "a bytes-like object is required, not 'NoneType'"),
    ('ffi.from_buffer(b"abc", require_writable=True)', 'BufferError', 'Object is not writable.'),
    ('ffi.from_buffer("int[2]", b"abc")', 'ValueError', "buffer is too small (3 bytes) for 'int[2]' (8 bytes)"),
    ('ffi.sizeof("void")', 'ValueError', "ctype 'void' is of unknown size"),
    ('ffi.sizeof("int[]")', 'ValueError', "ctype 'int[]' is of unknown size"),
    ('ffi.sizeof("int(int)")', 'CDefError', "the type 'int(int)' is a function type, not a pointer-to-function type"),
    ('ffi.getctype("int", 5)', 'AttributeError', "'int' object has no attribute 'strip'"),
    ('ffi.from_handle(ffi.NULL)', 'RuntimeError', 'cannot use from_handle() on NULL pointer'),
    ('ffi.init_once(5, "tag")', 'TypeError', "'int' object is not callable"),
    ('ffi.dlopen("libnope.so")', 'OSError', "cannot load library 'libnope.so': libnope.so: cannot open shared object file: No such file or directory.  Additionally, ctypes.util.find_library() did not manage to locate a library called 'libnope.so'"),
    ('ffi.errno = "x"', 'TypeError', "'str' object cannot be interpreted as an integer"),
    ('ffi.integer_const("nope")', 'AttributeError', "'FFI' object has no attribute 'integer_const'"),
    ('ffi.list_types(5)', 'TypeError', 'FFI.list_types() takes 1 positional argument but 2 were given'),
    ('ffi.new("struct pt *", ip)', 'TypeError', "initializer for ctype 'struct pt' must be a list or tuple or dict or struct-cdata, not cdata 'int *'"),
    ('ffi.new("int(*)(int)", 0)', 'TypeError', "expected a pointer or array ctype, got 'int(*)(int)'"),
    ('ffi.cast("fn_t", lambda x: x)', 'TypeError', 'an integer is required'),
]


@pytest.mark.parametrize("expression, error, message", ROWS,
                         ids=["%d" % i for i in range(len(ROWS))])
def test_error_like_cffi(namespace, expression, error, message):
    if "libz." in expression and namespace["libz"] is None:
        pytest.skip("zlib not found")
    if error == "ok":
        assert repr(run(expression, namespace)) == message
        return
    with pytest.raises(Exception) as info:
        run(expression, namespace)
    exc = info.value
    assert (type(exc).__name__, str(exc)) == (error, message)
    # nothing internal shows through: no "During handling of the above exception..."
    assert exc.__cause__ is None and (exc.__suppress_context__ or exc.__context__ is None)
