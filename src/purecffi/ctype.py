"""C types as immutable, interned data: kinds, C spelling (cname) and introspection.

Structural types (primitives, pointers, arrays, function pointers) are interned in one table, so
`ffi.typeof("int*") is ffi.typeof("int *")`.  Struct, union and enum types are nominal: each
declaration makes its own object.  Types never call into the runtime; `runtime.prepare()` attaches
the per-type accessors (in `_rt`) the first time a type is used for data.

The spelling rule: every type is `prefix + suffix`, and a declarator (a name, or `*`) goes between
the two.  A pointer to an array or function wraps its star in parentheses.
"""
import sys
import threading
import weakref

from . import platform as plat
from .cdatabase import CFFI_TYPE_NAMES, name_as_cffi_class, tp_name
from .errors import CDefError, CompiledFFIError, FFIError
from .lazy import BUILD_LOCK

TYPE_CHECKING = False

_new_object = object.__new__


def make_type(cls, *args, **kwargs):
    """A new type of the kind `cls` (the classes refuse to be called from Python, as cffi's)."""
    ctype = _new_object(cls)
    ctype.__init__(*args, **kwargs)
    return ctype


# -- Kinds ----
PRIMITIVE, POINTER, ARRAY, VOID, STRUCT, UNION, ENUM, FUNCTION = (
    "primitive", "pointer", "array", "void", "struct", "union", "enum", "function")
INVALID = "invalid"      # (InvalidType: declared in cdef(), refused when used)


class CType:
    """Base of all C types; `kind`, `cname` and the layout (`byte_size`, `byte_align`)."""

    __slots__ = ("kind", "_prefix", "_suffix", "_rt", "__weakref__")

    if TYPE_CHECKING:       # the introspection attributes (spec 8.2); each kind has some
        kind: str
        item: CType
        length: int | None
        fields: list[tuple[str, CField]] | None
        args: tuple[CType, ...]
        result: CType
        ellipsis: bool
        abi: int
        elements: dict[int, str]
        relements: dict[str, int]

    def __new__(cls, *args, **kwargs):
        """Refused, as in cffi: types are made by the ffi (with `make_type()`)."""
        raise TypeError("cannot create '%s' instances" % (tp_name(cls),))     # (cffi's)

    def __reduce_ex__(self, protocol):
        """Refused, as in cffi (so copy.copy() and pickle.dumps() refuse too: types are
        interned, a copy would be a second, different type)."""
        raise TypeError("cannot pickle '_cffi_backend.CType' object")    # (cffi's class)

    def __reduce__(self):
        """Refused, as in cffi."""
        raise TypeError("cannot pickle 'CType' object")

    def __setattr__(self, name, value):
        """The introspection attributes are read-only once set (types are immutable data)."""
        if name in _READ_ONLY:
            _refuse_if_set(self, name)
        elif name == "cname":
            raise read_only(name)
        try:
            object.__setattr__(self, name, value)
        except AttributeError as exc:
            raise _as_python_words(exc, self, name) from None

    def __delattr__(self, name):
        """The introspection attributes cannot be deleted."""
        if name in _READ_ONLY or name == "cname":
            raise read_only(name)
        try:
            object.__delattr__(self, name)
        except AttributeError as exc:
            raise _as_python_words(exc, self, name) from None

    # -- Spelling ----
    @property
    def cname(self):
        """The C spelling of the type, as cffi writes it."""
        return self._prefix + self._suffix

    def spell(self, extra=""):
        """Spell a declaration of `extra` (a name, '*', '[5]'...) with this type."""
        if not extra:
            return self.cname
        if extra[0] == "*" and self.kind == ARRAY:
            extra = "(" + extra + ")"
        sep = "" if extra[0] in "[(" else " "
        return self._prefix + sep + extra + self._suffix

    def __repr__(self):
        return "<ctype '%s'>" % (self.cname,)

    def __dir__(self):
        """The introspection attributes of this kind of type (spec 7.2), as cffi lists them."""
        return sorted(name for name in _READ_ONLY | {"cname"} if hasattr(self, name))

    # -- Layout (overridden where it is known) ----
    @property
    def byte_size(self):
        """sizeof(type), or -1 where it is not known (opaque, open array)."""
        return -1

    @property
    def byte_align(self):
        """alignof(type)."""
        raise FFIError("ctype '%s' has no alignment (incomplete type)" % (self.cname,))

    def is_opaque(self):
        """True when the type's layout is unknown (void, opaque struct, API-mode placeholder)."""
        return False

    # -- Helpers for the runtime ----
    @property
    def is_pointer_like(self):
        """Pointers and function pointers, which hold an address."""
        return self.kind in (POINTER, FUNCTION)


