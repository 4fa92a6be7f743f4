/* The request is set inside a qsort comparator whose loop has a migration point: the
 * walk must stop at qsort's frame (libc, no equivalence point) and report "deferred";
 * the request is then served again after qsort returns, with the program back in its
 * own frames, and that walk is complete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
extern volatile unsigned __het_migration_request;
static unsigned request;
static int compares;

static int by_name(const void *a, const void *b) {
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    if (++compares == 40) __het_migration_request = request;
    while (*x && *x == *y) { x++; y++; }
    return (unsigned char)*x - (unsigned char)*y;
}

int main(int argc, char **argv) {
    request = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
    static char names[64][16];
    const char *list[64];
    for (int i = 0; i < 64; i++) {
        snprintf(names[i], sizeof names[i], "item%03d", (i * 29) % 64);
        list[i] = names[i];
    }
    qsort(list, 64, sizeof list[0], by_name);
    unsigned long h = 5381;
    for (int i = 0; i < 64; i++) {
        if (i == 10) __het_migration_request = request;
        for (const char *p = list[i]; *p; p++) h = h * 33 + (unsigned char)*p;
    }
    printf("%s %s %lu\n", list[0], list[63], h);
    return 0;
}
