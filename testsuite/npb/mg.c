// het: args S
// NPB MG (multigrid) kernel, serial C, written for hetcc from the problem definition in
// the NAS reports RNR-94-007 (sec. 2.2.4) and NAS-95-020.
// Usage: mg [S|W|A]   (default S). Approximates the solution of the discrete Poisson
// problem A u = v on a periodic n^3 grid with V-cycles, prints the L2 norm of the final
// residual and verifies it; exits 1 when verification fails.
#pragma STDC FP_CONTRACT OFF
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npb_common.h"


/* A grid of n^3 points stored with one ghost layer on every side: (n+2)^3 doubles,
 * first index fastest. Interior coordinates 0..n-1 are stored at 1..n. */
typedef struct {
    int n;
    long s2, s3; /* strides of the 2nd and 3rd index */
    double *d;
} Grid;

static Grid grid_new(int n) {
    Grid g;
    g.n = n;
    g.s2 = n + 2;
    g.s3 = (long)(n + 2) * (n + 2);
    g.d = calloc((size_t)g.s3 * (n + 2), sizeof(double));
    if (!g.d) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return g;
}

static long at(const Grid *g, int i1, int i2, int i3) { return i1 + g->s2 * i2 + g->s3 * i3; }

/* Periodic boundary: ghost planes copy the opposite interior planes. */
static void fill_ghosts(Grid *g) {
    int n = g->n;
    double *d = g->d;
    for (int i3 = 1; i3 <= n; i3++)
        for (int i2 = 1; i2 <= n; i2++) {
            d[at(g, 0, i2, i3)] = d[at(g, n, i2, i3)];
            d[at(g, n + 1, i2, i3)] = d[at(g, 1, i2, i3)];
        }
    for (int i3 = 1; i3 <= n; i3++)
        for (int i1 = 0; i1 <= n + 1; i1++) {
            d[at(g, i1, 0, i3)] = d[at(g, i1, n, i3)];
            d[at(g, i1, n + 1, i3)] = d[at(g, i1, 1, i3)];
        }
    for (int i2 = 0; i2 <= n + 1; i2++)
        for (int i1 = 0; i1 <= n + 1; i1++) {
            d[at(g, i1, i2, 0)] = d[at(g, i1, i2, n)];
            d[at(g, i1, i2, n + 1)] = d[at(g, i1, i2, 1)];
        }
}

/* Sums of the 6 face, 12 edge and 8 corner neighbours of the point at offset p. */
static void neighbour_sums(const double *d, long p, long s2, long s3, double *f, double *e, double *c) {
    double fs = d[p - 1] + d[p + 1];
    fs += d[p - s2];
    fs += d[p + s2];
    fs += d[p - s3];
    fs += d[p + s3];
    double es = d[p - 1 - s2] + d[p + 1 - s2];
    es += d[p - 1 + s2];
    es += d[p + 1 + s2];
    es += d[p - 1 - s3];
    es += d[p + 1 - s3];
    es += d[p - 1 + s3];
    es += d[p + 1 + s3];
    es += d[p - s2 - s3];
    es += d[p + s2 - s3];
    es += d[p - s2 + s3];
    es += d[p + s2 + s3];
    double cs = d[p - 1 - s2 - s3] + d[p + 1 - s2 - s3];
    cs += d[p - 1 + s2 - s3];
    cs += d[p + 1 + s2 - s3];
    cs += d[p - 1 - s2 + s3];
    cs += d[p + 1 - s2 + s3];
    cs += d[p - 1 + s2 + s3];
    cs += d[p + 1 + s2 + s3];
    *f = fs;
    *e = es;
    *c = cs;
}

/* Coefficients of the residual operator A and the smoother S, by neighbour class
 * (centre, face, edge, corner), as given in the report for classes S, W and A. */
static const double A_COEF[4] = {-8.0 / 3.0, 0.0, 1.0 / 6.0, 1.0 / 12.0};
static const double S_COEF[4] = {-3.0 / 8.0, 1.0 / 32.0, -1.0 / 64.0, 0.0};

/* r = v - A u (r may alias v). */
static void residual(const Grid *u, const Grid *v, Grid *r) {
    int n = u->n;
    for (int i3 = 1; i3 <= n; i3++)
        for (int i2 = 1; i2 <= n; i2++)
            for (int i1 = 1; i1 <= n; i1++) {
                long p = at(u, i1, i2, i3);
                double f, e, c;
                neighbour_sums(u->d, p, u->s2, u->s3, &f, &e, &c);
                double t0 = A_COEF[0] * u->d[p];
                double t1 = A_COEF[1] * f;
                double t2 = A_COEF[2] * e;
                double t3 = A_COEF[3] * c;
                double res = v->d[p] - t0;
                res -= t1;
                res -= t2;
                res -= t3;
                r->d[p] = res;
            }
    fill_ghosts(r);
}