_READ_ONLY = frozenset(("kind", "item", "length", "fields", "args", "result", "ellipsis", "abi",
                        "elements", "relements"))


def _refuse_if_set(ctype, name):
    """AttributeError if `name` is set on `ctype`, or is not an attribute of its kind."""
    try:
        object.__getattribute__(ctype, name)
    except AttributeError:
        if type(getattr(type(ctype), name, None)) is not property:
            return                      # a slot not filled yet (a struct being completed)
    raise read_only(name)


def read_only(name):
    """cffi's error for writing or deleting an introspection attribute of a ctype."""
    return AttributeError("attribute '%s' of 'CType' objects is not writable" % (name,))


def _absent(name):
    """An introspection attribute a kind of type lacks: cffi's AttributeError, which is just
    the name (the kinds that have it hold it in a slot, which takes precedence)."""
    def get(self):
        raise AttributeError(name)
    return property(get, doc="Not an attribute of this kind of type.")


for _name in _READ_ONLY - {"kind"}:
    setattr(CType, _name, _absent(_name))
del _name


def _init_slots(ctype, **values):
    """Set the attributes of a type being constructed, skipping CType.__setattr__'s read-only
    check (nothing is set yet): one call instead of one Python-level __setattr__ per slot,
    which halves the cost of building types (loading a generated module builds ~1000)."""
    set_slot = object.__setattr__
    for name, value in values.items():
        set_slot(ctype, name, value)


class VoidType(CType):
    """`void`."""

    __slots__ = ()

    def __init__(self):
        self.kind = VOID
        self._prefix, self._suffix = "void", ""
        self._rt = None

    def is_opaque(self):
        return True


class InvalidType(CType):
    """A type cdef() accepts but no C type is (an array of functions, a function returning a
    function or an array): as with cffi, declaring it is fine and each use of what has it
    raises `error`, cffi's (decls.unbuildable_error())."""

    __slots__ = ("error", "compiled_error")

    def __init__(self, cname, error, compiled_error=None):
        """`compiled_error`: what a generated module's ffi raises instead (its own words)."""
        _init_slots(self, kind=INVALID, _prefix=cname, _suffix="", _rt=None, error=error,
                    compiled_error=compiled_error or error)

    def is_opaque(self):
        return True


class PrimitiveType(CType):
    """An integer, character, boolean, floating or complex type."""

    __slots__ = ("name", "category", "_size", "_align", "signed")

    def __init__(self, name):
        self.kind = PRIMITIVE
        self.name = name
        self.category, self._size, self._align, self.signed = plat.PRIMITIVES[name]
        self._prefix, self._suffix = name, ""
        self._rt = None

    @property
    def byte_size(self):
        return self._size

    @property
    def byte_align(self):
        return self._align


class UnknownNumberType(CType):
    """`typedef int... t;` or `typedef float... t;`: a number type only the C compiler knows."""

    __slots__ = ("name", "is_float", "layout_error")

    def __init__(self, name, is_float):
        self.kind = PRIMITIVE
        self.name, self.is_float = name, is_float
        self.layout_error = None        # API mode: what the compiler says is wrong with it
        self._prefix, self._suffix = name, ""
        self._rt = None

    def is_opaque(self):
        return True

    @property
    def byte_align(self):
        raise opaque_error(self)


