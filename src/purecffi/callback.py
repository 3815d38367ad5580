"""Callbacks: C function pointers that call a Python callable (ffi.callback, spec 6.8).

A callback is a ctypes CFUNCTYPE thunk when ctypes can express its signature; ctypes cannot
return a struct from a callback (nor keep all the bits of a long double result), so such
callbacks are libffi closures made directly (through ctypes, on the libffi that ctypes loaded)
whose handler reads the arguments from C memory and writes the result there.  Either way the
conversions are the ones of convert.py, and an exception (in the callable, or converting its
result) is reported as 6.7.4 says: `onerror`, else printed to stderr, then `error` (0 or NULL
by default) is returned to C.
"""
import builtins
import ctypes
import struct
import sys
import threading
import types

from . import platform as plat
from .call import (BOOL_OF_BYTE, MSG_KEYWORDS, by_value_ctypes, make_lib_function,
                   primitive_ctypes, unsupported_by_value)
from .callback_direct import direct_caller
from .cdata import FunctionPtrCData, arity_error, concrete
from .cdatabase import cffi_type_name, make_cdata
from .cdata_value import value_cdata
from .finalizing import release, watch
from .lazy import once
from .convert import (LONGDOUBLE_BYTES, code_to_str, pointer_value, prepare, to_bool, to_char,
                      to_float, to_int, to_wchar)
from .ctype import ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, UNION, VOID, CType
from .memory import MEM, allocate, read_address
from .unraisable import report, user_traceback as _user_traceback

__all__ = ["make_callback", "CallbackCData"]

_POINTER_SIZE = plat.POINTER_SIZE
# pointer arguments reach the thunk as unsigned ints of their size: NULL is 0 (c_void_p gives
# None, which the thunk would have to turn into 0)
_ADDRESS_ARG = ctypes.c_uint64 if _POINTER_SIZE == 8 else ctypes.c_uint32


class CallbackCData(FunctionPtrCData):
    """The function pointer ffi.callback() returns; `_keep` holds the thunk and the callable."""

    __slots__ = ()
    _cffi_class_name = "__CDataOwnGC"       # (cdata_kinds)

    def __repr__(self):
        return "<cdata '%s' calling %r>" % (self._ctype.cname, self._keep.python_callable)

    def __getattr__(self, name):
        """A missing attribute: cffi's error (calls and conversions look none up here)."""
        raise AttributeError("cdata '%s' has no attribute '%s'" % (self._ctype.cname, name))

    def __call__(self, *args, **kwargs):
        # by the caller the callback keeps (made at the first call; two threads may both
        # make one, either is complete and does the same)
        if kwargs:
            raise TypeError(MSG_KEYWORDS)
        keep = self._keep
        try:
            function = keep.caller
        except AttributeError:
            function = keep.caller = _caller(self)
        try:
            return function(*args)
        except TypeError:
            if len(args) == len(self._ctype.args):
                raise
        raise arity_error(self._ctype, len(args))


def _caller(cdata):
    """What calling the callback from Python calls: through C, by a ctypes function, or its
    thunk directly when its signature allows it (see callback_direct)."""
    through_c = make_lib_function(cdata._ctype, cdata._addr)
    direct = prepare(cdata._ctype).callback_plan.direct
    if direct is None:
        return through_c
    return _MethodType(direct, (cdata._keep.state, through_c))


_CALLBACK_CLASS = concrete("cdata", CallbackCData)   # (the name Python's messages show)
_NEW = object.__new__
_MethodType = types.MethodType
# the C address a ctypes function object holds in its buffer (what ctypes.cast(thunk,
# c_void_p).value gives, without that Python function's frames): one C call
_HELD_POINTER = struct.Struct("P").unpack_from


