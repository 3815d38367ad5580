"""Items of pointer type read and written, through every kind of holder, against cffi.

`pp[i] = v` where `pp` is an owning `T **`, an array `T *[n]`, or a cast `T **`, and `v` is
each kind of thing a program stores there (a pointer of the same type, an array, a char or
`void *` pointer, NULL, a function pointer, a lib function, a struct, a number, None):
whether the write is accepted, or its exception and message, and the address that `pp[i]`
then reads back must be cffi's.  The fast paths of views.py and convert._write_pointer take
some of these cases and the checked path the rest; this grid holds the two together.
Skipped when cffi is not installed.
"""
import pytest

from _backend import FFI

cffi = pytest.importorskip("cffi")

CDEF = "int abs(int); struct s { int a; };"

SOURCES = {
    "same": 'ffi.new("int *", 5)',
    "array": 'ffi.new("int[4]")',
    "char_ptr": 'ffi.new("char *")',
    "char_array": 'ffi.new("char[4]")',
    "uchar_array": 'ffi.new("unsigned char[2]")',
    "uchar_ptr": 'ffi.cast("unsigned char *", 8)',
    "null": "ffi.NULL",
    "func_ptr": 'ffi.cast("int(*)(int)", 0)',
    "lib_func": "lib.abs",
    "struct_ptr": 'ffi.new("struct s *")',
    "struct": 'ffi.new("struct s *")[0]',
    "void_ptr": 'ffi.cast("void *", 16)',
    "ptr_ptr": 'ffi.new("int **")',
    "int": "5",
    "none": "None",
}

TARGETS = {
    "owning int **": ('ffi.new("int **")', (0, 1)),
    "owning void **": ('ffi.new("void **")', (0, 1)),
    "owning char **": ('ffi.new("char **")', (0,)),
    "int *[3]": ('ffi.new("int *[3]")', (0, 2, 3, -1)),
    "void *[3]": ('ffi.new("void *[3]")', (1, 3)),
    "char *[2]": ('ffi.new("char *[2]")', (1,)),
    "cast int **": ('ffi.cast("int **", keep) + 4', (0, 1, -1)),
    "cast void **": ('ffi.cast("void **", keep) + 4', (0, -2)),
}


def _outcome(ffi_class, target, source, index):
    """('ok', whether pp[index] reads back the address written) or (exception, message)."""
    ffi = ffi_class()
    ffi.cdef(CDEF)
    namespace = {"ffi": ffi, "lib": ffi.dlopen(None)}
    namespace["keep"] = ffi.new("int *[10]")
    holder = eval(target, namespace)
    value = eval(source, namespace)
    try:
        holder[index] = value
    except Exception as exc:
        return type(exc).__name__, str(exc)
    if isinstance(value, (int, type(None))):
        return "ok", int(ffi.cast("intptr_t", holder[index]))
    return "ok", ffi.cast("intptr_t", holder[index]) == ffi.cast("intptr_t", value)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_pointer_item_writes_agree_with_cffi(target):
    holder, indexes = TARGETS[target]
    for name, source in SOURCES.items():
        for index in indexes:
            mine = _outcome(FFI, holder, source, index)
            theirs = _outcome(cffi.FFI, holder, source, index)
            assert mine == theirs, (target, name, index, mine, theirs)


def test_accepted_writes_store_the_address(ffi):
    """Independently of cffi: what the fast paths accept is stored as the source's address."""
    ints = ffi.new("int[4]")
    ip = ffi.new("int *", 7)
    pp, vp, arr = ffi.new("int **"), ffi.new("void **"), ffi.new("void *[2]")
    pp[0] = ints
    assert pp[0] == ints and pp[0][0] == 0
    pp[0] = ip
    assert pp[0][0] == 7 and ffi.typeof(pp[0]) is ffi.typeof("int *")
    for holder, index in ((vp, 0), (arr, 1)):
        for value in (ip, ints, pp, ffi.cast("int(*)(int)", 0x1000)):
            holder[index] = value
            assert int(ffi.cast("intptr_t", holder[index])) == \
                int(ffi.cast("intptr_t", value))
    with pytest.raises(TypeError):
        pp[0] = ffi.new("char[2]")
