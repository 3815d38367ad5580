"""Ownership of memory allocated by ffi.new() (spec 6.1 and 7.1.3)."""
import gc
import re
import weakref

import pytest

from _backend import FFI, IS_CFFI  # noqa: F401

CDEF = """
    typedef struct { int x, y; } foo_t;
    struct foo { int x, y; };
    struct bar { int v; };
    struct holder { struct bar *thefield1; struct bar *thefield2; char *cp; foo_t sub; int arr[4]; };
    union u { int i; double d; };
    struct vfoo { int n; int data[]; };
"""


@pytest.fixture
def cffi_(ffi):
    """An FFI with the declarations used in this module."""
    ffi.cdef(CDEF)
    return ffi


def collect():
    for _ in range(3):
        gc.collect()


def churn(ffi, cdecl, count=300):
    """Allocate and free many objects of the same size, filled with 0xA5 bytes."""
    keep = []
    for i in range(count):
        p = ffi.new(cdecl)
        ffi.buffer(p)[:] = b"\xa5" * len(ffi.buffer(p))
        if i % 2:
            keep.append(p)
    del keep
    collect()


# --- which objects own memory -----------------------------------------------------------------

@pytest.mark.parametrize("cdecl, init, text", [
    ("int *", None, "<cdata 'int *' owning 4 bytes>"),
    ("int[10]", None, "<cdata 'int[10]' owning 40 bytes>"),
    ("char[]", b"hello", "<cdata 'char[]' owning 6 bytes>"),
    ("struct foo *", {"x": 1}, "<cdata 'struct foo *' owning 8 bytes>"),
    ("foo_t[]", 3, "<cdata 'foo_t[]' owning 24 bytes>"),
])
def test_new_result_is_owning(cffi_, cdecl, init, text):
    assert repr(cffi_.new(cdecl, init)) == text


@pytest.mark.parametrize("custom", [True, False])
@pytest.mark.parametrize("cdecl, init, text", [
    ("int *", None, "<cdata 'int *' 0x"),
    ("int **", None, "<cdata 'int * *' 0x"),
    ("int[10]", None, "<cdata 'int[10]' 0x"),
    ("struct foo[2]", None, "<cdata 'struct foo[2]' 0x"),
    ("char[]", b"hello", "<cdata 'char[]' sliced length 6>"),
    ("foo_t[]", 3, "<cdata 'foo_t[]' sliced length 3>"),
    ("struct foo *", {"x": 1}, "<cdata 'struct foo *' owning 8 bytes>"),
    ("union u *", None, "<cdata 'union u *' owning 8 bytes>"),
    ("struct vfoo *", [1, [2, 3]], "<cdata 'struct vfoo *' owning 12 bytes>"),
])
def test_custom_allocator_results_show_as_cffi_shows_them(cffi_, custom, cdecl, init, text):
    """A custom allocator's arrays and numbers show their address or length, its structs
    'owning'; the default allocator's results show as ffi.new()'s do."""
    if custom:
        cffi_.cdef("void *malloc(size_t); void free(void *);")
        lib = cffi_.dlopen(None)
        new = cffi_.new_allocator(lib.malloc, lib.free)
    else:
        new = cffi_.new_allocator()
    text = text if custom else repr(cffi_.new(cdecl, init))
    assert repr(new(cdecl, init)).startswith(text)


@pytest.mark.parametrize("cdecl, init, text", [
    ("struct foo *", {"x": 1, "y": 2}, "<cdata 'struct foo' owning 8 bytes>"),
    ("foo_t *", [1, 2], "<cdata 'foo_t' owning 8 bytes>"),
    ("union u *", {"d": 1.5}, "<cdata 'union u' owning 8 bytes>"),
    ("struct vfoo *", [1, [2, 3]], "<cdata 'struct vfoo' owning 12 bytes>"),
])
def test_p0_of_owning_struct_pointer_is_owning(cffi_, cdecl, init, text):
    """Dereferencing a pointer that owns a struct or union gives a co-owning cdata."""
    assert repr(cffi_.new(cdecl, init)[0]) == text


@pytest.mark.parametrize("make", [
    lambda ffi: ffi.new("int[4]") + 1,
    lambda ffi: ffi.cast("int *", ffi.new("int[4]")),
    lambda ffi: ffi.cast("void *", ffi.new("struct foo *")),
    lambda ffi: ffi.new("int[4]")[0:2],
    lambda ffi: ffi.new("struct holder *").sub,
    lambda ffi: ffi.new("struct holder *").arr,
    lambda ffi: ffi.new("struct foo[1]")[0],
    lambda ffi: ffi.new("int *[1]")[0],
], ids=["add", "cast", "cast-void", "slice", "struct-field", "array-field", "array-item",
        "pointer-item"])
