// het: args small
// Phoenix "pca", serial: the mean vector and covariance matrix of an R x C int matrix
// (R variables as rows, C observations as columns, as in Phoenix), generated from a
// seed as a few hidden factors plus noise. Main computation: one blocked pass of exact
// 64-bit row sums and row dot products over the full R x R matrix, then
// cov = (C P_ij - S_i S_j) / (C (C - 1)) with a 128-bit numerator. Checks: the matrix is
// exactly symmetric (both triangles are computed), and a two-pass double computation
// (means summed in reverse, then centred products on the upper triangle) matches within
// 1e-9 of sqrt(cov_ii cov_jj); means within 1e-12 relative.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phoenix_common.h"

struct size { const char *name; int rows, cols; };
static const struct size SIZES[] = {
    {"small", 64, 4096},
    {"medium", 256, 16384},
    {"large", 384, 32768},
};
enum { FACTORS = 4, TILE = 32, KTILE = 1024 };

static uint64_t rng_state = 0x7063615f7063ULL;
static uint64_t rng(void) { return splitmix64(&rng_state); }
static int uniform(int lo, int hi) { return lo + (int)(rng() % (uint64_t)(hi - lo + 1)); }

static int R, C;
static int32_t *X;      /* R * C */
static double *mean;    /* R */
static double *cov;     /* R * R */

static void generate(void) {
    int (*load)[FACTORS] = malloc(sizeof(int[FACTORS]) * (size_t)R);
    int *z = malloc(sizeof(int) * (size_t)FACTORS * C);
    for (int i = 0; i < R; i++)
        for (int f = 0; f < FACTORS; f++) load[i][f] = uniform(-8, 8);
    for (size_t t = 0; t < (size_t)FACTORS * C; t++) z[t] = uniform(-16, 16);
    for (int i = 0; i < R; i++) {
        int base = uniform(60, 190);
        for (int k = 0; k < C; k++) {
            int v = 0;
            for (int f = 0; f < FACTORS; f++) v += load[i][f] * z[(size_t)f * C + k];
            v = base + v / 4 + uniform(-20, 20);
            X[(size_t)i * C + k] = v < 0 ? 0 : v > 255 ? 255 : v;
        }
    }
    free(load);
    free(z);
}

static void compute(void) {
    int64_t *S = calloc((size_t)R, sizeof(int64_t));
    int64_t *P = calloc((size_t)R * R, sizeof(int64_t));
    for (int i = 0; i < R; i++)
        for (int k = 0; k < C; k++) S[i] += X[(size_t)i * C + k];
    for (int ii = 0; ii < R; ii += TILE)
        for (int jj = 0; jj < R; jj += TILE)
            for (int kk = 0; kk < C; kk += KTILE) {
                int ie = ii + TILE < R ? ii + TILE : R, je = jj + TILE < R ? jj + TILE : R;
                int ke = kk + KTILE < C ? kk + KTILE : C;
                for (int i = ii; i < ie; i++) {
                    const int32_t *xi = X + (size_t)i * C;
                    for (int j = jj; j < je; j++) {
                        const int32_t *xj = X + (size_t)j * C;
                        int64_t s = 0;
                        for (int k = kk; k < ke; k++) s += (int64_t)xi[k] * xj[k];
                        P[(size_t)i * R + j] += s;
                    }
                }
            }
    double denom = (double)C * (double)(C - 1);
    for (int i = 0; i < R; i++) {
        mean[i] = (double)S[i] / (double)C;
        for (int j = 0; j < R; j++) {
            __int128 num = (__int128)C * P[(size_t)i * R + j] - (__int128)S[i] * S[j];
            cov[(size_t)i * R + j] = (double)num / denom;
        }
    }
    free(S);
    free(P);
}

