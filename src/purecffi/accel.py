"""Runtime classes that a compiled API-mode module may speed up with C methods.

A class that names what it is (`_pc_number`, `_pc_buffer`, `_pc_fields`: see
build/api_accel.py) is offered here when it is made.  The first API-mode module loaded whose
C has the methods (`_pc_accelerate`) registers it; it then installs them on every class
offered before and after.  Behaviour is the same with or without: each C method calls the Python one it
replaced for everything it does not take itself.  Without such a module (the limited API,
a free-threaded build) nothing changes.

`purecffi._speedups` is such a module with nothing declared (build/speedups.py): setup.py
compiles it when a C compiler is there, and `import purecffi` loads it (load_speedups()), so
that in-line and out-of-line programs have the C methods too.  The environment variable
PURECFFI_PURE=1 leaves it out (pure Python throughout).
"""
import importlib
import os
import threading
import weakref

__all__ = ["offer", "register", "load_speedups", "speedups_loaded", "pure_requested"]

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


def load_speedups():
    """Load purecffi._speedups, if it was built and PURECFFI_PURE does not say no (its
    import registers its C methods here, through apimode.load())."""
    if pure_requested() or _stale():
        return
    try:
        importlib.import_module("purecffi._speedups")
    except ImportError:     # (not built: no compiler, or another Python's build)
        pass


def pure_requested():
    """Whether PURECFFI_PURE asks for pure Python (set, and not "0")."""
    return os.environ.get("PURECFFI_PURE", "") not in ("", "0")


def _stale():
    """Whether the built module is older than its C beside it (a checkout changed since
    `pip install -e`: its C may not fit this runtime; an installed wheel has no C file)."""
    from importlib.util import find_spec
    spec = find_spec("purecffi._speedups")
    if spec is None or not spec.origin:
        return False
    source = os.path.join(os.path.dirname(spec.origin), "_speedups.c")
    try:
        return os.stat(source).st_mtime > os.stat(spec.origin).st_mtime
    except OSError:
        return False


def speedups_loaded():
    """Whether C methods are lent to the runtime's classes in this process."""
    return bool(_installer)
