/* Migration benchmark: argv[1] = recursion depth D; with any argv[2] the innermost level requests a
 * migration (as SIGUSR2 would) and serves it at its loop's migration point, with D + 2
 * program frames on the stack (D + 1 levels of dive plus main's). */
#include <stdio.h>
#include <stdlib.h>

extern volatile unsigned __het_migration_request;

static int migrate;

static long dive(int depth, long acc) {
    if (depth == 0) {
        long sum = acc;
        if (migrate) __het_migration_request = 1;
        for (int i = 0; i < 5000; i++) sum = sum * 31 + i;
        return sum;
    }
    /* Two operations after the call: LLVM's tail-recursion elimination (which turns a
     * single associative operation into an accumulator loop) must not remove the
     * frames this benchmark is about. */
    long below = dive(depth - 1, acc + depth);
    return below * 7 + depth;
}

int main(int argc, char **argv) {
    int depth = argc > 1 ? atoi(argv[1]) : 10;
    migrate = argc > 2;
    printf("%ld\n", dive(depth, 1));
    return 0;
}
