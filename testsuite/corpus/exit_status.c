// exit() with a non-zero status: stdout must be flushed, atexit handlers run in reverse
// order of registration; the runner compares the exit status with the reference.
#include <stdio.h>
#include <stdlib.h>

static int total;
static void first(void) { printf("atexit first (runs last), total=%d\n", total); }
static void second(void) { printf("atexit second\n"); total += 100; }

static int checked_div(int a, int b) {
    if (b == 0) { printf("division by zero requested: exiting with 3\n"); exit(3); }
    return a / b;
}

int main(void) {
    atexit(first);
    atexit(second);
    printf("buffered output that must not be lost");
    printf("\n");
    for (int i = 5; i >= 0; i--) { total += checked_div(100, i); printf("100/%d ok, total=%d\n", i, total); }
    printf("unreachable\n");
    return 0;
}
