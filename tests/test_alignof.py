"""ffi.alignof() gives the same answer on every call, before and after a type is used."""
import pytest


@pytest.mark.parametrize("cdecl, expected", [
    ("int", 4), ("char", 1), ("double", 8), ("long long", 8), ("int *", 8), ("int[3]", 4),
    ("struct point", 8), ("struct point *", 8), ("struct small", 2), ("int[]", 4),
])
def test_alignof_stays_the_same_when_the_type_is_used(ffi, cdecl, expected):
    ffi.cdef("struct point { int x; double y; }; struct small { char c; short s; };")
    assert ffi.alignof(cdecl) == expected
    if not cdecl.endswith("[]"):
        ffi.new(ffi.getctype(cdecl, "*"))       # prepares the type for data
    for _ in range(3):
        assert ffi.alignof(cdecl) == expected
    assert ffi.alignof(ffi.typeof(cdecl)) == expected


def test_alignof_of_an_opaque_struct_completed_later(ffi):
    ffi.cdef("struct later;")
    with pytest.raises(ValueError, match="unknown alignment"):
        ffi.alignof("struct later")
    ffi.new("struct later **")                  # the pointer type is used meanwhile
    with pytest.raises(ValueError, match="unknown alignment"):
        ffi.alignof("struct later")
    ffi.cdef("struct later { short a; double b; };")
    assert ffi.alignof("struct later") == 8
    assert ffi.alignof("struct later") == 8


@pytest.mark.parametrize("cdecl", ["void", "struct never"])
def test_alignof_unknown_keeps_raising(ffi, cdecl):
    ffi.cdef("struct never;")
    for _ in range(2):
        with pytest.raises(ValueError, match="ctype '%s' is of unknown alignment" % cdecl):
            ffi.alignof(cdecl)
