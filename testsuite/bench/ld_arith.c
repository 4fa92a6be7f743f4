// long double arithmetic: a dot product, a division and a square root per element.
// x86-64 computes binary128 in software (libgcc's __multf3…) under hetcc, x87 80-bit
// under a plain glibc clang build.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 200000;
    long double acc = 0, x = 1;
    for (int i = 1; i <= n; i++) {
        long double t = x * i;
        t = t / (i + 0.5L);
        acc += t;
        x = x * 1.0000001L;
    }
    long double r = sqrtl(acc);
    printf("%.15Le\n", r);
    return 0;
}
