"""The lib of an out-of-line ABI module (set_source(name, None)) compared with cffi's: constants
read from the library's symbols, ffi.integer_const(), errors for missing and closed libraries,
names of included modules, the version check of the generated module; and the in-line ABI
lib's rules on the same points where they differ."""
import re

import pytest

from _backend import IS_CFFI
from conftest import build_shared_library
from test_outofline import build, modules  # noqa: F401  (modules: a fixture)

C_SOURCE = r"""
const int K_INT = 42;
const char *const K_HELLO = "hello world";
const double K_DOUBLE = 2.5;
const long long K_BIG = 1LL << 40;
const unsigned char K_UCHAR = 200;
struct pt { int x, y; };
const struct pt K_ORIGIN = {3, 4};
const int *const K_PTR = &K_INT;
const int K_ARRAY[3] = {1, 2, 3};
int counter = 7;
int add_one(int a) { return a + 1; }
"""

CDEF = """
    struct pt { int x, y; };
    typedef int myint_t;
    static const int K_INT;
    static const char *const K_HELLO;
    static const double K_DOUBLE;
    static const long long K_BIG;
    static const unsigned char K_UCHAR;
    static const struct pt K_ORIGIN;
    static const int *const K_PTR;
    static const int K_ARRAY[3];
    static const int K_VALUE = 17;
    enum color { RED, GREEN = 5 };
    #define K_DEFINE 99
    extern int counter;
    int add_one(int);
"""


# -- Helpers ----
@pytest.fixture(scope="module")
def libpath(tmp_path_factory):
    """The C library defining the symbols of CDEF."""
    return build_shared_library(tmp_path_factory, "consts", C_SOURCE)


@pytest.fixture
def ool(tmp_path, modules, libpath):
    """(ffi, lib) of a generated module declaring CDEF, the library dlopen()ed."""
    build(tmp_path, "_ool_consts", CDEF)
    ffi = modules("_ool_consts").ffi
    return ffi, ffi.dlopen(libpath)


# -- Constants read from the library ----
def test_static_const_scalars_are_read_from_the_symbols(ool):
    ffi, lib = ool
    assert lib.K_INT == 42 and type(lib.K_INT) is int
    assert lib.K_DOUBLE == 2.5
    assert lib.K_BIG == 1 << 40
    assert lib.K_UCHAR == 200
    assert lib.K_INT == 42                          # a second read gives the same


def test_static_const_pointers_and_structs(ool):
    ffi, lib = ool
    hello = lib.K_HELLO
    assert ffi.typeof(hello) is ffi.typeof("char *")
    assert ffi.string(hello) == b"hello world"
    assert ffi.typeof(lib.K_PTR) is ffi.typeof("int *")
    assert lib.K_PTR[0] == 42
    origin = lib.K_ORIGIN
    assert re.match(r"<cdata 'struct pt &' 0x[0-9a-f]+>$", repr(origin))
    assert (origin.x, origin.y) == (3, 4)
    assert ffi.sizeof(origin) == 8


def test_static_const_array_is_a_global_array(ool):
    ffi, lib = ool
    assert list(lib.K_ARRAY) == [1, 2, 3]
    assert ffi.typeof(lib.K_ARRAY) is ffi.typeof("int[3]")
    p = ffi.addressof(lib, "K_ARRAY")
    assert ffi.typeof(p) is ffi.typeof("int(*)[3]")
    assert p[0][2] == 3


def test_constants_cannot_be_written_nor_have_an_address(ool):
    ffi, lib = ool
    for name in ("K_INT", "K_HELLO", "K_VALUE", "RED", "add_one"):
        with pytest.raises(AttributeError):
            setattr(lib, name, 1)
    with pytest.raises(AttributeError, match="cannot take the address of the constant 'K_INT'"):
        ffi.addressof(lib, "K_INT")
    lib.counter = 8
    assert lib.counter == 8 and ffi.addressof(lib, "counter")[0] == 8


def test_static_const_without_symbol(tmp_path, modules, libpath):
    build(tmp_path, "_ool_nothere", "static const int NOT_THERE; int not_there_f(int);")
    ffi = modules("_ool_nothere").ffi
    lib = ffi.dlopen(libpath)
    for name in ("NOT_THERE", "not_there_f"):
        with pytest.raises(ffi.error, match=r"^symbol '%s' not found in library '.*"
                                            r"libconsts.so': .*%s" % (name, name)) as info:
            getattr(lib, name)
        # purecffi's is also the AttributeError of an in-line lib (cffi's: ffi.error only)
        assert isinstance(info.value, AttributeError) is not IS_CFFI
    assert "NOT_THERE" in dir(lib)


