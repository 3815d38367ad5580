"""extern "Python" functions of API-mode modules (spec 6.7): the C function the module
defines calls the handler attached by `ffi.def_extern()`, which reads the arguments from C
memory, calls the Python function and writes its result (errors reported as 6.7.4 says)."""
import ctypes
import sys

from . import platform as plat
from .cdatabase import cffi_type_name
from .convert import prepare
from .ctype import TYPES
from .callback import _print_exception, _print_onerror_failure, _user_traceback, result_writer
from .errors import CompiledFFIError
from .memory import MEM, read_address

_POINTER_SIZE = plat.POINTER_SIZE

__all__ = ["ExternPython", "def_extern"]


class ExternPython:
    """One extern "Python" function of the module: its C-side index and type."""

    def __init__(self, module, name, rawtype, index, address):
        self.set_extern, self.name, self.rawtype = module._pc_set_extern, name, rawtype
        self.index, self.address = index, address
        self.fnptr = TYPES.function_pointer(rawtype)

    def attach(self, python_callable, error, onerror):
        """ffi.def_extern(): from now on the C function calls `python_callable`."""
        handler = _ExternHandler(self.rawtype, python_callable, error, onerror)
        self.set_extern(self.index, handler, python_callable)


class _ExternHandler:
    """What the C function calls, with the address of its argument pointers and of its
    result: reads the arguments, calls the Python function, writes the result; exceptions are
    reported as 6.7.4 says (onerror, else printed; then `error`, 0 by default)."""

    __slots__ = ("python_callable", "onerror", "readers", "writer", "error_bytes")

    def __init__(self, rawtype, python_callable, error, onerror):
        self.python_callable, self.onerror = python_callable, onerror
        self.readers = [prepare(t).read for t in rawtype.args]
        result = rawtype.result
        self.writer = result_writer(result) if result.kind != "void" else self._void_result
        self.error_bytes = _error_bytes(result, error)

    @staticmethod
    def _void_result(address, value):
        if value is not None:
            raise TypeError("callback with the return type 'void' must return None")

    def __call__(self, args_address, result_address):
        try:
            value = self.python_callable(*[
                read(read_address(MEM, args_address + i * _POINTER_SIZE)[0], None)
                for i, read in enumerate(self.readers)])
        except BaseException:
            replacement = self.failed(sys.exc_info(), False)
        else:
            try:
                self.writer(result_address, value)
                return
            except BaseException:
                replacement = self.failed(sys.exc_info(), True)
        MEM[result_address:result_address + len(replacement)] = replacement

    def _from_c(self, result_address, value, exc):
        """The C fast path (number-only signatures) called the Python function itself and
        met something it does not convert: the result `value` (if `exc` is None) or the
        exception the function raised."""
        if exc is None:
            try:
                self.writer(result_address, value)
                return
            except BaseException:
                replacement = self.failed(sys.exc_info(), True)
        else:
            replacement = self.failed((type(exc), exc, exc.__traceback__), False)
        MEM[result_address:result_address + len(replacement)] = replacement

    def failed(self, exc_info, converting_result):
        """Report the exception; the bytes C gets as the result: onerror's result, else the
        `error` value (also when reporting fails too: RecursionError...)."""
        try:
            return self._report(exc_info, converting_result)
        except BaseException:
            return self.error_bytes

    def _report(self, exc_info, converting_result):
        """Print the exception or give it to onerror; the bytes C gets as the result.
        onerror raising, or giving what does not convert, is reported too."""
        exc_type, exc_value, tb = exc_info
        tb = None if converting_result else _user_traceback(tb)    # the user's frames (6.7.4)
        fn = self.python_callable
        if self.onerror is None:
            _print_exception(fn, converting_result, exc_type, exc_value, tb)
            return self.error_bytes
        try:
            replacement = self.onerror(exc_type, exc_value, tb)
        except BaseException:
            failure = sys.exc_info()
            failure = failure[:2] + (_user_traceback(failure[2]),)
        else:
            if replacement is None:
                return self.error_bytes
            try:
                return self.result_bytes(replacement)
            except BaseException:
                failure = sys.exc_info()[:2] + (None,)      # our conversion code: not shown
        _print_exception(fn, converting_result, exc_type, exc_value, tb)
        _print_onerror_failure(*failure)
        return self.error_bytes

    def result_bytes(self, value):
        """The bytes of `value` converted to the result type (raises if it does not fit)."""
        buf = ctypes.create_string_buffer(len(self.error_bytes))
        self.writer(ctypes.addressof(buf), value)
        return buf.raw


def _error_bytes(result, error):
    """The bytes of the `error` value written as the result when the callable fails."""
    if result.kind == "void":
        if error is not None:       # cffi's words
            raise TypeError("callback with the return type 'void' must return None")
        return b""
    buf = ctypes.create_string_buffer(result.byte_size)
    if error is not None:
        prepare(result).write(ctypes.addressof(buf), error)
    return buf.raw


def def_extern(ffi, name=None, error=None, onerror=None):
    """@ffi.def_extern(): attach a Python function to an extern "Python" function."""
    externs = getattr(ffi, "_api_externs", None)
    if externs is None:
        raise ValueError("ffi.def_extern() is only available on API-mode FFI objects")

    def decorator(python_callable):
        """The arguments checked here, in cffi's order: the name, the function, the
        extern "Python" function of that name, `onerror`."""
        if name is not None and not isinstance(name, str):
            raise TypeError("argument 2 must be str or None, not %s" % (cffi_type_name(name),))
        if not callable(python_callable):
            raise TypeError("expected a callable object, not %s"
                            % (cffi_type_name(python_callable),))
        key = name if name is not None else python_callable.__name__
        entry = externs.get(key)
        if entry is None:
            raise CompiledFFIError("ffi.def_extern('%s'): no 'extern \"Python\"' function with this "
                           "name" % (key,))
        if onerror is not None and not callable(onerror):
            raise TypeError("expected a callable object for 'onerror', not %s"
                            % (cffi_type_name(onerror),))
        entry.attach(python_callable, error, onerror)
        return python_callable
    return decorator
