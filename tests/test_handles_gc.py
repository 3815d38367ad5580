"""Tests for ffi.gc, ffi.release/with, ffi.new_allocator, ffi.new_handle/from_handle and ffi.init_once."""
import gc
import re
import threading
import time
import weakref

import pytest

from _backend import FFI, IS_CFFI


@pytest.fixture
def libc(ffi):
    """The C library (dlopen(None)) with malloc/free and two small structs declared."""
    ffi.cdef("""
        void *malloc(size_t size);
        void free(void *ptr);
        struct pt { int x; int y; };
        struct holder { void *data; };
    """)
    return ffi.dlopen(None)


class _Obj:
    """A weak-referenceable object to pass through handles."""


# ---------------------------------------------------------------------------
# ffi.gc()
# ---------------------------------------------------------------------------

def test_gc_returns_new_equal_object(ffi, libc):
    p = libc.malloc(16)
    calls = []
    g = ffi.gc(p, calls.append)
    assert g is not p
    assert isinstance(g, ffi.CData)
    assert g == p
    assert ffi.typeof(g) is ffi.typeof(p)
    assert calls == []
    ffi.release(g)
    libc.free(p)


def test_gc_destructor_called_when_object_dies(ffi, libc):
    p = libc.malloc(16)
    calls = []
    g = ffi.gc(p, calls.append)
    del g
    gc.collect()
    assert len(calls) == 1
    assert calls[0] is p          # destructor(old_cdata_object)
    libc.free(p)


def test_gc_destructor_not_called_when_original_dies(ffi, libc):
    calls = []
    p = ffi.cast("int *", libc.malloc(16))
    g = ffi.gc(p, calls.append)
    del p
    gc.collect()
    assert calls == []
    g[0] = 5                      # still usable
    assert g[0] == 5
    del g
    gc.collect()
    assert len(calls) == 1
    libc.free(calls[0])


def test_gc_with_c_free_as_destructor(ffi, libc):
    """The spec's usage: ptr = ffi.gc(lib.custom_malloc(42), lib.custom_free)."""
    ptr = ffi.gc(ffi.cast("int *", libc.malloc(4 * ffi.sizeof("int"))), libc.free)
    for i in range(4):
        ptr[i] = i * i
    assert [ptr[i] for i in range(4)] == [0, 1, 4, 9]
    ffi.release(ptr)


def test_gc_on_new_object(ffi):
    calls = []
    p = ffi.new("int[3]", [1, 2, 3])
    g = ffi.gc(p, calls.append)
    assert list(g) == [1, 2, 3]
    del g
    gc.collect()
    assert calls == [p]


def test_gc_several_objects_each_called_once(ffi, libc):
    calls = []
    ptrs = [libc.malloc(8) for _ in range(5)]
    objs = [ffi.gc(p, calls.append) for p in ptrs]
    del objs
    gc.collect()
    assert sorted(int(ffi.cast("uintptr_t", c)) for c in calls) == \
        sorted(int(ffi.cast("uintptr_t", p)) for p in ptrs)
    for p in ptrs:
        libc.free(p)


def test_gc_none_removes_destructor_and_returns_none(ffi, libc):
    p = libc.malloc(8)
    calls = []
    g = ffi.gc(p, calls.append)
    assert ffi.gc(g, None) is None
    assert g == p                 # modified in place: still the same pointer
    del g
    gc.collect()
    assert calls == []
    libc.free(p)


def test_gc_none_then_release_does_not_call(ffi, libc):
    p = libc.malloc(8)
    calls = []
    g = ffi.gc(p, calls.append)
    ffi.gc(g, None)
    ffi.release(g)
    assert calls == []
    libc.free(p)


@pytest.mark.parametrize("size", [0, 100])
def test_gc_size_argument(ffi, libc, size):
    calls = []
    g = ffi.gc(libc.malloc(8), calls.append, size)
    g2 = ffi.gc(libc.malloc(8), calls.append, size=size)
    del g, g2
    gc.collect()
    assert len(calls) == 2
    for c in calls:
        libc.free(c)


