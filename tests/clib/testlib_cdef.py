"""cdef() declarations matching tests/clib/testlib.c (keep the two files in sync)."""

PRIM_TYPES = [
    # (suffix of tl_id_*/tl_add_*, C type)
    ("int8", "int8_t"),
    ("uint8", "uint8_t"),
    ("int16", "int16_t"),
    ("uint16", "uint16_t"),
    ("int32", "int32_t"),
    ("uint32", "uint32_t"),
    ("int64", "int64_t"),
    ("uint64", "uint64_t"),
    ("schar", "signed char"),
    ("uchar", "unsigned char"),
    ("short", "short"),
    ("ushort", "unsigned short"),
    ("int", "int"),
    ("uint", "unsigned int"),
    ("long", "long"),
    ("ulong", "unsigned long"),
    ("longlong", "long long"),
    ("ulonglong", "unsigned long long"),
    ("size_t", "size_t"),
    ("ssize_t", "ssize_t"),
    ("intptr_t", "intptr_t"),
    ("float", "float"),
    ("double", "double"),
    ("longdouble", "long double"),
]

_PRIM_DECLS = "\n".join(
    "    %s tl_id_%s(%s x);\n    %s tl_add_%s(%s a, %s b);" % (t, n, t, t, n, t, t)
    for n, t in PRIM_TYPES
)

