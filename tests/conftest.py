"""Shared fixtures: a fresh FFI per test, and the compiled C test library."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from _backend import FFI  # noqa: E402


@pytest.fixture
def ffi():
    """A fresh FFI instance."""
    return FFI()