@pytest.mark.parametrize("size, error, message", [
    ("x", TypeError, "'str' object cannot be interpreted as an integer"),
    (1.5, TypeError, "'float' object cannot be interpreted as an integer"),
    (2 ** 70, OverflowError, "Python int too large to convert to C ssize_t"),
])
def test_gc_size_must_be_an_index_sized_integer(ffi, size, error, message):
    calls = []
    with pytest.raises(error) as info:
        ffi.gc(ffi.new("int *"), calls.append, size)
    assert str(info.value) == message
    gc.collect()
    assert calls == []          # nothing was made


def test_gc_none_with_negative_size(ffi, libc):
    p = libc.malloc(8)
    calls = []
    g = ffi.gc(p, calls.append, size=100)
    assert ffi.gc(g, None, -100) is None
    del g
    gc.collect()
    assert calls == []
    libc.free(p)


def test_gc_none_on_non_gc_object(ffi):
    with pytest.raises(TypeError):
        ffi.gc(ffi.new("int *"), None)


def test_gc_of_a_lib_function(ffi):
    # an in-line lib function is a cdata: ffi.gc() gives a function pointer to it whose death
    # calls the destructor with the function
    ffi.cdef("int abs(int);")
    lib = ffi.dlopen(None)
    calls = []
    g = ffi.gc(lib.abs, calls.append)
    assert g(-3) == 3 and g == lib.abs and ffi.typeof(g) is ffi.typeof(lib.abs)
    del g
    gc.collect()
    assert calls == [lib.abs]
    with pytest.raises(TypeError, match="Can remove destructor only"):
        ffi.gc(lib.abs, None)


@pytest.mark.parametrize("obj", [5, None, b"abc"])
def test_gc_requires_cdata(ffi, obj):
    with pytest.raises(TypeError):
        ffi.gc(obj, lambda x: None)


# ---------------------------------------------------------------------------
# ffi.release() and the context manager
# ---------------------------------------------------------------------------

def test_release_gc_object_calls_destructor_immediately(ffi, libc):
    p = libc.malloc(8)
    calls = []
    g = ffi.gc(p, calls.append)
    assert ffi.release(g) is None
    assert calls == [p]


def test_release_gc_object_twice_calls_once(ffi, libc):
    p = libc.malloc(8)
    calls = []
    g = ffi.gc(p, calls.append)
    ffi.release(g)
    ffi.release(g)
    del g
    gc.collect()
    assert len(calls) == 1
    libc.free(p)


def test_with_gc_object_calls_destructor_at_exit(ffi, libc):
    p = libc.malloc(8)
    calls = []
    with ffi.gc(p, calls.append) as g:
        assert g == p
        assert calls == []
    assert calls == [p]
    libc.free(p)


def test_with_gc_object_exception_still_releases(ffi, libc):
    p = libc.malloc(8)
    calls = []
    with pytest.raises(KeyError):
        with ffi.gc(p, calls.append):
            raise KeyError("boom")
    assert calls == [p]
    libc.free(p)


def test_exit_method_is_release(ffi, libc):
    p = libc.malloc(8)
    calls = []
    g = ffi.gc(p, calls.append)
    assert g.__enter__() is g
    g.__exit__(None, None, None)
    assert calls == [p]
    libc.free(p)


def test_with_new_object(ffi):
    with ffi.new("int[2]", [1, 2]) as p:
        assert ffi.typeof(p) is ffi.typeof("int[2]")
        assert list(p) == [1, 2]
        p[0] = 10
        assert p[0] == 10


def test_with_new_returns_same_object(ffi):
    q = ffi.new("int *")
    with q as p:
        assert p is q


def test_release_new_object_repeatedly(ffi):
    p = ffi.new("int[3]")
    assert ffi.release(p) is None
    assert ffi.release(p) is None      # calls after the first one are ignored


@pytest.mark.parametrize("make", [
    lambda f: f.cast("int *", 0),
    lambda f: f.NULL,
    lambda f: f.cast("int", 5),
    lambda f: f.new("struct pt *")[0],
    lambda f: f.new("int[4]") + 1,
    lambda f: f.new_handle(3),
], ids=["cast-ptr", "NULL", "cast-int", "struct-ref", "ptr-arith", "handle"])
def test_release_rejects_non_owning_cdata(ffi, libc, make):
    with pytest.raises(ValueError):
        ffi.release(make(ffi))


def test_with_rejects_non_owning_cdata(ffi):
    x = ffi.cast("int *", 0)
    with pytest.raises(ValueError):
        with x:
            pass


