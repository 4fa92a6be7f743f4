/* Values in callee-saved registers and spill slots: `mix` keeps twelve integers and
 * eight doubles live across a loop whose body calls a function that is not inlined, so
 * every one of them must survive the call (callee-saved registers first, spill slots
 * for the rest), and prints them all after the loop. Migration points: the latches of
 * `mix`'s loop and of `step`'s inner loop. */
#include <stdio.h>

__attribute__((noinline)) static long step(long x, int i) {
    long r = x;
    for (int j = 0; j < (i & 3) + 1; j++) r = r * 6364136223846793005L + 1442695040888963407L;
    return r >> 7;
}

__attribute__((noinline)) static void mix(int n, long seed) {
    long a0 = seed, a1 = seed ^ 1, a2 = seed + 2, a3 = seed * 3, a4 = seed - 4, a5 = seed ^ 0x55;
    long a6 = seed + 66, a7 = seed * 7, a8 = seed ^ 0x888, a9 = seed + 999, a10 = seed * 11, a11 = seed - 12;
    double d0 = seed * 0.5, d1 = 1.25, d2 = -2.5, d3 = seed / 3.0, d4 = 4.75, d5 = 0.001, d6 = 6.5, d7 = -7.0;
    for (int i = 0; i < n; i++) {
        long s = step(a0 + i, i);
        a0 += s; a1 ^= s; a2 += a1; a3 -= a2 >> 3; a4 ^= a3 << 1; a5 += a4 & 0xffff;
        a6 ^= a5; a7 += a6 >> 5; a8 -= a7; a9 ^= a8 >> 2; a10 += a9 & 0xff; a11 ^= a10 + i;
        d0 += (double)(s & 1023) * 0.25; d1 = d1 * 0.999 + d0 * 1e-3; d2 -= d1 * 0.5;
        d3 = d3 * 0.75 + (double)(a11 & 255); d4 += d3 / (i + 1); d5 = d5 * 1.001 + 1e-4;
        d6 = d6 * 0.5 + d5; d7 -= d6 * 0.125;
    }
    printf("ints %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld\n", a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
    printf("doubles %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", d0, d1, d2, d3, d4, d5, d6, d7);
}

int main(void) {
    for (int r = 0; r < 3; r++) mix(200 + r * 50, r * 7919 + 1);
    return 0;
}
