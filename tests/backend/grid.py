"""Calls of the low-level functions of `_cffi_backend`, one line of outcome each: run with
the real cffi's module and with purecffi's (tests/test_backend_module.py compares them)."""
import _cffi_backend as b


def t(label, f):
    """Print `label` and what f() returns or raises."""
    try:
        result = f()
    except Exception as exc:
        print(label, type(exc).__name__, exc)
    else:
        print(label, repr(result))


P = b.new_primitive_type
# (not the complex types: cffi 2 names them '_cffi_float_complex_t', purecffi as its 1.13 manual)
names = ["char", "signed char", "unsigned char", "short", "unsigned short", "int",
         "unsigned int", "long", "unsigned long", "long long", "unsigned long long", "float",
         "double", "long double", "_Bool", "wchar_t", "char16_t", "char32_t", "int8_t",
         "uint64_t", "size_t", "ssize_t", "intptr_t", "ptrdiff_t", "void", "foo", "int *"]
for n in names:
    t("prim " + n, lambda: (P(n), b.sizeof(P(n)), b.alignof(P(n)), P(n).kind, P(n).cname))
BInt, BChar, BShort, BDouble = P("int"), P("char"), P("short"), P("double")
BUInt = P("unsigned int")
for v in (0, -1, 2**31, 1.5, "x", b"x", None):
    t("cast int %r" % (v,), lambda: b.cast(BInt, v))
    t("newp int %r" % (v,), lambda: b.newp(b.new_pointer_type(BInt), v)[0])
BS = b.new_struct_type("struct s")
t("complete", lambda: b.complete_struct_or_union(BS, [("a", BInt, 3), ("b", BInt, 5), ("c", BChar, -1), ("d", BShort)]))
t("bits", lambda: [(n, f.offset, f.bitshift, f.bitsize) for n, f in BS.fields])
t("size", lambda: (b.sizeof(BS), b.alignof(BS)))
p = b.newp(b.new_pointer_type(BS), [1, -2, b"z", 7])
t("read", lambda: (p.a, p.b, p.c, p.d))
BU = b.new_union_type("union u")
t("union", lambda: b.complete_struct_or_union(BU, [("i", BInt), ("d", BDouble)]))
t("usize", lambda: (b.sizeof(BU), [(n, f.offset) for n, f in BU.fields]))
BPk = b.new_struct_type("struct pk")
t("packed", lambda: b.complete_struct_or_union(BPk, [("c", BChar), ("i", BInt)], None, -1, -1, 8))
t("packed size", lambda: (b.sizeof(BPk), [(n, f.offset) for n, f in BPk.fields]))
BPk2 = b.new_struct_type("struct pk2")
t("pack2", lambda: b.complete_struct_or_union(BPk2, [("c", BChar), ("i", BInt)], None, -1, -1, 0, 2))
t("pack2 size", lambda: (b.sizeof(BPk2), [(n, f.offset) for n, f in BPk2.fields]))
BE = b.new_enum_type("enum e", ("A", "B", "C"), (0, 1, -5), BInt)
t("enum", lambda: (BE, BE.kind, BE.elements, BE.relements, b.cast(BE, 1), b.cast(BE, 7), b.sizeof(BE)))
t("enum bad", lambda: b.new_enum_type("enum e2", ("A",), (0, 1), BInt))
BF = b.new_function_type((BInt, BDouble), BDouble)
t("fn", lambda: (BF, BF.kind, BF.args, BF.result, BF.ellipsis, BF.abi))
cb = b.callback(BF, lambda i, d: i + d)
t("cb", lambda: cb(2, 0.5))
t("cb err", lambda: b.callback(BF, lambda i, d: 1 / 0, 9.5)(1, 1.0))
lib = b.load_library(None)
strlen = lib.load_function(b.new_function_type((b.new_pointer_type(BChar),), P("size_t")), "strlen")
t("strlen", lambda: strlen(b"hello"))
t("lf bad type", lambda: lib.load_function(BInt, "strlen"))
t("errno", lambda: (b.set_errno(7), b.get_errno()))
BArr = b.new_array_type(b.new_pointer_type(BInt), 4)
a = b.newp(BArr, [1, 2, 3])
t("arr", lambda: (list(a), len(a), b.sizeof(a), b.typeof(a)))
t("arr too many", lambda: b.newp(BArr, [1, 2, 3, 4, 5]))
t("arr neg", lambda: b.new_array_type(b.new_pointer_type(BInt), -1))
t("typeoffsetof", lambda: b.typeoffsetof(BS, "c"))
t("typeoffsetof bit", lambda: b.typeoffsetof(BS, "a"))
t("typeoffsetof ptr follow", lambda: b.typeoffsetof(b.new_pointer_type(BS), "d", 1))
t("typeoffsetof ptr nofollow", lambda: b.typeoffsetof(b.new_pointer_type(BS), "d"))
t("typeoffsetof idx", lambda: b.typeoffsetof(BArr, 2))
t("raw", lambda: b.rawaddressof(b.new_pointer_type(BShort), p, 6) == b.cast(b.new_pointer_type(BShort), b.cast(P("intptr_t"), p)) + 3)
t("unpack", lambda: b.unpack(a, 3)); t("string", lambda: b.string(b.cast(BChar, 65)))
t("gcp", lambda: b.typeof(b.gcp(a, lambda x: None)))
t("release", lambda: b.release(b.newp(BArr)))
t("sizeof bad", lambda: b.sizeof(5)); t("typeof bad", lambda: b.typeof("int"))
t("newp nonptr", lambda: b.newp(BInt)); t("struct incomplete", lambda: b.newp(b.new_pointer_type(b.new_struct_type("struct x"))))
t("double complete", lambda: b.complete_struct_or_union(BS, [("a", BInt)]))
t("void", lambda: (b.new_void_type(), b.new_void_type().kind, b.sizeof(b.new_void_type())))
t("voidp", lambda: b.new_pointer_type(b.new_void_type()))
h = b.newp_handle(b.new_pointer_type(b.new_void_type()), [1, 2])
t("handle", lambda: b.from_handle(h))
t("handle bad", lambda: b.newp_handle(b.new_pointer_type(BInt), 1))
t("from_buffer", lambda: list(b.from_buffer(b.new_array_type(b.new_pointer_type(BChar), None), bytearray(b"ab"))))
t("ptr of fn", lambda: (b.new_pointer_type(BF), ))
t("same", lambda: (b.new_pointer_type(BInt) is b.new_pointer_type(BInt), P("int") is P("int"), b.new_array_type(b.new_pointer_type(BInt), 4) is BArr))
for name in ("char", "short", "unsigned char", "long long", "double", "float", "_Bool"):
    for value in (0, 1, -1, 255, 2**40, 0.5, b"A", True):
        t("cast %s %r" % (name, value), lambda: b.cast(P(name), value))
        t("newp %s %r" % (name, value), lambda: b.newp(b.new_pointer_type(P(name)), value)[0])
