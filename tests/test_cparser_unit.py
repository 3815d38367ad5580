"""Unit tests of the cdef parser (purecffi.cparser and its extension layer cdef_grammar)."""
import sys
import traceback
import warnings

import pytest

from _backend import IS_CFFI

if IS_CFFI:
    pytest.skip("unit tests of purecffi's own parser module", allow_module_level=True)

from purecffi import cdef_grammar as grammar  # noqa: E402
from purecffi.cparser import (DEFAULT_TYPES, FILE_TYPE,
                              Declarations, parse_cdef, primitive_type)
from purecffi.ctype import (TYPES, EnumType, FunctionPtrType, RawFunctionType, StructOrUnionType,
                            UnknownNumberType)
from purecffi.errors import CDefError, FFIError, VerificationMissing
from purecffi.typename import parse_type


def cdef(source, decls=None, **kwds):
    """Parse `source` into a fresh (or the given) Declarations, ignoring warnings."""
    decls = Declarations() if decls is None else decls
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parse_cdef(decls, source, **kwds)
    return decls


def cdef_error(source, exc=CDefError, decls=None, **kwds):
    """The message of the error `source` raises."""
    decls = Declarations() if decls is None else decls
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(exc) as info:
            parse_cdef(decls, source, **kwds)
    return str(info.value)


def spelled(decls, text):
    """The C spelling of a parsed type."""
    return parse_type(decls, text).cname


# -- Primitive spellings ----
@pytest.mark.parametrize("words, name", [
    ("int", "int"), ("signed", "int"), ("signed int", "int"), ("unsigned", "unsigned int"),
    ("signed unsigned", "unsigned int"), ("long int", "long"), ("long signed int", "long"),
    ("signed long", "long"), ("long unsigned", "unsigned long"),
    ("short unsigned int", "unsigned short"), ("short", "short"), ("short signed", "short"),
    ("long long", "long long"), ("long long unsigned", "unsigned long long"),
    ("unsigned long long int", "unsigned long long"), ("long unsigned long", "unsigned long long"),
    ("char", "char"), ("signed char", "signed char"), ("signed unsigned char", "unsigned char"),
    ("unsigned char", "unsigned char"), ("float", "float"), ("double", "double"),
    ("long double", "long double"), ("long signed double", "long double"), ("_Bool", "_Bool"),
    ("double _Complex", "double _Complex"), ("signed double _Complex", "double _Complex"),
    ("float _Complex", "float _Complex"), ("void", "void"), ("signed void", "void"),
    ("signed double", "double"), ("signed _Bool", "_Bool"), ("unsigned signed", "unsigned int"),
])
def test_primitive_spellings_as_cffi_reads_them(words, name):
    """Leading short/long/signed/unsigned modify the words after them, as in cffi."""
    assert primitive_type(words.split()).cname == name
    assert spelled(Declarations(), words) == name


@pytest.mark.parametrize("words", [
    "unsigned float", "long char", "short long", "long long long", "int unsigned",
    "int long", "char signed", "double long", "long int long", "_Complex double",
    "long double _Complex", "int _Complex", "_Complex", "int int", "short char",
    "unsigned void", "unsigned int long",
])
def test_invalid_primitive_spellings(words):
    assert primitive_type(words.split()) is None
    msg = cdef_error("extern %s x;" % (words,), exc=FFIError)
    assert msg.startswith("Unsupported type: ")


def test_int128_is_unsupported():
    assert "Unsupported type: '__int128'" in cdef_error("extern __int128 x;", exc=FFIError)


# -- Default types ----
@pytest.mark.parametrize("name", ["int8_t", "uint64_t", "size_t", "ssize_t", "intptr_t",
                                  "uintptr_t", "ptrdiff_t", "wchar_t", "char16_t", "char32_t",
                                  "intmax_t", "int_least16_t", "uint_fast32_t"])
def test_default_types_are_primitives(name):
    decls = cdef("extern %s x;" % (name,))
    assert decls.variables["x"][0] is TYPES.primitive(name)
    assert decls.typedef_names == []


def test_bool_is_Bool_and_FILE_is_one_opaque_struct():
    decls = cdef("extern bool b; extern FILE *f;")
    assert decls.variables["b"][0] is TYPES.primitive("_Bool")
    assert decls.variables["f"][0].item is FILE_TYPE is DEFAULT_TYPES["FILE"]
    assert FILE_TYPE.cname == "FILE" and FILE_TYPE.kind == "struct"
    assert FILE_TYPE.fields is None and FILE_TYPE.is_opaque()
    assert parse_type(Declarations(), "FILE") is FILE_TYPE


def test_default_names_can_be_redefined():
    decls = cdef("typedef int int32_t; typedef struct { int x; } FILE; typedef char bool;")
    assert parse_type(decls, "int32_t") is TYPES.primitive("int")
    assert parse_type(decls, "int32_t *") is TYPES.pointer(TYPES.primitive("int"))
    assert parse_type(decls, "bool") is TYPES.primitive("char")
    file_type = parse_type(decls, "FILE")
    assert file_type is not FILE_TYPE and file_type.fields is not None
    assert decls.typedef_names == ["int32_t", "FILE", "bool"]
    assert parse_type(Declarations(), "int32_t") is TYPES.primitive("int32_t")


def test_keywords_cannot_be_redefined():
    assert "cannot parse" in cdef_error("typedef int int;")


# -- Functions ----
@pytest.mark.parametrize("source, spelling", [
    ("int f(int, double);", "int(*)(int, double)"),
    ("int f(const char *, ...);", "int(*)(char *, ...)"),
    ("void f(void);", "void(*)()"),
    ("int f();", "int(*)()"),
    ("int f(void x);", "int(*)()"),
    ("typedef void v_t; int f(v_t);", "int(*)()"),
    ("int f(int a[], int b[3], int c[][4]);", "int(*)(int *, int *, int(*)[4])"),
    ("int f(int g(long));", "int(*)(int(*)(long))"),
    ("int f(int (*g)(long), ...);", "int(*)(int(*)(long), ...)"),
    ("char *(*f(int))(void);", "char *(*(*)(int))()"),
    ("static int f(int); ", "int(*)(int)"),
    ("extern int f(int);", "int(*)(int)"),
    ("inline int f(int);", "int(*)(int)"),
    ("int f(int a[static 5]);", "int(*)(int *)"),
    ("int f(int *restrict p, int volatile q, const int r);", "int(*)(int *, int, int)"),
    ("int __stdcall f(int);", "int(*)(int)"),
    ("int __cdecl f(int);", "int(*)(int)"),
    ("int WINAPI f(int);", "int(*)(int)"),
    ("typedef int fn_t(int); fn_t f;", "int(*)(int)"),
    ("struct s { int a; }; struct s f(struct s *);", "struct s(*)(struct s *)"),
])
def test_function_declarations(source, spelling):
    decls = cdef(source)
    ftype = decls.functions["f"]
    assert isinstance(ftype, FunctionPtrType)
    assert ftype.cname == spelling
    assert ("function", "f") in decls.order


