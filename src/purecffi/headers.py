"""Declarations from real C headers: `cdef_from_headers()`, run through the C preprocessor.

The system preprocessor (`$CC -E`, default `cc`) reads the headers, with GNU extensions that
pycparser does not know defined away (NEUTRALISED below) and asm labels cut out; `$CC -E -dM`
lists the macros.  headers_select.py finds the requested names and what they need in the
parsed result, and the compiler then confirms the layout of every struct, union, enum and
typedef of the output (a `_Static_assert` each), which catches layout attributes such as
`packed` or `aligned` that the neutralised text no longer shows.
"""
from __future__ import annotations

import bisect
import os
import re
import shlex
import subprocess

from .errors import CDefError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Mapping, Sequence

__all__ = ["cdef_from_headers"]

# -- GNU extensions defined away on the preprocessor's command line ----
NEUTRALISED = {
    "__attribute__(x)": "", "__attribute(x)": "", "__declspec(x)": "",
    "__restrict": "", "__restrict__": "", "__extension__": "",
    "__inline": "", "__inline__": "", "__const": "const", "__volatile__": "volatile",
    "__signed__": "signed", "__signed": "signed",
    "_Float32": "float", "_Float64": "double", "_Float32x": "double",
    "__int128": "__purecffi_int128",
}
_ASM = re.compile(r"\b(?:__asm__|__asm|asm)\s*(?:(?:__volatile__|volatile|goto|inline)\s*)*\(")
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_LINE_MARKER = re.compile(r'^# (\d+) "((?:[^"\\]|\\.)*)"', re.M)
_DEFINE = re.compile(r"^#define ([A-Za-z_]\w*)(\([^)]*\))?(?: (.*))?$", re.M)
_MACRO_FILE = "<purecffi macros>"
_SIZES_FILE = "<purecffi sizes>"
# the size of a global array in assembly: ELF's `.size name, N`, or `.comm name,N[,align]`
_SIZE_DIRECTIVE = re.compile(r"(?:\.size\s+|\.comm\s+_?)__purecffi_v(\d+)\s*,\s*(\d+)")


def cdef_from_headers(headers: str | Sequence[str], names: str | Sequence[str],
                      include_dirs: Sequence[str] = (),
                      macros: Mapping[str, str | None] | Sequence[str] | None = None,
                      cc: str | None = None) -> str:
    """cdef text declaring `names` (functions, types, globals, integer macros, "struct x"...)
    from the C `headers`, with every type they need."""
    headers = [headers] if isinstance(headers, str) else list(headers)
    names = [n.strip() for n in (names.split(",") if isinstance(names, str) else names)]
    names = [n for n in names if n]
    if not headers or not names:
        raise ValueError("cdef_from_headers() needs at least one header and one name")
    cpp = Preprocessor(headers, include_dirs, macros, cc)
    from . import headers_select as select     # imports pycparser only when used
    defined = cpp.macro_dump()
    object_macros = [n for n in names if n in defined and not defined[n]]
    text, asm_labels, expansions = cpp.preprocess(object_macros)
    ast = _parse(select, text)
    index = select.HeaderIndex(ast, asm_labels)
    collector = select.Collector(index, select.Evaluator(index))
    for name in names:
        _add_name(select, collector, index, name, defined, expansions)
    cdef = collector.finish(cpp.compute_sizes)
    cpp.check_layout(cdef, collector.checked)
    return cdef


def _add_name(select, collector, index, name, defined, expansions):
    """Add one requested name to the collector, or raise CDefError saying why not."""
    kind, _, tag = name.partition(" ")
    try:
        if kind in ("struct", "union", "enum") and tag:
            if (kind, tag.strip()) not in index.tags:
                raise CDefError("cdef_from_headers: %r is not defined in the headers" % name)
            collector.add_tag(kind, tag.strip())
        elif name in index.funcs:
            collector.add_function(name)
        elif name in index.globals:
            collector.add_global(name)
        elif name in index.typedefs and name not in select.OPAQUE_BUILTINS:
            collector.add_typedef(name)
        elif name in index.enumerators:
            collector.add_enumerator(name)
        elif name in defined:
            _add_macro(select, collector, name, defined[name], expansions)
        else:
            for kind in ("struct", "union", "enum"):
                if (kind, name) in index.tags:
                    return collector.add_tag(kind, name)
            raise CDefError("cdef_from_headers: %r is not declared in the headers (not a "
                            "function, type, global, enum value, macro or tag)" % name)
    except select.Inexpressible as e:
        raise CDefError("cdef_from_headers: %r cannot be declared in a cdef: %s"
                        % (name, e)) from None


