// Phoenix-style word count with pthreads, run with 1, 2, 4 and 8 worker threads: each
// thread counts the words of its slice of a generated text in its own hash table (a
// local array of buckets, heap entries), a mutex-protected merge combines them, and a
// barrier separates the phases. Every thread count must give the same top words and
// checksum as a serial count of the whole text.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_WORDS 60000
#define BUCKETS 1024
#define MAX_THREADS 8

struct entry {
    char word[16];
    long count;
    struct entry *next;
};

struct table {
    struct entry *bucket[BUCKETS];
};

static char *text;
static size_t text_len;

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void make_text(void)
{
    static const char *syllables[] = { "ka", "lo", "mi", "ne", "su", "ra", "to", "vi" };
    uint64_t seed = 42;
    text = malloc(TEXT_WORDS * 16);
    size_t at = 0;
    for (int w = 0; w < TEXT_WORDS; w++) {
        // Zipf-like: short words are common.
        int len = 1 + (int)(splitmix(&seed) % 3);
        if (splitmix(&seed) % 5 == 0)
            len += (int)(splitmix(&seed) % 3);
        for (int i = 0; i < len; i++) {
            const char *s = syllables[splitmix(&seed) % (len == 1 ? 3 : 8)];
            text[at++] = s[0];
            text[at++] = s[1];
        }
        text[at++] = (splitmix(&seed) % 9 == 0) ? '\n' : ' ';
    }
    text_len = at;
}

static unsigned hash(const char *w)
{
    unsigned h = 2166136261u;
    for (; *w; w++)
        h = (h ^ (unsigned char)*w) * 16777619u;
    return h;
}

static void add(struct table *t, const char *word, long n)
{
    unsigned b = hash(word) % BUCKETS;
    for (struct entry *e = t->bucket[b]; e; e = e->next)
        if (strcmp(e->word, word) == 0) {
            e->count += n;
            return;
        }
    struct entry *e = calloc(1, sizeof *e);
    snprintf(e->word, sizeof e->word, "%s", word);
    e->count = n;
    e->next = t->bucket[b];
    t->bucket[b] = e;
}

// Counts the words that start in [from, to) into `t`.
static void count_range(struct table *t, size_t from, size_t to)
{
    while (from > 0 && from < text_len && text[from - 1] != ' ' && text[from - 1] != '\n')
        from++;
    size_t i = from;
    while (i < to) {
        char word[16];
        int n = 0;
        while (i < text_len && text[i] != ' ' && text[i] != '\n') {
            if (n < 15)
                word[n++] = text[i];
            i++;
        }
        word[n] = 0;
        if (n)
            add(t, word, 1);
        i++;
    }
}

static void free_table(struct table *t)
{
    for (int b = 0; b < BUCKETS; b++)
        for (struct entry *e = t->bucket[b], *next; e; e = next) {
            next = e->next;
            free(e);
        }
}

struct job {
    int id, threads;
    struct table *merged;
    pthread_mutex_t *merge_lock;
    pthread_barrier_t *phase;
    long words;
};

static void *worker(void *arg)
{
    struct job *job = arg;
    struct table local = { { 0 } };
    size_t from = text_len * (size_t)job->id / (size_t)job->threads;
    size_t to = text_len * (size_t)(job->id + 1) / (size_t)job->threads;
    count_range(&local, from, to);
    pthread_barrier_wait(job->phase); // every slice counted before any merge
    pthread_mutex_lock(job->merge_lock);
    for (int b = 0; b < BUCKETS; b++)
        for (struct entry *e = local.bucket[b]; e; e = e->next) {
            add(job->merged, e->word, e->count);
            job->words += e->count;
        }
    pthread_mutex_unlock(job->merge_lock);
    free_table(&local);
    return 0;
}

static int by_count(const void *a, const void *b)
{
    const struct entry *x = *(const struct entry *const *)a, *y = *(const struct entry *const *)b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->word, y->word);
}

// The top ten and a checksum over every (word, count), order-independent.
static void summarise(struct table *t, char *out, size_t size)
{
    size_t n = 0;
    uint64_t sum = 0;
    for (int b = 0; b < BUCKETS; b++)
        for (struct entry *e = t->bucket[b]; e; e = e->next) {
            n++;
            sum += (uint64_t)hash(e->word) * (uint64_t)e->count;
        }
    struct entry **all = malloc(n * sizeof *all);
    size_t k = 0;
    for (int b = 0; b < BUCKETS; b++)
        for (struct entry *e = t->bucket[b]; e; e = e->next)
            all[k++] = e;
    qsort(all, n, sizeof *all, by_count);
    int at = snprintf(out, size, "%zu distinct, checksum %016llx, top:", n, (unsigned long long)sum);
    for (size_t i = 0; i < 10 && i < n && at < (int)size; i++)
        at += snprintf(out + at, size - (size_t)at, " %s=%ld", all[i]->word, all[i]->count);
    free(all);
}

int main(void)
{
    make_text();
    struct table serial = { { 0 } };
    count_range(&serial, 0, text_len);
    char expected[512];
    summarise(&serial, expected, sizeof expected);
    printf("serial: %s\n", expected);
    int failures = 0;
    for (int threads = 1; threads <= MAX_THREADS; threads *= 2) {
        struct table merged = { { 0 } };
        pthread_mutex_t merge_lock = PTHREAD_MUTEX_INITIALIZER;
        pthread_barrier_t phase;
        pthread_barrier_init(&phase, 0, (unsigned)threads);
        pthread_t tid[MAX_THREADS];
        struct job jobs[MAX_THREADS];
        for (int i = 0; i < threads; i++) {
            jobs[i] = (struct job){ i, threads, &merged, &merge_lock, &phase, 0 };
            pthread_create(&tid[i], 0, worker, &jobs[i]);
        }
        long words = 0;
        for (int i = 0; i < threads; i++) {
            pthread_join(tid[i], 0);
            words += jobs[i].words;
        }
        pthread_barrier_destroy(&phase);
        char got[512];
        summarise(&merged, got, sizeof got);
        int same = strcmp(got, expected) == 0;
        failures += !same;
        printf("%d thread(s): %ld words, %s\n", threads, words, same ? "same as serial" : got);
        free_table(&merged);
    }
    free_table(&serial);
    free(text);
    printf(failures ? "VERIFICATION FAILED\n" : "VERIFIED\n");
    return failures != 0;
}
