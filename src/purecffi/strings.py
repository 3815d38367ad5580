"""`ffi.string()` and `ffi.unpack()`: C strings and arrays back to Python objects."""
from __future__ import annotations

import _codecs
import sys
from ctypes import c_char_p, c_wchar, sizeof
from operator import index

from . import platform as plat
from .cdata import CData, ValueCData
from .cdatabase import not_a_cdata
from .item_methods import is_plain_number as _is_plain_number
from .convert import prepare
from .convert_scalar import code_to_str, decode_unicode
from .ctype import ARRAY, ENUM, POINTER, STRUCT, TYPES, UNION, VOID, PrimitiveType
from .memory import MEM, Owned, read_bytes, typed_view
from .memory import c_strnlen as _strnlen
from .memory import c_wcslen as _wcslen

_SSIZE_MAX = sys.maxsize    # unpack(): a longer length is an OverflowError, as in cffi
_SHORT = 4096       # up to this length, a copy cut at the first NUL beats a call of strnlen()
_PAGE = 4096       # (the smallest page: memory is mapped in whole pages of at least this)
_PAGE_MASK = _PAGE - 1
_HUGE = plat.ADDRESS_SPACE_BYTES     # a length beyond what memory holds
_VALUE_MAX = 256    # up to this length, ctypes' `.value` (a byte loop) beats the copy
_SSIZE_MIN, _SSIZE_MAX = plat.SSIZE_MIN, plat.SSIZE_MAX
_CHAR = TYPES.primitive("char")
_WCHAR = plat.WCHAR
_c_char_p = c_char_p
_VIEWED_KINDS = (STRUCT, UNION, POINTER)     # unpack() reads each item with the class's reader
_NUMBERS = {}       # primitive number type -> (its typed view, its size), for unpack()

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _item_category(ctype):
    return getattr(ctype.item, "category", None)


def to_string(cdata: Any, maxlen: int = -1) -> Any:
    """bytes from char*/char[], str from wchar_t*/char16_t*/char32_t*, names of enum values."""
    if cdata.__class__ is ValueCData and maxlen.__class__ is int and \
            _SSIZE_MIN <= maxlen <= _SSIZE_MAX:     # an enum or a character (no item type)
        return _value_string(cdata)
    # the common case first, with no other call frame: a non-NULL `char` pointer or array
    try:
        ctype = cdata._ctype
        item = ctype.item
        address = cdata._addr
    except AttributeError:
        item = None
    if item is _CHAR and address and maxlen.__class__ is int and \
            _SSIZE_MIN <= maxlen <= _SSIZE_MAX:            # (only cdata have these)
        if ctype.kind == ARRAY:
            length = cdata._length
            if length is not None and maxlen < 0 and length <= _VALUE_MAX and cdata._owning:
                keep = cdata._keep
                if keep.__class__ is not Owned:
                    # the ctypes char array of ffi.new(): .value stops at the first NUL, in C
                    return keep.value
            if length is None:
                return _pointed_string(address, maxlen)
            if 0 <= maxlen < length:
                length = maxlen
        elif maxlen < 0:
            return _c_char_p(address).value     # a `char *`: strlen, then one copy, in C
        elif maxlen <= _SHORT and (address & _PAGE_MASK) + maxlen <= _PAGE:
            # within one block (see _pointed_string): one copy, cut at the first NUL
            return MEM[address:address + maxlen].tobytes().partition(b"\0")[0]
        else:
            return _pointed_string(address, maxlen)
        if length <= _VALUE_MAX:        # short: one copy, cut at the first NUL (all in the array)
            return MEM[address:address + length].tobytes().partition(b"\0")[0]
        if length >= _HUGE:             # more than memory holds: the NUL ends it
            return _c_char_p(address).value      # (strlen in C; string_at is a Python wrapper)
        if length > _SHORT:             # libc's strnlen: nothing read after the NUL
            return MEM[address:address + _strnlen(address, length)].tobytes()
        if not MEM[address + length - 1]:
            # a NUL ends it within `length`: libc's strlen, then one copy
            return _c_char_p(address).value
        return MEM[address:address + length].tobytes().partition(b"\0")[0]   # (memchr)
    wide = _WIDE_ITEMS.get(item)
    if wide is not None and address and maxlen.__class__ is int and ctype.kind == ARRAY:
        length = cdata._length      # all of a short wide array: one decode, in C, then cut
        if length is not None and length * wide[1] <= _SHORT and (maxlen == -1 or (
                _SSIZE_MIN <= maxlen <= _SSIZE_MAX and (maxlen < 0 or maxlen >= length))):
            try:
                return wide[0](MEM[address:address + length * wide[1]], "surrogatepass",
                               True)[0].partition("\0")[0]
            except UnicodeDecodeError:      # (maybe after the NUL: the checked path says)
                pass
    if item is not None and item.__class__ is PrimitiveType and item.category == _WCHAR \
            and address and maxlen.__class__ is int and _SSIZE_MIN <= maxlen <= _SSIZE_MAX \
            and isinstance(cdata, CData):
        length = cdata._length if ctype.kind == ARRAY else None
        if length is None or 0 <= maxlen < length:
            length = maxlen
        text = wide_text(item, address, length, True)
        if text is not None:
            return text
    return _to_string_chars(cdata, maxlen)


