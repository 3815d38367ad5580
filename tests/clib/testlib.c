/* A small C library used by the purecffi test-suite (in-line ABI mode).
 *
 * Every exported name starts with "tl_".  The matching cdef() declarations
 * live in tests/clib/testlib_cdef.py and must be kept in sync with this file.
 * Compiled by the `testlib_path` fixture in tests/conftest.py with
 * `gcc -shared -fPIC`.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uchar.h>
#include <wchar.h>
#include <sys/types.h>

#define TL_MAGIC 0x1234
#define TL_NEGATIVE (-17)

/* ------------------------------------------------------------------ */
/* primitive types: identity and a small computation for each          */
/* ------------------------------------------------------------------ */

#define TL_PRIM(T, NAME)                                   \
    T tl_id_##NAME(T x) { return x; }                      \
    T tl_add_##NAME(T a, T b) { return (T)(a + b); }

TL_PRIM(int8_t, int8)
TL_PRIM(uint8_t, uint8)
TL_PRIM(int16_t, int16)
TL_PRIM(uint16_t, uint16)
TL_PRIM(int32_t, int32)
TL_PRIM(uint32_t, uint32)
TL_PRIM(int64_t, int64)
TL_PRIM(uint64_t, uint64)
TL_PRIM(signed char, schar)
TL_PRIM(unsigned char, uchar)
TL_PRIM(short, short)
TL_PRIM(unsigned short, ushort)
TL_PRIM(int, int)
TL_PRIM(unsigned int, uint)
TL_PRIM(long, long)
TL_PRIM(unsigned long, ulong)
TL_PRIM(long long, longlong)
TL_PRIM(unsigned long long, ulonglong)
TL_PRIM(size_t, size_t)
TL_PRIM(ssize_t, ssize_t)
TL_PRIM(intptr_t, intptr_t)
TL_PRIM(float, float)
TL_PRIM(double, double)
TL_PRIM(long double, longdouble)

char tl_id_char(char c) { return c; }
char tl_next_char(char c) { return (char)(c + 1); }
_Bool tl_id_bool(_Bool b) { return b; }
_Bool tl_not_bool(_Bool b) { return !b; }
wchar_t tl_id_wchar(wchar_t c) { return c; }
wchar_t tl_next_wchar(wchar_t c) { return c + 1; }
char16_t tl_id_char16(char16_t c) { return c; }
char16_t tl_next_char16(char16_t c) { return (char16_t)(c + 1); }
char32_t tl_id_char32(char32_t c) { return c; }
char32_t tl_next_char32(char32_t c) { return c + 1; }

int tl_char_code(char c) { return (unsigned char)c; }
int tl_bool_as_int(_Bool b) { return b ? 1 : 0; }
long tl_wchar_code(wchar_t c) { return (long)c; }
long tl_char32_code(char32_t c) { return (long)c; }

/* many mixed arguments: checks argument marshalling order and widths */
double tl_mixed_args(int8_t a, uint16_t b, int32_t c, int64_t d,
                     float e, double f, unsigned char g, long long h)
{
    return a + b + c + (double)d + e + f + g + (double)h;
}

/* more arguments than there are argument registers on x86-64 */
long tl_sum10(long a1, long a2, long a3, long a4, long a5,
              long a6, long a7, long a8, long a9, long a10)
{
    return a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7
         + 8 * a8 + 9 * a9 + 10 * a10;
}

double tl_sum_dbl10(double a1, double a2, double a3, double a4, double a5,
                    double a6, double a7, double a8, double a9, double a10)
{
    return a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7
         + 8 * a8 + 9 * a9 + 10 * a10;
}

void tl_noop(void) { }
int tl_return_42(void) { return 42; }

/* long double precision checks */
long double tl_ld_third(void) { return 1.0L / 3.0L; }
int tl_ld_is_third(long double x) { return x == 1.0L / 3.0L; }
double tl_ld_to_double(long double x) { return (double)x; }
int tl_sizeof_longdouble(void) { return (int)sizeof(long double); }

/* ------------------------------------------------------------------ */
/* pointers and arrays                                                 */
/* ------------------------------------------------------------------ */

void tl_divmod(int a, int b, int *quot, int *rem)
{
    *quot = a / b;
    *rem = a % b;
}

int tl_sum_ints(const int *arr, int n)
{
    int i, s = 0;
    for (i = 0; i < n; i++)
        s += arr[i];
    return s;
}

double tl_sum_doubles(const double *arr, size_t n)
{
    size_t i;
    double s = 0.0;
    for (i = 0; i < n; i++)
        s += arr[i];
    return s;
}

