"""Declarations as data: dumped by the builders, loaded by generated modules without parsing.

    dump_declarations(decls, includes=(), complete_partial=False, tag_names=False) -> str
        JSON text describing `decls`: every type it reaches, as one record per type
        referencing other types by index (one record per line, so the text stays readable).
        Types that belong to one of `includes` (the Declarations of included FFIs) are written
        as references by name ("ext", key), found again in the included module's declarations.
        `complete_partial`: write partial structs (`...;`) as complete ones, laid out from
        their declared fields -- what cffi's out-of-line ABI mode does with them.
        `tag_names`: spell a struct/union/enum that has a tag by it ("struct node_s", not
        "node_t" from `typedef struct node_s node_t;`), as cffi's generated modules do;
        anonymous ones keep their typedef name.
        JSON rather than a Python literal: a generated module holds it as one string constant,
        which Python compiles and unmarshals in no time, and json.loads() decodes it in C on
        first use (a 1000-record Python literal takes ~20 ms to compile when no .pyc exists).

    load_declarations(text_or_data, includes=(), layouts=None, lazy=False) -> Declarations
        Rebuild equivalent declarations without any parsing.  `text_or_data` is the text
        dump_declarations() returned, or json.loads() of it.  `includes` are the Declarations
        of the included modules (as at dump time).  Struct and union layouts are computed by
        layout.py, unless `layouts` gives them: {cname: (byte_size, byte_align,
        [(field name, byte offset), ...])}, cname being the C spelling of the type
        ("struct foo", "union u", or the typedef name of an anonymous struct: "foo_t") -- what
        API mode learns from the compiler.  Fields without a given offset (bit fields) keep
        layout.py's.  Loaded declarations do not declare a struct/union/enum when a type name
        mentions an unknown tag (as cffi's compiled ffi objects): ffi.typeof("struct nope")
        raises ffi.error.  `lazy`: the tables of names are LazyTables, each entry built (with
        the types it reaches) when first named.

The data (format version FORMAT; `...` values are written as the string "..."):

    {"version": FORMAT,
     "types": [[kind, ...], ...],     records below; index = position
     "bodies": [[struct index, [[field name, type index, bitsize or -1], ...], packed, pack,
                 partial], ...]       struct/union bodies (completed members first at load)
     "names": [[key, type index], ...]  decls.types: typedef names and "struct x"-style tags
     "typedef_names": [...], "const_typedefs": [...],
     "functions": [[name, index], ...], "variables": [[name, index, items are const], ...],
     "constants": [[name, index or null, value], ...]   value: int, or "..." (API mode)
     "extern_python": [[name, raw function index, plus_c], ...],
     "order": [[category, name], ...],
     "pending": [[struct index, fields, partial, packed, pack, where], ...],
     "broken": [[struct index, exception class name, args], ...],
     "has_placeholders": bool, "anonymous_count": int}

Type records: ["void"] ["prim", name] ["unknown", name, is_float] ["ptr", item]
["arr", item, length or null or "..."] ["fn", [args...], result, ellipsis, abi or null]
["fnptr", raw] ["struct"|"union", name, cname or null]
["enum", name, cname or null, [[key, value], ...], base, partial] ["FILE"] ["ext", key]
["invalid", name, exception class name, args] (what cdef() accepts but no C type is)
(key "*name": the struct that the included typedef `name` points to).
"""
import threading

from .ctype import (COMPLETED_PARTIAL, STRUCT, UNION, ArrayType, EnumType, FunctionPtrType,
                    InvalidType, PointerType,
                    PrimitiveType, RawFunctionType, StructOrUnionType, UnknownNumberType,
                    VoidType, make_type)
from .layout import FLAG_IGNORE_IN_CTOR, lay_out    # (also: complete() needs it imported)

__all__ = ["dump_declarations", "load_declarations", "FORMAT", "tag_spelling"]

FORMAT = 1


def tag_spelling(ctype):
    """How a generated module spells a struct, union or enum with a tag: `struct s`, even when
    a typedef names it; `struct _IO_FILE` (stdio's) is `FILE`, as cffi spells it."""
    if ctype.kind == STRUCT and ctype.name == "_IO_FILE":
        return "FILE"
    return "%s %s" % (ctype.kind, ctype.name)


