/* A request that reaches a multi-threaded program is refused at once, with one line on
 * stderr, and the program runs on unchanged: four workers in barrier-separated phases,
 * each summing its share of a series; main prints the phase totals after the joins. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define WORKERS 4
#define PHASES 6
#define SHARE 200000

static pthread_barrier_t barrier;
static uint64_t partial[PHASES][WORKERS];

static void *worker(void *arg)
{
    unsigned id = (unsigned)(uintptr_t)arg;
    for (unsigned phase = 0; phase < PHASES; phase++) {
        uint64_t x = 0x9e3779b97f4a7c15ull * (id + 1) + phase, sum = 0;
        for (unsigned i = 0; i < SHARE; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            sum += x % 1000003;
        }
        partial[phase][id] = sum;
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[WORKERS];
    pthread_barrier_init(&barrier, NULL, WORKERS);
    for (unsigned i = 0; i < WORKERS; i++)
        if (pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)i) != 0) {
            perror("pthread_create");
            return 1;
        }
    for (unsigned i = 0; i < WORKERS; i++)
        pthread_join(threads[i], NULL);
    for (unsigned phase = 0; phase < PHASES; phase++) {
        uint64_t total = 0;
        for (unsigned i = 0; i < WORKERS; i++)
            total += partial[phase][i];
        printf("phase %u: %llu\n", phase, (unsigned long long)total);
    }
    return 0;
}
