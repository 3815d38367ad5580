"""ffi.sizeof(), ffi.offsetof(), ffi.getctype() and ffi.list_types() remember what they
found for a type string the ffi has seen (sizes and field offsets with the ffi's types,
list_types() with the containers of declarations it read), and give the same answers and the
same errors as without: after a cdef() that changes a type, on strings never seen, on
arguments of the wrong kind, from several threads at once.  In-line FFI and the ffi of an
API-mode module; validated against cffi with PURECFFI_TEST_AGAINST=cffi."""
import shutil

import pytest

from _backend import FFI, IS_CFFI
from conftest import build_api_module, run_together

CDEF = """
    struct point { int x; double y; };
    struct line { struct point a, b; struct point *next; char name[16]; };
    union u { int i; float f; };
    typedef struct { int n; int items[]; } vec_t;
    typedef int number_t;
    typedef int (*fp_t)(int);
"""
SOURCE = CDEF


def _api_ffi(tmp_path_factory, name):
    """The ffi of a new API-mode module of CDEF called `name`."""
    if shutil.which("gcc") is None:
        pytest.skip("needs gcc")
    return build_api_module(tmp_path_factory.mktemp(name), "_" + name, CDEF, SOURCE).ffi


@pytest.fixture(scope="module")
def api_ffi(tmp_path_factory):
    return _api_ffi(tmp_path_factory, "ffi_method_caches")


@pytest.fixture(scope="module")
def cold_api_ffi(tmp_path_factory):
    """The ffi of a module only test_errors_are_the_same_after_successes() uses."""
    return _api_ffi(tmp_path_factory, "ffi_method_caches_cold")


def _ffi_of(request, api_fixture):
    """A new in-line FFI of CDEF, or the API-mode ffi of fixture `api_fixture`."""
    if request.param == "api":
        return request.getfixturevalue(api_fixture)
    inline = FFI()
    inline.cdef(CDEF)
    return inline


@pytest.fixture(params=["inline", "api"])
def ffi(request):
    return _ffi_of(request, "api_ffi")


@pytest.fixture(params=["inline", "api"])
def cold_ffi(request):
    """An ffi none of whose methods was called yet."""
    return _ffi_of(request, "cold_api_ffi")


def _error(action):
    """(type, message) of what `action()` raises, or ("returned", result)."""
    try:
        return "returned", action()
    except Exception as exc:
        return type(exc), str(exc)


# -- errors ----
FAILING = [
    lambda ffi: ffi.sizeof("int[]"),
    lambda ffi: ffi.sizeof("struct nope"),
    lambda ffi: ffi.sizeof(["struct point"]),
    lambda ffi: ffi.sizeof(5),
    lambda ffi: ffi.offsetof("struct line", "nope"),
    lambda ffi: ffi.offsetof("struct line", ["next"]),
    lambda ffi: ffi.offsetof("struct line", "b", ["y"]),
    lambda ffi: ffi.offsetof("struct line", "next", "x"),
    lambda ffi: ffi.offsetof("struct line"),
    lambda ffi: ffi.offsetof("struct point", 1),
    lambda ffi: ffi.offsetof("int", "x"),
    lambda ffi: ffi.getctype("struct point", 5),
    lambda ffi: ffi.getctype(5, "*"),
    lambda ffi: ffi.getctype("struct nope", "*"),
    lambda ffi: ffi.getctype("struct point", None),
]
SUCCEEDING = [
    lambda ffi: ffi.sizeof("struct point"), lambda ffi: ffi.sizeof("struct line"),
    lambda ffi: ffi.sizeof("int"), lambda ffi: ffi.offsetof("struct line", "next"),
    lambda ffi: ffi.offsetof("struct line", "b", "y"),
    lambda ffi: ffi.offsetof("struct point", "x"),
    lambda ffi: ffi.getctype("struct point", "*"), lambda ffi: ffi.getctype("int"),
    lambda ffi: ffi.typeof("struct nope *") if ffi.list_types() is None else None,
]


