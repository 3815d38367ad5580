"""Runtime of API-mode modules: builds `ffi` and `lib` from the declarations and the facts the
compiled C module reports (addresses, layouts, constant values, sizes).

`load(module, declarations, facts)` is called by the module's PyInit.  `facts` is a dict:
    functions      name -> (how, address): 'fast'/'direct' (address of a wrapper with the
                   cdef's signature), 'pointer' (wrapper taking by-value args and result as
                   pointers), 'variadic' (the function itself)
    fast           name -> index of the METH_FASTCALL wrapper (module._pc_fast)
    variables      name -> (index for module._pc_address(), sizes of each array level)
    constants      name -> int, float, address (pointers) or bytes (other types)
    layouts        C spelling of a struct/union -> (size, align, ((field, offset, sizes), ...))
                   (sizes: sizeof the field, of its item if an array, ...)
    kinds          the same spelling -> the compiler's class of each of those fields
    numbers        name of a `typedef int.../float... t` -> (size, signed, is_float)
    enums          C spelling of a named enum -> (its size, whether it is signed)
    extern_python  name -> (index, address)
    typedefs       name of a `typedef T t[...];` -> sizes of each array level
Where the facts contradict the cdef(), apicheck.py decides what happens (see _fill_gaps()).
"""
import ctypes
import functools
import sys
import types

from . import accel
from . import cdata as _cd
from . import cdata_make as _mk
from .cast import cast as _cast
from . import platform as plat
from .cdatabase import CData, cffi_type_name, make_cdata
from .layout import FLAG_IGNORE_IN_CTOR
from .convert import prepare
from .ctype import ARRAY, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, TYPES, UNION, CField, \
    ArrayType, CType, EnumType, PointerType, RawFunctionType, UnknownNumberType, \
    make_type
from .apicheck import Mismatched, Mismatches, by_value_error, number_error, \
    number_type_error, partial_struct_differences, sized_enum_base, struct_differences
from .apidecls import load_declarations as _load_declarations
from .apiextern import ExternPython, def_extern
from .decls import declared_by_includes, is_integer_constant
from .errors import CompiledFFIError, FFIError
from .memory import memmove
from .sizes import SIZES_KEY
from .apifunctions import make_function, result_plan, struct_argument
from .apiglobals import make_global, non_null

__all__ = ["load", "def_extern", "ApiLib"]


