"""cdef() fuzz: random declarations, some of them broken on purpose.

Every cdef() must either succeed or raise one of the documented errors (CDefError, FFIError,
TypeError, ValueError, OverflowError, NotImplementedError...) with no internal exception chained
behind it; a failed cdef() must leave the FFI as it was; a successful one must give types that
ffi.sizeof() and ffi.new() can use.
"""
import random
import time

PRIMITIVES = ["char", "int", "long", "short", "unsigned int", "double", "float", "long long",
              "uint8_t", "int64_t", "size_t", "_Bool", "wchar_t", "void *", "char *"]
EXPECTED = ("CDefError", "FFIError", "TypeError", "ValueError", "OverflowError",
            "NotImplementedError", "VerificationError", "VerificationMissing", "KeyError")
JUNK = ["(", ")", "{", "}", "[", "]", ";", ",", "*", "...", "= 1", "<<", "extern \"Python\"",
        "# 3 \"x.h\"", "#define", "struct", "enum", "typedef", "const", "volatile", "[0]",
        "[-1]", "[99999999999999999999999]", ":", ": 3", "__attribute__((packed))", "\n"]


class _Generator:
    """Random declarations over the names declared so far."""

    def __init__(self, rng):
        self.rng, self.count = rng, 0

    def name(self, prefix):
        self.count += 1
        return "%s%d" % (prefix, self.count)

    def ctype(self):
        rng = self.rng
        base = rng.choice(PRIMITIVES)
        return base + " *" * rng.choice([0, 0, 0, 1, 2])

    def field(self):
        rng = self.rng
        kind = rng.random()
        name = self.name("f")
        if kind < 0.15:
            return "%s %s[%d];" % (self.ctype(), name, rng.randint(0, 40))
        if kind < 0.25:
            return "int %s : %d;" % (name, rng.randint(1, 31))
        if kind < 0.35:
            return "struct { %s } %s;" % (" ".join(self.field() for _ in range(2)), name)
        return "%s %s;" % (self.ctype(), name)

    def declaration(self):
        rng = self.rng
        kind = rng.random()
        if kind < 0.35:
            fields = " ".join(self.field() for _ in range(rng.randint(0, 6)))
            word = rng.choice(["struct", "union"])
            return "%s %s { %s };" % (word, self.name("s"), fields)
        if kind < 0.5:
            values = ", ".join("%s = %s" % (self.name("E"), self.expression())
                               for _ in range(rng.randint(1, 5)))
            return "enum %s { %s };" % (self.name("e"), values)
        if kind < 0.65:
            return "typedef %s %s;" % (self.ctype(), self.name("t"))
        if kind < 0.8:
            args = ", ".join(self.ctype() for _ in range(rng.randint(0, 4))) or "void"
            return "%s %s(%s);" % (self.ctype(), self.name("fn"), args)
        if kind < 0.9:
            return "#define %s %s" % (self.name("D"), self.expression()) + "\n"
        return "extern %s %s;" % (self.ctype(), self.name("g"))

    def expression(self):
        rng = self.rng
        terms = [str(rng.randint(-100, 1 << 20)) if rng.random() < 0.7 else
                 "(%d << %d)" % (rng.randint(0, 255), rng.randint(0, 24))
                 for _ in range(rng.randint(1, 12))]
        text = terms[0]
        for term in terms[1:]:
            text += " %s %s" % (rng.choice(["+", "-", "|", "*", "&"]), term)
        return text

    def source(self):
        rng = self.rng
        parts = [self.declaration() for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.5:          # break it
            text = " ".join(parts)
            where = rng.randint(0, len(text))
            return text[:where] + " " + rng.choice(JUNK) + " " + text[where:]
        return " ".join(parts)


def _state(ffi):
    """What a failed cdef() must not change."""
    return repr(ffi.list_types())


def random_cdefs(backend, seconds):
    """Random cdefs for `seconds`: counts of accepted, refused and unexpected outcomes."""
    rng = random.Random(2026)
    generator = _Generator(rng)
    deadline = time.time() + seconds
    figures = {"cdefs": 0, "accepted": 0, "refused": 0, "unexpected errors": 0,
               "chained errors": 0, "changed by a failed cdef": 0, "unusable types": 0}
    examples = []
    ffi = backend.FFI()
    while time.time() < deadline:
        if figures["cdefs"] % 200 == 0:
            ffi = backend.FFI()         # keep each FFI small
        figures["cdefs"] += 1
        source = generator.source()
        before = _state(ffi)
        try:
            ffi.cdef(source)
        except Exception as exc:
            _refused(ffi, exc, before, figures, examples, source)
            continue
        figures["accepted"] += 1
        _use_types(ffi, figures, examples, source)
    if examples:
        figures["first problem"] = examples[0].replace("\n", " | ")[:160]
    return figures


def _expected(exc):
    """Is `exc` one of the errors cdef() documents (by class name, through its bases)?"""
    return any(cls.__name__ in EXPECTED for cls in type(exc).__mro__)


def _refused(ffi, exc, before, figures, examples, source):
    figures["refused"] += 1
    if not _expected(exc):
        figures["unexpected errors"] += 1
        examples.append("%s: %s <- %r" % (type(exc).__name__, exc, source))
    if exc.__cause__ is not None or (exc.__context__ is not None
                                     and not exc.__suppress_context__):
        figures["chained errors"] += 1
        examples.append("chained %s: %s <- %s: %s" % (
            type(exc).__name__, exc, type(exc.__context__).__name__, exc.__context__))
    if _state(ffi) != before:
        figures["changed by a failed cdef"] += 1
        examples.append("changed: %r" % (source,))


def _use_types(ffi, figures, examples, source):
    """sizeof() and new() of the structs just declared."""
    for name in ffi.list_types()[1]:
        try:
            if ffi.sizeof("struct " + name) >= 0:
                ffi.new("struct %s *" % (name,))
        except Exception as exc:
            if not _expected(exc):
                figures["unusable types"] += 1
                examples.append("%s: %s <- %r" % (type(exc).__name__, exc, source))
