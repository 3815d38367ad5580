"""The cdef parser: C declaration text -> Declarations made of ctype.py types (via pycparser).

The pipeline for one cdef():
    cdef_grammar.prepare()   the extensions (`...`, #define, extern "Python", line directives)
                             become plain C with marker names; line numbers are kept
    pycparser                parses that C, with a one-line prelude declaring the typedef names
                             the text uses (user typedefs, the default types, the markers);
                             cdef_frontend.py, which also words the parse errors
    _Walker                  turns each declaration into types and entries of a working copy
                             of the Declarations; struct bodies are laid out at the end, in
                             dependency order (cdef_structs.py); constants are evaluated by
                             cdef_expr.py
    commit                   the copy replaces the Declarations' content; on any error the copy
                             is dropped and the structs it completed are restored (transactional)
"""
import warnings

from pycparser import c_ast

from . import cdef_grammar as grammar
from . import platform as plat
from .ctype import (ARRAY, INVALID, POINTER, STRUCT, UNION, VOID, TYPES, EnumType, InvalidType,
                    RawFunctionType, StructOrUnionType, UnknownNumberType, enum_base_name,
                    make_type)
from .decls import (DEFAULT_TYPES, FILE_TYPE, MSG_MULTIPLE, MSG_MULTIPLE_CONSTANT,  # noqa: F401
                    Declarations, _same_constant, _take, primitive_type)
from .decls import hides as _hides, spelling as _spelling
from .decls import abi_error as _abi_error, warn_guessed_enum as _warn_guessed_enum  # noqa: F401
from .errors import MSG_FUNCTION_TYPE, MSG_RENDER_FUNCTION, CDefError, CompiledFFIError, FFIError
from . import layout  # noqa: F401  (registers the layout rule that complete() uses)
from .cdef_expr import _ExpressionError, _InvalidConstant, _evaluate, _integer, _literal_initializer
from .cdef_frontend import _pycparse
from .cdef_spellings import c_spellings
from .cdef_structs import (COMPILER, READY, WAITING, _Deferred, _check_bitfield,
                           _check_flexible_array, _contains_itself, _flattened_names,
                           _readiness, _restore, _snapshot, rename_tag)

__all__ = ["Declarations", "parse_cdef", "DEFAULT_TYPES", "FILE_TYPE"]


# -- Messages (cffi's wording where cffi has one) ----
MSG_EXPRESSION = "unsupported expression: expected a simple numeric constant"
MSG_GLOBAL_WARNING = ("Global variable '%s' in cdef(): for consistency with C it should have a "
                      "storage class specifier (usually 'extern')")
MSG_UNSUPPORTED_TYPE = grammar.MSG_UNSUPPORTED_TYPE
MSG_UNEXPECTED = "unexpected <%s>: this construct is valid C but not valid in cdef()"
MSG_DOTS_ARRAY = "unsupported '[...]' here, cannot derive the actual array length in this context"
MSG_UNTYPED_ARG = ("%s arg %d: unknown type '%s' (if you meant to use the old C syntax of giving "
                   "untyped arguments, it is not supported)")
MSG_ENUM_LATER = ("enum %s: the '{}' declaration should appear on the first time the enum is "
                  "mentioned, not later")


# -- Entry points ----
def parse_cdef(decls, source, override=False, packed=False, pack=None, warn_stacklevel=3):
    """Parse `source` and add its declarations to `decls`, all or nothing.

    Returns the list of warning messages, which are also issued as UserWarnings.
    """
    try:
        return _parse_cdef(decls, source, override, packed, pack, warn_stacklevel + 1)
    except RecursionError:
        raise _too_deep() from None


def _too_deep():
    """The error for declarations nested too deeply for the parsers (which recurse)."""
    return CDefError("the declarations are nested too deeply to be parsed (parentheses, "
                     "pointers, arrays or structs inside each other, a few hundred levels)")


def _parse_cdef(decls, source, override, packed, pack, warn_stacklevel):
    """parse_cdef() (a RecursionError escapes from here)."""
    packed, pack = _packing(packed, pack)
    prep = grammar.prepare(source)
    for message in prep.warnings:           # about the text itself: issued even if parsing fails
        warnings.warn(message, UserWarning, stacklevel=warn_stacklevel)
    nodes = _pycparse(prep, decls, "")
    work = decls.copy()
    walker = _Walker(work, prep, override, packed, pack)
    walker.run(nodes)
    work.type_cache = {}
    decls.__dict__.update(work.__dict__)
    for message in walker.warnings:
        warnings.warn(message, UserWarning, stacklevel=warn_stacklevel)
    return prep.warnings + walker.warnings


