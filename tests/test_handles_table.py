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


@pytest.mark.skipif(IS_CFFI, reason="purecffi's handle table")
def test_a_destructor_making_a_handle_while_the_table_is_swept(ffi, monkeypatch):
    # Sweeping the table allocates, so the collector may run a destructor there, and a
    # destructor may make a handle in the same thread (pymunk's ffi.gc callbacks do): it must
    # not deadlock, and the handles filed meanwhile must survive the sweep.
    import gc
    import threading
    from purecffi import handles
    made = []

    def destructor(cdata):
        made.append(ffi.new_handle("made in a destructor"))

    class CollectingDict(dict):
        """The table, running the collector whenever the sweep takes a snapshot of it."""
        def copy(self):
            gc.collect()
            return dict.copy(self)

        def items(self):
            gc.collect()
            return dict.items(self)

        def __iter__(self):
            gc.collect()
            return dict.__iter__(self)

    for _ in range(4):
        ffi.new_handle(object())           # dead entries for the sweep to drop
    monkeypatch.setattr(handles, "_live", CollectingDict(handles._live))
    monkeypatch.setattr(handles, "_sweep_at", [0])     # the next new_handle sweeps
    gc.collect()
    cycle = [ffi.gc(ffi.new("int *"), destructor)]
    cycle.append(cycle)                                 # only the collector frees it
    del cycle
    kept = []
    worker = threading.Thread(target=lambda: kept.append(ffi.new_handle("kept")), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "new_handle() deadlocked in a destructor"
    assert [ffi.from_handle(h) for h in made] == ["made in a destructor"]
    assert ffi.from_handle(kept[0]) == "kept"


@pytest.mark.skipif(IS_CFFI, reason="purecffi's handle table")
def test_a_collection_that_sweeps_during_the_sweeps_snapshot(ffi):
    # CPython's dict.copy() reads the table's size after allocating the copy: a collection
    # there whose destructors swept the table (a nested new_handle, as in pymunk's tests)
    # left a copy that iterating refused ("dictionary keys changed during iteration"; about
    # 40 of these 100 sweeps did)
    import gc
    from _weakref import _remove_dead_weakref
    from purecffi import handles
    live, armed, swept = handles._live, [], []

    def nested_sweep(phase, info):
        if phase == "start" and armed:      # the first collection of each sweep below
            armed.clear()
            for address in list(live)[:5]:
                _remove_dead_weakref(live, address)
            swept.append(1)

    gc.callbacks.append(nested_sweep)
    threshold, hold = gc.get_threshold(), []
    try:
        for _ in range(100):
            for _ in range(50):
                ffi.new_handle(object())            # dead entries for both sweeps
            hold.append([{} for _ in range(100)])   # no free dict left: a copy makes one
            gc.set_threshold(1)                     # and any new object collects
            armed.append(1)
            try:
                handles._sweep()
            finally:
                gc.set_threshold(*threshold)
    finally:
        gc.callbacks.remove(nested_sweep)
    assert len(swept) > 50


@pytest.mark.skipif(IS_CFFI, reason="purecffi's handle table")
def test_frequent_sweeps_from_several_threads_keep_live_handles(ffi, monkeypatch):
    # the table has no lock: sweeps in one thread while others file handles (often at the
    # addresses of dead ones) must never drop a live handle's entry
    from purecffi import handles
    monkeypatch.setattr(handles, "_SWEEP_FLOOR", 4)
    monkeypatch.setattr(handles, "_sweep_at", [4])
    errors = []

    def work(n):
        kept = []
        for i in range(3000):
            obj = (n, i)
            h = ffi.new_handle(obj)
            ffi.new_handle(object())            # dies at once: a dead entry to sweep
            if i % 7 == 0:
                kept.append((h, obj))
            if ffi.from_handle(ffi.cast("void *", h)) is not obj:
                errors.append((n, i))
        errors.extend((n, "kept") for h, obj in kept
                      if ffi.from_handle(ffi.cast("void *", h)) is not obj)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(handles._live) <= 4 * 3 * (3000 // 7 + 1)      # not the 18,000 handles made


def test_plain_void_pointers_from_c_resolve(ffi):
    # what C gives back is a plain `void *` (not the handle): from memory, from a callback
    objs = [object(), [2], "three"]
    handles = [ffi.new_handle(o) for o in objs]
    stored = ffi.new("void *[3]", handles)
    assert [ffi.from_handle(stored[i]) for i in range(3)] == objs
    seen = []
    cb = ffi.callback("void(void *)", lambda p: seen.append(ffi.from_handle(p)))
    for h in handles:
        cb(h)
    assert seen == objs


@pytest.mark.skipif(IS_CFFI, reason="cffi reads whatever is at the address (a crash)")
def test_plain_void_pointer_that_is_no_handle_is_refused(ffi):
    memory = ffi.new("int *")
    with pytest.raises(RuntimeError, match="not a live handle made by new_handle"):
        ffi.from_handle(ffi.cast("void *", memory))
    with pytest.raises(RuntimeError, match="cannot use from_handle\\(\\) on NULL pointer"):
        ffi.from_handle(ffi.cast("void *", 0))
