"""More behaviours of the implementation under test against the installed cffi (issue 11).

Each case declares some cdef() sources in turn, then evaluates one expression with
`_backend.FFI` and with `cffi.FFI`, and compares what a program observes: the repr of the
result (addresses normalised), or the exception's type and message.  The rows are the
disagreements found by differential probes; with PURECFFI_TEST_AGAINST=cffi both sides are
cffi.  Skipped when cffi is not installed.
"""
import warnings

import pytest

from _backend import FFI
from conftest import missed_attributes, normalised

cffi = pytest.importorskip("cffi")


def _outcome(ffi_class, expression, cdefs=(), setup=""):
    """What declaring `cdefs` one cdef() each, running `setup` then evaluating `expression`
    shows: ('ok', repr) or (exception type, message)."""
    ffi = ffi_class()
    namespace = {"ffi": ffi}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            for source in cdefs:
                ffi.cdef(source)
            exec(setup, namespace)
            return ("ok", normalised(repr(eval(expression, namespace))))
        except Exception as exc:
            return (type(exc).__name__, normalised(str(exc)))


def _same(expression, cdefs=(), setup=""):
    mine = _outcome(FFI, expression, cdefs, setup)
    theirs = _outcome(cffi.FFI, expression, cdefs, setup)
    assert mine == theirs, "%s %s\n  tested: %r\n  cffi:   %r" % (cdefs, expression, mine,
                                                               theirs)


# -- A #define, an enum constant and a `static const` of the same name ----
CONSTANT_CDEFS = [
    ["#define A 1", "static const int A;"],
    ["#define A 1\nstatic const int A;"],
    ["static const int A;", "#define A 1"],
    ["static const int A;\n#define A 1"],
    ["#define A 1", "static const long A;"],
    ["#define A 1", "static const char *const A;"],
    ["#define A 2", "static const int A;"],
    ["#define A ...", "static const int A;"],
    ["static const int A;", "#define A ..."],
    ["#define A ...", "static const int A = 1;"],
    ["static const int A = 1;", "#define A ..."],
    ["#define A 1", "static const int A;", "#define A 1"],
    ["#define A 1", "static const int A;", "#define A 2"],
    ["static const int A;", "#define A 1", "static const int A;"],
    ["static const int A;", "#define A 1", "static const long A;"],
    ["#define A 1", "static const int A;", "static const int A = 2;"],
    ["#define A 1", "static const int A;", "enum e { A = 1 };"],
    ["#define A 1", "static const int A;", "enum e { A = 3 };"],
    ["static const int A;", "enum e { A = 1 };"],
    ["enum e { A = 1 };", "static const int A;"],
    ["#define A 1", "enum e { A };"],
    ["#define A 1", "enum e { A = 1 };"],
    ["#define A 1\n#define A 2\nstatic const int A;"],
    ["#define A 1", "static const int A = 1;"],
    ["#define A 1", "static const int A = 2;"],
]


@pytest.mark.parametrize("cdefs", CONSTANT_CDEFS)
def test_constant_redeclarations_agree_with_cffi(cdefs):
    _same("lib.A, dir(lib)", cdefs, "lib = ffi.dlopen(None)")


@pytest.mark.parametrize("cdefs", [["#define A 1", "static const int A;"],
                                   ["static const int A;", "#define A 1"]])
def test_constant_hidden_value_refuses_another_even_with_override(cdefs):
    _same("ffi.cdef('#define A 2', override=True)", cdefs)
    _same("ffi.cdef('#define A 1', override=True)", cdefs)


# -- A name declared as more than one of function, variable and constant ----
def _kind_of_abs():
    """What lib.abs is: an int (a variable or constant) or the type of a function."""
    return "(lambda x: x if isinstance(x, int) else ffi.typeof(x))(lib.abs), " \
           "ffi.typeof(ffi.addressof(lib, 'abs')), dir(lib)"


NAME_CDEFS = [
    ["int abs(int); extern int abs;"],
    ["extern int abs; int abs(int);"],
    ["int abs(int);", "extern int abs;"],
    ["extern int abs;", "int abs(int);"],
    ["extern int abs;", "int abs(int);", "extern int abs;"],
    ["static const int abs;", "int abs(int);"],
    ["#define abs 7", "int abs(int);"],
    ["int abs(int);", "#define abs 7"],
    ["enum e { abs = 3 };", "int abs(int);"],
    ["static const int abs;", "extern int abs;"],
    ["#define abs 3", "extern int abs;"],
    ["int abs(int); extern int abs;", "#define abs 4"],
]


