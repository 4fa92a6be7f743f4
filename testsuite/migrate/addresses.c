/* Prints, one per line, the addresses of every kind of memory a migrated program can
 * point to. Built with -fhet-migratable, the output must be byte-identical on every
 * ISA (testsuite/tests/addresses.rs), because all of them live in the migration
 * window. The leading argument of each line says which kind it is. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void show(const char *what, const void *p) {
    printf("%s %llu\n", what, (unsigned long long)(uintptr_t)p);
}

/* Keeps the compiler from proving anything about the pointers it is handed. */
__attribute__((noinline)) static void escape(volatile void *p) { (void)p; }

__attribute__((noinline)) static void locals(int n) {
    char array[256];
    int scalar = n;
    char vla[n];
    escape(array);
    escape(&scalar);
    escape(vla);
    show("local-array", array);
    show("escaped-scalar", &scalar);
    show("vla", vla);
}

int main(int argc, char **argv) {
    void *small = malloc(24);
    void *large = malloc(1 << 20);
    void *zeroed = calloc(100, 8);
    show("malloc-small", small);
    show("malloc-large", large);
    show("calloc", zeroed);
    /* Right after `large`, so growing `large` must move it (mremap in the window). */
    void *blocker = malloc(1 << 20);
    show("malloc-large", blocker);
    void *grown = realloc(large, 8 << 20);
    show("realloc-grown", grown);
    locals(argc + 40);
    show("argv0", argv[0]);
    show("getenv", getenv("HET_ADDRESSES_PROBE"));
    void *mapped = mmap(NULL, 3 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("mmap-anonymous", mapped);
    char *copy = strdup("a string to copy");
    show("strdup", copy);
    free(copy);
    munmap(mapped, 3 << 16);
    free(grown);
    free(blocker);
    free(zeroed);
    free(small);
    return 0;
}
