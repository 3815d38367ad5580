"""Global variables of a library opened in ABI mode, in-line (ffi.dlopen() after cdef()) and
out-of-line (the generated Python module's ffi): arrays read as views of the C memory whose
items are the library's, across reads and writes on either side; writes take values as
fields of the same type do; after ffi.dlclose() every access raises the closed-library error;
threads started together see the same values.  Validated against cffi with
PURECFFI_TEST_AGAINST=cffi."""
import pytest

from _backend import FFI
from conftest import import_built, run_together

CDEF = """
    struct tl_point { int x; int y; };
    extern int tl_counter;
    extern double tl_ratio;
    extern struct tl_point tl_origin;
    extern int tl_table[5];
    extern int *tl_table_ptr;
    int tl_table_sum(void);
    int tl_get_counter(void);
    int tl_origin_sum(void);
    struct ga_holder { int i; double d; struct tl_point p; int a[5]; };
"""


@pytest.fixture(params=["in-line", "out-of-line"])
def opened(request, testlib_path, tmp_path):
    """(ffi, lib) over the test library, opened in each ABI mode."""
    if request.param == "in-line":
        ffi = FFI()
        ffi.cdef(CDEF)
    else:
        builder = FFI()
        builder.cdef(CDEF)
        builder.set_source("_abi_globals_ool", None)
        builder.compile(tmpdir=str(tmp_path))
        ffi = import_built(tmp_path, "_abi_globals_ool").ffi
    lib = ffi.dlopen(testlib_path)
    saved = list(lib.tl_table), lib.tl_counter, (lib.tl_origin.x, lib.tl_origin.y)
    yield ffi, lib
    lib.tl_table, lib.tl_counter, lib.tl_origin = saved     # (the library is shared)


def test_array_global_items_are_the_librarys(opened):
    ffi, lib = opened
    assert list(lib.tl_table) == [10, 20, 30, 40, 50]
    first = lib.tl_table
    for i in range(5):
        lib.tl_table[i] = i + 1
    assert lib.tl_table_sum() == 15 and list(first) == [1, 2, 3, 4, 5]
    first[4] = 100
    assert lib.tl_table[4] == 100 and lib.tl_table_sum() == 110
    lib.tl_table = [5, 5, 5, 5, 5]
    assert [lib.tl_table[i] for i in range(5)] == [5] * 5 and lib.tl_table_sum() == 25
    assert lib.tl_table_ptr[0] == 5     # (a pointer into the array)
    assert list(lib.tl_table[1:3]) == [5, 5] and len(lib.tl_table) == 5
    with pytest.raises(IndexError):
        lib.tl_table[5]
    with pytest.raises(IndexError):
        lib.tl_table[-1]
    with pytest.raises(TypeError):
        lib.tl_table[0] = "x"
    assert lib.tl_table is not lib.tl_table and lib.tl_table == lib.tl_table


def test_writes_take_what_a_field_takes(opened):
    ffi, lib = opened
    holder = ffi.new("struct ga_holder *")
    for name, field in [("tl_counter", "i"), ("tl_ratio", "d"), ("tl_origin", "p"),
                        ("tl_table", "a")]:
        for value in [3, -1, 2**31, 1.5, "x", None, [1, 2], {"x": 9}, ffi.new("int *"),
                      ffi.new("struct tl_point *", [6, 7])[0], (1, 2, 3, 4, 5)]:
            outcomes = []
            for target, attr in ((holder, field), (lib, name)):
                try:
                    setattr(target, attr, value)
                    outcomes.append("ok")
                except Exception as exc:
                    outcomes.append((type(exc).__name__, str(exc)))
            assert outcomes[0] == outcomes[1], (name, value)
    lib.tl_counter = 12
    assert lib.tl_get_counter() == 12
    lib.tl_origin = ffi.new("struct tl_point *", [1, 2])[0]
    assert lib.tl_origin_sum() == 12


def test_closed_library_refuses_globals(testlib_path, tmp_path):
    for ool in (False, True):
        if ool:
            builder = FFI()
            builder.cdef(CDEF)
            builder.set_source("_abi_globals_closed", None)
            builder.compile(tmpdir=str(tmp_path))
            ffi = import_built(tmp_path, "_abi_globals_closed").ffi
        else:
            ffi = FFI()
            ffi.cdef(CDEF)
        lib = ffi.dlopen(testlib_path)
        assert lib.tl_table[0] == lib.tl_table[0]     # (resolved before the close)
        lib.tl_counter = lib.tl_counter
        ffi.dlclose(lib)
        for action in (lambda: lib.tl_table, lambda: lib.tl_counter,
                       lambda: setattr(lib, "tl_counter", 1),
                       lambda: setattr(lib, "tl_table", [1])):
            # (in-line: ValueError; out-of-line: ffi.error)
            with pytest.raises((ValueError, getattr(ffi, "error", ValueError))) as info:
                action()
            assert "closed" in str(info.value)


def test_first_reads_in_threads(opened):
    ffi, lib = opened

    def work(i):
        return list(lib.tl_table), lib.tl_table[2], lib.tl_counter, lib.tl_origin.y
    expected = (list(lib.tl_table), lib.tl_table[2], lib.tl_counter, lib.tl_origin.y)
    assert run_together(work) == [expected] * 8
