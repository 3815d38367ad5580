"""`python -m purecffi demo` (a short tour) and `python -m purecffi doctor` (which cffi runs)."""
import sys


def main(argv=None):
    """Dispatch the command line: `demo` or `doctor`."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo"]:
        from .demo import run
        return run()
    if argv[:1] == ["doctor"]:
        from .doctor import run
        return run()
    print("usage: python -m purecffi demo|doctor")
    return 2


if __name__ == "__main__":
    sys.exit(main())
