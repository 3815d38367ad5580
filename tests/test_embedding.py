"""Embedding (spec chapter 9): shared libraries whose exported functions are Python, called
from C programs (tests/embedding/*.c) linked with them or dlopen()ing them.

Every program runs without PYTHONPATH: the embedded interpreter must find purecffi through
the paths recorded at build time (docs/design.md, "Embedding").
"""
import os
import shutil
import subprocess
import sys
import sysconfig

import pytest

from conftest import embedding_skip_reason
from purecffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVERS = os.path.join(HERE, "embedding")




pytestmark = pytest.mark.skipif(embedding_skip_reason() is not None,
                                reason=str(embedding_skip_reason()))


# -- Building the libraries and the programs (once per module) ----
def _header_api():
    """plugin.h without its '#' lines, CFFI_DLLEXPORT read as extern (spec 9.2)."""
    with open(os.path.join(DRIVERS, "plugin.h")) as f:
        lines = [line for line in f if not line.lstrip().startswith("#")]
    return "".join(lines).replace("CFFI_DLLEXPORT", "extern")


BASIC_INIT = """
    import time
    from plug_basic import ffi, lib
    time.sleep(0.3)                 # a wide window for the threads racing on the first call
    print("INIT plug_basic", flush=True)

    @ffi.def_extern()
    def add(a, b):
        return a + b

    @ffi.def_extern()
    def norm1(p):
        return abs(p.x) + abs(p.y)

    @ffi.def_extern()
    def scale(x, k):
        return x * k

    @ffi.def_extern()
    def set_counter(value):
        lib.counter = value

    @ffi.def_extern()
    def fact(n):                    # Python -> C -> Python -> ...
        return 1 if n <= 1 else n * lib.c_fact(n - 1)

    @ffi.def_extern()
    def mycb(x):
        return x * 10
"""


def build_basic(tmpdir):
    ffi = FFI()
    ffi.embedding_api(_header_api())
    ffi.cdef("""
        int c_fact(int n);
        extern "Python" int mycb(int);
    """)
    ffi.set_source("plug_basic", r"""
        #include "plugin.h"
        CFFI_DLLEXPORT int counter = 5;
        static int c_fact(int n) { return fact(n); }
        static int mycb(int);
        CFFI_DLLEXPORT int myfunc(int a, int b) { return mycb(a * b); }
    """, include_dirs=[DRIVERS])
    ffi.embedding_init_code(BASIC_INIT)
    return ffi.compile(tmpdir=tmpdir, target="libplug_basic.*")


def plugin(name, api, init_code, source=""):
    """An embedding builder: the functions of `api`, the module `name` with the C `source`,
    and the Python `init_code`."""
    ffi = FFI()
    ffi.embedding_api(api)
    ffi.set_source(name, source)
    ffi.embedding_init_code(init_code)
    return ffi


def build_other(tmpdir):
    ffi = plugin("plug_other", "int other_modules(int, int); int helper_value(int, int);", """
        import sys
        from plug_other import ffi
        print("INIT plug_other", flush=True)
        try:
            import pc_embed_helper              # only found through PYTHONPATH
            HELP = pc_embed_helper.VALUE
        except ImportError:
            HELP = -1

        @ffi.def_extern()
        def other_modules(a, b):
            return sum(name in sys.modules for name in ("plug_basic", "plug_other"))

        @ffi.def_extern()
        def helper_value(a, b):
            return HELP
    """)
    return ffi.compile(tmpdir=tmpdir, target="libplug_other.*")


def build_fail(tmpdir):
    ffi = plugin("plug_fail", "int f1(int, int); int f2(int, int);", """
        from plug_fail import ffi
        @ffi.def_extern()
        def f1(a, b):
            return a + b
        raise ValueError("init code failed on purpose")
    """)
    return ffi.compile(tmpdir=tmpdir)        # default name: plug_fail.so


def build_partial(tmpdir):
    ffi = plugin("plug_partial", "int f1(int, int); int f2(int, int);", """
        from plug_partial import ffi
        @ffi.def_extern()
        def f1(a, b):
            return a * b
    """)
    return ffi.compile(tmpdir=tmpdir, target="plug-partial-1.0.*")


