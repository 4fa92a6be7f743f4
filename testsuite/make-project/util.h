/* Shared declarations for the make-project test program. */
#ifndef UTIL_H
#define UTIL_H
#include <stddef.h>

/* vec.c (in libutil.a): a growable array of doubles. */
struct vec { double *data; size_t len, cap; };
void vec_push(struct vec *v, double x);
void vec_free(struct vec *v);
double vec_dot(const struct vec *a, const struct vec *b);

/* strbuf.c (in libutil.a): an append-only string buffer with printf. */
struct strbuf { char *s; size_t len, cap; };
void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
unsigned long sb_hash(const struct strbuf *b);
void sb_free(struct strbuf *b);

/* stats.c (linked directly): summary statistics. */
struct summary { double mean, stddev, min, max; };
struct summary summarize(const struct vec *v);
extern int stats_calls;

#endif
