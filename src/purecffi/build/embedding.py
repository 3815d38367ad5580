"""Embedding (spec chapter 9): a shared library exporting C functions written in Python.

The library is the API-mode C module of `api_module.py` with three additions:
- the functions of `embedding_api()` are extern "Python" functions that are not static (so the
  library exports them), and `CFFI_DLLEXPORT` is defined for the set_source() code;
- every extern "Python" function first calls `_pc_embedding_start()` (the `PC_START_PYTHON`
  hook of api_module), which on the first call initialises Python if the process has none,
  extends sys.path with the paths recorded at build time, creates the module from the same
  library (`PyInit_<name>`) and runs the frozen init code; later calls see a flag and go on;
- the library links with libpython.
See docs/design.md, "Embedding", for the rules (threads, sys.path, failures).
"""
import os
import sys
import sysconfig
import textwrap

from ..decls import MSG_MULTIPLE
from ..errors import FFIError
from .api_module import _c_string, _c_string_lines, generate_c_source, write_c_source

__all__ = ["EmbeddingSpec", "embedding_api", "embedding_init_code", "emit_c_code",
           "compile_embedding", "build_paths"]


class EmbeddingSpec:
    """What embedding_api() and embedding_init_code() recorded on an FFI."""

    def __init__(self):
        self.exported = []          # names of the functions of embedding_api(), in order
        self.init_code = None       # the Python source frozen in the library


def _spec_of(ffi):
    spec = getattr(ffi, "_embedding", None)
    if spec is None:
        spec = ffi._embedding = EmbeddingSpec()
    return spec


# -- The FFI methods ----
def embedding_api(ffi, source, packed=False, pack=None):
    """ffi.embedding_api(): parse like cdef() (its `packed` and `pack` too); the functions
    become exported extern "Python" functions (types, constants and global variables stay as
    cdef() declares them)."""
    before, snapshot = set(ffi._decls.functions), ffi._decls.copy()
    ffi.cdef(source, packed=packed, pack=pack)
    decls = ffi._decls
    spec = _spec_of(ffi)
    new = [name for name in decls.functions if name not in before]
    if not new:
        return
    for name in new:
        if name in decls.extern_python:         # exported twice: refused, nothing changed
            decls.__dict__.update(snapshot.__dict__)
            ffi._types.clear()
            raise FFIError(MSG_MULTIPLE % ("dllexport_python", name))
    functions = dict(decls.functions)
    externs = dict(decls.extern_python)
    for name in new:
        externs[name] = (functions.pop(name).raw, True)
        spec.exported.append(name)
    decls.functions, decls.extern_python = functions, externs
    decls.order = [("extern_python", n) if c == "function" and n in new else (c, n)
                   for c, n in decls.order]
    decls.type_cache = {}
    ffi._types.clear()


def embedding_init_code(ffi, source):
    """ffi.embedding_init_code(): the Python code run when the library starts."""
    if isinstance(source, (bytes, bytearray)):          # (cffi's words, those of re)
        raise TypeError("cannot use a string pattern on a bytes-like object")
    if not isinstance(source, str):
        raise TypeError("expected string or bytes-like object, got %r"
                        % (type(source).__name__,))
    spec = _spec_of(ffi)
    if spec.init_code is not None:
        raise ValueError("embedding_init_code() can only be called once")
    source = _without_leading_blank_lines(textwrap.dedent(source))
    compile(source, "cffi_init", "exec")            # a SyntaxError now, not at run time
    spec.init_code = source


def _without_leading_blank_lines(source):
    """The code from its first line that is not blank: tracebacks count lines from there,
    as cffi's do (code given as a triple-quoted string that opens with a newline starts at
    line 1)."""
    lines = source.split("\n")
    while lines and not lines[0].strip():
        del lines[0]
    return "\n".join(lines)


