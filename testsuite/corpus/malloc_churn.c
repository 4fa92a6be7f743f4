// malloc/calloc/realloc/free churn driven by a fixed pseudo-random sequence; every
// block carries a pattern that is verified before it is freed or grown.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint64_t state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }

struct slot { unsigned char *p; size_t n; unsigned char seed; };

static void fill(struct slot *s) { for (size_t i = 0; i < s->n; i++) s->p[i] = (unsigned char)(s->seed + i * 7); }
static int check(const struct slot *s, size_t upto) {
    for (size_t i = 0; i < upto; i++) if (s->p[i] != (unsigned char)(s->seed + i * 7)) return 0;
    return 1;
}

int main(void) {
    enum { SLOTS = 256, ROUNDS = 40000 };
    static struct slot slots[SLOTS];
    unsigned long allocs = 0, frees = 0, reallocs = 0, bad = 0;
    uint64_t live_bytes_hash = 0;
    for (int r = 0; r < ROUNDS; r++) {
        struct slot *s = &slots[rnd() % SLOTS];
        unsigned op = (unsigned)(rnd() % 4);
        if (!s->p) {
            size_t n = 1 + (size_t)(rnd() % (rnd() % 8 == 0 ? 65536 : 512));
            s->p = (op == 0) ? calloc(n, 1) : malloc(n);
            if (!s->p) { printf("allocation failed\n"); return 1; }
            if (op == 0) { for (size_t i = 0; i < n; i++) if (s->p[i]) bad++; }
            s->n = n; s->seed = (unsigned char)rnd(); fill(s); allocs++;
        } else if (op < 2) {
            if (!check(s, s->n)) bad++;
            free(s->p); s->p = NULL; s->n = 0; frees++;
        } else {
            size_t n = 1 + (size_t)(rnd() % 4096);
            size_t keep = n < s->n ? n : s->n;
            unsigned char *q = realloc(s->p, n);
            if (!q) { printf("realloc failed\n"); return 1; }
            s->p = q;
            if (!check(s, keep)) bad++;
            s->n = n; fill(s); reallocs++;
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        if (!slots[i].p) continue;
        if (!check(&slots[i], slots[i].n)) bad++;
        live_bytes_hash = live_bytes_hash * 31 + slots[i].n;
        free(slots[i].p);
    }
    printf("allocs=%lu frees=%lu reallocs=%lu bad=%lu live_hash=%llu\n", allocs, frees, reallocs, bad,
           (unsigned long long)live_bytes_hash);
    /* A growing array with doubling realloc, and a string builder. */
    long *arr = NULL; size_t cap = 0, len = 0;
    for (long i = 0; i < 100000; i++) {
        if (len == cap) { cap = cap ? cap * 2 : 4; arr = realloc(arr, cap * sizeof *arr); }
        arr[len++] = i * i % 1000003;
    }
    long sum = 0; for (size_t i = 0; i < len; i++) sum += arr[i];
    printf("array len=%zu cap=%zu sum=%ld\n", len, cap, sum);
    free(arr);
    char *sb = NULL; size_t sl = 0;
    for (int i = 0; i < 2000; i++) {
        char piece[32]; int w = snprintf(piece, sizeof piece, "%d,", i * 37 % 1001);
        sb = realloc(sb, sl + (size_t)w + 1); memcpy(sb + sl, piece, (size_t)w + 1); sl += (size_t)w;
    }
    unsigned h = 0; for (size_t i = 0; i < sl; i++) h = h * 33 + (unsigned char)sb[i];
    printf("string builder len=%zu hash=%u tail=%s\n", sl, h, sb + sl - 12);
    free(sb);
    return 0;
}