BPoint = b.new_struct_type("struct point")
b.complete_struct_or_union(BPoint, [("x", BInt), ("y", BDouble), ("tag", b.new_array_type(
    b.new_pointer_type(BChar), 4))])
BLine = b.new_struct_type("struct line")
b.complete_struct_or_union(BLine, [("a", BPoint), ("b", BPoint), ("next", b.new_pointer_type(
    BLine))])
line = b.newp(b.new_pointer_type(BLine), {"a": [1, 2.5, b"ab"], "b": {"x": 3}})
t("line", lambda: (b.sizeof(BLine), line.a.x, line.a.y, b.string(line.a.tag), line.b.x,
                   line.next))
t("line fields", lambda: [(n, f.offset, f.type) for n, f in BLine.fields])
t("line offset", lambda: b.typeoffsetof(BLine, "b"))
pts = b.newp(b.new_array_type(b.new_pointer_type(BPoint), None), 3)
t("pts", lambda: (len(pts), pts[1].x, b.sizeof(pts), b.typeof(pts[1])))
labs = lib.load_function(b.new_function_type((P("long"),), P("long")), "labs")
t("labs", lambda: (labs(-5), labs(2**62)))
t("labs bad", lambda: labs("x"))
t("labs count", lambda: labs())
ip = b.cast(b.new_pointer_type(BInt), 4096)
t("ptr math", lambda: (ip + 2, (ip + 2) - ip, ip == b.cast(b.new_pointer_type(BInt), 4096)))


# -- Structs completed by hand: sizes, offsets, anonymous members, checks ----
B = b
I=B.new_primitive_type('int'); C=B.new_primitive_type('char'); IP=B.new_pointer_type(I); D=B.new_primitive_type('double')
def S(fields, *a, kind="struct"):
    s = (B.new_struct_type if kind == "struct" else B.new_union_type)("s")
    B.complete_struct_or_union(s, fields, *a)
    return s