# -- Paths recorded at build time ----
def build_paths():
    """Where the embedded interpreter also looks for modules (appended to its own sys.path):
    the directory holding purecffi, then the building interpreter's sys.path made absolute
    (its site-packages, PYTHONPATH, the build script's directory)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))    # purecffi/
    paths = [os.path.dirname(package)]
    for entry in sys.path:
        entry = os.path.abspath(entry or os.getcwd())
        if entry not in paths and os.path.exists(entry):
            paths.append(entry)
    return paths


def _libpython():
    """(soname, library dir, library name for -l) of the shared libpython, or None."""
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        return None
    soname = sysconfig.get_config_var("INSTSONAME") or sysconfig.get_config_var("LDLIBRARY")
    version = sysconfig.get_config_var("LDVERSION") or sysconfig.get_config_var("VERSION")
    return soname, sysconfig.get_config_var("LIBDIR"), "python" + version


# -- The C parts ----
PRELUDE = [
    "/* ---- purecffi embedding (build/embedding.py) ---- */",
    "#if defined(_WIN32)",
    "#  define CFFI_DLLEXPORT __declspec(dllexport)",
    "#elif defined(__GNUC__)",
    "#  define CFFI_DLLEXPORT __attribute__((visibility(\"default\")))",
    "#else",
    "#  define CFFI_DLLEXPORT",
    "#endif",
    "static int _pc_embedding_start(const char *name);",
    "#define PC_START_PYTHON(name) _pc_embedding_start(name)",
    "/* cffi_start_python(): start Python now; 0, or -1 if the init code failed */",
    "#if defined(__GNUC__)",
    "__attribute__((unused))",
    "#endif",
    "static int cffi_start_python(void);",
    "",
]

# Python run (in its own namespace) before the module is made: extend sys.path.
_PATHS_CODE = """\
import os, sys
for _p in %r:
    if _p not in sys.path and os.path.exists(_p):
        if os.path.basename(_p) == 'site-packages':
            import site
            site.addsitedir(_p)
        else:
            sys.path.append(_p)
"""

# Python reporting a failed start: the traceback, then the paths Python used.
_REPORT_CODE = """\
def _report(name, exc):
    import sys, traceback
    err = sys.stderr if sys.stderr is not None else sys.__stderr__
    err.write("Failed to initialize the Python-CFFI embedding logic:\\n\\n")
    traceback.print_exception(type(exc), exc, exc.__traceback__, file=err)
    err.write("\\nFrom: %s\\ncompiled with purecffi (by %s)\\n" % (name, BUILT_BY))
    err.write("sys.path: %r\\nsys.executable: %r\\nsys.prefix: %r\\n\\n"
              % (sys.path, sys.executable, sys.prefix))
    err.flush()
"""


def epilogue(ffi, spec, init_code, paths, libpython):
    """The start-up machinery, after the module's PyInit."""
    name = spec.module_name
    short = name.rsplit(".", 1)[-1]
    soname = libpython[0] if libpython else ""
    report = _REPORT_CODE.replace("BUILT_BY", repr(sys.executable))
    return [
        "/* ---- purecffi embedding: start-up ---- */",
        "#include <pthread.h>",
        "#include <dlfcn.h>",
        "#include <fcntl.h>",
        "#include <semaphore.h>",
        "#include <stdio.h>",
        "#include <unistd.h>",
        "",
        "static const char _pc_module_name[] = %s;" % (_c_string(name),),
        "static const char _pc_libpython[] = %s;" % (_c_string(soname),),
        "static const char _pc_init_code[] = %s;" % (_c_string_lines(init_code),),
        "static const char _pc_paths_code[] = %s;" % (_c_string_lines(_PATHS_CODE % (paths,)),),
        "static const char _pc_report_code[] = %s;" % (_c_string_lines(report),),
        "",
        "#if PY_VERSION_HEX >= 0x030D0000",
        "#  define PC_CURRENT_TSTATE() PyThreadState_GetUnchecked()",
        "#else",
        "#  define PC_CURRENT_TSTATE() _PyThreadState_UncheckedGet()",
        "#endif",
        "static pthread_mutex_t _pc_embed_lock = PTHREAD_MUTEX_INITIALIZER;",
        "static int _pc_embed_state;          /* 0: not started, 1: starting, 2: ready, "
        "-1: failed */",
        "static pthread_t _pc_embed_owner;    /* the thread running the start-up */",
        "",
    ] + emit_interpreter_start() + emit_module(short) + emit_report() + emit_run() + \
        emit_thread_state() + emit_start()


def emit_interpreter_start():
    """Py_InitializeEx once per process (C)."""
    return [
        "/* Py_InitializeEx(0) unless the process already has Python.  Several libraries of a",
        " * process may race here: a named semaphore (per process) serialises them; it is",
        " * unlinked once Python is up, which is checked again under it. */",
        "static void _pc_start_interpreter(void)",
        "{",
        "    char sem_name[64];",
        "    sem_t *sem;",
        "    if (Py_IsInitialized())",
        "        return;",
        "    snprintf(sem_name, sizeof(sem_name), \"/purecffi-embed-%ld\", (long)getpid());",
        "    sem = sem_open(sem_name, O_CREAT, 0600, 1);",
        "    if (sem != SEM_FAILED)",
        "        while (sem_wait(sem) != 0) { }",
        "    if (!Py_IsInitialized()) {",
        "        if (_pc_libpython[0])     /* symbols for extension modules, even when this",
        "                                     library was dlopen()ed with RTLD_LOCAL */",
        "            dlopen(_pc_libpython, RTLD_LAZY | RTLD_GLOBAL | RTLD_NOLOAD);",
        "        Py_InitializeEx(0);",
        "        PyEval_SaveThread();      /* from now on, callers take the GIL */",
        "    }",
        "    if (sem != SEM_FAILED) {",
        "        sem_post(sem);",
        "        sem_close(sem);",
        "        sem_unlink(sem_name);",
        "    }",
        "}",
        "",
    ]


