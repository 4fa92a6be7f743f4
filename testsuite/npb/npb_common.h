/* Shared by the NPB kernels: the NPB pseudo-random generator as the NAS report
 * specifies it and the class argument. Each kernel includes it and stays one
 * translation unit. */
#ifndef NPB_COMMON_H
#define NPB_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- The NPB linear congruential generator, x_{k+1} = a x_k mod 2^46, evaluated in
 * double precision exactly as the report prescribes: both operands are split into 23-bit
 * halves so that every product and sum stays an exactly representable integer. ---- */
#define TWO23 8388608.0
#define TWOM23 (1.0 / 8388608.0)
#define TWO46 (TWO23 * TWO23)
#define TWOM46 (TWOM23 * TWOM23)

static double whole(double v) { return (double)(int64_t)v; } /* v >= 0: floor */

static double randlc(double *x, double a) {
    double a_hi = whole(TWOM23 * a);
    double a_lo = a - TWO23 * a_hi;
    double x_hi = whole(TWOM23 * *x);
    double x_lo = *x - TWO23 * x_hi;
    double p = a_hi * x_lo;
    double q = a_lo * x_hi;
    double mid = p + q;                           /* cross terms, < 2^47 */
    double mid_lo = mid - TWO23 * whole(TWOM23 * mid); /* mid mod 2^23 */
    double lo = a_lo * x_lo;
    double full = TWO23 * mid_lo + lo;            /* < 2^47, exact */
    *x = full - TWO46 * whole(TWOM46 * full);     /* mod 2^46 */
    return TWOM46 * *x;
}


static char parse_class(int argc, char **argv, const char *allowed) {
    char c = argc > 1 ? argv[1][0] : 'S';
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    for (const char *p = allowed; *p; p++)
        if (*p == c && (argc < 2 || argv[1][1] == '\0')) return c;
    fprintf(stderr, "usage: %s [%s]\n", argv[0], allowed);
    exit(2);
}

#endif
