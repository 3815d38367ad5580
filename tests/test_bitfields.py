"""Bit-fields read and written as cffi does: the values each width takes, neighbours left
alone, `_Bool` and char bit-fields as unsigned integers, and the errors for what is not an int."""
import pytest

from _backend import FFI, IS_CFFI

CDEF = """
struct a { int x:3; unsigned y:5; int z:1; unsigned w:1; };
struct b { char c; int x:7; long long big:40; unsigned long long u:63; short s:9; };
struct c { unsigned char p:3, q:5; _Bool ok:1; _Bool two:2; char ch:4; };
struct d { char pad[3]; unsigned v:12; };
enum e { EA = -2, EB = 3 };
struct f { enum e e1:3; unsigned int e2:2; signed char sc:4; unsigned char uc:7; };
"""
# (struct, field, lowest, highest): signed integer fields of one bit take -1..1 in cffi
FIELDS = [("a", "x", -4, 3), ("a", "y", 0, 31), ("a", "z", -1, 1), ("a", "w", 0, 1),
          ("b", "x", -64, 63), ("b", "big", -(1 << 39), (1 << 39) - 1),
          ("b", "u", 0, (1 << 63) - 1), ("b", "s", -256, 255),
          ("c", "p", 0, 7), ("c", "q", 0, 31), ("c", "ok", 0, 1), ("c", "two", 0, 3),
          ("c", "ch", 0, 15), ("d", "v", 0, 4095),
          ("f", "e1", -4, 3), ("f", "e2", 0, 3), ("f", "sc", -8, 7), ("f", "uc", 0, 127)]


@pytest.fixture(scope="module")
def ffi():
    ffi = FFI()
    ffi.cdef(CDEF)
    return ffi


def _targets(ffi, name):
    """An ffi.new() struct, an item of a struct array and a struct through a cast pointer."""
    arr = ffi.new("struct %s[2]" % name)
    return [ffi.new("struct %s *" % name), arr[1], ffi.cast("struct %s *" % name, arr)]


