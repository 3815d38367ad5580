"""`ffi.from_buffer()` of an API-mode module, its common case made in C.

The module's `ffi.from_buffer` is a built-in method of the ffi (bound by apimode.load()): a
non-empty `bytearray` (or `bytes`, or a C-contiguous `memoryview`, viewed through a
`PickleBuffer` as the runtime views it, when not required writable) into an open array type that
the runtime's FFI.from_buffer has already made once (`ffi._open_arrays`: cdecl -> (cdata
class, ctype, item size); other types are filed there as (None, ctype, 0): not taken here)
gives a cdata with the same four slots the runtime's fast path sets: the ctype, the address
of the data, a memoryview of the source as `_keep` (it holds the buffer export, so a
bytearray cannot be resized under the cdata, and release() releases it) and the length.  The
class's `_length` slot is found in the table of classes api_new.py keeps.  Everything else
(other sources, keywords, errors) is the runtime's FFI.from_buffer, called with the same
arguments.  Not emitted with the limited API (no slot internals there) nor without a GIL.
"""

from .c_text import gil_only

__all__ = ["emit_from_buffer", "FROM_BUFFER_DEF"]

# the entry of the module's method table (non-limited builds only)
FROM_BUFFER_DEF = "    {\"_pc_from_buffer_bind\", _pc_from_buffer_bind, METH_VARARGS, NULL},"


def emit_from_buffer(limited=False):
    """The C of the fast `ffi.from_buffer` (nothing with the limited API nor without a GIL:
    the table of classes it shares with ffi.new needs one)."""
    return gil_only("PC_FROM_BUFFER", _FROM_BUFFER, limited)


