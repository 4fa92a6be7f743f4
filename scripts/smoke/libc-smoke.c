/* Sysroot smoke test: stdio, printf of floats, libm, malloc and files must behave the
 * same on every ISA (output compared byte for byte by scripts/smoke.sh). Math is
 * printed with %.17g / %a so a single ulp of difference shows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("hello, world\n");
    printf("%f %.3f %e\n", 3.14159265358979, 2.5, 12345.678);

    /* volatile: keep the compiler from folding the libm calls at compile time. */
    volatile double x = 0.5, y = 1.3, z = 0.1;
    printf("%.17g\n", sin(x) * exp(y));
    printf("%.17g %.17g %.17g\n", cos(x), log(y), pow(y, z));
    printf("%a %a\n", atan2(x, y), sqrt(y));
    double acc = 0;
    for (int i = 1; i <= 1000; i++) acc += sin(i * z) * cos(i * x) + tanh(i * 0.001);
    printf("%.17g\n", acc);
    printf("%.17g\n", (double)expl((long double)y)); /* long double: x87 vs fp128/libgcc */

    size_t n = 1 << 16;
    unsigned *p = malloc(n * sizeof *p);
    if (!p) return 1;
    unsigned long sum = 0;
    for (size_t i = 0; i < n; i++) p[i] = (unsigned)(i * 2654435761u);
    for (size_t i = 0; i < n; i++) sum += p[i] >> 7;
    free(p);
    printf("sum %lu\n", sum);

    const char *path = argc > 1 ? argv[1] : "libc-smoke.tmp";
    FILE *f = fopen(path, "w");
    if (!f) { perror("fopen w"); return 1; }
    fprintf(f, "line %d %.2f\n", 42, 1.5);
    fclose(f);
    char buf[64] = {0};
    f = fopen(path, "r");
    if (!f || !fgets(buf, sizeof buf, f)) { perror("fopen r"); return 1; }
    fclose(f);
    remove(path);
    printf("read back: %s", buf);
    return strcmp(buf, "line 42 1.50\n") != 0;
}
