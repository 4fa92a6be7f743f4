/* migration_bench's deferral workload: a qsort whose comparator runs long enough
 * (about a second natively) that a request made early is deferred the whole time
 * (musl's qsort frame is no equivalence point). It prints the sort's own duration on
 * stderr, so a run with a pending request can be compared with a plain one. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int key(int v)
{
    int k = 0;
    for (int i = 0; i < 40; i++)
        k = k * 3 + ((v >> (i & 15)) & 1);
    return k;
}

static int cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    int kx = key(x), ky = key(y);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 250000;
    int *a = malloc((size_t)n * sizeof *a);
    unsigned s = 1;
    for (int i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        a[i] = (int)(s >> 8);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    qsort(a, (size_t)n, sizeof *a, cmp);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "sort_ms %.3f\n", (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    long sum = 0;
    for (int r = 0; r < 200; r++)
        for (int i = 0; i < n; i += 97)
            sum += key(a[i]) ^ r;
    printf("%d %d %ld\n", a[0], a[n - 1], sum);
    free(a);
    return 0;
}
