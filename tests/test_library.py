"""In-line ABI mode library objects: ffi.dlopen()/dlclose(), symbols, globals and constants."""
import ctypes.util
import os

import pytest

from _backend import IS_CFFI


def _find_library(name):
    path = ctypes.util.find_library(name)
    if path is None:
        pytest.skip("ctypes.util.find_library(%r) finds nothing here" % name)
    return path


@pytest.fixture
def restore_globals(testlib):
    """Snapshot the mutable globals of testlib.c and restore them after the test."""
    saved = (testlib.tl_counter, testlib.tl_ratio, testlib.tl_origin.x,
             testlib.tl_origin.y, list(testlib.tl_table))
    yield testlib
    testlib.tl_counter, testlib.tl_ratio = saved[0], saved[1]
    testlib.tl_origin.x, testlib.tl_origin.y = saved[2], saved[3]
    for i, v in enumerate(saved[4]):
        testlib.tl_table[i] = v
    testlib.tl_table_ptr = testlib.tl_table + 2


# --------------------------------------------------------------------------
# dlopen
# --------------------------------------------------------------------------

def test_dlopen_path_gives_callable_functions(ffi, testlib_path):
    ffi.cdef("int tl_add_int(int a, int b); int tl_return_42(void);")
    lib = ffi.dlopen(testlib_path)
    assert lib.tl_add_int(40, 2) == 42
    assert lib.tl_add_int(-5, 3) == -2
    assert lib.tl_return_42() == 42


def test_dlopen_none_gives_the_c_library(ffi):
    """ffi.dlopen(None) loads the standard C library namespace (5.2.1)."""
    ffi.cdef("size_t strlen(const char *); int abs(int); int atoi(const char *);")
    C = ffi.dlopen(None)
    assert C.strlen(b"hello world") == 11
    assert C.abs(-17) == 17
    assert C.atoi(b"  -1234xyz") == -1234


def test_dlopen_none_printf_example(ffi, capfd):
    """The printf() example of the overview, with a char[] and a char* argument."""
    ffi.cdef("int printf(const char *format, ...); int fflush(FILE *);")
    C = ffi.dlopen(None)
    arg = ffi.new("char[]", b"world")
    n = C.printf(b"hi there, %s.\n", arg)
    C.fflush(ffi.NULL)
    assert n == 17
    assert "hi there, world.\n" in capfd.readouterr().out


@pytest.mark.parametrize("name, decl, call, expected", [
    ("m", "double cos(double); double sqrt(double);", lambda L: L.sqrt(2.25), 1.5),
    ("c", "size_t strlen(const char *);", lambda L: L.strlen(b"abcd"), 4),
])
def test_dlopen_short_name_uses_find_library(ffi, name, decl, call, expected):
    """In-line dlopen() falls back to ctypes.util.find_library() for names like "m"."""
    _find_library(name)
    ffi.cdef(decl)
    lib = ffi.dlopen(name)
    assert call(lib) == expected


def test_dlopen_soname(ffi):
    """A bare file name (no directory) is searched like man dlopen(3) says."""
    soname = _find_library("m")
    ffi.cdef("double floor(double);")
    lib = ffi.dlopen(soname)
    assert lib.floor(-2.5) == -3.0


def test_rtld_constants_match_os_module(ffi):
    for name in ("RTLD_LAZY", "RTLD_NOW", "RTLD_GLOBAL", "RTLD_LOCAL"):
        assert getattr(ffi, name) == getattr(os, name), name


@pytest.mark.parametrize("flags", ["RTLD_NOW", "RTLD_LAZY", "RTLD_NOW|RTLD_LOCAL",
                                   "RTLD_LAZY|RTLD_LOCAL"])
def test_dlopen_with_flags(ffi, testlib_path, flags):
    value = 0
    for f in flags.split("|"):
        value |= getattr(ffi, f)
    ffi.cdef("int tl_add_int(int a, int b);")
    lib = ffi.dlopen(testlib_path, value)
    assert lib.tl_add_int(2, 3) == 5


