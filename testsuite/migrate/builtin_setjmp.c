// __builtin_setjmp/__builtin_longjmp across a migration: the 5-word buffer points at a
// full jmp_buf in the setjmp caller's frame (passes/src/builtin_setjmp.rs), which the
// runtime registers and a restore rewrites like any setjmp buffer. Each round runs loops
// (migration points) between the setjmp and the longjmp, several frames down. The
// program checks its own results and exits 1 if a jump went wrong.
#include <stdio.h>

static void *buffer[5];
static unsigned long mix = 1;

static void churn(int n) {
    for (int i = 0; i < 200; i++) {
        mix = mix * 6364136223846793005ul + (unsigned long)(i ^ n);
    }
}

static void dive(int depth, int limit) {
    churn(depth);
    if (depth == limit) {
        __builtin_longjmp(buffer, 1);
    }
    dive(depth + 1, limit);
}

static int round_trip(int limit) {
    volatile int stage = 0;
    if (__builtin_setjmp(buffer) == 0) {
        stage = 1;
        dive(0, limit);
        stage = 2; // not reached
    }
    return stage == 1 ? limit : -1000;
}

int main(void) {
    int sum = 0, expected = 0;
    for (int limit = 1; limit <= 12; limit++) {
        sum += round_trip(limit);
        expected += limit;
        churn(-limit);
    }
    printf("sum %d (expected %d) mix %lx\n", sum, expected, mix);
    return sum == expected ? 0 : 1;
}
