// het: args small
// Phoenix "string_match", serial: which of a fixed set of keys occur, line by line, in
// a large file of words. The text is generated from a seed: lines of random lowercase
// words, with the keys and near misses (one letter changed, a letter added or dropped)
// sprinkled in. Main computation, as Phoenix does it: hash every word and compare the
// hash with the keys' hashes, confirming a hash match byte by byte. Check: a direct
// substring search for every key in every line, with word-boundary tests, must give
// the same per-line key sets and occurrence counts.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phoenix_common.h"

struct size { const char *name; size_t bytes; };
static const struct size SIZES[] = {
    {"small", (size_t)2 << 20},
    {"medium", (size_t)64 << 20},
    {"large", (size_t)256 << 20},
};

static const char *const KEYS[] = {"helloworld", "howareyou", "ferrari", "whotheman",
                                   "phoenix",    "migrate",   "aarch",   "riscv"};
enum { NKEYS = sizeof KEYS / sizeof KEYS[0] };

static uint64_t rng_state = 0x7374726d6174ULL;
static uint64_t rng(void) { return splitmix64(&rng_state); }

/* Writes one word at p (never more than 16 bytes); returns its length. */
static size_t gen_word(char *p) {
    uint64_t r = rng();
    unsigned kind = (unsigned)(r & 255);
    r >>= 8;
    if (kind < 9) { /* a key (3/256) or a near miss (6/256) */
        const char *key = KEYS[r % NKEYS];
        r >>= 3;
        size_t len = strlen(key);
        memcpy(p, key, len);
        if (kind < 3) return len;
        size_t at = (size_t)(r % len);
        r >>= 4;
        char letter = (char)('a' + r % 26);
        switch (kind % 3) {
        case 0: /* change one letter (to a different one) */
            p[at] = p[at] == letter ? (char)('a' + (letter - 'a' + 1) % 26) : letter;
            return len;
        case 1: /* add a letter */
            p[len] = letter;
            return len + 1;
        default: /* drop a letter */
            memmove(p + at, p + at + 1, len - at - 1);
            return len - 1;
        }
    }
    size_t len = 2 + (size_t)(r % 9);
    r >>= 4;
    for (size_t i = 0; i < len; i++, r >>= 5) p[i] = (char)('a' + (r & 31) % 26);
    return len;
}

/* Fills a buffer of about `bytes` bytes with lines of 3..14 words; returns its length. */
static char *generate(size_t bytes, size_t *len) {
    char *t = malloc(bytes + 256);
    if (!t) return NULL;
    size_t n = 0;
    while (n < bytes) {
        int words = 3 + (int)(rng() % 12);
        for (int w = 0; w < words; w++) {
            if (w) t[n++] = ' ';
            n += gen_word(t + n);
        }
        t[n++] = '\n';
    }
    *len = n;
    return t;
}

static uint64_t hash_word(const char *p, size_t len) {
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h ^ len;
}

struct result {
    size_t lines, words;
    uint8_t *mask;           /* per line: bit k set if KEYS[k] occurs */
    uint64_t count[NKEYS];   /* occurrences */
};

static void match(const char *t, size_t len, struct result *res, uint8_t *mask) {
    uint64_t keyhash[NKEYS];
    size_t keylen[NKEYS];
    for (int k = 0; k < NKEYS; k++) {
        keylen[k] = strlen(KEYS[k]);
        keyhash[k] = hash_word(KEYS[k], keylen[k]);
    }
    size_t line = 0, i = 0;
    uint8_t m = 0;
    while (i < len) {
        if (t[i] == '\n') {
            mask[line++] = m;
            m = 0;
            i++;
            continue;
        }
        if (t[i] == ' ') {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && t[i] != ' ' && t[i] != '\n') i++;
        res->words++;
        uint64_t h = hash_word(t + start, i - start);
        for (int k = 0; k < NKEYS; k++)
            if (h == keyhash[k] && keylen[k] == i - start && memcmp(t + start, KEYS[k], keylen[k]) == 0) {
                m |= (uint8_t)(1u << k);
                res->count[k]++;
            }
    }
    res->lines = line;
    res->mask = mask;
}

/* Reference: substring search for each key, accepted only at word boundaries. */
static int verify(const char *t, size_t len, const struct result *res) {
    uint64_t count[NKEYS] = {0};
    size_t line = 0, bad = 0;
    for (size_t start = 0; start < len; line++) {
        const char *s = t + start, *nl = memchr(s, '\n', len - start);
        size_t n = (size_t)(nl - s);
        uint8_t m = 0;
        for (int k = 0; k < NKEYS; k++) {
            const char *key = KEYS[k];
            size_t kl = strlen(key);
            for (size_t p = 0; p + kl <= n; p++) {
                size_t q = 0;
                while (q < kl && s[p + q] == key[q]) q++;
                if (q == kl && (p == 0 || s[p - 1] == ' ') && (p + kl == n || s[p + kl] == ' ')) {
                    m |= (uint8_t)(1u << k);
                    count[k]++;
                }
            }
        }
        if (line >= res->lines || res->mask[line] != m) {
            if (!bad) printf("line %zu: keys %02x, direct search %02x\n", line + 1, line < res->lines ? res->mask[line] : 0, m);
            bad++;
        }
        start += n + 1;
    }
    int ok = 1;
    if (line != res->lines) {
        printf("%zu lines, direct search %zu\n", res->lines, line);
        ok = 0;
    }
    if (bad) {
        printf("%zu lines differ\n", bad);
        ok = 0;
    }
    for (int k = 0; k < NKEYS; k++)
        if (count[k] != res->count[k]) {
            printf("%s: %llu occurrences, direct search %llu\n", KEYS[k], (unsigned long long)res->count[k],
                   (unsigned long long)count[k]);
            ok = 0;
        }
    return ok;
}

int main(int argc, char **argv) {
    const struct size *sz = &SIZES[size_index(argc, argv)];
    size_t len;
    char *text = generate(sz->bytes, &len);
    uint8_t *mask = text ? malloc(len / 2 + 1) : NULL; /* a line has at least 2 bytes */
    if (!mask) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    struct result res = {0};
    match(text, len, &res, mask);

    printf("string_match %s: %zu bytes, %zu lines, %zu words\n", sz->name, len, res.lines, res.words);
    uint64_t h = 14695981039346656037ULL;
    size_t matched = 0;
    for (size_t l = 0; l < res.lines; l++)
        if (mask[l]) {
            matched++;
            h = (h ^ (uint64_t)l) * 1099511628211ULL;
            h = (h ^ mask[l]) * 1099511628211ULL;
        }
    printf("%zu lines contain a key; (line, keys) fnv %016llx\n", matched, (unsigned long long)h);
    for (int k = 0; k < NKEYS; k++) {
        size_t lines = 0, first = 0;
        for (size_t l = 0; l < res.lines; l++)
            if (mask[l] >> k & 1) {
                if (!lines) first = l + 1;
                lines++;
            }
        printf("%-10s: %8llu occurrences in %8zu lines, first on line %zu\n", KEYS[k],
               (unsigned long long)res.count[k], lines, first);
    }
    int ok = verify(text, len, &res);
    free(text);
    free(mask);
    printf(ok ? "VERIFIED\n" : "VERIFICATION FAILED\n");
    return ok ? 0 : 1;
}
