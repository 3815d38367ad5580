/* dlcall.c: dlcall LIBRARY FUNC A B [FUNC A B ...]
 * dlopen()s the library (RTLD_LOCAL), calls each `int FUNC(int, int)`, prints FUNC=result.
 * Each group of calls can be run in its own thread at the same time with -t. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*fn2)(int, int);
typedef struct { void *lib; const char *name; int a, b, result; } call_t;

static void *run(void *arg)
{
    call_t *c = (call_t *)arg;
    fn2 f = (fn2)dlsym(c->lib, c->name);
    if (f == NULL) {
        fprintf(stderr, "dlsym(%s): %s\n", c->name, dlerror());
        exit(2);
    }
    c->result = f(c->a, c->b);
    return NULL;
}

int main(int argc, char **argv)
{
    int i, n = 0, threaded = 0, first = 1;
    call_t calls[32];
    pthread_t threads[32];
    void *lib = NULL;
    if (argc > 1 && strcmp(argv[1], "-t") == 0) {
        threaded = 1;
        first = 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);   /* keep the order of C and Python output */
    for (i = first; i < argc; ) {
        if (strchr(argv[i], '/') != NULL) {       /* a library path */
            lib = dlopen(argv[i], RTLD_NOW | RTLD_LOCAL);
            if (lib == NULL) {
                fprintf(stderr, "dlopen: %s\n", dlerror());
                return 2;
            }
            i++;
            continue;
        }
        calls[n].lib = lib;
        calls[n].name = argv[i];
        calls[n].a = atoi(argv[i + 1]);
        calls[n].b = atoi(argv[i + 2]);
        n++;
        i += 3;
    }
    for (i = 0; i < n; i++) {
        if (threaded)
            pthread_create(&threads[i], NULL, run, &calls[i]);
        else
            run(&calls[i]);
    }
    for (i = 0; threaded && i < n; i++)
        pthread_join(threads[i], NULL);
    for (i = 0; i < n; i++)
        printf("%s=%d\n", calls[i].name, calls[i].result);
    return 0;
}
