"""Type strings given to typeof(), cast(), new(), sizeof(), alignof(): cffi's errors for bad ones."""
import re

import pytest

from _backend import FFI, CDefError, FFIError, IS_CFFI
from conftest import import_built

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
    ("void(*)(...)", CDefError, "a function with only '(...)' as argument is not correct C"),
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


@pytest.mark.parametrize("source, error, message", [
    ("typedef int t[10][];", ValueError, "array item of unknown size: 'int[]'"),
    ("typedef int t[-5];", ValueError, "negative array length"),
    ("typedef void t[3];", ValueError, "array item of unknown size: 'void'"),
    ("typedef int (*t)(int)[5];", TypeError, "invalid result type: 'int[5]'"),
    ("typedef int t[2](int);", CDefError, "cannot render the type <int()(int)>: it is a "
                                          "function type, not a pointer-to-function type")])
def test_same_errors_in_cdef_are_raised_when_the_typedef_is_used(ffi, source, error, message):
    ffi.cdef(source)        # (accepted, as by cffi)
    for text in ("t", "t *"):
        with pytest.raises(error) as info:
            ffi.typeof(text)
        assert str(info.value) == message


# -- The ffi of a generated (out-of-line) module: cffi's own parser, and ffi.error ----
@pytest.fixture(scope="module")
def compiled_ffi(tmp_path_factory):
    """The ffi of an out-of-line module built from a small cdef()."""
    tmp = tmp_path_factory.mktemp("typestrings")
    builder = FFI()
    builder.cdef("struct foo_s { int a; short data[]; }; typedef int myint_t;")
    builder.set_source("_typestrings_mod", None)
    builder.compile(tmpdir=str(tmp))
    return import_built(tmp, "_typestrings_mod").ffi


@pytest.mark.parametrize("text, message, column", [
    ("", "identifier expected", 0),
    (" ", "identifier expected", 1),
    ("*", "identifier expected", 0),
    ("const", "identifier expected", 5),
    ("int **(", "identifier expected", 7),
    ("int(*)(int,)", "identifier expected", 11),
    ("struct never_heard_of_s", "undefined struct/union name", 7),
    ("union never_u", "undefined struct/union name", 6),
    ("enum never_e", "undefined enum name", 5),
    ("int(*)(struct never_s)", "undefined struct/union name", 14),
    ("foo", "undefined type name", 0),
    ("unknown_t *", "undefined type name", 0),
    ("int *x y", "unexpected symbol", 7),
    ("int)", "unexpected symbol", 3),
    ("int;", "unexpected symbol", 3),
    ("int...", "unexpected symbol", 3),
    ("struct foo_s {", "unexpected symbol", 13),
    ("int[-5]", "expected a positive integer constant", 4),
    ("int  [  -5]", "expected a positive integer constant", 8),
    ("int[", "expected a positive integer constant", 4),
    ("int[n]", "expected a positive integer constant", 4),
    ("int[...]", "expected a positive integer constant", 4),
    ("int[5", "expected ']'", 5),
    ("int [3] [4", "expected ']'", 10),
    ("int(*)(int", "expected ')'", 10),
    ("int[0x]", "invalid number", 4),
    # an array length is a number (decimal, octal, hex) or a constant's name, nothing else
    ("int[0b11]", "invalid number", 4),
    ("int[08]", "invalid number", 4),
    ("int[1a]", "invalid number", 4),
    ("int[3u]", "expected ']'", 5),
    ("int[0x1fL]", "expected ']'", 8),
    ("int[1+2]", "expected ']'", 5),
    ("int [3.]", "expected ']'", 6),
    ("int[(3)]", "expected a positive integer constant", 4),
    ("int[+3]", "expected a positive integer constant", 4),
    ("int[9223372036854775808]", "number too large", 4),
    ("int[0x8000000000000000]", "number too large", 4),
    ("int[1000000000000000000000000]", "number too large", 4),
    ("int (const restrict *)", "expected ')'", 20),
    ("int (((*)))", "identifier expected", 5),
    ("int ((*)(int))", "identifier expected", 5),
    ("unsigned float", "invalid combination of types", 9),
    ("long long long", "'long long long' is too long", 10),
    ("struct", "struct or union name expected", 6),
])
def test_compiled_ffi_syntax_errors_point_at_the_place(compiled_ffi, text, message, column):
    for op in sorted(OPS):
        with pytest.raises(compiled_ffi.error) as info:
            OPS[op](compiled_ffi, text)
        assert str(info.value) == "%s\n%s\n%s^" % (message, text, " " * column)
        assert info.value.__cause__ is None


