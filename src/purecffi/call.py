"""Calling C through ctypes/libffi: one prepared plan (a ctypes function class) per function type.

A `lib.f` object is an instance of a per-function-type subclass of ctypes' `CFuncPtr` that also
inherits `cdata.CData`, so calling it is ctypes' own C-level call (the GIL is released, errno
is swapped with ctypes' thread-local copy because of `use_errno`).  The class's `_argtypes_`
are small converter classes whose `from_param` applies cffi's conversion rules (`convert.py`
holds the rules; the converters only add fast paths for the common exact types), and its
`_restype_` (plus an `errcheck` where the ctypes result is not yet the cffi value) gives the
cffi result.

Two details of ctypes shape this module:

* ctypes turns any exception raised while converting an argument into `ctypes.ArgumentError`.
  `_ArgumentErrorBridge` gives back the real exception: the converters stash the exception they
  raise, and `ctypes.ArgumentError.__new__` returns the stashed object when ctypes instantiates
  its wrapper.  Errors of ctypes' native converters (used for `float`/`double` arguments) become
  instances of small classes deriving from both `ArgumentError` and the original built-in
  exception, so code that catches `ctypes.ArgumentError` still works.
* Struct and union values use ctypes `Structure` classes with the same layout as ours
  (`by_value_ctypes()`); what libffi cannot pass (unions, bitfields, packed or anonymous
  members, complex numbers) raises NotImplementedError when called, as cffi does.
"""
import builtins
import collections
import ctypes
import functools
import operator
import os
import sys
import threading
import weakref

import _ctypes

from . import platform as plat
from .specialise import specialise
from .lazy import once
from .cdata import AddrCData, CData, Family, StructCData, ValueCData, family_namespace
from .convert import (_UNKNOWN, LONGDOUBLE_BYTES, bad_init, code_to_str, fast_twin, longdouble_bytes,
                      pointer_value, prepare, to_bool, to_char, to_float, to_int, to_wchar,
                      write_array, write_struct)
from .ctype import (ARRAY, ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, TYPES, UNION, VOID,
                    opaque_error)
from .errors import FFIError
from .memory import allocate

__all__ = ["make_lib_function", "call_function_pointer", "file_pointer", "by_value_ctypes",
           "unsupported_by_value", "LibFunction", "FUNCTION_FLAGS"]

_CFuncPtr = _ctypes.CFuncPtr
_BY_VALUE_LOCK = threading.Lock()      # publishes each struct's by-value Structure class
MSG_KEYWORDS = "a cdata function cannot be called with keyword arguments"


class _NeverInstance(type(ctypes.c_double)):
    """Metaclass of the ctypes simple types that box purecffi's arguments for ctypes.

    A ctypes simple type's `from_param(value)` first asks `isinstance(value, cls)`: for a
    ctypes class that binds and calls `type.__instancecheck__`, which then looks up
    `value.__class__` in vain, about 600 machine instructions per argument (a sixth of a whole
    `sqrt(2.0)` call).  The values boxed here are never instances of these classes, so the
    check answers False at once, through a C callable that is not bound to anything (a
    staticmethod: Python 3.14 makes partial objects bind like functions).
    Everything else about the class (the conversion, its errors) is ctypes' own.
    """

    __instancecheck__ = staticmethod(functools.partial(operator.is_, object()))


def _argument_box(simple):
    """A subclass of the ctypes type `simple` whose from_param() skips the isinstance()."""
    return _NeverInstance("arg_" + simple.__name__, (simple,), {"__module__": __name__})


# The float and double boxes' from_param() refuses a bad value with only "wrong type".  Their
# isinstance() check records the value instead (a C-level deque.append, which answers None:
# not an instance), so the ArgumentError bridge can raise cffi's error for the value that
# failed: the last one recorded in the failing call (the conversion stops at the first
# failure).  Threads calling at the same moment can only make such a message name another
# value's type; what is raised and when never depends on it.
_LAST_REAL = collections.deque(maxlen=1)


class _RecordingNeverInstance(_NeverInstance):
    """_NeverInstance that remembers the last value checked (see _LAST_REAL)."""

    __instancecheck__ = staticmethod(_LAST_REAL.append)


def _real_error(arg):
    """cffi's error for the float/double argument that ctypes refused ("wrong type")."""
    if not _LAST_REAL:
        return None
    value = _LAST_REAL.pop()
    try:
        to_float(None, value)
    except TypeError as exc:
        return exc
    return None