def _pointed_string(address, maxlen):
    """The bytes of the string at a char pointer, up to its NUL or `maxlen` bytes: nothing is
    read after the NUL beyond the page holding it (memory is mapped in whole pages of at least
    _PAGE bytes: it may end after that block, not within it), as libc's strnlen does."""
    if maxlen < 0 or maxlen >= _HUGE:
        return _c_char_p(address).value     # (strlen, then one copy, all in C)
    if maxlen > _SHORT:                     # long: libc's strnlen, then one copy
        return MEM[address:address + _strnlen(address, maxlen)].tobytes()
    parts = []
    end = address + maxlen
    while True:                             # block by block (two at most), to the first NUL
        stop = min(end, (address | _PAGE_MASK) + 1)
        chunk = MEM[address:stop].tobytes()
        found = chunk.find(0)
        if found >= 0:
            parts.append(chunk[:found])
            break
        parts.append(chunk)
        if stop == end:
            break
        address = stop
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _to_string_chars(cdata, maxlen):
    """ffi.string() of the other char-like pointers and arrays (signed/unsigned char...)."""
    if maxlen.__class__ is not int:
        maxlen = index(maxlen)      # "'float' object cannot be interpreted as an integer"
    if not _SSIZE_MIN <= maxlen <= _SSIZE_MAX:
        raise OverflowError("Python int too large to convert to C ssize_t")
    try:
        char_items = cdata._char_items          # char pointers and arrays: the common case
    except AttributeError:
        char_items = False
    if char_items and cdata._addr:
        if cdata._array:
            length = cdata._length
            if cdata._owning and maxlen < 0 and cdata._keep.__class__ is not Owned:
                if length is None or length <= _SHORT:
                    # the ctypes char array of ffi.new(): .value stops at the first NUL, in C
                    return cdata._keep.value
                address = cdata._addr           # long: libc's strnlen, then one copy
                return MEM[address:address + _strnlen(address, length)].tobytes()
            if length is None:
                return _pointed_string(cdata._addr, maxlen)
            if 0 <= maxlen < length:
                length = maxlen
        else:
            return _pointed_string(cdata._addr, maxlen)
        if length > _SHORT:             # libc's strnlen: one pass, then one copy
            length = _strnlen(cdata._addr, length)
        return MEM[cdata._addr:cdata._addr + length].tobytes().partition(b"\0")[0]
    return _to_string_general(cdata, maxlen)