def test_several_functions_in_one_declaration():
    decls = cdef("int f(int), g(long), *h(void);")
    assert [decls.functions[n].cname for n in "fgh"] == [
        "int(*)(int)", "int(*)(long)", "int *(*)()"]


def test_function_pointer_typedefs_with_calling_conventions():
    decls = cdef("typedef int (__stdcall *a)(int); typedef int (WINAPI *b)(int);")
    assert parse_type(decls, "a") is parse_type(decls, "b") is parse_type(decls, "int(*)(int)")


@pytest.mark.parametrize("source, words", [
    ("int f(int, void);", ["'void' must be the only parameter"]),
    ("int f(...);", ["only '(...)'", "not correct C"]),
    ("int f(foo_t);", ["f arg 1: unknown type 'foo_t'", "not supported"]),
    ("int kr(a, b);", ["kr arg 1: unknown type 'a'"]),
    ("int f(int x) { return x; }", ["unexpected <FuncDef>", "not valid in cdef()"]),
    ("int f(a) int a; { return a; }", ["unexpected <FuncDef>"]),
    ("int f(int a[...]);", ["unsupported '[...]' here"]),
])
def test_invalid_function_declarations(source, words):
    msg = cdef_error(source, exc=FFIError if "[...]" in source else CDefError)
    assert msg.startswith(":1:" if "[...]" in source else "<cdef source string>:1:")
    for word in words:
        assert word in msg


# -- Global variables and constants ----
def test_global_variables_and_their_types():
    decls = cdef("extern int x; static long y; extern int *p; extern int arr[3]; "
                 "extern int (*fp)(int); struct s { int a; }; extern struct s g;")
    assert {n: v[0].cname for n, v in decls.variables.items()} == {
        "x": "int", "y": "long", "p": "int *", "arr": "int[3]", "fp": "int(*)(int)",
        "g": "struct s"}
    assert all(is_const is False for _, is_const in decls.variables.values())


def test_global_without_storage_class_warns_like_cffi():
    decls = Declarations()
    with pytest.warns(UserWarning, match="Global variable 'foo' in cdef\\(\\): for consistency "
                                         "with C it should have a storage class specifier"):
        result = parse_cdef(decls, "void *foo; extern int ok; static int ok2;")
    assert result == ["Global variable 'foo' in cdef(): for consistency with C it should have a "
                      "storage class specifier (usually 'extern')"]
    assert decls.variables["foo"] == (TYPES.pointer(TYPES.void), False)


@pytest.mark.parametrize("source, ctype", [
    ("static const int FOO;", "int"),
    ("const int FOO;", "int"),
    ("extern const int FOO;", "int"),
    ("static char *const FOO;", "char *"),
    ("typedef const int cint; extern cint FOO;", "int"),
    ("static const double FOO = 1.5;", "double"),
    ("struct s { int a; }; extern const struct s FOO;", "struct s"),
])
def test_const_globals_are_constants_known_to_the_compiler(source, ctype):
    decls = cdef(source)
    assert "FOO" not in decls.variables
    assert decls.constants["FOO"][0].cname == ctype
    assert decls.constants["FOO"][1] is Ellipsis
    assert ("constant", "FOO") in decls.order


@pytest.mark.parametrize("source, value", [
    ("static const int N = 5;", 5),
    ("const int N = -3;", -3),
    ("static const long N = 1 << 3;", 8),
    ("static const unsigned char N = 'a';", 97),
    ("enum e { A = 2 }; static const enum e N = A;", 2),
])
def test_const_integer_globals_with_a_value(source, value):
    assert cdef(source).constants["N"][1] == value


def test_const_with_value_usable_as_array_length():
    decls = cdef("static const int N = 3; struct s { char a[N]; };")
    assert parse_type(decls, "struct s").byte_size == 3


def test_pointer_to_const_and_const_items_are_variables():
    decls = cdef("extern const char *p; extern const int arr[5]; extern int *const cp[2];")
    assert decls.variables["p"] == (TYPES.pointer(TYPES.primitive("char")), False)
    assert decls.variables["arr"][1] is True
    assert decls.variables["cp"][1] is True
    assert decls.constants == {}


def test_void_variable_is_rejected():
    assert "cannot have type 'void'" in cdef_error("extern void x;")


# -- #define ----
@pytest.mark.parametrize("text, value", [
    ("42", 42), ("0", 0), ("0x2A", 42), ("0X2a", 42), ("052", 42), ("0b101", 5),
    ("-42", -42), ("-0x10", -16), ("10U", 10), ("10u", 10), ("10L", 10), ("10UL", 10),
    ("10lu", 10), ("10LL", 10), ("10ULL", 10), ("0x10L", 16),
    ("0xFFFFFFFFFFFFFFFF", 2 ** 64 - 1), ("'a'", 97), ("'\\n'", 10), ("'\\x41'", 65),
    ("(1 << 4) | 1", 17), ("~0", -1), ("-7 / 2", -3), ("-7 % 2", -1), ("2 * (3 + 4)", 14),
    ("0x10 >> 2", 4), ("6 & 3 ^ 1", 3), ("1 ? 2 : 3", 2), ("3 > 2", 1), ("!5", 0),
    ("5 /* comment */", 5), ("5 // comment", 5),
])
def test_define_integer_values(text, value):
    assert cdef("#define X %s" % (text,)).constants["X"] == (None, value)


def test_define_refers_to_earlier_defines_and_enum_values():
    decls = cdef("#define A 4\nenum e { B = A + 1 };\n#define C (A * B)\n#define D C - 1")
    assert decls.constants["C"] == (None, 20)
    assert decls.constants["D"] == (None, 19)
    assert decls.order == [("constant", "A"), ("enum", "e"), ("constant", "B"),
                           ("constant", "C"), ("constant", "D")]


def test_define_on_several_lines_and_indented():
    decls = cdef("  #  define   A   1 + \\\n   2\n#define B 3")
    assert decls.constants["A"] == (None, 3)
    assert decls.constants["B"] == (None, 3)


def test_define_dots_is_a_placeholder():
    decls = cdef("#define X ...")
    assert decls.constants["X"] == (None, Ellipsis)


@pytest.mark.parametrize("value", ['"hello"', "1.5", "1e5", "bar", "08", "1/0", "5 6", "",
                                   "OTHER +", "sizeof(int)"])
def test_define_with_unsupported_value(value):
    msg = cdef_error("#define OTHER 1\n#define FOO %s" % (value,))
    assert msg.startswith("only supports one of the following syntax:\n")     # no place: cffi
    assert "#define FOO ..." in msg and "NUMBER" in msg
    assert msg.endswith("got:\n  #define FOO %s" % (value,))