# -- Filling the gaps with the compiler's facts ----
class _Resolver:
    """Rebuilds types that mention placeholders (`int...` types, partial enums, `[...]`)."""

    def __init__(self, decls, facts):
        self.decls, self.facts = decls, facts
        self.replaced = {}          # placeholder -> real type
        self.seen_structs = set()
        self.mismatches = Mismatches()
        self.field_anonymous = set()    # anonymous structs reached only as a field's type
        self.pointed = {}       # `T[...]` -> the array type a pointer to it points to

    def number(self, ctype):
        size, signed, is_float = self.facts["numbers"][ctype.name]
        error = number_error(ctype, size, is_float)
        if error is not None:
            ctype.layout_error = error      # unusable, as cffi's: raised when used
            return ctype
        if is_float:
            return TYPES.primitive("float" if size == 4 else "double")
        return TYPES.primitive("%sint%d_t" % ("" if signed else "u", size * 8))

    def enum(self, ctype):
        """The enum with the compiler's values and size."""
        from .ctype import enum_base_name
        values = [(name, self.enum_value(ctype, name, value))      # in declaration order
                  for name, value in reversed(ctype._relements.items())]
        numbers = [v for _, v in values]
        size, signed = self.enum_fact(ctype)
        base = sized_enum_base(enum_base_name(numbers), size, numbers, signed)
        return make_type(EnumType, ctype.name, values, base=TYPES.primitive(base),
                         cname=ctype.cname)

    def enum_value(self, ctype, name, value):
        """The compiler's value of an enumerator (noted when cdef() said another)."""
        c_value = self.facts["constants"].get(name, value)
        if value is not Ellipsis and c_value != value:
            self.mismatches.enumerator(ctype.cname, name, value, c_value)
        return c_value

    def enum_fact(self, ctype):
        """(size, signed) of a named enum as the compiler has it, None where not reported
        (verify(), and modules built by an older purecffi, report the size only)."""
        fact = self.facts.get("enums", {}).get(ctype.cname)
        if not isinstance(fact, tuple):
            return fact, None
        return fact[0], None if fact[1] < 0 else bool(fact[1])

    def enum_differs(self, ctype):
        """Whether the compiler gives an enum of cdef() other values, size or signedness (a
        value cdef() does not list may be negative)."""
        if ctype.partial:
            return True
        constants = self.facts["constants"]
        if any(constants.get(n, v) != v for n, v in ctype._relements.items()):
            return True
        size, signed = self.enum_fact(ctype)
        return size is not None and size != ctype.byte_size or \
            signed is not None and signed != ctype.base.signed

    def type(self, ctype):
        """The type with every placeholder replaced (the same object if it has none)."""
        real = self.replaced.get(ctype)
        if real is not None:
            return real
        kind = ctype.kind
        if isinstance(ctype, UnknownNumberType):
            real = self.number(ctype)
        elif kind == ENUM and self.enum_differs(ctype):
            real = self.enum(ctype)
        elif kind == POINTER:
            item = self.pointed[ctype.item] if ctype.item in self.pointed else \
                self.type(ctype.item)
            real = ctype if item is ctype.item else TYPES.pointer(item)
        elif kind == ARRAY:
            item = self.type(ctype.item)
            real = ctype if item is ctype.item else TYPES.array(item, ctype.length)
        elif kind == FUNCTION:
            raw = ctype if isinstance(ctype, RawFunctionType) else ctype.raw
            args = tuple(self.type(a) for a in raw.args)
            result = self.type(raw.result)
            if args == raw.args and result is raw.result:
                real = ctype
            else:
                new_raw = TYPES.raw_function(args, result, raw.ellipsis, raw.abi)
                real = new_raw if isinstance(ctype, RawFunctionType) else \
                    TYPES.function_pointer(new_raw)
        elif kind in (STRUCT, UNION):
            self.struct(ctype)
            real = ctype
        else:
            real = ctype
        self.replaced[ctype] = real
        return real

    def struct(self, ctype):
        """Complete a partial struct with the compiler's layout (in place: structs are nominal)."""
        if ctype in self.seen_structs:
            return
        self.seen_structs.add(ctype)
        layout = self.facts["layouts"].get(ctype.cname)
        if layout is None:
            return
        if not ctype.partial:
            if ctype._fields is not None:
                self.inner_structs(ctype)       # checked first: their errors win, as cffi's
                wrong = self.wrong_inner(ctype)
                if wrong is not None:
                    self.mismatches.contained(ctype, wrong)
                    return
                diffs = struct_differences(ctype, layout, self.classes(ctype))
                if diffs and self.takes_compiler_layout(ctype, layout):
                    self.complete(ctype, layout)
                elif diffs:
                    self.mismatches.struct(ctype, diffs)
                else:
                    self.retype_fields(ctype)
            return
        diffs = partial_struct_differences(ctype, layout,
                                           lambda ftype, sizes: sized_array(self.type(ftype), sizes),
                                           self.classes(ctype))
        self.complete(ctype, layout)
        if diffs:
            self.mismatches.struct(ctype, diffs, partial=True)  # cffi checks its field sizes

    def classes(self, ctype):
        """The compiler's class of each field of the struct's layout (None: not reported)."""
        return self.facts.get("kinds", {}).get(ctype.cname)

    def retype_fields(self, ctype):
        """The fields of an exact struct take the compiler's enums (values, signedness), at
        the same places; as cffi's set_source() (not verify()), no field is left out of list
        initializers (a list fills the members of an anonymous union one after the other)."""
        types = [self.type(field.type) for _, field in ctype._fields]
        keep = FLAG_IGNORE_IN_CTOR if self.facts.get("verify") else 0
        if not any(new is not f.type or f.flags & FLAG_IGNORE_IN_CTOR & ~keep
                   for new, (_, f) in zip(types, ctype._fields)):
            return
        fields = [(name, CField(name, new, f.offset, f.bitshift, f.bitsize,
                                f.flags & ~FLAG_IGNORE_IN_CTOR | f.flags & keep,
                                bit_position=f.bit_position))
                  for new, (name, f) in zip(types, ctype._fields)]
        ctype.complete([(name, self.type(t), bits) for name, t, bits in ctype._decl_fields],
                       ctype.packed, ctype.pack, layout=(fields, ctype._size, ctype._align))

    def inner_structs(self, ctype):
        """Check or complete the structs `ctype` holds by value."""
        for inner in _inner_structs(ctype):
            self.struct(inner)

    @staticmethod
    def wrong_inner(ctype):
        """The first struct `ctype` holds by value that the compiler contradicts, or None."""
        for inner in _inner_structs(ctype):
            if inner.layout_error is not None:
                return inner
        return None

    def takes_compiler_layout(self, ctype, layout):
        """Whether an exact struct the compiler lays out differently just takes the
        compiler's layout: an anonymous struct only reached as the type of a field (cffi
        does not check those, so an error would break what works with cffi; silently
        keeping the cdef()'s offsets would be wrong), with plain fields only."""
        return ctype in self.field_anonymous and [f[0] for f in layout[2]] == [
            name for name, _, bits in ctype._decl_fields if bits < 0 and "$" not in name]

    def complete(self, ctype, layout):
        """Give the struct the compiler's layout, keeping the cdef()'s field types; an
        anonymous member is placed where the compiler puts its first member."""
        size, align, fields = layout
        reported = {name: (offset, sizes) for name, offset, sizes in fields}
        new_fields, decl_fields = [], []
        for name, ftype, _ in ctype._decl_fields or ():
            if name.startswith("$"):
                ftype = self.type(ftype)
                leaves = ftype._fields or []
                base = _anonymous_base(leaves, reported)
                if base is not None:
                    new_fields += [(n, CField(n, f.type, base + f.offset, f.bitshift,
                                              f.bitsize, f.flags & ~FLAG_IGNORE_IN_CTOR,
                                              bit_position=base * 8 + f.bit_position))
                                   for n, f in leaves]
                    decl_fields.append((name, ftype, -1))
            elif name in reported:
                offset, sizes = reported[name]
                ftype = sized_array(self.type(ftype), sizes)
                new_fields.append((name, CField(name, ftype, offset)))
                decl_fields.append((name, ftype, -1))
        ctype.complete(decl_fields, partial=False, layout=(new_fields, size, align))