@pytest.mark.parametrize("cdefs", NAME_CDEFS)
def test_function_and_variable_of_one_name_agree_with_cffi(cdefs):
    _same(_kind_of_abs(), cdefs, "lib = ffi.dlopen(None)")


@pytest.mark.parametrize("cdefs", [["int abs(int);", "static const int abs;"],
                                   ["int abs(int);", "enum e { abs = 3 };"],
                                   ["extern int abs;", "enum e { abs = 3 };"],
                                   ["extern int abs;", "static const int abs;"]])
def test_constant_declared_after_a_function_or_variable_wins(cdefs):
    _same("(lambda x: x if isinstance(x, int) else ffi.typeof(x))(lib.abs), dir(lib)", cdefs,
          "lib = ffi.dlopen(None)")


# -- In-line lib functions are cdata: their __name__ ----
def test_lib_function_name_agrees_with_cffi():
    _same("lib.abs.__name__, ffi.cast('int(*)(int)', lib.abs).__name__", ["int abs(int);"],
          "lib = ffi.dlopen(None)")


# -- C keyword spellings of primitive types: cffi reads leading short/long/signed/unsigned as
# modifiers of the words after them ('signed double' is double, 'int long' is refused) ----
_KEYWORDS = ["signed", "unsigned", "short", "long", "int", "char", "double", "float"]


@pytest.mark.parametrize("first", _KEYWORDS)
def test_keyword_spellings_agree_with_cffi(first):
    import itertools
    for count in (0, 1, 2):
        for rest in itertools.permutations([w for w in _KEYWORDS if w != first], count):
            words = " ".join((first,) + rest)
            _same("ffi.typeof(%r)" % (words,))
            _same("ffi.cast(%r, 0)" % (words + " *",))


@pytest.mark.parametrize("words", [
    "long long int", "long unsigned long", "unsigned int long long", "long long long",
    "signed long signed", "unsigned short unsigned", "short short int", "long long short",
    "signed _Bool", "_Bool signed", "unsigned _Bool", "signed void", "long void",
    "signed wchar_t", "unsigned size_t", "long float", "long long double"])
def test_more_keyword_spellings_agree_with_cffi(words):
    _same("ffi.typeof(%r)" % (words,))
    _same("ffi.cdef('extern %s *x;')" % (words,))


@pytest.mark.parametrize("words", ["signed float _Complex", "signed double _Complex",
                                   "_Complex float", "long double _Complex", "int _Complex"])
def test_complex_spellings_agree_with_cffi(words):
    _same("ffi.sizeof(%r)" % (words,))


# -- Python's own messages about primitive cdata name their class: cffi's '_CDataBase' ----
@pytest.mark.parametrize("value", ["ffi.cast('int', 1)", "ffi.cast('char', 1)",
                                   "ffi.cast('double', 2.5)", "ffi.cast('enum e', 1)",
                                   "ffi.cast('_Bool', 1)",
                                   "ffi.gc(ffi.cast('int', 1), lambda x: None)"])
@pytest.mark.parametrize("expression", ["[10, 20, 30][x]", "range(x)", "round(x)", "abs(x)",
                                        "-x", "x * 2", "2 ** x", "format(x, 'd')",
                                        "ffi.cast('int *', 8) + x", "ffi.new('int[2]')[x]"])
def test_builtin_messages_about_primitive_cdata_agree_with_cffi(expression, value):
    _same(expression, ["enum e { A, B };"], "x = " + value)


# -- cffi's own messages naming a cdata's class spell it with its module, as tp_name does ----
@pytest.mark.parametrize("expression", [
    "ffi.new('char *', x)", "ffi.new('wchar_t[]', [x])", "ffi.new('char16_t *', x)",
    "ffi.new('int[]', x)", "ffi.from_buffer(x)", "ffi.buffer(ffi.new('char[2]'))[x]",
    "ffi.buffer(ffi.new('char[2]')).__setitem__(0, x)", "ffi.new('struct bf *', [x])"])
@pytest.mark.parametrize("value", ["ffi.cast('int', 1)", "ffi.new('int *')", "ffi.NULL",
                                   "ffi.new('int[2]') + 1"])
def test_messages_naming_a_cdata_class_agree_exactly_with_cffi(expression, value):
    cdefs = ["struct bf { int b: 3; };"]
    setup = "x = " + value
    mine = _exact_outcome(FFI, expression, cdefs, setup)
    assert mine == _exact_outcome(cffi.FFI, expression, cdefs, setup)
    assert "_cffi_backend." in mine[1]