# a character that is no C name nor space (non-ASCII: a letter, a no-break space) is a symbol
# of its own; the text is shown as cffi's C code shows it, bytes with '?' for each non-ASCII
# one, and the column counts bytes
@pytest.mark.parametrize("text, message, shown, column", [
    ("\u00e9", "identifier expected", "??", 0),
    ("\U0001f600", "identifier expected", "????", 0),
    ("int \u00e9", "unexpected symbol", "int ??", 4),
    ("int *\u00e9", "unexpected symbol", "int *??", 5),
    ("int \u00e9*", "unexpected symbol", "int ??*", 4),
    ("int\u00e9x", "unexpected symbol", "int??x", 3),
    ("int\u00a0*", "unexpected symbol", "int??*", 3),
    ("signed\u2003int", "unexpected symbol", "signed???int", 6),
    ("unsigned \u00e9", "unexpected symbol", "unsigned ??", 9),
    ("int[\u00e9]", "expected a positive integer constant", "int[??]", 4),
    ("int[3\u00e9]", "expected ']'", "int[3??]", 5),
    ("int(*)(\u00e9)", "identifier expected", "int(*)(??)", 7),
    ("int(*)(int \u00e9)", "expected ')'", "int(*)(int ??)", 11),
    ("struct \u00e9", "struct or union name expected", "struct ??", 7),
    ("enum \u00e9", "enum name expected", "enum ??", 5),
    ("union 3x", "struct or union name expected", "union 3x", 6),
])
def test_compiled_ffi_refuses_what_is_no_c_name(compiled_ffi, text, message, shown, column):
    for op in sorted(OPS):
        with pytest.raises(compiled_ffi.error) as info:
            OPS[op](compiled_ffi, text)
        assert str(info.value) == "%s\n%s\n%s^" % (message, shown, " " * column)


@pytest.mark.parametrize("text, column, char", [
    ("int \u00e9", 5, "\u00e9"), ("\u00e9", 1, "\u00e9"), ("int\u00e9x", 4, "\u00e9"),
    ("int\u00a0*", 4, "\\xa0"), ("unsigned \u00e9", 10, "\u00e9"), ("int *\u00e9", 6, "\u00e9")])
def test_inline_ffi_refuses_what_is_no_c_name(ffi, text, column, char):
    with pytest.raises(CDefError) as info:
        ffi.typeof(text)
    assert str(info.value) == ('cannot parse "%s"\n<cdef source string>:2:%d: '
                               "Illegal character '%s'" % (text, column, char))


@pytest.mark.parametrize("text, error, message", [
    ("int(int)", "ffi.error", "the type 'int(int)' is a function type, not a pointer-to-function"),
    ("int([5])(int)", "ffi.error", "the type 'int(int)' is a function type"),
    ("int[10][]", ValueError, "array item of unknown size: 'int[]'"),
    ("void[3]", ValueError, "array item of unknown size: 'void'"),
    ("int(*)(int)[5]", TypeError, "invalid result type: 'int[5]'"),
    ("int(*)(void, int)", TypeError, "ctype 'void' has incomplete type"),
    ("int(*)(const void)", TypeError, "ctype 'void' has incomplete type"),
    ("int(*)(void x)", TypeError, "ctype 'void' has incomplete type"),
    ("int (const)(int)", "ffi.error", "the type 'int(int)' is a function type"),
    ("myint_t  (  int, ... )", "ffi.error", "the type 'int(int, ...)' is a function type"),
    ("int[2305843009213693952]", OverflowError, "array size would overflow a Py_ssize_t"),
])
def test_compiled_ffi_invalid_types(compiled_ffi, text, error, message):
    error = compiled_ffi.error if error == "ffi.error" else error
    for op in ("typeof", "sizeof", "new", "alignof"):
        with pytest.raises(error, match=re.escape(message)):
            OPS[op](compiled_ffi, text)


