// het: args S
// NPB CG (conjugate gradient) kernel, serial C, written for hetcc from the problem
// definition in the NAS reports RNR-94-007 (sec. 2.2.3) and NAS-95-020.
// Usage: cg [S|W|A]   (default S). Estimates the smallest eigenvalue of a random sparse
// symmetric positive definite matrix by inverse power iteration, each inverse applied by
// 25 unpreconditioned CG steps; verifies zeta; exits 1 when verification fails.
#pragma STDC FP_CONTRACT OFF
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "npb_common.h"


static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

/* Compressed sparse rows. */
typedef struct {
    int n;
    long *start; /* n+1 */
    int *col;
    double *val;
} Csr;

/* Generator state shared by the matrix construction. */
static double g_seed;
static const double g_mult = 1220703125.0; /* 5^13 */

/* One random sparse vector: `nz` distinct positions in [0, n), each with a uniform value.
 * A value is drawn first, then a position p = floor(pow2 * r) with pow2 the smallest power
 * of two >= n; positions >= n or already taken are rejected (report's procedure). */
static int random_sparse_vector(int n, int nz, int pow2, double *v, int *pos, char *taken) {
    int cnt = 0;
    while (cnt < nz) {
        double value = randlc(&g_seed, g_mult);
        double where = randlc(&g_seed, g_mult);
        int p = (int)(pow2 * where);
        if (p >= n || taken[p]) continue;
        taken[p] = 1;
        v[cnt] = value;
        pos[cnt] = p;
        cnt++;
    }
    for (int k = 0; k < cnt; k++) taken[pos[k]] = 0;
    return cnt;
}

/* A = sum_i w_i x_i x_i^T + (rcond - shift) I, with x_i a random sparse vector whose i-th
 * element is (set to) 1/2, and w_i = rcond^{(i-1)/n} (geometric from 1 towards rcond).
 * Duplicate entries are summed in generation order. */
static Csr make_matrix(int n, int nonzer, double rcond, double shift) {
    int pow2 = 1;
    while (pow2 < n) pow2 *= 2;
    long cap = (long)n * (nonzer + 1) * (nonzer + 1) + n;
    int *tr = xmalloc(sizeof(int) * cap), *tc = xmalloc(sizeof(int) * cap);
    double *tv = xmalloc(sizeof(double) * cap);
    long nt = 0;
    double *v = xmalloc(sizeof(double) * (nonzer + 1));
    int *pos = xmalloc(sizeof(int) * (nonzer + 1));
    char *taken = calloc((size_t)n, 1);
    if (!taken) exit(2);

    double ratio = pow(rcond, 1.0 / (double)n);
    double weight = 1.0;
    for (int i = 0; i < n; i++) {
        int cnt = random_sparse_vector(n, nonzer, pow2, v, pos, taken);
        int k;
        for (k = 0; k < cnt && pos[k] != i; k++) {}
        if (k < cnt) v[k] = 0.5;
        else {
            v[cnt] = 0.5;
            pos[cnt] = i;
            cnt++;
        }
        for (int c = 0; c < cnt; c++) {
            double scale = weight * v[c];
            for (int r = 0; r < cnt; r++) {
                tr[nt] = pos[r];
                tc[nt] = pos[c];
                tv[nt] = v[r] * scale;
                nt++;
            }
        }
        weight *= ratio;
    }
    for (int i = 0; i < n; i++) {
        tr[nt] = i;
        tc[nt] = i;
        tv[nt] = rcond - shift;
        nt++;
    }
    free(v);
    free(pos);
    free(taken);

    /* Stable bucket sort of the triples by row. */
    long *rs = calloc((size_t)n + 1, sizeof(long));
    if (!rs) exit(2);
    for (long t = 0; t < nt; t++) rs[tr[t] + 1]++;
    for (int i = 0; i < n; i++) rs[i + 1] += rs[i];
    long *fill = xmalloc(sizeof(long) * n);
    for (int i = 0; i < n; i++) fill[i] = rs[i];
    int *sc = xmalloc(sizeof(int) * nt);
    double *sv = xmalloc(sizeof(double) * nt);
    for (long t = 0; t < nt; t++) {
        long d = fill[tr[t]]++;
        sc[d] = tc[t];
        sv[d] = tv[t];
    }
    free(tr);
    free(tc);
    free(tv);

    /* Per row: stable insertion sort by column, then merge duplicates in order. */
    Csr m = {n, xmalloc(sizeof(long) * (n + 1)), xmalloc(sizeof(int) * nt), xmalloc(sizeof(double) * nt)};
    long out = 0;
    m.start[0] = 0;
    for (int i = 0; i < n; i++) {
        long lo = rs[i], hi = rs[i + 1];
        for (long a = lo + 1; a < hi; a++) {
            int cc = sc[a];
            double cv = sv[a];
            long b = a;
            while (b > lo && sc[b - 1] > cc) {
                sc[b] = sc[b - 1];
                sv[b] = sv[b - 1];
                b--;
            }
            sc[b] = cc;
            sv[b] = cv;
        }
        for (long a = lo; a < hi; a++) {
            if (out > m.start[i] && m.col[out - 1] == sc[a]) m.val[out - 1] += sv[a];
            else {
                m.col[out] = sc[a];
                m.val[out] = sv[a];
                out++;
            }
        }
        m.start[i + 1] = out;
    }
    free(rs);
    free(fill);
    free(sc);
    free(sv);
    return m;
}

