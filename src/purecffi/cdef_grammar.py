"""The cdef extensions over plain C, turned into plain C for pycparser with line numbers kept.

cdef() text is C declarations plus a few extensions (spec 8.1, 8.4 and 6.7.4):

    #define NAME <integer expression> | ...      constants
    # 42 "file.h"  /  #line 42 "file.h"           where the next line comes from
    #pragma ...                                   ignored with a warning (as cffi does)
    typedef int... t;  typedef float... t;        numbers only the C compiler knows
    typedef ... t;     typedef ... *t_p;          opaque types
    struct s { int a; ...; };                     partial structs
    int a[...];                                   array lengths from the compiler
    enum e { A, B, ... };  enum e { A = ... };    enum values from the compiler
    extern "Python" int f(int);  extern "Python+C" { ... }    callbacks defined in Python
    __cdecl, __stdcall, WINAPI                    calling conventions, dropped

`prepare()` lexes the text once, handles the directives, then rewrites each extension (chosen
from a table keyed by where the `...` appears) into plain C that uses reserved marker names
(`MARK_*` below); the declaration walker in cparser.py gives those markers their meaning.
Every source line stays on its own line, so pycparser's line and column numbers stay true.
"""
import bisect
import re

from .errors import CDefError, FFIError

DEFAULT_FILE = "<cdef source string>"

# Constant expressions: cffi 2.0 evaluates `+ - * / % << >> & | ^` and unary `+ -` in enum values
# and array lengths, and takes only an integer literal (or -literal) in #define.  purecffi also
# takes `~ ! < > <= >= == != && || ?:`, and any such expression in #define (using earlier
# constants).  Set to False for exactly cffi's set.
EXTENDED_CONSTANTS = True

# -- Marker names the rewritten C uses (reserved: no user name starts with __cffi_) ----
MARK_DOTS = "__dotdotdot__"           # `[...]`, `= ...`, the `...` enumerator, the `...;` member
MARK_OPAQUE = "__cffi_opaque__"       # typedef name standing for `...` in `typedef ... t;`
MARK_INT = "__cffi_int__"             # typedef name standing for `int...` in a typedef
MARK_FLOAT = "__cffi_float__"         # typedef name standing for `float...`/`double...`
MARK_DEFINE = "__cffi_define_%d__"    # enumerator standing for the Nth #define
MARKER_TYPEDEFS = (MARK_OPAQUE, MARK_INT, MARK_FLOAT)
# how cffi's messages name the markers (its own rewriting of the source shows through them)
DOTS_NUMBER_NAMES = {MARK_OPAQUE: "__dotdotdot__", MARK_INT: "__dotdotdotint__",
                     MARK_FLOAT: "__dotdotdotfloat__"}
MSG_UNSUPPORTED_TYPE = ("Unsupported type: '%s'.  Please look at "
                        "http://cffi.readthedocs.io/en/latest/cdef.html#ffi-cdef-limitations "
                        "and file an issue if you think this type should really be supported.")

# Words removed from the text: calling conventions only matter on 32-bit Windows (spec 6.9).
DROPPED_WORDS = frozenset(["__cdecl", "__stdcall", "WINAPI"])

# Extensions of other compilers that cdef() does not accept: a hint added to the parse error.
UNSUPPORTED_WORDS = {
    "__attribute__": "'__attribute__' (a GCC extension) is not supported in cdef(): remove it "
                     "(for packing, use cdef(..., packed=True) or pack=N)",
    "__declspec": "'__declspec' (an MSVC extension) is not supported in cdef(): remove it",
    "__asm__": "asm labels are not supported in cdef(): remove them",
    "__asm": "asm labels are not supported in cdef(): remove them",
    "asm": "asm labels are not supported in cdef(): remove them",
    "__restrict": "'__restrict' is not recognized: use 'restrict' or nothing",
    "__restrict__": "'__restrict__' is not recognized: use 'restrict' or nothing",
    "__thread": "'__thread' is not supported in cdef(): declare the variable without it",
    "__inline": "'__inline' is not recognized: use 'inline' or nothing",
    "__inline__": "'__inline__' is not recognized: use 'inline' or nothing",
    "__extension__": "'__extension__' is not supported in cdef(): remove it",
    "__int128": "128-bit integers are not supported",
}

