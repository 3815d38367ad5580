"""Platform rules in one place: primitive C types, their sizes and alignments, the default ABI.

Sizes of the types ctypes knows are read from ctypes, so the table follows the interpreter's
platform; the `stdint.h` least/fast types and the libffi ABI number are per-platform facts kept in
`_PLATFORM_FACTS`, keyed by (sys.platform, machine).  Adding a platform means adding a row there.
"""
import ctypes
import os
import struct
import sys

# -- Categories of primitive types ----
INT, CHAR, BOOL, WCHAR, FLOAT, LONGDOUBLE, COMPLEX = (
    "int", "char", "bool", "wchar", "float", "longdouble", "complex")

# -- Per-platform facts that ctypes cannot tell ----
_PLATFORM_FACTS = {
    # (int_fast16/32 size, wchar_t signed, default libffi ABI number)
    ("linux", "x86_64"): {"fast_size": 8, "wchar_signed": True, "default_abi": 2},
    ("linux", "aarch64"): {"fast_size": 8, "wchar_signed": False, "default_abi": 1},
}


def _facts():
    """The facts row for this interpreter's platform (x86-64 Linux rules as the fallback)."""
    # os.uname() rather than the platform module: importing that costs ~1.5 ms at startup
    machine = os.uname().machine if hasattr(os, "uname") else ""
    key = (sys.platform, machine)
    return _PLATFORM_FACTS.get(key, _PLATFORM_FACTS[("linux", "x86_64")])


FACTS = _facts()
DEFAULT_ABI = FACTS["default_abi"]
POINTER_SIZE = ctypes.sizeof(ctypes.c_void_p)
ADDRESS_MASK = (1 << (8 * POINTER_SIZE)) - 1     # pointer arithmetic wraps, as in C
SSIZE_MAX = (1 << (8 * POINTER_SIZE - 1)) - 1    # Py_ssize_t / ssize_t: offsets, lengths
SSIZE_MIN = -SSIZE_MAX - 1
HIGH_BIT = 8 * POINTER_SIZE - 1                  # an address below 1 << HIGH_BIT needs no wrap
POINTER_ALIGN = ctypes.alignment(ctypes.c_void_p)
HASH_ROTATE, WORD_SPAN = 8 * POINTER_SIZE - 4, 1 << (8 * POINTER_SIZE)   # hash_address()


def hash_address(address):
    """hash() of a cdata at `address`: CPython's hash of a pointer (the address rotated right
    by 4 bits, read as a signed word; hash() makes -1 into -2), which is cffi's."""
    rotated = ((address >> 4) | (address << HASH_ROTATE)) & ADDRESS_MASK
    return rotated - WORD_SPAN if rotated >> HIGH_BIT else rotated


def _int_entry(ct, signed):
    return (INT, ctypes.sizeof(ct), ctypes.alignment(ct), signed)


def _sized_int(size, signed):
    return (INT, size, size, signed)


def _build_primitives():
    """name -> (category, byte_size, byte_align, signed)."""
    ptr = POINTER_SIZE
    fast = FACTS["fast_size"]
    table = {
        "char": (CHAR, 1, 1, False),
        "signed char": _int_entry(ctypes.c_byte, True),
        "unsigned char": _int_entry(ctypes.c_ubyte, False),
        "short": _int_entry(ctypes.c_short, True),
        "unsigned short": _int_entry(ctypes.c_ushort, False),
        "int": _int_entry(ctypes.c_int, True),
        "unsigned int": _int_entry(ctypes.c_uint, False),
        "long": _int_entry(ctypes.c_long, True),
        "unsigned long": _int_entry(ctypes.c_ulong, False),
        "long long": _int_entry(ctypes.c_longlong, True),
        "unsigned long long": _int_entry(ctypes.c_ulonglong, False),
        "float": (FLOAT, 4, ctypes.alignment(ctypes.c_float), True),
        "double": (FLOAT, 8, ctypes.alignment(ctypes.c_double), True),
        "long double": (LONGDOUBLE, ctypes.sizeof(ctypes.c_longdouble),
                        ctypes.alignment(ctypes.c_longdouble), True),
        "_Bool": (BOOL, ctypes.sizeof(ctypes.c_bool), ctypes.alignment(ctypes.c_bool), False),
        "wchar_t": (WCHAR, ctypes.sizeof(ctypes.c_wchar), ctypes.alignment(ctypes.c_wchar),
                    FACTS["wchar_signed"]),
        "char16_t": (WCHAR, 2, 2, False),
        "char32_t": (WCHAR, 4, 4, False),
        "float _Complex": (COMPLEX, 8, ctypes.alignment(ctypes.c_float), True),
        "double _Complex": (COMPLEX, 16, ctypes.alignment(ctypes.c_double), True),
        "intptr_t": _sized_int(ptr, True),
        "uintptr_t": _sized_int(ptr, False),
        "ptrdiff_t": _sized_int(ptr, True),
        "size_t": _sized_int(ptr, False),
        "ssize_t": _sized_int(ptr, True),
        "intmax_t": _sized_int(8, True),
        "uintmax_t": _sized_int(8, False),
    }
    for bits in (8, 16, 32, 64):
        size = bits // 8
        fast_size = size if bits in (8, 64) else fast
        for prefix, sz in (("int%d_t", size), ("int_least%d_t", size), ("int_fast%d_t", fast_size)):
            table[prefix % bits] = _sized_int(sz, True)
            table["u" + prefix % bits] = _sized_int(sz, False)
    return table


PRIMITIVES = _build_primitives()

# Spellings that name the same primitive (other keyword spellings are read by decls.spelling()).
ALIASES = {
    "bool": "_Bool",
    "signed": "int", "unsigned": "unsigned int",
    "signed int": "int", "signed short": "short", "short int": "short",
    "signed short int": "short", "unsigned short int": "unsigned short",
    "long int": "long", "signed long": "long", "signed long int": "long",
    "unsigned long int": "unsigned long",
    "long long int": "long long", "signed long long": "long long",
    "signed long long int": "long long", "unsigned long long int": "unsigned long long",
    "unsigned char": "unsigned char", "signed char": "signed char",
    "float complex": "float _Complex", "double complex": "double _Complex",
    "_Complex float": "float _Complex", "_Complex double": "double _Complex",
}

# Names that are only defaults: a user typedef may redefine them (spec 8.1).
DEFAULT_TYPEDEF_NAMES = frozenset(
    n for n in PRIMITIVES if n.endswith("_t") or n in ("bool",)) | {"bool", "FILE"}

# -- struct-module formats for memory access ----
_INT_FORMATS = {(1, True): "b", (1, False): "B", (2, True): "h", (2, False): "H",
                (4, True): "i", (4, False): "I", (8, True): "q", (8, False): "Q"}


def int_format(byte_size, signed):
    """The struct/memoryview format letter for an integer of this size and signedness."""
    fmt = _INT_FORMATS[(byte_size, signed)]
    assert struct.calcsize(fmt) == byte_size
    return fmt


def int_bounds(byte_size, signed):
    """(min, max) of an integer type."""
    bits = 8 * byte_size
    if signed:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


# The address space a memoryview may span (user-space addresses on 64-bit Linux are below 2**47).
ADDRESS_SPACE_BYTES = 1 << 47 if POINTER_SIZE == 8 else 1 << 31