def _packing(packed, pack):
    """Check and normalise the packed/pack options of cdef() (pack=1 means packed)."""
    if packed not in (None, False, True):
        raise ValueError("'packed' should be False or True; use 'pack' to give another value")
    if pack:
        if packed:
            raise ValueError("cannot give both 'pack' and 'packed'")
        if not isinstance(pack, int):
            raise TypeError("'pack' must be an integer, not %s" % (type(pack).__name__,))
        if pack < 0 or pack & (pack - 1):
            raise ValueError("'pack' must be a power of two, not %r" % (pack,))
        if pack == 1:
            return True, None
        return False, pack
    return bool(packed), None


_TYPE_FUNCTION = "__cffi_type__"


def _parse_type(decls, text):
    """parse_type() without the cache: the type is the one parameter of a dummy function."""
    try:
        return _parse_one_type(decls, text)
    except RecursionError:
        raise _too_deep() from None


def _parse_one_type(decls, text):
    """_parse_type() (a RecursionError escapes from here)."""
    prep = grammar.prepare(text, type_string=True)
    if prep.defines or prep.extern_python:
        raise CDefError("cannot parse type %r: only a C type is expected here" % (text,))
    nodes = _pycparse(prep, decls, " void %s(" % (_TYPE_FUNCTION,), "\n);")
    if len(nodes) != 1 or nodes[0].name != _TYPE_FUNCTION or nodes[0].type.args is None \
            or len(nodes[0].type.args.params) != 1:
        raise CDefError("cannot parse type %r: expected exactly one C type" % (text,))
    param = nodes[0].type.args.params[0]
    if isinstance(param, c_ast.ID):
        raise CDefError("unknown identifier '%s'" % (param.name,))
    if isinstance(param, c_ast.EllipsisParam):
        raise CDefError("cannot parse type %r" % (text,))
    work = decls.copy()
    walker = _Walker(work, prep, False, False, None)
    walker.dots_arrays_allowed = False
    walker.type_string = True
    ctype = walker.run_type(param.type)
    cache = decls.type_cache
    decls.__dict__.update(work.__dict__)
    decls.type_cache = cache
    return ctype


# -- The declaration walker ----
def _declared_name(node):
    """The name a declarator declares (None for an abstract one)."""
    while type(node) is not c_ast.TypeDecl:
        node = node.type
    return node.declname


