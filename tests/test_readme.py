"""The README's examples marked `<!-- tested: tests/test_readme.py -->` run as written."""
import os
import re
import subprocess
import sys

import pytest

from _backend import IS_CFFI

pytestmark = pytest.mark.skipif(IS_CFFI, reason="the README's examples use purecffi")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKED = re.compile(r"<!-- tested: tests/test_readme.py -->\n```python\n(.*?)```", re.S)


def marked_examples():
    """The Python blocks of README.md that follow the marker."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        return MARKED.findall(f.read())


def test_there_are_marked_examples():
    assert len(marked_examples()) >= 2


@pytest.mark.parametrize("index", range(len(marked_examples())))
def test_readme_example_runs(index, tmp_path):
    code = marked_examples()[index]
    if "zlib.h" in code:
        import ctypes.util
        proc = subprocess.run(["cc", "-E", "-x", "c", "-"], input="#include <zlib.h>\n",
                              capture_output=True, text=True)
        if proc.returncode != 0 or ctypes.util.find_library("z") is None:
            pytest.skip("zlib.h is not installed (make test installs it)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=str(tmp_path), capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=os.path.join(REPO, "src")))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