/* u = u + S r. */
static void smooth(const Grid *r, Grid *u) {
    int n = u->n;
    for (int i3 = 1; i3 <= n; i3++)
        for (int i2 = 1; i2 <= n; i2++)
            for (int i1 = 1; i1 <= n; i1++) {
                long p = at(u, i1, i2, i3);
                double f, e, c;
                neighbour_sums(r->d, p, r->s2, r->s3, &f, &e, &c);
                double t0 = S_COEF[0] * r->d[p];
                double t1 = S_COEF[1] * f;
                double t2 = S_COEF[2] * e;
                double t3 = S_COEF[3] * c;
                double s = u->d[p] + t0;
                s += t1;
                s += t2;
                s += t3;
                u->d[p] = s;
            }
    fill_ghosts(u);
}

/* Coarse = P fine: full weighting (1/2, 1/4, 1/8, 1/16 for centre, faces, edges,
 * corners) around fine point 2j+1 for coarse point j (0-based). */
static void restrict_to(const Grid *fine, Grid *coarse) {
    int nc = coarse->n;
    for (int j3 = 0; j3 < nc; j3++)
        for (int j2 = 0; j2 < nc; j2++)
            for (int j1 = 0; j1 < nc; j1++) {
                long p = at(fine, 2 * j1 + 2, 2 * j2 + 2, 2 * j3 + 2);
                double f, e, c;
                neighbour_sums(fine->d, p, fine->s2, fine->s3, &f, &e, &c);
                double t0 = 0.5 * fine->d[p];
                double t1 = 0.25 * f;
                double t2 = 0.125 * e;
                double t3 = 0.0625 * c;
                double s = t0 + t1;
                s += t2;
                s += t3;
                coarse->d[at(coarse, j1 + 1, j2 + 1, j3 + 1)] = s;
            }
    fill_ghosts(coarse);
}

/* fine = fine + Q coarse: trilinear interpolation. Fine point 2j+1 coincides with coarse
 * point j; fine point 2j+2 lies halfway between coarse j and j+1 (0-based, periodic). */
static void interpolate_add(const Grid *coarse, Grid *fine) {
    int nf = fine->n;
    for (int f3 = 0; f3 < nf; f3++) {
        int a3 = f3 & 1 ? (f3 - 1) / 2 + 1 : f3 / 2, b3 = f3 & 1 ? a3 : a3 + 1;
        for (int f2 = 0; f2 < nf; f2++) {
            int a2 = f2 & 1 ? (f2 - 1) / 2 + 1 : f2 / 2, b2 = f2 & 1 ? a2 : a2 + 1;
            for (int f1 = 0; f1 < nf; f1++) {
                int a1 = f1 & 1 ? (f1 - 1) / 2 + 1 : f1 / 2, b1 = f1 & 1 ? a1 : a1 + 1;
                /* Sum over the distinct corners of the [a,b] box; weight 2^-(#halved dims). */
                double s = 0.0, w = 1.0;
                if (a1 != b1) w *= 0.5;
                if (a2 != b2) w *= 0.5;
                if (a3 != b3) w *= 0.5;
                for (int k3 = a3; k3 <= b3; k3++)
                    for (int k2 = a2; k2 <= b2; k2++)
                        for (int k1 = a1; k1 <= b1; k1++) s += coarse->d[at(coarse, k1, k2, k3)];
                double add = w * s;
                fine->d[at(fine, f1 + 1, f2 + 1, f3 + 1)] += add;
            }
        }
    }
    fill_ghosts(fine);
}

static void zero(Grid *g) { memset(g->d, 0, sizeof(double) * (size_t)g->s3 * (g->n + 2)); }

/* One V-cycle: u[top] += approximate A^{-1} r[top]; levels 1 (2^3 points) .. top. */
static void v_cycle(Grid *u, Grid *r, const Grid *v, int top) {
    for (int k = top; k > 1; k--) restrict_to(&r[k], &r[k - 1]);
    zero(&u[1]);
    smooth(&r[1], &u[1]);
    for (int k = 2; k < top; k++) {
        zero(&u[k]);
        interpolate_add(&u[k - 1], &u[k]);
        residual(&u[k], &r[k], &r[k]);
        smooth(&r[k], &u[k]);
    }
    interpolate_add(&u[top - 1], &u[top]);
    residual(&u[top], v, &r[top]);
    smooth(&r[top], &u[top]);
}

