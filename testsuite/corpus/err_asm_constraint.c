// het: expect-error asm
// Inline assembly with x86-only register constraints ("=a", "=d"); clang itself rejects
// the constraints for the riscv64 canonical target, which is an acceptable message.
#include <stdio.h>
#include <stdint.h>

static uint64_t cycles(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); // het-error-here
    return ((uint64_t)hi << 32) | lo;
}

int main(void) {
    printf("%d\n", cycles() != 0);
    return 0;
}
