"""API-mode lib functions: the built-in function of each cdef() function, and its twin, the
same function called through ctypes (what the C fast path leaves to it, and what a function
pointer needs); functions taking or returning what libffi cannot pass by value go through a
C wrapper taking pointers (see docs/design.md, "API mode")."""
import struct

from . import call
from . import cdata as _cd
from . import cdata_make as _mk
from . import platform as plat
from .cdata_make import PACK_ERRORS, initializer_pack
from .convert import prepare
from .ctype import FUNCTION, POINTER, PRIMITIVE, STRUCT, TYPES, UNION, c_signature
from .memory import addressof

_new_object = object.__new__

__all__ = ["by_pointer", "make_function", "result_plan", "struct_argument",
           "struct_result_maker"]

def by_pointer(ctype):
    """Types libffi cannot pass by value, which API mode passes through a pointer wrapper:
    structs, unions, complex numbers and long double."""
    if ctype.kind in (STRUCT, UNION):
        return True
    return ctype.kind == PRIMITIVE and getattr(ctype, "category", None) in (
        plat.COMPLEX, plat.LONGDOUBLE)


def _pointer_wrapped_function(name, fntype, address):
    """A Python function calling the C wrapper `void w(R *result, args with by-value ones as
    pointers)`: what libffi cannot pass by value goes through memory."""
    arg_ptrs = [TYPES.pointer(t) if by_pointer(t) else None for t in fntype.args]
    wargs = [p if p is not None else t for p, t in zip(arg_ptrs, fntype.args)]
    result = fntype.result
    result_ptr = TYPES.pointer(result) if result.kind != "void" else None
    if result_ptr is not None:
        wargs.insert(0, result_ptr)
    wtype = TYPES.function_pointer(TYPES.raw_function(wargs, TYPES.void, False))
    wrapper = None              # the ctypes-called wrapper, made at the first call
    nargs = len(fntype.args)

    def function(*args):
        nonlocal wrapper
        if len(args) != nargs:
            raise TypeError("%s expected %d arguments, got %d" % (name, nargs, len(args)))
        if wrapper is None:     # (two threads may both make one: either is complete)
            wrapper = call.make_lib_function(wtype, address, name)
        converted = [_by_value_pointer(p, a) if p is not None else a
                     for p, a in zip(arg_ptrs, args)]
        if result_ptr is None:
            wrapper(*converted)
            return None
        out = _mk.new(result_ptr, None)
        wrapper(out, *converted)
        return out[0]           # a struct co-owns the memory: repr says 'owning', as cffi
    function.__name__ = name
    return function


def _by_value_pointer(pointer_type, value):
    """A `T *` to a copy of `value` (a cdata T, or anything ffi.new() accepts)."""
    item = pointer_type.item
    if isinstance(value, _cd.CData) and value._ctype is item and hasattr(value, "_addr"):
        return _mk.pointer_to(pointer_type, value._addr, value)
    if value is None:           # (ffi.new() takes None as "zero": an argument may not)
        raise TypeError("initializer for ctype '%s' must be a list or tuple or dict or "
                        "struct-cdata, not NoneType" % (item.cname,)
                        if item.kind in (STRUCT, UNION) else "must be real number, not NoneType")
    return _mk.new(pointer_type, value)


class _LazyTwin:
    """The twin of a fast built-in function, which calls it only when its C code cannot take
    the arguments: the ctypes-called function is made at that first call (so that an import
    prepares no type for the functions it does not use, and holds a few objects for the
    garbage collector to walk).  Until then it has what a function pointer needs: `_ctype`,
    `_addr` and `_function_address()`.  `wrapper`: the address of the C wrapper taking
    by-value arguments and the result through pointers (the `pointer` route; `address` is
    then the function's own, for function pointers), or None."""

    __slots__ = ("_ctype", "_addr", "__name__", "_function", "_wrapper")

    def __init__(self, fntype, address, name, wrapper=None):
        self._ctype, self._addr, self.__name__ = fntype, address, name
        self._function, self._wrapper = None, wrapper

    @property
    def __doc__(self):
        return c_signature(self.__name__, self._ctype)

    def _function_address(self):
        return self._addr

    def __call__(self, *args):
        function = self._function
        if function is None:        # (two threads may both make one: either is complete)
            if self._wrapper is None:
                function = call.make_lib_function(self._ctype, self._addr, self.__name__)
            else:
                function = _pointer_wrapped_function(self.__name__, self._ctype,
                                                     self._wrapper)
            self._function = function
        return function(*args)


