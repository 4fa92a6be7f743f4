// het: args small
// Phoenix "matrix_multiply", serial: C = A B for square int matrices generated from a
// seed (entries in [-50, 50], so no sum can overflow), with a cache-blocked i-k-j
// loop. Checks: a naive i-j-k triple loop with 64-bit accumulation recomputes every
// entry for small, and for medium/large 4 whole rows, 4 whole columns and 4096 random
// entries; plus two Freivalds products C r == A (B r) over the whole matrix.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phoenix_common.h"

struct size { const char *name; int n; };
static const struct size SIZES[] = {
    {"small", 192},
    {"medium", 1024},
    {"large", 2048},
};
enum { TILE = 64, SAMPLES = 4096 };

static uint64_t rng_state = 0x6d61746d756cULL;
static uint64_t rng(void) { return splitmix64(&rng_state); }

static int n;
static int32_t *A, *B, *C;

static void multiply(void) {
    memset(C, 0, sizeof(int32_t) * (size_t)n * n);
    for (int ii = 0; ii < n; ii += TILE)
        for (int kk = 0; kk < n; kk += TILE)
            for (int jj = 0; jj < n; jj += TILE) {
                int ie = ii + TILE < n ? ii + TILE : n, ke = kk + TILE < n ? kk + TILE : n;
                int je = jj + TILE < n ? jj + TILE : n;
                for (int i = ii; i < ie; i++) {
                    int32_t *c = C + (size_t)i * n;
                    for (int k = kk; k < ke; k++) {
                        int32_t a = A[(size_t)i * n + k];
                        const int32_t *b = B + (size_t)k * n;
                        for (int j = jj; j < je; j++) c[j] += a * b[j];
                    }
                }
            }
}

static int64_t naive(int i, int j) {
    int64_t s = 0;
    for (int k = 0; k < n; k++) s += (int64_t)A[(size_t)i * n + k] * B[(size_t)k * n + j];
    return s;
}

static long mismatches;
static void check_entry(int i, int j) {
    int64_t want = naive(i, j);
    if (want != C[(size_t)i * n + j]) {
        if (!mismatches)
            printf("C[%d][%d] = %d, naive %lld\n", i, j, C[(size_t)i * n + j], (long long)want);
        mismatches++;
    }
}

/* C r == A (B r) for a random r in [-7, 7]^n, in 64-bit arithmetic. */
static int freivalds(void) {
    int64_t *r = malloc(sizeof(int64_t) * (size_t)n * 3), *br = r + n, *cr = r + 2 * n;
    for (int i = 0; i < n; i++) r[i] = (int64_t)(rng() % 15) - 7;
    for (int i = 0; i < n; i++) {
        int64_t sb = 0, sc = 0;
        for (int j = 0; j < n; j++) {
            sb += B[(size_t)i * n + j] * r[j];
            sc += C[(size_t)i * n + j] * r[j];
        }
        br[i] = sb;
        cr[i] = sc;
    }
    int ok = 1;
    for (int i = 0; i < n; i++) {
        int64_t s = 0;
        for (int k = 0; k < n; k++) s += A[(size_t)i * n + k] * br[k];
        if (s != cr[i]) {
            if (ok) printf("Freivalds: row %d: (C r) = %lld, A (B r) = %lld\n", i, (long long)cr[i], (long long)s);
            ok = 0;
        }
    }
    free(r);
    return ok;
}

int main(int argc, char **argv) {
    const struct size *sz = &SIZES[size_index(argc, argv)];
    n = sz->n;
    size_t nn = (size_t)n * n;
    A = malloc(sizeof(int32_t) * nn);
    B = malloc(sizeof(int32_t) * nn);
    C = malloc(sizeof(int32_t) * nn);
    if (!A || !B || !C) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    for (size_t i = 0; i < nn; i++) A[i] = (int32_t)(rng() % 101) - 50;
    for (size_t i = 0; i < nn; i++) B[i] = (int32_t)(rng() % 101) - 50;
    multiply();

    int64_t sum = 0, trace = 0;
    uint64_t h = 14695981039346656037ULL;
    int32_t lo = C[0], hi = C[0];
    for (size_t i = 0; i < nn; i++) {
        sum += C[i];
        h = (h ^ (uint32_t)C[i]) * 1099511628211ULL;
        if (C[i] < lo) lo = C[i];
        if (C[i] > hi) hi = C[i];
    }
    for (int i = 0; i < n; i++) trace += C[(size_t)i * n + i];
    printf("matrix_multiply %s: %dx%d int matrices\n", sz->name, n, n);
    printf("sum %lld  trace %lld  min %d  max %d  fnv %016llx\n", (long long)sum, (long long)trace, lo, hi,
           (unsigned long long)h);
    printf("corners %d %d %d %d\n", C[0], C[n - 1], C[nn - n], C[nn - 1]);

    int ok = 1;
    if (n <= 200) {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) check_entry(i, j);
    } else {
        for (int t = 0; t < 4; t++) {
            int row = t == 0 ? 0 : t == 1 ? n - 1 : (int)(rng() % (uint64_t)n);
            int col = t == 0 ? 0 : t == 1 ? n - 1 : (int)(rng() % (uint64_t)n);
            for (int j = 0; j < n; j++) check_entry(row, j);
            for (int i = 0; i < n; i++) check_entry(i, col);
        }
        for (int s = 0; s < SAMPLES; s++) {
            int i = (int)(rng() % (uint64_t)n), j = (int)(rng() % (uint64_t)n);
            check_entry(i, j);
        }
    }
    if (mismatches) {
        printf("%ld entries differ from the naive product\n", mismatches);
        ok = 0;
    }
    ok &= freivalds();
    ok &= freivalds();
    free(A); free(B); free(C);
    printf(ok ? "VERIFIED\n" : "VERIFICATION FAILED\n");
    return ok ? 0 : 1;
}
