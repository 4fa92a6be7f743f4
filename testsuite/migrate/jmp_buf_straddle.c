/* A jmp_buf that straddles two adjacent mappings, live across migrations. The buffer
 * sits across the boundary of a private and a shared anonymous mapping, which the
 * kernel lists apart in /proc/self/maps. A migration must still find it readable and
 * rewrite it: it once required one mapping to hold the whole buffer, and a jmp_buf in
 * .bss can straddle the data segment's file-backed mapping and the anonymous one after
 * it just the same. Five rounds of setjmp, a loop (the migration points) and longjmp. */
#include <setjmp.h>
#include <stdio.h>
#include <sys/mman.h>

int main(void) {
    char *base = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return 2;
    char *second = mmap(base + 4096, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (second != base + 4096) return 3;
    jmp_buf *buffer = (jmp_buf *)(base + 4096 - 64);
    static long total;
    int code = setjmp(*buffer);
    if (code < 5) {
        long s = 0;
        for (int i = 0; i < 100; i++) s += (long)(i * (code + 3)) % 7;
        total += s;
        printf("round %d sum %ld\n", code, s);
        longjmp(*buffer, code + 1);
    }
    printf("total %ld\n", total);
    return 0;
}
