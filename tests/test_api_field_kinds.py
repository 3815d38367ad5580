"""API mode: a struct field the cdef() declares as an integer but C declares as something
else of the same size (a float, a pointer, a struct...) is refused, as cffi refuses it (its
generated C does not compile; purecffi's module builds and the struct raises ffi.error when
used, as for any other layout the compiler contradicts).  Other kinds of mismatch of the same
size are accepted, as by cffi."""
import shutil
import warnings

import pytest

from _backend import FFI, IS_CFFI, VerificationError
from conftest import import_built

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

PRELUDE = "struct in_s { int x; }; union in_u { int x; }; enum en { E0 };\n"

# (cdef field, C field): the cdef's integer is something else in C, of the same size
REFUSED = [
    ("int a;", "float a;"),
    ("long long a;", "double a;"),
    ("long a;", "int *a;"),
    ("long a;", "void (*a)(void);"),
    ("int a;", "struct in_s a;"),
    ("int a;", "union in_u a;"),
    ("unsigned long long a;", "_Alignas(8) float _Complex a;"),
    ("int x; long a;", "int x; char *a;"),                 # a field after another
    ("int a; ...;", "int x; float a;"),                   # a partial struct's declared field
    ("struct { int a; };", "struct { float a; };"),       # a member of an anonymous struct
]

# mismatches of the same size that cffi's build accepts too
ACCEPTED = [
    ("double a;", "long long a;", 7),
    ("int *a;", "long a;", None),
    ("struct in_s a;", "union in_u a;", None),
    ("enum en a;", "float a;", None),
    ("int a;", "enum en a;", 7),
    ("int a;", "unsigned int a;", 7),
    ("long a;", "unsigned long a;", 7),
]


def _build(tmp_path, name, cdef, source):
    """The module built from the cdef and the C source, or the build's exception."""
    ffi = FFI()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ffi.cdef(cdef)
    ffi.set_source(name, source)
    try:
        ffi.compile(tmpdir=str(tmp_path))
    except VerificationError as exc:
        return exc
    return import_built(tmp_path, name)


@pytest.mark.parametrize("index", range(len(REFUSED)))
def test_an_integer_field_of_another_kind_in_c_is_refused(tmp_path, index):
    declared, real = REFUSED[index]
    mod = _build(tmp_path, "_api_kinds_%d" % (index,), PRELUDE + "struct s { %s };" % declared,
                 PRELUDE + "struct s { %s };" % real)
    if IS_CFFI:
        assert isinstance(mod, VerificationError)       # (cffi: its C does not compile)
        return
    ffi = mod.ffi
    for use in (lambda: ffi.sizeof("struct s"), lambda: ffi.new("struct s *"),
                lambda: ffi.typeof("struct s").fields, lambda: ffi.offsetof("struct s", "a")):
        with pytest.raises(ffi.error) as info:
            use()
        assert str(info.value).startswith("struct s: wrong type for field 'a' (cdef says an "
                                          "integer, but C compiler says ")
    assert ffi.typeof("struct s *") is ffi.typeof("struct s *")    # naming it is fine


def test_mismatches_of_the_same_size_cffi_accepts(tmp_path):
    cdef = source = PRELUDE
    for index, (declared, real, _) in enumerate(ACCEPTED):
        cdef += "struct s%d { %s };\n" % (index, declared)
        source += "struct s%d { %s };\n" % (index, real)
    mod = _build(tmp_path, "_api_kinds_ok", cdef, source)
    for index, (declared, real, value) in enumerate(ACCEPTED):
        p = mod.ffi.new("struct s%d *" % (index,))
        assert mod.ffi.sizeof(p[0]) == mod.ffi.sizeof("struct s%d" % (index,))
        assert [name for name, _ in mod.ffi.typeof(p[0]).fields] == ["a"]
        if value is not None:
            p.a = value
            assert p.a == value


def test_the_message_names_what_c_says(tmp_path):
    if IS_CFFI:
        pytest.skip("cffi refuses these while compiling, with the C compiler's own words")
    cdef = "struct f { int a; }; struct p { long a; }; struct u { int a; };"
    source = "struct f { float a; }; struct p { int *a; }; struct u { union { int x; } a; };"
    mod = _build(tmp_path, "_api_kinds_words", cdef, source)
    said = {}
    for name in "fpu":
        with pytest.raises(mod.ffi.error) as info:
            mod.ffi.sizeof("struct %s" % (name,))
        said[name] = str(info.value)
    assert said == {
        "f": "struct f: wrong type for field 'a' (cdef says an integer, but C compiler says "
             "a floating-point number)",
        "p": "struct p: wrong type for field 'a' (cdef says an integer, but C compiler says "
             "a pointer or array)",
        "u": "struct u: wrong type for field 'a' (cdef says an integer, but C compiler says "
             "a union)"}


def test_verify_reports_a_field_of_another_kind(tmp_path):
    ffi = FFI()
    ffi.cdef("struct v { int a; };")
    with pytest.raises(VerificationError) as info:
        ffi.verify("struct v { float a; };", tmpdir=str(tmp_path))
    if not IS_CFFI:
        assert str(info.value) == ("struct v: wrong type for field 'a' (we have an integer, "
                                   "but C compiler says a floating-point number)")
