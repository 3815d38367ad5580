"""Primitive C values held by Python (`ffi.cast("int", 42)`, a long double): ValueCData."""
import ctypes
import math
from operator import index as _index

from . import platform as plat
from .cdatabase import CData, name_as_cffi_class
from .ctype import ARRAY, ENUM, TYPES

_SSIZE_MIN, _SSIZE_MAX = plat.SSIZE_MIN, plat.SSIZE_MAX

_LD = ctypes.c_longdouble


def longdouble_float(raw):
    """A long double's raw bytes as a Python float."""
    return _LD.from_buffer_copy(raw).value

def _longdouble_text(value):
    """A long double as C's "%LE" writes it: a NaN keeps its sign ("-NAN"), as in cffi."""
    if value != value and math.copysign(1.0, value) < 0:
        return "-NAN"
    return "%E" % (value,)


# -- What struct values and C numbers do not do (cffi's messages) ----
def _no_add(self, other):
    """`x + n`: as cffi, `n` must be an index (of ssize_t range) before `x` is refused."""
    if not _SSIZE_MIN <= _index(other) <= _SSIZE_MAX:
        raise OverflowError("cannot fit 'int' into an index-sized integer")
    raise TypeError("cannot add a cdata '%s' and a number" % (self._ctype.cname,))


def _no_sub(self, other):
    """`x - y`: a cdata `y` is cffi's "cannot subtract", anything else is `x + y`'s error."""
    if isinstance(other, CData):
        raise cannot_subtract(self, other)
    _no_add(self, other)


def cannot_subtract(left, right):
    """cffi's TypeError for `left - right` of two cdata that do not subtract (arrays decay)."""
    rtype = right._ctype
    if rtype.kind == ARRAY:
        rtype = TYPES.pointer(rtype.item)
    return TypeError("cannot subtract cdata '%s' and cdata '%s'" % (left._ctype.cname, rtype.cname))


def _no_item(self, index, value=None):
    """`x[i]` of what is no pointer or array: as cffi, `i` must be an index (or a slice
    `x[start:stop]` well formed) first."""
    if isinstance(index, slice):
        slice_bounds(self, index, None)
    elif not _SSIZE_MIN <= _index(index) <= _SSIZE_MAX:
        raise IndexError("cannot fit 'int' into an index-sized integer")
    raise TypeError("cdata of type '%s' cannot be indexed" % (self._ctype.cname,))


def index_error(array, index, length):
    """cffi's IndexError for an index out of an array's bounds."""
    if not _SSIZE_MIN <= index <= _SSIZE_MAX:
        return IndexError("cannot fit 'int' into an index-sized integer")
    if index < 0:
        return IndexError("negative index")
    return IndexError("index too large for cdata '%s' (expected %d < %d)"
                      % (array._ctype.cname, index, length))


def slice_bounds(cdata, index, length):
    """(start, stop) of a slice of `cdata`, checked with cffi's messages, in cffi's order
    (start, then stop, then step)."""
    start, stop = index.start, index.stop
    if start.__class__ is not int or stop.__class__ is not int or index.step is not None:
        start = slice_end(start, "start")
        stop = slice_end(stop, "stop")
        if index.step is not None:
            raise IndexError("slice with step not supported")
    if not (_SSIZE_MIN <= start <= _SSIZE_MAX and _SSIZE_MIN <= stop <= _SSIZE_MAX):
        raise OverflowError("Python int too large to convert to C ssize_t")
    if start > stop:
        raise IndexError("slice start > stop")
    if length is not None:
        if start < 0:
            raise IndexError("negative index")
        if stop > length:
            raise IndexError("index too large (expected %d <= %d)" % (stop, length))
    return start, stop


def slice_end(value, which):
    """One end of a slice `x[start:stop]`: given, an int (no __index__, as cffi) within
    ssize_t."""
    if value is None:
        raise IndexError("slice %s must be specified" % (which,))
    if not isinstance(value, int):
        raise TypeError("an integer is required")
    if not _SSIZE_MIN <= value <= _SSIZE_MAX:
        raise OverflowError("Python int too large to convert to C ssize_t")
    return value


def _no_len(self):
    raise TypeError("cdata of type '%s' has no len()" % (self._ctype.cname,))


def _no_iter(self):
    raise TypeError("cdata '%s' does not support iteration" % (self._ctype.cname,))


def _no_call(self, *args, **kwargs):
    raise TypeError("cdata '%s' is not callable" % (self._ctype.cname,))


