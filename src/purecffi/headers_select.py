"""From parsed C headers to cdef text: find the named declarations and every type they need."""
import copy
import re

from pycparser import c_ast, c_generator, c_parser

from .platform import DEFAULT_TYPEDEF_NAMES

__all__ = ["Inexpressible", "HeaderIndex", "Collector", "OPAQUE_BUILTINS"]

# compiler types that a cdef cannot name: declared to pycparser as opaque typedefs, refused
# wherever a requested declaration needs one
OPAQUE_BUILTINS = {
    "__builtin_va_list": "va_list (a compiler built-in type)",
    "_Float128": "_Float128", "_Float64x": "_Float64x", "_Float128x": "_Float128x",
    "__float128": "__float128", "__float80": "__float80", "_Float16": "_Float16",
    "__fp16": "__fp16", "__bf16": "__bf16", "__purecffi_int128": "__int128",
    "__int128_t": "__int128_t", "__uint128_t": "__uint128_t",
    "_Decimal32": "_Decimal32", "_Decimal64": "_Decimal64", "_Decimal128": "_Decimal128",
}
PRELUDE = "".join("typedef int %s;\n" % name for name in OPAQUE_BUILTINS)
_KEPT_QUALS = ("const", "volatile")
_TAG_CLASSES = {c_ast.Struct: "struct", c_ast.Union: "union"}


class Inexpressible(Exception):
    """A declaration that a cdef cannot express (the message says why)."""


# -- The index of everything the headers declare ----
class HeaderIndex(c_ast.NodeVisitor):
    """Functions, globals, typedefs, tags and enumerators of a parsed translation unit."""

    def __init__(self, ast, asm_labels):
        self.funcs, self.globals, self.typedefs = {}, {}, {}
        self.tags, self.enumerators = {}, {}
        self.asm_labels = {}                   # declared name -> the symbol its asm label gives
        self._lines = {}                       # file -> [(line, name)] of top-level declarations
        for node in ast.ext:
            self._add_top(node)
            self.visit(node)
        self._attach_asm_labels(asm_labels)

    def _add_top(self, node):
        """Record one top-level declaration under its name."""
        definition = isinstance(node, c_ast.FuncDef)
        if definition:
            node = node.decl
        if isinstance(node, c_ast.Typedef):
            self.typedefs[node.name] = node
        elif isinstance(node, c_ast.Decl) and node.name:
            table = self.funcs if isinstance(node.type, c_ast.FuncDecl) else self.globals
            if node.name not in table or isinstance(node.type, c_ast.FuncDecl):
                table[node.name] = node
            if node.coord is not None:         # a definition's body may hold asm statements
                lines = self._lines.setdefault(node.coord.file, [])
                lines.append((node.coord.line, len(lines), None if definition else node.name))

    def _attach_asm_labels(self, asm_labels):
        """Give each asm label to the declaration whose name comes last before it."""
        for (file, line), label in asm_labels.items():
            before = [entry for entry in self._lines.get(file, ()) if entry[0] <= line]
            name = max(before)[2] if before else None
            if name is not None:
                self.asm_labels[name] = label

    def _visit_tag(self, node, kind):
        """Record a struct/union defined anywhere (nested definitions are file-scope tags)."""
        if node.name and node.decls is not None:
            self.tags[(kind, node.name)] = node
        self.generic_visit(node)

    def visit_Struct(self, node):
        self._visit_tag(node, "struct")

    def visit_Union(self, node):
        self._visit_tag(node, "union")

    def visit_Enum(self, node):
        if node.values is not None:
            if node.name:
                self.tags[("enum", node.name)] = node
            for enumerator in node.values.enumerators:
                self.enumerators[enumerator.name] = node

    def visit_FuncDef(self, node):
        self.visit(node.decl)                  # skip the body: its local types are not ours


