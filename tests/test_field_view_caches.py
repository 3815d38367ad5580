"""Struct, pointer and array fields read as views: right from any holder, fresh or long-lived,
and a walk through pointer fields keeps nothing alive that cffi would not.

Each test runs against cffi too (PURECFFI_TEST_AGAINST=cffi), and the grid below compares
the two directly where cffi is installed."""
import gc
import weakref

import pytest

from _backend import FFI
from conftest import run_together

CDEF = """
    struct point { int x; double y; };
    struct rec { int v; struct point at; struct rec *next; char name[8]; int vals[3];
                 union { int i; float f; } u; };
"""


@pytest.fixture
def ffi():
    ffi = FFI()
    ffi.cdef(CDEF)
    return ffi


def _holders(ffi, recs):
    """(name, function giving the `struct rec` cdata to read at index i) of every kind."""
    base = ffi.cast("struct rec *", recs)
    return [
        ("array item", lambda i: recs[i]),
        ("cast pointer item", lambda i: base[i]),
        ("pointer plus index", lambda i: base + i),
        ("addressof", lambda i: ffi.addressof(recs, i)),
        ("value of a pointer", lambda i: (base + i)[0]),
    ]


def _fill(ffi, recs, count):
    for i in range(count):
        recs[i].v = i
        recs[i].at.x, recs[i].at.y = 10 * i, i / 4
        recs[i].next = recs + (i + 1) % count
        recs[i].name = b"r%d" % i
        recs[i].vals = [i, i + 1, i + 2]
        recs[i].u.i = 7 * i


def _snapshot(ffi, rec):
    return (rec.v, rec.at.x, rec.at.y, rec.next.v, rec.next.at.x, ffi.string(rec.name),
            list(rec.vals), rec.vals[2], rec.u.i, ffi.typeof(rec.at).cname,
            ffi.typeof(rec.next).cname, ffi.typeof(rec.name).cname)


def _expected(i, count):
    j = (i + 1) % count
    return (i, 10 * i, i / 4, j, 10 * j, b"r%d" % i, [i, i + 1, i + 2], i + 2, 7 * i,
            "struct point", "struct rec *", "char[8]")


def test_fields_of_fresh_views_from_every_holder(ffi):
    recs = ffi.new("struct rec[5]")
    _fill(ffi, recs, 5)
    for name, get in _holders(ffi, recs):
        for i in range(5):
            assert _snapshot(ffi, get(i)) == _expected(i, 5), name


def test_fields_of_owning_cdata_follow_later_writes(ffi):
    p = ffi.new("struct rec *")
    other = ffi.new("struct rec[2]")
    _fill(ffi, other, 2)
    for holder in (p, p[0]):
        first = holder.next                 # a pointer field read before it changes
        assert first == ffi.NULL
        holder.next = other + 1
        assert holder.next.v == 1 and holder.next == other + 1
        holder.next = other
        assert holder.next.v == 0
        holder.at.x = 5                     # through a nested view read again later
        assert holder.at.x == 5 and p.at.x == 5 and p[0].at.x == 5
        holder.name = b"abc"
        assert ffi.string(holder.name) == b"abc" and ffi.string(p.name) == b"abc"
        holder.vals[1] = 9
        assert list(p.vals) == [0, 9, 0]
        holder.next = ffi.NULL
        assert holder.next == ffi.NULL
        p.vals = [0, 0, 0]


def test_first_item_of_a_new_struct_pointer(ffi):
    for init in (None, [3, 1.5]):
        p = ffi.new("struct point *", init)
        s = p[0]
        assert ffi.typeof(s) is ffi.typeof("struct point")
        assert (s.x, s.y) == ((3, 1.5) if init else (0, 0.0))
        s.x = 4
        assert p.x == 4 and p[0].x == 4
        assert p[False].x == 4
        assert ffi.addressof(p[0]) == p


def test_walking_pointer_fields_keeps_no_chain_alive(ffi):
    count = 200
    recs = ffi.new("struct rec[%d]" % count)
    for i in range(count - 1):
        recs[i].next = recs + i + 1
    head = ffi.addressof(recs[0])     # a pointer that owns nothing, as C often returns
    seen = []
    for _ in range(2):                # walked twice from the same head, which stays alive
        node, total = head.next, 1
        while node != ffi.NULL:
            seen.append(weakref.ref(node))
            total += 1
            node = node.next
        assert total == count
    del node
    gc.collect()
    assert head.next.next == recs + 2
    alive = sum(ref() is not None for ref in seen)
    assert alive == 0


def test_fields_through_struct_items_of_a_new_array_agree_with_cffi():
    cffi = pytest.importorskip("cffi")
    results = []
    for backend in (FFI, cffi.FFI):
        ffi = backend()
        ffi.cdef(CDEF)
        recs = ffi.new("struct rec[4]")
        _fill(ffi, recs, 4)
        out = []
        for name, get in _holders(ffi, recs):
            out.append((name, [_snapshot(ffi, get(i)) for i in range(4)]))
        results.append(out)
    assert results[0] == results[1]


