"""Handles and ffi.gc destructors: a cast copy of a handle does not keep its object alive, and a
destructor's exception is reported like any destructor error (sys.unraisablehook), not raised,
whether it runs at collection, at ffi.release() or at the end of a `with` block."""
import gc
import sys
import weakref

import pytest

from _backend import FFI, IS_CFFI


class Thing:
    """An object that can be weakly referenced."""


def test_cast_copy_of_a_handle_does_not_keep_the_object_alive():
    ffi = FFI()
    thing = Thing()
    alive = weakref.ref(thing)
    handle = ffi.new_handle(thing)
    copy = ffi.cast("void *", handle)
    assert ffi.from_handle(copy) is thing
    del thing, handle
    gc.collect()
    assert alive() is None
    assert copy != ffi.NULL             # the copy itself is still a usable pointer value


def test_handle_keeps_the_object_alive_while_it_lives():
    ffi = FFI()
    thing = Thing()
    alive = weakref.ref(thing)
    handle = ffi.new_handle(thing)
    del thing
    gc.collect()
    assert alive() is not None and ffi.from_handle(handle) is alive()


@pytest.fixture
def unraisable(monkeypatch):
    """What reaches sys.unraisablehook during the test."""
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    return seen


def _failing_destructor(cdata):
    raise ValueError("destructor failed")


def _check_reported(seen):
    assert len(seen) == 1
    assert isinstance(seen[0].exc_value, ValueError)
    assert str(seen[0].exc_value) == "destructor failed"
    assert seen[0].err_msg.startswith("Exception ignored from callback for ffi.gc")
    # the traceback starts in the destructor, as cffi's (no frame of the implementation)
    first = seen[0].exc_traceback.tb_frame.f_code.co_name
    assert first in ("_failing_destructor", "_failing_free")


def test_destructor_error_at_release_is_reported_not_raised(unraisable):
    ffi = FFI()
    p = ffi.gc(ffi.new("int *"), _failing_destructor)
    ffi.release(p)                      # does not raise
    _check_reported(unraisable)
    ffi.release(p)                      # the destructor ran once
    assert len(unraisable) == 1


def test_destructor_error_at_the_end_of_with_is_reported_not_raised(unraisable):
    ffi = FFI()
    with ffi.gc(ffi.new("int *"), _failing_destructor) as p:
        p[0] = 1
    _check_reported(unraisable)


def test_destructor_error_at_collection_is_reported(unraisable):
    ffi = FFI()
    p = ffi.gc(ffi.new("int *"), _failing_destructor)
    del p
    gc.collect()
    _check_reported(unraisable)


@pytest.fixture
def malloc():
    """libc's malloc, for allocators whose free() fails."""
    import ctypes
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    return libc.malloc


def _failing_free(pointer):
    raise ValueError("destructor failed")


def test_allocator_free_error_at_release_is_reported_not_raised(unraisable, malloc):
    ffi = FFI()
    allocate = ffi.new_allocator(lambda size: ffi.cast("void *", malloc(size)), _failing_free)
    p = allocate("int[4]")
    ffi.release(p)
    _check_reported(unraisable)


def test_allocator_free_error_at_collection_is_reported(unraisable, malloc):
    ffi = FFI()
    allocate = ffi.new_allocator(lambda size: ffi.cast("void *", malloc(size)), _failing_free)
    p = allocate("int *")
    del p
    gc.collect()
    _check_reported(unraisable)


@pytest.mark.parametrize("cdecl, value", [("int", -5), ("long", 7), ("double", 2.5),
                                          ("char", b"x"), ("_Bool", True)])
def test_gc_of_a_primitive_value(cdecl, value):
    # cffi accepts any cdata: the result is the same value, and its death (or ffi.release())
    # calls the destructor with the original
    ffi = FFI()
    original = ffi.cast(cdecl, value)
    seen = []
    kept = ffi.gc(original, seen.append)
    assert repr(kept) == repr(original) and type(kept) is not type(original)
    assert kept == original
    del kept
    gc.collect()
    assert seen == [original]
    kept = ffi.gc(original, seen.append)
    ffi.release(kept)
    assert seen == [original, original]
    kept = ffi.gc(original, seen.append)
    assert ffi.gc(kept, None) is None            # the destructor is removed
    del kept
    gc.collect()
    assert len(seen) == 2
    with pytest.raises(TypeError, match="Can remove destructor only on a object previously "
                                        "returned by ffi.gc()"):
        ffi.gc(original, None)


def test_destructor_without_python_frame_reports_the_running_frame(unraisable):
    # a destructor that is no Python function (here not even callable): the report's
    # traceback is the frame running when it was called, as cffi's, none of the implementation
    ffi = FFI()

    def releasing():
        ffi.release(ffi.gc(ffi.new("int *"), 5))
    releasing()
    assert len(unraisable) == 1 and unraisable[0].exc_type is TypeError
    tb = unraisable[0].exc_traceback
    assert tb is not None and tb.tb_next is None
    if not IS_CFFI:             # (cffi's is the frame of its own Python-level ffi.release())
        assert tb.tb_frame.f_code.co_name == "releasing"


def test_release_lets_go_of_the_original():
    ffi = FFI()
    log = []
    outer = ffi.gc(ffi.gc(ffi.new("int *"), lambda p: log.append("inner")),
                   lambda p: log.append("outer"))
    ffi.release(outer)
    gc.collect()
    assert log == ["outer", "inner"]        # the inner cdata was kept alive only by `outer`
    ffi.release(outer)                       # a second release does nothing
    assert log == ["outer", "inner"]
    assert ffi.gc(outer, None) is None


def test_release_keeps_an_original_still_held_elsewhere():
    ffi = FFI()
    log = []
    inner = ffi.gc(ffi.new("int *"), lambda p: log.append("inner"))
    with ffi.gc(inner, lambda p: log.append("outer")):
        pass
    assert log == ["outer"]
    del inner
    gc.collect()
    assert log == ["outer", "inner"]


@pytest.mark.parametrize("free", [None, "log"])
@pytest.mark.parametrize("cdecl, args", [("int *", ()), ("int[3]", ()), ("int[]", (3,))])
def test_gc_none_detaches_an_allocator_free(free, cdecl, args):
    ffi = FFI()
    log = []
    alloc = ffi.new_allocator(lambda n: ffi.new("char[]", n),
                              None if free is None else (lambda p: log.append("free")))
    p = alloc(cdecl, *args)
    assert ffi.gc(p, None) is None
    ffi.release(p)
    del p
    gc.collect()
    assert log == []
    with pytest.raises(TypeError) as info:
        ffi.gc(alloc("int[3]")[0:2], None)          # a slice is not what the allocator made
    assert str(info.value) == ("Can remove destructor only on a object previously returned "
                               "by ffi.gc()")