@pytest.mark.parametrize("source, ok", [
    ("#define X -0x10UL", True), ("#define X ...", True), ("#define X (1 + 2)", False),
    ("#define X 'a'", False), ("enum { A = 1 << 2 | 3 ^ 1, B = -A + 7 % 4 };", True),
    ("enum { A = ~0 };", False), ("enum { A = !0 };", False), ("enum { A = 3 > 2 };", False),
    ("enum { A = 1 ? 2 : 3 };", False),
])
def test_cffi_constant_expressions_only(monkeypatch, source, ok):
    """EXTENDED_CONSTANTS = False restricts constant expressions to exactly cffi 2.0's set."""
    monkeypatch.setattr(grammar, "EXTENDED_CONSTANTS", False)
    if ok:
        cdef(source)
    else:
        with pytest.raises(CDefError if source.startswith("#") else FFIError):
            parse_cdef(Declarations(), source)


def test_function_like_macro_is_rejected():
    assert cdef_error("#define X(a) a").endswith("got:\n  #define X (a) a")   # as cffi shows it


def test_define_twice_in_one_cdef_keeps_the_last_but_not_across_cdefs():
    decls = cdef("#define A 1\n#define A 2")
    assert decls.constants["A"] == (None, 2)
    assert "multiple declarations of constant: A" in cdef_error("#define A 3", FFIError, decls)
    cdef("#define A 2", decls)


@pytest.mark.parametrize("directive", ["#include <stdio.h>", "#ifdef X", "#if 1", "#undef X",
                                       "#endif", "#error x"])
def test_other_directives_are_errors(directive):
    msg = cdef_error("int a;\n" + directive)
    assert msg == 'cannot parse "%s"\n<cdef source string>:2:1: Directives not supported yet' % (
        directive,)


def test_pragma_is_ignored_with_cffi_warning():
    decls = Declarations()
    with pytest.warns(UserWarning, match="#pragma in cdef\\(\\) are entirely ignored"):
        parse_cdef(decls, "#pragma pack(1)\nstruct s { char a; int b; };")
    assert parse_type(decls, "struct s").byte_size == 8


def test_string_literal_warning_is_issued_even_when_the_parse_fails():
    with pytest.warns(UserWarning, match="String literal found in cdef"):
        with pytest.raises(CDefError):
            parse_cdef(Declarations(), 'int f(int) __asm__("g");')


# -- Line directives and error locations ----
def test_syntax_error_format_as_cffi():
    msg = cdef_error("int x;\nint y;\n  int z z;\n")
    assert msg == 'cannot parse "int z z;"\n<cdef source string>:3:9: before: z'


def test_columns_survive_comments_and_tabs():
    msg = cdef_error("int x; /* one */\n/* multi\nline */\t int z z;")
    assert "<cdef source string>:3:16: before: z" in msg


def test_line_directive_changes_file_and_line():
    assert "parse error\nfoo.h:43:7: before: y" == cdef_error('# 42 "foo.h"\n\nint x y;')
    assert "foo.h:42:" in cdef_error('#line 42 "foo.h"\nint b b;')
    assert "<cdef source string>:10:" in cdef_error("# 10\nint b b;")


def test_line_directive_applies_to_semantic_errors():
    msg = cdef_error('int a;\n# 10 "foo.h"\nint b;\nstruct s { int a; }; struct s { int b; };')
    assert msg == "foo.h:11: duplicate declaration of struct s"


def test_end_of_input():
    assert cdef_error("int f(int a") == "parse error\n<cdef source string>: At end of input"


@pytest.mark.parametrize("source, hint", [
    ("foo_t x;", "unknown type name 'foo_t'"),
    ("typedef foo_t bar_t;", "unknown type name 'foo_t'"),
    ("int f(int a, foo_t *b);", "<cdef source string>:1: unknown type name 'foo_t'"),
    ("struct s;\nint f(s *);", "unknown type name 's' (did you mean 'struct s'?)"),
    ("typedef int my_t;\nint f(my_t *b);\nint g(int a, foo_t *c);",
     "<cdef source string>:3: unknown type name 'foo_t'"),
    ("int f(int) __attribute__((pure));", "'__attribute__' (a GCC extension) is not supported"),
    ("__declspec(dllimport) int f(int);", "'__declspec'"),
    ("int f(int *__restrict p);", "'__restrict' is not recognized"),
    ("__thread int x;", "'__thread' is not supported"),
])
def test_parse_errors_get_a_hint(source, hint):
    decls = Declarations()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(CDefError) as info:
            parse_cdef(decls, source)
    # the hint is a note, shown by tracebacks: the message stays cffi's
    assert str(info.value).startswith(('cannot parse "', "parse error\n"))
    assert "hint" not in str(info.value)
    assert info.value.__notes__[-1].startswith("hint: " + hint)
    if sys.version_info >= (3, 11):
        shown = "".join(traceback.format_exception(info.value))
        assert shown.rstrip().endswith(info.value.__notes__[-1])


def test_no_unknown_type_hint_for_plain_syntax_errors():
    for source in ("int x y;", "int f(int a;",
                   # a name the same cdef declares as a type is no unknown type, even misused
                   "typedef int t;\nt t t;"):
        with pytest.raises(CDefError) as info:
            parse_cdef(Declarations(), source)
        assert not getattr(info.value, "__notes__", None)


@pytest.mark.parametrize("source, words", [
    ('extern "C" int f(int);', ['extern "C" is not supported']),
    ("_Static_assert(1, \"x\");", ["unexpected <StaticAssert>"]),
    ("_Alignas(8) int x;", ["_Alignas is not supported"]),
    ("/* unterminated", ["unterminated comment"]),
    ("int x = ...;", ["parse error", "Invalid expression"]),
    ("enum e { A, ..., B };", ["cannot parse"]),
    ("typedef long double... t;", ["cannot parse"]),
])
def test_unsupported_constructs(source, words):
    msg = cdef_error(source)
    for word in words:
        assert word in msg


# -- Enums ----
def test_enum_values_and_constants():
    decls = cdef("enum e { A, B = 5, C, D = -2, E, F = 'a', G = B << 2 | 1 };")
    etype = decls.types["enum e"]
    assert isinstance(etype, EnumType) and etype.cname == "enum e"
    assert etype.relements == {"A": 0, "B": 5, "C": 6, "D": -2, "E": -1, "F": 97, "G": 21}
    assert etype.base is TYPES.primitive("int")
    assert decls.constants["G"] == (etype, 21)
    assert decls.order[0] == ("enum", "e")
    assert [c for c, _ in decls.order[1:]] == ["constant"] * 7


@pytest.mark.parametrize("values, base", [
    ("A, B", "unsigned int"), ("A = -1", "int"), ("A = 0xffffffff", "unsigned int"),
    ("A = 0x100000000", "unsigned long"), ("A = -1, B = 0x80000000", "long"),
])
def test_enum_base_type_follows_gcc(values, base):
    assert cdef("enum e { %s };" % (values,)).types["enum e"].base.cname == base


