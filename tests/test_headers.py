"""cdef_from_headers() and `python -m purecffi cdef`: declarations read from real C headers.

The cdef text always comes from purecffi; it is then given to the FFI under test, so that with
PURECFFI_TEST_AGAINST=cffi the real cffi checks that it accepts what purecffi writes.
"""
import ctypes.util
import os
import shutil
import subprocess
import sys
import zlib

import pytest

from _backend import FFI, IS_CFFI
from conftest import import_built
from purecffi import CDefError, cdef_from_headers

pytestmark = pytest.mark.skipif(shutil.which(os.environ.get("CC", "cc")) is None,
                                reason="needs a C compiler (CC, or cc)")
SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def header_present(header):
    """Whether the C compiler finds `header`."""
    proc = subprocess.run([os.environ.get("CC", "cc"), "-E", "-x", "c", "-"],
                          input="#include <%s>\n" % header, capture_output=True, text=True)
    return proc.returncode == 0


def needs(header, library=None):
    """Skip unless the header (and the shared library) are installed."""
    if not header_present(header):
        pytest.skip("%s is not installed (make test installs it)" % header)
    if library is not None and ctypes.util.find_library(library) is None:
        pytest.skip("lib%s is not installed" % library)


# -- The acceptance examples ----
ZLIB_NAMES = ["compress2", "uncompress", "compressBound", "crc32", "z_stream", "deflate",
              "deflateInit2_", "deflateEnd", "Z_OK", "Z_BEST_COMPRESSION", "Z_FINISH",
              "Z_STREAM_END", "Z_DEFLATED", "zlibVersion"]


def test_zlib_inline_abi_compress_and_decompress():
    needs("zlib.h", "z")
    ffi = FFI()
    ffi.cdef(cdef_from_headers("zlib.h", ZLIB_NAMES))
    z = ffi.dlopen(ctypes.util.find_library("z"))
    data = b"purecffi reads zlib.h " * 200
    bound = z.compressBound(len(data))
    assert bound >= len(data)
    out, out_len = ffi.new("unsigned char[]", bound), ffi.new("unsigned long *", bound)
    assert z.compress2(out, out_len, data, len(data), z.Z_BEST_COMPRESSION) == z.Z_OK
    compressed = ffi.buffer(out, out_len[0])[:]
    assert zlib.decompress(compressed) == data
    back, back_len = ffi.new("unsigned char[]", len(data)), ffi.new("unsigned long *", len(data))
    assert z.uncompress(back, back_len, compressed, len(compressed)) == z.Z_OK
    assert ffi.buffer(back, back_len[0])[:] == data
    assert z.crc32(0, data, len(data)) == zlib.crc32(data)
    assert z.Z_BEST_COMPRESSION == 9


def test_zlib_stream_through_z_stream():
    needs("zlib.h", "z")
    ffi = FFI()
    ffi.cdef(cdef_from_headers("zlib.h", ZLIB_NAMES))
    z = ffi.dlopen(ctypes.util.find_library("z"))
    data = bytes(range(256)) * 64
    stream = ffi.new("z_stream *")
    assert z.deflateInit2_(stream, z.Z_BEST_COMPRESSION, z.Z_DEFLATED, 31, 8, 0,
                           z.zlibVersion(), ffi.sizeof("z_stream")) == z.Z_OK
    source, out = ffi.new("unsigned char[]", data), ffi.new("unsigned char[]", 65536)
    stream.next_in, stream.avail_in = source, len(data)
    stream.next_out, stream.avail_out = out, len(out)
    assert z.deflate(stream, z.Z_FINISH) == z.Z_STREAM_END
    produced = stream.total_out
    assert z.deflateEnd(stream) == z.Z_OK
    assert zlib.decompress(ffi.buffer(out, produced)[:], 31) == data   # 31: gzip framing


