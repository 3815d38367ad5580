"""typename.py, the runtime's parser of C type names: it gives the very types the full cdef
parser (pycparser) gives, and leaves everything else to it."""
import pytest

from _backend import IS_CFFI

pytestmark = pytest.mark.skipif(IS_CFFI, reason="purecffi internals")

CDEF = """
    typedef int myint;
    typedef int (*cb_t)(int);
    typedef int fn_t(int, double);
    struct s { int a; struct s *next; };
    union u { int i; float f; };
    enum e { A, B = 5 };
    typedef struct { int x; } anon_t;
    typedef struct s s_t;
    #define N 4
    static const int M = 3;
"""

VALID = [
    "int", "unsigned", "signed", "long unsigned int", "long unsigned long int",
    "short unsigned", "signed char", "signed unsigned char", "long double", "long signed double",
    "float _Complex", "_Bool", "bool", "void", "void *", "const char *",
    "char const * const", "volatile int", "int * restrict", "size_t", "uint64_t", "FILE *",
    "myint", "myint *", "cb_t", "cb_t[3]", "fn_t *", "fn_t", "struct s", "struct s *",
    "s_t **", "union u", "enum e", "enum e *", "anon_t", "anon_t[]",
    "int[5]", "int[]", "int[2][3]", "int[N]", "int[N*2+1]", "int[M]", "int[(N+1)<<1]",
    "int[0x10]", "int[010]", "int[7/2]", "int[-(-3)]", "int[5u]", "char[10L]",
    "int(*)[3]", "int(*)(int)", "int(*)(int, ...)", "int(*)(void)", "int(*)()",
    "int(int)", "void(void)", "int(*)(int x, double y)", "int(*)(int a[3], char b[], cb_t g)",
    "char *(*(*)(int))[5]", "void(*[3])(void)", "int(*(*)[2])(int, ...)",
    "int(**)(struct s *, union u)", "struct s *(*)(const struct s *, enum e)",
    "void(*)(int(*)(int), fn_t)", "int *[4]", "int(*[4])[2]",
]


@pytest.fixture
def decls():
    from purecffi.decls import Declarations
    from purecffi.cparser import parse_cdef
    decls = Declarations()
    parse_cdef(decls, CDEF)
    return decls


@pytest.mark.parametrize("text", VALID)
def test_same_types_as_the_full_parser(decls, text):
    from purecffi.cparser import _parse_type
    from purecffi.typename import parse_type_name
    assert parse_type_name(decls, text) is _parse_type(decls, text)


@pytest.mark.parametrize("text", [
    "", "int int", "struct", "int[", "int;", "int, int", "int *x y",
    "unknown_t", "unsigned float", "struct {int a;}", "int[...]",
    "int(...)", "#define X 1", "int[sizeof(int)]",
    "int[1.5]", "__cffi_opaque__", "int[N/0]",
])
def test_everything_else_goes_to_the_full_parser(decls, text):
    from purecffi.typename import Unsupported, parse_type_name
    with pytest.raises(Unsupported):
        parse_type_name(decls, text)


@pytest.mark.parametrize("text, expected", [
    ("int x", "int"), ("int f(int)", "int(int)"), ("struct s s", "s_t"),
    ("unsigned myint", "unsigned int"), ("int x[3]", "int[3]"), ("int (*f)(int)", "int(*)(int)"),
])
def test_a_declared_name_is_allowed(decls, text, expected):
    from purecffi.typename import parse_type_name
    assert parse_type_name(decls, text).cname == expected


@pytest.mark.parametrize("text, error", [
    ("int[-1]", ValueError), ("int[2][]", ValueError), ("void[3]", ValueError),
    ("int(int)[3]", TypeError), ("int(void, int)", TypeError),
])
def test_invalid_types_raise_cffi_errors_directly(decls, text, error):
    from purecffi.typename import parse_type_name
    with pytest.raises(error):
        parse_type_name(decls, text)


def test_naming_a_tag_declares_it(decls):
    from purecffi.typename import parse_type
    ctype = parse_type(decls, "struct fresh *")
    assert decls.types["struct fresh"] is ctype.item and ctype.item.fields is None
    assert ("struct", "fresh") in decls.order
    assert parse_type(decls, "struct fresh") is ctype.item


def test_no_declaration_when_parsing_fails(decls):
    from purecffi.typename import Unsupported, parse_type_name
    with pytest.raises(Unsupported):
        parse_type_name(decls, "struct other * junk junk")
    assert "struct other" not in decls.types


def test_loaded_declarations_refuse_unknown_tags(decls):
    from purecffi.errors import CompiledFFIError
    from purecffi.typename import parse_type
    decls.declare_tags = False      # (a generated module's: its ffi.error)
    with pytest.raises(CompiledFFIError, match="undefined struct/union name"):
        parse_type(decls, "struct nope")
    with pytest.raises(CompiledFFIError, match="undefined enum name"):
        parse_type(decls, "enum nope *")


def test_runtime_modules_do_not_import_the_parser():
    """typename and decls load without cparser/pycparser (checked in a fresh interpreter)."""
    import os
    import subprocess
    import sys
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    code = ("import sys; import purecffi, purecffi.typename, purecffi.decls, "
            "purecffi.serialize, purecffi.outofline; "
            "ffi = purecffi.FFI(); ffi.new('int[3]'); ffi.typeof('struct x *'); "
            "print([m for m in ('pycparser', 'purecffi.cparser') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=src), check=True).stdout
    assert out.strip() == "[]"
