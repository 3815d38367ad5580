"""The fast paths of calls and callbacks give what the general conversions give (and what cffi
gives): every argument and result kind that reaches them, at the edges of their ranges."""
import sys

import pytest

INT_TYPES = ["int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t",
             "uint64_t", "char16_t", "long", "unsigned long"]


def _bounds(ffi, cname):
    bits = 8 * ffi.sizeof(cname)
    if int(ffi.cast(cname, -1)) < 0:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def _edge_values(lo, hi):
    """Values around the type's bounds and around CPython's one-digit ints (2**30)."""
    values = {lo, hi, 0, 1, -1, (1 << 30) - 1, 1 << 30, -(1 << 30) + 1, -(1 << 30),
              (1 << 31) - 1, 1 << 31, -(1 << 31), (1 << 32) - 1}
    return sorted(v for v in values if lo <= v <= hi)


@pytest.fixture(autouse=True)
def unraisable_to_stderr(monkeypatch):
    """Callback errors are printed to stderr (see test_callbacks.py)."""
    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)


# -- callbacks: results ----
@pytest.mark.parametrize("cname", [t for t in INT_TYPES if t != "char16_t"])
def test_callback_int_results_in_range(ffi, cname):
    lo, hi = _bounds(ffi, cname)
    for value in _edge_values(lo, hi):
        through_c = ffi.callback("%s(int *)" % cname, lambda p, v=value: v)
        direct = ffi.callback("%s(int)" % cname, lambda x, v=value: v)
        assert through_c(ffi.NULL) == value
        assert direct(0) == value


@pytest.mark.parametrize("cname", [t for t in INT_TYPES if t != "char16_t"])
def test_callback_int_results_out_of_range(ffi, capfd, cname):
    lo, hi = _bounds(ffi, cname)
    for value in (lo - 1, hi + 1):
        through_c = ffi.callback("%s(int *)" % cname, lambda p, v=value: v, error=7)
        direct = ffi.callback("%s(int)" % cname, lambda x, v=value: v)
        assert through_c(ffi.NULL) == 7
        assert direct(0) == 0
        err = capfd.readouterr().err
        assert err.count("OverflowError") == 2
        assert "trying to convert the result back to C" in err


def test_callback_int_results_of_other_kinds(ffi, capfd):
    cb = ffi.callback("int(int *)", lambda p: p)
    assert cb(ffi.NULL) == 0
    assert "TypeError" in capfd.readouterr().err
    assert ffi.callback("int(int *)", lambda p: True)(ffi.NULL) == 1
    big = ffi.callback("long long(int *)", lambda p: 1 << 40)
    assert big(ffi.NULL) == 1 << 40
    assert ffi.callback("short(int *)", lambda p: -5)(ffi.NULL) == -5
    assert ffi.callback("int(int *)", lambda p: -(1 << 31))(ffi.NULL) == -(1 << 31)


# -- callbacks: pointer arguments ----
@pytest.mark.parametrize("item", ["int", "const int", "double", "short", "char", "int64_t",
                                  "void", "struct sp", "int *"])
def test_callback_pointer_arguments(ffi, item):
    ffi.cdef("struct sp { int x; double y; };")
    seen = []

    def record(p, q):
        seen.append((p, q))
        return 0
    cb = ffi.callback("int(%s *, %s *)" % (item, item), record)
    size = max(ffi.sizeof(item), 1) if item != "void" else 1
    buf = ffi.new("char[]", 8 * size + 16)
    base = ffi.cast("%s *" % item, buf)
    start = int(ffi.cast("intptr_t", buf))
    aligned = ffi.cast("%s *" % item, start + 8 - start % 8)
    unaligned = ffi.cast("%s *" % item, ffi.cast("char *", aligned) + 1)
    for p, q in [(ffi.NULL, ffi.NULL), (base, aligned), (unaligned, ffi.NULL),
                 (ffi.cast("%s *" % item, 0), aligned)]:
        assert cb(p, q) == 0
        got_p, got_q = seen.pop()
        for got, sent in ((got_p, p), (got_q, q)):
            assert ffi.typeof(got) is ffi.typeof("%s *" % item)
            address = int(ffi.cast("intptr_t", sent))
            assert int(ffi.cast("intptr_t", got)) == address
            assert (got == ffi.NULL) == (address == 0)
            name = ffi.getctype(ffi.typeof("%s *" % item))
            assert repr(got) == ("<cdata '%s' 0x%x>" % (name, address) if address else
                                 "<cdata '%s' NULL>" % (name,))
    with pytest.raises(TypeError, match="must be a cdata pointer, not NoneType"):
        cb(None, aligned)


