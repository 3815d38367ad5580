"""Argument conversion for calls through ctypes: the `argtypes` converters of a function type.

Each C type gets a small converter class whose `from_param` applies cffi's conversion rules
(`convert.py` holds the rules; the converters only add fast paths for the common exact types).

ctypes turns any exception raised while converting an argument into `ctypes.ArgumentError`.
`_ArgumentErrorBridge` gives back the real exception: the converters stash the exception they
raise, and `ctypes.ArgumentError.__new__` returns the stashed object when ctypes instantiates
its wrapper.  Errors of ctypes' native converters (used for `float`/`double` arguments) become
instances of small classes deriving from both `ArgumentError` and the original built-in
exception, so code that catches `ctypes.ArgumentError` still works.
"""
import builtins
import collections
import ctypes
import functools
import operator
import os
import sys
import threading

from . import platform as plat
from .accel import offer
from .call_files import file_pointer
from .call_types import by_value_ctypes, unsupported_by_value
from .cdata import AddrCData, CData
from .cdata_value import ValueCData
from .convert import (array_initializers, bad_init, fast_twin, longdouble_bytes, pointer_value,
                      prepare, to_bool, to_char, to_float, to_int, to_wchar, write_numbers)
from .ctype import ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, TYPES, UNION, VOID, \
    opaque_error
from .memory import allocate
from .specialise import specialise

__all__ = ["arg_converter", "argtypes_of", "accepts_bytes", "runtime_classes",
           "LD_FROM_BYTES", "ArgConverter"]


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


# The argument objects of the addresses passed lately: ctypes' c_void_p.from_param(address)
# looks its "P" field description up in a linear table (~250 machine instructions) and makes
# a new argument object each time, where a dict lookup finds the one made before (an argument
# object is only read by ctypes: the same one may be passed by any number of calls at once).
_POINTER_PARAMS = {}
_POINTER_PARAMS_MAX = 1024


def _new_pointer_param(address):
    """c_void_p.from_param(address), filed in _POINTER_PARAMS (emptied when full)."""
    param = _c_void_p_param(address)
    if len(_POINTER_PARAMS) >= _POINTER_PARAMS_MAX:
        _POINTER_PARAMS.clear()
    _POINTER_PARAMS[address] = param
    return param
_byref = ctypes.byref
_addressof = ctypes.addressof


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
_COMPACT_MAX = (1 << 30) - 1       # the largest one-digit int of CPython


# The first test compares with one-digit ints only (below 2**30), which CPython 3.11 does
# with its specialised int comparison; the bounds of 32-bit types are two-digit ints, whose
# comparison is the generic one (~130 machine instructions more per argument).
# (Nested tests, not chained comparisons: each compare is followed by its jump, the form that
# CPython 3.11 specialises; ~30 machine instructions less per argument.)
def _small_int_template(value):
    if type(value) is int:
        if value >= 0:
            if value <= TOP:                             # noqa: F821 (bound by _specialise)
                return value
        elif value >= BOTTOM:                            # noqa: F821
            return value + 4294967296                    # _INT_WRAP, see above
        if LO <= value <= HI:                            # noqa: F821
            return value if value >= 0 else value + 4294967296     # _INT_WRAP, see above
    elif value.__class__ is VCD:                         # noqa: F821 (an integer cdata)
        inner = value._value
        if inner.__class__ is int and LO <= inner <= HI:                # noqa: F821
            return inner if inner >= 0 else inner + 4294967296
    elif value is True or value is False:                # (every integer type takes 0 and 1)
        return 1 if value else 0
    value = SLOW(value)                                  # noqa: F821
    return value if value >= 0 else value + 4294967296


def _big_int_template(value):
    if type(value) is int and LO <= value <= HI:    # noqa: F821
        return BOX(value)                                # noqa: F821
    if value.__class__ is VCD and value._value.__class__ is int \
            and LO <= value._value <= HI:                # noqa: F821 (an integer cdata)
        return BOX(value._value)                         # noqa: F821
    return BOX(SLOW(value))                              # noqa: F821


