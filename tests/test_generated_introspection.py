"""What generated modules show about their declarations, as cffi's do: the C signatures in the
`__doc__` of lib functions (API mode), the order of the `elements`/`relements` dicts of
enums (API and out-of-line modules, as in-line: from the last enumerator back to the first),
types named by a typedef of a tagged struct or union spelled by the tag, and the words of
their ffi for an argument of the wrong kind (not those of the in-line FFI)."""
import importlib
import shutil
import sys

import pytest

from _backend import FFI

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

ENUMS = """
    enum color { RED, GREEN = 5, BLUE };
    typedef enum { ONE = 1, TWO } num_t;
    enum order { Z3 = 3, Z1 = 1, Z2 = 2 };
    enum dup { DA = 1, DB = 1, DC = 2 };
    struct tagged { int x; };
    typedef struct tagged tagged_t;
    typedef union un un_t;
    union un { int i; };
    struct opaque;
    typedef struct opaque opaque_t;
    typedef struct { int a; } anonymous_t;
    typedef int (*takes_t)(opaque_t *, tagged_t);
    typedef struct _IO_FILE FILE;
"""

CDEF = ENUMS + """
    struct s { int a; };
    typedef int (*fn_t)(int);
    void noargs(void);
    void *vp(void **);
    char **pp(void);
    const char *cc(const char *);
    struct s *sp(struct s *, struct s);
    int (*fr(int))(int);
    fn_t fr2(void);
    int (*ap(void))[3];
    struct s by_value(void);
    long double ld(long double);
    typedef int... count_t;
    typedef float... real_t;
    count_t by_numbers(count_t *, real_t);
    opaque_t *by_tags(tagged_t *, un_t);
"""

SOURCE = "#include <stdio.h>\n" + ENUMS.replace("typedef struct _IO_FILE FILE;", "") + """
    struct s { int a; };
    typedef int (*fn_t)(int);
    static void noargs(void) {}
    static void *vp(void **p) { return p; }
    static char **pp(void) { return 0; }
    static const char *cc(const char *s) { return s; }
    static struct s *sp(struct s *p, struct s v) { (void)v; return p; }
    static int (*fr(int x))(int) { (void)x; return 0; }
    static fn_t fr2(void) { return 0; }
    static int (*ap(void))[3] { return 0; }
    static struct s by_value(void) { struct s r = {1}; return r; }
    static long double ld(long double x) { return x; }
    typedef unsigned short count_t;
    typedef double real_t;
    static count_t by_numbers(count_t *p, real_t r) { (void)r; return *p; }
    static opaque_t *by_tags(tagged_t *p, un_t u) { (void)p; (void)u; return 0; }
"""


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    """The API-mode and the out-of-line module of the declarations."""
    directory = tmp_path_factory.mktemp("generated_introspection")
    built = []
    for name, source, cdef in (("_intro_api", SOURCE, CDEF), ("_intro_ool", None, ENUMS)):
        builder = FFI()
        builder.cdef(cdef)
        builder.set_source(name, source)
        builder.compile(tmpdir=str(directory))
    sys.path.insert(0, str(directory))
    try:
        built = [importlib.import_module(name) for name in ("_intro_api", "_intro_ool")]
    finally:
        sys.path.remove(str(directory))
    yield built
    for name in ("_intro_api", "_intro_ool", "_intro_api.lib"):
        sys.modules.pop(name, None)


@pytest.mark.parametrize("name, signature", [
    ("noargs", "void noargs();"),
    ("vp", "void *vp(void * *);"),
    ("pp", "char * *pp();"),
    ("cc", "char *cc(char *);"),
    ("sp", "struct s *sp(struct s *, struct s);"),
    ("fr", "int(*fr(int))(int);"),
    ("fr2", "int(*fr2())(int);"),
    ("ap", "int(*ap())[3];"),
    ("by_value", "struct s by_value();"),       # called through a wrapper
    ("ld", "long double ld(long double);"),
    ("by_numbers", "uint16_t by_numbers(uint16_t *, double);"),     # as the compiler says
])
def test_function_doc_spells_the_signature(modules, name, signature):
    function = getattr(modules[0].lib, name)
    assert function.__doc__ == "%s\n\nCFFI C function from _intro_api.lib" % (signature,)


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("ctype, names, elements", [
    ("enum color", "BLUE GREEN RED", [(6, "BLUE"), (5, "GREEN"), (0, "RED")]),
    ("num_t", "TWO ONE", [(2, "TWO"), (1, "ONE")]),
    ("enum order", "Z2 Z1 Z3", [(2, "Z2"), (1, "Z1"), (3, "Z3")]),
    ("enum dup", "DC DB DA", [(2, "DC"), (1, "DA")]),      # the first name of a value wins
])
def test_enum_dicts_in_cffis_order(modules, which, ctype, names, elements):
    enum = modules[which].ffi.typeof(ctype)
    assert list(enum.elements.items()) == elements
    assert list(enum.relements) == names.split()


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("name, spelling", [
    ("tagged_t", "struct tagged"), ("tagged_t *", "struct tagged *"), ("un_t", "union un"),
    ("opaque_t", "struct opaque"), ("anonymous_t", "anonymous_t"),
    ("takes_t", "int(*)(struct opaque *, struct tagged)"),
    ("FILE", "FILE"), ("struct _IO_FILE *", "FILE *"),        # stdio's, as cffi spells it
])
def test_typedefs_of_tagged_types_are_spelled_by_the_tag(modules, which, name, spelling):
    ffi = modules[which].ffi
    assert ffi.typeof(name).cname == spelling


def test_function_types_spell_the_tags(modules):
    ffi, lib = modules[0].ffi, modules[0].lib
    assert ffi.typeof(lib.by_tags).cname == "struct opaque *(*)(struct tagged *, union un)"
    assert lib.by_tags.__doc__.startswith("struct opaque *by_tags(struct tagged *, union un);")


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("call, expected", [
    (lambda ffi: ffi.typeof(3), "a string or cdata object"),
    (lambda ffi: ffi.sizeof(3), "a string or ctype object or cdata object"),
    (lambda ffi: ffi.alignof(3), "a string or ctype object or cdata object"),
    (lambda ffi: ffi.offsetof(3, "x"), "a string or ctype object"),
    (lambda ffi: ffi.new(3), "a string or ctype object"),
    (lambda ffi: ffi.cast(3, 0), "a string or ctype object"),
    (lambda ffi: ffi.getctype(3), "a string or ctype object"),
    (lambda ffi: ffi.callback(3), "a string or ctype object"),
    (lambda ffi: ffi.addressof(3), "a cdata object"),
])
def test_arguments_of_the_wrong_kind(modules, which, call, expected):
    with pytest.raises(TypeError) as info:
        call(modules[which].ffi)
    assert str(info.value) == "expected %s, got 'int'" % (expected,)


@pytest.mark.parametrize("which", [0, 1])
def test_offsetof_without_a_field(modules, which):
    with pytest.raises(TypeError) as info:
        modules[which].ffi.offsetof("struct tagged")
    assert str(info.value) == "offsetof() expects at least 2 arguments"
