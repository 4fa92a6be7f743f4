/* Deep recursion: the request is set 130 levels down, so the walk crosses > 130
 * frames of `descend` with ints, doubles, a float and a heap pointer live in each. */
#include <stdio.h>
#include <stdlib.h>
extern volatile unsigned __het_migration_request;
static unsigned request;

static unsigned long descend(int depth, unsigned long acc, double x, float f, int *heap) {
    if (depth == 12) __het_migration_request = request;
    if (depth == 0) return acc + (unsigned long)heap[0];
    unsigned long r = descend(depth - 1, acc * 3u + (unsigned)depth, x * 0.75 + 1.0, f + 0.5f, heap);
    return r + (unsigned long)depth + (unsigned long)(x * 8.0) + (unsigned long)f + (unsigned long)heap[depth % 16];
}

int main(int argc, char **argv) {
    request = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
    int depth = argc > 2 ? atoi(argv[2]) : 142;
    int *heap = malloc(16 * sizeof(int));
    for (int i = 0; i < 16; i++) heap[i] = i * 7 + 1;
    printf("%lu\n", descend(depth, 1, 2.0, 0.25f, heap));
    free(heap);
    return 0;
}
