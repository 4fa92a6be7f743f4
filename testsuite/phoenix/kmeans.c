// het: args small
// Phoenix "kmeans", serial: Lloyd's algorithm on integer points in a 1000^D grid,
// generated from a seed around hidden centres, starting from K evenly spaced input
// points and iterating until no point changes cluster. Means and distances are
// doubles. Checks: the objective never increases (relative 1e-12), the final means
// equal a per-cluster recomputation, and the final assignment is a fixed point:
// with exact integer arithmetic (distance * n^2 as 128-bit integers) no other centre is
// closer than the assigned one by more than 1e-9 relative.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phoenix_common.h"

struct size { const char *name; int n, k; };
static const struct size SIZES[] = {
    {"small", 20000, 10},
    {"medium", 400000, 24},
    {"large", 1000000, 32},
};
enum { D = 3, GRID = 1000, MAX_ITER = 500 };

static uint64_t rng_state = 0x6b6d65616e73ULL;
static uint64_t rng(void) { return splitmix64(&rng_state); }
static int uniform(int lo, int hi) { return lo + (int)(rng() % (uint64_t)(hi - lo + 1)); }

static int n, k;
static int32_t *pts;     /* n * D */
static double *means;    /* k * D */
static int *assign;      /* n */
static int64_t *sums;    /* k * D */
static int64_t *counts;  /* k */

static void generate(void) {
    int centre[64][D];
    for (int c = 0; c < k; c++)
        for (int d = 0; d < D; d++) centre[c][d] = uniform(80, GRID - 80);
    for (int i = 0; i < n; i++) {
        int c = uniform(0, k - 1);
        for (int d = 0; d < D; d++) {
            int v = centre[c][d] + uniform(-45, 45) + uniform(-45, 45) + uniform(-45, 45);
            pts[(size_t)i * D + d] = v < 0 ? 0 : v >= GRID ? GRID - 1 : v;
        }
    }
}

static double dist2(const int32_t *p, const double *m) {
    double s = 0;
    for (int d = 0; d < D; d++) {
        double diff = (double)p[d] - m[d];
        double sq = diff * diff;
        s += sq;
    }
    return s;
}

/* Assignment step; returns how many points changed, and the objective. */
static long assign_points(double *objective) {
    long changed = 0;
    double obj = 0;
    for (int i = 0; i < n; i++) {
        const int32_t *p = pts + (size_t)i * D;
        int best = 0;
        double bd = dist2(p, means);
        for (int c = 1; c < k; c++) {
            double dc = dist2(p, means + (size_t)c * D);
            if (dc < bd) { bd = dc; best = c; }
        }
        if (assign[i] != best) { assign[i] = best; changed++; }
        obj += bd;
    }
    *objective = obj;
    return changed;
}

/* Update step: exact integer sums, one division per coordinate; empty clusters keep
 * their mean. */
static void update_means(void) {
    memset(sums, 0, sizeof(int64_t) * (size_t)k * D);
    memset(counts, 0, sizeof(int64_t) * (size_t)k);
    for (int i = 0; i < n; i++) {
        int c = assign[i];
        counts[c]++;
        for (int d = 0; d < D; d++) sums[(size_t)c * D + d] += pts[(size_t)i * D + d];
    }
    for (int c = 0; c < k; c++)
        if (counts[c])
            for (int d = 0; d < D; d++) means[(size_t)c * D + d] = (double)sums[(size_t)c * D + d] / (double)counts[c];
}