# Keywords that may spell the base of `typedef <keywords>... t;`.
NUMBER_WORDS = frozenset(["char", "short", "int", "long", "signed", "unsigned", "float",
                          "double"])

STRING_LITERAL_WARNING = (
    "String literal found in cdef() or type source. String literals are ignored here, but you "
    "should remove them anyway because some character sequences confuse pre-parsing.")
PRAGMA_WARNING = (
    "#pragma in cdef() are entirely ignored. They should be removed for now, otherwise your "
    "code might behave differently in a future version of CFFI if #pragma support gets added. "
    "Note that '#pragma pack' needs to be replaced with the 'packed' keyword argument to cdef().")
DEFINE_SYNTAX = (
    "only supports one of the following syntax:\n"
    "  #define %s ...     (literally dot-dot-dot)\n"
    "  #define %s NUMBER  (with NUMBER an integer constant expression: decimal/hex/octal/"
    "binary/character literals, earlier constants, + - * / %% << >> & | ^ ~ and parentheses)\n"
    "got:\n  #define %s %s")


# -- Lexing ----
_TOKEN_RE = re.compile(r"""
    (?P<nl>\n)
  | (?P<ws>[ \t\r\f\v]+)
  | (?P<cont>\\[ \t]*\r?\n)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>(?:u8|[LuU])?"(?:[^"\\\n]|\\.)*")
  | (?P<char>[LuU]?'(?:[^'\\\n]|\\.)*')
  | (?P<ident>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<number>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*)
  | (?P<ellipsis>\.\.\.)
  | (?P<punct>.)
""", re.X | re.S)

_SKIPPED = frozenset(["ws", "cont", "comment"])


class Token:
    """A significant token: kind, text, physical line and 1-based column, slot in the output."""

    __slots__ = ("kind", "text", "line", "col", "slot")

    def __init__(self, kind, text, line, col, slot):
        self.kind, self.text, self.line, self.col, self.slot = kind, text, line, col, slot

    def __repr__(self):
        return "<Token %s %r at %d:%d>" % (self.kind, self.text, self.line, self.col)


class LineMap:
    """Physical line numbers of the text -> (file, line) as line directives declare them."""

    def __init__(self):
        self._starts = [1]
        self._origins = [(DEFAULT_FILE, 1)]

    def set_next(self, physical_line, file, line):
        """From `physical_line` on, the text comes from `file` starting at `line`."""
        self._starts.append(physical_line)
        self._origins.append((file, line))

    def origin(self, physical_line):
        """(file, line) of a physical line."""
        index = bisect.bisect_right(self._starts, physical_line) - 1
        file, line = self._origins[max(index, 0)]
        return file, line + physical_line - self._starts[max(index, 0)]


class Define:
    """One `#define NAME VALUE` (value text, or None for `...`)."""

    __slots__ = ("name", "value", "line", "text")

    def __init__(self, name, value, line, text):
        self.name, self.value, self.line, self.text = name, value, line, text