# -- Creating callbacks ----
def make_callback(fntype, python_callable, error=None, onerror=None, compiled=False):
    """A C function pointer of type `fntype` calling `python_callable` (`compiled`: with the
    errors of cffi's compiled ffi)."""
    if fntype.kind != FUNCTION:
        raise TypeError("expected a function ctype, got '%s'" % (fntype.cname,))
    if not callable(python_callable):
        raise TypeError("expected a callable object, not %s" % (cffi_type_name(python_callable),)
                        if compiled else "the 'python_callable' argument is not callable")
    if onerror is not None and not callable(onerror):
        raise TypeError("expected a callable object for 'onerror', not %s"
                        % (cffi_type_name(onerror),))
    plan = fntype._rt.callback_plan if fntype._rt is not None else None
    if plan is None:
        plan = _plan_after_error(fntype, error)
    error = plan.zero if error is None else plan.error_value(error)
    cdata = _NEW(_CALLBACK_CLASS)       # its fields and the thunk's set here: no more frames
    if plan.function is not None:       # a ctypes thunk (what it keeps: see _CtypesPlan)
        state = (python_callable, error, onerror)
        keep = plan.prototype(_MethodType(plan.function, state))
        keep.state = state
        cdata._addr = _HELD_POINTER(keep)[0]
    else:
        keep = plan.make(python_callable, error, onerror)
        cdata._addr = keep.address
    cdata._ctype, cdata._keep = fntype, keep
    return cdata


_NO_TYPES = {}      # (never filled)


def callback_method(funcptr_key):
    """FFI.callback(), finding function types in the ffi's table under `funcptr_key` (a dict
    {cdecl string: function pointer type}).

    The common case (a signature used before, made with a ctypes thunk) is done here, in the
    method's one frame; the others go through make_callback().
    """
    def callback(self, cdecl, python_callable=None, error=None, onerror=None):
        """A C function pointer calling `python_callable` (or a decorator making one)."""
        fntype = self._types.get(funcptr_key, _NO_TYPES).get(cdecl) \
            if cdecl.__class__ is str else None
        if fntype is None:      # (a string seen before is under that key: no KeyError first)
            if python_callable is None and not isinstance(cdecl, (str, CType)) \
                    and self._decls.declare_tags:   # in-line: refused by the decorator, as
                return _decorator(cdecl, error, onerror, ffi=self)  # by cffi's
            fntype = self._typeof(cdecl, consider_function_as_funcptr=True)
        if python_callable is None:
            return _decorator(fntype, error, onerror, not self._decls.declare_tags)
        plan = fntype._rt.callback_plan if fntype._rt is not None else None
        if plan is None or plan.function is None or onerror is not None or \
                not callable(python_callable):
            return make_callback(fntype, python_callable, error, onerror,
                                 not self._decls.declare_tags)
        error = plan.zero if error is None else plan.error_value(error)
        cdata = _NEW(_CALLBACK_CLASS)       # as in make_callback()
        state = (python_callable, error, None)
        keep = plan.prototype(_MethodType(plan.function, state))
        keep.state = state
        cdata._addr = _HELD_POINTER(keep)[0]
        cdata._ctype, cdata._keep = fntype, keep
        return cdata
    return callback


def _decorator(fntype, error, onerror, compiled=False, ffi=None):
    """The decorator form of ffi.callback() (apart, so that the method's frame makes no closure
    cells for its variables at each call); with `ffi`, `fntype` is what was given for a type,
    which ffi.callback() refuses when the decorator is used."""
    def callback_decorator_wrap(func):
        if ffi is not None:
            return ffi.callback(fntype, func, error, onerror)
        return make_callback(fntype, func, error, onerror, compiled)
    callback_decorator_wrap.__qualname__ = "FFI.callback.<locals>.callback_decorator_wrap"
    return callback_decorator_wrap                  # named as cffi's, seen in its repr


