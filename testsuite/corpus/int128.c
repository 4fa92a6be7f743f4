// __int128 arithmetic (portable: all three ISAs support it): multiply, divide, shift,
// compare, and conversions; the printing is done by hand.
#include <stdio.h>
#include <stdint.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

static void print_u128(const char *label, u128 v) {
    char buf[40]; int i = 39; buf[i] = 0;
    do { buf[--i] = (char)('0' + (int)(v % 10)); v /= 10; } while (v);
    printf("%s%s\n", label, buf + i);
}
static u128 factorial(unsigned n) { u128 r = 1; for (unsigned i = 2; i <= n; i++) r *= i; return r; }
static u128 powmod(u128 b, u128 e, u128 m) {
    u128 r = 1; b %= m;
    while (e) { if (e & 1) r = r * b % m; b = b * b % m; e >>= 1; }
    return r;
}

int main(void) {
    print_u128("30! = ", factorial(30));
    print_u128("34! = ", factorial(34));
    u128 big = ((u128)0xFFFFFFFFFFFFFFFFULL << 64) | 0xFFFFFFFFFFFFFFFFULL;
    print_u128("u128 max = ", big);
    print_u128("max / 1e19 = ", big / 10000000000000000000ULL);
    print_u128("max % 97 = ", big % 97);
    i128 neg = -((i128)1 << 100);
    i128 q = neg / 12345, r = neg % 12345;
    printf("signed: q<0=%d r=%lld hi=%llx\n", q < 0, (long long)r, (unsigned long long)((u128)q >> 64));
    print_u128("powmod(3, 10^18, 2^61-1) = ", powmod(3, 1000000000000000000ULL, ((u128)1 << 61) - 1));
    uint64_t a = 0xDEADBEEFCAFEBABEULL, b = 0x0123456789ABCDEFULL;
    u128 p = (u128)a * b;
    printf("mul hi=%016llx lo=%016llx\n", (unsigned long long)(p >> 64), (unsigned long long)p);
    double d = (double)p; u128 back = (u128)1e30;
    printf("to double=%.17g from double hi=%llx lo=%llx\n", d, (unsigned long long)(back >> 64), (unsigned long long)back);
    return 0;
}
