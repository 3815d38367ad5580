"""`ffi.cast()` of an API-mode module: its type found in C.

The module's `ffi.cast` is a built-in method of the ffi (bound by apimode.load()).  For a
type named by a string that the ffi has parsed before, whose runtime has its cast function
(`TypeRuntime.cast`, prepared once per type: cast.py), it calls that function with the
value: what the runtime's `FFI.cast` does, without its frame.  Everything else (a ctype
object, a type not seen yet, keywords) is the runtime's `FFI.cast`, called with the same
arguments.  Not emitted with the limited API (no slot internals there) nor without a GIL.
"""

from .c_text import gil_only

__all__ = ["emit_cast", "CAST_DEF"]

# the entry of the module's method table (non-limited builds only)
CAST_DEF = "    {\"_pc_cast_bind\", _pc_cast_bind, METH_VARARGS, NULL},"


def emit_cast(limited=False):
    """The C of the fast `ffi.cast` (nothing with the limited API nor without a GIL)."""
    return gil_only("PC_CAST", _CAST, limited)


_CAST = [
    "/* ffi.cast(): see purecffi/build/api_cast.py */",
    "static PyObject *_pc_cast_types;      /* ffi._types: cdecl -> ctype */",
    "static PyObject *_pc_cast_slow;       /* the runtime's FFI.cast, bound to the ffi */",
    "static PyTypeObject *_pc_cast_ctype;  /* CType */",
    "static PyTypeObject *_pc_cast_runtime;    /* TypeRuntime */",
    "static Py_ssize_t _pc_cast_offset = -1;   /* TypeRuntime.cast */",
    "",
    "static PyObject *_pc_cast(PyObject *self, PyObject *const *args, size_t nargsf,",
    "                          PyObject *kwnames)",
    "{",
    "    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);",
    "    PyObject *ctype, *rt, *cast;",
    "    (void)self;",
    "    if (kwnames != NULL || nargs != 2 || _pc_rt_offset < 0 || _pc_cast_offset < 0 ||",
    "            !PyUnicode_CheckExact(args[0]))",
    "        goto slow;",
    "    ctype = PyDict_GetItemWithError(_pc_cast_types, args[0]);",
    "    if (ctype == NULL) {",
    "        if (PyErr_Occurred())",
    "            return NULL;",
    "        goto slow;",
    "    }",
    "    if (!PyObject_TypeCheck(ctype, _pc_cast_ctype))",
    "        goto slow;",
    "    rt = PC_SLOT(ctype, _pc_rt_offset);      /* (CType._rt) */",
    "    if (rt == NULL || Py_TYPE(rt) != _pc_cast_runtime)",
    "        goto slow;",
    "    cast = PC_SLOT(rt, _pc_cast_offset);",
    "    if (cast == NULL || cast == Py_None)",
    "        goto slow;",
    "    Py_INCREF(cast);          /* (held: the call may replace the slot) */",
    "    rt = PyObject_CallOneArg(cast, args[1]);",
    "    Py_DECREF(cast);",
    "    return rt;",
    "slow:",
    "    return PyObject_Vectorcall(_pc_cast_slow, args, nargsf, kwnames);",
    "}",
    "",
    "static PyMethodDef _pc_cast_def = {",
    "    \"cast\", (PyCFunction)(void (*)(void))_pc_cast, METH_FASTCALL | METH_KEYWORDS,",
    "    \"Reinterpret a value as a value of the given type (no range checks).\"",
    "};",
    "",
    "/* _pc_cast_bind(types, slow, CType, TypeRuntime, cast_slot, ffi): the fast ffi.cast of",
    " * this module, a built-in method of `ffi` (as cffi's) */",
    "static PyObject *_pc_cast_bind(PyObject *module, PyObject *args)",
    "{",
    "    PyObject *types, *slow, *ctype_cls, *rt_cls, *cast_slot, *ffi = module;",
    "    if (!PyArg_ParseTuple(args, \"O!OO!O!O!|O\", &PyDict_Type, &types, &slow,",
    "                          &PyType_Type, &ctype_cls, &PyType_Type, &rt_cls,",
    "                          &PyMemberDescr_Type, &cast_slot, &ffi))",
    "        return NULL;",
    "    if (((PyMemberDescrObject *)cast_slot)->d_member->type != T_OBJECT_EX) {",
    "        PyErr_SetString(PyExc_TypeError, \"expected an object slot\");",
    "        return NULL;",
    "    }",
    "    _pc_cast_offset = ((PyMemberDescrObject *)cast_slot)->d_member->offset;",
    "    Py_INCREF(types);",
    "    Py_XSETREF(_pc_cast_types, types);",
    "    Py_INCREF(slow);",
    "    Py_XSETREF(_pc_cast_slow, slow);",
    "    Py_INCREF(ctype_cls);",
    "    Py_XSETREF(_pc_cast_ctype, (PyTypeObject *)ctype_cls);",
    "    Py_INCREF(rt_cls);",
    "    Py_XSETREF(_pc_cast_runtime, (PyTypeObject *)rt_cls);",
    "    return PyCFunction_NewEx(&_pc_cast_def, ffi, NULL);",
    "}",
    "",
]
