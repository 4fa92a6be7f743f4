/* Pointers to stack memory: locals whose address is taken live on the unsafe stack (at
 * the same address on every ISA), and pointers to them are kept in locals, in a struct,
 * in an array and in a heap object across a loop with calls; every write goes through
 * one of those pointers, and the end checks both the values and that each pointer
 * still points where it did. */
#include <stdio.h>
#include <stdlib.h>

struct holder { int *p; double *q; int *slots[4]; };
struct node { int *target; struct holder *owner; int value; };

__attribute__((noinline)) static int tick(int i) {
    int r = i;
    for (int j = 0; j < (i & 3) + 1; j++) r = r * 1103515245 + 12345;
    return (r >> 4) & 1023;
}

__attribute__((noinline)) static void bump(int **where, int n, int by) {
    for (int i = 0; i < n; i++) *where[i] += by + i;
}

int main(void) {
    int local = 5;
    double dlocal = 2.5;
    int arr[8] = {0};
    int *lp = &local;
    struct holder h = {&local, &dlocal, {&arr[0], &arr[3], &arr[5], &arr[7]}};
    int *parr[3] = {&arr[1], &arr[2], &local};
    struct node *heap = malloc(sizeof *heap);
    heap->target = &arr[6];
    heap->owner = &h;
    heap->value = 0;
    for (int i = 0; i < 300; i++) {
        int t = tick(i);
        *lp += t & 7;
        *h.q += t * 0.5;
        *h.slots[i & 3] += i;
        *heap->target ^= t;
        *heap->owner->slots[(i + 1) & 3] += 1;
        bump(parr, 3, t & 3);
        heap->value += *parr[i % 3] & 15;
    }
    printf("local %d dlocal %.17g heap %d\n", local, dlocal, heap->value);
    for (int i = 0; i < 8; i++) printf("arr[%d] %d\n", i, arr[i]);
    printf("same %d %d %d %d %d %d\n", lp == &local, h.p == &local, h.q == &dlocal, h.slots[2] == &arr[5],
           parr[2] == &local, heap->target == &arr[6] && heap->owner == &h);
    free(heap);
    return 0;
}
