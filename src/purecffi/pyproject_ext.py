"""Builds without setup.py: `[tool.purecffi] modules = [...]` in pyproject.toml.

purecffi registers `finalize_distribution_options` under the entry point group
`setuptools.finalize_distribution_options`, so setuptools calls it for every distribution it
builds while purecffi is installed (a build requirement).  It reads the project's
pyproject.toml and, when there is a `[tool.purecffi]` table, hands its `modules` list to the
`purecffi_modules` keyword of setuptools_ext.py, which does the rest exactly as for
`setup(purecffi_modules=[...])`:

    [tool.purecffi]
    modules = ["src/pkg/_build.py:ffibuilder"]
"""
import os

__all__ = ["finalize_distribution_options", "configured_modules"]

TABLE = "tool.purecffi"


def finalize_distribution_options(dist):
    """The setuptools hook: build the modules named in pyproject.toml's [tool.purecffi]."""
    modules = configured_modules(os.path.join(_project_root(dist), "pyproject.toml"))
    if modules is None:
        return
    from .setuptools_ext import purecffi_modules
    purecffi_modules(dist, TABLE + ".modules", modules)


finalize_distribution_options.order = 100     # after setuptools' own hooks


def configured_modules(path):
    """The `modules` list of [tool.purecffi] in the pyproject.toml at `path`, or None when
    the file or the table is absent."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if b"purecffi" not in data:                # the common case: not a purecffi project
        return None
    table = _load_toml(data, path).get("tool", {}).get("purecffi")
    if table is None:
        return None
    return _check_table(table, path)


def _check_table(table, path):
    """The modules of a [tool.purecffi] table, refusing keys and values it cannot hold."""
    from setuptools.errors import SetupError
    unknown = sorted(set(table) - {"modules"})
    if unknown:
        raise SetupError("%s: [%s] has unknown key(s) %s; it takes 'modules', a list of "
                         "'path/to/build.py:ffibuilder' strings" % (path, TABLE, ", ".join(unknown)))
    modules = table.get("modules", [])
    if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
        raise SetupError("%s: [%s] modules must be a list of 'path/to/build.py:ffibuilder' "
                         "strings, got %r" % (path, TABLE, modules))
    return modules


def _load_toml(data, path):
    """Parse TOML bytes (tomllib; on Python 3.10 tomli, or the copy setuptools vendors)."""
    tomllib = _toml_module()
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        from setuptools.errors import SetupError
        raise SetupError("%s: not valid TOML: %s" % (path, e)) from None


def _toml_module():
    """A TOML parser module: tomllib on Python 3.11+, else tomli."""
    import importlib
    for name in ("tomllib", "tomli", "setuptools.extern.tomli", "setuptools._vendor.tomli"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    from setuptools.errors import SetupError
    raise SetupError("[%s] in pyproject.toml needs a TOML parser: pip install tomli" % TABLE)


def _project_root(dist):
    """The directory setup() runs in (setuptools runs builds from the project root)."""
    return getattr(dist, "src_root", None) or os.getcwd()
