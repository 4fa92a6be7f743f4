// het: args S
// NPB FT (3-D FFT PDE) kernel, serial C, written for hetcc from the problem definition in
// the NAS reports RNR-94-007 (sec. 2.2.5) and NAS-95-020.
// Usage: ft [S|W|A]   (default S). Solves the 3-D diffusion equation u_t = alpha lap u
// spectrally: forward FFT of random initial data, then for t = 1..6 a decay factor per
// wave number and an inverse FFT; prints a 1024-point checksum per step and verifies
// them; exits 1 when verification fails.
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

typedef struct {
    double re, im;
} Cplx;

/* Radix-2 FFT plan for one length: roots w^k = exp(sign * 2 pi i k / n), k < n/2. */
typedef struct {
    int n, log2n;
    Cplx *root;
} Plan;

static const double PI = 3.141592653589793238;

static Plan plan_new(int n) {
    Plan p;
    p.n = n;
    p.log2n = 0;
    while ((1 << p.log2n) < n) p.log2n++;
    p.root = xmalloc(sizeof(Cplx) * (size_t)(n / 2 > 0 ? n / 2 : 1));
    for (int k = 0; k < n / 2; k++) {
        double ang = 2.0 * PI * (double)k / (double)n;
        p.root[k].re = cos(ang);
        p.root[k].im = sin(ang);
    }
    return p;
}