static int verify(void) {
    int ok = 1;
    long asym = 0, bad = 0;
    for (int i = 0; i < R; i++)
        for (int j = 0; j < i; j++)
            if (cov[(size_t)i * R + j] != cov[(size_t)j * R + i]) asym++;
    if (asym) {
        printf("covariance not symmetric: %ld pairs differ\n", asym);
        ok = 0;
    }
    double *m = malloc(sizeof(double) * (size_t)R);
    double *d = malloc(sizeof(double) * (size_t)R * C);
    for (int i = 0; i < R; i++) {
        double s = 0;
        for (int k = C; k-- > 0;) s += X[(size_t)i * C + k];
        m[i] = s / C;
        if (!(fabs(m[i] - mean[i]) <= 1e-12 * fabs(m[i]))) {
            if (ok) printf("mean[%d]: %.17g, two-pass %.17g\n", i, mean[i], m[i]);
            ok = 0;
        }
        for (int k = 0; k < C; k++) d[(size_t)i * C + k] = X[(size_t)i * C + k] - m[i];
    }
    for (int i = 0; i < R; i++)
        for (int j = i; j < R; j++) {
            const double *di = d + (size_t)i * C, *dj = d + (size_t)j * C;
            double s = 0;
            for (int k = 0; k < C; k++) {
                double t = di[k] * dj[k];
                s += t;
            }
            double ref = s / (C - 1);
            double got = cov[(size_t)i * R + j];
            double scale = sqrt(cov[(size_t)i * R + i] * cov[(size_t)j * R + j]);
            if (!(fabs(got - ref) <= 1e-9 * scale + 1e-12)) {
                if (!bad) printf("cov[%d][%d]: %.17g, two-pass %.17g\n", i, j, got, ref);
                bad++;
            }
        }
    if (bad) {
        printf("%ld covariance entries disagree with the two-pass computation\n", bad);
        ok = 0;
    }
    free(m);
    free(d);
    return ok;
}

int main(int argc, char **argv) {
    const struct size *sz = &SIZES[size_index(argc, argv)];
    R = sz->rows;
    C = sz->cols;
    X = malloc(sizeof(int32_t) * (size_t)R * C);
    mean = malloc(sizeof(double) * (size_t)R);
    cov = malloc(sizeof(double) * (size_t)R * R);
    if (!X || !mean || !cov) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    generate();
    compute();

    printf("pca %s: %d variables (rows) x %d observations (columns)\n", sz->name, R, C);
    uint64_t hm = 14695981039346656037ULL, hc = hm;
    double trace = 0, msum = 0;
    int bi = 0, bj = 1;
    for (int i = 0; i < R; i++) {
        uint64_t bits;
        memcpy(&bits, &mean[i], sizeof bits);
        hm = (hm ^ bits) * 1099511628211ULL;
        msum += mean[i];
        trace += cov[(size_t)i * R + i];
        for (int j = 0; j < R; j++) {
            memcpy(&bits, &cov[(size_t)i * R + j], sizeof bits);
            hc = (hc ^ bits) * 1099511628211ULL;
            if (j > i && fabs(cov[(size_t)i * R + j]) > fabs(cov[(size_t)bi * R + bj])) {
                bi = i;
                bj = j;
            }
        }
    }
    printf("mean: sum %.6f  first %.6f %.6f %.6f  last %.6f  bits-fnv %016llx\n", msum, mean[0], mean[1],
           mean[2], mean[R - 1], (unsigned long long)hm);
    printf("cov: trace %.6f  [0][0] %.6f  [0][1] %.6f  [%d][%d] %.6f  bits-fnv %016llx\n", trace, cov[0],
           cov[1], R - 1, R - 1, cov[(size_t)R * R - 1], (unsigned long long)hc);
    printf("largest off-diagonal: cov[%d][%d] = %.6f (correlation %.6f)\n", bi, bj, cov[(size_t)bi * R + bj],
           cov[(size_t)bi * R + bj] / sqrt(cov[(size_t)bi * R + bi] * cov[(size_t)bj * R + bj]));
    int ok = verify();
    printf(ok ? "VERIFIED\n" : "VERIFICATION FAILED\n");
    return ok ? 0 : 1;
}
