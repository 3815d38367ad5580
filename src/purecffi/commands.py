"""The `cdef` and `gen-src` commands of `python -m purecffi`."""
import argparse
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
        from .errors import CDefError, FFIError, VerificationError
        if not isinstance(e, (CDefError, FFIError, VerificationError, OSError, ValueError)):
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
    return parser


def _run_cdef(args):
    """Print the cdef text."""
    from .headers import cdef_from_headers
    names = [n for group in args.names for n in group.split(",")]
    sys.stdout.write(cdef_from_headers(args.headers, names, args.include_dirs, args.macros))
    return 0
