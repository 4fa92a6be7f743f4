// _Thread_local variables (initialised .tdata and zeroed .tbss), accessed from the
// main thread and from worker threads, including through pointers and static TLS.
#include <stdio.h>
#include <pthread.h>
#include <stdint.h>

_Thread_local int tls_counter = 1000;
_Thread_local uint64_t tls_hash;
_Thread_local char tls_name[16] = "main";
static _Thread_local int tls_static_arr[32];

struct result { int id; int counter; uint64_t hash; int arr_sum; char name[16]; };

static void work(int id, int rounds) {
    for (int i = 0; i < rounds; i++) {
        tls_counter += id + i;
        tls_hash = tls_hash * 6364136223846793005ULL + (uint64_t)(tls_counter ^ i);
        tls_static_arr[i % 32] += i * id;
    }
}
static int arr_sum(void) { int s = 0; for (int i = 0; i < 32; i++) s += tls_static_arr[i]; return s; }
static int *counter_addr(void) { return &tls_counter; }

static void *thread_main(void *arg) {
    struct result *r = arg;
    snprintf(tls_name, sizeof tls_name, "worker%d", r->id);
    if (tls_counter != 1000 || tls_hash != 0 || arr_sum() != 0) r->id = -1; /* fresh TLS per thread */
    work(r->id + 1, 5000 + r->id * 100);
    *counter_addr() += 1;
    r->counter = tls_counter; r->hash = tls_hash; r->arr_sum = arr_sum();
    snprintf(r->name, sizeof r->name, "%s", tls_name);
    return NULL;
}

int main(void) {
    enum { N = 4 };
    pthread_t th[N];
    struct result res[N] = {{0}};
    work(7, 3000);
    for (int i = 0; i < N; i++) { res[i].id = i; pthread_create(&th[i], NULL, thread_main, &res[i]); }
    for (int i = 0; i < N; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < N; i++)
        printf("thread %d: name=%s counter=%d hash=%llu arr_sum=%d\n", res[i].id, res[i].name, res[i].counter,
               (unsigned long long)res[i].hash, res[i].arr_sum);
    printf("main: name=%s counter=%d hash=%llu arr_sum=%d\n", tls_name, tls_counter,
           (unsigned long long)tls_hash, arr_sum());
    return 0;
}
