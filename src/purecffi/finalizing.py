"""Releasing C resources (dlclose(), libffi closures) from finalizers without a crash.

cffi releases a library or a closure when its C object is deallocated.  Here the release is
in a Python `__del__`, which runs earlier in two cases, and would then take away code or data
that other objects still use:
  * an object in a reference cycle: the garbage collector calls the `__del__` of every object
    of the cycle first (PEP 442), in no set order, and only then clears them; so a library's
    `__del__` could dlclose() it before another object's `__del__` reads a pointer into its
    data or calls one of its functions.  A release asked for during a collection is done at
    its end (a `gc.callbacks` hook), once every finalizer of that collection has run.
  * interpreter exit: objects are finalized and module globals cleared in no set order.
    Once the interpreter is exiting (an atexit hook, installed with the first release
    watcher, has run; or `sys.is_finalizing()`), nothing is released: the process ends, and
    whatever still points into a library or at a closure stays valid until then.
"""
import atexit
import gc
import sys
import threading

__all__ = ["watch", "release"]

_state = {"collecting": False, "exiting": False, "watching": False}
_pending = []
_lock = threading.RLock()       # (reentrant: a collection may start while it is held)


def _on_gc(phase, info):
    """The gc.callbacks hook: releases asked for during the collection run at its end."""
    if phase == "start":
        _state["collecting"] = True
        return
    _state["collecting"] = False
    if _pending:
        with _lock:             # (release() files under the lock: no entry is lost)
            todo = _pending[:]
            del _pending[:]
        if not _exiting():
            for action, argument in todo:
                action(argument)


def _at_exit():
    _state["exiting"] = True
    del _pending[:]


def _exiting(_state=_state, _sys=sys):
    return _state["exiting"] or _sys.is_finalizing()


def watch():
    """Install the hooks (once): called when a releasable resource is first made."""
    if not _state["watching"]:
        with _lock:
            if not _state["watching"]:
                gc.callbacks.append(_on_gc)
                atexit.register(_at_exit)
                _state["watching"] = True


def release(action, argument, _state=_state, _pending=_pending, _exiting=_exiting,
            _lock=_lock):
    """`action(argument)` now; at the end of the running garbage collection if one runs (the
    caller is a finalizer of its garbage); never once the interpreter is exiting.  (What it
    uses is bound as defaults: module globals may be gone when a finalizer runs at exit.)"""
    if _exiting():
        return
    if _state["collecting"]:
        with _lock:
            _pending.append((action, argument))
        return
    action(argument)
