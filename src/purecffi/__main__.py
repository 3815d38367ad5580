"""`python -m purecffi demo`: a short tour of what purecffi does."""
import sys


def main(argv=None):
    """Dispatch the command line (only `demo` for now)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo"]:
        from .demo import run
        return run()
    print("usage: python -m purecffi demo")
    return 2


if __name__ == "__main__":
    sys.exit(main())