def test_errors_are_the_same_after_successes(cold_ffi):
    before = [_error(lambda: action(cold_ffi)) for action in FAILING]
    for _ in range(2):
        for action in SUCCEEDING:
            action(cold_ffi)
        assert [_error(lambda: action(cold_ffi)) for action in FAILING] == before


# -- sizeof ----
@pytest.mark.parametrize("cdecl, size", [("struct line", 56), ("struct point", 16),
                                         ("union u", 4), ("vec_t", 4), ("number_t", 4),
                                         ("struct point *", 8), ("int[7]", 28)])
def test_sizeof_is_the_same_each_time(ffi, cdecl, size):
    assert [ffi.sizeof(cdecl) for _ in range(3)] == [size] * 3
    assert ffi.sizeof(ffi.typeof(cdecl)) == size


def test_sizeof_follows_a_later_cdef():
    ffi = FFI()
    ffi.cdef("struct later; typedef int t;")
    error = _error(lambda: ffi.sizeof("struct later"))
    assert error[0] != "returned" and _error(lambda: ffi.sizeof("struct later")) == error
    assert ffi.sizeof("t") == 4
    ffi.cdef("struct later { double d[3]; };")
    assert [ffi.sizeof("struct later") for _ in range(2)] == [24, 24]
    ffi.cdef("typedef long long t;", override=True)     # sizeof() says as typeof()
    assert [ffi.sizeof("t") for _ in range(2)] == [ffi.sizeof(ffi.typeof("t"))] * 2


# -- offsetof ----
@pytest.mark.parametrize("args, offset", [(("struct line", "next"), 32),
                                          (("struct line", "b"), 16),
                                          (("struct line", "b", "y"), 24),
                                          (("struct line", "name", 3), 43),
                                          (("struct point *", "y"), 8),
                                          (("int[10]", 4), 16),
                                          (("vec_t", "items"), 4)])
def test_offsetof_is_the_same_each_time(ffi, args, offset):
    assert [ffi.offsetof(*args) for _ in range(3)] == [offset] * 3


def test_offsetof_follows_a_later_cdef():
    ffi = FFI()
    ffi.cdef("struct later;")
    error = _error(lambda: ffi.offsetof("struct later", "b"))
    assert error[0] != "returned" and _error(lambda: ffi.offsetof("struct later", "b")) == error
    ffi.cdef("struct later { int a; double b; };")
    assert [ffi.offsetof("struct later", "b") for _ in range(2)] == [8, 8]


def test_offsetof_by_an_index_of_any_size(ffi):
    for index in (0, 5, 1000, 10 ** 9, -3):
        assert ffi.offsetof("int[10]", index) == 4 * index


def test_offsetof_of_a_str_subclass_field(ffi):
    class Name(str):
        pass
    ffi.offsetof("struct point", "y")
    assert ffi.offsetof("struct point", Name("y")) == 8
    assert ffi.offsetof("struct point", Name("y")) == 8


# -- getctype ----
@pytest.mark.parametrize("args, text", [(("struct point", "*"), "struct point *"),
                                        (("int[3]", "*"), "int(*)[3]"),
                                        (("struct point",), "struct point"),
                                        (("int", " x "), "int x"),
                                        (("number_t", "&"), "int &")])
def test_getctype_is_the_same_each_time(ffi, args, text):
    assert [ffi.getctype(*args) for _ in range(3)] == [text] * 3


@pytest.mark.parametrize("cdecl, replace_with, text", [
    ("int[3]", "*", "int(*)[3]"), ("int[3]", "*x", "int(*x)[3]"), ("int", "x", "int x"),
    ("int", "", "int"), ("fp_t", "", "int(*)(int)"), ("fp_t", "*", "int(* *)(int)"),
    ("fp_t", "x", "int(* x)(int)"), ("int(*)(int)", "[2]", "int(*[2])(int)"),
    ("struct point", "&", "struct point &"), ("int[3]", "[4]", "int[4][3]"),
    ("int *", "(x)", "int *(x)"), ("int[3]", " * ", "int(*)[3]"),
    ("struct point *", "[]", "struct point *[]")])
