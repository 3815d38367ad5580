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


def report():
    """The lines `doctor` prints."""
    import purecffi
    return ["python         %s (%s)" % (sys.version.split()[0], sys.executable),
            "purecffi       version %s, at %s" % (purecffi.__version__, purecffi.__file__),
            describe("cffi"),
            describe("_cffi_backend")]


def run():
    """Print the report; exit status 0."""
    for line in report():
        print(line)
    return 0
