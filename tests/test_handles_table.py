"""Handles: the address table stays bounded by the live handles, and works across threads."""
import threading

import pytest

from _backend import IS_CFFI


def test_copies_of_live_handles_resolve_after_churn(ffi):
    objs = [object() for _ in range(500)]
    handles = [ffi.new_handle(o) for o in objs]
    for i in range(5000):               # dropped at once: their addresses are reused
        ffi.new_handle(i)
    copies = [ffi.cast("void *", h) for h in handles]
    assert all(ffi.from_handle(c) is o for c, o in zip(copies, objs))
    assert len({int(ffi.cast("intptr_t", h)) for h in handles}) == len(handles)


def test_copy_of_dead_handle_is_not_resolved(ffi):
    h = ffi.new_handle([1])
    copy = ffi.cast("void *", h)
    del h
    other = [ffi.new_handle(i) for i in range(10)]      # may take the same address
    try:
        obj = ffi.from_handle(copy)
    except RuntimeError:
        pass
    else:
        assert obj in range(10)         # the address was reused: the live handle's object
    assert [ffi.from_handle(ffi.cast("void *", o)) for o in other] == list(range(10))


@pytest.mark.skipif(IS_CFFI, reason="purecffi's handle table is internal")
def test_table_is_bounded_by_live_handles(ffi):
    from purecffi import handles
    keep = [ffi.new_handle(i) for i in range(300)]
    for i in range(20000):
        ffi.new_handle(object())
        h = ffi.new_handle(i)
        assert ffi.from_handle(h) == i
    assert len(handles._live) <= 2 * len(keep) + handles._SWEEP_FLOOR + 2
    assert [ffi.from_handle(ffi.cast("void *", k)) for k in keep] == list(range(300))


def test_handles_from_several_threads(ffi):
    errors = []

    def work(n):
        try:
            for i in range(2000):
                obj = (n, i)
                kept = [ffi.new_handle(obj) for _ in range(3)]
                copies = [ffi.cast("void *", k) for k in kept]
                if any(ffi.from_handle(c) is not obj for c in copies):
                    errors.append((n, i))
        except Exception as exc:        # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
