// het: args small
// Phoenix "word_count", serial: the frequency of every word in a text, and the most
// frequent ones. The text is generated from a seed: words drawn from a random
// vocabulary with a Zipf-like (1/rank) distribution, some capitalised, separated by
// spaces, punctuation and newlines. A word is a maximal run of ASCII letters, folded to
// lower case. Main computation: an open-addressing hash table (FNV-1a, deterministic),
// then a sort by (count descending, word ascending). Check: a 26-way trie built
// independently from the text gives the same distinct words with the same counts (each
// looked up in the table), the same total, and the same top N (selected while walking
// the trie); the sorted list is checked to be in order.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phoenix_common.h"

struct size { const char *name; size_t words; int vocab; };
static const struct size SIZES[] = {
    {"small", 150000, 5000},
    {"medium", 5000000, 40000},
    {"large", 30000000, 100000},
};
enum { TOP = 10, MAXWORD = 12 };

static uint64_t rng_state = 0x776f7264636eULL;
static uint64_t rng(void) { return splitmix64(&rng_state); }

/* ---- input ---- */

static char *generate(const struct size *sz, size_t *len) {
    int V = sz->vocab;
    char(*vocab)[MAXWORD + 1] = malloc(sizeof *vocab * (size_t)V);
    uint64_t *cum = malloc(sizeof(uint64_t) * (size_t)V);
    char *t = malloc(sz->words * (MAXWORD + 3) + 1);
    if (!vocab || !cum || !t) return NULL;
    uint64_t total = 0;
    for (int v = 0; v < V; v++) {
        uint64_t r = rng();
        int wl = 1 + (int)(r % 11) + (v > 50); /* frequent words are shorter */
        if (wl > MAXWORD) wl = MAXWORD;
        r >>= 4;
        for (int i = 0; i < wl; i++, r >>= 5) vocab[v][i] = (char)('a' + (r & 31) % 26);
        vocab[v][wl] = 0;
        total += (UINT64_C(1) << 32) / (uint64_t)(v + 1);
        cum[v] = total;
    }
    static const char *const seps[] = {" ", " ", " ", " ", " ", ", ", ". ", "\n", " - ", "'", " (", ") ", "; ", "  ", "3 ", "\t"};
    size_t n = 0;
    for (size_t w = 0; w < sz->words; w++) {
        uint64_t r = rng();
        uint64_t x = (r >> 16) % total;
        int lo = 0, hi = V - 1; /* first v with cum[v] > x */
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (cum[mid] > x) hi = mid; else lo = mid + 1;
        }
        size_t wl = strlen(vocab[lo]);
        memcpy(t + n, vocab[lo], wl);
        if ((r & 7) == 0) t[n] = (char)(t[n] - 'a' + 'A');
        if ((r >> 3 & 63) == 0) t[n + wl - 1] = (char)(t[n + wl - 1] - 'a' + 'A');
        n += wl;
        const char *sep = seps[r >> 9 & 15];
        size_t sl = strlen(sep);
        memcpy(t + n, sep, sl);
        n += sl;
    }
    t[n] = 0;
    *len = n;
    free(vocab);
    free(cum);
    return t;
}

static int is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* ---- main computation: hash table ---- */

struct entry { uint32_t off, len; uint64_t count; }; /* word = arena + off */
static struct entry *table;
static size_t cap, used;
static char *arena;
static size_t arena_len;

static uint64_t fnv(const char *p, size_t n) {
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

static struct entry *lookup(const char *w, size_t n) {
    for (size_t i = fnv(w, n) & (cap - 1);; i = (i + 1) & (cap - 1)) {
        struct entry *e = &table[i];
        if (!e->count) return e;
        if (e->len == n && memcmp(arena + e->off, w, n) == 0) return e;
    }
}

static void grow(void) {
    struct entry *old = table;
    size_t oldcap = cap;
    cap *= 2;
    table = calloc(cap, sizeof *table);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].count) *lookup(arena + old[i].off, old[i].len) = old[i];
    free(old);
}

static void count_words(const char *t, size_t len, uint64_t *total) {
    cap = 1024;
    table = calloc(cap, sizeof *table);
    arena = malloc(len + 1);
    char w[64];
    for (size_t i = 0; i < len;) {
        if (!is_letter(t[i])) { i++; continue; }
        size_t n = 0;
        for (; i < len && is_letter(t[i]); i++)
            if (n < sizeof w) w[n++] = lower(t[i]);
        (*total)++;
        struct entry *e = lookup(w, n);
        if (!e->count) {
            memcpy(arena + arena_len, w, n);
            e->off = (uint32_t)arena_len;
            e->len = (uint32_t)n;
            arena_len += n;
            if (++used * 2 > cap) {
                e->count = 1;
                grow();
                continue;
            }
        }
        e->count++;
    }
}

static int word_cmp(const char *a, size_t al, const char *b, size_t bl) {
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}
/* Most frequent first; ties alphabetical. */
static int entry_order(const void *pa, const void *pb) {
    const struct entry *a = pa, *b = pb;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return word_cmp(arena + a->off, a->len, arena + b->off, b->len);
}

/* ---- reference: trie ---- */

struct node { int32_t child[26]; uint64_t count; };
static struct node *nodes;
static size_t nnodes, nodecap;

