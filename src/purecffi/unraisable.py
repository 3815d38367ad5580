"""Reporting an exception nobody can catch (a destructor's, a callback's) through
`sys.unraisablehook`, printed as CPython's default hook prints it."""
import os
import sys
import types

_FROM_EXCEPTION = object()      # report()'s default: the traceback the exception carries


class HookArgs:
    """What `sys.unraisablehook` receives (the attributes of CPython's UnraisableHookArgs)."""

    __slots__ = ("exc_type", "exc_value", "exc_traceback", "err_msg", "object")

    def __init__(self, exc_value, err_msg, obj, tb):
        self.exc_type, self.exc_value = type(exc_value), exc_value
        if tb is _FROM_EXCEPTION:
            tb = user_traceback(exc_value.__traceback__)
        self.exc_traceback = caller_traceback() if tb is None else tb
        self.err_msg, self.object = err_msg, obj


def internal(code):
    """Whether a frame of this code is the implementation's (the package, or code it compiled:
    callback thunks, direct callers)."""
    name = code.co_filename
    return name.startswith(_PACKAGE_DIR) or name.startswith(("<callback", "<direct call"))


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def user_traceback(tb):
    """The traceback without the implementation's frames ahead of the user's and after them
    (None if only ours: a built-in function raised), as cffi's C code has none."""
    while tb is not None and internal(tb.tb_frame.f_code):
        tb = tb.tb_next
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    end = len(entries)
    while end and internal(entries[end - 1].tb_frame.f_code):
        end -= 1
    if end == len(entries):
        return entries[0] if entries else None
    for entry in reversed(entries[:end]):     # a new chain: the exception's stays as it is
        tb = types.TracebackType(tb, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return tb


def caller_traceback():
    """A traceback of the innermost Python frame running, not one of ours (what cffi shows for
    an error that has no frame of the user's: a built-in function's, a conversion's)."""
    frame = sys._getframe(1)
    while frame is not None and internal(frame.f_code):
        frame = frame.f_back
    return None if frame is None else types.TracebackType(None, frame, frame.f_lasti,
                                                          frame.f_lineno)


def report(exc_value, err_msg, obj=None, tb=_FROM_EXCEPTION):
    """Hand `exc_value` to sys.unraisablehook (printed to stderr if it is the default one), with
    `tb` (by default the exception's, from the user's first frame) or the caller's frame."""
    args = HookArgs(exc_value, err_msg, obj, tb)
    hook = getattr(sys, "unraisablehook", None)
    try:
        if hook is not None and hook is not sys.__unraisablehook__:
            hook(args)      # the default hook takes only CPython's own argument type
        else:
            _print(args)
    except BaseException:
        pass                # nothing left to report to


def _print(args):
    """What the default hook prints: the message, the traceback (no chained exceptions), then
    the exception's type and str()."""
    stderr = sys.stderr
    if stderr is None:
        return
    parts = [_head(args)]
    if args.exc_traceback is not None:
        parts.append("Traceback (most recent call last):\n")
        parts.extend(_format_tb(args.exc_traceback))
    parts.append(_exception_line(args.exc_type, args.exc_value))
    stderr.write("".join(parts))
    stderr.flush()


def _format_tb(tb):
    """The traceback's lines as the default hook prints them.  The traceback module is only
    imported now (it imports re, tokenize and textwrap: most programs never report); if it
    cannot be (the interpreter is shutting down), the lines without their source."""
    try:
        import traceback
    except BaseException:
        traceback = None
    if traceback is not None:
        return traceback.format_tb(tb)
    lines = []
    while tb is not None:
        code = tb.tb_frame.f_code
        lines.append('  File "%s", line %s, in %s\n' % (code.co_filename, tb.tb_lineno,
                                                        code.co_name))
        tb = tb.tb_next
    return lines


def _head(args):
    """The first line: the message, and the object the exception is about if any."""
    if args.object is None:
        return "%s:\n" % (args.err_msg,)
    try:
        what = repr(args.object)
    except BaseException:
        what = "<object repr() failed>"
    return "%s: %s\n" % (args.err_msg or "Exception ignored in", what)


def _exception_line(exc_type, exc_value):
    """'module.Type: message' ('Type: ' for an empty message, no module for builtins)."""
    module = getattr(exc_type, "__module__", None)
    if not isinstance(module, str):
        name = "<unknown>"
    elif module in ("builtins", "__main__"):
        name = ""
    else:
        name = module + "."
    name += getattr(exc_type, "__qualname__", "<unknown>")
    if exc_value is None:
        return name + "\n"
    try:
        text = str(exc_value)
    except BaseException:
        text = "<exception str() failed>"
    return "%s: %s\n" % (name, text)