def emit_module(short):
    """The module object: imported, or made by PyInit_<name> (C)."""
    return [
        "/* the file of this library, for the module's __file__ */",
        "static PyObject *_pc_library_file(void)",
        "{",
        "    Dl_info info;",
        "    if (dladdr((void *)&_pc_embed_state, &info) && info.dli_fname != NULL)",
        "        return PyUnicode_DecodeFSDefault(info.dli_fname);",
        "    return PyUnicode_FromString(_pc_module_name);",
        "}",
        "",
        "/* the module (sys.modules[name] when the library was imported, spec 9.7) */",
        "static PyObject *_pc_embedding_module(void)",
        "{",
        "    PyObject *modules = PyImport_GetModuleDict(), *module, *file;",
        "    module = PyDict_GetItemString(modules, _pc_module_name);",
        "    if (module != NULL) {",
        "        Py_INCREF(module);",
        "        return module;",
        "    }",
        "    module = PyInit_%s();" % (short,),
        "    if (module == NULL)",
        "        return NULL;",
        "    file = _pc_library_file();",
        "    if (file == NULL || PyModule_AddObjectRef(module, \"__file__\", file) < 0 ||",
        "            PyDict_SetItemString(modules, _pc_module_name, module) < 0) {",
        "        Py_XDECREF(file);",
        "        Py_DECREF(module);",
        "        return NULL;",
        "    }",
        "    Py_DECREF(file);",
        "    return module;",
        "}",
        "",
    ]


def emit_report():
    """Reporting a failed start on stderr (C)."""
    return [
        "/* print the pending exception, the paths Python used (never exits, even on",
        " * SystemExit) */",
        "static void _pc_embedding_report(void)",
        "{",
        "    PyObject *type, *value, *tb, *ns, *r = NULL;",
        "    PyErr_Fetch(&type, &value, &tb);",
        "    PyErr_NormalizeException(&type, &value, &tb);",
        "    if (value != NULL && tb != NULL)",
        "        PyException_SetTraceback(value, tb);",
        "    ns = PyDict_New();",
        "    if (ns != NULL && PyDict_SetItemString(ns, \"__builtins__\", PyEval_GetBuiltins()) "
        "== 0)",
        "        r = PyRun_String(_pc_report_code, Py_file_input, ns, ns);",
        "    if (r != NULL) {",
        "        Py_DECREF(r);",
        "        r = PyObject_CallFunction(PyDict_GetItemString(ns, \"_report\"), \"sO\",",
        "                                  _pc_module_name, value ? value : Py_None);",
        "    }",
        "    if (r == NULL) {",
        "        PyErr_Clear();",
        "        fprintf(stderr, \"purecffi: failed to initialize the embedded Python code of "
        "'%s', and could not print why\\n\", _pc_module_name);",
        "    }",
        "    Py_XDECREF(r);",
        "    Py_XDECREF(ns);",
        "    Py_XDECREF(type);",
        "    Py_XDECREF(value);",
        "    Py_XDECREF(tb);",
        "}",
        "",
    ]


def emit_run():
    """With the GIL: sys.path, the module, the init code (C)."""
    return [
        "/* with the GIL: sys.path, the module, the init code; 0 or -1 (reported) */",
        "static int _pc_embedding_run(void)",
        "{",
        "    PyObject *ns = NULL, *module = NULL, *code = NULL, *r = NULL;",
        "    char filename[300];",
        "    ns = PyDict_New();",
        "    if (ns == NULL || PyDict_SetItemString(ns, \"__builtins__\", PyEval_GetBuiltins()) "
        "< 0)",
        "        goto error;",
        "    r = PyRun_String(_pc_paths_code, Py_file_input, ns, ns);",
        "    if (r == NULL)",
        "        goto error;",
        "    Py_DECREF(r);",
        "    Py_DECREF(ns);",
        "    module = _pc_embedding_module();",
        "    if (module == NULL)",
        "        goto error;",
        "    ns = PyDict_New();",
        "    if (ns == NULL || PyDict_SetItemString(ns, \"__builtins__\", PyEval_GetBuiltins()) "
        "< 0)",
        "        goto error;",
        "    snprintf(filename, sizeof(filename), \"<init code for '%s'>\", _pc_module_name);",
        "    code = Py_CompileString(_pc_init_code, filename, Py_file_input);",
        "    if (code == NULL)",
        "        goto error;",
        "    r = PyEval_EvalCode(code, ns, ns);",
        "    if (r == NULL)",
        "        goto error;",
        "    Py_DECREF(r);",
        "    Py_DECREF(code);",
        "    Py_DECREF(ns);",
        "    Py_DECREF(module);",
        "    return 0;",
        "  error:",
        "    _pc_embedding_report();",
        "    Py_XDECREF(code);",
        "    Py_XDECREF(ns);",
        "    Py_XDECREF(module);",
        "    return -1;",
        "}",
        "",
    ]


