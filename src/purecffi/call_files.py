"""`FILE *` arguments from Python file objects (7.2.1, best effort): one C stream per file."""
import ctypes
import os
import sys
import threading
import weakref

from .lazy import once

__all__ = ["file_pointer"]


class _CFiles:
    """One unbuffered C `FILE *` per Python file object, on a dup() of its descriptor.

    The Python file is flushed each time it is passed; the FILE * is unbuffered, so what C
    writes reaches the descriptor at once (in order with later Python writes) without any
    flush after the call.  The FILE * is closed when the Python file object is collected.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.by_file = weakref.WeakKeyDictionary()
        self.strong = {}            # id -> (file, address) for objects without weakref support
        libc = ctypes.CDLL(None, use_errno=True)
        self.fdopen = libc.fdopen
        self.fdopen.argtypes, self.fdopen.restype = [ctypes.c_int, ctypes.c_char_p], \
            ctypes.c_void_p
        self.setvbuf = libc.setvbuf
        self.setvbuf.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
        self.fclose = libc.fclose
        self.fclose.argtypes = [ctypes.c_void_p]

    def pointer(self, fileobj):
        """The address of the FILE * for `fileobj`."""
        fileobj.flush()
        with self.lock:
            address = self._cached(fileobj)
            if address is None:
                address = self._open(fileobj)
        return address

    def _cached(self, fileobj):
        try:
            return self.by_file.get(fileobj)
        except TypeError:
            entry = self.strong.get(id(fileobj))
            return entry[1] if entry is not None and entry[0] is fileobj else None

    def _open(self, fileobj):
        fd = os.dup(fileobj.fileno())
        address = self.fdopen(fd, _c_mode(getattr(fileobj, "mode", "r")).encode())
        if not address:
            code = ctypes.get_errno()
            os.close(fd)
            raise OSError(code, "fdopen() failed: %s" % (os.strerror(code),))
        self.setvbuf(address, None, 2, 0)           # _IONBF: unbuffered
        try:
            self.by_file[fileobj] = address
            weakref.finalize(fileobj, self.fclose, address)
        except TypeError:
            self.strong[id(fileobj)] = (fileobj, address)
        return address


def _c_mode(mode):
    """The fdopen() mode matching a Python file mode."""
    if "+" in mode:
        return "a+" if "a" in mode else "r+"
    if "w" in mode or "x" in mode:
        return "w"
    if "a" in mode:
        return "a"
    return "r"


_files = once(_CFiles)


def file_pointer(fileobj):
    """The address of a C `FILE *` writing to/reading from a Python file object."""
    return _files().pointer(fileobj)


if sys.platform == "win32":     # pragma: no cover - the FILE * support assumes POSIX fdopen()
    def file_pointer(fileobj):  # noqa: F811
        raise NotImplementedError("passing Python file objects as 'FILE *' needs POSIX")