@pytest.mark.parametrize("obj", [5, None, b"x"])
def test_release_requires_cdata(ffi, obj):
    with pytest.raises(TypeError) as info:
        ffi.release(obj)
    assert str(info.value) == "expected a 'cdata' object"


# ---------------------------------------------------------------------------
# ffi.new_allocator()
# ---------------------------------------------------------------------------

class _Tracker:
    """Python alloc/free functions based on C malloc/free that log their calls."""

    def __init__(self, ffi, lib, fill=b"\xff"):
        self.ffi, self.lib, self.fill = ffi, lib, fill
        self.allocs, self.frees = [], []

    def alloc(self, size):
        p = self.lib.malloc(size)
        self.ffi.memmove(p, self.fill * size, size)
        self.allocs.append((size, p))
        return p

    def free(self, p):
        self.frees.append(p)
        self.lib.free(p)


def test_new_allocator_default_is_like_new(ffi):
    alloc = ffi.new_allocator()
    assert callable(alloc)
    p = alloc("int[3]", [1, 2, 3])
    assert ffi.typeof(p) is ffi.typeof("int[3]")
    assert list(p) == [1, 2, 3]
    assert list(alloc("int[4]")) == [0, 0, 0, 0]


def test_new_allocator_custom_alloc_and_free(ffi, libc):
    tr = _Tracker(ffi, libc)
    new = ffi.new_allocator(tr.alloc, tr.free)
    p = new("int[4]")
    assert ffi.typeof(p) is ffi.typeof("int[4]")
    assert len(tr.allocs) == 1
    size, raw = tr.allocs[0]
    assert size == 4 * ffi.sizeof("int")
    assert int(ffi.cast("uintptr_t", p)) == int(ffi.cast("uintptr_t", raw))
    assert tr.frees == []
    del p
    gc.collect()
    assert len(tr.frees) == 1
    assert tr.frees[0] == raw


def test_new_allocator_clears_memory_by_default(ffi, libc):
    tr = _Tracker(ffi, libc)
    new = ffi.new_allocator(tr.alloc, tr.free)
    assert list(new("int[4]")) == [0, 0, 0, 0]


def test_new_allocator_without_clearing(ffi, libc):
    tr = _Tracker(ffi, libc)
    new = ffi.new_allocator(tr.alloc, tr.free, should_clear_after_alloc=False)
    assert list(new("int[4]")) == [-1, -1, -1, -1]
    assert list(new("unsigned char[3]")) == [255, 255, 255]


def test_new_allocator_applies_initializer(ffi, libc):
    tr = _Tracker(ffi, libc)
    new = ffi.new_allocator(tr.alloc, tr.free)
    p = new("int[]", [1, 2, 3])
    assert list(p) == [1, 2, 3]
    assert tr.allocs[0][0] == 3 * ffi.sizeof("int")
    s = new("struct pt *", {"y": 7})
    assert (s.x, s.y) == (0, 7)
    assert tr.allocs[1][0] == ffi.sizeof("struct pt")


def test_new_allocator_partial_initializer_without_clearing(ffi, libc):
    tr = _Tracker(ffi, libc, fill=b"\x00")
    new = ffi.new_allocator(tr.alloc, tr.free, should_clear_after_alloc=False)
    assert list(new("int[]", [5, 6])) == [5, 6]


def test_new_allocator_release_frees_immediately(ffi, libc):
    tr = _Tracker(ffi, libc)
    new = ffi.new_allocator(tr.alloc, tr.free)
    p = new("int[2]")
    raw = tr.allocs[0][1]
    ffi.release(p)
    assert tr.frees == [raw]
    ffi.release(p)
    del p
    gc.collect()
    assert len(tr.frees) == 1


def test_new_allocator_with_statement(ffi, libc):
    tr = _Tracker(ffi, libc)
    new = ffi.new_allocator(tr.alloc, tr.free)
    with new("int[]", 5) as arr:
        assert len(arr) == 5
        arr[4] = 9
        assert arr[4] == 9
        assert tr.frees == []
    assert len(tr.frees) == 1


def test_new_allocator_alloc_only(ffi, libc):
    """If only 'free' is None, no free function is called."""
    allocated = []

    def alloc(size):
        p = libc.malloc(size)
        allocated.append(p)
        return p

    new = ffi.new_allocator(alloc)
    p = new("int *", 12)
    assert p[0] == 12
    del p
    gc.collect()
    assert len(allocated) == 1
    libc.free(allocated[0])