@pytest.mark.skipif(shutil.which("gcc") is None, reason="API mode needs gcc")
def test_sqlite3_api_mode_with_python_callback(tmp_path):
    needs("sqlite3.h", "sqlite3")
    cdef = cdef_from_headers("sqlite3.h", ["sqlite3_open", "sqlite3_exec", "sqlite3_close",
                                           "sqlite3_libversion", "SQLITE_OK"])
    ffibuilder = FFI()
    ffibuilder.cdef(cdef)
    ffibuilder.set_source("_headers_sqlite3", "#include <sqlite3.h>", libraries=["sqlite3"])
    ffibuilder.compile(tmpdir=str(tmp_path))
    built = import_built(tmp_path, "_headers_sqlite3")
    ffi, lib = built.ffi, built.lib
    assert ffi.string(lib.sqlite3_libversion()).count(b".") == 2
    db = ffi.new("sqlite3 **")
    assert lib.sqlite3_open(b":memory:", db) == lib.SQLITE_OK
    rows = []

    @ffi.callback("int(void *, int, char **, char **)")
    def on_row(_, ncolumns, values, names):
        rows.append({ffi.string(names[i]): ffi.string(values[i]) for i in range(ncolumns)})
        return 0
    sql = b"create table t(a, b); insert into t values (1, 'one'), (2, 'two'); select * from t"
    assert lib.sqlite3_exec(db[0], sql, on_row, ffi.NULL, ffi.NULL) == lib.SQLITE_OK
    assert rows == [{b"a": b"1", b"b": b"one"}, {b"a": b"2", b"b": b"two"}]
    assert lib.sqlite3_close(db[0]) == lib.SQLITE_OK


def test_glibc_struct_stat(tmp_path):
    needs("sys/stat.h")
    ffi = FFI()
    ffi.cdef(cdef_from_headers(["sys/types.h", "sys/stat.h"], ["stat", "struct stat"]))
    libc = ffi.dlopen(None)
    path = tmp_path / "file"
    path.write_bytes(b"x" * 12345)
    buf = ffi.new("struct stat *")
    assert libc.stat(str(path).encode(), buf) == 0
    expected = os.stat(path)
    assert (buf.st_size, buf.st_ino, buf.st_mode) == (12345, expected.st_ino, expected.st_mode)
    assert buf.st_mtim.tv_sec == int(expected.st_mtime)


def test_more_glibc_headers(tmp_path):
    needs("time.h")
    ffi = FFI()
    ffi.cdef(cdef_from_headers(["time.h", "sys/utsname.h", "pwd.h"],
                               ["struct tm", "strftime", "gmtime", "uname", "getpwuid"]))
    libc = ffi.dlopen(None)
    when = ffi.new("time_t *", 86400 * 365)
    tm = libc.gmtime(when)
    out = ffi.new("char[]", 64)
    assert libc.strftime(out, 64, b"%Y-%m-%d", tm) == 10
    assert ffi.string(out) == b"1971-01-01"
    name = ffi.new("struct utsname *")
    assert libc.uname(name) == 0
    assert ffi.string(name.sysname).decode() == os.uname().sysname
    assert ffi.string(libc.getpwuid(os.getuid()).pw_dir) == os.path.expanduser("~").encode()


# -- What a header may contain ----
SAMPLE_H = r"""
#define WIDTH 3
struct node;
typedef struct node node_t;
struct node { node_t *next; int value; };
typedef struct {
    int small : 3;
    unsigned flags : WIDTH + 2;
    union { int as_int; float as_float; };
    struct { char tag; } inner;
} bits_t __attribute__((aligned(4)));
enum color { RED, GREEN = 5, BLUE, ALL = RED | GREEN | BLUE };
typedef int (*callback_t)(const char *__restrict, ...);
struct holder { enum color c; callback_t cb; bits_t bits[2]; struct node first;
                char pad[sizeof(struct node) + sizeof(bits_t) - 4]; };
typedef unsigned short port_t;
long sum_n(int n, const int values[n]);
#define ALL_PORTS ((port_t) -1)
extern enum color current;
extern __inline int twice(int x) { __asm__ __volatile__ ("" ::: "memory"); return 2 * x; }
__extension__ extern long long sum(struct holder *, node_t *);
extern int renamed(int) __asm__("" "other_name");
struct opaque;
struct opaque *make_opaque(void);
#define MASK (1u << 31)
#define NEGATIVE (-(WIDTH + 4) * 2)
#define GREETING "hello"
#define SQUARE(x) ((x) * (x))
struct packed_one { char c; int x; } __attribute__((packed));
int use_packed(struct packed_one *);
"""


