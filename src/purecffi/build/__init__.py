"""Builders: the out-of-line Python module (ABI mode), the API-mode C module, compilation.

`FFI.set_source()` records a `SourceSpec`; `compile()`, `emit_python_code()` and `emit_c_code()`
dispatch on it: `source is None` means out-of-line ABI mode (`abi_module.py`), a C source means
API mode (`api_module.py` + `compiler.py`).
"""


class SourceSpec:
    """What set_source() recorded: module name, C source (None for ABI mode), Extension kwargs."""

    def __init__(self, module_name, source, source_extension=".c", kwds=None):
        self.module_name = module_name
        self.source = source
        self.source_extension = source_extension
        self.kwds = dict(kwds or {})


def set_source_spec(module_name, source, source_extension=".c", kwds=None):
    """The SourceSpec of ffi.set_source(), its module name checked as cffi's."""
    if "/" in module_name:
        raise ValueError("'module_name' must not contain '/': use a dotted name to make a "
                         "'package.module' location")
    return SourceSpec(module_name, source, source_extension, kwds)