_FROM_BUFFER = [
    "/* ffi.from_buffer(): see purecffi/build/api_from_buffer.py */",
    "static PyObject *_pc_fb_open;     /* ffi._open_arrays */",
    "static PyObject *_pc_fb_slow;     /* the runtime's FFI.from_buffer, bound to the ffi */",
    "static PyObject *_pc_fb_char;     /* \"char[]\", the default type */",
    "static PyObject *_pc_fb_ffi;      /* the ffi of these statics (borrowed) */",
    "static PyObject *_pc_fb_saved;    /* \"_pc_from_buffer\", once lent (api_new.py) */",
    "",
    "static PyObject *_pc_from_buffer(PyObject *self, PyObject *const *args, size_t nargsf,",
    "                                 PyObject *kwnames)",
    "{",
    "    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf), size, item_size;",
    "    PyObject *cdecl, *source, *entry, *ctype, *view, *address, *length, *result;",
    "    PyTypeObject *tp;",
    "    int k;",
    "    PyObject *open = self == _pc_fb_ffi ? _pc_fb_open :",
    "        _pc_ffi_item(self, _pc_open_attr);",
    "    if (kwnames != NULL || nargs < 1 || nargs > 2 || open == NULL ||",
    "            !PyDict_CheckExact(open))",
    "        goto slow;",
    "    if (nargs == 1) {",
    "        cdecl = _pc_fb_char;",
    "        source = args[0];",
    "    }",
    "    else {",
    "        cdecl = args[0];",
    "        source = args[1];",
    "    }",
    "    if (PyByteArray_CheckExact(source))",
    "        size = PyByteArray_GET_SIZE(source);",
    "    else if (PyBytes_CheckExact(source))",
    "        size = PyBytes_GET_SIZE(source);",
    "    else if (Py_IS_TYPE(source, &PyMemoryView_Type))",
    "        size = PyMemoryView_GET_BUFFER(source)->len;      /* (its view, made below) */",
    "    else",
    "        goto slow;",
    "    if (size <= 0 || !PyUnicode_CheckExact(cdecl))     /* (a ctype: the slow way) */",
    "        goto slow;",
    "    entry = PyDict_GetItemWithError(open, cdecl);",
    "    if (entry == NULL) {",
    "        if (PyErr_Occurred())",
    "            return NULL;",
    "        goto slow;",
    "    }",
    "    if (!PyTuple_CheckExact(entry) || PyTuple_GET_SIZE(entry) != 3 ||",
    "            !PyType_Check(PyTuple_GET_ITEM(entry, 0)) ||",
    "            !PyLong_CheckExact(PyTuple_GET_ITEM(entry, 2)))",
    "        goto slow;",
    "    tp = (PyTypeObject *)PyTuple_GET_ITEM(entry, 0);",
    "    ctype = PyTuple_GET_ITEM(entry, 1);",
    "    item_size = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 2));",
    "    if (item_size <= 0) {",
    "        PyErr_Clear();",
    "        goto slow;",
    "    }",
    "    k = _pc_class_slots(tp, 1, 0);         /* (build/api_new.py) */",
    "    if (k < 0)",
    "        goto slow;",
    "    if (Py_IS_TYPE(source, &PyMemoryView_Type)) {",
    "        /* a view of a PickleBuffer of it, which holds an export of the memoryview itself",
    "         * (it cannot be released under the cdata), if contiguous, as the runtime's */",
    "        PyObject *pickled = PyPickleBuffer_FromObject(source);",
    "        view = pickled != NULL ? PyMemoryView_FromObject(pickled) : NULL;",
    "        Py_XDECREF(pickled);",
    "        if (view == NULL) {",
    "            PyErr_Clear();",
    "            goto slow;",
    "        }",
    "        if (PyMemoryView_GET_BUFFER(view)->len != size ||",
    "                !PyBuffer_IsContiguous(PyMemoryView_GET_BUFFER(view), 'C')) {",
    "            Py_DECREF(view);",
    "            goto slow;",
    "        }",
    "    }",
    "    else",
    "        view = PyMemoryView_FromObject(source);       /* holds the export */",
    "    if (view == NULL)",
    "        return NULL;",
    "    address = PyLong_FromVoidPtr(PyMemoryView_GET_BUFFER(view)->buf);",
    "    length = PyLong_FromSsize_t(size / item_size);",
    "    result = address != NULL && length != NULL ? tp->tp_alloc(tp, 0) : NULL;",
    "    if (result == NULL) {",
    "        Py_DECREF(view);",
    "        Py_XDECREF(address);",
    "        Py_XDECREF(length);",
    "        return NULL;",
    "    }",
    "    PC_FILL(result, ctype, address, view);",
    "    PC_SLOT(result, _pc_classes[k].length) = length;",
    "    return result;",
    "slow:",
    "    PC_FFI_SLOW(_pc_fb_ffi, _pc_fb_slow, _pc_fb_saved);",
    "}",
    "",
    "static PyMethodDef _pc_from_buffer_def = {",
    "    \"from_buffer\", (PyCFunction)(void (*)(void))_pc_from_buffer,",
    "    METH_FASTCALL | METH_KEYWORDS,",
    "    \"A cdata array over the memory of a Python buffer object (bytearray, array...).\"",
    "};",
    "",
    "/* _pc_from_buffer_bind(open_arrays, slow, ffi): the fast ffi.from_buffer of this module,",
    " * a built-in method of `ffi` (as cffi's) */",
    "static PyObject *_pc_from_buffer_bind(PyObject *module, PyObject *args)",
    "{",
    "    PyObject *open, *slow, *ffi = module;",
    "    if (!PyArg_ParseTuple(args, \"O!O|O\", &PyDict_Type, &open, &slow, &ffi))",
    "        return NULL;",
    "    if (_pc_fb_char == NULL && (_pc_fb_char = PyUnicode_InternFromString(\"char[]\")) == NULL)",
    "        return NULL;",
    "    Py_INCREF(open);",
    "    Py_XSETREF(_pc_fb_open, open);",
    "    Py_INCREF(slow);",
    "    Py_XSETREF(_pc_fb_slow, slow);",
    "    if (_pc_open_attr == NULL &&",
    "            (_pc_open_attr = PyUnicode_InternFromString(\"_open_arrays\")) == NULL)",
    "        return NULL;",
    "    _pc_fb_ffi = ffi;                 /* (held by `slow`, its bound method) */",
    "    return PyCFunction_NewEx(&_pc_from_buffer_def, ffi, NULL);",
    "}",
    "",
]
