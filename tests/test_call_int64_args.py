"""64-bit integer arguments at every position (registers and stack) keep their exact value."""

import pytest

from conftest import build_shared_library

SOURCE = r"""
typedef long long ll;
typedef unsigned long long ull;
typedef struct { ll a, b, c; } big_t;
ll pick(int which, ll a, ll b, ll c, ll d, ll e, ll f, ll g, ll h) {
    ll v[8] = {a, b, c, d, e, f, g, h}; return v[which]; }
ull upick(int which, ull a, ull b, ull c, ull d, ull e, ull f, ull g, ull h) {
    ull v[8] = {a, b, c, d, e, f, g, h}; return v[which]; }
ll mixed(double x, ll a, float y, ll b, double z, ll c) { return a * 100 + b * 10 + c + (ll)(x + y + z); }
big_t bigres(ll a, ll b, ll c, ll d, ll e, ll f, ll g) { big_t r = {a, f, g}; return r; }
"""
CDEF = """
long long pick(int, long long, long long, long long, long long, long long, long long,
               long long, long long);
unsigned long long upick(int, unsigned long long, unsigned long long, unsigned long long,
                         unsigned long long, unsigned long long, unsigned long long,
                         unsigned long long, unsigned long long);
long long mixed(double, long long, float, long long, double, long long);
typedef struct { long long a, b, c; } big_t;
big_t bigres(long long, long long, long long, long long, long long, long long, long long);
"""
SIGNED = [0, 1, -1, -42, 2**31 - 1, -2**31, 2**31, -2**31 - 1, 2**32 - 1, 2**63 - 1, -2**63]
UNSIGNED = [0, 1, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**64 - 1]


@pytest.fixture(scope="module")
def libpath(tmp_path_factory):
    return build_shared_library(tmp_path_factory, "int64args", SOURCE)


@pytest.fixture
def lib(ffi, libpath):
    ffi.cdef(CDEF)
    return ffi.dlopen(libpath)


def _garbage(lib):
    """Leave nonzero bits in the stack area the next call's arguments use."""
    lib.pick(7, *([-1] * 8))


@pytest.mark.parametrize("value", SIGNED)
def test_signed_every_position(lib, value):
    for which in range(8):
        args = [0x5555 + i for i in range(8)]
        args[which] = value
        _garbage(lib)
        assert lib.pick(which, *args) == value


@pytest.mark.parametrize("value", UNSIGNED)
def test_unsigned_every_position(lib, value):
    for which in range(8):
        args = [7] * 8
        args[which] = value
        lib.upick(7, *([2**64 - 1] * 8))
        assert lib.upick(which, *args) == value


@pytest.mark.parametrize("value", [True, False])
def test_bools_every_position(lib, value):
    # as cffi, True and False are the integers 1 and 0, in registers and on the stack
    for which in range(8):
        args = [0x5555 + i for i in range(8)]
        args[which] = value
        _garbage(lib)
        assert lib.pick(which, *args) == int(value)
        assert type(lib.pick(which, *args)) is int
        lib.upick(7, *([2**64 - 1] * 8))
        assert lib.upick(which, *args) == int(value)


def test_bools_to_small_integer_parameters(ffi):
    ffi.cdef("int abs(int); int toupper(int);")
    libc = ffi.dlopen(None)
    assert libc.abs(True) == 1 and libc.abs(False) == 0
    assert libc.toupper(True) == 1 and libc.toupper(False) == 0
    assert type(libc.abs(True)) is int


def test_out_of_range_still_refused(lib):
    with pytest.raises(OverflowError):
        lib.pick(0, 2**63, 0, 0, 0, 0, 0, 0, 0)
    with pytest.raises(OverflowError):
        lib.upick(0, -1, 0, 0, 0, 0, 0, 0, 0)
    with pytest.raises(TypeError):
        lib.pick(0, 1.0, 0, 0, 0, 0, 0, 0, 0)


def test_mixed_with_floating_arguments(lib):
    assert lib.mixed(0.5, -3, 0.25, -2, 0.25, -1) == -321 + 1
    assert lib.mixed(0.0, 2**40, 0.0, 0, 0.0, -2**31) == 2**40 * 100 - 2**31


def test_struct_result_takes_a_register(lib):
    r = lib.bigres(-1, -2, -3, -4, -5, -6, -7)
    assert (r.a, r.b, r.c) == (-1, -6, -7)
    _garbage(lib)
    r = lib.bigres(-2**31, 0, 0, 0, 0, 2**31 - 1, -5)
    assert (r.a, r.b, r.c) == (-2**31, 2**31 - 1, -5)