def _exact_outcome(ffi_class, expression, cdefs, setup):
    """(exception type, message) of `expression`, not normalised."""
    ffi = ffi_class()
    namespace = {"ffi": ffi}
    for source in cdefs:
        ffi.cdef(source)
    exec(setup, namespace)
    with pytest.raises(Exception) as info:
        eval(expression, namespace)
    return type(info.value).__name__, str(info.value)


# -- Writing to a ctype or a field: cffi's read-only errors ----
@pytest.mark.parametrize("expression", [
    "setattr(ffi.typeof('int'), 'kind', 'x')", "setattr(ffi.typeof('int'), 'cname', 'x')",
    "setattr(ffi.typeof('int'), 'item', 'x')", "setattr(ffi.typeof('int *'), 'item', 'x')",
    "setattr(ffi.typeof('struct pt'), 'fields', 'x')", "delattr(ffi.typeof('int'), 'kind')",
    "delattr(ffi.typeof('int'), 'cname')", "delattr(ffi.typeof('int *'), 'item')",
    "setattr(ffi.typeof('enum e'), 'elements', 'x')",
    "setattr(ffi.typeof('int(*)(int)'), 'args', 'x')",
    "setattr(ffi.typeof('struct pt').fields[0][1], 'offset', 3)",
    "setattr(ffi.typeof('struct pt').fields[0][1], 'foo', 3)",
    "delattr(ffi.typeof('struct pt').fields[0][1], 'type')",
    "delattr(ffi.typeof('struct pt').fields[0][1], 'foo')",
    "ffi.typeof('struct pt').fields[0][1].foo"])
def test_read_only_ctypes_and_fields_agree_with_cffi(expression):
    _same(expression, ["struct pt { int x, y; }; enum e { A };"])


# -- Copying or pickling an ffi.buffer: cffi's TypeError ----
@pytest.mark.parametrize("expression", ["__import__('pickle').dumps(b)",
                                        "__import__('copy').copy(b)",
                                        "__import__('copy').deepcopy(b)", "b.__reduce__()",
                                        "b.__reduce_ex__(2)"])
def test_buffer_refuses_pickling_as_cffi(expression):
    _same(expression, setup="b = ffi.buffer(ffi.new('int[2]'))")


@pytest.mark.parametrize("obj", ["ffi.typeof('int')", "ffi.typeof('struct pt')",
                                 "ffi.typeof('struct pt').fields[0][1]"])
@pytest.mark.parametrize("expression", ["__import__('pickle').dumps(x)",
                                        "__import__('copy').copy(x)",
                                        "__import__('copy').deepcopy(x)", "x.__reduce__()",
                                        "x.__reduce_ex__(2)"])
def test_ctypes_and_fields_refuse_pickling_as_cffi(expression, obj):
    _same(expression, ["struct pt { int x, y; };"], "x = " + obj)


# -- An invalid constant in a type string names no place (in a cdef(), cffi gives the line) ----
@pytest.mark.parametrize("expression", [
    "ffi.typeof('int[3.0]')", "ffi.typeof('int[1.5][2]')", "ffi.typeof('int(*)(int[1.5])')",
    "ffi.cast('char[1.]', 0)", "ffi.cdef('extern int x[3.0];')",
    "ffi.cdef('enum e { A = 1.5 };')", "ffi.cdef('struct s { int a : 1.5; };')"])
def test_invalid_constants_agree_with_cffi(expression):
    _same(expression)


# -- Enums whose values fit neither a 64-bit long nor an unsigned long: refused when used ----
@pytest.mark.parametrize("source", [
    "enum d { DA = 18446744073709551616 };", "enum d { DA = -9223372036854775809 };",
    "enum d { DA = 0xffffffffffffffff, DB };", "enum d { DA = -1, DB = 0xffffffffffffffff };",
    "enum d { DA = 0x7fffffffffffffff, DB };", "enum d { DA = -9223372036854775808, DB = 5 };"])
@pytest.mark.parametrize("expression", [
    "ffi.typeof('enum d')", "ffi.sizeof('enum d')", "ffi.cast('enum d', 0)",
    "ffi.typeof('enum d').elements", "ffi.typeof('int(*)(enum d)')", "ffi.new('enum d *')",
    "ffi.dlopen(None).DA", "ffi.typeof('struct sd')", "ffi.typeof('struct sd *')",
    "ffi.new('struct sd *')"])
