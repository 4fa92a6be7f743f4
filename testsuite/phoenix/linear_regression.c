// het: args small
// Phoenix "linear_regression", serial: least-squares fit y = a x + b over byte points
// (x, y) stored as in Phoenix's input file (x byte, y byte, interleaved), generated
// from a seed as a noisy line. One pass of exact 64-bit sums SX, SY, SXX, SYY, SXY;
// slope, intercept and r^2 from the closed form with 128-bit numerators. Checks: the
// raw sums recomputed in double, in reverse blocked order, are exactly equal (they are
// integers below 2^53), and a two-pass centred computation (means first, then
// sum (x - mx)(y - my) etc., blocked) agrees within 1e-9 relative.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phoenix_common.h"

struct size { const char *name; size_t n; };
static const struct size SIZES[] = {
    {"small", 1u << 20},
    {"medium", 1u << 25},
    {"large", (size_t)3 << 25},
};

static uint64_t rng_state = 0x6c696e726567ULL;
static uint64_t rng(void) { return splitmix64(&rng_state); }

/* Points as bytes x0 y0 x1 y1 ...: y = 0.6 x + 40 + noise, clamped to a byte. */
static unsigned char *generate(size_t n) {
    unsigned char *p = malloc(2 * n);
    if (!p) return NULL;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rng();
        int x = (int)(r & 0xff);
        int noise = (int)((r >> 8) & 63) + (int)((r >> 16) & 63) - 63; /* triangular */
        if ((r >> 24 & 0xff) == 0) noise = (int)((r >> 32) & 0xff) - 128; /* outliers */
        int y = x * 3 / 5 + 40 + noise;
        p[2 * i] = (unsigned char)x;
        p[2 * i + 1] = (unsigned char)(y < 0 ? 0 : y > 255 ? 255 : y);
    }
    return p;
}

struct sums { int64_t n, sx, sy, sxx, syy, sxy; };

static struct sums accumulate(const unsigned char *p, size_t n) {
    struct sums s = {(int64_t)n, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        int64_t x = p[2 * i], y = p[2 * i + 1];
        s.sx += x;
        s.sy += y;
        s.sxx += x * x;
        s.syy += y * y;
        s.sxy += x * y;
    }
    return s;
}

struct fit { double slope, intercept, r2; };

static struct fit closed_form(const struct sums *s) {
    __int128 n = s->n;
    __int128 num = n * s->sxy - (__int128)s->sx * s->sy;
    __int128 den = n * s->sxx - (__int128)s->sx * s->sx;
    __int128 deny = n * s->syy - (__int128)s->sy * s->sy;
    struct fit f;
    f.slope = (double)num / (double)den;
    double t = f.slope * (double)s->sx;
    f.intercept = ((double)s->sy - t) / (double)s->n;
    double dd = (double)den * (double)deny;
    double r = (double)num / sqrt(dd);
    f.r2 = r * r;
    return f;
}

enum { BLOCK = 4096 };

/* Reference: double sums in reverse order of blocks, then the centred two-pass fit. */
static int reference(const unsigned char *p, size_t n, const struct sums *s, const struct fit *f) {
    int ok = 1;
    double raw[5] = {0, 0, 0, 0, 0};
    for (size_t end = n; end > 0;) {
        size_t start = end > BLOCK ? end - BLOCK : 0;
        double b[5] = {0, 0, 0, 0, 0};
        for (size_t i = end; i-- > start;) {
            double x = p[2 * i], y = p[2 * i + 1];
            double xx = x * x, yy = y * y, xy = x * y;
            b[0] += x; b[1] += y; b[2] += xx; b[3] += yy; b[4] += xy;
        }
        for (int j = 0; j < 5; j++) raw[j] += b[j];
        end = start;
    }
    const int64_t exact[5] = {s->sx, s->sy, s->sxx, s->syy, s->sxy};
    static const char *names[5] = {"SX", "SY", "SXX", "SYY", "SXY"};
    for (int j = 0; j < 5; j++)
        if (raw[j] != (double)exact[j]) {
            printf("%s: %lld, reverse-order recount %.1f\n", names[j], (long long)exact[j], raw[j]);
            ok = 0;
        }

    double mx = raw[0] / (double)n, my = raw[1] / (double)n;
    double cxx = 0, cyy = 0, cxy = 0;
    for (size_t start = 0; start < n; start += BLOCK) {
        size_t end = start + BLOCK < n ? start + BLOCK : n;
        double bxx = 0, byy = 0, bxy = 0;
        for (size_t i = start; i < end; i++) {
            double dx = p[2 * i] - mx, dy = p[2 * i + 1] - my;
            double txx = dx * dx, tyy = dy * dy, txy = dx * dy;
            bxx += txx; byy += tyy; bxy += txy;
        }
        cxx += bxx; cyy += byy; cxy += bxy;
    }
    double slope = cxy / cxx;
    double t = slope * mx;
    double intercept = my - t;
    double r2 = cxy / cxx * (cxy / cyy);
    const double got[3] = {f->slope, f->intercept, f->r2}, want[3] = {slope, intercept, r2};
    static const char *fn[3] = {"slope", "intercept", "r2"};
    for (int j = 0; j < 3; j++)
        if (!(fabs(got[j] - want[j]) <= 1e-9 * fabs(want[j]))) {
            printf("%s: closed form %.17g, two-pass %.17g\n", fn[j], got[j], want[j]);
            ok = 0;
        }
    return ok;
}

int main(int argc, char **argv) {
    const struct size *sz = &SIZES[size_index(argc, argv)];
    unsigned char *pts = generate(sz->n);
    if (!pts) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    struct sums s = accumulate(pts, sz->n);
    struct fit f = closed_form(&s);
    printf("linear_regression %s: %zu points (%zu bytes)\n", sz->name, sz->n, 2 * sz->n);
    printf("SX %lld  SY %lld  SXX %lld  SYY %lld  SXY %lld\n", (long long)s.sx, (long long)s.sy,
           (long long)s.sxx, (long long)s.syy, (long long)s.sxy);
    printf("slope %.9f  intercept %.9f  r2 %.9f\n", f.slope, f.intercept, f.r2);
    int ok = reference(pts, sz->n, &s, &f);
    free(pts);
    printf(ok ? "VERIFIED\n" : "VERIFICATION FAILED\n");
    return ok ? 0 : 1;
}