FUNCTIONS_CDEF = """
    struct ops { int (*f)(int); int (*g)(int); };
    typedef int (*fn_t)(int);
    int abs(int);
"""


def _function_pointer_reads(backend):
    """What calling function pointers read from fields, arrays and `*p` gives, as fields change."""
    ffi = backend()
    ffi.cdef(FUNCTIONS_CDEF)
    lib = ffi.dlopen(None)
    double = ffi.callback("int(int)", lambda x: 2 * x)
    negate = ffi.callback("int(int)", lambda x: -x)
    absolute = ffi.cast("fn_t", ffi.addressof(lib, "abs"))
    ops = ffi.new("struct ops[3]")
    table = ffi.new("fn_t[3]")
    slot = ffi.new("fn_t *")
    seen = []
    for round_, functions in enumerate([(double, negate, absolute), (absolute, double, negate),
                                        (negate, negate, double)]):
        for i, function in enumerate(functions):
            ops[i].f = function
            ops[i].g = functions[-1 - i]
            table[i] = function
        slot[0] = functions[1]
        for i in range(3):
            for _ in range(2):          # read again: the same function while it is the same
                seen.append((round_, i, ops[i].f(-7), ops[i].g(5), table[i](-3), slot[0](4),
                             ffi.typeof(ops[i].f).cname, ops[i].f == functions[i]))
    ops[0].f = ffi.NULL
    try:
        ops[0].f(1)
    except Exception as exc:
        seen.append((type(exc).__name__, str(exc)))
    seen.append((ops[0].f == ffi.NULL, bool(ops[0].f), ops[1].f(-2)))
    return seen


def test_function_pointers_read_from_memory():
    seen = _function_pointer_reads(FFI)
    assert seen[0] == (0, 0, -14, 5, -6, -4, "int(*)(int)", True)
    assert seen[-2] == ("RuntimeError", "cannot call null pointer pointer from cdata 'int(*)(int)'")
    assert seen[-1] == (True, False, 2)


def test_function_pointers_read_from_memory_agree_with_cffi():
    cffi = pytest.importorskip("cffi")
    assert _function_pointer_reads(FFI) == _function_pointer_reads(cffi.FFI)


def test_function_pointer_fields_read_by_many_threads_at_once():
    ffi = FFI()
    ffi.cdef(FUNCTIONS_CDEF)
    callbacks = [ffi.callback("int(int)", lambda x, k=k: x + k) for k in range(8)]
    ops = ffi.new("struct ops[8]")
    for k, callback in enumerate(callbacks):
        ops[k].f = callback
    table = ffi.cast("fn_t *", ops)     # every other item: the `f` fields, read as `fn_t`

    def work(i):
        return [(ops[(i + j) % 8].f(100), table[2 * ((i + j) % 8)](1000)) for j in range(400)]
    for i, result in enumerate(run_together(work)):
        assert result == [(100 + (i + j) % 8, 1000 + (i + j) % 8) for j in range(400)]


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("item", ["char", "short", "int", "double", "uint8_t", "long long",
                                  "float", "struct point", "int *"])
def test_array_fields_of_fresh_items_agree_with_cffi(packed, item):
    cffi = pytest.importorskip("cffi")
    seen = []
    for backend in (FFI, cffi.FFI):
        ffi = backend()
        ffi.cdef("struct point { int x; double y; };"
                 "struct holder { char c; %s arr[4]; int tail; };" % (item,), packed=packed)
        holders = ffi.new("struct holder[3]")
        base = ffi.cast("struct holder *", holders)
        values = {"char": [b"a", b"b", b"c", b"d"], "struct point": [[1, 1.5], [2, 2.5],
                                                                    [3, 3.5], [4, 4.5]],
                  "int *": [ffi.NULL, ffi.cast("int *", holders) + 1, ffi.NULL,
                            ffi.cast("int *", holders) + 5]}.get(
            item, [1, 2, 3, 4])
        out = []
        for get in (lambda i: holders[i], lambda i: base[i], lambda i: base + i):
            for i in range(3):
                get(i).arr[1] = values[1]               # a first write through a fresh view
                get(i).arr[3] = values[3]
                get(i).arr[0:1] = values[0:1]
                arr = get(i).arr
                arr[2] = values[2]                      # later writes through one view
                shown = []
                for j in range(4):
                    value = get(i).arr[j]               # a first read through a fresh view
                    if item == "struct point":
                        value = (value.x, value.y)
                    elif item == "int *":
                        value = int(ffi.cast("intptr_t", value)) and \
                            int(ffi.cast("intptr_t", value)) - int(ffi.cast("intptr_t", holders))
                    shown.append(value)
                out.append((shown, len(get(i).arr), ffi.typeof(get(i).arr).cname,
                            get(i).tail, bytes(ffi.buffer(get(i).arr)) == bytes(
                                ffi.buffer(arr))))
        seen.append(out)
    assert seen[0] == seen[1]