def test_inline_static_const_is_not_read(ffi, libpath):
    """In-line ABI mode (ffi.dlopen() after cdef()) does not read `static const` symbols, as
    in cffi: only constants with a value in the cdef are given."""
    ffi.cdef("static const int K_INT; static const int K_VALUE = 17;\n#define K_DEFINE 99")
    lib = ffi.dlopen(libpath)
    with pytest.raises(NotImplementedError, match="K_INT"):
        lib.K_INT
    assert lib.K_VALUE == 17 and lib.K_DEFINE == 99


# -- ffi.integer_const() ----
def test_integer_const(ool):
    ffi, lib = ool
    assert ffi.integer_const("RED") == 0
    assert ffi.integer_const("GREEN") == 5
    assert ffi.integer_const("K_DEFINE") == 99
    assert ffi.integer_const("K_VALUE") == 17
    for name in ("K_INT", "K_HELLO", "add_one", "counter"):
        with pytest.raises(ffi.error, match="function, global variable or non-integer constant "
                                            "'%s' must be fetched from its original 'lib' "
                                            "object" % (name,)):
            ffi.integer_const(name)
    with pytest.raises(AttributeError, match="integer constant 'nope' not found"):
        ffi.integer_const("nope")
    with pytest.raises(TypeError):
        ffi.integer_const(42)


def test_integer_const_refuses_char_constants_and_non_str_names(tmp_path, modules):
    """A `static const char` with a value is a bytes in lib, not an integer constant."""
    build(tmp_path, "_ool_char_const", "static const char K_CHAR = 'x'; "
                                       "static const _Bool K_TRUE = 1;")
    ffi = modules("_ool_char_const").ffi
    assert ffi.integer_const("K_TRUE") == 1
    with pytest.raises(ffi.error, match="non-integer constant 'K_CHAR' must be fetched"):
        ffi.integer_const("K_CHAR")
    for name, shown in ((b"K_TRUE", "bytes"), (None, "None")):
        with pytest.raises(TypeError) as info:
            ffi.integer_const(name)
        assert str(info.value) == "argument 1 must be str, not %s" % (shown,)


def test_integer_const_is_only_on_generated_ffis(ffi):
    """cffi's in-line FFI has no integer_const()."""
    assert not hasattr(ffi, "integer_const")


# -- Functions ----
def test_functions_are_cdata(ool, ffi, libpath):
    gen_ffi, lib = ool
    assert isinstance(lib.add_one, gen_ffi.CData)
    assert re.match(r"<cdata 'int\(\*\)\(int\)' 0x[0-9a-f]+>$", repr(lib.add_one))
    assert gen_ffi.typeof(lib.add_one) is gen_ffi.typeof("int(*)(int)")
    assert lib.add_one(41) == 42
    ffi.cdef("int add_one(int);")
    assert isinstance(ffi.dlopen(libpath).add_one, ffi.CData)


# -- Missing names ----
def test_undeclared_name(ool):
    ffi, lib = ool
    with pytest.raises(AttributeError, match="^cffi library '.*libconsts.so' has no function, "
                                             "constant or global variable named 'nope'"):
        lib.nope
    assert not hasattr(lib, "nope")
    assert "nope" not in dir(lib)


def test_inline_missing_function(ffi, libpath):
    ffi.cdef("int not_there_f(int);")
    lib = ffi.dlopen(libpath)
    with pytest.raises(AttributeError, match="'not_there_f' not found in library '.*"
                                             "libconsts.so': .*not_there_f"):
        lib.not_there_f


def test_inline_missing_global_is_key_error(ffi, libpath):
    """cffi's in-line lib raises KeyError (its str() quoting the message) for a global the
    library does not export."""
    ffi.cdef("extern int not_there_v;")
    lib = ffi.dlopen(libpath)
    with pytest.raises(KeyError) as info:
        lib.not_there_v
    assert re.fullmatch(r"\"variable 'not_there_v' not found in library '.*libconsts.so': "
                        r".*not_there_v\"", str(info.value))


@pytest.mark.skipif(IS_CFFI, reason="cffi's in-line lib raises only KeyError there")
def test_inline_missing_global_is_also_attribute_error(ffi, libpath):
    """purecffi's is also an AttributeError, as for a missing function, so that hasattr()
    and getattr() with a default work."""
    ffi.cdef("extern int not_there_v;")
    lib = ffi.dlopen(libpath)
    with pytest.raises(AttributeError, match="variable 'not_there_v' not found in library"):
        lib.not_there_v
    assert not hasattr(lib, "not_there_v")