def _anonymous_base(leaves, reported):
    """The offset of an anonymous member in the compiler's struct, from the first of its
    fields (`leaves`) the compiler reported: by its offset, or for a bitfield by the byte
    holding its lowest bit (sizes None); None if none was reported."""
    for name, field in leaves:
        if name in reported:
            offset, sizes = reported[name]
            if sizes is None:
                return offset - field.bit_position // 8
            return offset - field.offset
    return None


def _inner_structs(ctype):
    """The structs and unions `ctype` holds by value (directly or as array items)."""
    for _, field in ctype._fields:
        inner = field.type
        while inner.kind == ARRAY:
            inner = inner.item
        if inner.kind in (STRUCT, UNION):
            yield inner


def sized_array(ctype, sizes):
    """`ctype` with each `[...]` length computed from the sizes the compiler reported for
    each array level (sizeof(x), sizeof(x[0]), ...)."""
    if ctype.kind != ARRAY:
        return ctype
    item = sized_array(ctype.item, sizes[1:])
    length = ctype.length
    if length is Ellipsis:
        length = sizes[0] // sizes[1] if len(sizes) > 1 and sizes[1] > 0 else 0
    if item is ctype.item and length == ctype.length:
        return ctype
    return TYPES.array(item, length)


def _array_sizes(ctype):
    """The sizes of each level of a known array type, as the C file reports them."""
    sizes = []
    while ctype.kind == ARRAY:
        sizes.append(max(ctype.byte_size, 0))
        ctype = ctype.item
    return sizes + [max(ctype.byte_size, 0)]


