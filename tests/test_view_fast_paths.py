"""The one-step view paths: items of struct arrays, slices of number and char arrays, `p + n`
and pointer fields, with every field kind, aligned and unaligned memory, and their errors.

Expected values are those written, or computed from the C layout; the errors are cffi's
(run with PURECFFI_TEST_AGAINST=cffi to check them)."""
import re
import sys
import threading

import pytest

from _backend import FFI, IS_CFFI

CDEF = """
    struct pt { int x; double y; };
    union num { int i; float f; };
    struct all {
        signed char i8; unsigned char u8; short i16; unsigned short u16;
        int i32; unsigned int u32; long long i64; unsigned long long u64;
        float f; double d; _Bool b; char c; int *ptr;
        struct pt nested; int arr[3]; union num un;
    };
    struct bits { int a : 3; unsigned int b : 5; int c; };
    struct line { struct pt a, b; struct pt *next; };
    int add_items(struct pt *, int);
"""

# (field, value written, value read back)
FIELD_VALUES = [
    ("i8", -128, -128), ("u8", 255, 255), ("i16", -32768, -32768), ("u16", 65535, 65535),
    ("i32", -2**31, -2**31), ("u32", 2**32 - 1, 2**32 - 1), ("i64", -2**63, -2**63),
    ("u64", 2**64 - 1, 2**64 - 1), ("f", 0.1, 0.10000000149011612), ("d", 2.5, 2.5),
    ("b", True, True), ("c", b"z", b"z"),
]


@pytest.fixture
def ffi():
    ffi = FFI()
    ffi.cdef(CDEF)
    return ffi


@pytest.fixture
def packed():
    """Structs whose arrays and pointer fields are at odd offsets (unaligned memory)."""
    ffi = FFI()
    ffi.cdef("""
        struct pt { int x; double y; };
        struct holder { char c; struct pt items[2]; int nums[4]; char text[4];
                        struct pt *next; };
    """, packed=True)
    return ffi


# -- Items of struct arrays ----
@pytest.mark.parametrize("field, value, expected", FIELD_VALUES)
def test_struct_array_items_every_number_kind(ffi, field, value, expected):
    arr = ffi.new("struct all[3]")
    setattr(arr[1], field, value)
    assert getattr(arr[1], field) == expected
    assert getattr(ffi.cast("struct all *", arr)[1], field) == expected  # another path
    assert getattr(arr[0], field) == getattr(arr[2], field) == type(expected)(0) \
        if field != "c" else b"\0"


def test_struct_array_items_pointer_nested_array_union_fields(ffi):
    arr = ffi.new("struct all[2]")
    target = ffi.new("int *", 42)
    arr[1].ptr = target
    arr[1].nested.x, arr[1].nested.y = 7, -1.5
    arr[1].arr[2] = 9
    arr[1].un.f = 1.0
    item = arr[1]
    assert item.ptr == target and item.ptr[0] == 42
    assert (item.nested.x, item.nested.y) == (7, -1.5)
    assert list(item.arr) == [0, 0, 9]
    assert item.un.i == 0x3F800000         # 1.0f's bits
    assert arr[0].ptr == ffi.NULL and arr[0].nested.x == 0
    assert ffi.addressof(arr[1]) == ffi.addressof(arr[0]) + 1
    assert ffi.typeof(arr[1]) is ffi.typeof("struct all")
    assert repr(arr[1]).startswith("<cdata 'struct all &' 0x")


def test_union_and_bitfield_array_items(ffi):
    nums = ffi.new("union num[3]")
    nums[2].i = 0x40490FDB
    assert nums[2].f == pytest.approx(3.14159274)
    bits = ffi.new("struct bits[2]")
    bits[1].a, bits[1].b, bits[1].c = -3, 31, 12345
    assert (bits[1].a, bits[1].b, bits[1].c) == (-3, 31, 12345)
    assert (bits[0].a, bits[0].b, bits[0].c) == (0, 0, 0)
    assert ffi.cast("int *", ffi.addressof(bits[1], "c"))[0] == 12345


