"""Calling C through ctypes/libffi: one prepared plan (a ctypes function class) per function type.

A `lib.f` object is an instance of a per-function-type subclass of ctypes' `CFuncPtr` that also
inherits `cdata.CData`, so calling it is ctypes' own C-level call (the GIL is released, errno
is swapped with ctypes' thread-local copy because of `use_errno`).  The class's `_argtypes_`
are the converters of `call_args.py`, and its `_restype_` (plus a `_check_retval_` or an
`errcheck` where the ctypes result is not yet the cffi value) gives the cffi result.

Struct and union values use ctypes `Structure` classes with the same layout as ours
(`call_types.by_value_ctypes()`); what libffi cannot pass (unions, bitfields, packed or
anonymous members, complex numbers) raises NotImplementedError when called, as cffi does.
"""
import ctypes

import _ctypes

from . import platform as plat
from .accel import offer
from .call_args import (LD_FROM_BYTES, accepts_bytes, arg_converter,
                        argtypes_of)
from .call_files import file_pointer
from .call_types import INT_CTYPES, by_value_ctypes, primitive_ctypes, unsupported_by_value
from .cdata import AddrCData, CData, Family, FunctionPtrCData, StructCData, ValueCData, \
    family_namespace
from .cdata_value import value_cdata
from .cdatabase import name_as_cffi_class, tp_name
from .convert import LONGDOUBLE_BYTES, code_to_str, prepare
from .ctype import ARRAY, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, UNION, VOID, \
    opaque_error
from .errors import CompiledFFIError, FFIError
from .memory import buffer_type
from .specialise import specialise

_hash_address = plat.hash_address

__all__ = ["make_lib_function", "pointer_function", "file_pointer", "by_value_ctypes",
           "unsupported_by_value", "primitive_ctypes", "BOOL_OF_BYTE", "accepts_bytes",
           "arg_converter", "LibFunction", "FUNCTION_FLAGS", "MSG_KEYWORDS", "set_attribute",
           "pointer_result_maker", "pointer_result_plan"]

_CFuncPtr = _ctypes.CFuncPtr
_SimpleCData = _ctypes._SimpleCData
_addressof = ctypes.addressof
MSG_KEYWORDS = "a cdata function cannot be called with keyword arguments"
FUNCTION_FLAGS = _ctypes.FUNCFLAG_USE_ERRNO                 # exact argument count
VARIADIC_FLAGS = _ctypes.FUNCFLAG_USE_ERRNO | _ctypes.FUNCFLAG_CDECL   # extra arguments allowed


# -- Results ----
class _LongDoubleResult(ctypes.c_longdouble):
    """A c_longdouble restype that ctypes returns as an object (keeping all its bits)."""


def _int_result(ctype):
    return primitive_ctypes(ctype), None


class _BoolValues(dict):
    """{0: False, 1: True}, and cffi's ValueError for any other byte: its `__getitem__` is a
    result's `_check_retval_` (a dict lookup in C, no Python frame unless the byte is bad)."""

    __slots__ = ()

    def __missing__(self, value):
        raise ValueError("got a _Bool of value %d, expected 0 or 1" % (value,))


# a _Bool's byte -> False or True, cffi's ValueError for another byte
BOOL_OF_BYTE = _BoolValues({0: False, 1: True}).__getitem__
# a _Bool result is read as its byte (ctypes' c_bool would make any nonzero byte True)
_BoolResult = type("result<_Bool>", (_SimpleCData,),
                   {"_type_": "B", "_check_retval_": BOOL_OF_BYTE,
                    "__module__": __name__})


def _bool_result(ctype):
    return _BoolResult, None


def _wchar_result(ctype):
    if ctype.byte_size == ctypes.sizeof(ctypes.c_wchar):
        return ctypes.c_wchar, None
    return INT_CTYPES[(ctype.byte_size, False)], lambda result, func, args: \
        code_to_str(ctype, result)


