"""The declarations an API-mode or verify() module carries: written into the C module by
`dump(ffi)` when it is generated, read back by `load_declarations(text)` when it is imported."""

__all__ = ["dump", "load_declarations"]


def dump(ffi):
    """The declarations of `ffi` as text embedded in the C module: a first line listing the
    included modules (JSON), then the serialized declarations (see purecffi.serialize)."""
    from .serialize import dump_declarations
    names = []
    for other in ffi._included:
        spec = getattr(other, "_source_spec", None)
        if spec is None:
            from .errors import VerificationError
            raise VerificationError("ffi object %r includes %r, but the latter has not been "
                                    "prepared with set_source()" % (ffi, other))
        names.append(spec.module_name)
    text = dump_declarations(ffi._decls, [other._decls for other in ffi._included],
                             tag_names=True)       # `struct s`, not its typedef: as cffi
    import json
    return json.dumps(names) + "\n" + text


def load_declarations(text):
    """(Declarations, included FFIs) from the text dump() wrote (None: none, the runtime's own
    module purecffi._speedups; no json to import); imports included modules."""
    if text is None:
        from .decls import Declarations
        return Declarations(), []
    import importlib
    import json
    from .serialize import load_declarations as load_serialized
    first, data = text.split("\n", 1)
    names = json.loads(first)
    included = [importlib.import_module(name).ffi for name in names]
    decls = load_serialized(data, [other._decls for other in included])
    return decls, included