def _plan_after_error(fntype, error):
    """callback_plan(fntype); for a type no callback can have, `error` is converted to the
    result type first, as cffi does (a bad one is its TypeError, not NotImplementedError)."""
    try:
        return callback_plan(fntype)
    except NotImplementedError as exc:
        refused = exc
    result = fntype.result
    if error is not None and result.kind == VOID:
        _void_result(result)(error)                 # (raises)
    if error is not None and result.byte_size > 0:
        buffer, address = allocate(result.byte_size)
        prepare(result).write(address, error)       # (raises for a bad value)
    raise refused


def _unsupported(fntype):
    return NotImplementedError("%s: callback with unsupported argument or return type or with "
                               "'...'" % (fntype.cname,))


def _check_supported(fntype):
    if fntype.ellipsis:
        raise _unsupported(fntype)
    for ctype, role in [(t, "argument") for t in fntype.args] + [(fntype.result, "return value")]:
        if ctype.kind == VOID and role == "return value":
            continue
        if ctype.kind in (PRIMITIVE, ENUM, STRUCT, UNION):
            problem = unsupported_by_value(ctype, role)
            if isinstance(problem, NotImplementedError):
                raise _unsupported(fntype)
            if problem is not None:
                raise problem
        elif ctype.kind not in (POINTER, FUNCTION):
            raise _unsupported(fntype)


_PLANS_LOCK = threading.Lock()


def callback_plan(fntype):
    """The prepared plan for callbacks of a function type (made once, kept with the type)."""
    rt = prepare(fntype)
    plan = rt.callback_plan
    if plan is None:
        _check_supported(fntype)
        result = fntype.result
        needs_libffi = result.kind in (STRUCT, UNION) or (
            result.kind == PRIMITIVE and result.category == plat.LONGDOUBLE)
        plan = (_LibffiPlan if needs_libffi else _CtypesPlan)(fntype)
        with _PLANS_LOCK:
            if rt.callback_plan is None:
                rt.callback_plan = plan
            plan = rt.callback_plan
    return plan


# -- Converting results (Python -> C) ----
def _int_result(ctype):
    base = ctype.base if ctype.kind == ENUM else ctype
    lo, hi = plat.int_bounds(base.byte_size, base.signed)

    def check(value, lo=lo, hi=hi, _int=int):
        if value.__class__ is _int and lo <= value <= hi:
            return value
        return to_int(ctype, value)
    return check


def _void_result(ctype):
    def check(value):
        if value is not None:
            raise TypeError("callback with the return type 'void' must return None")
        return None
    return check


_RESULT_CHECKS = {
    plat.INT: _int_result,
    plat.CHAR: lambda ctype: lambda value: to_char(ctype, value),
    plat.BOOL: lambda ctype: lambda value: bool(to_bool(ctype, value)),
    plat.WCHAR: lambda ctype: lambda value: to_wchar(ctype, value),
    plat.FLOAT: lambda ctype: lambda value: to_float(ctype, value),
}


def _result_check(ctype):
    """value -> what the ctypes thunk returns, raising TypeError/OverflowError like cffi."""
    if ctype.kind == VOID:
        return _void_result(ctype)
    if ctype.kind in (POINTER, FUNCTION):
        return lambda value: pointer_value(ctype, value)
    if ctype.kind == ENUM:
        return _int_result(ctype)
    return _RESULT_CHECKS[ctype.category](ctype)


# -- Converting arguments (C -> Python) for ctypes thunks ----
class _LongDoubleArg(ctypes.c_longdouble):
    """Makes ctypes hand the raw long double to the thunk (a subclass is not converted)."""


