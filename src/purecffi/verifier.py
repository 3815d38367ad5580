"""ffi.verify(): in-line API mode (deprecated in CFFI, spec 8.9) -- build, cache and load.

The module is the API-mode module of build/api_module.py, named `_cffi_<tag>_<hash>` where the
hash covers the cdef() declarations, the source and the build keywords (not `relative_to`), so
an unchanged verify() finds the module already built in the cache directory and only loads it.
The cache directory: the `tmpdir` argument, else set_tmpdir(), else $CFFI_TMPDIR, else the
`__pycache__` next to the file calling verify().
"""
import binascii
import importlib.machinery
import importlib.util
import os
import sys
import sysconfig

from .build import SourceSpec
from .errors import VerificationError
from .verify_lib import make_ffilibrary

__all__ = ["verify", "Verifier", "set_tmpdir", "cleanup_tmpdir"]

_TMPDIR = None


def set_tmpdir(dirname):
    """Set the directory used by verify() when it is not given `tmpdir`."""
    global _TMPDIR
    _TMPDIR = dirname


def _caller_dir_pycache(depth=2):
    """The default cache directory: set_tmpdir()'s, $CFFI_TMPDIR, or the `__pycache__` next
    to the file of the caller `depth` frames above our caller."""
    if _TMPDIR:
        return _TMPDIR
    env = os.environ.get("CFFI_TMPDIR")
    if env:
        return env
    frame = sys._getframe(depth + 1)
    filename = frame.f_code.co_filename
    return os.path.abspath(os.path.join(os.path.dirname(filename), "__pycache__"))


def cleanup_tmpdir(tmpdir=None, keep_so=False):
    """Remove what verify() made in `tmpdir` (the default cache directory if None), as cffi
    does: its `_cffi_*.c` and `_cffi_*<extension suffix>` files (any case), and the files of
    its `build` subdirectory (not the directories)."""
    tmpdir = tmpdir or _TMPDIR or os.environ.get("CFFI_TMPDIR") or os.path.join(
        os.path.dirname(os.path.abspath(sys._getframe(1).f_code.co_filename)), "__pycache__")
    try:
        names = os.listdir(tmpdir)
    except OSError:
        return
    suffix = _so_suffix().lower()
    for name in names:
        lowered = name.lower()
        if lowered.startswith("_cffi_") and (
                lowered.endswith(".c") or (not keep_so and lowered.endswith(suffix))):
            _unlink(os.path.join(tmpdir, name))
    for root, _, files in os.walk(os.path.join(tmpdir, "build")):
        for name in files:
            _unlink(os.path.join(root, name))


def _unlink(path):
    """Remove the file at `path`, if it is one."""
    try:
        os.unlink(path)
    except OSError:
        pass


def _so_suffix():
    return sysconfig.get_config_var("EXT_SUFFIX") or importlib.machinery.EXTENSION_SUFFIXES[0]


def _module_name(ffi, source, kwargs, tag, source_extension):
    """`_cffi_<tag>_<crc of the source and keywords><crc of the declarations>`."""
    from .apidecls import dump
    key1 = "\x00".join([sys.version, source, source_extension, repr(sorted(
        (k, v) for k, v in kwargs.items()))])
    key2 = dump(ffi)
    crc1 = binascii.crc32(key1.encode("utf-8")) & 0xffffffff
    crc2 = binascii.crc32(key2.encode("utf-8")) & 0xffffffff
    return "_cffi_%s_%08x%08x" % (tag, crc1, crc2)


def verify(ffi, source="", tmpdir=None, **kwargs):
    """Build (or find built) and load the module; give `ffi` its real layouts; the lib.
    `ffi.verifier` is then the Verifier of that module (its get_extension() for setup.py)."""
    verifier = Verifier(ffi, source, tmpdir or _caller_dir_pycache(), **kwargs)
    ffi.verifier = verifier
    return verifier.load_library()


