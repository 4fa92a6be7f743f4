// het: expect-error asm
// File-scope (module-level) assembly defining a symbol: not portable across ISAs.
#include <stdio.h>

__asm__(".globl het_magic\n het_magic_label:\n"); // het-error-here

int main(void) {
    printf("hello\n");
    return 0;
}