def test_callback_pointer_items(ffi):
    ffi.cdef("struct sp { int x; double y; };")
    values = ffi.new("int[4]", [10, -20, 30, 40])
    structs = ffi.new("struct sp[2]", [[1, 1.5], [2, 2.5]])
    raw = ffi.new("char[]", 16)

    def read(p, s):
        if p == ffi.NULL:
            with pytest.raises(RuntimeError):
                p[0]
            return -1
        return p[0] + p[1] * 1000 + (s.x if s != ffi.NULL else 0)
    cb = ffi.callback("int(int *, struct sp *)", read)
    assert cb(values, structs) == 10 - 20000 + 1
    assert cb(values + 1, structs + 1) == -20 + 30000 + 2
    assert cb(ffi.NULL, ffi.NULL) == -1
    unaligned = ffi.cast("int *", raw + 1)
    unaligned[0] = 5
    unaligned[1] = 6
    assert cb(unaligned, ffi.NULL) == 6005

    def write(p, s):
        p[0] = 99
        s.y = 7.25
        return 0
    ffi.callback("int(int *, struct sp *)", write)(values + 2, structs)
    assert values[2] == 99 and structs[0].y == 7.25


def test_qsort_with_python_comparison(ffi):
    ffi.cdef("void qsort(void *, size_t, size_t, int (*)(const int *, const int *));")
    lib = ffi.dlopen(None)
    data = [(i * 7919 + 13) % 1009 - 500 for i in range(100)]
    calls = []

    @ffi.callback("int(const int *, const int *)")
    def cmp(p, q):
        calls.append(1)
        x, y = p[0], q[0]
        return (x > y) - (x < y)
    a = ffi.new("int[]", data)
    lib.qsort(a, len(data), ffi.sizeof("int"), cmp)
    assert list(a) == sorted(data)
    assert calls


# -- calls: pointer results ----
@pytest.mark.parametrize("result", ["void *", "char *", "int *", "const int *", "double *",
                                    "int16_t *", "struct rp *", "union ru *", "int **",
                                    "int(*)(int)"])
def test_pointer_results(ffi, result):
    ffi.cdef("struct rp { int x; double y; }; union ru { int i; float f; };")
    if result == "int(*)(int)":
        ffi.cdef("int (*memchr(const void *, int, size_t))(int);")
    else:
        ffi.cdef("%s memchr(const void *, int, size_t);" % (result,))
    lib = ffi.dlopen(None)
    buf = ffi.new("char[]", b"\x01abcdefghijklmnop")
    start = int(ffi.cast("intptr_t", buf))
    for needle, offset in ((ord("a"), 1), (ord("h"), 8), (ord("z"), None)):
        got = lib.memchr(buf, needle, 17)
        assert ffi.typeof(got) is ffi.typeof(result)
        if offset is None:
            assert got == ffi.NULL and not bool(got)
            assert int(ffi.cast("intptr_t", got)) == 0
        else:
            assert int(ffi.cast("intptr_t", got)) == start + offset
            assert got == ffi.cast(result, buf + offset)
    aligned = lib.memchr(buf, ord("h"), 17)
    if result in ("int *", "const int *"):
        assert aligned[0] == int.from_bytes(b"hijk", sys.byteorder)
        assert lib.memchr(buf, ord("a"), 17)[1] == int.from_bytes(b"efgh", sys.byteorder)
    if result == "int16_t *":
        assert lib.memchr(buf, ord("a"), 17)[0] == int.from_bytes(b"ab", sys.byteorder)
    if result == "char *":
        assert aligned[0] == b"h" and ffi.string(aligned) == b"hijklmnop"
    if result == "struct rp *":
        assert aligned.x == int.from_bytes(b"hijk", sys.byteorder)