class Prepared:
    """The plain-C text for pycparser and what the extension layer learnt on the way."""

    def __init__(self, source):
        self.source_lines = source.split("\n")
        self.lines = LineMap()
        self.defines = []           # Define objects; marker MARK_DEFINE % index stands for each
        self.extern_python = []     # (start (line, col), end (line, col), plus_c) in self.text
        self.identifiers = set()    # every identifier of the text (to choose the typedef prelude)
        self.warnings = []          # messages of UserWarnings to issue
        self.text = ""
        self.type_string = False    # a type string (its errors name no place, as cffi)

    # -- Locations and errors ----
    def where(self, line):
        """'file:line' of a physical line."""
        return "%s:%d" % self.lines.origin(line)

    def error(self, line, message, cls=CDefError, located=False):
        """A semantic error at a physical line: 'file:line: message' for a CDefError (or where
        `located`); cffi's other FFIError and NotImplementedError messages name no place."""
        if cls is not CDefError and not located:
            return cls(message)
        if cls is not CDefError:    # cffi's located FFIError: ':line: ' (no file name; a type
            logical = line + 1 if self.type_string else self.lines.origin(line)[1]  # string's
            return cls(":%d: %s" % (logical, message))          # line is 2 of its wrapper)
        return cls("%s: %s" % (self.where(line), message))

    def parse_error(self, line, col, message):
        """A syntax error formatted as cffi does: the offending line, then 'file:line:col: msg'."""
        file, logical = self.lines.origin(line)
        if self.type_string:
            # as cffi's: the type string counts from line 2 of its wrapper, whose ");" follows
            file, logical = DEFAULT_FILE, line + 1
        where = "%s:%d:%d" % (file, logical, col) if col else "%s:%d" % (file, logical)
        if file == DEFAULT_FILE and 1 <= line <= len(self.source_lines):
            head = 'cannot parse "%s"' % (self.source_lines[line - 1].strip(),)
        elif self.type_string:
            head = 'cannot parse ");"'
        else:
            head = "parse error"
        return CDefError("%s\n%s: %s" % (head, where, message))

    def in_extern_python(self, line, col):
        """The `plus_c` flag when (line, col) is inside an extern "Python" region, else None."""
        for start, end, plus_c in self.extern_python:
            if start <= (line, col) <= end:
                return plus_c
        return None

    def define_on(self, line):
        """The Define written on this physical line, or None."""
        for define in self.defines:
            if define.line == line:
                return define
        return None

    def define_error(self, define):
        """The error for a #define whose value is not an integer constant expression (with no
        place, as cffi's: the message quotes the line)."""
        return CDefError(DEFINE_SYNTAX % (define.name, define.name, define.name, define.text))

    def hint(self, line):
        """An explanation for a parse error on this physical line, or ''."""
        if 1 <= line <= len(self.source_lines):
            for word in re.findall(r"[A-Za-z_]\w*", self.source_lines[line - 1]):
                if word in UNSUPPORTED_WORDS:
                    return UNSUPPORTED_WORDS[word]
        return ""


def prepare(source, type_string=False):
    """Lex `source`, handle directives and rewrite the extensions: a Prepared (of a type
    string, whose errors name no place, as cffi's, if `type_string`)."""
    prep = Prepared(source)
    prep.type_string = type_string
    slots, tokens = _lex(source, prep)
    rewriter = _Rewriter(prep, slots, tokens)
    rewriter.run()
    prep.text = "".join(slots)
    if rewriter.regions:
        where = _slot_positions(slots, [slot for region in rewriter.regions
                                        for slot in region[:2]])
        prep.extern_python = [(where[first], where[last], plus_c)
                              for first, last, plus_c in rewriter.regions]
    return prep


def _slot_positions(slots, wanted):
    """(line, col) in the rewritten text where each wanted slot starts (rewrites change
    columns, and pycparser reports positions in the rewritten text)."""
    wanted, positions = set(wanted), {}
    line, col = 1, 1
    for index, text in enumerate(slots):
        if index in wanted:
            positions[index] = (line, col)
        newlines = text.count("\n")
        if newlines:
            line += newlines
            col = len(text) - text.rindex("\n")
        else:
            col += len(text)
    return positions


