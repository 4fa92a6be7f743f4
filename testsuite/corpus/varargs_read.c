// Variadic functions that read their arguments with va_arg: ints, doubles, pointers,
// long long, mixed lists driven by a format string, va_copy, and many arguments
// (so some are passed on the stack).
#include <stdio.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

static long sum_ints(int n, ...) {
    va_list ap; va_start(ap, n);
    long s = 0;
    for (int i = 0; i < n; i++) s += va_arg(ap, int);
    va_end(ap);
    return s;
}
static double sum_doubles(int n, ...) {
    va_list ap; va_start(ap, n);
    double s = 0;
    for (int i = 0; i < n; i++) s += va_arg(ap, double);
    va_end(ap);
    return s;
}
static unsigned long long mix_ll(int n, ...) {
    va_list ap; va_start(ap, n);
    unsigned long long h = 0;
    for (int i = 0; i < n; i++) h = h * 1000003u ^ (unsigned long long)va_arg(ap, long long);
    va_end(ap);
    return h;
}
static size_t total_len(const char *first, ...) {
    va_list ap; va_start(ap, first);
    size_t n = 0;
    for (const char *s = first; s; s = va_arg(ap, const char *)) n += strlen(s);
    va_end(ap);
    return n;
}
/* A tiny formatter: i=int, l=long long, d=double, s=string, p=int*, c=char (promoted). */
static void mini_format(char *out, size_t cap, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    size_t used = 0;
    for (const char *f = fmt; *f && used < cap; f++) {
        int w = 0;
        switch (*f) {
        case 'i': w = snprintf(out + used, cap - used, "[i:%d]", va_arg(ap, int)); break;
        case 'l': w = snprintf(out + used, cap - used, "[l:%lld]", va_arg(ap, long long)); break;
        case 'd': w = snprintf(out + used, cap - used, "[d:%.17g]", va_arg(ap, double)); break;
        case 's': w = snprintf(out + used, cap - used, "[s:%s]", va_arg(ap, const char *)); break;
        case 'p': { int *p = va_arg(ap, int *); *p += 100; w = snprintf(out + used, cap - used, "[p:%d]", *p); break; }
        case 'c': w = snprintf(out + used, cap - used, "[c:%c]", (char)va_arg(ap, int)); break;
        default: w = snprintf(out + used, cap - used, "[?]"); break;
        }
        if (w < 0) break;
        used += (size_t)w;
    }
    va_end(ap);
}
/* va_copy: walk the same list twice. */
static double mean_and_var(int n, ...) {
    va_list ap, ap2; va_start(ap, n); va_copy(ap2, ap);
    double s = 0;
    for (int i = 0; i < n; i++) s += va_arg(ap, double);
    double mean = s / n, v = 0;
    for (int i = 0; i < n; i++) { double d = va_arg(ap2, double) - mean; double sq = d * d; v += sq; }
    va_end(ap2); va_end(ap);
    printf("mean=%.17g ", mean);
    return v / n;
}
/* Passing a va_list to a helper that consumes part of it (by pointer). */
static int take_two(va_list *ap) { int a = va_arg(*ap, int); int b = va_arg(*ap, int); return a * 10 + b; }
static int pairs(int n, ...) {
    va_list ap; va_start(ap, n);
    int s = 0;
    for (int i = 0; i < n; i++) s = s * 3 + take_two(&ap);
    va_end(ap);
    return s;
}

int main(void) {
    printf("sum_ints=%ld\n", sum_ints(12, 1, -2, 3, -4, 5, -6, 7, -8, 9, 100000, 2147483647, -2147483647 - 1));
    printf("sum_doubles=%.17g\n", sum_doubles(11, 0.1, 0.2, 0.3, 1e10, -1e10, 3.5, 2.25, 1.0 / 3, 7.0, 8.0, 9.0));
    printf("mix_ll=%llu\n", mix_ll(10, 1LL, -1LL, 0x7fffffffffffffffLL, 42LL, 1LL << 40, -(1LL << 50), 3LL, 4LL, 5LL, 6LL));
    printf("total_len=%zu\n", total_len("alpha", "beta", "", "gamma delta", "e", (const char *)0));
    char buf[512];
    int cell = 5;
    float fl = 2.5f; /* promoted to double */
    mini_format(buf, sizeof buf, "ildspcidlsd", -7, 1LL << 62, 3.14159, "hello", &cell, 'Z',
                99, fl, -5LL, "end", 1e-300);
    printf("%s cell=%d\n", buf, cell);
    double var = mean_and_var(9, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0);
    printf("var=%.17g\n", var);
    printf("pairs=%d\n", pairs(5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0));
    return 0;
}
