/* A loop with ints and doubles live across its migration point, two calls below main;
 * the request is set at iteration 700 and served at the loop latch. */
#include <stdio.h>
#include <stdlib.h>
extern volatile unsigned __het_migration_request;
static unsigned request;

struct acc { long sum; double mean; };

static __attribute__((noinline)) struct acc run(const int *data, int n, double scale) {
    long sum = 0, odd = 0;
    double mean = 0.0, m2 = 1.0;
    for (int i = 0; i < n; i++) {
        if (i == 700) __het_migration_request = request;
        sum += data[i];
        odd += data[i] & 1;
        double delta = data[i] * scale - mean;
        mean += delta / (i + 1);
        m2 += delta * 0.5;
    }
    struct acc a = { sum + odd, mean + m2 };
    return a;
}

static __attribute__((noinline)) double outer(int *data, int n, int rounds) {
    double total = 0.0;
    for (int r = 0; r < rounds; r++) {
        struct acc a = run(data, n, 1.0 / (r + 1));
        total += a.mean + (double)a.sum;
        for (int i = 0; i < n; i++) data[i] = (data[i] * 1103515245 + 12345) & 0x7fff;
    }
    return total;
}

int main(int argc, char **argv) {
    request = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
    int n = 1000;
    int *data = malloc(n * sizeof(int));
    for (int i = 0; i < n; i++) data[i] = (i * 37) % 101;
    printf("%.6f\n", outer(data, n, 3));
    free(data);
    return 0;
}
