"""Out-of-line ABI modules of purecffi against cffi's, side by side: the same cdef built by
both (set_source(name, None)), both modules imported in this process, then what a program
can observe compared: type reprs, sizes, fields, enum values, list_types(), dir(lib), the
values read from a lib, and the kind and text of the errors.  Skipped without cffi and gcc.
"""
import importlib
import re
import shutil
import subprocess
import sys

import pytest

import purecffi

cffi = pytest.importorskip("cffi")

C_SOURCE = r"""
typedef struct { int x, y; } point_t;
struct node_s { struct node_s *next; int value; double d[3]; };
const int K_INT = 42;
const char *const K_HELLO = "hello";
const struct node_s K_NODE = {0, 5, {1.0, 2.0, 3.0}};
int counter = 7;
int arr3[3] = {1, 2, 3};
struct node_s head = {0, 9, {0}};
int add_one(int a) { return a + 1; }
long long big(unsigned long long a, signed char b, _Bool c, int d) { return a + b + c + d; }
point_t make_point(int x, int y) { point_t p = {x, y}; return p; }
int uses_cb(int (*cb)(int, const char *), void *h) { return cb(3, "x") + (h != 0); }
"""

CDEF = r"""
typedef struct { int x, y; } point_t;
typedef struct node_s node_t;
struct node_s { node_t *next; int value; double d[3]; };
union u { int i; float f; char c[5]; };
struct bits { unsigned a:3; int b:5; char c; };
struct anon_m { int k; union { int ui; float uf; }; struct { short s1, s2; }; };
struct opaque;
typedef struct opaque opaque_t;
enum color { RED, GREEN = 5, BLUE };
typedef enum { NEG = -3, POS = 7 } sign_t;
typedef enum named_e { NA, NB } named_t;
typedef int (*callback_t)(int, const char *);
typedef int arr5_t[5];
typedef const char *cstr_t;
typedef void *handle_t;
struct with_fp { callback_t cb; void (*plain)(void); int (*arr_fp[2])(int); };
#define K_DEF 42
#define K_HEX 0x10
#define K_NEG -5
static const int K_INT;
static const char *const K_HELLO;
static const struct node_s K_NODE;
static const int K_VAL = 11;
static const int K_MISSING;
int add_one(int);
int missing_function(int);
extern int counter;
extern int arr3[3];
extern struct node_s head;
extern int missing_global;
long long big(unsigned long long, signed char, _Bool, int);
point_t make_point(int, int);
int uses_cb(callback_t, handle_t);
"""

TYPES = [
    "point_t", "node_t", "struct node_s", "union u", "struct bits", "struct anon_m",
    "struct opaque", "opaque_t", "enum color", "sign_t", "named_t", "enum named_e",
    "callback_t", "arr5_t", "cstr_t", "handle_t", "struct with_fp", "point_t *",
    "point_t[2]", "node_t **", "int(*)(int)", "callback_t *", "enum color *", "size_t",
    "struct nope", "nope_t", "point_t(*)[3]", "node_t(*)(sign_t, named_t *)",
]
LIB_NAMES = [
    "K_DEF", "K_HEX", "K_NEG", "K_INT", "K_VAL", "K_HELLO", "K_NODE", "K_MISSING", "RED",
    "BLUE", "NEG", "POS", "NA", "add_one", "missing_function", "counter", "arr3", "head",
    "missing_global", "big", "make_point", "uses_cb", "nope",
]