class PointerType(CType):
    """`T *` (for T not a function type: see FunctionPtrType)."""

    __slots__ = ("item",)

    def __init__(self, item):
        if item.kind == ARRAY:
            prefix, suffix = item._prefix + "(*", ")" + item._suffix
        else:
            prefix, suffix = item._prefix + " *", item._suffix
        _init_slots(self, kind=POINTER, item=item, _prefix=prefix, _suffix=suffix, _rt=None)

    @property
    def byte_size(self):
        return plat.POINTER_SIZE

    @property
    def byte_align(self):
        return plat.POINTER_ALIGN


class ArrayType(CType):
    """`T[length]`, `T[]` when `length` is None, `T[...]` (API mode) when it is Ellipsis."""

    __slots__ = ("item", "length")

    def __init__(self, item, length):
        shown = "" if length is None else "..." if length is Ellipsis else length
        _init_slots(self, kind=ARRAY, item=item, length=length, _prefix=item._prefix,
                    _suffix="[%s]%s" % (shown, item._suffix), _rt=None)

    @property
    def byte_size(self):
        if self.length is None or self.length is Ellipsis:
            return -1
        return self.length * self.item.byte_size

    @property
    def byte_align(self):
        return self.item.byte_align

    def is_opaque(self):
        return self.length is Ellipsis or self.item.is_opaque()


class RawFunctionType(CType):
    """A C function type `R(args)`: only as a step to a function pointer or a declaration."""

    __slots__ = ("args", "result", "ellipsis", "abi")

    def __init__(self, args, result, ellipsis, abi=None):
        args = tuple(args)
        _init_slots(self, kind=FUNCTION, args=args, result=result, ellipsis=ellipsis,
                    abi=plat.DEFAULT_ABI if abi is None else abi,
                    _prefix=result._prefix + "(",
                    _suffix=")(%s)%s" % (_spell_args(args, ellipsis), result._suffix), _rt=None)

    @property
    def cname(self):
        return self.result._prefix + "(%s)" % (_spell_args(self.args, self.ellipsis),) \
            + self.result._suffix

    @property
    def rendered(self):
        """How cffi's errors write this type where only a pointer to it can be: 'int()(void)'."""
        return self.result._prefix + "()(%s)" % (_spell_args(self.args, self.ellipsis) or
                                                   "void",) + self.result._suffix


class FunctionPtrType(CType):
    """`R(*)(args)`: what cffi calls kind 'function' (the type of `lib.func` and callbacks)."""

    __slots__ = ("args", "result", "ellipsis", "abi", "raw")

    def __init__(self, raw):
        _init_slots(self, kind=FUNCTION, raw=raw, args=raw.args, result=raw.result,
                    ellipsis=raw.ellipsis, abi=raw.abi, _prefix=raw.result._prefix + "(*",
                    _suffix=")(%s)%s" % (_spell_args(raw.args, raw.ellipsis),
                                         raw.result._suffix), _rt=None)

    @property
    def byte_size(self):
        return plat.POINTER_SIZE

    @property
    def byte_align(self):
        return plat.POINTER_ALIGN


def _spell_args(args, ellipsis):
    parts = [a.cname for a in args]
    if ellipsis:
        parts.append("...")
    return ", ".join(parts)


def c_signature(name, fntype):
    """The C declaration of function `name` as cffi's docstrings spell it: `int *f(char *)`,
    `void g()` (no `void` for an empty list, no space after a `*`)."""
    result, args = fntype.result, ", ".join(t.cname for t in fntype.args)
    declarator = "%s(%s)" % (name, args)
    text = result.spell(declarator)
    if text.startswith(result._prefix + " " + declarator) and result._prefix.endswith("*"):
        text = result._prefix + text[len(result._prefix) + 1:]
    return text + ";"