def emit_thread_state():
    """One Python thread state per C thread, kept across calls (C); docs/design.md."""
    return [
        "/* A C thread without a Python thread state gets one on its first call, and keeps it",
        " * (one more PyGILState_Ensure() than Release(), GIL released): each call's",
        " * PyGILState_Ensure()/Release() then reuses it, so threading.local() values and",
        " * threading.current_thread() last from call to call.  It is deleted when the C thread",
        " * exits, by a pthread key destructor holding it (Python's own key for it may already",
        " * be cleared then), unless Python was finalized before.  The library is then never",
        " * unloaded (RTLD_NODELETE): the destructor is its code. */",
        "static pthread_key_t _pc_tstate_key;",
        "static pthread_once_t _pc_tstate_once = PTHREAD_ONCE_INIT;",
        "static __thread int _pc_tstate_checked;",
        "",
        "static void _pc_drop_thread_state(void *kept)",
        "{",
        "    PyThreadState *tstate = (PyThreadState *)kept;",
        "    if (!Py_IsInitialized())",
        "        return;",
        "    PyEval_RestoreThread(tstate);",
        "    PyThreadState_Clear(tstate);      /* threading.local() values go with it */",
        "    PyThreadState_DeleteCurrent();    /* and releases the GIL */",
        "}",
        "",
        "static void _pc_make_tstate_key(void)",
        "{",
        "    Dl_info info;",
        "    if (dladdr((void *)&_pc_tstate_key, &info) && info.dli_fname != NULL)",
        "        dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);",
        "    if (pthread_key_create(&_pc_tstate_key, _pc_drop_thread_state) != 0)",
        "        _pc_tstate_key = (pthread_key_t)-1;",
        "}",
        "",
        "static void _pc_keep_thread_state(void)",
        "{",
        "    if (_pc_tstate_checked)",
        "        return;",
        "    _pc_tstate_checked = 1;",
        "    if (PyGILState_GetThisThreadState() != NULL)",
        "        return;               /* a Python thread, or the one that started Python */",
        "    pthread_once(&_pc_tstate_once, _pc_make_tstate_key);",
        "    if (_pc_tstate_key == (pthread_key_t)-1)",
        "        return;               /* no destructor: per-call thread states, as before */",
        "    PyGILState_Ensure();",
        "    pthread_setspecific(_pc_tstate_key, PyEval_SaveThread());",
        "}",
        "",
    ]


def emit_start():
    """The once-only start of the library, and cffi_start_python() (C)."""
    return [
        "/* the first call of any extern \"Python\" function (from any thread) starts Python",
        " * and runs the init code once; the other threads wait; the starting thread itself",
        " * goes through (calls made by the init code).  0, or -1 if the start failed. */",
        "static int _pc_embedding_start(const char *name)",
        "{",
        "    int state = __atomic_load_n(&_pc_embed_state, __ATOMIC_ACQUIRE);",
        "    if (state == 2) {",
        "        _pc_keep_thread_state();",
        "        return 0;",
        "    }",
        "    if (state == 1 && pthread_equal(_pc_embed_owner, pthread_self()))",
        "        return 0;",
        "    if (state != -1) {",
        "        /* a thread holding the GIL (a Python thread calling through ctypes.PyDLL)",
        "         * releases it while it waits: the starting thread may need it */",
        "        PyThreadState *saved = NULL, *current;",
        "        if (Py_IsInitialized()) {",
        "            current = PC_CURRENT_TSTATE();",
        "            if (current != NULL && current == PyGILState_GetThisThreadState())",
        "                saved = PyEval_SaveThread();",
        "        }",
        "        pthread_mutex_lock(&_pc_embed_lock);",
        "        if (_pc_embed_state == 0) {",
        "            PyGILState_STATE gil;",
        "            int ok;",
        "            _pc_embed_owner = pthread_self();",
        "            __atomic_store_n(&_pc_embed_state, 1, __ATOMIC_RELEASE);",
        "            _pc_start_interpreter();",
        "            gil = PyGILState_Ensure();",
        "            ok = _pc_embedding_run();",
        "            PyGILState_Release(gil);",
        "            __atomic_store_n(&_pc_embed_state, ok == 0 ? 2 : -1, __ATOMIC_RELEASE);",
        "        }",
        "        state = _pc_embed_state;",
        "        pthread_mutex_unlock(&_pc_embed_lock);",
        "        if (saved != NULL)",
        "            PyEval_RestoreThread(saved);",
        "    }",
        "    if (state == -1) {",
        "        if (name != NULL)",
        "            fprintf(stderr, \"function %s() called, but initialization code failed.  "
        "Returning 0.\\n\", name);",
        "        return -1;",
        "    }",
        "    if (state == 2)",
        "        _pc_keep_thread_state();",
        "    return 0;",
        "}",
        "",
        "static int cffi_start_python(void)",
        "{",
        "    return _pc_embedding_start(NULL);",
        "}",
        "",
    ]


