"""Small helpers shared by the C emitters: string literals, declarations, name prefix."""

import re

PREFIX = "_pc_"


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