def _longdouble_result(ctype):
    def errcheck(result, func, args):
        return value_cdata(ctype, bytes(result)[:LONGDOUBLE_BYTES])
    return _LongDoubleResult, errcheck


def _pointer_result_template(result):
    # cdata.pointer_to(CTYPE, result) inlined: the type's classes are read at each call,
    # as a struct completed by a later cdef() changes them
    # (and the cdata made without its __init__ frame)
    rt = CTYPE._rt or PREPARE(CTYPE)                     # noqa: F821
    fast = rt.fast_class
    if result and fast is not None and not result & rt.align_mask:
        cdata = NEW(fast)                                # noqa: F821
    else:
        cdata = NEW(rt.cdata_class)                      # noqa: F821
    cdata._ctype, cdata._addr, cdata._keep = CTYPE, result, None           # noqa: F821
    return cdata


def _fixed_pointer_result_template(result):
    # the same for pointer types whose classes never change (no struct or union item)
    cdata = NEW(CLS)                                     # noqa: F821
    cdata._ctype, cdata._addr, cdata._keep = CTYPE, result, None           # noqa: F821
    return cdata


def _fixed_fast_pointer_result_template(result):
    # the same for pointers to numbers, which have a class for non-NULL aligned addresses
    cdata = NEW(FAST if result and not result & MASK else CLS)            # noqa: F821
    cdata._ctype, cdata._addr, cdata._keep = CTYPE, result, None           # noqa: F821
    return cdata


def pointer_result_maker(ctype):
    """address -> the cdata of pointer type `ctype` a C function returns (its classes read at
    each call, so that making the maker prepares nothing): API mode's fast path uses it."""
    return specialise(_pointer_result_template, PREPARE=prepare, CTYPE=ctype,
                      NEW=object.__new__)


def pointer_result_plan(ctype):
    """(runtime, fast class or None, class, align mask) of pointer type `ctype`, prepared:
    what API mode's C code makes the cdata of a pointer result with (as the maker above),
    read again when the type has a new runtime."""
    rt = ctype._rt or prepare(ctype)
    return rt, rt.fast_class, rt.cdata_class, rt.align_mask


# ctypes gives a pointer result as an unsigned int of its size (NULL is 0, where a "P" result
# would be None): the same register, and no `or 0` per call
_ADDRESS_RESULT = {8: "Q", 4: "I"}[ctypes.sizeof(ctypes.c_void_p)]


# A restype's `_check_retval_` is called by ctypes with the converted result alone: cheaper
# than an `errcheck` (no argument tuple, one argument).  A direct subclass of _SimpleCData
# (not of c_ulonglong) still gives the plain int, not a ctypes instance.
def _pointer_result(ctype):
    item = ctype.item if ctype.kind == POINTER else None
    if item is not None and item.kind in (STRUCT, UNION):
        maker = specialise(_pointer_result_template, PREPARE=prepare, CTYPE=ctype,
                           NEW=object.__new__)
    else:
        rt = prepare(ctype)
        template = _fixed_pointer_result_template if rt.fast_class is None else \
            _fixed_fast_pointer_result_template
        maker = specialise(template, CTYPE=ctype, NEW=object.__new__, CLS=rt.cdata_class,
                           FAST=rt.fast_class, MASK=rt.align_mask)
    restype = type("result<%s>" % (ctype.cname,), (_SimpleCData,),
                   {"_type_": _ADDRESS_RESULT, "_check_retval_": staticmethod(maker),
                    "__module__": __name__, "_pc_pointer_result": (ctype, maker)})
    offer(restype)      # (a compiled module's C maker, before ctypes reads it: accel.py)
    return restype, None


def _struct_result_template(result):
    # OWNING(CTYPE, addressof(result), result) without its __init__ frame: the cdata owns
    # the ctypes result buffer
    cdata = NEW(OWNING)                                  # noqa: F821
    cdata._ctype, cdata._addr, cdata._keep = CTYPE, ADDRESSOF(result), result  # noqa: F821
    return cdata


