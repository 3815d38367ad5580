"""ffi.verify(): in-line API mode and its cache of compiled modules (spec 8.9)."""
import os
import shutil
import sys

import pytest

from _backend import FFI, IS_CFFI

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

if IS_CFFI:
    import cffi.verifier as verifier
else:
    import purecffi.verifier as verifier


def _built(tmpdir):
    return sorted(n for n in os.listdir(str(tmpdir)) if n.endswith(".so"))


def test_spec_example_sizeof_hack(tmp_path):
    ffi = FFI()
    ffi.cdef("const int mysize;")
    lib = ffi.verify("const int mysize = sizeof(long double);", tmpdir=str(tmp_path))
    assert lib.mysize == 16 or lib.mysize == ffi.sizeof("long double")


def test_functions_and_partial_structs(tmp_path):
    ffi = FFI()
    ffi.cdef("struct vs { int y; ...; }; int vf(struct vs *);\n#define VK ...")
    lib = ffi.verify("struct vs { long x; int y; };\n"
                     "static int vf(struct vs *p) { return p->y * 2; }\n#define VK 3",
                     tmpdir=str(tmp_path))
    assert ffi.offsetof("struct vs", "y") == 8          # the user's ffi learnt the layout
    p = ffi.new("struct vs *", {"y": 21})
    assert lib.vf(p) == 42
    assert lib.VK == 3


def test_cache_reuses_built_module(tmp_path):
    def make():
        ffi = FFI()
        ffi.cdef("int cached(int);")
        return ffi, ffi.verify("static int cached(int x) { return x + 1; }",
                               tmpdir=str(tmp_path))
    _, lib = make()
    assert lib.cached(1) == 2
    so = _built(tmp_path)
    assert len(so) == 1
    mtime = os.stat(str(tmp_path / so[0])).st_mtime
    _, lib2 = make()
    assert lib2.cached(2) == 3
    assert _built(tmp_path) == so
    assert os.stat(str(tmp_path / so[0])).st_mtime == mtime


def test_changed_source_makes_new_module(tmp_path):
    for value in (1, 2):
        ffi = FFI()
        ffi.cdef("int changed(void);")
        lib = ffi.verify("static int changed(void) { return %d; }" % value,
                         tmpdir=str(tmp_path))
        assert lib.changed() == value
    assert len(_built(tmp_path)) == 2


def test_module_name_tag_and_modulename(tmp_path):
    ffi = FFI()
    ffi.cdef("int tagged(void);")
    ffi.verify("static int tagged(void) { return 1; }", tmpdir=str(tmp_path), tag="mytag")
    assert any(n.startswith("_cffi_mytag_") for n in _built(tmp_path))
    ffi = FFI()
    ffi.cdef("int named(void);")
    lib = ffi.verify("static int named(void) { return 5; }", tmpdir=str(tmp_path),
                     modulename="_verify_named_mod")
    assert lib.named() == 5
    assert any(n.startswith("_verify_named_mod.") for n in _built(tmp_path))


def test_relative_to_sources(tmp_path):
    (tmp_path / "helper.c").write_text("int helper(int x) { return x * 3; }\n")
    ffi = FFI()
    ffi.cdef("int helper(int);")
    lib = ffi.verify("int helper(int);", tmpdir=str(tmp_path / "cache"),
                     sources=["helper.c"], relative_to=str(tmp_path / "build.py"))
    assert lib.helper(5) == 15


def test_set_tmpdir_and_cleanup(tmp_path):
    cache = tmp_path / "cache"
    verifier.set_tmpdir(str(cache))
    try:
        ffi = FFI()
        ffi.cdef("int viaset(void);")
        lib = ffi.verify("static int viaset(void) { return 9; }")
        assert lib.viaset() == 9
        assert len(_built(cache)) == 1
        verifier.cleanup_tmpdir(str(cache))
        assert _built(cache) == []
        assert not [n for n in os.listdir(str(cache)) if n.endswith(".c")]
    finally:
        verifier.set_tmpdir(None)


def test_cffi_tmpdir_environment(tmp_path, monkeypatch):
    cache = tmp_path / "envcache"
    monkeypatch.setenv("CFFI_TMPDIR", str(cache))
    ffi = FFI()
    ffi.cdef("int viaenv(void);")
    lib = ffi.verify("static int viaenv(void) { return 4; }")
    assert lib.viaenv() == 4
    assert len(_built(cache)) == 1


