"""`python -m purecffi demo` (what `make demo` runs) works and prints real results."""
import os
import shutil
import subprocess
import sys

import pytest

from _backend import IS_CFFI

pytestmark = pytest.mark.skipif(IS_CFFI, reason="purecffi's own command line")

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def test_demo_runs_and_prints_real_results():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-m", "purecffi", "demo"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "printf from C: purecffi has 8 letters" in text
    assert "strlen(b'hello, world') = 12" in text
    assert "after:  [1, 3, 7, 19, 42, 56, 88]" in text
    assert "read back: [(0, 0, 0.0), (1, 1, 0.5), (2, 4, 1.0), (3, 9, 1.5)]" in text
    assert "|v| = 5.0 - pycparser imported: False" in text
    if shutil.which("gcc") or shutil.which("cc"):
        assert "apply_twice(5), C calling Python twice -> 20" in text
    assert text.rstrip().endswith("Done.")


def test_unknown_command_prints_usage():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-m", "purecffi", "nope"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "usage" in out.stdout
