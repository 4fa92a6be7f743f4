/* errno's address stays right across migrations: `__errno_location` is `const`, so
 * LLVM computes errno's address once, before the loop, and keeps it across every call
 * of `work` (an equivalence point). Carried as a value, it would point into the source
 * thread's descriptor after a migration and the count of failures would go wrong. */
#include <errno.h>
#include <stdio.h>

__attribute__((noinline)) long work(long i)
{
    long s = 0;
    for (long j = 0; j < 1000; j++)
        s += (i * j) % 7;
    if (s % 5 == 0)
        errno = EDOM;
    return s;
}

int main(void)
{
    long total = 0;
    int failures = 0;
    for (long i = 0; i < 3000; i++) {
        errno = 0;
        total += work(i);
        if (errno)
            failures++;
    }
    printf("total %ld, failures %d\n", total, failures);
    return 0;
}