def _fill_gaps(decls, facts, included=()):
    """Replace every placeholder of `decls` by what the compiler reported; the Mismatches
    found on the way.  The structs of `included` Declarations are theirs to check."""
    resolver = _Resolver(decls, facts)
    foreign = reachable_structs([t for other in included for t in other.types.values()])
    resolver.seen_structs.update(foreign)
    sizes = facts.get("typedefs", {})         # `typedef int t[...];`: the compiler's lengths
    for other in included:                    # (or the included module's, known by now)
        sizes.update((k, _array_sizes(t)) for k, t in other.types.items()
                     if k not in sizes and t.kind == ARRAY and k in decls.types)
    lengths = {}                # a pointer to `T[...]` points to the typedef's, if only one
    for key, level_sizes in sizes.items():
        lengths.setdefault(decls.types[key], set()).add(tuple(level_sizes))
    resolver.pointed = {t: sized_array(resolver.type(t), next(iter(found)))
                        for t, found in lengths.items() if len(found) == 1}
    structs = [t for t in reachable_structs(decls.types.values(), resolver.field_anonymous)
               if t not in foreign]
    for ctype in structs:
        resolver.struct(ctype)
    _spread_layout_errors(structs, resolver.mismatches)
    decls.types = {key: sized_array(resolver.type(t), sizes[key]) if key in sizes else
                   resolver.type(t) for key, t in decls.types.items()}
    decls.functions = {name: resolver.type(t) for name, t in decls.functions.items()}
    decls.variables = {name: (resolver.type(t), c) for name, (t, c) in decls.variables.items()}
    constants = {}
    for name, (ctype, value) in decls.constants.items():
        if ctype is not None:
            ctype = resolver.type(ctype)
        if value is Ellipsis and name in facts["constants"]:
            value = facts["constants"][name]
        elif _checked_constant(ctype, value) and facts["constants"].get(name, value) != value:
            resolver.mismatches.constant(name, value, facts["constants"][name])
        constants[name] = (ctype, value)
    decls.constants = constants
    decls.extern_python = {name: (resolver.type(t), plus_c)
                           for name, (t, plus_c) in decls.extern_python.items()}
    decls.has_placeholders = False
    decls.type_cache = {}
    return resolver.mismatches


def reachable_structs(types, field_anonymous=None):
    """The structs and unions among `types` (the values of a Declarations' `types`), pointed
    to by one of them, or reached from those through fields (anonymous ones too: the C file
    reports their layouts as well).  Adds to `field_anonymous` the anonymous ones reached
    only through fields."""
    found, todo, direct = {}, [], set()
    for ctype in types:
        if ctype.kind == POINTER:
            ctype = ctype.item
        if ctype.kind in (STRUCT, UNION):
            todo.append(ctype)
            direct.add(ctype)
    while todo:
        ctype = todo.pop()
        if id(ctype) in found:
            continue
        found[id(ctype)] = ctype
        for _, ftype, _ in ctype._decl_fields or ():
            while ftype.kind == ARRAY:
                ftype = ftype.item
            if ftype.kind in (STRUCT, UNION):
                todo.append(ftype)
                if "$" in ftype.cname and ftype not in direct and field_anonymous is not None:
                    field_anonymous.add(ftype)
    return list(found.values())


def _checked_constant(ctype, value):
    """Whether cdef() gives an integer value the compiler's must equal (#define, integer
    `static const` and `int X = 5;`); enumerators and characters take the compiler's."""
    return isinstance(value, int) and (ctype is None or ctype.kind == PRIMITIVE and getattr(
        ctype, "category", None) in (plat.INT, plat.BOOL))


def _spread_layout_errors(structs, mismatches):
    """A struct holding an unusable struct (directly or in an array) is unusable too."""
    changed = True
    while changed:
        changed = False
        for ctype in structs:
            if ctype.layout_error is not None or not ctype._fields:
                continue
            for _, field in ctype._fields:
                inner = field.type
                while inner.kind == ARRAY:
                    inner = inner.item
                if getattr(inner, "layout_error", None) is not None:
                    mismatches.contained(ctype, inner)
                    changed = True
                    break


