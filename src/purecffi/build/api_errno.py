"""The C text giving API-mode fast calls the `ffi.errno` of the calling thread.

`ffi.errno` is ctypes' thread-local copy of errno (what `ctypes.get_errno()`/`set_errno()`
read and write, and what ctypes swaps with the real errno around its calls), so every route
shares it.  A fast call sets errno from it before calling and stores back what C left; an
extern "Python" function does the converse: C's errno is ffi.errno while the Python code
runs, and ffi.errno is C's errno when it returns (as cffi).

ctypes keeps the copy in the thread-state dict, as a capsule of two ints under
"ctypes.error_object".  That is CPython's detail: it is used only once `_pc_errno_setter`
has seen `set_errno(12345)` land there; otherwise the two ctypes functions are called.
Looking the capsule up costs a dict probe (~5 ns, a sixth of a fast call), so each thread
remembers its pointer in a C thread-local variable, valid for one thread state.  To forget it
before the capsule dies, a sentinel capsule is stored next to ctypes' one in the same dict,
holding it: when the dict is cleared (the thread ends), the sentinel's destructor clears the
thread-local variable.  If that happens on another thread (interpreter shutdown), ctypes'
capsule is kept alive instead, so a stale pointer never points to freed memory.
"""

__all__ = ["ERRNO_HELPERS", "ERRNO_SETTER"]

ERRNO_HELPERS = r"""
#if defined(__cplusplus)
#  define PC_THREAD_LOCAL thread_local
#elif defined(_MSC_VER)
#  define PC_THREAD_LOCAL __declspec(thread)
#else
#  define PC_THREAD_LOCAL _Thread_local
#endif

static PyObject *_pc_set_errno, *_pc_get_errno;   /* ctypes' functions */
static PyObject *_pc_errno_key;        /* "ctypes.error_object", when usable */
static PyObject *_pc_sentinel_key;     /* this module's sentinel in the thread-state dict */

/* ctypes' copy for the thread state `tstate`, remembered by this thread (one variable:
 * one thread-local lookup) */
typedef struct {
    PyThreadState *tstate;
    int *space;
} _pc_errno_cache;
static PC_THREAD_LOCAL _pc_errno_cache _pc_errno_tls;

static void _pc_save_errno(int saved)
{
    PyObject *r;
    if (_pc_set_errno == NULL)
        return;
    r = PyObject_CallFunction(_pc_set_errno, "i", saved);
    if (r == NULL)
        PyErr_Clear();
    Py_XDECREF(r);
}

/* ctypes' capsule in the thread-state dict `dict` (borrowed, in `*capsule`): its ints,
 * or NULL */
static int *_pc_errno_lookup(PyObject *dict, PyObject **capsule)
{
    int *space;
    *capsule = PyDict_GetItemWithError(dict, _pc_errno_key);
    if (*capsule == NULL) {
        PyErr_Clear();
        return NULL;
    }
    space = (int *)PyCapsule_GetPointer(*capsule, "_ctypes pymem");     /* checks it */
    if (space == NULL)
        PyErr_Clear();
    return space;
}

/* the sentinel's destructor: the thread state's dict is going away */
static void _pc_errno_forget(PyObject *sentinel)
{
    PyObject *held = (PyObject *)PyCapsule_GetContext(sentinel);
    if (PyCapsule_GetPointer(sentinel, "purecffi errno") != (void *)&_pc_errno_tls)
        return;             /* not on its own thread: keep ctypes' capsule (see above) */
    _pc_errno_tls.space = NULL;
    _pc_errno_tls.tstate = NULL;
    Py_XDECREF(held);
}

/* look up and remember this thread's copy; NULL if ctypes has none yet */
static int *_pc_errno_find(PyThreadState *tstate)
{
    PyObject *dict, *capsule, *sentinel;
    int *space;
    if (_pc_errno_key == NULL || (dict = PyThreadState_GetDict()) == NULL)
        return NULL;
    space = _pc_errno_lookup(dict, &capsule);
    if (space == NULL)
        return NULL;
    sentinel = PyCapsule_New((void *)&_pc_errno_tls, "purecffi errno", _pc_errno_forget);
    if (sentinel == NULL) {
        PyErr_Clear();
        return space;
    }
    Py_INCREF(capsule);                 /* held by the sentinel */
    PyCapsule_SetContext(sentinel, capsule);
    if (PyDict_SetItem(dict, _pc_sentinel_key, sentinel) < 0) {
        PyErr_Clear();
        Py_DECREF(sentinel);        /* its destructor releases the capsule */
        return space;
    }
    Py_DECREF(sentinel);            /* a sentinel replaced above forgot the old pointer */
    _pc_errno_tls.tstate = tstate;
    _pc_errno_tls.space = space;
    return space;
}

/* ctypes' errno copy for this thread, or NULL */
static int *_pc_errno_space(void)
{
    PyThreadState *tstate = PyThreadState_Get();
    _pc_errno_cache *cache = &_pc_errno_tls;
    if (cache->tstate == tstate && cache->space != NULL)
        return cache->space;
    return _pc_errno_find(tstate);
}

/* the errno a C call starts with (ffi.errno); `*space` is where to store the new one */
static int _pc_load_errno(int **space)
{
    PyObject *r;
    long value;
    *space = _pc_errno_space();
    if (*space != NULL)
        return (*space)[0];
    if (_pc_get_errno == NULL)
        return 0;
    r = PyObject_CallObject(_pc_get_errno, NULL);
    if (r == NULL) {
        PyErr_Clear();
        return 0;
    }
    value = PyLong_AsLong(r);
    Py_DECREF(r);
    if (value == -1 && PyErr_Occurred())
        PyErr_Clear();
    return (int)value;
}

/* after a C call: `now` becomes ffi.errno */
static void _pc_store_errno(int *space, int before, int now)
{
    if (space != NULL)
        space[0] = now;
    else if (now != before)
        _pc_save_errno(now);
}

/* extern "Python", with the GIL: C's errno `c_errno` becomes ffi.errno for the Python code */
static void _pc_errno_enter(int c_errno)
{
    int *space = _pc_errno_space();
    if (space != NULL)
        space[0] = c_errno;
    else
        _pc_save_errno(c_errno);
}

/* extern "Python", with the GIL, when the Python code is done: the errno C gets back */
static int _pc_errno_leave(void)
{
    int *space;
    return _pc_load_errno(&space);
}
""".strip("\n").split("\n") + [""]