def lay(s): return (B.sizeof(s), B.alignof(s), [(n, f.offset, f.bitshift, f.bitsize, f.flags) for n, f in s.fields])
t("ts", lambda: lay(S([("a", I)], None, 20, 16)))
t("ts small", lambda: lay(S([("a", I, -1, 8)], None, 4, 4)))
t("misaligned", lambda: lay(S([("a", I, -1, 1)])))
t("offsets", lambda: lay(S([("a", I, -1, 4), ("b", C, -1, 0)])))
t("offsets2", lambda: lay(S([("a", C, -1, 0), ("b", D, -1, 16)])))
t("union ts", lambda: lay(S([("a", I), ("b", C)], None, 12, 4, kind="union")))
t("bit33", lambda: S([("a", I, 33)])); t("bitdouble", lambda: S([("a", D, 3)])); t("bit0", lambda: S([("z", I, 0)]))
t("dup", lambda: S([("a", I), ("a", C)])); t("offbit", lambda: S([("a", I, 3, 4)]))
In = S([("x", I), ("y", C)])
t("anon", lambda: lay(S([("", In), ("z", I)])))
s = S([("", In), ("z", I)])
t("anon init", lambda: (B.newp(B.new_pointer_type(s), [1, b'a', 2]).y, B.newp(B.new_pointer_type(s), {'y': b'q'}).y, B.typeoffsetof(s, 'y')))
U = S([("i", I), ("d", D)], kind="union")
t("anon union", lambda: lay(S([("k", I), ("", U)])))
t("anon dup", lambda: S([("x", I), ("", In)]))
t("bits", lambda: lay(S([("a", I, 3), ("b", I, 5), ("", I, 0), ("c", C, 2)])))
t("named bits", lambda: lay(S([("a", C), ("b", I, 5), ("c", I, 30)])))


# -- Argument checks ----
V=B.new_void_type(); VP=B.new_pointer_type(V)
for n in ("unsigned", "bool", "signed", "short int", "long int", b"int", "int"):
    t("prim %r" % (n,), lambda: B.new_primitive_type(n))
inc = B.new_struct_type("inc")
t("arr void", lambda: B.new_array_type(VP, 5)); t("arr inc", lambda: B.new_array_type(B.new_pointer_type(inc), 3))
t("arr open", lambda: B.new_array_type(B.new_pointer_type(B.new_array_type(IP, None)), 3)); t("arr float", lambda: B.new_array_type(IP, 2.0))
t("fn inc arg", lambda: B.new_function_type((inc,), I)); t("fn inc res", lambda: B.new_function_type((), inc))
t("fn arr res", lambda: B.new_function_type((), B.new_array_type(IP, 3))); t("fn void arg", lambda: B.new_function_type((V,), I))
t("fn list", lambda: B.new_function_type([I], I)); t("fn abi", lambda: B.new_function_type((I,), I, 0, 1)); t("fn ok", lambda: B.new_function_type((I,), V, 1, B.FFI_DEFAULT_ABI))
t("enum big", lambda: B.new_enum_type("e", ("A",), (2**40,), I)); t("enum neg u", lambda: B.new_enum_type("e", ("A",), (-1,), B.new_primitive_type("unsigned int")))
t("enum char", lambda: B.new_enum_type("e", ("A",), (1,), C)); t("enum list", lambda: B.new_enum_type("e", ["A"], (1,), I)); t("enum float", lambda: B.new_enum_type("e", ("A",), (1.0,), I))
lib = B.load_library(None)
t("lf bytes", lambda: lib.load_function(B.new_function_type((I,), I), b"abs")); t("ll int", lambda: B.load_library(5))
t("getcname int", lambda: B.getcname(I, 5)); t("ns int", lambda: B.new_struct_type(1))
t("tof idx nonarr", lambda: B.typeoffsetof(I, 1)); t("tof voidp", lambda: B.typeoffsetof(VP, 3)); t("tof float", lambda: B.typeoffsetof(B.new_array_type(IP, 3), 1.0))
t("tof inc", lambda: B.typeoffsetof(inc, "a")); t("alignof cdata", lambda: B.alignof(B.newp(IP))); t("cb 5", lambda: B.callback(B.new_function_type((I,), I), 5))
t("rv void", lambda: lib.read_variable(V, "errno"))


# -- Arguments that are no ctype ----
for name, f in [("ptr", lambda: B.new_pointer_type(5)), ("newp", lambda: B.newp(5)), ("cast", lambda: B.cast(5, 1)),
                ("cb", lambda: B.callback(5, abs)), ("fb", lambda: B.from_buffer(5, b"x")), ("fn args", lambda: B.new_function_type((5,), I)),
                ("fn res", lambda: B.new_function_type((), 5)), ("enum base", lambda: B.new_enum_type("e", (), (), 5)),
                ("getcname", lambda: B.getcname(5, "")), ("tof", lambda: B.typeoffsetof(5, "a")), ("cs", lambda: B.complete_struct_or_union(B.new_struct_type("s"), [("a", 5)])),
                ("lf", lambda: B.load_library(None).load_function(5, "abs")), ("rv", lambda: B.load_library(None).read_variable(5, "x")),
                ("raw", lambda: B.rawaddressof(5, B.newp(B.new_pointer_type(I)), 0)), ("nh", lambda: B.newp_handle(5, 1))]:
    t(name, f)
