// long double is IEEE binary128 on every ISA: arithmetic, conversions, the *l math
// functions, strtold/sscanf, printf's %Lf %Le %Lg %La, long double through variadic
// functions (the program's and libc's v-functions), _Float128/__float128 and __int128.
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __hetcc__
typedef _Float128 binary128;
typedef __float128 binary128_gcc;
#else
typedef long double binary128;
typedef long double binary128_gcc;
#endif

struct sample {
    int tag;
    long double value;
    char name[7];
};

static long double mean(const long double *xs, int n) {
    long double sum = 0;
    for (int i = 0; i < n; i++) {
        sum += xs[i];
    }
    return sum / n;
}

// A variadic function of the program's own that reads long doubles among other types.
static long double weighted(int count, ...) {
    va_list ap;
    va_start(ap, count);
    long double total = 0;
    for (int i = 0; i < count; i++) {
        int weight = va_arg(ap, int);
        long double x = va_arg(ap, long double);
        double d = va_arg(ap, double);
        long double t = weight * x;
        total += t;
        total += d;
    }
    va_end(ap);
    return total;
}

// A va_list holding long doubles forwarded to libc.
static void report(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

static int by_value(const void *a, const void *b) {
    long double x = ((const struct sample *)a)->value, y = ((const struct sample *)b)->value;
    return (x > y) - (x < y);
}

static void print_u128(unsigned __int128 v) {
    char digits[48];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    while (n) {
        putchar(digits[--n]);
    }
}

static void math_table(void) {
    static const long double inputs[] = {0.5L, 1.0L, 2.25L, 10.0L, 1e-30L, 123456.789L};
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        long double x = inputs[i];
        printf("x=%Lg sqrt=%.33Le exp=%.30Le log=%.30Le\n", x, sqrtl(x), expl(x > 100 ? 1 : x), logl(x));
        printf("  sin=%.30Le cos=%.30Le atan=%.30Le cbrt=%.30Le\n", sinl(x), cosl(x), atanl(x), cbrtl(x));
        printf("  pow=%.30Le tanh=%.30Le hypot=%.30Le fmod=%.30Le\n", powl(x, 1.5L), tanhl(x), hypotl(x, 3),
               fmodl(x * 7, 3));
        printf("  floor=%Lf ceil=%Lf round=%Lf trunc=%Lf rint=%Lf lrint=%ld\n", floorl(x * 3), ceill(x * 3),
               roundl(x * 3), truncl(x * 3), rintl(x * 3), lrintl(x * 3));
        int e;
        long double m = frexpl(x, &e), whole;
        long double frac = modfl(x * 3, &whole);
        printf("  frexp=%La,%d ldexp=%La modf=%La,%La next=%La\n", m, e, ldexpl(m, e + 3), frac, whole,
               nextafterl(x, 100));
    }
}

static void formats(void) {
    const long double values[] = {0, -0.0L, 1, -1, 0.1L, 1.0L / 3, 2.5L, 3.5L, 1e4000L, 1.5e-4940L,
                                  LDBL_MAX, LDBL_MIN, LDBL_EPSILON, 123456789012345678901234567890.0L};
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
        long double v = values[i];
        printf("%Lf|%.0Lf|%.40Lf|%Le|%.35Le|%Lg|%.36Lg|%#Lg|%La|%.3La|%.27La|%LA\n", v, v, v, v, v, v, v, v, v, v,
               v, v);
        printf("%+20.5Le|%-20.5Lg|%020.3Lf\n", v, v, v);
    }
    long double inf = HUGE_VALL, nan = __builtin_nanl("");
    printf("%Lf %Le %Lg %La %Lf\n", inf, -inf, inf, -inf, nan);
    printf("LDBL_MANT_DIG=%d LDBL_DIG=%d LDBL_MAX_EXP=%d sizeof=%zu\n", LDBL_MANT_DIG, LDBL_DIG, LDBL_MAX_EXP,
           sizeof(long double));
}

static void parsing(void) {
    const char *texts[] = {"3.14159265358979323846264338327950288419716939937510",
                           "1e4000",
                           "-0x1.fffffffffffffffffffffffffffp+16383",
                           "6.4751751194380251109244389582276465524996e-4966",
                           "1.18973149535723176508575932662800702e+4933",
                           "0.1",
                           "   42.5xyz",
                           "nan",
                           "-inf"};
    for (unsigned i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *end;
        long double v = strtold(texts[i], &end);
        printf("strtold(%s) = %.36Lg %La rest=\"%s\"\n", texts[i], v, v, end);
    }
    long double a, b;
    double c;
    int n = sscanf("2.718281828459045235360287471352662497757 -1.5e-300 0.25", "%Lf %Le %lf", &a, &b, &c);
    printf("sscanf=%d %.36Lg %.36Lg %.17g\n", n, a, b, c);
}

int main(void) {
    long double xs[64];
    for (int i = 0; i < 64; i++) {
        long double t = (long double)i / 7;
        xs[i] = t * t;
    }
    long double m = mean(xs, 64);
    printf("mean=%.36Lg\n", m);

    // Exactness beyond double: 2^-60 survives in binary128, not in double.
    long double tiny = ldexpl(1, -60);
    long double one = 1;
    printf("1+2^-60 > 1: %d (as double: %d)\n", one + tiny > one, (double)(one + tiny) > 1.0);

    // Conversions both ways.
    unsigned long long big = 18446744073709551557ull;
    long double lb = big;
    printf("u64->ld->u64 %llu %llu\n", big, (unsigned long long)lb);
    __int128 i128 = (__int128)lb * 1000003;
    long double back = (long double)i128;
    printf("i128 ");
    print_u128((unsigned __int128)i128);
    printf(" -> %.36Lg\n", back);
    unsigned __int128 p = (unsigned __int128)0xfedcba9876543210ull * 0x123456789abcdefull;
    printf("u128 product ");
    print_u128(p);
    printf(" hi=%llx lo=%llx\n", (unsigned long long)(p >> 64), (unsigned long long)p);

    // The binary128 type names gcc and C23 use are long double under hetcc. Plain clang
    // (the reference) has neither on aarch64/riscv64, nor _Float128 on x86-64.
    binary128 f128 = 1.25L;
    binary128_gcc g128 = f128 * 3;
    printf("binary128 %Lg %Lg sizes %zu %zu\n", (long double)f128, (long double)g128, sizeof(binary128),
           sizeof(binary128_gcc));

    printf("weighted=%.36Lg\n", weighted(3, 2, 1.5L, 0.25, 3, 1e-20L, 1.0, -1, 1.0L / 3, -0.5));
    report("report %Lf %d %.20Le %s %Lg\n", 2.5L, 7, 1.0L / 7, "ok", -1e300L * 1e300L);

    struct sample samples[] = {{1, 2.5L, "two"}, {2, -1e100L, "neg"}, {3, 1.0L / 3, "third"}, {4, 0, "zero"}};
    qsort(samples, 4, sizeof samples[0], by_value);
    for (int i = 0; i < 4; i++) {
        printf("%d %s %.20Lg\n", samples[i].tag, samples[i].name, samples[i].value);
    }
    printf("sizeof(struct sample)=%zu\n", sizeof(struct sample));

    math_table();
    formats();
    parsing();

    char buf[128];
    snprintf(buf, sizeof buf, "%.30Lf", 1.0L / 3);
    printf("snprintf %s %zu\n", buf, strlen(buf));
    return 0;
}
