// pthreads synchronisation on hetcc's thread areas: a bounded producer/consumer queue on
// condition variables, a thread pool draining a task queue, readers and a writer on an
// rwlock (readers detached), pthread_once, semaphores, thread-specific data with
// destructors, _Thread_local counters and errno per thread. Everything printed is
// independent of scheduling.
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// ---- producer/consumer on a small ring -------------------------------------------
#define RING 4
#define ITEMS 20000
static long ring[RING];
static int head, count;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg)
{
    long base = (long)arg;
    for (long i = 0; i < ITEMS; i++) {
        pthread_mutex_lock(&ring_lock);
        while (count == RING)
            pthread_cond_wait(&not_full, &ring_lock);
        ring[(head + count) % RING] = base + i;
        count++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&ring_lock);
    }
    return 0;
}

static void *consumer(void *arg)
{
    long n = (long)arg, sum = 0;
    for (long i = 0; i < n; i++) {
        pthread_mutex_lock(&ring_lock);
        while (count == 0)
            pthread_cond_wait(&not_empty, &ring_lock);
        sum += ring[head];
        head = (head + 1) % RING;
        count--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&ring_lock);
    }
    return (void *)sum;
}

// ---- thread pool ------------------------------------------------------------------
#define TASKS 64
static int next_task;
static uint64_t results[TASKS];
static pthread_mutex_t task_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local int tasks_done_here;
static int pool_tasks_total;

static uint64_t task(int k)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)k;
    for (int i = 0; i < 20000 + k * 100; i++)
        h = (h ^ (uint64_t)i) * 1099511628211ull;
    return h;
}

static void *pool_worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&task_lock);
        int k = next_task < TASKS ? next_task++ : -1;
        pthread_mutex_unlock(&task_lock);
        if (k < 0)
            break;
        results[k] = task(k);
        tasks_done_here++;
    }
    pthread_mutex_lock(&task_lock);
    pool_tasks_total += tasks_done_here;
    pthread_mutex_unlock(&task_lock);
    return 0;
}

// ---- rwlock with detached readers -----------------------------------------------------
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static long table[16];
static sem_t readers_done;
static long reader_sums[4];

static void *reader(void *arg)
{
    long id = (long)arg, sum = 0;
    for (int round = 0; round < 2000; round++) {
        pthread_rwlock_rdlock(&table_lock);
        long first = table[0];
        for (int i = 0; i < 16; i++)
            sum += table[i] == first; // the writer keeps all entries equal
        pthread_rwlock_unlock(&table_lock);
    }
    reader_sums[id] = sum;
    sem_post(&readers_done);
    return 0;
}

// ---- once, keys with destructors, errno per thread -----------------------------------
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_key_t key;
static int destructor_runs;
static pthread_mutex_t destructor_lock = PTHREAD_MUTEX_INITIALIZER;

static void init_once(void) { once_runs++; }

static void destroy(void *value)
{
    pthread_mutex_lock(&destructor_lock);
    destructor_runs += (int)(intptr_t)value;
    pthread_mutex_unlock(&destructor_lock);
}

static void *keyed(void *arg)
{
    pthread_once(&once, init_once);
    pthread_setspecific(key, arg);
    errno = (int)(intptr_t)arg;
    strtol("999999999999999999999999", 0, 10); // ERANGE in this thread only
    int mine = errno == ERANGE;
    return (void *)(intptr_t)(mine && (intptr_t)pthread_getspecific(key) == (intptr_t)arg);
}

int main(void)
{
    // producer/consumer: 2 producers, 1 consumer.
    pthread_t p1, p2, c;
    pthread_create(&p1, 0, producer, (void *)0L);
    pthread_create(&p2, 0, producer, (void *)1000000L);
    pthread_create(&c, 0, consumer, (void *)(2L * ITEMS));
    void *sum;
    pthread_join(p1, 0);
    pthread_join(p2, 0);
    pthread_join(c, &sum);
    long expected = (long)ITEMS * (ITEMS - 1) + 1000000L * ITEMS;
    printf("queue: sum %ld %s\n", (long)sum, (long)sum == expected ? "ok" : "WRONG");

    // thread pool: 5 workers, 64 tasks.
    pthread_t pool[5];
    for (int i = 0; i < 5; i++)
        pthread_create(&pool[i], 0, pool_worker, 0);
    for (int i = 0; i < 5; i++)
        pthread_join(pool[i], 0);
    uint64_t h = 0;
    for (int k = 0; k < TASKS; k++)
        h = h * 31 + results[k];
    printf("pool: %d tasks, hash %016llx, main did %d\n", pool_tasks_total, (unsigned long long)h, tasks_done_here);

    // rwlock: a writer keeps the table consistent while 4 detached readers read.
    sem_init(&readers_done, 0, 0);
    pthread_attr_t detached;
    pthread_attr_init(&detached);
    pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
    for (long i = 0; i < 4; i++) {
        pthread_t r;
        pthread_create(&r, &detached, reader, (void *)i);
    }
    for (int round = 0; round < 500; round++) {
        pthread_rwlock_wrlock(&table_lock);
        for (int i = 0; i < 16; i++)
            table[i] = round;
        pthread_rwlock_unlock(&table_lock);
    }
    for (int i = 0; i < 4; i++)
        sem_wait(&readers_done);
    printf("rwlock: readers saw %ld %ld %ld %ld consistent entries\n", reader_sums[0], reader_sums[1],
           reader_sums[2], reader_sums[3]);

    // once, keys, errno.
    pthread_key_create(&key, destroy);
    pthread_t k[6];
    for (long i = 0; i < 6; i++)
        pthread_create(&k[i], 0, keyed, (void *)(i + 1));
    int good = 0;
    for (int i = 0; i < 6; i++) {
        void *r;
        pthread_join(k[i], &r);
        good += (int)(intptr_t)r;
    }
    errno = 0;
    printf("once ran %d time(s); %d/6 threads kept their own errno and key; destructors summed %d; main errno %d\n",
           once_runs, good, destructor_runs, errno);
    return 0;
}
