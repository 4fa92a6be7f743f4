// Variable-length arrays (1-D, 2-D, as parameters) and alloca, including alloca in a
// loop and VLAs whose size depends on the call depth.
#include <stdio.h>
#include <stdlib.h>
#include <alloca.h>
#include <string.h>
#include <stdint.h>

static long vla_sum(int n) {
    long a[n];
    for (int i = 0; i < n; i++) a[i] = (long)i * i - n;
    long s = 0; for (int i = 0; i < n; i++) s += a[i];
    return s;
}
static void matmul(int n, int m, int p, const double A[n][m], const double B[m][p], double C[n][p]) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < p; j++) {
            double s = 0;
            for (int k = 0; k < m; k++) { double t = A[i][k] * B[k][j]; s += t; }
            C[i][j] = s;
        }
}
static uint64_t recursive_vla(int depth) {
    if (depth == 0) return 1;
    unsigned char buf[depth * 13 + 1];
    for (int i = 0; i < depth * 13 + 1; i++) buf[i] = (unsigned char)(i ^ depth);
    uint64_t h = recursive_vla(depth - 1);
    for (int i = 0; i < depth * 13 + 1; i++) h = h * 131 + buf[i];
    return h;
}
static unsigned alloca_loop(int n) {
    unsigned total = 0;
    for (int i = 1; i <= n; i++) {
        char *p = alloca((size_t)i * 8);
        memset(p, i, (size_t)i * 8);
        for (int k = 0; k < i * 8; k++) total += (unsigned char)p[k];
    }
    return total;
}
static size_t join_alloca(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *s = alloca(la + lb + 2);
    memcpy(s, a, la); s[la] = '+'; memcpy(s + la + 1, b, lb + 1);
    printf("joined=%s\n", s);
    return la + lb + 1;
}

int main(int argc, char **argv) {
    (void)argv;
    int base = 10 + argc; /* runtime sizes */
    for (int n = base; n < 2000; n *= 3) printf("vla_sum(%d)=%ld\n", n, vla_sum(n));
    int n = base - 8, m = base - 7, p = base - 6;
    double A[n][m], B[m][p], C[n][p];
    for (int i = 0; i < n; i++) for (int k = 0; k < m; k++) A[i][k] = i + k / 4.0;
    for (int k = 0; k < m; k++) for (int j = 0; j < p; j++) B[k][j] = (k == j) ? 2.0 : 0.5;
    matmul(n, m, p, A, B, C);
    for (int i = 0; i < n; i++) { for (int j = 0; j < p; j++) printf(" %.17g", C[i][j]); printf("\n"); }
    printf("sizeof C=%zu\n", sizeof C);
    printf("recursive_vla=%llu\n", (unsigned long long)recursive_vla(40));
    printf("alloca_loop=%u\n", alloca_loop(64));
    printf("join len=%zu\n", join_alloca("left side", "right"));
    return 0;
}
