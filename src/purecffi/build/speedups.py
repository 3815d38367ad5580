"""The C of `purecffi._speedups`, the optional module that speeds up the runtime's classes.

It is the API-mode module of an empty cdef(): the C methods that every such module lends to
runtime classes (build/api_accel.py, purecffi/accel.py) then serve in-line and
out-of-line programs too, which load no module of their own.  The text is generated here and
kept in the repository as src/purecffi/_speedups.c, which setup.py compiles when a C compiler
is there (an optional extension: without it purecffi is the same, pure Python, only slower).

    python -m purecffi.build.speedups        # rewrite src/purecffi/_speedups.c
"""
import os
import sys

__all__ = ["speedups_source", "SOURCE_PATH"]

SOURCE_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "_speedups.c")


def speedups_source():
    """The text of _speedups.c (it imports no `_cffi_backend` and loads no declarations)."""
    from ..api import FFI
    from .api_module import generate_c_source
    ffi = FFI()
    ffi.set_source("purecffi._speedups", "")
    return generate_c_source(ffi, ffi._source_spec, limited=False, runtime=True)


def main(argv=None):
    """Write the C file (at SOURCE_PATH, or the path given)."""
    argv = sys.argv[1:] if argv is None else argv
    path = argv[0] if argv else SOURCE_PATH
    with open(path, "w", encoding="utf-8") as f:
        f.write(speedups_source())
    print("wrote %s" % (path,))


if __name__ == "__main__":
    main()