def _mirrored_result_template(result):
    # the same over a copy of the result in the struct's mirror, whose fields are read in C
    # (one copy costs less than a first field read of the result's own memory)
    memory = COPY(result)                                # noqa: F821
    cdata = NEW(OWNING)                                  # noqa: F821
    cdata._ctype, cdata._addr, cdata._keep = CTYPE, ADDRESSOF(memory), memory  # noqa: F821
    return cdata


def struct_memory(ctype, rt):
    """(buffer class, cdata class) of a new struct or union, as ffi.new() makes it: the ctypes
    mirror of the struct, whose number fields the mirror class reads in C, where the type has
    one (see cdata_classes._add_mirror_class); else plain bytes and the owning class."""
    owning = rt.owning_class
    mirror = getattr(owning, "_mirror_buffer", None)
    if mirror is None:
        return buffer_type(ctype.byte_size), owning
    return mirror, owning._mirror_class


def _struct_result(ctype):
    rt = prepare(ctype)
    mirror, owning = struct_memory(ctype, rt)
    if owning is rt.owning_class:       # (no mirror: the result's own memory)
        maker = specialise(_struct_result_template, NEW=object.__new__, OWNING=owning,
                           CTYPE=ctype, ADDRESSOF=_addressof)
    else:
        maker = specialise(_mirrored_result_template, NEW=object.__new__, OWNING=owning,
                           CTYPE=ctype, ADDRESSOF=_addressof, COPY=mirror.from_buffer_copy)
    restype = type("result<%s>" % (ctype.cname,), (by_value_ctypes(ctype),),
                   {"_check_retval_": staticmethod(maker), "__module__": __name__})
    return restype, None


_PRIMITIVE_RESULTS = {
    plat.INT: _int_result, plat.CHAR: _int_result, plat.BOOL: _bool_result,
    plat.FLOAT: _int_result, plat.WCHAR: _wchar_result, plat.LONGDOUBLE: _longdouble_result,
}


def result_handling(ctype):
    """(restype, errcheck or None) giving the cffi value of a C result of type `ctype`."""
    kind = ctype.kind
    if kind == VOID:
        return None, None
    if kind in (POINTER, FUNCTION):
        return _pointer_result(ctype)
    problem = unsupported_by_value(ctype, "return value")
    if problem is not None:
        raise problem
    if kind == STRUCT:
        return _struct_result(ctype)
    if kind == ENUM:
        return _int_result(ctype)
    return _PRIMITIVE_RESULTS[ctype.category](ctype)


# -- lib functions ----
class LibFunction(CData, metaclass=Family):
    """The family of the ctypes function classes: what makes them cffi function-pointer cdata
    (each class derives from CData and ctypes' CFuncPtr, with this namespace)."""

    __slots__ = ()
    _ctype = None

    def _function_address(self):
        """The address of the C function."""
        return self._addr

    def __repr__(self):
        return "<cdata '%s' 0x%x>" % (self._ctype.cname, self._addr)

    def __eq__(self, other):
        if isinstance(other, CData):
            return getattr(other, "_addr", None) == self._addr
        return NotImplemented

    def __ne__(self, other):
        if isinstance(other, CData):
            return getattr(other, "_addr", None) != self._addr
        return NotImplemented

    def __hash__(self):
        return _hash_address(self._addr)

    def __dir__(self):
        return []

    def __getattr__(self, name):
        """A missing attribute: cffi's error (calls and conversions look none up here)."""
        raise AttributeError("cdata '%s' has no attribute '%s'" % (self._ctype.cname, name))

    def __setattr__(self, name, value):
        """Refused, as on any cdata (ctypes' restype and argtypes must not be changed)."""
        raise AttributeError("cdata '%s' has no attribute '%s'" % (self._ctype.cname, name))

    def __delattr__(self, name):
        raise AttributeError("cdata '%s' has no attribute '%s'" % (self._ctype.cname, name))

    # what a function pointer cdata refuses, with cffi's messages (not ctypes' behaviour: int()
    # and float() would read the object's buffer as text)
    __add__, __radd__, __sub__ = (FunctionPtrCData.__add__, FunctionPtrCData.__radd__,
                                  FunctionPtrCData.__sub__)
    __getitem__, __setitem__, __delitem__ = (FunctionPtrCData.__getitem__,
                                             FunctionPtrCData.__setitem__,
                                             FunctionPtrCData.__delitem__)
    __len__, __iter__ = FunctionPtrCData.__len__, FunctionPtrCData.__iter__
    __int__, __float__, __complex__ = (FunctionPtrCData.__int__, FunctionPtrCData.__float__,
                                       FunctionPtrCData.__complex__)
    __lt__, __le__, __gt__, __ge__ = AddrCData.__lt__, AddrCData.__le__, AddrCData.__gt__, \
        AddrCData.__ge__
    __enter__, __exit__ = AddrCData.__enter__, AddrCData.__exit__     # (refused, as cffi)


