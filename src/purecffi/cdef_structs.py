"""Struct types during one cdef(): snapshots to undo, when their members can be laid out, and
the problems cffi reports when the struct is first used (bitfields, flexible arrays)."""
import re

from . import platform as plat
from .ctype import ARRAY, NAMED, POINTER, STRUCT, TYPES, UNION, UnknownNumberType


# -- Transactions over struct types ----
def _snapshot(obj):
    """The values of all the slots of a type object."""
    state = {}
    for cls in type(obj).__mro__:
        for slot in cls.__dict__.get("__slots__", ()):
            if slot != "__weakref__" and hasattr(obj, slot):
                state[slot] = getattr(obj, slot)
    return state


def _restore(obj, state):
    """Put the slots of a type object back as `_snapshot` saw them (those set since, such as
    `fields`, are unset again; the read-only guard of ctypes does not apply to an undo)."""
    for cls in type(obj).__mro__:
        for slot in cls.__dict__.get("__slots__", ()):
            if slot == "__weakref__":
                continue
            if slot in state:
                object.__setattr__(obj, slot, state[slot])
            elif hasattr(obj, slot):
                object.__delattr__(obj, slot)


def rename_tag(walker, key, name):
    """`typedef struct s t;` names `struct s` 't', as cffi names a type when it first builds
    it: a tag this cdef() creates takes the name then, one of an earlier cdef() takes it now
    if no typedef named it yet and nothing has used it (no runtime, no type string naming it,
    for it or for a type made from it, whose spelling follows)."""
    walker.renames.setdefault(key, name)
    ctype = walker.work.types.get(key)
    if ctype is None or ctype._prefix != key or ctype._rt is not None:
        return
    index = getattr(walker, "made_from_index", None)
    if index is None:           # (one walk of the intern table per cdef(), when needed)
        index = walker.made_from_index = TYPES.made_from_index()
        walker.named_ids = _named_ids()
    made = TYPES.made_from(ctype, index)
    if id(ctype) in walker.named_ids or any(t._rt is not None or id(t) in walker.named_ids
                                             for t in made):
        return

    def respell(match):
        """The typedef's name for the tag renamed, any other tag as it is."""
        return name if match.group(0) == key else match.group(0)
    for t in [ctype] + made:
        if t not in walker.touched:
            walker.touched[t] = _snapshot(t)        # (undone if the cdef() fails)
        object.__setattr__(t, "_prefix", _TAG_RE.sub(respell, t._prefix))
        object.__setattr__(t, "_suffix", _TAG_RE.sub(respell, t._suffix))


_TAG_RE = re.compile(r"\b(?:struct|union) [\w$]+")     # a tag as spelled in a type's name


def _named_ids():
    """The ids of the types cffi has built for type strings: those named (NAMED), and what
    they hold (a struct's field types are built with it, a pointer's item...)."""
    found, todo = set(), list(NAMED)
    while todo:
        t = todo.pop()
        if id(t) in found:
            continue
        found.add(id(t))
        if t.kind in (STRUCT, UNION):
            todo.extend(f.type for _, f in (getattr(t, "_fields", None) or ()))
        elif t.kind in (POINTER, ARRAY):
            todo.append(t.item)
        elif hasattr(t, "args"):
            todo.extend(t.args + (t.result,))
    return found


# -- Readiness of struct members for layout ----
READY, COMPILER, WAITING = 0, 1, 2


def _readiness(ctype):
    """READY if the layout is known, COMPILER if only the C compiler can know it, WAITING if it
    depends on a struct not completed yet."""
    while ctype.kind == ARRAY:
        if ctype.length is Ellipsis:
            return max(COMPILER, _readiness(ctype.item))
        ctype = ctype.item
    if ctype.kind in (STRUCT, UNION):
        if ctype.partial:
            return COMPILER
        return WAITING if ctype._fields is None else READY
    if isinstance(ctype, UnknownNumberType):
        return COMPILER
    return READY


def _by_value_structs(ctype):
    """The struct/union a member of this type holds by value (through arrays), or None."""
    while ctype.kind == ARRAY:
        ctype = ctype.item
    return ctype if ctype.kind in (STRUCT, UNION) else None


def _contains_itself(start, pending):
    """True if a pending struct holds itself by value, directly or through other members."""
    stack, seen = [start], set()
    while stack:
        entry = pending.get(stack.pop())
        for _, ftype, _ in entry[0] if entry is not None else ():
            inner = _by_value_structs(ftype)
            if inner is start:
                return True
            if inner is not None and inner not in seen:
                seen.add(inner)
                stack.append(inner)
    return False


# -- Struct problems cffi reports when the struct is first used ----
class _Deferred(Exception):
    """A struct problem cffi reports on first use: carries the exception to raise then."""

    def __init__(self, error):
        Exception.__init__(self, error)
        self.error = error


_BITFIELD_CATEGORIES = frozenset([plat.INT, plat.CHAR, plat.BOOL])


def _check_bitfield(owner, name, ftype, bitsize):
    """cffi's checks of a bit field (raised as _Deferred, with cffi's messages)."""
    integer = ftype.kind == "enum" or getattr(ftype, "category", None) in _BITFIELD_CATEGORIES \
        or (isinstance(ftype, UnknownNumberType) and not ftype.is_float)
    if not integer:
        raise _Deferred(TypeError("field '%s.%s' declared as '%s' cannot be a bit field"
                                  % (owner.cname, name, ftype.cname)))
    if bitsize < 0:
        raise _Deferred(TypeError("field '%s.%s' has a negative bit width" % (owner.cname, name)))
    if bitsize == 0 and name:
        raise _Deferred(TypeError("field '%s.%s' is declared with :0" % (owner.cname, name)))
    if ftype.byte_size > 0 and bitsize > 8 * ftype.byte_size:
        raise _Deferred(TypeError("bit field '%s.%s' is declared '%s:%d', which exceeds the "
                                  "width of the type" % (owner.cname, name, ftype.cname,
                                                         bitsize)))


def _check_flexible_array(owner, fields):
    """Only the last member of a struct may be an array of unknown length (`T x[]`), and no
    member of a union."""
    for name, ftype, _ in (fields if owner.kind == UNION else fields[:-1]):
        if ftype.kind == ARRAY and ftype.length is None:
            raise _Deferred(TypeError("field '%s.%s' has ctype '%s' of unknown size"
                                      % (owner.cname, name, ftype.cname)))


def _flattened_names(pending, ctype):
    """The field names an anonymous struct or union member (its body in `pending`) brings
    into its owner."""
    body = pending.get(ctype)
    names = []
    for name, ftype, _ in body[0] if body is not None else ():
        if name.startswith("$"):
            names.extend(_flattened_names(pending, ftype))
        elif name:
            names.append(name)
    return names