def _add_macro(select, collector, name, params, expansions):
    """An integer macro becomes #define; a function-like one is noted and skipped."""
    if params:
        collector.add_note(name, "a function-like macro %s%s, skipped" % (name, params))
        return
    value = select.parse_macro_value(expansions[name], collector.evaluator)
    collector.add_macro(name, value)


def _parse(select, text):
    """Parse preprocessed C with pycparser (its typedefs for the compiler's built-in types
    first)."""
    from pycparser import c_parser
    try:
        return c_parser.CParser().parse(select.PRELUDE + text, "<headers>")
    except Exception as e:                     # pycparser's ParseError carries file:line
        raise CDefError("cdef_from_headers: the preprocessed headers do not parse: %s"
                        % (e,)) from None


# -- The preprocessor and compiler driver ----
class Preprocessor:
    """Runs the C compiler on the headers with the user's -I and -D options."""

    def __init__(self, headers, include_dirs, macros, cc):
        self.command = shlex.split(cc or os.environ.get("CC") or "cc")
        self.options = ["-I" + d for d in include_dirs]
        for name, value in _macro_items(macros):
            self.options.append("-D%s" % name if value is None else "-D%s=%s" % (name, value))
        self.includes = "".join(_include_line(h) for h in headers)

    def run(self, args, source):
        """Run the compiler with `args` on C `source` (from stdin); returns its output."""
        argv = self.command + self.options + args + ["-x", "c", "-"]
        try:
            proc = subprocess.run(argv, input=source, capture_output=True, text=True)
        except OSError as e:
            raise CDefError("cdef_from_headers: cannot run the C compiler %r: %s"
                            % (self.command[0], e.strerror or e)) from None
        return proc

    def checked_run(self, args, source):
        """run(), raising CDefError with the compiler's message if it fails."""
        proc = self.run(args, source)
        if proc.returncode != 0:
            raise CDefError("cdef_from_headers: %s failed:\n%s"
                            % (" ".join(self.command + args), proc.stderr.strip()))
        return proc.stdout

    def macro_dump(self):
        """{macro name: its parameter list, or '' for an object-like macro}."""
        out = self.checked_run(_neutralising_options() + ["-E", "-dM"], self.includes)
        return {m.group(1): m.group(2) or "" for m in _DEFINE.finditer(out)
                if not _is_neutralised(m.group(1))}

    def preprocess(self, macro_names):
        """(C text without asm labels, {(file, line): asm label}, {macro: expansion})."""
        probes = "".join("__purecffi_begin_%d %s __purecffi_end_%d\n" % (i, name, i)
                         for i, name in enumerate(macro_names))
        source = self.includes + '#line 1 "%s"\n%s' % (_MACRO_FILE, probes)
        out = self.checked_run(_neutralising_options() + ["-E"], source)
        text, _, tail = out.partition('"%s"' % _MACRO_FILE)
        text = text[:text.rfind("\n") + 1]     # drop the marker line's start
        expansions = {}
        for i, name in enumerate(macro_names):
            m = re.search(r"__purecffi_begin_%d\b(.*?)__purecffi_end_%d\b" % (i, i), tail, re.S)
            expansion = m.group(1) if m else ""
            expansions[name] = " ".join(line for line in expansion.splitlines()
                                        if not line.startswith("#")).strip()
        text, labels = strip_asm(text)
        return text, labels, expansions

    def compute_sizes(self, expressions):
        """The values of non-negative C constant expressions (array sizes, bit widths), as
        the compiler computes them: each sizes a `char` array, whose size is read from the
        assembly output."""
        source = self.includes + '#line 1 "%s"\n' % _SIZES_FILE + "".join(
            "char __purecffi_v%d[(%s) + 1];\n" % (i, expr) for i, expr in enumerate(expressions))
        proc = self.run(["-S", "-o", "-"], source)
        if proc.returncode != 0:
            lines = sorted({int(n) for n in re.findall(r"%s:(\d+):" % re.escape(_SIZES_FILE),
                                                       proc.stderr)})
            culprits = [expressions[n - 1] for n in lines if 0 < n <= len(expressions)]
            raise CDefError("cdef_from_headers: the compiler cannot compute the size '%s':\n%s"
                            % ("', '".join(culprits) or "?", proc.stderr.strip()))
        sizes = {int(i): int(n) for i, n in _SIZE_DIRECTIVE.findall(proc.stdout)}
        missing = [expr for i, expr in enumerate(expressions) if i not in sizes]
        if missing:
            raise CDefError("cdef_from_headers: cannot read the size '%s' from the compiler's "
                            "assembly output" % (missing[0],))
        return [sizes[i] - 1 for i in range(len(expressions))]

    def check_layout(self, cdef, spellings):
        """Have the compiler confirm size, alignment and field offsets of the output's types."""
        checks = _layout_checks(cdef, spellings)
        if not checks:
            return
        source = self.includes + "".join(
            '_Static_assert(%s, "purecffi#%d");\n' % (expr, i) for i, (expr, _) in enumerate(checks))
        proc = self.run(["-fsyntax-only"], source)
        if proc.returncode == 0:
            return
        failed = sorted({int(n) for n in re.findall(r"purecffi#(\d+)", proc.stderr)})
        if not failed:
            raise CDefError("cdef_from_headers: the C compiler could not check the layout "
                            "of the declarations:\n%s" % proc.stderr.strip())
        raise CDefError("cdef_from_headers: the compiler lays out these types differently from "
                        "their declarations (the headers use layout attributes such as packed "
                        "or aligned, which a cdef cannot express):\n  "
                        + "\n  ".join(checks[i][1] for i in failed))


