"""A generated module's structs are laid out whatever the order they are first reached in: a
struct reached through a pointer member may hold by value the struct being completed (libyang:
`struct lyd_node` points to `struct lyd_node_inner`, whose anonymous union holds a `struct
lyd_node`).  Out-of-line ABI and API modules, against the layouts cffi gives (x86-64 gcc)."""
import pytest

from conftest import build_api_module

CDEF = """
struct node { int hash; struct inner *parent; struct node *next; };
struct inner {
    union { struct node node; struct { int hash; struct inner *parent; struct node *next; }; };
    struct node *child;
};
struct holder { struct inner items[2]; struct node *first; };
"""
SOURCE = CDEF.replace("struct holder", "struct holder_unused") + \
    "struct holder { struct inner items[2]; struct node *first; };"
EXPECTED = {"struct node": 24, "struct inner": 32, "struct holder": 72}


FIRSTS = ["struct node", "struct inner", "struct holder", "struct node *", "struct inner[3]"]


@pytest.mark.parametrize("first", FIRSTS)
@pytest.mark.parametrize("api", [False, True])
def test_layouts_whichever_struct_comes_first(tmp_path, first, api):
    name = "_struct_order_%s_%d" % ("api" if api else "abi", FIRSTS.index(first))
    module = build_api_module(tmp_path, name, CDEF, SOURCE if api else None)
    ffi = module.ffi
    ffi.typeof(first)                    # this one is built first
    assert {cname: ffi.sizeof(cname) for cname in EXPECTED} == EXPECTED
    assert ffi.offsetof("struct inner", "child") == 24
    assert ffi.offsetof("struct inner", "next") == 16
    assert ffi.offsetof("struct holder", "first") == 64
    inner = ffi.new("struct inner *")
    inner.node.next = node = ffi.new("struct node *", {"hash": 7})
    assert inner.next == node and inner.next.hash == 7
