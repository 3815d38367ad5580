"""cdef() at its limits: long constant expressions, deep nesting, line markers, misplaced
extern "Python", array lengths beyond size_t."""
import pytest

from _backend import IS_CFFI, FFI, CDefError

purecffi_only = pytest.mark.skipif(IS_CFFI, reason="cffi raises RecursionError or "
                                                   "OverflowError here")


def test_enum_value_of_500_terms():
    terms = " | ".join("(1 << %d)" % (i % 30) for i in range(500))
    ffi = FFI()
    ffi.cdef("enum big { BIG = %s, NEXT };" % (terms,))
    lib = ffi.dlopen(None)
    assert lib.BIG == (1 << 30) - 1
    assert lib.NEXT == 1 << 30


@purecffi_only
def test_enum_value_of_500_additions_and_subtractions():
    ffi = FFI()
    ffi.cdef("enum e { E = %s };" % (" + ".join(["3 - 1"] * 500),))
    assert ffi.dlopen(None).E == 1000


@purecffi_only
def test_define_of_500_terms():
    ffi = FFI()
    ffi.cdef("#define MASK %s" % (" | ".join("0x%x" % (1 << (i % 20)) for i in range(500)),))
    assert ffi.dlopen(None).MASK == (1 << 20) - 1


@purecffi_only
def test_ternary_in_a_long_expression_evaluates_the_chosen_branch_only():
    ffi = FFI()
    ffi.cdef("#define X (%s) ? 7 : 1 / 0" % (" + ".join(["1"] * 300),))
    assert ffi.dlopen(None).X == 7


@purecffi_only
@pytest.mark.parametrize("source", [
    "enum e { A = %s1%s };" % ("(" * 2000, ")" * 2000),
    "typedef int %st;" % ("*" * 5000,),
    "typedef int t%s;" % ("[1]" * 3000,),
    "struct a { %s int x; %s };" % ("struct { " * 500, "}; " * 500),
], ids=["parentheses", "pointers", "arrays", "structs"])
def test_deep_nesting_is_a_cdef_error(source):
    ffi = FFI()
    with pytest.raises(CDefError, match="nested too deeply") as info:
        ffi.cdef(source)
    assert info.value.__context__ is None or info.value.__suppress_context__
    ffi.cdef("extern int still_usable;")          # nothing half-declared


def test_line_marker_followed_by_a_declaration_is_an_error():
    ffi = FFI()
    with pytest.raises(CDefError):
        ffi.cdef('# 42 "f.h" int f(int);')


def test_line_markers_with_gcc_flags_and_line_directives_are_accepted():
    ffi = FFI()
    ffi.cdef('# 42 "f.h" 1 3\nint f(int);\n#line 7 "g.h"\nint g(int);')
    assert ffi.typeof("int(*)(int)") is ffi.typeof("int(*)(int)")


@pytest.mark.parametrize("source", [
    'int f(extern "Python" int x);',
    'int f(int, extern "Python" int (*cb)(int));',
])
def test_extern_python_inside_a_parameter_list_is_an_error(source):
    with pytest.raises(CDefError):
        FFI().cdef(source)


_INDEX_SIZED = "cannot fit 'int' into an index-sized integer"
_SSIZE_T = "array size would overflow a Py_ssize_t"


@purecffi_only
@pytest.mark.parametrize("declaration, message", [
    ("struct s { char a[1000000000000000000000000000000]; };", _INDEX_SIZED),
    ("typedef char big[18446744073709551616];", _INDEX_SIZED),
    ("typedef int big[4611686018427387904];", _SSIZE_T),
])
def test_array_length_beyond_size_t_is_an_error(declaration, message):
    """Refused at cdef() (cffi refuses such a type when it is used), with cffi's error."""
    ffi = FFI()
    with pytest.raises(OverflowError) as info:
        ffi.cdef(declaration)
    assert str(info.value) == message


@pytest.mark.parametrize("text, message", [
    ("char[100000000000000000000000000]", _INDEX_SIZED),
    ("char[9223372036854775808]", _INDEX_SIZED),
    ("int[4611686018427387904]", _SSIZE_T),
    ("int(*)[4611686018427387904]", _SSIZE_T),
])
def test_typeof_an_array_beyond_size_t_is_an_error(text, message):
    with pytest.raises(OverflowError) as info:
        FFI().typeof(text)
    assert str(info.value) == message


def test_large_array_that_fits_is_fine():
    ffi = FFI()
    ffi.cdef("typedef char big[4294967296];")
    assert ffi.sizeof("big") == 1 << 32
