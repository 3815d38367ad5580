/* tls.c: C threads calling into the Python of libplug_tls keep their Python thread state
 * (threading.local values, threading.current_thread()) from one call to the next; threads
 * that exit leave nothing alive behind them. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

extern int tls_set(int);        /* stores the value in a threading.local */
extern int tls_get(void);       /* the value stored by this thread, or -1 */
extern long tls_thread(void);   /* id(threading.current_thread()) */
extern int tls_alive(void);     /* how many values stored by tls_set() are alive */

#define N 4
#define CALLS 50
static int bad[N + 1];

static int check(int value)
{
    long thread;
    int k;
    tls_set(value);
    thread = tls_thread();
    for (k = 0; k < CALLS; k++) {
        if (tls_get() != value)
            return 1;
        if (tls_thread() != thread)
            return 2;
    }
    return 0;
}

static void *run(void *arg)
{
    long i = (long)arg;
    bad[i] = check(100 + (int)i);
    return NULL;
}

static void *short_lived(void *arg)
{
    (void)arg;
    tls_set(1);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[N];
    long i, short_lived_threads = argc > 1 ? atol(argv[1]) : 0;
    int failed = 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    bad[N] = check(7);                          /* the main thread, which starts Python */
    for (i = 0; i < N; i++)
        pthread_create(&threads[i], NULL, run, (void *)i);
    for (i = 0; i < N; i++)
        pthread_join(threads[i], NULL);
    for (i = 0; i <= N; i++)
        if (bad[i]) {
            printf("thread %ld: %s changed between calls\n", i,
                   bad[i] == 1 ? "threading.local() value" : "threading.current_thread()");
            failed = 1;
        }
    printf("alive=%d\n", tls_alive());
    for (i = 0; i < short_lived_threads; i++) {
        pthread_t t;
        pthread_create(&t, NULL, short_lived, NULL);
        pthread_join(t, NULL);
    }
    printf("alive=%d\n", tls_alive());
    printf(failed ? "FAILED\n" : "tls ok\n");
    return failed;
}
