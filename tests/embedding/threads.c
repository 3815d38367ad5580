/* threads.c: N threads call add() at the same time, before Python is started */
#include <pthread.h>
#include <stdio.h>
#include "plugin.h"

#define N 8
static pthread_barrier_t barrier;
static int results[N];

static void *run(void *arg)
{
    long i = (long)arg;
    int k;
    pthread_barrier_wait(&barrier);
    results[i] = add((int)i, 1000);
    for (k = 0; k < 200; k++)          /* later calls from every thread */
        if (add(k, (int)i) != k + (int)i)
            results[i] = -1;
    return NULL;
}

int main(void)
{
    pthread_t threads[N];
    long i;
    int bad = 0;
    setvbuf(stdout, NULL, _IONBF, 0);   /* keep the order of C and Python output */
    pthread_barrier_init(&barrier, NULL, N);
    for (i = 0; i < N; i++)
        pthread_create(&threads[i], NULL, run, (void *)i);
    for (i = 0; i < N; i++)
        pthread_join(threads[i], NULL);
    for (i = 0; i < N; i++)
        if (results[i] != 1000 + i) {
            printf("thread %ld got %d\n", i, results[i]);
            bad = 1;
        }
    printf(bad ? "FAILED\n" : "threads ok\n");
    return bad;
}