# -- Dumping ----
def dump_declarations(decls, includes=(), complete_partial=False, tag_names=False):
    """JSON text describing `decls` (see the module docstring)."""
    return _to_json(_Dumper(decls, includes, complete_partial, tag_names).data())


class _Dumper:
    """Numbers the types reachable from one Declarations and writes their records."""

    def __init__(self, decls, includes, complete_partial=False, tag_names=False):
        self.decls = decls
        self.complete_partial = complete_partial
        self.tag_names = tag_names
        self.index = {}             # ctype -> index
        self.records = []
        self.bodies = []
        self.external = {}          # ctype -> key in an included Declarations
        for included in includes:
            for key, ctype in included.types.items():
                if isinstance(ctype, (StructOrUnionType, EnumType, UnknownNumberType)):
                    self.external.setdefault(ctype, key)
                elif isinstance(ctype, PointerType) and isinstance(
                        ctype.item, StructOrUnionType):
                    # `typedef struct {...} *p_t;`: the anonymous struct is found as "*p_t"
                    self.external.setdefault(ctype.item, "*" + key)

    def data(self):
        d = self.decls
        names = tuple((key, self.ref(t)) for key, t in d.types.items())
        functions = tuple((n, self.ref(t)) for n, t in d.functions.items())
        variables = tuple((n, self.ref(t), bool(c)) for n, (t, c) in d.variables.items())
        constants = tuple((n, None if t is None else self.ref(t), v)
                          for n, (t, v) in d.constants.items())
        extern_python = tuple((n, self.ref(t), plus_c)
                              for n, (t, plus_c) in d.extern_python.items())
        pending = tuple((self.ref(s), self.fields(fields), partial, packed, pack, where)
                        for s, (fields, partial, packed, pack, where) in d.pending.items())
        broken = tuple((self.ref(s), type(e).__name__, tuple(e.args))
                       for s, e in d.broken.items())
        return {
            "version": FORMAT,
            "types": tuple(self.records),
            "bodies": tuple(self.bodies),
            "names": names,
            "typedef_names": tuple(d.typedef_names),
            "const_typedefs": tuple(sorted(d.const_typedefs)),
            "functions": functions,
            "variables": variables,
            "constants": constants,
            "extern_python": extern_python,
            "order": tuple(tuple(entry) for entry in d.order),
            "pending": pending,
            "broken": broken,
            "has_placeholders": bool(d.has_placeholders),
            "anonymous_count": d.anonymous_count,
        }

    def fields(self, decl_fields):
        return tuple((name, self.ref(ftype), bitsize) for name, ftype, bitsize in decl_fields)

    def ref(self, ctype):
        """The index of `ctype`'s record (written first if needed)."""
        index = self.index.get(ctype)
        if index is not None:
            return index
        if ctype in self.external:
            return self.add(ctype, ("ext", self.external[ctype]))
        from .decls import FILE_TYPE
        if ctype is FILE_TYPE:
            return self.add(ctype, ("FILE",))
        writer = _WRITERS.get(type(ctype))
        if writer is None:
            raise TypeError("cannot serialize the type %r" % (ctype,))
        return writer(self, ctype)

    def add(self, ctype, record):
        self.index[ctype] = len(self.records)
        self.records.append(record)
        return self.index[ctype]

    def write_void(self, ctype):
        return self.add(ctype, ("void",))

    def write_invalid(self, ctype):
        error = ctype.compiled_error     # (the module's ffi is a generated one)
        return self.add(ctype, ("invalid", ctype._prefix, type(error).__name__,
                                tuple(error.args)))

    def write_primitive(self, ctype):
        return self.add(ctype, ("prim", ctype.name))

    def write_unknown(self, ctype):
        return self.add(ctype, ("unknown", ctype.name, ctype.is_float))

    def write_pointer(self, ctype):
        return self.add(ctype, ("ptr", self.ref(ctype.item)))

    def write_array(self, ctype):
        return self.add(ctype, ("arr", self.ref(ctype.item), ctype.length))

    def write_raw_function(self, ctype):
        args = tuple(self.ref(a) for a in ctype.args)
        from .platform import DEFAULT_ABI
        abi = None if ctype.abi == DEFAULT_ABI else ctype.abi      # as the parsers intern it
        return self.add(ctype, ("fn", args, self.ref(ctype.result), bool(ctype.ellipsis), abi))

    def write_function_pointer(self, ctype):
        return self.add(ctype, ("fnptr", self.ref(ctype.raw)))

    def write_struct(self, ctype):
        """The record first (members may point back to it), then the body."""
        index = self.add(ctype, (ctype.kind, ctype.name, self.cname(ctype)))
        if ctype._fields is not None:
            partial = (ctype.partial or ctype in COMPLETED_PARTIAL) and not self.complete_partial
            self.bodies.append((index, self.fields(ctype._decl_fields or ()), ctype.packed,
                                ctype.pack, partial))
        return index

    def cname(self, ctype):
        """The spelling to record: None for `kind name` (see `tag_names`)."""
        if self.tag_names and not ctype.name.startswith("$"):
            return None if tag_spelling(ctype) != "FILE" else "FILE"
        return _cname(ctype)

    def write_enum(self, ctype):
        enumerators = tuple(ctype._relements.items())[::-1]     # in declaration order
        return self.add(ctype, ("enum", ctype.name, self.cname(ctype), enumerators,
                                self.ref(ctype.base), ctype.partial))


