"""Specialised copies of small template functions, for the hot paths.

A template is ordinary Python; `specialise()` returns a copy whose free global names are bound
to given constants (LOAD_GLOBAL is cached by the interpreter) and whose attribute names may be
renamed, so that a per-type accessor reads `self._v_i` as a literal attribute, not through a
computed name.  This is how per-type work is done once instead of per operation.
"""
import builtins
import types


def specialise(template, attributes=None, **constants):
    """A copy of `template` with globals bound to `constants`, attribute names renamed."""
    code = template.__code__
    if attributes:
        code = code.replace(co_names=tuple(attributes.get(n, n) for n in code.co_names))
    namespace = dict(constants, __builtins__=builtins)
    return types.FunctionType(code, namespace, template.__name__)
