/* A real migration request (from `het`, not the test mode's count) that arrives while
 * qsort's comparator runs: musl's qsort frame is no equivalence point, so the runtime
 * answers "deferred" and drops the request, the program runs at full speed, and `het`
 * asks again every 10 ms; the migration happens once qsort has returned. The work after
 * the sort (~0.1 s natively) leaves the requester time to ask again. */
#include <stdio.h>
#include <stdlib.h>

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

int main(void)
{
    int n = 100000;
    int *a = malloc(n * sizeof *a);
    unsigned s = 1;
    for (int i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        a[i] = (int)(s >> 8);
    }
    qsort(a, n, sizeof *a, cmp);
    long sum = 0;
    for (int r = 0; r < 2000; r++)
        for (int i = 0; i < n; i += 97)
            sum += key(a[i]) ^ r;
    printf("%d %d %ld\n", a[0], a[n - 1], sum);
    free(a);
    return 0;
}
