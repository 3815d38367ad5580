"""The classes of cdata, ctypes, fields and buffers are named as cffi's C classes: their repr
('<class '_cffi_backend.__CDataOwn'>'), __name__, and the '_cffi_backend.X' name in the
messages Python itself writes (an operator or a conversion a cdata lacks).  A long double
cdata refuses comparisons, as cffi's.  Validated against cffi with PURECFFI_TEST_AGAINST=cffi.

Where purecffi differs (docs/design.md): what ffi.gc() and ffi.from_buffer() return is of the
class of any cdata of its type, so Python's messages name it '_CDataBase' where cffi's name
'__CDataGCP' or '__CDataFromBuf' (purecffi's own messages name cffi's class); an attribute a
cdata lacks gets Python's message.
"""
import operator
import pickle

import pytest

from _backend import FFI

CDEF = "struct pt { int x; int y; }; union un { int i; double d; }; int abs(int);"


@pytest.fixture(scope="module")
def ffi():
    ffi = FFI()
    ffi.cdef(CDEF)
    return ffi


# (what is made, cffi's class of it)
OBJECTS = [
    ('ffi.new("int *")', "__CDataOwn"),
    ('ffi.new("int[3]")', "__CDataOwn"),
    ('ffi.new("char[]", b"ab")', "__CDataOwn"),
    ('ffi.new("struct pt *")', "__CDataOwn"),
    ('ffi.new("struct pt *")[0]', "__CDataOwn"),
    ('ffi.new("union un *")', "__CDataOwn"),
    ('ffi.new("struct pt[2]")', "__CDataOwn"),
    ('ffi.new_allocator()("int *")', "__CDataOwn"),
    ('ffi.cast("int", 1)', "_CDataBase"),
    ('ffi.cast("double", 1.5)', "_CDataBase"),
    ('ffi.cast("char", 1)', "_CDataBase"),
    ('ffi.cast("int *", 0)', "_CDataBase"),
    ('ffi.cast("int(*)(int)", 0)', "_CDataBase"),
    ('ffi.new("int[3]") + 1', "_CDataBase"),
    ('ffi.new("int[3]")[0:2]', "_CDataBase"),
    ('ffi.new("int *[2]")[0]', "_CDataBase"),
    ('ffi.addressof(ffi.new("struct pt *")[0])', "_CDataBase"),
    ('ffi.NULL', "_CDataBase"),
    ('ffi.new_handle(3)', "__CDataOwnGC"),
    ('ffi.callback("int(int)", lambda x: x)', "__CDataOwnGC"),
    ('ffi.dlopen(None).abs', "_CDataBase"),
]


def _outcome(action):
    try:
        return "OK %r" % (action(),)
    except Exception as exc:
        return "%s: %s" % (type(exc).__name__, exc)


@pytest.mark.parametrize("made, name", OBJECTS)
def test_a_cdata_class_is_named_as_cffis(ffi, made, name):
    cls = type(eval(made))
    assert cls.__name__ == cls.__qualname__ == name
    assert cls.__module__ == "_cffi_backend"
    assert repr(cls) == "<class '_cffi_backend.%s'>" % (name,)


# what Python writes of an object whose class lacks an operation: "%s" is the type's name
PYTHON_MESSAGES = [
    (lambda x: x < {}, TypeError, "'<' not supported between instances of '%s' and 'dict'"),
    (lambda x: [1][x], TypeError, "list indices must be integers or slices, not %s"),
    (lambda x: x * 2, TypeError, "unsupported operand type(s) for *: '%s' and 'int'"),
    (lambda x: -x, TypeError, "bad operand type for unary -: '%s'"),
    (lambda x: abs(x), TypeError, "bad operand type for abs(): '%s'"),
    (lambda x: divmod(x, 2), TypeError,
     "unsupported operand type(s) for divmod(): '%s' and 'int'"),
    (lambda x: 1 in x, TypeError, "argument of type '%s' is not iterable"),
    (lambda x: round(x), TypeError, "type %s doesn't define __round__ method"),
    (lambda x: operator.index(x), TypeError, "'%s' object cannot be interpreted as an integer"),
]

MESSAGE_OBJECTS = [made for made, _ in OBJECTS if made not in (
    'ffi.cast("int", 1)', 'ffi.cast("double", 1.5)', 'ffi.cast("char", 1)',   # numbers
    'ffi.new("int[3]")', 'ffi.new("char[]", b"ab")', 'ffi.new("struct pt[2]")',  # iterable
    'ffi.new("int[3]")[0:2]')]