def _variadic_call(self, *args, **kwargs):
    """Call a variadic function: the extra arguments must be cdata, which give their C type."""
    if kwargs:
        raise TypeError(MSG_KEYWORDS)
    fixed = self._fixed_count
    count = len(args)
    if count <= fixed:
        if count == fixed:
            return _CFuncPtr.__call__(self, *args)
        raise TypeError("'%s' expects at least %d arguments, got %d"
                        % (self._ctype.cname, fixed, count))
    extra = []
    for position in range(fixed, count):
        value = args[position]
        if value.__class__ is ValueCData:      # a number cdata, the common case
            rt = value._ctype._rt
            make = rt.variadic if rt is not None else None
            if make is not None:
                extra.append(make(value))
                continue
        extra.append(variadic_argument(position + 1, value))
    return _CFuncPtr.__call__(self, *args[:fixed], *extra)


def _refused_call(self, *args):
    """Calling a function whose signature libffi cannot handle."""
    exc = self._unsupported         # a new one each time: the first carries its own context
    raise type(exc)(*exc.args)


class _CallPlan:
    """The ctypes function class of one function type (and its errcheck)."""

    __slots__ = ("cls", "errcheck")

    def __init__(self, fntype):
        self.errcheck = None
        attrs = {"_ctype": fntype, "__module__": __name__}
        try:
            argtypes = argtypes_of(fntype)
            restype, self.errcheck = result_handling(fntype.result)
        except (NotImplementedError, FFIError, CompiledFFIError) as exc:
            argtypes, restype = (), None
            attrs.update(_unsupported=exc, __call__=_refused_call)
        attrs.update(_flags_=VARIADIC_FLAGS if fntype.ellipsis else FUNCTION_FLAGS,
                     _argtypes_=argtypes)
        if restype is not ctypes.c_int or self.errcheck is not None:
            attrs.update(_restype_=restype)
        # else no `_restype_` at all: ctypes then makes the Python int of a C int result
        # directly, ~12 ns faster per call than through c_int's getter
        if fntype.ellipsis and "__call__" not in attrs:
            attrs.update(__call__=_variadic_call, _fixed_count=len(fntype.args))
        elif "__call__" not in attrs:       # ctypes' own call: a compiled module may check
            attrs.update(_pc_call_arity=len(fntype.args), _pc_call_cname=fntype.cname)
        namespace = family_namespace(LibFunction)
        namespace.update(attrs)
        self.cls = type("function<%s>" % (fntype.cname,), (CData, _CFuncPtr), namespace)
        name_as_cffi_class(self.cls, "_CDataBase")      # (cffi's class of lib.f)
        if "_pc_call_arity" in attrs:   # (its keywords and argument count: accel.py)
            offer(self.cls)




def call_plan(fntype):
    """The prepared plan of a function type (made once)."""
    rt = prepare(fntype)
    plan = rt.call_plan
    if plan is None:
        _check_usable(fntype)
        plan = rt.call_plan = _CallPlan(fntype)
    return plan