def test_enums_too_wide_agree_with_cffi(source, expression):
    _same(expression, [source, "struct sd { enum d e; };"])


def test_typedef_enum_too_wide_agrees_with_cffi():
    _same("ffi.typeof('e_t')", ["typedef enum { EA = 18446744073709551616 } e_t;"])


@pytest.mark.parametrize("source", ["enum d { DA = 18446744073709551616 };",
                                    "typedef enum { EA = 18446744073709551616 } e_t;"])
def test_enum_too_wide_refused_by_out_of_line_build_as_cffi(source, tmp_path):
    path = str(tmp_path / "mod.py")
    _same("ffi.emit_python_code(%r)" % (path,), [source], "ffi.set_source('_wide_enum', None)")


# -- A net: expressions of every kind on which purecffi and cffi agreed when probed ----
GRID_CDEF = """
struct pt { int x, y; };
struct nest { char c; struct pt p; int arr[3]; struct { short a, b; };
              union { int i; float f; } u; };
struct bits { int a:3; unsigned b:5; int :0; char c; };
union un { int i; double d; char c[5]; };
enum color { RED, GREEN=5, BLUE=-1 };
enum big { BIGA = 0x7fffffff, BIGB };
enum neg { NA = -2147483648 };
enum u64 { UA = 0xffffffffffffffff };
typedef enum { X1, X2 } anon_e;
struct vs { int n; double d[]; };
struct opaque_s;
typedef struct pt pt_t;
typedef int (*fp_t)(int, ...);
#define N 4
int abs(int);
long labs(long);
double fabs(double);
int toupper(int);
int snprintf(char *, size_t, const char *, ...);
struct union_then_bits { union un u; int a:2; };
struct has_bits { int m; struct bits b[2]; };
struct has_union { union un u; };
struct unnamed_bits { int n; int :0; int m; };
"""


def _grid():
    """The expressions of tests/differential_more_grid.txt."""
    import os
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "differential_more_grid.txt")
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("expression", _grid())
def test_grid_agrees_with_cffi(expression):
    _same(expression, [GRID_CDEF], "import array, decimal, fractions")


# -- Arguments of the wrong kind: cffi's in-line messages ----
@pytest.mark.parametrize("expression", [
    "ffi.typeof(5)", "ffi.typeof(None)", "ffi.typeof(1.5)", "ffi.typeof([])",
    "ffi.cdef(5)", "ffi.cdef(b'int x;')", "ffi.cdef(None)",
    "ffi.dlopen(5)", "ffi.dlopen(b'libc.so.6')", "ffi.dlopen(1.5)"])
def test_wrong_argument_messages_agree_with_cffi(expression):
    _same(expression)


@pytest.mark.parametrize("name", ["'zz'", "5", "'cb'", "None"])
def test_addressof_undeclared_lib_name_agrees_with_cffi(name):
    _same("ffi.addressof(lib, %s)" % (name,), ['int abs(int); extern "Python" int cb(int);'],
          "lib = ffi.dlopen(None)")


@pytest.mark.parametrize("length", ["-1", "-2**63", "-2**63 - 1", "-2**64", "2**63",
                                    "2**64", "2**62"])
@pytest.mark.parametrize("ctype", ["char[]", "int[]", "struct pt[]"])
def test_open_array_lengths_agree_with_cffi(ctype, length):
    _same("ffi.new(%r, %s)" % (ctype, length), ["struct pt { int x, y; };"])


@pytest.mark.parametrize("size", ["-1", "-2", "-2**63", "-2**63 - 1", "-2**70", "2**63", "0"])
@pytest.mark.parametrize("cdata", ["ffi.new('char[]', b'ab')", "ffi.new('int *')"])
def test_buffer_sizes_agree_with_cffi(cdata, size):
    _same("len(ffi.buffer(%s, %s))" % (cdata, size))


@pytest.mark.parametrize("value", ["ffi.cast('int', 1)", "ffi.cast('double', 1.0)",
                                   "ffi.gc(ffi.cast('int', 1), lambda x: None)", "1.5", "'a'",
                                   "None", "True", "3", "4"])
def test_bitfield_writes_agree_with_cffi(value):
    _same("setattr(p, 'a', %s) or p.a" % (value,), ["struct s { int a:3; };"],
          "p = ffi.new('struct s *')")


