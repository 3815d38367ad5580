"""Compiler invocation: build an extension module from a C file with setuptools.

The set_source() keywords become the `Extension`'s; the build runs quietly (the compiler's
output goes to a temporary file) unless `verbose`, and a failure raises VerificationError with
what the compiler said.
"""
import os
import shutil
import sys
import tempfile

from ..errors import VerificationError

__all__ = ["build_extension", "make_extension"]


def make_extension(spec, c_file):
    """The setuptools.Extension for the module of `spec`, its first source being `c_file`."""
    from setuptools import Extension
    kwds = {}
    for key, value in spec.kwds.items():     # (setuptools warns about unknown ones, as in cffi)
        kwds[key] = list(value) if isinstance(value, (list, tuple)) and key != "py_limited_api" \
            else value
    sources = [c_file] + list(kwds.pop("sources", ()))
    if spec.source_extension in (".cpp", ".cxx", ".cc", ".C") and "language" not in kwds:
        kwds["language"] = "c++"
    return Extension(spec.module_name, sources, **kwds)


class _Captured:
    """Redirect the process's stdout/stderr (file descriptors: the compiler writes there)."""

    def __init__(self, enabled):
        self.enabled, self.text = enabled, ""

    def __enter__(self):
        if not self.enabled:
            return self
        sys.stdout.flush()
        sys.stderr.flush()
        self.file = tempfile.TemporaryFile(mode="w+b")
        self.saved = (os.dup(1), os.dup(2))
        os.dup2(self.file.fileno(), 1)
        os.dup2(self.file.fileno(), 2)
        self.streams = sys.stdout, sys.stderr
        return self

    def __exit__(self, *exc):
        if not self.enabled:
            return False
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        os.dup2(self.saved[0], 1)
        os.dup2(self.saved[1], 2)
        os.close(self.saved[0])
        os.close(self.saved[1])
        self.file.seek(0)
        self.text = self.file.read().decode("utf-8", "replace")
        self.file.close()
        return False


def build_extension(spec, c_file, tmpdir, verbose=False, target=None, debug=None,
                    in_tmpdir=False):
    """Compile and link; the path of the built module (placed in `tmpdir`).  With
    `in_tmpdir` (ffi.compile(), as cffi's) the build runs in `tmpdir`: relative paths of the
    set_source() keywords (sources, include_dirs, library_dirs...) are relative to it;
    verify() keeps the current directory.  The build reads the configuration files that
    setuptools reads in the directory where it runs (see `_build_command`)."""
    build_dir = os.path.abspath(tmpdir) if in_tmpdir else None
    if build_dir is not None:
        c_file = os.path.relpath(os.path.abspath(c_file), build_dir)
    ext = make_extension(spec, c_file)
    if debug is None:
        debug = bool(sys.flags.debug)
    build_lib = os.path.abspath(tmpdir)
    old_cwd = os.getcwd()
    dlog = _distutils_log()
    old_threshold = dlog.set_threshold(dlog.INFO if verbose else dlog.ERROR)
    handler = _verbose_handler(dlog) if verbose else None
    captured = _Captured(not verbose)
    cmd = None
    try:
        with captured:
            try:
                if build_dir is not None:
                    _enter(build_dir, tmpdir, verbose)
                cmd = _build_command(ext, build_lib, debug)
                cmd.distribution.run_command("build_ext")
            except (Exception, SystemExit) as exc:
                failure = exc
            else:
                failure = None
    finally:
        if cmd is not None:
            shutil.rmtree(cmd.build_temp, ignore_errors=True)
        dlog.set_threshold(old_threshold)
        if handler is not None:
            dlog._global_log.removeHandler(handler)
        os.chdir(old_cwd)
    if failure is not None and not _is_build_error(failure):
        raise failure           # a bad set_source() argument (`libraries="m"`), as cffi's
    if failure is not None:
        # cffi's message (setuptools' words after the class name); what the compiler said
        # goes to stderr, where cffi lets the compiler write it
        if captured.text.strip():
            sys.stderr.write(captured.text.rstrip() + "\n")
        raise VerificationError("%s: %s" % (type(failure).__name__, failure))
    outputs = cmd.get_outputs()
    path = outputs[0]
    if target is not None:
        path = _rename_target(path, target)
    return path