def test_derived_cdata_is_not_owning(cffi_, make):
    """"these fresh cdata objects don't have ownership: they are merely references"."""
    assert "owning" not in repr(make(cffi_))


def test_p0_of_int_pointer_is_a_value(ffi):
    """The co-owning exception is only for structs and unions; `int *` gives an int."""
    p = ffi.new("int *", 5)
    assert p[0] == 5 and type(p[0]) is int


# --- the owner keeps the memory alive ---------------------------------------------------------

def test_owner_alive_while_referenced(cffi_):
    p = cffi_.new("struct foo *", [11, 22])
    w = weakref.ref(p)
    churn(cffi_, "struct foo *")
    assert w() is p
    assert (p.x, p.y) == (11, 22)


def test_owner_collected_when_unreferenced(ffi):
    p = ffi.new("int[100]")
    w = weakref.ref(p)
    del p
    collect()
    assert w() is None


def test_owner_in_reference_cycle_is_collected(ffi):
    class Box:
        pass
    box = Box()
    box.p = ffi.new("int *")
    box.me = box
    w = weakref.ref(box.p)
    del box
    collect()
    assert w() is None


@pytest.mark.parametrize("derive", [
    lambda ffi, p: p + 1,
    lambda ffi, p: p + 0,
    lambda ffi, p: ffi.cast("int *", p),
    lambda ffi, p: ffi.cast("char *", p),
    lambda ffi, p: p[0:2],
    lambda ffi, p: ffi.cast("intptr_t", p),
], ids=["add", "add-zero", "cast", "cast-char", "slice", "cast-int"])
def test_derived_pointer_does_not_keep_owner_alive(ffi, derive):
    """spec 6.1: only the original object has ownership; a casted pointer does not."""
    p = ffi.new("int[4]")
    w = weakref.ref(p)
    derived = derive(ffi, p)
    del p
    collect()
    assert w() is None
    assert derived is not None


@pytest.mark.parametrize("field", ["sub", "arr"])
def test_field_does_not_keep_owner_alive(cffi_, field):
    p = cffi_.new("struct holder *")
    w = weakref.ref(p)
    sub = getattr(p, field)
    del p
    collect()
    assert w() is None
    assert sub is not None


def test_array_item_does_not_keep_array_alive(cffi_):
    """7.1.3: `x = ffi.new("struct s[1]")[0]` is wrong: the array is freed immediately."""
    a = cffi_.new("struct foo[1]")
    w = weakref.ref(a)
    item = a[0]
    del a
    collect()
    assert w() is None
    assert "&" in repr(item)


def test_storing_pointer_in_field_does_not_keep_it_alive(cffi_):
    """spec 6.1: after `p.foo = ffi.new(...)` the new object gets freed."""
    s = cffi_.new("struct holder *")
    inner = cffi_.new("struct bar *", [7])
    w = weakref.ref(inner)
    s.thefield1 = inner
    del inner
    collect()
    assert w() is None


def test_pointer_initializer_does_not_keep_it_alive(ffi):
    """spec 6.1: `ffi.new("char **", ffi.new("char[]", ...))` is always wrong."""
    inner = ffi.new("char[]", b"hello, world")
    w = weakref.ref(inner)
    outer = ffi.new("char **", inner)
    del inner
    collect()
    assert w() is None
    assert outer[0] != ffi.NULL


def test_keeping_inner_alive_is_enough(ffi):
    """spec 6.1: keeping `p` alive while `q = ffi.new("char **", p)` is used is fine."""
    p = ffi.new("char[]", b"hello, world")
    q = ffi.new("char **", p)
    churn(ffi, "char[13]")
    assert ffi.string(q[0]) == b"hello, world"


def test_argv_keepalive_list(ffi):
    """spec 6.3: keep a list of the `char[]` objects alive next to the `char *[]`."""
    keepalive = [ffi.new("char[]", b"arg0"), ffi.new("char[]", b"arg1")]
    argv = ffi.new("char *[]", keepalive)
    churn(ffi, "char[5]")
    assert [ffi.string(argv[i]) for i in range(2)] == [b"arg0", b"arg1"]


# --- p[0] co-owns the struct ------------------------------------------------------------------

def test_p0_shares_memory_with_p(cffi_):
    p = cffi_.new("struct foo *", [1, 2])
    s = p[0]
    s.x = 10
    assert p.x == 10
    p.y = 20
    assert s.y == 20
    assert cffi_.addressof(s) == p


