"""make compat: real cffi users built from their sdists, with the real cffi and with the drop-in.

For each package: download its sdist (pip download --no-binary :all: --no-deps), then in two
fresh virtual environments -- one with the real cffi from the package index, one with the
purecffi drop-in from the wheelhouse and no real cffi -- build and install it from the sdist
with pip's build isolation on, and run the package's own tests.  Prints one table row per
package: built, passed/total, test seconds, in each environment, then the tests whose outcome
differs.  Logs go to compat/work/logs/.

    python compat/run.py --wheelhouse wheelhouse [PACKAGE ...]

With no PACKAGE, the four of PACKAGES below; a name not in PACKAGES is built the same way and
tested with the `tests` (or `test`) folder of its sdist, else `pytest --pyargs NAME`.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")

# name -> how to get, build and test it.  "tests": ("dir", path in the sdist) or
# ("pyargs", installed package holding its tests).
PACKAGES = {
    "cairocffi": dict(spec="cairocffi", apt=["libcairo2"], tests=("pyargs", "cairocffi"),
                      test_deps=["pytest", "numpy", "pikepdf"]),
    "xattr": dict(spec="xattr", tests=("dir", "tests"), test_deps=["pytest"]),
    "pymunk": dict(spec="pymunk", tests=("pyargs", "pymunk.tests"), test_deps=["pytest"]),
    "pynacl": dict(spec="pynacl==1.5.0", apt=["libsodium-dev"], env={"SODIUM_INSTALL": "system"},
                   tests=("dir", "tests"), test_deps=["pytest", "hypothesis"]),
    # more cffi users, for `make compat EXTRA="..."`
    "argon2-cffi-bindings": dict(spec="argon2-cffi-bindings", tests=("dir", "tests"),
                                 test_deps=["pytest"]),
    "brotlicffi": dict(spec="brotlicffi", tests=("dir", "test"), test_deps=["pytest"]),
    "soundfile": dict(spec="soundfile", apt=["libsndfile1"], tests=("dir", "tests"),
                      test_deps=["pytest", "numpy"]),
    "cmarkgfm": dict(spec="cmarkgfm", tests=("dir", "tests"), test_deps=["pytest"]),
    "pycares": dict(spec="pycares", tests=("dir", "tests"), test_deps=["pytest"]),
    "zstandard": dict(spec="zstandard", env={"PYTHON_ZSTANDARD_IMPORT_POLICY": "cffi"},
                      tests=("dir", "tests"), test_deps=["pytest", "hypothesis"]),
}
DEFAULT = ["cairocffi", "xattr", "pymunk", "pynacl"]
FLAVOURS = ("cffi", "purecffi")          # the real cffi, the drop-in
MAX_LISTED = 20                          # tests listed per package when outcomes differ


def log_path(name):
    """A file under work/logs for one step's output."""
    os.makedirs(os.path.join(WORK, "logs"), exist_ok=True)
    return os.path.join(WORK, "logs", name + ".log")


