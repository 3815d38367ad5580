"""What ffi.gc() attaches to the cdata it returns: the destructor, called once when that cdata
dies or is released, and the original cdata it keeps alive until then."""

__all__ = ["GcRef", "holds_gc"]


class GcRef:
    """Calls `destructor(original)` when the cdata returned by ffi.gc() dies or is released."""

    __slots__ = ("original", "destructor", "buffer")

    def __init__(self, original, destructor):
        self.original, self.destructor = original, destructor
        self.buffer = getattr(original, "_keep", None)

    def release(self):
        """Call the destructor now (once); its exception is reported, as when it dies.  The
        original is let go then (as cffi does): an ffi.gc() cdata only it kept alive dies
        now, running its own destructor.  The memory stays while views of it are alive."""
        original = self.original
        if self.destructor is not None:
            self.run_destructor()
            memory = self.buffer
            while isinstance(memory, GcRef):       # what the ffi.gc() cdata underneath held
                memory = memory.buffer
            self.original, self.buffer = _Spent(original), memory

    def run_destructor(self):
        """Call the destructor (once): what the death of ffi.gc()'s cdata does."""
        destructor, self.destructor = self.destructor, None
        if destructor is not None:
            try:
                destructor(self.original)
            except Exception as exc:
                self._pc_report(exc)

    def _pc_report(self, exc):
        """Report what the destructor raised (as an exception ignored in a callback)."""
        from .unraisable import report
        report(exc, "Exception ignored from callback for ffi.gc %r" % (self.original,))

    # (a compiled module may lend a C `__del__` doing the same: build/api_accel_ffi.py)
    __del__ = run_destructor


class _Spent:
    """What a released GcRef remembers of its original: what holds_gc() compares."""

    __slots__ = ("_ctype", "_addr", "_length")

    def __init__(self, original):
        self._ctype = getattr(original, "_ctype", None)
        self._addr = getattr(original, "_addr", None)
        # (asked only of classes that have it: a lib function's __getattr__ is not reached)
        self._length = getattr(original, "_length", None) \
            if hasattr(type(original), "_length") else None


def holds_gc(cdata, ref):
    """Whether `cdata` is what ffi.gc() returned with `ref` (not a slice, offset or cast of it,
    which share its `_keep`): the same type, address and length as the original."""
    original = ref.original
    return cdata._ctype is getattr(original, "_ctype", None) and \
        cdata._addr == getattr(original, "_addr", None) and \
        getattr(cdata, "_length", None) == getattr(original, "_length", None)