# -- Building both ----
@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """{"cffi": (ffi, lib), "purecffi": (ffi, lib)} of the same cdef and C library."""
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is needed to build the test library")
    directory = tmp_path_factory.mktemp("ool_diff")
    (directory / "diff.c").write_text(C_SOURCE)
    library = str(directory / "libdiff.so")
    subprocess.run([gcc, "-shared", "-fPIC", "-o", library, str(directory / "diff.c")],
                   check=True)
    sys.path.insert(0, str(directory))
    result = {}
    try:
        for backend in (cffi, purecffi):
            name = "_ool_diff_" + backend.__name__
            builder = backend.FFI()
            builder.set_source(name, None)
            builder.cdef(CDEF)
            builder.compile(tmpdir=str(directory))
            importlib.invalidate_caches()
            ffi = importlib.import_module(name).ffi
            result[backend.__name__] = (ffi, ffi.dlopen(library))
        result["library"] = library
    finally:
        sys.path.remove(str(directory))
    yield result
    for backend in ("cffi", "purecffi"):
        sys.modules.pop("_ool_diff_" + backend, None)


def observe(ffi, action):
    """What a program sees of action(): a normalised repr, or the error's kind and text."""
    try:
        return "= " + _normalise(repr(action()))
    except Exception as exc:                            # noqa: BLE001 (any error is data)
        kind = "ffi.error" if isinstance(exc, ffi.error) else type(exc).__name__
        return "%s: %s" % (kind, _normalise(str(exc)))


def _normalise(text):
    """Addresses and implementation names out."""
    text = re.sub(r"0x[0-9a-f]+", "0x?", text)
    return text.replace("cffi library", "library").replace("_cffi_backend.", "")


def compare(both, action, message=True):
    """The observations of both, equal (only the error kinds when not `message`)."""
    seen = [observe(ffi, lambda: action(ffi, lib)) for ffi, lib in
            (both["cffi"], both["purecffi"])]
    if not message:
        seen = [s.split(":")[0] if not s.startswith("=") else s for s in seen]
    assert seen[1] == seen[0]


# -- Types ----
@pytest.mark.parametrize("name", TYPES)
def test_types(both, name):
    compare(both, lambda ffi, lib: ffi.typeof(name), message=False)
    compare(both, lambda ffi, lib: ffi.typeof(name).kind, message=False)
    compare(both, lambda ffi, lib: ffi.getctype(name, "*"), message=False)
    if "opaque" not in name and "nope" not in name:
        compare(both, lambda ffi, lib: (ffi.sizeof(name), ffi.alignof(name)))


# type strings cffi's generated ffi reads its own way: keywords in its order only
SPECIFIERS = [
    "int int", "int long", "long int unsigned", "long long long", "long long long long",
    "short long", "short short", "long short", "signed unsigned", "unsigned signed char",
    "unsigned float", "signed double", "long char", "short char", "signed long double",
    "long double", "long long unsigned", "unsigned long long int", "signed char",
    "int _Complex", "long _Complex", "long double _Complex", "double _Complex _Complex",
    "float const _Complex", "_Complex", "_Complex float", "const const", "const _Complex",
    "const long const", "long const int", "signed const long", "volatile unsigned",
    "restrict int", "__int128", "unsigned struct node_s", "long enum color", "long point_t",
    "point_t point_t", "const point_t const *", "unsigned void", "long _Bool",
    # a declarator after two `long`s (pynacl's ffi.new("unsigned long long *"))
    "unsigned long long *", "long long *", "signed long long[2]", "long long int (*)(void)",
]


@pytest.mark.parametrize("text", SPECIFIERS)
def test_type_specifiers(both, text):
    compare(both, lambda ffi, lib: ffi.typeof(text))


@pytest.mark.parametrize("name", [t for t in TYPES if "opaque" not in t and "nope" not in t])
def test_fields_and_enumerators(both, name):
    def fields(ffi, lib):
        ctype = ffi.typeof(name)
        if ctype.kind == "enum":
            return sorted(ctype.elements.items())
        if ctype.kind not in ("struct", "union"):
            return None
        return [(n, f.offset, f.type, f.bitsize, f.flags) for n, f in ctype.fields]
    compare(both, fields)


def test_list_types_and_ffi_names(both):
    compare(both, lambda ffi, lib: ffi.list_types())
    compare(both, lambda ffi, lib: sorted(n for n in dir(ffi) if not n.startswith("_")))
    for method in ("cdef", "set_source", "include", "compile", "verify"):
        compare(both, lambda ffi, lib: hasattr(ffi, method))


