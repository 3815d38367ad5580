"""C type names ("struct foo *", "int(*)(int, ...)", "char *[5]") -> CTypes, without pycparser.

The runtime names types all the time (ffi.new, ffi.cast, ffi.typeof...).  This hand-written
parser reads the type-name grammar of C (C11 6.7.7) for what cffi accepts there:

    type_name    := specifiers abstract_declarator
    specifiers   := qualifiers and either primitive keywords as cffi reads them ("long unsigned"),
                    a typedef name, or `struct|union|enum NAME` (NAME may be cffi's "$1")
    abstract_declarator := ('*' qualifiers*)* direct?
    direct       := '(' abstract_declarator ')' suffix*  |  suffix*
    suffix       := '[' constant_expression? ']'  |  '(' parameters ')'

Qualifiers (`const`, `volatile`, `restrict`) and `__stdcall`/`__cdecl` are dropped, as in
cffi's types; a declarator may carry a name ("int x[3]"), as cffi allows.  Invalid types (an
array of functions, a negative length...) raise cffi's exceptions directly.  For the ffi of an
in-line FFI, anything else this parser does not accept (a syntax error, an unknown name, `...`,
an inline struct body) is handed to the full cdef parser (cparser.py, with pycparser), which
gives cffi's in-line error: errors cost a pycparser import, a valid type name never does.  The
ffi of a generated module has no pycparser: a syntax error is its ffi.error saying what was
expected, followed by the text and a caret under the place, as cffi's parser reports it.
"""
import re

from .ctype import (ARRAY, NAMED, STRUCT, TYPES, UNION, VOID, EnumType, RawFunctionType,
                    StructOrUnionType, make_type)
from .errors import MSG_FUNCTION_TYPE, MSG_RENDER_FUNCTION, CDefError, CompiledFFIError
from .decls import (DEFAULT_TYPES, opaque_member_error, primitive_type, unbuildable_error,
                    warn_guessed_enum)

__all__ = ["parse_type", "parse_type_name", "Unsupported"]


class Unsupported(Exception):
    """The text is not a type name this parser handles (the full parser will decide)."""


class _Syntax(Unsupported):
    """A syntax error at token `index` (or at character `column`), with cffi's message: the
    error of a generated module's ffi, which has no full parser to fall back to."""

    def __init__(self, message, index=None, column=None):
        Unsupported.__init__(self, message)
        self.message, self.index, self.column = message, index, column

    def located(self, text):
        """The ffi.error cffi gives: the message, the text, and a caret under the place."""
        column = self.column
        if column is None:
            starts = _token_starts(text, _GENERATED_TOKEN_RE)
            column = starts[self.index] if self.index < len(starts) else len(text)
        if not text.isascii():      # as cffi's C code shows it: bytes, '?' for each non-ASCII
            column = len(text[:column].encode("utf-8", "surrogatepass"))
            text = "".join(c if c.isascii() else "?" * len(c.encode("utf-8", "surrogatepass"))
                           for c in text)
        return CompiledFFIError("%s\n%s\n%s^" % (self.message, text, " " * column))


# -- Entry point ----
def parse_type(decls, text):
    """The CType for a C type expression, with the names known to `decls` (cached per text).

    A bare function type ("int(int)") gives the RawFunctionType: the caller decides.
    Naming an unknown struct/union/enum tag declares it (opaque), as cffi does.
    """
    ctype = decls.type_cache.get(text)
    if ctype is None:
        try:
            ctype = parse_type_name(decls, text)
        except _Syntax as error:
            if not decls.declare_tags:              # the ffi of a generated module
                raise error.located(text) from None
            ctype = None
        except Unsupported:
            ctype = None
        if ctype is None:       # (outside the except: its errors must not chain Unsupported)
            from .cparser import _parse_type        # the full parser: exact cffi errors
            ctype = _parse_type(decls, text)
        error = unbuildable_error(decls, ctype)
        if error is not None:
            raise type(error)(*error.args)
        warn_guessed_enum(decls, ctype)
        NAMED.add(ctype)
        decls.type_cache[text] = ctype
    return ctype


