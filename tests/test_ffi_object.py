"""The FFI object itself: its class, cdef() options, getctype(), dlopen() of a handle, buffers."""
import ctypes
import gc
import inspect
import os
import re

import pytest

from _backend import FFI, IS_CFFI

if IS_CFFI:
    # the ffi class of compiled modules; purecffi has one FFI class for both roles
    from _cffi_backend import FFI as BackendFFI
else:
    BackendFFI = FFI


# -- The FFI class ----
def test_null_is_a_class_attribute():
    assert repr(BackendFFI.NULL) == "<cdata 'void *' NULL>"
    assert BackendFFI().NULL == BackendFFI.NULL


def test_subclass_without_base_init_still_works():
    class FOO(BackendFFI):
        def __init__(self, x):
            self.x = x
    foo = FOO(42)
    p = foo.new("int *")
    p[0] = 7
    assert p[0] == 7 and foo.x == 42
    assert foo.sizeof("int") == 4


@pytest.mark.skipif(IS_CFFI, reason="cffi's in-line FFI needs its __init__; its compiled-module "
                                    "FFI has no cdef(): purecffi's one class does both")
def test_subclass_without_base_init_can_cdef():
    class FOO(FFI):
        def __init__(self):
            pass
    foo = FOO()
    foo.cdef("struct s { int a; };")
    assert foo.new("struct s *", [3]).a == 3


def test_every_public_method_has_a_docstring():
    missing = [name for name, value in vars(FFI).items()
               if not name.startswith("_") and inspect.isroutine(value)
               and not inspect.getdoc(getattr(FFI, name))]
    if IS_CFFI:
        pytest.skip("cffi 2.0 leaves a few methods undocumented: %s" % (missing,))
    assert missing == []


def test_ctype_and_cdata_classes_cannot_be_instantiated(ffi):
    with pytest.raises(TypeError):
        type(ffi.typeof("void *"))()
    with pytest.raises(TypeError):
        type(ffi.NULL)()
    for args in [(0,), (None, 0), ("x", 1, 2)]:
        with pytest.raises(TypeError):
            type(ffi.NULL)(*args)
    with pytest.raises(TypeError):
        type(ffi.cast("int", 5))(5)