def _check_usable(fntype):
    """Refuse (at lookup, like cffi) signatures naming types only the C compiler knows."""
    for ctype in fntype.args + (fntype.result,):
        while ctype.kind in (POINTER, ARRAY):
            ctype = ctype.item
        if getattr(ctype, "partial", False) or (ctype.kind == PRIMITIVE
                                                 and not hasattr(ctype, "category")):
            raise opaque_error(ctype)


def make_lib_function(fntype, address, name=None):
    """The object for `lib.name`: a ctypes function (native call) that is a cffi cdata."""
    plan = call_plan(fntype)
    function = _CFuncPtr.__new__(plan.cls, address)     # (the class refuses calls)
    if plan.errcheck is not None:
        set_attribute(function, "errcheck", plan.errcheck)
    set_attribute(function, "_addr", address)
    set_attribute(function, "__name__", name if name is not None else "<cdata>")
    return function


set_attribute = _CFuncPtr.__setattr__     # (what LibFunction refuses to its users)


# -- Calling function-pointer cdata ----
_POINTER_FUNCTIONS_MAX = 4096     # per function type: address -> ctypes function


def pointer_function(cdata):
    """The ctypes function calling a function-pointer cdata (from ffi.cast, C memory,
    ffi.addressof or a callback): one per address and type, among a bounded number."""
    rt = prepare(cdata._ctype)
    functions = rt.pointer_calls
    if functions is None:
        functions = rt.pointer_calls = {}
    address = cdata._addr
    function = functions.get(address)
    if function is None:
        if len(functions) >= _POINTER_FUNCTIONS_MAX:
            functions.clear()
        function = functions[address] = make_lib_function(cdata._ctype, address)
    return function


# -- Variadic arguments ----
def _promoted_box(ctype):
    """The ctypes class of an integer type after C's default argument promotion (ints smaller
    than int become int)."""
    base = ctype.base if ctype.kind == ENUM else ctype
    if base.byte_size < ctypes.sizeof(ctypes.c_int):
        return ctypes.c_int
    return INT_CTYPES[(base.byte_size, base.signed)]


def _variadic_maker(ctype):
    """The function making the ctypes object of a number cdata of `ctype` in a `...` part
    (made once per type, kept as its TypeRuntime's `variadic`)."""
    category = plat.INT if ctype.kind == ENUM else ctype.category
    if category in (plat.INT, plat.BOOL):
        box = _promoted_box(ctype)
        return lambda cdata: box(cdata._value)
    if category == plat.CHAR:
        # the byte, 0 to 255, as cffi passes it (its char is a byte, as int() of one says)
        return lambda cdata: _c_int(cdata._value[0])
    if category == plat.WCHAR:
        box = _promoted_box(ctype)
        return lambda cdata: box(cdata._as_int())
    if category == plat.FLOAT:
        return lambda cdata: _c_double(cdata._value)      # float is promoted to double
    if category == plat.LONGDOUBLE:
        return lambda cdata: LD_FROM_BYTES(cdata._value)

    def refuse(cdata):
        raise unsupported_by_value(ctype, "argument")
    return refuse


_c_int, _c_double = ctypes.c_int, ctypes.c_double


def variadic_argument(position, value):
    """The ctypes object passing `value` in the `...` part: its cdata type decides."""
    if isinstance(value, ValueCData):
        rt = prepare(value._ctype)
        make = rt.variadic
        if make is None:
            make = rt.variadic = _variadic_maker(value._ctype)     # (made whole, then published)
        return make(value)
    if isinstance(value, StructCData):
        problem = unsupported_by_value(value._ctype, "argument")
        if problem is not None:
            raise problem
        return by_value_ctypes(value._ctype).from_address(value._addr)
    if isinstance(value, AddrCData):
        return ctypes.c_void_p(value._addr)
    if isinstance(value, LibFunction):
        return ctypes.c_void_p(value._addr)
    raise TypeError("argument %d passed in the variadic part needs to be a cdata object (got %s)"
                    % (position, tp_name(type(value))))

