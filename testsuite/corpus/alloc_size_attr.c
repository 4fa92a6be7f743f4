// A function declared with alloc_size, as gnulib declares xreallocarray: its calls are
// equivalence points, whose statepoints must not keep argument positions that mean
// other arguments there.
#include <stdio.h>
#include <stdlib.h>
__attribute__((alloc_size(2, 3), noinline)) void *xrealloc(void *p, size_t n, size_t s) {
    void *q = realloc(p, n * s);
    for (size_t i = 0; i < n; i++) ((char *)q)[i * s] = (char)i;
    return q;
}
int main(void) {
    char *p = 0; long sum = 0;
    for (int i = 1; i < 100; i++) { p = xrealloc(p, (size_t)i, 4); sum += p[(i - 1) * 4]; }
    printf("%ld\n", sum);
    return 0;
}
