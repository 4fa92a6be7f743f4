// setjmp/longjmp: error unwinding across several frames, nested jump buffers,
// a longjmp loop, and volatile locals that must survive the jump.
#include <stdio.h>
#include <setjmp.h>
#include <string.h>

static jmp_buf outer_env, inner_env;
static int depth_reached;

static void dive(int depth, int limit) {
    char pad[256];
    memset(pad, depth, sizeof pad);
    depth_reached = depth + pad[depth % 256] - depth;
    if (depth == limit) longjmp(outer_env, depth * 10 + 1);
    dive(depth + 1, limit);
}

static int parse_digit(char c) {
    if (c < '0' || c > '9') longjmp(inner_env, (unsigned char)c);
    return c - '0';
}
static long parse_number(const char *s, int *err) {
    volatile long value = 0;
    int code = setjmp(inner_env);
    if (code) { *err = code; return value; }
    for (const char *p = s; *p; p++) value = value * 10 + parse_digit(*p);
    *err = 0;
    return value;
}

int main(void) {
    for (int limit = 1; limit <= 50; limit += 16) {
        volatile int tries = 0;
        int r = setjmp(outer_env);
        tries++;
        if (r == 0) dive(0, limit);
        else printf("limit %d: longjmp returned %d, depth %d, tries %d\n", limit, r, depth_reached, tries);
    }
    const char *inputs[] = {"12345", "98x76", "", "7", "123456789012", "4-2"};
    for (int i = 0; i < 6; i++) {
        int err; long v = parse_number(inputs[i], &err);
        if (err) printf("parse '%s': error char '%c' after value %ld\n", inputs[i], err, v);
        else printf("parse '%s' = %ld\n", inputs[i], v);
    }
    /* A loop built from longjmp: the counter lives in a volatile. */
    jmp_buf loop_env;
    volatile int i = 0; volatile long acc = 0;
    if (setjmp(loop_env) < 1000) {
        acc += i * i;
        i++;
        if (i < 100) longjmp(loop_env, i);
    }
    printf("longjmp loop: i=%d acc=%ld\n", i, acc);
    /* longjmp(env, 0) must make setjmp return 1. */
    jmp_buf z; volatile int seen = 0;
    int rv = setjmp(z);
    if (!seen) { seen = 1; longjmp(z, 0); }
    printf("longjmp(0) -> setjmp returned %d\n", rv);
    return 0;
}