def test_anonymous_enum_and_typedef_names():
    decls = cdef("enum { A = 1 }; typedef enum { B } e_t; typedef enum named { C } n_t;")
    assert decls.constants["A"][0].cname == "enum $1"
    assert parse_type(decls, "e_t").cname == "e_t"
    assert parse_type(decls, "enum named") is parse_type(decls, "n_t")
    assert parse_type(decls, "enum named").cname == "n_t"


@pytest.mark.parametrize("source", ["enum e { A, B, ... };", "enum e { A = ..., B };",
                                    "enum e { A, B = ... };"])
def test_partial_enums(source):
    decls = cdef(source)
    etype = decls.types["enum e"]
    assert etype.partial is True
    assert decls.constants["A"] == (etype, Ellipsis)
    assert decls.constants["B"] == (etype, Ellipsis)
    with pytest.raises(VerificationMissing, match="enum e"):
        parse_type(decls, "enum e *")


def test_enum_declared_twice_is_an_error_as_in_cffi():
    msg = cdef_error("enum e; enum e { A };", exc=NotImplementedError)
    assert "enum e: the '{}' declaration should appear on the first time" in msg
    decls = cdef("enum e { A };")
    with pytest.raises(NotImplementedError):
        parse_cdef(decls, "enum e { A };")
    with pytest.raises(NotImplementedError):
        parse_cdef(decls, "enum e { B };", override=True)
    assert decls.types["enum e"].relements == {"A": 0}


def test_forward_enum_guesses_unsigned_int_and_warns_once_when_used():
    decls = cdef("enum e;")
    etype = decls.types["enum e"]
    assert etype.base is TYPES.primitive("unsigned int") and etype.relements == {}
    with pytest.warns(UserWarning, match="'enum e' has no values explicitly defined"):
        assert parse_type(decls, "enum e") is etype
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parse_type(decls, "enum e *")


@pytest.mark.parametrize("value", ["FOO", "sizeof(int)", "(int)3"])
def test_unsupported_enum_expressions(value):
    msg = cdef_error("enum e { A = %s };" % (value,), exc=FFIError)
    assert msg == ":1: unsupported expression: expected a simple numeric constant"


@pytest.mark.parametrize("value", ["1.5", "-1e3", "(1.0f)", '"s"', "'ab'"])
def test_non_integer_literal_is_a_cdef_error(value):
    """cffi's CDefError 'invalid constant' at the declaration's line, not the FFIError of
    unsupported expressions."""
    msg = cdef_error("enum e { A = 1,\n B = %s };" % (value,))
    assert msg == "<cdef source string>:1: invalid constant %r" % (value.strip("(-)"),)


# -- Typedefs and the `...` forms ----
def test_typedef_of_anonymous_struct_takes_its_name():
    decls = cdef("typedef struct { int a; } foo_t; typedef union { int b; } u_t;")
    foo = parse_type(decls, "foo_t")
    assert isinstance(foo, StructOrUnionType) and foo.cname == "foo_t" and foo.name == "$foo_t"
    assert parse_type(decls, "foo_t *").cname == "foo_t *"
    assert parse_type(decls, "u_t").kind == "union"
    assert "struct $foo_t" not in decls.types


def test_anonymous_structs_get_numbered_names_per_declarations():
    decls = cdef("typedef struct { int a; } *p1; typedef struct { int a; } *p2;")
    assert spelled(decls, "p1") == "struct $1 *"
    assert spelled(decls, "p2") == "struct $2 *"
    cdef("typedef enum { Q } *p3;", decls)
    assert spelled(decls, "p3") == "enum $3 *"
    assert spelled(cdef("typedef struct { int a; } *p1;"), "p1") == "struct $1 *"


def test_one_anonymous_struct_for_several_declarators():
    decls = cdef("typedef struct { int a; } foo_t, *foo_p;")
    assert parse_type(decls, "foo_p").item is parse_type(decls, "foo_t")
    assert spelled(decls, "foo_p") == "foo_t *"


def test_named_struct_spelled_with_its_first_typedef_as_cffi_does():
    decls = cdef("struct s { int a; }; typedef struct s s_t; typedef struct s s2_t;")
    assert parse_type(decls, "struct s") is parse_type(decls, "s2_t")
    assert spelled(decls, "struct s") == "s_t"
    assert spelled(decls, "struct s *") == "s_t *"
    assert decls.order[0] == ("struct", "s")


@pytest.mark.parametrize("source, spelling", [
    ("typedef enum e { A } T;", "T"), ("typedef enum e T;", "T"),
    ("enum e { A }; typedef enum e T;", "enum e"), ("enum e; typedef enum e T;", "enum e"),
    ("union u { int a; }; typedef union u T;", "T"),
])
@pytest.mark.filterwarnings("ignore:.*has no values explicitly defined")
def test_tags_spelled_with_a_typedef_name_as_cffi_does(source, spelling):
    decls = cdef(source)
    tag = "union u" if "union" in source else "enum e"
    assert parse_type(decls, tag) is parse_type(decls, "T")
    assert spelled(decls, "T") == spelling


def test_struct_of_an_earlier_cdef_takes_a_later_typedef_name_until_used():
    # (cffi names a type when it first builds it: a typedef given before any use names it)
    decls = cdef("struct s { int a; }; int f(struct s *);")
    cdef("typedef struct s s_t; typedef struct s other_t;", decls)
    assert spelled(decls, "s_t") == "s_t"
    assert parse_type(decls, "struct s *").cname == "s_t *"
    used = cdef("struct s { int a; };")
    assert parse_type(used, "struct s[2]").cname == "struct s[2]"     # named: built, in cffi
    cdef("typedef struct s s_t;", used)
    assert spelled(used, "s_t") == "struct s"


def test_typedef_of_struct_completed_later():
    decls = cdef("typedef struct s s_t; struct s { int a; };")
    assert parse_type(decls, "s_t") is parse_type(decls, "struct s")
    assert parse_type(decls, "s_t").byte_size == 4


def test_opaque_typedefs():
    decls = cdef("typedef ... foo_t; typedef ... *foo_p; typedef ... a_t, b_t;")
    foo = parse_type(decls, "foo_t")
    assert foo.kind == "struct" and foo.cname == "foo_t" and foo.fields is None
    assert foo.is_opaque() and foo.partial is False
    assert spelled(decls, "foo_p") == "struct $$foo_p *"
    assert parse_type(decls, "a_t") is not parse_type(decls, "b_t")
    assert "struct foo_t" not in decls.types


@pytest.mark.parametrize("source, is_float", [
    ("typedef int... t;", False), ("typedef unsigned long long... t;", False),
    ("typedef char... t;", False), ("typedef float... t;", True),
    ("typedef double... t;", True),
])
def test_unknown_number_typedefs(source, is_float):
    decls = cdef(source)
    ctype = decls.types["t"]
    assert isinstance(ctype, UnknownNumberType)
    assert ctype.name == "t" and ctype.cname == "t" and ctype.is_float is is_float
    kind = "float" if is_float else "integer"
    with pytest.raises(NotImplementedError, match="%s type 't' can only be used" % (kind,)):
        parse_type(decls, "t *")


