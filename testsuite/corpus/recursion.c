// Recursion: plain, mutual, deep, and tree-shaped recursion.
#include <stdio.h>
#include <stdint.h>

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static uint64_t fib(int n) { return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2); }

static unsigned long ackermann(unsigned long m, unsigned long n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static unsigned long hanoi_moves;
static unsigned long hanoi_hash;
static void hanoi(int n, int from, int to, int via) {
    if (n == 0) return;
    hanoi(n - 1, from, via, to);
    hanoi_moves++;
    hanoi_hash = hanoi_hash * 31 + (unsigned long)(from * 3 + to);
    hanoi(n - 1, via, to, from);
}

/* Hofstadter Female and Male sequences: mutual recursion with two results. */
static int hof_m(int n);
static int hof_f(int n) { return n == 0 ? 1 : n - hof_m(hof_f(n - 1)); }
static int hof_m(int n) { return n == 0 ? 0 : n - hof_f(hof_m(n - 1)); }

/* Deep linear recursion that the optimiser cannot turn into a loop easily. */
static uint64_t deep(unsigned n, uint64_t acc) {
    if (n == 0) return acc;
    uint64_t r = deep(n - 1, acc * 6364136223846793005ULL + n);
    return r ^ (r >> 17) ^ n;
}

static int count_partitions(int n, int max) {
    if (n == 0) return 1;
    int total = 0;
    for (int k = max < n ? max : n; k >= 1; k--) total += count_partitions(n - k, k);
    return total;
}

int main(void) {
    printf("even(1001)=%d odd(1001)=%d even(5000)=%d\n", is_even(1001), is_odd(1001), is_even(5000));
    for (int i = 20; i <= 30; i += 5) printf("fib(%d)=%llu\n", i, (unsigned long long)fib(i));
    printf("ackermann(2,3)=%lu ackermann(3,5)=%lu\n", ackermann(2, 3), ackermann(3, 5));
    hanoi(16, 0, 2, 1);
    printf("hanoi(16): moves=%lu hash=%lu\n", hanoi_moves, hanoi_hash);
    printf("hofstadter F/M:");
    for (int i = 0; i < 20; i++) printf(" %d/%d", hof_f(i), hof_m(i));
    printf("\n");
    printf("deep(20000)=%llu\n", (unsigned long long)deep(20000, 1));
    printf("partitions(40)=%d\n", count_partitions(40, 40));
    return 0;
}
