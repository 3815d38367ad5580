"""`python -m purecffi demo` (a short tour), `doctor` (which cffi runs), and the commands of commands.py."""
import sys


def main(argv=None):
    """Dispatch the command line: `demo`, `doctor`, or a command of commands.py."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo"]:
        from .demo import run
        return run()
    if argv[:1] == ["doctor"]:
        from .doctor import run
        return run()
    from .commands import COMMANDS, main as run_command
    if argv[:1] and argv[0] in COMMANDS:
        return run_command(argv)
    print("usage: python -m purecffi demo | doctor | cdef | gen-src  (COMMAND --help for more)")
    return 2


if __name__ == "__main__":
    sys.exit(main())