_c_void_p_param = ctypes.c_void_p.from_param     # converts an int without an isinstance()
_byref = ctypes.byref
_addressof = ctypes.addressof
FUNCTION_FLAGS = _ctypes.FUNCFLAG_USE_ERRNO                 # exact argument count
VARIADIC_FLAGS = _ctypes.FUNCFLAG_USE_ERRNO | _ctypes.FUNCFLAG_CDECL   # extra arguments allowed


# -- The ArgumentError bridge ----
class _ArgumentErrorBridge:
    """Makes the exceptions of argument conversion come out of ctypes calls unchanged."""

    def __init__(self):
        self.local = threading.local()
        self.native_classes = {
            cls.__name__: type(cls.__name__, (ctypes.ArgumentError, cls),
                               {"__module__": __name__,
                                "__doc__": "A ctypes.ArgumentError that is also a %s."
                                           % (cls.__name__,)})
            for cls in (TypeError, OverflowError, ValueError)}

    def install(self):
        """Give ctypes.ArgumentError the `__new__` that hands back the real exception."""
        bridge = self

        def __new__(cls, *args):
            if cls is ctypes.ArgumentError and len(args) == 1:
                found = bridge.translate(args[0])
                if found is not None:
                    return found
            return Exception.__new__(cls, *args)
        try:
            ctypes.ArgumentError.__new__ = __new__
        except TypeError:       # an immutable type: conversion errors stay ArgumentErrors
            pass

    def raise_(self, exc):
        """Stash `exc` for the ArgumentError ctypes is about to make, then raise it."""
        self.local.exc = exc
        raise exc

    def translate(self, arg):
        """The exception to use instead of ArgumentError(arg), or None."""
        if isinstance(arg, BaseException):
            return None if isinstance(arg, ctypes.ArgumentError) else arg   # normalised twice
        if not isinstance(arg, str):
            return None
        exc = getattr(self.local, "exc", None)
        if exc is not None:
            self.local.exc = None
            if arg.endswith(": %s: %s" % (type(exc).__name__, exc)):
                return exc
        head, sep, message = arg.partition(": ")
        name, _, text = message.partition(": ")
        cls = self.native_classes.get(name)
        if sep and head.startswith("argument ") and cls is not None:
            if text != "wrong type":        # ctypes' own conversions: their message, as cffi
                return getattr(builtins, name)(text)
            return _real_error(arg) or cls(arg)
        return None


_BRIDGE = _ArgumentErrorBridge()
_BRIDGE.install()


def _bridged(convert):
    """Wrap a slow-path conversion so that its exceptions survive ctypes unchanged."""
    raise_ = _BRIDGE.raise_

    def slow(value):
        try:
            return convert(value)
        except Exception as exc:
            raise_(exc)
    return slow


# -- ctypes types for C types passed by value ----
_INT_CTYPES = {(1, True): ctypes.c_int8, (1, False): ctypes.c_uint8,
               (2, True): ctypes.c_int16, (2, False): ctypes.c_uint16,
               (4, True): ctypes.c_int32, (4, False): ctypes.c_uint32,
               (8, True): ctypes.c_int64, (8, False): ctypes.c_uint64}

_MSG_TAIL = ("Such structs are only supported as %s if the function is 'API mode' and "
             "non-variadic (i.e. declared inside ffibuilder.cdef()+ffibuilder.set_source() "
             "and not taking a final '...' argument)")
_MSG_UNION = ("ctype '%s' not supported as %s by libffi.  Unions are only supported as %s if "
              "the function is 'API mode' and non-variadic (i.e. declared inside "
              "ffibuilder.cdef()+ffibuilder.set_source() and not taking a final '...' argument)")
_MSG_BITFIELDS = "ctype '%s' not supported as %s.  It is a struct with bit fields, which " \
                 "libffi does not support.  " + _MSG_TAIL
_MSG_PACKED = "ctype '%s' not supported as %s.  It is a 'packed' structure, with a different " \
              "layout than expected by libffi.  " + _MSG_TAIL
_MSG_ANONYMOUS = "ctype '%s' not supported as %s.  It is a struct declared with \"...;\", but " \
                 "the C calling convention may depend on the missing fields; or, it contains " \
                 "anonymous struct/unions.  " + _MSG_TAIL
_MSG_COMPLEX = ("ctype '%s' (size %d) not supported as %s (the support for complex types inside "
                "libffi is mostly missing at this point, so CFFI only supports complex types as "
                "arguments or return value in API-mode functions)")