def test_new_allocator_alloc_returns_null(ffi, libc):
    freed = []
    new = ffi.new_allocator(lambda size: ffi.NULL, freed.append)
    with pytest.raises(MemoryError):
        new("int *")
    assert freed == []


def test_new_allocator_alloc_returns_non_cdata(ffi):
    new = ffi.new_allocator(lambda size: 42, None)
    with pytest.raises(TypeError):
        new("int *")


def test_new_allocator_free_without_alloc(ffi, libc):
    with pytest.raises(TypeError):
        ffi.new_allocator(free=libc.free)


@pytest.mark.parametrize("flag, error, message", [
    ("x", TypeError, "'str' object cannot be interpreted as an integer"),
    (None, TypeError, "'NoneType' object cannot be interpreted as an integer"),
    (0.0, TypeError, "'float' object cannot be interpreted as an integer"),
    (2 ** 80, OverflowError, "Python int too large to convert to C long"),
])
def test_new_allocator_clear_flag_is_an_integer(ffi, libc, flag, error, message):
    with pytest.raises(error) as info:
        ffi.new_allocator(libc.malloc, None, flag)
    assert str(info.value) == message


@pytest.mark.parametrize("flag", [0, 5, True, False])
def test_new_allocator_clear_flag_integers(ffi, libc, flag):
    assert len(ffi.new_allocator(libc.malloc, libc.free, flag)("int[2]")) == 2


def test_new_allocator_with_c_functions(ffi, libc):
    """alloc and free can be C functions directly: ffi.new_allocator(lib.malloc, lib.free)."""
    new = ffi.new_allocator(libc.malloc, libc.free)
    assert list(new("int[3]")) == [0, 0, 0]
    with new("int[]", [4, 5, 6]) as p:
        assert list(p) == [4, 5, 6]
    s = new("struct pt *", [1, 2])
    assert (s.x, s.y) == (1, 2)


def test_new_allocator_keyword_arguments(ffi, libc):
    new = ffi.new_allocator(alloc=libc.malloc, free=libc.free, should_clear_after_alloc=True)
    assert new("long *")[0] == 0


@pytest.mark.parametrize("cdecl", ["int", "struct pt"])
def test_new_allocator_requires_pointer_or_array(ffi, libc, cdecl):
    new = ffi.new_allocator(libc.malloc, libc.free)
    with pytest.raises(TypeError):
        new(cdecl)


# ---------------------------------------------------------------------------
# ffi.new_handle() / ffi.from_handle()
# ---------------------------------------------------------------------------

def test_new_handle_is_void_pointer(ffi):
    h = ffi.new_handle(_Obj())
    assert isinstance(h, ffi.CData)
    assert ffi.typeof(h) is ffi.typeof("void *")
    assert h != ffi.NULL
    assert bool(h)


@pytest.mark.parametrize("obj", [_Obj(), None, 42, "text", [1, 2], (3,)],
                         ids=["object", "None", "int", "str", "list", "tuple"])
def test_handle_round_trip(ffi, obj):
    h = ffi.new_handle(obj)
    assert ffi.from_handle(h) is obj


@pytest.mark.parametrize("ctype", ["void *", "char *"])
def test_from_handle_through_cast_copy(ffi, libc, ctype):
    obj = _Obj()
    h = ffi.new_handle(obj)
    copy = ffi.cast(ctype, h)
    assert ffi.from_handle(copy) is obj


def test_handle_stored_in_struct(ffi, libc):
    obj = _Obj()
    h = ffi.new_handle(obj)
    holder = ffi.new("struct holder *")
    holder.data = h
    assert holder.data == h
    assert ffi.from_handle(holder.data) is obj


def test_handles_are_unique(ffi):
    obj = _Obj()
    h1 = ffi.new_handle(obj)
    h2 = ffi.new_handle(obj)
    assert h1 != h2
    assert ffi.from_handle(h1) is ffi.from_handle(h2) is obj


def test_handle_global_set_discard_trick(ffi):
    """A handle can be removed from a set with any cdata of equal void * value."""
    keep = set()
    h = ffi.new_handle(_Obj())
    keep.add(h)
    copy = ffi.cast("void *", h)
    assert copy in keep
    keep.discard(copy)
    assert keep == set()