def test_struct_array_item_errors(ffi):
    pts = ffi.new("struct pt[3]")
    for index, error, message in [
            (3, IndexError, "index too large for cdata 'struct pt[3]' (expected 3 < 3)"),
            (-1, IndexError, "negative index"),
            (1.0, TypeError, "'float' object cannot be interpreted as an integer")]:
        with pytest.raises(error, match=re.escape(message)):
            pts[index]
    assert pts[True].x == 0
    assert repr(pts[1:3]) == "<cdata 'struct pt[]' sliced length 2>"
    pts[2].x = 5
    assert pts[1:3][1].x == 5


def test_struct_arrays_not_from_new(ffi, packed):
    pts = ffi.new("struct pt[4]", [[i, i / 4] for i in range(4)])
    view = ffi.cast("struct pt(*)[4]", pts)[0]          # an array view of the same memory
    assert [(view[i].x, view[i].y) for i in range(4)] == [(i, i / 4) for i in range(4)]
    data = bytearray(ffi.buffer(pts))
    over = ffi.from_buffer("struct pt[]", data)
    assert (over[3].x, over[3].y) == (3, 0.75)
    over[0].y = 8.5
    assert ffi.cast("double *", ffi.from_buffer(data))[1] == 8.5
    # an array at an odd offset: its items are not aligned
    h = packed.new("struct holder *")
    h.items[1].x, h.items[1].y = -4, 6.25
    assert (h.items[1].x, h.items[1].y) == (-4, 6.25)
    assert packed.addressof(h.items[1]) == packed.cast("char *", h) + 1 + 12
    with pytest.raises(IndexError, match=re.escape(
            "index too large for cdata 'struct pt[2]' (expected 2 < 2)")):
        h.items[2]


# -- Slices ----
class _Index:
    """An object with __index__: still not a slice bound (as in cffi)."""

    def __index__(self):
        return 2


@pytest.mark.parametrize("cdecl, values", [
    ("int[10]", list(range(10))), ("double[10]", [i / 2 for i in range(10)]),
    ("unsigned char[10]", list(range(246, 256))),
    ("char[10]", [bytes([97 + i]) for i in range(10)]), ("short[10]", [-i for i in range(10)]),
])
def test_slices_of_number_and_char_arrays(ffi, cdecl, values):
    a = ffi.new(cdecl, values)
    item = cdecl.split("[")[0]
    s = a[2:6]
    assert repr(s) == "<cdata '%s[]' sliced length 4>" % (item,)
    assert len(s) == 4 and list(s) == values[2:6]
    assert ffi.typeof(s) is ffi.typeof(item + "[]")
    assert s[3] == values[5]
    s[0] = values[9]
    assert a[2] == values[9]
    assert s + 1 == a + 3 and ffi.typeof(s + 1) is ffi.typeof(item + " *")
    assert list(s[1:3]) == values[3:5]
    assert len(a[0:0]) == 0 and len(a[10:10]) == 0 and len(a[0:10]) == 10
    assert list(a[True:2]) == values[1:2]


@pytest.mark.parametrize("index, error, message", [
    (slice(None, 3), IndexError, "slice start must be specified"),
    (slice(1, None), IndexError, "slice stop must be specified"),
    (slice(1, 3, 1), IndexError, "slice with step not supported"),
    (slice(3, 1), IndexError, "slice start > stop"),
    (slice(-1, 2), IndexError, "negative index"),
    (slice(0, 11), IndexError, "index too large (expected 11 <= 10)"),
    (slice(1.0, 3), TypeError, "an integer is required"),
    (slice(1, 3.0), TypeError, "an integer is required"),
    (slice(_Index(), 3), TypeError, "an integer is required"),
])
def test_slice_errors(ffi, index, error, message):
    a = ffi.new("int[10]")
    with pytest.raises(error, match=re.escape(message)):
        a[index]
    if "11" not in message:     # the same from a slice (an `int[]` of 4 items)
        with pytest.raises(error, match=re.escape(message)):
            a[2:6][index]


def test_slice_of_a_slice_is_bounded_by_its_length(ffi):
    a = ffi.new("int[10]", list(range(10)))
    with pytest.raises(IndexError, match=re.escape("index too large (expected 4 <= 3)")):
        a[2:5][0:4]
    with pytest.raises(IndexError, match=re.escape(
            "index too large for cdata 'int[]' (expected 0 < 0)")):
        a[0:0][0]


def test_slices_of_unaligned_arrays(packed):
    h = packed.new("struct holder *")
    h.nums[0:4] = [1, -2, 3, -4]
    assert list(h.nums[1:3]) == [-2, 3]
    assert repr(h.nums[1:3]) == "<cdata 'int[]' sliced length 2>"
    h.text[0:4] = b"abcd"
    assert h.text[1:3][1] == b"c"


