/* static_main.c: linked with plug_static.c (from ffi.emit_c_code()) into one program */
#include <stdio.h>

extern int start(void);
extern int triple(int);

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);   /* keep the order of C and Python output */
    printf("start=%d\n", start());
    printf("triple=%d\n", triple(14));
    return 0;
}