static int verify(void) {
    int ok = 1;
    /* Means: recompute cluster by cluster. */
    long empty = 0;
    int64_t *cs = malloc(sizeof(int64_t) * (size_t)k * (D + 1));
    for (int c = 0; c < k; c++) {
        int64_t cnt = 0, s[D] = {0};
        for (int i = 0; i < n; i++)
            if (assign[i] == c) {
                cnt++;
                for (int d = 0; d < D; d++) s[d] += pts[(size_t)i * D + d];
            }
        cs[(size_t)c * (D + 1)] = cnt;
        for (int d = 0; d < D; d++) cs[(size_t)c * (D + 1) + 1 + d] = s[d];
        if (!cnt) { empty++; continue; }
        for (int d = 0; d < D; d++)
            if ((double)s[d] / (double)cnt != means[(size_t)c * D + d]) {
                if (ok) printf("cluster %d: mean[%d] is not the centroid\n", c, d);
                ok = 0;
            }
    }
    if (empty) printf("%ld empty clusters (not checked)\n", empty);
    /* Fixed point, exactly: dist(p, S/cnt) * cnt^2 = sum_d (p_d cnt - S_d)^2. */
    long bad = 0;
    for (int i = 0; i < n; i++) {
        const int32_t *p = pts + (size_t)i * D;
        int a = assign[i];
        const int64_t *ca = cs + (size_t)a * (D + 1);
        __int128 xa = 0, na = ca[0];
        for (int d = 0; d < D; d++) {
            __int128 t = (__int128)p[d] * na - ca[1 + d];
            xa += t * t;
        }
        for (int c = 0; c < k; c++) {
            const int64_t *cc = cs + (size_t)c * (D + 1);
            if (c == a || cc[0] == 0) continue;
            __int128 xc = 0, nc = cc[0];
            for (int d = 0; d < D; d++) {
                __int128 t = (__int128)p[d] * nc - cc[1 + d];
                xc += t * t;
            }
            /* xa/na^2 <= xc/nc^2 (1 + 2^-30) */
            __int128 lhs = xa * nc * nc, rhs = xc * na * na;
            if (lhs > rhs && lhs - rhs > (rhs >> 30)) {
                if (!bad) printf("point %d: cluster %d is closer than its cluster %d\n", i, c, a);
                bad++;
            }
        }
    }
    if (bad) { printf("%ld points not at a fixed point\n", bad); ok = 0; }
    free(cs);
    return ok;
}

int main(int argc, char **argv) {
    const struct size *sz = &SIZES[size_index(argc, argv)];
    n = sz->n;
    k = sz->k;
    pts = malloc(sizeof(int32_t) * (size_t)n * D);
    means = malloc(sizeof(double) * (size_t)k * D);
    assign = malloc(sizeof(int) * (size_t)n);
    sums = malloc(sizeof(int64_t) * (size_t)k * D);
    counts = malloc(sizeof(int64_t) * (size_t)k);
    if (!pts || !means || !assign || !sums || !counts) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    generate();
    for (int c = 0; c < k; c++)
        for (int d = 0; d < D; d++) means[(size_t)c * D + d] = pts[(size_t)((int64_t)c * n / k) * D + d];
    for (int i = 0; i < n; i++) assign[i] = -1;

    int ok = 1, iter = 0;
    double prev = 0, obj = 0;
    for (;;) {
        long changed = assign_points(&obj);
        if (iter > 0 && obj > prev && obj - prev > prev * 1e-12) {
            printf("objective increased at iteration %d: %.6f -> %.6f\n", iter, prev, obj);
            ok = 0;
        }
        prev = obj;
        iter++;
        if (!changed) break;
        if (iter == MAX_ITER) {
            printf("no convergence after %d iterations\n", iter);
            ok = 0;
            break;
        }
        update_means();
    }

    printf("kmeans %s: %d points, %d dimensions, %d clusters\n", sz->name, n, D, k);
    printf("converged after %d assignment passes, objective %.4f\n", iter, obj);
    uint64_t h = 14695981039346656037ULL;
    for (int i = 0; i < n; i++) h = (h ^ (uint64_t)assign[i]) * 1099511628211ULL;
    printf("assignment fnv %016llx\n", (unsigned long long)h);
    for (int c = 0; c < k; c++) {
        if (c < 8 || c == k - 1)
            printf("cluster %2d: %7lld points, mean (%.4f, %.4f, %.4f)\n", c, (long long)counts[c],
                   means[(size_t)c * D], means[(size_t)c * D + 1], means[(size_t)c * D + 2]);
    }
    ok &= verify();
    printf(ok ? "VERIFIED\n" : "VERIFICATION FAILED\n");
    return ok ? 0 : 1;
}