static int32_t new_node(void) {
    if (nnodes == nodecap) {
        nodecap *= 2;
        nodes = realloc(nodes, nodecap * sizeof *nodes);
    }
    memset(&nodes[nnodes], 0, sizeof *nodes);
    return (int32_t)nnodes++;
}

struct top { char word[64]; size_t len; uint64_t count; };
struct walk { struct top top[TOP]; int ntop; size_t distinct, bad; uint64_t total; };

static void walk(int32_t at, char *word, size_t depth, struct walk *st) {
    uint64_t c = nodes[at].count;
    if (c) {
        st->distinct++;
        st->total += c;
        struct entry *e = lookup(word, depth);
        if (e->count != c) {
            if (!st->bad) printf("\"%.*s\": %llu in the table, %llu in the trie\n", (int)depth, word,
                                 (unsigned long long)e->count, (unsigned long long)c);
            st->bad++;
        }
        /* Words arrive alphabetically, so a tie never displaces an earlier word. */
        int pos = st->ntop;
        while (pos > 0 && st->top[pos - 1].count < c) pos--;
        if (pos < TOP) {
            int last = st->ntop < TOP ? st->ntop : TOP - 1;
            memmove(&st->top[pos + 1], &st->top[pos], sizeof st->top[0] * (size_t)(last - pos));
            memcpy(st->top[pos].word, word, depth);
            st->top[pos].len = depth;
            st->top[pos].count = c;
            if (st->ntop < TOP) st->ntop++;
        }
    }
    for (int l = 0; l < 26; l++)
        if (nodes[at].child[l]) {
            word[depth] = (char)('a' + l);
            walk(nodes[at].child[l], word, depth + 1, st);
        }
}

static int verify(const char *t, size_t len, const struct entry *sorted, size_t distinct, uint64_t total) {
    nodecap = 1 << 16;
    nodes = malloc(nodecap * sizeof *nodes);
    new_node();
    for (size_t i = 0; i < len; i++) {
        if (!is_letter(t[i])) continue;
        int32_t at = 0;
        size_t n = 0;
        for (; i < len && is_letter(t[i]); i++, n++) {
            if (n >= 64) continue;
            int l = lower(t[i]) - 'a';
            if (!nodes[at].child[l]) {
                int32_t c = new_node();
                nodes[at].child[l] = c;
            }
            at = nodes[at].child[l];
        }
        nodes[at].count++;
    }
    struct walk st = {0};
    char word[64];
    walk(0, word, 0, &st);
    int ok = 1;
    if (st.bad) {
        printf("%zu words counted differently\n", st.bad);
        ok = 0;
    }
    if (st.distinct != distinct || st.total != total) {
        printf("table: %zu distinct, %llu total; trie: %zu distinct, %llu total\n", distinct,
               (unsigned long long)total, st.distinct, (unsigned long long)st.total);
        ok = 0;
    }
    for (int k = 0; k < st.ntop && k < (int)distinct; k++) {
        const struct entry *e = &sorted[k];
        if (e->count != st.top[k].count || word_cmp(arena + e->off, e->len, st.top[k].word, st.top[k].len)) {
            printf("top %d: \"%.*s\" %llu, trie \"%.*s\" %llu\n", k + 1, (int)e->len, arena + e->off,
                   (unsigned long long)e->count, (int)st.top[k].len, st.top[k].word,
                   (unsigned long long)st.top[k].count);
            ok = 0;
        }
    }
    for (size_t k = 1; k < distinct; k++)
        if (entry_order(&sorted[k - 1], &sorted[k]) >= 0) {
            printf("sorted list out of order at %zu\n", k);
            ok = 0;
            break;
        }
    free(nodes);
    return ok;
}

int main(int argc, char **argv) {
    const struct size *sz = &SIZES[size_index(argc, argv)];
    size_t len;
    char *text = generate(sz, &len);
    if (!text) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    uint64_t total = 0;
    count_words(text, len, &total);

    struct entry *sorted = malloc(sizeof *sorted * (used ? used : 1));
    size_t distinct = 0;
    for (size_t i = 0; i < cap; i++)
        if (table[i].count) sorted[distinct++] = table[i];
    qsort(sorted, distinct, sizeof *sorted, entry_order);

    printf("word_count %s: %zu bytes, %llu words, %zu distinct\n", sz->name, len, (unsigned long long)total,
           distinct);
    uint64_t h = 14695981039346656037ULL, once = 0;
    for (size_t k = 0; k < distinct; k++) {
        h = (h ^ fnv(arena + sorted[k].off, sorted[k].len)) * 1099511628211ULL;
        h = (h ^ sorted[k].count) * 1099511628211ULL;
        once += sorted[k].count == 1;
    }
    printf("%llu words occur once; (word, count) list fnv %016llx\n", (unsigned long long)once,
           (unsigned long long)h);
    for (size_t k = 0; k < TOP && k < distinct; k++)
        printf("%2zu. %-12.*s %llu\n", k + 1, (int)sorted[k].len, arena + sorted[k].off,
               (unsigned long long)sorted[k].count);
    int ok = verify(text, len, sorted, distinct, total);
    free(sorted);
    free(table);
    free(arena);
    free(text);
    printf(ok ? "VERIFIED\n" : "VERIFICATION FAILED\n");
    return ok ? 0 : 1;
}