def test_getctype_spells_as_cffi(ffi, cdecl, replace_with, text):
    assert ffi.getctype(cdecl, replace_with) == text
    assert ffi.getctype(cdecl, replace_with) == text


# -- list_types ----
def test_list_types_gives_new_lists_each_time(ffi):
    first = ffi.list_types()
    assert first == (["fp_t", "number_t", "vec_t"], ["line", "point"], ["u"])
    first[0].append("mine")
    first[1].clear()
    assert ffi.list_types() == (["fp_t", "number_t", "vec_t"], ["line", "point"], ["u"])
    assert ffi.list_types()[2] is not ffi.list_types()[2]


def test_list_types_follows_cdef_and_include():
    ffi = FFI()
    assert ffi.list_types() == ([], [], [])
    ffi.cdef("struct a { int x; }; typedef int b_t;")
    assert ffi.list_types() == (["b_t"], ["a"], [])
    ffi.cdef("union c { int x; }; typedef struct a a_t;")
    assert ffi.list_types() == (["a_t", "b_t"], ["a"], ["c"])
    other = FFI()
    other.cdef("struct d { int y; }; typedef long e_t;")
    ffi.include(other)
    assert ffi.list_types() == (["a_t", "b_t", "e_t"], ["a", "d"], ["c"])


def test_list_types_after_naming_a_new_tag_in_line():
    ffi = FFI()
    ffi.cdef("struct a { int x; };")
    before = ffi.list_types()
    ffi.typeof("struct fresh *")
    ffi.typeof("union other *")
    fresh = FFI()
    fresh.cdef("struct a { int x; };")
    fresh.typeof("struct fresh *")
    fresh.typeof("union other *")
    assert ffi.list_types() == fresh.list_types()
    assert before == (["a"] and [], ["a"], [])


# -- threads ----
def test_the_caches_from_threads_at_once():
    ffi = FFI()
    ffi.cdef(CDEF)

    def work(i):
        results = []
        for _ in range(50):
            results.append((ffi.sizeof("struct line"), ffi.offsetof("struct line", "next"),
                            ffi.offsetof("struct line", "b", "y"),
                            ffi.getctype("struct point", "*"), ffi.list_types()))
        return results
    expected = (56, 32, 24, "struct point *", (["fp_t", "number_t", "vec_t"],
                                               ["line", "point"], ["u"]))
    for results in run_together(work):
        assert results == [expected] * 50


def test_the_caches_from_threads_while_cdef_declares_more():
    ffi = FFI()
    ffi.cdef("struct base { int a; double b; };")

    def work(i):
        if i == 0:
            for n in range(30):
                ffi.cdef("struct s%d { char c[%d]; };" % (n, n + 1))
            return None
        seen = []
        for _ in range(60):
            assert ffi.sizeof("struct base") == 16
            assert ffi.offsetof("struct base", "b") == 8
            names = ffi.list_types()[1]
            assert names == sorted(names) and "base" in names
            seen.append(len(names))
        return seen
    results = run_together(work)
    for seen in results[1:]:
        assert seen == sorted(seen)
    assert len(ffi.list_types()[1]) == 31
    assert [ffi.sizeof("struct s%d" % n) for n in range(30)] == list(range(1, 31))


@pytest.mark.skipif(IS_CFFI, reason="purecffi's own tables")
def test_the_caches_hold_only_what_the_types_table_holds(ffi):
    for n in range(50):
        ffi.offsetof("int[10]", n)
        ffi.offsetof("struct line", "name", n)
    ffi.sizeof("struct line")
    ffi.offsetof("struct line", "b", "y")
    tables = [value for key, value in ffi._types.items() if not isinstance(key, str)
              and isinstance(value, dict)]
    for table in tables:
        for key, value in table.items():
            assert isinstance(key, str) and key in ffi._types
            if isinstance(value, dict):
                assert all(all(isinstance(name, str) for name in fields) for fields in value)
