// het: expect-error syscall
// syscall() numbers are translated between ISAs at run time, which needs the SYS_
// constant at the call; clone's child stack and registers cannot be translated at all.
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static long call_by_number(long number) {
    return syscall(number); // het-error-here
}

int main(int argc, char **argv) {
    (void)argv;
    printf("%ld\n", call_by_number(argc > 1 ? SYS_getpid : SYS_gettid));
    printf("%ld\n", syscall(SYS_clone, SIGCHLD, 0)); // het-error-here
    return 0;
}
