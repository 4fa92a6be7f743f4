/* Hundreds of separate mappings across a migration. The program maps 300 pages one by
 * one (the window places each on its own 64 KiB granule) and makes every other one
 * read-only, so /proc/self/maps lists each apart and runs to several pages, past the
 * first page of the runtime's buffer for it, which must grow (under qemu-user too).
 * The loop that reads them back is where migrations fall; every page must come back
 * with its contents and its protection. */
#include <stdio.h>
#include <sys/mman.h>

#define PAGES 300

int main(void) {
    static unsigned char *pages[PAGES];
    for (int i = 0; i < PAGES; i++) {
        pages[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (pages[i] == MAP_FAILED) return 2;
        for (int j = 0; j < 4096; j += 512) pages[i][j] = (unsigned char)(i * 7 + j / 512);
        if (i % 2 && mprotect(pages[i], 4096, PROT_READ) != 0) return 3;
    }
    printf("%d pages mapped\n", PAGES);
    unsigned long sum = 0;
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < PAGES; i++)
            for (int j = 0; j < 4096; j += 512) sum = sum * 31 + pages[i][j] + (unsigned long)round;
    int writable = 0;
    for (int i = 0; i < PAGES; i += 2) {
        pages[i][1] = 1; /* the writable half must still be writable */
        writable += pages[i][1];
    }
    printf("sum %lu, %d writable pages written\n", sum, writable);
    return 0;
}
