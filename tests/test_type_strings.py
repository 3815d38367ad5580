"""Type strings given to typeof(), cast(), new(), sizeof(), alignof(): cffi's errors for bad ones."""
import re

import pytest

from _backend import CDefError, FFIError, IS_CFFI

OPS = {
    "typeof": lambda ffi, text: ffi.typeof(text),
    "cast": lambda ffi, text: ffi.cast(text, 0),
    "new": lambda ffi, text: ffi.new(text),
    "sizeof": lambda ffi, text: ffi.sizeof(text),
    "alignof": lambda ffi, text: ffi.alignof(text),
}

# (type string, exception type, message) for every operation that takes a type string
INVALID = [
    ("int[10][]", ValueError, "array item of unknown size: 'int[]'"),
    ("int[0][]", ValueError, "array item of unknown size: 'int[]'"),
    ("int[-5]", ValueError, "negative array length"),
    ("void[3]", ValueError, "array item of unknown size: 'void'"),
    ("int(*)(int)[5]", TypeError, "invalid result type: 'int[5]'"),
    ("int(*)(void, int)", TypeError, "ctype 'void' has incomplete type"),
    ("int(*)(int, void)", TypeError, "ctype 'void' has incomplete type"),
    ("int([5])(int)", CDefError, "a function type, not a pointer-to-function type"),
    ("int(*)(int)(int)", CDefError, "a function type, not a pointer-to-function type"),
    ("int(...)", CDefError, "a function with only '(...)' as argument is not correct C"),
    ("unsigned float", FFIError, "Unsupported type: 'unsigned float'"),
    ("long long long", FFIError, "Unsupported type: 'long long long'"),
    ("int[...]", FFIError, "unsupported '[...]' here, cannot derive the actual array length"),
    ("int *x y", CDefError, 'cannot parse "int *x y"'),
    ("struct", CDefError, "Invalid struct/union declaration"),
]


@pytest.mark.parametrize("op", sorted(OPS))
@pytest.mark.parametrize("text, error, message", INVALID)
def test_invalid_type_strings(ffi, op, text, error, message):
    with pytest.raises(error, match=re.escape(message)) as info:
        OPS[op](ffi, text)
    assert info.value.__cause__ is None


def test_function_type_is_not_castable(ffi):
    with pytest.raises(CDefError, match=re.escape(
            "the type 'int(int)' is a function type, not a pointer-to-function type")):
        ffi.cast("int(int)", 42)
    assert repr(ffi.cast("int(*)(int)", 0)) == "<cdata 'int(*)(int)' NULL>"
    assert ffi.callback("int(int)", lambda x: x)(3) == 3       # callback() accepts it


def test_open_array_size_and_alignment(ffi):
    with pytest.raises(ValueError, match=re.escape("ctype 'int[]' is of unknown size")):
        ffi.sizeof("int[]")
    assert ffi.alignof("int[]") == 4
    assert ffi.alignof("double[]") == ffi.alignof("double")


@pytest.mark.parametrize("text, message", [
    ("void", "ctype 'void' is of unknown alignment"),
    ("struct never_declared_s", "ctype 'struct never_declared_s' is of unknown alignment"),
])
def test_alignof_unknown(ffi, text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ffi.alignof(text)


@pytest.mark.parametrize("text, expected", [
    ("void(*)(int[][])", "void(*)(int(*)[])"),     # a parameter's array decays first
    ("void(*)(void[3])", "void(*)(void *)"),
    ("void(*)(int[])", "void(*)(int *)"),
    ("int(*[3])(int)", "int(*[3])(int)"),
    ("int(*)(void)", "int(*)()"),
])
def test_valid_type_strings(ffi, text, expected):
    assert ffi.getctype(text) == expected


@pytest.mark.skipif(IS_CFFI, reason="purecffi reports these in cdef() itself, as CDefError "
                                    "with the line; cffi on first use of the typedef")
@pytest.mark.parametrize("source", ["typedef int t[10][];", "typedef int t[-5];",
                                    "typedef void t[3];", "typedef int (*t)(int)[5];"])
def test_same_errors_in_cdef_are_cdef_errors(ffi, source):
    with pytest.raises(CDefError, match=":1: "):
        ffi.cdef(source)