# -- Fields of structs and unions ----
class CField:
    """One field: `type`, byte `offset`, `bitshift` and `bitsize` (-1 unless a bitfield; as in
    cffi, `bitshift` is -2 for an array of unknown or zero length, `T x[]` or `T x[0]`), `flags`."""

    __slots__ = ("name", "type", "offset", "bitshift", "bitsize", "flags", "bit_position")

    def __init__(self, name, ctype, offset, bitshift=-1, bitsize=-1, flags=0, bit_position=None):
        if bitshift == -1 and ctype.kind == ARRAY and not ctype.length:
            bitshift = -2
        _init_slots(self, name=name, type=ctype, offset=offset, bitshift=bitshift,
                    bitsize=bitsize, flags=flags,
                    bit_position=offset * 8 if bit_position is None else bit_position)

    def __dir__(self):
        """object's names and the five a program reads, as cffi lists them (not `name` and
        `bit_position`, which are purecffi's)."""
        return sorted(set(dir(object)) | {"type", "offset", "bitshift", "bitsize", "flags"})

    def add_flags(self, flags):
        """Set more flags on a field being laid out (before its type is published)."""
        object.__setattr__(self, "flags", self.flags | flags)

    def __setattr__(self, name, value):
        """Read-only, as cffi's fields (a layout is data shared by every user of the type)."""
        raise _field_read_only(name)

    def __delattr__(self, name):
        """Read-only, as cffi's fields."""
        raise _field_read_only(name)

    def __reduce_ex__(self, protocol):
        """Refused, as in cffi (copy.copy() and pickle.dumps() too)."""
        raise TypeError("cannot pickle '_cffi_backend.CField' object")

    def __reduce__(self):
        """Refused, as in cffi."""
        raise TypeError("cannot pickle 'CField' object")

    def __repr__(self):
        """cffi's repr (as `ffi.buffer`'s, it names cffi's module)."""
        return "<_cffi_backend.CField object at 0x%x>" % (id(self),)


_FIELD_ATTRIBUTES = frozenset(("type", "offset", "bitshift", "bitsize", "flags"))


def _field_read_only(name):
    """cffi's error for writing or deleting an attribute of a field (CField)."""
    if name in _FIELD_ATTRIBUTES:
        return AttributeError("readonly attribute")
    return AttributeError("'_cffi_backend.CField' object has no attribute '%s'%s"
                          % (name, _NO_DICT))


# what Python adds, from 3.13 on, to its error for an unknown attribute set on an object
# with no __dict__ (but not when object.__setattr__ is called explicitly)
_NO_DICT = " and no __dict__ for setting new attributes" if sys.version_info >= (3, 13) else ""


def _as_python_words(exc, obj, name):
    """The AttributeError `exc` of object.__setattr__/__delattr__, worded as Python words it
    when the attribute is set or deleted directly (as on cffi's types)."""
    if _NO_DICT and str(exc) == "'%s' object has no attribute '%s'" % (tp_name(type(obj)), name):
        return AttributeError(str(exc) + _NO_DICT)
    return exc


_LAY_OUT = []   # layout.lay_out, registered when layout.py is imported (it imports this module)


def set_layout_rule(lay_out):
    """Register the function laying out a struct from its declared fields (layout.py)."""
    _LAY_OUT[:] = [lay_out]


