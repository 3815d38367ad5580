"""`ffi.string()` of an API-mode module, its common case made in C.

The module's `ffi.string` is a built-in method of the ffi (bound by apimode.load()).  A
non-NULL `char *` cdata, or a `char[]`/`char[N]` array of known length, with no `maxlen` or
an int one, gives the bytes up to the first NUL (within the array, or `maxlen`), read as the
runtime's to_string() reads them: strlen/strnlen for a pointer, memchr within an array.
Everything else (other types, NULL, other arguments, keywords) is the runtime's
`ffi.string`, called with the same arguments.  Not emitted with the limited API (no slot
internals there) nor without a GIL (its table of classes seen needs one).
"""

from .c_text import gil_only

__all__ = ["emit_string", "STRING_DEF"]

# the entry of the module's method table (non-limited builds only)
STRING_DEF = "    {\"_pc_string_bind\", _pc_string_bind, METH_VARARGS, NULL},"


def emit_string(limited=False):
    """The C of the fast `ffi.string` (nothing with the limited API)."""
    return gil_only("PC_STRING", _STRING, limited)


_STRING = [
    "/* ffi.string(): see purecffi/build/api_string.py */",
    "static PyObject *_pc_string_slow;     /* the runtime's ffi.string */",
    "static PyObject *_pc_string_char_ptr; /* the ctype `char *` */",
    "static PyObject *_pc_string_char;     /* the ctype `char` */",
    "static PyTypeObject *_pc_string_array_type;  /* ArrayType */",
    "",
    "static PyObject *_pc_string(PyObject *self, PyObject *const *args, size_t nargsf,",
    "                           PyObject *kwnames)",
    "{",
    "    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf), maxlen = -1, length;",
    "    PyObject *cdata, *ctype, *address, *length_obj;",
    "    const char *p, *nul;",
    "    int k;",
    "    (void)self;",
    "    if (kwnames != NULL || nargs < 1 || nargs > 2 || _pc_cdata_type == NULL)",
    "        goto slow;",
    "    cdata = args[0];",
    "    if (nargs == 2) {",
    "        if (!PyLong_CheckExact(args[1]))",
    "            goto slow;",
    "        maxlen = PyLong_AsSsize_t(args[1]);",
    "        if (maxlen == -1 && PyErr_Occurred()) {",
    "            PyErr_Clear();",
    "            goto slow;",
    "        }",
    "    }",
    "    if (!PyObject_TypeCheck(cdata, _pc_cdata_type))",
    "        goto slow;",
    "    ctype = PC_SLOT(cdata, _pc_ctype_offset);",
    "    address = PC_SLOT(cdata, _pc_addr_offset);",
    "    if (ctype == NULL || address == NULL || !PyLong_CheckExact(address))",
    "        goto slow;",
    "    p = (const char *)PyLong_AsVoidPtr(address);",
    "    if (p == NULL) {",
    "        PyErr_Clear();",
    "        goto slow;                  /* NULL: the runtime raises */",
    "    }",
    "    if (ctype == _pc_string_char_ptr) {",
    "        if (maxlen < 0)",
    "            return PyBytes_FromString(p);",
    "        return PyBytes_FromStringAndSize(p, (Py_ssize_t)strnlen(p, (size_t)maxlen));",
    "    }",
    "    if (Py_TYPE(ctype) != _pc_string_array_type || _pc_array_item_offset <= 0 ||",
    "            PC_SLOT(ctype, _pc_array_item_offset) != _pc_string_char)",
    "        goto slow;",
    "    k = _pc_class_slots(Py_TYPE(cdata), 1, 0);",
    "    if (k < 0)",
    "        goto slow;",
    "    length_obj = PC_SLOT(cdata, _pc_classes[k].length);",
    "    if (length_obj == NULL || !PyLong_CheckExact(length_obj))",
    "        goto slow;                  /* unknown length: the runtime reads it as a pointer */",
    "    length = PyLong_AsSsize_t(length_obj);",
    "    if (length < 0) {",
    "        PyErr_Clear();",
    "        goto slow;",
    "    }",
    "    if (maxlen >= 0 && maxlen < length)",
    "        length = maxlen;",
    "    nul = (const char *)memchr(p, 0, (size_t)length);",
    "    return PyBytes_FromStringAndSize(p, nul != NULL ? nul - p : length);",
    "slow:",
    "    return PyObject_Vectorcall(_pc_string_slow, args, nargsf, kwnames);",
    "}",
    "",
    "static PyMethodDef _pc_string_def = {",
    "    \"string\", (PyCFunction)(void (*)(void))_pc_string, METH_FASTCALL | METH_KEYWORDS,",
    "    \"bytes from char*/char[], str from wchar_t*/char16_t*/char32_t*, names of enum \"",
    "    \"values.\"",
    "};",
    "",
    "/* _pc_string_bind(slow, char_ptr, char, ArrayType, ffi): the fast ffi.string of this",
    " * module, a built-in method of `ffi` (as cffi's) */",
    "static PyObject *_pc_string_bind(PyObject *module, PyObject *args)",
    "{",
    "    PyObject *slow, *char_ptr, *char_type, *array_type, *ffi = module;",
    "    if (!PyArg_ParseTuple(args, \"OOOO!|O\", &slow, &char_ptr, &char_type, &PyType_Type,",
    "                          &array_type, &ffi))",
    "        return NULL;",
    "    Py_INCREF(slow);",
    "    Py_XSETREF(_pc_string_slow, slow);",
    "    Py_INCREF(char_ptr);",
    "    Py_XSETREF(_pc_string_char_ptr, char_ptr);",
    "    Py_INCREF(char_type);",
    "    Py_XSETREF(_pc_string_char, char_type);",
    "    Py_INCREF(array_type);",
    "    Py_XSETREF(_pc_string_array_type, (PyTypeObject *)array_type);",
    "    return PyCFunction_NewEx(&_pc_string_def, ffi, NULL);",
    "}",
    "",
]