# -- The lib object ----
class ApiLib:
    """`lib` of an API-mode module: functions, constants and global variables of cdef().

    Each lib has its own subclass holding the global-variable descriptors and, as class
    attributes, `_pc_name` (module name), `_pc_kinds` (name -> 'function', 'variable' or
    'constant') and `_pc_addresses` (name -> (kind, ctype, address)); functions and constants
    live in the instance dict, so `lib.f` is a plain attribute lookup.
    """

    _pc_name, _pc_kinds, _pc_addresses, _pc_listed, _pc_pointers = "?", {}, {}, {}, {}
    _pc_set = object.__setattr__    # (_set_through_class where the C class has a setattro)
    # (read from the class, type(self)._pc_kinds: a C function may be named `_pc_kinds`)

    def __setattr__(self, name, value):
        cls = type(self)
        kind = cls._pc_kinds.get(name)
        if kind != "variable":
            if kind is None:
                raise AttributeError(_MSG_NO_NAME % (cls._pc_name, name))
            raise AttributeError("cannot write to function or constant '%s'" % (name,))
        cls._pc_set(self, name, value)      # the global's descriptor writes

    def __delattr__(self, name):
        cls = type(self)
        if name not in cls._pc_kinds:
            raise AttributeError(_MSG_NO_NAME % (cls._pc_name, name))
        raise AttributeError("C attribute cannot be deleted")

    def __getattr__(self, name):
        cls = type(self)
        if name == "__all__":
            return sorted(n for n, k in cls._pc_listed.items() if k != "variable")
        if name == "__name__":
            return cls._pc_name + ".lib"
        if name in ("__loader__", "__spec__"):
            return None         # as cffi's lib: importable as `<module>.lib`, but no spec
        raise AttributeError(_MSG_NO_NAME % (cls._pc_name, name))

    @property
    def __class__(self):
        """`module`, as cffi's lib says: `isinstance(lib, types.ModuleType)` holds."""
        return types.ModuleType

    def __dir__(self):
        """Its own names and the enumerators of included modules, as cffi lists them (the
        other names of included modules are there, but not listed)."""
        return sorted(type(self)._pc_listed)

    def __repr__(self):
        return "<Lib object for '%s'>" % (type(self)._pc_name,)

    def _addressof(self, name):
        """ffi.addressof(lib, name): a pointer to a global variable, or the function pointer
        (made once: the same object each time, as cffi's)."""
        if not isinstance(name, str):
            raise TypeError("argument 2 must be str, not %s" % (_type_name(name),))
        cls = type(self)
        made = cls._pc_pointers.get(name)
        if made.__class__ is tuple:         # a variable's (pointer type, address function)
            ctype, address = made[0], made[1]()
            if address:
                result = _new_object((ctype._rt or prepare(ctype)).cdata_class)
                result._ctype, result._addr, result._keep = ctype, address, self
                return result
            non_null(address, name)
        elif made is not None:
            return made
        entry = cls._pc_addresses.get(name)
        if entry is None:
            if name in cls._pc_kinds:
                value = getattr(self, name)     # a function pointer is its own address (cffi)
                if isinstance(value, CData) and value._ctype.kind == FUNCTION:
                    return value
                raise AttributeError("cannot take the address of the constant '%s'" % (name,))
            raise AttributeError(_MSG_NO_NAME % (cls._pc_name, name))
        ctype, address = entry[1], entry[2]
        if ctype is None:
            raise CompiledFFIError(address)     # (a function of a type the compiler contradicted)
        variable = entry[0] == "variable"
        if variable:
            ctype, locate = entry[3]        # (made at load: the pointer type, the address)
            address = locate()
            if not address:
                non_null(address, name)
        result = _new_object((ctype._rt or prepare(ctype)).cdata_class)
        result._ctype, result._addr, result._keep = ctype, address, self    # (make_cdata())
        # a function's, complete, is kept (the first one made, if threads race)
        return result if variable else cls._pc_pointers.setdefault(name, result)


_new_object = object.__new__


_MSG_NO_NAME = "cffi library '%s' has no function, constant or global variable named '%s'"


