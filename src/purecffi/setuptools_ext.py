"""Setuptools integration: the `purecffi_modules` keyword of `setup()` (spec 5.1, 8.3, 8.10).

purecffi registers the keyword through the entry point group `distutils.setup_keywords`
(pyproject.toml), so a project that has purecffi installed at build time can write

    setup(..., purecffi_modules=["pkg/foo_build.py:ffibuilder"])

Each entry is "path/to/build_script.py:name": the path is relative to the project root (the
directory setup() runs in; the ".py" may be left out), `name` the global of the script holding
the FFI builder (default "ffibuilder"; a callable returning the builder is accepted too).  The
script runs in its own namespace with `__name__ == "__cffi__"`, as under cffi (so its
`if __name__ == "__main__": ffibuilder.compile()` does not run) and its directory on sys.path.

  * ABI mode, `set_source("pkg._foo", None)`: `build_py` writes pkg/_foo.py into its build_lib,
    so wheels and installs carry it; in-place builds (`build_ext --inplace`, `develop`,
    editable installs) write it beside the package's sources.  No C compiler is involved.
  * API mode, `set_source("pkg._foo", "C source", ...)`: the builder's Extension is appended
    to `dist.ext_modules`; `build_ext` writes its C file (under build/purecffi/) and
    compiles it.

The keyword is named `purecffi_modules`, not `cffi_modules`, so that purecffi and cffi can be
installed side by side without fighting over the same setup() keyword.
"""
import os
import sys

from .build.stubs import write_stub

__all__ = ["purecffi_modules", "load_builder"]

DEFAULT_GLOBAL = "ffibuilder"
SCRIPT_MODULE_NAME = "__cffi__"             # (the name cffi runs build scripts under)


# -- The setup() keyword ----
def purecffi_modules(dist, attr, value):
    """The `distutils.setup_keywords` hook: register every "script.py:name" of `value`."""
    from setuptools.errors import SetupError
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise SetupError("%s must be a list of 'path/to/build.py:ffibuilder' strings, got %r"
                         % (attr, value))
    done = _registered_entries(dist)
    for entry in value:
        if not isinstance(entry, str):          # (cffi's words)
            raise SetupError("argument to '%s=...' must be a str or a list of str, not %r"
                             % (attr, type(entry).__name__))
        if entry not in done:           # the hook may be registered twice (two installs)
            add_module(dist, entry)
            done.add(entry)


def add_module(dist, entry):
    """Load the builder named by `entry` and arrange for `dist` to build its module."""
    from setuptools.errors import SetupError
    ffi = load_builder(entry)
    spec = getattr(ffi, "_source_spec", None)
    if spec is None:
        raise SetupError("%r: the set_source() method was not called" % (entry,))
    if spec.source is None:
        _abi_modules(dist).append(ffi)
        _hook_command(dist, "build_py", _BuildPyMixin)
        _hook_command(dist, "build_ext", _BuildExtMixin)
    else:
        _add_extension(dist, ffi, entry)


# -- Loading the build script ----
def split_entry(entry):
    """'dir/foo_build.py:ffi' -> ('dir/foo_build.py', 'ffi'); the name defaults to ffibuilder."""
    path, sep, name = entry.rpartition(":")
    if not sep or not name.isidentifier():
        path, name = entry, DEFAULT_GLOBAL
    if not path.endswith(".py") and not os.path.exists(path):
        path += ".py"
    return path, name


def load_builder(entry, root=None):
    """Execute the build script of `entry` (relative to `root`, default the current directory)
    and return the FFI builder it defines.  Errors are cffi's (DistutilsSetupError)."""
    from setuptools.errors import SetupError
    from .api import FFI
    relative, name = split_entry(entry)
    path = os.path.join(root or os.getcwd(), relative)
    if not os.path.isfile(path):
        raise SetupError("%r does not name an existing file" % (relative,))
    namespace = _run_script(path)
    if name not in namespace:
        raise SetupError("%r: object %r not found in module" % (entry, name))
    ffi = namespace[name]
    if not isinstance(ffi, FFI) and callable(ffi):
        ffi = ffi()
    if not isinstance(ffi, FFI):
        hint = ""
        if type(ffi).__module__.split(".")[0] in ("cffi", "_cffi_backend"):
            hint = " (a builder made with the real cffi: it belongs in its cffi_modules)"
        raise SetupError("%r is not an FFI instance (got %r)%s"
                         % (entry, type(ffi).__name__, hint))
    return ffi


def _run_script(path):
    """Run the script at `path` in a fresh namespace, with its directory first on sys.path."""
    directory = os.path.dirname(os.path.abspath(path))
    namespace = {"__name__": SCRIPT_MODULE_NAME, "__file__": path, "__builtins__": __builtins__}
    with open(path, encoding="utf-8") as f:
        code = compile(f.read(), path, "exec")
    sys.path.insert(0, directory)
    try:
        exec(code, namespace)
    finally:
        if directory in sys.path:
            sys.path.remove(directory)
    return namespace


