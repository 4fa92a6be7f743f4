// setjmp in functions with variable-length arrays and alloca(): such a function finds
// its unsafe-stack frame through back pointers (passes/src/unsafe_stack.rs), which must
// hold after a migration between the setjmp and the longjmp, after a longjmp that
// drops the blocks allocated since the setjmp, and around a VLA in a loop
// (stacksave/stackrestore) after the setjmp.
#include <alloca.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static jmp_buf env;
static long checksum;

static void descend(int depth, int limit, const int *values) {
    int local[8];
    for (int i = 0; i < 8; i++) {
        local[i] = depth * i;
        checksum += local[i] ^ values[i % 4];
    }
    if (depth == limit) {
        longjmp(env, depth + 1);
    }
    descend(depth + 1, limit, values);
}

static int round_trip(int n) {
    int vla[n];
    char *text = alloca(32 + n);
    for (int i = 0; i < n; i++) {
        vla[i] = i * 3 + 1;
    }
    snprintf(text, 32 + n, "round %d", n);
    volatile int jumps = 0;
    int r = setjmp(env);
    if (r != 0) {
        jumps++;
        long sum = 0;
        for (int rep = 0; rep < r % 5; rep++) {
            int inner[n + rep];
            for (int i = 0; i < n + rep; i++) {
                inner[i] = vla[i % n] + rep;
            }
            for (int i = 0; i < n + rep; i++) {
                sum += inner[i];
            }
        }
        printf("%s: jump %d with %d, sum %ld, last %d\n", text, jumps, r, sum, vla[n - 1]);
        if (jumps < 3) {
            descend(0, n + jumps, vla);
        }
        return r;
    }
    char *more = alloca(64);
    memset(more, 'a' + n % 26, 63);
    more[63] = 0;
    checksum += (long)strlen(more) * more[0];
    descend(0, n, vla);
    return -1;
}

int main(void) {
    int total = 0;
    for (int n = 4; n < 40; n += 3) {
        total += round_trip(n);
    }
    printf("total %d checksum %ld\n", total, checksum);
    return 0;
}
