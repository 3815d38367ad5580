"""The first access to what ffi.new() returns (its typed view is made then, with no internal
exception): every kind of first access, read or write, good value or bad, gives what later
accesses give, with cffi's errors."""
import pytest

from _backend import FFI

ARRAYS = ["int[4]", "unsigned char[4]", "double[4]", "int64_t[4]", "char[4]", "float[]"]


def _fresh(ffi, cdecl):
    return ffi.new(cdecl, 4) if cdecl.endswith("[]") else ffi.new(cdecl)


def _outcome(action):
    try:
        return ("ok", action())
    except Exception as exc:
        return (type(exc).__name__, str(exc))


@pytest.mark.parametrize("cdecl", ARRAYS)
@pytest.mark.parametrize("index", [0, 3, 4, -1, 2**70])
def test_first_read_is_as_a_later_read(ffi, cdecl, index):
    first = _outcome(lambda: _fresh(ffi, cdecl)[index])
    array = _fresh(ffi, cdecl)
    array[0:1] = [array[0]]                 # (an access first: the view is made)
    assert first == _outcome(lambda: array[index])


@pytest.mark.parametrize("cdecl", ARRAYS)
@pytest.mark.parametrize("value", [5, -1, 2**70, 1.5, "x", b"y", None])
@pytest.mark.parametrize("index", [1, 4, -1])
def test_first_write_is_as_a_later_write(ffi, cdecl, value, index):
    def write(array):
        array[index] = value
        return list(ffi.buffer(array))
    first = _outcome(lambda: write(_fresh(ffi, cdecl)))
    array = _fresh(ffi, cdecl)
    array[0]                                # (an access first: the view is made)
    assert first == _outcome(lambda: write(array))


@pytest.mark.parametrize("value", [7, -2**31, 2**31, 2.5, "x", None])
def test_first_field_write_is_as_a_later_one(ffi, value):
    ffi.cdef("struct fa { char c; int i; double d; };")

    def write(p, name):
        setattr(p, name, value)
        return (p.c, p.i, p.d)
    for name in ("i", "d"):
        first = _outcome(lambda: write(ffi.new("struct fa *"), name))
        p = ffi.new("struct fa *")
        p.i, p.d = 0, 0.0                   # (written once first)
        assert first == _outcome(lambda: write(p, name))


def test_slices_and_views_of_fresh_arrays(ffi):
    a = ffi.new("int[6]", [0, 1, 2, 3, 4, 5])
    part = a[2:5]
    part[0] = 20                            # a slice's first write
    assert a[2] == 20 and part[2] == 4 and len(part) == 3
    ffi.cdef("struct holder { int arr[3]; };")
    h = ffi.new("struct holder *", [[7, 8, 9]])
    view = h.arr                            # an array field's view (not from ffi.new())
    view[1] = 80
    assert list(h.arr) == [7, 80, 9]


# the first access of an array goes through the view of all memory, the second makes the
# array's own view: every order of reads and writes gives what cffi gives
_STEPS = [("read", 0), ("read", 3), ("read", 4), ("read", -1), ("write", 1, 7),
          ("write", 2, 2**70), ("write", 3, 1.5), ("write", 0, "x"), ("write", 4, 1),
          ("read", 1)]


def _run_steps(ffi, cdecl, steps):
    array = _fresh(ffi, cdecl)
    out = []
    for step in steps:
        if step[0] == "read":
            out.append(_outcome(lambda: array[step[1]]))
        else:
            def write():
                array[step[1]] = step[2]
                return bytes(ffi.buffer(array))
            out.append(_outcome(write))
    return out


@pytest.mark.parametrize("cdecl", ARRAYS)
@pytest.mark.parametrize("start", range(len(_STEPS)))
def test_accesses_in_any_order_as_cffi(cdecl, start):
    cffi = pytest.importorskip("cffi")
    import _backend
    steps = _STEPS[start:] + _STEPS[:start]
    assert _run_steps(_backend.FFI(), cdecl, steps) == _run_steps(cffi.FFI(), cdecl, steps)


@pytest.mark.parametrize("cdecl", ["int[2][3]", "double[3][2]", "char[2][4]",
                                   "short[2][2][2]", "int[][3]"])
def test_items_of_arrays_of_arrays_as_cffi(cdecl):
    cffi = pytest.importorskip("cffi")
    import _backend

    def trace(module):
        ffi = module.FFI()
        outer = ffi.new(cdecl, 2) if "[]" in cdecl else ffi.new(cdecl)
        out = [len(outer)]
        for i in (0, 1, 2, -1, "x"):
            out.append(_outcome(lambda: (ffi.typeof(outer[i]).cname, len(outer[i]),
                                         ffi.sizeof(outer[i]))))
        inner = outer[1]
        del outer                           # the item keeps the memory alive
        item = inner[0]
        if isinstance(item, ffi.CData):     # (short[2][2][2]: one level more)
            inner, item = item, item[0]
        value = b"z" if isinstance(item, bytes) else 3
        inner[1] = value
        out.append((inner[1], _outcome(lambda: inner[len(inner)])))
        return out
    assert trace(_backend) == trace(cffi)