def _arg_handling(ctype, index):
    """(ctypes argtype, expression turning ctypes' value `aN` into cffi's, its globals)."""
    kind, arg = ctype.kind, "a%d" % (index,)
    if kind in (POINTER, FUNCTION):
        prepare(ctype)
        rt = prepare(ctype)
        names = {"CT%d" % index: ctype, "PREPARE": prepare, "NEW": object.__new__}
        if not _class_may_change(ctype):
            names["CLS%d" % index] = rt.cdata_class
            if rt.fast_class is not None:
                names["FAST%d" % index], names["MASK%d" % index] = rt.fast_class, rt.align_mask
        return _ADDRESS_ARG, "p%d" % (index,), names
    if kind == STRUCT:
        cls = prepare(ctype).cdata_class
        return by_value_ctypes(ctype), "CONV%d(%s)" % (index, arg), {
            "CONV%d" % index: lambda value: make_cdata(cls, ctype, ctypes.addressof(value),
                                                       value)}
    category = plat.INT if kind == ENUM else ctype.category
    if category == plat.BOOL:       # its byte (ctypes' c_bool makes any nonzero byte True)
        return ctypes.c_uint8, "BOOL(%s)" % (arg,), {"BOOL": BOOL_OF_BYTE}
    if category == plat.WCHAR:
        return primitive_ctypes(ctype), "CONV%d(%s)" % (index, arg), {
            "CONV%d" % index: lambda value: code_to_str(ctype, value)}
    if category == plat.LONGDOUBLE:
        return _LongDoubleArg, "CONV%d(%s)" % (index, arg), {
            "CONV%d" % index: lambda value: value_cdata(ctype, bytes(value)[:LONGDOUBLE_BYTES])}
    return primitive_ctypes(ctype), arg, {}


def _class_may_change(ctype):
    """Whether the cdata classes of pointer type `ctype` may change with a later cdef() (a
    pointer to a struct or union)."""
    item = getattr(ctype, "item", None)
    return item is not None and item.kind in (STRUCT, UNION)


def _result_ctypes(ctype):
    if ctype.kind == VOID:
        return None
    if ctype.kind in (POINTER, FUNCTION):
        return ctypes.c_void_p
    return primitive_ctypes(ctype)


# What cdata.pointer_to() does, inline (no frames): the cdata for a pointer argument `aN`.
# A pointer to a struct or union reads its classes at each call (a struct completed by a later
# cdef() changes them); any other pointer type's classes never change and are bound once
# (CLSN, and FASTN for non-NULL addresses aligned by MASKN).
_POINTER_ARGUMENT = """\
        rt = CT{i}._rt or PREPARE(CT{i})
        if a{i} and rt.fast_class is not None and not a{i} & rt.align_mask:
            p{i} = NEW(rt.fast_class)
        else:
            p{i} = NEW(rt.cdata_class)
        p{i}._ctype, p{i}._addr, p{i}._keep = CT{i}, a{i}, None
"""
_FIXED_POINTER_ARGUMENT = """\
        p{i} = NEW(CLS{i})
        p{i}._ctype, p{i}._addr, p{i}._keep = CT{i}, a{i}, None
"""
_FIXED_FAST_POINTER_ARGUMENT = """\
        p{i} = NEW(FAST{i} if a{i} and not a{i} & MASK{i} else CLS{i})
        p{i}._ctype, p{i}._addr, p{i}._keep = CT{i}, a{i}, None
"""
# The thunk is bound (types.MethodType: the cheapest callable to make per callback) to the
# callback's state H = (python_callable, error value, onerror).
_THUNK_TEMPLATE = """\
def thunk(H, {params}):
    try:
{prelude}        result = H[0]({args})
    except BaseException:
        try:
            return FAILED(PLAN, H, EXC_INFO(), False)
        except BaseException:
            return H[1]         # reporting failed too: C still gets the error value
    {fast_result}
    try:
        return CHECK(result)
    except BaseException:
        try:
            return FAILED(PLAN, H, EXC_INFO(), True)
        except BaseException:
            return H[1]
"""
# (LO and HI are within one CPython digit, so the comparisons are the specialised ones of small
# ints; a result outside them still goes through CHECK, which knows the type's real range)
# (and each comparison followed by its jump, the form CPython 3.11 specialises, not chained)
_FAST_INT_RESULT = "if result.__class__ is int and result >= LO and result <= HI:\n" \
    "        return result"