class StructOrUnionType(CType):
    """A struct or union, declared (opaque) first and completed by `complete()`.

    `fields` (`_fields` inside) is None while the type is opaque.  `partial` marks an API-mode
    `...;` struct whose layout only the C compiler knows.  `layout_error` (API mode) is the
    message of a cdef() layout the compiler disagrees with: the type is then unusable, as an
    opaque one.  `generated`: declared by a generated module (API mode, out-of-line), whose
    opaque structs are not even read as a reference (`p[0]`: cffi's "cdata 'struct s' is
    opaque").
    """

    __slots__ = ("name", "_fields", "_size", "_align", "partial", "packed", "pack",
                 "_by_name", "anonymous", "has_bitfields", "has_flexible_array", "_decl_fields",
                 "layout_error", "generated")

    def __init__(self, kind, name, cname=None):
        _init_slots(self, kind=kind, name=name, _prefix=cname or ("%s %s" % (kind, name)),
                    _suffix="", _fields=None, _by_name=None, _size=-1, _align=-1,
                    partial=False, packed=False, pack=None,
                    anonymous=cname is not None and cname.startswith("$"),
                    has_bitfields=False, has_flexible_array=False, _decl_fields=None, _rt=None,
                    layout_error=None, generated=False)

    @property
    def fields(self):
        """The (name, CField) list, a new one each time as cffi's (None while opaque); the
        error of a struct the C compiler contradicted (API mode), as sizeof's."""
        fields = self._fields
        if self.layout_error is not None:
            raise opaque_error(self)
        return None if fields is None else list(fields)

    def is_opaque(self):
        return self._fields is None or self.partial or self.layout_error is not None

    def complete(self, decl_fields, packed=False, pack=None, partial=False, layout=None):
        """Give the type its fields: a list of (name, ctype, bitsize or -1).

        The layout (offsets, size, alignment) is computed by layout.py unless `layout` gives it
        (API mode: what the compiler reported).
        """
        with BUILD_LOCK:        # no runtime is built from half-set fields (convert.prepare)
            if self.partial and not partial and layout is not None:
                COMPLETED_PARTIAL.add(self)     # (the compiler's layout of a `...;` struct)
            self.packed, self.pack, self.partial = packed, pack, partial
            self._forget_runtime()
            self._decl_fields = list(decl_fields)
            if partial and layout is None:
                self._fields = []
                self._by_name = {}
                return
            fields, size, align = layout or _LAY_OUT[0](self, self._decl_fields, packed, pack)
            self._set_layout(fields, size, align)

    def _forget_runtime(self):
        """A completed type needs new accessors, and so does the pointer to it."""
        self._rt = None
        pointer = TYPES.get(("ptr", id(self)))
        if pointer is not None:
            pointer._rt = None

    def _set_layout(self, fields, size, align):
        """Install computed fields (flattening anonymous members for name lookup)."""
        self._fields = fields
        self._size, self._align = size, align
        self.has_bitfields = any(f.bitsize >= 0 for _, f in fields)
        self.has_flexible_array = bool(fields) and fields[-1][1].type.kind == ARRAY \
            and fields[-1][1].type.length is None
        self._by_name = dict(fields)

    def field(self, name):
        """The CField called `name` (anonymous members are flattened), or KeyError."""
        if self._by_name is None:
            raise FFIError("'%s' is opaque or not completed" % (self.cname,))
        if self.layout_error is not None:
            raise opaque_error(self)
        return self._by_name[name]

    @property
    def byte_size(self):
        if self._fields is None or (self.partial and self._size < 0) or \
                self.layout_error is not None:
            return -1
        return self._size

    @property
    def byte_align(self):
        if self._fields is None or (self.partial and self._align < 0) or \
                self.layout_error is not None:
            raise opaque_error(self)
        return self._align


class EnumType(CType):
    """`enum name`: integer values with names; size and sign chosen as the C compiler does."""

    __slots__ = ("name", "_elements", "_relements", "base", "partial")

    def __init__(self, name, enumerators, base=None, partial=False, cname=None):
        self.kind = ENUM
        self.name = name
        self._prefix, self._suffix = cname or "enum %s" % (name,), ""
        # cffi's dict orders: both built from the last enumerator back to the first, so the
        # first name of a value wins in `elements`
        backwards = list(enumerators)[::-1]
        self._relements = dict(backwards)
        self._elements = {}
        for key, value in backwards:
            self._elements[value] = key
        self.base = base or make_type(PrimitiveType, enum_base_name([v for _, v in enumerators]))
        self.partial = partial
        self._rt = None

    @property
    def elements(self):
        """{value: name}, a new dict each time as cffi's."""
        return dict(self._elements)

    @property
    def relements(self):
        """{name: value}, a new dict each time as cffi's."""
        return dict(self._relements)

    @property
    def byte_size(self):
        return self.base.byte_size

    @property
    def byte_align(self):
        return self.base.byte_align

    @property
    def signed(self):
        return self.base.signed