# -- The lib as a module, global arrays of unknown length ----
OPEN_C = r"""
#include <wchar.h>
int open_ints[4] = {1, 2, 3, 4};
char open_chars[8] = "abcdef";
wchar_t open_wide[8] = L"uvwxyz";
int twice(int x) { return 2 * x; }
"""
OPEN_CDEF = """
    extern int open_ints[];
    extern char open_chars[];
    extern wchar_t open_wide[];
    int twice(int);
    #define K_SEVEN 7
"""


@pytest.fixture
def open_lib(tmp_path, tmp_path_factory, modules):
    """(ffi, lib) of a generated module declaring OPEN_CDEF over a library defining it."""
    path = build_shared_library(tmp_path_factory, "open_arrays", OPEN_C)
    build(tmp_path, "_ool_open", OPEN_CDEF)
    ffi = modules("_ool_open").ffi
    return ffi, ffi.dlopen(path)


def test_lib_looks_like_a_module(open_lib):
    import types
    ffi, lib = open_lib
    assert isinstance(lib, types.ModuleType)
    assert sorted(lib.__all__) == ["K_SEVEN", "twice"]         # no global variables
    assert lib.__spec__ is None and lib.__loader__ is None
    for name in ("__file__", "__doc__", "__module__"):
        with pytest.raises(AttributeError) as info:
            getattr(lib, name)
        assert re.match(r"cffi library '.*libopen_arrays.so' has no function, constant or "
                        r"global variable named '%s'$" % (name,), str(info.value))
    assert repr(lib).startswith("<Lib object for '")
    for name in ("twice", "open_ints", "K_SEVEN"):
        with pytest.raises(AttributeError) as info:
            delattr(lib, name)
        assert str(info.value) == "C attribute cannot be deleted"
    with pytest.raises(TypeError) as info:
        ffi.addressof(lib, 5)
    assert str(info.value) == "argument 2 must be str, not int"


def test_lib_cannot_be_copied_nor_pickled(open_lib):
    import copy
    import pickle
    ffi, lib = open_lib
    with pytest.raises(copy.Error, match="un\\(shallow\\)copyable object"):
        copy.copy(lib)
    with pytest.raises(pickle.PicklingError):
        pickle.dumps(lib)
    assert lib.twice(2) == 4


def test_lib_dict_resolves_every_name(open_lib, tmp_path, modules):
    ffi, lib = open_lib
    names = lib.__dict__
    assert sorted(names) == sorted(dir(lib))
    assert names["twice"](4) == 8 and names["K_SEVEN"] == 7
    build(tmp_path, "_ool_missing", OPEN_CDEF + "int not_in_the_library(int);")
    other = modules("_ool_missing").ffi
    lib = other.dlopen(lib.__name__[:-len(".lib")])
    with pytest.raises(other.error, match="not_in_the_library"):
        lib.__dict__


def test_writing_global_arrays_of_unknown_length(open_lib):
    """A list or tuple writes its items, a bytes also its terminating zero, a str only its
    characters; other values are the array initializer's TypeError."""
    ffi, lib = open_lib
    lib.open_ints = (7, 8)
    assert list(lib.open_ints[0:4]) == [7, 8, 3, 4]
    lib.open_chars = b"xy"
    assert ffi.unpack(lib.open_chars, 4) == b"xy\0d"
    lib.open_wide = "ab"
    assert ffi.unpack(lib.open_wide, 4) == "abwx"
    for name, value, message in [
            ("open_ints", None, "'int[]' must be a list or tuple, not NoneType"),
            ("open_ints", ffi.new("int[2]"), "'int[]' must be a list or tuple, not cdata "
                                             "'int[2]'"),
            ("open_chars", "xy", "'char[]' must be a bytes or list or tuple, not str"),
            ("open_wide", b"ab", "'wchar_t[]' must be a unicode or list or tuple, not bytes")]:
        with pytest.raises(TypeError) as info:
            setattr(lib, name, value)
        assert str(info.value) == "initializer for ctype " + message


# -- dlclose() ----
def test_closed_out_of_line_lib(ool):
    ffi, lib = ool
    assert lib.K_INT == 42 and lib.add_one(1) == 2      # resolved before closing
    ffi.dlclose(lib)
    message = r"^library '.*libconsts.so' has been closed$"
    for name in ("K_INT", "K_HELLO", "K_ORIGIN", "add_one", "counter", "K_ARRAY"):
        with pytest.raises(ffi.error, match=message) as info:
            getattr(lib, name)
        # purecffi's is also the ValueError of an in-line lib (cffi's: ffi.error only)
        assert isinstance(info.value, ValueError) is not IS_CFFI
    with pytest.raises(ffi.error, match=message):
        lib.counter = 3
    with pytest.raises(ffi.error, match=message):
        ffi.addressof(lib, "counter")
    assert (lib.RED, lib.GREEN, lib.K_DEFINE, lib.K_VALUE) == (0, 5, 99, 17)
    assert "add_one" in dir(lib)


