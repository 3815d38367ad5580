"""Reporting an exception nobody can catch (a destructor's) through `sys.unraisablehook`."""
import sys
import traceback


class HookArgs:
    """What `sys.unraisablehook` receives (the attributes of CPython's UnraisableHookArgs)."""

    __slots__ = ("exc_type", "exc_value", "exc_traceback", "err_msg", "object")

    def __init__(self, exc_value, err_msg, obj):
        self.exc_type, self.exc_value = type(exc_value), exc_value
        self.exc_traceback, self.err_msg, self.object = exc_value.__traceback__, err_msg, obj


def report(exc_value, err_msg, obj=None):
    """Hand `exc_value` to sys.unraisablehook (printed to stderr if it is the default one)."""
    args = HookArgs(exc_value, err_msg, obj)
    hook = getattr(sys, "unraisablehook", None)
    try:
        if hook is not None and hook is not sys.__unraisablehook__:
            hook(args)      # the default hook takes only CPython's own argument type
        else:
            _print(args)
    except BaseException:
        pass                # nothing left to report to


def _print(args):
    """What the default hook prints: the message, then the traceback."""
    stderr = sys.stderr
    if stderr is None:
        return
    head = args.err_msg if args.object is None else "%s: %r" % (args.err_msg, args.object)
    stderr.write(head + "\n")
    traceback.print_exception(args.exc_type, args.exc_value, args.exc_traceback, file=stderr)
    stderr.flush()
