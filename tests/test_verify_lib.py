"""What users observe of the lib that ffi.verify() returns (cffi's `FFILibrary`: a plain
object), of the ffi after verify(), and of cffi.verifier.Verifier used directly."""
import os
import shutil
import sys
import sysconfig
import types
import warnings

import pytest

from _backend import FFI, CDefError, IS_CFFI, VerificationError

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

if IS_CFFI:
    import cffi.verifier as verifier
else:
    import purecffi.verifier as verifier

CDEF = """
extern int g; extern int arr[3]; struct s { int a; ...; }; extern struct s sg;
int foo(int); int vf(int, ...); int none(void); int two(int, int);
#define K 42
#define FK ...
#define NFK ...
enum e { EA, EB = 5 };
static const int SC;
struct kpt { int a, b; }; static const struct kpt KPT;
"""
SOURCE = """
int g = 7; int arr[3] = {1, 2, 3}; struct s { long x; int a; }; struct s sg = {1, 2};
int foo(int x) { return x + 1; } int vf(int n, ...) { return n; }
int none(void) { return 0; } int two(int a, int b) { return a - b; }
#define K 42
#define FK 2.75
#define NFK (-2.75)
enum e { EA, EB = 5 };
static const int SC = 11;
struct kpt { int a, b; }; static const struct kpt KPT = {3, 4};
"""


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    """(ffi, lib) of one verify() of CDEF and SOURCE."""
    ffi = FFI()
    ffi.cdef(CDEF)
    return ffi, ffi.verify(SOURCE, tmpdir=str(tmp_path_factory.mktemp("vlib")))


