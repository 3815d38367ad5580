"""Calling a callback whose signature is all integers and doubles from Python: its thunk
directly.

Through C, `cb(3)` is a ctypes call into the callback's thunk and ctypes' callback back out,
the arguments converted to C and back to the same Python objects.  For integer arguments in
the range of their C types, and floats for `double` arguments, that round trip changes
nothing, so the thunk (which calls the Python callable and checks its result, reporting errors
as 6.7.4 says) is called directly; anything else (a bad argument count, a value to convert or
to refuse) goes through C as before.  (A `float` argument or result would be rounded to 32
bits on the way: those signatures always go through C.)
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
_DOUBLE_RESULT = "return result if result.__class__ is float else FLOAT(result)"
_DOUBLE = "double"      # (what _bounds() gives a `double`: a float passes unchanged)


def _bounds(ctype):
    """(lowest, highest) of an integer or enum type, _DOUBLE for a double, else None."""
    if ctype.kind == ENUM:
        ctype = ctype.base
    elif ctype.kind != PRIMITIVE or ctype.category not in (plat.INT, plat.FLOAT):
        return None
    if ctype.category == plat.FLOAT:
        return _DOUBLE if ctype.byte_size == 8 else None
    return plat.int_bounds(ctype.byte_size, ctype.signed)


def _condition(name, bounds):
    """The test that argument `name` passes through C unchanged."""
    if bounds is _DOUBLE:
        return "%s.__class__ is float" % (name,)
    return "%s.__class__ is int and %d <= %s <= %d" % (name, bounds[0], name, bounds[1])


def direct_caller(fntype, thunk):
    """function(S, *args), S = (the thunk's state, the ctypes function calling the callback
    through C), for callbacks of `fntype`; None unless its arguments and result are integers
    or doubles (or the result void)."""
    result = fntype.result
    bounds = [_bounds(t) for t in fntype.args]
    result_bounds = _bounds(result) if result.kind != VOID else None
    if fntype.ellipsis or None in bounds or (result.kind != VOID and result_bounds is None):
        return None
    names = ["a%d" % i for i in range(len(bounds))]
    constants = {"THUNK": thunk, "INT": int, "FLOAT": float}
    source = _TEMPLATE.format(
        count=len(names), unpack="%s, = args" % (", ".join(names),) if names else "pass",
        conditions=" and ".join(map(_condition, names, bounds)) or "True",
        arguments="".join(", " + name for name in names),
        result="return None" if result.kind == VOID else
        _DOUBLE_RESULT if result_bounds is _DOUBLE else _INT_RESULT)
    exec(compile(source, "<direct call %s>" % (fntype.cname,), "exec"), constants)
    return constants["direct"]