def test_unknown_number_typedef_with_several_names_and_bad_forms():
    decls = cdef("typedef int... a, b;")
    assert decls.types["a"].name == "a" and decls.types["b"].name == "b"
    assert 'unsupported usage of "..." in typedef' in cdef_error("typedef int... *p;", FFIError)


def test_typedef_of_arrays_and_functions():
    decls = cdef("typedef int arr_t[5]; typedef arr_t *arr_p; typedef int open_t[]; "
                 "typedef int dots_t[...]; typedef int fn_t(int); typedef fn_t *fn_p;")
    assert spelled(decls, "arr_p") == "int(*)[5]"
    assert parse_type(decls, "open_t").length is None
    assert parse_type(decls, "dots_t").length is Ellipsis
    assert isinstance(parse_type(decls, "fn_t"), RawFunctionType)
    assert spelled(decls, "fn_p") == "int(*)(int)"


def test_const_typedefs_are_remembered():
    decls = cdef("typedef const int cint; typedef int plain;")
    assert decls.const_typedefs == {"cint"}
    cdef("typedef int cint;", decls, override=True)
    assert decls.const_typedefs == set()


# -- Structs and unions ----
def test_struct_fields_and_layout():
    decls = cdef("struct s { char c; int i; double d; int *p; struct s *next; };")
    struct = decls.types["struct s"]
    assert [(n, f.type.cname, f.offset) for n, f in struct.fields] == [
        ("c", "char", 0), ("i", "int", 4), ("d", "double", 8), ("p", "int *", 16),
        ("next", "struct s *", 24)]
    assert struct.byte_size == 32
    assert struct.fields[4][1].type.item is struct


def test_anonymous_members_are_flattened():
    decls = cdef("struct s { struct { int a; } x; union { int b; float c; }; "
                 "struct { int d; }; };")
    fields = parse_type(decls, "struct s").fields
    assert [(n, f.type.cname, f.offset) for n, f in fields] == [
        ("x", "struct $1", 0), ("b", "int", 4), ("c", "float", 4), ("d", "int", 8)]


def test_nested_struct_definition_is_global():
    decls = cdef("struct s { struct t { int a; } x; enum { K = 3 } e; }; extern struct t y;")
    assert decls.types["struct t"].byte_size == 4
    assert decls.constants["K"][1] == 3
    assert decls.variables["y"][0] is decls.types["struct t"]


def test_bitfields():
    decls = cdef("struct s { int a:3, :0, b:2; unsigned :4; unsigned char c:1; };")
    fields = dict(parse_type(decls, "struct s").fields)
    assert (fields["a"].bitsize, fields["a"].offset) == (3, 0)
    assert (fields["b"].bitsize, fields["b"].offset) == (2, 4)
    assert "" not in fields and fields["c"].bitsize == 1


def test_bitfield_width_from_constants():
    decls = cdef("#define W 5\nstruct s { int a : W - 1; };")
    assert dict(parse_type(decls, "struct s").fields)["a"].bitsize == 4


def test_flexible_and_zero_length_arrays():
    decls = cdef("struct s { int n; int data[]; }; struct z { int n; int data[0]; };")
    assert parse_type(decls, "struct s").fields[1][1].type.length is None
    assert parse_type(decls, "struct s").has_flexible_array
    assert parse_type(decls, "struct z").fields[1][1].type.length == 0


def test_array_lengths_from_constant_expressions():
    decls = cdef("#define N 3\nenum { M = 2 };\nstruct s { int a[N * M]; char b[N][M + 1]; };")
    fields = dict(parse_type(decls, "struct s").fields)
    assert fields["a"].type.cname == "int[6]"
    assert fields["b"].type.cname == "char[3][3]"


def test_forward_declaration_completed_in_place():
    decls = cdef("struct s; struct s *f(void);")
    struct = decls.types["struct s"]
    assert struct.fields is None
    cdef("struct s { int a; };", decls)
    assert decls.types["struct s"] is struct and struct.byte_size == 4
    assert decls.functions["f"].result.item is struct


def test_member_defined_after_its_struct_in_the_same_cdef():
    decls = cdef("struct s { struct t x; int y; }; struct t { double d; };")
    assert parse_type(decls, "struct s").byte_size == 16


def test_member_completed_by_a_later_cdef():
    decls = cdef("struct t; struct s { struct t x; };")
    outer = decls.types["struct s"]
    assert outer.fields is None and outer in decls.pending
    cdef("struct t { int a, b; };", decls)
    assert outer.byte_size == 8 and decls.pending == {}


def test_duplicate_struct_bodies_are_errors_even_with_override():
    decls = cdef("struct s { int a; };")
    for source in ("struct s { int a; };", "struct s { long b; };"):
        assert cdef_error(source, decls=decls) == \
            "<cdef source string>:1: duplicate declaration of struct s"
        assert "duplicate declaration of struct s" in cdef_error(source, decls=decls,
                                                                 override=True)


def test_struct_union_enum_tags_are_separate():
    decls = cdef("struct s { int a; }; union s { char b; }; enum s { Q };")
    assert {k: v.kind for k, v in decls.types.items()} == {
        "struct s": "struct", "union s": "union", "enum s": "enum"}


@pytest.mark.parametrize("source", ["struct s { int a; ...; };", "struct s { ...; int a; };",
                                    "struct s { int a[...]; };",
                                    "struct t { int a; ...; }; struct s { struct t x; };"])
def test_partial_structs(source):
    decls = cdef(source)
    struct = decls.types["struct s"]
    assert struct.partial is True and struct.is_opaque()
    assert struct._decl_fields is not None
    with pytest.raises(VerificationMissing, match="struct"):
        parse_type(decls, "struct s")


def test_struct_pointing_to_partial_struct_is_unusable_in_abi_mode():
    decls = cdef("struct s { int a; ...; }; struct o { struct s *p; }; struct ok { int z; };")
    with pytest.raises(VerificationMissing, match="struct s"):
        parse_type(decls, "struct o")
    with pytest.raises(VerificationMissing, match="struct s"):
        parse_type(decls, "int(*)(struct s *)")
    assert parse_type(decls, "struct ok").byte_size == 4


def test_struct_with_unknown_number_member():
    decls = cdef("typedef int... t; struct u { t x[2]; };")
    assert decls.types["struct u"].partial is True
    with pytest.raises(NotImplementedError, match="integer type 't'"):
        parse_type(decls, "struct u")


