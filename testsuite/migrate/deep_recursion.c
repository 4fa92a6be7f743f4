/* Deep recursion: `down` recurses 10,000 frames and has no loop, so migration point k
 * (1 <= k <= 10,000) is the entry check of the frame at depth k, and k = 10,000 migrates
 * at the bottom with all 10,000 frames (plus main's) on the stack. Each frame keeps its
 * depth and an accumulator live across the call and combines them on the way up. */
#include <stdint.h>
#include <stdio.h>

#define DEPTH 10000

__attribute__((noinline)) static uint64_t down(unsigned n, uint64_t acc) {
    if (n == DEPTH) return acc ^ n;
    uint64_t r = down(n + 1, acc * 6364136223846793005ULL + n);
    return (r ^ (r >> 17)) * 3 + n + (acc & 0xff);
}

int main(void) {
    uint64_t r = down(1, 7);
    printf("down %llu\n", (unsigned long long)r);
    uint64_t h = r;
    for (int i = 0; i < 50; i++) h = h * 31 + (unsigned)i;
    printf("after %llu\n", (unsigned long long)h);
    return 0;
}