_COMPACT_MAX = (1 << 30) - 1       # the largest one-digit int of CPython
_FAST_VOID_RESULT = "if result is None:\n        return None"
# a float for a double result: what the check would give (a float result is rounded by it)
_FAST_DOUBLE_RESULT = "if result.__class__ is float:\n        return result"


class _CtypesPlan:
    """Callbacks as ctypes CFUNCTYPE thunks.

    The thunk is compiled once per function type from `_THUNK_TEMPLATE`, with one argument
    expression per parameter, its globals the plan's converters; each callback gets it bound
    to its state (no per-call dispatch, no namespace copied per callback).  The ctypes
    function object made over it is all the callback cdata keeps: nothing refers back to it,
    so a callback dropped is freed at once (a cycle would wait for the collector).
    """

    def __init__(self, fntype):
        self.fntype = fntype
        handling = [_arg_handling(t, i) for i, t in enumerate(fntype.args)]
        self.prototype = _thunk_class(_result_ctypes(fntype.result),
                                      [argtype for argtype, _, _ in handling])
        self.check = _result_check(fntype.result)
        self.lost = _lost_error(fntype.result)
        self.constants = {"EXC_INFO": sys.exc_info, "CHECK": self.check, "FAILED": _failed,
                          "PLAN": self,
                          "__builtins__": builtins, "__purecffi_thunk__": True}
        for _, _, names in handling:
            self.constants.update(names)
        self.function = self._compile([expression for _, expression, _ in handling])
        self.direct = direct_caller(fntype, self.function)
        self.zero = self.error_value(None)

    def _compile(self, expressions):
        result = self.fntype.result
        fast = ""
        if result.kind == VOID:
            fast = _FAST_VOID_RESULT
        elif result.kind == ENUM or getattr(result, "category", None) == plat.INT:
            base = result.base if result.kind == ENUM else result
            lo, hi = plat.int_bounds(base.byte_size, base.signed)
            self.constants["LO"], self.constants["HI"] = max(lo, -_COMPACT_MAX), \
                min(hi, _COMPACT_MAX)
            fast = _FAST_INT_RESULT
        elif getattr(result, "category", None) == plat.FLOAT and result.byte_size == 8:
            fast = _FAST_DOUBLE_RESULT
        prelude = "".join(self._pointer_argument(i).format(i=i)
                          for i, t in enumerate(self.fntype.args) if t.kind in (POINTER, FUNCTION))
        source = _THUNK_TEMPLATE.format(
            params=", ".join("a%d" % i for i in range(len(expressions))),
            args=", ".join(expressions), fast_result=fast, prelude=prelude)
        namespace = {}
        exec(compile(source, "<callback %s>" % (self.fntype.cname,), "exec"), namespace)
        return types.FunctionType(namespace["thunk"].__code__, self.constants, "thunk")

    def _pointer_argument(self, index):
        if "FAST%d" % index in self.constants:
            return _FIXED_FAST_POINTER_ARGUMENT
        if "CLS%d" % index in self.constants:
            return _FIXED_POINTER_ARGUMENT
        return _POINTER_ARGUMENT

    def error_value(self, error):
        """The value returned to C after an exception (checked now, like cffi)."""
        if self.fntype.result.kind == VOID:
            if error is not None:
                raise TypeError("callback with the return type 'void' must return None")
            return None
        if error is None:
            return _zero_result(self.fntype.result)
        return self.check(error)



def _thunk_class(restype, argtypes):
    """What ctypes.CFUNCTYPE(restype, *argtypes, use_errno=True) makes, with slots for what a
    callback keeps (no __dict__ per callback)."""
    return type(ctypes._CFuncPtr)("CallbackThunk", (ctypes._CFuncPtr,), {
        "_argtypes_": tuple(argtypes), "_restype_": restype,
        "_flags_": ctypes._FUNCFLAG_CDECL | ctypes._FUNCFLAG_USE_ERRNO,
        "__slots__": ("state", "caller", "__weakref__"),
        "python_callable": property(lambda self: self.state[0])})


