"""The FFI builder of mesonexample._example (read by `python -m purecffi gen-src`)."""
from purecffi import FFI

ffibuilder = FFI()
ffibuilder.cdef("""
    struct range { int low, high; };
    int clamp(struct range *r, int value);
""")
ffibuilder.set_source("mesonexample._example", """
    struct range { int low, high; };
    static int clamp(struct range *r, int value) {
        return value < r->low ? r->low : value > r->high ? r->high : value;
    }
""")
