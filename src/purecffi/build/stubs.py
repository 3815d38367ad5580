"""Type stubs (.pyi) for generated modules: `lib`'s functions, constants and globals typed.

compile(), emit_python_code() and emit_c_code() call write_stub(); `stubs=` chooses where:
True (the default) writes NAME.pyi beside the module, False writes nothing, and a path writes
there (a path ending in ".pyi" is the file, any other a directory that gets NAME.pyi).

C types become Python types as the conversions of the spec (table 7.2) make them: integers and
enums `int`, floating types `float`, `_Bool` `bool`, `char` `bytes`, wide characters `str`,
`char *` parameters `bytes | CData`, other pointer parameters also a list or tuple (which
initialises a temporary array, as in cffi) except `void *`, every other pointer, array, struct,
union and function pointer `CData`, `void` results `None`.
"""
import keyword
import os

from .. import platform as plat
from ..ctype import ARRAY, ENUM, POINTER, PRIMITIVE, VOID

__all__ = ["stub_source", "write_stub", "write_emitted_stub", "stub_path"]

HEADER = """\
# auto-generated file: the types of module %(name)r for type checkers (mypy, pyright).
# Written by purecffi.build.stubs from the build script's cdef(); do not edit.
"""
_PRIMITIVE_TYPES = {plat.INT: "int", plat.CHAR: "bytes", plat.BOOL: "bool", plat.WCHAR: "str",
                    plat.FLOAT: "float", plat.LONGDOUBLE: "float", plat.COMPLEX: "complex"}
_RESULT_OVERRIDES = {plat.LONGDOUBLE: "CData"}         # cffi returns long double as cdata
_ARGUMENT_OVERRIDES = {plat.BOOL: "int", plat.LONGDOUBLE: "float | CData"}
_STRING_ITEMS = {plat.CHAR: "bytes", plat.WCHAR: "str"}


# -- C types as Python types ----
def python_type(ctype, is_result=False):
    """The Python type a value of C type `ctype` has (as a result), or may have (as an
    argument)."""
    if ctype.kind == VOID:
        return "None"
    if ctype.kind == ENUM:
        return "int"
    if ctype.kind == PRIMITIVE:
        category = getattr(ctype, "category", None)
        overrides = _RESULT_OVERRIDES if is_result else _ARGUMENT_OVERRIDES
        if category in overrides:
            return overrides[category]
        return _PRIMITIVE_TYPES.get(category, "Any")
    if not is_result and ctype.kind in (POINTER, ARRAY):
        category = getattr(ctype.item, "category", None)
        if ctype.item.kind == PRIMITIVE and category in _STRING_ITEMS:
            return "%s | CData" % _STRING_ITEMS[category]
        if ctype.item.kind != VOID:            # a list or tuple initialises a temporary array
            return "CData | list[Any] | tuple[Any, ...]"
    return "CData"


def _signature(name, fntype, method=True):
    """`def name(self, a0: int, /) -> int: ...` for a function type."""
    params = ["a%d: %s" % (i, python_type(arg)) for i, arg in enumerate(fntype.args)]
    if params:
        params.append("/")
    if fntype.ellipsis:
        params.append("*args: CData")
    if method:
        params.insert(0, "self")
    return "def %s(%s) -> %s: ..." % (name, ", ".join(params),
                                     python_type(fntype.result, is_result=True))


# -- Collect and emit ----
def _lib_members(decls):
    """Lines of the lib class body: constants, globals, functions, extern "Python"."""
    lines = []
    for name, (ctype, value) in sorted(decls.constants.items()):
        lines.append(_attribute(name, _constant_type(ctype, value)))
    for name, (ctype, _) in sorted(decls.variables.items()):
        lines.append(_attribute(name, python_type(ctype, is_result=True)))
    functions = dict(decls.functions)
    functions.update((name, raw) for name, (raw, _) in decls.extern_python.items())
    for name, fntype in sorted(functions.items()):
        lines.append(_usable(name) and "    " + _signature(name, fntype)
                     or "    # %s: not a Python identifier" % name)
    return lines or ["    pass"]


def _constant_type(ctype, value):
    """The Python type of a constant (a #define without a type holds an int or float)."""
    if ctype is None:
        return type(value).__name__ if isinstance(value, (int, float)) else "Any"
    return python_type(ctype, is_result=True)


def _attribute(name, python):
    """`    name: type` (a comment if `name` cannot be an attribute in Python syntax)."""
    if not _usable(name):
        return "    # %s: not a Python identifier" % name
    return "    %s: %s" % (name, python)


def _usable(name):
    """Whether `name` can be written as an attribute in a stub."""
    return name.isidentifier() and not keyword.iskeyword(name)


def stub_source(ffi, module_name, api_mode):
    """The text of the .pyi stub of the module made from `ffi`."""
    lines = [HEADER % {"name": module_name},
             "from typing import Any\n",
             "from purecffi import FFI",
             "from purecffi.cdatabase import CData\n\n",
             "class _Lib:",
             '    """The lib of %s: its functions, constants and global variables."""'
             % module_name]
    lines += _lib_members(ffi._decls)
    if api_mode:
        lines += ["\n", "ffi: FFI", "lib: _Lib"]
    else:
        lines += ["\n", "class _FFI(FFI):",
                  "    def dlopen(self, name: str | None, flags: int = ...) -> _Lib: ...",
                  "\n", "ffi: _FFI"]
    return "\n".join(lines) + "\n"


def stub_path(module_name, directory, stubs=True):
    """Where the stub of `module_name` goes (None if stubs=False)."""
    if stubs is False or stubs is None:
        return None
    base = module_name.rpartition(".")[2] + ".pyi"
    if stubs is True:
        return os.path.join(directory, base)
    stubs = os.fspath(stubs)
    return stubs if stubs.endswith(".pyi") else os.path.join(stubs, base)


def write_stub(ffi, spec, directory, stubs=True):
    """Write the stub of the module of `spec` (see stub_path); returns its path or None."""
    from .abi_module import _write_if_changed
    path = stub_path(spec.module_name, directory, stubs)
    if path is None:
        return None
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    _write_if_changed(path, stub_source(ffi, spec.module_name, spec.source is not None))
    return path


def write_emitted_stub(ffi, spec, filename, stubs=True):
    """The stub for emit_python_code()/emit_c_code() of `filename`: beside a .py as its
    name.pyi, beside a .c as the module's NAME.pyi; none for a file object unless `stubs` is a
    path."""
    if stubs is True:
        if not isinstance(filename, (str, os.PathLike)):
            return None
        filename = os.fspath(filename)
        if spec.source is None:
            stubs = os.path.splitext(filename)[0] + ".pyi"
        else:
            stubs = os.path.join(os.path.dirname(filename),
                                 spec.module_name.rpartition(".")[2] + ".pyi")
    return write_stub(ffi, spec, ".", stubs)