# -- A missing attribute of an in-line lib function: cffi's message (a lib function is a
# ctypes object: a __getattr__ on its class costs no call) ----
@pytest.mark.parametrize("expression", ["lib.abs.foo", "lib.abs.__qualname__",
                                        "setattr(lib.abs, 'foo', 1)", "delattr(lib.abs, 'foo')",
                                        "getattr(lib.abs, 'nope', 'default')",
                                        "hasattr(lib.abs, 'nope')"])
def test_lib_function_attributes_agree_with_cffi(expression):
    _same(expression, ["int abs(int);"], "lib = ffi.dlopen(None)")


# -- Number cdata given to integer and floating parameters of lib functions (the converters'
# fast path for integer cdata, and the checked path for the rest) ----
_NUMBER_ARGUMENT_CDEF = ["int abs(int); long labs(long); long long llabs(long long); "
                         "unsigned short htons(unsigned short); int toupper(int); "
                         "double fabs(double); enum e { E0, E1 = -7 };"]
_NUMBER_ARGUMENTS = [
    "ffi.cast('int', -3)", "ffi.cast('short', -3)", "ffi.cast('long', 2**40)",
    "ffi.cast('long', -2**40)", "ffi.cast('unsigned int', 2**32 - 1)",
    "ffi.cast('long long', -2**63)", "ffi.cast('unsigned long', 2**64 - 1)",
    "ffi.cast('_Bool', 1)", "ffi.cast('char', 97)", "ffi.cast('enum e', -7)",
    "ffi.cast('double', 2.5)", "ffi.cast('float', -2.5)", "ffi.cast('wchar_t', 65)",
    "ffi.new('int *', -9)[0]", "ffi.new('int *')", "ffi.cast('uint8_t', 200)",
    "ffi.cast('int64_t', 70000)",
]


@pytest.mark.parametrize("function", ["abs", "labs", "llabs", "htons", "toupper", "fabs"])
@pytest.mark.parametrize("argument", _NUMBER_ARGUMENTS)
def test_number_cdata_arguments_agree_with_cffi(function, argument):
    _same("lib.%s(%s)" % (function, argument), _NUMBER_ARGUMENT_CDEF,
          "lib = ffi.dlopen(None)")


@pytest.mark.skipif(FFI.__module__.startswith("cffi"), reason="purecffi's own classes")
def test_lib_function_getattr_is_reached_by_no_normal_operation(ffi):
    """Calls, casts, comparisons and passing a lib function as a function pointer never look a
    missing attribute up on it (each would run the class's Python __getattr__)."""
    ffi.cdef("int abs(int); void qsort(void *, size_t, size_t, "
             "int(*)(const void *, const void *));")
    lib = ffi.dlopen(None)
    function = lib.abs
    with missed_attributes(type(function)) as missed:
        assert function(-3) == 3
        ffi.cast("void *", function)
        assert ffi.cast("int(*)(int)", function)(-4) == 4
        ffi.cast("intptr_t", function)
        assert ffi.new("int(**)(int)", function)[0](-5) == 5
        assert function == function and hash(function) == hash(function)
        ffi.typeof(function)
        repr(function)
        ffi.gc(function, lambda f: None)
        items = ffi.new("int[3]", [3, 1, 2])
        lib.qsort(items, 3, ffi.sizeof("int"),
                  ffi.callback("int(*)(const void *, const void *)", lambda a, b: 0))
    assert missed == []


# -- What cffi cannot build: a struct holding by value one declared without a body (until a
# later cdef() gives it), and functions taking such structs by value ----
WAITING = "struct s { int x; struct t a; };"


