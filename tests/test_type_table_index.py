"""TYPES.made_from_index() (what a cdef() renaming a struct by a later typedef asks) reads the
intern table while entries of dead types may be dropped: a collection during the walk runs
their weakref callbacks in the same thread, which the table's reentrant lock lets in."""
import pytest

from _backend import IS_CFFI

pytestmark = pytest.mark.skipif(IS_CFFI, reason="purecffi's own intern table")


def test_entries_dropped_during_the_walk_do_not_break_it():
    from purecffi.ctype import TYPES, TypeTable

    table = TypeTable()
    item = TYPES.primitive("int")
    kept = [TYPES.pointer(item), TYPES.array(item, 3)]

    class Dying:
        """An entry whose reading drops others, as _forget() does for a dead type."""

        def __init__(self, victims):
            self.victims = victims

        def __call__(self):
            for key in self.victims:
                table._table.pop(key, None)
            return None

    class Live:
        def __init__(self, value):
            self.value = value

        def __call__(self):
            return self.value

    keys = [("ptr", id(item), n) for n in range(40)]     # (keys name types by id)
    for n, key in enumerate(keys):
        table._table[key] = Dying(keys[n + 1:n + 3]) if n % 5 == 0 else Live(kept[n % 2])
    index = table.made_from_index()
    assert all(derived in kept for found in index.values() for derived in found)
    assert id(item) in index
