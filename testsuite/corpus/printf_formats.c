// printf conversions and flags: widths, precisions, '*' arguments, length modifiers,
// %n, %c, %s, %%, %p-free; output compared byte for byte.
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>

int main(void) {
    printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d]\n", 42, 42, 42, 42, 42, 42, 7);
    printf("[%u] [%x] [%X] [%#x] [%o] [%#o] [%lx]\n", 3000000000u, 0xabcdefu, 0xabcdefu, 255u, 8u, 8u, 0xdeadbeefcafeUL);
    printf("[%hhd] [%hhu] [%hd] [%hu] [%ld] [%lld] [%llu]\n", (signed char)-3, (unsigned char)250, (short)-30000,
           (unsigned short)60000, LONG_MIN, LLONG_MAX, ULLONG_MAX);
    printf("[%zu] [%zd] [%td] [%jd] [%" PRId64 "] [%" PRIx32 "]\n", (size_t)123, (ptrdiff_t)-5, (ptrdiff_t)77,
           (intmax_t)-9, (int64_t)INT64_MIN, (uint32_t)0xfeedu);
    printf("[%f] [%.0f] [%.10f] [%10.4f] [%-10.2f] [%e] [%E] [%g] [%G] [%.3g]\n", 3.14159, 2.5, 1.0 / 3, -2.71828,
           1.5, 123456.789, 0.000123, 1e-5, 1e20, 1234567.0);
    printf("[%a] [%A] [%.2a]\n", 1.0, -0.5, 3.14159);
    printf("[%*d] [%-*d] [%.*f] [%*.*s]\n", 8, 5, 6, 7, 2, 3.14159, 10, 3, "abcdef");
    printf("[%c%c%c] [%5c] [%-5c]\n", 'a', 'b', 'c', 'x', 'y');
    printf("[%s] [%10s] [%-10s] [%.2s] [%%]\n", "str", "right", "left", "truncate");
    int n1 = 0, n2 = 0;
    printf("count%n this%n\n", &n1, &n2);
    printf("n1=%d n2=%d\n", n1, n2);
    printf("[%f] [%f] [%e] [%g]\n", 1.0 / 0.0, -1.0 / 0.0, 0.0, -0.0);
    printf("[%.20f] [%.17e]\n", 0.1, 1e-310);
    printf("[%08.3f] [%+08d] [%-+8d] [%#.0f] [%#g]\n", -1.5, 12, 12, 3.0, 2.0);
    int w = printf("%s", "");
    int w2 = printf("%d-%d\n", INT_MIN, INT_MAX);
    printf("widths %d %d\n", w, w2);
    return 0;
}
