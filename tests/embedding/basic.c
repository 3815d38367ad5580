/* basic.c: links with libplug_basic; calls each exported function once */
#include <stdio.h>
#include "plugin.h"

extern int myfunc(int, int);   /* written in C (spec 9.8), calls an extern "Python" function */

int main(void)
{
    point_t p = {3, -4};
    setvbuf(stdout, NULL, _IONBF, 0);   /* keep the order of C and Python output */
    printf("counter=%d\n", counter);
    printf("add=%d\n", add(2, 3));
    printf("norm1=%d\n", norm1(&p));
    printf("scale=%.2f\n", scale(1.5, 3));
    set_counter(77);
    printf("counter=%d\n", counter);
    printf("fact=%d\n", fact(6));
    printf("myfunc=%d\n", myfunc(3, 4));
    printf("add=%d\n", add(40, 2));
    return 0;
}