def parse_type_name(decls, text):
    """parse_type() without the cache and the checks; raises Unsupported when unsure."""
    parser = _Parser(decls, _tokenize(text, not decls.declare_tags))
    try:
        ctype = parser.type_name()
    except (ValueError, TypeError, OverflowError, CDefError):
        if decls.declare_tags and parser.pos != len(parser.tokens):
            raise Unsupported("a type refused before the end of the text") from None
        raise           # (text left unread: the full parser says first if it is C at all)
    if parser.pos != len(parser.tokens):
        raise _Syntax("unexpected symbol", parser.pos)
    for key, tag in parser.new_tags:            # commit the tags declared by naming them
        if key not in decls.types:
            decls.types[key] = tag
            decls.order.append(tuple(key.split(" ", 1)))
    return ctype


# -- Tokens ----
_TOKEN_RE = re.compile(r"""\s*(?:
      (?P<name>[A-Za-z_$][\w$]*)
    | (?P<number>0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)[uUlL]*
    | (?P<punct><<|>>|\.\.\.|[*()\[\],+\-/%&|^~])
    )""", re.VERBOSE | re.ASCII)
# the ffi of a generated module reads a number as cffi's does: a digit and hex digits or 'x'
# ("3u" is 3 then a name), then decimal, octal or hex, up to 2**63 - 1; any other character
# is a token of its own, which the parser does not expect
_GENERATED_TOKEN_RE = re.compile(r"""\s*(?:
      (?P<name>[A-Za-z_$][\w$]*)
    | (?P<number>[0-9][0-9a-fA-FxX]*)
    | (?P<punct><<|>>|\.\.\.|[*()\[\],+\-/%&|^~])
    | (?P<other>\S)
    )""", re.VERBOSE | re.ASCII)
_TOKEN_CACHE = {}
_GENERATED_TOKEN_CACHE = {}


class BadNumber:
    """A number token cffi's generated modules refuse: the message of the error to give
    when the parser reaches it."""
    __slots__ = ("message",)

    def __init__(self, message):
        self.message = message


def _generated_number(digits):
    """The value of a number token of a generated module's ffi, or a BadNumber."""
    if re.fullmatch(r"[1-9][0-9]*|0[0-7]*|0[xX][0-9a-fA-F]+", digits) is None:
        return BadNumber("invalid number")
    value = int(digits, 16 if digits[1:2] in ("x", "X") else 8 if digits[0] == "0" else 10)
    return value if value < 1 << 63 else BadNumber("number too large")


def _tokenize(text, generated=False):
    """The tokens of `text`: names, ints (as int) and punctuation strings (`generated`:
    numbers as the ffi of a generated module reads them)."""
    cache = _GENERATED_TOKEN_CACHE if generated else _TOKEN_CACHE
    tokens = cache.get(text)
    if tokens is not None:
        return tokens
    tokens, pos, end = [], 0, len(text.rstrip())
    match = (_GENERATED_TOKEN_RE if generated else _TOKEN_RE).match
    while pos < end:
        m = match(text, pos)
        if m is None:
            column = len(text) - len(text[pos:].lstrip())
            raise _Syntax("unexpected symbol", column=column)
        pos = m.end()
        number = m.group("number")
        if generated and number is not None:
            tokens.append(_generated_number(number))
            continue
        if number is not None and (_alpha(text[pos:pos + 1]) or text[pos:pos + 1] in _DIGITS_):
            raise _Syntax("invalid number", column=m.start("number"))
        tokens.append(_int_literal(number) if number is not None else m.group("name")
                      or m.group("punct") or m.group("other"))
    if len(cache) < 2000:
        cache[text] = tokens
    return tokens


