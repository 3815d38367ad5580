"""The builder methods of an FFI (set_source(), emit_python_code(), emit_c_code(), compile(),
distutils_extension(), verify()) as cffi's: their errors, and what they print."""
import os
import re
import shutil

import pytest

from _backend import FFI, IS_CFFI, VerificationError

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

ABI_ONLY = "only for dlopen()-style pure Python modules, not for C extension modules"
API_ONLY = "only for C extension modules, not for dlopen()-style pure Python modules"


def builder(source=False, name="_builder_mod", cdef="int f(int);", **kwds):
    """An FFI with `cdef`, and set_source(name, source) unless source is False."""
    ffi = FFI()
    ffi.cdef(cdef)
    if source is not False:
        ffi.set_source(name, source, **kwds)
    return ffi


@pytest.mark.parametrize("method, args, named", [
    ("compile", (), "compile"), ("emit_c_code", ("x.c",), "emit_c_code"),
    ("distutils_extension", (), "distutils_extension"),
    ("emit_python_code", ("x.py",), "emit_c_code")])     # (cffi names emit_c_code there)
def test_set_source_must_come_first(tmp_path, method, args, named):
    with pytest.raises(ValueError) as info:
        getattr(builder(), method)(*args)
    assert str(info.value) == "set_source() must be called before %s()" % (named,)


def test_emit_python_code_needs_set_source_in_cffi_words(tmp_path):
    # cffi names emit_c_code() here too: both methods share one check
    with pytest.raises(ValueError) as info:
        builder().emit_python_code(str(tmp_path / "x.py"))
    assert str(info.value) == "set_source() must be called before emit_c_code()"


@pytest.mark.parametrize("name", [5, b"_mod", None])
def test_module_name_must_be_a_str(name):
    with pytest.raises(TypeError) as info:
        FFI().set_source(name, None)
    assert str(info.value) == "'module_name' must be a string"


@pytest.mark.parametrize("method, source, message", [
    ("emit_python_code", "int f(int x) { return x; }", "emit_python_code() is " + ABI_ONLY),
    ("emit_c_code", None, "emit_c_code() is " + API_ONLY),
    ("distutils_extension", None, "distutils_extension() is " + API_ONLY),
])
def test_methods_of_the_other_mode_are_refused(tmp_path, method, source, message):
    ffi = builder(source)
    args = () if method == "distutils_extension" else (str(tmp_path / "out"),)
    with pytest.raises(TypeError) as info:
        getattr(ffi, method)(*args)
    assert str(info.value) == message
    assert not os.path.exists(str(tmp_path / "out"))


@pytest.mark.skipif(IS_CFFI, reason="cffi reads and closes file descriptor 5 (pytest's) before "
                                     "refusing the int with this TypeError")
def test_emit_c_code_refuses_an_int_file_name(capsys):
    """(an int would be a file descriptor to open())"""
    with pytest.raises(TypeError, match="should be string, bytes or os.PathLike, not int"):
        builder("").emit_c_code(5)


def test_emitting_twice_says_already_up_to_date(tmp_path, capsys):
    for source, method, filename in (("", "emit_c_code", "m.c"),
                                     (None, "emit_python_code", "m.py")):
        path = str(tmp_path / filename)
        getattr(builder(source), method)(path)
        assert capsys.readouterr().out == "generating %s\n" % (path,)
        getattr(builder(source), method)(path)
        assert capsys.readouterr().out == "generating %s\n(already up-to-date)\n" % (path,)


def test_distutils_extension_prints_cffis_lines(tmp_path, capfd):
    """'generating' always; with verbose, whether the file changed (on stderr)."""
    c_file = os.path.join(str(tmp_path), "_builder_mod.c")
    builder("").distutils_extension(tmpdir=str(tmp_path), verbose=False)
    assert capfd.readouterr() == ("generating %s\n" % (c_file,), "")
    builder("").distutils_extension(tmpdir=str(tmp_path))
    out, err = capfd.readouterr()
    assert out == "generating %s\n(already up-to-date)\n" % (c_file,)
    assert err.strip().endswith("not modified: %r" % (c_file,))
    builder("", cdef="int g(int);").distutils_extension(tmpdir=str(tmp_path))
    out, err = capfd.readouterr()
    assert out == "generating %s\n" % (c_file,)
    assert err.strip().endswith("regenerated: %r" % (c_file,))


@needs_gcc
def test_unknown_set_source_keyword_is_only_a_warning(tmp_path):
    """setuptools warns about options it does not know; the module builds."""
    ffi = builder("static int f(int x) { return x; }", name="_builder_bogus", bogus=1)
    # (setuptools' wording: "Unknown Extension options", from 80.10 "unknown `Extension`")
    with pytest.warns(UserWarning, match=r"(?i)unknown `?Extension`? options: 'bogus'"):
        path = ffi.compile(tmpdir=str(tmp_path))
    assert os.path.exists(path)


@needs_gcc
@pytest.mark.parametrize("index, keywords, message", [
    (0, {"libraries": "m"}, "can only concatenate str|'libraries' .* must be a list"),
    (1, {"include_dirs": 5}, r"'include_dirs' \(if supplied\) must be a list of strings"),
])
def test_bad_set_source_arguments_are_their_type_error(tmp_path, index, keywords, message):
    ffi = builder("static int f(int x) { return x; }", name="_builder_bad%d" % (index,),
                  **keywords)
    with pytest.raises(TypeError) as info:
        ffi.compile(tmpdir=str(tmp_path))
    assert re.search(message, str(info.value))      # (setuptools' words, by its version)


@needs_gcc
def test_verify_of_a_missing_function_is_a_verification_error(tmp_path):
    ffi = builder(cdef="int builder_nowhere(int);")
    with pytest.raises(VerificationError) as info:
        ffi.verify("", tmpdir=str(tmp_path))
    message = str(info.value)
    assert message.startswith("importing '%s" % (str(tmp_path),))
    assert message.endswith("undefined symbol: builder_nowhere")


@needs_gcc
def test_setuptools_refusal_is_not_a_verification_error(tmp_path):
    """An empty module name makes a file name setuptools refuses: its own error, as cffi
    lets it through (only compiler and linker failures are VerificationErrors)."""
    ffi = builder("static int f(int x) { return x; }", name="")
    with pytest.raises(Exception) as info:
        ffi.compile(tmpdir=str(tmp_path))
    assert type(info.value).__name__ in ("UnknownFileError", "UnknownFileType")  # (setuptools)