def primitive_ctypes(ctype):
    """The ctypes simple type with the size and kind of a primitive or enum C type."""
    if ctype.kind == ENUM:
        ctype = ctype.base
    category = ctype.category
    if category == plat.INT:
        return _INT_CTYPES[(ctype.byte_size, ctype.signed)]
    if category == plat.CHAR:
        return ctypes.c_char
    if category == plat.BOOL:
        return ctypes.c_bool
    if category == plat.WCHAR:
        return _INT_CTYPES[(ctype.byte_size, ctype.signed)]
    if category == plat.FLOAT:
        return ctypes.c_float if ctype.byte_size == 4 else ctypes.c_double
    if category == plat.LONGDOUBLE:
        return ctypes.c_longdouble
    raise AssertionError(category)


def unsupported_by_value(ctype, role):
    """The exception for passing `ctype` by value as `role` through libffi, or None if fine."""
    kind = ctype.kind
    if kind == UNION:
        return NotImplementedError(_MSG_UNION % (ctype.cname, role, role))
    if kind == PRIMITIVE:
        if not hasattr(ctype, "category"):
            return opaque_error(ctype)
        if ctype.category == plat.COMPLEX:
            return NotImplementedError(_MSG_COMPLEX % (ctype.cname, ctype.byte_size, role))
        return None
    if kind == ENUM:
        return opaque_error(ctype) if ctype.partial else None
    if kind == STRUCT:
        return _unsupported_struct(ctype, role)
    if kind == ARRAY:
        if not isinstance(ctype.length, int):
            return opaque_error(ctype)
        return unsupported_by_value(ctype.item, role)
    return None


def _unsupported_struct(ctype, role):
    if ctype.fields is None:
        return opaque_error(ctype)
    if ctype.partial or any(name.startswith("$") for name, _, _ in ctype._decl_fields):
        return NotImplementedError(_MSG_ANONYMOUS % (ctype.cname, role, role))
    if ctype.has_bitfields:
        return NotImplementedError(_MSG_BITFIELDS % (ctype.cname, role, role))
    for _, ftype, _ in ctype._decl_fields:
        inner = ftype.item if ftype.kind == ARRAY and ftype.length is None else ftype
        problem = unsupported_by_value(inner, role)
        if problem is not None:
            return problem
    if by_value_ctypes(ctype) is None:
        return NotImplementedError(_MSG_PACKED % (ctype.cname, role, role))
    return None


def by_value_ctypes(ctype):
    """The ctypes type laid out like `ctype` (a struct gets a Structure), or None if the layouts
    differ (packed structs).  Call unsupported_by_value() first."""
    if ctype.kind in (PRIMITIVE, ENUM):
        return primitive_ctypes(ctype)
    if ctype.kind in (POINTER, FUNCTION):
        return ctypes.c_void_p
    if ctype.kind == ARRAY:
        item = by_value_ctypes(ctype.item)
        return None if item is None else item * (ctype.length or 0)
    rt = prepare(ctype)
    if rt.by_value is not _UNKNOWN:
        return rt.by_value
    fields = []
    for index, (name, ftype, _) in enumerate(ctype._decl_fields):
        if ftype.kind == ARRAY and ftype.length is None:
            ftype = TYPES.array(ftype.item, 0)
        field_ctypes = by_value_ctypes(ftype)
        if field_ctypes is None:
            return None
        fields.append(("f%d" % index, field_ctypes))
    structure = type("struct_" + ctype.name.lstrip("$"), (ctypes.Structure,),
                     {"_fields_": fields})
    if not _same_layout(ctype, structure):
        structure = None
    with _BY_VALUE_LOCK:        # the first one published wins: every caller must use the
        if rt.by_value is _UNKNOWN:     # same Structure class
            rt.by_value = structure
    return rt.by_value


def _same_layout(ctype, structure):
    """Does the natural ctypes layout match ours (it does not for packed structs)?"""
    if ctypes.sizeof(structure) != ctype.byte_size \
            or ctypes.alignment(structure) != ctype.byte_align:
        return False
    for index, (name, _, _) in enumerate(ctype._decl_fields):
        if getattr(structure, "f%d" % index).offset != ctype.field(name).offset:
            return False
    return True