@pytest.fixture
def sample(tmp_path):
    """The path of a header with bit-fields, anonymous members, enums, function pointers."""
    path = tmp_path / "sample.h"
    path.write_text(SAMPLE_H)
    return str(path)


def test_dependencies_are_complete_and_in_order(sample):
    cdef = cdef_from_headers(sample, ["sum", "current", "MASK", "NEGATIVE", "make_opaque",
                                      "sum_n", "ALL_PORTS"])
    ffi = FFI()
    ffi.cdef(cdef)
    assert ffi.sizeof("struct node") == 2 * ffi.sizeof("void *")
    holder = ffi.new("struct holder *")
    holder.bits[1].flags = 31
    holder.bits[1].as_int = 7
    holder.bits[1].inner.tag = b"t"
    assert (holder.bits[1].flags, holder.bits[1].as_int, holder.bits[1].inner.tag) == (31, 7, b"t")
    with pytest.raises(OverflowError):         # WIDTH + 2 bits: 32 does not fit
        holder.bits[1].flags = 32
    lib = ffi.dlopen(None)
    assert (lib.BLUE, lib.ALL) == (6, 7)
    assert (lib.MASK, lib.NEGATIVE, lib.ALL_PORTS) == (2 ** 31, -14, 65535)
    # sizes only the compiler knows; a parameter's array size that names another parameter
    assert len(holder.pad) == ffi.sizeof("struct node") + ffi.sizeof("bits_t") - 4
    assert "long sum_n(int n, const int values[]);" in cdef
    assert "struct opaque;" in cdef and "struct opaque {" not in cdef.replace("\n", " ")
    assert "twice" not in cdef and "GREETING" not in cdef


def test_inline_function_and_function_like_macro(sample):
    cdef = cdef_from_headers(sample, ["twice", "SQUARE"])
    assert "int twice(int x);" in cdef
    assert "SQUARE: a function-like macro SQUARE(x), skipped" in cdef
    FFI().cdef(cdef)


@pytest.mark.parametrize("name, why", [
    ("missing", "'missing' is not declared in the headers"),
    ("GREETING", "'GREETING' cannot be declared in a cdef: it expands to '\"hello\"', "
                 "not an integer constant"),
    ("renamed", "'renamed' cannot be declared in a cdef: the header renames its symbol to "
                "'other_name' with an asm label"),
    ("struct nothing", "'struct nothing' is not defined in the headers"),
])
def test_errors_name_the_culprit(sample, name, why):
    with pytest.raises(CDefError) as info:
        cdef_from_headers(sample, [name])
    assert why in str(info.value)
    error = info.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def test_layout_attributes_are_caught_by_the_compiler(sample):
    with pytest.raises(CDefError) as info:
        cdef_from_headers(sample, ["use_packed"])
    assert "sizeof(struct packed_one) != 8" in str(info.value)
    assert "packed" in str(info.value)


def test_va_list_is_refused():
    needs("stdio.h")
    with pytest.raises(CDefError, match="'vprintf' cannot be declared in a cdef: it uses "
                                        "va_list"):
        cdef_from_headers("stdio.h", ["vprintf"])