@pytest.mark.parametrize("flags, message", [
    (1 << 31, "signed integer is greater than maximum"),
    (-(1 << 31) - 1, "signed integer is less than minimum"),
    (1 << 63, "Python int too large to convert to C long"),
    (-(1 << 70), "Python int too large to convert to C long"),
])
def test_dlopen_flags_beyond_a_c_int(ffi, testlib_path, flags, message):
    with pytest.raises(OverflowError) as info:
        ffi.dlopen(testlib_path, flags)
    assert str(info.value) == message


def test_dlopen_rtld_global_exports_symbols(ffi, testlib_path):
    """With RTLD_NOW|RTLD_GLOBAL the symbols become visible through dlopen(None)."""
    ffi.cdef("int tl_add_int(int a, int b);")
    lib = ffi.dlopen(testlib_path, ffi.RTLD_NOW | ffi.RTLD_GLOBAL)
    assert lib.tl_add_int(20, 22) == 42
    everything = ffi.dlopen(None)
    assert everything.tl_add_int(1, 2) == 3


def test_dlopen_missing_path_raises_oserror(ffi, tmp_path):
    missing = str(tmp_path / "no_such_library.so")
    with pytest.raises(OSError) as excinfo:
        ffi.dlopen(missing)
    assert "no_such_library" in str(excinfo.value)


def test_dlopen_unknown_name_raises_oserror(ffi):
    with pytest.raises(OSError) as excinfo:
        ffi.dlopen("purecffi_no_such_lib_zzz")
    assert "purecffi_no_such_lib_zzz" in str(excinfo.value)


def test_dlopen_non_library_file_raises_oserror(ffi, tmp_path):
    bogus = tmp_path / "libbogus.so"
    bogus.write_text("this is not an ELF file\n")
    with pytest.raises(OSError):
        ffi.dlopen(str(bogus))


def test_dlopen_rejects_non_string_name(ffi):
    with pytest.raises(TypeError):
        ffi.dlopen(42)


def test_dlopen_refuses_a_name_with_a_null_character(ffi):
    with pytest.raises(TypeError) as info:
        ffi.dlopen("libc.so.6\0x")
    assert str(info.value) == ("load_library() argument 1 must be encoded string without null "
                               "bytes, not str")                     # (cffi's words)


def test_dir_of_lib_leaves_out_defines_only_api_mode_can_give(ffi):
    ffi.cdef("#define DOTS ...\n#define ONE 1\nenum e2 { X, Y = 2, ... };\n"
             "static const double D;\nint abs(int);")
    lib = ffi.dlopen(None)
    assert dir(lib) == ["D", "ONE", "X", "Y", "abs"]
    with pytest.raises(AttributeError):
        lib.DOTS


def test_dlopen_twice_gives_working_libs_sharing_globals(ffi, testlib_path):
    ffi.cdef("extern int tl_counter; int tl_get_counter(void);")
    lib1 = ffi.dlopen(testlib_path)
    lib2 = ffi.dlopen(testlib_path)
    saved = lib1.tl_counter
    try:
        lib1.tl_counter = 1234
        assert lib2.tl_counter == 1234
        assert lib2.tl_get_counter() == 1234
    finally:
        lib1.tl_counter = saved


def test_one_cdef_for_several_libraries(ffi, testlib_path):
    """A single cdef() may declare functions of several libraries (8.2)."""
    ffi.cdef("size_t strlen(const char *); int tl_add_int(int, int);")
    libc = ffi.dlopen(None)
    tl = ffi.dlopen(testlib_path)
    assert libc.strlen(b"xyz") == 3
    assert tl.tl_add_int(1, 1) == 2


# --------------------------------------------------------------------------
# symbols
# --------------------------------------------------------------------------

def test_missing_function_fails_only_when_accessed(ffi, testlib_path):
    ffi.cdef("int tl_add_int(int, int); int tl_no_such_function(int);")
    lib = ffi.dlopen(testlib_path)          # no error yet
    assert lib.tl_add_int(1, 2) == 3
    with pytest.raises(AttributeError) as excinfo:
        lib.tl_no_such_function
    assert "tl_no_such_function" in str(excinfo.value)