def _lex(source, prep):
    """First pass: output slots (one per lexeme) and significant tokens; directives handled."""
    slots, tokens = [], []
    line, line_start, at_line_start = 1, 0, True
    directive = None                      # [line, column of '#', tokens...] inside a directive
    for match in _TOKEN_RE.finditer(source):
        kind, text = match.lastgroup, match.group()
        col = match.start() - line_start + 1
        if kind == "nl" and directive is None:
            slots.append(text)
        elif kind == "nl":
            _directive(prep, slots, directive)
            slots.append(text)
            directive = None
        elif kind in _SKIPPED:
            if kind == "comment" and text.startswith("/*") and not text.endswith("*/"):
                raise prep.parse_error(line, col, "unterminated comment")
            if directive is not None:
                directive.append(Token(kind, text, line, col, None))
            else:
                slots.append(_blank_text(kind, text))
        elif directive is not None:
            directive.append(Token(kind, text, line, col, None))
        elif text == "#" and at_line_start:
            directive = [line, col]
        else:
            tokens.append(Token(kind, text, line, col, len(slots)))
            slots.append(text)
        newlines = text.count("\n")
        if newlines:
            line += newlines
            line_start = match.start() + text.rindex("\n") + 1
            at_line_start = True
        elif kind not in _SKIPPED:
            at_line_start = False
    if directive is not None:
        _directive(prep, slots, directive)
    return slots, tokens


def _blank_text(kind, text):
    """What stands for whitespace, a comment or a line continuation: same lines and columns."""
    if kind == "ws":
        return text
    if kind == "cont":
        return "\n"
    return _NOT_NEWLINE.sub(" ", text)


_NOT_NEWLINE = re.compile(r"[^\n]")


# -- Directives ----
def _directive(prep, slots, directive):
    """Handle one directive line (its tokens), writing its replacement into the slots."""
    first_line, hash_col = directive[0], directive[1]
    words = [t for t in directive[2:] if t.kind not in _SKIPPED]
    newlines = sum(t.text.count("\n") for t in directive[2:])
    if not words:
        replacement = ""                              # a lone '#' is the null directive
    else:
        handler = DIRECTIVES.get(words[0].text)
        if handler is None and words[0].kind == "number":
            handler = _line_directive
        if handler is None:
            raise prep.parse_error(first_line, hash_col, "Directives not supported yet")
        replacement = handler(prep, first_line, words, directive[2:])
    slots.append(replacement + "\n" * newlines)


def _line_directive(prep, first_line, words, raw):
    """`# 42 "file"` or `#line 42 "file"`: the next line is line 42 of file."""
    args = words[1:] if words[0].text == "line" else words
    if not args or args[0].kind != "number" or not args[0].text.isdigit():
        raise prep.parse_error(first_line, words[0].col, "invalid line directive")
    file = prep.lines.origin(first_line)[0]
    if len(args) > 1 and args[1].kind == "string":
        file = args[1].text[1:-1]
    for extra in args[2:] if len(args) > 1 and args[1].kind == "string" else args[1:]:
        if extra.kind != "number":      # only gcc's flags ('# 1 "f.h" 1 3') may follow
            raise prep.parse_error(first_line, extra.col, "invalid line directive: "
                                   "nothing may follow the line number and file name")
    last_line = first_line + sum(t.text.count("\n") for t in raw)
    prep.lines.set_next(last_line + 1, file, int(args[0].text))
    return ""


def _pragma(prep, first_line, words, raw):
    """`#pragma ...`: ignored, with cffi's warning."""
    prep.warnings.append(PRAGMA_WARNING)
    return ""


_DEFINE_OPERATORS = frozenset("()+-*/%<>&|^~!?:=")


