// Globals (initialised, zero-initialised, const, pointer-initialised), static locals,
// file-scope statics, and tables of pointers to globals and functions (relocations).
#include <stdio.h>
#include <stdint.h>
#include <string.h>

int counter = 5;
long zeroed[64];
const double weights[] = {0.5, 0.25, 0.125, 0.0625};
static const char *const names[] = {"zero", "one", "two", "three", "four"};
static int values[8] = {1, 1, 2, 3, 5, 8, 13, 21};
int *value_ptrs[3] = {&values[7], &values[0], &counter};
char message[32] = "global message";
static struct { const char *label; int *target; long bias; } bindings[] = {
    {"v3", &values[3], 100}, {"counter", &counter, -1}, {"v6", &values[6], 7},
};
static int twice(int x) { return 2 * x; }
static int square(int x) { return x * x; }
static int (*const ops[])(int) = {twice, square};
struct node { int v; const struct node *next; };
static const struct node n3 = {3, 0}, n2 = {2, &n3}, n1 = {1, &n2};
const struct node *list_head = &n1;

static int next_id(void) { static int id = 100; return id++; }
static uint64_t running_hash(uint64_t x) { static uint64_t h = 14695981039346656037ULL; h = (h ^ x) * 1099511628211ULL; return h; }
static const char *cycle(void) { static unsigned i; return names[i++ % 5]; }

int main(void) {
    for (int i = 0; i < 5; i++) printf("id=%d ", next_id());
    printf("\n");
    for (int i = 0; i < 64; i++) zeroed[i] += i * counter;
    long s = 0; for (int i = 0; i < 64; i++) s += zeroed[i];
    printf("zeroed sum=%ld\n", s);
    double w = 0; for (int i = 0; i < 4; i++) w += weights[i] * values[i];
    printf("weighted=%.17g\n", w);
    *value_ptrs[2] += 10;
    printf("counter=%d *vp0=%d *vp1=%d\n", counter, *value_ptrs[0], *value_ptrs[1]);
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
        *bindings[i].target += (int)bindings[i].bias;
        printf("%s -> %d\n", bindings[i].label, *bindings[i].target);
    }
    for (int i = 0; i < 7; i++) printf("%s ", cycle());
    printf("\n");
    uint64_t h = 0; for (int i = 0; i < 100; i++) h = running_hash((uint64_t)i);
    printf("running hash=%llu\n", (unsigned long long)h);
    printf("ops: %d %d\n", ops[0](21), ops[1](12));
    for (const struct node *n = list_head; n; n = n->next) printf("node %d\n", n->v);
    strcat(message, " + suffix");
    printf("%s (%zu)\n", message, strlen(message));
    printf("values:"); for (int i = 0; i < 8; i++) printf(" %d", values[i]); printf("\n");
    return 0;
}
