// Single-precision arithmetic and libm float functions (sinf, expf, ...), float/int
// conversions, and float rounding, printed as %.9g and as raw bits.
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, sizeof u); return u; }

int main(void) {
    float acc = 0.0f;
    uint32_t h = 0;
    for (int i = 1; i <= 1000; i++) {
        float x = (float)i / 97.0f;
        float s = sinf(x), c = cosf(x), e = expf(-x), l = logf(x + 1.0f), q = sqrtf(x), p = powf(x, 1.5f);
        float t = s * c; acc += t; t = e * l; acc -= t; acc += q / (p + 1.0f);
        h = h * 16777619u ^ fbits(s) ^ fbits(c) ^ fbits(e) ^ fbits(l) ^ fbits(q) ^ fbits(p);
    }
    printf("acc=%.9g bits=%08x hash=%08x\n", (double)acc, fbits(acc), h);
    float vals[] = {1.5f, -2.5f, 0.1f, 16777217.0f, 3.4e38f, 1e-45f, -0.0f};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        printf("%.9g -> bits %08x rintf %.9g lroundf %ld (int)%lld\n", (double)vals[i], fbits(vals[i]),
               (double)rintf(vals[i]), fabsf(vals[i]) < 1e18f ? lroundf(vals[i]) : 0L,
               fabsf(vals[i]) < 1e18f ? (long long)vals[i] : 0LL);
    double d = 0.1; float f = (float)d; double back = f;
    printf("double->float->double %.17g\n", back);
    unsigned u = 4294967295u; float fu = (float)u; long long big = 9007199254740993LL; float fb = (float)big;
    printf("u32->f %.9g  i64->f %.9g  atan2f %.9g fmodf %.9g\n", (double)fu, (double)fb,
           (double)atan2f(-1.0f, -2.0f), (double)fmodf(10.5f, 3.0f));
    return 0;
}
