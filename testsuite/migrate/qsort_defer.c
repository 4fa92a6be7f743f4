/* Deferral: qsort's comparator contains a loop, so most migration points are passed
 * inside the comparator, with musl's qsort frame (no equivalence point) between it and
 * main. A migration requested there must wait until qsort has returned: the checkpoint
 * then holds main's frame only, and the output must be that of the plain run. (Kept
 * small: under qemu every point passed while a request is deferred costs ~1 ms.) */
#include <stdio.h>
#include <stdlib.h>

static int key(int v) {
    int k = 0;
    for (int i = 0; i < (v & 7) + 4; i++) k = k * 3 + ((v >> i) & 1);
    return k;
}

static int cmp(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    int kx = key(x), ky = key(y);
    if (kx != ky) return kx < ky ? -1 : 1;
    return (x > y) - (x < y);
}

int main(void) {
    enum { N = 100 };
    int *v = malloc(N * sizeof *v);
    unsigned s = 12345;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245 + 12345;
        v[i] = (int)((s >> 8) & 0xffff);
    }
    printf("filled\n");
    qsort(v, N, sizeof *v, cmp);
    printf("sorted\n");
    unsigned long h = 0;
    for (int i = 0; i < N; i++) h = h * 31 + (unsigned)v[i];
    printf("hash %lu first %d last %d\n", h, v[0], v[N - 1]);
    free(v);
    return 0;
}