def _fresh_lib(ffi):
    """Another lib loaded from the same verifier (to modify without touching the shared one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # (cffi warns that it re-imports the module)
        return ffi.verifier.load_library()


def test_lib_is_a_plain_ffilibrary_object(verified):
    ffi, lib = verified
    assert type(lib).__name__ == "FFILibrary"
    assert type(lib).__mro__[1:] == (object,)
    assert lib.__class__ is type(lib)
    assert not isinstance(lib, types.ModuleType)
    assert repr(lib).startswith("<") and "FFILibrary object at 0x" in repr(lib)
    with pytest.raises(AttributeError) as info:
        lib.nope
    assert str(info.value) == "'FFILibrary' object has no attribute 'nope'"
    assert getattr(lib, "nope", "default") == "default"
    assert not hasattr(lib, "__name__") and not hasattr(lib, "__all__")
    assert type(_fresh_lib(ffi)) is not type(lib)       # a class per load, as cffi's


def test_values_of_every_kind(verified):
    ffi, lib = verified
    assert lib.foo(1) == 2 and lib.foo.__name__ == "foo"
    assert lib.vf(3, ffi.cast("int", 4)) == 3
    assert (lib.K, lib.EA, lib.EB, lib.SC) == (42, 0, 5, 11)
    assert lib.g == 7 and lib.sg.a == 2 and list(lib.arr) == [1, 2, 3]
    assert ffi.typeof(lib.arr) is ffi.typeof("int[3]")
    assert ffi.string(ffi.cast("enum e", 5)) == "EB"
    assert ffi.typeof(lib.foo) is ffi.typeof("int(*)(int)")


def test_a_struct_constant_is_a_copy_the_lib_owns(verified):
    ffi, lib = verified
    assert repr(lib.KPT) == "<cdata 'struct kpt' owning 8 bytes>"
    assert (lib.KPT.a, lib.KPT.b) == (3, 4)
    other = _fresh_lib(ffi)
    other.KPT.a = 30            # a copy: writable, and the other lib's is not changed
    assert (other.KPT.a, lib.KPT.a) == (30, 3)


def test_a_float_macro_is_truncated_to_an_integer(verified):
    # cffi's verify() casts a `#define X ...` to an integer (set_source() refuses a float)
    _, lib = verified
    assert (lib.FK, lib.NFK) == (2, -2)


def test_wrong_argument_counts(verified):
    # cffi's verify() words: the functions are the module's (no `.Lib.`)
    ffi, lib = verified
    module = ffi.verifier.get_module_name()
    for call, message in [
            (lambda: lib.none(1), "%s.none() takes no arguments (1 given)" % (module,)),
            (lambda: lib.foo(), "%s.foo() takes exactly one argument (0 given)" % (module,)),
            (lambda: lib.foo(1, 2), "%s.foo() takes exactly one argument (2 given)"
             % (module,)),
            (lambda: lib.two(1), "two() takes exactly 2 arguments (1 given)")]:
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == message


def test_dict_holds_all_but_the_scalar_globals(verified):
    _, lib = verified
    names = {"foo", "vf", "none", "two", "K", "FK", "NFK", "EA", "EB", "SC", "KPT", "arr"}
    assert set(lib.__dict__) == names       # g and sg are properties of the class
    assert set(dir(lib)) >= names | {"g", "sg"}
    assert isinstance(type(lib).__dict__["g"], property)


def test_globals_are_read_and_written_through_properties(verified):
    ffi, lib = verified
    other = _fresh_lib(ffi)
    lib.g = 31
    assert lib.g == 31 and other.g == 31        # the same C variable
    lib.g = 7
    with pytest.raises(TypeError):
        lib.g = "x"
    with pytest.raises(OverflowError):
        lib.g = 2 ** 40
    with pytest.raises(AttributeError) as info:
        del lib.g
    # Python's own words for a property with no deleter (3.10: "can't delete attribute")
    assert "has no deleter" in str(info.value) or "can't delete attribute" in str(info.value)
    assert lib.g == 7


def test_attributes_may_be_set_replaced_and_deleted(verified):
    ffi, _ = verified
    lib = _fresh_lib(ffi)
    lib.extra = 3                   # a plain object: anything may be added ...
    assert lib.extra == 3 and "extra" in dir(lib)
    del lib.extra
    assert not hasattr(lib, "extra")
    lib.foo = len                   # ... or replaced (monkeypatching a C function)
    assert lib.foo is len
    lib.K = 5
    assert lib.K == 5
    del lib.K
    assert not hasattr(lib, "K")


def test_addressof_takes_no_verify_lib(verified):
    ffi, lib = verified
    for name in ("g", "foo", "arr"):
        with pytest.raises(TypeError) as info:
            ffi.addressof(lib, name)
        assert str(info.value) == "expected a 'cdata' object"


def test_ffi_stays_an_in_line_ffi_after_verify(verified):
    ffi, _ = verified
    assert ffi.sizeof("struct s") == ffi.sizeof("long") * 2     # the compiler's layout
    assert ffi.typeof("struct undeclared_tag").cname == "struct undeclared_tag"
    with pytest.raises(TypeError) as info:
        ffi.new("struct undeclared_tag *")
    assert "unknown size" in str(info.value)
    with pytest.raises(CDefError):
        ffi.typeof("undeclared_type_t")
    with pytest.raises(TypeError) as info:
        ffi.addressof(3)
    assert str(info.value) == "expected a 'cdata' object"


def test_verifier_made_directly(tmp_path):
    ffi = FFI()
    ffi.cdef("int triple(int);")
    source = "static int triple(int x) { return x * 3; }"
    v = verifier.Verifier(ffi, source, tmpdir=str(tmp_path), modulename="_vdirect",
                          libraries=[], flags=ffi.RTLD_NOW)
    assert not hasattr(ffi, "verifier")
    assert (v.ffi, v.preamble, v.kwds, v.flags) == (ffi, source, {"libraries": []},
                                                    ffi.RTLD_NOW)
    assert v.get_module_name() == "_vdirect" and v.ext_package is None
    assert v.sourcefilename == os.path.join(str(tmp_path), "_vdirect.c")
    assert os.path.dirname(v.modulefilename) == str(tmp_path)
    assert os.path.basename(v.modulefilename).startswith("_vdirect.")
    assert not os.path.exists(v.sourcefilename)
    v.write_source()
    assert os.path.exists(v.sourcefilename) and not os.path.exists(v.modulefilename)
    with pytest.raises(VerificationError) as info:
        v.write_source()
    assert str(info.value) == "source code already written"
    v.compile_module()
    assert os.path.exists(v.modulefilename)
    with pytest.raises(VerificationError) as info:
        v.compile_module()
    assert str(info.value) == "module already compiled"
    lib = v.load_library()
    assert type(lib).__name__ == "FFILibrary" and lib.triple(5) == 15
    assert v.get_extension().name == "_vdirect"


def test_globals_are_read_with_the_cdef_type_whatever_their_size(tmp_path):
    # cffi's verify() compares no global's size: a cdef() saying `short` for a C `int`
    # reads and writes a short at its address (little-endian: the low bits)
    ffi = FFI()
    ffi.cdef("extern short sw; extern int aw[3];")
    lib = ffi.verify("int sw = 0x10007; int aw[5] = {1, 2, 3, 4, 5};", tmpdir=str(tmp_path),
                     extra_compile_args=["-Wno-incompatible-pointer-types"])
    assert ffi.typeof(lib.aw) is ffi.typeof("int[3]") and list(lib.aw) == [1, 2, 3]
    assert lib.sw == (7 if sys.byteorder == "little" else 1)
    lib.sw = 9
    assert lib.sw == 9


def test_cleanup_tmpdir_removes_what_cffi_removes(tmp_path):
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    made = ["_cffi_a.c", "_CFFI_b.C", "_cffi_c" + suffix, "_cffi_d.cpp", "_cffi_e.o",
            "_cffi_f.h", "other.c", "_cffi_build/x", "sub/_cffi_g.c", "build/x.o",
            "build/deep/_cffi_h.c"]
    for name in made:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")

    def left():
        return sorted(os.path.relpath(os.path.join(root, name), str(tmp_path)) + end
                      for root, dirs, files in os.walk(str(tmp_path))
                      for names, end in ((files, ""), (dirs, "/")) for name in names)
    kept = ["_cffi_build/", "_cffi_build/x", "_cffi_d.cpp", "_cffi_e.o", "_cffi_f.h",
            "build/", "build/deep/", "other.c", "sub/", "sub/_cffi_g.c"]
    verifier.cleanup_tmpdir(str(tmp_path), keep_so=True)
    assert left() == sorted(kept + ["_cffi_c" + suffix])
    verifier.cleanup_tmpdir(str(tmp_path))
    assert left() == sorted(kept)
    verifier.cleanup_tmpdir(str(tmp_path / "missing"))      # nothing to do: no error


def test_verify_of_an_ffi_including_a_verified_one(tmp_path):
    # the structs of the included ffi go to the functions of the including one, by pointer
    # and by value, as with cffi's one set of types
    base = FFI()
    base.cdef("struct ipt { int x, y; };")
    base.verify("struct ipt { int x, y; };", tmpdir=str(tmp_path))
    top = FFI()
    top.include(base)
    top.cdef("int ipt_y(struct ipt *); int ipt_val(struct ipt); struct ipt ipt_make(void);")
    lib = top.verify("struct ipt { int x, y; };\n"
                     "int ipt_y(struct ipt *p) { return p->y; }\n"
                     "int ipt_val(struct ipt p) { return p.x + p.y; }\n"
                     "struct ipt ipt_make(void) { struct ipt r = {1, 2}; return r; }",
                     tmpdir=str(tmp_path))
    p = base.new("struct ipt *", [3, 4])
    assert lib.ipt_y(p) == 4 and lib.ipt_val(p[0]) == 7
    assert lib.ipt_y(top.new("struct ipt *", [5, 6])) == 6
    assert base.new("struct ipt *", lib.ipt_make()).y == 2
    assert dir(lib) == ["ipt_make", "ipt_val", "ipt_y"]
    # one set of types: the including ffi names the included one's
    for name in ("struct ipt", "struct ipt *", "struct ipt[2]"):
        assert top.typeof(name) is base.typeof(name)


def test_verify_including_a_verified_ffi_with_a_partial_struct(tmp_path):
    # the included struct was completed by the first compiler; the second checks it again
    base = FFI()
    base.cdef("struct part { int q; ...; }; typedef struct part part_t;")
    base.verify("struct part { long w; int q; }; typedef struct part part_t;",
                tmpdir=str(tmp_path))
    top = FFI()
    top.include(base)
    top.cdef("int part_q(part_t *);")
    lib = top.verify("struct part { long w; int q; }; typedef struct part part_t;\n"
                     "int part_q(part_t *p) { return p->q; }", tmpdir=str(tmp_path))
    assert top.sizeof("part_t") == base.sizeof("struct part") == 2 * top.sizeof("long")
    assert top.offsetof("part_t", "q") == top.sizeof("long")
    assert top.typeof("part_t") is base.typeof("part_t")
    assert lib.part_q(base.new("part_t *", {"q": 9})) == 9


def test_verify_functions_are_no_function_pointers(verified):
    # cffi's verify() gives plain built-in functions: ffi.typeof() knows them, nothing
    # takes them where a function pointer goes
    ffi, lib = verified
    assert ffi.typeof(lib.foo) is ffi.typeof("int(*)(int)")
    with pytest.raises(TypeError) as info:
        ffi.new("int(**)(int)", lib.foo)
    assert str(info.value) == ("initializer for ctype 'int(*)(int)' must be a cdata pointer, "
                               "not builtin_function_or_method")
    for ctype in ("int(*)(int)", "void *"):
        with pytest.raises(TypeError) as info:
            ffi.cast(ctype, lib.foo)
        assert str(info.value) == "an integer is required"
    with pytest.raises(TypeError) as info:
        ffi.gc(lib.foo, None)
    assert str(info.value) == ("gc() argument 1 must be _cffi_backend._CDataBase, "
                               "not builtin_function_or_method")
    assert lib.foo(41) == 42
