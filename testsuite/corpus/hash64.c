// 64-bit integer arithmetic: FNV-1a, splitmix64, xxhash-style mixing, multiply-high,
// signed/unsigned division and remainder, rotates, popcount/clz/ctz; no signed overflow.
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint64_t fnv1a(const void *data, size_t n) {
    const unsigned char *p = data; uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 1099511628211ULL; }
    return h;
}
static uint64_t splitmix64(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static uint64_t mulhi(uint64_t a, uint64_t b) {
    uint64_t al = a & 0xffffffff, ah = a >> 32, bl = b & 0xffffffff, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}
static uint64_t xxmix(const uint64_t *v, size_t n) {
    const uint64_t P1 = 11400714785074694791ULL, P2 = 14029467366897019727ULL;
    uint64_t acc = 27182818284ULL;
    for (size_t i = 0; i < n; i++) { acc += v[i] * P2; acc = rotl(acc, 31); acc *= P1; }
    acc ^= acc >> 33; acc *= P2; acc ^= acc >> 29;
    return acc;
}

int main(void) {
    const char *msg = "heterogeneous-isa process migration";
    printf("fnv1a=%016llx empty=%016llx\n", (unsigned long long)fnv1a(msg, strlen(msg)), (unsigned long long)fnv1a("", 0));
    uint64_t s = 42, v[64];
    for (int i = 0; i < 64; i++) v[i] = splitmix64(&s);
    printf("splitmix v0=%016llx v63=%016llx\n", (unsigned long long)v[0], (unsigned long long)v[63]);
    printf("xxmix=%016llx\n", (unsigned long long)xxmix(v, 64));
    uint64_t mh = 0; for (int i = 0; i < 63; i++) mh ^= mulhi(v[i], v[i + 1]);
    printf("mulhi xor=%016llx\n", (unsigned long long)mh);
    int64_t sd = 0; uint64_t ud = 0;
    for (int i = 0; i < 63; i++) {
        int64_t a = (int64_t)(v[i] >> 1) - (int64_t)(v[i + 1] >> 2);
        int64_t b = (int64_t)(v[i + 1] >> 40) - 8000000;
        if (b == 0) b = 3;
        sd ^= a / b; sd ^= a % b;
        ud += v[i] / ((v[i + 1] >> 33) | 1); ud ^= v[i] % ((v[i + 1] >> 50) | 1);
    }
    printf("signed div/mod=%lld unsigned div/mod=%llu\n", (long long)sd, (unsigned long long)ud);
    int pc = 0, lz = 0, tz = 0;
    for (int i = 0; i < 64; i++) { pc += __builtin_popcountll(v[i]); lz += __builtin_clzll(v[i] | 1); tz += __builtin_ctzll(v[i] | (1ULL << 63)); }
    printf("popcount=%d clz=%d ctz=%d bswap=%016llx\n", pc, lz, tz, (unsigned long long)__builtin_bswap64(v[5]));
    int64_t neg = -7; printf("shifts: %lld %lld %llu\n", (long long)(neg >> 1), (long long)(neg / 2), (unsigned long long)((uint64_t)neg >> 60));
    uint32_t w = 0xFFFFFFFFu; w += 2; uint16_t hw = 65535; hw++; uint8_t b8 = 250; b8 += 10;
    printf("wraps: %u %u %u\n", w, hw, b8);
    unsigned long long checked; int ovf = __builtin_mul_overflow(v[1], v[2], &checked);
    printf("mul_overflow=%d low=%016llx\n", ovf, checked);
    return 0;
}