@pytest.mark.parametrize("text, expected", [
    ("int x", "int"), ("struct foo_s data", "struct foo_s"), ("myint_t[2]", "int[2]"),
    ("int(*)(...)", "int(*)(...)"), ("int(__stdcall *)(int)", "int(*)(int)"),
    ("int(__cdecl *)(int)", "int(*)(int)"), ("int[]", "int[]"),
    ("int[0x1F]", "int[31]"), ("int[010]", "int[8]"), ("int[00]", "int[0]"),
    ("char[9223372036854775807]", "char[9223372036854775807]"),
    # a qualifier after '(' opens an inner declarator
    ("int (const*)", "int *"), ("int (volatile *const)[3]", "int(*)[3]"),
    ("int (const)[3]", "int[3]"),
    # `__int128` and `restrict` are names there: the declarator's name after `unsigned`
    ("unsigned __int128", "unsigned int"), ("long __int128", "long"), ("int (*restrict)", "int *"),
    ("int $", "int"),
    # `void` arguments stay in a variadic function type; `(void)` alone is no argument
    ("int(*)(void, ...)", "int(*)(void, ...)"), ("int(*)(const void x, ...)", "int(*)(void, ...)"),
    ("int(*)(int, void, ...)", "int(*)(int, void, ...)"), ("int(*)(void)", "int(*)()"),
])
def test_compiled_ffi_valid_types(compiled_ffi, text, expected):
    assert compiled_ffi.getctype(text) == expected


@pytest.mark.parametrize("text", ["void", "int[]"])
def test_compiled_ffi_unknown_size_is_ffi_error(compiled_ffi, text):
    with pytest.raises(compiled_ffi.error, match=re.escape(
            "don't know the size of ctype '%s'" % (text,))):
        compiled_ffi.sizeof(text)


def test_compiled_ffi_alignof_takes_a_cdata(compiled_ffi):
    assert compiled_ffi.alignof(compiled_ffi.new("short *")) == compiled_ffi.alignof("short *")


def test_compiled_ffi_dir_has_no_builder_methods(compiled_ffi):
    names = set(dir(compiled_ffi))
    assert {"new", "cast", "typeof", "dlopen", "error", "NULL"} <= names
    assert not names & {"cdef", "set_source", "compile", "verify", "set_unicode", "include"}


@pytest.mark.parametrize("text, spelled", [
    ("__int128", "__int128"), ("unsigned __int128", "unsigned __int128"),
    ("unsigned __int128 *", "unsigned __int128"), ("int(*)(unsigned __int128)", "unsigned __int128"),
    ("long __int128", "long __int128"),
])
def test_int128_is_unsupported_everywhere(text, spelled):
    """`unsigned __int128` is a type (not `unsigned` and a name), which cffi refuses."""
    with pytest.raises(FFIError) as info:
        FFI().typeof(text)
    assert str(info.value).startswith("Unsupported type: '%s'." % (spelled,))
    declarator = text.replace("(*)", "(*NAME)") if "(*)" in text else text + " NAME"
    for source in ("int f(%s);", "struct s { %s; };", "typedef %s;"):
        with pytest.raises(FFIError) as info:
            FFI().cdef(source % (declarator.replace("NAME", "x"),))
        assert str(info.value).startswith("Unsupported type: '%s'." % (spelled,))


@pytest.mark.parametrize("text", ["int(...)", "void(*)(...)", "int(*)(int(...))"])
def test_only_dots_in_a_type_string_names_no_place(ffi, text):
    # as cffi: "in expression", not the name of the result type nor a line of the string
    for op in (ffi.typeof, lambda t: ffi.callback(t, len)):
        with pytest.raises(CDefError) as info:
            op(text)
        assert str(info.value) == ("in expression: a function with only '(...)' as argument "
                                   "is not correct C")
