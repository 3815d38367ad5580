"""`python -m purecffi doctor`: which purecffi, `cffi` and `_cffi_backend` this Python uses."""
import importlib
import importlib.metadata
import sys


def _distribution_version(name):
    """The installed version of distribution `name`, or None."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def describe(module_name):
    """One line: is `module_name` the purecffi drop-in, the real cffi, or absent; its path."""
    import purecffi
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return "%-14s not importable (%s)" % (module_name, exc)
    origin = getattr(module, "__file__", None) or "built in"
    if getattr(module, "FFI", None) is purecffi.FFI:
        kind = "purecffi drop-in"
    else:
        kind = "real cffi"
    return "%-14s %s, version %s, distribution cffi %s, at %s" % (
        module_name, kind, getattr(module, "__version__", "?"),
        _distribution_version("cffi") or "(none)", origin)


def speedups():
    """One line: are the optional C methods (purecffi._speedups) in use, and if not, why."""
    from importlib.util import find_spec
    from purecffi.accel import _stale, pure_requested, speedups_loaded
    if speedups_loaded():
        return "speedups       in use (purecffi._speedups)"
    if pure_requested():
        return "speedups       off: PURECFFI_PURE is set (pure Python)"
    if find_spec("purecffi._speedups") is None:
        return "speedups       not built for this Python (pure Python)"
    if _stale():
        return "speedups       built, older than its C: left out (pure Python; reinstall)"
    return "speedups       built, not in use (pure Python: e.g. a free-threaded build)"


def report():
    """The lines `doctor` prints."""
    import purecffi
    return ["python         %s (%s)" % (sys.version.split()[0], sys.executable),
            "purecffi       version %s, at %s" % (purecffi.__version__, purecffi.__file__),
            speedups(),
            describe("cffi"),
            describe("_cffi_backend")]


def run():
    """Print the report; exit status 0."""
    for line in report():
        print(line)
    return 0