CDEF = """
    #define TL_MAGIC 0x1234
    #define TL_NEGATIVE -17

%s

    char tl_id_char(char c);
    char tl_next_char(char c);
    _Bool tl_id_bool(_Bool b);
    _Bool tl_not_bool(_Bool b);
    wchar_t tl_id_wchar(wchar_t c);
    wchar_t tl_next_wchar(wchar_t c);
    char16_t tl_id_char16(char16_t c);
    char16_t tl_next_char16(char16_t c);
    char32_t tl_id_char32(char32_t c);
    char32_t tl_next_char32(char32_t c);
    int tl_char_code(char c);
    int tl_bool_as_int(_Bool b);
    long tl_wchar_code(wchar_t c);
    long tl_char32_code(char32_t c);

    double tl_mixed_args(int8_t a, uint16_t b, int32_t c, int64_t d,
                         float e, double f, unsigned char g, long long h);
    long tl_sum10(long a1, long a2, long a3, long a4, long a5,
                  long a6, long a7, long a8, long a9, long a10);
    double tl_sum_dbl10(double a1, double a2, double a3, double a4, double a5,
                        double a6, double a7, double a8, double a9, double a10);
    void tl_noop(void);
    int tl_return_42();

    long double tl_ld_third(void);
    int tl_ld_is_third(long double x);
    double tl_ld_to_double(long double x);
    int tl_sizeof_longdouble(void);

    void tl_divmod(int a, int b, int *quot, int *rem);
    int tl_sum_ints(const int *arr, int n);
    double tl_sum_doubles(const double *arr, size_t n);
    void tl_fill_squares(int *arr, int n);
    int *tl_find_max(int *arr, int n);
    int tl_is_null(const void *p);
    void *tl_return_null(void);
    int *tl_static_int_ptr(void);
    void tl_swap_ptrs(int **a, int **b);
    int tl_sum_matrix(int m[][3], int rows);

    size_t tl_strlen(const char *s);
    const char *tl_greeting(void);
    int tl_upper_inplace(char *s);
    int tl_write_value(char *buf, size_t size, int n);
    int tl_count_char(const char *s, char c);
    int tl_total_len(int argc, char **argv);
    size_t tl_wcslen(const wchar_t *s);
    long tl_wcs_code_sum(const wchar_t *s);
    const wchar_t *tl_wgreeting(void);
    size_t tl_c16len(const char16_t *s);
    size_t tl_c32len(const char32_t *s);
    long tl_c32_code_sum(const char32_t *s);

    struct tl_point { int x, y; };
    struct tl_big { long a, b, c, d; double e; };
    struct tl_vec3f { float x, y, z; };
    struct tl_fpair { float f; double d; };
    struct tl_rect { struct tl_point tl, br; };
    struct tl_arr { int n; short v[4]; };
    struct tl_mixed { char c; double d; short s; };
    struct tl_named { char name[12]; int len; };
    union tl_intfloat { int i; float f; };
    struct tl_bits { int a : 3; int b : 5; unsigned int c : 8; };

    struct tl_point tl_point_make(int x, int y);
    int tl_point_dot(struct tl_point p, struct tl_point q);
    struct tl_point tl_point_swap(struct tl_point p);
    void tl_point_scale(struct tl_point *p, int k);
    struct tl_big tl_big_make(long base);
    double tl_big_sum(struct tl_big b);
    long tl_big_after_ints(long i1, long i2, long i3, long i4, long i5, long i6,
                           struct tl_big b);
    struct tl_vec3f tl_vec3f_make(float x, float y, float z);
    struct tl_vec3f tl_vec3f_cross(struct tl_vec3f a, struct tl_vec3f b);
    struct tl_fpair tl_fpair_scale(struct tl_fpair p, double k);
    struct tl_rect tl_rect_make(int x0, int y0, int x1, int y1);
    int tl_rect_area(struct tl_rect r);
    struct tl_arr tl_arr_make(short start);
    int tl_arr_sum(struct tl_arr a);
    struct tl_mixed tl_mixed_make(char c, double d, short s);
    double tl_mixed_sum(struct tl_mixed m);
    struct tl_named tl_named_make(const char *name);
    int tl_union_get_int(union tl_intfloat u);
    union tl_intfloat tl_union_make(int i);
    int tl_union_ptr_get_int(union tl_intfloat *u);
    void tl_union_ptr_set_float(union tl_intfloat *u, float f);
    int tl_bits_sum(struct tl_bits b);
    int tl_bits_ptr_sum(struct tl_bits *b);
    void tl_bits_ptr_set(struct tl_bits *b, int a, int bb, unsigned c);

    enum tl_color { TL_RED, TL_GREEN = 5, TL_BLUE };
    enum tl_color tl_next_color(enum tl_color c);
    int tl_magic(void);

    int tl_set_errno(int value);
    int tl_get_errno(void);

    int tl_vsum(int count, ...);
    long long tl_vsum_ll(int count, ...);
    double tl_vsum_double(int count, ...);
    int tl_vformat(char *buf, size_t size, const char *fmt, ...);

    typedef int (*tl_intfn)(int);
    typedef int (*tl_binop)(int, int);
    int tl_apply_n(tl_intfn f, int n, int x);
    int tl_call_binop(tl_binop f, int a, int b);
    double tl_call_dd(double (*f)(double, double), double a, double b);
    float tl_call_ff(float (*f)(float), float x);
    long long tl_call_ll(long long (*f)(long long, unsigned char), long long a,
                         unsigned char b);
    int tl_call_ptr(int (*f)(int *, int), int *arr, int n);
    int tl_call_str(int (*f)(const char *), const char *s);
    int tl_call_point(int (*f)(struct tl_point), int x, int y);
    double tl_call_big(double (*f)(struct tl_big), long base);
    int tl_call_ret_point(struct tl_point (*f)(int), int v);
    double tl_call_ret_big(struct tl_big (*f)(long), long v);
    int tl_call_void(void (*f)(int *), int start);
    int tl_call_userdata(int (*f)(int, void *), void *data, int x);
    int tl_call_bool(_Bool (*f)(int), int x);
    int tl_call_char(char (*f)(char), char c);
    int tl_call_many(int (*f)(int, int, int, int, int, int, int, int), int base);
    void tl_sort_ints(int *arr, size_t n, int (*cmp)(const void *, const void *));
    void tl_register(tl_intfn f);
    int tl_invoke_registered(int x);
    tl_binop tl_get_op(char which);
    int tl_is_op_add(tl_binop f);

    extern int tl_counter;
    extern double tl_ratio;
    extern struct tl_point tl_origin;
    extern int tl_table[5];
    extern const char *tl_name;
    extern int *tl_table_ptr;
    extern tl_intfn tl_global_fn;
    extern long double tl_ld_global;
    int tl_get_counter(void);
    double tl_get_ratio(void);
    int tl_origin_sum(void);
    int tl_table_sum(void);
    int tl_table_ptr_value(void);
    int tl_call_global_fn(int x);
    int tl_bump_counter(int by);

    int tl_fputs(const char *s, FILE *f);
    int tl_fprint_int(FILE *f, int x);

    int tl_sleep_ms(int ms);
    int tl_wait_flag(volatile int *flag, int timeout_ms);
""" % _PRIM_DECLS
