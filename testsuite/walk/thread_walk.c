/* The request is set inside a worker thread, eight calls deep: the walk on that thread
 * must end at the thread's start routine, which musl calls through the runtime's
 * `__het_thread_call`, and report it complete, not deferred. The main thread is in
 * pthread_join meanwhile. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
extern volatile unsigned __het_migration_request;
static unsigned request;

__attribute__((noinline)) static long descend(int depth, long acc)
{
    if (depth == 0) {
        __het_migration_request = request;
        long s = 0;
        for (int i = 0; i < 1000; i++)
            s += (acc ^ i) & 7;
        return s;
    }
    long r = descend(depth - 1, acc * 3 + depth);
    return r - (r >> 3) + depth; /* not an accumulator: stays a recursion */
}

static void *worker(void *arg)
{
    long n = (long)arg;
    return (void *)descend((int)n, n);
}

int main(int argc, char **argv)
{
    request = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
    pthread_t t;
    pthread_create(&t, 0, worker, (void *)8L);
    void *result;
    pthread_join(t, &result);
    printf("result %ld\n", (long)result);
    return 0;
}
