"""Struct items, struct and pointer fields, slices and pointer stores: the one-step paths."""
import gc

import pytest

from _backend import FFI, IS_CFFI

PURE_ONLY = pytest.mark.skipif(IS_CFFI, reason="purecffi only: views keep ffi.new() memory alive, "
                               "and a NULL struct pointer raises instead of crashing")


@pytest.fixture
def ffi():
    ffi = FFI()
    ffi.cdef("""
        struct point { int x; double y; };
        struct line { struct point a, b; struct point *next; };
        struct node { int v; struct node *next; };
        struct packed { char c; struct point p; struct point *q; };
    """, packed=True)
    return ffi


def test_struct_items_of_arrays_and_pointers(ffi):
    pts = ffi.new("struct point[4]", [[i, i / 2] for i in range(4)])
    assert [pts[i].x for i in range(4)] == [0, 1, 2, 3]
    assert pts[3].y == 1.5
    assert ffi.typeof(pts[2]) is ffi.typeof("struct point")
    assert ffi.addressof(pts[2]) == ffi.addressof(pts[0]) + 2
    pp = ffi.cast("struct point *", pts)
    assert pp[3].x == 3 and pp[-1 + 1].x == 0
    pts[1].x = 10
    assert pp[1].x == 10
    with pytest.raises(IndexError):
        pts[4]
    with pytest.raises(IndexError):
        pts[-1]
    with pytest.raises(RuntimeError):
        ffi.cast("struct point *", 0)[0]


@PURE_ONLY
def test_struct_items_keep_the_memory_alive(ffi):
    pts = ffi.new("struct point[3]", [[1, 1.0], [2, 2.0], [3, 3.0]])
    item = pts[2]
    del pts
    gc.collect()
    ffi.new("struct point[3]", [[9, 9.0]] * 3)     # would reuse freed memory
    assert (item.x, item.y) == (3, 3.0)


def test_nested_struct_and_pointer_fields(ffi):
    p = ffi.new("struct point *", [7, 2.5])
    line = ffi.new("struct line *")
    line.a.x = 3
    line.b.y = 4.5
    assert (line.a.x, line.b.y) == (3, 4.5)
    assert ffi.typeof(line.a) is ffi.typeof("struct point")
    assert line.next == ffi.NULL
    assert ffi.typeof(line.next) is ffi.typeof("struct point *")
    line.next = p
    assert line.next.y == 2.5 and line.next[0].x == 7
    line.next.x = 8
    assert p.x == 8
    s = line[0]
    assert s.a.x == 3 and s.next.x == 8


def test_field_views_follow_later_writes(ffi):
    """A struct or pointer field read again after the memory changed, by any route, gives
    what the memory now holds (views made earlier do not go stale)."""
    p1 = ffi.new("struct point *", [1, 1.5])
    p2 = ffi.new("struct point *", [2, 2.5])
    for line in (ffi.new("struct line *"), ffi.new("struct line[2]")[1]):
        line.next = p1
        assert line.next.x == 1 and line.next == p1
        line.next = p2
        assert line.next.x == 2 and line.next == p2
        slot = ffi.cast("struct point **", ffi.addressof(line, "next"))
        slot[0] = p1                                    # written through another pointer
        assert line.next.y == 1.5
        line.next = ffi.NULL
        assert line.next == ffi.NULL and not line.next
        line.a = {"x": 5, "y": 6.5}
        assert (line.a.x, line.a.y) == (5, 6.5)
        ffi.memmove(ffi.addressof(line, "a"), p2, ffi.sizeof("struct point"))
        assert (line.a.x, line.a.y) == (2, 2.5)
        line.a.x = 7
        assert line.a.x == 7 and ffi.addressof(line, "a").x == 7


def test_field_views_do_not_keep_their_struct_alive(ffi):
    """Reading fields leaves no reference cycle: a struct from ffi.new() dies with its last
    reference, with the cycle collector off."""
    import weakref
    gc.disable()
    try:
        line = ffi.new("struct line *")
        line.next = ffi.NULL
        line.a.x, line.b.y = 1, 2.0
        assert line.next == ffi.NULL
        ref = weakref.ref(line)
        del line
        assert ref() is None
    finally:
        gc.enable()


@PURE_ONLY
def test_fields_through_null_raise(ffi):
    null = ffi.cast("struct line *", 0)
    for get in (lambda: null.a, lambda: null.next, lambda: null.a.x):
        with pytest.raises(RuntimeError, match="cannot dereference null pointer"):
            get()


def test_recursive_pointer_fields(ffi):
    nodes = ffi.new("struct node[3]")
    for i in range(3):
        nodes[i].v = i * 10
        nodes[i].next = nodes + (i + 1) % 3
    n = nodes[0]
    seen = []
    for _ in range(4):
        seen.append(n.v)
        n = n.next
    assert seen == [0, 10, 20, 0]


def test_unaligned_struct_views(ffi):
    p = ffi.new("struct point *", [5, 6.5])
    pk = ffi.new("struct packed *")
    pk.p.x = 4
    pk.p.y = 1.25
    pk.q = p
    assert (pk.p.x, pk.p.y) == (4, 1.25)
    assert pk.q.x == 5 and pk.q.y == 6.5
    assert ffi.offsetof("struct packed", "q") % ffi.sizeof("void *") != 0


