"""ffi.include() in in-line mode (spec 8.1 / 8.6): types and constants of another FFI."""
import pytest

from _backend import FFI


@pytest.fixture
def base():
    ffi = FFI()
    ffi.cdef("""
        typedef struct { int x, y; } point_t;
        struct node { int v; struct node *next; };
        union num { int i; double d; };
        enum color { RED, GREEN = 5, BLUE };
        #define LIMIT 42
        int abs(int);
    """)
    return ffi


def test_included_types_are_usable(base):
    ffi = FFI()
    ffi.include(base)
    ffi.cdef("struct line { point_t a, b; };")
    line = ffi.new("struct line *", [[1, 2], [3, 4]])
    assert (line.a.x, line.b.y) == (1, 4)
    n = ffi.new("struct node *", [7])
    assert n.v == 7 and n.next == ffi.NULL
    assert ffi.sizeof("union num") == 8


def test_included_types_are_the_same_objects(base):
    ffi = FFI()
    ffi.include(base)
    assert ffi.typeof("point_t") is base.typeof("point_t")
    assert ffi.typeof("struct node *") is base.typeof("struct node *")
    p = base.new("point_t *", [1, 2])
    assert ffi.cast("point_t *", p).y == 2          # cdata of one are cdata of the other


def test_included_constants_and_enums(base):
    ffi = FFI()
    ffi.include(base)
    ffi.cdef("int abs(int);")
    lib = ffi.dlopen(None)
    assert lib.LIMIT == 42 and lib.BLUE == 6
    assert ffi.string(ffi.cast("enum color", 5)) == "GREEN"


def test_include_then_later_declarations_build_on_it(base):
    ffi = FFI()
    ffi.include(base)
    ffi.cdef("typedef point_t *point_p; int sum(point_t *);")
    assert ffi.typeof("point_p").item is base.typeof("point_t")


def test_include_requires_an_ffi():
    with pytest.raises(TypeError):
        FFI().include("not an ffi")


def test_include_passes_on_what_was_included():
    """An FFI including `b` also gets what `b` took from `a`: typedefs, tags, constants."""
    a = FFI()
    a.cdef("typedef int A_t; struct sa { int x; }; enum ea { EA = 3 };\n#define KA 7")
    b = FFI()
    b.include(a)
    b.cdef("typedef A_t B_t; struct sb { struct sa s; };")
    c = FFI()
    c.include(b)
    assert c.sizeof("A_t") == c.sizeof("int")
    assert c.typeof("struct sa") is a.typeof("struct sa")
    assert c.typeof("enum ea") is a.typeof("enum ea")
    assert c.sizeof("struct sb") == c.sizeof("B_t") == c.sizeof("int")
    lib = c.dlopen(None)
    assert (lib.EA, lib.KA) == (3, 7)
    d = FFI()
    d.cdef("typedef long A_t;")
    with pytest.raises(Exception, match="multiple declarations of typedef A_t"):
        d.include(b)
