#include <stdlib.h>
#include "util.h"

void vec_push(struct vec *v, double x) {
    if (v->len == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->data = realloc(v->data, v->cap * sizeof *v->data);
    }
    v->data[v->len++] = x;
}

void vec_free(struct vec *v) { free(v->data); v->data = NULL; v->len = v->cap = 0; }

double vec_dot(const struct vec *a, const struct vec *b) {
    double s = 0;
    size_t n = a->len < b->len ? a->len : b->len;
    for (size_t i = 0; i < n; i++) { double t = a->data[i] * b->data[i]; s += t; }
    return s;
}