def _failed(plan, state, exc_info, converting_result):
    """Report an exception in a ctypes-thunk callback; the value to give C instead."""
    handler = _NEW(_Handler)
    handler.python_callable, handler.error, handler.onerror = state
    handler.check, handler.lost = plan.check, plan.lost
    return handler.failed(exc_info, converting_result)


def _lost_error(ctype):
    """What C gets when `onerror` returns a value the result type cannot take: cffi clears the
    return register of unsigned, character and _Bool results narrower than it before
    converting, so those give 0; any other type gives the error value (None here)."""
    base = ctype.base if ctype.kind == ENUM else ctype
    if base.kind != PRIMITIVE or base.byte_size >= _POINTER_SIZE:
        return None
    if base.category == plat.INT and base.signed:
        return None
    if base.category not in (plat.INT, plat.CHAR, plat.BOOL, plat.WCHAR):
        return None
    return _zero_result(ctype)


def _zero_result(ctype):
    if ctype.kind in (POINTER, FUNCTION):
        return 0
    category = plat.INT if ctype.kind == ENUM else ctype.category
    return {plat.CHAR: b"\0", plat.BOOL: False, plat.FLOAT: 0.0}.get(category, 0)


# -- libffi closures (struct and long double results) ----
class _Libffi:
    """The few libffi entry points needed to make closures, from the libffi ctypes uses."""

    TYPE_STRUCT = 13
    CLOSURE_BYTES = 256     # more than sizeof(ffi_closure) on every libffi
    CIF_BYTES = 128         # more than sizeof(ffi_cif) on every libffi

    class FFIType(ctypes.Structure):
        _fields_ = [("size", ctypes.c_size_t), ("alignment", ctypes.c_ushort),
                    ("type", ctypes.c_ushort), ("elements", ctypes.c_void_p)]

    def __init__(self):
        self.lib = ctypes.CDLL(self._path())
        self.prep_cif = self._function("ffi_prep_cif", ctypes.c_int, [
            ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p])
        self.closure_alloc = self._function("ffi_closure_alloc", ctypes.c_void_p, [
            ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p)])
        self.prep_closure_loc = self._function("ffi_prep_closure_loc", ctypes.c_int, [
            ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
            ctypes.c_void_p])
        self.closure_free = self._function("ffi_closure_free", None, [ctypes.c_void_p])
        self.types = {}         # ctype -> FFIType (kept alive here)
        self.lock = threading.Lock()

    @staticmethod
    def _path():
        """The libffi already loaded in this process (by _ctypes), else the system one."""
        try:
            with open("/proc/self/maps") as maps:
                for line in maps:
                    if "/libffi" in line:
                        return line.split(None, 5)[5].strip()
        except OSError:
            pass
        import ctypes.util
        found = ctypes.util.find_library("ffi")
        if found is None:
            raise NotImplementedError("libffi not found: callbacks returning structs need it")
        return found

    def _function(self, name, restype, argtypes):
        function = getattr(self.lib, name)
        function.restype, function.argtypes = restype, argtypes
        return function

    def ffi_type(self, ctype):
        """The address of the ffi_type describing `ctype`."""
        with self.lock:
            return ctypes.addressof(self._ffi_type(ctype))

    def _ffi_type(self, ctype):
        found = self.types.get(ctype)
        if found is None:
            if ctype.kind == STRUCT:
                found = self._struct_type(ctype)
            else:
                found = self.FFIType.in_dll(self.lib, self._primitive_name(ctype))
            self.types[ctype] = found
        return found

    @staticmethod
    def _primitive_name(ctype):
        if ctype.kind == VOID:
            return "ffi_type_void"
        if ctype.kind in (POINTER, FUNCTION):
            return "ffi_type_pointer"
        if ctype.kind == ENUM:
            ctype = ctype.base
        category = ctype.category
        if category == plat.FLOAT:
            return "ffi_type_float" if ctype.byte_size == 4 else "ffi_type_double"
        if category == plat.LONGDOUBLE:
            return "ffi_type_longdouble"
        signed = ctype.signed if category in (plat.INT, plat.WCHAR) else False
        return "ffi_type_%sint%d" % ("s" if signed else "u", 8 * ctype.byte_size)

    def _struct_type(self, ctype):
        elements = []
        for _, ftype, _ in ctype._decl_fields:
            count = 1
            while ftype.kind == "array":
                count *= ftype.length or 0
                ftype = ftype.item
            elements += [ctypes.addressof(self._ffi_type(ftype))] * count
        array = (ctypes.c_void_p * (len(elements) + 1))(*elements)
        result = self.FFIType(0, 0, self.TYPE_STRUCT, ctypes.addressof(array))
        result._elements = array
        return result

    def prepare_cif(self, fntype):
        """A prepared ffi_cif for the function type (kept alive by the caller)."""
        cif = (ctypes.c_char * self.CIF_BYTES)()
        argtypes = (ctypes.c_void_p * max(len(fntype.args), 1))(
            *[self.ffi_type(t) for t in fntype.args])
        status = self.prep_cif(ctypes.addressof(cif), fntype.abi, len(fntype.args),
                               self.ffi_type(fntype.result), ctypes.addressof(argtypes))
        if status != 0:
            raise NotImplementedError("libffi refused the signature '%s' (ffi_prep_cif status %d)"
                                      % (fntype.cname, status))
        return cif, argtypes

    def closure(self, cif, handler_pointer):
        """(closure, executable address) calling `handler_pointer` with the cif's arguments."""
        code = ctypes.c_void_p()
        closure = self.closure_alloc(self.CLOSURE_BYTES, ctypes.byref(code))
        if not closure:
            raise MemoryError("ffi_closure_alloc() failed")
        status = self.prep_closure_loc(closure, ctypes.addressof(cif), handler_pointer, None,
                                       code)
        if status != 0:
            self.closure_free(closure)
            raise NotImplementedError("ffi_prep_closure_loc() failed (status %d)" % (status,))
        return closure, code.value