# -- Evaluating integer constant expressions ----
class Evaluator:
    """The value of integer constant expressions (enum values, array sizes, macros)."""

    def __init__(self, index):
        self.index = index
        self._enum_values = {}                 # id(enum node) -> {name: value}
        self._ffi = None

    def enum_values(self, enum):
        """{enumerator: value} of an enum node, in order."""
        values = self._enum_values.get(id(enum))
        if values is None:
            values, following = {}, 0
            for enumerator in enum.values.enumerators:
                if enumerator.value is not None:
                    following = self.value(enumerator.value, values)
                values[enumerator.name] = following
                following += 1
            self._enum_values[id(enum)] = values
        return values

    def value(self, node, local=None):
        """The integer value of expression `node` (Inexpressible if it has none)."""
        method = getattr(self, "_eval_" + type(node).__name__, None)
        if method is None:
            raise Inexpressible("'%s' is not an integer constant" % _text(node))
        return method(node, local or {})

    def _eval_Constant(self, node, local):
        text = node.value
        if node.type == "char":
            body = text[1:-1].encode().decode("unicode_escape")
            if len(body) != 1:
                raise Inexpressible("%s is not a one-character constant" % text)
            return ord(body)
        if node.type not in ("int", "unsigned int", "long int", "unsigned long int",
                             "long long int", "unsigned long long int"):
            raise Inexpressible("%s is not an integer constant" % text)
        digits = text.rstrip("uUlL")
        if digits.lower().startswith(("0x", "0b")):
            return int(digits, 0)
        return int(digits, 8) if len(digits) > 1 and digits[0] == "0" else int(digits)

    def _eval_ID(self, node, local):
        if node.name in local:
            return local[node.name]
        enum = self.index.enumerators.get(node.name)
        if enum is None:
            raise Inexpressible("'%s' is not an integer constant" % node.name)
        return self.enum_values(enum)[node.name]

    def _eval_UnaryOp(self, node, local):
        if node.op == "sizeof":
            return self._sizeof(node.expr)
        operand = self.value(node.expr, local)
        ops = {"-": lambda v: -v, "+": lambda v: v, "~": lambda v: ~v, "!": lambda v: int(not v)}
        if node.op not in ops:
            raise Inexpressible("'%s' is not an integer constant" % _text(node))
        return ops[node.op](operand)

    def _eval_BinaryOp(self, node, local):
        left, right = self.value(node.left, local), self.value(node.right, local)
        if node.op in ("/", "%") and right == 0:
            raise Inexpressible("'%s' divides by zero" % _text(node))
        function = _BINARY.get(node.op)
        if function is None:
            raise Inexpressible("'%s' is not an integer constant" % _text(node))
        return function(left, right)

    def _eval_TernaryOp(self, node, local):
        chosen = node.iftrue if self.value(node.cond, local) else node.iffalse
        return self.value(chosen, local)

    def _eval_Cast(self, node, local):
        return int(self.ffi.cast(self._primitive(node.to_type), self.value(node.expr, local)))

    def _sizeof(self, node):
        if not isinstance(node, c_ast.Typename):
            raise Inexpressible("'sizeof %s' needs the type of an expression" % _text(node))
        return self.ffi.sizeof(self._primitive(node))

    def _primitive(self, typename):
        """The C spelling of a cast or sizeof type, following the headers' typedefs."""
        node = typename.type
        while isinstance(node, c_ast.TypeDecl) and isinstance(node.type, c_ast.IdentifierType):
            names = node.type.names
            typedef = self.index.typedefs.get(names[0]) if len(names) == 1 else None
            if typedef is None or names[0] in DEFAULT_TYPEDEF_NAMES:
                return " ".join(names)
            node = typedef.type
        raise Inexpressible("'(%s)' is not an integer type" % _text(typename))

    @property
    def ffi(self):
        """A plain FFI for casts and sizes of primitive types."""
        if self._ffi is None:
            from .api import FFI
            self._ffi = FFI()
        return self._ffi