def test_closed_inline_lib(ffi, libpath):
    ffi.cdef("int add_one(int); extern int counter; enum color { RED, GREEN = 5 };\n"
             "#define K_DEFINE 99")
    lib = ffi.dlopen(libpath)
    assert lib.add_one(1) == 2 and lib.GREEN == 5
    ffi.dlclose(lib)
    message = r"^library '.*libconsts.so' has already been closed$"
    for name in ("add_one", "counter"):
        with pytest.raises(ValueError, match=message):
            getattr(lib, name)
    with pytest.raises(ValueError, match=message):
        lib.counter = 3
    assert (lib.RED, lib.GREEN, lib.K_DEFINE) == (0, 5, 99)


# -- ffi.include() between generated modules ----
def test_lib_of_a_module_including_another(tmp_path, modules, libpath):
    base = build(tmp_path, "_ool_base", CDEF)
    build(tmp_path, "_ool_top", """
        myint_t twice(struct pt *);
        #define K_TOP 6
        enum more { BLUE = GREEN + 1 };
    """, include=[base])
    top, base_mod = modules("_ool_top"), modules("_ool_base")
    ffi = top.ffi
    assert ffi.typeof("struct pt") is base_mod.ffi.typeof("struct pt")
    assert ffi.typeof("myint_t") is ffi.typeof("int")
    assert ffi.new("struct pt *", [1, 2]).y == 2
    assert ffi.integer_const("GREEN") == 5 and ffi.integer_const("BLUE") == 6
    assert ffi.integer_const("K_DEFINE") == 99
    lib = ffi.dlopen(libpath)
    assert (lib.RED, lib.GREEN, lib.BLUE, lib.K_TOP, lib.K_DEFINE) == (0, 5, 6, 6, 99)
    for name in ("add_one", "counter", "K_INT", "K_HELLO"):
        with pytest.raises(ffi.error, match="function, global variable or non-integer "
                                            "constant '%s' must be fetched from its original "
                                            "'lib' object" % (name,)):
            getattr(lib, name)
    names = dir(lib)
    assert {"twice", "K_TOP", "BLUE", "RED", "GREEN"} <= set(names)
    assert not {"add_one", "counter", "K_INT", "K_HELLO"} & set(names)
    base_lib = base_mod.ffi.dlopen(libpath)
    assert base_lib.add_one(1) == 2 and base_lib.K_INT == 42


# -- The version of the generated module ----
VERSION_MARKER = re.compile(r"_version = 0x[0-9a-fA-F]+" if IS_CFFI else r"version=\d+\)")


def test_generated_module_checks_its_version(tmp_path, modules):
    build(tmp_path, "_ool_version", "int add_one(int);")
    path = tmp_path / "_ool_version.py"
    source = path.read_text()
    assert len(VERSION_MARKER.findall(source)) == 1
    wrong = "_version = 0x1234" if IS_CFFI else "version=1234)"
    path.write_text(VERSION_MARKER.sub(wrong, source))
    with pytest.raises(ImportError, match=r"out-of-line Python module '_ool_version' has "
                                          r"unknown version (0x)?1234"):
        modules("_ool_version")


# -- Spelling of types ----
@pytest.mark.parametrize("name, spelling", [
    ("node_t", "struct node_s"), ("struct node_s", "struct node_s"),
    ("node_t *", "struct node_s *"), ("anon_t", "anon_t"), ("anon_t *", "anon_t *"),
    ("opaque_t", "struct opaque"), ("named_e", "enum en"), ("anon_e", "anon_e"),
    ("node_t(*)(anon_t, named_e)", "struct node_s(*)(anon_t, enum en)"),
])
def test_tagged_types_are_spelled_by_their_tag(tmp_path, modules, name, spelling):
    """A generated module spells `typedef struct tag name;` as "struct tag" (cffi's compiled
    ffi does; in-line, the typedef name is used); anonymous types keep the typedef name."""
    build(tmp_path, "_ool_spelling", """
        typedef struct node_s node_t;
        struct node_s { node_t *next; };
        typedef struct { int a; } anon_t;
        typedef struct opaque opaque_t;
        typedef enum en { Y } named_e;
        typedef enum { Z } anon_e;
    """)
    ffi = modules("_ool_spelling").ffi
    assert repr(ffi.typeof(name)) == "<ctype '%s'>" % (spelling,)
    assert ffi.typeof(name).cname == spelling


