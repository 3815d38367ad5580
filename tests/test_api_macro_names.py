"""Lowercase macros of the set_source() code do not reach the generated C of an API-mode
module: the helpers come before that code, and the short names of what follows it (locals,
parameters, members, labels) are `#undef`'d after it, unless the declarations name them.
A header defining, say, `size` or `value` as a macro then builds as it would alone."""
import re
import shutil

import pytest

from _backend import FFI, IS_CFFI
from conftest import build_api_module

CDEF = """
struct pt { int px; double py; };
union un { int ui; float uf; };
enum color { RED, GREEN = 5 };
#define MYCONST ...
static const int sconst;
int add(int, int);
double addd(double, float);
struct pt mkpt(int, double);
int sum_pt(struct pt);
int first(char *, void *, struct pt *, const unsigned char *);
int apply(int (*)(int), int);
int vari(int, ...);
void nothing(void);
_Bool isb(_Bool);
long double ld(long double);
enum color nextc(enum color);
extern int counter;
extern int garr[4];
extern struct pt gpt;
extern int *gp;
extern "Python" int py_cb(int);
extern "Python" struct pt py_cb2(struct pt, double);
union un mkun(int);
int call_py(int);
"""
SOURCE = """
struct pt { int px; double py; };
union un { int ui; float uf; };
enum color { RED, GREEN = 5 };
#define MYCONST (40 + 2)
static const int sconst = 3;
static int add(int a, int b) { return a + b; }
static double addd(double a, float b) { return a + b; }
static struct pt mkpt(int a, double b) { struct pt r = {a, b}; return r; }
static int sum_pt(struct pt q) { return q.px + (int)q.py; }
static int first(char *a, void *b, struct pt *c, const unsigned char *e)
{ return a[0] + (c ? c->px : 0) + e[1] + (b != 0); }
static int apply(int (*cb)(int), int a) { return cb(a); }
static int vari(int a, ...) { return a; }
static void nothing(void) { }
static _Bool isb(_Bool b) { return !b; }
static long double ld(long double a) { return a * 2; }
static enum color nextc(enum color c) { return c == RED ? GREEN : RED; }
static int counter = 7, garr[4] = {1, 2, 3, 4};
static struct pt gpt = {5, 6.5};
static int *gp = &counter;
static int py_cb(int);
static union un mkun(int a) { union un w; w.ui = a; return w; }
static int call_py(int a) { return py_cb(a); }
"""
# what the generated code may name after the set_source() code besides the declarations and
# its `_pc_` names: C keywords, the C library and the Python C API
_KEYWORDS = set("""auto break case char const continue default do double else enum extern float
for goto if inline int long register restrict return short signed sizeof static struct switch
typedef union unsigned void volatile while _Bool _Complex _Alignof __typeof__ defined ifdef
ifndef endif define undef elif __cplusplus bool alignof""".split())
_SYSTEM = set("""NULL errno stderr fprintf memcpy memmove memset strlen strcmp malloc free size_t
int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t uintptr_t intptr_t offsetof
isinf visitproc descrsetfunc descrgetfunc wchar_t char16_t char32_t ssize_t _Thread_local
thread_local __declspec _MSC_VER __GNUC__ __clang__ __thread T Dl_info dladdr dli_fname dlopen
getpid snprintf cffi_start_python""".split())
_SYSTEM_PREFIXES = ("_pc_", "PC_", "Py", "_Py", "PY_", "METH_", "T_", "READONLY", "tp_", "ml_",
                    "ob_", "d_", "pthread_", "PTHREAD_", "sem_", "SEM_", "RTLD_", "O_",
                    "__ATOMIC_", "__atomic_")


def _names_after_source(text):
    """The identifiers of the generated C after the set_source() code (no comment, string,
    #include or #pragma)."""
    after = text.split("/* ---- purecffi: generated code ---- */", 1)[1]
    after = re.sub(r"/\*.*?\*/", " ", after, flags=re.S)
    after = re.sub(r'"(?:\\.|[^"\\])*"', " ", after)
    after = re.sub(r"'(?:\\.|[^'\\])*'", " ", after)
    after = re.sub(r"^\s*#\s*(include|error|pragma|undef).*$", " ", after, flags=re.M)
    return set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", after))