class _Walker:
    """Walks pycparser's declarations and records them into a working Declarations."""

    def __init__(self, work, prep, override, packed, pack):
        self.work, self.prep = work, prep
        self.override, self.packed, self.pack = override, packed, pack
        self.warnings = []
        self.tags = {}                # id(pycparser tag node) -> ctype (nodes are shared)
        self.typedef_tag_names = {}   # id(anonymous tag node) -> the typedef naming it
        self.renames = {}             # "struct s" -> first typedef name, for tags created here
        self.own_defines = set()      # names #defined by this cdef
        self.define_values = {}       # name -> value node of its last #define in this cdef
        self.touched = {}             # struct -> snapshot, to undo completions
        self.typedef_ctx = None       # (name, direct declarator node) inside a typedef
        self.param_depth = 0
        self.struct_depth = 0
        self.dots_arrays_allowed = True
        self.type_string = False      # parsing a type string (ffi.typeof()...), not a cdef
        self.top = None               # the top-level declaration being walked

    # -- Driving ----
    def run(self, nodes):
        """Walk the top-level declarations, then lay out the struct bodies (all or nothing)."""
        self.find_typedef_names(nodes)
        for node in nodes:      # cffi reads a cdef's #defines first: a use may come before
            if type(node) is c_ast.Decl and type(node.type) is c_ast.Enum \
                    and self.define_index(node.type) is not None:
                define = self.prep.defines[self.define_index(node.type)]
                if define.value is not None:
                    self.define_values[define.name] = node.type.values.enumerators[0].value
        try:
            for node in nodes:
                handler = self.HANDLERS.get(type(node))
                if handler is None:
                    self.fail(node, MSG_UNEXPECTED % (type(node).__name__,))
                self.top = node
                handler(self, node)
            self.top = None
            self.complete_pending()
        except BaseException:
            self.undo()
            raise

    def run_type(self, node):
        """Resolve one type node (parse_type), all or nothing."""
        try:
            ctype = self.resolve(node)
            self.complete_pending()
        except BaseException:
            self.undo()
            raise
        return ctype

    def undo(self):
        for struct, state in self.touched.items():
            _restore(struct, state)

    def find_typedef_names(self, nodes):
        """Tags named by a direct typedef take the typedef's name as their C spelling (cffi)."""
        for node in nodes:
            if type(node) is c_ast.Typedef and type(node.type) is c_ast.TypeDecl:
                tag = node.type.type
                if type(tag) in _TAG_KINDS:
                    if tag.name is None:
                        self.typedef_tag_names.setdefault(id(tag), node.name)
                    elif type(tag) is not c_ast.Enum:     # enums: see enum_type()
                        key = "%s %s" % (_TAG_KINDS[type(tag)], tag.name)
                        rename_tag(self, key, node.name)      # (cdef_structs.py)

    # -- Errors ----
    def line(self, node):
        """The physical line of a node (the prelude is pycparser's line 1)."""
        coord = getattr(node, "coord", None)
        return max(coord.line - 1, 1) if coord is not None else 1

    def fail(self, node, message, cls=CDefError, located=False):
        raise self.prep.error(self.line(node), message, cls, located)

    # -- Top-level declarations ----
    def declaration(self, node):
        """`int f(int);`, `extern int x;`, `struct s {...};`, and #define markers."""
        if node.name is None:
            if type(node.type) is c_ast.Enum and self.define_index(node.type) is not None:
                return self.define(node)
            if type(node.type) not in _TAG_KINDS:
                self.fail(node, "declaration without a name")
            self.tag_type(node.type)
            return
        if node.align:
            self.fail(node, "_Alignas is not supported in cdef()")
        coord = node.coord
        plus_c = self.prep.in_extern_python(self.line(node), coord.column or 0)
        ctype = self.resolve(node.type)
        if isinstance(ctype, RawFunctionType):
            spellings = c_spellings(node.type, ctype, self.work.types.get,
                                    self.work.const_typedefs, self.work.typedef_nodes)
            if spellings is not None:
                self.work.c_spellings[node.name] = spellings
            if plus_c is not None:
                self.declare(self.work.extern_python, "extern_python", node.name,
                             (ctype, plus_c), node, twice=False)
            else:
                self.declare(self.work.functions, "function", node.name,
                             TYPES.function_pointer(ctype), node, twice=False)
            return
        if plus_c is not None:
            self.fail(node, "cannot declare constants or variables with 'extern \"Python\"'")
        if ctype.kind == VOID:
            self.fail(node, "variable '%s' cannot have type 'void'" % (node.name,))
        if self.is_const(node.type):
            self.add_constant(node.name, (ctype, self.initial_value(ctype, node.init)), node)
            return
        value = _literal_initializer(ctype, node.init)
        if value is not None:           # `int N = 11;`: an integer constant, as in cffi
            self.add_constant(node.name, (ctype, value), node)
            return
        if not node.storage:
            self.warnings.append(MSG_GLOBAL_WARNING % (node.name,))
        self.declare(self.work.variables, "variable", node.name,
                     (ctype, self.has_const_items(node.type)), node)

    def typedef(self, node):
        """`typedef T name;` (including the `...` forms)."""
        self.typedef_ctx = (node.name, node.type)
        try:
            ctype = self.resolve(node.type)
        finally:
            self.typedef_ctx = None
        tag = node.type.type if type(node.type) is c_ast.TypeDecl else None
        label = "anonymous" if type(tag) in _TAG_KINDS and tag.name is None else "typedef"
        if self.declare(self.work.types, label, node.name, ctype, node, "typedef"):
            self.work.typedef_names.append(node.name)
        self.work.typedef_nodes[node.name] = node.type          # (for C spellings)
        if self.is_const(node.type):
            self.work.const_typedefs.add(node.name)
        else:
            self.work.const_typedefs.discard(node.name)

    def unexpected(self, node):
        self.fail(node, MSG_UNEXPECTED % (type(node).__name__,))

    def declare(self, table, label, name, value, node, category=None, twice=True):
        """Add name -> value to a table; True if the name is new.  Identical redeclarations
        are accepted where `twice` (functions have none, as in cffi), others need override=True."""
        old = table.get(name)
        if old is None:
            table[name] = value
            self.work.order.append((category or label, name))
            return True
        if twice and (old is value or (isinstance(old, tuple) and old == value)):
            return False
        if not self.override:
            self.fail(node, MSG_MULTIPLE % (label, name), FFIError)
        table[name] = value
        return False

    # -- Constants ----
    def add_constant(self, name, entry, node, from_define=False):
        """constants[name] = (ctype or None, value), checking redeclarations."""
        constants = self.work.constants
        old = constants.get(name)
        if old is None:
            constants[name] = entry
            self.work.order.append(("constant", name))
        elif _same_constant(old, entry):
            pass
        elif entry[1] is not Ellipsis and \
                self.work.hidden_values.get(name, entry[1]) != entry[1]:
            self.fail(node, MSG_MULTIPLE_CONSTANT % (name,), FFIError)
        elif from_define and name in self.own_defines:
            constants[name] = entry             # `#define A 1` then `#define A 2` in one cdef()
        elif _hides(old, entry) or _hides(entry, old):
            self.hide_constant(name, old, entry)
        elif old[1] is Ellipsis or entry[1] is Ellipsis:
            if not self.override:
                label = "macro" if from_define or old[0] is None else "constant"
                self.fail(node, MSG_MULTIPLE % (label, name), FFIError)
            constants[name] = entry
        else:       # another integer value: refused even with override=True, as in cffi
            self.fail(node, MSG_MULTIPLE_CONSTANT % (name,), FFIError)
        if from_define:
            self.own_defines.add(name)

    def hide_constant(self, name, old, entry):
        """`static const T A;` (value unknown) and a #define or enum constant `A`: accepted, as
        cffi does.  The static const hides a #define; between it and an enum constant the later
        one wins.  The known integer is kept, so that another value for `A` is refused."""
        known = old if old[1] is not Ellipsis else entry
        if known[1] is not Ellipsis:
            self.work.hidden_values[name] = known[1]
        if entry[0] is not None:
            self.work.constants[name] = entry

    def initial_value(self, ctype, init):
        """The value of `static const int X = 5;` (integer types only), else Ellipsis."""
        if init is None or not (ctype.kind == "enum" or getattr(ctype, "category", None) in (
                plat.INT, plat.CHAR, plat.BOOL)):
            return Ellipsis
        try:
            return _integer(init, self.constant_value)
        except _ExpressionError:
            return Ellipsis

    def define_index(self, enum):
        """The #define number if this enum is a #define marker, else None."""
        values = enum.values.enumerators if enum.values is not None else ()
        if len(values) == 1 and values[0].name.startswith("__cffi_define_"):
            return int(values[0].name[len("__cffi_define_"):-2])
        return None

    def define(self, node):
        """A #define: (None, value) or (None, Ellipsis) for `#define X ...`."""
        define = self.prep.defines[self.define_index(node.type)]
        if define.value is None:
            value = Ellipsis
        else:
            try:
                value = _integer(node.type.values.enumerators[0].value, self.constant_value)
            except (_ExpressionError, ZeroDivisionError):   # (cffi: not a NUMBER)
                value = None
            if not isinstance(value, int):
                raise self.prep.define_error(define)
        self.add_constant(define.name, (None, value), node, from_define=True)

    def constant_value(self, name):
        """The integer value of a #define of this cdef (the last, wherever it is, as cffi) or
        of an earlier constant (for expressions), or None."""
        value = self.define_values.pop(name, None)
        if value is not None:       # (popped while evaluated: a #define naming itself)
            try:
                return _integer(value, self.constant_value)
            except (_ExpressionError, ZeroDivisionError):
                pass
            finally:
                self.define_values[name] = value
        entry = self.work.constants.get(name)
        return entry[1] if entry is not None else None

    def evaluate(self, node, names=None, allow_dots=False):
        """An integer constant expression of an enum, array length or bit width."""
        lookup = self.constant_value if names is None else \
            (lambda n: names[n] if n in names else self.constant_value(n))
        problem = None
        try:
            value = _evaluate(node, lookup)
        except _InvalidConstant as exc:
            problem, invalid = str(exc), True
        except _ExpressionError as exc:
            problem, invalid = str(exc), False
        if problem is not None and invalid:     # (outside the except: no internal error chained)
            if self.type_string:
                raise CDefError(problem)                # (cffi names no place in a type string)
            self.fail(self.top or node, problem)        # cffi names the declaration's line
        if problem is not None:                 # (cffi's words alone: no detail)
            self.fail(node, MSG_EXPRESSION, FFIError, located=True)
        if value is Ellipsis and not allow_dots:
            self.fail(node, "unsupported usage of '...' here", FFIError)
        return value

    # -- Types ----
    def resolve(self, node):
        """The CType of a declarator node (TypeDecl, PtrDecl, ArrayDecl, FuncDecl, ...)."""
        handler = self.RESOLVERS.get(type(node))
        if handler is None:
            self.fail(node, "unsupported construct <%s> in cdef()" % (type(node).__name__,))
        return handler(self, node)

    def pointer(self, node):
        return TYPES.pointer(self.resolve(node.type))

    def typename(self, node):
        return self.resolve(node.type)

    def base_type(self, node):
        """TypeDecl: a named type, a primitive spelled with keywords, or a tag."""
        inner = node.type
        if type(inner) is c_ast.IdentifierType:
            if node.declname == "__int128":     # `unsigned __int128`: a type, not a name
                self.fail(node, MSG_UNSUPPORTED_TYPE % ("unsigned __int128" if "unsigned" in
                                                         inner.names else "__int128",),
                          FFIError)
            return self.named_type(inner.names, node)
        if type(inner) in _TAG_KINDS:
            return self.tag_type(inner)
        self.fail(node, "unsupported construct <%s> in cdef()" % (type(inner).__name__,))

    def named_type(self, names, node):
        """IdentifierType: a typedef name, a default type, a marker, or primitive keywords."""
        if len(names) == 1:
            name = names[0]
            ctype = self.work.types.get(name)
            if ctype is not None:
                return ctype
            if name in grammar.MARKER_TYPEDEFS:
                return self.marker_type(name, node)
            ctype = DEFAULT_TYPES.get(name)
            if ctype is not None:
                return ctype
        ctype = primitive_type(names)
        if ctype is None:
            self.fail(node, MSG_UNSUPPORTED_TYPE % (_spelling(
                [grammar.DOTS_NUMBER_NAMES.get(name, name) for name in names]),), FFIError)
        return ctype

    def marker_type(self, marker, node):
        """The type of `typedef ... t;`, `typedef ... *t;`, `typedef int... t;`."""
        if self.typedef_ctx is None:
            self.fail(node, 'unsupported usage of "..."', FFIError)
        name, direct = self.typedef_ctx
        pointer = type(direct) is c_ast.PtrDecl and direct.type is node     # `typedef ... *t`
        if marker == grammar.MARK_OPAQUE:              # opaque, as cffi: not a partial struct
            if direct is node:
                return make_type(StructOrUnionType, "struct", "$" + name, cname=name)
            if not pointer:                         # (`t[2]`, `**t`, `t(int)`: cffi's words)
                self.fail(node, 'bad usage of "..."', FFIError, located=True)
            return make_type(StructOrUnionType, "struct", "$$" + name)
        if pointer:
            self.fail(node, 'unsupported usage of "..." in typedef', FFIError, located=True)
        if direct is not node:                      # (cffi names its marker)
            self.fail(node, MSG_UNSUPPORTED_TYPE % (grammar.DOTS_NUMBER_NAMES[marker],),
                      FFIError)
        self.work.has_placeholders = True
        return make_type(UnknownNumberType, name, marker == grammar.MARK_FLOAT)

    def array(self, node):
        """ArrayDecl: `T[n]`, `T[]`, `T[...]`."""
        item = self.resolve(node.type)
        length = None
        if node.dim is not None:
            length = self.evaluate(node.dim, allow_dots=True)
            if length is Ellipsis and (self.param_depth or not self.dots_arrays_allowed):
                self.fail(node, MSG_DOTS_ARRAY, FFIError, located=True)
        if item.kind == INVALID:
            return item
        if isinstance(item, RawFunctionType):
            return self.invalid(node, "array of '%s' is not a valid type" % (item.cname,),
                                CDefError(MSG_RENDER_FUNCTION % (item.rendered,)), True, item)
        if item.kind == VOID:
            return self.invalid(node, "array of 'void' is not a valid type",
                                ValueError("array item of unknown size: 'void'"), True)
        if item.kind == ARRAY and item.length is None:
            message = "array item of unknown size: '%s'" % (item.cname,)
            return self.invalid(node, message, ValueError(message), True)
        if isinstance(length, int) and length < 0:
            return self.invalid(node, "negative array length %d" % (length,),
                                ValueError("negative array length"), True)
        return TYPES.array(item, length)

    def decayed_array(self, node):
        """A parameter declared as an array: a pointer to its item (which may be incomplete)."""
        if node.dim is not None and self.evaluate(node.dim, allow_dots=True) is Ellipsis:
            self.fail(node, MSG_DOTS_ARRAY, FFIError, located=True)
        item = self.resolve(node.type)
        if isinstance(item, RawFunctionType):       # an array of functions: none decays
            return self.invalid(node, "array of '%s' is not a valid type" % (item.cname,),
                                CDefError(MSG_RENDER_FUNCTION % (item.rendered,)), True, item)
        return TYPES.pointer(item)

    def invalid(self, node, message, type_string_error, declarable=False, function=None):
        """An invalid type: in a type string (ffi.typeof()...), cffi's exception for it.  One
        cffi's cdef() accepts (`declarable`) is an InvalidType raising that exception where it
        is used (a struct member: the struct's, when the struct is used); a generated module
        names the `function` type that stands where it cannot, as cffi's do."""
        if self.type_string:
            raise type_string_error
        if declarable:
            if self.struct_depth:
                raise _Deferred(type_string_error)
            return make_type(InvalidType, message, type_string_error, None if function is None
                             else CompiledFFIError(MSG_FUNCTION_TYPE % (function.cname,)))
        self.fail(node, message)

    def function(self, node):
        """FuncDecl: the raw function type (arguments decay; `(void)` and `()` mean none)."""
        result = self.resolve(node.type)
        if result.kind == INVALID:
            return result
        if isinstance(result, RawFunctionType):
            return self.invalid(node, "a function cannot return '%s'" % (result.cname,),
                                CDefError(MSG_RENDER_FUNCTION % (result.rendered,)), True,
                                result)
        if result.kind == ARRAY:
            return self.invalid(node, "a function cannot return '%s'" % (result.cname,),
                                TypeError("invalid result type: '%s'" % (result.cname,)), True)
        params = node.args.params if node.args is not None else []
        args, ellipsis = [], False
        self.param_depth += 1
        try:
            for index, param in enumerate(params):
                if type(param) is c_ast.EllipsisParam:
                    ellipsis = True
                    continue
                if type(param) is c_ast.ID:
                    self.fail(param, MSG_UNTYPED_ARG % (_declared_name(node), index + 1,
                                                        param.name))
                if type(param.type) is c_ast.ArrayDecl:     # decays: `void[3]` is `void *`
                    ctype = self.decayed_array(param.type)
                else:
                    ctype = self.resolve(param.type)
                if ctype.kind == VOID:
                    if len(params) == 1:
                        break
                    self.invalid(param, "'void' must be the only parameter",
                                 TypeError("ctype 'void' has incomplete type"))
                args.append(ctype)
        finally:
            self.param_depth -= 1
        if ellipsis and not args:
            self.fail(node, "a function with only '(...)' as argument is not correct C")
        if any(t.kind in (STRUCT, UNION) and t._fields is None for t in args + [result]):
            self.work.has_placeholders = True   # (abi_error() refuses it while still opaque)
        return TYPES.raw_function(args, result, ellipsis)

    # -- Const-ness ----
    def is_const(self, node):
        """True when the declared object itself is const (`const int x`, `char *const p`)."""
        cls = type(node)
        if cls is c_ast.PtrDecl:
            return "const" in node.quals
        if cls is c_ast.TypeDecl:
            if "const" in node.quals:
                return True
            inner = node.type
            return type(inner) is c_ast.IdentifierType and len(inner.names) == 1 \
                and inner.names[0] in self.work.const_typedefs
        return False

    def has_const_items(self, node):
        """For arrays, whether the items are const (`const int a[5]`)."""
        while type(node) is c_ast.ArrayDecl:
            node = node.type
            if self.is_const(node):
                return True
        return False

    # -- Structs, unions, enums ----
    def tag_type(self, node):
        """Struct/Union/Enum node: the type it names, declares or defines."""
        ctype = self.tags.get(id(node))
        if ctype is None:
            if type(node) is c_ast.Enum:
                ctype = self.enum_type(node)
            else:
                ctype = self.struct_type(node, _TAG_KINDS[type(node)])
            self.tags[id(node)] = ctype
        return ctype

    def anonymous_name(self, node):
        """(name, cname) for an anonymous tag: its typedef's name, or '$N' as cffi numbers them."""
        typedef_name = self.typedef_tag_names.get(id(node))
        if typedef_name is not None:
            return "$" + typedef_name, typedef_name
        self.work.anonymous_count += 1
        return "$%d" % (self.work.anonymous_count,), None

    def new_tag(self, kind, name):
        """Find or create (opaque) the named struct/union; it is registered in `types`."""
        key = "%s %s" % (kind, name)
        ctype = self.work.types.get(key)
        if ctype is None:
            ctype = make_type(StructOrUnionType, kind, name, cname=self.renames.get(key))
            self.work.types[key] = ctype
            self.work.order.append((kind, name))
        return ctype

    def struct_type(self, node, kind):
        """A struct or union: a reference, a forward declaration or a definition."""
        if node.name is None:
            name, cname = self.anonymous_name(node)
            ctype = make_type(StructOrUnionType, kind, name, cname=cname)
        else:
            ctype = self.new_tag(kind, node.name)
            if node.decls is not None and (ctype._fields is not None or ctype in self.work.pending
                                           or ctype in self.work.broken):
                self.fail(node, "duplicate declaration of %s %s" % (kind, node.name))
        if node.decls is not None:
            self.queue_body(ctype, node)
        return ctype

    def queue_body(self, ctype, node):
        """Resolve the members now; the layout is computed at the end (complete_pending).

        Problems cffi only reports when the type is first used (a void member, a duplicate
        name, a bad bit field...) make the struct `broken`: the cdef succeeds, the struct stays
        opaque and parse_type() raises the recorded error when the struct is named.
        """
        fields, partial, seen = [], False, set()
        self.struct_depth += 1
        try:
            for index, member in enumerate(node.decls):
                if type(member) is not c_ast.Decl:
                    self.unexpected(member)
                if member.name == grammar.MARK_DOTS:
                    partial = True
                    continue
                field = self.member(ctype, member, index, seen)
                if field is not None:
                    fields.append(field)
            _check_flexible_array(ctype, fields)
        except _Deferred as deferred:
            self.work.broken[ctype] = deferred.error
            self.work.has_placeholders = True
            return
        finally:
            self.struct_depth -= 1
        if partial and any(bits >= 0 for _, _, bits in fields):
            self.fail(node, "<%s>: using both bitfields and '...;'" % (ctype.cname,),
                      NotImplementedError)
        where = self.prep.where(self.line(node))
        self.work.pending[ctype] = (fields, partial, self.packed, self.pack, where)

    def member(self, owner, member, index, seen):
        """(name, ctype, bitsize) of one member, or None for a tag declared inside."""
        if member.name is None and type(member.type) in _TAG_KINDS and member.bitsize is None:
            ftype = self.tag_type(member.type)
            if member.type.name is not None or type(member.type) is c_ast.Enum:
                return None                           # `struct t {...};` inside: declares t
            for name in _flattened_names(self.work.pending, ftype):  # (joins the owner's)
                if name in seen:
                    raise _Deferred(KeyError("duplicate field name '%s'" % (name,)))
                seen.add(name)
            return ("$%d" % (index,), ftype, -1)       # anonymous member, flattened by layout
        ftype = self.resolve(member.type)
        name = member.name or ""
        inner = ftype
        while inner.kind in (POINTER, ARRAY):
            inner = inner.item
        if inner.kind == INVALID:               # (an array of functions...: when it is used)
            raise _Deferred(inner.error)
        if isinstance(ftype, RawFunctionType):
            self.fail(member, "field '%s.%s' is a function type: use a function pointer"
                      % (owner.cname, name))
        if ftype.kind == VOID:
            raise _Deferred(TypeError("field '%s.%s' has ctype 'void' of unknown size"
                                      % (owner.cname, name)))
        bitsize = -1
        if member.bitsize is not None:
            bitsize = self.evaluate(member.bitsize)
            _check_bitfield(owner, name, ftype, bitsize)
        elif not name:
            self.fail(member, "a member of '%s' has no name" % (owner.cname,))
        if name and name in seen:
            raise _Deferred(KeyError("duplicate field name '%s'" % (name,)))
        seen.add(name)
        return (name, ftype, bitsize)

    def complete_pending(self):
        """Lay out every struct body whose by-value members are known, until none is left."""
        pending = self.work.pending
        progress = True
        while progress:
            progress = False
            for ctype, (fields, partial, packed, pack, where) in list(pending.items()):
                readiness = max([_readiness(f[1]) for f in fields], default=READY)
                if readiness == WAITING:
                    continue
                if ctype not in self.touched:
                    self.touched[ctype] = _snapshot(ctype)
                if partial or readiness == COMPILER:
                    partial = self.work.has_placeholders = True
                try:
                    ctype.complete(fields, packed=packed, pack=pack, partial=partial)
                except (CDefError, FFIError) as exc:
                    _restore(ctype, self.touched[ctype])
                    self.work.broken[ctype] = TypeError("%s: %s" % (where, exc))
                    self.work.has_placeholders = True
                del pending[ctype]
                progress = True
        for ctype in [t for t in pending if _contains_itself(t, pending)]:
            del pending[ctype]
            self.work.has_placeholders = True
            self.work.broken[ctype] = NotImplementedError(
                "recursive structure declaration for '%s'" % (ctype.name,))
        if pending:         # waiting for a later cdef(): refused when used meanwhile (cffi)
            self.work.has_placeholders = True

    def enum_type(self, node):
        """An enum: reference, forward declaration or definition; enumerators are constants."""
        if node.name is None:
            name, cname = self.anonymous_name(node)
            key = None
        else:
            name, key = node.name, "enum " + node.name
            existing = self.work.types.get(key)
            ctx = self.typedef_ctx          # an enum created by `typedef enum e ... t;` is 't'
            cname = ctx[0] if ctx is not None and ctx[1].type is node else None
            if node.values is None and existing is not None:
                return existing
            if existing is not None:        # even with override=True, as in cffi
                self.fail(node, MSG_ENUM_LATER % (name,), NotImplementedError)
        if key is not None and key not in self.work.types:
            self.work.order.append(("enum", name))
        if node.values is None:
            ctype = make_type(EnumType, name, [], base=TYPES.primitive("unsigned int"),
                              cname=cname)
        else:
            ctype = self.enum_body(node, name, cname)
        if key is not None:
            self.work.types[key] = ctype
        return ctype

    def enum_body(self, node, name, cname):
        """Evaluate the enumerators, make the type and declare them as constants."""
        values, local, partial, following = [], {}, False, 0
        enumerators = node.values.enumerators
        for index, enumerator in enumerate(enumerators):
            if enumerator.name == grammar.MARK_DOTS:
                if index != len(enumerators) - 1:
                    self.fail(enumerator, "'...' must be the last item of an enum")
                partial = True
                continue
            value = following
            if enumerator.value is not None:
                value = self.evaluate(enumerator.value, local, allow_dots=True)
            if value is Ellipsis:
                partial = True
            local[enumerator.name] = value
            values.append((enumerator.name, value))
            following = value + 1 if value is not Ellipsis else Ellipsis
        if partial:
            values = [(n, Ellipsis) for n, _ in values]
            self.work.has_placeholders = True
            ctype = make_type(EnumType, name, values, base=TYPES.primitive("int"),
                              partial=True, cname=cname)
        else:
            numbers = [v for _, v in values]
            base = TYPES.primitive(enum_base_name(numbers))
            ctype = make_type(EnumType, name, values, base=base, cname=cname)
            if numbers and not _fits_64_bits(min(numbers), max(numbers)):
                self.work.broken[ctype] = CDefError(       # (raised when the type is used)
                    "%s values don't all fit into either 'long' or 'unsigned long'"
                    % (ctype.cname,))
                self.work.has_placeholders = True
        for key, value in values:
            self.add_constant(key, (ctype, value), enumerators[0])
        return ctype

    HANDLERS = {c_ast.Decl: declaration, c_ast.Typedef: typedef}
    RESOLVERS = {c_ast.TypeDecl: base_type, c_ast.PtrDecl: pointer, c_ast.ArrayDecl: array,
                 c_ast.FuncDecl: function, c_ast.Typename: typename,
                 c_ast.Struct: tag_type, c_ast.Union: tag_type, c_ast.Enum: tag_type}


_TAG_KINDS = {c_ast.Struct: "struct", c_ast.Union: "union", c_ast.Enum: "enum"}


def _fits_64_bits(lowest, highest):
    """Whether enum values all fit a 64-bit `long` or all an `unsigned long` (cffi's test)."""
    if lowest < 0:
        return lowest >= -(1 << 63) and highest < (1 << 63)
    return highest < (1 << 64)
