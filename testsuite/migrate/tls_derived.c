/* Pointers into a thread-local array, computed once before a loop and used across every
 * call in it: each is the TLS variable's address plus a constant, and it is recomputed
 * after each point from the destination's block instead of carried from the source's.
 * (A TLS pointer handed to a callee that keeps it across a point is not covered: that
 * needs the TLS block at one address on every ISA.) */
#include <stdio.h>

_Thread_local long table[64];
_Thread_local int marks;

__attribute__((noinline)) static long bump(long i)
{
    long s = 0;
    for (int j = 0; j < 200; j++)
        s += (i ^ j) & 15;
    return s;
}

int main(void)
{
    long *p = &table[17];
    int *m = &marks;
    long acc = 0;
    for (long i = 0; i < 400; i++) {
        long s = bump(i);
        *p += s;
        acc += s;
        if (acc % 3 == 0)
            (*m)++;
        p[1] += i;
    }
    printf("table[17] %ld table[18] %ld acc %ld marks %d\n", table[17], table[18], acc, marks);
    return 0;
}