_WRITERS = {
    VoidType: _Dumper.write_void, PrimitiveType: _Dumper.write_primitive,
    UnknownNumberType: _Dumper.write_unknown, PointerType: _Dumper.write_pointer,
    ArrayType: _Dumper.write_array, RawFunctionType: _Dumper.write_raw_function,
    FunctionPtrType: _Dumper.write_function_pointer, StructOrUnionType: _Dumper.write_struct,
    EnumType: _Dumper.write_enum, InvalidType: _Dumper.write_invalid,
}


def _cname(ctype):
    """The C spelling when it is not the default `kind name`, else None."""
    default = "%s %s" % (ctype.kind, ctype.name)
    return None if ctype._prefix == default else ctype._prefix


def _to_json(value):
    """JSON text of the data: top-level keys and list entries one per line (readable)."""
    import json
    lines = ["{"]
    items = list(value.items())
    for position, (key, item) in enumerate(items):
        comma = "," if position < len(items) - 1 else ""
        if isinstance(item, tuple) and item:
            lines.append("%s: [" % (json.dumps(key),))
            lines.extend("  %s%s" % (json.dumps(_jsonable(entry)), "," if i < len(item) - 1
                                     else "") for i, entry in enumerate(item))
            lines.append("]" + comma)
        else:
            lines.append("%s: %s%s" % (json.dumps(key), json.dumps(_jsonable(item)), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _jsonable(value):
    """Tuples as lists and Ellipsis as "..." (only where a string cannot otherwise be)."""
    if value is Ellipsis:
        return "..."
    if isinstance(value, (tuple, list)):
        return [_jsonable(item) for item in value]
    return value


def _dots(value):
    """The inverse of _jsonable() for one value: "..." is Ellipsis."""
    return Ellipsis if value == "..." else value


# -- Loading ----
def load_declarations(text_or_data, includes=(), layouts=None, lazy=False):
    """Declarations rebuilt from dump_declarations() output (see the module docstring).
    `lazy`: the tables of names (types, functions, variables, constants) decode each entry
    on first access (LazyTable), so that a program using a few of a module's declarations
    does not build all its types."""
    data = text_or_data
    if isinstance(data, str):
        import json
        data = json.loads(data)
    if data.get("version") != FORMAT:
        raise ValueError("declarations of format %r, expected %d: rebuild the module with this "
                         "version of purecffi" % (data.get("version"), FORMAT))
    return _Loader(data, includes, layouts or {}).run(lazy)


class _Loader:
    """Builds the types of one dump (each on first need), and the Declarations containers."""

    def __init__(self, data, includes, layouts):
        self.data, self.includes, self.layouts = data, includes, layouts
        self.types = [None] * len(data["types"])
        self.bodies = {entry[0]: entry for entry in data["bodies"]}
        self.waiting = {}         # id(struct built, not yet completed) -> (struct, its body)
        self.draining = False

    def run(self, lazy=False):
        from .decls import Declarations
        data, t = self.data, self.type
        decls = Declarations()
        variable = lambda entry: (t(entry[0]), entry[1])                        # noqa: E731
        constant = lambda entry: (None if entry[0] is None else t(entry[0]),   # noqa: E731
                                  _dots(entry[1]))
        tables = (("types", data["names"], t),
                  ("functions", data["functions"], t),
                  ("variables", [(n, (i, c)) for n, i, c in data["variables"]], variable),
                  ("constants", [(n, (i, v)) for n, i, v in data["constants"]], constant))
        lock = threading.RLock()
        with lock:
            for attribute, entries, decode in tables:
                table = LazyTable(entries, decode, lock) if lazy else \
                    {name: decode(raw) for name, raw in entries}
                setattr(decls, attribute, table)
            decls.typedef_names = list(data["typedef_names"])
            decls.const_typedefs = set(data["const_typedefs"])
            decls.extern_python = {name: (t(i), plus_c)
                                   for name, i, plus_c in data["extern_python"]}
            decls.order = [tuple(entry) for entry in data["order"]]
            decls.type_cache = {}
            decls.pending = {t(s): (self.fields(fields), partial, packed, pack, where)
                             for s, fields, partial, packed, pack, where in data["pending"]}
            decls.broken = {t(s): _exception(name, args) for s, name, args in data["broken"]}
        decls.has_placeholders = data["has_placeholders"]
        decls.anonymous_count = data["anonymous_count"]
        decls.declare_tags = False
        return decls

    def fields(self, fields):
        t = self.type
        return [(name, t(i), bitsize) for name, i, bitsize in fields]

    def type(self, index):
        """The type of record `index`, built on first need; a struct or union is completed
        before the outermost call returns (its record is stored first: members may point back
        to it), after the structs it holds by value, whatever the order they are reached in
        (`struct a { struct b *p; }; struct b { struct a a; };` from struct a: b first)."""
        ctype = self.types[index]
        if ctype is None:
            record = self.data["types"][index]
            ctype = self.types[index] = _READERS[record[0]](self, record)
            body = self.bodies.get(index)
            if body is not None:
                self.waiting[id(ctype)] = (ctype, body)
            if not self.draining:
                self.draining = True
                try:
                    while self.waiting:
                        self.finish(next(iter(self.waiting)))
                finally:
                    self.draining = False
        return ctype

    def finish(self, key):
        """Complete a waiting struct, the waiting structs it holds by value first."""
        ctype, body = self.waiting.pop(key)
        decl_fields = self.fields(body[1])
        for _, ftype, _ in decl_fields:
            while isinstance(ftype, ArrayType):
                ftype = ftype.item
            if id(ftype) in self.waiting:
                self.finish(id(ftype))
        self.complete(ctype, body, decl_fields)

    def read_ext(self, record):
        key = record[1]
        for included in self.includes:
            ctype = included.types.get(key.lstrip("*"))
            if ctype is not None:
                return ctype.item if key.startswith("*") else ctype
        raise ImportError("type '%s' should come from an included module, which does not "
                          "declare it (rebuild the modules)" % (key,))

    def complete(self, ctype, body, decl_fields):
        """Complete a struct from its body and its members' types."""
        _, _, packed, pack, partial = body
        given = self.layouts.get(ctype.cname)
        layout = None if given is None else _given_layout(ctype, decl_fields, given,
                                                          packed, pack, partial)
        ctype.complete(decl_fields, packed=packed, pack=pack, partial=partial, layout=layout)


class LazyTable:
    """A name -> declaration table whose entries are decoded on first access (the mapping
    operations the runtime uses: [], get, in, iteration over the names in order, len, items,
    values, copy, and [] = for new entries).  Decoding holds the loader's lock; a decoded
    entry is stored only once complete, and then read without the lock."""

    __slots__ = ("_values", "_raw", "_names", "_decode", "_lock")

    def __init__(self, entries, decode, lock):
        self._raw = dict(entries)
        self._names = list(self._raw)
        self._values = {}
        self._decode, self._lock = decode, lock

    def __getitem__(self, name):
        try:
            return self._values[name]
        except KeyError:
            pass
        if name not in self._raw:
            raise KeyError(name)
        with self._lock:
            value = self._values.get(name, _NOTHING)
            if value is _NOTHING:
                value = self._values[name] = self._decode(self._raw[name])
        return value

    def get(self, name, default=None):
        """The entry of `name` (decoded now if needed), or `default`."""
        try:
            return self[name]
        except KeyError:
            return default

    def __setitem__(self, name, value):
        """Add or replace an entry (already decoded)."""
        with self._lock:
            if name not in self._raw:
                self._raw[name] = None
                self._names.append(name)
            self._values[name] = value

    def __contains__(self, name):
        return name in self._raw

    def __iter__(self):
        """The names, in declaration order, without decoding anything."""
        return iter(list(self._names))

    keys = __iter__

    def __len__(self):
        return len(self._names)

    def items(self):
        """(name, entry) pairs: decodes every entry."""
        return [(name, self[name]) for name in list(self._names)]

    def values(self):
        """Every entry, decoded."""
        return [self[name] for name in list(self._names)]

    def copy(self):
        """A plain dict of every entry (all decoded)."""
        return dict(self.items())

    def __repr__(self):
        return "<LazyTable of %d names, %d decoded>" % (len(self._names), len(self._values))


_NOTHING = object()


def _read_struct(loader, record):
    kind, name, cname = record
    ctype = make_type(StructOrUnionType, kind, name, cname=cname)
    ctype.generated = True      # (read as cffi's generated modules read their structs)
    return ctype


def _read_enum(loader, record):
    _, name, cname, enumerators, base, partial = record
    return make_type(EnumType, name, [(key, _dots(value)) for key, value in enumerators],
                     base=loader.type(base), partial=partial,
                     cname=cname)


def _read_file(loader, record):
    from .decls import FILE_TYPE
    return FILE_TYPE


def _types():
    from .ctype import TYPES
    return TYPES


_READERS = {
    "void": lambda loader, r: _types().void,
    "prim": lambda loader, r: _types().primitive(r[1]),
    "unknown": lambda loader, r: make_type(UnknownNumberType, r[1], r[2]),
    "ptr": lambda loader, r: _types().pointer(loader.type(r[1])),
    "arr": lambda loader, r: _types().array(loader.type(r[1]), _dots(r[2])),
    "fn": lambda loader, r: _types().raw_function([loader.type(a) for a in r[1]],
                                                  loader.type(r[2]), r[3], r[4]),
    "fnptr": lambda loader, r: _types().function_pointer(loader.type(r[1])),
    "struct": _read_struct,
    "union": _read_struct,
    "enum": _read_enum,
    "FILE": _read_file,
    "ext": _Loader.read_ext,
    "invalid": lambda loader, r: make_type(InvalidType, r[1], _exception(r[2], r[3])),
}


def _exception(name, args):
    """The exception of a broken struct or an invalid type (a built-in or a purecffi error
    class)."""
    import builtins
    from . import errors
    cls = (errors.CompiledFFIError if name == errors.CompiledFFIError.__name__ else
           getattr(errors, name, None) or getattr(builtins, name, None))
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        cls = TypeError
    return cls(*args)


def _given_layout(ctype, decl_fields, given, packed, pack, partial):
    """(fields, size, align) from a layout reported by the compiler (API mode).

    A field takes its reported offset; bit fields, and fields with none reported, keep
    layout.py's when the struct is not partial (a partial struct gets only the reported ones).
    An anonymous member ("$N") is flattened: its fields are placed at its reported offset, or
    at their own reported offsets.
    """
    from .ctype import CField
    byte_size, byte_align, offsets = given
    offsets = dict(offsets)
    computed = {} if partial else dict(lay_out(ctype, decl_fields, packed, pack)[0])

    def place(name, ftype, offset, model=None):
        if model is not None and model.bitsize >= 0:
            return computed.get(name)
        field = CField(name, ftype, offset, flags=model.flags if model is not None else 0)
        if ctype.kind == UNION and fields:
            field.add_flags(FLAG_IGNORE_IN_CTOR)
        return field

    fields = []
    for name, ftype, bitsize in decl_fields:
        if name.startswith("$") and ftype.kind in (STRUCT, UNION) and ftype._fields is not None:
            base = offsets.get(name)
            for sub_name, sub in ftype._fields:
                offset = base + sub.offset if base is not None else offsets.get(sub_name)
                field = place(sub_name, sub.type, offset, sub) if offset is not None \
                    else computed.get(sub_name)
                if field is not None:
                    fields.append((sub_name, field))
            continue
        field = computed.get(name)
        if name in offsets and bitsize < 0:
            field = place(name, ftype, offsets[name])
        if field is not None:
            fields.append((name, field))
    return fields, byte_size, byte_align