def test_p0_keeps_memory_after_p_is_gone(cffi_):
    """7.1.3: after `p = ffi.new("struct-or-union *", ...)`, either p or p[0] keeps it alive."""
    p = cffi_.new("struct foo *", {"x": 123, "y": -456})
    s = p[0]
    del p
    collect()
    churn(cffi_, "struct foo *")
    assert (s.x, s.y) == (123, -456)
    s.x = 7
    assert s.x == 7
    assert repr(s) == "<cdata 'struct foo' owning 8 bytes>"


def test_p0_of_union_keeps_memory(cffi_):
    p = cffi_.new("union u *", {"d": 2.25})
    s = p[0]
    del p
    collect()
    churn(cffi_, "union u *")
    assert s.d == 2.25


def test_p0_of_varsize_struct_keeps_memory(cffi_):
    p = cffi_.new("struct vfoo *", [3, [4, 5, 6]])
    s = p[0]
    del p
    collect()
    churn(cffi_, "struct vfoo *")
    assert s.n == 3
    assert list(s.data) == [4, 5, 6]
    assert cffi_.sizeof(s) == 16


def test_p0_then_drop_p0_keeps_p(cffi_):
    p = cffi_.new("struct foo *", [5, 6])
    s = p[0]
    del s
    collect()
    churn(cffi_, "struct foo *")
    assert (p.x, p.y) == (5, 6)


# --- other holders -----------------------------------------------------------------------------

def test_buffer_keeps_owner_alive(ffi):
    """7.1.7: the buffer object keeps alive the cdata object."""
    p = ffi.new("char[]", b"data")
    w = weakref.ref(p)
    buf = ffi.buffer(p)
    del p
    collect()
    assert w() is not None
    churn(ffi, "char[5]")
    assert buf[:] == b"data\0"
    del buf
    collect()
    assert w() is None


def test_weak_key_dictionary_pattern(cffi_):
    """The `global_weakkeydict` example of spec 6.1."""
    global_weakkeydict = weakref.WeakKeyDictionary()

    def make_foo():
        s1 = cffi_.new("struct holder *")
        fld1 = cffi_.new("struct bar *", [1])
        fld2 = cffi_.new("struct bar *", [2])
        s1.thefield1 = fld1
        s1.thefield2 = fld2
        global_weakkeydict[s1] = (fld1, fld2)
        return s1

    s1 = make_foo()
    churn(cffi_, "struct bar *")
    assert (s1.thefield1.v, s1.thefield2.v) == (1, 2)
    assert len(global_weakkeydict) == 1
    w = weakref.ref(global_weakkeydict[s1][0])
    del s1
    collect()
    assert len(global_weakkeydict) == 0
    assert w() is None


def test_cdata_can_be_weakly_referenced(cffi_):
    for obj in [cffi_.new("int *"), cffi_.new("struct foo *")[0], cffi_.cast("int *", 0),
                cffi_.cast("int", 1)]:
        assert weakref.ref(obj)() is obj


def test_owned_memory_is_distinct_and_aligned(cffi_):
    objs = [cffi_.new("double *", float(i)) for i in range(50)]
    addrs = {int(cffi_.cast("intptr_t", p)) for p in objs}
    assert len(addrs) == 50
    assert all(a % cffi_.alignof("double") == 0 for a in addrs)
    assert [p[0] for p in objs] == [float(i) for i in range(50)]
    assert all(re.fullmatch(r"<cdata 'double \*' owning 8 bytes>", repr(p)) for p in objs)


def _with_refusal(ffi, make):
    ran = []
    with pytest.raises(ValueError, match="can be used with the 'with' keyword"):
        with make():
            ran.append(1)
    return ran


def test_with_refuses_before_the_body_runs(ffi):
    # cffi checks in __enter__: the body of `with` never runs for a cdata owning nothing
    a = ffi.new("int[2]")
    for make in (lambda: ffi.cast("int *", 0), lambda: ffi.NULL, lambda: a[0:1],
                 lambda: ffi.cast("int", 1), lambda: ffi.cast("double", 1.5)):
        assert _with_refusal(ffi, make) == []
        assert hasattr(make(), "__enter__") and hasattr(make(), "__exit__")


def test_with_on_owned_and_gc_values_runs_and_releases(ffi):
    seen = []
    with ffi.new("int *", 5) as p:
        assert p[0] == 5
    with ffi.gc(ffi.cast("intptr_t", 7), lambda v: seen.append(int(v))) as v:
        assert int(v) == 7 and seen == []
    assert seen == [7]
