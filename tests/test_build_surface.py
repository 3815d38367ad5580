"""The build surface as build scripts observe it: what compile(), verify() and the embedding
builder return, which files they leave where, and their errors.  Validated against cffi with
PURECFFI_TEST_AGAINST=cffi."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import embedding_skip_reason
from _backend import FFI, VerificationError




needs_embedding = pytest.mark.skipif(embedding_skip_reason() is not None,
                                     reason=str(embedding_skip_reason()))


def _call_in_a_process(library, function, *args):
    """`function(*args)` of the shared library, called through ctypes in a new process."""
    code = ("import ctypes, sys\n"
            "lib = ctypes.CDLL(sys.argv[1])\n"
            "print(getattr(lib, sys.argv[2])(*map(int, sys.argv[3:])))\n")
    proc = subprocess.run([sys.executable, "-c", code, library, function] +
                          [str(arg) for arg in args], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


# -- Embedding ----
@pytest.fixture(scope="module")
def packaged_library(tmp_path_factory):
    """An embedding library of a module in a package ("pk._plug"), built with no target."""
    tmpdir = tmp_path_factory.mktemp("packaged")
    ffi = FFI()
    ffi.embedding_api("int triple(int); int globals_at_init(void);")
    ffi.embedding_init_code("""
        from pk._plug import ffi
        names = sorted(globals())
        @ffi.def_extern()
        def triple(x):
            return 3 * x
        @ffi.def_extern()
        def globals_at_init():
            # the init code's namespace held only __builtins__ and what it imported
            return names == ["__builtins__", "ffi"]
    """)
    ffi.set_source("pk._plug", "")
    return str(tmpdir), ffi.compile(tmpdir=str(tmpdir))


@needs_embedding
def test_embedding_default_target_is_the_whole_module_name(packaged_library):
    # spec 9.1: "By default, it produces a file called c_module_name.so", the dotted name
    # kept whole, in the package's directory beside the C file
    tmpdir, path = packaged_library
    base, extension = os.path.splitext(path)
    assert base == os.path.join(tmpdir, "pk", "pk._plug") and os.path.isfile(path)
    assert os.path.isfile(os.path.join(tmpdir, "pk", "_plug.c"))
    assert not os.path.exists(os.path.join(tmpdir, "pk", "_plug" + extension))
    assert _call_in_a_process(path, "triple", 14) == "42"


@needs_embedding
def test_embedding_init_code_runs_in_a_namespace_without_a_name(packaged_library):
    # as cffi: no __name__ (a logger named after __name__ is "builtins"'s)
    assert _call_in_a_process(packaged_library[1], "globals_at_init") == "1"


@pytest.mark.parametrize("declare, module, message", [
    (lambda ffi: ffi.embedding_api("int exported(int);"), "_abi_embedding",
     "dllexport_python exported: cannot use 'extern \"Python\"' in the ABI mode"),
    (lambda ffi: ffi.cdef('extern "Python" int callback(int);'), "_abi_extern",
     "extern_python callback: cannot use 'extern \"Python\"' in the ABI mode"),
], ids=["embedding_api", "extern_python"])
def test_python_functions_in_abi_mode_are_refused_naming_them(tmp_path, declare, module,
                                                              message):
    ffi = FFI()
    declare(ffi)
    ffi.set_source(module, None)
    with pytest.raises(VerificationError) as info:
        ffi.compile(tmpdir=str(tmp_path))
    assert str(info.value) == message
    assert not os.path.exists(tmp_path / (module + ".py"))


def _lines(text):
    return [line for line in text.splitlines()
            if line.startswith(("generating", "(already", "setting the current", "running"))]


def test_verbose_api_compile_names_the_c_file_it_writes(tmp_path, capfd):
    ffi = FFI()
    ffi.cdef("int add(int, int);")
    ffi.set_source("pk._verbose", "int add(int a, int b) { return a + b; }")
    c_file = os.path.join(str(tmp_path), "pk", "_verbose.c")
    building = ["setting the current directory to %r" % (str(tmp_path),), "running build_ext"]
    ffi.compile(tmpdir=str(tmp_path), verbose=True)
    assert _lines(capfd.readouterr().out) == ["generating %s" % (c_file,)] + building
    ffi.compile(tmpdir=str(tmp_path), verbose=True)
    assert _lines(capfd.readouterr().out) == ["generating %s" % (c_file,),
                                              "(already up-to-date)"] + building
    ffi.compile(tmpdir=str(tmp_path))
    assert _lines(capfd.readouterr().out) == []


def test_emit_c_code_of_an_embedding_library_says_when_it_is_up_to_date(tmp_path, capsys):
    ffi = FFI()
    ffi.embedding_api("int exported(int);")
    ffi.set_source("_emitted_embedding", "")
    c_file = str(tmp_path / "plugin.c")
    ffi.emit_c_code(c_file)
    assert _lines(capsys.readouterr().out) == ["generating %s" % (c_file,)]
    ffi.emit_c_code(c_file)
    assert _lines(capsys.readouterr().out) == ["generating %s" % (c_file,),
                                               "(already up-to-date)"]


# -- setup(cffi_modules=...) ----
SETUP_PY = '''\
from setuptools import setup
setup(name="sample", version="0.1", packages=["sample"],
      cffi_modules=["sample_build.py:ffibuilder"])
'''

API_BUILD_SCRIPT = '''\
import cffi
ffibuilder = cffi.FFI()
ffibuilder.cdef("int add3(int);")
ffibuilder.set_source("sample._api", "static int add3(int x) { return x + 3; }")
'''


def _setup_py_env():
    """The environment of a `python setup.py` run on the implementation under test: the
    real cffi as installed, or `cffi` served by purecffi's drop-in."""
    from _backend import IS_CFFI
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if not IS_CFFI:
        repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = os.pathsep.join([os.path.join(repo, "dropin"),
                                             os.path.join(repo, "src")])
    return env