def _c_div(a, b):
    """C's division: truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


_BINARY = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": _c_div, "%": lambda a, b: a - _c_div(a, b) * b,
    "<<": lambda a, b: a << b, ">>": lambda a, b: a >> b,
    "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
    "&&": lambda a, b: int(bool(a and b)), "||": lambda a, b: int(bool(a or b)),
    "==": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b), ">": lambda a, b: int(a > b),
    "<=": lambda a, b: int(a <= b), ">=": lambda a, b: int(a >= b),
}


def _text(node):
    """C text of an AST node, for messages."""
    return c_generator.CGenerator().visit(node)


def parse_macro_value(expansion, evaluator):
    """The integer value of a macro's expansion (Inexpressible if it is not one)."""
    typedefs = sorted(set(evaluator.index.typedefs) | DEFAULT_TYPEDEF_NAMES)
    prelude = "typedef int %s;\n" % ", ".join(typedefs)    # so that casts to them parse
    try:
        ast = c_parser.CParser().parse(prelude + "enum { __purecffi_v = (%s) };" % expansion)
    except Exception:                          # pycparser's ParseError, or worse
        raise Inexpressible("it expands to '%s', not an integer constant"
                            % expansion.strip()) from None
    enum = ast.ext[-1].type
    try:
        return evaluator.value(enum.values.enumerators[0].value)
    except Inexpressible:
        raise Inexpressible("it expands to '%s', not an integer constant"
                            % expansion.strip()) from None


