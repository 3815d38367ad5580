"""The `cdef` and `gen-src` commands of `python -m purecffi`."""
import argparse
import os
import sys

__all__ = ["COMMANDS", "main"]

COMMANDS = ("cdef", "gen-src")


def main(argv):
    """Run one of COMMANDS (argv[0]); returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except Exception as e:                     # the user's mistake: a message, not a traceback
        from .errors import CDefError, CompiledFFIError, FFIError, VerificationError
        if not isinstance(e, (CDefError, FFIError, CompiledFFIError, VerificationError, OSError,
                              ValueError)):
            raise
        print("python -m purecffi %s: %s: %s" % (argv[0], type(e).__name__, e), file=sys.stderr)
        return 1


def _parser():
    """The argument parser of both commands."""
    parser = argparse.ArgumentParser(prog="python -m purecffi")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    cdef = commands.add_parser(
        "cdef", help="print cdef text for names declared in C headers",
        description="Run the C preprocessor ($CC, default cc) on the headers and print cdef "
                    "text declaring the named functions, types, globals and integer macros, "
                    "with every type they need.")
    cdef.add_argument("headers", nargs="+", metavar="HEADER",
                      help="a header name (zlib.h, sys/stat.h) or a path")
    cdef.add_argument("--names", required=True, action="append",
                      help="comma-separated names: functions, typedefs, globals, macros, "
                           "'struct tag' (repeatable)")
    cdef.add_argument("-I", dest="include_dirs", action="append", default=[], metavar="DIR")
    cdef.add_argument("-D", dest="macros", action="append", default=[], metavar="NAME[=VALUE]")
    cdef.set_defaults(run=_run_cdef)
    gen = commands.add_parser(
        "gen-src", help="write the source of a build script's module for another build system",
        description="Run a build script and write its module's source: C for an API-mode "
                    "builder (set_source() with C code), Python for an ABI-mode one "
                    "(set_source(name, None)), and the module's .pyi stub beside it.")
    gen.add_argument("entry", metavar="SCRIPT.py[:NAME]",
                     help="the build script and the global holding the FFI builder "
                          "(default ffibuilder)")
    gen.add_argument("-o", "--output", metavar="FILE",
                     help="the file to write (default: the module's name + .c or .py)")
    gen.add_argument("--no-stubs", action="store_true", help="write no .pyi stub")
    gen.set_defaults(run=_run_gen_src)
    return parser


def _run_cdef(args):
    """Print the cdef text."""
    from .headers import cdef_from_headers
    names = [n for group in args.names for n in group.split(",")]
    sys.stdout.write(cdef_from_headers(args.headers, names, args.include_dirs, args.macros))
    return 0


def _run_gen_src(args):
    """Write the module's source (and stub) where -o says."""
    ffi = load_builder(args.entry)
    spec = ffi._require_source("gen-src")
    api_mode = spec.source is not None
    output = args.output or spec.module_name.rpartition(".")[2] + (
        spec.source_extension if api_mode else ".py")
    if api_mode == output.endswith(".py"):
        raise ValueError("%s is an %s-mode module: write it to a %s file, not %r"
                         % (spec.module_name, "API" if api_mode else "ABI",
                            spec.source_extension if api_mode else ".py", output))
    directory = os.path.dirname(output)
    if directory:
        os.makedirs(directory, exist_ok=True)
    stubs = not args.no_stubs
    if api_mode:
        ffi.emit_c_code(output, stubs=stubs)
    else:
        ffi.emit_python_code(output, stubs=stubs)
    return 0


def load_builder(entry):
    """The FFI builder of "path/to/script.py:name" (name defaults to ffibuilder)."""
    from .api import FFI
    from .setuptools_ext import _run_script, split_entry
    path, name = split_entry(entry)
    if not os.path.isfile(path):
        raise ValueError("%r: no build script %r" % (entry, path))
    namespace = _run_script(path)
    builder = namespace.get(name)
    if builder is not None and not isinstance(builder, FFI) and callable(builder):
        builder = builder()
    if not isinstance(builder, FFI):
        raise ValueError("%r: %s defines no purecffi.FFI named %r"
                         % (entry, os.path.basename(path), name))
    return builder