def run(args, log, env=None, cwd=None, timeout=3600):
    """Run `args`, appending its output to `log`; True if it succeeded."""
    with open(log, "a") as out:
        out.write("$ %s\n" % " ".join(args))
        out.flush()
        try:
            proc = subprocess.run(args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            out.write("timed out after %d s\n" % timeout)
            return False
    return proc.returncode == 0


# -- System libraries ----
def apt_install(packages):
    """apt-get install what is missing (after apt-get update)."""
    missing = [p for p in sorted(set(packages))
               if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if not missing:
        return
    print("apt-get install", " ".join(missing), flush=True)
    log = log_path("apt")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if not (run(["apt-get", "update", "-q"], log, env)
            and run(["apt-get", "install", "-q", "-y"] + missing, log, env)):
        sys.exit("apt-get failed, see " + log)


# -- Sources ----
def fetch_sdist(name, spec):
    """Download the sdist of `spec` and unpack it; the unpacked directory."""
    dest = os.path.join(WORK, "sdists", name)
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    if not run([sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:",
                "--no-deps", "-d", dest, spec], log_path(name + "-download"), pip_env({})):
        return None, None
    archive = [f for f in os.listdir(dest)][0]
    path = os.path.join(dest, archive)
    if archive.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            z.extractall(dest)
    else:
        with tarfile.open(path) as t:
            t.extractall(dest)
    tree = [d for d in glob.glob(os.path.join(dest, "*")) if os.path.isdir(d)][0]
    return path, tree


# -- Environments ----
def pip_env(extra, wheelhouse=None):
    """The environment for pip: the wheelhouse and its constraints for the drop-in."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PIP_FIND_LINKS", "PIP_CONSTRAINT", "PIP_BUILD_CONSTRAINT")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **extra)
    if wheelhouse:
        constraints = os.path.join(wheelhouse, "constraints.txt")
        env.update(PIP_FIND_LINKS=wheelhouse, PIP_CONSTRAINT=constraints,
                   PIP_BUILD_CONSTRAINT=constraints)
    return env


def make_venv(name, flavour, env, log):
    """A fresh venv with the real cffi or the drop-in installed; its python, or None."""
    root = os.path.join(WORK, "venvs", "%s-%s" % (name, flavour))
    shutil.rmtree(root, ignore_errors=True)
    if not run([sys.executable, "-m", "venv", root], log, env):
        return None
    python = os.path.join(root, "bin", "python")
    if not run([python, "-m", "pip", "install", "-q", "cffi"], log, env):
        return None
    check = "import cffi, purecffi, sys; sys.exit((cffi.FFI is purecffi.FFI) != %s)" % (
        flavour == "purecffi")
    if flavour == "cffi":
        check = "import cffi, sys; sys.exit(cffi.FFI.__module__ != 'cffi.api')"
    return python if run([python, "-c", check], log, env) else None


def junit_counts(path):
    """(passed, total, skipped, outcomes) from pytest's junit XML; outcomes: test id -> ok."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return 0, 0, 0, {}
    outcomes, skipped = {}, 0
    for case in root.iter("testcase"):
        tags = {child.tag for child in case}
        classname = case.get("classname") or ""
        test_id = "%s::%s" % (classname.split("site-packages.")[-1], case.get("name"))
        if "skipped" in tags:
            skipped += 1
            continue
        outcomes[test_id] = not tags & {"failure", "error"}
    return sum(outcomes.values()), len(outcomes), skipped, outcomes


def run_tests(name, flavour, python, tree, how, env):
    """The package's own tests against the installed package: (passed, total, skipped,
    outcomes, seconds)."""
    kind, where = how
    base = os.path.join(WORK, "testrun", "%s-%s" % (name, flavour))
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    tmp = os.path.join(base, "tmp")          # on disk, not tmpfs: xattr needs user attributes
    os.makedirs(tmp)
    env = dict(env, TMPDIR=tmp)
    _copy_pytest_config(tree, base)
    xml = os.path.join(base, "junit.xml")
    args = [python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--rootdir", base,
            "--junitxml", xml]
    if kind == "dir":
        # a copy outside the source tree, so the tests import the installed package
        shutil.copytree(os.path.join(tree, where), os.path.join(base, where))
        args.append(where)
    else:
        args += ["--pyargs", where]
    start = time.perf_counter()
    run(args, log_path("%s-%s-test" % (name, flavour)), env, cwd=base)
    seconds = time.perf_counter() - start
    return junit_counts(xml) + (seconds,)


# files that may hold pytest's configuration, and the section that makes them do so
PYTEST_SECTIONS = (("pytest.ini", "[pytest]"), ("tox.ini", "[pytest]"),
                   ("setup.cfg", "[tool:pytest]"), ("pyproject.toml", "[tool.pytest.ini_options]"),
                   ("conftest.py", "\0"))


def _copy_pytest_config(tree, base):
    """The sdist's pytest configuration, so that `base` is the rootdir (not a parent's)."""
    found = False
    for name, section in PYTEST_SECTIONS:
        if os.path.isfile(os.path.join(tree, name)):
            shutil.copy(os.path.join(tree, name), base)
            with open(os.path.join(base, name), errors="replace") as f:
                found = found or section in f.read()
    if not found:
        with open(os.path.join(base, "pytest.ini"), "w") as f:
            f.write("[pytest]\n")


def try_flavour(name, info, flavour, sdist, tree, wheelhouse):
    """Build, install and test `name` in a fresh venv of `flavour`: a result dict."""
    env = pip_env(info.get("env", {}), wheelhouse if flavour == "purecffi" else None)
    log = log_path("%s-%s-build" % (name, flavour))
    open(log, "w").close()
    result = dict(built=False, passed=0, total=0, skipped=0, outcomes={}, seconds=0.0)
    python = make_venv(name, flavour, env, log)
    if python is None:
        return result
    if not run([python, "-m", "pip", "install", "--no-cache-dir", sdist], log, env):
        return result
    result["built"] = True
    run([python, "-m", "pip", "install", "-q"] + info["test_deps"], log, env)
    passed, total, skipped, outcomes, seconds = run_tests(name, flavour, python, tree,
                                                          info["tests"], env)
    result.update(passed=passed, total=total, skipped=skipped, outcomes=outcomes,
                  seconds=seconds)
    return result


def package_info(name):
    """The recipe for `name`: from PACKAGES, or the defaults for an unknown package."""
    if name in PACKAGES:
        return PACKAGES[name]
    return dict(spec=name, tests=None, test_deps=["pytest"])


def default_tests(name, tree):
    """Where an unknown package's tests are: its sdist's tests/ or test/, else --pyargs."""
    for folder in ("tests", "test"):
        if os.path.isdir(os.path.join(tree, folder)):
            return ("dir", folder)
    return ("pyargs", name.replace("-", "_"))


# -- Report ----
def cell(result):
    """'passed/total' (with skipped), or 'build failed'."""
    if not result["built"]:
        return "build failed"
    text = "%d/%d" % (result["passed"], result["total"])
    return text + (" (%d skipped)" % result["skipped"] if result["skipped"] else "")


def print_table(rows):
    """The summary table and the tests whose outcome differs between the two venvs."""
    header = ("package", "built cffi/drop-in", "passed cffi", "passed drop-in", "s cffi",
              "s drop-in", "same")
    lines = [header]
    for name, real, drop in rows:
        same = real["built"] == drop["built"] and real["outcomes"] == drop["outcomes"]
        lines.append((name, "%s/%s" % ("yes" if real["built"] else "no",
                                       "yes" if drop["built"] else "no"),
                      cell(real), cell(drop), "%.1f" % real["seconds"],
                      "%.1f" % drop["seconds"], "yes" if same else "NO"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(text.ljust(width) for text, width in zip(line, widths)))
    for name, real, drop in rows:
        if not (real["built"] and drop["built"]):
            failed = "cffi" if not real["built"] else "purecffi"
            print("  %s: build failed with %s: %s" % (name, failed, first_error(name, failed)))
            continue
        differ = sorted(t for t in set(real["outcomes"]) | set(drop["outcomes"])
                        if real["outcomes"].get(t) != drop["outcomes"].get(t))
        if len(differ) > MAX_LISTED:
            print("  %s: %d tests differ, the first %d:" % (name, len(differ), MAX_LISTED))
        for test_id in differ[:MAX_LISTED]:
            print("  %s: %s: cffi %s, drop-in %s" % (
                name, test_id, outcome(real["outcomes"].get(test_id)),
                outcome(drop["outcomes"].get(test_id))))


def first_error(name, flavour):
    """The first compiler or Python error line of a failed build's log."""
    with open(log_path("%s-%s-build" % (name, flavour)), errors="replace") as f:
        lines = f.read().splitlines()
    for pattern in (": error:", "Error:", "error:"):
        for line in lines:
            if pattern in line:
                return line.strip()[:300]
    return "(no error line; see the log)"


def outcome(ok):
    """'pass', 'FAIL' or 'absent' for one test."""
    return "absent" if ok is None else ("pass" if ok else "FAIL")


def main():
    """Parse arguments, then build and test every package in both flavours."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheelhouse", required=True,
                        help="purecffi's and the drop-in's wheels and constraints.txt")
    parser.add_argument("packages", nargs="*", help="default: " + " ".join(DEFAULT))
    options = parser.parse_args()
    wheelhouse = os.path.abspath(options.wheelhouse)
    names = options.packages or DEFAULT
    shutil.rmtree(os.path.join(WORK, "logs"), ignore_errors=True)
    apt_install([apt for name in names for apt in package_info(name).get("apt", [])])
    rows = []
    for name in names:
        info = dict(package_info(name))
        print("== %s" % name, flush=True)
        sdist, tree = fetch_sdist(name, info["spec"])
        if sdist is None:
            print("   no sdist could be downloaded, see " + log_path(name + "-download"))
            continue
        info["tests"] = info["tests"] or default_tests(name, tree)
        results = [try_flavour(name, info, flavour, sdist, tree, wheelhouse)
                   for flavour in FLAVOURS]
        for flavour, result in zip(FLAVOURS, results):
            print("   %-8s %s, tests %.1f s" % (flavour, cell(result), result["seconds"]),
                  flush=True)
        rows.append((name,) + tuple(results))
    print()
    print_table(rows)
    print("\nlogs: " + os.path.join(WORK, "logs"))
    return 0 if all(r[1]["outcomes"] == r[2]["outcomes"] and r[2]["built"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
