/* Migration benchmark: argv[1] = heap size in MiB; with any argv[2] a migration is requested. The heap is filled with a pattern,
 * then a migration is requested (as SIGUSR2 would) and served in the checksum loop, so
 * the checkpoint carries the whole heap. */
#include <stdio.h>
#include <stdlib.h>

extern volatile unsigned __het_migration_request;

int main(int argc, char **argv) {
    size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 1;
    size_t n = mib << 17; /* 8-byte words */
    unsigned long *heap = malloc(n * sizeof *heap);
    if (!heap) return 1;
    for (size_t i = 0; i < n; i++) heap[i] = i * 0x9e3779b97f4a7c15ul;
    unsigned long sum = 0;
    if (argc > 2) __het_migration_request = 1;
    for (int round = 0; round < 20; round++)
        for (size_t i = 0; i < n; i += 512) sum += heap[i] ^ (unsigned long)round;
    printf("%lu\n", sum);
    free(heap);
    return 0;
}
