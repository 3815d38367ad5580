"""How the generated C of an API-mode module spells the cdef's types and converts plain
numbers: shared by the function wrappers (api_module.py) and the `extern "Python"` functions
(api_extern.py)."""
import re

from .. import platform as plat
from ..ctype import FUNCTION, POINTER, PRIMITIVE
from .c_text import PREFIX, spell, unqualified

__all__ = ["FAST_KINDS", "param_spell", "result_spell", "result_variable"]


# -- Fast-call conversions: C type category -> (C temporary type, converter, builder) ----
# Every plain-number type maps to one of these; range checks are generated per type.
FAST_KINDS = {
    # (category, signed) -> (temporary C type, Python->C function, C->Python function)
    ("int", True): ("long long", "PyLong_AsLongLong", "PyLong_FromLongLong"),
    ("int", False): ("unsigned long long", "PyLong_AsUnsignedLongLong",
                     "PyLong_FromUnsignedLongLong"),
    ("float", True): ("double", "PyFloat_AsDouble", "PyFloat_FromDouble"),
}


def _fast_kind(ctype):
    """The FAST_KINDS key of a plain-number type, or None."""
    if ctype.kind != PRIMITIVE or not hasattr(ctype, "category"):
        return None
    if ctype.category == plat.INT:
        return ("int", ctype.signed)
    if ctype.category == plat.FLOAT:
        return ("float", True)
    return None


def param_spell(spellings, index, ctype, name):
    """Parameter `index` declared as `name`: as the cdef wrote it (with its qualifiers) when
    known, else from the type model (which has no `const`)."""
    if spellings is not None:
        return spellings[1][index].replace("@", name)
    return spell(ctype, name)


def _cast_spell(spellings, index, ctype):
    """The type of parameter `index` as a cast: without the qualifiers of the parameter itself
    (`(volatile int)x` is a warning in C++), with those of what a pointer points to and of a
    function pointer's parameters."""
    if ctype.kind not in (POINTER, FUNCTION):
        return spell(ctype, "")
    return re.sub(r"(\s*\b(const|volatile|restrict|__restrict)\b\s*)+$", "",
                  param_spell(spellings, index, ctype, ""))


def result_spell(spellings, ctype, declarator):
    """The result type around `declarator`, with its qualifiers when known."""
    if spellings is not None:
        return spellings[0].replace("@", declarator)
    return spell(ctype, declarator)


def result_variable(spellings, ctype, declarator):
    """A variable of the result type that can be assigned (`const int f()`: `int result`)."""
    return unqualified(result_spell(spellings, ctype, "@")).replace("@", declarator)


# -- Functions ----
def _arg_names(fntype):
    """The wrappers' parameter names (prefixed: a C function named `a0` stays visible)."""
    return [PREFIX + "a%d" % i for i in range(len(fntype.args))]


def _size_name(ctype):
    """How cffi's API-mode range check names an integer type: by its size and sign."""
    return "%d-bit %sint" % (8 * ctype.byte_size, "" if ctype.signed else "unsigned ")


def _range_check(ctype, var):
    """A C condition true when `var` (the wide temporary) does not fit `ctype`: a round trip
    through the type, so the file stays the same on every platform."""
    temp = FAST_KINDS[_fast_kind(ctype)][0]
    return "(%s)(%s)%s != %s" % (temp, ctype.cname, var, var)