def test_setup_py_queries_write_and_print_nothing_for_api_modules(tmp_path):
    # the C file of an API-mode module is written when build_ext runs, not by setup()
    # itself: `python setup.py --version` prints just the version, and leaves no build/
    (tmp_path / "sample").mkdir()
    (tmp_path / "sample" / "__init__.py").write_text("")
    (tmp_path / "sample_build.py").write_text(API_BUILD_SCRIPT)
    (tmp_path / "setup.py").write_text(SETUP_PY)
    proc = subprocess.run([sys.executable, "setup.py", "--version"], cwd=str(tmp_path),
                          env=_setup_py_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "0.1\n"
    assert sorted(os.listdir(tmp_path)) == ["sample", "sample_build.py", "setup.py"]


# -- pkg-config ----
needs_pkg_config = pytest.mark.skipif(shutil.which("pkg-config") is None,
                                      reason="pkg-config is not installed")


@pytest.fixture
def pc_package(tmp_path, monkeypatch):
    """A pkg-config package `purecffi-sample` known through PKG_CONFIG_PATH."""
    (tmp_path / "purecffi-sample.pc").write_text(
        "Name: purecffi-sample\nDescription: test\nVersion: 1.0\n"
        "Cflags: -I/opt/sample/include -DSAMPLE_FLAG=1\n"
        "Libs: -L/opt/sample/lib -lsample\n")
    monkeypatch.setenv("PKG_CONFIG_PATH", str(tmp_path))
    return "purecffi-sample"


@needs_pkg_config
def test_flags_from_pkgconfig_gives_all_six_keywords(pc_package):
    from _backend import backend
    pkgconfig = __import__(backend.__name__ + ".pkgconfig", fromlist=["_"])
    flags = pkgconfig.flags_from_pkgconfig([pc_package])
    assert flags == {"include_dirs": ["/opt/sample/include"],
                     "library_dirs": ["/opt/sample/lib"], "libraries": ["sample"],
                     "define_macros": [("SAMPLE_FLAG", "1")], "extra_compile_args": [],
                     "extra_link_args": []}
    assert pkgconfig.flags_from_pkgconfig([]) == {}


@needs_pkg_config
def test_set_source_pkgconfig_takes_a_list_not_a_tuple(pc_package, tmp_path):
    ffi = FFI()
    with pytest.raises(TypeError) as info:
        ffi.set_source_pkgconfig("_pc_tuple", (pc_package,), "")
    assert str(info.value) == "the pkgconfig_libs argument must be a list of package names"
    ffi.set_source_pkgconfig("_pc_list", [pc_package], "", libraries=["m"])
    ext = ffi.distutils_extension(str(tmp_path), verbose=False)
    assert (ext.libraries, ext.library_dirs) == (["m", "sample"], ["/opt/sample/lib"])
    assert ext.include_dirs == ["/opt/sample/include"]



KEYWORD_ERRORS = '''\
from setuptools import Distribution
from cffi.setuptools_ext import cffi_modules
for value in (["no_global.py:ffibuilder"], ["not_ffi.py:ffibuilder"],
              ["no_source.py:ffibuilder"], ["missing.py:ffibuilder"], [42]):
    try:
        cffi_modules(Distribution(), "cffi_modules", value)
    except Exception as exc:
        print(type(exc).__name__, exc)
'''


def test_cffi_modules_errors_are_cffis(tmp_path):
    (tmp_path / "no_global.py").write_text("x = 1\n")
    (tmp_path / "not_ffi.py").write_text("def ffibuilder():\n    return 42\n")
    (tmp_path / "no_source.py").write_text("import cffi\nffibuilder = cffi.FFI()\n")
    proc = subprocess.run([sys.executable, "-c", KEYWORD_ERRORS], cwd=str(tmp_path),
                          env=_setup_py_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "DistutilsSetupError 'no_global.py:ffibuilder': object 'ffibuilder' not found in module",
        "DistutilsSetupError 'not_ffi.py:ffibuilder' is not an FFI instance (got 'int')",
        "DistutilsSetupError 'no_source.py:ffibuilder': the set_source() method was not called",
        "DistutilsSetupError 'missing.py' does not name an existing file",
        "DistutilsSetupError argument to 'cffi_modules=...' must be a str or a list of str, "
        "not 'int'"]


@pytest.mark.parametrize("code, message", [
    (42, "expected string or bytes-like object, got 'int'"),
    (b"x = 1", "cannot use a string pattern on a bytes-like object"),
])
def test_embedding_init_code_that_is_not_a_str(code, message):
    ffi = FFI()
    with pytest.raises(TypeError) as info:
        ffi.embedding_init_code(code)
    assert str(info.value) == message
    ffi.embedding_init_code("x = 1")        # nothing was recorded


def test_compile_takes_relative_paths_from_tmpdir(tmp_path, monkeypatch):
    # ffi.compile() builds in tmpdir: the set_source() keywords' relative paths start there
    # (cffi's behaviour; verify() instead keeps the current directory)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "seven.h").write_text("#define SEVEN 7\n")
    (tmp_path / "src" / "extra.c").write_text(
        '#include "seven.h"\nint extra(void) { return SEVEN * 6; }\n')
    monkeypatch.chdir(tmp_path)
    ffi = FFI()
    ffi.cdef("int extra(void); int seven(void);")
    ffi.set_source("_relative_paths", '#include "seven.h"\nint extra(void);\n'
                   "static int seven(void) { return SEVEN; }",
                   sources=["../src/extra.c"], include_dirs=["../src"])
    path = ffi.compile(tmpdir="out")
    assert path == os.path.join(str(tmp_path), "out", os.path.basename(path))
    from conftest import import_built
    module = import_built(tmp_path / "out", "_relative_paths")
    assert (module.lib.extra(), module.lib.seven()) == (42, 7)
    assert os.getcwd() == str(tmp_path)


def test_set_source_refuses_a_slash_in_the_module_name():
    ffi = FFI()
    ffi.cdef("int abs(int);")
    with pytest.raises(ValueError) as info:
        ffi.set_source("pkg/_mod", None)
    assert str(info.value) == ("'module_name' must not contain '/': use a dotted name to make "
                               "a 'package.module' location")
    ffi.set_source("pkg._mod", None)       # nothing was recorded


def test_embedding_api_takes_cdefs_packed_and_pack():
    ffi = FFI()
    ffi.embedding_api("struct packed_s { char c; int i; }; int use_packed(struct packed_s *);",
                      packed=True)
    ffi.embedding_api("struct pack2_s { char c; int i; }; int use_pack2(struct pack2_s *);",
                      pack=2)
    assert ffi.sizeof("struct packed_s") == 1 + ffi.sizeof("int")
    assert ffi.offsetof("struct pack2_s", "i") == 2


# -- verify() / cffi.verifier ----
def test_verifier_relative_to_applies_to_every_path_keyword(tmp_path):
    from _backend import backend
    verifier = __import__(backend.__name__ + ".verifier", fromlist=["_"])
    ffi = FFI()
    ffi.cdef("int g(void);")
    base = str(tmp_path / "sub")
    v = verifier.Verifier(ffi, "int g(void) { return 1; }", tmpdir=str(tmp_path),
                          relative_to=os.path.join(base, "build.py"), sources=["a.c"],
                          include_dirs=["inc"], library_dirs=["lib"], libraries=["m"],
                          extra_objects=["x.o"], depends=["a.h"], extra_compile_args=["-O0"])
    assert v.kwds == {"sources": [os.path.join(base, "a.c")],
                      "include_dirs": [os.path.join(base, "inc")],
                      "library_dirs": [os.path.join(base, "lib")], "libraries": ["m"],
                      "extra_objects": [os.path.join(base, "x.o")],
                      "depends": [os.path.join(base, "a.h")], "extra_compile_args": ["-O0"]}
    ext = v.get_extension()
    assert ext.sources[1:] == [os.path.join(base, "a.c")]
    assert (ext.include_dirs, ext.library_dirs) == ([os.path.join(base, "inc")],
                                                    [os.path.join(base, "lib")])
    assert v.make_relative_to({"sources": ["a.c"]}, "build.py") == {"sources": ["a.c"]}
    assert v.generates_python_module() is True


def test_verify_loading_a_module_built_for_other_declarations(tmp_path):
    # a fixed modulename finds the module built before, without compiling; a function the
    # new declarations add is not in it: verify() says so at once, as cffi's does
    old = FFI()
    old.cdef("int g(void);")
    assert old.verify("int g(void) { return 1; }", tmpdir=str(tmp_path),
                      modulename="_stale_verified").g() == 1
    new = FFI()
    new.cdef("int g(void); int h(void);")
    with pytest.raises(AttributeError) as info:
        new.verify("int g(void) { return 1; } int h(void) { return 2; }",
                   tmpdir=str(tmp_path), modulename="_stale_verified")
    assert str(info.value) == ("function h: module '_stale_verified' has no attribute 'h'")