def emit_static(tmpdir):
    ffi = plugin("plug_static", "int triple(int);", """
        from plug_static import ffi
        @ffi.def_extern()
        def triple(x):
            return 3 * x
    """, source="""
        CFFI_DLLEXPORT int start(void) { return cffi_start_python(); }
    """)
    c_file = os.path.join(tmpdir, "plug_static.c")
    ffi.emit_c_code(c_file)
    return c_file


def _gcc(args):
    proc = subprocess.run(["gcc"] + args, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("embedding")
    d = str(tmp)
    out = {"dir": d}
    out["basic"] = build_basic(d)
    out["other"] = build_other(d)
    out["fail"] = build_fail(d)
    out["partial"] = build_partial(d)
    out["static_c"] = emit_static(d)
    rpath = "-Wl,-rpath," + d
    for name in ("basic", "threads"):
        _gcc([os.path.join(DRIVERS, name + ".c"), "-o", os.path.join(d, name), "-I", DRIVERS,
              "-L", d, "-lplug_basic", rpath, "-pthread"])
    _gcc([os.path.join(DRIVERS, "basic.c"), "-o", os.path.join(d, "two"), "-I", DRIVERS,
          "-L", d, "-lplug_basic", "-lplug_other", rpath, "-pthread"])
    _gcc([os.path.join(DRIVERS, "dlcall.c"), "-o", os.path.join(d, "dlcall"), "-pthread",
          "-ldl"])
    embed_flags = subprocess.run(
        ["python%s-config" % sysconfig.get_config_var("VERSION"), "--ldflags", "--embed"],
        capture_output=True, text=True).stdout.split() if shutil.which(
        "python%s-config" % sysconfig.get_config_var("VERSION")) else []
    if not embed_flags:
        libdir = sysconfig.get_config_var("LIBDIR")
        embed_flags = ["-L" + libdir, "-lpython" + sysconfig.get_config_var("LDVERSION"),
                       "-Wl,-rpath," + libdir]
    _gcc([os.path.join(DRIVERS, "static_main.c"), out["static_c"], "-o",
          os.path.join(d, "static_main"), "-I", sysconfig.get_paths()["include"],
          "-pthread", "-ldl"] + embed_flags)
    return out


def run(built, program, *args, env_extra=None):
    """Run a program of the build directory without PYTHONPATH; (returncode, out, err)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(env_extra or {})
    proc = subprocess.run([os.path.join(built["dir"], program)] + list(args),
                          capture_output=True, text=True, env=env, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def results(out):
    """FUNC=result lines as a list of (name, value)."""
    return [tuple(line.split("=", 1)) for line in out.splitlines() if "=" in line]


# -- Tests ----
def test_library_names(built):
    assert os.path.basename(built["basic"]) == "libplug_basic.so"
    assert os.path.basename(built["fail"]) == "plug_fail.so"
    assert os.path.basename(built["partial"]) == "plug-partial-1.0.so"


def test_exported_symbols(built):
    proc = subprocess.run(["nm", "-D", "--defined-only", built["basic"]],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip("nm is not available")
    symbols = {line.split()[-1] for line in proc.stdout.splitlines() if line.strip()}
    assert {"add", "norm1", "scale", "set_counter", "fact", "counter", "myfunc",
            "PyInit_plug_basic"} <= symbols
    assert "mycb" not in symbols and "c_fact" not in symbols     # static


def test_basic_calls_globals_types_recursion(built):
    code, out, err = run(built, "basic")
    assert code == 0, err
    assert out.splitlines() == [
        "counter=5",            # a global of the library, read before Python starts
        "INIT plug_basic",      # the init code runs on the first call, once
        "add=5",
        "norm1=7",              # point_t shared by the C program and Python
        "scale=4.50",
        "counter=77",           # written from Python through lib.counter
        "fact=720",             # Python -> C -> Python recursion
        "myfunc=120",           # 9.8: a C function of set_source() calling extern "Python"
        "add=42",
    ], err
    assert err == ""


def test_threads_racing_on_first_call(built):
    code, out, err = run(built, "threads")
    assert code == 0, out + err
    assert out.splitlines() == ["INIT plug_basic", "threads ok"], err


def test_dlopen_rtld_local(built):
    code, out, err = run(built, "dlcall", built["basic"], "add", "20", "22", "add", "1", "2")
    assert code == 0, err
    assert results(out) == [("add", "42"), ("add", "3")]


def test_two_libraries_share_one_interpreter(built):
    code, out, err = run(built, "dlcall", built["basic"], "add", "1", "1",
                         built["other"], "other_modules", "0", "0")
    assert code == 0, err
    assert results(out) == [("add", "2"), ("other_modules", "2")]


def test_two_libraries_started_by_two_threads(built):
    for _ in range(3):
        code, out, err = run(built, "dlcall", "-t", built["basic"], "add", "1", "2",
                             built["other"], "other_modules", "0", "0")
        assert code == 0, err
        # the two init codes run in parallel (spec 9.6): plug_basic may not be imported yet
        assert results(out) in ([("add", "3"), ("other_modules", "2")],
                                [("add", "3"), ("other_modules", "1")])
        assert out.count("INIT plug_basic") == 1 and out.count("INIT plug_other") == 1


def test_linked_with_two_libraries(built):
    code, out, err = run(built, "two")
    assert code == 0, err
    assert "add=42" in out.splitlines()


def test_init_failure_is_reported(built):
    code, out, err = run(built, "dlcall", built["fail"], "f1", "2", "3", "f2", "2", "3",
                         "f1", "1", "1")
    assert code == 0, err
    assert results(out) == [("f1", "0"), ("f2", "0"), ("f1", "0")]
    assert "Traceback (most recent call last)" in err
    assert "ValueError: init code failed on purpose" in err
    assert "Failed to initialize the Python-CFFI embedding logic:" in err    # (cffi's words)
    # lines are counted from the first line of code, as in cffi's tracebacks
    assert "File \"<init code for 'plug_fail'>\", line 5, in <module>" in err
    assert "sys.path: [" in err and "sys.executable: " in err and "sys.prefix: " in err
    assert err.count("function plug_fail.f1() called, but initialization code failed") == 2
    assert "function plug_fail.f2() called, but initialization code failed" in err


def test_unattached_function(built):
    code, out, err = run(built, "dlcall", built["partial"], "f1", "6", "7", "f2", "1", "1")
    assert code == 0, err
    assert results(out) == [("f1", "42"), ("f2", "0")]
    assert "function plug_partial.f2() called, but no code was attached" in err


def test_pythonpath_is_honoured(built, tmp_path):
    (tmp_path / "pc_embed_helper.py").write_text("VALUE = 1234\n")
    code, out, err = run(built, "dlcall", built["other"], "helper_value", "0", "0")
    assert results(out) == [("helper_value", "-1")], err
    code, out, err = run(built, "dlcall", built["other"], "helper_value", "0", "0",
                         env_extra={"PYTHONPATH": str(tmp_path)})
    assert code == 0, err
    assert results(out) == [("helper_value", "1234")], err


def test_static_linking_and_cffi_start_python(built):
    with open(built["static_c"]) as f:
        assert "PyInit_plug_static" in f.read()
    code, out, err = run(built, "static_main")
    assert code == 0, err
    assert out.splitlines() == ["start=0", "triple=42"], err


def test_import_from_python(built):
    """Spec 9.7: the library imported as a module (through a symlink named after it)."""
    d = built["dir"]
    link = os.path.join(d, "plug_basic.so")
    if not os.path.exists(link):
        os.symlink(built["basic"], link)
    script = ("import sys; sys.path.insert(0, %r)\n"
              "from plug_basic import ffi, lib\n"
              "print(lib.counter)\n"
              "print(lib.add(2, 3), lib.fact(5), lib.counter)\n"
              "p = ffi.new('point_t *', [1, -2])\n"
              "print(lib.norm1(p), lib.c_fact(4))\n" % (d,))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["5", "INIT plug_basic", "5 120 5", "3 24"]


VENV_BUILD = '''
from purecffi import FFI
ffi = FFI()
ffi.embedding_api("int venv_check(int, int);")
ffi.set_source("plug_venv", "")
ffi.embedding_init_code("""
    import purecffi, pc_pth_helper
    from plug_venv import ffi
    @ffi.def_extern()
    def venv_check(a, b):
        return (a + b) * ("venv" in purecffi.__file__) + pc_pth_helper.VALUE
""")
print(ffi.compile(tmpdir=%r))
'''


def test_purecffi_in_a_virtual_environment(built, tmp_path):
    """purecffi installed only in a venv (and a .pth file there, as editable installs use):
    the library built by the venv's python finds both, with no PYTHONPATH."""
    import venv
    root = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(str(root))
    python = str(root / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True).stdout.strip()
    shutil.copytree(os.path.join(HERE, "..", "src", "purecffi"),
                    os.path.join(site, "purecffi"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    # what purecffi needs to build, which the base interpreter need not have
    for name in ("pycparser", "setuptools", "_distutils_hack", "pkg_resources"):
        try:
            package = __import__(name)
        except ImportError:
            continue
        shutil.copytree(os.path.dirname(package.__file__), os.path.join(site, name),
                        ignore=shutil.ignore_patterns("__pycache__"))
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "pc_pth_helper.py").write_text("VALUE = 1000\n")
    with open(os.path.join(site, "pc_extra.pth"), "w") as f:
        f.write(str(extra) + "\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    proc = subprocess.run([python, "-c", VENV_BUILD % (str(out_dir),)], capture_output=True,
                          text=True, env=env, cwd=str(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr
    library = proc.stdout.strip().splitlines()[-1]
    assert os.path.basename(library) == "plug_venv.so"
    code, out, err = run(built, "dlcall", library, "venv_check", "1", "2")
    assert code == 0, err
    assert results(out) == [("venv_check", "1003")], err


PYDLL_RACE = '''
import ctypes, sys, threading
sys.path.insert(0, %r)
library = %r
cdll, pydll = ctypes.CDLL(library), ctypes.PyDLL(library)
results = []
starter = threading.Thread(target=lambda: results.append(cdll.add(1, 2)))
starter.start()                     # starts the library (its init code sleeps 0.3 s)
import time; time.sleep(0.1)
results.append(pydll.add(3, 4))     # holds the GIL while it waits for the start
starter.join()
print(sorted(results))
'''


def test_library_loaded_in_python_threads(built):
    """A Python process loads the library with ctypes; a thread calling with the GIL held
    (PyDLL) while another starts the library must not deadlock."""
    script = PYDLL_RACE % (built["dir"], built["basic"])
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["INIT plug_basic", "[3, 7]"], proc.stderr


def test_library_built_by_setuptools_from_distutils_extension(built, tmp_path):
    """distutils_extension() of an embedding ffi: the library's C, linked with libpython,
    which setuptools' build_ext builds into a library C programs can load and call."""
    from setuptools import Distribution
    ffi = plugin("plug_setuptools", "int mul(int, int);", """
        from plug_setuptools import ffi
        @ffi.def_extern()
        def mul(a, b):
            return a * b
    """)
    ext = ffi.distutils_extension(tmpdir=str(tmp_path / "c"), verbose=False)
    with open(ext.sources[0]) as f:
        assert "_pc_embedding_start" in f.read()
    libpython = sysconfig.get_config_var("LDVERSION") or sysconfig.get_config_var("VERSION")
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        assert "python" + libpython in ext.libraries
    dist = Distribution({"ext_modules": [ext], "script_name": "setup.py"})
    cmd = dist.get_command_obj("build_ext")
    cmd.build_lib, cmd.build_temp = str(tmp_path / "lib"), str(tmp_path / "temp")
    cmd.ensure_finalized()
    cmd.run()
    library = cmd.get_ext_fullpath(ext.name)
    code, out, err = run(built, "dlcall", os.path.abspath(library), "mul", "6", "7")
    assert code == 0, err
    assert results(out) == [("mul", "42")], err
