// qsort and bsearch with several comparison callbacks (ints, structs, strings).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t rng = 12345;
static uint32_t next(void) { rng = rng * 1103515245u + 12345u; return rng >> 8; }

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }

struct person { char name[12]; int age; double score; };
static int cmp_person(const void *a, const void *b) {
    const struct person *p = a, *q = b;
    if (p->age != q->age) return p->age - q->age;
    if (p->score != q->score) return p->score < q->score ? -1 : 1;
    return strcmp(p->name, q->name);
}
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(void) {
    enum { N = 5000 };
    static int xs[N];
    for (int i = 0; i < N; i++) xs[i] = (int)(next() % 100000) - 50000;
    qsort(xs, N, sizeof xs[0], cmp_int);
    uint64_t h = 0;
    for (int i = 0; i < N; i++) h = h * 31 + (uint32_t)xs[i];
    printf("ints sorted: min=%d max=%d median=%d hash=%llu\n", xs[0], xs[N - 1], xs[N / 2], (unsigned long long)h);
    int found = 0, missing = 0;
    for (int k = -50000; k < 50000; k += 37) {
        int *p = bsearch(&k, xs, N, sizeof xs[0], cmp_int);
        if (p) { found++; if (*p != k) printf("bsearch returned wrong element\n"); }
        else missing++;
    }
    printf("bsearch found=%d missing=%d\n", found, missing);
    qsort(xs, N, sizeof xs[0], cmp_int_desc);
    printf("desc first=%d last=%d\n", xs[0], xs[N - 1]);

    struct person people[40];
    for (int i = 0; i < 40; i++) {
        snprintf(people[i].name, sizeof people[i].name, "n%02d_%03u", i, next() % 1000);
        people[i].age = 20 + (int)(next() % 10);
        people[i].score = (double)(next() % 1000) / 8.0;
    }
    qsort(people, 40, sizeof people[0], cmp_person);
    for (int i = 0; i < 40; i += 6)
        printf("person %s age=%d score=%.3f\n", people[i].name, people[i].age, people[i].score);
    struct person key = people[17];
    struct person *hit = bsearch(&key, people, 40, sizeof people[0], cmp_person);
    printf("bsearch person index=%d\n", hit ? (int)(hit - people) : -1);

    const char *words[] = {"pear", "apple", "fig", "banana", "kiwi", "cherry", "date", "grape", "lemon", "mango"};
    size_t nw = sizeof words / sizeof words[0];
    qsort(words, nw, sizeof words[0], cmp_str);
    for (size_t i = 0; i < nw; i++) printf("%s%c", words[i], i + 1 < nw ? ' ' : '\n');
    const char *want = "kiwi";
    const char **w = bsearch(&want, words, nw, sizeof words[0], cmp_str);
    printf("kiwi at %d\n", w ? (int)(w - words) : -1);
    return 0;
}