def make_function(module, name, fntype, how, address, fnptr_address, fast_index,
                   redoc=False):
    """`lib.name`: a built-in function (as cffi's) whose twin, the function called through
    ctypes, is what a function pointer needs; variadic functions are that twin itself.
    `redoc`: its docstring names types only known now (`typedef int... t`)."""
    if how == "pointer":
        function = _LazyTwin(fntype, fnptr_address, name, address)
    elif how == "fast" and fast_index is not None:
        function = _LazyTwin(fntype, address, name)
    else:       # (a variadic one is a plain cdata, as in cffi: no name of its own)
        function = call.make_lib_function(fntype, address, None if fast_index is None else name)
    if fast_index is None:
        return function
    # what the C fast path needs, if the function has one (the 'fast' ones, and 'pointer'
    # ones passing structs and unions): the types it compares the cdata arguments with
    fast = how in ("fast", "pointer")
    ptypes = tuple(t if t.kind in _C_CHECKED and fast else None for t in fntype.args)
    # arguments where a bytes object is taken as is (call.py's rule), as a bit mask
    bytes_mask = sum(1 << i for i, t in enumerate(fntype.args)
                     if fast and t.kind == POINTER and call.accepts_bytes(t.item) and i < 64)
    result = fntype.result
    maker = call.pointer_result_maker(result) if fast and result.kind == POINTER else \
        struct_result_maker(result) if fast and result.kind in (STRUCT, UNION) else None
    doc = "%s\n\nCFFI C function from %s.lib" % (c_signature(name, fntype), module.__name__) \
        if redoc else None
    if maker is None and doc is None:
        return module._pc_fast(fast_index, function, ptypes, bytes_mask)
    return module._pc_fast(fast_index, function, ptypes, bytes_mask, doc, maker,
                           result if maker is not None else None)


# the argument types whose cdata the C fast path takes when they are of exactly that type
_C_CHECKED = (POINTER, FUNCTION, STRUCT, UNION)


def result_plan(ctype):
    """What API mode's C code makes the cdata of a result of type `ctype` with, prepared, read
    again when the type has a new runtime: call.pointer_result_plan() for a pointer, and for
    a struct or union (runtime, ctypes buffer class of its size, owning class, 0)."""
    if ctype.kind in (STRUCT, UNION):
        rt = ctype._rt or prepare(ctype)
        return (rt,) + call.struct_memory(ctype, rt) + (0,)
    return call.pointer_result_plan(ctype)


def struct_argument(ctype, value):
    """The value of a struct or union argument of type T given as anything else than a T
    cdata (a list, a dict...), for API mode's fast path, which passes its bytes: a bytes
    object of sizeof(T) packed at once for a list or tuple of one number per field of a
    struct of numbers, else a `T *` to a new T."""
    rt = ctype._rt
    plan = rt.by_value_new if rt is not None else None
    if plan is None or value is None:
        pointer = TYPES.pointer(ctype)
        made = _by_value_pointer(pointer, value)    # (prepares `T *`, or raises the error)
        (ctype._rt or prepare(ctype)).by_value_new = _struct_packer(ctype) + (pointer._rt.new,)
        return made
    pack, names, new = plan
    if pack is not None:
        try:                        # (out of range, not a number...: the checked way)
            if isinstance(value, (list, tuple)) and len(value) == len(names):
                return pack(*value)
            if value.__class__ is dict and tuple(value) == names:   # (in field order)
                return pack(*value.values())
        except PACK_ERRORS:
            pass
    return new(value, None)


def _struct_packer(ctype):
    """(pack, names): `pack(*numbers)` giving the sizeof(T) bytes of a struct of numbers
    initialised from one number per field, and the fields' names; or (None, None)."""
    plan = initializer_pack(ctype, prepare(ctype)) if ctype.kind == STRUCT else None
    if plan is None:
        return None, None
    layout = plan[0].__self__.format
    padding = ctype.byte_size - struct.calcsize(layout)
    names = tuple(name for name, f in ctype._fields if not f.flags & 1)
    return struct.Struct(layout + "%dx" % (padding,)).pack, names


class struct_result_maker:
    """The bytes of a struct or union result -> its owning cdata, as the slow path returns it
    (API mode's fast path, when its C code does not make it); the type is prepared at the
    first call, not at import.  (A slotted object: one for the garbage collector to walk,
    where a closure would be three.)"""

    __slots__ = ("ctype", "plan")

    def __init__(self, ctype):
        self.ctype, self.plan = ctype, (None, None, None)

    def __call__(self, data):
        ctype = self.ctype
        rt, owning, copy = self.plan
        if rt is not ctype._rt or rt is None:   # (two threads may both make one: either
            rt = ctype._rt or prepare(ctype)    # is complete)
            buffer, owning = call.struct_memory(ctype, rt)
            self.plan = rt, owning, copy = rt, owning, buffer.from_buffer_copy
        memory = copy(data)
        cdata = _new_object(owning)
        cdata._ctype, cdata._addr, cdata._keep = ctype, addressof(memory), memory
        return cdata
