// Function pointers: dispatch tables, callbacks, functions returning function pointers.
#include <stdio.h>
#include <stdint.h>
#include <string.h>

typedef int64_t (*binop)(int64_t, int64_t);

static int64_t op_add(int64_t a, int64_t b) { return a + b; }
static int64_t op_sub(int64_t a, int64_t b) { return a - b; }
static int64_t op_mul(int64_t a, int64_t b) { return a * b; }
static int64_t op_div(int64_t a, int64_t b) { return b ? a / b : 0; }
static int64_t op_mod(int64_t a, int64_t b) { return b ? a % b : 0; }
static int64_t op_xor(int64_t a, int64_t b) { return a ^ b; }
static int64_t op_min(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t op_max(int64_t a, int64_t b) { return a > b ? a : b; }

static const struct { const char *name; binop fn; } table[] = {
    {"add", op_add}, {"sub", op_sub}, {"mul", op_mul}, {"div", op_div},
    {"mod", op_mod}, {"xor", op_xor}, {"min", op_min}, {"max", op_max},
};
#define NOPS (sizeof table / sizeof table[0])

static binop lookup(const char *name) {
    for (size_t i = 0; i < NOPS; i++)
        if (strcmp(table[i].name, name) == 0) return table[i].fn;
    return 0;
}

/* A function returning a pointer to a function. */
static int64_t (*choose(int i))(int64_t, int64_t) { return table[i % NOPS].fn; }

/* Callbacks with a context pointer. */
typedef void (*visit_fn)(void *ctx, int value);
static void for_each(const int *xs, int n, visit_fn f, void *ctx) {
    for (int i = 0; i < n; i++) f(ctx, xs[i]);
}
struct stats { long sum; long sumsq; int count; };
static void accumulate(void *ctx, int v) {
    struct stats *s = ctx;
    s->sum += v; s->sumsq += (long)v * v; s->count++;
}
static void print_it(void *ctx, int v) { (void)ctx; printf(" %d", v); }

/* State machine driven by a table of function pointers indexed by state. */
typedef int (*state_fn)(int c);
static int st_start(int c) { return c == 'a' ? 1 : 0; }
static int st_a(int c) { return c == 'b' ? 2 : (c == 'a' ? 1 : 0); }
static int st_ab(int c) { return c == 'c' ? 3 : (c == 'a' ? 1 : 0); }
static int st_done(int c) { (void)c; return 3; }
static state_fn states[] = {st_start, st_a, st_ab, st_done};

int main(void) {
    int64_t acc = 1;
    uint64_t h = 0;
    for (int i = 0; i < 1000; i++) {
        binop f = choose(i * 7 + 3);
        acc = f(acc, (int64_t)(i % 97) - 40);
        if (acc > 1000000000 || acc < -1000000000) acc %= 1000003;
        h = h * 1099511628211ULL ^ (uint64_t)acc;
    }
    printf("dispatch acc=%lld hash=%llu\n", (long long)acc, (unsigned long long)h);
    const char *names[] = {"mul", "sub", "max", "nope", "div"};
    for (int i = 0; i < 5; i++) {
        binop f = lookup(names[i]);
        if (f) printf("%s(84,-5)=%lld\n", names[i], (long long)f(84, -5));
        else printf("%s: not found\n", names[i]);
    }
    int xs[] = {5, -3, 12, 7, 0, 99, -41};
    struct stats s = {0, 0, 0};
    for_each(xs, 7, accumulate, &s);
    printf("stats count=%d sum=%ld sumsq=%ld; values:", s.count, s.sum, s.sumsq);
    for_each(xs, 7, print_it, NULL);
    printf("\n");
    const char *input = "xxabaabcxyz";
    int st = 0;
    for (const char *p = input; *p; p++) st = states[st](*p);
    printf("state machine final=%d\n", st);
    volatile binop vf = op_mul;  /* indirect call through a volatile pointer */
    printf("volatile call=%lld\n", (long long)vf(123456789, 1000));
    return 0;
}