def test_handle_keeps_object_alive(ffi):
    obj = _Obj()
    ref = weakref.ref(obj)
    h = ffi.new_handle(obj)
    del obj
    gc.collect()
    assert ref() is not None
    assert ffi.from_handle(h) is ref()
    del h
    gc.collect()
    assert ref() is None


def test_handle_is_a_void_pointer_in_arithmetic(ffi):
    # `h + n` is a plain `void *` (not a handle: from_handle() of it is not the object), and
    # the handle's items are those of a `void *`
    obj = _Obj()
    h = ffi.new_handle(obj)
    for moved in (h + 1, 1 + h, h - 1):
        assert repr(moved).startswith("<cdata 'void *' 0x")
        assert ffi.typeof(moved) is ffi.typeof("void *")
    assert h - h == 0 and (h + 3) - h == 3
    with pytest.raises(TypeError) as info:
        h[0]
    assert str(info.value) == "cdata 'void' is opaque"


def test_from_handle_null(ffi):
    with pytest.raises(RuntimeError, match="NULL"):
        ffi.from_handle(ffi.NULL)


@pytest.mark.parametrize("obj", [5, None, "x"])
def test_from_handle_requires_cdata(ffi, obj):
    with pytest.raises(TypeError):
        ffi.from_handle(obj)


def test_from_handle_requires_pointer_cdata(ffi):
    h = ffi.new_handle(_Obj())
    with pytest.raises(TypeError):
        ffi.from_handle(ffi.cast("intptr_t", h))


# ---------------------------------------------------------------------------
# ffi.init_once()
# ---------------------------------------------------------------------------

def test_init_once_calls_function_once(ffi):
    calls = []

    def init():
        calls.append(1)
        return "result"

    assert ffi.init_once(init, "tag") == "result"
    assert ffi.init_once(init, "tag") == "result"
    assert ffi.init_once(init, "tag") == "result"
    assert len(calls) == 1


def test_init_once_remembers_first_result(ffi):
    assert ffi.init_once(lambda: [1, 2], "t") == [1, 2]
    first = ffi.init_once(lambda: "other", "t")
    assert first == [1, 2]
    assert ffi.init_once(lambda: None, "none") is None
    assert ffi.init_once(lambda: 5, "none") is None


def test_init_once_result_is_same_object(ffi):
    result = ffi.init_once(_Obj, "obj")
    assert isinstance(result, _Obj)
    assert ffi.init_once(_Obj, "obj") is result


def test_init_once_different_tags(ffi):
    calls = []

    def init():
        calls.append(1)
        return len(calls)

    assert ffi.init_once(init, "a") == 1
    assert ffi.init_once(init, "b") == 2
    assert ffi.init_once(init, "a") == 1
    assert ffi.init_once(init, "b") == 2
    assert len(calls) == 2


@pytest.mark.parametrize("tag", [5, ("x", 1), "name", 2.5])
def test_init_once_primitive_tags(ffi, tag):
    calls = []
    assert ffi.init_once(lambda: calls.append(tag) or "done", tag) == "done"
    assert ffi.init_once(lambda: calls.append(tag) or "again", tag) == "done"
    assert calls == [tag]


def test_init_once_exception_not_cached(ffi):
    calls = []

    def failing():
        calls.append(1)
        raise ValueError("init failed")

    with pytest.raises(ValueError, match="init failed"):
        ffi.init_once(failing, "f")
    with pytest.raises(ValueError, match="init failed"):
        ffi.init_once(failing, "f")
    assert len(calls) == 2
    assert ffi.init_once(lambda: "ok", "f") == "ok"
    assert ffi.init_once(failing, "f") == "ok"
    assert len(calls) == 2


@pytest.mark.skipif(IS_CFFI, reason="cffi waits for itself forever (a deadlock)")
def test_init_once_called_again_from_its_own_function(ffi):
    """The same tag from inside the function raises instead of waiting for itself; other
    tags work there, and the tag can still be initialised afterwards."""
    def reentrant():
        return ffi.init_once(lambda: 1, "outer")

    def nested():
        return ffi.init_once(lambda: 7, "inner") + 1

    with pytest.raises(RuntimeError, match="init_once.* tag 'outer' from inside its own"):
        ffi.init_once(reentrant, "outer")
    assert ffi.init_once(nested, "outer2") == 8
    assert ffi.init_once(lambda: "ok", "outer") == "ok"