@pytest.mark.parametrize("made", MESSAGE_OBJECTS)
@pytest.mark.parametrize("action, error, message", PYTHON_MESSAGES,
                         ids=[m.split(" ")[0] for _, _, m in PYTHON_MESSAGES])
def test_pythons_own_messages_name_cffis_class(ffi, made, action, error, message):
    value = eval(made)
    name = dict(OBJECTS)[made]
    with pytest.raises(error) as info:
        action(value)
    assert str(info.value) == message % ("_cffi_backend." + name,)


@pytest.mark.parametrize("made", [made for made, _ in OBJECTS])
def test_copying_or_pickling_a_cdata_names_cffis_class(ffi, made):
    value = eval(made)
    name = dict(OBJECTS)[made]
    for action in (pickle.dumps, __import__("copy").copy):
        with pytest.raises(TypeError) as info:
            action(value)
        assert str(info.value) == "cannot pickle '_cffi_backend.%s' object" % (name,)


def test_what_ffi_gc_and_from_buffer_return_is_named_by_purecffis_own_messages(ffi):
    gc = ffi.gc(ffi.cast("int *", 1), lambda x: None)
    buf = ffi.from_buffer(bytearray(4))
    assert str(pytest.raises(TypeError, pickle.dumps, gc).value) == (
        "cannot pickle '_cffi_backend.__CDataGCP' object")
    assert str(pytest.raises(TypeError, pickle.dumps, buf).value) == (
        "cannot pickle '_cffi_backend.__CDataFromBuf' object")


@pytest.mark.parametrize("made", [made for made, _ in OBJECTS])
def test_a_cdata_class_cannot_be_called(ffi, made):
    cls = type(eval(made))
    with pytest.raises(TypeError) as info:
        cls()
    assert str(info.value) == "cannot create '_cffi_backend.%s' instances" % (cls.__name__,)


@pytest.mark.parametrize("made, name", [
    ('ffi.typeof("int")', "CType"), ('ffi.typeof("struct pt *")', "CType"),
    ('ffi.typeof("int[3]")', "CType"), ('ffi.typeof("int(*)(int)")', "CType"),
    ('ffi.typeof("struct pt")', "CType"), ('ffi.typeof("struct pt").fields[0][1]', "CField"),
    ('ffi.buffer(ffi.new("int[2]"))', "buffer"), ('ffi.buffer(ffi.new("char[]", 300))', "buffer"),
])
def test_ctypes_fields_and_buffers_are_named_as_cffis(ffi, made, name):
    value = eval(made)
    dotted = "_cffi_backend." + name
    assert repr(type(value)) == "<class '%s'>" % (dotted,)
    assert _outcome(lambda: value < {}) == (
        "TypeError: '<' not supported between instances of '%s' and 'dict'" % (dotted,))
    assert _outcome(lambda: value.no_such) == (
        "AttributeError: '%s' object has no attribute 'no_such'" % (dotted,))
    assert _outcome(lambda: [1][value]) == (
        "TypeError: list indices must be integers or slices, not %s" % (dotted,))
    if name == "CType":
        assert _outcome(type(value)) == "TypeError: cannot create '%s' instances" % (dotted,)


@pytest.mark.parametrize("expression", [
    "x == 1", "x != 1", "x < 1", "x <= 1", "x > 1", "x >= 1", "x == x", "x == None",
    "x == ffi.cast('int', 1)", "ffi.cast('int', 1) == x", "y == 2", "x == 'a'"])
def test_a_long_double_refuses_comparisons(ffi, expression):
    x = ffi.cast("long double", 1)
    y = ffi.new("long double *", 2)[0]
    with pytest.raises(NotImplementedError) as info:
        eval(expression)
    assert str(info.value) == "cannot use <cdata 'long double'> in a comparison"


def test_a_long_double_hashes_and_converts(ffi):
    x = ffi.cast("long double", 2.5)
    assert hash(x) == hash(x)
    assert {x: 1}[x] == 1           # (by identity: no comparison needed)
    assert (float(x), int(x), bool(x)) == (2.5, 2, True)
    assert hash(ffi.cast("int", 7)) == hash(7)


def test_the_ffis_class_attributes_are_named_as_cffis(ffi):
    assert repr(ffi.CData) == "<class '_cffi_backend._CDataBase'>"
    assert repr(ffi.CType) == "<class '_cffi_backend.CType'>"
    assert repr(ffi.buffer) == "<class '_cffi_backend.buffer'>"
    with pytest.raises(TypeError) as info:
        ffi.CData()
    assert str(info.value) == "cannot create '_cffi_backend._CDataBase' instances"