@pytest.mark.skipif(IS_CFFI, reason="cffi 2.0 raises KeyError for a missing variable")
def test_missing_variable_raises_attribute_error(ffi, testlib_path):
    ffi.cdef("extern int tl_no_such_variable; int tl_add_int(int, int);")
    lib = ffi.dlopen(testlib_path)
    assert lib.tl_add_int(1, 2) == 3
    with pytest.raises(AttributeError) as excinfo:
        lib.tl_no_such_variable
    assert "tl_no_such_variable" in str(excinfo.value)


def test_missing_variable_error_names_it(ffi, testlib_path):
    ffi.cdef("extern int tl_no_such_variable;")
    lib = ffi.dlopen(testlib_path)
    with pytest.raises(Exception) as excinfo:
        lib.tl_no_such_variable
    assert "tl_no_such_variable" in str(excinfo.value)


def test_undeclared_symbol_is_not_visible(ffi, testlib_path):
    """Only names declared in cdef() exist on lib, even if the library exports more."""
    ffi.cdef("int tl_add_int(int, int);")
    lib = ffi.dlopen(testlib_path)
    with pytest.raises(AttributeError):
        lib.tl_return_42


def test_types_do_not_live_on_lib(testlib):
    with pytest.raises(AttributeError):
        testlib.tl_point


def test_lib_function_is_function_pointer_cdata(ffi, testlib):
    f = testlib.tl_add_int
    assert isinstance(f, ffi.CData)
    assert ffi.typeof(f) == ffi.typeof("int(*)(int, int)")
    assert repr(f).startswith("<cdata 'int(*)(int, int)' 0x")


def test_lib_function_ctype_introspection(ffi, testlib):
    t = ffi.typeof(testlib.tl_mixed_args)
    assert t.kind == "function"
    assert t.result is ffi.typeof("double")
    assert [a.cname for a in t.args] == ["int8_t", "uint16_t", "int32_t", "int64_t",
                                         "float", "double", "unsigned char", "long long"]
    assert t.ellipsis is False
    assert ffi.typeof(testlib.tl_vsum).ellipsis is True


def test_lib_function_equals_its_address(ffi, testlib):
    p = ffi.addressof(testlib, "tl_add_int")
    assert ffi.typeof(p) == ffi.typeof("int(*)(int, int)")
    assert p == testlib.tl_add_int
    assert p(4, 5) == 9
    assert ffi.cast("intptr_t", p) != 0


def test_function_pointer_passed_back_to_c(ffi, testlib):
    """lib functions are ordinary function pointers: C can call them."""
    mul = testlib.tl_get_op(b"*")
    assert testlib.tl_call_binop(mul, 6, 7) == 42
    add = ffi.addressof(testlib, "tl_add_int")
    assert testlib.tl_call_binop(add, 6, 7) == 13


# --------------------------------------------------------------------------
# global variables
# --------------------------------------------------------------------------

def test_global_int_read_write(restore_globals):
    lib = restore_globals
    lib.tl_counter = 11
    assert lib.tl_counter == 11
    assert lib.tl_get_counter() == 11
    assert lib.tl_bump_counter(5) == 16
    assert lib.tl_counter == 16
    assert type(lib.tl_counter) is int


def test_global_double_read_write(restore_globals):
    lib = restore_globals
    lib.tl_ratio = 0.125
    assert lib.tl_get_ratio() == 0.125
    lib.tl_ratio = 3          # an int is fine for a double
    assert lib.tl_ratio == 3.0 and type(lib.tl_ratio) is float


def test_global_struct_read_write(ffi, restore_globals):
    lib = restore_globals
    assert ffi.typeof(lib.tl_origin) == ffi.typeof("struct tl_point")
    lib.tl_origin.x = 9
    lib.tl_origin.y = 2
    assert lib.tl_origin_sum() == 92
    lib.tl_origin = {"x": 5, "y": 6}
    assert (lib.tl_origin.x, lib.tl_origin.y) == (5, 6)
    assert lib.tl_origin_sum() == 56


def test_global_array(ffi, restore_globals):
    lib = restore_globals
    assert ffi.typeof(lib.tl_table) == ffi.typeof("int[5]")
    assert len(lib.tl_table) == 5
    middle = lib.tl_table[1] + lib.tl_table[2] + lib.tl_table[3]
    lib.tl_table[0] = 100
    lib.tl_table[4] = -1
    assert lib.tl_table_sum() == 100 + middle - 1
    lib.tl_table = [1, 2, 3, 4, 5]
    assert list(lib.tl_table) == [1, 2, 3, 4, 5]
    assert lib.tl_table_sum() == 15