def enum_base_name(values):
    """The integer type gcc gives an enum with these values (unsigned when none is negative)."""
    lo, hi = min(values, default=0), max(values, default=0)
    if lo >= 0:
        return "unsigned int" if hi < 1 << 32 else "unsigned long"
    if lo >= -(1 << 31) and hi < 1 << 31:
        return "int"
    return "long"


def opaque_error(ctype, exc_type=TypeError, message="ctype '%s' is of unknown size"):
    """The error for using a type whose layout is not known here.

    API-mode placeholders raise what cffi raises for them (VerificationMissing for `...;`
    structs and `[...]` arrays, NotImplementedError for `typedef int... t`), a type the C
    compiler contradicted raises FFIError with its `layout_error`; a type that is merely
    opaque (declared, never completed) raises `exc_type` with `message` (% the type's name;
    the contexts of cffi each have theirs).
    """
    from .errors import VerificationMissing
    if getattr(ctype, "layout_error", None) is not None:
        return CompiledFFIError(ctype.layout_error)
    if isinstance(ctype, UnknownNumberType):
        return NotImplementedError(
            "'%s' is declared with '...' in the cdef: its size can only be used after "
            "compilation (API mode, ffi.set_source())" % (ctype.cname,))
    if getattr(ctype, "partial", False) or getattr(ctype, "length", None) is Ellipsis:
        return VerificationMissing(
            "'%s' has an incomplete layout ('...' in the cdef): only the C compiler knows it; "
            "use ffi.set_source() and compile (API mode) to use this type" % (ctype.cname,))
    return exc_type(message % (ctype.cname,) if "%s" in message else message)


_MAX_BYTES = plat.SSIZE_MAX     # the largest Py_ssize_t


# What Python's own messages call a type object ("'_cffi_backend.CType' object has no
# attribute 'fields'"), as cffi's messages do: the subclasses are how purecffi is organised,
# not something to show.
for _cls in (CType, VoidType, InvalidType, PrimitiveType, UnknownNumberType, PointerType,
             ArrayType, RawFunctionType, FunctionPtrType, StructOrUnionType, EnumType):
    name_as_cffi_class(_cls, "CType")
    CFFI_TYPE_NAMES[_cls] = "_cffi_backend.CType"           # (as cffi's messages name them)
name_as_cffi_class(CField, "CField")
CFFI_TYPE_NAMES[CField] = "_cffi_backend.CField"


# -- The intern table ----
# the partial structs (`...;`) completed by the compiler's layout: written as partial again
# when a module includes them (serialize.py), so that its compiler lays them out again
COMPLETED_PARTIAL = weakref.WeakSet()
# the types a type string has named (ffi.typeof(), ffi.new()...): cffi has built them, and
# a later typedef does not rename a struct they spell (cdef_structs.rename_tag)
NAMED = weakref.WeakSet()


class _KeyedRef(weakref.ref):
    """A weak reference to an interned type that knows its key in the table (one object per
    type, where a callback closure per key would be three for the collector to visit)."""

    __slots__ = ("key",)

    def __new__(cls, obj, callback, key):
        return super().__new__(cls, obj, callback)

    def __init__(self, obj, callback, key):
        super().__init__(obj, callback)
        self.key = key


