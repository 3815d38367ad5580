"""cffi.recompiler's helpers that write a module's source, served by purecffi."""
from purecffi.build.sources import make_c_source, make_py_source

__all__ = ["make_c_source", "make_py_source"]