_libffi = once(_Libffi)


_CLOSURE_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                                    ctypes.c_void_p, use_errno=True)


def result_writer(ctype):
    """What writes a callback's result of type `ctype` to the memory C gave for it: the
    type's writer; for a struct or union, first zeroed, as a new one is (C's result memory
    holds anything: the fields a list or dict leaves out are 0, as cffi's)."""
    write = prepare(ctype).write
    if ctype.kind != STRUCT and ctype.kind != UNION:
        return write
    zero = bytes(ctype.byte_size)
    end = len(zero)

    def write_struct(address, value):
        MEM[address:address + end] = zero
        write(address, value)
    return write_struct


class _LibffiPlan:
    """Callbacks as libffi closures: arguments read from and result written to C memory."""

    def __init__(self, fntype):
        self.fntype = fntype
        self.readers = [prepare(t).read for t in fntype.args]
        self.write, self.result_size = result_writer(fntype.result), fntype.result.byte_size
        self.zero = bytes(self.result_size)
        self.cif = _libffi().prepare_cif(fntype)
        watch()         # (closures are freed only once no finalizer may call them)

    def check(self, value):
        """The raw bytes of `value` converted to the result type (TypeError... if it can't)."""
        buffer, address = allocate(self.result_size)
        self.write(address, value)
        return MEM[address:address + self.result_size].tobytes()

    def error_value(self, error):
        """The raw bytes written as result after an exception (checked now, like cffi)."""
        return bytes(self.result_size) if error is None else self.check(error)

    function = direct = None        # (not a ctypes thunk: made by make())

    def make(self, python_callable, error, onerror):
        handler = _NEW(_Handler)
        handler.python_callable, handler.error, handler.onerror = python_callable, error, onerror
        handler.check, handler.lost = self.check, None
        function = _CLOSURE_HANDLER(handler.closure_function(self))
        libffi = _libffi()
        closure, address = libffi.closure(self.cif[0], ctypes.cast(function, ctypes.c_void_p))
        return _Keep(handler.python_callable, function, address, closure)