# -- Building ----
def _source_spec(ffi):
    spec = getattr(ffi, "_source_spec", None)
    if spec is None or spec.source is None:
        raise ValueError("embedding: call set_source(module_name, c_code) first (the C code "
                         "may be an empty string)")
    return spec


def generate_embedding_source(ffi, paths=None):
    """The text of the C file of the library."""
    spec = _source_spec(ffi)
    embed = _spec_of(ffi)
    init_code = embed.init_code if embed.init_code is not None else ""
    paths = build_paths() if paths is None else list(paths)
    # the full API even with py_limited_api=True: the library links with libpython anyway
    return generate_c_source(ffi, spec, prelude=PRELUDE,
                             epilogue=epilogue(ffi, spec, init_code, paths, _libpython()),
                             limited=False)


def emit_c_code(ffi, filename):
    """ffi.emit_c_code() in embedding mode: the C file, for other build systems or static
    linking (compile it with the flags of `python3-config --cflags --ldflags --embed`).
    Says "(already up-to-date)" when the file had that text already, as cffi."""
    if not write_c_source(filename, generate_embedding_source(ffi)):
        print("(already up-to-date)")


def link_spec(spec):
    """A SourceSpec whose keywords also link with libpython (rpath to it) and pthread."""
    from . import SourceSpec
    kwds = {key: list(value) if isinstance(value, (list, tuple)) else value
            for key, value in spec.kwds.items() if key != "py_limited_api"}
    libpython = _libpython()
    if libpython is not None:
        _, libdir, lib = libpython
        kwds.setdefault("libraries", []).append(lib)
        if libdir:
            kwds.setdefault("library_dirs", []).append(libdir)
            kwds.setdefault("runtime_library_dirs", []).append(libdir)
    kwds.setdefault("extra_link_args", []).append("-pthread")
    kwds.setdefault("libraries", []).append("dl")
    return SourceSpec(spec.module_name, spec.source, spec.source_extension, kwds)


def default_target(spec):
    """cffi's default file name: `<module name>.so` (`.dll` on Windows), the whole dotted
    name (spec 9.1: "a file called c_module_name.so"), in the package's directory."""
    return spec.module_name + ".*"


def _quiet(enabled):
    """A context where print() says nothing (when `enabled`)."""
    import contextlib
    import io
    return contextlib.redirect_stdout(io.StringIO()) if enabled else contextlib.nullcontext()


def compile_embedding(ffi, tmpdir=".", verbose=False, target=None, debug=None):
    """ffi.compile() in embedding mode: the C file under tmpdir, then the shared library named
    by `target` (`"name.*"`: the platform's extension); its path."""
    from .compiler import build_extension
    spec = _source_spec(ffi)
    if _libpython() is None and verbose:
        print("purecffi: warning: this Python has no shared libpython; the library will only "
              "work inside a Python process")
    parts = spec.module_name.split(".")
    directory = os.path.join(tmpdir, *parts[:-1])
    os.makedirs(directory, exist_ok=True)
    c_file = os.path.join(directory, parts[-1] + spec.source_extension)
    if verbose:
        print("generating %s" % (c_file,))
    with _quiet(not verbose):
        emit_c_code(ffi, c_file)
    return build_extension(link_spec(spec), c_file, tmpdir, verbose=verbose,
                           target=target or default_target(spec), debug=debug,
                           in_tmpdir=True)
