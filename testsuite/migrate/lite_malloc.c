/* A program that never calls free: musl then links its simple bump allocator
 * (lite_malloc, `__simple_malloc`), which takes memory from brk, outside the migration
 * window. Every block is still used after the migration points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    char *names[64];
    for (int i = 0; i < 64; i++) {
        names[i] = malloc(16);
        snprintf(names[i], 16, "item-%d", i * 7);
    }
    unsigned h = 0;
    for (int i = 0; i < 64; i++)
        for (size_t j = 0; j < strlen(names[i]); j++) h = h * 31 + (unsigned char)names[i][j];
    printf("%s %s hash %u\n", names[0], names[63], h);
    return 0;
}