def _layout_checks(cdef, spellings):
    """[(C condition, description)] for the size, alignment and field offsets of each type."""
    from .api import FFI
    ffi = FFI()
    try:
        ffi.cdef(cdef)
    except Exception as e:
        raise CDefError("cdef_from_headers: internal error, the cdef made does not "
                        "parse: %s\n%s" % (e, cdef)) from None
    checks = []
    for spelling in spellings:
        try:
            size, align = ffi.sizeof(spelling), ffi.alignof(spelling)
        except Exception:                      # a function type, an opaque struct
            continue
        checks.append(("sizeof(%s) == %d" % (spelling, size), "sizeof(%s) != %d"
                       % (spelling, size)))
        checks.append(("_Alignof(%s) == %d" % (spelling, align), "_Alignof(%s) != %d"
                       % (spelling, align)))
        for name, field in getattr(ffi.typeof(spelling), "fields", None) or ():
            if name and field.bitsize < 0:
                checks.append(("__builtin_offsetof(%s, %s) == %d" % (spelling, name, field.offset),
                               "offsetof(%s, %s) != %d" % (spelling, name, field.offset)))
    return checks


def _neutralising_options():
    """-D options that define the GNU extensions away."""
    return ["-D%s=%s" % item for item in NEUTRALISED.items()]


def _is_neutralised(name):
    """Whether a macro of the dump is one of ours."""
    return any(key.partition("(")[0] == name for key in NEUTRALISED)


def _macro_items(macros):
    """(name, value or None) pairs from a dict, or from "NAME=VALUE"/"NAME" strings."""
    if not macros:
        return []
    if isinstance(macros, dict):
        return list(macros.items())
    return [tuple(m.split("=", 1)) if "=" in m else (m, None) for m in macros]


def _include_line(header):
    """#include for a header: a path that exists is included as a file, other names through
    the include path."""
    if os.path.exists(header):
        return '#include "%s"\n' % os.path.abspath(header).replace("\\", "\\\\")
    return "#include <%s>\n" % header


# -- asm labels ----
def strip_asm(text):
    """Blank out `__asm__(...)` groups (newlines kept, so lines still match); returns the
    text and {(file, line): the label's string} for each group."""
    markers = [(text.count("\n", 0, m.start()), m.group(2), int(m.group(1)))
               for m in _LINE_MARKER.finditer(text)]
    marker_lines = [m[0] for m in markers]
    pieces, labels, position = [], {}, 0
    for m in _ASM.finditer(text):
        if m.start() < position:
            continue
        end = _matching_paren(text, m.end() - 1)
        group = text[m.start():end]
        pieces.append(text[position:m.start()])
        pieces.append(re.sub(r"[^\n]", " ", group))
        position = end
        stream_line = text.count("\n", 0, m.start())
        k = bisect.bisect_right(marker_lines, stream_line) - 1
        if k >= 0:
            marker_line, file, line = markers[k]
            labels[(file, line + stream_line - marker_line - 1)] = "".join(_STRING.findall(group))
    pieces.append(text[position:])
    return "".join(pieces), labels


def _matching_paren(text, open_index):
    """The index just past the parenthesis that closes the one at `open_index`."""
    depth, i = 0, open_index
    while i < len(text):
        char = text[i]
        if char == '"':
            m = _STRING.match(text, i)
            i = m.end() if m else i + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)
