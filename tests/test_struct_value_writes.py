"""A struct or union written from a list, tuple, dict or cdata (spec 7.2 and 6.1: the
initializers of `ffi.new()` are also what `a[i] = v` and `p.field = v` accept), through every
holder: an array item, an owning pointer's `p[0]`, a struct field, and `ffi.new()`.

Each case is compared with cffi: the bytes of the holder afterwards (what a partial write
leaves included), or the exception's type and message.  The grid runs twice, so that what
the first write files on a type (its field writers) is also checked in use.  Skipped when
cffi is not installed.
"""
import struct

import pytest

from _backend import FFI

cffi = pytest.importorskip("cffi")

CDEF = """
struct pt { int x; double y; };
struct mixed { char c; short s[2]; unsigned char u; float f; };
union un { int i; float f; };
struct bits { int a : 3; unsigned b : 5; int c; };
struct outer { struct pt p; int n; };
"""
VALUES = ["[1, 2.5]", "(3,)", "[]", "[1, 2.5, 3]", "{'x': 4}", "{'y': 1.5, 'x': -2}", "{}",
          "{'z': 1}", "{'x': 1, 'z': 2}", "{None: 1}", "['a', 1]", "[1, 'b']", "[2**40, 1.0]",
          "[1.5, 2]", "[True, False]", "{'c': b'q', 's': [1, 2], 'u': 255, 'f': 0.1}",
          "[b'a', [7, -8], 300]", "[b'a', [1, 2, 3]]", "{'i': -1}", "{'f': 1.5}", "[7, 1.5]",
          "{'a': 3, 'b': 31, 'c': 9}", "[4, 32]", "[-5, 1, 2]", "{'p': [1, 2.0], 'n': 3}",
          "[[5, 6.5], 7]", "[{'y': 0.5}]", "[None]", "5", "None", "'text'",
          "ffi.new('struct pt *', [9, 9.5])[0]", "ffi.new('struct outer *')[0]"]
TYPES = ["struct pt", "struct mixed", "union un", "struct bits", "struct outer"]
HOLDERS = ["item", "owning", "field", "new"]


def _write(ffi, holder, cname, value):
    """Write `value` as a `cname` through `holder`; the memory holding it."""
    if holder == "item":
        memory = ffi.new("%s[3]" % cname)
        memory[1] = value
    elif holder == "owning":
        memory = ffi.new("%s *" % cname)
        memory[0] = value
    elif holder == "field":
        memory = ffi.new("struct holder_%d *" % TYPES.index(cname))
        memory.v = value
    else:
        memory = ffi.new("%s *" % cname, value)
    return memory


def _outcomes(make_ffi):
    ffi = make_ffi()
    ffi.cdef(CDEF + "".join("struct holder_%d { char pad; %s v; };" % (i, cname)
                            for i, cname in enumerate(TYPES)))
    outcomes = []
    for _ in range(2):
        for holder in HOLDERS:
            for cname in TYPES:
                for text in VALUES:
                    try:
                        memory = _write(ffi, holder, cname, eval(text, {"ffi": ffi}))
                        outcomes.append(bytes(ffi.buffer(memory)))
                    except Exception as exc:    # the outcome compared: type and message
                        outcomes.append((type(exc).__name__, str(exc)))
    return outcomes


def test_struct_values_written_agree_with_cffi():
    ours, theirs = _outcomes(FFI), _outcomes(cffi.FFI)
    cases = [(h, t, v) for _ in range(2) for h in HOLDERS for t in TYPES for v in VALUES]
    differences = [(case, a, b) for case, a, b in zip(cases, ours, theirs) if a != b]
    assert differences == []
    accepted = sum(isinstance(outcome, bytes) for outcome in ours)
    assert 200 < accepted < len(cases) - 200        # both outcomes are well represented
    assert ours[0][16:32] == struct.pack("=i4xd", 1, 2.5)     # sa[1] = [1, 2.5]
