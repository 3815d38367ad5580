"""Integer arguments of every size and sign: exact values at the edges of each fast path
(one-digit ints below 2**30, the type's own bounds) and OverflowError just past them."""

import pytest

from conftest import build_shared_library

TYPES = ["signed char", "unsigned char", "short", "unsigned short", "int", "unsigned int",
         "long long", "unsigned long long"]
SOURCE = "".join("%s id%d(%s x) { return x; }\n" % (t, i, t) for i, t in enumerate(TYPES))
CDEF = "".join("%s id%d(%s);\n" % (t, i, t) for i, t in enumerate(TYPES))
BITS = {"char": 8, "short": 16, "int": 32, "long long": 64}


def _bounds(cname):
    bits = BITS[cname.replace("unsigned ", "").replace("signed ", "")]
    if cname.startswith("unsigned"):
        return 0, 2 ** bits - 1
    return -2 ** (bits - 1), 2 ** (bits - 1) - 1


def _edges(lo, hi):
    near = [0, 1, -1, 2 ** 30 - 1, 2 ** 30, -(2 ** 30 - 1), -2 ** 30, 2 ** 31 - 1, -2 ** 31,
            2 ** 32 - 1, lo, hi, lo - 1, hi + 1]
    return sorted(set(near))


@pytest.fixture(scope="module")
def libpath(tmp_path_factory):
    return build_shared_library(tmp_path_factory, "intbounds", SOURCE)


@pytest.fixture
def lib(ffi, libpath):
    ffi.cdef(CDEF)
    return ffi.dlopen(libpath)


@pytest.mark.parametrize("index", range(len(TYPES)))
def test_edges_pass_exactly_or_overflow(lib, index):
    cname = TYPES[index]
    function = getattr(lib, "id%d" % index)
    lo, hi = _bounds(cname)
    for value in _edges(lo, hi):
        if lo <= value <= hi:
            assert function(value) == value, (cname, value)
        else:
            with pytest.raises(OverflowError):
                function(value)


@pytest.mark.parametrize("index", range(len(TYPES)))
def test_non_ints_refused_with_type_error(lib, index):
    function = getattr(lib, "id%d" % index)
    for value in (1.0, "1", None, b"1"):
        with pytest.raises(TypeError):
            function(value)
    assert function(True) == 1
