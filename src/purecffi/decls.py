"""Declarations of one FFI (what cdef() produced), without the parser: loading this module
never imports pycparser, so the runtime of a generated out-of-line module can use it.

Also here: the default type names (spec 8.1), primitive types spelled with C keywords, and the
checks parse_type() makes before handing out a type (ABI-mode errors, the guessed-enum warning).
"""
import warnings

from . import platform as plat
from .ctype import (ARRAY, ENUM, INVALID, PRIMITIVE, STRUCT, TYPES, UNION, StructOrUnionType,
                    UnknownNumberType, make_type)
from .errors import CDefError, FFIError, VerificationMissing

__all__ = ["Declarations", "DEFAULT_TYPES", "FILE_TYPE", "primitive_type", "spelling",
           "is_integer_constant", "declared_by_includes"]


# -- Default types (spec 8.1): defaults only, a user typedef may redefine them ----
FILE_TYPE = make_type(StructOrUnionType, "struct", "$FILE", cname="FILE")

DEFAULT_TYPES = {name: FILE_TYPE if name == "FILE" else TYPES.primitive(name)
                 for name in plat.DEFAULT_TYPEDEF_NAMES}

# -- Messages (cffi's wording where cffi has one) ----
MSG_MULTIPLE = ("multiple declarations of %s %s (for interactive usage, try cdef(xx, "
                "override=True))")
MSG_MULTIPLE_CONSTANT = "multiple declarations of constant: %s"

MSG_OPAQUE_ENUM = ("'%s' has no values explicitly defined; guessing that it is equivalent to "
                   "'unsigned int'")


# -- Primitive spellings: what cffi makes of C keywords ----
_NAMES = frozenset([
    "void", "_Bool", "char", "signed char", "unsigned char", "short", "unsigned short", "int",
    "unsigned int", "long", "unsigned long", "long long", "unsigned long long", "float",
    "double", "long double", "float _Complex", "double _Complex"])
_MODIFIERS = frozenset(["short", "long", "signed", "unsigned"])
_PRIMITIVE_CACHE = {}


def primitive_type(words):
    """The type spelled by C keywords ('long unsigned int'), or None if cffi refuses them."""
    key = tuple(words)
    ctype = _PRIMITIVE_CACHE.get(key)
    if ctype is None:
        name = spelling(words)
        if name not in _NAMES:
            return None
        ctype = _PRIMITIVE_CACHE[key] = TYPES.void if name == "void" else TYPES.primitive(name)
    return ctype


def spelling(words):
    """The name cffi makes of C keywords `words` (its rules, as seen from outside): the words
    as written if they name a type; else the leading short, long, signed and unsigned modify
    the other words (`int` if none): 'signed' is dropped, 'unsigned' goes first, then the
    shorts, then the longs, and a lone `int` after a short or long is dropped."""
    name = " ".join(words)
    if name in _NAMES:
        return name
    count = 0
    while count < len(words) and words[count] in _MODIFIERS:
        count += 1
    modifiers = list(words[:count])
    sizes = ["short"] * modifiers.count("short") + ["long"] * modifiers.count("long")
    base = " ".join(words[count:]) or "int"
    return " ".join(["unsigned"] * modifiers.count("unsigned") + sizes
                    + ([] if sizes and base == "int" else [base]))


