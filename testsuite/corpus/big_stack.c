// Large stack frames: a 256 KiB local array, plus recursion with 16 KiB frames.
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint64_t big_frame(uint32_t seed) {
    uint32_t buf[65536]; /* 256 KiB */
    for (uint32_t i = 0; i < 65536; i++) { seed = seed * 1664525u + 1013904223u; buf[i] = seed; }
    uint64_t h = 0;
    for (uint32_t i = 0; i < 65536; i += 3) h = h * 31 + buf[(i * 7919u) & 65535u];
    return h;
}
static uint64_t frames(int depth) {
    volatile unsigned char local[16384];
    for (int i = 0; i < 16384; i += 64) local[i] = (unsigned char)(depth + i);
    uint64_t below = depth ? frames(depth - 1) : 0;
    uint64_t s = below * 3;
    for (int i = 0; i < 16384; i += 64) s += local[i];
    return s;
}
struct huge { double m[64][64]; };
static double trace_of_square(void) {
    struct huge h, r;
    for (int i = 0; i < 64; i++) for (int j = 0; j < 64; j++) h.m[i][j] = (double)((i * 64 + j) % 17) / 16.0;
    for (int i = 0; i < 64; i++) for (int j = 0; j < 64; j++) {
        double s = 0; for (int k = 0; k < 64; k++) { double t = h.m[i][k] * h.m[k][j]; s += t; }
        r.m[i][j] = s;
    }
    double tr = 0; for (int i = 0; i < 64; i++) tr += r.m[i][i];
    return tr;
}

int main(void) {
    printf("big_frame=%llu\n", (unsigned long long)big_frame(1));
    printf("big_frame=%llu\n", (unsigned long long)big_frame(0xdeadbeef));
    printf("frames(100)=%llu\n", (unsigned long long)frames(100));
    printf("trace=%.17g\n", trace_of_square());
    return 0;
}