class Verifier:
    """The module of one verify(): its C file, where it is built, and its setuptools
    Extension (`ffi.verifier.get_extension()`, for a setup.py that builds it ahead).
    Constructed as cffi's: `Verifier(ffi, preamble, tmpdir=None, ...)`."""

    def __init__(self, ffi, preamble, tmpdir=None, modulename=None, ext_package=None,
                 tag="", force_generic_engine=False, source_extension=".c", flags=None,
                 relative_to=None, **kwds):
        _refuse_set_source_only(ffi)
        self.ffi, self.preamble, self.flags = ffi, preamble, flags
        self._built = _BuiltView(ffi)
        self.tmpdir, self.ext_package = tmpdir or _caller_dir_pycache(1), ext_package
        name = modulename or _module_name(self._built, preamble, kwds, tag, source_extension)
        self.kwds = kwds = self.make_relative_to(kwds, relative_to)
        self._spec = SourceSpec(name, preamble, source_extension, kwds)
        self.sourcefilename = os.path.join(self.tmpdir, name + source_extension)
        self.modulefilename = os.path.join(self.tmpdir, name + _so_suffix())
        self._has_source = self._has_module = False

    def make_relative_to(self, kwds, relative_to):
        """`kwds` with the paths of sources, include_dirs, library_dirs, extra_objects and
        depends taken from the directory of `relative_to` (a file), as cffi's."""
        dirname = os.path.dirname(relative_to) if relative_to else ""
        if not dirname:
            return kwds
        kwds = dict(kwds)
        for key in ("sources", "include_dirs", "library_dirs", "extra_objects", "depends"):
            if key in kwds:
                kwds[key] = [os.path.join(dirname, name) for name in kwds[key]]
        return kwds

    def generates_python_module(self):
        """True: the module is a CPython extension module (cffi's answer)."""
        return True

    def get_module_name(self):
        """The module's name (without its package)."""
        return self._spec.module_name

    def write_source(self, file=None):
        """Write the module's C file (once, as cffi's), or into the open `file`."""
        if file is not None:
            file.write(self._c_source())
            return
        if self._has_source:
            raise VerificationError("source code already written")
        self._write_source()

    def _c_source(self):
        """The text of the module's C file: API mode's, with verify()'s integer constants."""
        from .build.api_module import generate_c_source
        return generate_c_source(self._built, self._spec, prelude=_VERIFY_PRELUDE)

    def _write_source(self):
        from .build.api_module import write_c_source
        os.makedirs(self.tmpdir, exist_ok=True)
        write_c_source(self.sourcefilename, self._c_source())
        self._has_source = True

    def compile_module(self):
        """Write (unless written) and compile the module into `modulefilename` (once)."""
        if self._has_module:
            raise VerificationError("module already compiled")
        self._compile_module()

    def _compile_module(self):
        from .build.compiler import build_extension
        if not self._has_source:
            self._write_source()
        built = build_extension(self._spec, self.sourcefilename, self.tmpdir)
        if os.path.abspath(built) != os.path.abspath(self.modulefilename):
            os.replace(built, self.modulefilename)
        self._has_module = True

    def get_extension(self):
        """The setuptools Extension building the module (its C file written if not yet)."""
        from .build.compiler import make_extension
        if not self._has_source:
            self._write_source()
        return make_extension(self._spec, self.sourcefilename)

    def load_library(self):
        """Load the module (built now if needed), give the ffi its real layouts: the lib."""
        module = self.load_module(self.flags if self.flags is not None else self.ffi.RTLD_NOW)
        mismatch = module.ffi._api_mismatches.verify_message()
        if mismatch is not None:
            raise VerificationError(mismatch)       # verify() checks everything at once
        kinds = type(module.lib)._pc_kinds
        for name in self.ffi._decls.functions:     # a module built for other declarations
            if kinds.get(name) != "function":
                raise AttributeError("function %s: module %r has no attribute %r"
                                     % (name, module.__name__, name))
        _adopt(self.ffi, module.ffi)
        return make_ffilibrary(self.ffi, module)

    def load_module(self, flags):
        """The module: installed in `ext_package` already (as cffi looks first), or built in
        the cache directory (compiled now if it is not there)."""
        path = self._installed_path()
        if path is None:
            path = self.modulefilename
            if not os.path.exists(path):
                self._compile_module()
        self._has_module = True
        name = self._spec.module_name
        qualified = name if not self.ext_package else self.ext_package + "." + name
        return _load(qualified, path, flags)

    def _installed_path(self):
        """The file of `ext_package.<name>` when that package holds it, else None."""
        if not self.ext_package:
            return None
        try:
            package = importlib.util.find_spec(self.ext_package)
        except (ImportError, ValueError):
            return None
        for directory in (package.submodule_search_locations or []) if package else []:
            for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                path = os.path.join(directory, self._spec.module_name + suffix)
                if os.path.isfile(path):
                    return path
        return None


# cffi's verify() converts what a `#define X ...` or integer constant is to an integer with
# casts: a float is truncated (set_source() refuses it; see api_module.emit_helpers); its
# functions' errors name them as the module's (api_fast_type: PC_VERIFY)
_VERIFY_PRELUDE = [
    "#define PC_VERIFY 1",
    "#define PC_INT(x) ((x) > 0 || (x) == 0 ? \\",
    "    PyLong_FromUnsignedLongLong((unsigned long long)(x)) : \\",
    "    PyLong_FromLongLong((long long)(x)))",
]


