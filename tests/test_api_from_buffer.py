"""API mode: ffi.from_buffer() of a compiled module (its common case is made in C, the rest
by the runtime) behaves as cffi's for every kind of source, at the first call and after."""
import array
import gc
import mmap
import shutil
import sys

import pytest

from _backend import IS_CFFI
from conftest import build_api_module, gil_build_only

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_CDEF = "size_t sum(const unsigned char *, size_t);"
_SOURCE = """
    static size_t sum(const unsigned char *p, size_t n)
    { size_t i, t = 0; for (i = 0; i < n; i++) t += p[i]; return t; }
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    return build_api_module(tmp_path_factory.mktemp("apifrombuf"), "_api_from_buffer", _CDEF,
                            _SOURCE)


def _twice(ffi, *args, **kwargs):
    """from_buffer() called twice: the first call may file the type, the second is then fast."""
    ffi.from_buffer(*args, **kwargs)
    return ffi.from_buffer(*args, **kwargs)


@gil_build_only
def test_is_builtin_in_purecffi(mod):
    if not IS_CFFI:
        assert type(mod.ffi.from_buffer).__name__ == "builtin_function_or_method"
    assert mod.ffi.from_buffer.__name__ == "from_buffer"


@pytest.mark.parametrize("size", [1, 7, 4096, 1 << 20])
def test_bytearray_char(mod, size):
    ffi, lib = mod.ffi, mod.lib
    source = bytearray(range(256)) * (size // 256) + bytearray(range(size % 256))
    for cdata in (ffi.from_buffer(source), _twice(ffi, "char[]", source),
                  _twice(ffi, "unsigned char[]", source)):
        assert len(cdata) == size
        assert ffi.sizeof(cdata) == size
        assert ffi.buffer(cdata)[:] == bytes(source)
        assert lib.sum(ffi.cast("unsigned char *", cdata), size) == sum(source)
        assert int(ffi.cast("uintptr_t", cdata)) == \
            int(ffi.cast("uintptr_t", ffi.from_buffer(source)))
    cdata = _twice(ffi, "unsigned char[]", source)
    cdata[0] = 200
    assert source[0] == 200                 # the memory is the bytearray's
    assert ffi.typeof(cdata) is ffi.typeof("unsigned char[]")
    assert repr(cdata).startswith("<cdata 'unsigned char[]' buffer len %d from 'bytearray'"
                                  % (size,))


@pytest.mark.parametrize("size", [1, 5, 4096])
def test_bytes(mod, size):
    ffi, lib = mod.ffi, mod.lib
    source = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    cdata = _twice(ffi, "unsigned char[]", source)
    assert len(cdata) == size and ffi.unpack(cdata, size) == list(source)
    assert lib.sum(cdata, size) == sum(source)
    assert repr(cdata).startswith("<cdata 'unsigned char[]' buffer len %d from 'bytes'" % (size,))
    with pytest.raises((TypeError, BufferError)):
        _twice(ffi, "unsigned char[]", source, require_writable=True)
    with pytest.raises((TypeError, BufferError)):
        ffi.from_buffer("unsigned char[]", source, True)


def test_lengths_of_wider_items(mod):
    ffi = mod.ffi
    for size in (4, 10, 11, 4096):
        cdata = _twice(ffi, "int[]", bytearray(size))
        assert len(cdata) == size // 4
        assert ffi.sizeof(cdata) == size // 4 * 4
    cdata = _twice(ffi, "int32_t[]", bytearray(b"\x01\x00\x00\x00\x02\x00\x00\x00"))
    assert list(cdata) == [1, 2]


def test_empty_sources(mod):
    ffi = mod.ffi
    for source in (bytearray(), b""):
        cdata = _twice(ffi, "unsigned char[]", source)
        assert len(cdata) == 0 and ffi.buffer(cdata)[:] == b""


def test_export_held_and_released(mod):
    ffi = mod.ffi
    source = bytearray(16)
    cdata = _twice(ffi, "char[]", source)
    with pytest.raises(BufferError):
        source.extend(b"x")                 # the export forbids resizing
    ffi.release(cdata)
    source.extend(b"x")                     # released: resizable again
    assert len(source) == 17
    with _twice(ffi, "char[]", source) as cdata:
        assert len(cdata) == 17
    source.extend(b"y")


def test_keeps_the_source_alive(mod):
    ffi = mod.ffi
    cdata = _twice(ffi, "char[]", bytearray(b"abcdef"))
    gc.collect()
    assert ffi.buffer(cdata)[:] == b"abcdef"
    cdata = _twice(ffi, "char[]", bytes(b"xyz") * 3)
    gc.collect()
    assert ffi.buffer(cdata)[:] == b"xyzxyzxyz"


def test_other_sources(mod):
    ffi = mod.ffi
    data = bytearray(b"0123456789")
    view = memoryview(data)[2:6]
    assert ffi.buffer(_twice(ffi, "char[]", view))[:] == b"2345"
    readonly = memoryview(b"abcdef")[1:]
    assert ffi.buffer(_twice(ffi, "char[]", readonly))[:] == b"bcdef"
    with pytest.raises((TypeError, BufferError)):
        _twice(ffi, "char[]", readonly, require_writable=True)
    numbers = array.array("i", [1, 2, 3])
    assert list(_twice(ffi, "int[]", numbers)) == [1, 2, 3]
    mapped = mmap.mmap(-1, 4096)
    mapped[:3] = b"abc"
    cdata = _twice(ffi, "char[]", mapped)
    assert len(cdata) == 4096 and ffi.buffer(cdata)[:3] == b"abc"
    del cdata
    gc.collect()
    mapped.close()


def test_refusals(mod):
    ffi = mod.ffi
    with pytest.raises(TypeError):
        _twice(ffi, "char[]", "text")
    with pytest.raises(TypeError):
        _twice(ffi, "char[]", ffi.new("char[]", 4))
    with pytest.raises(TypeError):
        _twice(ffi, "int", bytearray(4))
    with pytest.raises(TypeError):
        _twice(ffi, "char[]", 42)
    with pytest.raises(TypeError):
        ffi.from_buffer()
    with pytest.raises(TypeError):
        ffi.from_buffer("char[]", bytearray(4), False, 1)
    with pytest.raises(ffi.error):
        _twice(ffi, "unknown_t[]", bytearray(4))


def test_keywords_and_ctypes(mod):
    ffi = mod.ffi
    source = bytearray(b"abcd")
    cdata = _twice(ffi, "char[]", python_buffer=source)
    assert ffi.buffer(cdata)[:] == b"abcd"
    cdata = _twice(ffi, ffi.typeof("unsigned char[]"), source)
    assert len(cdata) == 4 and ffi.typeof(cdata) is ffi.typeof("unsigned char[]")
    cdata = _twice(ffi, "char[]", source, require_writable=True)
    assert len(cdata) == 4
    cdata = _twice(ffi, "char[2]", source)
    assert len(cdata) == 2
    cdata = _twice(ffi, "char *", source)
    assert cdata[0] == b"a"


@pytest.mark.skipif(IS_CFFI, reason="how purecffi takes the common case")
def test_common_case_skips_the_runtime(mod, monkeypatch):
    ffi = mod.ffi
    calls = []
    module = sys.modules["purecffi.from_buffer"]
    general = module._from_buffer

    def counting(self, *args):
        calls.append(args[0])
        return general(self, *args)
    monkeypatch.setattr(module, "_from_buffer", counting)
    ffi.from_buffer("uint16_t[]", bytearray(8))     # first use of the type: the runtime
    assert calls == ["uint16_t[]"]
    for source in (bytearray(8), b"12345678"):
        assert len(ffi.from_buffer("uint16_t[]", source)) == 4
    assert calls == ["uint16_t[]"]
    ffi.from_buffer("uint16_t[4]", memoryview(bytearray(8)))   # not the C's: the runtime's
    assert calls == ["uint16_t[]", "uint16_t[4]"]


def test_limited_api_module(tmp_path):
    module = build_api_module(tmp_path, "_api_from_buffer_limited", _CDEF, _SOURCE,
                              py_limited_api=True)
    source = bytearray(b"\x01\x02\x03")
    for _ in range(2):
        cdata = module.ffi.from_buffer("unsigned char[]", source)
        assert module.lib.sum(cdata, 3) == 6 and len(cdata) == 3
    with pytest.raises(BufferError):
        source.append(4)