# -- Fast paths: templates specialised per type ----
# Each template reads its constants (bounds, classes, slow path...) as globals; `_specialise()`
# gives every type its own copy whose globals are those values.  This is the fastest way to
# give a Python function per-type constants: no default arguments to fill in on each call.
def _specialise(template, **constants):
    """A copy of `template` whose global names are bound to `constants`."""
    return specialise(template, **constants)


# ctypes passes a Python int argument as a C `int`, reading it first as an *unsigned* long:
# a negative int makes that raise (and clear) an OverflowError inside ctypes, which costs more
# than the whole rest of the call.  So negative values are given as the unsigned int with the
# same 32 bits, which ctypes reads without an error and passes unchanged.
_INT_WRAP = 1 << 32


def _small_int_template(value):
    if type(value) is int and LO <= value <= HI:    # noqa: F821 (bound by _specialise)
        if value >= 0:
            return value
        return value + 4294967296                       # _INT_WRAP: same bits, see above
    value = SLOW(value)                                  # noqa: F821
    return value if value >= 0 else value + 4294967296


def _big_int_template(value):
    if type(value) is int and LO <= value <= HI:    # noqa: F821
        return BOX(value)                                # noqa: F821
    return BOX(SLOW(value))                              # noqa: F821


def _register_int_template(value):
    # a 64-bit argument passed in a register: a value that fits in 32 bits goes as a C int,
    # which libffi sign-extends to the whole register (see _REGISTER_INTS)
    if type(value) is int and LO <= value <= HI:    # noqa: F821
        if value >= 0:
            return value
        return value + 4294967296                       # _INT_WRAP: same bits, see above
    return BIG(value)                                    # noqa: F821


def _char_template(value):
    if type(value) is bytes and len(value) == 1:
        return TABLE[value[0]]                           # noqa: F821
    return TABLE[SLOW(value)[0]]                         # noqa: F821


def _bool_template(value):
    if value is True or value is False:
        return value
    return SLOW(value)                                   # noqa: F821


def _pointer_template(value):
    if type(value) in ACCEPTED:                      # noqa: F821
        return VOIDP(value._addr)                        # noqa: F821
    return SLOW(value)                                   # noqa: F821


def _bytes_pointer_template(value):
    kind = type(value)
    if kind is bytes:
        return value                    # ctypes passes a pointer to the bytes' own buffer
    if kind in ACCEPTED:                                 # noqa: F821
        return VOIDP(value._addr)                        # noqa: F821
    return SLOW(value)                                   # noqa: F821


def _function_pointer_template(value):
    if getattr(value, "_ctype", None) is CTYPE:          # noqa: F821
        return VOIDP(value._addr)                        # noqa: F821
    return SLOW(value)                                   # noqa: F821


def _struct_template(value):
    if type(value) in ACCEPTED:                      # noqa: F821
        return AT(value._addr)          # the cdata (in the argument tuple) keeps it alive
    return SLOW(value)                                   # noqa: F821


# -- Argument converters ----
class ArgConverter:
    """Base of the `argtypes` entries: ctypes calls `from_param(value)` for each argument."""

    ctype = None

    @staticmethod
    def from_param(value):
        raise NotImplementedError


def _converter(ctype, from_param):
    """A converter class for arguments of `ctype` (ctypes only needs `from_param`)."""
    return type("arg<%s>" % (ctype.cname,), (ArgConverter,),
                {"ctype": ctype, "from_param": staticmethod(from_param), "__slots__": ()})