void tl_fill_squares(int *arr, int n)
{
    int i;
    for (i = 0; i < n; i++)
        arr[i] = i * i;
}

int *tl_find_max(int *arr, int n)
{
    int i, *best = NULL;
    for (i = 0; i < n; i++)
        if (best == NULL || arr[i] > *best)
            best = &arr[i];
    return best;
}

int tl_is_null(const void *p) { return p == NULL; }
void *tl_return_null(void) { return NULL; }

static int tl_static_int = 99;
int *tl_static_int_ptr(void) { return &tl_static_int; }

void tl_swap_ptrs(int **a, int **b)
{
    int *t = *a;
    *a = *b;
    *b = t;
}

int tl_sum_matrix(int m[][3], int rows)
{
    int r, c, s = 0;
    for (r = 0; r < rows; r++)
        for (c = 0; c < 3; c++)
            s += m[r][c] * (r + 1);
    return s;
}

/* ------------------------------------------------------------------ */
/* strings                                                             */
/* ------------------------------------------------------------------ */

size_t tl_strlen(const char *s) { return strlen(s); }

const char *tl_greeting(void) { return "hello from testlib"; }

/* upper-cases the string in place, returns the number of changed chars */
int tl_upper_inplace(char *s)
{
    int n = 0;
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z') {
            *s = (char)(*s - 'a' + 'A');
            n++;
        }
    return n;
}

/* writes "value=<n>" into buf (at most size bytes, NUL-terminated) */
int tl_write_value(char *buf, size_t size, int n)
{
    return snprintf(buf, size, "value=%d", n);
}

int tl_count_char(const char *s, char c)
{
    int n = 0;
    for (; *s; s++)
        if (*s == c)
            n++;
    return n;
}

int tl_total_len(int argc, char **argv)
{
    int i, n = 0;
    for (i = 0; i < argc; i++)
        n += (int)strlen(argv[i]);
    return n;
}

size_t tl_wcslen(const wchar_t *s) { return wcslen(s); }

long tl_wcs_code_sum(const wchar_t *s)
{
    long n = 0;
    for (; *s; s++)
        n += (long)*s;
    return n;
}

const wchar_t *tl_wgreeting(void) { return L"gr\u00fc\u00dfe \u263a"; }

