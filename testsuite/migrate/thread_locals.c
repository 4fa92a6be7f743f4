/* Thread-local variables of the main thread (initialised, zero-initialised, an array)
 * are updated in a loop with migration points and printed at the end: their block is
 * carried by the checkpoint and copied into the destination's block, which sits on the
 * other side of the thread pointer on x86-64 than on aarch64 and riscv64. */
#include <stdio.h>

_Thread_local int counter = 5;
_Thread_local long history[4] = {1, 2, 3, 4};
_Thread_local double scale;

__attribute__((noinline)) static long step(int i) {
    counter += i & 7;
    history[i & 3] = history[i & 3] * 3 + i;
    scale += 0.5;
    return history[(i + 1) & 3] ^ counter;
}

int main(void) {
    long acc = 0;
    for (int i = 0; i < 300; i++) acc += step(i);
    printf("counter %d history %ld %ld %ld %ld scale %.1f acc %ld\n", counter, history[0], history[1],
           history[2], history[3], scale, acc);
    return 0;
}