def _to_string_general(cdata, maxlen):
    """ffi.string() of everything but non-NULL char pointers and arrays."""
    if isinstance(cdata, ValueCData):
        return _value_string(cdata)
    if not isinstance(cdata, CData):
        raise not_a_cdata("string", cdata)
    if not cdata._address or cdata._ctype.kind not in (POINTER, ARRAY):
        raise _unexpected(cdata)
    item = cdata._ctype.item
    if not cdata._addr and (item.kind == ENUM or _item_category(cdata._ctype) in _INTEGERS):
        raise RuntimeError("cannot use string() on <cdata '%s' NULL>" % (cdata._ctype.cname,))
    if not _is_char_like(item):
        raise _unexpected(cdata)
    limit = maxlen
    if cdata._array and cdata._length is not None:
        limit = cdata._length if maxlen < 0 else min(maxlen, cdata._length)
    category = _item_category(cdata._ctype)
    if not cdata._addr:
        raise RuntimeError("cannot use string() on <cdata '%s' NULL>" % (cdata._ctype.cname,))
    item = cdata._ctype.item
    if category != plat.WCHAR:
        if limit >= 0 and not (cdata._array and cdata._length is not None):
            return _pointed_string(cdata._addr, limit)
        if limit >= 0:
            data = MEM[cdata._addr:cdata._addr + limit].tobytes()
            end = data.find(b"\0")
            return data if end < 0 else data[:end]
        return _c_char_p(cdata._addr).value
    if category == plat.WCHAR:
        text = wide_text(item, cdata._addr, limit, True)
        if text is not None:
            return text
        rt = prepare(item)              # a unit that is no character: the error below
        size = item.byte_size
        codes = []
        address = cdata._addr
        while limit < 0 or len(codes) < limit:
            code = rt.unpack(MEM, address)[0]
            if code == 0:
                break
            codes.append(code)
            address += size
        return decode_unicode(item, codes)
    raise TypeError("string(): cdata '%s' is not a char or wchar_t array or pointer"
                    % (cdata._ctype.cname,))


_WIDE_CODECS = {2: _codecs.utf_16_le_decode, 4: _codecs.utf_32_le_decode} \
    if sys.byteorder == "little" else {2: _codecs.utf_16_be_decode, 4: _codecs.utf_32_be_decode}
_WIDE_FORMATS = {2: "H", 4: "I"}
# the wide character types (a typedef of one is the type itself), and the decoder of their
# arrays with their size
_WIDE_ITEMS = {item: (_WIDE_CODECS[item.byte_size], item.byte_size) for item in (
    TYPES.primitive(name) for name in ("wchar_t", "char16_t", "char32_t"))}
_WCHAR_T_SIZE = sizeof(c_wchar)       # libc's wcslen() counts units of this size


def wide_text(item, address, limit, to_nul):
    """The str of `limit` wide characters of type `item` at `address` (`to_nul`: up to the
    first NUL; a negative `limit`: no limit), decoded in C; None if a unit is no character
    (the caller's unit-by-unit path then raises cffi's error)."""
    size = item.byte_size
    decode = _WIDE_CODECS.get(size)
    if decode is None:
        return None
    if limit < 0:
        limit = _wide_length(address, size)
    elif to_nul:
        limit = _wide_length_within(address, size, limit)
    try:
        text = decode(MEM[address:address + limit * size], "surrogatepass", True)[0]
    except UnicodeDecodeError:
        return None
    if to_nul:
        end = text.find("\0")
        if end >= 0:
            return text[:end]
    return text