# -- Declarations ----
class Declarations:
    """Everything an FFI instance knows from its cdef() calls (mutable, owned by one FFI).

    types          name -> CType; typedef names ("foo_t") and tags ("struct foo", "union foo",
                   "enum foo")
    typedef_names  user typedef names in declaration order
    functions      name -> FunctionPtrType
    variables      name -> (ctype, is_const): is_const when the items of an array are const
                   (a global that is itself const is a constant, as in cffi)
    constants      name -> (ctype or None, value); value is Ellipsis when only the compiler knows
    hidden_values  name -> the integer a #define or an enum gave a name whose constant entry is
                   a `static const T name;` of unknown value (kept to refuse another value)
    extern_python  name -> (RawFunctionType, plus_c)
    order          [(category, name)] in declaration order
    const_typedefs typedef names whose type is const-qualified (`typedef const int cint;`)
    pending        struct -> (decl_fields, partial, packed, pack, where): bodies waiting until
                   the types of by-value members are completed (by a later cdef)
    broken         struct or enum -> exception: bodies cffi rejects only when the type is
                   used (a struct stays opaque; parse_type() raises the exception when it is
                   named); an enum whose values fit no 64-bit integer type
    has_placeholders  True once a partial struct/enum, a `typedef int... t;` or a broken struct
                   exists: parse_type() then checks the types it returns (see _abi_error)
    warned_enums   enums declared without values that parse_type() already warned about
    anonymous_count  the last N of the '$N' names of anonymous structs, unions and enums
    type_cache     text -> CType for parse_type(); replaced by each cdef().  Whoever completes
                   a struct from outside (API mode) should clear it.
    declare_tags   whether naming an unknown tag in a type declares it (True for cdef(); False
                   for declarations loaded from a generated module, as cffi's compiled ffi)
    typedef_nodes  typedef name -> its pycparser declarator (for c_spellings)
    c_spellings    function name -> (result, [parameters]): their C spellings as the cdef wrote
                   them, qualifiers kept (the type model drops `const`), with '@' where the
                   declarator goes; only for the API-mode C emitter, which must call the real
                   function with the real parameter types (`const char **`...)

    Read the containers through the attributes: a cdef() replaces them.
    """

    def __init__(self):
        self.types = {}
        self.typedef_names = []
        self.functions = {}
        self.variables = {}
        self.constants = {}
        self.hidden_values = {}
        self.extern_python = {}
        self.order = []
        self.const_typedefs = set()
        self.pending = {}
        self.broken = {}
        self.warned_enums = set()
        self.has_placeholders = False
        self.anonymous_count = 0
        self.type_cache = {}
        self.declare_tags = True
        self.c_spellings = {}
        self.typedef_nodes = {}

    def copy(self):
        """A copy whose containers can change without touching this one (types are shared)."""
        new = Declarations.__new__(Declarations)
        for key, value in self.__dict__.items():
            new.__dict__[key] = value.copy() if hasattr(value, "copy") else value
        return new

    def include(self, other):
        """ffi.include(): take the typedefs, tags and constants of `other` (spec 8.6), all or
        nothing.  Functions and variables stay with `other`; the entries taken are not added
        to `order`, which lists this FFI's own declarations."""
        work = self.copy()
        # the whole tables: what `other` took from the FFIs it includes is passed on too
        for key, value in other.types.items():     # typedef names, and "struct s" tags
            _take(work.types, key, value, key if " " in key else "typedef " + key)
        for name in other.typedef_names:
            if name not in self.types:
                work.typedef_names.append(name)
                if name in other.const_typedefs:
                    work.const_typedefs.add(name)
        for name, entry in other.constants.items():
            _take(work.constants, name, entry, "constant: " + name)
        for struct, entry in other.pending.items():
            work.pending.setdefault(struct, entry)
        for struct, error in other.broken.items():
            work.broken.setdefault(struct, error)
        work.has_placeholders = self.has_placeholders or other.has_placeholders
        work.type_cache = {}
        self.__dict__.update(work.__dict__)

    def lookup_name(self, name):
        """The type a single identifier names here (user typedef, then default), or None."""
        return self.types.get(name) or DEFAULT_TYPES.get(name)


def _take(table, key, value, label):
    """Add an included entry; the same entry twice is fine, a different one is an error."""
    old = table.get(key)
    if old is None:
        table[key] = value
    elif old is not value and not _same_constant(old, value):
        if label.startswith("constant: "):
            raise FFIError(MSG_MULTIPLE_CONSTANT % (key,))
        raise FFIError(MSG_MULTIPLE % tuple(label.split(" ", 1)))


def _same_constant(old, new):
    """Two constants entries that agree: equal, or the same known integer value."""
    return isinstance(old, tuple) and (old == new or (old[1] is not Ellipsis
                                                      and old[1] == new[1]))


def hides(static, other):
    """Whether constant entry `static` is a `static const T A;` of unknown value that may stand
    beside `other`, a #define (any value) or an enum constant of the same name (as in cffi)."""
    return static[0] is not None and static[1] is Ellipsis and static[0].kind != "enum" and (
        other[0] is None or other[0].kind == "enum")


def warn_guessed_enum(decls, ctype):
    """cffi's warning when an enum declared without values (`enum e;`) is first used (also as
    the result or an argument of a function type: a callback's)."""
    pending = [ctype]
    while pending:
        ctype = pending.pop()
        while ctype.kind in ("pointer", ARRAY):
            ctype = ctype.item
        if ctype.kind == "function":
            pending.extend(reversed((ctype.result,) + tuple(ctype.args)))
        elif ctype.kind == "enum" and not ctype._relements and not ctype.partial \
                and ctype not in decls.warned_enums:
            decls.warned_enums.add(ctype)
            warnings.warn(MSG_OPAQUE_ENUM % (ctype.cname,), UserWarning, stacklevel=4)




# -- Types cffi refuses to use in ABI mode ----
def abi_error(decls, ctype):
    """The error cffi gives for using this type in ABI mode, or None.

    cffi builds a type with everything it mentions (pointed-to structs, their members,
    function arguments); that fails for what only the C compiler can complete: a partial
    struct or enum (VerificationMissing), a `typedef int... t;` type (NotImplementedError), or
    a struct whose body cffi rejects (decls.broken).
    """
    stack, seen = [ctype], set()
    while stack:
        ctype = stack.pop()
        if ctype in seen:
            continue
        seen.add(ctype)
        kind = ctype.kind
        if kind in ("pointer", ARRAY):
            stack.append(ctype.item)
        elif kind == "function":
            error = _function_error(decls, ctype)
            if error is not None:
                return error
            stack.append(ctype.result)
            stack.extend(ctype.args)
        elif isinstance(ctype, UnknownNumberType):
            return _unknown_number_error(ctype)
        elif kind == "enum" and ctype.partial:
            return VerificationMissing(ctype.cname)
        elif kind == "enum" and ctype in decls.broken:
            return decls.broken[ctype]
        elif kind in (STRUCT, UNION):
            error = decls.broken.get(ctype)
            if error is None and ctype in decls.pending:
                error = opaque_member_error(decls, ctype, set())
            if error is not None:
                return error
            fields = _member_types(decls, ctype)
            unknown = _unknown_number_member(fields)
            if unknown is not None:
                return _unknown_number_error(unknown)
            if ctype.partial:
                return VerificationMissing(ctype.cname)
            stack.extend(ftype for _, ftype, _ in fields)
    return None