def _set_through_class(lib, name, value):
    """What object.__setattr__ does for a global, which it refuses where the lib's C class
    has its own setattro (build/api_lib_c.py): the descriptor on the class writes."""
    for klass in type(lib).__mro__:
        descriptor = klass.__dict__.get(name)
        if descriptor is not None:
            descriptor.__set__(lib, value)      # (a global's, or a Mismatched)
            return
    raise AttributeError(_MSG_NO_NAME % (type(lib)._pc_name, name))


# -- Module set-up ----
def integer_const(ffi, name):
    """ffi.integer_const(name) of an API-mode module: an integer constant's value (enum value,
    `#define`, `static const`), as the C compiler gave it."""
    if not isinstance(name, str):
        raise TypeError("argument 1 must be str, not %s" % (_type_name(name),))
    decls = ffi._decls
    entry = decls.constants.get(name)
    if entry is not None and is_integer_constant(name, entry[0]):
        value = entry[1]
        if value.__class__ is not int:
            value = getattr(ffi._api_lib, name)
        if value.__class__ is int:
            return value
    if entry is not None or name in decls.functions or name in decls.variables \
            or name in decls.extern_python or declared_by_includes(ffi, name):
        raise CompiledFFIError("function, global variable or non-integer constant '%s' must be fetched "
                       "from its original 'lib' object" % (name,))
    raise AttributeError("integer constant '%s' not found" % (name,))


def _type_name(value):
    """The type named in an argument error, as CPython's: 'None' for None."""
    return "None" if value is None else cffi_type_name(value)


_GENERATED_FFI = []     # api.GeneratedFFI, registered by api.py (which imports this module)


def set_generated_ffi(cls):
    """Register the class of the ffi of a generated module (api.GeneratedFFI)."""
    _GENERATED_FFI[:] = [cls]


def bind_fast_methods(module, ffi):
    """The module's `ffi.from_buffer`, `ffi.new`, `ffi.string`, `ffi.unpack`, `ffi.cast`,
    `ffi.typeof` and `ffi.sizeof`: their common cases in C (build/api_from_buffer.py,
    api_new.py, api_string.py, api_cast.py), the rest by the runtime's; none with the limited
    API or without a GIL.  A
    module built by an earlier purecffi, whose binders take no ffi, gets built-ins bound to
    the module."""
    from .convert import TypeRuntime
    from .ctype import ArrayType, CType
    from .memory import MEM, _Bytes, _resize
    sample = _Bytes()
    char = TYPES.primitive("char")
    binders = [
        ("from_buffer", "_pc_from_buffer_bind", lambda: (ffi._open_arrays, ffi.from_buffer)),
        ("new", "_pc_new_bind", lambda: (
            ffi._types, ffi.new, CType, TypeRuntime, TypeRuntime.__dict__["new_plan"], MEM,
            _Bytes, _resize, sample,
            ctypes.addressof(sample))),
        ("string", "_pc_string_bind", lambda: (ffi.string, TYPES.pointer(char), char,
                                                ArrayType)),
        ("unpack", "_pc_unpack_bind", lambda: (ffi.unpack, PointerType)),
        ("cast", "_pc_cast_bind", lambda: (ffi._types, ffi.cast, CType, TypeRuntime,
                                            TypeRuntime.__dict__["cast"]))]
    for name, binder, arguments in binders:
        bind = getattr(module, binder, None)
        if bind is None:
            continue
        try:
            fast = bind(*arguments(), ffi)
        except TypeError:       # an earlier purecffi's binder: bound to the module
            fast = bind(*arguments())
        object.__setattr__(ffi, name, fast)
    pointers = getattr(module, "_pc_cast_pointers", None)     # (ffi.cast() to `T *` in C)
    if pointers is not None:
        pointers(PointerType, *(TypeRuntime.__dict__[name] for name in (
            "fast_class", "align_mask", "cast_class", "cdata_class")))
    types = getattr(module, "_pc_types_bind", None)         # (ffi.typeof(), ffi.sizeof())
    if types is not None:
        made = types(ffi.typeof, ffi.sizeof, SIZES_KEY, ffi)
        object.__setattr__(ffi, "typeof", made[0])
        object.__setattr__(ffi, "sizeof", made[1])