# -- Collecting declarations in dependency order ----
class Collector:
    """Gathers cdef items for requested names, dependencies first."""

    def __init__(self, index, evaluator):
        self.index, self.evaluator = index, evaluator
        self.items = {}                 # key -> C text (None while being built)
        self.order = []                 # keys, dependencies first
        self.opaque = {}                # tag key -> why it has no fields in the output
        self.pending = []               # tag keys needed only through pointers
        self.typedefs_by_value = set()  # typedefs whose tags were made complete
        self.checked = []               # type spellings whose layout the compiler should confirm
        self.sizes = []                 # (placeholder, C expression) for the compiler to size

    # -- requested names ----
    def add_function(self, name):
        """A function declaration, with what its parameters and result need."""
        decl = self.index.funcs[name]
        self._refuse_asm_label(name)
        new = copy.copy(decl)
        new.storage, new.funcspec, new.align, new.init = [], [], [], None
        new.type = self._rewrite(decl.type, True)
        self._add(("func", name), _text(new) + ";")

    def add_global(self, name):
        """A global variable declaration."""
        decl = self.index.globals[name]
        self._refuse_asm_label(name)
        new = copy.copy(decl)
        new.storage, new.funcspec, new.align, new.init = ["extern"], [], [], None
        new.type = self._rewrite(decl.type, True)
        self._add(("var", name), _text(new) + ";")

    def add_typedef(self, name):
        """A typedef and everything needed to use its type by value."""
        self.need_typedef(name, True)

    def add_tag(self, kind, name):
        """A struct, union or enum with its fields or values."""
        if kind == "enum":
            self.need_enum(self.index.tags[("enum", name)])
        else:
            self.need_tag(kind, name, True)

    def add_enumerator(self, name):
        """The enum that defines enumerator `name`."""
        self.need_enum(self.index.enumerators[name])

    def add_macro(self, name, value):
        """An integer macro."""
        self._add(("macro", name), "#define %s %d" % (name, value))

    def add_note(self, name, note):
        """A comment in the output for a name that gives no declaration."""
        self._add(("note", name), "/* %s: %s */" % (name, note))

    def finish(self, compute_sizes):
        """Complete the tags needed through pointers; returns the cdef text.
        `compute_sizes([C expression])` gives the values of the sizes Python could not."""
        while self.pending:
            kind, name = self.pending.pop(0)
            self.need_tag(kind, name, False, defer=False)
        tags = [key for key in self.order if key[0] in ("struct", "union")]
        tags += [key for key in self.opaque if key not in self.items]
        forward = ["%s %s;" % key for key in sorted(set(tags))]
        text = "\n".join(forward + [self.items[key] for key in self.order]) + "\n"
        used = [(name, expr) for name, expr in self.sizes if name in text]
        if used:
            values = compute_sizes([expr for _, expr in used])
            for (name, _), value in zip(used, values):
                text = re.sub(r"\b%s\b" % name, str(value), text)
        return text

    # -- dependencies ----
    def need_typedef(self, name, by_value):
        """Emit typedef `name`; `by_value` also completes the tags its type names."""
        if name in OPAQUE_BUILTINS:
            raise Inexpressible("it uses %s, which a cdef cannot declare" % OPAQUE_BUILTINS[name])
        key = ("typedef", name)
        if key in self.items:
            if by_value and name not in self.typedefs_by_value and self.items[key] is not None:
                self.typedefs_by_value.add(name)
                self._rewrite(self.index.typedefs[name].type, True)
            return
        node = self.index.typedefs[name]
        self.items[key] = None
        if by_value:
            self.typedefs_by_value.add(name)
        new = c_ast.Typedef(name, _quals(node.quals), ["typedef"],
                            self._rewrite(node.type, by_value))
        self._add(key, _text(new) + ";")
        if not _is_pointer_like(new.type):
            self.checked.append(name)

    def need_tag(self, kind, name, by_value, defer=True):
        """Emit struct/union `name` with its fields, or as opaque if only pointed to and its
        fields cannot be had (pointed-to tags are deferred: `finish()` completes them)."""
        key = (kind, name)
        if key in self.items:
            return
        if key in self.opaque:
            if by_value:
                raise Inexpressible("%s %s is used by value, but %s" % (kind, name, self.opaque[key]))
            return
        node = self.index.tags.get(key)
        if node is None:
            if by_value:
                raise Inexpressible("%s %s is used by value, but the headers never define it"
                                    % key)
            self.opaque[key] = "the headers never define it"
            return
        if not by_value and defer:
            if key not in self.pending:
                self.pending.append(key)
            return
        saved = self._snapshot()
        try:
            self._emit_tag(key, node)
        except Inexpressible as e:
            if by_value:
                raise
            self._restore(saved)
            self.opaque[key] = str(e)

    def need_enum(self, node):
        """Emit an enum with its values made explicit."""
        key = ("enum", node.name or "#%d" % id(node))
        if key in self.items:
            return
        self._add(key, _text(self._enum_body(node)) + ";")
        if node.name:
            self.checked.append("enum " + node.name)

    # -- rewriting types into cdef form ----
    def _rewrite(self, node, by_value):
        """A copy of type `node` in cdef form (sizes evaluated, named tags by reference),
        recording what it needs."""
        new = copy.copy(node)
        if isinstance(node, c_ast.TypeDecl):
            new.quals, new.align = _quals(node.quals), []
            new.type = self._rewrite_base(node.type, by_value)
        elif isinstance(node, c_ast.PtrDecl):
            new.quals = _quals(node.quals)
            new.type = self._rewrite(node.type, False)
        elif isinstance(node, c_ast.ArrayDecl):
            new.dim_quals = []
            new.dim = None if node.dim is None else self._size(node.dim)
            new.type = self._rewrite(node.type, by_value)
        elif isinstance(node, c_ast.FuncDecl):
            new.args = node.args and c_ast.ParamList([self._param(p) for p in node.args.params])
            new.type = self._rewrite(node.type, True)
        elif isinstance(node, c_ast.Typename):
            new.quals, new.align = _quals(node.quals), []
            new.type = self._rewrite(node.type, by_value)
        else:
            new = self._rewrite_base(node, by_value)
        return new

    def _param(self, param):
        """A function parameter in cdef form (an array parameter is a pointer: its size,
        which may name another parameter, is dropped)."""
        if isinstance(param, (c_ast.Decl, c_ast.Typename)):
            new = copy.copy(param)
            param_type = param.type
            if isinstance(param_type, c_ast.ArrayDecl):
                param_type = copy.copy(param_type)
                param_type.dim = None
            new.type = self._rewrite(param_type, True)
            if isinstance(new, c_ast.Decl):
                new.storage, new.funcspec, new.align = [], [], []
            return new
        return param                           # EllipsisParam

    def _rewrite_base(self, node, by_value):
        """The innermost type of a declarator: a name, a tag or an inline definition."""
        if isinstance(node, c_ast.IdentifierType):
            if len(node.names) == 1 and node.names[0] in OPAQUE_BUILTINS:
                self.need_typedef(node.names[0], by_value)
            if (len(node.names) == 1 and node.names[0] in self.index.typedefs
                    and node.names[0] not in DEFAULT_TYPEDEF_NAMES):
                self.need_typedef(node.names[0], by_value)
            return node
        if isinstance(node, c_ast.Enum):
            if node.values is None:
                enum = self.index.tags.get(("enum", node.name))
                if enum is None:
                    raise Inexpressible("enum %s is never defined" % node.name)
                self.need_enum(enum)
                return node
            if node.name:
                self.need_enum(node)
                return _enum_reference(node)
            return self._enum_body(node)
        kind = _TAG_CLASSES[type(node)]
        if node.name:
            self.need_tag(kind, node.name, by_value)
            return type(node)(node.name, None)
        return type(node)(None, [self._field(f) for f in node.decls])

    def _field(self, decl):
        """A struct or union member in cdef form."""
        new = copy.copy(decl)
        new.storage, new.funcspec, new.align = [], [], []
        new.type = self._rewrite(decl.type, True)
        if decl.bitsize is not None:
            new.bitsize = self._size(decl.bitsize)
        return new

    def _size(self, expr):
        """An array size or bit width: its value, or for what only the compiler knows
        (`sizeof (struct x)`...) a placeholder that finish() replaces."""
        try:
            return _constant(self.evaluator.value(expr))
        except Inexpressible:
            placeholder = "__purecffi_size_%d" % len(self.sizes)
            self.sizes.append((placeholder, _text(expr)))
            return _constant(placeholder)

    def _enum_body(self, node):
        """An enum definition with every value written out."""
        values = self.evaluator.enum_values(node)
        new = copy.copy(node)
        new.values = c_ast.EnumeratorList(
            [c_ast.Enumerator(name, _constant(value)) for name, value in values.items()])
        return new

    def _emit_tag(self, key, node):
        """Emit the full definition of a struct or union."""
        self.items[key] = None
        body = type(node)(node.name, [self._field(f) for f in node.decls])
        self._add(key, _text(body) + ";")
        self.checked.append("%s %s" % key)

    def _refuse_asm_label(self, name):
        """Refuse a declaration whose symbol the header renames with an asm label."""
        label = self.index.asm_labels.get(name)
        if label is not None and label != name:
            raise Inexpressible("the header renames its symbol to '%s' with an asm label, "
                                "which a cdef cannot express" % label)

    # -- bookkeeping ----
    def _add(self, key, text):
        """Record an item (after its dependencies)."""
        self.items[key] = text
        self.order.append(key)

    def _snapshot(self):
        """The state to go back to if an optional definition fails."""
        return (dict(self.items), len(self.order), dict(self.opaque), list(self.pending),
                set(self.typedefs_by_value), len(self.checked))      # (self.sizes only grows)

    def _restore(self, saved):
        """Go back to a snapshot."""
        items, n_order, opaque, pending, by_value, n_checked = saved
        self.items, self.opaque, self.pending = items, opaque, pending
        self.typedefs_by_value = by_value
        del self.order[n_order:]
        del self.checked[n_checked:]


def _quals(quals):
    """Keep the qualifiers a cdef understands."""
    return [q for q in quals or () if q in _KEPT_QUALS]


def _enum_reference(node):
    """`enum name` without its values."""
    new = copy.copy(node)
    new.values = None
    return new


def _constant(value):
    """An integer constant node."""
    return c_ast.Constant("int", str(value))


def _is_pointer_like(node):
    """Whether a typedef's type is a pointer or function (its size says nothing new)."""
    return isinstance(node, (c_ast.PtrDecl, c_ast.FuncDecl))
