// The program's own variadic functions called through pointers: doubles, longs,
// pointers and mixed arguments; a va_list forwarded to vfprintf; tables and struct
// members; a variadic function pointer that points to the program's function or to
// libc's fprintf depending on run-time data; a variadic callback; function pointers
// compared with each other.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static double sum_doubles(int n, ...) {
    va_list ap;
    va_start(ap, n);
    double s = 0;
    for (int i = 0; i < n; i++) {
        double v = va_arg(ap, double);
        s += v;
    }
    va_end(ap);
    return s;
}

static long sum_longs(int n, ...) {
    va_list ap;
    va_start(ap, n);
    long s = 0;
    for (int i = 0; i < n; i++)
        s = s * 31 + va_arg(ap, long);
    va_end(ap);
    return s;
}

// Mixed arguments described by a spec string, copied once (va_copy) to read them twice.
static long mixed(const char *spec, ...) {
    va_list ap, again;
    va_start(ap, spec);
    va_copy(again, ap);
    long acc = 0;
    for (const char *p = spec; *p; p++) {
        switch (*p) {
        case 'i': acc = acc * 3 + va_arg(ap, int); break;
        case 'u': acc = acc * 3 + va_arg(ap, unsigned); break;
        case 'l': acc = acc * 5 + va_arg(ap, long); break;
        case 'd': acc = acc * 7 + (long)(va_arg(ap, double) * 1000); break;
        case 's': acc = acc * 11 + (long)strlen(va_arg(ap, const char *)); break;
        case 'c': acc = acc * 13 + va_arg(ap, int); break;
        case 'p': acc = acc * 17 + *va_arg(ap, const int *); break;
        }
    }
    va_end(ap);
    long first = spec[0] == 'l' ? va_arg(again, long) : 0;
    va_end(again);
    return acc + first;
}

static int lines_written;

// Forwards its va_list to vfprintf, prefixed.
static int tagged(FILE *f, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lines_written++;
    int n = fprintf(f, "[own %d] ", lines_written);
    n += vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

typedef int (*printer)(FILE *, const char *, ...);

// Either the program's printer or libc's, by run-time data.
static printer choose(unsigned key) { return key % 3 == 0 ? fprintf : tagged; }

struct reducer {
    const char *name;
    long (*reduce)(int, ...);
    double (*reduce_d)(int, ...);
};

static long product_longs(int n, ...) {
    va_list ap;
    va_start(ap, n);
    long p = 1;
    while (n-- > 0)
        p *= va_arg(ap, long);
    va_end(ap);
    return p;
}

static double max_doubles(int n, ...) {
    va_list ap;
    va_start(ap, n);
    double m = va_arg(ap, double);
    for (int i = 1; i < n; i++) {
        double v = va_arg(ap, double);
        if (v > m)
            m = v;
    }
    va_end(ap);
    return m;
}

static const struct reducer reducers[] = {
    { "sum", sum_longs, sum_doubles },
    { "product/max", product_longs, max_doubles },
};

// A variadic callback handed to a non-variadic function.
static long apply(long (*f)(const char *, ...), int k) {
    int local = k * 4 + 1;
    return f("ildspcu", k, -7L * k, 0.125 * k, k % 2 ? "odd" : "even", &local, 'A' + k, 4000000000u);
}

int main(int argc, char **argv) {
    (void)argv;
    unsigned long check = 0;
    for (int k = 0; k < 60; k++) {
        const struct reducer *r = &reducers[(k + argc) & 1];
        long a = r->reduce(4, (long)k, 3L, -2L, (long)k * k);
        double d = r->reduce_d(3, k * 0.5, -1.25, 1e3 / (k + 1));
        long m = apply(mixed, k);
        check = check * 1000003 + (unsigned long)a + (unsigned long)(d * 64) + (unsigned long)m;
        if (k % 5 == 0)
            printf("%2d %-11s %ld %.6f %ld\n", k, r->name, a, d, m);
    }
    printf("check %lu\n", check);

    for (unsigned key = 0; key < 9; key++) {
        printer p = choose(key + (unsigned)argc - 1);
        int n = p(stdout, "key %u via %s: %d %.2f %s %ld\n", key, p == fprintf ? "libc" : "program", -(int)key,
                  key / 4.0, "str", 1L << (40 + key));
        printf("  -> %d bytes\n", n);
    }

    long (*volatile via_volatile)(const char *, ...) = mixed;
    int seven = 7;
    printf("volatile %ld\n", via_volatile("lpd", 9L, &seven, -0.5));
    printf("same function %d %d\n", (void *)reducers[0].reduce == (void *)sum_longs,
           reducers[1].reduce_d == max_doubles);
    printf("lines written by the program's printer: %d\n", lines_written);
    return 0;
}
