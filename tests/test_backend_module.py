"""The low-level functions of `_cffi_backend` (purecffi.backend, re-exported by the drop-in):
types made by hand, cdata, callbacks and libraries, as code written against cffi's backend
module uses them; and the same outcomes as the real cffi's module, call by call."""
import os
import re
import subprocess
import sys

import pytest

from _backend import IS_CFFI
from purecffi import backend as b

pytestmark = pytest.mark.skipif(IS_CFFI, reason="purecffi's module (compared with cffi's)")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRID = os.path.join(REPO, "tests", "backend", "grid.py")


def test_types_made_by_hand_are_the_interned_ones():
    from purecffi import FFI
    ffi = FFI()
    BInt = b.new_primitive_type("int")
    assert BInt is ffi.typeof("int")
    assert b.new_pointer_type(BInt) is ffi.typeof("int *")
    assert b.new_array_type(b.new_pointer_type(BInt), 3) is ffi.typeof("int[3]")
    assert b.new_function_type((BInt,), BInt) is ffi.typeof("int(*)(int)")
    assert b.new_void_type() is ffi.typeof("void")
    with pytest.raises(KeyError):
        b.new_primitive_type("no such type")


def test_a_struct_completed_by_hand():
    BInt, BChar = b.new_primitive_type("int"), b.new_primitive_type("char")
    BS = b.new_struct_type("struct hand")
    assert repr(BS) == "<ctype 'struct hand'>" and BS.fields is None
    b.complete_struct_or_union(BS, [("a", BInt, 3), ("b", BInt, 5), ("c", BChar, -1)])
    assert (b.sizeof(BS), b.alignof(BS)) == (4, 4)
    p = b.newp(b.new_pointer_type(BS), [1, -2, b"z"])
    assert (p.a, p.b, p.c) == (1, -2, b"z")
    with pytest.raises(TypeError, match="non-initialized"):
        b.complete_struct_or_union(BS, [("a", BInt)])
    placed = b.new_struct_type("struct placed")     # offsets, size and alignment given
    b.complete_struct_or_union(placed, [("x", BInt, -1, 4), ("y", BChar, -1, 0)], None, 12, 4)
    assert [(n, f.offset) for n, f in placed.fields] == [("x", 4), ("y", 0)]
    assert b.sizeof(placed) == 12
    assert b.typeoffsetof(b.new_pointer_type(placed), "x") == (BInt, 4)


def test_library_functions_and_variables():
    lib = b.load_library(None)
    assert repr(lib) == "<clibrary '<None>'>" and type(lib).__name__ == "CLibrary"
    BChar = b.new_primitive_type("char")
    strlen = lib.load_function(b.new_function_type((b.new_pointer_type(BChar),),
                                                   b.new_primitive_type("size_t")), "strlen")
    assert strlen(b"hello") == 5
    with pytest.raises(AttributeError, match="'no_such_function_here' not found"):
        lib.load_function(b.new_function_type((), b.new_primitive_type("int")),
                          "no_such_function_here")
    with pytest.raises(KeyError):
        lib.read_variable(b.new_primitive_type("int"), "no_such_variable_here")


def test_callbacks_errno_and_handles():
    BInt, BDouble = b.new_primitive_type("int"), b.new_primitive_type("double")
    cb = b.callback(b.new_function_type((BInt, BDouble), BDouble), lambda i, d: i + d)
    assert cb(2, 0.5) == 2.5
    b.set_errno(7)
    assert b.get_errno() == 7
    handle = b.newp_handle(b.new_pointer_type(b.new_void_type()), [1, 2])
    assert b.from_handle(handle) == [1, 2]
    with pytest.raises(TypeError, match="needs 'void \\*', got 'int \\*'"):
        b.newp_handle(b.new_pointer_type(BInt), 1)


def test_functions_take_no_keyword_arguments():
    BInt = b.new_primitive_type("int")
    with pytest.raises(TypeError):
        b.newp(b.new_pointer_type(BInt), init=1)
    with pytest.raises(TypeError):
        b.cast(ctype=BInt, value=1)


def _outcomes(env):
    proc = subprocess.run([sys.executable, GRID], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return re.sub(r"0x[0-9a-f]+", "0x?", proc.stdout).splitlines()


def test_same_outcomes_as_cffis_module():
    pytest.importorskip("_cffi_backend")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    theirs = _outcomes(env)
    ours = _outcomes(dict(env, PYTHONPATH=os.pathsep.join(
        [os.path.join(REPO, "dropin"), os.path.join(REPO, "src")])))
    assert len(theirs) > 100
    assert ours == theirs