static void spmv(const Csr *m, const double *x, double *y) {
    for (int i = 0; i < m->n; i++) {
        double s = 0.0;
        for (long k = m->start[i]; k < m->start[i + 1]; k++) {
            double t = m->val[k] * x[m->col[k]];
            s += t;
        }
        y[i] = s;
    }
}

static double dot(int n, const double *a, const double *b) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
        double t = a[i] * b[i];
        s += t;
    }
    return s;
}

/* z ~= A^{-1} x by 25 CG steps from z = 0; returns ||x - A z||. */
static double cg_solve(const Csr *m, const double *x, double *z, double *r, double *p, double *q) {
    int n = m->n;
    for (int i = 0; i < n; i++) {
        z[i] = 0.0;
        r[i] = x[i];
        p[i] = x[i];
    }
    double rho = dot(n, r, r);
    for (int step = 0; step < 25; step++) {
        spmv(m, p, q);
        double alpha = rho / dot(n, p, q);
        for (int i = 0; i < n; i++) {
            double ap = alpha * p[i];
            z[i] += ap;
            double aq = alpha * q[i];
            r[i] -= aq;
        }
        double rho_old = rho;
        rho = dot(n, r, r);
        double beta = rho / rho_old;
        for (int i = 0; i < n; i++) {
            double bp = beta * p[i];
            p[i] = r[i] + bp;
        }
    }
    spmv(m, z, q);
    double s = 0.0;
    for (int i = 0; i < n; i++) {
        double d = x[i] - q[i];
        double dd = d * d;
        s += dd;
    }
    return sqrt(s);
}

int main(int argc, char **argv) {
    char cls = parse_class(argc, argv, "SWA");
    int n, nonzer, niter = 15;
    double shift, zeta_ref;
    /* Problem sizes: NAS-95-020 table 2 / NPB 2 CG class parameters.
     * zeta references: NPB 2/3 distribution, CG verification values (cg.f
     * "zeta_verify_value"): S 8.5971775078648, W 10.362595087124, A 17.130235054029. */
    switch (cls) {
    case 'S': n = 1400; nonzer = 7; shift = 10.0; zeta_ref = 8.5971775078648; break;
    case 'W': n = 7000; nonzer = 8; shift = 12.0; zeta_ref = 10.362595087124; break;
    default:  n = 14000; nonzer = 11; shift = 20.0; zeta_ref = 17.130235054029; break;
    }
    const double rcond = 0.1, epsilon = 1.0e-10;

    g_seed = 314159265.0;
    (void)randlc(&g_seed, g_mult); /* the first deviate initialises zeta in the report */
    Csr m = make_matrix(n, nonzer, rcond, shift);

    printf(" NPB CG (serial C for hetcc), class %c\n", cls);
    printf(" n = %d, nonzeros per random vector = %d, shift = %.1f, %d iterations\n", n, nonzer, shift, niter);
    printf(" stored nonzeros = %ld\n", m.start[n]);

    double *x = xmalloc(sizeof(double) * n), *z = xmalloc(sizeof(double) * n);
    double *r = xmalloc(sizeof(double) * n), *p = xmalloc(sizeof(double) * n), *q = xmalloc(sizeof(double) * n);
    for (int i = 0; i < n; i++) x[i] = 1.0;
    double zeta = 0.0;
    printf("   it        ||r||                 zeta\n");
    for (int it = 1; it <= niter; it++) {
        double rnorm = cg_solve(&m, x, z, r, p, q);
        double xz = dot(n, x, z);
        double zz = dot(n, z, z);
        double inv = 1.0 / sqrt(zz);
        zeta = shift + 1.0 / xz;
        for (int i = 0; i < n; i++) x[i] = inv * z[i];
        printf("  %3d   %20.13e   %20.13f\n", it, rnorm, zeta);
    }
    double err = fabs(zeta - zeta_ref) / zeta_ref;
    int ok = err <= epsilon;
    printf(" zeta           = %20.13f\n", zeta);
    printf(" reference zeta = %20.13f  rel. error %s\n", zeta_ref, ok ? "within 1e-10" : "TOO LARGE");
    printf(" VERIFICATION %s\n", ok ? "SUCCESSFUL" : "FAILED");
    return ok ? 0 : 1;
}