@pytest.mark.parametrize("source, exc, words", [
    ("struct s { int a; int a; };", KeyError, ["duplicate field name 'a'"]),
    ("struct s { void v; };", TypeError, ["field 'struct s.v' has ctype 'void'"]),
    ("struct s { struct s inner; };", NotImplementedError, ["recursive structure", "'s'"]),
    ("struct s { float f : 3; };", TypeError, ["'struct s.f'", "'float' cannot be a bit field"]),
    ("struct s { int a : 40; };", TypeError, ["'struct s.a' is declared 'int:40'", "exceeds"]),
    ("struct s { int a : 0; };", TypeError, ["'struct s.a' is declared with :0"]),
    ("struct s { int x[-1]; };", ValueError, ["negative array length"]),
    ("struct s { int a[]; int b; };", TypeError, ["'struct s.a' has ctype 'int[]'"]),
    ("struct s { struct t a; }; struct t { struct s b; };", NotImplementedError,
     ["recursive structure declaration for 's'"]),
])
def test_struct_errors_are_reported_when_the_struct_is_used(source, exc, words):
    decls = cdef(source)
    struct = decls.types["struct s"]
    assert struct.fields is None and struct in decls.broken
    for text in ("struct s", "struct s *", "struct s[2]"):
        with pytest.raises(exc) as info:
            parse_type(decls, text)
        for word in words:
            assert word in str(info.value)
    assert "duplicate declaration" in cdef_error("struct s { int ok; };", decls=decls)


def test_function_member_is_an_error():
    assert "is a function type" in cdef_error("struct s { int f(int); };")


@pytest.mark.parametrize("kwds, size", [({}, 16), ({"packed": True}, 9), ({"pack": 1}, 9),
                                        ({"pack": 2}, 10), ({"pack": 4}, 12), ({"pack": 16}, 16)])
def test_packed_and_pack(kwds, size):
    decls = cdef("struct s { char a; long b; };", **kwds)
    assert parse_type(decls, "struct s").byte_size == size


@pytest.mark.parametrize("kwds, message", [
    ({"pack": 3}, "'pack' must be a power of two, not 3"),
    ({"pack": -2}, "'pack' must be a power of two, not -2"),
    ({"pack": 2, "packed": True}, "cannot give both 'pack' and 'packed'"),
])
def test_invalid_pack(kwds, message):
    with pytest.raises(ValueError) as info:
        parse_cdef(Declarations(), "int f(int);", **kwds)
    assert str(info.value) == message


def test_packed_applies_only_to_its_cdef():
    decls = cdef("struct a { char c; int i; };", packed=True)
    cdef("struct b { char c; int i; };", decls)
    assert parse_type(decls, "struct a").byte_size == 5
    assert parse_type(decls, "struct b").byte_size == 8


# -- extern "Python" ----
def test_extern_python_forms():
    decls = cdef('extern "Python" int f(int);\n'
                 'extern "Python+C" { int g(int);\n long h(long, char *); }\n'
                 'int k(int);\nextern "Python" void m(void), n(int);')
    assert decls.extern_python["f"] == (TYPES.raw_function([TYPES.primitive("int")],
                                                           TYPES.primitive("int"), False), False)
    assert decls.extern_python["g"][1] is True and decls.extern_python["h"][1] is True
    assert decls.extern_python["h"][0].cname == "long(long, char *)"
    assert set(decls.extern_python) == {"f", "g", "h", "m", "n"}
    assert list(decls.functions) == ["k"]
    assert ("extern_python", "f") in decls.order


def test_extern_python_after_a_rewrite_on_the_same_line():
    """Rewriting `int...` moves the columns pycparser reports; the regions follow."""
    decls = cdef('typedef int... t; extern "Python" int f(int); int g(int);')
    assert list(decls.extern_python) == ["f"] and list(decls.functions) == ["g"]


def test_extern_python_coexists_with_a_function_of_the_same_name():
    decls = cdef('extern "Python" int f(int); int f(int);')
    assert "f" in decls.functions and "f" in decls.extern_python


def test_typedef_inside_extern_python_is_a_typedef():
    decls = cdef('extern "Python" typedef int t; extern "Python" { typedef long u; int f(u); }')
    assert decls.types["t"] is TYPES.primitive("int")
    assert decls.extern_python["f"][0].cname == "int(long)"


@pytest.mark.parametrize("source, exc, words", [
    ('extern "Python" int x;', CDefError, ["cannot declare constants or variables"]),
    ('extern "Python" { int x; }', CDefError, ["cannot declare constants or variables"]),
    ('extern "Python" { struct s { int a; }; }', NotImplementedError,
     ["cannot use { } inside a block"]),
    ('extern "python" int f(int);', CDefError, ['extern "python" is not supported']),
    ('extern "Python" { extern "Python" int f(int); }', CDefError, ["inside an extern"]),
])
def test_extern_python_errors(source, exc, words):
    msg = cdef_error(source, exc=exc)
    for word in words:
        assert word in msg


# -- Redeclarations and override ----
@pytest.mark.parametrize("first, second", [
    ("typedef int t;", "typedef int t;"),
    ("extern int x;", "extern int x;"),
    ("enum { A = 1 };", "#define A 1"),
    ("enum e { B };", "static const int B = 0;"),
    ("struct s; struct s { int a; };", "struct s;"),
    ("typedef struct s s_t;", "typedef struct s s_t;"),
])
def test_identical_redeclarations_are_accepted(first, second):
    decls = cdef(first)
    before = list(decls.order)
    cdef(second, decls)
    assert decls.order == before


@pytest.mark.parametrize("first, second, message", [
    ("typedef int t;", "typedef long t;", "multiple declarations of typedef t"),
    ("typedef struct { int a; } t;", "typedef struct { int a; } t;",
     "multiple declarations of anonymous t"),
    ("typedef ... t;", "typedef ... t;", "multiple declarations of typedef t"),
    ("int f(int);", "long f(int);", "multiple declarations of function f"),
    ("int f(int);", "int f(int);", "multiple declarations of function f"),
    ("extern int x;", "extern long x;", "multiple declarations of variable x"),
    ('extern "Python" int f(int);', 'extern "Python" long f(int);',
     "multiple declarations of extern_python f"),
    ("static const int x;", "static const long x;", "multiple declarations of constant x"),
    ("#define x 5", "#define x ...", "multiple declarations of macro x"),
    ("enum { A = 1 };", "enum { A = 2 };", "multiple declarations of constant: A"),
])
def test_conflicting_redeclarations(first, second, message):
    decls = cdef(first)
    msg = cdef_error(second, exc=FFIError, decls=decls)
    assert msg.startswith(message)        # cffi's FFIError names no place
    with pytest.raises(FFIError):
        parse_cdef(decls, second)
    if message.startswith("multiple declarations of constant: "):
        assert msg.endswith(message)
    else:
        assert msg.endswith("(for interactive usage, try cdef(xx, override=True))")


def test_override_replaces_declarations():
    decls = cdef("typedef int t; int f(int); extern int x; static const int C;")
    order = list(decls.order)
    cdef("typedef long t; long f(long); extern char x; static const long C;", decls,
         override=True)
    assert parse_type(decls, "t") is TYPES.primitive("long")
    assert decls.functions["f"].cname == "long(*)(long)"
    assert decls.variables["x"][0] is TYPES.primitive("char")
    assert decls.constants["C"][0] is TYPES.primitive("long")
    assert decls.typedef_names == ["t"]
    assert decls.order == order