def _define(prep, first_line, words, raw):
    """`#define NAME VALUE`: recorded, and replaced by a marker enum the walker recognises."""
    if len(words) < 2 or words[1].kind != "ident":
        raise prep.error(first_line, "#define without a macro name")
    name = words[1].text
    after_name = raw.index(words[1]) + 1
    function_like = after_name < len(raw) and raw[after_name].text == "("
    value_tokens = _tokens_after(raw, words[1])
    value_text = _join(value_tokens)
    significant = [t for t in value_tokens if t.kind not in _SKIPPED]
    if significant and len(significant) == 1 and significant[0].kind == "ellipsis":
        value = None
    elif function_like or not _define_value_ok(significant):
        raise prep.define_error(Define(name, None, first_line, value_text))
    else:
        value = value_text
    index = len(prep.defines)
    prep.defines.append(Define(name, value, first_line, value_text))
    marker = MARK_DEFINE % index
    if value is None:
        return "enum { %s };" % (marker,)
    return "enum { %s = (%s) };" % (marker, value)


def _tokens_after(raw, token):
    """The raw tokens after `token`, without the whitespace right after it."""
    rest = raw[raw.index(token) + 1:]
    while rest and rest[0].kind in ("ws", "cont"):
        rest = rest[1:]
    while rest and rest[-1].kind in _SKIPPED:
        rest = rest[:-1]
    return rest


def _join(raw):
    """Source text of raw tokens, with comments and continuations as one space."""
    return "".join(" " if t.kind in _SKIPPED else t.text for t in raw)


def _define_value_ok(tokens):
    """Whether the tokens of a #define value can be an integer constant expression."""
    if not tokens:
        return False
    if not EXTENDED_CONSTANTS:
        if tokens[0].text == "-":
            tokens = tokens[1:]
        return len(tokens) == 1 and tokens[0].kind == "number" and _define_token_ok(tokens[0])
    return all(_define_token_ok(t) for t in tokens)


def _define_token_ok(token):
    """Tokens an integer constant expression may contain."""
    if token.kind in ("ident", "char"):
        return True
    if token.kind == "number":
        text = token.text.lower()
        return "." not in text and (text.startswith("0x") or ("e" not in text and "p" not in text))
    return token.kind == "punct" and token.text in _DEFINE_OPERATORS


DIRECTIVES = {"define": _define, "line": _line_directive, "pragma": _pragma}