# -- The lib ----
def test_dir_lib(both):
    compare(both, lambda ffi, lib: dir(lib))


@pytest.mark.parametrize("name", LIB_NAMES)
def test_lib_attributes(both, name):
    compare(both, lambda ffi, lib: getattr(lib, name))
    compare(both, lambda ffi, lib: ffi.typeof(getattr(lib, name)), message=False)
    compare(both, lambda ffi, lib: ffi.integer_const(name))


@pytest.mark.parametrize("name", ["counter", "arr3", "head", "add_one", "missing_global",
                                  "K_INT", "RED", "nope"])
def test_addressof(both, name):
    compare(both, lambda ffi, lib: ffi.typeof(ffi.addressof(lib, name)))


def test_values_and_calls(both):
    compare(both, lambda ffi, lib: ffi.string(lib.K_HELLO))
    compare(both, lambda ffi, lib: (lib.K_NODE.value, list(lib.K_NODE.d)))
    compare(both, lambda ffi, lib: (lib.head.value, list(lib.arr3), lib.counter))
    compare(both, lambda ffi, lib: lib.big(2 ** 40, -1, True, 5))
    compare(both, lambda ffi, lib: lib.add_one.__name__)        # a cdata's: "<cdata>"
    compare(both, lambda ffi, lib: (lib.make_point(3, 4).x, lib.make_point(3, 4).y))
    compare(both, lambda ffi, lib: lib.uses_cb(ffi.callback("callback_t", lambda n, s: n * 2),
                                               ffi.NULL))
    compare(both, lambda ffi, lib: ffi.new("node_t *", {"value": 3, "d": [1.5]}).d[0])
    compare(both, lambda ffi, lib: ffi.offsetof("struct anon_m", "s2"))
    compare(both, lambda ffi, lib: ffi.string(ffi.cast("enum color", 6)))
    compare(both, lambda ffi, lib: ffi.string(ffi.cast("sign_t", 7)))


def test_writing_the_lib(both):
    compare(both, lambda ffi, lib: setattr(lib, "K_DEF", 1))
    compare(both, lambda ffi, lib: setattr(lib, "nope", 1))
    compare(both, lambda ffi, lib: setattr(lib, "add_one", 1))
    compare(both, lambda ffi, lib: setattr(lib, "K_INT", 1))


def test_closed_lib(both):
    closed = {}
    for backend in ("cffi", "purecffi"):
        ffi = both[backend][0]
        lib = ffi.dlopen(both["library"])
        assert lib.add_one(1) == 2 and lib.K_INT == 42
        ffi.dlclose(lib)
        closed[backend] = (ffi, lib)
    for name in LIB_NAMES:
        compare(closed, lambda ffi, lib: getattr(lib, name))
    compare(closed, lambda ffi, lib: setattr(lib, "counter", 1))
    compare(closed, lambda ffi, lib: ffi.addressof(lib, "counter"))
    compare(closed, lambda ffi, lib: dir(lib))


def test_lib_repr_and_def_extern(both):
    compare(both, lambda ffi, lib: lib)
    assert repr(type(both["purecffi"][1])) == repr(type(both["cffi"][1])) \
        == "<class '_cffi_backend.Lib'>"
    compare(both, lambda ffi, lib: lib.__module__)      # (the class's only)
    compare(both, lambda ffi, lib: lib.__doc__)
    compare(both, lambda ffi, lib: ffi.def_extern(name="add_one")(lambda x: x))
    compare(both, lambda ffi, lib: ffi.init_once(lambda: 5, "tag"))


def test_dlopen_arguments(both):
    compare(both, lambda ffi, lib: ffi.dlopen())                # None: the C library
    compare(both, lambda ffi, lib: ffi.dlopen(None, "x"), message=False)
    compare(both, lambda ffi, lib: ffi.dlopen("m"))             # no guessing of "libm.so.6"
