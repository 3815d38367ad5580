"""cdata and ctype classes cannot be called, copied or pickled from Python (as in cffi)."""
import copy
import pickle

import pytest


@pytest.fixture
def objects(ffi):
    """One of each kind of cdata and a few ctypes."""
    ffi.cdef("int abs(int); struct point { int x; double y; };")
    lib = ffi.dlopen(None)
    p = ffi.new("struct point *", [1, 2.5])
    return {
        "NULL": ffi.NULL,
        "new int *": ffi.new("int *", 5),
        "new int[3]": ffi.new("int[3]"),
        "new char[]": ffi.new("char[]", b"hi"),
        "new struct *": p,
        "struct item": p[0],
        "cast int": ffi.cast("int", 1),
        "cast double": ffi.cast("double", 1.5),
        "cast pointer": ffi.cast("int *", 0),
        "cast function pointer": ffi.cast("int(*)(int)", 0),
        "callback": ffi.callback("int(int)", lambda x: x),
        "lib function": lib.abs,
        "handle": ffi.new_handle(object()),
        "gc": ffi.gc(ffi.new("int *"), lambda p: None),
        "from_buffer": ffi.from_buffer(bytearray(8)),
    }


CDATA_KINDS = ["NULL", "new int *", "new int[3]", "new char[]", "new struct *", "struct item",
               "cast int", "cast double", "cast pointer", "cast function pointer", "callback",
               "lib function", "handle", "gc", "from_buffer"]


@pytest.mark.parametrize("kind", CDATA_KINDS)
@pytest.mark.parametrize("args", [(), (0,), ("int *", 0)])
def test_cdata_classes_cannot_be_called(ffi, objects, kind, args):
    cls = type(objects[kind])
    args = tuple(ffi.typeof(a) if a == "int *" else a for a in args)
    with pytest.raises(TypeError, match="cannot create '.*' instances"):
        cls(*args)


def test_null_class_with_a_type_and_address_makes_nothing(ffi):
    # the case that used to make a cdata: type(ffi.NULL)(ctype, address)
    with pytest.raises(TypeError, match="cannot create '.*' instances"):
        type(ffi.NULL)(ffi.typeof("int *"), 0)


def test_new_of_the_classes_is_refused_too(ffi):
    with pytest.raises(TypeError):
        ffi.CData.__new__(ffi.CData)
    with pytest.raises(TypeError):
        type(ffi.NULL).__new__(type(ffi.NULL))


@pytest.mark.parametrize("cdecl", ["void *", "int", "int[3]", "int(*)(int)", "struct point",
                                   "struct point *"])
def test_ctype_classes_cannot_be_called(ffi, cdecl):
    ffi.cdef("struct point { int x; double y; };")
    cls = type(ffi.typeof(cdecl))
    for args in [(), (ffi.typeof("int"),), ("point",)]:
        with pytest.raises(TypeError, match="cannot create '.*' instances"):
            cls(*args)


def test_base_classes_cannot_be_called(ffi):
    with pytest.raises(TypeError, match="cannot create '.*' instances"):
        ffi.CData()
    with pytest.raises(TypeError, match="cannot create '.*' instances"):
        ffi.CType()


@pytest.mark.parametrize("kind", CDATA_KINDS)
@pytest.mark.parametrize("how", ["copy", "deepcopy", "pickle", "pickle0", "reduce"])
def test_cdata_cannot_be_copied_or_pickled(objects, kind, how):
    obj = objects[kind]
    action = {"copy": copy.copy, "deepcopy": copy.deepcopy, "pickle": pickle.dumps,
              "pickle0": lambda x: pickle.dumps(x, 0), "reduce": lambda x: x.__reduce__()}[how]
    with pytest.raises(TypeError, match="cannot pickle '.*' object"):
        action(obj)


@pytest.mark.parametrize("how", ["copy", "deepcopy", "pickle", "reduce"])
def test_ctypes_cannot_be_copied_or_pickled(ffi, how):
    action = {"copy": copy.copy, "deepcopy": copy.deepcopy, "pickle": pickle.dumps,
              "reduce": lambda x: x.__reduce__()}[how]
    for cdecl in ["int", "int *", "int[3]", "int(*)(int)"]:
        with pytest.raises(TypeError, match="cannot pickle '.*' object"):
            action(ffi.typeof(cdecl))


def test_made_objects_still_work(ffi, objects):
    # what the runtime makes internally is unaffected by the refusal
    assert objects["new int *"][0] == 5
    assert objects["new struct *"].y == 2.5 and objects["struct item"].x == 1
    assert int(objects["cast int"]) == 1 and float(objects["cast double"]) == 1.5
    assert objects["callback"](7) == 7 and objects["lib function"](-3) == 3
    assert len(objects["new int[3]"]) == 3 and ffi.string(objects["new char[]"]) == b"hi"
    assert ffi.typeof("int *").item is ffi.typeof("int")