def load(module, declarations, facts):
    """Build `ffi` and `lib` for the freshly created C module (called by its PyInit)."""
    decls, included = _load_declarations(declarations)
    redoc = facts.get("redoc", ())
    mismatches = _fill_gaps(decls, facts, [other._decls for other in included])
    ffi = _GENERATED_FFI[0]()
    ffi._decls = decls
    ffi._included = included
    module._pc_errno_setter(ctypes.set_errno, ctypes.get_errno)
    layout = _mk.pointer_to(TYPES.pointer(TYPES.void), 0).__class__     # any address class
    module._pc_cdata_layout(_cd.CData, layout.__dict__["_ctype"], layout.__dict__["_addr"])
    module._pc_pointer_layout(ArrayType, ArrayType.__dict__["item"], PointerType.__dict__["item"])
    if hasattr(module, "_pc_void_pointer"):         # (not with the limited API)
        module._pc_void_pointer(PointerType, TYPES.pointer(TYPES.void))
    if hasattr(module, "_pc_struct_converter"):
        module._pc_struct_converter(struct_argument)
    if hasattr(module, "_pc_result_layout"):        # (not with the limited API)
        module._pc_result_layout(result_plan, CType.__dict__["_rt"],
                                 layout.__dict__["_keep"])
    bind_fast_methods(module, ffi)
    if hasattr(module, "_pc_accelerate"):          # (not with the limited API)
        accel.register(module._pc_accelerate)
    name = module.__name__
    kinds, addresses, class_attrs, values, pointers = {}, {}, {}, {}, {}
    for fname, fntype in decls.functions.items():
        how, address, fnptr_address = facts["functions"][fname]
        kinds[fname] = "function"
        error = by_value_error(fntype)     # (its address raises, as cffi's; calls check)
        addresses[fname] = ("function", fntype, fnptr_address) if error is None else (
            "function", None, error)
        try:
            values[fname] = make_function(module, fname, fntype, how, address,
                                           fnptr_address, facts["fast"].get(fname), fname in redoc)
        except (FFIError, CompiledFFIError) as exc:     # a type the compiler contradicts: as cffi, raised when
            values[fname] = Mismatched(str(exc))    # lib.f is used
            addresses[fname] = ("function", None, str(exc))
    ffi._api_externs = externs = {}
    for ename, (rawtype, _) in decls.extern_python.items():
        index, address = facts["extern_python"][ename]
        fnptr = TYPES.function_pointer(rawtype)
        kinds[ename] = "function"
        addresses[ename] = ("function", fnptr, address)
        externs[ename] = ExternPython(module, ename, rawtype, index, address)
        error = by_value_error(rawtype)
        values[ename] = make_cdata(prepare(fnptr).cdata_class, fnptr, address, None) \
            if error is None else Mismatched(error)
        if error is not None:
            addresses[ename] = ("function", None, error)
    for vname, (ctype, _) in decls.variables.items():
        index, sizes = facts["variables"][vname]
        kinds[vname] = "variable"
        ctype = sized_array(ctype, sizes)
        descriptor, glob = make_global(module, vname, index, ctype)
        addresses[vname] = ("variable", ctype, glob.address, (
            TYPES.pointer(ctype), functools.partial(module._pc_address, index)))
        pointers[vname] = addresses[vname][3]
        class_attrs[vname] = values[vname] = descriptor     # in the dict too: the C getattro
        # and setattro use it
        error = getattr(ctype, "layout_error", None) if ctype.kind in (STRUCT, UNION) else \
            number_type_error(ctype)
        if error is not None:       # a type the compiler contradicts: as cffi, its
            class_attrs[vname] = values[vname] = Mismatched(error)  # global raises when used
        elif sizes[0] and 0 <= ctype.byte_size != sizes[0]:
            mismatches.variable(vname, ctype.byte_size, sizes[0])
    for other in included:
        _take_included(getattr(other, "_api_lib", None), kinds, addresses, class_attrs, values)
    for cname, (ctype, value) in decls.constants.items():
        if cname not in kinds:
            kinds[cname] = "constant"
            error = getattr(ctype, "layout_error", None) if isinstance(
                ctype, UnknownNumberType) else None
            if ctype is not None and ctype.kind in (STRUCT, UNION) and ctype._fields is None:
                error = "constant '%s' is of type '%s', whose size is not known" % (
                    cname, ctype.cname)     # (cffi's words: an opaque type)
            try:
                if error is not None:
                    raise CompiledFFIError(error)
                values[cname] = _constant(ctype, cname, value, facts["constants"])
            except (FFIError, CompiledFFIError) as exc:     # (a struct the compiler lays out otherwise)
                values[cname] = Mismatched(str(exc))
    for mname, message in mismatches.names.items():    # raise when used, as cffi
        values[mname] = Mismatched(message)
        if kinds.get(mname) == "variable":
            class_attrs[mname] = values[mname]
    ffi._api_mismatches = mismatches
    listed = {n: kind for n, kind in kinds.items()     # dir() leaves out what an included
              if not declared_by_includes(ffi, n) or _is_enumerator(decls, n)}  # module has
    if hasattr(module, "_pc_global"):       # globals in C: the lib's C class has a setattro
        class_attrs["_pc_set"] = _set_through_class
    class_attrs.update(_pc_name=name, _pc_kinds=kinds, _pc_addresses=addresses,
                       _pc_pointers=pointers, _pc_listed=listed, __module__=__name__)
    lib = module._pc_lib_class(type("Lib", (ApiLib,), class_attrs))()
    # interned keys: `lib.f` in code looks up an interned name, and the dict compares
    # identical keys without a memcmp; in name order, as cffi's lib.__dict__
    object.__getattribute__(lib, "__dict__").update(
        (sys.intern(key), value) for key, value in sorted(values.items()))
    module._pc_lib_bind(lib)
    ffi._api_lib = lib
    module.ffi = ffi
    module.lib = lib
    sys.modules[name + ".lib"] = lib
    for helper in [key for key in vars(module) if key.startswith("_pc_")]:
        delattr(module, helper)     # used by now (or held): the module shows ffi and lib only


