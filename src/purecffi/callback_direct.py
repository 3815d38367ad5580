"""Calling a callback whose signature is all integers from Python: its thunk directly.

Through C, `cb(3)` is a ctypes call into the callback's thunk and ctypes' callback back out,
the arguments converted to C and back to the same Python ints.  For integer arguments in the
range of their C types that round trip changes nothing, so the thunk (which calls the Python
callable and checks its result, reporting errors as 6.7.4 says) is called directly; anything
else (a bad argument count, a value to convert or to refuse) goes through C as before.
"""
from . import platform as plat
from .ctype import ENUM, PRIMITIVE, VOID

_TEMPLATE = """\
def direct(S, *args):
    if len(args) == {count}:
        {unpack}
        if {conditions}:
            result = THUNK(S[0]{arguments})
            {result}
    return S[1](*args)
"""
_INT_RESULT = "return result if result.__class__ is int else INT(result)"


def _int_bounds(ctype):
    """(lowest, highest) of an integer or enum type, else None."""
    if ctype.kind == ENUM:
        ctype = ctype.base
    elif ctype.kind != PRIMITIVE or ctype.category != plat.INT:
        return None
    return plat.int_bounds(ctype.byte_size, ctype.signed)


def direct_caller(fntype, thunk):
    """function(S, *args), S = (the thunk's state, the ctypes function calling the callback
    through C), for callbacks of `fntype`; None unless its arguments and result are integers
    (or the result void)."""
    result = fntype.result
    bounds = [_int_bounds(t) for t in fntype.args]
    if fntype.ellipsis or None in bounds or (result.kind != VOID and _int_bounds(result) is None):
        return None
    names = ["a%d" % i for i in range(len(bounds))]
    constants = {"THUNK": thunk, "INT": int}
    conditions = []
    for name, (lo, hi) in zip(names, bounds):
        conditions.append("%s.__class__ is int and %d <= %s <= %d" % (name, lo, name, hi))
    source = _TEMPLATE.format(
        count=len(names), unpack="%s, = args" % (", ".join(names),) if names else "pass",
        conditions=" and ".join(conditions) or "True",
        arguments="".join(", " + name for name in names),
        result="return None" if result.kind == VOID else _INT_RESULT)
    exec(compile(source, "<direct call %s>" % (fntype.cname,), "exec"), constants)
    return constants["direct"]
