/* setjmp/longjmp across a migration: main takes a jmp_buf, then `work` runs a loop (the
 * migration points) and longjmps back to main, which prints what setjmp returned and
 * runs a second loop. A migration inside `work` means the jmp_buf, taken on the source,
 * is used on the destination. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static long total;

__attribute__((noinline)) static int tick(int i) {
    int r = i;
    for (int j = 0; j < (i & 3) + 1; j++) r = r * 1103515245 + 12345;
    return (r >> 4) & 1023;
}

__attribute__((noinline)) static void work(int rounds) {
    long s = 0;
    for (int i = 0; i < rounds; i++) s += tick(i);
    total = s;
    printf("work %ld\n", s);
    longjmp(env, 42);
}

int main(void) {
    int r = setjmp(env);
    if (r == 0) {
        printf("set\n");
        work(100);
        printf("not reached\n");
    }
    printf("jumped %d total %ld\n", r, total);
    long h = total;
    for (int i = 0; i < 40; i++) h = h * 31 + tick(i);
    printf("after %ld\n", h);
    return 0;
}
