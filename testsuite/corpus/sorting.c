// Sorting algorithms on the same pseudo-random data: insertion, shell, merge, heap,
// quick (median of three) and LSD radix sort; each result is checked and hashed.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define N 20000
static uint32_t seed = 2024;
static uint32_t rnd(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

static void insertion(int *a, int n) { for (int i = 1; i < n; i++) { int v = a[i], j = i - 1; while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; } a[j + 1] = v; } }
static void shell(int *a, int n) { for (int g = n / 2; g > 0; g /= 2) for (int i = g; i < n; i++) { int v = a[i], j = i; while (j >= g && a[j - g] > v) { a[j] = a[j - g]; j -= g; } a[j] = v; } }
static void merge_rec(int *a, int *tmp, int lo, int hi) {
    if (hi - lo < 2) return;
    int mid = lo + (hi - lo) / 2;
    merge_rec(a, tmp, lo, mid); merge_rec(a, tmp, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid && j < hi) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
    while (i < mid) tmp[k++] = a[i++];
    while (j < hi) tmp[k++] = a[j++];
    memcpy(a + lo, tmp + lo, (size_t)(hi - lo) * sizeof *a);
}
static void sift(int *a, int n, int i) { for (;;) { int l = 2 * i + 1, m = i; if (l < n && a[l] > a[m]) m = l; if (l + 1 < n && a[l + 1] > a[m]) m = l + 1; if (m == i) return; int t = a[i]; a[i] = a[m]; a[m] = t; i = m; } }
static void heap(int *a, int n) { for (int i = n / 2 - 1; i >= 0; i--) sift(a, n, i); for (int e = n - 1; e > 0; e--) { int t = a[0]; a[0] = a[e]; a[e] = t; sift(a, e, 0); } }
static void quick(int *a, int lo, int hi) {
    while (hi - lo > 16) {
        int mid = lo + (hi - lo) / 2;
        int x = a[lo], y = a[mid], z = a[hi];
        int pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        int i = lo, j = hi;
        while (i <= j) { while (a[i] < pivot) i++; while (a[j] > pivot) j--; if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; } }
        if (j - lo < hi - i) { quick(a, lo, j); lo = i; } else { quick(a, i, hi); hi = j; }
    }
    insertion(a + lo, hi - lo + 1);
}
static void radix(int *a, int n) {
    uint32_t *u = malloc(sizeof(uint32_t) * (size_t)n), *t = malloc(sizeof(uint32_t) * (size_t)n);
    for (int i = 0; i < n; i++) u[i] = (uint32_t)a[i] ^ 0x80000000u;
    for (int shift = 0; shift < 32; shift += 8) {
        size_t cnt[257] = {0};
        for (int i = 0; i < n; i++) cnt[((u[i] >> shift) & 255) + 1]++;
        for (int b = 0; b < 256; b++) cnt[b + 1] += cnt[b];
        for (int i = 0; i < n; i++) t[cnt[(u[i] >> shift) & 255]++] = u[i];
        uint32_t *s = u; u = t; t = s;
    }
    for (int i = 0; i < n; i++) a[i] = (int)(u[i] ^ 0x80000000u);
    free(u); free(t);
}
static void report(const char *name, const int *a, int n) {
    int ok = 1; uint64_t h = 0;
    for (int i = 0; i < n; i++) { if (i && a[i - 1] > a[i]) ok = 0; h = h * 1000003 + (uint32_t)a[i]; }
    printf("%-9s sorted=%d min=%d max=%d hash=%016llx\n", name, ok, a[0], a[n - 1], (unsigned long long)h);
}

int main(void) {
    static int orig[N], a[N], tmp[N];
    for (int i = 0; i < N; i++) orig[i] = (int)(rnd() % 2000001) - 1000000;
    memcpy(a, orig, sizeof a); insertion(a, 3000); report("insertion", a, 3000);
    memcpy(a, orig, sizeof a); shell(a, N); report("shell", a, N);
    memcpy(a, orig, sizeof a); merge_rec(a, tmp, 0, N); report("merge", a, N);
    memcpy(a, orig, sizeof a); heap(a, N); report("heap", a, N);
    memcpy(a, orig, sizeof a); quick(a, 0, N - 1); report("quick", a, N);
    memcpy(a, orig, sizeof a); radix(a, N); report("radix", a, N);
    return 0;
}
