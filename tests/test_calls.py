"""Calling C functions of a dlopen()ed library: argument and return conversions."""
import errno
import os
import runpy
import struct
import threading
import time

import pytest

from _backend import IS_CFFI

PRIM_TYPES = runpy.run_path(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "clib", "testlib_cdef.py")
)["PRIM_TYPES"]
INT_TYPES = [(n, t) for n, t in PRIM_TYPES if t not in ("float", "double", "long double")]


def _int_range(ffi, ctype):
    bits = 8 * ffi.sizeof(ctype)
    if int(ffi.cast(ctype, -1)) < 0:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def _f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


# --------------------------------------------------------------------------
# primitive types
# --------------------------------------------------------------------------

@pytest.mark.parametrize("suffix, ctype", INT_TYPES, ids=[t for _, t in INT_TYPES])
def test_integer_identity_at_limits(ffi, testlib, suffix, ctype):
    lo, hi = _int_range(ffi, ctype)
    f = getattr(testlib, "tl_id_" + suffix)
    for v in (lo, hi, 0, 1, hi // 3, lo // 5):
        r = f(v)
        assert r == v
        assert type(r) is int


@pytest.mark.parametrize("suffix, ctype", INT_TYPES, ids=[t for _, t in INT_TYPES])
def test_integer_out_of_range_raises_overflow(ffi, testlib, suffix, ctype):
    lo, hi = _int_range(ffi, ctype)
    f = getattr(testlib, "tl_id_" + suffix)
    with pytest.raises(OverflowError):
        f(hi + 1)
    with pytest.raises(OverflowError):
        f(lo - 1)


@pytest.mark.parametrize("suffix, ctype", INT_TYPES, ids=[t for _, t in INT_TYPES])
def test_integer_add_computes_in_c(ffi, testlib, suffix, ctype):
    """The result is computed by C, so unsigned arithmetic wraps modulo 2**bits."""
    lo, hi = _int_range(ffi, ctype)
    f = getattr(testlib, "tl_add_" + suffix)
    assert f(30, 12) == 42
    if lo == 0:
        assert f(hi, 3) == 2
    else:
        assert f(-50, 8) == -42


@pytest.mark.parametrize("suffix, ctype", INT_TYPES, ids=[t for _, t in INT_TYPES])
def test_negative_arguments_reach_c_with_their_sign(ffi, testlib, suffix, ctype):
    """C computes with the negative value itself (ints, int cdata and bools alike)."""
    lo, hi = _int_range(ffi, ctype)
    add = getattr(testlib, "tl_add_" + suffix)
    if lo == 0:
        with pytest.raises(OverflowError):
            add(-1, 0)
        return
    assert add(lo, 0) == lo and add(lo + 1, -1) == lo
    assert add(-1, -1) == -2 and add(-1, True) == 0
    assert add(ffi.cast(ctype, -3), -4) == -7
    assert add(ffi.cast(ctype, lo), ffi.cast(ctype, hi)) == -1


def test_char_arguments_above_127(testlib):
    """char is signed on x86-64: b"\\xff" reaches C as -1 and comes back as b"\\xff"."""
    assert testlib.tl_char_code(b"\xff") == 255 and testlib.tl_char_code(b"\x80") == 128
    assert testlib.tl_id_char(b"\x80") == b"\x80"
    assert testlib.tl_next_char(b"\xfe") == b"\xff"


@pytest.mark.parametrize("bad, exc", [(1.5, TypeError), ("3", TypeError), (None, TypeError),
                                      (b"3", TypeError), ([3], TypeError)])
def test_integer_argument_type_errors(testlib, bad, exc):
    with pytest.raises(exc):
        testlib.tl_id_int(bad)


def test_integer_argument_accepts_bool_and_int_cdata(ffi, testlib):
    assert testlib.tl_id_int(True) == 1
    assert testlib.tl_add_int(ffi.cast("long", 40), ffi.cast("short", 2)) == 42
    with pytest.raises(OverflowError):
        testlib.tl_id_int(ffi.cast("long long", 2 ** 40))


def test_float_and_double_round_trip(testlib):
    assert testlib.tl_id_double(0.1) == 0.1
    assert testlib.tl_id_float(0.1) == _f32(0.1) != 0.1
    assert testlib.tl_add_double(1e300, 1e300) == 2e300
    assert testlib.tl_add_float(0.5, 0.25) == 0.75
    assert testlib.tl_id_double(3) == 3.0 and type(testlib.tl_id_double(3)) is float


def test_float_special_values(testlib):
    assert testlib.tl_id_double(float("inf")) == float("inf")
    assert testlib.tl_id_float(float("-inf")) == float("-inf")
    nan = testlib.tl_id_double(float("nan"))
    assert nan != nan
    assert testlib.tl_id_float(1e300) == float("inf")   # rounds to float in C


@pytest.mark.parametrize("bad", ["1.0", None, b"x"])
def test_float_argument_type_errors(testlib, bad):
    with pytest.raises(TypeError):
        testlib.tl_id_double(bad)


def test_char_round_trip(testlib):
    assert testlib.tl_id_char(b"a") == b"a"
    assert testlib.tl_next_char(b"a") == b"b"
    assert testlib.tl_char_code(b"\xff") == 255
    assert testlib.tl_char_code(b"\x00") == 0


@pytest.mark.parametrize("bad", [97, "a", b"ab", b""])
def test_char_argument_type_errors(testlib, bad):
    with pytest.raises(TypeError):
        testlib.tl_id_char(bad)


def test_bool_round_trip(testlib):
    assert testlib.tl_id_bool(True) is True
    assert testlib.tl_id_bool(0) is False
    assert testlib.tl_not_bool(1) is False
    assert testlib.tl_not_bool(False) is True
    assert testlib.tl_bool_as_int(True) == 1


def test_bool_out_of_range(testlib):
    with pytest.raises(OverflowError):
        testlib.tl_id_bool(2)
    with pytest.raises(OverflowError):
        testlib.tl_id_bool(-1)


@pytest.mark.parametrize("ident, nxt", [("tl_id_wchar", "tl_next_wchar"),
                                        ("tl_id_char16", "tl_next_char16"),
                                        ("tl_id_char32", "tl_next_char32")])
def test_unicode_char_types_round_trip(testlib, ident, nxt):
    assert getattr(testlib, ident)("x") == "x"
    assert getattr(testlib, ident)("\u263a") == "\u263a"
    assert getattr(testlib, nxt)("\u263a") == "\u263b"
    assert getattr(testlib, nxt)("a") == "b"


def test_char32_and_wchar_codes(testlib):
    assert testlib.tl_char32_code("\U0001f600") == 0x1F600
    assert testlib.tl_wchar_code("\u00e9") == 0xE9
    assert testlib.tl_id_char32("\U0001f600") == "\U0001f600"


@pytest.mark.parametrize("func", ["tl_id_wchar", "tl_id_char16", "tl_id_char32"])
@pytest.mark.parametrize("bad", [b"x", 65, "xy"])
def test_unicode_char_argument_type_errors(testlib, func, bad):
    with pytest.raises(TypeError):
        getattr(testlib, func)(bad)


def test_char16_rejects_non_bmp_character(testlib):
    with pytest.raises(TypeError):
        testlib.tl_id_char16("\U0001f600")


def test_long_double_returns_cdata(ffi, testlib):
    r = testlib.tl_add_longdouble(1.5, 2)
    assert isinstance(r, ffi.CData)
    assert ffi.typeof(r) == ffi.typeof("long double")
    assert float(r) == 3.5
    assert int(r) == 3


def test_long_double_keeps_precision(ffi, testlib):
    if ffi.sizeof("long double") <= ffi.sizeof("double"):
        pytest.skip("long double is just a double here")
    third = testlib.tl_ld_third()
    assert testlib.tl_ld_is_third(third) == 1
    assert testlib.tl_ld_is_third(testlib.tl_id_longdouble(third)) == 1
    assert testlib.tl_ld_is_third(1 / 3) == 0
    assert testlib.tl_ld_is_third(float(third)) == 0
    assert testlib.tl_ld_to_double(third) == 1 / 3


def test_long_double_size_matches_c(ffi, testlib):
    assert testlib.tl_sizeof_longdouble() == ffi.sizeof("long double")


def test_long_double_argument_type_error(testlib):
    with pytest.raises(TypeError):
        testlib.tl_id_longdouble("1.5")


def test_mixed_argument_types(testlib):
    r = testlib.tl_mixed_args(-1, 2, -3, 4, 0.5, 0.25, 255, -2 ** 40)
    assert r == -1 + 2 - 3 + 4 + 0.5 + 0.25 + 255 - 2 ** 40


def test_many_arguments_spill_to_stack(testlib):
    assert testlib.tl_sum10(*range(1, 11)) == sum(i * i for i in range(1, 11))
    args = [0.5 * i for i in range(1, 11)]
    assert testlib.tl_sum_dbl10(*args) == sum((i + 1) * a for i, a in enumerate(args))


def test_void_function_returns_none(testlib):
    assert testlib.tl_noop() is None


def test_empty_parameter_list_means_void(testlib):
    """`int f();` in cdef() is `int f(void);` (6.5)."""
    assert testlib.tl_return_42() == 42
    with pytest.raises(TypeError):
        testlib.tl_return_42(1)


@pytest.mark.parametrize("func, args", [
    ("tl_id_int", ()), ("tl_id_int", (1, 2)), ("tl_add_int", (1,)),
    ("tl_noop", (0,)), ("tl_divmod", (1, 2, 3)), ("tl_vsum", ()),
])
def test_wrong_argument_count(testlib, func, args):
    with pytest.raises(TypeError) as excinfo:
        getattr(testlib, func)(*args)
    assert "argument" in str(excinfo.value)


def test_keyword_arguments_refused(testlib):
    with pytest.raises(TypeError):
        testlib.tl_id_int(x=1)


def test_size_t_and_ssize_t(testlib):
    assert testlib.tl_id_ssize_t(-1) == -1
    with pytest.raises(OverflowError):
        testlib.tl_id_size_t(-1)


def test_enum_arguments_and_results_are_ints(testlib):
    r = testlib.tl_next_color(testlib.TL_RED)
    assert r == testlib.TL_GREEN == 5
    assert type(r) is int
    assert testlib.tl_next_color(6) == testlib.TL_RED


# --------------------------------------------------------------------------
# pointers and arrays
# --------------------------------------------------------------------------

def test_out_parameters_from_ffi_new(ffi, testlib):
    q = ffi.new("int *")
    r = ffi.new("int *")
    assert testlib.tl_divmod(47, 5, q, r) is None
    assert (q[0], r[0]) == (9, 2)


@pytest.mark.parametrize("arg", [[1, 2, 3, 4], (1, 2, 3, 4)])
def test_list_or_tuple_for_pointer_param(testlib, arg):
    """A list is accepted for `int *` because `int *` is `int[]` in arguments (6.4)."""
    assert testlib.tl_sum_ints(arg, 4) == 10


def test_list_for_double_pointer_param(testlib):
    assert testlib.tl_sum_doubles([0.5, 1.5, 2], 3) == 4.0


def test_array_cdata_for_pointer_param(ffi, testlib):
    a = ffi.new("int[]", [5, 6, 7])
    assert testlib.tl_sum_ints(a, 3) == 18
    assert testlib.tl_sum_ints(a + 1, 2) == 13
    assert testlib.tl_sum_ints(ffi.cast("int *", a), 1) == 5


@pytest.mark.parametrize("bad, exc", [([1, "x"], TypeError), ([1, 2 ** 40], OverflowError),
                                      (5, TypeError), (b"abc", TypeError), (None, TypeError)])
def test_bad_pointer_arguments(testlib, bad, exc):
    with pytest.raises(exc):
        testlib.tl_sum_ints(bad, 2)


@pytest.mark.parametrize("ctype", ["long[]", "unsigned int[]", "short[]"])
def test_pointer_to_other_type_refused(ffi, testlib, ctype):
    with pytest.raises(TypeError):
        testlib.tl_sum_ints(ffi.new(ctype, [1, 2]), 2)


def test_null_pointer_argument(ffi, testlib):
    assert testlib.tl_sum_ints(ffi.NULL, 0) == 0
    assert testlib.tl_is_null(ffi.NULL) == 1
    assert testlib.tl_is_null(ffi.new("int *")) == 0


def test_none_is_not_null(testlib):
    """Pointers must be given as cdata: ffi.NULL, not None (7.2)."""
    with pytest.raises(TypeError):
        testlib.tl_is_null(None)


def test_void_pointer_param_accepts_any_pointer(ffi, testlib):
    for p in (ffi.new("double *"), ffi.new("char[]", b"x"), ffi.new("struct tl_point *")):
        assert testlib.tl_is_null(p) == 0


def test_c_writes_into_array(ffi, testlib):
    a = ffi.new("int[6]")
    testlib.tl_fill_squares(a, 6)
    assert list(a) == [0, 1, 4, 9, 16, 25]


def test_returned_pointer_is_cdata_into_argument(ffi, testlib):
    a = ffi.new("int[]", [3, 9, 4, 1])
    p = testlib.tl_find_max(a, 4)
    assert ffi.typeof(p) == ffi.typeof("int *")
    assert p[0] == 9
    assert p - a == 1
    p[0] = -7
    assert a[1] == -7


def test_returned_null_pointer(ffi, testlib):
    p = testlib.tl_return_null()
    assert ffi.typeof(p) == ffi.typeof("void *")
    assert p == ffi.NULL
    assert not p


def test_returned_pointer_to_static_data(ffi, testlib):
    p = testlib.tl_static_int_ptr()
    assert isinstance(p, ffi.CData)
    assert p[0] == 99
    assert testlib.tl_static_int_ptr() == p


def test_pointer_to_pointer(ffi, testlib):
    x = ffi.new("int *", 1)
    y = ffi.new("int *", 2)
    px = ffi.new("int **", x)
    py = ffi.new("int **", y)
    testlib.tl_swap_ptrs(px, py)
    assert (px[0][0], py[0][0]) == (2, 1)
    assert px[0] == y


@pytest.mark.parametrize("as_cdata", [False, True])
def test_two_dimensional_array_argument(ffi, testlib, as_cdata):
    m = [[1, 2, 3], [4, 5, 6]]
    if as_cdata:
        m = ffi.new("int[2][3]", m)
    assert testlib.tl_sum_matrix(m, 2) == (1 + 2 + 3) + 2 * (4 + 5 + 6)


def test_pointer_to_struct_as_list_of_one_item(testlib):
    """A `struct s *` argument may be passed as [[...]] or [{...}] (7.2 note [1])."""
    assert testlib.tl_bits_ptr_sum([[1, 2, 3]]) == 6
    assert testlib.tl_union_ptr_get_int([{"i": 77}]) == 77


# --------------------------------------------------------------------------
# strings
# --------------------------------------------------------------------------

def test_bytes_for_char_pointer(testlib):
    assert testlib.tl_strlen(b"hello") == 5
    assert testlib.tl_strlen(b"") == 0
    assert testlib.tl_count_char(b"banana", b"a") == 3


def test_str_for_char_pointer_refused(testlib):
    """char * wants bytes; a str must be encoded explicitly (5.2.1, 6.2)."""
    with pytest.raises(TypeError):
        testlib.tl_strlen("hello")


def test_returned_char_pointer(ffi, testlib):
    p = testlib.tl_greeting()
    assert ffi.typeof(p) == ffi.typeof("char *")
    assert ffi.string(p) == b"hello from testlib"


def test_c_modifies_char_array_in_place(ffi, testlib):
    buf = ffi.new("char[]", b"hello World")
    assert testlib.tl_upper_inplace(buf) == 9
    assert ffi.string(buf) == b"HELLO WORLD"


def test_c_writes_string_into_buffer(ffi, testlib):
    buf = ffi.new("char[32]")
    assert testlib.tl_write_value(buf, len(buf), -42) == 9
    assert ffi.string(buf) == b"value=-42"
    small = ffi.new("char[5]")
    assert testlib.tl_write_value(small, len(small), 12345) == 11
    assert ffi.string(small) == b"valu"


def test_char_pointer_array_argv(ffi, testlib):
    """The main_like(argc, argv) example of 6.3."""
    args = [ffi.new("char[]", b"arg0"), ffi.new("char[]", b"longer")]
    assert testlib.tl_total_len(2, args) == 10
    keepalive = [ffi.new("char[]", b"abc"), ffi.new("char[]", b"de")]
    argv = ffi.new("char *[]", keepalive)
    assert testlib.tl_total_len(2, argv) == 5


def test_char_pointer_array_of_bytes_refused(testlib):
    """The items of a `char **` list must be cdata (6.3 "does not work")."""
    with pytest.raises(TypeError):
        testlib.tl_total_len(2, [b"arg0", b"arg1"])


def test_str_for_wchar_pointer(testlib):
    assert testlib.tl_wcslen("h\u00e9llo") == 5
    assert testlib.tl_wcs_code_sum("\U0001f600a") == 0x1F600 + ord("a")


def test_bytes_for_wchar_pointer_refused(testlib):
    with pytest.raises(TypeError):
        testlib.tl_wcslen(b"hello")


def test_returned_wchar_pointer(ffi, testlib):
    assert ffi.string(testlib.tl_wgreeting()) == "gr\u00fc\u00dfe \u263a"


def test_str_for_char16_and_char32_pointers(testlib):
    s = "ab\U0001f600"
    assert testlib.tl_c16len(s) == 4          # UTF-16: a surrogate pair
    assert testlib.tl_c32len(s) == 3
    assert testlib.tl_c32_code_sum(s) == ord("a") + ord("b") + 0x1F600


# --------------------------------------------------------------------------
# structs and unions by value
# --------------------------------------------------------------------------

def test_small_struct_returned(ffi, testlib):
    p = testlib.tl_point_make(3, -4)
    assert ffi.typeof(p) == ffi.typeof("struct tl_point")
    assert (p.x, p.y) == (3, -4)
    assert ffi.sizeof(p) == 8
    assert repr(p).startswith("<cdata 'struct tl_point' owning 8 bytes")


def test_struct_results_are_independent_copies(ffi, testlib):
    """Each struct result owns its memory: writing one leaves the others, and the memory
    lives as long as the result."""
    results = [testlib.tl_point_make(i, -i) for i in range(20)]
    results[0].x = 99
    assert [(r.x, r.y) for r in results[1:]] == [(i, -i) for i in range(1, 20)]
    assert results[0].x == 99 and results[0].y == 0
    big = testlib.tl_big_make(3)
    del results
    assert (big.a, big.e) == (3, 0.75)
    assert bytes(ffi.buffer(ffi.addressof(big))) == bytes(ffi.buffer(ffi.new("struct tl_big *",
                                                                             big)))


@pytest.mark.skipif(IS_CFFI, reason="purecffi internals: how its struct results read fields")
def test_struct_result_fields_are_read_in_c(testlib):
    """A struct result's number fields are read as those of ffi.new()'s structs: by ctypes
    descriptors, with no Python frame (a first read used to make per-object views)."""
    from conftest import python_calls
    p, b = testlib.tl_point_make(1, 2), testlib.tl_big_make(1)
    values, calls = python_calls(lambda: (p.x, p.y, b.a, b.e))
    assert values == (1, 2, 1, 0.25) and calls == []


@pytest.mark.parametrize("arg", [[1, 2], (1, 2), {"x": 1, "y": 2}, {"y": 2, "x": 1}])
def test_small_struct_argument_initializers(testlib, arg):
    assert testlib.tl_point_dot(arg, [10, 100]) == 210


def test_struct_cdata_argument_round_trip(testlib):
    p = testlib.tl_point_make(7, 8)
    s = testlib.tl_point_swap(p)
    assert (s.x, s.y) == (8, 7)
    assert (p.x, p.y) == (7, 8)      # passed by value: untouched
    assert testlib.tl_point_dot(p, s) == 7 * 8 * 2


@pytest.mark.parametrize("bad, exc", [(5, TypeError), ([1, 2, 3], ValueError),
                                      ([1, "x"], TypeError)])
def test_bad_struct_arguments(testlib, bad, exc):
    with pytest.raises(exc):
        testlib.tl_point_dot(bad, [0, 0])


def test_pointer_to_struct_is_not_a_struct(ffi, testlib):
    with pytest.raises(TypeError):
        testlib.tl_point_dot(ffi.new("struct tl_point *", [1, 2]), [0, 0])


def test_struct_by_pointer_modified_by_c(ffi, testlib):
    p = ffi.new("struct tl_point *", [2, 3])
    testlib.tl_point_scale(p, 10)
    assert (p.x, p.y) == (20, 30)


def test_large_struct_in_memory(ffi, testlib):
    b = testlib.tl_big_make(8)
    assert ffi.sizeof(b) == ffi.sizeof("struct tl_big")
    assert (b.a, b.b, b.c, b.d, b.e) == (8, 16, 24, 32, 2.0)
    assert testlib.tl_big_sum(b) == 8 + 16 + 24 + 32 + 2.0
    assert testlib.tl_big_sum([1, 2, 3, 4, 0.5]) == 10.5


def test_large_struct_after_register_arguments(testlib):
    assert testlib.tl_big_after_ints(1, 2, 3, 4, 5, 6, [100, 0, 0, 7, 0.0]) == 21 + 100 - 7


def test_struct_of_floats(testlib):
    v = testlib.tl_vec3f_make(0.5, 1.5, -2.25)
    assert (v.x, v.y, v.z) == (0.5, 1.5, -2.25)
    c = testlib.tl_vec3f_cross([1, 0, 0], [0, 1, 0])
    assert (c.x, c.y, c.z) == (0.0, 0.0, 1.0)
    c = testlib.tl_vec3f_cross(v, [0, 0, 2])
    assert (c.x, c.y, c.z) == (3.0, -1.0, 0.0)


def test_struct_of_float_and_double(testlib):
    r = testlib.tl_fpair_scale([1.5, 2.5], 2)
    assert (r.f, r.d) == (3.0, 5.0)


def test_nested_struct(testlib):
    r = testlib.tl_rect_make(1, 2, 4, 6)
    assert (r.tl.x, r.tl.y, r.br.x, r.br.y) == (1, 2, 4, 6)
    assert testlib.tl_rect_area(r) == 12
    assert testlib.tl_rect_area({"tl": {"x": 1, "y": 1}, "br": [4, 5]}) == 12


def test_struct_with_array_member(testlib):
    a = testlib.tl_arr_make(10)
    assert a.n == 4
    assert list(a.v) == [10, 11, 12, 13]
    assert testlib.tl_arr_sum([3, [1, 2, 3, 100]]) == 6
    assert testlib.tl_arr_sum({"n": 4, "v": [1, 2, 3, 4]}) == 10


def test_struct_with_padding(testlib):
    m = testlib.tl_mixed_make(b"A", 0.5, -3)
    assert (m.c, m.d, m.s) == (b"A", 0.5, -3)
    assert testlib.tl_mixed_sum([b"\x01", 2.5, 3]) == 6.5


def test_struct_with_char_array_member(ffi, testlib):
    n = testlib.tl_named_make(b"pythonista-long-name")
    assert ffi.string(n.name) == b"pythonista-"
    assert n.len == 11


def test_returned_struct_is_an_independent_copy(testlib):
    p = testlib.tl_point_make(1, 2)
    q = testlib.tl_point_make(1, 2)
    p.x = 100
    assert q.x == 1


def test_union_by_value_refused_in_abi_mode(ffi, testlib):
    """libffi can't pass unions by value; the error comes at call time (6.4)."""
    f = testlib.tl_union_get_int
    assert ffi.typeof(f) == ffi.typeof("int(*)(union tl_intfloat)")
    with pytest.raises(NotImplementedError) as excinfo:
        f([5])
    assert "union tl_intfloat" in str(excinfo.value)
    with pytest.raises(NotImplementedError):
        testlib.tl_union_make(3)


@pytest.mark.parametrize("name, args", [("tl_union_get_int", ([5],)),
                                        ("tl_union_make", (3,))])
def test_refused_call_error_carries_no_earlier_context(testlib, name, args):
    """Each refused call raises its own exception: not one made once and raised again with the
    context of whatever was being handled the first time."""
    function = getattr(testlib, name)
    try:
        raise KeyError("unrelated")
    except KeyError:
        with pytest.raises(NotImplementedError):
            function(*args)
    with pytest.raises(NotImplementedError) as info:
        function(*args)
    assert info.value.__context__ is None


def test_union_by_pointer_is_fine(ffi, testlib):
    u = ffi.new("union tl_intfloat *", {"i": 77})
    assert testlib.tl_union_ptr_get_int(u) == 77
    testlib.tl_union_ptr_set_float(u, 1.0)
    assert u.i == 0x3F800000
    assert u.f == 1.0


def test_bitfield_struct_by_value_refused(testlib):
    with pytest.raises(NotImplementedError) as excinfo:
        testlib.tl_bits_sum([1, 2, 3])
    assert "struct tl_bits" in str(excinfo.value)


def test_bitfield_struct_by_pointer_is_fine(ffi, testlib):
    b = ffi.new("struct tl_bits *", [-1, 7, 200])
    assert testlib.tl_bits_ptr_sum(b) == -1 + 7 + 200
    testlib.tl_bits_ptr_set(b, -2, 3, 255)
    assert (b.a, b.b, b.c) == (-2, 3, 255)


# --------------------------------------------------------------------------
# function pointers returned by C
# --------------------------------------------------------------------------

@pytest.mark.parametrize("op, expected", [(b"+", 13), (b"-", 1), (b"*", 42)])
def test_function_pointer_returned_and_called(ffi, testlib, op, expected):
    f = testlib.tl_get_op(op)
    assert ffi.typeof(f) == ffi.typeof("int(*)(int, int)")
    a, b = (7, 6) if op != b"+" else (6, 7)
    assert f(a, b) == expected
    assert testlib.tl_call_binop(f, a, b) == expected


def test_returned_null_function_pointer(ffi, testlib):
    f = testlib.tl_get_op(b"?")
    assert f == ffi.NULL
    assert not f


def test_returned_function_pointer_identity(testlib):
    assert testlib.tl_is_op_add(testlib.tl_get_op(b"+")) == 1
    assert testlib.tl_is_op_add(testlib.tl_get_op(b"-")) == 0
    assert testlib.tl_get_op(b"*") == testlib.tl_get_op(b"*")


# --------------------------------------------------------------------------
# variadic functions
# --------------------------------------------------------------------------

def test_variadic_ints(ffi, testlib):
    ints = [ffi.cast("int", v) for v in (1, 2, 39)]
    assert testlib.tl_vsum(3, *ints) == 42
    assert testlib.tl_vsum(0) == 0


def test_variadic_small_ints_are_promoted(ffi, testlib):
    assert testlib.tl_vsum(2, ffi.cast("short", -3), ffi.cast("signed char", -5)) == -8


def test_variadic_long_long_and_double(ffi, testlib):
    assert testlib.tl_vsum_ll(2, ffi.cast("long long", 2 ** 40),
                              ffi.cast("long long", -1)) == 2 ** 40 - 1
    assert testlib.tl_vsum_double(3, ffi.cast("double", 0.5), ffi.cast("double", 42),
                                  ffi.cast("double", -0.25)) == 42.25


@pytest.mark.skipif(IS_CFFI, reason="cffi passes a float cdata unpromoted: C reads a double "
                                    "that was never written")
def test_variadic_float_is_promoted_to_double(ffi, testlib):
    """C's default argument promotion: a float in the '...' part is passed as a double."""
    assert testlib.tl_vsum_double(2, ffi.cast("float", 1.5), ffi.cast("double", 2)) == 3.5


@pytest.mark.parametrize("bad", [1, 1.5, b"x", "x", None])
def test_variadic_part_requires_cdata(ffi, testlib, bad):
    with pytest.raises(TypeError) as excinfo:
        testlib.tl_vsum(2, ffi.cast("int", 1), bad)
    assert "cdata" in str(excinfo.value)


def test_variadic_printf_like_to_buffer(ffi, testlib):
    buf = ffi.new("char[64]")
    n = testlib.tl_vformat(buf, 64, b"%d-%s-%.2f-%c-%ld", ffi.cast("int", 42),
                           ffi.new("char[]", b"xy"), ffi.cast("double", 1.5),
                           ffi.cast("int", 65), ffi.cast("long", -2 ** 40))
    expected = b"42-xy-1.50-A-%d" % -2 ** 40
    assert ffi.string(buf) == expected
    assert n == len(expected)


@pytest.mark.parametrize("ctype, value, fmt", [
    ("int", -5, b"%d"), ("char", b"A", b"%d"), ("short", -3, b"%d"),
    ("unsigned char", 200, b"%d"), ("long long", -2 ** 40, b"%lld"),
    ("unsigned long", 2 ** 63, b"%lu"), ("_Bool", 1, b"%d"), ("int8_t", -1, b"%d"),
    ("uint16_t", 65535, b"%d"), ("uint32_t", 2 ** 32 - 1, b"%u"), ("double", -2.25, b"%g"),
    ("enum e", 2, b"%d")])
def test_variadic_number_cdata_each_kind_called_again(ffi, ctype, value, fmt):
    # the first call prepares how the type is passed, the next ones take that way
    ffi.cdef("int snprintf(char *, size_t, const char *, ...); enum e { E0, E1, E2 };")
    libc = ffi.dlopen(None)
    buf = ffi.new("char[64]")
    expected = b"%d" % value[0] if isinstance(value, bytes) else \
        (b"%g" % value if isinstance(value, float) else b"%d" % value)
    for _ in range(3):
        assert libc.snprintf(buf, 64, fmt, ffi.cast(ctype, value)) == len(expected)
        assert ffi.string(buf) == expected
    libc.snprintf(buf, 64, b"%d|" + fmt, ffi.cast("int", 1), ffi.cast(ctype, value))
    assert ffi.string(buf) == b"1|" + expected
    assert libc.snprintf(buf, 64, b"no argument") == 11


def test_variadic_bytes_needs_char_array(ffi, testlib):
    buf = ffi.new("char[16]")
    with pytest.raises(TypeError):
        testlib.tl_vformat(buf, 16, b"%s", b"bytes")


def test_variadic_libc_printf(ffi, capfd):
    """The lib.printf() examples of 6.5."""
    ffi.cdef("int printf(const char *, ...); int fflush(FILE *);")
    C = ffi.dlopen(None)
    C.printf(b"hello, %d\n", ffi.cast("int", 42))
    C.printf(b"hello, %ld\n", ffi.cast("long", 42))
    C.printf(b"hello, %f\n", ffi.cast("double", 42))
    C.printf(b"hello, %s\n", ffi.new("char[]", b"world"))
    C.fflush(ffi.NULL)
    out = capfd.readouterr().out
    assert out == "hello, 42\nhello, 42\nhello, 42.000000\nhello, world\n"


# --------------------------------------------------------------------------
# errno
# --------------------------------------------------------------------------

@pytest.mark.parametrize("value", [errno.ERANGE, errno.ENOENT, 0])
def test_errno_after_call(ffi, testlib, value):
    ffi.errno = 12345
    assert testlib.tl_set_errno(value) == -1
    assert ffi.errno == value


def test_errno_passed_to_next_call(ffi, testlib):
    ffi.errno = errno.EACCES
    assert testlib.tl_get_errno() == errno.EACCES


def test_errno_from_libc(ffi):
    ffi.cdef("int close(int);")
    C = ffi.dlopen(None)
    ffi.errno = 0
    assert C.close(-1) == -1
    assert ffi.errno == errno.EBADF


def test_errno_is_thread_local(ffi, testlib):
    ffi.errno = 3
    seen = []

    def other():
        testlib.tl_set_errno(99)
        seen.append(ffi.errno)

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen == [99]
    assert ffi.errno == 3


# --------------------------------------------------------------------------
# FILE *
# --------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["wb", "w"])
def test_python_file_object_as_file_pointer(testlib, tmp_path, mode):
    """Functions taking FILE * accept a Python file object (7.2.1, best effort)."""
    path = tmp_path / "out.txt"
    with open(path, mode) as f:
        assert testlib.tl_fputs(b"hello ", f) >= 0
        assert testlib.tl_fprint_int(f, 42) == 4
        f.write(b"|py|" if "b" in mode else "|py|")
    data = path.read_bytes()
    assert b"hello <42>" in data
    assert b"|py|" in data
    assert len(data) == len(b"hello <42>|py|")


def test_cast_file_object_to_file_pointer(ffi, testlib, tmp_path):
    path = tmp_path / "cast.txt"
    with open(path, "wb") as f:
        cf = ffi.cast("FILE *", f)
        assert ffi.typeof(cf) == ffi.typeof("FILE *")
        testlib.tl_fputs(b"cast", cf)
        testlib.tl_fputs(b"ed", cf)
    assert path.read_bytes() == b"casted"


@pytest.mark.parametrize("ctype", ["int *", "void *", "char *", "FILE **", "int(*)(int)"])
def test_a_file_object_casts_to_no_other_pointer(ffi, testlib, tmp_path, ctype):
    with open(tmp_path / "other.txt", "wb") as f:
        with pytest.raises(TypeError) as info:
            ffi.cast(ctype, f)
    assert str(info.value) == "an integer is required"


def test_a_function_casts_to_another_function_pointer_type(ffi, testlib):
    assert ffi.cast("int(*)(long)", ffi.cast("int(*)(int)", 8)) == ffi.cast("void *", 8)


def test_file_pointer_from_fdopen(ffi, testlib, tmp_path):
    """The explicit fdopen() recipe of 7.2.1."""
    ffi.cdef("FILE *fdopen(int, const char *); int fclose(FILE *);")
    C = ffi.dlopen(None)
    path = tmp_path / "fdopen.txt"
    with open(path, "wb") as myfile:
        myfile.write(b"py:")
        myfile.flush()
        newfd = os.dup(myfile.fileno())
        fp = C.fdopen(newfd, b"w")
        assert fp != ffi.NULL
        testlib.tl_fputs(b"c-side", fp)
        testlib.tl_fprint_int(fp, 7)
        assert C.fclose(fp) == 0
    assert path.read_bytes() == b"py:c-side<7>"


def test_file_pointer_rejects_non_file(testlib):
    with pytest.raises(TypeError):
        testlib.tl_fputs(b"x", 3)


# --------------------------------------------------------------------------
# the GIL is released during calls
# --------------------------------------------------------------------------

def test_gil_released_other_thread_progresses(ffi, testlib):
    """C busy-waits on a flag that only another Python thread can set."""
    flag = ffi.new("int *")

    def setter():
        time.sleep(0.05)
        flag[0] = 1

    t = threading.Thread(target=setter)
    t.start()
    try:
        seen = testlib.tl_wait_flag(flag, 5000)
    finally:
        t.join()
    assert seen == 1


def test_gil_released_parallel_sleeps(testlib):
    n, ms = 4, 250
    threads = [threading.Thread(target=testlib.tl_sleep_ms, args=(ms,)) for _ in range(n)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    assert elapsed < 0.5 * n * ms / 1000.0