@pytest.mark.parametrize("first, second", [
    ("enum { A = 1 };", "enum { A = 2 };"),
    ("#define A 1", "#define A 2"),
    ("enum e { A };", "#define A 1"),
    ("#define A 1", "enum f { A = 2 };"),
])
def test_override_keeps_integer_constants(first, second):
    """An integer constant given another value is refused even with override=True (cffi)."""
    decls = cdef(first)
    with pytest.raises(FFIError, match="^multiple declarations of constant: A$"):
        cdef(second, decls, override=True)
    cdef(first.replace("enum e", "enum g"), decls, override=True)      # the same value is fine


# -- Transactions ----
def test_failed_cdef_changes_nothing():
    decls = cdef("struct s; struct t; typedef int myint; struct u { struct t x; };")
    struct_s, struct_t, struct_u = (decls.types[k] for k in ("struct s", "struct t", "struct u"))
    snapshot = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in decls.__dict__.items()
                if k != "type_cache"}
    for bad in ("struct s { int a; }; struct t { int b; }; int f(int); enum e { E };\n"
                "typedef long myint2;\nint broken broken;",
                "struct s { int a; }; struct t { int b; }; extern int x;\nenum { Q = NOPE };",
                "struct s { int a; }; struct t { int b; };\ntypedef long myint;"):
        with pytest.raises((CDefError, FFIError)):
            parse_cdef(decls, bad)
        assert {k: v for k, v in decls.__dict__.items() if k != "type_cache"} == snapshot
        assert struct_s.fields is None and struct_t.fields is None and struct_u.fields is None
        assert struct_s.byte_size == -1 and not struct_s.partial
    cdef("struct t { int b; };", decls)
    assert struct_u.byte_size == 4


def test_failed_cdef_restores_a_struct_completed_from_pending():
    decls = cdef("struct t; struct u { struct t x; };")
    struct_u = decls.types["struct u"]
    with pytest.raises(CDefError):
        parse_cdef(decls, "struct t { int b; }; int oops oops;")
    assert struct_u.fields is None and struct_u in decls.pending


def test_failed_cdef_keeps_the_anonymous_counter():
    decls = cdef("typedef struct { int a; } *p1;")
    with pytest.raises(CDefError):
        parse_cdef(decls, "typedef struct { int a; } *p2; int bad bad;")
    cdef("typedef struct { int a; } *p3;", decls)
    assert spelled(decls, "p3") == "struct $2 *"


def test_warnings_are_issued_only_on_success():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CDefError):
            parse_cdef(Declarations(), "int x; int y y;")


# -- parse_type ----
@pytest.mark.parametrize("text, spelling", [
    ("int", "int"), (" int ", "int"), ("int\n*", "int *"), ("int /* c */ *", "int *"),
    ("const int *", "int *"), ("int * const", "int *"), ("int *restrict", "int *"),
    ("int(*)(int, ...)", "int(*)(int, ...)"), ("char *(*)(void)", "char *(*)()"),
    ("int[]", "int[]"), ("int[][3]", "int[][3]"), ("int[2*3]", "int[6]"),
    ("int(*)[3]", "int(*)[3]"), ("int(*[5])(int)", "int(*[5])(int)"),
    ("void", "void"), ("void *", "void *"), ("int x", "int"),
    ("struct {int a;}", "struct $1"), ("int(*)(int a[])", "int(*)(int *)"),
])
def test_parse_type_spellings(text, spelling):
    assert spelled(Declarations(), text) == spelling


def test_parse_type_returns_interned_types():
    decls = Declarations()
    assert parse_type(decls, "int *") is parse_type(decls, "int*") is \
        TYPES.pointer(TYPES.primitive("int"))


def test_parse_type_of_a_function_type_returns_the_raw_function():
    decls = cdef("typedef int fn_t(int);")
    assert isinstance(parse_type(decls, "int(int)"), RawFunctionType)
    assert parse_type(decls, "fn_t") is parse_type(decls, "int f(int)")


def test_parse_type_declares_unknown_tags_like_cffi():
    decls = Declarations()
    struct = parse_type(decls, "struct foo *").item
    assert decls.types["struct foo"] is struct and ("struct", "foo") in decls.order
    cdef("struct foo { int a; };", decls)
    assert struct.byte_size == 4 and parse_type(decls, "struct foo *").item is struct
    assert parse_type(decls, "union u").kind == "union" and "union u" in decls.types


@pytest.mark.parametrize("text, exc, words", [
    ("bar_t", CDefError, ["unknown identifier 'bar_t'"]),
    ("bar_t *", CDefError, ['cannot parse "bar_t *"', "unknown type name 'bar_t'"]),
    ("int, int", CDefError, ["expected exactly one C type"]),
    ("", CDefError, ["expected exactly one C type"]),
    ("int;", CDefError, ["cannot parse"]),
    ("int[N]", FFIError, [":2: unsupported expression: expected a simple numeric constant"]),
    ("int[...]", FFIError, ["unsupported '[...]' here"]),
    ("int[-1]", ValueError, ["negative array length"]),
    ("int[2][]", ValueError, ["array item of unknown size: 'int[]'"]),
    ("int(...)", CDefError, ["only '(...)'"]),
    ("unsigned float", FFIError, ["Unsupported type: 'unsigned float'"]),
    ("#define X 1", CDefError, ["only a C type is expected"]),
])
def test_parse_type_errors(text, exc, words):
    with pytest.raises(exc) as info:
        parse_type(Declarations(), text)
    shown = "\n".join([str(info.value)] + getattr(info.value, "__notes__", []))
    for word in words:
        assert word in shown


def test_parse_type_cache_is_a_dict_lookup_reset_by_cdef():
    decls = cdef("typedef int t;")
    first = parse_type(decls, "t *")
    assert decls.type_cache["t *"] is first
    assert parse_type(decls, "t *") is first
    cdef("typedef long t;", decls, override=True)
    assert "t *" not in decls.type_cache
    assert parse_type(decls, "t *") is TYPES.pointer(TYPES.primitive("long"))


def test_parse_type_cache_miss_does_not_drop_the_cache():
    decls = Declarations()
    parse_type(decls, "int")
    cache = decls.type_cache
    parse_type(decls, "struct new_one")
    assert decls.type_cache is cache and set(cache) == {"int", "struct new_one"}


def test_parse_type_cached_result_is_not_parsed_again(monkeypatch):
    import purecffi.typename as typename_module
    decls = cdef("struct s { int a; };")
    first = parse_type(decls, "struct s *")

    def refuse(*args):
        raise AssertionError("parsed again")
    monkeypatch.setattr(typename_module, "parse_type_name", refuse)
    assert parse_type(decls, "struct s *") is first