def unbuildable_error(decls, ctype):
    """What cffi raises building `ctype` (abi_error(), and a function type taking or returning
    a struct or union whose body is unknown), or None.  Only pointers, arrays and function
    types are followed, not struct members: this runs for each new type string and lib name."""
    error = abi_error(decls, ctype) if decls.has_placeholders else None
    stack, seen = [ctype], set()
    while error is None and stack:
        ctype = stack.pop()
        if ctype in seen:
            continue
        seen.add(ctype)
        if ctype.kind in ("pointer", ARRAY):
            stack.append(ctype.item)
        elif ctype.kind == INVALID:
            error = ctype.error
        elif ctype.kind == "function":
            error = _function_error(decls, ctype)
            stack.append(ctype.result)
            stack.extend(ctype.args)
    return error


def _function_error(decls, ctype):
    """cffi's error for a function type taking or returning by value a struct or union whose
    body is unknown (a variadic one is checked per call), or None."""
    if ctype.ellipsis:
        return None
    if _body_unknown(decls, ctype.result):
        return TypeError("result type '%s' is not yet initialized" % (ctype.result.cname,))
    for arg in ctype.args:
        if _body_unknown(decls, arg):
            return TypeError("ctype '%s' has incomplete type" % (arg.cname,))
    return None


def _body_unknown(decls, ctype):
    """A struct or union declared without a body (a broken, partial, waiting or compiled one
    has its own error)."""
    return ctype.kind in (STRUCT, UNION) and ctype._fields is None and not ctype.partial \
        and getattr(ctype, "layout_error", None) is None and ctype not in decls.pending \
        and ctype not in decls.broken


def opaque_member_error(decls, ctype, seen):
    """cffi's error for a struct still waiting for the body of a struct or union it holds by
    value (directly, in an array, or in such a struct), or None if only waiting on others."""
    seen.add(ctype)
    for name, ftype, _ in decls.pending[ctype][0]:
        inner = ftype
        while inner.kind == ARRAY:
            inner = inner.item
        if inner.kind not in (STRUCT, UNION) or inner in seen:
            continue
        if inner in decls.pending:
            error = opaque_member_error(decls, inner, seen)
            if error is not None:
                return error
        elif inner._fields is None and not inner.partial and inner not in decls.broken:
            if inner is not ftype:
                return ValueError("array item of unknown size: '%s'" % (inner.cname,))
            return TypeError("field '%s.%s' has ctype '%s' of unknown size"
                             % (ctype.cname, name, ftype.cname))
    return None


def _member_types(decls, ctype):
    """(name, ctype, bitsize) of a struct's members as far as they are known."""
    if ctype in decls.pending:
        return decls.pending[ctype][0]
    if ctype.partial:
        return ctype._decl_fields or []
    return [(name, field.type, field.bitsize) for name, field in ctype._fields or ()]


def _unknown_number_error(ctype):
    return NotImplementedError("%s type '%s' can only be used after compilation"
                               % ("float" if ctype.is_float else "integer", ctype.name))


def _unknown_number_member(fields):
    """The `typedef int... t;` type of a member (through arrays), or None: only the compiler
    can lay out such a struct, and cffi refuses to use it in ABI mode."""
    for _, ftype, _ in fields:
        while ftype.kind == ARRAY:
            ftype = ftype.item
        if isinstance(ftype, UnknownNumberType):
            return ftype
    return None


def is_integer_constant(name, ctype):
    """Whether ffi.integer_const() gives the constant `name` of type `ctype` (None for a
    `#define`): a `#define`, an enumerator or a `static const` of an integer type, not of a
    char, wchar_t, float, pointer or enum type (as cffi's)."""
    if ctype is None:
        return True
    if ctype.kind == ENUM:
        return name in ctype._relements
    return ctype.kind == PRIMITIVE and getattr(ctype, "category", None) in (plat.INT,
                                                                            plat.BOOL)


def declared_by_includes(ffi, name):
    """Is `name` a function (extern "Python" too), variable or constant of a module `ffi`
    included (recursively)?"""
    for other in ffi._included:
        decls = other._decls
        if name in decls.functions or name in decls.variables or name in decls.constants \
                or name in decls.extern_python:
            return True
        if declared_by_includes(other, name):
            return True
    return False
