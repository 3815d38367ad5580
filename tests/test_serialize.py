"""serialize.py: declarations dumped to JSON text and loaded back without parsing."""
import json

import pytest

from _backend import IS_CFFI

pytestmark = pytest.mark.skipif(IS_CFFI, reason="purecffi internals")

CDEF = """
    typedef int myint;
    typedef int (*cb_t)(int, ...);
    struct s { int a; struct s *next; char name[5]; unsigned flag : 1; };
    struct holder { struct s items[2]; union { int i; float f; }; };
    union u { long l; double d; };
    enum e { A = -1, B, C = 100 };
    enum guess;
    typedef struct { int x; } anon_t;
    typedef struct opaque opaque_t;
    typedef ... handle_t;
    struct flex { int n; double v[]; };
    extern int counter;
    extern const int table[3];
    int f(struct s *, enum e, cb_t);
    double g(void);
    #define K 42
    static const int M = 7;
    struct part { int a; ...; };
    enum pe { P1, P2, ... };
    typedef int... weird_t;
    #define DOTS ...
    struct bad { void v; };
    struct waits { struct later l; };
    extern "Python" int py_cb(int);
"""


@pytest.fixture
def decls():
    from purecffi.cparser import parse_cdef
    from purecffi.decls import Declarations
    decls = Declarations()
    parse_cdef(decls, CDEF, warn_stacklevel=2)
    return decls


def roundtrip(decls, **options):
    from purecffi.serialize import dump_declarations, load_declarations
    return load_declarations(dump_declarations(decls), **options)


def test_round_trip_keeps_everything(decls):
    new = roundtrip(decls)
    assert list(new.types) == list(decls.types)
    for key, ctype in decls.types.items():
        other = new.types[key]
        assert other.cname == ctype.cname and other.kind == ctype.kind, key
        if ctype.kind in ("struct", "union") and ctype.fields is not None and not ctype.partial:
            assert other.byte_size == ctype.byte_size and other.byte_align == ctype.byte_align
            assert [(n, f.offset, f.bitshift, f.bitsize, f.flags, f.type.cname)
                    for n, f in other.fields] == \
                [(n, f.offset, f.bitshift, f.bitsize, f.flags, f.type.cname)
                 for n, f in ctype.fields]
    for name in ("typedef_names", "order", "const_typedefs", "has_placeholders",
                 "anonymous_count"):
        assert getattr(new, name) == getattr(decls, name), name
    assert {n: t.cname for n, t in new.functions.items()} == \
        {n: t.cname for n, t in decls.functions.items()}
    assert {n: (t.cname, c) for n, (t, c) in new.variables.items()} == \
        {n: (t.cname, c) for n, (t, c) in decls.variables.items()}
    assert {n: (t and t.cname, v) for n, (t, v) in new.constants.items()} == \
        {n: (t and t.cname, v) for n, (t, v) in decls.constants.items()}
    assert new.constants["DOTS"] == (None, Ellipsis)
    assert {n: (t.cname, p) for n, (t, p) in new.extern_python.items()} == \
        {n: (t.cname, p) for n, (t, p) in decls.extern_python.items()}
    assert new.types["enum e"].relements == {"A": -1, "B": 0, "C": 100}
    assert new.types["enum pe"].partial and new.types["enum pe"].relements["P1"] is Ellipsis
    assert new.types["struct part"].partial
    assert [s.name for s in new.pending] == [s.name for s in decls.pending]
    assert {s.name: (type(e), e.args) for s, e in new.broken.items()} == \
        {s.name: (type(e), e.args) for s, e in decls.broken.items()}


def test_types_are_shared_and_interned(decls):
    from purecffi.ctype import TYPES
    new = roundtrip(decls)
    s = new.types["struct s"]
    assert s.field("next").type is TYPES.pointer(s)
    assert new.functions["f"].args[0] is TYPES.pointer(s)
    assert new.functions["g"] is decls.functions["g"]          # structural: interned
    assert new.types["cb_t"] is decls.types["cb_t"]


