// Linked structures: a singly linked list (insert, reverse, merge sort, delete) and an
// AVL tree (insert, delete, in-order walk, height), all heap-allocated.
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

struct ln { int v; struct ln *next; };
static struct ln *push(struct ln *h, int v) { struct ln *n = malloc(sizeof *n); n->v = v; n->next = h; return n; }
static struct ln *reverse(struct ln *h) { struct ln *r = NULL; while (h) { struct ln *n = h->next; h->next = r; r = h; h = n; } return r; }
static struct ln *merge(struct ln *a, struct ln *b) {
    struct ln head, *t = &head;
    while (a && b) { if (a->v <= b->v) { t->next = a; a = a->next; } else { t->next = b; b = b->next; } t = t->next; }
    t->next = a ? a : b; return head.next;
}
static struct ln *msort(struct ln *h) {
    if (!h || !h->next) return h;
    struct ln *slow = h, *fast = h->next;
    while (fast && fast->next) { slow = slow->next; fast = fast->next->next; }
    struct ln *b = slow->next; slow->next = NULL;
    return merge(msort(h), msort(b));
}
static struct ln *remove_if_div(struct ln *h, int d, int *removed) {
    struct ln **pp = &h;
    while (*pp) { if ((*pp)->v % d == 0) { struct ln *dead = *pp; *pp = dead->next; free(dead); (*removed)++; } else pp = &(*pp)->next; }
    return h;
}
static uint64_t list_hash(const struct ln *h, int *len) { uint64_t x = 0; *len = 0; for (; h; h = h->next) { x = x * 31 + (uint32_t)h->v; (*len)++; } return x; }

struct avl { int key, h; struct avl *l, *r; };
static int ht(struct avl *n) { return n ? n->h : 0; }
static void fix(struct avl *n) { int a = ht(n->l), b = ht(n->r); n->h = 1 + (a > b ? a : b); }
static struct avl *rot_r(struct avl *n) { struct avl *l = n->l; n->l = l->r; l->r = n; fix(n); fix(l); return l; }
static struct avl *rot_l(struct avl *n) { struct avl *r = n->r; n->r = r->l; r->l = n; fix(n); fix(r); return r; }
static struct avl *balance(struct avl *n) {
    fix(n);
    int bf = ht(n->l) - ht(n->r);
    if (bf > 1) { if (ht(n->l->l) < ht(n->l->r)) n->l = rot_l(n->l); return rot_r(n); }
    if (bf < -1) { if (ht(n->r->r) < ht(n->r->l)) n->r = rot_r(n->r); return rot_l(n); }
    return n;
}
static struct avl *insert(struct avl *n, int k) {
    if (!n) { n = calloc(1, sizeof *n); n->key = k; n->h = 1; return n; }
    if (k < n->key) n->l = insert(n->l, k); else if (k > n->key) n->r = insert(n->r, k); else return n;
    return balance(n);
}
static struct avl *erase(struct avl *n, int k) {
    if (!n) return NULL;
    if (k < n->key) n->l = erase(n->l, k);
    else if (k > n->key) n->r = erase(n->r, k);
    else {
        if (!n->l || !n->r) { struct avl *c = n->l ? n->l : n->r; free(n); return c; }
        struct avl *m = n->r; while (m->l) m = m->l;
        n->key = m->key; n->r = erase(n->r, m->key);
    }
    return balance(n);
}
static void walk(struct avl *n, uint64_t *h, int *count) { if (!n) return; walk(n->l, h, count); *h = *h * 1000003 + (uint32_t)n->key; (*count)++; walk(n->r, h, count); }
static void destroy(struct avl *n) { if (n) { destroy(n->l); destroy(n->r); free(n); } }

int main(void) {
    uint32_t s = 77;
    struct ln *list = NULL;
    for (int i = 0; i < 5000; i++) { s = s * 1664525u + 1013904223u; list = push(list, (int)(s >> 12) % 100000); }
    int len; uint64_t h = list_hash(list, &len);
    printf("list len=%d hash=%llu\n", len, (unsigned long long)h);
    list = reverse(list); h = list_hash(list, &len);
    printf("reversed hash=%llu\n", (unsigned long long)h);
    list = msort(list); h = list_hash(list, &len);
    printf("sorted first=%d hash=%llu\n", list->v, (unsigned long long)h);
    int removed = 0; list = remove_if_div(list, 3, &removed); h = list_hash(list, &len);
    printf("removed=%d len=%d hash=%llu\n", removed, len, (unsigned long long)h);
    while (list) { struct ln *n = list->next; free(list); list = n; }
    struct avl *root = NULL;
    for (int i = 0; i < 20000; i++) { s = s * 1664525u + 1013904223u; root = insert(root, (int)(s >> 8) % 50000); }
    uint64_t th = 0; int count = 0; walk(root, &th, &count);
    printf("avl count=%d height=%d hash=%llu\n", count, ht(root), (unsigned long long)th);
    for (int k = 0; k < 50000; k += 3) root = erase(root, k);
    th = 0; count = 0; walk(root, &th, &count);
    printf("after erase count=%d height=%d hash=%llu root=%d\n", count, ht(root), (unsigned long long)th, root->key);
    destroy(root);
    return 0;
}