def test_global_pointer(ffi, restore_globals):
    lib = restore_globals
    assert ffi.typeof(lib.tl_table_ptr) == ffi.typeof("int *")
    assert lib.tl_table_ptr == lib.tl_table + 2
    lib.tl_table[4] = 777
    lib.tl_table_ptr = lib.tl_table + 4
    assert lib.tl_table_ptr_value() == 777
    assert lib.tl_table_ptr[0] == 777


def test_global_pointer_to_const_char_is_a_variable(ffi, testlib):
    """`const char *x;` is a variable holding a pointer to const data (8.7)."""
    assert ffi.typeof(testlib.tl_name) == ffi.typeof("char *")
    assert ffi.string(testlib.tl_name) == b"testlib"


def test_global_function_pointer(ffi, testlib):
    assert ffi.typeof(testlib.tl_global_fn) == ffi.typeof("int(*)(int)")
    testlib.tl_global_fn = ffi.NULL
    assert testlib.tl_global_fn == ffi.NULL
    assert testlib.tl_call_global_fn(3) == -1


def test_global_long_double(ffi, testlib):
    v = testlib.tl_ld_global
    assert ffi.typeof(v) == ffi.typeof("long double")
    assert float(v) == 0.1


@pytest.mark.parametrize("value, exc", [("x", TypeError), (1.5, TypeError),
                                        (2 ** 40, OverflowError), (None, TypeError)])
def test_global_int_bad_values(restore_globals, value, exc):
    lib = restore_globals
    before = lib.tl_counter
    with pytest.raises(exc):
        lib.tl_counter = value
    assert lib.tl_counter == before


def test_const_global_is_not_writable(ffi, testlib_path):
    """`const int x;` declares a constant, not a variable: it can't be assigned.

    Reading it from a dlopen()ed library is either supported (giving the C value)
    or refused with NotImplementedError, as cffi does.
    """
    ffi.cdef("extern const int tl_const_answer;")
    lib = ffi.dlopen(testlib_path)
    try:
        value = lib.tl_const_answer
    except NotImplementedError as e:
        assert "tl_const_answer" in str(e)
    else:
        assert value == 42
    with pytest.raises((AttributeError, NotImplementedError)):
        lib.tl_const_answer = 5


def test_addressof_global_int(ffi, restore_globals):
    lib = restore_globals
    p = ffi.addressof(lib, "tl_counter")
    assert ffi.typeof(p) == ffi.typeof("int *")
    p[0] = 4321
    assert lib.tl_get_counter() == 4321
    assert lib.tl_counter == 4321


def test_addressof_global_struct(ffi, restore_globals):
    lib = restore_globals
    p = ffi.addressof(lib, "tl_origin")
    assert ffi.typeof(p) == ffi.typeof("struct tl_point *")
    p.x = 1
    p.y = 7
    assert lib.tl_origin_sum() == 17


def test_addressof_global_array(ffi, restore_globals):
    lib = restore_globals
    p = ffi.addressof(lib, "tl_table")
    p[1] = 99
    assert lib.tl_table[1] == 99


def test_addressof_missing_name(ffi, testlib):
    with pytest.raises(AttributeError):
        ffi.addressof(testlib, "tl_not_declared_anywhere")


# --------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name, value", [("TL_MAGIC", 0x1234), ("TL_NEGATIVE", -17),
                                         ("TL_RED", 0), ("TL_GREEN", 5), ("TL_BLUE", 6)])
def test_integer_constants_on_lib(testlib, name, value):
    got = getattr(testlib, name)
    assert got == value
    assert type(got) is int


def test_define_matches_c_value(testlib):
    assert testlib.TL_MAGIC == testlib.tl_magic()


def test_enum_constants_match_c(testlib):
    assert testlib.tl_next_color(testlib.TL_RED) == testlib.TL_GREEN
    assert testlib.tl_next_color(testlib.TL_GREEN) == testlib.TL_BLUE