# -- Rewriting the extensions ----
class _Rewriter:
    """Second pass: `...` forms, extern "Python" and dropped words, over significant tokens."""

    def __init__(self, prep, slots, tokens):
        self.prep, self.slots, self.tokens = prep, slots, tokens
        self.contexts = []          # one entry per open bracket: 'struct', 'enum', 'extern', ...
        self.extern_block = None    # (start token, plus_c) while inside extern "Python" { }
        self.regions = []           # (first slot, last slot, plus_c) of extern "Python" parts

    def run(self):
        """Walk the tokens once, applying the table for each one that needs it."""
        tokens = self.tokens
        identifiers = self.prep.identifiers
        for i, tok in enumerate(tokens):
            kind = tok.kind
            if kind == "ident":
                identifiers.add(tok.text)
                if tok.text in DROPPED_WORDS:
                    self.blank(tok)
                elif tok.text == "extern" and i + 1 < len(tokens) \
                        and tokens[i + 1].kind == "string":
                    self.extern_language(i)
            elif kind == "punct":
                self.bracket(i, tok)
            elif kind == "ellipsis":
                self.ellipsis(i, tok)
            elif kind == "string" and self.slots[tok.slot] == tok.text \
                    and STRING_LITERAL_WARNING not in self.prep.warnings:
                self.prep.warnings.append(STRING_LITERAL_WARNING)

    def blank(self, tok, text=""):
        """Replace a token by `text` (or remove it)."""
        self.slots[tok.slot] = text or " " * len(tok.text)

    def context(self):
        return self.contexts[-1] if self.contexts else "top"

    # -- Brackets ----
    _OPENERS = {"{": "}", "(": ")", "[": "]"}
    _CLOSERS = {"}": "{", ")": "(", "]": "["}

    def bracket(self, i, tok):
        """Track which construct each bracket opens (and end extern "Python" blocks)."""
        text = tok.text
        if text in self._OPENERS:
            self.contexts.append(self.opened(i) if text == "{" else
                                 "paren" if text == "(" else "bracket")
        elif text in self._CLOSERS and self.contexts:
            closed = self.contexts.pop()
            if closed == "extern":
                start, plus_c = self.extern_block
                self.regions.append((start.slot, tok.slot, plus_c))
                self.extern_block = None
                self.blank(tok)

    def opened(self, i):
        """What a '{' opens: a struct/union body, an enum body, or something else."""
        tokens = self.tokens
        j = i - 1
        if j >= 0 and tokens[j].kind == "ident" and tokens[j].text not in (
                "struct", "union", "enum"):
            j -= 1
        word = tokens[j].text if j >= 0 else ""
        if self.extern_block is not None:
            raise self.prep.error(tokens[i].line, "cannot use { } inside a block "
                                  "'extern \"Python\" { ... }'", NotImplementedError)
        return {"struct": "struct", "union": "struct", "enum": "enum"}.get(word, "block")

    # -- extern "Python" ----
    def extern_language(self, i):
        """`extern "Python"`, `extern "Python+C"`, alone or with a { } block."""
        tokens = self.tokens
        extern, language = tokens[i], tokens[i + 1]
        plus_c = _extern_plus_c(language.text)
        if plus_c is None:
            raise self.prep.parse_error(
                language.line, language.col,
                "extern %s is not supported in cdef(): only extern \"Python\" and "
                "extern \"Python+C\" (or \"C+Python\")" % (language.text,))
        if self.extern_block is not None:
            raise self.prep.parse_error(extern.line, extern.col,
                                        'extern "Python" inside an extern "Python" block')
        if self.context() != "top":
            raise self.prep.parse_error(extern.line, extern.col,
                                        'extern "Python" must be at the top level of the '
                                        'declarations (not in a parameter list or a struct)')
        self.blank(extern)
        self.blank(language)
        if i + 2 < len(tokens) and tokens[i + 2].text == "{":
            self.extern_block = (tokens[i + 2], plus_c)
            self.contexts.append("extern")
            self.blank(tokens[i + 2])
            tokens[i + 2].kind = "blanked"          # so bracket() does not push it again
            return
        end = self.statement_end(i + 2)
        self.regions.append((extern.slot, end.slot, plus_c))

    def statement_end(self, i):
        """The ';' (or last token) ending the declaration that starts at token i."""
        depth = 0
        tokens = self.tokens
        for tok in tokens[i:]:
            if tok.text in "({[" and tok.kind == "punct":
                depth += 1
            elif tok.text in ")}]" and tok.kind == "punct":
                depth -= 1
            elif tok.text == ";" and depth <= 0:
                return tok
        return tokens[-1]

    # -- `...` ----
    def ellipsis(self, i, tok):
        """Rewrite a `...` according to ELLIPSIS_RULES (others are left to pycparser)."""
        tokens = self.tokens
        prev = tokens[i - 1] if i > 0 else None
        after = tokens[i + 1].text if i + 1 < len(tokens) else None
        context = self.context()
        context = "top" if context in ("extern", "top") else context
        prev_class = _token_class(prev)
        rule = ELLIPSIS_RULES.get((context, prev_class, after)) or \
            ELLIPSIS_RULES.get((context, prev_class, None))
        if rule is not None:
            rule(self, i, tok)

    def as_marker(self, i, tok):
        self.blank(tok, MARK_DOTS)

    def as_partial_member(self, i, tok):
        self.blank(tok, "int " + MARK_DOTS)

    def only_dots(self, i, tok):
        """`f(...)`: refused as cffi does, naming `f` (or "in expression" for `(*f)(...)`)."""
        name = self.tokens[i - 2] if i >= 2 else None
        where = name.text if name is not None and name.kind == "ident" and \
            not self.prep.type_string else "in expression"
        message = "%s: a function with only '(...)' as argument is not correct C" % (where,)
        if self.prep.type_string:
            raise CDefError(message)
        raise self.prep.error(tok.line, message)

    def as_opaque(self, i, tok):
        self.blank(tok, MARK_OPAQUE)
        self.prep.identifiers.add(MARK_OPAQUE)

    def bad_usage(self, i, tok):
        """A `...` where a declaration starts (`... x;`): cffi's located FFIError (in a type
        string, or alone in braces, pycparser's error)."""
        after = self.tokens[i + 1].text if i + 1 < len(self.tokens) else None
        if not self.prep.type_string and after != "}":
            raise self.prep.error(tok.line, 'bad usage of "..."', FFIError, located=True)

    def as_number(self, i, tok):
        """`typedef <number keywords>... t;`: the keywords and dots become one marker name."""
        j = i - 1
        while j >= 0 and self.tokens[j].text in NUMBER_WORDS:
            j -= 1
        words = [t.text for t in self.tokens[j + 1:i]]
        if "long" in words and "double" in words:
            return                                  # `long double...` cannot be detected
        if j < 0 or self.tokens[j].text != "typedef":   # elsewhere, as cffi says it:
            after = self.tokens[i + 1].text if i + 1 < len(self.tokens) else None
            if self.context() == "struct" and after == ";":
                raise self.prep.error(tok.line, "bad or unsupported type declaration",
                                      FFIError, located=True)
            if after != ";":                        # (`int ...;`: pycparser reports it)
                raise FFIError(MSG_UNSUPPORTED_TYPE % (DOTS_NUMBER_NAMES[
                    MARK_FLOAT if words[-1] in ("float", "double") else MARK_INT],))
            return
        for word_tok in self.tokens[j + 1:i]:
            self.blank(word_tok)
        marker = MARK_FLOAT if "float" in words or "double" in words else MARK_INT
        self.blank(tok, marker)
        self.prep.identifiers.add(marker)


