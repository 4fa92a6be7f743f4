// het: expect-error long double
// long double is 80-bit x87 on x86-64 but IEEE binary128 on aarch64 and riscv64, so
// arithmetic on it cannot give the same bits everywhere: hetcc must refuse it.
#include <stdio.h>

static long double average(long double a, long double b) { // het-error-here
    return (a + b) / 2; // het-error-here
}

int main(void) {
    long double x = average(1.0L, 2.0L); // het-error-here
    printf("%.3f\n", (double)x);
    return 0;
}