def _register_int_template(value):
    # a 64-bit argument passed in a register: a value that fits in 32 bits goes as a C int,
    # which libffi sign-extends to the whole register (see _REGISTER_INTS)
    if type(value) is int:
        if value >= 0:
            if value <= TOP:                             # noqa: F821 (see _small_int_template)
                return value
        elif value >= BOTTOM:                            # noqa: F821
            return value + 4294967296                    # _INT_WRAP, see above
        if LO <= value <= HI:                            # noqa: F821
            return value if value >= 0 else value + 4294967296     # _INT_WRAP, see above
    elif value.__class__ is VCD:                         # noqa: F821 (an integer cdata)
        inner = value._value
        if inner.__class__ is int and LO <= inner <= HI:                # noqa: F821
            return inner if inner >= 0 else inner + 4294967296
    elif value is True or value is False:
        return 1 if value else 0
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
        return PARAM(value._addr) or VOIDP(value._addr)  # noqa: F821 (see _POINTER_PARAMS)
    return SLOW(value)                                   # noqa: F821


def _bytes_pointer_template(value):
    kind = type(value)
    if kind is bytes:
        return value                    # ctypes passes a pointer to the bytes' own buffer
    if kind in ACCEPTED:                                 # noqa: F821
        return PARAM(value._addr) or VOIDP(value._addr)  # noqa: F821 (see _POINTER_PARAMS)
    return SLOW(value)                                   # noqa: F821


def _function_pointer_template(value):
    if type(value) in ACCEPTED or getattr(value, "_ctype", None) is CTYPE:   # noqa: F821
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


def _converter(ctype, from_param, param=None):
    """A converter class for arguments of `ctype` (ctypes only needs `from_param`); `param`
    (kind, constants...) lets a compiled module give it a C `from_param` doing the same
    (accel.py, build/api_accel_calls.py)."""
    namespace = {"ctype": ctype, "from_param": staticmethod(from_param), "__slots__": ()}
    if param is not None:
        namespace["_pc_param"] = param
    cls = type("arg<%s>" % (ctype.cname,), (ArgConverter,), namespace)
    if param is not None:
        offer(cls)
    return cls