def _wide_length_within(address, size, limit):
    """The number of wide characters before the NUL at or after `address`, at most `limit`:
    looked for page by page, reading nothing in a page after the one that holds the NUL (the
    memory may end there)."""
    count, nul = 0, b"\0" * size
    while count < limit:
        start = address + count * size
        chunk = min(max((_PAGE - start % _PAGE) // size, 1), limit - count)
        data = MEM[start:start + chunk * size].tobytes()
        end = data.find(nul)
        while end >= 0 and end % size:      # a NUL unit, not NUL bytes across two units
            end = data.find(nul, end + 1)
        if end >= 0:
            return count + end // size
        count += chunk
    return limit


def _wide_length(address, size):
    """The number of wide characters of `size` bytes before the NUL at or after `address`."""
    if size == _WCHAR_T_SIZE == 4 and not address % 4:
        return _wcslen(address)
    view = typed_view(_WIDE_FORMATS[size]) if not address % size else None
    count = 0
    if view is not None:
        index = address // size
        while view[index + count]:
            count += 1
        return count
    while any(MEM[address + count * size:address + (count + 1) * size]):
        count += 1
    return count


def _is_char_like(ctype):
    """char, signed/unsigned char, and the wide character types."""
    category = getattr(ctype, "category", None)
    return category in (plat.CHAR, plat.WCHAR) or (
        category == plat.INT and ctype.byte_size == 1 and ctype.kind != ENUM)


_INTEGERS = (plat.INT, plat.CHAR, plat.WCHAR)


def _unexpected(cdata):
    """cffi's error for ffi.string() of a cdata that is not a string or a character."""
    return TypeError("string(): unexpected cdata '%s' argument" % (cdata._ctype.cname,))


def _value_string(cdata):
    ctype = cdata._ctype
    if ctype.kind == ENUM:
        name = ctype._elements.get(cdata._value)
        return name if name is not None else str(cdata._value)
    category = getattr(ctype, "category", None)
    if category == plat.CHAR:
        return cdata._value
    if category == plat.WCHAR:
        value = cdata._value
        return value if isinstance(value, str) else code_to_str(ctype, value)   # (it raises)
    if _is_char_like(ctype):
        return bytes([cdata._value & 0xFF])
    raise _unexpected(cdata)


def unpack(cdata: Any, length: int) -> Any:
    """`length` items of a pointer or array: bytes for char, str for wchar, else a list."""
    # the common cases first, with no other call frame: non-NULL memory of `char` (one copy)
    # or of plain numbers at an aligned address (one typed view, converted in C)
    try:
        item = cdata._ctype.item
        address = cdata._addr
    except AttributeError:
        item = address = None
    if length.__class__ is int and 0 <= length <= _SSIZE_MAX and address \
            and isinstance(cdata, CData):
        if item is _CHAR:
            return MEM[address:address + length].tobytes()
        numbers = _NUMBERS.get(item)
        if numbers is not None and not address % numbers[1]:
            start = address // numbers[1]      # one slice of the type's view of all memory
            return numbers[0][start:start + length].tolist()
        if item.__class__ is PrimitiveType and item.category == _WCHAR:
            text = wide_text(item, address, length, False)
            if text is not None:
                return text
        elif item.kind in _VIEWED_KINDS and cdata._item_size > 0:
            return _read_items(cdata, address, length)     # structs, unions, pointers
    return _unpack_general(cdata, length)


def _read_items(cdata, address, length):
    """`length` items read by the reader of `cdata`'s class (views, pointers).  (A function
    of its own: a comprehension in unpack() would make its variables cells, paid by every
    call.)"""
    read, size, keep = cdata._item_read, cdata._item_size, cdata._keep
    return [read(address + i * size, keep) for i in range(length)]


def _unpack_general(cdata, length):
    """unpack() in general (see there)."""
    if not (isinstance(cdata, CData) and cdata._address) or cdata._ctype.kind not in (POINTER, ARRAY):
        if isinstance(cdata, CData):
            if not -_SSIZE_MAX - 1 <= index(length) <= _SSIZE_MAX:     # (cffi reads it first)
                raise OverflowError("Python int too large to convert to C ssize_t")
            raise TypeError("expected a pointer or array, got '%s'" % (cdata._ctype.cname,))
        raise not_a_cdata("unpack", cdata)
    if length.__class__ is not int:
        length = index(length)
    if not -_SSIZE_MAX - 1 <= length <= _SSIZE_MAX:
        raise OverflowError("Python int too large to convert to C ssize_t")
    if length < 0:
        raise ValueError("'length' cannot be negative")
    if not cdata._addr:
        raise RuntimeError("cannot use unpack() on <cdata '%s' NULL>" % (cdata._ctype.cname,))
    item = cdata._ctype.item
    if item.kind == VOID or item.byte_size < 0:
        raise ValueError("'%s' points to items of unknown size" % (cdata._ctype.cname,))
    category = getattr(item, "category", None)
    if category == plat.CHAR:
        return read_bytes(cdata._addr, length)
    rt = prepare(item)
    size = item.byte_size
    if category == plat.WCHAR:
        text = wide_text(item, cdata._addr, length, False)
        if text is not None:
            return text
        codes = [rt.unpack(MEM, cdata._addr + i * size)[0] for i in range(length)]
        return decode_unicode(item, codes)      # (raises for a unit that is no character)
    address = cdata._addr
    if rt.fmt is not None and _is_plain_number(item) and not address % size:
        # numbers at an aligned address: one typed view, converted in C
        if item.__class__ is PrimitiveType and TYPES.primitives.get(item.name) is item:
            # (the shared primitives, finitely many; views of the few one-letter formats)
            _NUMBERS[item] = (typed_view(rt.fmt), size)
        return MEM[address:address + length * size].cast(rt.fmt).tolist()
    read = rt.read
    keep = cdata._keep
    return [read(address + i * size, keep) for i in range(length)]