def _is_enumerator(decls, name):
    """Whether `name` is the value of an enum."""
    ctype = decls.constants.get(name, (None,))[0]
    return ctype is not None and ctype.kind == ENUM and name in ctype._relements


def _take_included(other_lib, kinds, addresses, class_attrs, values):
    """Spec 8.6: the lib of an including API module also shows the included module's
    functions, globals and constants."""
    if other_lib is None:
        return
    other_values = object.__getattribute__(other_lib, "__dict__")
    other = type(other_lib)
    for name, kind in other._pc_kinds.items():
        if name in kinds:
            continue
        kinds[name] = kind
        if name in other._pc_addresses:
            addresses[name] = other._pc_addresses[name]
        if kind == "variable":
            class_attrs[name] = other_values[name]      # the global's descriptor
        values[name] = other_values[name]


def _character_constant(ctype, value):
    """A `char` constant is a bytes of length 1, a `wchar_t`/`char16_t`/`char32_t` one a str
    (as cffi's), from the integer the C compiler reported."""
    if ctype.category == plat.CHAR:
        return bytes((value & 0xFF,))
    value &= (1 << (8 * ctype.byte_size)) - 1
    return chr(value) if value <= 0x10FFFF else value


def _constant(ctype, name, value, reported):
    """The Python value of a constant of cdef()."""
    if name in reported:
        value = reported[name]
    if ctype is None or isinstance(value, (int, float)) and ctype.kind in (PRIMITIVE, ENUM):
        category = getattr(ctype, "category", None) if ctype is not None else None
        if category == plat.FLOAT:
            return float(value)
        if category in (plat.CHAR, plat.WCHAR) and isinstance(value, int):
            return _character_constant(ctype, value)
        return value
    if ctype.kind in (POINTER, FUNCTION):
        return _cast(ctype, value)
    if isinstance(value, bytes):
        pointer = TYPES.pointer(ctype)
        out = _mk.new(pointer, None)
        memmove(out._addr, ctypes.cast(ctypes.c_char_p(value), ctypes.c_void_p).value,
                len(value))
        return prepare(ctype).read(out._addr, out)      # 'struct s &', as cffi shows it
    return value