class _BuiltView:
    """What the module of verify() is generated from: `ffi`, where an included ffi that
    was not built (a plain cdef()) counts as part of its own declarations, which already hold
    its types and constants."""

    def __init__(self, ffi):
        self._decls = _declarations_to_build(ffi)
        self._included = [other for other in ffi._included
                          if getattr(other, "_source_spec", None) is not None]


def _refuse_set_source_only(ffi):
    """`typedef int... t;` needs set_source(), as in cffi's verify()."""
    from .ctype import UnknownNumberType
    for name, ctype in ffi._decls.types.items():
        if isinstance(ctype, UnknownNumberType):
            raise VerificationError(
                "feature not supported with ffi.verify(), but only with ffi.set_source(): "
                "'typedef %s... %s'" % ("float" if ctype.is_float else "int", name))


def _load(name, path, flags):
    """Import the extension module at `path` (once per process)."""
    module = sys.modules.get(name)
    if module is not None and getattr(module, "__file__", None) == path:
        return module
    old_flags = sys.getdlopenflags()
    sys.setdlopenflags(flags)
    try:
        loader = importlib.machinery.ExtensionFileLoader(name, path)
        spec = importlib.util.spec_from_file_location(name, path, loader=loader)
        try:
            module = importlib.util.module_from_spec(spec)
        except ImportError as exc:      # (an undefined symbol) cffi's words
            raise VerificationError("importing %r: %s" % (path, exc)) from None
        loader.exec_module(module)
    finally:
        sys.setdlopenflags(old_flags)
    sys.modules[name] = module
    return module


def _declarations_to_build(ffi):
    """The declarations a verify() builds from: the user's, before an earlier verify() of
    this ffi filled in their `...` (a second verify() with another source, as lmdb makes one
    per engine version, must not be checked against the first one's values)."""
    state = ffi.__dict__.get("_verify_state")
    if state is not None:
        original, adopted, count = state
        if ffi._decls is adopted and len(adopted.order) == count:   # no cdef() since
            return original
    return ffi._decls


def _adopt(ffi, compiled):
    """The user's ffi takes the declarations completed by the compiler (layouts, values);
    after a second verify() of the same declarations it keeps the first one's, as cffi does
    (its types stay those of the first module)."""
    with ffi._lock:
        state = ffi.__dict__.get("_verify_state")
        if state is not None and _declarations_to_build(ffi) is state[0]:
            _link_siblings(compiled._decls, ffi._decls)
            return
        ffi._verify_state = (ffi._decls, compiled._decls, len(compiled._decls.order))
        compiled._decls.declare_tags = True     # still an in-line ffi: cffi's in-line errors
        for ctype in list(compiled._decls.types.values()):
            if getattr(ctype, "generated", False):
                ctype.generated = False     # (an opaque one is read as in-line, as by cffi)
        ffi._decls = compiled._decls
        ffi._types.clear()
        ffi._api_externs = compiled._api_externs
        for other in _plain_includes(ffi):      # their structs go to the module's functions
            _share_types(compiled._decls, _link_siblings(compiled._decls, other._decls))


def _plain_includes(ffi):
    """The ffis `ffi` includes, directly or not, that set_source() did not build (their
    declarations were compiled into this module as its own)."""
    found, todo = [], list(ffi._included)
    while todo:
        other = todo.pop()
        if getattr(other, "_source_spec", None) is None and other not in found:
            found.append(other)
            todo.extend(other._included)
    return found


def _link_siblings(module_decls, ffi_decls):
    """The struct, union and enum types of a second module verified from the same
    declarations count as the ffi's own where a pointer is checked (convert.SIBLINGS)."""
    from .convert import SIBLINGS
    from .ctype import ENUM, STRUCT, UNION
    linked = {}
    for name, ctype in module_decls.types.items():
        own = ffi_decls.types.get(name)
        if own is not None and own is not ctype and ctype.kind in (STRUCT, UNION, ENUM) \
                and own.kind == ctype.kind:
            SIBLINGS[ctype] = linked[ctype] = own
    return linked


def _share_types(module_decls, linked):
    """The names of the module's own copies of an included ffi's complete types name the
    included ffi's objects, as with cffi (`base.typeof("struct s") is top.typeof(...)`)."""
    from .ctype import ENUM
    for name, ctype in list(module_decls.types.items()):
        own = linked.get(ctype)
        if own is not None and own.byte_size == ctype.byte_size and (
                own.kind == ENUM or own._fields is not None):
            module_decls.types[name] = own
    module_decls.type_cache.clear()