@pytest.mark.skipif(IS_CFFI, reason="purecffi's slices keep ffi.new() memory alive")
def test_slices_keep_the_memory_alive(ffi):
    import gc
    s = ffi.new("int[100]", list(range(100)))[10:20]
    gc.collect()
    ffi.new("int[100]", [-1] * 100)
    assert list(s) == list(range(10, 20))


# -- p + n ----
def test_pointer_arithmetic_never_owns(ffi):
    p = ffi.new("int *", 5)
    for q in (p + 0, 0 + p, p - 0, (p + 1) - 1):
        assert q == p
        assert repr(q) == "<cdata 'int *' 0x%x>" % (int(ffi.cast("uintptr_t", p)),)
    assert (p + 1)[-1] == 5                 # (an owning `int *` has one item: not p + 1)
    sp = ffi.new("struct pt *", [1, 2.0])
    q = sp + 0
    assert repr(q) == "<cdata 'struct pt *' 0x%x>" % (int(ffi.cast("uintptr_t", sp)),)
    assert (q.x, q.y, q[0].x) == (1, 2.0, 1)
    assert (sp + 1)[-1].y == 2.0
    arr = ffi.new("int[4]", [1, 2, 3, 4])
    assert repr(arr + 0).startswith("<cdata 'int *' 0x")


def test_pointer_arithmetic_values(ffi):
    a = ffi.new("int[10]", list(range(10)))
    ip = ffi.cast("int *", a)
    assert (ip + 3)[0] == 3 and (ip + 3)[-2] == 1 and (3 + ip)[1] == 4
    assert (ip + 3) - ip == 3 and ip + 3 - 3 == ip
    (ip + 7)[0] = 70
    assert a[7] == 70
    assert repr(ffi.cast("int *", 0) + 1) == "<cdata 'int *' 0x4>"
    with pytest.raises(RuntimeError):
        (ffi.cast("int *", 0) + 0)[0]
    odd = ffi.cast("int *", ffi.cast("char *", a) + 1)     # unaligned: still right
    assert ffi.cast("char *", odd + 1) == ffi.cast("char *", a) + 5
    pts = ffi.new("struct pt[3]", [[0, 0.0], [1, 0.5], [2, 1.0]])
    pp = ffi.cast("struct pt *", pts)
    assert (pp + 2).y == 1.0 and (pp + 2)[-1].x == 1


# -- Pointer fields ----
def test_pointer_field_after_other_fields(ffi, packed):
    p = ffi.new("struct pt *", [7, 2.5])
    lines = ffi.new("struct line[2]")
    lines[1].next = p
    assert lines[1].next == p and lines[1].next.y == 2.5 and lines[1].next[0].x == 7
    assert lines[0].next == ffi.NULL
    assert repr(lines[0].next) == "<cdata 'struct pt *' NULL>"
    line = ffi.new("struct line *", {"next": p})
    assert line.next.x == 7 and (line.next + 0).y == 2.5
    h = packed.new("struct holder *")                   # a pointer field at an odd offset
    q = packed.new("struct pt *", [3, 4.5])
    h.next = q
    assert h.next == q and (h.next.x, h.next.y) == (3, 4.5)


def test_pointer_field_takes_void_pointers_and_null(ffi):
    p = ffi.new("struct pt *", [7, 2.5])
    line = ffi.new("struct line *", {"next": p})
    line.next = ffi.NULL
    assert line.next == ffi.NULL and not line.next
    line.next = ffi.cast("void *", p)
    assert line.next == p and line.next.x == 7
    line.next = ffi.cast("void *", 0)
    assert line.next == ffi.NULL
    with pytest.raises(TypeError):
        line.next = ffi.cast("int *", p)         # other data pointers stay refused
    assert line.next == ffi.NULL                   # (and nothing was written)


# -- Through a callback's arguments ----
def test_views_from_a_callback_argument(ffi):
    seen = []

    def handler(items, count):
        seen.append([(items[i].x, items[i].y) for i in range(count)])
        seen.append([(items + i).x for i in range(count)])
        items[1].y = -1.0
        return count

    cb = ffi.callback("int(struct pt *, int)", handler)
    pts = ffi.new("struct pt[3]", [[i, i * 1.5] for i in range(3)])
    assert cb(pts, 3) == 3
    assert seen == [[(0, 0.0), (1, 1.5), (2, 3.0)], [0, 1, 2]]
    assert pts[1].y == -1.0