def _token_starts(text, regex=_TOKEN_RE):
    """The column where each token of `text` starts (for error messages)."""
    starts, pos, end = [], 0, len(text.rstrip())
    while pos < end:
        m = regex.match(text, pos)
        if m is None:
            break
        starts.append(m.start(m.lastgroup))
        pos = m.end()
    return starts


def _alpha(text):
    """Whether `text` is ASCII letters (C names are: 'é' is no letter to a C parser)."""
    return text.isascii() and text.isalpha()


_DIGITS_ = frozenset("0123456789_")


def _int_literal(digits):
    digits = digits.lower()
    if digits.startswith("0x"):
        return int(digits[2:], 16)
    if digits.startswith("0b"):
        return int(digits[2:], 2)
    if len(digits) > 1 and digits[0] == "0":
        try:
            return int(digits[1:], 8)
        except ValueError:
            raise Unsupported(digits) from None
    return int(digits)


# -- Words ----
QUALIFIERS = frozenset(["const", "volatile", "restrict"])
CALLING_CONVENTIONS = frozenset(["__stdcall", "__cdecl"])     # accepted and ignored (Linux)
PRIMITIVE_WORDS = frozenset(["void", "_Bool", "char", "short", "int", "long", "signed",
                             "unsigned", "float", "double", "_Complex"])
TAG_WORDS = frozenset(["struct", "union", "enum"])
_MODIFIERS = frozenset(["signed", "unsigned", "short", "long"])
_BASE_KEYWORDS = frozenset(["int", "char", "float", "double", "void", "_Bool"])
_NOT_KEYWORDS = frozenset(["restrict", "__int128"])     # names to generated modules' ffi
_RESERVED = QUALIFIERS | PRIMITIVE_WORDS | TAG_WORDS | {"__int128"}    # (the full parser refuses it)

# Constant expressions in array lengths: cffi's operators, by precedence (C's order).
_BINARY_LEVELS = (
    {"|": lambda a, b: a | b},
    {"^": lambda a, b: a ^ b},
    {"&": lambda a, b: a & b},
    {"<<": lambda a, b: a << _shift(b), ">>": lambda a, b: a >> _shift(b)},
    {"+": lambda a, b: a + b, "-": lambda a, b: a - b},
    {"*": lambda a, b: a * b, "/": lambda a, b: _c_div(a, b),
     "%": lambda a, b: a - b * _c_div(a, b)},
)
_UNARY = {"-": lambda a: -a, "+": lambda a: a, "~": lambda a: ~a}


def _c_div(a, b):
    if b == 0:
        raise Unsupported("division by zero")
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _shift(b):
    if not 0 <= b <= 1024:
        raise Unsupported("shift count")
    return b


