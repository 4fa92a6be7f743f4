#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "util.h"

void sb_printf(struct strbuf *b, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) { va_end(ap2); return; }
    if (b->len + (size_t)n + 1 > b->cap) {
        while (b->len + (size_t)n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 64;
        b->s = realloc(b->s, b->cap);
    }
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}

unsigned long sb_hash(const struct strbuf *b) {
    unsigned long h = 5381;
    for (size_t i = 0; i < b->len; i++) h = h * 33 + (unsigned char)b->s[i];
    return h;
}

void sb_free(struct strbuf *b) { free(b->s); b->s = NULL; b->len = b->cap = 0; }
