// het: expect-error __builtin_ia32_pause
// An x86-specific builtin: clang reports it as unknown for the riscv64 canonical target.
#include <stdio.h>

static void relax(void) {
    __builtin_ia32_pause(); // het-error-here
}

int main(void) {
    relax();
    printf("relaxed\n");
    return 0;
}