def test_init_once_thread_safe(ffi):
    """Parallel calls all block until the single run of the function is done."""
    calls = []
    nthreads = 8
    barrier = threading.Barrier(nthreads)
    results = [None] * nthreads

    def init():
        calls.append(threading.get_ident())
        time.sleep(0.2)
        return "initialized"

    def worker(i):
        barrier.wait(timeout=10)
        results[i] = ffi.init_once(init, "threaded")

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(nthreads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert len(calls) == 1
    assert results == ["initialized"] * nthreads


def test_init_once_thread_safe_many_tags(ffi):
    """Several tags from several threads: each function runs exactly once per tag."""
    counts = {}
    lock = threading.Lock()

    def make(tag):
        def init():
            with lock:
                counts[tag] = counts.get(tag, 0) + 1
            time.sleep(0.01)
            return tag * 2
        return init

    errors = []

    def worker():
        try:
            for tag in range(5):
                assert ffi.init_once(make(tag), tag) == tag * 2
        except Exception as e:  # reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert errors == []
    assert counts == {tag: 1 for tag in range(5)}


# ffi.release() and ffi.gc(x, None) act on the cdata ffi.gc()/ffi.from_buffer() returned, not on
# a slice, an offset or a cast of it (which share what keeps the memory alive)
NOT_RELEASABLE = ("only 'cdata' object from ffi.new(), ffi.gc(), ffi.from_buffer() or "
                  "ffi.new_allocator()() can be used with the 'with' keyword or ffi.release()")
_FFI = FFI()
DERIVED = [lambda p: p[1:3], lambda p: p + 1, lambda p: _FFI.cast("int *", p)]


@pytest.mark.parametrize("derive", DERIVED, ids=["slice", "offset", "cast"])
def test_release_of_a_view_of_a_gc_cdata_is_refused(derive):
    freed = []
    g = _FFI.gc(_FFI.new("int[4]"), lambda p: freed.append(1))
    view = derive(g)
    with pytest.raises(ValueError) as info:
        _FFI.release(view)
    assert str(info.value) == NOT_RELEASABLE
    with pytest.raises(TypeError, match="Can remove destructor only on a object previously "
                                        "returned by ffi.gc()"):
        _FFI.gc(view, None)
    assert freed == []
    _FFI.release(g)
    assert freed == [1]


@pytest.mark.parametrize("derive", DERIVED, ids=["slice", "offset", "cast"])
def test_release_of_a_view_of_a_from_buffer_cdata_is_refused(derive):
    data = bytearray(16)
    for _ in range(2):                  # the first from_buffer() and the cached fast path
        x = _FFI.from_buffer("int[]", data)
        view = derive(x)
        with pytest.raises(ValueError) as info:
            _FFI.release(view)
        assert str(info.value) == NOT_RELEASABLE
        with pytest.raises(BufferError):
            data.append(0)              # still exported: x is not released
        _FFI.release(x)
        data.append(0)
        del data[-1]


def test_a_view_of_a_from_buffer_cdata_has_a_plain_repr():
    x = _FFI.from_buffer(bytearray(b"abcd"))
    assert repr(x) == "<cdata 'char[]' buffer len 4 from 'bytearray' object>"
    assert repr(x[0:2]) == "<cdata 'char[]' sliced length 2>"
    assert re.match(r"<cdata 'char \*' 0x[0-9a-f]+>$", repr(x + 1))


@pytest.mark.skipif(IS_CFFI, reason="cffi runs the destructor when the ffi.gc() cdata dies, "
                                    "even while a slice of it is alive")
def test_gc_destructor_waits_for_the_views_of_the_cdata():
    """A slice or offset of an ffi.gc() cdata keeps its memory alive: the destructor runs when
    the last of them dies (no view ever points to freed memory)."""
    freed = []
    g = _FFI.gc(_FFI.new("int[4]"), lambda p: freed.append(1))
    view = g[1:3]
    del g
    gc.collect()
    assert freed == []
    view[0] = 5
    del view
    gc.collect()
    assert freed == [1]
