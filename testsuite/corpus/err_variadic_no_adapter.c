// het: expect-error no slot adapter for `prctl`
// A call through a variadic function pointer passes its arguments in 8-byte slots, so
// the address of a libc variadic function becomes an adapter that takes them. prctl
// has none: hetcc must refuse taking its address and name the line.
#include <stdio.h>
#include <sys/prctl.h>

int main(int argc, char **argv) {
    (void)argv;
    int (*volatile control)(int, ...) = 0;
    if (argc > 5)
        control = prctl; // het-error-here
    if (control)
        printf("%d\n", control(PR_GET_DUMPABLE));
    printf("done\n");
    return 0;
}