/* In-place unnormalised transform of a[0..n), exponent sign -1 (forward) or +1 (inverse). */
static void fft1(const Plan *p, Cplx *a, int sign) {
    int n = p->n;
    for (int i = 1, j = 0; i < n; i++) { /* bit-reversal permutation */
        int bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j |= bit;
        if (i < j) {
            Cplx t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        int half = len / 2, step = n / len;
        for (int s = 0; s < n; s += len)
            for (int k = 0; k < half; k++) {
                Cplx w = p->root[k * step];
                double wi = sign < 0 ? -w.im : w.im;
                Cplx x = a[s + k], y = a[s + k + half];
                double t1 = w.re * y.re;
                double t2 = wi * y.im;
                double t3 = w.re * y.im;
                double t4 = wi * y.re;
                double yr = t1 - t2;
                double yi = t3 + t4;
                a[s + k].re = x.re + yr;
                a[s + k].im = x.im + yi;
                a[s + k + half].re = x.re - yr;
                a[s + k + half].im = x.im - yi;
            }
    }
}

/* 3-D transform of u[(k*ny + j)*nx + i], one dimension at a time (lines gathered into
 * a contiguous buffer). */
static void fft3(Cplx *u, int nx, int ny, int nz, const Plan *px, const Plan *py, const Plan *pz, int sign,
                 Cplx *line) {
    for (int k = 0; k < nz; k++)
        for (int j = 0; j < ny; j++) fft1(px, u + ((long)k * ny + j) * nx, sign);
    for (int k = 0; k < nz; k++)
        for (int i = 0; i < nx; i++) {
            Cplx *base = u + (long)k * ny * nx + i;
            for (int j = 0; j < ny; j++) line[j] = base[(long)j * nx];
            fft1(py, line, sign);
            for (int j = 0; j < ny; j++) base[(long)j * nx] = line[j];
        }
    long plane = (long)nx * ny;
    for (long ij = 0; ij < plane; ij++) {
        Cplx *base = u + ij;
        for (int k = 0; k < nz; k++) line[k] = base[k * plane];
        fft1(pz, line, sign);
        for (int k = 0; k < nz; k++) base[k * plane] = line[k];
    }
}

static int wrapped(int i, int n) { return i < n / 2 ? i : i - n; } /* in [-n/2, n/2) */

#define STEPS 6

int main(int argc, char **argv) {
    char cls = parse_class(argc, argv, "SWA");
    int nx, ny, nz;
    /* Checksum references, real and imaginary part per time step: NPB 3.x FT verification
     * values (ft.f "vdata_real_*"/"vdata_imag_*"); the class S numbers also appear in the
     * published NPB3.3-OMP ft.S sample output. */
    static const double ref_S[STEPS][2] = {
        {5.546087004964e+02, 4.845363331978e+02}, {5.546385409189e+02, 4.865304269511e+02},
        {5.546148406171e+02, 4.883910722336e+02}, {5.545423607415e+02, 4.901273169046e+02},
        {5.544255039624e+02, 4.917475857993e+02}, {5.542683411902e+02, 4.932597244941e+02}};
    static const double ref_W[STEPS][2] = {
        {5.673612178944e+02, 5.293246849175e+02}, {5.631436885271e+02, 5.282149986629e+02},
        {5.594024089970e+02, 5.270996558037e+02}, {5.560698047020e+02, 5.260027904925e+02},
        {5.530898991250e+02, 5.249400845633e+02}, {5.504159734538e+02, 5.239212247086e+02}};
    static const double ref_A[STEPS][2] = {
        {5.046735008193e+02, 5.114047905510e+02}, {5.059412319734e+02, 5.098809666433e+02},
        {5.069376896287e+02, 5.098144042213e+02}, {5.077892868474e+02, 5.101336130759e+02},
        {5.085233095391e+02, 5.104914655194e+02}, {5.091487099959e+02, 5.107917842803e+02}};
    const double (*ref)[2];
    switch (cls) { /* sizes: NAS-95-020 table 2 (S 64^3, W 128x128x32, A 256x256x128) */
    case 'S': nx = 64; ny = 64; nz = 64; ref = ref_S; break;
    case 'W': nx = 128; ny = 128; nz = 32; ref = ref_W; break;
    default:  nx = 256; ny = 256; nz = 128; ref = ref_A; break;
    }
    const double epsilon = 1.0e-12, alpha = 1.0e-6;
    long total = (long)nx * ny * nz;

    Cplx *u = xmalloc(sizeof(Cplx) * total);    /* spectrum, evolved in place */
    Cplx *work = xmalloc(sizeof(Cplx) * total); /* physical-space solution at step t */
    double *decay = xmalloc(sizeof(double) * total);
    int maxn = nx > ny ? nx : ny;
    if (nz > maxn) maxn = nz;
    Cplx *line = xmalloc(sizeof(Cplx) * maxn);
    Plan px = plan_new(nx), py = plan_new(ny), pz = plan_new(nz);

    /* Initial condition: complex deviates (real then imaginary), first index fastest,
     * seed 314159265, a = 5^13. */
    double seed = 314159265.0;
    const double a = 1220703125.0;
    for (long idx = 0; idx < total; idx++) {
        u[idx].re = randlc(&seed, a);
        u[idx].im = randlc(&seed, a);
    }
    fft3(u, nx, ny, nz, &px, &py, &pz, -1, line);

    /* Per-step decay exp(-4 alpha pi^2 |k|^2) with wave numbers wrapped to [-n/2, n/2). */
    double ap = -4.0 * alpha * PI * PI;
    for (int k = 0; k < nz; k++)
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++) {
                int ii = wrapped(i, nx), jj = wrapped(j, ny), kk = wrapped(k, nz);
                int k2 = ii * ii + jj * jj + kk * kk;
                decay[((long)k * ny + j) * nx + i] = exp(ap * (double)k2);
            }

    printf(" NPB FT (serial C for hetcc), class %c\n", cls);
    printf(" grid %d x %d x %d, %d time steps\n", nx, ny, nz, STEPS);
    int ok = 1;
    for (int t = 1; t <= STEPS; t++) {
        for (long idx = 0; idx < total; idx++) {
            u[idx].re *= decay[idx];
            u[idx].im *= decay[idx];
            work[idx] = u[idx];
        }
        fft3(work, nx, ny, nz, &px, &py, &pz, +1, line);
        double sr = 0.0, si = 0.0;
        for (int j = 1; j <= 1024; j++) {
            int q = j % nx, r = (3 * j) % ny, s = (5 * j) % nz;
            Cplx c = work[((long)s * ny + r) * nx + q];
            sr += c.re;
            si += c.im;
        }
        sr /= (double)total;
        si /= (double)total;
        double dr = sr - ref[t - 1][0], di = si - ref[t - 1][1];
        double err = sqrt(dr * dr + di * di) / sqrt(ref[t - 1][0] * ref[t - 1][0] + ref[t - 1][1] * ref[t - 1][1]);
        int good = err <= epsilon;
        ok &= good;
        printf(" T = %d  checksum = %22.12e %22.12e  %s\n", t, sr, si, good ? "ok" : "MISMATCH");
        if (!good)
            printf("        reference  = %22.12e %22.12e\n", ref[t - 1][0], ref[t - 1][1]);
    }
    printf(" verification: relative |checksum - reference| <= 1e-12 at every step: %s\n", ok ? "yes" : "no");
    printf(" VERIFICATION %s\n", ok ? "SUCCESSFUL" : "FAILED");
    free(u);
    free(work);
    free(decay);
    free(line);
    free(px.root);
    free(py.root);
    free(pz.root);
    return ok ? 0 : 1;
}
