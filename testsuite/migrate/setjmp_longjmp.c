/* setjmp/longjmp across a migration. Every phase takes a jump buffer, runs loops (the
 * migration points) while it is live and then longjmps to it, so a migration at any k
 * lands between some setjmp and its longjmp:
 *  1. a global jmp_buf set in main, longjmp from `work` two frames down;
 *  2. a local jmp_buf in each level of a recursion (on the unsafe stack), longjmp from
 *     deeper levels through several frames, with locals and arguments that did not
 *     change since the setjmp read back after it;
 *  3. sigsetjmp(b, 1): SIGUSR1 is blocked after it, siglongjmp restores the mask;
 *  4. a loop built from longjmp with volatile counters;
 *  5. a buffer whose frame returned (stale) left in a global while others are live. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf env;
static jmp_buf stale;
static long total;

__attribute__((noinline)) static int tick(int i) {
    int r = i;
    for (int j = 0; j < (i & 3) + 1; j++) r = r * 1103515245 + 12345;
    return (r >> 4) & 1023;
}

__attribute__((noinline)) static unsigned long spin(int rounds, unsigned long seed) {
    unsigned long s = seed;
    for (int i = 0; i < rounds; i++) s = s * 31 + tick(i);
    return s;
}

__attribute__((noinline)) static void work(int rounds) {
    long s = 0;
    for (int i = 0; i < rounds; i++) s += tick(i);
    total = s;
    printf("work %ld\n", s);
    longjmp(env, 42);
}

/* Level `depth` takes its own buffer; level `target` is where the innermost level
 * jumps to. Returns a checksum of what each level saw. */
__attribute__((noinline)) static unsigned long descend(int depth, int limit, int target, jmp_buf *targets[]) {
    jmp_buf here;
    unsigned long before = spin(depth + 3, depth * 7);
    int code = setjmp(here);
    if (code != 0) {
        /* `before`, `depth` and `limit` did not change since the setjmp. */
        unsigned long after = spin(5, before);
        printf("  level %d caught %d (before %lu after %lu limit %d)\n", depth, code, before, after, limit);
        return after + code;
    }
    targets[depth] = &here;
    if (depth == limit) {
        unsigned long s = spin(20, before);
        printf("  level %d jumps to %d (%lu)\n", depth, target, s);
        longjmp(*targets[target], depth * 100 + target);
    }
    unsigned long below = descend(depth + 1, limit, target, targets);
    return below * 3 + before;
}

__attribute__((noinline)) static void leave_stale_buffer(void) {
    if (setjmp(stale) != 0) printf("stale buffer used: wrong\n");
    spin(3, 1);
}

static int usr1_blocked(void) {
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, SIGUSR1);
}

int main(void) {
    leave_stale_buffer();

    int r = setjmp(env);
    if (r == 0) {
        printf("set\n");
        work(100);
        printf("not reached\n");
    }
    printf("jumped %d total %ld\n", r, total);

    for (int target = 0; target < 4; target++) {
        jmp_buf *targets[8];
        unsigned long sum = descend(0, 5, target, targets);
        printf("descend to %d: %lu\n", target, sum);
    }

    sigjmp_buf masked;
    printf("usr1 blocked before: %d\n", usr1_blocked());
    int m = sigsetjmp(masked, 1);
    if (m == 0) {
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        sigprocmask(SIG_BLOCK, &block, NULL);
        printf("usr1 blocked inside: %d (%lu)\n", usr1_blocked(), spin(30, 2));
        siglongjmp(masked, 7);
    }
    printf("siglongjmp %d, usr1 blocked after: %d\n", m, usr1_blocked());

    jmp_buf again;
    volatile int round = 0;
    volatile unsigned long acc = 0;
    int v = setjmp(again);
    acc += spin(4, v);
    round++;
    if (round < 12) longjmp(again, round);
    printf("longjmp loop: round %d acc %lu\n", round, acc);

    unsigned long h = total;
    for (int i = 0; i < 40; i++) h = h * 31 + tick(i);
    printf("after %lu\n", h);
    return 0;
}