static double l2norm(const Grid *g) {
    int n = g->n;
    double s = 0.0;
    for (int i3 = 1; i3 <= n; i3++)
        for (int i2 = 1; i2 <= n; i2++)
            for (int i1 = 1; i1 <= n; i1++) {
                double x = g->d[at(g, i1, i2, i3)];
                double xx = x * x;
                s += xx;
            }
    return sqrt(s / ((double)n * n * n));
}

#define NEXT 10

/* v: zero except -1 at the 10 smallest and +1 at the 10 largest of n^3 uniform deviates
 * laid out first index fastest (seed 314159265, a = 5^13). */
static void make_rhs(Grid *v) {
    int n = v->n;
    double seed = 314159265.0;
    const double a = 1220703125.0;
    double big[NEXT], small[NEXT];
    long big_at[NEXT], small_at[NEXT];
    int nb = 0, ns = 0;
    for (int i3 = 1; i3 <= n; i3++)
        for (int i2 = 1; i2 <= n; i2++)
            for (int i1 = 1; i1 <= n; i1++) {
                double x = randlc(&seed, a);
                long p = at(v, i1, i2, i3);
                /* keep big[] descending and small[] ascending (insertion) */
                if (nb < NEXT || x > big[nb - 1]) {
                    int k = nb < NEXT ? nb++ : NEXT - 1;
                    while (k > 0 && big[k - 1] < x) {
                        big[k] = big[k - 1];
                        big_at[k] = big_at[k - 1];
                        k--;
                    }
                    big[k] = x;
                    big_at[k] = p;
                }
                if (ns < NEXT || x < small[ns - 1]) {
                    int k = ns < NEXT ? ns++ : NEXT - 1;
                    while (k > 0 && small[k - 1] > x) {
                        small[k] = small[k - 1];
                        small_at[k] = small_at[k - 1];
                        k--;
                    }
                    small[k] = x;
                    small_at[k] = p;
                }
            }
    zero(v);
    for (int k = 0; k < NEXT; k++) v->d[small_at[k]] = -1.0;
    for (int k = 0; k < NEXT; k++) v->d[big_at[k]] = 1.0;
    fill_ghosts(v);
}

int main(int argc, char **argv) {
    char cls = parse_class(argc, argv, "SWA");
    int n, nit;
    double ref;
    /* Sizes and references: NPB 3.x MG class parameters and verification values (mg.f
     * "verify_value"): S 32^3, 4 its, 0.5307707005734e-04; W 128^3, 4 its,
     * 0.6467329375339e-05; A 256^3, 4 its, 0.2433365309069e-05. */
    switch (cls) {
    case 'S': n = 32; nit = 4; ref = 0.5307707005734e-04; break;
    case 'W': n = 128; nit = 4; ref = 0.6467329375339e-05; break;
    default:  n = 256; nit = 4; ref = 0.2433365309069e-05; break;
    }
    const double epsilon = 1.0e-8;
    int top = 0;
    while ((1 << top) < n) top++;

    Grid u[32], r[32];
    for (int k = 1; k <= top; k++) {
        u[k] = grid_new(1 << k);
        r[k] = grid_new(1 << k);
    }
    Grid v = grid_new(n);
    make_rhs(&v);

    printf(" NPB MG (serial C for hetcc), class %c\n", cls);
    printf(" grid %d x %d x %d, %d V-cycles, %d levels\n", n, n, n, nit, top);
    residual(&u[top], &v, &r[top]);
    printf(" initial residual L2 norm = %20.13e\n", l2norm(&r[top]));
    for (int it = 1; it <= nit; it++) {
        v_cycle(u, r, &v, top);
        residual(&u[top], &v, &r[top]);
        printf(" after V-cycle %d: residual L2 norm = %20.13e\n", it, l2norm(&r[top]));
    }
    double norm = l2norm(&r[top]);
    double err = fabs(norm - ref) / ref;
    int ok = err <= epsilon;
    printf(" final residual L2 norm = %20.13e\n", norm);
    printf(" reference              = %20.13e  rel. error %s\n", ref, ok ? "within 1e-8" : "TOO LARGE");
    printf(" VERIFICATION %s\n", ok ? "SUCCESSFUL" : "FAILED");
    for (int k = 1; k <= top; k++) {
        free(u[k].d);
        free(r[k].d);
    }
    free(v.d);
    return ok ? 0 : 1;
}
