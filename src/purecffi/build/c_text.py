"""Small helpers shared by the C emitters: string literals, declarations, name prefix."""

import re

PREFIX = "_pc_"


def gil_only(flag, lines, limited):
    """`lines` for builds with a GIL and the full API (nothing with the limited API), with
    the macro `flag` defined when they are there."""
    if limited:
        return []
    return ["#ifndef Py_GIL_DISABLED", "#define %s 1" % (flag,)] + lines + ["#endif", ""]


def c_string(text):
    """A C string literal."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            out.extend("\\%03o" % b for b in ch.encode("utf-8"))
    return '"' + "".join(out) + '"'


def spellable(ctype):
    """Whether the type has a C spelling (not an anonymous struct without typedef name)."""
    return "$" not in ctype.cname and ctype.cname != "FILE"


def spell(ctype, name=""):
    """C spelling of a declaration; `[...]` arrays are spelled `[]`."""
    text = ctype.spell(name)
    return text.replace("[...]", "[]")


_QUALIFIERS = r"(?:const|volatile|restrict|__restrict)"


def unqualified(text):
    """A declaration with '@' for its declarator, without the qualifiers of the declared object
    itself (`const int @` -> `int @`, `char *const @` -> `char *@`): an assignable variable."""
    if "*" in text:
        return re.sub(r"\*(\s*\b%s\b)+\s*@" % (_QUALIFIERS,), "*@", text)
    return re.sub(r"\b%s\b\s*" % (_QUALIFIERS,), "", text)


# the identifiers a fast wrapper (`_pc_f_<name>`) declares: a C function of one of these
# names is called through its direct wrapper (`_pc_d_<name>`), which they do not shadow
_FAST_WRAPPER_NAMES = re.compile(
    r"(?:[xv][0-9]+|self|args|nargs|kwnames|result|saved_errno|errno_before|errno_space)\Z")


def fast_callee(name):
    """What a fast wrapper calls for the C function `name`: itself, or its direct wrapper
    when a name the wrapper declares would hide it."""
    return PREFIX + "d_" + name if _FAST_WRAPPER_NAMES.match(name) else name
