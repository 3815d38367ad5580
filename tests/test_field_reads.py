"""Field reads of structs from ffi.new() (read in C through a ctypes mirror of the struct's
memory in purecffi): every number kind, unions, p[0], aliases, allocators and calls see the
same live memory, and writes keep their checks."""
import pytest

from _backend import FFI, IS_CFFI

_CDEF = """
    enum color { RED, GREEN = 7, NEG = -2 };
    struct all {
        char c; signed char sc; unsigned char uc; short s; unsigned short us;
        int i; unsigned int ui; long l; unsigned long ul;
        long long ll; unsigned long long ull; float f; double d; enum color e;
        _Bool b; int *p; int bits : 3; struct { int a; double z; } in;
    };
    union u { int i; short h; double d; unsigned char bytes[8]; };
    struct point { int x; double y; };
    void *memset(void *, int, size_t);
    void *memcpy(void *, const void *, size_t);
    void *malloc(size_t);
    void free(void *);
"""

_VALUES = [("sc", -128), ("uc", 255), ("s", -32768), ("us", 65535), ("i", -2 ** 31),
           ("ui", 2 ** 32 - 1), ("ll", -2 ** 63), ("ull", 2 ** 64 - 1), ("f", 1.5),
           ("d", -2.25), ("e", 7), ("e", -2)]


@pytest.fixture
def ffi():
    ffi = FFI()
    ffi.cdef(_CDEF)
    return ffi


def test_each_number_field_reads_what_was_written(ffi):
    p = ffi.new("struct all *")
    for name, value in _VALUES:
        setattr(p, name, value)
        assert getattr(p, name) == value
        assert getattr(p[0], name) == value
    assert (p.c, p.b, p.bits, getattr(p, "in").a) == (b"\0", False, 0, 0)


def test_the_other_fields_next_to_the_number_fields(ffi):
    p = ffi.new("struct all *", {"c": b"A", "b": True, "bits": -3, "i": 5})
    x = ffi.new("int *", 9)
    p.p = x
    assert (p.c, p.b, p.bits, p.i, p.p[0]) == (b"A", True, -3, 5, 9)
    inner = getattr(p, "in")
    inner.z = 0.5
    assert getattr(p, "in").z == 0.5 and getattr(p[0], "in").z == 0.5


def test_reads_see_writes_made_through_other_cdata(ffi):
    p = ffi.new("struct point *", [1, 2.0])
    s = p[0]
    assert (p.x, s.x, p.y, s.y) == (1, 1, 2.0, 2.0)
    ffi.cast("int *", p)[0] = 42
    ffi.cast("double *", ffi.cast("char *", p) + ffi.offsetof("struct point", "y"))[0] = 8.5
    assert (p.x, s.x, p.y, s.y) == (42, 42, 8.5, 8.5)
    s.x = -3
    assert p.x == -3
    ffi.buffer(p)[:4] = b"\x07\x00\x00\x00"
    assert p.x == s.x == 7


def test_reads_see_writes_made_by_c(ffi):
    lib = ffi.dlopen(None)
    p = ffi.new("struct point *", [5, 5.0])
    lib.memset(p, 0, ffi.sizeof("struct point"))
    assert (p.x, p.y) == (0, 0.0)
    q = ffi.new("struct point *", [-9, 0.25])
    lib.memcpy(p, q, ffi.sizeof("struct point"))
    assert (p.x, p.y, p[0].x) == (-9, 0.25, -9)


def test_union_members_share_their_memory(ffi):
    u = ffi.new("union u *")
    u.i = -1
    assert (u.i, u.h, u.bytes[0], u[0].h) == (-1, -1, 255, -1)
    u.d = 1.0
    assert u.d == 1.0 and u.i == 0 and u.h == 0


def test_writes_are_still_range_checked(ffi):
    p = ffi.new("struct all *")
    p.i = 3
    with pytest.raises(OverflowError):
        p.i = 2 ** 31
    with pytest.raises(OverflowError):
        p[0].uc = 256
    with pytest.raises(TypeError):
        p.d = "x"
    assert p.i == 3 and p.uc == 0 and p.d == 0.0


def test_custom_allocator_memory_reads_the_same(ffi):
    lib = ffi.dlopen(None)
    alloc = ffi.new_allocator(lib.malloc, lib.free)
    p = alloc("struct point *", [3, 4.5])
    assert (p.x, p.y, p[0].x, p[0].y) == (3, 4.5, 3, 4.5)
    p.x = 11
    assert p[0].x == 11


def test_size_repr_and_release_are_unchanged(ffi):
    p = ffi.new("struct all *")
    size = ffi.sizeof("struct all")
    assert ffi.sizeof(p[0]) == size and len(ffi.buffer(p)) == size
    assert repr(p) == "<cdata 'struct all *' owning %d bytes>" % (size,)
    assert repr(p[0]) == "<cdata 'struct all' owning %d bytes>" % (size,)
    ffi.release(p)


def test_the_struct_outlives_its_pointer(ffi):
    s = ffi.new("struct point *", [6, 1.25])[0]
    import gc
    gc.collect()
    ffi.new("struct point *", [0, 0.0])     # (would reuse the memory if it had been freed)
    assert (s.x, s.y) == (6, 1.25)


def test_many_structs_read_their_own_memory(ffi):
    ps = [ffi.new("struct point *", [i, i / 4]) for i in range(50)]
    assert [(p.x, p.y, p[0].x) for p in ps] == [(i, i / 4, i) for i in range(50)]


@pytest.mark.skipif(IS_CFFI, reason="purecffi's classes: the owning class and its mirror")
def test_mirror_memory_and_classes(ffi):
    p = ffi.new("struct point *")
    cls = type(p)
    assert cls.__bases__ == (ffi.CData,)
    # no Python frame: ctypes' field through an attrgetter, or C of an API module loaded
    # before in this process (tests/test_accel.py)
    assert type(cls.__dict__["x"].fget).__name__ in ("attrgetter", "builtin_function_or_method")
    lib = ffi.dlopen(None)
    q = ffi.new_allocator(lib.malloc, lib.free)("struct point *")
    assert type(q) is not cls and type(q).__name__ == cls.__name__
    assert type(p[0]).__dict__["y"].fget is not None


def test_long_double_and_wchar_fields_next_to_mirrored_ones(ffi):
    ffi.cdef("struct mixed { int i; long double ld; wchar_t w; double d; };")
    p = ffi.new("struct mixed *", {"i": 1, "ld": 2.5, "w": "\u00e9", "d": 4.0})
    assert (p.i, float(p.ld), p.w, p.d) == (1, 2.5, "\u00e9", 4.0)
    p[0].w = "z"
    p.i = 9
    assert (p[0].i, p.w, float(p[0].ld)) == (9, "z", 2.5)
