/* Thread addresses kept in memory across migration points: `&errno`, `&h_errno`, a
 * `_Thread_local` scalar and array, and `pthread_self()` stored in globals and in a
 * heap struct before the loop, then used through those copies after every call. They
 * stay valid because every ISA puts the main thread's descriptor and TLS block at the
 * same address (docs/threads.md); a copy from the source's block used on the
 * destination would read and write the wrong thread's data or fault. */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Thread_local long counters[32];
_Thread_local int hits = 7;

struct saved {
    int *err;
    long *slot;
    int *hits;
    pthread_t self;
};

int *global_err;
int *global_herr;
long *global_slot;

__attribute__((noinline)) static long step(long i)
{
    long s = 0;
    for (int j = 0; j < 100; j++)
        s += (i * 31 + j) % 7;
    /* Sets errno through a failing call, read back through the stored pointer. */
    if (i % 5 == 0)
        strtol("99999999999999999999999", NULL, 10);
    return s;
}

int main(void)
{
    struct saved *saved = malloc(sizeof *saved);
    saved->err = &errno;
    saved->slot = &counters[5];
    saved->hits = &hits;
    saved->self = pthread_self();
    global_err = &errno;
    global_herr = &h_errno;
    global_slot = &counters[11];
    long ranges = 0, total = 0;
    for (long i = 0; i < 600; i++) {
        *saved->err = 0;
        total += step(i);
        if (*global_err == ERANGE)
            ranges++;
        *saved->slot += i;
        *global_slot += 2 * i;
        ++*saved->hits;
        *global_herr = (int)(i % 4);
    }
    int same_thread = pthread_equal(saved->self, pthread_self());
    printf("ranges %ld total %ld counters[5] %ld counters[11] %ld hits %d h_errno %d same %d errno-same %d\n",
           ranges, total, counters[5], counters[11], hits, h_errno, same_thread, saved->err == &errno);
    free(saved);
    return 0;
}
