// het: stdin inputs/words.txt
// Reads all of stdin: counts lines, words and bytes, builds a word-frequency table in a
// hash map, and prints the most frequent words (ties broken alphabetically).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

struct entry { char *word; int count; struct entry *next; };
static struct entry *buckets[1024];

static unsigned hash(const char *s) { unsigned h = 5381; while (*s) h = h * 33 + (unsigned char)*s++; return h; }
static void add(const char *w) {
    unsigned b = hash(w) % 1024;
    for (struct entry *e = buckets[b]; e; e = e->next) if (!strcmp(e->word, w)) { e->count++; return; }
    struct entry *e = malloc(sizeof *e); e->word = strdup(w); e->count = 1; e->next = buckets[b]; buckets[b] = e;
}
static int by_count(const void *a, const void *b) {
    const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
    if (x->count != y->count) return y->count - x->count;
    return strcmp(x->word, y->word);
}

int main(void) {
    int c, lines = 0, words = 0; long bytes = 0;
    char w[64]; int wl = 0;
    while ((c = getchar()) != EOF) {
        bytes++;
        if (c == '\n') lines++;
        if (isalpha(c) || c == '\'') { if (wl < 63) w[wl++] = (char)tolower(c); }
        else if (wl) { w[wl] = 0; add(w); words++; wl = 0; }
    }
    if (wl) { w[wl] = 0; add(w); words++; }
    printf("lines=%d words=%d bytes=%ld\n", lines, words, bytes);
    int distinct = 0;
    for (int i = 0; i < 1024; i++) for (struct entry *e = buckets[i]; e; e = e->next) distinct++;
    struct entry **all = malloc(sizeof *all * (size_t)distinct); int k = 0;
    for (int i = 0; i < 1024; i++) for (struct entry *e = buckets[i]; e; e = e->next) all[k++] = e;
    qsort(all, (size_t)distinct, sizeof *all, by_count);
    printf("distinct=%d\n", distinct);
    for (int i = 0; i < distinct && i < 12; i++) printf("%3d %s\n", all[i]->count, all[i]->word);
    return 0;
}
