"""Out-of-line ABI mode: set_source(name, None), compile()/emit_python_code(), the generated
module (spec 5.2.6, 8.2, 8.3, 8.5, 8.6), and the declarations it carries (serialize.py) and the
type-name parser its runtime uses instead of pycparser (typename.py).

Modules are built into tmp_path and imported from there; every test forgets the modules it
imported.  Tests marked purecffi_only look at purecffi's internals (cffi's generated modules
are different by design)."""
import ctypes.util
import importlib
import io
import os
import subprocess
import sys
import textwrap

import pytest

from _backend import IS_CFFI, FFI

purecffi_only = pytest.mark.skipif(IS_CFFI, reason="purecffi internals")

LIBM = "libm.so.6"


# -- Helpers ----
@pytest.fixture
def modules(tmp_path):
    """Import generated modules from tmp_path; forgets them (and the path) afterwards."""
    before = set(sys.modules)
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()

    def load(name):
        importlib.invalidate_caches()
        return importlib.import_module(name)
    yield load
    sys.path.remove(str(tmp_path))
    for name in set(sys.modules) - before:
        if not name.startswith(("purecffi", "pycparser", "_pytest", "json", "cffi")):
            del sys.modules[name]


def build(tmp_path, name, cdef, include=(), **cdef_options):
    """A builder FFI for `name` (set_source(name, None)), compiled into tmp_path."""
    builder = FFI()
    for other in include:
        builder.include(other)
    builder.set_source(name, None)
    builder.cdef(cdef, **cdef_options)
    builder.compile(tmpdir=str(tmp_path))
    return builder


def same_spelling(ctype1, ctype2):
    """Same kind (a generated ffi spells a typedef'd struct by its tag, as cffi's compiled
    ffi does, where the builder uses the typedef name: test_outofline_lib.py checks that)."""
    return ctype1.kind == ctype2.kind


# -- The spec's examples ----
def test_spec_simple_example_printf(tmp_path, modules, capfd):
    """5.2.6: the build script, then `from _simple_example import ffi` and printf."""
    ffibuilder = FFI()
    ffibuilder.set_source("_simple_example", None)     # before cdef(): either order (8.3)
    ffibuilder.cdef("""
        int printf(const char *format, ...);
    """)
    path = ffibuilder.compile(tmpdir=str(tmp_path), verbose=True)
    out = capfd.readouterr().out
    assert path == os.path.join(str(tmp_path), "_simple_example.py")
    assert "generating" in out and os.path.exists(path)

    ffi = modules("_simple_example").ffi
    lib = ffi.dlopen(None)
    n = lib.printf(b"hi there, number %d\n", ffi.cast("int", 2))
    assert n == 19
    assert capfd.readouterr().out == "hi there, number 2\n"