@pytest.mark.parametrize("cdefs, expression", [
    ([WAITING], "ffi.typeof('struct s')"),
    ([WAITING], "ffi.typeof('struct s *')"),
    ([WAITING], "ffi.typeof('struct s[2]')"),
    ([WAITING], "ffi.sizeof('struct s')"),
    ([WAITING], "ffi.new('struct s *')"),
    ([WAITING], "ffi.new('struct s **')"),
    ([WAITING], "ffi.cast('struct s *', 0)"),
    ([WAITING], "ffi.offsetof('struct s', 'a')"),
    ([WAITING], "ffi.typeof('struct s(*)(int)')"),
    ([WAITING], "ffi.callback('void(*)(struct s *)', lambda p: None)"),
    ([WAITING], "ffi.typeof('int'), ffi.new('int *', 5)[0]"),
    ([WAITING, "struct t { short b; };"], "ffi.sizeof('struct s'), ffi.offsetof('struct s', 'a')"),
    ([WAITING + " struct u { struct s b; };"], "ffi.typeof('struct u')"),
    ([WAITING + " struct u { struct s *p; };"], "ffi.new('struct u *')"),
    ([WAITING + " typedef struct s s_t;"], "ffi.typeof('s_t *')"),
    (["typedef struct { struct t a; } s_t;"], "ffi.typeof('s_t')"),
    (["struct s { struct { struct t a; } y; };"], "ffi.typeof('struct s')"),
    (["struct s { int x; struct t a[2]; };"], "ffi.typeof('struct s')"),
    (["struct s { int x; struct t a[]; };"], "ffi.new('struct s *')"),
    (["struct s { int x; union t a; };"], "ffi.new('struct s *')"),
    (["typedef struct t tt; struct s { int x; tt a; };"], "ffi.typeof('struct s')"),
    ([WAITING + " int abs(struct s *);"], "lib.abs"),
    ([WAITING + " struct s abs(int);"], "lib.abs"),
    ([WAITING + " extern struct s *optind;"], "lib.optind"),
    ([WAITING + " int abs(int);"], "lib.abs(-2)"),
    (["int abs(struct nope);"], "lib.abs"),
    (["int abs(int, union nope);"], "lib.abs"),
    (["int abs(struct nope);"], "ffi.addressof(lib, 'abs')"),
    (["int abs(struct nope);"], "dir(lib)"),
    (["int nosuchfunction(struct nope);"], "lib.nosuchfunction"),
    (["int abs(struct nope);", "struct nope { int x; };"], "lib.abs"),
    (["struct nope; typedef int (*f_t)(struct nope);"], "ffi.typeof('f_t')"),
    (["struct nope; typedef int (*f_t)(struct nope); struct r { f_t f; };"],
     "ffi.new('struct r *')"),
    (["struct nope; struct r { int (*f)(struct nope); };"], "ffi.typeof('struct r')"),
    (["struct nope; struct r { int (*f)(struct nope); };"], "ffi.typeof('struct r *')"),
    (["struct nope; struct r { int (*f)(struct nope, ...); };"], "ffi.typeof('struct r')"),
    (["struct r { int (*f)(struct nope); }; struct nope { int x; };"], "ffi.typeof('struct r')"),
    (["struct nope; extern int (*optind)(struct nope);"], "lib.optind"),
    (["struct s { int a; ...; }; int abs(struct s *);"], "lib.abs"),
    (["struct s { int a; ...; }; int abs(struct s *);"], "ffi.addressof(lib, 'abs')"),
    (["struct s { int a; ...; }; extern struct s *optind;"], "lib.optind"),
])
def test_types_cffi_cannot_build_agree_with_cffi(cdefs, expression):
    _same(expression, cdefs, "lib = ffi.dlopen(None)")


# -- Declarations of what no C type is (an array of functions, a function returning a
# function or an array, an array of void, of T[], of negative length): cdef() accepts them,
# each use raises cffi's error ----
@pytest.mark.parametrize("cdefs, expression", [
    (["int a[2](int);"], "ffi.list_types(), sorted(dir(lib))"),
    (["int a[2](int);"], "lib.a"),
    (["int a[2](int);"], "ffi.addressof(lib, 'a')"),
    (["int (a[2])(int);"], "lib.a"),
    (["int a[](int);"], "lib.a"),
    (["int a[2][3](int);"], "lib.a"),
    (["int *a[2](int);"], "lib.a"),
    (["typedef int F(int); F a[2];"], "lib.a, ffi.typeof('F')"),
    (["typedef int F(int); F a[2];"], "lib.a"),
    (["int f(int)[2];"], "lib.f"),
    (["int f(int)(int);"], "lib.f"),
    (["int (*f)(int)[2];"], "lib.f"),
    (["int (*pf[3])(int)[2];"], "lib.pf"),
    (["int f(int a[2](int));"], "lib.f"),
    (["typedef int t[2](int);"], "ffi.list_types()"),
    (["typedef int t[2](int);"], "ffi.typeof('t')"),
    (["typedef int t[2](int);"], "ffi.typeof('t *')"),
    (["typedef int t[2](int);"], "ffi.sizeof('t')"),
    (["typedef int t[2](int);"], "ffi.new('t *')"),
    (["typedef int t[2](int);"], "ffi.cast('t *', 0)"),
    (["typedef int t[2](int); typedef t u;"], "ffi.typeof('u')"),
    (["typedef int t[2](int); t x[3];"], "lib.x"),
    (["typedef int t[2](int); void g(t *x);"], "lib.g"),
    (["typedef int t[2](int); struct q { t *p; };"], "ffi.typeof('struct q')"),
    (["struct s { int a[2](int); };"], "ffi.typeof('struct s')"),
    (["struct s { int a[2](int); };"], "ffi.typeof('struct s *')"),
    (["typedef int (*t)(int)[5];"], "ffi.typeof('t')"),
    (["typedef int t[10][];"], "ffi.typeof('t')"),
    (["typedef int t[-5];"], "ffi.typeof('t')"),
    (["typedef void t[3];"], "ffi.typeof('t')"),
    (["extern void v[3];"], "lib.v"),
    (["extern int v[-1];"], "lib.v"),
    (["extern int v[][2][];"], "lib.v"),
    (["struct s { void v[3]; };"], "ffi.typeof('struct s')"),
    (["struct s { int v[-1]; };"], "ffi.typeof('struct s')"),
    (["struct s { int v[][]; };"], "ffi.typeof('struct s')"),
    (["typedef int t[-2]; t *g;"], "lib.g"),
])
def test_declarations_of_no_c_type_agree_with_cffi(cdefs, expression):
    _same(expression, cdefs, "lib = ffi.dlopen(None)")