def test_slices(ffi):
    a = ffi.new("int[10]", list(range(10)))
    s = a[2:5]
    assert ffi.typeof(s) is ffi.typeof("int[]") and len(s) == 3 and list(s) == [2, 3, 4]
    assert repr(s).endswith("sliced length 3>")
    ip = ffi.cast("int *", a)
    t = ip[1:4]
    assert ffi.typeof(t) is ffi.typeof("int[]") and list(t) == [1, 2, 3]
    d = ffi.new("double[3]", [0.5, 1.5, 2.5])
    assert ffi.typeof(d[0:2]) is ffi.typeof("double[]") and list(d[1:3]) == [1.5, 2.5]
    pts = ffi.new("struct point[3]", [[1, 1.0], [2, 2.0], [3, 3.0]])
    assert [x.x for x in pts[1:3]] == [2, 3]
    assert len(a[10:10]) == 0
    for bad in (slice(0, 11), slice(-1, 2), slice(3, 2), slice(0, 2, 1), slice(None, 2)):
        with pytest.raises(IndexError):
            a[bad]


@PURE_ONLY
def test_slices_keep_the_memory_alive(ffi):
    a = ffi.new("int[10]", list(range(10)))
    s = a[2:5]
    del a
    gc.collect()
    ffi.new("int[10]", [99] * 10)
    assert list(s) == [2, 3, 4]


def test_pointer_item_stores(ffi):
    a = ffi.new("int[4]")
    ip = ffi.cast("int *", a)
    ip[1] = 5
    ip[2] = True
    assert list(a) == [0, 5, 1, 0]
    for bad, error in ((1.5, TypeError), (2 ** 40, OverflowError), ("x", TypeError)):
        with pytest.raises(error) as info:
            ip[3] = bad
        assert info.value.__context__ is None
    assert a[3] == 0
    d = ffi.new("double[2]")
    dp = ffi.cast("double *", d)
    dp[1] = 3
    assert d[1] == 3.0
    with pytest.raises(TypeError):
        dp[0] = "x"


def test_pointer_addition(ffi):
    a = ffi.new("int[5]", [0, 1, 2, 3, 4])
    ip = ffi.cast("int *", a)
    assert (ip + 3)[0] == 3 and (3 + ip)[0] == 3 and (ip + 4 - 1)[0] == 3
    assert ffi.typeof(ip + 1) is ffi.typeof("int *")
    with pytest.raises(TypeError):
        ip + 1.5


def test_array_fields_and_array_arithmetic():
    """An array field read again sees later writes (by any route); `array + n` is a `T *` at
    the right address whatever the array's memory (owned, a field, packed, a slice)."""
    ffi = FFI()
    ffi.cdef("struct rec { char name[8]; int ids[3]; };"
             "struct pk { char c; int ids[3]; };", packed=True)
    r = ffi.new("struct rec *")
    name = r.name
    r.name = b"abc"
    assert ffi.string(r.name) == b"abc" and name[1] == b"b"
    ffi.memmove(ffi.addressof(r, "name"), b"xyz\0", 4)
    assert ffi.string(r.name) == b"xyz" and ffi.string(name) == b"xyz"
    r.name = b"12345678"                        # exactly the length: no NUL written
    assert ffi.unpack(r.name, 8) == b"12345678"
    r.ids = [1, 2, 3]
    assert list(r.ids) == [1, 2, 3]
    pk = ffi.new("struct pk *", [b"c", [4, 5, 6]])
    owned = ffi.new("int[5]", [10, 11, 12, 13, 14])
    for array, first in ((r.ids, 1), (pk.ids, 4), (owned, 10), (owned[1:4], 11)):
        for n in (0, 1, 2):
            p = array + n
            assert ffi.typeof(p) is ffi.typeof("int *")
            assert p[0] == first + n and int(ffi.cast("intptr_t", p)) == \
                int(ffi.cast("intptr_t", array)) + 4 * n
        assert (array + 2) - (array + 0) == 2


def test_items_that_are_pointers():
    """Arrays of pointers and pointers to pointers: items read as pointers of the item type
    (NULL, odd addresses and all), stored from pointers of that type or others it takes."""
    ffi = FFI()
    ffi.cdef("struct point { int x; double y; };")
    p = ffi.new("struct point *", [4, 0.5])
    ptrs = ffi.new("struct point *[3]", [p, ffi.NULL])
    assert ptrs[0] == p and ptrs[0].x == 4 and ptrs[1] == ffi.NULL and not ptrs[2]
    assert ffi.typeof(ptrs[1]) is ffi.typeof("struct point *")
    ptrs[2] = ffi.cast("struct point *", 3)             # an address no struct is at
    assert int(ffi.cast("intptr_t", ptrs[2])) == 3
    pp = ffi.new("struct point **", p)
    assert pp[0].y == 0.5
    q = ffi.cast("struct point **", ptrs)
    assert q[0] == p and q[2] == ptrs[2] and (q + 1)[-1] == p
    ptrs[1] = ffi.cast("void *", p)                     # void * is taken by any pointer
    assert ptrs[1].x == 4
    with pytest.raises(IndexError):
        ptrs[3]
    with pytest.raises(TypeError):
        ptrs[0] = ffi.new("int *")
    text = ffi.new("char[]", b"ab")
    words = ffi.new("char *[]", [text])
    assert ffi.string(words[0]) == b"ab"