def _build_command(ext, build_lib, debug):
    """The finalized `build_ext` command building `ext`, configured as cffi's builds are:
    setuptools' `parse_config_files()` reads, in the current directory, `setup.cfg` (and
    pyproject.toml's `[tool.distutils.*]` when it has a `[project]` table), plus
    `~/.pydistutils.cfg` and distutils' own `distutils.cfg`, so their `[build_ext]` options
    (include_dirs, define, libraries, compiler...) apply; where the module goes
    (build_lib, build_temp), `force` and `debug` are the build's own.  A malformed file raises
    setuptools' error, as with cffi."""
    from setuptools import Distribution
    dist = Distribution({"ext_modules": [ext], "script_name": "setup.py"})
    dist.parse_config_files()
    cmd = dist.get_command_obj("build_ext")
    cmd.build_lib = build_lib
    # object files go to a directory of their own, removed after the build: under tmpdir,
    # setuptools would recreate the C file's absolute path there (tmpdir/tmp/.../pkg/_m.o)
    cmd.build_temp = tempfile.mkdtemp(prefix="purecffi-build-")
    cmd.debug = debug
    cmd.force = True
    cmd.ensure_finalized()
    return cmd


def _enter(build_dir, tmpdir, verbose):
    """chdir() to where ffi.compile() builds, saying so when verbose (cffi's lines; then
    setuptools' run_command() says "running build_ext")."""
    if verbose:
        if os.path.normpath(tmpdir) == os.curdir:
            print("the current directory is %r" % (os.getcwd(),))
        else:
            print("setting the current directory to %r" % (build_dir,))
    os.chdir(build_dir)


def _is_build_error(exc):
    """Whether the compiler or the linker failed (VerificationError, as cffi says), rather
    than setuptools on what it was given (a TypeError for `libraries="m"`, an
    UnknownFileError...: raised as they are, as cffi lets them through)."""
    module = type(exc).__module__           # (distutils.errors; distutils.compilers.C.errors
    return isinstance(exc, SystemExit) or type(exc).__name__ in ("CompileError", "LinkError") \
        and "distutils" in module and module.endswith("errors")     # from setuptools 80.10)


def _verbose_handler(dlog):
    """A handler printing the build's log on stdout, when setuptools' distutils logs through the
    `logging` root logger (setuptools >= 65.6 or so) and nothing else would print it.
    (Older ones print by themselves once their threshold is INFO.)"""
    import logging
    logger = getattr(dlog, "_global_log", None)
    if not isinstance(logger, logging.Logger):
        return None
    consoles = (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    if any(getattr(h, "stream", None) in consoles for h in logger.handlers):
        return None         # the program's own logging configuration prints it already
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    return handler


def _distutils_log():
    """The `log` module of the distutils setuptools uses (its own copy when it has one)."""
    try:
        from setuptools._distutils import log
    except ImportError:
        from distutils import log
    return log


def _rename_target(path, target):
    """compile(target=...): name the built file (a '.*' suffix means the platform's)."""
    if target.endswith(".*"):
        target = target[:-2] + (".so" if os.name != "nt" else ".dll")
    new_path = os.path.join(os.path.dirname(path), target)
    os.makedirs(os.path.dirname(new_path), exist_ok=True)      # target="sub/name.*"
    os.replace(path, new_path)
    return new_path


# -- pkg-config ----
_PKGCONFIG_KEYS = ("include_dirs", "library_dirs", "libraries", "define_macros",
                   "extra_compile_args", "extra_link_args")


def pkgconfig_flags(libs, kwds, kinds=(list, tuple)):
    """The set_source() keywords `kwds` extended with what `pkg-config` says for `libs` (a
    list, or one of `kinds`); with any `libs`, all six keywords are there, as in cffi."""
    import subprocess
    from ..errors import PkgConfigError
    if not isinstance(libs, kinds):
        raise TypeError("the pkgconfig_libs argument must be a list of package names")
    merged = {key: list(value) for key, value in kwds.items()
              if isinstance(value, (list, tuple))}
    merged.update({key: value for key, value in kwds.items() if key not in merged})
    for key in _PKGCONFIG_KEYS if libs else ():
        merged.setdefault(key, [])
    for lib in libs:
        for option, handle in (("--cflags", _cflags), ("--libs", _libs)):
            try:
                proc = subprocess.run(["pkg-config", option, lib], capture_output=True,
                                      text=True)
            except OSError as exc:
                raise PkgConfigError("cannot run pkg-config: %s" % (exc,)) from None
            if proc.returncode != 0:
                raise PkgConfigError(proc.stderr.strip() or "pkg-config %s %s failed"
                                     % (option, lib))
            for flag in proc.stdout.split():
                handle(flag, merged)
    return merged


def _cflags(flag, merged):
    if flag.startswith("-I"):
        merged.setdefault("include_dirs", []).append(flag[2:])
    elif flag.startswith("-D"):
        name, _, value = flag[2:].partition("=")
        merged.setdefault("define_macros", []).append((name, value or None))
    else:
        merged.setdefault("extra_compile_args", []).append(flag)


def _libs(flag, merged):
    if flag.startswith("-L"):
        merged.setdefault("library_dirs", []).append(flag[2:])
    elif flag.startswith("-l"):
        merged.setdefault("libraries", []).append(flag[2:])
    else:
        merged.setdefault("extra_link_args", []).append(flag)