def test_default_tmpdir_is_callers_pycache(tmp_path, monkeypatch):
    monkeypatch.delenv("CFFI_TMPDIR", raising=False)
    script = tmp_path / "uses_verify.py"
    script.write_text(
        "def run(FFI):\n"
        "    ffi = FFI()\n"
        "    ffi.cdef('int nearby(void);')\n"
        "    return ffi.verify('static int nearby(void) { return 8; }')\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import uses_verify
        assert uses_verify.run(FFI).nearby() == 8
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("uses_verify", None)
    assert len(_built(tmp_path / "__pycache__")) == 1


def test_verify_cplusplus(tmp_path):
    if shutil.which("g++") is None:
        pytest.skip("needs g++")
    ffi = FFI()
    ffi.cdef("int cppv(int);")
    lib = ffi.verify('extern "C" int cppv(int x) { return x + 100; }',
                     tmpdir=str(tmp_path), source_extension=".cpp")
    assert lib.cppv(1) == 101


def test_verifier_get_extension_for_setup_py(tmp_path):
    # spec 8.9: `ext_modules=[ffi.verifier.get_extension()]` builds the module ahead
    ffi = FFI()
    ffi.cdef("int vext(int);")
    lib = ffi.verify("static int vext(int x) { return x * 3; }", tmpdir=str(tmp_path),
                     modulename="_vext_mod", libraries=["m"])
    assert lib.vext(2) == 6
    assert ffi.verifier.get_module_name() == "_vext_mod"
    ext = ffi.verifier.get_extension()
    assert ext.name == "_vext_mod" and ext.libraries == ["m"]
    assert os.path.isfile(ext.sources[0])
    assert os.path.abspath(ext.sources[0]) == os.path.abspath(ffi.verifier.sourcefilename)
    assert os.path.dirname(ffi.verifier.modulefilename) == str(tmp_path)


def test_verify_loads_the_module_installed_in_ext_package(tmp_path, monkeypatch):
    # as cffi does: a module already built into `ext_package` (by setup.py) is loaded from
    # there, nothing is compiled in the cache directory
    source = "static int vpkg(int x) { return x - 1; }"
    ffi = FFI()
    ffi.cdef("int vpkg(int);")
    ffi.verify(source, tmpdir=str(tmp_path / "first"), modulename="_vpkg_mod")
    package = tmp_path / "site" / "vpkgpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    built = ffi.verifier.modulefilename
    shutil.copy(built, str(package / os.path.basename(built)))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    ffi2 = FFI()
    ffi2.cdef("int vpkg(int);")
    cache = tmp_path / "second"
    lib = ffi2.verify(source, tmpdir=str(cache), modulename="_vpkg_mod", ext_package="vpkgpkg")
    assert lib.vpkg(10) == 9
    assert not cache.exists() or _built(cache) == []


def test_two_verify_of_one_ffi_with_different_values(tmp_path):
    # one ffi, one module per source (lmdb builds one per engine version): the second
    # verify() fills the `...` again from its own source
    ffi = FFI()
    ffi.cdef("#define VV_MAJOR ...\nstruct vvs { int b; ...; };")
    libs = []
    for major in (0, 1):
        pad = "char a;" if major == 0 else "long a[3];"
        libs.append(ffi.verify("#define VV_MAJOR %d\nstruct vvs { %s int b; };" % (major, pad),
                               tmpdir=str(tmp_path), modulename="_vv_%d" % major))
        assert libs[-1].VV_MAJOR == major
    assert [lib.VV_MAJOR for lib in libs] == [0, 1]
    assert ffi.offsetof("struct vvs", "b") == 4        # the ffi keeps the first layout


def test_partial_tagged_struct_named_by_a_typedef(tmp_path):
    # lmdb's MDB_stat: `struct s { fields; ...; }; typedef struct s s;`, verified twice; the
    # functions taking it need the layout the compiler gives (it once stayed incomplete)
    ffi = FFI()
    ffi.cdef("struct vst { unsigned int psize; ...; }; typedef struct vst vst; "
             "int vst_get(vst *);")
    source = ("typedef struct vst { int pad; unsigned int psize; } vst;\n"
              "static int vst_get(vst *s) { return s->psize; }")
    for name in ("_vst_one", "_vst_two"):
        lib = ffi.verify(source, tmpdir=str(tmp_path), modulename=name)
        s = ffi.new("vst *")
        s.psize = 7
        assert lib.vst_get(s) == 7
        assert ffi.sizeof("vst") == 8 and ffi.offsetof("vst", "psize") == 4


def test_second_verified_module_takes_pointers_made_by_the_ffi(tmp_path):
    # lmdb's engines: both modules' functions take `struct vo **` made with the one ffi
    ffi = FFI()
    ffi.cdef("typedef struct vo vo_t; int vo_make(vo_t **out); int vo_get(vo_t *); "
             "void vo_free(vo_t *);")
    libs = []
    for base in (10, 20):
        libs.append(ffi.verify(
            "#include <stdlib.h>\ntypedef struct vo { int v; } vo_t;\n"
            "static int vo_make(vo_t **out) { *out = malloc(sizeof(vo_t)); (*out)->v = %d;"
            " return 0; }\nstatic int vo_get(vo_t *p) { return p->v; }\n"
            "static void vo_free(vo_t *p) { free(p); }" % base,
            tmpdir=str(tmp_path), modulename="_vo_%d" % base))
    for lib, base in zip(libs, (10, 20)):
        out = ffi.new("vo_t **")
        assert lib.vo_make(out) == 0
        assert lib.vo_get(out[0]) == base
        lib.vo_free(out[0])
    other = FFI()
    other.cdef("typedef struct vo vo_t;")
    with pytest.raises(TypeError):                  # another ffi's type is still refused
        libs[1].vo_make(other.new("vo_t **"))