# -- API mode: an extension module for build_ext ----
def _add_extension(dist, ffi, entry):
    """Append the builder's Extension to dist.ext_modules.  Its C file is written when
    build_ext runs, as cffi does: setup() for other commands (`setup.py --version`, egg_info,
    sdist) writes and prints nothing."""
    from .build.extension import extension_of
    spec = ffi._source_spec
    parts = spec.module_name.split(".")
    c_file = os.path.join("build", "purecffi", *parts[:-1])
    c_file = os.path.join(c_file, parts[-1] + spec.source_extension)
    extension = extension_of(ffi, spec, c_file)
    if dist.ext_modules is None:
        dist.ext_modules = []
    dist.ext_modules.append(extension)
    _api_modules(dist).append(ffi)              # build_py writes their .pyi stubs
    _c_files(dist).append((ffi, c_file))
    _hook_command(dist, "build_py", _BuildPyMixin)
    _hook_command(dist, "build_ext", _BuildExtMixin)


def write_c_files(cmd):
    """Write the C file of every API-mode module of cmd.distribution (if it changed)."""
    from .build.extension import write_module_c
    for ffi, c_file in _c_files(cmd.distribution):
        os.makedirs(os.path.dirname(c_file), exist_ok=True)
        if write_module_c(ffi, ffi._source_spec, c_file):
            cmd.announce("generated %s" % (c_file,), level=2)


# -- ABI mode: writing the .py modules ----
def _registered_entries(dist):
    """The entries of purecffi_modules already handled for `dist` (a set kept on it)."""
    entries = getattr(dist, "_purecffi_entries", None)
    if entries is None:
        entries = dist._purecffi_entries = set()
    return entries


def _abi_modules(dist):
    """The ABI-mode builders registered on `dist` (a list kept on the distribution)."""
    modules = getattr(dist, "_purecffi_abi_modules", None)
    if modules is None:
        modules = dist._purecffi_abi_modules = []
    return modules


def _api_modules(dist):
    """The API-mode builders registered on `dist` (for their .pyi stubs)."""
    modules = getattr(dist, "_purecffi_api_modules", None)
    if modules is None:
        modules = dist._purecffi_api_modules = []
    return modules


def _c_files(dist):
    """(builder, C file) of the API-mode modules registered on `dist`."""
    files = getattr(dist, "_purecffi_c_files", None)
    if files is None:
        files = dist._purecffi_c_files = []
    return files


def _hook_command(dist, command_name, mixin):
    """Make dist's `command_name` class a subclass of `mixin` and of the class it had."""
    base = dist.get_command_class(command_name)
    if issubclass(base, mixin):
        return
    dist.cmdclass[command_name] = type(base.__name__, (mixin, base), {})


def _split_module(module_name):
    """'pkg.sub._foo' -> ('pkg.sub', '_foo')."""
    package, _, base = module_name.rpartition(".")
    return package, base


def _write_module(ffi, path):
    """Write the ABI module of `ffi` at `path` (untouched if already up to date)."""
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    ffi.emit_python_code(path)
    return path


def build_lib_path(ffi, build_lib):
    """Where the module of `ffi` goes under a build directory: <build_lib>/pkg/_foo.py."""
    package, base = _split_module(ffi._source_spec.module_name)
    return os.path.join(build_lib, *(package.split(".") if package else ()), base + ".py")


def inplace_path(ffi, build_py):
    """Where the module of `ffi` goes in the source tree, following the package_dir mapping."""
    package, base = _split_module(ffi._source_spec.module_name)
    return os.path.join(build_py.get_package_dir(package), base + ".py")


def write_inplace(cmd):
    """Write every ABI module of cmd.distribution beside its package's sources."""
    build_py = cmd.get_finalized_command("build_py")
    return [_write_module(ffi, inplace_path(ffi, build_py))
            for ffi in _abi_modules(cmd.distribution)]


class _BuildPyMixin:
    """build_py that also writes the ABI-mode modules: into build_lib, or in place when
    setuptools builds an editable install."""

    def run(self):
        super().run()
        editable = getattr(self, "editable_mode", False)
        if editable:
            write_inplace(self)
        else:
            for ffi in _abi_modules(self.distribution):
                _write_module(ffi, build_lib_path(ffi, self.build_lib))
        for ffi in _api_modules(self.distribution):
            path = inplace_path(ffi, self) if editable else build_lib_path(ffi, self.build_lib)
            write_stub(ffi, ffi._source_spec, os.path.dirname(path))

    def get_outputs(self, *args, **kwargs):
        outputs = list(super().get_outputs(*args, **kwargs))
        if not getattr(self, "editable_mode", False):
            outputs.extend(build_lib_path(ffi, self.build_lib)
                           for ffi in _abi_modules(self.distribution))
        return outputs


class _BuildExtMixin:
    """build_ext that writes the C files of the API-mode modules, and the ABI-mode modules in
    place when it builds in place (the `develop` command and `setup.py build_ext --inplace`)."""

    def run(self):
        if self.inplace or getattr(self, "editable_mode", False):
            write_inplace(self)
        write_c_files(self)
        super().run()
