// Switch statements: a dense 64-case switch (jump table), a switch over characters,
// a sparse switch (binary search / compare chain), and fall-through.
#include <stdio.h>
#include <stdint.h>

static __attribute__((noinline)) long dense(unsigned k, long x) {
    switch (k) {
    case 0: return x * 1 + 0;
    case 1: return x * 2 + 427799;
    case 2: return x * 3 + 855598;
    case 3: return x * 4 + 283394;
    case 4: return x * 5 + 711193;
    case 5: return x * 6 + 138989;
    case 6: return x * 7 + 566788;
    case 7: return x * 1 + 994587;
    case 8: return x * 2 + 422383;
    case 9: return x * 3 + 850182;
    case 10: return x * 4 + 277978;
    case 11: return x * 5 + 705777;
    case 12: return x * 6 + 133573;
    case 13: return x * 7 + 561372;
    case 14: return x * 1 + 989171;
    case 15: return x * 2 + 416967;
    case 16: return x * 3 + 844766;
    case 17: return x * 4 + 272562;
    case 18: return x * 5 + 700361;
    case 19: return x * 6 + 128157;
    case 20: return x * 7 + 555956;
    case 21: return x * 1 + 983755;
    case 22: return x * 2 + 411551;
    case 23: return x * 3 + 839350;
    case 24: return x * 4 + 267146;
    case 25: return x * 5 + 694945;
    case 26: return x * 6 + 122741;
    case 27: return x * 7 + 550540;
    case 28: return x * 1 + 978339;
    case 29: return x * 2 + 406135;
    case 30: return x * 3 + 833934;
    case 31: return x * 4 + 261730;
    case 32: return x * 5 + 689529;
    case 33: return x * 6 + 117325;
    case 34: return x * 7 + 545124;
    case 35: return x * 1 + 972923;
    case 36: return x * 2 + 400719;
    case 37: return x * 3 + 828518;
    case 38: return x * 4 + 256314;
    case 39: return x * 5 + 684113;
    case 40: return x * 6 + 111909;
    case 41: return x * 7 + 539708;
    case 42: return x * 1 + 967507;
    case 43: return x * 2 + 395303;
    case 44: return x * 3 + 823102;
    case 45: return x * 4 + 250898;
    case 46: return x * 5 + 678697;
    case 47: return x * 6 + 106493;
    case 48: return x * 7 + 534292;
    case 49: return x * 1 + 962091;
    case 50: return x * 2 + 389887;
    case 51: return x * 3 + 817686;
    case 52: return x * 4 + 245482;
    case 53: return x * 5 + 673281;
    case 54: return x * 6 + 101077;
    case 55: return x * 7 + 528876;
    case 56: return x * 1 + 956675;
    case 57: return x * 2 + 384471;
    case 58: return x * 3 + 812270;
    case 59: return x * 4 + 240066;
    case 60: return x * 5 + 667865;
    case 61: return x * 6 + 95661;
    case 62: return x * 7 + 523460;
    case 63: return x * 1 + 951259;
    default: return -x;
    }
}
static __attribute__((noinline)) int letter(int c) {
    switch (c) {
    case 'a': return 7;
    case 'b': return 38;
    case 'c': return 131;
    case 'd': return 29;
    case 'e': return 246;
    case 'f': return 11;
    case 'g': return 95;
    case 'h': return 241;
    case 'i': return 192;
    case 'j': return 205;
    case 'k': return 23;
    case 'l': return 160;
    case 'm': return 102;
    case 'n': return 106;
    case 'o': return 172;
    case 'p': return 43;
    case 'q': return 233;
    case 'r': return 228;
    case 's': return 28;
    case 't': return 147;
    case 'u': return 71;
    case 'v': return 57;
    case 'w': return 105;
    case 'x': return 215;
    case 'y': return 130;
    case 'z': return 107;
    default: return -1;
    }
}
static __attribute__((noinline)) int sparse(long v) {
    switch (v) {
    case -1000000: return 1;
    case -7: return 2;
    case 0: return 3;
    case 13: return 4;
    case 4096: return 5;
    case 65537: return 6;
    case 1000000007: return 7;
    case 4000000000L: return 8;
    default: return 0;
    }
}
static __attribute__((noinline)) int fallthrough(int n) {
    int r = 0;
    switch (n) {
    case 5: r += 50; /* fall through */
    case 4: r += 40; /* fall through */
    case 3: r += 30; break;
    case 2: r += 20; /* fall through */
    case 1: r += 10; /* fall through */
    default: r += 1;
    }
    return r;
}

int main(void) {
    uint64_t h = 0;
    long x = 1;
    for (unsigned i = 0; i < 20000; i++) {
        long r = dense((i * 37u) % 70u, x);
        x = r % 100003;
        h = h * 1099511628211ULL ^ (uint64_t)r;
    }
    printf("dense hash=%llu x=%ld\n", (unsigned long long)h, x);
    const char *s = "switch tables are fun, 123!";
    unsigned sum = 0;
    for (const char *p = s; *p; p++) sum = sum * 3 + (unsigned)letter(*p);
    printf("letters=%u\n", sum);
    long probes[] = {-1000000, -7, -6, 0, 13, 14, 4096, 65537, 1000000007, 4000000000L, 5};
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) printf("%d", sparse(probes[i]));
    printf("\n");
    for (int n = 0; n <= 6; n++) printf("fallthrough(%d)=%d\n", n, fallthrough(n));
    return 0;
}
