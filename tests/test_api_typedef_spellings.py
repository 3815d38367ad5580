"""API mode: a parameter whose type is a typedef of a pointer (a callback type) is spelled in
the generated C with the qualifiers its typedef wrote, so the call compiles against the real
prototype even with -Werror (libyang's `lyd_merge_cb`, whose second parameter is a `const
struct lyd_node *`).  The same module builds with cffi."""
from conftest import build_api_module

SOURCE = """
struct node { int value; };
typedef int (*merge_cb)(struct node *target, const struct node *source, void *data);
typedef const char *const_text;
typedef const_text (*namer)(const struct node *);
static int merge(struct node *target, merge_cb cb, void *data) {
    struct node source = { 5 };
    return cb(target, &source, data);
}
static const char *name_of(const struct node *n) { return n->value ? "set" : "zero"; }
static const char *use_namer(namer f, const struct node *n) { return f(n); }
static namer get_namer(void) { return name_of; }
typedef int (*array_cb)(const int items[], int count);
static int sum(const int *items, int count) { int s = 0; while (count--) s += items[count]; return s; }
static int apply(array_cb f, const int *items, int count) { return f(items, count); }
static array_cb get_sum(void) { return sum; }
"""
CDEF = """
struct node { int value; };
typedef int (*merge_cb)(struct node *target, const struct node *source, void *data);
typedef const char *const_text;
typedef const_text (*namer)(const struct node *);
int merge(struct node *target, merge_cb cb, void *data);
const char *use_namer(namer f, const struct node *n);
namer get_namer(void);
typedef int (*array_cb)(const int items[], int count);
int apply(array_cb f, const int *items, int count);
array_cb get_sum(void);
"""


def test_pointer_typedef_parameters_keep_their_qualifiers(tmp_path):
    module = build_api_module(tmp_path, "_typedef_spellings", CDEF, SOURCE,
                              extra_compile_args=["-Werror=incompatible-pointer-types",
                                                  "-Werror=discarded-qualifiers"])
    ffi, lib = module.ffi, module.lib

    @ffi.callback("merge_cb")
    def add(target, source, data):
        target.value += source.value
        return target.value

    target = ffi.new("struct node *", [2])
    assert lib.merge(target, add, ffi.NULL) == 7
    node = ffi.new("struct node *", [1])
    assert ffi.string(lib.use_namer(lib.get_namer(), node)) == b"set"
    items = ffi.new("int[]", [1, 2, 3])
    assert lib.apply(lib.get_sum(), items, 3) == 6
