"""`p[0] = s` and struct fields/items assigned a struct: a small struct is copied through one
bytes object, inline in the owning pointer's `__setitem__`; a large one through two views.
Every other value still goes through the general writer, with cffi's errors."""
import pytest

from _backend import FFI

CDEF = """
    struct pt { int x; double y; };
    struct other { int x; double y; };
    union num { int i; float f; };
    struct big { char data[600]; int last; };
    struct empty { };
    struct holder { struct pt a; struct big b; };
"""


@pytest.fixture
def ffi():
    ffi = FFI()
    ffi.cdef(CDEF)
    return ffi


def test_copy_through_owning_pointer(ffi):
    """The bytes are copied; the source stays as it was and is not aliased."""
    p = ffi.new("struct pt *", [1, 2.5])
    q = ffi.new("struct pt *", [7, -1.0])
    p[0] = q[0]
    assert (p.x, p.y) == (7, -1.0)
    q.x = 9
    assert p.x == 7


def test_copy_into_custom_allocator_memory(ffi):
    """Memory of a custom allocator (no ctypes mirror) is copied the same."""
    alloc = ffi.new_allocator()
    p = alloc("struct pt *", [1, 2.5])
    p[0] = ffi.new("struct pt *", [3, 4.5])[0]
    assert (p.x, p.y) == (3, 4.5)


def test_self_copy_and_union(ffi):
    """Copying an item onto itself changes nothing; unions copy all their bytes."""
    p = ffi.new("struct pt *", [5, 6.5])
    p[0] = p[0]
    assert (p.x, p.y) == (5, 6.5)
    u = ffi.new("union num *", {"f": 1.5})
    v = ffi.new("union num *")
    v[0] = u[0]
    assert v.f == 1.5 and v.i == u.i


def test_large_struct_and_nested_fields(ffi):
    """A struct over the small size copies through views; fields of struct type copy too."""
    b = ffi.new("struct big *")
    b.data = b"x" * 600
    b.last = 42
    c = ffi.new("struct big *")
    c[0] = b[0]
    assert ffi.buffer(c.data)[:] == b"x" * 600 and c.last == 42
    h = ffi.new("struct holder *")
    h.a = ffi.new("struct pt *", [8, 9.5])[0]
    h.b = b[0]
    assert (h.a.x, h.a.y, h.b.last) == (8, 9.5, 42)


def test_empty_struct_copy(ffi):
    """A struct of no bytes: the copy writes nothing and raises nothing."""
    e = ffi.new("struct empty *")
    e[0] = ffi.new("struct empty *")[0]


def test_other_values_use_the_general_writer(ffi):
    """A struct of another type, a list, a dict, a number: as before (converted or refused)."""
    p = ffi.new("struct pt *")
    with pytest.raises(TypeError) as info:
        p[0] = ffi.new("struct other *")[0]
    assert "struct other" in str(info.value)
    p[0] = [1, 2.0]
    assert (p.x, p.y) == (1, 2.0)
    p[0] = {"y": 3.0}
    assert (p.x, p.y) == (1, 3.0)         # (the other fields are left as they were)
    with pytest.raises(TypeError):
        p[0] = 5
    with pytest.raises(IndexError):
        p[1] = ffi.new("struct pt *")[0]


def test_pointer_to_struct_is_no_struct(ffi):
    """A `struct pt *` is not copied as a `struct pt`."""
    p = ffi.new("struct pt *")
    with pytest.raises(TypeError):
        p[0] = ffi.new("struct pt *", [1, 2.0])


FIELDS_CDEF = """
    struct pt2 { int x; double y; };
    union un2 { int i; char c[8]; };
    struct rec { struct pt2 *pp; struct pt2 p; union un2 u; struct rec *next; void *vp; };
"""


def test_struct_and_pointer_fields_set_in_one_step(ffi):
    """A struct field copies a struct of its type; a pointer field takes a pointer of its
    type; everything else still goes through the field type's writer, with its errors."""
    ffi.cdef(FIELDS_CDEF)
    r = ffi.new("struct rec *")
    pt = ffi.new("struct pt2 *", [3, 4.5])
    r.p = pt[0]
    pt.x = 99                               # a copy: the source is not aliased
    assert (r.p.x, r.p.y) == (3, 4.5)
    r.p = [5, 6.5]                          # (not a cdata: the general writer)
    assert (r.p.x, r.p.y) == (5, 6.5)
    r.u = ffi.new("union un2 *", [7])[0]
    assert r.u.i == 7
    r.pp = pt
    assert r.pp == pt and r.pp.x == 99
    r.pp = ffi.NULL
    assert r.pp == ffi.NULL
    r.next = r
    assert r.next.next.p.x == 5
    r.vp = pt                               # another pointer type: the writer converts it
    assert r.vp == ffi.cast("void *", pt)
    with pytest.raises(TypeError):
        r.p = pt                            # a pointer is no struct
    with pytest.raises(TypeError):
        r.pp = r                            # a pointer of another type
    with pytest.raises(TypeError):
        r.p = ffi.new("union un2 *")[0]
    assert (r.p.x, r.p.y, r.next.p.x) == (5, 6.5, 5)


@pytest.mark.skipif(__import__("_backend").IS_CFFI,
                    reason="cffi writes through the NULL pointer (a crash)")
def test_fields_of_a_null_struct_pointer_refuse_writes(ffi):
    ffi.cdef(FIELDS_CDEF)
    null = ffi.cast("struct rec *", 0)
    for name, value in [("p", ffi.new("struct pt2 *")[0]), ("pp", ffi.NULL),
                        ("u", ffi.new("union un2 *")[0]), ("next", null)]:
        with pytest.raises(RuntimeError, match="null pointer"):
            setattr(null, name, value)
