// Variadic functions that forward their va_list to vprintf, vsnprintf, vfprintf,
// vsscanf, plus a logging wrapper that formats twice (va_copy) to size a buffer.
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int log_line(const char *tag, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    printf("[%s] ", tag);
    int n = vprintf(fmt, ap);
    va_end(ap);
    printf(" (%d chars)\n", n);
    return n;
}
static char *xasprintf(const char *fmt, ...) {
    va_list ap, ap2; va_start(ap, fmt); va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}
static void to_stream(FILE *f, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
}
static int parse(const char *text, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    int n = vsscanf(text, fmt, ap);
    va_end(ap);
    return n;
}
/* Two levels of forwarding. */
static void inner(const char *fmt, va_list ap) { vprintf(fmt, ap); }
static void outer(const char *fmt, ...) { va_list ap; va_start(ap, fmt); inner(fmt, ap); va_end(ap); }

int main(void) {
    log_line("int", "%d %i %u %x %o", -42, 17, 4000000000u, 0xbeef, 8);
    log_line("float", "%.3f %e %g %.17g", 3.14159265, 12345.678, 0.0001, 1.0 / 7);
    log_line("mixed", "%s=%d, %c%c, %lld, %5.2f|%-6s|%+d", "x", 9, 'o', 'k', -9000000000LL, 2.5, "ab", 3);
    log_line("many", "%d %d %d %d %d %d %d %d %d %d %f %f %f %f %f %f %f %f %f %f",
             1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
    char *s = xasprintf("%s-%05d-%.2e-%s", "name", 42, 6.02214076e23, "tail");
    printf("asprintf: %s (len %zu)\n", s, strlen(s));
    free(s);
    char small[8];
    int want = snprintf(small, sizeof small, "%s", "truncated text");
    printf("truncated: '%s' want=%d\n", small, want);
    to_stream(stdout, "stream %s %d %.1f\n", "stdout", 1, 1.5);
    to_stream(stderr, "stream %s %d\n", "stderr (not compared)", 2);
    int a = 0; double d = 0; char word[16] = {0}; long long big = 0;
    int got = parse("123 4.5e2 hello 9000000000", "%d %lf %15s %lld", &a, &d, word, &big);
    printf("vsscanf got=%d a=%d d=%.17g word=%s big=%lld\n", got, a, d, word, big);
    outer("outer: %s %d %.2f %c\n", "two-level", 77, 0.125, '!');
    return 0;
}