ERRNO_SETTER = r"""
/* _pc_errno_setter(ctypes.set_errno[, ctypes.get_errno]): ffi.errno's storage; ctypes'
 * capsule is read directly if set_errno(12345) is then seen there */
static PyObject *_pc_errno_setter(PyObject *module, PyObject *args)
{
    PyObject *setter, *getter = NULL, *r, *restored, *dict, *capsule;
    int *space;
    (void)module; (void)_pc_store_errno; (void)_pc_forward; (void)_pc_forward_kw;
    (void)_pc_does_not_fit;
    (void)_pc_errno_enter; (void)_pc_errno_leave;
    if (!PyArg_ParseTuple(args, "O|O", &setter, &getter))
        return NULL;
    Py_INCREF(setter);
    Py_XSETREF(_pc_set_errno, setter);
    Py_XINCREF(getter);
    Py_XSETREF(_pc_get_errno, getter);
    if (_pc_sentinel_key == NULL &&
            (_pc_sentinel_key = PyUnicode_FromFormat("purecffi.errno.%p",
                                                     (void *)&_pc_sentinel_key)) == NULL)
        return NULL;
    Py_CLEAR(_pc_errno_key);
    r = PyObject_CallFunction(setter, "i", 12345);   /* the old value */
    if (r == NULL)
        return NULL;
    _pc_errno_key = PyUnicode_InternFromString("ctypes.error_object");
    dict = PyThreadState_GetDict();
    space = _pc_errno_key != NULL && dict != NULL ? _pc_errno_lookup(dict, &capsule) : NULL;
    if (space == NULL || space[0] != 12345)
        Py_CLEAR(_pc_errno_key);
    restored = PyObject_CallFunctionObjArgs(setter, r, NULL);
    Py_DECREF(r);
    if (restored == NULL)
        return NULL;
    Py_DECREF(restored);
    Py_RETURN_NONE;
}
""".strip("\n").split("\n") + [""]