# -- making callbacks ----
def test_callback_addresses_reach_the_python_function(ffi):
    made = [ffi.callback("int(int)", lambda x, k=k: x + k) for k in range(5)]
    made.append(ffi.callback("int(int)", error=-1, onerror=lambda *exc: None)(lambda x: x * 3))
    made.append(ffi.callback(ffi.typeof("int(*)(int)"), lambda x: x - 1))
    addresses = [int(ffi.cast("intptr_t", cb)) for cb in made]
    assert len(set(addresses)) == len(made) and all(addresses)
    for cb, address, expected in zip(made, addresses, [10, 11, 12, 13, 14, 30, 9]):
        again = ffi.cast("int(*)(int)", address)
        assert again(10) == expected and cb(10) == expected


def test_callback_decorator_keeps_error_and_onerror(ffi, capfd):
    seen = []

    @ffi.callback("int(int *)", error=-7, onerror=lambda *exc: seen.append(exc[0]))
    def failing(p):
        raise KeyError(p)
    assert failing(ffi.NULL) == -7
    assert seen == [KeyError]
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("typeof_first", [True, False])
def test_callback_and_typeof_read_a_function_string_apart(ffi, typeof_first):
    def refused():
        with pytest.raises(Exception, match="is a function type, not a pointer-to-function"):
            ffi.typeof("int(int)")
    if typeof_first:
        refused()
    cb = ffi.callback("int(int)", lambda x: x + 1)
    assert ffi.typeof(cb) is ffi.typeof("int(*)(int)")
    refused()
    assert ffi.callback("int(int)", lambda x: x + 3)(1) == 4
    ffi.cdef("typedef int myint_t;")         # a cdef() forgets what was read before
    assert ffi.callback("int(int)", lambda x: x + 2)(1) == 3
    assert ffi.typeof(ffi.callback("myint_t(myint_t)", lambda x: x)) is ffi.typeof("int(*)(int)")
    for _ in range(2):
        with pytest.raises(TypeError):
            ffi.callback("int", lambda x: x)


def test_function_pointer_calls_from_fresh_objects_and_threads(ffi):
    """A function pointer cdata keeps what calls it from its first call on: every new cdata
    of the same address (a struct field read, a cast), first called from 8 threads at once
    with a short switch interval, gives the C result, and a NULL one cffi's RuntimeError."""
    from conftest import run_together
    ffi.cdef("int abs(int); struct ops { int (*f)(int); };")
    lib = ffi.dlopen(None)
    ops = ffi.new("struct ops *", [ffi.cast("int(*)(int)", lib.abs)])

    def work(n):
        results = []
        for i in range(200):
            f = ops.f if i % 2 else ffi.cast("int(*)(int)", lib.abs)
            results.append(f(-n * 1000 - i) == n * 1000 + i and f(i) == i)
        return results
    results = [ok for done in run_together(work) for ok in done]
    assert len(results) == 1600 and all(results)
    null = ffi.cast("int(*)(int)", 0)
    for _ in range(2):      # the refusal is not cached as a function
        with pytest.raises(RuntimeError, match="cannot call null pointer pointer from cdata"):
            null(1)
    f = ffi.cast("int(*)(int)", lib.abs)
    with pytest.raises(TypeError, match=r"'int\(\*\)\(int\)' expects 1 arguments, got 2"):
        f(1, 2)
    assert f(-5) == 5
    with pytest.raises(TypeError, match="cannot be called with keyword arguments"):
        f(x=1)
