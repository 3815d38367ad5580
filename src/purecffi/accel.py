"""Runtime classes that a compiled API-mode module may speed up with C methods.

A class that names what it is (`_pc_number`, `_pc_buffer`, `_pc_fields`: see
build/api_accel.py) is offered here when it is made.  The first API-mode module loaded whose
C has the methods (`_pc_accelerate`) registers it; it then installs them on every class
offered before and after.  Behaviour is the same with or without: each C method calls the Python one it
replaced for everything it does not take itself.  Without such a module (in-line mode
alone, the limited API, a free-threaded build) nothing changes.
"""
import threading
import weakref

__all__ = ["offer", "register"]

_lock = threading.Lock()
_offered = weakref.WeakSet()     # classes that can be sped up (they die with their types)
_installer = []                  # the `_pc_accelerate` of the first module that has one


def offer(cls):
    """File `cls` as one a module's C can speed up, and speed it up now if one is loaded."""
    with _lock:
        _offered.add(cls)
        install = _installer[0] if _installer else None
    if install is not None:
        install(cls)


def register(install):
    """Use `install(cls)` (a module's `_pc_accelerate`) on every class offered, unless a
    module registered one before."""
    with _lock:
        if _installer:
            return
        _installer.append(install)
        classes = list(_offered)
    for cls in classes:
        install(cls)