@pytest.mark.parametrize("name,field,lo,hi", FIELDS)
def test_every_value_of_the_range_reads_back(ffi, name, field, lo, hi):
    others = [f for s, f, _, _ in FIELDS if s == name and f != field]
    for target in _targets(ffi, name):
        for other in others:                     # neighbours set to their highest value
            setattr(target, other, [h for s, f, _, h in FIELDS if s == name and f == other][0])
        before = {other: getattr(target, other) for other in others}
        values = sorted({lo, hi, 0, lo + 1, hi - 1, (lo + hi) // 2} & set(range(lo, hi + 1))) \
            if hi - lo < 1 << 20 else [lo, hi, 0, 1, -1 if lo < 0 else 2]
        for value in values:
            setattr(target, field, value)
            expected = -1 if (lo, hi) == (-1, 1) and value == 1 else value
            assert getattr(target, field) == expected
            assert type(getattr(target, field)) is int
        assert {other: getattr(target, other) for other in others} == before


@pytest.mark.parametrize("name,field,lo,hi", FIELDS)
def test_values_outside_the_range_are_refused(ffi, name, field, lo, hi):
    target = ffi.new("struct %s *" % name)
    for value in (lo - 1, hi + 1):
        if value >= 1 << 63:            # beyond a long long: "int too big to convert" below
            continue
        with pytest.raises(OverflowError, match="value %d outside the range allowed by the "
                           "bit field width: %d <= x <= %d" % (value, lo, hi)):
            setattr(target, field, value)
    with pytest.raises(OverflowError, match="int too big to convert"):
        setattr(target, field, 1 << 64)


@pytest.mark.parametrize("value,kind", [(None, "NoneType"), (1.5, "float"), ("a", "str"),
                                        (b"a", "bytes")])
def test_what_is_no_integer_is_refused(ffi, value, kind):
    p = ffi.new("struct c *")
    for field in ("p", "ok", "ch"):
        with pytest.raises(TypeError, match="'%s' object cannot be interpreted as an integer"
                           % (kind,)):
            setattr(p, field, value)


def test_integers_of_other_kinds(ffi):
    class Index:
        def __index__(self):
            return 2

    class Int:
        def __int__(self):
            return 2
    p = ffi.new("struct a *")
    p.x = Index()
    assert p.x == 2
    p.w = True
    assert p.w == 1
    p.z = True
    assert p.z == -1
    for value in (Int(), ffi.cast("int", 1)):
        with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
            p.x = value


def test_initialisers_follow_the_same_rules(ffi):
    q = ffi.new("struct c *", {"ok": True, "p": 5})
    assert (q.ok, q.p) == (1, 5) and type(q.ok) is int
    with pytest.raises(OverflowError, match="0 <= x <= 1"):
        ffi.new("struct c *", [0, 0, 2])


# -- Against cffi: random memory, every field, in-range and refused writes ----
DIFF_CDEF = CDEF + """
struct g { short s; int a:17; int b:17; char c:3; long long d:60; };
struct h { int a:3; int b; unsigned c:2; double d; int e:20; int f:20; };
struct i { int a:1; int :0; int b:31; unsigned c:32; };
union j { int a:3; unsigned b:7; short c; };
"""
DIFF_TYPES = ["struct a", "struct b", "struct c", "struct d", "struct f", "struct g",
              "struct h", "struct i", "union j"]


def _read(p, name):
    try:
        value = getattr(p, name)
    except Exception as exc:
        return type(exc).__name__
    return value if isinstance(value, (int, float)) else repr(value)[:12]


def _trace(module, memory_of):
    """What reads and writes of every field give over random memory, with `memory_of(ffi,
    type)`: the struct pointer to use."""
    import random
    ffi = module.FFI()
    ffi.cdef(DIFF_CDEF)
    rnd = random.Random(7)
    out = []
    for name in DIFF_TYPES:
        fields = [(f, field) for f, field in ffi.typeof(name).fields if f]
        for _ in range(40):
            p, keep = memory_of(ffi, name)
            buf = ffi.buffer(p)
            buf[:] = bytes(rnd.randrange(256) for _ in range(len(buf)))
            out.append([(f, _read(p, f)) for f, _ in fields])
            for f, field in fields:
                if field.bitsize <= 0:
                    continue
                top = 1 << field.bitsize
                for value in (1, -1, 0, 3, top - 1, -(top >> 1), top, 1.5, "x", True,
                              rnd.randrange(-top, top)):
                    try:
                        setattr(p, f, value)
                        out.append((f, value, _read(p, f), bytes(buf)))
                    except Exception as exc:
                        out.append((f, value, type(exc).__name__, str(exc), bytes(buf)))
    return out


def _new_memory(ffi, name):
    p = ffi.new(name + " *")
    return p, p


def _cast_memory(ffi, name):
    raw = ffi.new("char[]", ffi.sizeof(name) + 8)
    return ffi.cast(name + " *", raw + 8), raw


@pytest.mark.parametrize("memory_of", [_new_memory, _cast_memory], ids=["new", "cast"])
def test_reads_and_writes_as_cffi(memory_of):
    cffi = pytest.importorskip("cffi")
    import _backend
    assert _trace(_backend, memory_of) == _trace(cffi, memory_of)


def test_a_bitfield_of_new_memory_is_read_in_c(ffi):
    from conftest import python_calls
    p = ffi.new("struct b *", {"x": -5, "big": -(1 << 38), "s": 200})
    values, calls = python_calls(lambda: (p.x, p.big, p.u, p.s))
    assert values == (-5, -(1 << 38), 0, 200) and calls == []


@pytest.mark.skipif(IS_CFFI, reason="purecffi's ctypes mirror")
def test_the_layout_check_refuses_a_mirror_reading_other_bits():
    # the check that keeps bit-field getters only where ctypes reads their own bits: given the
    # positions of another layout, it refuses the mirror (its getters are then dropped)
    from purecffi.shadow import _bits_read_right, mirror
    bits = [("a", 3, 5, True), ("b", 8, 7, False)]
    structure, members = mirror([], 4, bits)
    assert set(members) == {"a", "b"} and _bits_read_right(structure, members, bits, 4)
    assert not _bits_read_right(structure, members, [("a", 4, 5, True)], 4)
    assert not _bits_read_right(structure, members, [("b", 8, 6, False)], 4)
