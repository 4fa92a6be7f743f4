// het: expect-error inline asm
// Inline assembly is ISA-specific: hetcc must refuse it and name the line.
#include <stdio.h>

static int spin(int n) {
    for (int i = 0; i < n; i++)
        __asm__("nop"); // het-error-here
    return n;
}

int main(void) {
    printf("%d\n", spin(3));
    return 0;
}
