"""List initializers of structs with anonymous members: in-line ABI mode and ffi.verify()
skip the members of an anonymous union after its first (their field flag 1), set_source()'s
API mode fills every flattened field in order, each union member overwriting the one before,
as cffi (whose API-mode fields all have flags 0)."""
import shutil

import pytest

from _backend import FFI
from conftest import build_api_module

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

CDEF = """
typedef struct { int kind; union { int i; float f; }; struct { short a, b; }; } variant;
struct part { int k; union { int i; float f; }; ...; };
"""
SOURCE = """
typedef struct { int kind; union { int i; float f; }; struct { short a, b; }; } variant;
struct part { int k; union { int i; float f; }; int more; };
"""


def _flags(ffi, cdecl):
    return [(name, field.offset, field.flags) for name, field in ffi.typeof(cdecl).fields]


def _fill(ffi, init):
    try:
        p = ffi.new("variant *", init)
    except (TypeError, ValueError) as exc:
        return type(exc).__name__
    return (p.kind, p.i, p.f, p.a, p.b)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("anon_init"), "_api_anon_init", CDEF,
                            SOURCE).ffi


def test_set_source_fills_every_flattened_field(api):
    assert _flags(api, "variant") == [("kind", 0, 0), ("i", 4, 0), ("f", 4, 0), ("a", 8, 0),
                                      ("b", 10, 0)]
    assert _flags(api, "struct part") == [("k", 0, 0), ("i", 4, 0), ("f", 4, 0)]
    assert _fill(api, [1, 2, 3]) == (1, 1077936128, 3.0, 0, 0)       # f overwrote i
    assert _fill(api, [1, 2, 3.5, 4]) == (1, 1080033280, 3.5, 4, 0)
    assert _fill(api, [1, 2, 3, 4, 5]) == (1, 1077936128, 3.0, 4, 5)
    assert _fill(api, [1, 2, 3, 4, 5, 6]) == "ValueError"
    assert _fill(api, {"f": 1.5, "a": 2}) == (0, 1069547520, 1.5, 2, 0)


def test_in_line_mode_skips_the_later_union_members():
    ffi = FFI()
    ffi.cdef(CDEF.split("\n")[1])
    assert _flags(ffi, "variant")[2] == ("f", 4, 1)
    p = ffi.new("variant *", [1, 2, 3])
    assert (p.kind, p.i, p.a, p.b) == (1, 2, 3, 0)
    assert _fill(ffi, [1, 2, 3, 4, 5]) == "ValueError"


def test_verify_keeps_the_flags_of_exact_structs(tmp_path):
    ffi = FFI()
    ffi.cdef(CDEF)
    ffi.verify(SOURCE, tmpdir=str(tmp_path))
    assert _flags(ffi, "variant")[2] == ("f", 4, 1)
    assert _flags(ffi, "struct part") == [("k", 0, 0), ("i", 4, 0), ("f", 4, 0)]