# -- Primitive values ----
class ValueCData(CData):
    """A primitive C value held by Python (`ffi.cast("int", 42)`, a long double...)."""

    __slots__ = ("_ctype", "_value", "__weakref__")

    def _category(self):
        if self._ctype.kind == ENUM:
            return plat.INT
        return getattr(self._ctype, "category", None)

    def _as_int(self):
        cat = self._category()
        value = self._value
        if cat == plat.CHAR:
            return value[0]
        if cat == plat.WCHAR:
            return ord(value) if isinstance(value, str) and len(value) == 1 else value
        if cat == plat.LONGDOUBLE:
            return int(longdouble_float(value))
        if cat == plat.FLOAT:
            return int(value)
        if cat == plat.COMPLEX:
            raise TypeError("int() not supported on cdata '%s'" % (self._ctype.cname,))
        return int(value)

    def __int__(self):
        value = self._value
        if value.__class__ is int:      # integers and enums hold an int (the common case)
            return value
        return self._as_int()

    def __float__(self):
        # spec 7.2: float() is an operation of the floating-point types only (so an integer
        # cdata is not written into a double either, as in cffi; ffi.cast() converts it)
        value = self._value
        if value.__class__ is float:        # (only the floating types hold a float)
            return value
        cat = self._category()
        if cat == plat.FLOAT:
            return float(self._value)
        if cat == plat.LONGDOUBLE:
            return longdouble_float(self._value)
        raise TypeError("float() not supported on cdata '%s'" % (self._ctype.cname,))

    def __complex__(self):
        if self._category() == plat.COMPLEX:
            return self._value
        # not even for 'double', as in cffi (ffi.cast("double _Complex", x) converts)
        raise TypeError("complex() not supported on cdata '%s'" % (self._ctype.cname,))

    def __bool__(self):
        value = self._value
        if value.__class__ is int or value.__class__ is float:     # the common cases
            return value != 0
        cat = self._category()
        if cat == plat.LONGDOUBLE:
            return longdouble_float(self._value) != 0
        if cat in (plat.CHAR, plat.WCHAR):
            return self._as_int() != 0
        return bool(self._value)

    def _compared(self):
        """The Python value a comparison uses, as cffi: a char is bytes, a wchar_t str; a long
        double is refused (cffi's NotImplementedError: no Python number holds it)."""
        value = self._value
        if value.__class__ is bytes and len(value) > 1:     # a long double's raw bytes
            raise NotImplementedError("cannot use <cdata '%s'> in a comparison"
                                      % (self._ctype.cname,))
        return value

    def __eq__(self, other):
        if isinstance(other, CData):
            if not isinstance(other, ValueCData):
                return NotImplemented
            other = other._compared()
        return self._compared() == other

    def __ne__(self, other):
        if isinstance(other, CData):
            if not isinstance(other, ValueCData):
                return NotImplemented
            other = other._compared()
        return self._compared() != other

    # ordering: that of the Python values (Python's TypeError when they have none), nothing
    # against a pointer or a struct
    def __lt__(self, other):
        if isinstance(other, CData):
            if not isinstance(other, ValueCData):
                return NotImplemented
            other = other._compared()
        return self._compared() < other

    def __le__(self, other):
        if isinstance(other, CData):
            if not isinstance(other, ValueCData):
                return NotImplemented
            other = other._compared()
        return self._compared() <= other

    def __gt__(self, other):
        if isinstance(other, CData):
            if not isinstance(other, ValueCData):
                return NotImplemented
            other = other._compared()
        return self._compared() > other

    def __ge__(self, other):
        if isinstance(other, CData):
            if not isinstance(other, ValueCData):
                return NotImplemented
            other = other._compared()
        return self._compared() >= other

    def __hash__(self):
        value = self._value
        if value.__class__ is bytes and len(value) > 1:     # a long double: by identity (cffi)
            return object.__hash__(self)
        return hash(value)

    def __repr__(self):
        return "<cdata '%s' %s>" % (self._ctype.cname, self._repr_value())

    def _repr_value(self):
        cat = self._category()
        if cat == plat.LONGDOUBLE:
            return _longdouble_text(longdouble_float(self._value))
        if self._ctype.kind == ENUM:
            name = self._ctype._elements.get(self._value)
            return "%d: %s" % (self._value, name) if name is not None else "%d" % self._value
        return repr(self._value)

    def __dir__(self):
        return []

    # -- What a C value does not do (cffi's messages) ----
    __add__ = __radd__ = _no_add
    __sub__ = _no_sub
    __getitem__ = __setitem__ = __delitem__ = _no_item
    __len__, __call__ = _no_len, _no_call
    __iter__ = _no_iter


# the name Python's own messages show, as for cffi's ("unsupported operand type(s) for *:
# '_cffi_backend._CDataBase' and 'int'")
name_as_cffi_class(ValueCData, "_CDataBase")


_new_object = object.__new__


class GcValueCData(ValueCData):
    """What ffi.gc() of a primitive value returns: the same value, with the GcRef whose
    destructor runs when it dies (`_gc`)."""

    __slots__ = ("_gc",)


name_as_cffi_class(GcValueCData, "__CDataGCP")      # (cffi's)


def value_cdata(ctype, value):
    """A ValueCData of `ctype` holding `value` (the class refuses to be called, as cffi's)."""
    result = _new_object(ValueCData)
    result._ctype, result._value = ctype, value
    return result
