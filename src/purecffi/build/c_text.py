"""Small helpers shared by the C emitters: string literals, declarations, name prefix."""

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
