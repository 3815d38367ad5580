"""Every cdata is an instance of ffi.CData, whose class is ffi.CData or derives from it directly
(some packages take `type(x).__bases__` as "any cdata")."""
import pytest

from _backend import FFI, IS_CFFI

_CDEF = """
    struct point { int x, y; };
    struct line { struct point a, b; double w; };
    struct opaque;
    enum color { RED, GREEN };
    union u { int i; float f; };
    int abs(int);
    size_t strlen(const char *);
"""


@pytest.fixture
def env():
    ffi = FFI()
    ffi.cdef(_CDEF)
    return ffi, ffi.dlopen(None)


def _all_kinds(ffi, lib):
    """(description, cdata) for every way of getting a cdata."""
    p = ffi.new("struct point *", [1, 2])
    line = ffi.new("struct line *")
    arr = ffi.new("int[4]", [1, 2, 3, 4])
    lines = ffi.new("struct line[2]")
    pp = ffi.new("int **")
    pp[0] = arr
    data = bytearray(16)
    return [
        ("new uint8_t[1]", ffi.new("uint8_t[1]")),
        ("new int *", ffi.new("int *")),
        ("new int[]", ffi.new("int[]", 3)),
        ("new char[] from bytes", ffi.new("char[]", b"abc")),
        ("new double[2]", ffi.new("double[2]")),
        ("new struct *", p),
        ("new union *", ffi.new("union u *")),
        ("p[0] of a struct *", p[0]),
        ("nested struct field", line.a),
        ("nested struct field of p[0]", line[0].b),
        ("array of structs item", lines[1]),
        ("array item's nested field", lines[1].a),
        ("pointer read from memory", pp[0]),
        ("p + 1", arr + 1),
        ("slice", arr[1:3]),
        ("cast int", ffi.cast("int", 42)),
        ("cast enum", ffi.cast("enum color", 1)),
        ("cast double", ffi.cast("double", 1.5)),
        ("cast long double", ffi.cast("long double", 1.5)),
        ("cast char", ffi.cast("char", 65)),
        ("cast pointer", ffi.cast("int *", 0)),
        ("cast opaque struct pointer", ffi.cast("struct opaque *", 0)),
        ("cast function pointer", ffi.cast("int(*)(int)", 0)),
        ("NULL", ffi.NULL),
        ("from_buffer", ffi.from_buffer(data)),
        ("from_buffer typed", ffi.from_buffer("int[]", data)),
        ("gc", ffi.gc(ffi.new("int *"), lambda x: None)),
        ("callback", ffi.callback("int(int)", lambda x: x)),
        ("new_handle", ffi.new_handle(data)),
        ("addressof field", ffi.addressof(p, "y")),
        ("lib function", lib.abs),
    ]


# cffi's own classes for these two derive from its owning class, itself derived from CData
_INDIRECT_IN_CFFI = {"callback", "new_handle"} if IS_CFFI else set()


def test_every_cdata_derives_directly_from_cdata(env):
    ffi, lib = env
    wrong = []
    for name, value in _all_kinds(ffi, lib):
        cls = type(value)
        if not isinstance(value, ffi.CData):
            wrong.append((name, "not an instance"))
        elif name in _INDIRECT_IN_CFFI:
            continue
        elif cls is not ffi.CData and ffi.CData not in cls.__bases__:
            wrong.append((name, cls.__bases__))
    assert wrong == []


def test_in_line_cdata_classes_have_cdata_as_only_base(env):
    ffi, lib = env
    wrong = []
    for name, value in _all_kinds(ffi, lib):
        cls = type(value)
        if name == "lib function" and not IS_CFFI or name in _INDIRECT_IN_CFFI:
            continue        # also a ctypes function: (CData, CFuncPtr), tested above
        if cls is not ffi.CData and cls.__bases__ != (ffi.CData,):
            wrong.append((name, cls.__bases__))
    assert wrong == []


def test_the_issue_example(env):
    ffi, _ = env
    assert type(ffi.new("uint8_t[1]")).__bases__ == (ffi.CData,)


def test_non_cdata_are_not_cdata(env):
    ffi, _ = env
    for value in (1, b"x", None, ffi.typeof("int"), bytearray(1), ffi.buffer(ffi.new("int *"))):
        assert not isinstance(value, ffi.CData)


@pytest.mark.parametrize("make", [
    lambda ffi: ffi.new("int *"), lambda ffi: ffi.cast("int", 3),
    lambda ffi: ffi.new("struct { int x; } *")[0], lambda ffi: ffi.cast("int(*)(int)", 0),
    lambda ffi: ffi.callback("int(int)", lambda x: x), lambda ffi: ffi.new("int[2]")])
def test_every_cdata_is_named_cdata(make):
    """`x.__name__` is '<cdata>' for any cdata, as cffi's (the class keeps its own name)."""
    ffi = FFI()
    assert make(ffi).__name__ == "<cdata>"
    assert ffi.CData.__name__ != "<cdata>"


# field names that are also names of what purecffi's cdata classes have (slots, methods,
# dunders): such a struct is made, filled and read as any other (purecffi reads these fields
# by attribute as its own attributes: docs/design.md; cffi reads the fields)
_CLASHING = ["_ctype", "_addr", "_keep", "_length", "_owning", "_families", "_v", "_v_i",
             "__repr__", "__slots__", "__class__", "__getattr__", "_item_size", "_decay"]


@pytest.mark.parametrize("name", _CLASHING)
def test_a_struct_with_a_field_named_as_a_cdata_attribute_works(name):
    ffi = FFI()
    ffi.cdef("struct s { int a; int %s; struct s *next; int arr[2]; };"
             "struct t { struct s inner; int %s; };" % (name, name))
    p = ffi.new("struct s *", {"a": 4, name: 3, "arr": [5, 6]})
    assert (p.a, p[0].a, list(p.arr), p.next) == (4, 4, [5, 6], ffi.NULL)
    assert repr(p).startswith("<cdata 'struct s *' owning")
    p.a = 9
    assert ffi.cast("struct s *", p).a == 9
    assert ffi.unpack(ffi.cast("int *", p), 2) == [9, 3]    # the field was written
    t = ffi.new("struct t *", [[1, 2], 7])
    assert (t.inner.a, ffi.new("struct s[2]")[1].a) == (1, 0)
    assert ffi.offsetof("struct s", name) == ffi.sizeof("int")


@pytest.mark.skipif(IS_CFFI, reason="purecffi's own class attributes")
def test_every_attribute_set_on_a_cdata_class_later_is_reserved_from_fields():
    """Fields named as what the runtime sets on a cdata class after making it (with
    type.__setattr__) get no attribute: each such name must be in the reserved set."""
    import os
    import re
    import purecffi
    from purecffi.cdata_classes import _RESERVED
    directory = os.path.dirname(purecffi.__file__)
    names = set()
    for name in os.listdir(directory):
        if name.endswith(".py"):
            with open(os.path.join(directory, name)) as source:
                names.update(re.findall(r'type\.__setattr__\([\w.]+, "(\w+)"', source.read()))
    assert names and names <= _RESERVED, names - _RESERVED