def test_the_runtime_checks_still_apply(decls):
    """Placeholders and broken structs raise the same errors from loaded declarations."""
    from purecffi.errors import VerificationMissing
    from purecffi.typename import parse_type
    new = roundtrip(decls)
    with pytest.raises(VerificationMissing):
        parse_type(new, "struct part *")
    with pytest.raises(NotImplementedError):
        parse_type(new, "weird_t")
    with pytest.raises(TypeError):
        parse_type(new, "struct bad")
    assert parse_type(new, "struct holder").byte_size == decls.types["struct holder"].byte_size


def test_text_and_data_forms(decls):
    from purecffi.serialize import dump_declarations, load_declarations
    text = dump_declarations(decls)
    assert text == dump_declarations(decls)                   # deterministic
    assert json.loads(text)["version"] == 1
    a = load_declarations(text)
    b = load_declarations(json.loads(text))
    assert a.types["struct s"].byte_size == b.types["struct s"].byte_size == 24


def test_wrong_version(decls):
    from purecffi.serialize import dump_declarations, load_declarations
    data = json.loads(dump_declarations(decls))
    data["version"] = 999
    with pytest.raises(ValueError):
        load_declarations(data)


def test_given_layouts(decls):
    """API mode: sizes and offsets reported by the compiler replace layout.py's."""
    from purecffi.serialize import load_declarations, dump_declarations
    text = dump_declarations(decls)
    new = load_declarations(text, layouts={"struct part": (16, 8, [("a", 8)]),
                                           "union u": (8, 8, [("l", 0), ("d", 0)]),
                                           "anon_t": (4, 4, [("x", 0)])})
    part = new.types["struct part"]
    assert (part.byte_size, part.byte_align, part.field("a").offset) == (16, 8, 8)
    assert new.types["union u"].field("d").flags == 1         # not filled by a list
    assert new.types["anon_t"].byte_size == 4


def test_complete_partial(decls):
    from purecffi.serialize import dump_declarations, load_declarations
    new = load_declarations(dump_declarations(decls, complete_partial=True))
    part = new.types["struct part"]
    assert not part.partial and part.byte_size == 4


def test_includes_are_references(decls):
    """Types of an included Declarations are written by name and found there again."""
    from purecffi.cparser import parse_cdef
    from purecffi.decls import Declarations
    from purecffi.serialize import dump_declarations, load_declarations
    derived = Declarations()
    derived.include(decls)
    parse_cdef(derived, "struct s *make(anon_t *); struct mine { struct s inner; };")
    text = dump_declarations(derived, includes=[decls])
    assert '["ext", "struct s"]' in text
    base = roundtrip(decls)
    new = load_declarations(text, includes=[base])
    assert new.types["struct s"] is base.types["struct s"]
    assert new.functions["make"].args[0].item is base.types["anon_t"]
    assert new.types["struct mine"].byte_size == 24
    with pytest.raises(ImportError):
        load_declarations(text, includes=[])


def test_given_layouts_with_anonymous_members():
    from purecffi.cparser import parse_cdef
    from purecffi.decls import Declarations
    from purecffi.serialize import dump_declarations, load_declarations
    decls = Declarations()
    parse_cdef(decls, "struct a { int x; union { int y; float z; }; ...; }; "
                      "struct b { char c; struct { short p, q; }; int bits : 3; };")
    text = dump_declarations(decls)
    new = load_declarations(text, layouts={
        "struct a": (24, 8, [("x", 0), ("y", 16), ("z", 16)]),
        "struct b": (12, 4, [("c", 0), ("$1", 4)])})
    a = new.types["struct a"]
    assert [(n, f.offset) for n, f in a.fields] == [("x", 0), ("y", 16), ("z", 16)]
    assert a.byte_size == 24
    b = new.types["struct b"]
    assert [(n, f.offset) for n, f in b.fields][:3] == [("c", 0), ("p", 4), ("q", 6)]
    assert b.field("bits").bitsize == 3 and b.byte_size == 12


def test_default_abi_has_one_interned_function_type():
    """A function type built with abi=None and one with the default ABI's number are one type
    (serialize.py writes the number, the parser passes None)."""
    from purecffi import platform as plat
    from purecffi.ctype import TYPES
    i = TYPES.primitive("int")
    assert TYPES.raw_function([i], i, False) is TYPES.raw_function([i], i, False, plat.DEFAULT_ABI)
