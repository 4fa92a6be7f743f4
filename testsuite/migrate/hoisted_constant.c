/* A constant the backend keeps in a callee-saved register across calls: main passes
 * the same format string to two printf calls around `work(20)`; aarch64 and riscv64
 * materialise its address once into x19/s1 before the second call, and nothing in
 * the stack map records it (docs/equivalence-points.md, open problem 2). */
#include <stdio.h>
__attribute__((noinline)) static int work(int n) {
    int s = 0;
    for (int i = 0; i < n; i++) s = s * 31 + (i ^ n);
    return s;
}
int main(void) {
    printf("work %d\n", work(10));
    printf("work %d\n", work(20));
    return 0;
}
