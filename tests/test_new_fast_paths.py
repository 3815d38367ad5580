"""ffi.new()'s common initializers (one number, a list of struct fields, a length, bytes):
the values written and the errors raised, including what the fast paths hand over."""
import pytest

CDEF = """
    enum color { RED, GREEN = 5 };
    struct point { int x; double y; };
    struct mixed { char c; short s; long long q; float f; enum color e; unsigned char u; };
    struct nested { struct point p; int n; };
    struct bits { int a : 3; int b; };
"""


@pytest.fixture
def cffi(ffi):
    ffi.cdef(CDEF)
    return ffi


@pytest.mark.parametrize("cdecl, init, expected", [
    ("int *", 5, 5), ("int *", -2**31, -2**31), ("int *", True, 1),
    ("unsigned char *", 255, 255), ("long long *", 2**63 - 1, 2**63 - 1),
    ("double *", 5, 5.0), ("double *", 1.5, 1.5), ("float *", 0.1, 0.10000000149011612),
    ("float *", 1e300, float("inf")), ("enum color *", 5, 5),
])
def test_new_number_values(cffi, cdecl, init, expected):
    assert cffi.new(cdecl, init)[0] == expected


def test_new_number_from_cdata(cffi):
    assert cffi.new("int *", cffi.cast("int", 7))[0] == 7
    assert cffi.new("double *", cffi.cast("double", 2.5))[0] == 2.5


@pytest.mark.parametrize("cdecl, init, error", [
    ("int *", 2**31, OverflowError), ("unsigned char *", 256, OverflowError),
    ("unsigned char *", -1, OverflowError), ("int *", 1.5, TypeError),
    ("int *", "x", TypeError), ("double *", "x", TypeError), ("double *", [1.0], TypeError),
    ("enum color *", "GREEN", TypeError), ("double *", 10**400, OverflowError),
])
def test_new_number_errors(cffi, cdecl, init, error):
    with pytest.raises(error):
        cffi.new(cdecl, init)


@pytest.mark.parametrize("init", [[1, 2.0], (1, 2.0), [3, 4], [-1, -0.5], {"x": 1, "y": 2.0}])
def test_new_struct_from_fields(cffi, init):
    p = cffi.new("struct point *", init)
    values = list(init.values()) if isinstance(init, dict) else list(init)
    assert (p.x, p.y) == tuple(values)


def test_new_struct_partial_list_leaves_zeroes(cffi):
    p = cffi.new("struct point *", [9])
    assert (p.x, p.y) == (9, 0.0)


def test_new_struct_of_many_kinds_of_fields(cffi):
    p = cffi.new("struct mixed *", [b"z", -3, 2**62, 0.5, 5, 200])
    assert (p.c, p.s, p.q, p.f, p.e, p.u) == (b"z", -3, 2**62, 0.5, 5, 200)
    q = cffi.new("struct mixed *", [b"a", 1, 2, 3.0, 0, 4])
    assert (q.c, q.s, q.q, q.f, q.e, q.u) == (b"a", 1, 2, 3.0, 0, 4)
    assert cffi.buffer(q)[:] == cffi.buffer(cffi.new("struct mixed *", {
        "c": b"a", "s": 1, "q": 2, "f": 3.0, "e": 0, "u": 4}))[:]      # padding left zero


def test_new_nested_and_bitfield_structs(cffi):
    n = cffi.new("struct nested *", [[1, 2.5], 3])
    assert (n.p.x, n.p.y, n.n) == (1, 2.5, 3)
    b = cffi.new("struct bits *", [-4, 7])
    assert (b.a, b.b) == (-4, 7)
    with pytest.raises(OverflowError):
        cffi.new("struct bits *", [4, 0])


@pytest.mark.parametrize("init, error", [
    ([1.5, 2.0], TypeError), ([2**31, 2.0], OverflowError), ([1, "y"], TypeError),
    ([1, 2.0, 3], ValueError), ((None, 1.0), TypeError), ([1, [2.0]], TypeError),
])
def test_new_struct_errors(cffi, init, error):
    with pytest.raises(error):
        cffi.new("struct point *", init)


