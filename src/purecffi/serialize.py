"""Declarations as data: dumped by the builders, loaded by generated modules without parsing.

    dump_declarations(decls, includes=(), complete_partial=False) -> str
        JSON text describing `decls`: every type it reaches, as one record per type
        referencing other types by index (one record per line, so the text stays readable).
        Types that belong to one of `includes` (the Declarations of included FFIs) are written
        as references by name ("ext", key), found again in the included module's declarations.
        `complete_partial`: write partial structs (`...;`) as complete ones, laid out from
        their declared fields -- what cffi's out-of-line ABI mode does with them.
        JSON rather than a Python literal: a generated module holds it as one string constant,
        which Python compiles and unmarshals in no time, and json.loads() decodes it in C on
        first use (a 1000-record Python literal takes ~20 ms to compile when no .pyc exists).

    load_declarations(text_or_data, includes=(), layouts=None) -> Declarations
        Rebuild equivalent declarations without any parsing.  `text_or_data` is the text
        dump_declarations() returned, or json.loads() of it.  `includes` are the Declarations
        of the included modules (as at dump time).  Struct and union layouts are computed by
        layout.py, unless `layouts` gives them: {cname: (byte_size, byte_align,
        [(field name, byte offset), ...])}, cname being the C spelling of the type
        ("struct foo", "union u", or the typedef name of an anonymous struct: "foo_t") -- what
        API mode learns from the compiler.  Fields without a given offset (bit fields) keep
        layout.py's.  Loaded declarations do not declare a struct/union/enum when a type name
        mentions an unknown tag (as cffi's compiled ffi objects): ffi.typeof("struct nope")
        raises ffi.error.

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
(key "*name": the struct that the included typedef `name` points to).
"""
from .ctype import (ARRAY, STRUCT, UNION, ArrayType, EnumType, FunctionPtrType, PointerType,
                    PrimitiveType, RawFunctionType, StructOrUnionType, UnknownNumberType,
                    VoidType)

__all__ = ["dump_declarations", "load_declarations", "FORMAT"]

FORMAT = 1


# -- Dumping ----
def dump_declarations(decls, includes=(), complete_partial=False):
    """JSON text describing `decls` (see the module docstring)."""
    return _to_json(_Dumper(decls, includes, complete_partial).data())


class _Dumper:
    """Numbers the types reachable from one Declarations and writes their records."""

    def __init__(self, decls, includes, complete_partial=False):
        self.decls = decls
        self.complete_partial = complete_partial
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
        index = self.add(ctype, (ctype.kind, ctype.name, _cname(ctype)))
        if ctype.fields is not None:
            partial = ctype.partial and not self.complete_partial
            self.bodies.append((index, self.fields(ctype._decl_fields or ()), ctype.packed,
                                ctype.pack, partial))
        return index

    def write_enum(self, ctype):
        enumerators = tuple(ctype.relements.items())
        return self.add(ctype, ("enum", ctype.name, _cname(ctype), enumerators,
                                self.ref(ctype.base), ctype.partial))


