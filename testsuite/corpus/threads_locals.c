// Threads whose functions keep locals in memory (arrays passed to callees, addresses
// taken), all running at once: each thread needs its own stack for them. With
// -fhet-migratable those locals live on an unsafe stack, one per thread; a shared one
// let threads overwrite each other's arrays. Also a thread with its own stack size, a
// detached thread, and pthread_exit from a deep frame.
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define THREADS 4
#define ROUNDS 20000

static pthread_barrier_t start_line;

__attribute__((noinline)) static void fill(volatile unsigned char *b, int n, unsigned seed)
{
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (unsigned char)(seed >> 16);
    }
}

__attribute__((noinline)) static unsigned sum(const volatile unsigned char *b, int n)
{
    unsigned s = 0;
    for (int i = 0; i < n; i++)
        s = s * 31 + b[i];
    return s;
}

// A local array live across a call that has locals of its own.
__attribute__((noinline)) static unsigned round_of(unsigned seed, int depth)
{
    unsigned char buf[96];
    fill(buf, sizeof buf, seed);
    unsigned inner = depth > 0 ? round_of(seed ^ 0x9e3779b9u, depth - 1) : 0;
    return sum(buf, sizeof buf) ^ inner;
}

static void *worker(void *arg)
{
    long id = (long)arg;
    unsigned acc = 0;
    pthread_barrier_wait(&start_line);
    for (int r = 0; r < ROUNDS; r++)
        acc = acc * 7 + round_of((unsigned)(id * 100003 + r), r % 4);
    return (void *)(unsigned long)acc;
}

static unsigned detached_result;
static pthread_mutex_t detached_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t detached_done = PTHREAD_COND_INITIALIZER;
static int detached_finished;

static void *detached(void *arg)
{
    (void)arg;
    unsigned v = round_of(43, 2) + 1;
    pthread_mutex_lock(&detached_lock);
    detached_result = v;
    detached_finished = 1;
    pthread_cond_signal(&detached_done);
    pthread_mutex_unlock(&detached_lock);
    return 0;
}

__attribute__((noinline)) static void leave_from_depth(int depth, unsigned acc)
{
    char note[32];
    snprintf(note, sizeof note, "depth %d", depth);
    if (depth == 0)
        pthread_exit((void *)(unsigned long)(acc ^ (unsigned)strlen(note)));
    leave_from_depth(depth - 1, acc * 3 + round_of((unsigned)depth, 1));
}

static void *exits_deep(void *arg)
{
    (void)arg;
    leave_from_depth(20, 1);
    return 0;
}

int main(void)
{
    pthread_t threads[THREADS];
    pthread_barrier_init(&start_line, 0, THREADS);
    for (long i = 0; i < THREADS; i++)
        pthread_create(&threads[i], 0, worker, (void *)i);
    for (int i = 0; i < THREADS; i++) {
        void *result;
        pthread_join(threads[i], &result);
        printf("worker %d: %08lx\n", i, (unsigned long)result);
    }
    printf("main: %08x\n", round_of(7, 2));

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1 << 20);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    pthread_create(&t, &attr, detached, 0);
    pthread_mutex_lock(&detached_lock);
    while (!detached_finished)
        pthread_cond_wait(&detached_done, &detached_lock);
    pthread_mutex_unlock(&detached_lock);
    printf("detached: %08x\n", detached_result);

    void *result;
    pthread_create(&t, 0, exits_deep, 0);
    pthread_join(t, &result);
    printf("pthread_exit: %08lx\n", (unsigned long)result);
    return 0;
}