def test_spec_pixel_example(tmp_path, modules):
    """5.2.2's struct/array example, out-of-line: only `from _simple_example import ffi`."""
    build(tmp_path, "_pixels", """
        typedef struct {
            unsigned char r, g, b;
        } pixel_t;
    """)
    ffi = modules("_pixels").ffi
    image = ffi.new("pixel_t[]", 800 * 600)
    data = tmp_path / "data"
    data.write_bytes(bytes(range(256)) * (800 * 600 * 3 // 256))
    with open(str(data), "rb") as f:
        f.readinto(ffi.buffer(image))
    assert (image[1].r, image[1].g, image[1].b) == (3, 4, 5)
    image[100].r = 255
    image[100].g = 192
    image[100].b = 128
    with open(str(data), "wb") as f:
        f.write(ffi.buffer(image))
    assert data.read_bytes()[300:303] == bytes([255, 192, 128])
    assert len(ffi.new("pixel_t[600][800]")) == 600
    assert ffi.sizeof("pixel_t") == 3


def test_spec_package_module(tmp_path, modules):
    """"package._foo": written to <tmpdir>/package/_foo.py, imported as package._foo."""
    ffibuilder = FFI()
    ffibuilder.set_source("package._foo", None)
    ffibuilder.cdef("double sqrt(double); double cos(double);")
    path = ffibuilder.compile(tmpdir=str(tmp_path))
    assert path == os.path.join(str(tmp_path), "package", "_foo.py")
    ffi = modules("package._foo").ffi
    lib = ffi.dlopen(LIBM)
    assert lib.sqrt(2.25) == 1.5
    assert lib.cos(0.0) == 1.0


def test_compile_keeps_an_unchanged_file(tmp_path, capsys):
    """8.5: compile() does not rewrite a file with the same content (mtime kept)."""
    builder = FFI()
    builder.set_source("_same", None)
    builder.cdef("int abs(int);")
    path = builder.compile(tmpdir=str(tmp_path))
    os.utime(path, (1000000000, 1000000000))
    assert builder.compile(tmpdir=str(tmp_path), verbose=True) == path
    assert os.path.getmtime(path) == 1000000000
    assert "already up-to-date" in capsys.readouterr().out
    assert builder.compile(tmpdir=str(tmp_path), target="other.py") == path   # ABI: ignored


def test_compile_default_tmpdir_is_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    builder = FFI()
    builder.set_source("_here", None)
    builder.cdef("int abs(int);")
    path = builder.compile()
    assert os.path.abspath(path) == str(tmp_path / "_here.py")


def test_emit_python_code_to_a_path_and_a_file(tmp_path, modules):
    """8.5: emit_python_code(filename) writes the same module as compile()."""
    builder = FFI()
    builder.set_source("_emitted", None)
    builder.cdef("struct pt { int x, y; }; int abs(int);")
    target = tmp_path / "_emitted.py"
    assert builder.emit_python_code(str(target)) is None
    stream = io.StringIO()
    builder.emit_python_code(stream)
    assert stream.getvalue() == target.read_text()
    ffi = modules("_emitted").ffi
    assert ffi.dlopen(None).abs(-4) == 4
    assert ffi.offsetof("struct pt", "y") == 4


# -- dlopen / dlclose (8.2) ----
def test_dlopen_passes_the_name_as_is(tmp_path, modules):
    """No find_library() guessing: "m" is not found, "libm.so.6" and paths are."""
    build(tmp_path, "_libm", "double sqrt(double);")
    ffi = modules("_libm").ffi
    with pytest.raises(OSError) as info:
        ffi.dlopen("m")
    assert "cannot load library 'm'" in str(info.value)
    assert ffi.dlopen(LIBM).sqrt(16.0) == 4.0
    found = ctypes.util.find_library("m")
    assert ffi.dlopen(found).sqrt(9.0) == 3.0


def test_dlopen_path_and_dlclose(tmp_path, modules, testlib_path):
    build(tmp_path, "_tlmini", "int tl_magic(void); extern int tl_counter;")
    ffi = modules("_tlmini").ffi
    lib = ffi.dlopen(testlib_path)
    assert lib.tl_magic() == 0x1234
    ffi.dlclose(lib)
    with pytest.raises((ValueError, ffi.error)):
        lib.tl_magic
    with pytest.raises(OSError):
        ffi.dlopen(str(tmp_path / "no-such-lib.so"))


def test_dlopen_bad_argument(tmp_path, modules):
    build(tmp_path, "_badarg", "int abs(int);")
    ffi = modules("_badarg").ffi
    with pytest.raises(TypeError):
        ffi.dlopen(42)


# -- The generated ffi ----
def test_generated_ffi_has_no_builder_methods(tmp_path, modules):
    """The ffi of the module cannot declare more (cffi's CompiledFFI has no cdef)."""
    build(tmp_path, "_fixed", "int abs(int);")
    ffi = modules("_fixed").ffi
    for name in ("cdef", "set_source", "compile", "emit_python_code", "emit_c_code",
                 "verify"):
        assert not hasattr(ffi, name), name
    with pytest.raises(AttributeError):
        ffi.cdef("int x;")
    for name in ("new", "cast", "typeof", "sizeof", "alignof", "offsetof", "addressof",
                 "string", "unpack", "buffer", "from_buffer", "memmove", "callback", "gc",
                 "new_handle", "from_handle", "dlopen", "dlclose", "getctype", "list_types",
                 "init_once", "new_allocator", "release", "errno", "NULL", "error", "CData",
                 "CType", "RTLD_NOW"):
        assert hasattr(ffi, name), name


def test_unknown_names_are_errors(tmp_path, modules):
    """A compiled ffi does not declare `struct nope` by naming it (ffi.error)."""
    build(tmp_path, "_unknown", "struct known { int a; };")
    ffi = modules("_unknown").ffi
    with pytest.raises(ffi.error) as info:
        ffi.typeof("struct nope *")
    assert "undefined struct/union name" in str(info.value)
    with pytest.raises(ffi.error) as info:
        ffi.typeof("enum nope")
    assert "undefined enum name" in str(info.value)
    with pytest.raises((ffi.error, Exception)):
        ffi.typeof("unknown_t")
    assert ffi.sizeof("struct known") == 4


def test_default_typedefs(tmp_path, modules):
    """What's New: bool, FILE and the stdint names exist on out-of-line ffis."""
    build(tmp_path, "_defaults", "int fputs(const char *, FILE *);")
    ffi = modules("_defaults").ffi
    assert ffi.sizeof("bool") == 1
    assert ffi.sizeof("uint32_t") == 4
    assert ffi.typeof("FILE *").cname == "FILE *"
    assert ffi.typeof("int(*)(const char *, FILE *)") is \
        ffi.typeof(ffi.dlopen(None).fputs)


def test_variadic_function(tmp_path, modules, testlib_path):
    """What's New: variadic functions work in out-of-line ABI mode."""
    build(tmp_path, "_variadic", "int tl_vsum(int count, ...); double tl_vsum_double(int, ...);")
    ffi = modules("_variadic").ffi
    lib = ffi.dlopen(testlib_path)
    assert lib.tl_vsum(3, ffi.cast("int", 1), ffi.cast("int", 2), ffi.cast("int", 3)) == 6
    assert lib.tl_vsum_double(2, ffi.cast("double", 0.5), ffi.cast("double", 2.0)) == 2.5


def test_anonymous_union_member(tmp_path, modules):
    """Issue #357 (What's New 1.11.5): a struct with an anonymous union field."""
    build(tmp_path, "_anonunion", """
        typedef struct { int a; union { int b; float c; }; } s_t;
        struct outer { struct { short x; char y; }; long z; };
    """)
    ffi = modules("_anonunion").ffi
    p = ffi.new("s_t *", {"a": 1, "b": 2})
    assert (p.a, p.b) == (1, 2)
    assert ffi.offsetof("s_t", "c") == 4 and ffi.sizeof("s_t") == 8
    q = ffi.new("struct outer *")
    q.y = b"A"
    assert ffi.offsetof("struct outer", "z") == 8 and q.y == b"A"


# -- Round trips against the in-line FFI ----
def _every_type_name(builder):
    """Type names to compare: tags, typedefs, and pointers/arrays of them."""
    typedefs, structs, unions = builder.list_types()
    names = list(typedefs) + ["struct " + s for s in structs] + ["union " + u for u in unions]
    return names


def test_round_trip_testlib(tmp_path, modules, testlib_cdef, testlib_path):
    """The whole test library: the same types, sizes, offsets, constants; calls work."""
    builder = build(tmp_path, "_testlib_ool", testlib_cdef)
    ffi = modules("_testlib_ool").ffi
    typedefs, structs, unions = ffi.list_types()      # cffi lists FILE there once used
    assert ([n for n in typedefs if n != "FILE"], [n for n in structs if n != "_IO_FILE"],
            unions) == builder.list_types()
    for name in _every_type_name(builder):
        assert ffi.sizeof(name) == builder.sizeof(name), name
        assert ffi.alignof(name) == builder.alignof(name), name
        assert same_spelling(ffi.typeof(name), builder.typeof(name))
        assert same_spelling(ffi.typeof(name + " *"), builder.typeof(name + " *"))
        ctype = builder.typeof(name)
        if ctype.kind == "struct" or ctype.kind == "union":
            assert [f[0] for f in ffi.typeof(name).fields] == [f[0] for f in ctype.fields]
            for fname, field in ctype.fields:
                if field.bitsize < 0:
                    assert ffi.offsetof(name, fname) == builder.offsetof(name, fname)
    lib = ffi.dlopen(testlib_path)
    assert lib.TL_MAGIC == 0x1234 and lib.TL_NEGATIVE == -17
    assert (lib.TL_RED, lib.TL_GREEN, lib.TL_BLUE) == (0, 5, 6)
    assert lib.tl_add_int(2, 3) == 5
    assert lib.tl_id_double(1.5) == 1.5
    p = lib.tl_point_make(3, 4)
    assert (p.x, p.y) == (3, 4) and ffi.typeof(p) is ffi.typeof("struct tl_point")
    r = lib.tl_rect_make(0, 0, 2, 3)
    assert lib.tl_rect_area(r) == 6
    assert lib.tl_next_color(lib.TL_GREEN) == lib.TL_BLUE
    b = ffi.new("struct tl_bits *", {"a": -1, "b": 3, "c": 200})
    assert lib.tl_bits_ptr_sum(b) == -1 + 3 + 200
    assert ffi.string(lib.tl_greeting()) == builder.string(
        builder.dlopen(testlib_path).tl_greeting())
    lib.tl_counter = 41
    assert lib.tl_get_counter() == 41
    assert lib.tl_table_sum() == sum(lib.tl_table)

    @ffi.callback("int(int)")
    def double_it(x):
        return 2 * x
    assert lib.tl_apply_n(double_it, 3, 1) == 8
    binop = ffi.callback("tl_binop", lambda a, b: a - b)
    assert lib.tl_call_binop(binop, 10, 4) == 6
    assert ffi.typeof(lib.tl_get_op) is ffi.typeof("tl_binop(*)(char)")


def test_round_trip_packed(tmp_path, modules):
    cdef1 = "struct p1 { char a; int b; short c; };"
    builder = build(tmp_path, "_packed", cdef1, packed=True)
    ffi = modules("_packed").ffi
    assert ffi.sizeof("struct p1") == builder.sizeof("struct p1") == 7
    assert ffi.offsetof("struct p1", "c") == 5


@purecffi_only
def test_round_trip_pack(tmp_path, modules):
    """pack=2 (cffi refuses it in out-of-line modules; purecffi keeps it)."""
    builder2 = build(tmp_path, "_pack2", "struct p2 { char a; double b; };", pack=2)
    ffi2 = modules("_pack2").ffi
    assert ffi2.sizeof("struct p2") == builder2.sizeof("struct p2") == 10


def test_round_trip_many_kinds(tmp_path, modules):
    """Recursive structs, nested arrays, function pointers, enums with negative values,
    flexible arrays, const arrays, opaque types, constants of several kinds."""
    cdef = """
        struct node { struct node *next; int values[2][3]; };
        typedef struct node node_t;
        typedef struct opaque opaque_t;
        typedef ... handle_t;
        typedef int (*cmp_t)(const void *, const void *);
        enum sign { NEG = -1, ZERO, POS, BIG = 0x7fffffff };
        struct var { int n; double items[]; };
        union num { long i; double d; char bytes[8]; };
        extern const int ctable[3];
        #define LIMIT 1048576
        #define MASK 0xff00
        extern char *(*(*getter)(int))[5];
        void register_cb(void (*cb)(node_t *, enum sign));
    """
    builder = build(tmp_path, "_kinds", cdef)
    ffi = modules("_kinds").ffi
    for name in ("struct node", "node_t", "opaque_t *", "handle_t *", "cmp_t", "enum sign",
                 "struct var", "union num", "int[2][3]", "char *(*(*)(int))[5]",
                 "void(*)(node_t *, enum sign)"):
        assert same_spelling(ffi.typeof(name), builder.typeof(name)), name
    assert ffi.typeof("node_t") is ffi.typeof("struct node")
    assert ffi.typeof("struct node").fields[0][1].type is ffi.typeof("struct node *")
    assert ffi.typeof("enum sign").elements == builder.typeof("enum sign").elements
    assert ffi.sizeof("union num") == 8 and ffi.sizeof("struct node") == 32
    v = ffi.new("struct var *", {"n": 2, "items": [1.0, 2.0]})
    assert list(v.items) == [1.0, 2.0]
    lib = ffi.dlopen(None)
    assert (lib.NEG, lib.POS, lib.BIG, lib.LIMIT, lib.MASK) == (-1, 1, 0x7fffffff, 1 << 20,
                                                                0xff00)
    with pytest.raises((ValueError, ffi.error, TypeError)):
        ffi.sizeof("opaque_t")


def test_building_refuses_what_only_api_mode_knows(tmp_path):
    """cffi refuses, at build time, ABI modules needing the compiler (8.3 ABI mode)."""
    import _backend
    cases = [("#define X ...", _backend.VerificationError),
             ("typedef int... t;", _backend.VerificationError),
             ("extern int a[...];", _backend.VerificationError),
             ("extern int a2[2][...];", _backend.VerificationError),
             ("struct s { int a[...]; };", _backend.VerificationError),
             ("struct s3 { int a[3][...]; };", _backend.VerificationError),
             ('extern "Python" int cb(int);', _backend.VerificationError),
             ("enum e { A, B, ... };", _backend.backend.VerificationMissing)]
    for source, error in cases:
        builder = FFI()
        builder.set_source("_refused", None)
        builder.cdef(source)
        with pytest.raises(error):
            builder.compile(tmpdir=str(tmp_path))
    assert not (tmp_path / "_refused.py").exists()


@pytest.mark.parametrize("source, named", [
    ("#define ZZ ...\n#define AA ...", "macro AA:"),
    ("typedef int... t;\n#define FOO ...", "macro FOO:"),
    ('#define FOO ...\nextern "Python" int cb(int);', "extern_python cb:"),
    ('extern "Python" int zz(int);\nextern "Python" int aa(int);', "extern_python aa:"),
    ("extern int arr[...];\nstruct s { int a[...]; };", "struct s"),
    ("struct s { int a[...]; };\n#define FOO ...", "macro FOO:"),
    ("struct s { int a[...]; };\ntypedef int... t;", "struct s"),
])
def test_building_names_the_first_refused_declaration_in_cffi_order(tmp_path, capsys, source,
                                                                   named):
    """Of several declarations an ABI module cannot carry, the error names the one cffi names
    (by kind, then by name), after printing "generating" as cffi does."""
    builder = FFI()
    builder.set_source("_refused2", None)
    builder.cdef(source)
    with pytest.raises(Exception) as info:
        builder.compile(tmpdir=str(tmp_path), verbose=True)
    assert named in str(info.value)
    assert capsys.readouterr().out.startswith("generating ")
    with pytest.raises(type(info.value)):
        builder.emit_python_code(str(tmp_path / "_refused2.py"))
    assert capsys.readouterr().out.startswith("generating ")


def test_partial_struct_is_laid_out_from_its_declared_fields(tmp_path, modules):
    """As cffi: in an out-of-line ABI module, `...;` is ignored (no compiler to ask)."""
    builder = FFI()
    builder.set_source("_partialstruct", None)
    builder.cdef("struct s { int a; ...; }; struct t { char c; double d; ...; }; int abs(int);")
    builder.compile(tmpdir=str(tmp_path))
    ffi = modules("_partialstruct").ffi
    assert ffi.dlopen(None).abs(-2) == 2
    assert ffi.sizeof("struct s") == 4 and ffi.sizeof("struct t") == 16
    assert ffi.offsetof("struct t", "d") == 8
    assert ffi.new("struct s *", [7]).a == 7


def test_builder_errors(tmp_path):
    builder = FFI()
    builder.cdef("int abs(int);")
    with pytest.raises(ValueError):
        builder.compile(tmpdir=str(tmp_path))          # no set_source()
    with pytest.raises(ValueError):
        builder.emit_python_code(str(tmp_path / "x.py"))
    api = FFI()
    api.set_source("_api", "#include <stdlib.h>")
    api.cdef("int abs(int);")
    with pytest.raises(TypeError):
        api.emit_python_code(str(tmp_path / "y.py"))   # API mode: emit_c_code()


# -- ffi.include() between generated modules (8.6) ----
def test_include_between_generated_modules(tmp_path, modules):
    base = build(tmp_path, "_base_mod", """
        typedef struct { int x, y; } point_t;
        struct s { int y; };
        enum col { R, G };
        #define BASE_K 7
        int abs(int);
    """)
    build(tmp_path, "pk.derived", "point_t *mk(struct s *); double sqrt(double);",
          include=[base])
    derived = modules("pk.derived")
    assert "_base_mod" in sys.modules             # importing it imported the included module
    ffi, base_ffi = derived.ffi, sys.modules["_base_mod"].ffi
    assert ffi.typeof("point_t") is base_ffi.typeof("point_t")
    assert ffi.typeof("struct s *") is base_ffi.typeof("struct s *")
    assert ffi.typeof("point_t *(*)(struct s *)") is not None
    p = ffi.new("point_t *", [1, 2])
    assert p.y == 2 and ffi.sizeof("point_t") == 8
    lib = ffi.dlopen(LIBM)
    assert lib.sqrt(4.0) == 2.0
    assert lib.R == 0 and lib.G == 1 and lib.BASE_K == 7
    base_lib = base_ffi.dlopen(None)
    assert base_lib.abs(-1) == 1                  # functions stay with the included ffi
    with pytest.raises((AttributeError, ffi.error)):
        lib.abs


def test_include_needs_set_source_on_the_included_ffi(tmp_path):
    from _backend import VerificationError
    other = FFI()
    other.cdef("typedef int myint;")
    builder = FFI()
    builder.include(other)
    builder.set_source("_incl", None)
    builder.cdef("myint f(myint);")
    with pytest.raises(VerificationError) as info:
        builder.compile(tmpdir=str(tmp_path))
    assert str(info.value) == ("ffi object %r includes %r, but the latter has not been "
                               "prepared with set_source()" % (builder, other))


@pytest.mark.skipif(IS_CFFI, reason="a deliberate difference: cffi has 'not implemented yet' "
                                     "an out-of-line module including an API-mode one")
def test_include_of_an_api_mode_module(tmp_path, modules):
    """An out-of-line module may include an API-mode one (cffi: "not implemented yet"): its
    types, with the compiler's layouts, and its constants, `...` ones included."""
    other = FFI()
    other.cdef("struct s { int a; ...; };\n#define K ...\nenum e { EA, ... };\n"
               "typedef int... num_t;")
    other.set_source("_incl_api", "struct s { long pad; int a; };\n#define K 7\n"
                                  "enum e { EX, EA = 4 };\ntypedef short num_t;")
    other.compile(tmpdir=str(tmp_path))
    build(tmp_path, "_incl_abi", "struct s *f(num_t);", include=[other])
    ffi = modules("_incl_abi").ffi
    assert ffi.offsetof("struct s", "a") == ffi.sizeof("long")
    assert ffi.typeof("num_t") is ffi.typeof("int16_t")
    assert ffi.integer_const("K") == 7 and ffi.integer_const("EA") == 4
    lib = ffi.dlopen(None)
    assert (lib.K, lib.EA) == (7, 4)


# -- No parser at run time ----
@purecffi_only
def test_using_a_generated_module_does_not_import_the_parser(tmp_path, testlib_path):
    build(tmp_path, "_noparser", """
        struct foo { int a; struct foo *next; char name[8]; };
        typedef struct foo foo_t;
        typedef int (*cb_t)(int);
        enum e { A = 3 };
        double sqrt(double);
        int tl_apply_n(cb_t f, int n, int x);
    """)
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, %r)
        from _noparser import ffi
        p = ffi.new("struct foo *", {"a": 5})
        q = ffi.new("foo_t[3]")
        q[1].next = p
        assert q[1].next.a == 5
        assert int(ffi.cast("long", 7)) == 7
        assert ffi.typeof("int(*)(int, ...)").cname == "int(*)(int, ...)"
        assert ffi.typeof("char *(*(*)(int))[5]").kind == "function"
        assert ffi.sizeof("enum e") == 4 and ffi.offsetof("foo_t", "name") == 16
        m = ffi.dlopen("libm.so.6")
        assert m.sqrt(9.0) == 3.0
        t = ffi.dlopen(%r)
        cb = ffi.callback("cb_t", lambda x: x + 1)
        assert t.tl_apply_n(cb, 3, 0) == 3
        ffi.dlclose(m)
        bad = [n for n in ("pycparser", "purecffi.cparser", "purecffi.cdef_grammar")
               if n in sys.modules]
        print("LOADED", bad)
    """) % (str(tmp_path), testlib_path)
    env = dict(os.environ)
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stdout


@purecffi_only
def test_generated_module_is_readable_python(tmp_path):
    build(tmp_path, "_readable", "struct pt { int x; }; int abs(int);")
    text = (tmp_path / "_readable.py").read_text()
    assert text.startswith("# auto-generated file")
    assert "from purecffi.outofline import make_ffi" in text
    assert '["struct", "pt", null]' in text
    compile(text, "_readable.py", "exec")


@purecffi_only
def test_builder_including_a_generated_ffi(tmp_path, modules):
    """A build script may include the ffi of an already generated module (8.6)."""
    build(tmp_path, "_gen_a", """
        typedef struct { int x; } pt;
        struct q { pt p; };
        #define KA 3
    """)
    gen_a = modules("_gen_a").ffi
    build(tmp_path, "_gen_b", "pt *f(struct q *);", include=[gen_a])
    gen_b = modules("_gen_b").ffi
    assert gen_b.typeof("pt") is gen_a.typeof("pt")
    assert gen_b.sizeof("struct q") == 4
    assert gen_b.dlopen(None).KA == 3


def test_addressof_lib_and_gc(tmp_path, modules, testlib_path):
    """What's New: ffi.addressof(lib, "name") and ffi.gc() on out-of-line ffis."""
    build(tmp_path, "_addr", """
        extern int tl_counter;
        int tl_get_counter(void);
        void *malloc(size_t);
        void free(void *);
    """)
    ffi = modules("_addr").ffi
    lib = ffi.dlopen(testlib_path)
    p = ffi.addressof(lib, "tl_counter")
    assert ffi.typeof(p) is ffi.typeof("int *")
    p[0] = 1234
    assert lib.tl_get_counter() == 1234
    f = ffi.addressof(lib, "tl_get_counter")
    assert f() == 1234
    libc = ffi.dlopen(None)
    freed = []
    q = ffi.gc(ffi.cast("int *", libc.malloc(8)), lambda x: (freed.append(1), libc.free(x)))
    q[0] = 5
    del q
    import gc
    gc.collect()
    assert freed == [1]