size_t tl_c16len(const char16_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t tl_c32len(const char32_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

long tl_c32_code_sum(const char32_t *s)
{
    long n = 0;
    for (; *s; s++)
        n += (long)*s;
    return n;
}

/* ------------------------------------------------------------------ */
/* structs and unions                                                  */
/* ------------------------------------------------------------------ */

struct tl_point { int x, y; };                    /* 8 bytes: registers */
struct tl_big { long a, b, c, d; double e; };     /* 40 bytes: memory */
struct tl_vec3f { float x, y, z; };               /* floats: SSE regs */
struct tl_fpair { float f; double d; };
struct tl_rect { struct tl_point tl, br; };       /* nested */
struct tl_arr { int n; short v[4]; };             /* struct with array */
struct tl_mixed { char c; double d; short s; };   /* padding */
struct tl_named { char name[12]; int len; };
union tl_intfloat { int i; float f; };
struct tl_bits { int a : 3; int b : 5; unsigned int c : 8; };

struct tl_point tl_point_make(int x, int y)
{
    struct tl_point p;
    p.x = x;
    p.y = y;
    return p;
}

int tl_point_dot(struct tl_point p, struct tl_point q)
{
    return p.x * q.x + p.y * q.y;
}

struct tl_point tl_point_swap(struct tl_point p)
{
    struct tl_point r;
    r.x = p.y;
    r.y = p.x;
    return r;
}

void tl_point_scale(struct tl_point *p, int k)
{
    p->x *= k;
    p->y *= k;
}

struct tl_big tl_big_make(long base)
{
    struct tl_big b;
    b.a = base;
    b.b = base * 2;
    b.c = base * 3;
    b.d = base * 4;
    b.e = base / 4.0;
    return b;
}

double tl_big_sum(struct tl_big b)
{
    return (double)(b.a + b.b + b.c + b.d) + b.e;
}

/* a big struct after six integer arguments: lands on the stack */
long tl_big_after_ints(long i1, long i2, long i3, long i4, long i5, long i6,
                       struct tl_big b)
{
    return i1 + i2 + i3 + i4 + i5 + i6 + b.a - b.d;
}

struct tl_vec3f tl_vec3f_make(float x, float y, float z)
{
    struct tl_vec3f v;
    v.x = x;
    v.y = y;
    v.z = z;
    return v;
}

struct tl_vec3f tl_vec3f_cross(struct tl_vec3f a, struct tl_vec3f b)
{
    struct tl_vec3f r;
    r.x = a.y * b.z - a.z * b.y;
    r.y = a.z * b.x - a.x * b.z;
    r.z = a.x * b.y - a.y * b.x;
    return r;
}

struct tl_fpair tl_fpair_scale(struct tl_fpair p, double k)
{
    p.f = (float)(p.f * k);
    p.d = p.d * k;
    return p;
}

struct tl_rect tl_rect_make(int x0, int y0, int x1, int y1)
{
    struct tl_rect r;
    r.tl.x = x0;
    r.tl.y = y0;
    r.br.x = x1;
    r.br.y = y1;
    return r;
}

int tl_rect_area(struct tl_rect r)
{
    return (r.br.x - r.tl.x) * (r.br.y - r.tl.y);
}

struct tl_arr tl_arr_make(short start)
{
    struct tl_arr a;
    int i;
    a.n = 4;
    for (i = 0; i < 4; i++)
        a.v[i] = (short)(start + i);
    return a;
}

int tl_arr_sum(struct tl_arr a)
{
    int i, s = 0;
    for (i = 0; i < a.n && i < 4; i++)
        s += a.v[i];
    return s;
}

struct tl_mixed tl_mixed_make(char c, double d, short s)
{
    struct tl_mixed m;
    m.c = c;
    m.d = d;
    m.s = s;
    return m;
}

double tl_mixed_sum(struct tl_mixed m)
{
    return (unsigned char)m.c + m.d + m.s;
}

struct tl_named tl_named_make(const char *name)
{
    struct tl_named n;
    memset(&n, 0, sizeof(n));
    strncpy(n.name, name, sizeof(n.name) - 1);
    n.len = (int)strlen(n.name);
    return n;
}

int tl_union_get_int(union tl_intfloat u) { return u.i; }
union tl_intfloat tl_union_make(int i)
{
    union tl_intfloat u;
    u.i = i;
    return u;
}
int tl_union_ptr_get_int(union tl_intfloat *u) { return u->i; }
void tl_union_ptr_set_float(union tl_intfloat *u, float f) { u->f = f; }

int tl_bits_sum(struct tl_bits b) { return b.a + b.b + (int)b.c; }
int tl_bits_ptr_sum(struct tl_bits *b) { return b->a + b->b + (int)b->c; }
void tl_bits_ptr_set(struct tl_bits *b, int a, int bb, unsigned c)
{
    b->a = a;
    b->b = bb;
    b->c = c;
}

/* ------------------------------------------------------------------ */
/* enums                                                               */
/* ------------------------------------------------------------------ */

enum tl_color { TL_RED, TL_GREEN = 5, TL_BLUE };

enum tl_color tl_next_color(enum tl_color c)
{
    switch (c) {
    case TL_RED: return TL_GREEN;
    case TL_GREEN: return TL_BLUE;
    default: return TL_RED;
    }
}

int tl_magic(void) { return TL_MAGIC; }

/* ------------------------------------------------------------------ */
/* errno                                                               */
/* ------------------------------------------------------------------ */

int tl_set_errno(int value)
{
    errno = value;
    return -1;
}

int tl_get_errno(void) { return errno; }

/* ------------------------------------------------------------------ */
/* variadic functions                                                  */
/* ------------------------------------------------------------------ */

int tl_vsum(int count, ...)
{
    va_list ap;
    int i, s = 0;
    va_start(ap, count);
    for (i = 0; i < count; i++)
        s += va_arg(ap, int);
    va_end(ap);
    return s;
}

long long tl_vsum_ll(int count, ...)
{
    va_list ap;
    int i;
    long long s = 0;
    va_start(ap, count);
    for (i = 0; i < count; i++)
        s += va_arg(ap, long long);
    va_end(ap);
    return s;
}

double tl_vsum_double(int count, ...)
{
    va_list ap;
    int i;
    double s = 0.0;
    va_start(ap, count);
    for (i = 0; i < count; i++)
        s += va_arg(ap, double);
    va_end(ap);
    return s;
}

int tl_vformat(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* ------------------------------------------------------------------ */
/* callbacks and function pointers                                     */
/* ------------------------------------------------------------------ */

typedef int (*tl_intfn)(int);
typedef int (*tl_binop)(int, int);

int tl_apply_n(tl_intfn f, int n, int x)
{
    int i;
    for (i = 0; i < n; i++)
        x = f(x);
    return x;
}

int tl_call_binop(tl_binop f, int a, int b) { return f(a, b); }

double tl_call_dd(double (*f)(double, double), double a, double b)
{
    return f(a, b);
}

float tl_call_ff(float (*f)(float), float x) { return f(x); }

long long tl_call_ll(long long (*f)(long long, unsigned char), long long a,
                     unsigned char b)
{
    return f(a, b);
}

int tl_call_ptr(int (*f)(int *, int), int *arr, int n) { return f(arr, n); }

int tl_call_str(int (*f)(const char *), const char *s) { return f(s); }

int tl_call_point(int (*f)(struct tl_point), int x, int y)
{
    struct tl_point p;
    p.x = x;
    p.y = y;
    return f(p);
}

double tl_call_big(double (*f)(struct tl_big), long base)
{
    return f(tl_big_make(base));
}

int tl_call_ret_point(struct tl_point (*f)(int), int v)
{
    struct tl_point p = f(v);
    return p.x * 1000 + p.y;
}

double tl_call_ret_big(struct tl_big (*f)(long), long v)
{
    return tl_big_sum(f(v));
}

int tl_call_void(void (*f)(int *), int start)
{
    int x = start;
    f(&x);
    return x;
}

int tl_call_userdata(int (*f)(int, void *), void *data, int x)
{
    return f(x, data);
}

int tl_call_bool(_Bool (*f)(int), int x) { return f(x) ? 1 : 0; }

int tl_call_char(char (*f)(char), char c) { return (unsigned char)f(c); }

int tl_call_many(int (*f)(int, int, int, int, int, int, int, int), int base)
{
    return f(base, base + 1, base + 2, base + 3, base + 4, base + 5,
             base + 6, base + 7);
}

void tl_sort_ints(int *arr, size_t n, int (*cmp)(const void *, const void *))
{
    qsort(arr, n, sizeof(int), cmp);
}

static tl_intfn tl_registered = NULL;

void tl_register(tl_intfn f) { tl_registered = f; }

int tl_invoke_registered(int x)
{
    if (tl_registered == NULL)
        return -1;
    return tl_registered(x);
}

static int tl_op_add(int a, int b) { return a + b; }
static int tl_op_sub(int a, int b) { return a - b; }
static int tl_op_mul(int a, int b) { return a * b; }

tl_binop tl_get_op(char which)
{
    switch (which) {
    case '+': return tl_op_add;
    case '-': return tl_op_sub;
    case '*': return tl_op_mul;
    default: return NULL;
    }
}

int tl_is_op_add(tl_binop f) { return f == tl_op_add; }

/* ------------------------------------------------------------------ */
/* global variables                                                    */
/* ------------------------------------------------------------------ */

int tl_counter = 7;
double tl_ratio = 2.5;
struct tl_point tl_origin = {3, 4};
int tl_table[5] = {10, 20, 30, 40, 50};
const char *tl_name = "testlib";
int *tl_table_ptr = &tl_table[2];
const int tl_const_answer = 42;
tl_intfn tl_global_fn = NULL;
long double tl_ld_global = 0.1L;

int tl_get_counter(void) { return tl_counter; }
double tl_get_ratio(void) { return tl_ratio; }
int tl_origin_sum(void) { return tl_origin.x * 10 + tl_origin.y; }
int tl_table_sum(void)
{
    int i, s = 0;
    for (i = 0; i < 5; i++)
        s += tl_table[i];
    return s;
}
int tl_table_ptr_value(void) { return *tl_table_ptr; }
int tl_call_global_fn(int x)
{
    return tl_global_fn ? tl_global_fn(x) : -1;
}
int tl_bump_counter(int by) { return tl_counter += by; }

/* ------------------------------------------------------------------ */
/* FILE *                                                              */
/* ------------------------------------------------------------------ */

int tl_fputs(const char *s, FILE *f) { return fputs(s, f); }

int tl_fprint_int(FILE *f, int x) { return fprintf(f, "<%d>", x); }

/* ------------------------------------------------------------------ */
/* a slow function, to check the GIL is released during calls          */
/* ------------------------------------------------------------------ */

int tl_sleep_ms(int ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    return ms;
}

/* busy-wait until *flag becomes non-zero (written by another thread) or
   the timeout expires; returns 1 if the flag was seen */
int tl_wait_flag(volatile int *flag, int timeout_ms)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (*flag)
            return 1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((now.tv_sec - start.tv_sec) * 1000L
            + (now.tv_nsec - start.tv_nsec) / 1000000L > timeout_ms)
            return 0;
    }
}