_WRITERS = {
    VoidType: _Dumper.write_void, PrimitiveType: _Dumper.write_primitive,
    UnknownNumberType: _Dumper.write_unknown, PointerType: _Dumper.write_pointer,
    ArrayType: _Dumper.write_array, RawFunctionType: _Dumper.write_raw_function,
    FunctionPtrType: _Dumper.write_function_pointer, StructOrUnionType: _Dumper.write_struct,
    EnumType: _Dumper.write_enum,
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
def load_declarations(text_or_data, includes=(), layouts=None):
    """Declarations rebuilt from dump_declarations() output (see the module docstring)."""
    data = text_or_data
    if isinstance(data, str):
        import json
        data = json.loads(data)
    if data.get("version") != FORMAT:
        raise ValueError("declarations of format %r, expected %d: rebuild the module with this "
                         "version of purecffi" % (data.get("version"), FORMAT))
    return _Loader(data, includes, layouts or {}).run()


class _Loader:
    """Builds the types of one dump, then the Declarations containers."""

    def __init__(self, data, includes, layouts):
        self.data, self.includes, self.layouts = data, includes, layouts
        self.types = [None] * len(data["types"])

    def run(self):
        from .decls import Declarations
        data, t = self.data, self.type
        records = data["types"]
        for index in range(len(records)):
            t(index)
        self.positions = {id(ctype): index for index, ctype in enumerate(self.types)}
        self.complete_bodies(data["bodies"])
        decls = Declarations()
        decls.types = {key: t(i) for key, i in data["names"]}
        decls.typedef_names = list(data["typedef_names"])
        decls.const_typedefs = set(data["const_typedefs"])
        decls.functions = {name: t(i) for name, i in data["functions"]}
        decls.variables = {name: (t(i), const) for name, i, const in data["variables"]}
        decls.constants = {name: (None if i is None else t(i), _dots(value))
                           for name, i, value in data["constants"]}
        decls.extern_python = {name: (t(i), plus_c) for name, i, plus_c in data["extern_python"]}
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
        ctype = self.types[index]
        if ctype is None:
            record = self.data["types"][index]
            ctype = self.types[index] = _READERS[record[0]](self, record)
        return ctype

    def read_ext(self, record):
        key = record[1]
        for included in self.includes:
            ctype = included.types.get(key.lstrip("*"))
            if ctype is not None:
                return ctype.item if key.startswith("*") else ctype
        raise ImportError("type '%s' should come from an included module, which does not "
                          "declare it (rebuild the modules)" % (key,))

    def complete_bodies(self, bodies):
        """Complete the structs, members held by value first."""
        by_index = {entry[0]: entry for entry in bodies}
        done = set()

        def complete(index):
            if index in done:
                return
            done.add(index)
            _, fields, packed, pack, partial = by_index[index]
            decl_fields = self.fields(fields)
            for _, ftype, _ in decl_fields:
                while ftype.kind == ARRAY:
                    ftype = ftype.item
                if ftype.kind in (STRUCT, UNION):
                    inner = self.positions.get(id(ftype))
                    if inner in by_index:
                        complete(inner)
            ctype = self.type(index)
            given = self.layouts.get(ctype.cname)
            layout = None if given is None else _given_layout(ctype, decl_fields, given,
                                                              packed, pack, partial)
            ctype.complete(decl_fields, packed=packed, pack=pack, partial=partial, layout=layout)

        for entry in bodies:
            complete(entry[0])


def _read_struct(loader, record):
    kind, name, cname = record
    return StructOrUnionType(kind, name, cname=cname)


def _read_enum(loader, record):
    _, name, cname, enumerators, base, partial = record
    return EnumType(name, [(key, _dots(value)) for key, value in enumerators],
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
    "unknown": lambda loader, r: UnknownNumberType(r[1], r[2]),
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
}


def _exception(name, args):
    """The exception of a broken struct (a built-in or a purecffi error class)."""
    import builtins
    from . import errors
    cls = getattr(errors, name, None) or getattr(builtins, name, None)
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
    from .layout import FLAG_IGNORE_IN_CTOR, lay_out
    byte_size, byte_align, offsets = given
    offsets = dict(offsets)
    computed = {} if partial else dict(lay_out(ctype, decl_fields, packed, pack)[0])

    def place(name, ftype, offset, model=None):
        if model is not None and model.bitsize >= 0:
            return computed.get(name)
        field = CField(name, ftype, offset, flags=model.flags if model is not None else 0)
        if ctype.kind == UNION and fields:
            field.flags |= FLAG_IGNORE_IN_CTOR
        return field

    fields = []
    for name, ftype, bitsize in decl_fields:
        if name.startswith("$") and ftype.kind in (STRUCT, UNION) and ftype.fields is not None:
            base = offsets.get(name)
            for sub_name, sub in ftype.fields:
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
