"""The setuptools side of an API-mode or embedding builder: its C file and its Extension, for
ffi.distutils_extension() and the cffi_modules setup() keyword (embedding libraries get their
own C and link with libpython, as compile() makes them)."""
import os
import sys

from .api_module import emit_c_code, write_c_source
from .compiler import make_extension
from .embedding import generate_embedding_source, link_spec

__all__ = ["write_module_c", "extension_of", "distutils_extension"]


def _embedding(ffi):
    return getattr(ffi, "_embedding", None) is not None


def write_module_c(ffi, spec, filename):
    """Write the C file of the module (or of the embedding library) unless it already has
    that text; False if it had."""
    if _embedding(ffi):
        return write_c_source(filename, generate_embedding_source(ffi))
    return emit_c_code(ffi, spec, filename)


def extension_of(ffi, spec, c_file):
    """The setuptools Extension building `c_file` (an embedding library also links with
    libpython)."""
    return make_extension(link_spec(spec) if _embedding(ffi) else spec, c_file)


def distutils_extension(ffi, spec, tmpdir="build", verbose=True):
    """ffi.distutils_extension(): write the C file under `tmpdir`; the setuptools Extension."""
    parts = spec.module_name.split(".")
    directory = os.path.join(tmpdir, *parts[:-1])
    os.makedirs(directory, exist_ok=True)
    c_file = os.path.join(directory, parts[-1] + spec.source_extension)
    print("generating %s" % (c_file,))          # cffi's words, even when not verbose
    written = write_module_c(ffi, spec, c_file)
    if not written:
        print("(already up-to-date)")
    if verbose:                                 # (on stderr, as setuptools' log)
        print("%s: %r" % ("regenerated" if written else "not modified", c_file), file=sys.stderr)
    return extension_of(ffi, spec, c_file)