def test_constants_need_no_symbol(ffi):
    """#define and enum constants come from the cdef, not from the library."""
    ffi.cdef("#define PURE_ANSWER 42\nenum purecffi_e { PE_A = -3, PE_B };")
    C = ffi.dlopen(None)
    assert C.PURE_ANSWER == 42
    assert (C.PE_A, C.PE_B) == (-3, -2)


# --------------------------------------------------------------------------
# dir(), read-only-ness, dlclose
# --------------------------------------------------------------------------

def test_dir_lists_declared_names(ffi, testlib_path):
    ffi.cdef("""
        int tl_add_int(int, int);
        extern int tl_counter;
        #define TL_MAGIC 0x1234
        enum tl_color { TL_RED, TL_GREEN = 5, TL_BLUE };
        struct tl_point { int x, y; };
    """)
    lib = ffi.dlopen(testlib_path)
    names = sorted(n for n in dir(lib) if not n.startswith("_"))
    assert names == ["TL_BLUE", "TL_GREEN", "TL_MAGIC", "TL_RED", "tl_add_int", "tl_counter"]


@pytest.mark.skipif(IS_CFFI, reason="cffi's copy of an in-line lib recurses without end on "
                                    "names not read before the copy")
def test_copy_of_lib_works_as_the_lib(testlib):
    """copy.copy() and copy.deepcopy() of a lib give the lib itself (it is its library)."""
    import copy
    for twin in (copy.copy(testlib), copy.deepcopy(testlib)):
        assert twin.tl_add_int(2, 3) == 5
        assert twin.TL_MAGIC == 0x1234
        twin.tl_counter = 41
        assert testlib.tl_get_counter() == 41


def test_dir_of_full_testlib(testlib):
    names = set(dir(testlib))
    for expected in ("tl_apply_n", "tl_vsum", "tl_table", "tl_origin", "TL_BLUE"):
        assert expected in names
    assert "tl_point" not in names
    assert "tl_intfn" not in names


def test_every_declared_name_resolves(testlib):
    """Sanity check that clib/testlib_cdef.py matches the compiled testlib.c."""
    names = [n for n in dir(testlib) if not n.startswith("_")]
    assert len(names) > 150
    for name in names:
        getattr(testlib, name)


@pytest.mark.skipif(IS_CFFI, reason="cffi 2.0 hits a RecursionError instead of AttributeError")
@pytest.mark.parametrize("name", ["tl_add_int", "TL_MAGIC", "TL_RED"])
def test_functions_and_constants_are_read_only(testlib, name):
    before = getattr(testlib, name)
    with pytest.raises(AttributeError):
        setattr(testlib, name, 3)
    assert getattr(testlib, name) == before


def test_cannot_add_new_attributes_to_lib(testlib):
    with pytest.raises(AttributeError):
        testlib.tl_brand_new_name = 3
    with pytest.raises(AttributeError):
        testlib.tl_brand_new_name


@pytest.mark.parametrize("name", ["tl_add_int", "tl_counter", "tl_origin"])
def test_dlclose_then_access_raises_valueerror(ffi, testlib, name):
    getattr(testlib, name)       # fine while open
    ffi.dlclose(testlib)
    with pytest.raises(ValueError) as excinfo:
        getattr(testlib, name)
    assert "closed" in str(excinfo.value)


def test_dlclose_then_write_raises_valueerror(ffi, testlib_path):
    ffi.cdef("extern int tl_counter;")
    lib = ffi.dlopen(testlib_path)
    ffi.dlclose(lib)
    with pytest.raises(ValueError):
        lib.tl_counter = 3


def test_cdef_override_replaces_an_already_used_function(ffi, testlib_path):
    """A function already resolved (and cached on the lib) follows a later override=True."""
    ffi.cdef("int tl_id_int(int);")
    lib = ffi.dlopen(testlib_path)
    assert lib.tl_id_int(-5) == -5
    ffi.cdef("unsigned int tl_id_int(unsigned int);", override=True)
    assert ffi.typeof(lib.tl_id_int) is ffi.typeof("unsigned int(*)(unsigned int)")
    assert lib.tl_id_int(2 ** 32 - 5) == 2 ** 32 - 5
    with pytest.raises(OverflowError):
        lib.tl_id_int(-5)