@pytest.mark.parametrize("cdefs, expression", [
    (["int abs(enum nope);"], "lib.abs"),
    (["int abs(enum nope);"], "lib.abs, lib.abs, ffi.typeof('enum nope')"),
    (["int abs(enum nope);"], "ffi.addressof(lib, 'abs')"),
    (["enum nope *abs(int);"], "lib.abs"),
])
def test_guessed_enum_warnings_of_lib_names_agree_with_cffi(cdefs, expression):
    """Using a lib name whose type has an enum declared without values warns once, as cffi."""
    def warned(ffi_class):
        ffi = ffi_class()
        for source in cdefs:
            ffi.cdef(source)
        namespace = {"ffi": ffi, "lib": ffi.dlopen(None)}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = normalised(repr(eval(expression, namespace)))
        return result, [(w.category.__name__, str(w.message)) for w in caught]
    assert warned(FFI) == warned(cffi.FFI)


# -- `...` where cffi takes none: its exception and message ----
@pytest.mark.parametrize("source", [
    "int ... x;", "unsigned long ... x;", "double ... x;", "const int ... x;", "int ... *x;",
    "struct s { int x; long ... y; };", "int f(unsigned ...);", "int f(int ...);",
    "... x;", "int x; ... y;", "int x;\n... y;", "struct s { ... x; };",
    "struct s { int ...; };", "struct s { double ...; };", "struct s { ... };",
    "typedef ... t[2];", "typedef ... t(int);", "typedef ... (*t)(int);", "typedef ... **t;",
    "typedef ... *t[2];", "typedef ... *t;", "typedef ... * const t;", "typedef ... int t;",
    "typedef long ... *t;", "typedef long ... **t;", "typedef long ... t(int);",
    "typedef double ... t[2];", "typedef long ... t[2];",
    "int f(int[...]);", "int x;\nint f(int[...]);", "int x[N+1];", "enum e { A = sizeof(int) };",
    "enum e { A = 1 / 0 };", "enum e { A = (1 % 0) + 1 };", "extern int x[2 / 0];",
    "struct s { int a[...]; }; int f(struct s[...]);",
])
def test_dots_in_unexpected_places_agree_with_cffi(source):
    _same("ffi.list_types()", [source])


@pytest.mark.parametrize("text", ["int ...", "unsigned ...", "double ...", "int ...*",
                                  "int(*)(int ...)", "int[...]", "int[N]", "int[1 % 0]"])
def test_dots_in_type_strings_agree_with_cffi(text):
    _same("ffi.typeof(%r)" % (text,))


# -- What an in-line lib cannot give: cffi's exceptions and words ----
@pytest.mark.parametrize("cdefs, expression", [
    (["extern int arr[...];"], "lib.arr"),
    (["extern int arr[...][2];"], "lib.arr"),
    (["extern int *arr[...];"], "lib.arr"),
    (["#define Z ..."], "lib.Z"),
    (["enum e2 { Q1, Q2, ... };"], "lib.Q1"),
    (["enum e2 { Q1, Q2, ... };"], "lib.Q2"),
])
def test_what_an_inline_lib_cannot_give_agrees_with_cffi(cdefs, expression):
    _same(expression, cdefs, "lib = ffi.dlopen(None)")


