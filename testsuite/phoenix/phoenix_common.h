/* Shared by the Phoenix applications: the splitmix64 mixer behind every generated
 * input, and the small|medium|large argument. Each application includes it and stays
 * one translation unit. */
#ifndef PHOENIX_COMMON_H
#define PHOENIX_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The splitmix64 finaliser: a well-mixed 64-bit function of its input. */
static inline uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The next number of a splitmix64 sequence kept in *state. */
static inline uint64_t splitmix64(uint64_t *state) {
    return mix64(*state += 0x9E3779B97F4A7C15ULL);
}

/* Index of the size named by the only argument: 0 small, 1 medium, 2 large; anything
 * else prints the usage and exits with status 2. */
static inline int size_index(int argc, char **argv) {
    static const char *const names[] = {"small", "medium", "large"};
    for (int i = 0; argc == 2 && i < 3; i++)
        if (strcmp(argv[1], names[i]) == 0) return i;
    fprintf(stderr, "usage: %s small|medium|large\n", argv[0]);
    exit(2);
}

#endif