def _int_converter(ctype):
    base = ctype.base if ctype.kind == ENUM else ctype
    lo, hi = plat.int_bounds(base.byte_size, base.signed)
    slow = _bridged(lambda value: to_int(ctype, value))
    if base.byte_size < 8:
        # a Python int is passed by ctypes as a C int: right for every type up to 32 bits
        return _converter(ctype, _specialise(_small_int_template, LO=lo, HI=hi, SLOW=slow))
    box = _INT_BOXES[base.signed].from_param
    big = _specialise(_big_int_template, LO=lo, HI=hi, SLOW=slow, BOX=box)
    converter = _converter(ctype, big)
    if _REGISTER_INTS:
        converter.in_register = _converter(ctype, _specialise(
            _register_int_template, LO=max(lo, -_INT_WRAP // 2), HI=min(hi, _INT_WRAP // 2 - 1),
            BIG=big))
    return converter


# On x86-64 System V, libffi passes a C `int` argument held in a register sign-extended to the
# whole 64-bit register, which is exactly the `long long` (or `size_t`...) of the same value:
# a 64-bit argument that fits in 32 bits and is among the first six integer-class arguments
# then goes through ctypes' int conversion, without a c_int64 box (~60 ns a call).  On the
# stack (and on other ABIs) the upper half would not be written, so the box stays there.
_REGISTER_INTS = sys.platform.startswith("linux") and ctypes.sizeof(ctypes.c_void_p) == 8 \
    and (os.uname().machine if hasattr(os, "uname") else "").lower() in ("x86_64", "amd64")
_INTEGER_REGISTERS = 6


# char is signed on x86; the caller extends small arguments to 32 bits with the C type's sign
_CHAR_IS_SIGNED = (os.uname().machine if hasattr(os, "uname") else "").lower() in (
    "x86_64", "amd64", "i386", "i686", "x86")       # os.uname(): the platform module is slow
_CHAR_VALUES = tuple(b - 256 if _CHAR_IS_SIGNED and b > 127 else b for b in range(256))
_CHAR_ARGUMENTS = tuple(v % _INT_WRAP for v in _CHAR_VALUES)   # as C ints, see _INT_WRAP


def _char_converter(ctype):
    slow = _bridged(lambda value: to_char(ctype, value))
    return _converter(ctype, _specialise(_char_template, TABLE=_CHAR_ARGUMENTS, SLOW=slow))


def _bool_converter(ctype):
    slow = _bridged(lambda value: to_bool(ctype, value))
    return _converter(ctype, _specialise(_bool_template, SLOW=slow))


def _wchar_converter(ctype):
    return _converter(ctype, _bridged(lambda value: to_wchar(ctype, value)))


_INT_BOXES = {True: _argument_box(ctypes.c_int64), False: _argument_box(ctypes.c_uint64)}


_FLOAT_BOXES = {4: _RecordingNeverInstance("arg_c_float", (ctypes.c_float,), {}),
                8: _RecordingNeverInstance("arg_c_double", (ctypes.c_double,), {})}


def _float_converter(ctype):
    # ctypes' own conversion is cffi's rule (anything float() takes, except str and bytes);
    # its refusals become cffi's errors through _real_error()
    return _FLOAT_BOXES[ctype.byte_size]


_LD_FROM_BYTES = ctypes.c_longdouble.from_buffer_copy


def _longdouble_converter(ctype):
    return _converter(ctype, _bridged(lambda value: _LD_FROM_BYTES(longdouble_bytes(value))))


def _unsupported_converter(ctype):
    exc = unsupported_by_value(ctype, "argument")

    def from_param(value):
        _BRIDGE.raise_(exc)
    return _converter(ctype, from_param)


_PRIMITIVE_CONVERTERS = {
    plat.INT: _int_converter, plat.CHAR: _char_converter, plat.BOOL: _bool_converter,
    plat.WCHAR: _wchar_converter, plat.FLOAT: _float_converter,
    plat.LONGDOUBLE: _longdouble_converter, plat.COMPLEX: _unsupported_converter,
}


def _primitive_converter(ctype):
    if not hasattr(ctype, "category"):
        raise opaque_error(ctype)
    return _PRIMITIVE_CONVERTERS[ctype.category](ctype)


def _enum_converter(ctype):
    if ctype.partial:
        raise opaque_error(ctype)
    return _int_converter(ctype)


# -- Pointer arguments ----
def _accepts_bytes(item):
    """`char *`, `signed/unsigned char *`, `_Bool *` and `void *` take a bytes object as is."""
    if item.kind == VOID:
        return True
    return item.kind == PRIMITIVE and item.byte_size == 1 \
        and getattr(item, "category", None) in (plat.CHAR, plat.INT, plat.BOOL)


accepts_bytes = _accepts_bytes      # public: API mode's C fast path applies the same rule


def _is_file_type(item):
    return item.kind == STRUCT and item.cname == "FILE"


def _is_python_file(value):
    return hasattr(value, "fileno") and hasattr(value, "flush") and not isinstance(value, CData)


def _text_argument(item, text):
    """A str for a wchar_t/char16_t/char32_t pointer: what ctypes passes as that array."""
    if item.byte_size == ctypes.sizeof(ctypes.c_wchar):
        return text                     # ctypes passes a str as a NUL-terminated wchar_t *
    codec = "utf-16-le" if item.byte_size == 2 else "utf-32-le"
    return text.encode(codec, "surrogatepass") + b"\0" * item.byte_size


def _temporary_array(ctype, items):
    """A C array holding `items`, alive for the duration of the call."""
    item = ctype.item
    size = item.byte_size
    if item.kind == VOID or size <= 0:
        raise bad_init(ctype, "cdata pointer", items)
    buffer, address = allocate(len(items) * size)
    write_array(TYPES.array(item, None), address, items, len(items))
    return _byref(buffer)


def runtime_classes(ctype):
    """The cdata classes whose instances all have the type `ctype` (plain, fast, owning)."""
    rt = prepare(ctype)
    mirrored = getattr(rt.owning_class, "_mirror_class", None)     # (see cdata_make.new)
    return {cls for cls in (rt.cdata_class, rt.fast_class, rt.owning_class, mirrored)
            if cls is not None}


def _pointer_slow_path(ctype, accepted):
    """The full conversion of a pointer argument (7.2 note [1]: `T *` is `T[]` here).

    The classes of the cdata types found compatible are added to `accepted` (the fast path).
    """
    item = ctype.item if ctype.kind == POINTER else None
    takes_bytes = item is not None and _accepts_bytes(item)
    takes_text = item is not None and getattr(item, "category", None) == plat.WCHAR
    takes_file = item is not None and _is_file_type(item)

    def convert(value):
        if isinstance(value, CData) or hasattr(value, "_function_address") or \
                fast_twin(value) is not None:
            address = pointer_value(ctype, value)
            if isinstance(value, AddrCData) and value.__class__ in runtime_classes(value._ctype):
                accepted.add(value.__class__)
            return _c_void_p_param(address)
        if item is not None and isinstance(value, (list, tuple)):
            return _temporary_array(ctype, value)
        if takes_bytes and isinstance(value, bytes):
            return value
        if takes_text and isinstance(value, str):
            return _text_argument(item, value)
        if takes_file and _is_python_file(value):
            return _c_void_p_param(file_pointer(value))
        if takes_bytes and isinstance(value, str):
            raise bad_init(ctype, "bytes or list or tuple", value)
        raise bad_init(ctype, "cdata pointer", value)
    return _bridged(convert)


def _pointer_converter(ctype):
    accepted = runtime_classes(ctype)
    template = _bytes_pointer_template if _accepts_bytes(ctype.item) else _pointer_template
    return _converter(ctype, _specialise(template, ACCEPTED=accepted, VOIDP=_c_void_p_param,
                                         SLOW=_pointer_slow_path(ctype, accepted)))


def _function_pointer_converter(ctype):
    return _converter(ctype, _specialise(_function_pointer_template, CTYPE=ctype,
                                         VOIDP=_c_void_p_param,
                                         SLOW=_pointer_slow_path(ctype, set())))


# -- Struct arguments ----
def _struct_converter(ctype):
    problem = unsupported_by_value(ctype, "argument")
    if problem is not None:
        return _unsupported_converter(ctype)
    structure = by_value_ctypes(ctype)

    def convert(value):
        result = structure()
        write_struct(ctype, _addressof(result), value)
        return result
    return _converter(ctype, _specialise(_struct_template,
                                         ACCEPTED=frozenset(runtime_classes(ctype)),
                                         AT=structure.from_address, SLOW=_bridged(convert)))


_CONVERTER_MAKERS = {
    PRIMITIVE: _primitive_converter, ENUM: _enum_converter, POINTER: _pointer_converter,
    FUNCTION: _function_pointer_converter, STRUCT: _struct_converter,
    UNION: _unsupported_converter,
}


def _argtypes(fntype):
    """The `argtypes` of a function type: 64-bit ints in registers take the int route."""
    argtypes = []
    used = 1 if fntype.result.kind in (STRUCT, UNION) else 0     # a hidden result pointer
    for ctype in fntype.args:
        converter = arg_converter(ctype)
        if used is not None and ctype.kind in (PRIMITIVE, ENUM, POINTER, FUNCTION):
            category = getattr(ctype, "category", None)
            if category in (plat.FLOAT, plat.LONGDOUBLE, plat.COMPLEX):
                used = None if category != plat.FLOAT else used   # past those, stop counting
            else:
                used += 1
                if used <= _INTEGER_REGISTERS:
                    converter = getattr(converter, "in_register", converter)
        else:
            used = None                 # a struct by value: its registers are not counted
        argtypes.append(converter)
    return tuple(argtypes)


def arg_converter(ctype):
    """The `argtypes` entry for arguments of `ctype` (made once per type)."""
    rt = prepare(ctype)
    converter = rt.arg_converter
    if converter is None:
        converter = rt.arg_converter = _CONVERTER_MAKERS[ctype.kind](ctype)
    return converter


# -- Results ----
class _LongDoubleResult(ctypes.c_longdouble):
    """A c_longdouble restype that ctypes returns as an object (keeping all its bits)."""


def _int_result(ctype):
    return primitive_ctypes(ctype), None


def _wchar_result(ctype):
    if ctype.byte_size == ctypes.sizeof(ctypes.c_wchar):
        return ctypes.c_wchar, None
    return _INT_CTYPES[(ctype.byte_size, False)], lambda result, func, args: \
        code_to_str(ctype, result)


def _longdouble_result(ctype):
    def errcheck(result, func, args):
        return ValueCData(ctype, bytes(result)[:LONGDOUBLE_BYTES])
    return _LongDoubleResult, errcheck


def _pointer_errcheck_template(result, func, args):
    # cdata.pointer_to(CTYPE, result) inlined: the type's classes are read at each call,
    # as a struct completed by a later cdef() changes them
    # (and the cdata made without its __init__ frame)
    rt = CTYPE._rt or PREPARE(CTYPE)                     # noqa: F821
    fast = rt.fast_class
    if result and fast is not None and not result & rt.align_mask:
        cdata = NEW(fast)                                # noqa: F821
    else:
        cdata = NEW(rt.cdata_class)                      # noqa: F821
    cdata._ctype, cdata._addr, cdata._keep = CTYPE, result or 0, None      # noqa: F821
    return cdata


def _pointer_result(ctype):
    return ctypes.c_void_p, _specialise(_pointer_errcheck_template, PREPARE=prepare,
                                        CTYPE=ctype, NEW=object.__new__)


def _struct_errcheck_template(result, func, args):
    # OWNING(CTYPE, addressof(result), result) without its __init__ frame: the cdata owns
    # the ctypes result buffer
    cdata = NEW(OWNING)                                  # noqa: F821
    cdata._ctype, cdata._addr, cdata._keep = CTYPE, ADDRESSOF(result), result  # noqa: F821
    return cdata


def _struct_result(ctype):
    structure = by_value_ctypes(ctype)
    return structure, _specialise(_struct_errcheck_template, NEW=object.__new__,
                                  OWNING=prepare(ctype).owning_class, CTYPE=ctype,
                                  ADDRESSOF=_addressof)


_PRIMITIVE_RESULTS = {
    plat.INT: _int_result, plat.CHAR: _int_result, plat.BOOL: _int_result,
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
        return hash(self._addr)

    def __dir__(self):
        return []


def _variadic_call(self, *args, **kwargs):
    """Call a variadic function: the extra arguments must be cdata, which give their C type."""
    if kwargs:
        raise TypeError(MSG_KEYWORDS)
    fixed = self._fixed_count
    if len(args) < fixed:
        raise TypeError("'%s' expects at least %d arguments, got %d"
                        % (self._ctype.cname, fixed, len(args)))
    extra = [variadic_argument(fixed + 1 + i, value) for i, value in enumerate(args[fixed:])]
    return _CFuncPtr.__call__(self, *args[:fixed], *extra)


def _refused_call(self, *args):
    """Calling a function whose signature libffi cannot handle."""
    raise self._unsupported


class _CallPlan:
    """The ctypes function class of one function type (and its errcheck)."""

    __slots__ = ("cls", "errcheck")

    def __init__(self, fntype):
        self.errcheck = None
        attrs = {"_ctype": fntype, "__module__": __name__}
        try:
            argtypes = _argtypes(fntype)
            restype, self.errcheck = result_handling(fntype.result)
        except (NotImplementedError, FFIError) as exc:
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
        namespace = family_namespace(LibFunction)
        namespace.update(attrs)
        self.cls = type("function<%s>" % (fntype.cname,), (CData, _CFuncPtr), namespace)




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
    function = plan.cls(address)
    if plan.errcheck is not None:
        function.errcheck = plan.errcheck
    function._addr = address
    function.__name__ = name if name is not None else "<cdata>"
    return function


# -- Calling function-pointer cdata ----
_POINTER_FUNCTIONS_MAX = 4096     # per function type: address -> ctypes function


def call_function_pointer(cdata, args):
    """Call a function-pointer cdata (from ffi.cast, C memory, ffi.addressof or a callback)."""
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
    return function(*args)


# -- Variadic arguments ----
def _promoted_int(ctype, value):
    """The C default argument promotion of an integer (ints smaller than int become int)."""
    base = ctype.base if ctype.kind == ENUM else ctype
    if base.byte_size < ctypes.sizeof(ctypes.c_int):
        return ctypes.c_int(value)
    return _INT_CTYPES[(base.byte_size, base.signed)](value)


def _variadic_primitive(ctype, cdata):
    category = plat.INT if ctype.kind == ENUM else ctype.category
    if category in (plat.INT, plat.BOOL):
        return _promoted_int(ctype, int(cdata._value))
    if category == plat.CHAR:
        return ctypes.c_int(_CHAR_VALUES[cdata._value[0]])
    if category == plat.WCHAR:
        return _promoted_int(ctype, cdata._as_int())
    if category == plat.FLOAT:
        return ctypes.c_double(cdata._value)        # float is promoted to double
    if category == plat.LONGDOUBLE:
        return _LD_FROM_BYTES(cdata._value)
    raise unsupported_by_value(ctype, "argument")


def variadic_argument(position, value):
    """The ctypes object passing `value` in the `...` part: its cdata type decides."""
    if isinstance(value, ValueCData):
        return _variadic_primitive(value._ctype, value)
    if isinstance(value, StructCData):
        problem = unsupported_by_value(value._ctype, "argument")
        if problem is not None:
            raise problem
        return by_value_ctypes(value._ctype).from_address(value._addr)
    if isinstance(value, AddrCData):
        return ctypes.c_void_p(value._addr)
    if isinstance(value, LibFunction):
        return ctypes.c_void_p(value._addr)
    if fast_twin(value) is not None:
        return ctypes.c_void_p(fast_twin(value)._addr)
    raise TypeError("argument %d passed in the variadic part needs to be a cdata object (got %s)"
                    % (position, type(value).__name__))


# -- FILE * from Python file objects (7.2.1, best effort) ----
class _CFiles:
    """One unbuffered C `FILE *` per Python file object, on a dup() of its descriptor.

    The Python file is flushed each time it is passed; the FILE * is unbuffered, so what C
    writes reaches the descriptor at once (in order with later Python writes) without any
    flush after the call.  The FILE * is closed when the Python file object is collected.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.by_file = weakref.WeakKeyDictionary()
        self.strong = {}            # id -> (file, address) for objects without weakref support
        libc = ctypes.CDLL(None, use_errno=True)
        self.fdopen = libc.fdopen
        self.fdopen.argtypes, self.fdopen.restype = [ctypes.c_int, ctypes.c_char_p], \
            ctypes.c_void_p
        self.setvbuf = libc.setvbuf
        self.setvbuf.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
        self.fclose = libc.fclose
        self.fclose.argtypes = [ctypes.c_void_p]

    def pointer(self, fileobj):
        """The address of the FILE * for `fileobj`."""
        fileobj.flush()
        with self.lock:
            address = self._cached(fileobj)
            if address is None:
                address = self._open(fileobj)
        return address

    def _cached(self, fileobj):
        try:
            return self.by_file.get(fileobj)
        except TypeError:
            entry = self.strong.get(id(fileobj))
            return entry[1] if entry is not None and entry[0] is fileobj else None

    def _open(self, fileobj):
        fd = os.dup(fileobj.fileno())
        address = self.fdopen(fd, _c_mode(getattr(fileobj, "mode", "r")).encode())
        if not address:
            code = ctypes.get_errno()
            os.close(fd)
            raise OSError(code, "fdopen() failed: %s" % (os.strerror(code),))
        self.setvbuf(address, None, 2, 0)           # _IONBF: unbuffered
        try:
            self.by_file[fileobj] = address
            weakref.finalize(fileobj, self.fclose, address)
        except TypeError:
            self.strong[id(fileobj)] = (fileobj, address)
        return address


def _c_mode(mode):
    """The fdopen() mode matching a Python file mode."""
    if "+" in mode:
        return "a+" if "a" in mode else "r+"
    if "w" in mode or "x" in mode:
        return "w"
    if "a" in mode:
        return "a"
    return "r"


_files = once(_CFiles)


def file_pointer(fileobj):
    """The address of a C `FILE *` writing to/reading from a Python file object."""
    return _files().pointer(fileobj)


if sys.platform == "win32":     # pragma: no cover - the FILE * support assumes POSIX fdopen()
    def file_pointer(fileobj):  # noqa: F811
        raise NotImplementedError("passing Python file objects as 'FILE *' needs POSIX")
