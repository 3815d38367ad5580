"""The out-of-line ABI-mode builder: writes the Python module of `set_source(name, None)`.

The module is plain Python: a header, the imports of the modules of included FFIs, and

    ffi = make_ffi(r'''{...declarations...}''', includes=(...), module_name='pkg._foo', version=N)

where the string is serialize.dump_declarations() of the builder's declarations (JSON, one
type per line).  Importing the module needs purecffi's runtime (outofline.py), never the cdef
parser or pycparser; the declarations are decoded on the ffi's first use.  `version` is
serialize.FORMAT: make_ffi() refuses a module of another format with ImportError, at import.
"""
import io
import os

__all__ = ["emit_python_code", "compile_abi_module", "module_source", "module_path"]

HEADER = """\
# auto-generated file: the out-of-line ABI-mode module %(name)r of purecffi.
# Written by purecffi.build.abi_module from a build script's ffi.set_source(%(name)r, None)
# and cdef() declarations; do not edit: run the build script (ffi.compile()) again instead.
"""


# -- Collect ----
def _included_modules(ffi):
    """The module names of the FFIs `ffi` included, in order."""
    from ..errors import VerificationError
    names = []
    for other in ffi._included:
        spec = getattr(other, "_source_spec", None)
        name = spec.module_name if spec is not None else getattr(other, "_module_name", None)
        if name is None:        # (the module built here imports the included one's)
            raise VerificationError("ffi object %r includes %r, but the latter has not been "
                                    "prepared with set_source()" % (ffi, other))
        names.append(name)
    return names


def _check_abi(decls, included=()):
    """Refuse what only a C compiler could give, as cffi does when writing an ABI module
    (what comes from an `included` API-mode module is known there): the first problem in
    cffi's order, declarations sorted by kind then name."""
    problems = sorted(_abi_problems(decls, included), key=lambda item: item[0])
    if problems:
        raise problems[0][1]


def _abi_problems(decls, included):
    """(sort key, exception) for each declaration an ABI module cannot carry."""
    from ..ctype import ENUM, UnknownNumberType
    from ..errors import CDefError, VerificationError, VerificationMissing
    foreign_names = {name for other in included for table in (other.constants, other.variables)
                     for name in table}
    foreign_types = {id(t) for other in included for t in other.types.values()}
    for name, (ctype, value) in decls.constants.items():
        if ctype is None and value is Ellipsis and name not in foreign_names:
            yield "macro " + name, VerificationError(
                "macro %s: cannot use the syntax '...' in '#define %s ...' when using the ABI "
                "mode" % (name, name))
    for name, (_, exported) in decls.extern_python.items():
        kind = "dllexport_python" if exported else "extern_python"
        yield "%s %s" % (kind, name), VerificationError(
            "%s %s: cannot use 'extern \"Python\"' in the ABI mode" % (kind, name))
    for key, ctype in decls.types.items():
        if id(ctype) in foreign_types:
            continue
        if isinstance(ctype, UnknownNumberType):
            yield "typedef " + key, VerificationError(
                "cannot emit to Python: '%s' is declared with '...' (typedef int... or "
                "float...): only API mode can know it" % (key,))
        if ctype.kind == ENUM and ctype.partial:
            yield ctype.cname, VerificationMissing(
                "%s: the values of this enum ('...') are only known in API mode" % (ctype.cname,))
        if ctype.kind == ENUM and ctype in decls.broken:    # values too wide for 64 bits
            shown = "anonymous " + key if ctype.name.startswith("$") else ctype.cname
            yield ctype.cname, CDefError("%s: %s" % (shown, decls.broken[ctype]))
        for fname, ftype, _ in getattr(ctype, "_decl_fields", None) or ():
            if _has_dots_length(ftype):
                yield ctype.cname, VerificationError(
                    "cannot emit to Python: the length of '%s.%s' ('[...]') is only known in "
                    "API mode" % (ctype.cname, fname))
                break
    for name, (ctype, _) in decls.variables.items():
        if _has_dots_length(ctype) and name not in foreign_names:
            yield "variable " + name, VerificationError(
                "cannot emit to Python: the length of '%s' ('[...]') is only known in API mode"
                % (name,))


def _has_dots_length(ctype):
    """Whether an array type has a `[...]` length at some level."""
    from ..ctype import ARRAY
    while ctype.kind == ARRAY:
        if ctype.length is Ellipsis:
            return True
        ctype = ctype.item
    return False


# -- Emit ----
def module_source(ffi, spec):
    """The text of the generated module."""
    from ..serialize import FORMAT, dump_declarations
    includes = _included_modules(ffi)
    _check_abi(ffi._decls, [other._decls for other in ffi._included])
    lines = [HEADER % {"name": spec.module_name}, "from purecffi.outofline import make_ffi\n"]
    for index, name in enumerate(includes):
        lines.append("from %s import ffi as _ffi%d\n" % (name, index))
    literal = _string_literal(
        dump_declarations(ffi._decls, [other._decls for other in ffi._included],
                          complete_partial=True, tag_names=True))
    included = "".join("_ffi%d, " % (i,) for i in range(len(includes)))
    lines.append("\nffi = make_ffi(%s, includes=(%s), module_name=%r, version=%d)\n"
                 % (literal, included.rstrip(" "), spec.module_name, FORMAT))
    return "".join(lines)


def _string_literal(text):
    """A readable Python literal for the declarations text (a raw triple-quoted string)."""
    if "'''" in text or text.endswith("\\"):
        return repr(text)
    return "r'''" + text + "'''"


def emit_python_code(ffi, spec, filename):
    """Write the module to `filename` (a path or a file object), as ffi.emit_python_code()."""
    print("generating %s" % (filename,))
    source = module_source(ffi, spec)
    if hasattr(filename, "write"):
        filename.write(source)
    elif not _write_if_changed(filename, source):
        print("(already up-to-date)")


def module_path(spec, tmpdir="."):
    """Where compile() writes the module "pkg.sub._foo": <tmpdir>/pkg/sub/_foo.py."""
    parts = spec.module_name.split(".")
    return os.path.join(tmpdir, *parts[:-1], parts[-1] + ".py")


def compile_abi_module(ffi, spec, tmpdir=".", verbose=False, target=None):
    """Write <tmpdir>/<package dirs>/<module>.py (unless it is already up to date) and return
    its path.  As in cffi, `target` does not apply to ABI mode."""
    path = module_path(spec, tmpdir)
    if verbose:
        print("generating %s" % (path,))
    source = module_source(ffi, spec)
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    if not _write_if_changed(path, source) and verbose:
        print("(already up-to-date)")
    return path


def _write_if_changed(path, source):
    """Write `source` unless the file already holds it (its mtime is kept, spec 8.5);
    True if written."""
    try:
        with io.open(path, "r", encoding="utf-8") as existing:
            if existing.read() == source:
                return False
    except (OSError, UnicodeDecodeError):
        pass
    _write(path, source)
    return True


def _write(path, source):
    """Write through a temporary file, so an importer never sees half a module."""
    temp = "%s.~%d" % (path, os.getpid())
    with io.open(temp, "w", encoding="utf-8") as out:
        out.write(source)
    os.replace(temp, path)