# -- Lazy decoding ----
MANY = "\n".join("struct s%d { int a; struct s%d *next; double d[%d]; };\n"
                 "typedef struct s%d s%d_t;\n"
                 "int f%d(struct s%d *, int);" % ((i,) * 3 + (i, i, i, i)) for i in range(40))


def test_types_built_by_concurrent_threads_are_the_same(tmp_path, modules):
    """Threads naming the types and functions of a fresh generated ffi at the same time all
    get the same, complete types."""
    import threading
    build(tmp_path, "_ool_many", MANY)
    ffi = modules("_ool_many").ffi
    lib = ffi.dlopen(None)
    barrier = threading.Barrier(8)
    seen, errors = [], []

    def work(k):
        try:
            barrier.wait()
            mine = []
            for i in list(range(k, 40)) + list(range(k)):
                ctype = ffi.typeof("s%d_t" % (i,))
                mine.append((i, ctype, ffi.sizeof(ctype), ffi.typeof("struct s%d *" % (i,)),
                             ffi.typeof("int(*)(struct s%d *, int)" % (i,)),
                             "f%d" % (i,) in dir(lib)))
            seen.append(mine)
        except Exception as exc:                    # noqa: BLE001 (reported below)
            errors.append(exc)
    threads = [threading.Thread(target=work, args=(k * 5,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    reference = {entry[0]: entry for entry in seen[0]}
    for mine in seen:
        for i, ctype, size, pointer, function, listed in mine:
            assert ctype is reference[i][1] and pointer is reference[i][3]
            assert function is reference[i][4] and listed
            assert size == 16 + 8 * i and pointer.item is ctype
            assert [name for name, _ in ctype.fields] == ["a", "next", "d"]


@pytest.mark.skipif(IS_CFFI, reason="purecffi internals: how much is decoded")
def test_declarations_are_decoded_when_first_named(tmp_path, modules):
    build(tmp_path, "_ool_lazy", MANY)
    ffi = modules("_ool_lazy").ffi
    lib = ffi.dlopen(None)
    assert len(dir(lib)) == 40
    functions = ffi._decls.functions
    assert functions._values == {}                  # dlopen() and dir() decode nothing
    with pytest.raises(ffi.error):
        lib.f3                                      # not in libc
    assert list(functions._values) == ["f3"]
    assert ffi.sizeof("s7_t") == 16 + 8 * 7
    assert len(ffi._decls.types._values) == 1       # "s7_t" (and what it reaches: not named)


# -- C names that look like the lib object's own ----
NAMES_SOURCE = r"""
int mro(int x) { return x + 1; }
int _close(int x) { return x + 2; }
int _addressof(int x) { return x + 3; }
int _resolve(int x) { return x + 4; }
int _refresh(int x) { return x + 5; }
int _accessor(int x) { return x + 6; }
int _constant = 7;
int _variable = 8;
"""
NAMES_CDEF = """
    int mro(int); int _close(int); int _addressof(int); int _resolve(int);
    int _refresh(int); int _accessor(int);
    extern int _constant; extern int _variable;
"""


@pytest.fixture(scope="module")
def names_libpath(tmp_path_factory):
    return build_shared_library(tmp_path_factory, "libnames", NAMES_SOURCE)


@pytest.mark.parametrize("mode", ["in-line", "out-of-line"])
def test_c_names_like_the_libs_own_are_the_c_symbols(ffi, tmp_path, modules, names_libpath,
                                                     mode):
    if mode == "in-line":
        ffi.cdef(NAMES_CDEF)
        lib_ffi = ffi
    else:
        build(tmp_path, "_ool_names", NAMES_CDEF)
        lib_ffi = modules("_ool_names").ffi
    lib = lib_ffi.dlopen(names_libpath)
    calls = [getattr(lib, name)(10) for name in
             ("mro", "_close", "_addressof", "_resolve", "_refresh", "_accessor")]
    assert calls == [11, 12, 13, 14, 15, 16]
    assert (lib._constant, lib._variable) == (7, 8)
    lib._variable = 80
    assert lib._variable == 80
    assert lib_ffi.addressof(lib, "_addressof")(1) == 4
    assert lib_ffi.addressof(lib, "_variable")[0] == 80
    assert {"mro", "_close", "_variable"} <= set(dir(lib))
    lib_ffi.dlclose(lib)                 # the lib's own closing is not the C `_close`
    with pytest.raises((ValueError, getattr(lib_ffi, "error", ValueError)), match="closed"):
        lib._resolve(1)