def test_include_dirs_macros_and_compiler(tmp_path, monkeypatch):
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "sized.h").write_text(
        "#ifndef N\n#error N is needed\n#endif\nstruct sized { char data[N * 2]; };\n")
    cdef = cdef_from_headers("sized.h", ["struct sized"], include_dirs=[str(tmp_path / "inc")],
                             macros={"N": "5"})
    ffi = FFI()
    ffi.cdef(cdef)
    assert ffi.sizeof("struct sized") == 10
    monkeypatch.setenv("CC", str(tmp_path / "no-such-cc"))
    with pytest.raises(CDefError, match="cannot run the C compiler .*no-such-cc"):
        cdef_from_headers("sized.h", ["struct sized"])
    with pytest.raises(CDefError, match="N is needed"):
        cdef_from_headers("sized.h", ["struct sized"], include_dirs=[str(tmp_path / "inc")],
                          cc=os.environ.get("CC_REAL", "cc"))


def test_command_line(tmp_path):
    (tmp_path / "sized.h").write_text("struct sized { char data[N]; };\n#define ANSWER 42\n")
    env = dict(os.environ, PYTHONPATH=SRC)
    proc = subprocess.run([sys.executable, "-m", "purecffi", "cdef", "sized.h", "--names",
                           "struct sized,ANSWER", "-I", str(tmp_path), "-D", "N=7"],
                          capture_output=True, text=True, env=env, cwd=str(tmp_path.parent))
    assert proc.returncode == 0, proc.stderr
    ffi = FFI()
    ffi.cdef(proc.stdout)
    assert ffi.sizeof("struct sized") == 7
    assert "#define ANSWER 42" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "purecffi", "cdef", "sized.h", "--names",
                           "nope", "-I", str(tmp_path), "-D", "N=7"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "'nope' is not declared in the headers" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(IS_CFFI, reason="the output is compared with purecffi's own parse")
def test_output_is_deterministic(sample):
    assert cdef_from_headers(sample, ["sum"]) == cdef_from_headers(sample, ["sum"])


@pytest.mark.slow           # parsing OpenSSL's headers takes pycparser a few seconds
def test_openssl_sha256_if_installed():
    needs("openssl/evp.h", "crypto")
    import hashlib
    ffi = FFI()
    ffi.cdef(cdef_from_headers("openssl/evp.h", [
        "EVP_MD_CTX_new", "EVP_MD_CTX_free", "EVP_sha256", "EVP_DigestInit_ex",
        "EVP_DigestUpdate", "EVP_DigestFinal_ex", "EVP_MAX_MD_SIZE"]))
    crypto = ffi.dlopen(ctypes.util.find_library("crypto"))
    context = crypto.EVP_MD_CTX_new()
    digest = ffi.new("unsigned char[]", crypto.EVP_MAX_MD_SIZE)
    length = ffi.new("unsigned int *")
    assert crypto.EVP_DigestInit_ex(context, crypto.EVP_sha256(), ffi.NULL) == 1
    assert crypto.EVP_DigestUpdate(context, b"purecffi", 8) == 1
    assert crypto.EVP_DigestFinal_ex(context, digest, length) == 1
    crypto.EVP_MD_CTX_free(context)
    assert ffi.buffer(digest, length[0])[:] == hashlib.sha256(b"purecffi").digest()


def test_signal_and_pthread_structs_match_the_compiler():
    needs("signal.h")
    ffi = FFI()
    ffi.cdef(cdef_from_headers(["signal.h", "pthread.h"], ["struct sigaction", "sigemptyset",
                                                           "pthread_mutex_t", "SIGUSR1"]))
    action = ffi.new("struct sigaction *")
    libc = ffi.dlopen(None)
    assert libc.sigemptyset(ffi.addressof(action, "sa_mask")) == 0
    import signal
    assert libc.SIGUSR1 == signal.SIGUSR1
    mutex = ffi.new("pthread_mutex_t *")          # its layout was checked by the compiler
    assert ffi.sizeof(mutex[0]) == ffi.sizeof("pthread_mutex_t") > 0