# -- ... and in an out-of-line module, its ffi.error in its own words ----
@pytest.mark.parametrize("source, expression", [
    ("typedef int t[2](int);", "ffi.typeof('t')"),
    ("typedef int t[2](int);", "ffi.typeof('t *')"),
    ("int a[2](int);", "ffi.dlopen(None).a"),
    ("typedef int F(int); F a[2];", "ffi.dlopen(None).a"),
    ("typedef void t[3];", "ffi.typeof('t')"),
])
def test_declarations_of_no_c_type_out_of_line_agree_with_cffi(source, expression, tmp_path):
    from conftest import import_built
    outcomes = []
    for index, ffi_class in enumerate((FFI, cffi.FFI)):
        name = "_ool_no_c_type_%d" % (index,)
        builder = ffi_class()
        builder.cdef(source)
        builder.set_source(name, None)
        builder.emit_python_code(str(tmp_path / (name + ".py")))
        ffi = import_built(tmp_path, name).ffi
        try:
            outcomes.append(("ok", normalised(repr(eval(expression, {"ffi": ffi})))))
        except Exception as exc:
            outcomes.append((type(exc).__name__, normalised(str(exc))))
    assert outcomes[0] == outcomes[1]


# -- unknown type names: cffi's parse error as it is (a hint goes to the error's notes) ----
@pytest.mark.parametrize("source", [
    "foo_t x;", "foo_t f(int);", "typedef foo_t bar_t;", "int x;\nfoo_t y;",
    "struct s { foo_t a; };", "int f(int a, mytype *b);", "int x; garbage",
    "int __attribute__((x)) y;", "int f(int) __attribute__((deprecated));"])
def test_unknown_type_parse_errors_agree_with_cffi(source):
    _same("ffi.cdef(%r)" % (source,))


@pytest.mark.parametrize("cdecl", ["bar_t *", "bar_t[2]", "struct { bar_t a; } *"])
def test_unknown_type_in_type_strings_agrees_with_cffi(cdecl):
    _same("ffi.typeof(%r)" % (cdecl,))


# -- a typedef of a struct declared by an earlier cdef() names it, as when both come in one
# cdef(), unless the struct was used meanwhile (cffi names a type when it first builds it) ----
TYPEDEF_LATER = [
    (["struct a { int x; };", "typedef struct a a_t;"], ""),
    (["struct a { int x; };", "typedef struct a a_t;", "typedef struct a b_t;"], ""),
    (["struct a;", "typedef struct a a_t;", "struct a { int x; };"], ""),
    (["typedef struct a a_t;", "struct a { int x; };"], ""),
    (["union a { int x; };", "typedef union a a_t;"], ""),
    (["enum a { A0 };", "typedef enum a a_t;"], ""),
    (["struct a { int x; }; int g(struct a *); struct a *h(int);", "typedef struct a a_t;"], ""),
    (["struct a { int x; };", "typedef struct a *a_p;"], ""),
    (["struct a { int x; };"], "p = ffi.new('struct a *'); ffi.cdef('typedef struct a a_t;')"),
    (["struct a { int x; };"], "t = ffi.typeof('struct a[2]'); ffi.cdef('typedef struct a a_t;')"),
    (["struct a { int x; }; struct b { struct a f; };"],       # built with struct b's fields
     "t = ffi.typeof('struct b'); ffi.cdef('typedef struct a a_t;')"),
    (["struct a { int x; }; struct b { struct a *f[2]; };"],
     "t = ffi.typeof('struct b *'); ffi.cdef('typedef struct a a_t;')"),
    (["struct a { int x; };"],
     "try:\n    ffi.cdef('typedef struct a a_t; int bad bad;')\nexcept Exception:\n    pass"),
]


@pytest.mark.parametrize("cdefs, setup", TYPEDEF_LATER)
@pytest.mark.parametrize("expression", [
    "ffi.typeof('struct a' if 'union' not in str(ffi.list_types()) else 'union a')",
    "repr(ffi.new('struct a *')) if 'A0' not in dir(ffi.dlopen(None)) else 0",
    "ffi.typeof('struct a *'), ffi.typeof('struct a[3]')",
    "ffi.new('struct a *', 5)"])
def test_typedef_in_a_later_cdef_names_the_struct_as_cffi(cdefs, setup, expression):
    _same(expression, cdefs, setup)
