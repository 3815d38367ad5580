"""Which pointer cdata a pointer type accepts (fields, ffi.new initializers, call arguments,
callback results): as cffi has it, checked with a grid over item types."""
import ctypes.util

import pytest

from _backend import FFI

ITEMS = ["char", "signed char", "unsigned char", "_Bool", "int8_t", "uint8_t", "int",
         "unsigned int", "long", "float", "struct pt", "struct q", "char *", "void *", "fn_t"]
CDEF = "struct pt { int x; }; struct q { int x; }; typedef int (*fn_t)(int);"
BYTES = {"char", "signed char", "unsigned char", "_Bool", "int8_t", "uint8_t"}


def expected(target, source):
    """cffi's rule: the same item type, void * either way, or char with another byte type."""
    if target == source or "void" in (target, source):
        return True
    return "char" in (target, source) and target in BYTES and source in BYTES


def sources(ffi):
    """(item, cdata) pairs: a pointer and an array of each item type, and a void *."""
    result = [("void", ffi.cast("void *", 1))]
    for item in ITEMS:
        result.append((item, ffi.cast(ffi.typeof(item + " *"), 1)))
        result.append((item, ffi.new(item + "[2]")))
    return result


@pytest.mark.parametrize("target", ITEMS + ["void"])
def test_pointer_field_accepts_what_cffi_accepts(target):
    ffi = FFI()
    ffi.cdef(CDEF)
    for item, cdata in sources(ffi):
        holder = ffi.new(target + " * *")
        if expected(target, item):
            holder[0] = cdata
            assert int(ffi.cast("intptr_t", holder[0])) == int(ffi.cast("intptr_t", cdata))
        else:
            with pytest.raises(TypeError):
                holder[0] = cdata


def test_char_signedness_messages():
    ffi = FFI()
    with pytest.raises(TypeError) as info:
        ffi.new("unsigned char * *", ffi.new("signed char[4]"))
    assert str(info.value) == ("initializer for ctype 'unsigned char *' must be a pointer to "
                               "same type, not cdata 'signed char[4]'")
    with pytest.raises(TypeError, match="implicit cast to 'char \\*' from a different pointer"):
        ffi.new("char * *", ffi.new("int[3]"))
    with pytest.raises(TypeError, match="implicit cast from 'char \\*' to a different pointer"):
        ffi.new("int * *", ffi.new("char[3]"))


@pytest.fixture(scope="module")
def zlib_ffi():
    path = ctypes.util.find_library("z")
    if path is None:
        pytest.skip("zlib not found")
    ffi = FFI()
    ffi.cdef("unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned len);"
             "size_t strlen(const char *);")
    return ffi, ffi.dlopen(path), ffi.dlopen(ctypes.util.find_library("c"))


def test_crc32_of_from_buffer(zlib_ffi):
    ffi, zlib, libc = zlib_ffi
    data = b"hello world"
    import zlib as pyzlib
    assert zlib.crc32(0, ffi.from_buffer(data), len(data)) == pyzlib.crc32(data)
    assert zlib.crc32(0, ffi.new("char[]", data), len(data)) == pyzlib.crc32(data)
    with pytest.raises(TypeError):
        zlib.crc32(0, ffi.new("signed char[]", 3), 3)


def test_strlen_takes_signed_and_unsigned_char_arrays(zlib_ffi):
    ffi, zlib, libc = zlib_ffi
    assert libc.strlen(ffi.new("unsigned char[]", b"abc")) == 3
    assert libc.strlen(ffi.new("signed char[]", [65, 66, 0])) == 2
    with pytest.raises(TypeError):
        libc.strlen(ffi.new("int[2]"))


def test_callback_result_pointer_compatibility():
    ffi = FFI()
    buffer = ffi.new("unsigned char[4]")
    callback = ffi.callback("char *(void)", lambda: buffer)
    assert ffi.cast("intptr_t", callback()) == ffi.cast("intptr_t", buffer)


@pytest.mark.parametrize("write", [
    lambda f2, p: f2.new("struct pt **", p),
    lambda f2, p: f2.new("struct pt *", p[0]),
    lambda f2, p: f2.new("struct pt *[1]", [p]),
    lambda f2, p: f2.new("struct pt *").__setitem__(0, p[0]),
    lambda f2, p: f2.callback("int(struct pt *)", lambda x: 0)(p),
], ids=["pointer", "struct", "array-item", "item", "callback-argument"])
def test_same_spelling_from_another_ffi(write):
    """A `struct pt` of another ffi is another type: cffi says they only look the same."""
    f1, f2 = FFI(), FFI()
    f1.cdef(CDEF)
    f2.cdef(CDEF)
    p = f1.new("struct pt *")
    with pytest.raises(TypeError, match=r"^initializer for ctype 'struct pt( \*)?' appears "
                                        r"indeed to be 'struct pt( \*)?', but the types are "
                                        r"different \(check that you are not e\.g\. mixing up "
                                        r"different ffi instances\)$"):
        write(f2, p)
    assert f2.cast("struct pt *", p) == p               # an explicit cast is fine

MIXED = "(check that you are not e.g. mixing up different ffi instances)"


@pytest.mark.parametrize("target, make", [
    ("struct s", lambda other: other.new("struct s *")[0]),
    ("struct s *", lambda other: other.new("struct s *")),
    ("struct s * *", lambda other: other.new("struct s **")),
    ("struct s[1]", lambda other: other.new("struct s[1]")),
    ("enum e *", lambda other: other.new("enum e *")),
])
def test_a_cdata_of_another_ffi_with_the_same_type_name(target, make):
    """A struct (or pointer to one) of another FFI is refused, with cffi's hint."""
    ffi, other = FFI(), FFI()
    for each in (ffi, other):
        each.cdef("struct s { int a; }; enum e { E0 };")
    holder = ffi.new(ffi.typeof(target + "[1]") if not target.endswith("]")
                     else ffi.typeof("struct s[1][1]"))
    with pytest.raises(TypeError) as info:
        holder[0] = make(other)
    assert str(info.value) == ("initializer for ctype '%s' appears indeed to be '%s', but the "
                               "types are different %s" % (target, target, MIXED))


def test_a_struct_of_another_ffi_passed_by_value_or_pointer(testlib_path):
    """The same check for the arguments of functions and callbacks."""
    ffi, other = FFI(), FFI()
    for each in (ffi, other):
        each.cdef("struct tl_point { int x, y; }; int tl_point_dot(struct tl_point, "
                  "struct tl_point); void tl_point_scale(struct tl_point *, int);")
    lib = ffi.dlopen(testlib_path)
    p = other.new("struct tl_point *", [1, 2])
    with pytest.raises(TypeError, match="appears indeed to be 'struct tl_point'"):
        lib.tl_point_dot(p[0], (3, 4))
    with pytest.raises(TypeError, match=r"appears indeed to be 'struct tl_point \*'"):
        lib.tl_point_scale(p, 2)
    callback = ffi.callback("int(struct tl_point *)", lambda q: q.x)
    with pytest.raises(TypeError, match=r"appears indeed to be 'struct tl_point \*'"):
        callback(p)
    assert lib.tl_point_dot(ffi.new("struct tl_point *", [1, 2])[0], (3, 4)) == 11
