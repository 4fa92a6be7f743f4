// het: native-differs clang contracts a*b+c into an FMA by default on aarch64 and riscv64 (x86-64 baseline has no FMA); hetcc compiles with -ffp-contract=off
// Floating-point expressions of the form a*b+c written in ONE expression, where a fused
// multiply-add rounds differently. hetcc must give x86-64's (unfused) bits everywhere.
// Every input is volatile or loop-carried: plain clang (-ffp-contract=on, as used for the
// x86-64 reference) constant-folds a*b+c of constants FUSED even on x86-64, which hetcc
// (-ffp-contract=off) rightly does not do, so constant inputs would make the test wrong.
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, sizeof u); return u; }

static __attribute__((noinline)) double axpy(double a, double x, double y) { return a * x + y; }
static __attribute__((noinline)) float axpyf(float a, float x, float y) { return a * x + y; }

int main(void) {
    volatile double a = 0.1, x = 10.0, y = -1.0;
    printf("0.1*10-1 = %.17g\n", axpy(a, x, y));
    double h = 1.0 / 3, acc = 0;
    for (int i = 0; i < 1000; i++) acc = acc * h + (double)i / 7;  /* Horner-like recurrence */
    printf("recurrence = %.17g bits=%016llx\n", acc, (unsigned long long)bits(acc));
    double poly = 0; volatile double t = 0.7071067811865476;
    const double c[] = {1.0, -0.5, 0.041666666666666664, -0.001388888888888889, 2.48015873015873e-05};
    for (int i = 4; i >= 0; i--) poly = poly * (t * t) + c[i];
    printf("poly = %.17g\n", poly);
    volatile float fa = 1.1f, fx = 3.3f, fy = -3.63f;
    printf("float 1.1*3.3-3.63 = %.9g\n", (double)axpyf(fa, fx, fy));
    double dot = 0;
    for (int i = 1; i <= 100; i++) dot = (1.0 / i) * (i + 0.1) + dot;
    printf("dot = %.17g\n", dot);
    return 0;
}