# -- The parser ----
class _Parser:
    """Recursive descent over the tokens of one type name."""

    def __init__(self, decls, tokens):
        self.decls, self.tokens, self.pos = decls, tokens, 0
        self.new_tags = []              # [(key, type)] of tags declared by naming them

    def peek(self, offset=0):
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, token):
        if self.peek() != token:
            raise _Syntax("expected '%s'" % (token,), self.pos)
        self.pos += 1

    # -- Specifiers ----
    def type_name(self):
        """specifiers + abstract declarator (a name may be given, as cffi allows)."""
        return self.declarator(self.specifiers(), allow_name=True)

    def specifiers(self):
        """The base type: keywords, a typedef name or a tag, with qualifiers anywhere."""
        if not self.decls.declare_tags:
            return self.generated_specifiers()
        words, base, last_word = [], None, self.pos
        while True:
            token = self.peek()
            if token in QUALIFIERS:
                self.pos += 1
            elif token in PRIMITIVE_WORDS and base is None:
                words.append(token)
                last_word = self.pos
                self.pos += 1
            elif token in TAG_WORDS and base is None and not words:
                self.pos += 1
                base = self.tag(token)
            elif isinstance(token, str) and base is None and not words \
                    and token not in _RESERVED and (_alpha(token[0]) or token[0] in "_$"):
                self.pos += 1
                base = self.named(token)
            else:
                break
        if words:
            base = primitive_type(words)
            if base is None:
                raise _Syntax("'long long long' is too long" if words.count("long") > 2
                              else "invalid combination of types", last_word)
        if base is None:
            token = self.peek()
            if isinstance(token, str) and token not in _RESERVED and _alpha(token[:1]):
                raise _Syntax("undefined type name", self.pos)
            raise _Syntax("identifier expected", self.pos)
        return base

    def generated_specifiers(self):
        """The base type as the ffi of a cffi-generated module reads it, with its errors:
        qualifiers, then `signed`/`unsigned`/`short`/`long` (each at most as C allows) and
        one base keyword, or a base keyword, tag or typedef name alone; then `_Complex`
        (after `float` or `double` only) and qualifiers.  Keywords in another order
        ("int long") are an unexpected symbol."""
        self.skip_qualifiers()
        sign, size, start = None, None, self.pos
        while self.peek() in _MODIFIERS:
            token = self.peek()
            if token in ("signed", "unsigned"):
                if sign is not None:
                    raise _Syntax("multiple 'signed' or 'unsigned'", self.pos)
                sign = token
            elif token == "short" and size is not None:
                raise _Syntax("'short' after another 'short' or 'long'", self.pos)
            elif token == "long" and size in ("short", "long long"):
                raise _Syntax("'long' after 'short'" if size == "short" else
                              "'long long long' is too long", self.pos)
            else:
                size = "long long" if size == "long" else token
            self.pos += 1
        token = self.peek()
        if self.pos > start:
            words = ([sign] if sign else []) + (size.split() if size else [])  # "long long"
            if token == "int" or (token == "char" and size is None) or (
                    token == "double" and size == "long" and sign is None):
                words.append(token)
                self.pos += 1
            elif token in PRIMITIVE_WORDS or token in TAG_WORDS:
                raise _Syntax("invalid combination of types", self.pos)
            base = primitive_type(words)
        elif token in _BASE_KEYWORDS:
            self.pos += 1
            base = primitive_type([token])
        elif token in TAG_WORDS:
            self.pos += 1
            base = self.tag(token)
        elif isinstance(token, str) and (_alpha(token[:1]) or token[:1] == "_") and (
                token not in _RESERVED or token in _NOT_KEYWORDS):
            self.pos += 1
            base = self.named(token)
        else:
            raise _Syntax("identifier expected", self.pos)
        if self.peek() == "_Complex":
            if base not in (TYPES.primitive("float"), TYPES.primitive("double")):
                raise _Syntax("_Complex type combination unsupported", self.pos)
            self.pos += 1
            base = TYPES.primitive(base.cname + " _Complex")
        self.skip_qualifiers()
        return base

    def skip_qualifiers(self):
        """Past `const` and `volatile` (what cffi's generated modules take before a type)."""
        while self.peek() in ("const", "volatile"):
            self.pos += 1

    def named(self, name):
        """A typedef name (user's first, then the defaults)."""
        ctype = self.decls.types.get(name) or DEFAULT_TYPES.get(name)
        if ctype is None or name.startswith("__cffi_"):
            raise _Syntax("undefined type name", self.pos - 1)
        return ctype

    def tag(self, kind):
        """`struct NAME`, `union NAME`, `enum NAME`: declared (opaque) if not known yet."""
        name = self.peek()
        named = isinstance(name, str) and (_alpha(name[0]) or name[0] in "_$")
        if not isinstance(name, str) or name in _RESERVED or name == "..." or \
                not named and not self.decls.declare_tags:
            raise _Syntax("%s name expected" % ("enum" if kind == "enum" else "struct or union"),
                          self.pos)
        if not named:
            raise Unsupported(name)     # (the full parser says what it is)
        self.pos += 1
        if self.peek() == "{":
            raise _Syntax("unexpected symbol", self.pos)
        key = "%s %s" % (kind, name)
        ctype = self.decls.types.get(key)
        if ctype is None:
            for known_key, tag in self.new_tags:
                if known_key == key:
                    return tag
            if not self.decls.declare_tags:
                raise _Syntax("undefined %s name" % (
                    "enum" if kind == "enum" else "struct/union"), self.pos - 1)
            if name[0] == "$":
                raise Unsupported(name)         # cffi's anonymous names exist or are errors
            if kind == "enum":
                ctype = make_type(EnumType, name, [], base=TYPES.primitive("unsigned int"))
            else:
                ctype = make_type(StructOrUnionType, kind, name)
            self.new_tags.append((key, ctype))
        return ctype

    # -- Declarators ----
    def declarator(self, base, allow_name=False, decay=False):
        """Pointers, then a parenthesised inner declarator and/or suffixes, applied to base
        (`allow_name`: a name may stand where the declarator's name goes; `decay`: a
        parameter, whose outermost array is a pointer)."""
        generated = not self.decls.declare_tags
        while True:
            token = self.peek()
            if token == "*":
                base = TYPES.pointer(base)
                self.pos += 1
            elif (token in QUALIFIERS and not (generated and token in _NOT_KEYWORDS)
                  or token in CALLING_CONVENTIONS):
                self.pos += 1
            else:
                break
        # ("((" opens a parameter list to cffi's compiled ffi: "identifier expected")
        if self.peek() == "(" and (self.peek(1) in ("*", "[")
                                   or self.peek(1) == "(" and not generated
                                   or self.peek(1) in CALLING_CONVENTIONS
                                   or generated and self.peek(1) in ("const", "volatile")):
            inner_start = self.pos + 1
            self.pos = self.matching_paren(self.pos) + 1
            outer = self.suffixes(base)
            after = self.pos
            self.pos = inner_start
            ctype = self.declarator(outer, allow_name)
            self.take(")")
            self.pos = after
            return ctype
        token = self.peek()
        if allow_name and isinstance(token, str) and (
                token not in _RESERVED or generated and token in _NOT_KEYWORDS) \
                and (_alpha(token[0]) or token[0] == "_" or generated and token[0] == "$"):
            self.pos += 1
        return self.suffixes(base, decay)

    def matching_paren(self, index):
        """The index of the ')' closing the '(' at `index`."""
        depth, tokens = 0, self.tokens
        for i in range(index, len(tokens)):
            token = tokens[i]
            if token == "(":
                depth += 1
            elif token == ")":
                depth -= 1
                if depth == 0:
                    return i
        raise Unsupported("unbalanced parentheses")

    def suffixes(self, base, decay=False):
        """Array and function suffixes, applied right to left (`int[2][3]`: 2 arrays of 3);
        with `decay`, the outermost array is a pointer (a parameter: `void[3]` is `void *`)."""
        steps = []
        while True:
            token = self.peek()
            if token == "[":
                self.pos += 1
                start = self.pos
                length = None if self.peek() == "]" else self.length()
                self.take("]")
                steps.append(("array", (length, start)))
            elif token == "(":
                self.pos += 1
                steps.append(("function", self.parameters()))
            else:
                break
        for index in range(len(steps) - 1, -1, -1):
            kind, value = steps[index]
            if kind == "array" and decay and index == 0:
                if isinstance(base, RawFunctionType):   # (an array of functions: refused)
                    raise self.function_error(base)
                base = TYPES.pointer(base)
            elif kind == "array":
                base = self.make_array(base, value)
            else:
                base = self.make_function(base, value)
        return base

    def make_array(self, item, length_and_start):
        """`item[length]`, or cffi's error for an invalid array (as cparser.py gives it)."""
        length, start = length_and_start
        if isinstance(item, RawFunctionType):
            raise self.function_error(item)
        if item.kind == VOID or item.kind == ARRAY and item.length is None or (
                item.kind in (STRUCT, UNION) and item._fields is None
                and item not in self.decls.broken):     # (a broken struct: its own error)
            if item in self.decls.pending:              # (waiting for a member's body)
                raise opaque_member_error(self.decls, item, set()) or ValueError(
                    "array item of unknown size: '%s'" % (item.cname,))
            raise ValueError("array item of unknown size: '%s'" % (item.cname,))
        if length is not None and length < 0:
            if not self.decls.declare_tags:         # cffi's parser of generated modules
                raise _Syntax("expected a positive integer constant", start)
            raise ValueError("negative array length")
        return TYPES.array(item, length)

    def make_function(self, result, params):
        args, ellipsis = params
        if isinstance(result, RawFunctionType):
            raise self.function_error(result)
        if result.kind == ARRAY:
            raise TypeError("invalid result type: '%s'" % (result.cname,))
        return TYPES.raw_function(args, result, ellipsis)

    def error(self, cls, message):
        """`cls(message)`; CompiledFFIError for the ffi of a generated module (cffi's ffi.error)."""
        return cls(message) if self.decls.declare_tags else CompiledFFIError(message)

    def function_error(self, ftype):
        """The error for the function type `ftype` where a type cannot be one (each ffi's
        words: the in-line one renders it, a generated module's names it)."""
        if self.decls.declare_tags:
            return CDefError(MSG_RENDER_FUNCTION % (ftype.rendered,))
        return CompiledFFIError(MSG_FUNCTION_TYPE % (ftype.cname,))

    def parameters(self):
        """(argument types, ellipsis) up to and including the closing ')'."""
        args, ellipsis = [], False
        if self.peek() == ")":
            self.pos += 1
            return args, ellipsis
        if not self.decls.declare_tags and self.peek() == "void" and self.peek(1) == ")":
            self.pos += 2                   # the generated modules' `(void)`: exactly that
            return args, ellipsis
        while True:
            if self.peek() == "...":
                self.pos += 1
                ellipsis = True
                break
            ctype = self.declarator(self.specifiers(), allow_name=True, decay=True)
            args.append(ctype)
            if self.peek() != ",":
                break
            self.pos += 1
        self.take(")")
        voids = [a for a in args if a.kind == VOID]
        if voids and not self.decls.declare_tags:
            if not ellipsis:        # (cffi's generated modules keep them in a variadic type)
                raise TypeError("ctype 'void' has incomplete type")
        elif voids:
            if len(args) != 1 or ellipsis:
                raise TypeError("ctype 'void' has incomplete type")
            args = []
        if ellipsis and not args and self.decls.declare_tags:
            raise Unsupported("only '...'")         # refused by cdef(), not by cffi's ffi.error
        return args, ellipsis

    # -- Constant expressions (array lengths) ----
    def length(self):
        """An array length: the ffi of a generated module takes a number or the name of an
        integer constant only, as cffi's; an in-line ffi a constant expression."""
        if self.decls.declare_tags:
            return self.expression()
        token = self.peek()
        if isinstance(token, BadNumber):
            raise _Syntax(token.message, self.pos)
        if isinstance(token, int) or isinstance(token, str) and (
                _alpha(token[:1]) or token[:1] == "_"):
            return self.unary()
        raise _Syntax("expected a positive integer constant", self.pos)

    def expression(self, level=0):
        if level == len(_BINARY_LEVELS):
            return self.unary()
        operators = _BINARY_LEVELS[level]
        value = self.expression(level + 1)
        while self.peek() in operators:
            operator = operators[self.tokens[self.pos]]
            self.pos += 1
            value = operator(value, self.expression(level + 1))
        return value

    def unary(self):
        token = self.peek()
        self.pos += 1
        if isinstance(token, int):
            return token
        if token in _UNARY:
            return _UNARY[token](self.unary())
        if token == "(":
            value = self.expression()
            self.take(")")
            return value
        if isinstance(token, str) and token not in _RESERVED and _alpha(token[0]) \
                or token and token[0] == "_":
            entry = self.decls.constants.get(token)
            if entry is not None and isinstance(entry[1], int) and entry[1] is not True:
                return entry[1]
        raise _Syntax("expected a positive integer constant", self.pos - 1)