def _int_converter(ctype):
    base = ctype.base if ctype.kind == ENUM else ctype
    lo, hi = plat.int_bounds(base.byte_size, base.signed)
    slow = _bridged(lambda value: to_int(ctype, value))
    if base.byte_size < 8:
        # a Python int is passed by ctypes as a C int: right for every type up to 32 bits
        return _converter(ctype, _specialise(_small_int_template, LO=lo, HI=hi, SLOW=slow,
                                             VCD=ValueCData,
                                             TOP=min(hi, _COMPACT_MAX),
                                             BOTTOM=max(lo, -_COMPACT_MAX)),
                          ("int", lo, hi, ValueCData, slow))
    box = _INT_BOXES[base.signed].from_param
    big = _specialise(_big_int_template, LO=lo, HI=hi, SLOW=slow, BOX=box, VCD=ValueCData)
    converter = _converter(ctype, big)
    if _REGISTER_INTS:
        reg_lo, reg_hi = max(lo, -_INT_WRAP // 2), min(hi, _INT_WRAP // 2 - 1)
        converter.in_register = _converter(ctype, _specialise(
            _register_int_template, LO=reg_lo, HI=reg_hi, TOP=min(reg_hi, _COMPACT_MAX),
            BOTTOM=max(reg_lo, -_COMPACT_MAX), BIG=big, VCD=ValueCData),
            ("register", reg_lo, reg_hi, ValueCData, big))
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
CHAR_VALUES = tuple(b - 256 if _CHAR_IS_SIGNED and b > 127 else b for b in range(256))
_CHAR_ARGUMENTS = tuple(v % _INT_WRAP for v in CHAR_VALUES)   # as C ints, see _INT_WRAP


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


LD_FROM_BYTES = ctypes.c_longdouble.from_buffer_copy


def _longdouble_converter(ctype):
    return _converter(ctype, _bridged(lambda value: LD_FROM_BYTES(longdouble_bytes(value))))


def _unsupported_converter(ctype):
    exc = unsupported_by_value(ctype, "argument")

    def from_param(value):
        _BRIDGE.raise_(type(exc)(*exc.args))       # (a new one each time, with no old context)
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
    """`char *`, `signed/unsigned char *` and `void *` take a bytes object as is (a `_Bool *`
    takes one too, checked on the general path: only bytes 0 and 1)."""
    if item.kind == VOID:
        return True
    return item.kind == PRIMITIVE and item.byte_size == 1 \
        and getattr(item, "category", None) in (plat.CHAR, plat.INT)


def _takes_bytes(item):
    """The items of a pointer argument that a bytes object may give (char-sized numbers)."""
    return _accepts_bytes(item) or getattr(item, "category", None) == plat.BOOL


accepts_bytes = _accepts_bytes      # public: API mode's C fast path applies the same rule


def _is_file_type(item):
    return item.kind == STRUCT and item.cname == "FILE"


def _is_python_file(value):
    return not isinstance(value, CData) and hasattr(value, "fileno") and hasattr(value, "flush")


def _text_argument(item, text):
    """A str for a wchar_t/char16_t/char32_t pointer: what ctypes passes as that array."""
    if item.byte_size == ctypes.sizeof(ctypes.c_wchar):
        return text                     # ctypes passes a str as a NUL-terminated wchar_t *
    codec = "utf-16-le" if item.byte_size == 2 else "utf-32-le"
    return text.encode(codec, "surrogatepass") + b"\0" * item.byte_size


def _temporary_array(ctype, items):
    """A C array holding `items`, alive for the duration of the call: what write_array()
    does with a list or tuple, without the array type (`item[]`, which, interned weakly,
    would be made again for every call)."""
    item = ctype.item
    size = item.byte_size
    if item.kind == VOID or size <= 0:
        raise bad_init(ctype, "cdata pointer", items)
    buffer, address = allocate(len(items) * size)
    irt = item._rt or prepare(item)
    if not write_numbers(irt, address, items, True):    # numbers packed at once, or zeroed
        write = irt.write
        for index, value in enumerate(items):           # one by one, with cffi's errors
            write(address + index * size, value)
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
    takes_bytes = item is not None and _takes_bytes(item)
    takes_text = item is not None and getattr(item, "category", None) == plat.WCHAR
    takes_file = item is not None and _is_file_type(item)

    def convert(value):
        if item is not None and (value.__class__ is list or value.__class__ is tuple):
            return _temporary_array(ctype, value)   # (asks no attribute of it)
        if isinstance(value, CData) or hasattr(value, "_function_address") or \
                fast_twin(value) is not None:
            address = pointer_value(ctype, value)
            if isinstance(value, AddrCData) and value.__class__ in runtime_classes(value._ctype):
                accepted.add(value.__class__)
            return _c_void_p_param(address)
        if item is not None and isinstance(value, (list, tuple)):
            return _temporary_array(ctype, value)
        if takes_bytes and isinstance(value, bytes):
            if item.category == plat.BOOL and value.strip(b"\0\1"):
                raise ValueError("an array of _Bool can only contain \\x00 or \\x01")
            return value
        if takes_text and isinstance(value, str):
            return _text_argument(item, value)
        if takes_file and _is_python_file(value):
            return _c_void_p_param(file_pointer(value))
        if isinstance(value, str) and item is not None and item.kind != VOID and \
                item.byte_size > 0:             # taken for an array initializer, as in cffi
            raise bad_init(ctype, array_initializers(item), value)
        raise bad_init(ctype, "cdata pointer", value)
    return _bridged(convert)


def _pointer_converter(ctype):
    accepted = runtime_classes(ctype)
    takes_bytes = _accepts_bytes(ctype.item)
    template = _bytes_pointer_template if takes_bytes else _pointer_template
    slow = _pointer_slow_path(ctype, accepted)
    return _converter(ctype, _specialise(template, ACCEPTED=accepted, VOIDP=_new_pointer_param,
                                         PARAM=_POINTER_PARAMS.get, SLOW=slow),
                      ("bytes" if takes_bytes else "pointer", accepted, _POINTER_PARAMS,
                       _new_pointer_param, slow))


def _function_pointer_converter(ctype):
    accepted = set()        # the classes of the cdata the slow path found compatible (NULL...)
    return _converter(ctype, _specialise(_function_pointer_template, CTYPE=ctype,
                                         ACCEPTED=accepted, VOIDP=_c_void_p_param,
                                         SLOW=_pointer_slow_path(ctype, accepted)))


# -- Struct arguments ----
def _struct_converter(ctype):
    problem = unsupported_by_value(ctype, "argument")
    if problem is not None:
        return _unsupported_converter(ctype)
    structure = by_value_ctypes(ctype)

    def convert(value):
        result = structure()
        (ctype._rt or prepare(ctype)).write(_addressof(result), value)     # the type's writer
        return result
    return _converter(ctype, _specialise(_struct_template,
                                         ACCEPTED=frozenset(runtime_classes(ctype)),
                                         AT=structure.from_address, SLOW=_bridged(convert)))


_CONVERTER_MAKERS = {
    PRIMITIVE: _primitive_converter, ENUM: _enum_converter, POINTER: _pointer_converter,
    FUNCTION: _function_pointer_converter, STRUCT: _struct_converter,
    UNION: _unsupported_converter,
}


def argtypes_of(fntype):
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

