"""The `cffi_modules` setup() keyword: purecffi's setuptools hook under cffi's name."""
from purecffi.setuptools_ext import add_module as add_cffi_module
from purecffi.setuptools_ext import purecffi_modules as cffi_modules

__all__ = ["cffi_modules", "add_cffi_module"]