def _token_class(tok):
    """How the token before a `...` is classified for ELLIPSIS_RULES."""
    if tok is None:
        return None
    if tok.text in NUMBER_WORDS:
        return "number-word"
    return tok.text


# (context of the `...`, token before it, token after it or None for any): rewrite.
ELLIPSIS_RULES = {
    ("bracket", "[", "]"): _Rewriter.as_marker,              # int a[...]
    ("enum", "=", None): _Rewriter.as_marker,                # enum e { A = ... }
    ("enum", ",", "}"): _Rewriter.as_marker,                 # enum e { A, B, ... }
    ("enum", "{", "}"): _Rewriter.as_marker,                 # enum e { ... }
    ("struct", ";", ";"): _Rewriter.as_partial_member,       # struct s { int a; ...; }
    ("struct", "{", ";"): _Rewriter.as_partial_member,       # struct s { ...; }
    ("top", "typedef", None): _Rewriter.as_opaque,           # typedef ... t;
    ("top", "number-word", None): _Rewriter.as_number,       # typedef int... t;
    ("paren", "(", ")"): _Rewriter.only_dots,                # int f(...): not C
    ("top", None, None): _Rewriter.bad_usage,                # ... x;
    ("top", ";", None): _Rewriter.bad_usage,
    ("struct", "{", None): _Rewriter.bad_usage,              # struct s { ... x; }
    ("struct", ";", None): _Rewriter.bad_usage,
    ("paren", "number-word", None): _Rewriter.as_number,     # int f(int ...): not C
    ("struct", "number-word", None): _Rewriter.as_number,    # struct s { long ... y; }
}


_PLUS_C = re.compile(r'"(?:Python\s*\+\s*C|C\s*\+\s*Python)"')


def _extern_plus_c(language):
    """False for "Python", True for "Python+C" / "C+Python" (any spacing around '+'), else None."""
    if language == '"Python"':
        return False
    return True if _PLUS_C.fullmatch(language) else None