def test_new_struct_field_errors_name_the_field_type(cffi):
    with pytest.raises(OverflowError, match="int"):
        cffi.new("struct point *", [2**40, 1.0])
    with pytest.raises(TypeError, match="str"):
        cffi.new("struct point *", [1, "no"])


@pytest.mark.parametrize("length", [1, 2, 16, 17, 4096])
def test_new_open_array_of_a_length(cffi, length):
    a = cffi.new("char[]", length)
    assert len(a) == length and cffi.sizeof(a) == length
    assert cffi.buffer(a)[:] == b"\0" * length
    a[length - 1] = b"x"
    assert a[length - 1] == b"x"
    i = cffi.new("int[]", length)
    assert len(i) == length and cffi.sizeof(i) == 4 * length and list(i) == [0] * length


@pytest.mark.parametrize("length, error", [(-1, ValueError), (1.5, TypeError)])
def test_new_open_array_bad_length(cffi, length, error):
    with pytest.raises(error):
        cffi.new("char[]", length)


def test_new_open_array_of_no_items(cffi):
    a = cffi.new("char[]", 0)
    assert len(a) == 0 and cffi.sizeof(a) == 0


@pytest.mark.parametrize("data", [b"", b"a", b"hello", b"with\0nul", b"x" * 1000])
def test_new_char_array_from_bytes(cffi, data):
    a = cffi.new("char[]", data)
    assert len(a) == len(data) + 1
    assert cffi.buffer(a)[:] == data + b"\0"
    assert cffi.string(a) == data.partition(b"\0")[0]
    assert repr(a) == "<cdata 'char[]' owning %d bytes>" % (len(data) + 1,)


@pytest.mark.parametrize("cdecl", ["int[100]", "char[1024]", "char[1025]", "double[3]",
                                   "int[1]", "short[0]"])
def test_new_fixed_arrays(cffi, cdecl):
    a = cffi.new(cdecl)
    n = len(a)
    assert cffi.sizeof(a) == cffi.sizeof(cdecl)
    assert repr(a) == "<cdata '%s' owning %d bytes>" % (cdecl, cffi.sizeof(cdecl))
    assert cffi.buffer(a)[:] == b"\0" * cffi.sizeof(cdecl)
    if n:
        zero, one = (b"\0", b"\1") if cdecl.startswith("char") else (0, 1)
        a[n - 1] = one
        assert a[n - 1] == one
        assert a[0] == (one if n == 1 else zero)


_NUMBER_TYPES = ["int8_t", "uint8_t", "short", "unsigned short", "int", "unsigned int", "long",
                 "size_t", "long long", "unsigned long long", "intptr_t", "float", "double",
                 "_Bool", "enum color"]
_VALUES = [True, 0, -1, 255, 256, 2**31, 2**63, 2**64, -2**70, 1.5, 1e300, float("inf"), "x",
           b"x", [1]]       # (not None: ffi.new() takes it as no initializer)


def _outcome(action):
    try:
        return ("ok", action())
    except Exception as exc:    # the type and message are what is compared
        return (type(exc).__name__, str(exc))


@pytest.mark.parametrize("ctype", _NUMBER_TYPES)
def test_item_write_of_a_new_pointer_is_the_initializer(cffi, ctype):
    """`p[0] = v` on what ffi.new("T *") returned (written through a typed view of memory)
    stores and refuses exactly what ffi.new("T *", v) does, and a refused value leaves the
    item as it was."""
    values = _VALUES + [cffi.cast("int", 3), cffi.cast("double", 2.5)]
    for value in values:
        expected = _outcome(lambda: cffi.new(ctype + " *", value)[0])
        p = cffi.new(ctype + " *")
        p[0] = 1

        def write():
            p[0] = value
            return p[0]
        outcome = _outcome(write)
        assert outcome == expected, (ctype, value)
        if outcome[0] != "ok":
            assert p[0] == 1, (ctype, value)
