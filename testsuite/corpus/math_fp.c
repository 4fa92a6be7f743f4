// libm double-precision functions, printed with %.17g so every bit shows.
// Products and sums are kept in separate statements so that no compiler may fuse
// them into an FMA (that would be a legitimate per-ISA difference).
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, sizeof u); return u; }

int main(void) {
    const double xs[] = {0.0, 0.5, 1.0, 2.0, 3.14159265358979, -1.75, 10.0, 1e-8, 123.456, -700.25};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        printf("x=%.17g sin=%.17g cos=%.17g exp=%.17g atan2=%.17g\n", x, sin(x), cos(x),
               x > -700 ? exp(x) : 0.0, atan2(x, 1.5));
        double ax = fabs(x) + 0.25;
        printf("  log=%.17g sqrt=%.17g pow=%.17g cbrt=%.17g tanh=%.17g\n", log(ax), sqrt(ax),
               pow(ax, 1.37), cbrt(x), tanh(x / 4));
    }
    printf("fma(0.1,10,-1)=%.17g  0.1*10-1 unfused=", fma(0.1, 10.0, -1.0));
    volatile double t = 0.1 * 10.0; printf("%.17g\n", t - 1.0);
    printf("fma(1+2^-30, 1-2^-30, -1)=%.17g\n", fma(1.0 + 0x1p-30, 1.0 - 0x1p-30, -1.0));
    printf("hypot=%.17g floor=%.17g ceil=%.17g round=%.17g trunc=%.17g fmod=%.17g\n",
           hypot(3e200, 4e200), floor(-2.5), ceil(-2.5), round(2.5), trunc(-7.9), fmod(100.0, 7.3));
    printf("log10=%.17g log2=%.17g expm1=%.17g log1p=%.17g asin=%.17g acos=%.17g\n",
           log10(12345.0), log2(1e-10), expm1(1e-5), log1p(1e-5), asin(0.3), acos(-0.3));
    printf("inf=%g -inf=%g nan_is_nan=%d isinf=%d signbit(-0.0)=%d\n", HUGE_VAL, -HUGE_VAL,
           isnan(NAN), isinf(1.0 / 0.0), signbit(-0.0) != 0);
    printf("ldexp=%.17g frexp=", ldexp(0.75, 100));
    int e; double m = frexp(1234.5, &e); printf("%.17g*2^%d modf=", m, e);
    double ip; double fp = modf(-3.75, &ip); printf("%.17g+%.17g\n", ip, fp);
    /* A numeric integration and a series, accumulated without contraction. */
    double integral = 0, h = 1.0 / 4096;
    for (int i = 0; i < 4096; i++) { double xm = (i + 0.5) * h; double y = sin(xm) * exp(-xm); double w = y * h; integral += w; }
    printf("integral sin(x)exp(-x) on [0,1] = %.17g\n", integral);
    double pi = 0; for (int k = 0; k < 100000; k++) { double term = (k % 2 ? -4.0 : 4.0) / (2 * k + 1); pi += term; }
    printf("leibniz pi = %.17g bits=%016llx\n", pi, (unsigned long long)bits(pi));
    uint64_t acc = 0;
    for (int i = 1; i <= 2000; i++) { double v = pow(1.0 + i / 1000.0, 0.5 + i / 3000.0); acc = acc * 31 + bits(v); acc ^= bits(log(v + i)); }
    printf("pow/log bit hash=%016llx\n", (unsigned long long)acc);
    return 0;
}