# -- cdef() options ----
@pytest.mark.parametrize("kwds, message", [
    (dict(pack=3), "'pack' must be a power of two, not 3"),
    (dict(pack=-2), "'pack' must be a power of two, not -2"),
    (dict(packed=2), "'packed' should be False or True; use 'pack' to give another value"),
    (dict(packed="yes"), "'packed' should be False or True"),
    (dict(packed=True, pack=1), "cannot give both 'pack' and 'packed'"),
    (dict(packed=True, pack=4), "cannot give both 'pack' and 'packed'"),
])
def test_cdef_bad_packing_options(ffi, kwds, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ffi.cdef("struct s { char a; int b; };", **kwds)
    assert ffi.list_types() == ([], [], [])         # nothing was declared


@pytest.mark.parametrize("kwds, size", [
    (dict(packed=True), 5), (dict(packed=1), 5), (dict(packed=0), 8), (dict(packed=None), 8),
    (dict(pack=2), 6), (dict(pack=True), 5), (dict(packed=True, pack=0), 5)])
def test_cdef_good_packing_options(ffi, kwds, size):
    ffi.cdef("struct s { char a; int b; };", **kwds)
    assert ffi.sizeof("struct s") == size


# -- getctype() ----
@pytest.mark.parametrize("cdecl, replace_with, expected", [
    ("int", "x", "int x"),
    ("int", "*x", "int *x"),
    ("int *", "x", "int * x"),
    ("int[5]", "*", "int(*)[5]"),
    ("int(*)(int)", "*", "int(* *)(int)"),
    ("char *[3]", "[2]", "char *[2][3]"),
])
def test_getctype_replace_with_keyword(ffi, cdecl, replace_with, expected):
    assert ffi.getctype(cdecl, replace_with=replace_with) == expected
    assert ffi.getctype(cdecl, replace_with) == expected
    assert ffi.getctype(ffi.typeof(cdecl), replace_with=replace_with) == expected


@pytest.mark.skipif(IS_CFFI, reason="the 1.13 manual calls the argument `extra`; cffi 2.0 "
                                    "only knows `replace_with`: purecffi takes both")
def test_getctype_extra_keyword_of_the_manual(ffi):
    assert ffi.getctype("int", extra="*x") == "int *x"


# -- dlopen() of a handle ----
@pytest.fixture
def libc_dl(ffi):
    ffi.cdef("void *dlopen(const char *, int); double cos(double);")
    return ffi.dlopen(None)


def test_dlopen_accepts_a_void_pointer_handle(ffi, libc_dl):
    handle = libc_dl.dlopen(b"libm.so.6", ffi.RTLD_NOW)
    if handle == ffi.NULL:
        pytest.skip("no libm.so.6 here")
    lib = ffi.dlopen(handle)
    assert lib.cos(0.0) == 1.0
    ffi.dlclose(lib)
    with pytest.raises(ValueError, match=r"library '0x[0-9a-f]+' has already been closed"):
        lib.cos(0.0)


def test_dlopen_handle_must_be_a_non_null_void_pointer(ffi):
    with pytest.raises(TypeError, match=re.escape("dlopen() takes a file name or 'void *' "
                                                  "handle, not 'char *'")):
        ffi.dlopen(ffi.cast("char *", 1))
    with pytest.raises(RuntimeError, match=re.escape("cannot call dlopen(NULL)")):
        ffi.dlopen(ffi.cast("void *", 0))
    with pytest.raises(TypeError, match="already-opened 'void \\*' handle"):
        ffi.dlopen(42)


def test_dlopen_flags_must_be_an_integer(ffi):
    with pytest.raises(TypeError):
        ffi.dlopen(None, "x")


def test_lib_keeps_its_temporary_ffi_alive():
    def make():
        ffi = FFI()
        ffi.cdef("double cos(double);")
        return ffi.dlopen("libm.so.6")
    lib = make()
    gc.collect()
    assert lib.cos(0.0) == 1.0


def test_dlopened_function_repr(ffi):
    ffi.cdef("int puts(char *);")
    lib = ffi.dlopen(None)
    assert re.fullmatch(r"<cdata 'int\(\*\)\(char \*\)' 0x[0-9a-f]+>", repr(lib.puts))


# -- ffi.buffer ----
def test_buffer_of_pointer_covers_one_item(ffi):
    buf = ffi.buffer(ffi.new("short *", 100))
    assert len(buf) == 2
    assert buf[:] == (100).to_bytes(2, "little")


@pytest.mark.parametrize("other, eq, lt", [
    (b"ab\0", True, False), (bytearray(b"ab\0"), True, False), (memoryview(b"ab\0"), True, False),
    (b"b", False, True), (b"ab\0\0", False, True), (b"ab", False, False),
    (bytearray(b"a"), False, False)])
def test_buffer_compares_by_content(ffi, other, eq, lt):
    buf = ffi.buffer(ffi.new("char[]", b"ab"))
    assert (buf == other) is eq and (buf != other) is not eq
    assert (buf < other) is lt
    assert (buf <= other) is (lt or eq)
    assert (buf > other) is (not lt and not eq)
    assert (buf >= other) is (not lt)
    same = ffi.buffer(ffi.new("char[]", b"ab"))
    assert buf == same and buf <= same and buf >= same and not buf < same


def test_buffer_does_not_compare_with_other_types(ffi):
    buf = ffi.buffer(ffi.new("char[]", b"ab"))
    assert buf != "ab" and not (buf == None)     # noqa: E711
    for other in ("x", 5, None):
        with pytest.raises(TypeError):
            buf < other
    with pytest.raises(TypeError):
        hash(buf)


@pytest.mark.parametrize("action, error, message", [
    (lambda b: b[5], IndexError, "buffer index out of range"),
    (lambda b: b[::2], TypeError, "buffer doesn't support slicing with step != 1"),
    (lambda b: b.__setitem__(0, 65), TypeError, "must assign a bytes of length 1, not int"),
    (lambda b: b.__setitem__(slice(0, 1), b"123"), ValueError,
     "right operand length must match slice length"),
])
def test_buffer_item_errors(ffi, action, error, message):
    buf = ffi.buffer(ffi.new("char[]", b"ab"))
    with pytest.raises(error, match=re.escape(message)):
        action(buf)
    assert buf[-1] == b"\0" and buf[-3] == b"a"


# -- ffi.new_allocator() ----
def test_allocator_without_clearing_leaves_memory_as_alloc_gave_it(ffi):
    sizes, blocks = [], []

    def alloc(byte_size):
        sizes.append(byte_size)
        block = ffi.new("char[]", byte_size)
        ffi.memmove(block, b"\xAA" * byte_size, byte_size)
        blocks.append(block)
        return block
    new = ffi.new_allocator(alloc, None, should_clear_after_alloc=False)
    p = new("int[3]")
    q = new("short *")
    assert sizes == [12, 2]                 # once per allocation, the exact byte size
    assert list(p) == [-0x55555556] * 3 and q[0] == -0x5556
    cleared = ffi.new_allocator(alloc)("int[3]")
    assert sizes == [12, 2, 12] and list(cleared) == [0, 0, 0]


@pytest.mark.parametrize("result, error, message", [
    (42, TypeError, "alloc() must return a cdata object (got int)"),
    (None, TypeError, "alloc() must return a cdata object (got NoneType)"),
    ("cast int", TypeError, "alloc() must return a cdata pointer, not 'int'"),
    ("NULL", MemoryError, "alloc() returned NULL"),
])
def test_allocator_checks_what_alloc_returns(ffi, result, error, message):
    value = {"cast int": ffi.cast("int", 5), "NULL": ffi.NULL}.get(result, result)
    new = ffi.new_allocator(lambda byte_size: value)
    with pytest.raises(error, match=re.escape(message)):
        new("int *")


def test_allocator_free_needs_alloc(ffi):
    with pytest.raises(TypeError, match="cannot pass 'free' without 'alloc'"):
        ffi.new_allocator(None, lambda p: None)


def test_base_classes_cannot_be_instantiated(ffi):
    with pytest.raises(TypeError, match="cannot create"):
        ffi.CData()
    with pytest.raises(TypeError, match="cannot create"):
        ffi.CType()


@pytest.mark.parametrize("method, message", [
    ("new", "FFI.new() missing 1 required positional argument: 'cdecl'"),
    ("callback", "FFI.callback() missing 1 required positional argument: 'cdecl'"),
    ("gc", "FFI.gc() missing 2 required positional arguments: 'cdata' and 'destructor'"),
    ("string", "FFI.string() missing 1 required positional argument: 'cdata'"),
    ("unpack", "FFI.unpack() missing 2 required positional arguments: 'cdata' and 'length'"),
])
def test_missing_arguments_name_the_ffi_method(ffi, method, message):
    with pytest.raises(TypeError) as info:
        getattr(ffi, method)()
    assert str(info.value) == message


def test_def_extern_needs_an_api_mode_ffi(ffi):
    with pytest.raises(ValueError) as info:
        ffi.def_extern()
    assert str(info.value) == "ffi.def_extern() is only available on API-mode FFI objects"


@pytest.mark.parametrize("use", [lambda lib: lib.environ,
                                 lambda lib: setattr(lib, "environ", []),
                                 lambda lib: setattr(lib, "opterr", 1),
                                 lambda lib: lib.opterr])
def test_globals_of_a_closed_library(use):
    """Reading or writing a global of a closed library, an array of unknown length included,
    raises the closed-library ValueError (it was a NameError for the array's write)."""
    from _backend import FFI
    ffi = FFI()
    ffi.cdef("extern char *environ[]; extern int opterr;")
    lib = ffi.dlopen(None)
    ffi.dlclose(lib)
    with pytest.raises(ValueError, match=r"library '<None>' has already been closed"):
        use(lib)