def test_vars_of_lib_does_not_change_lookups(ffi, testlib_path):
    """Looking at the lib's __dict__ (which materialises it) keeps every name working."""
    ffi.cdef("int tl_add_int(int, int);\nextern int tl_counter;\n#define TL_MAGIC 0x1234")
    lib = ffi.dlopen(testlib_path)
    assert lib.tl_add_int(1, 2) == 3 and lib.TL_MAGIC == 0x1234
    assert "tl_add_int" in vars(lib)
    lib.tl_counter = 7
    assert lib.tl_counter == 7 and lib.tl_add_int(3, 4) == 7
    ffi.dlclose(lib)
    with pytest.raises(ValueError):
        lib.tl_add_int


def test_dlclose_does_not_break_other_lib_objects(ffi, testlib_path):
    ffi.cdef("int tl_add_int(int, int);")
    lib1 = ffi.dlopen(testlib_path)
    lib2 = ffi.dlopen(testlib_path)
    ffi.dlclose(lib1)
    assert lib2.tl_add_int(3, 4) == 7


# --------------------------------------------------------------------------
# overview example 5.2.2 (struct/array, no library needed)
# --------------------------------------------------------------------------

def test_overview_pixel_image_example(ffi, tmp_path):
    ffi.cdef("typedef struct { unsigned char r, g, b; } pixel_t;")
    data = tmp_path / "data"
    data.write_bytes(bytes(range(256)) * 3 * 4)            # 1024 pixels
    image = ffi.new("pixel_t[]", 1024)
    with open(data, "rb") as f:
        assert f.readinto(ffi.buffer(image)) == 3072
    assert (image[1].r, image[1].g, image[1].b) == (3, 4, 5)
    image[100].r = 255
    image[100].g = 192
    image[100].b = 128
    with open(data, "wb") as f:
        f.write(ffi.buffer(image))
    raw = data.read_bytes()
    assert len(raw) == 3072
    assert raw[300:303] == bytes([255, 192, 128])
    assert raw[:3] == bytes([0, 1, 2])


@pytest.mark.parametrize("statement", ["f.x = 1", "f.restype = None", "f.argtypes = ()",
                                       "f.errcheck = None", "f.__name__ = 'g'", "del f.x"])
def test_lib_function_attributes_cannot_be_set(ffi, statement):
    """A lib function is a cdata: it has no attributes to set (ctypes' restype, argtypes and
    errcheck included: changing them would change what the call returns)."""
    ffi.cdef("int abs(int);")
    f = ffi.dlopen(None).abs
    with pytest.raises(AttributeError, match=r"cdata 'int\(\*\)\(int\)' has no attribute"):
        exec(statement, {"f": f})
    assert f(-4) == 4
    g = ffi.cast("int(*)(int)", f)
    with pytest.raises(AttributeError):     # (the message is Python's: see docs/design.md)
        exec(statement, {"f": g})
    assert g(-5) == 5


def test_unreadable_constant_refuses_writes_as_reads(ffi):
    # `extern const int` is a constant in-line mode cannot read: writing it says the same
    ffi.cdef("extern const int opterr;")
    lib = ffi.dlopen(None)
    message = "non-integer constant 'opterr' cannot be accessed from a dlopen() library"
    for action in (lambda: lib.opterr, lambda: setattr(lib, "opterr", 5)):
        with pytest.raises(NotImplementedError) as info:
            action()
        assert str(info.value) == message


@pytest.mark.parametrize("name", ["zz", "abs", "opterr", "FOO", "RR"])
def test_deleting_a_name_of_an_inline_lib_is_refused_as_cffi(ffi, name):
    # an in-line lib's class is FFILibrary, as cffi's, which the messages name
    ffi.cdef("int abs(int); extern int opterr;\n#define FOO 5\nenum e { RR };")
    lib = ffi.dlopen(None)
    assert type(lib).__name__ == "FFILibrary"
    with pytest.raises(AttributeError) as info:
        delattr(lib, name)
    assert str(info.value) == "'FFILibrary' object has no attribute '%s'" % (name,)
    assert lib.abs(-2) == 2 and lib.FOO == 5 and lib.RR == 0
