/* plugin.h: the API of the test library "plug_basic" (tests/test_embedding.py) */
typedef struct { int x, y; } point_t;

#ifndef CFFI_DLLEXPORT
#  define CFFI_DLLEXPORT extern
#endif
CFFI_DLLEXPORT int add(int, int);
CFFI_DLLEXPORT int norm1(point_t *);
CFFI_DLLEXPORT double scale(double, int);
CFFI_DLLEXPORT void set_counter(int);
CFFI_DLLEXPORT int fact(int);
CFFI_DLLEXPORT int counter;