# -- First use from many threads ----
def test_first_slice_and_item_from_many_threads():
    ffi = FFI()
    ffi.cdef("struct q { short s; long long v; };")
    arrays = [ffi.new("long long[8]", [i * 10 + k for k in range(8)]) for i in range(8)]
    structs = [ffi.new("struct q[4]", [[k, i * 100 + k] for k in range(4)]) for i in range(8)]
    barrier = threading.Barrier(8)
    results = [None] * 8

    def work(i):
        barrier.wait()
        results[i] = (list(arrays[i][2:5]), [structs[i][k].v for k in range(4)],
                      (ffi.cast("long long *", arrays[i]) + 3)[0])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [([i * 10 + 2, i * 10 + 3, i * 10 + 4], [i * 100 + k for k in range(4)],
                        i * 10 + 3) for i in range(8)]


# -- Pointers from ffi.cast(), indexed many times ----
@pytest.mark.parametrize("cdecl, values, bad, error", [
    ("int", list(range(-5, 5)), 2**31, OverflowError),
    ("unsigned char", list(range(250, 256)) + [0, 1, 2, 3], -1, OverflowError),
    ("short", [-300 * i for i in range(10)], 1.5, TypeError),
    ("long long", [2**62 + i for i in range(10)], "x", TypeError),
    ("double", [i / 3 for i in range(10)], "x", TypeError),
    ("float", [0.1 * i for i in range(10)], None, TypeError),
])
def test_cast_pointer_items(ffi, cdecl, values, bad, error):
    a = ffi.new(cdecl + "[10]", values)
    expected = list(a)                          # (as stored: float rounds)
    p = ffi.cast(cdecl + " *", a)
    assert p[3] == expected[3]                  # the first access
    assert [p[i] for i in range(10)] == expected
    q = p + 4
    assert (q[-4], q[-1], q[0], q[5]) == (expected[0], expected[3], expected[4], expected[9])
    p[9] = values[0]
    assert a[9] == expected[0] and p[9] == expected[0]
    with pytest.raises(error):
        p[2] = bad
    assert p[2] == expected[2]                  # nothing written
    r = ffi.cast(cdecl + " *", a)
    r[1] = values[5]                            # a write first, then reads
    assert r[1] == expected[5] and a[1] == expected[5]
    with pytest.raises(TypeError):
        p[1.0]
    assert list(p[2:5]) == [expected[2], p[3], expected[4]]


def test_cast_pointer_unaligned_and_null(ffi):
    data = ffi.new("char[16]", bytes(range(16)))
    odd = ffi.cast("int *", data + 1)           # not aligned for an int
    assert odd[0] == int.from_bytes(bytes(range(1, 5)), sys.byteorder)
    assert odd[1] == int.from_bytes(bytes(range(5, 9)), sys.byteorder)
    null = ffi.cast("int *", ffi.NULL)
    with pytest.raises(RuntimeError, match="cannot dereference null pointer"):
        null[0]
    with pytest.raises(RuntimeError, match="cannot dereference null pointer"):
        null[1] = 2


def test_items_of_arrays_of_16_byte_aligned_structs():
    ffi = FFI()
    ffi.cdef("struct ld { char c; long double v; };")
    arr = ffi.new("struct ld[3]")
    arr[2].c, arr[2].v = b"k", 2.5
    assert (arr[2].c, float(arr[2].v), arr[1].c) == (b"k", 2.5, b"\0")
    assert ffi.addressof(arr[2]) == ffi.addressof(arr[0]) + 2
    p = ffi.cast("struct ld *", arr)
    assert (p[2].c, float(p[2].v)) == (b"k", 2.5)


def test_arithmetic_on_cast_pointers(ffi):
    a = ffi.new("int[10]", list(range(10)))
    p = ffi.cast("int *", a)
    assert p[1] == 1 and p[2] == 2              # (p has made its view)
    for q in (p + 3, 3 + p, p - (-3), p + True * 3):
        assert (q[0], q[1], q[-3]) == (3, 4, 0)
        q[2] = 50
        assert a[5] == 50 and q[2] == 50