# -- ffi.include() ----
def test_include_takes_types_and_constants_not_functions():
    other = cdef("typedef int t; struct s { int x; }; enum e { A = 1 }; int f(int);\n"
                 "extern int v;\n#define N 5")
    decls = cdef("typedef int t;")
    decls.include(other)
    assert decls.types["struct s"] is other.types["struct s"]
    assert decls.constants["N"] == (None, 5) and decls.constants["A"][1] == 1
    assert decls.functions == {} and decls.variables == {}
    assert decls.typedef_names == ["t"]
    assert decls.order == [("typedef", "t")]
    cdef("struct s2 { struct s a; t b; };", decls)
    assert parse_type(decls, "struct s2").byte_size == 8


def test_include_keeps_placeholders_unusable():
    other = cdef("struct p { int a; ...; };")
    decls = Declarations()
    decls.include(other)
    with pytest.raises(VerificationMissing, match="struct p"):
        parse_type(decls, "struct p *")


@pytest.mark.parametrize("mine, message", [
    ("typedef long t;", "multiple declarations of typedef t"),
    ("struct s;", "multiple declarations of struct s"),
    ("#define N 6", "multiple declarations of constant: N"),
])
def test_include_conflicts(mine, message):
    other = cdef("typedef int t; struct s { int x; };\n#define N 5")
    decls = cdef(mine)
    before = dict(decls.types)
    with pytest.raises(FFIError, match=message):
        decls.include(other)
    assert decls.types == before


# -- The extension layer ----
def test_prepare_keeps_lines_and_columns():
    source = ('#define A 1\n/* c */ typedef int... t;\nstruct s { int a[...]; ...; };\n'
              'extern "Python" int f(int);\nenum e { X = ..., Y, ... };\n# 7 "h.h"\nint z;'
              '\n/* one */\t  int w; // end')
    prep = grammar.prepare(source)
    assert prep.text.count("\n") == source.count("\n")
    lines = prep.text.split("\n")
    assert lines[6] == "int z;"
    assert lines[7].index("int w;") == source.split("\n")[7].index("int w;")
    assert lines[1].strip().startswith("typedef")
    assert grammar.MARK_INT in lines[1] and "..." not in prep.text
    assert lines[2].count(grammar.MARK_DOTS) == 2
    assert prep.lines.origin(7) == ("h.h", 7) and prep.lines.origin(2) == (
        grammar.DEFAULT_FILE, 2)
    assert [(d.name, d.value) for d in prep.defines] == [("A", "1")]
    assert prep.extern_python == [((4, 1), (4, 27), False)]
    assert {"t", "f", "z", grammar.MARK_INT} <= prep.identifiers


def test_prepare_keeps_variadic_dots():
    prep = grammar.prepare("int f(int, ...); typedef int (*g)(char *, ...);")
    assert prep.text.count("...") == 2


@pytest.mark.parametrize("context, source", [
    ("array length", "int a[...];"), ("enum value", "enum e { A = ... };"),
    ("enum tail", "enum e { A, ... };"), ("struct tail", "struct s { int a; ...; };"),
    ("opaque typedef", "typedef ... t;"), ("number typedef", "typedef long... t;"),
])
def test_every_dots_form_is_rewritten(context, source):
    assert "..." not in grammar.prepare(source).text


# -- Many declarations ----
def test_five_hundred_declarations_parse():
    source = "\n".join(
        "int func%d(int a, double *b, const char *c);\n"
        "struct s%d { int a; long b[4]; char *c; struct s%d *next; };\n"
        "typedef unsigned long ul%d;\n#define C%d %d\nextern ul%d var%d;" % ((i,) * 8)
        for i in range(100))
    decls = Declarations()
    parse_cdef(decls, source)
    assert len(decls.functions) == 100 and len(decls.constants) == 100
    assert parse_type(decls, "struct s99").byte_size == 56


# -- Differential checks against cffi (run, never read) ----
_DIFF_PRELUDE = ("struct s { int a; char b; }; union u { int i; double d; }; "
                 "enum e { E1, E2 = 300 }; typedef struct s s_t; typedef int fn_t(int);\n")
_DIFF_BASES = ["int", "unsigned", "long long unsigned", "signed char", "double", "_Bool",
               "size_t", "wchar_t", "struct s", "union u", "enum e", "s_t", "fn_t *"]
_DIFF_DECLARATORS = ["T", "*T", "T[3]", "*T[2]", "(*T)[4]", "(*T)(int)", "(*T)(void)",
                     "(*T)(int, ...)", "*(*T)(char *, long)", "(*T[2])(int)",
                     "(*(*T)(int))[3]", "T[2][3]", "(*T)(int a[], int f(long))", "*const T"]


def _cffi_typedef(cffi, source):
    ffi = cffi.FFI()
    ffi.cdef(source)
    ctype = ffi.typeof("T")
    return ctype.cname, ffi.sizeof(ctype) if ctype.kind != "function" else None


def _pure_typedef(source):
    ctype = parse_type(cdef(source), "T")
    return ctype.cname, ctype.byte_size if ctype.kind != "function" else None


@pytest.mark.parametrize("base", _DIFF_BASES)
def test_typedef_spellings_and_sizes_match_cffi(base):
    cffi = pytest.importorskip("cffi")
    for declarator in _DIFF_DECLARATORS:
        source = _DIFF_PRELUDE + "typedef %s %s;" % (base, declarator)
        assert _pure_typedef(source) == _cffi_typedef(cffi, source), source


@pytest.mark.parametrize("body", [
    "struct T { char a; int b; short c; };",
    "struct T { int a:3; int b:5; char c; int d:20; };",
    "struct T { char a; int :0; char b; };",
    "struct T { long long a:40; int b:30; };",
    "struct T { char c; union { int i; char x[5]; }; short s; };",
    "struct T { char a; struct { short b; char c; } in; char d; };",
    "union T { char a; double b; int c[3]; };",
    "struct T { unsigned char a:1, b:1, c:6; unsigned short d:9; };",
    "struct T { char a; long double ld; };",
    "struct T { int a[2][3]; char b; struct T *next; int (*fp)(int); };",
    "struct T { enum { X, Y } e; char c; };",
])
@pytest.mark.parametrize("kwds", [{}, {"packed": True}, {"pack": 2}])
def test_struct_layouts_match_cffi(body, kwds):
    cffi = pytest.importorskip("cffi")
    name = body.split("{")[0].strip()
    ffi = cffi.FFI()
    ffi.cdef(body, **kwds)
    expected = ffi.typeof(name)
    ours = parse_type(cdef(body, **kwds), name)
    assert (ours.byte_size, ours.byte_align) == (ffi.sizeof(expected), ffi.alignof(expected))
    assert [(n, f.offset, f.bitshift, f.bitsize) for n, f in ours.fields] == \
        [(n, f.offset, f.bitshift, f.bitsize) for n, f in expected.fields]
