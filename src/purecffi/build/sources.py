"""Writing a module's source without set_source(): cffi.recompiler's `make_py_source()` and
`make_c_source()`, which build tools call with the module name (and C preamble) directly."""
from . import SourceSpec

__all__ = ["make_py_source", "make_c_source"]


def make_py_source(ffi, module_name, target_py_file, verbose=False):
    """Write the out-of-line ABI-mode module `module_name` of `ffi` to `target_py_file`,
    unless the file already holds it; True if written."""
    from .abi_module import _write_if_changed, module_source
    return _report(verbose, target_py_file, _write_if_changed(
        target_py_file, module_source(ffi, SourceSpec(module_name, None))))


def make_c_source(ffi, module_name, preamble, target_c_file, verbose=False):
    """Write the C source of the API-mode module `module_name` of `ffi`, with the C code
    `preamble` (what set_source() is given), to `target_c_file`, unless the file already
    holds it; True if written."""
    from .api_module import generate_c_source, write_c_source
    if not isinstance(preamble, str):
        raise TypeError("make_c_source() needs the module's C code as a string, not %s"
                        % (type(preamble).__name__,))
    return _report(verbose, target_c_file, write_c_source(
        target_c_file, generate_c_source(ffi, SourceSpec(module_name, preamble))))


def _report(verbose, filename, written):
    """Print what cffi prints with `verbose`; `written` back."""
    if verbose:
        print("generating %s" % (filename,))
        if not written:
            print("(already up-to-date)")
    return written