def _generated(tmp_path, variant):
    ffi = FFI()
    ffi.cdef(CDEF)
    source = SOURCE
    if variant == "embedding":
        ffi.embedding_api("int exported(int);")
        ffi.embedding_init_code("pass")
    ffi.set_source("_macro_names_" + variant, source, py_limited_api=(variant == "limited"))
    path = tmp_path / ("out_%s.c" % variant)
    ffi.emit_c_code(str(path))
    return path.read_text()


@pytest.mark.skipif(IS_CFFI, reason="purecffi's generated C (cffi's is another text)")
@pytest.mark.parametrize("variant", ["plain", "limited", "embedding"])
def test_every_short_name_after_the_source_is_shielded(tmp_path, variant):
    from purecffi.build.c_names import LOCAL_NAMES, NUMBERED
    declared = set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", CDEF)) | {"exported"}
    numbered = {"%s%d" % (p, i) for p in NUMBERED for i in range(10)}
    names = _names_after_source(_generated(tmp_path, variant))
    unshielded = {n for n in names - declared - _KEYWORDS - _SYSTEM - set(LOCAL_NAMES) - numbered
                  if not n.startswith(_SYSTEM_PREFIXES)}
    assert unshielded == set()


@pytest.mark.skipif(IS_CFFI, reason="purecffi's generated C (cffi's is another text)")
def test_a_declared_name_is_not_undefined(tmp_path):
    text = _generated(tmp_path, "plain")
    undefs = set(re.findall(r"^#undef (\w+)$", text, flags=re.M))
    assert {"size", "value", "self", "args", "x0", "x3"} <= undefs
    # `counter` and `first` are declared: a macro of that name would be the C's own
    assert not undefs & {"counter", "first", "add", "px", "py"}


# the short names: what cffi's generated code declares too (`self`, `args`, `result`, `x0`)
# breaks cffi's build, so cffi is compared on the others
_CFFI_BREAKS = {"self", "args", "result", "x0", "x1", "x2", "x3", "n", "p", "o", "x"}


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
def test_module_builds_and_works_under_lowercase_macros(tmp_path):
    from purecffi.build.c_names import LOCAL_NAMES
    names = set(LOCAL_NAMES) | {"x0", "x1", "x2", "x3", "k0", "v0"}
    if IS_CFFI:
        names -= _CFFI_BREAKS
        names -= {"d", "f", "i", "u", "index", "name", "type", "value", "error", "exc", "tb",
                  "s", "r", "v", "g", "k0", "v0"}     # (cffi's locals too)
    # each macro breaks the build where generated code would use the name
    macros = "\n".join("#define %s @bad@" % (name,) for name in sorted(names))
    mod = build_api_module(tmp_path, "_macro_names_mod", CDEF, SOURCE + macros + "\n")
    ffi, lib = mod.ffi, mod.lib

    @ffi.def_extern()
    def py_cb(a):
        return a * 10
    assert lib.add(2, 3) == 5
    assert lib.addd(1.5, 2.0) == 3.5
    assert lib.mkpt(1, 2.5).py == 2.5
    assert lib.sum_pt([3, 4.0]) == 7
    p = ffi.new("struct pt *", [4, 0.0])
    assert lib.first(b"\x01", ffi.NULL, p, b"\x00\x02") == 7
    assert lib.apply(ffi.callback("int(int)", lambda a: a + 1), 1) == 2
    assert lib.vari(9, ffi.cast("int", 1)) == 9
    assert lib.nothing() is None
    assert lib.isb(False) is True
    assert float(lib.ld(1.5)) == 3.0
    assert lib.nextc(lib.RED) == lib.GREEN
    assert lib.mkun(5).ui == 5
    assert (lib.MYCONST, lib.sconst) == (42, 3)
    assert lib.counter == 7
    lib.counter = 8
    assert lib.gp[0] == 8 and list(lib.garr) == [1, 2, 3, 4] and lib.gpt.px == 5
    assert lib.call_py(3) == 30
