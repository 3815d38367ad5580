"""The pycparser front end of cdef(): one parser per thread, and parse errors that name the
problem (the unknown type name, the line) as cffi's do."""
import re
import threading

from pycparser import c_parser

from . import cdef_grammar as grammar
from .decls import DEFAULT_TYPES
from .errors import CDefError


# -- pycparser front end ----
_LOCAL = threading.local()
_PYCPARSER_FILE = "@"


def _parser():
    """A pycparser CParser for this thread (they keep state while parsing)."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = c_parser.CParser()
    return parser


def _pycparse(prep, decls, head, tail=""):
    """Parse the prepared text after a one-line typedef prelude; the nodes after the prelude."""
    known = decls.types
    names = sorted(n for n in prep.identifiers
                   if n in known or n in DEFAULT_TYPES or n in grammar.MARKER_TYPEDEFS)
    prelude = ("typedef int %s;" % ", ".join(names)) if names else ""
    try:
        ast = _parser().parse(prelude + head + "\n" + prep.text + tail, _PYCPARSER_FILE)
    except c_parser.ParseError as exc:
        raise _parse_error(prep, decls, str(exc)) from None
    return ast.ext[len(names):]


def _parse_error(prep, decls, message):
    """Turn pycparser's 'file:line:col: msg' into cffi's format, with a hint (a note) when we
    have one."""
    location, _, text = message.partition(": ")
    numbers = [int(p) for p in location.split(":")[1:] if p.isdigit()]
    if not numbers:
        return _lineless_parse_error(prep, decls, text)
    line = max(numbers[0] - 1, 1)
    col = numbers[1] if len(numbers) > 1 else 0
    define = prep.define_on(line)
    if define is not None:
        return prep.define_error(define)
    error = prep.parse_error(line, col, text)
    hint = prep.hint(line) or _unknown_type_hint(prep, decls, line, col)
    if hint:
        _add_hint(error, hint)
    return error


def _lineless_parse_error(prep, decls, text):
    """pycparser gave no line: blame a #define whose value does not parse, or else look for an
    unknown type name or an unsupported extension in the whole text."""
    for define in prep.defines:
        if define.value is not None:
            try:
                _parser().parse("enum { x = (%s) };" % (define.value,), _PYCPARSER_FILE)
            except c_parser.ParseError:
                return prep.define_error(define)
    message = "parse error\n%s: %s" % (grammar.DEFAULT_FILE, text)
    for line in range(1, len(prep.source_lines) + 1):
        hint = prep.hint(line) or _unknown_type_anywhere(prep, decls, line)
        if hint:
            return _add_hint(CDefError(message), "%s: %s" % (prep.where(line), hint))
    return CDefError(message)


def _add_hint(error, hint):
    """`error` with "hint: ..." as a note, shown by tracebacks under cffi's message (which
    str(error) keeps as it is)."""
    note = "hint: " + hint
    if hasattr(error, "add_note"):
        error.add_note(note)
    else:                                   # (before Python 3.11: kept, not shown)
        error.__notes__ = [note]
    return error


_C_KEYWORDS = frozenset("""auto break case char const continue default do double else enum extern
    float for goto if inline int long register restrict return short signed sizeof static struct
    switch typedef union unsigned void volatile while _Bool _Complex _Noreturn _Thread_local
    _Atomic _Alignas _Alignof _Static_assert""".split())


def _unknown_type_hint(prep, decls, line, col):
    """'unknown type name X' when the error is at, or just after, an identifier that stands
    where a type is expected and names no type."""
    if not 1 <= line <= len(prep.source_lines) or not col:
        return ""
    words = _WORDS_RE.findall(prep.source_lines[line - 1])
    starts = _word_starts(prep.source_lines[line - 1])
    if col - 1 not in starts:
        return ""
    index = starts.index(col - 1)
    for candidate in (index, index - 1):
        if candidate >= 0 and _names_no_type(decls, words, candidate) \
                and not _typedef_in(prep, words[candidate]):
            return _unknown_name_text(prep, decls, words[candidate])
    return ""


def _unknown_type_anywhere(prep, decls, line):
    """'unknown type name X' for the first identifier of the line that stands where a type is
    expected, is followed by a declarator, and is declared nowhere in the text."""
    words = _WORDS_RE.findall(prep.source_lines[line - 1]) if line <= len(prep.source_lines) \
        else []
    for index in range(len(words) - 1):
        after = words[index + 1]
        if (after == "*" or _IDENT_RE.match(after)) and _names_no_type(decls, words, index) \
                and not _declared_in(prep, words[index]):
            return _unknown_name_text(prep, decls, words[index])
    return ""


def _names_no_type(decls, words, index):
    """Whether words[index] is an identifier in a type position that names no known type."""
    name = words[index]
    before = words[index - 1] if index else ";"
    return bool(_IDENT_RE.match(name)) and name not in _C_KEYWORDS \
        and before in _TYPE_POSITIONS and decls.lookup_name(name) is None


def _declared_in(prep, name):
    """Whether the source declares `name` (it appears before ; , ) [ or =)."""
    return re.search(r"\b%s\s*[;,)\[=]" % (re.escape(name),), "\n".join(prep.source_lines)) \
        is not None


def _typedef_in(prep, name):
    """Whether the source declares `name` with a typedef."""
    return re.search(r"\btypedef\b[^;]*\b%s\s*[;,)\[]" % (re.escape(name),),
                     "\n".join(prep.source_lines)) is not None


_WORDS_RE = re.compile(r"[A-Za-z_]\w*|\S")
_IDENT_RE = re.compile(r"[A-Za-z_]")
_TYPE_POSITIONS = frozenset(["(", ",", ";", "{", "}", "typedef", "const", "volatile", "static",
                             "extern", "register", "inline"])


def _word_starts(text):
    return [m.start() for m in _WORDS_RE.finditer(text)]


def _unknown_name_text(prep, decls, name):
    """The hint for an unknown type name, suggesting the tag when there is one of that name."""
    text = "\n".join(prep.source_lines)
    for tag in ("struct", "union", "enum"):
        if "%s %s" % (tag, name) in decls.types or re.search(
                r"\b%s\s+%s\b" % (tag, re.escape(name)), text):
            return "unknown type name '%s' (did you mean '%s %s'?)" % (name, tag, name)
    return "unknown type name '%s'" % (name,)