class _Keep:
    """What a callback cdata keeps alive: the callable, the thunk and the libffi closure."""

    __slots__ = ("python_callable", "thunk", "address", "closure", "caller", "__weakref__")

    def __init__(self, python_callable, thunk, address, closure=None):
        self.python_callable, self.thunk = python_callable, thunk
        self.address, self.closure = address, closure

    def __del__(self, _release=release):
        # not freed at interpreter exit, and only at the end of a garbage collection: C code
        # may still call it from other finalizers (see finalizing.py)
        closure, self.closure = self.closure, None
        if closure is not None:
            _release(_free_closure, closure)


def _free_closure(closure):
    _libffi().closure_free(closure)     # made already: it made this closure


# -- Calling the Python callable and handling its exceptions ----
class _Handler:
    """Calls the Python callable with converted arguments; reports its exceptions (6.7.4)."""

    __slots__ = ("python_callable", "error", "onerror", "check", "lost")

    def closure_function(self, plan):
        """The Python function a libffi closure calls: (cif, result, argument pointers, data)."""
        fn, failed, exc_info = self.python_callable, self.failed, sys.exc_info
        readers, write = plan.readers, plan.write
        step, default_error = _POINTER_SIZE, self.error

        def handler(cif, result_address, args_address, user_data):
            error = default_error            # if reporting an exception fails too
            try:
                value = fn(*[read(read_address(MEM, args_address + i * step)[0])
                             for i, read in enumerate(readers)])
            except BaseException:
                try:
                    error = failed(exc_info(), False)
                except BaseException:
                    pass
            else:
                try:
                    write(result_address, value)
                    return
                except BaseException:
                    try:
                        error = failed(exc_info(), True)
                    except BaseException:
                        pass
            MEM[result_address:result_address + len(error)] = error
        return handler

    def failed(self, exc_info, converting_result):
        """Report an exception as cffi does; the value to give C instead of a result."""
        exc_type, exc_value, tb = exc_info
        tb = None if converting_result else _user_traceback(tb)
        onerror, result = self.onerror, self.error
        if onerror is None:
            _print_exception(self.python_callable, converting_result, exc_type, exc_value, tb)
            return result
        try:
            replacement = onerror(exc_type, exc_value, tb)
        except BaseException:
            failure_type, failure, failure_tb = sys.exc_info()
            failure_tb = _user_traceback(failure_tb)
        else:
            if replacement is None:
                return result
            try:
                return self.check(replacement)
            except BaseException:
                failure_type, failure, failure_tb = sys.exc_info()
                failure_tb = None                   # our conversion code: not interesting
            if self.lost is not None:
                result = self.lost
        _print_exception(self.python_callable, converting_result, exc_type, exc_value, tb)
        _print_onerror_failure(failure_type, failure, failure_tb)
        return result


def _print_exception(python_callable, converting_result, exc_type, exc_value, tb):
    """Report the callable's exception (to sys.unraisablehook, as cffi)."""
    where = ", trying to convert the result back to C" if converting_result else ""
    report(exc_value, "Exception ignored from cffi callback %r%s" % (python_callable, where),
           tb=tb)


def _print_onerror_failure(exc_type, exc_value, tb):
    """Report what `onerror` raised, or its result C cannot take."""
    report(exc_value, "Exception ignored during handling of the above exception by 'onerror'",
           tb=tb)