class TypeTable:
    """Interns structural types so that equal types are the same object, while one lives.

    The table holds weak references: a type nobody uses any more dies (as cffi's do), and its
    entry goes with it.  Keys name their component types by `id()`: a key holding them would
    keep alive a type whose own fields lead back to what the key names (`struct s { struct s
    *next; }` through `struct s *`).  An id stays unique while its entry lives, since the
    interned type holds its components.
    """

    def __init__(self):
        self._lock = threading.RLock()     # reentrant: a type may die (and be forgotten)
        self._table = {}                    # during a collection inside _intern; key -> weakref
        self._forget_dead = self._forget    # (one bound method shared by every weakref)
        self.void = make_type(VoidType)
        self.primitives = {name: make_type(PrimitiveType, name) for name in plat.PRIMITIVES}

    def get(self, key):
        """The live type interned under `key`, or None."""
        ref = self._table.get(key)
        return ref() if ref is not None else None

    def _intern(self, key, factory):
        ref = self._table.get(key)
        t = ref() if ref is not None else None
        if t is None:
            with self._lock:
                t = self.get(key)
                if t is None:
                    t = factory()
                    self._table[key] = _KeyedRef(t, self._forget_dead, key)
        return t

    def _forget(self, ref):
        """The weakref callback removing the entry of a dead type (unless replaced since)."""
        with self._lock:
            if self._table.get(ref.key) is ref:
                del self._table[ref.key]

    def made_from_index(self):
        """{id(type): the live interned types made directly from it (a pointer to it, an array
        or a function of it...)}, for `made_from()`."""
        with self._lock:        # a copy: a collection during the loop may forget dead types
            table = self._table.copy()                  # (in this thread: the lock is reentrant)
        entries = [(key, ref()) for key, ref in table.items()]
        index = {}
        for key, derived in entries:
            if derived is not None:
                for part in key[1:3] if key[0] == "fn" else key[1:2]:     # (the type ids)
                    for p in (part if part.__class__ is tuple else (part,)):
                        index.setdefault(p, []).append(derived)
        return index

    @staticmethod
    def made_from(t, index):
        """The types made from `t`, directly or through each other, in `made_from_index()`:
        those whose spelling includes `t`'s."""
        made, found, todo = [], {id(t)}, [t]
        while todo:
            for derived in index.get(id(todo.pop()), ()):
                if id(derived) not in found:
                    found.add(id(derived))
                    made.append(derived)
                    todo.append(derived)
        return made

    def primitive(self, name):
        """The primitive type called `name` (already normalised)."""
        return self.primitives[plat.ALIASES.get(name, name)]

    def pointer(self, item):
        """`item *` (a function pointer when item is a raw function type)."""
        if isinstance(item, RawFunctionType):
            return self.function_pointer(item)
        return self._intern(("ptr", id(item)), lambda: make_type(PointerType, item))

    def array(self, item, length):
        """`item[length]` (length None for `item[]`)."""
        if isinstance(length, int) and length < 0:
            raise CDefError("negative array length %d" % (length,))
        if isinstance(length, int) and length > _MAX_BYTES:
            raise OverflowError("cannot fit 'int' into an index-sized integer")     # (cffi's)
        if isinstance(length, int) and item.byte_size > 0 \
                and length * item.byte_size > _MAX_BYTES:
            raise OverflowError("array size would overflow a Py_ssize_t")
        return self._intern(("arr", id(item), length),
                            lambda: make_type(ArrayType, item, length))

    def raw_function(self, args, result, ellipsis, abi=None):
        """The C function type `result(args)`; array/function arguments decay to pointers."""
        args = tuple(self.decay(a) for a in args)
        abi = plat.DEFAULT_ABI if abi is None else abi      # one key for the default ABI
        key = ("fn", tuple(map(id, args)), id(result), bool(ellipsis), abi)
        return self._intern(key, lambda: make_type(RawFunctionType, args, result, ellipsis, abi))

    def function_pointer(self, raw):
        """`R(*)(args)` for the raw function type `raw`."""
        return self._intern(("fnptr", id(raw)), lambda: make_type(FunctionPtrType, raw))

    def decay(self, ctype):
        """The type of a function argument declared as `ctype` (arrays and functions decay)."""
        if ctype.kind == ARRAY:
            return self.pointer(ctype.item)
        if isinstance(ctype, RawFunctionType):
            return self.function_pointer(ctype)
        return ctype


TYPES = TypeTable()
