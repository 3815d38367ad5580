"""`once(factory)`: a module-level object made on first use, thread-safely; `BUILD_LOCK`."""
import threading

# The lock of type runtime builds (convert.prepare()), also taken when a struct's completion
# drops the runtimes built for it, so that no build in progress publishes a stale one.
BUILD_LOCK = threading.RLock()


def once(factory):
    """A function returning `factory()`, called the first time only (even from several threads).

    For objects that cost something to make (a loaded C library, libffi's entry points) and
    that an import of purecffi should not pay for until they are used.
    """
    made = []
    lock = threading.Lock()

    def get():
        if not made:
            with lock:
                if not made:
                    made.append(factory())
        return made[0]
    return get
