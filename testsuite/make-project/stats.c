#include <math.h>
#include "util.h"

int stats_calls;

struct summary summarize(const struct vec *v) {
    struct summary s = {0, 0, 0, 0};
    stats_calls++;
    if (!v->len) return s;
    s.min = s.max = v->data[0];
    double sum = 0;
    for (size_t i = 0; i < v->len; i++) {
        sum += v->data[i];
        if (v->data[i] < s.min) s.min = v->data[i];
        if (v->data[i] > s.max) s.max = v->data[i];
    }
    s.mean = sum / (double)v->len;
    double var = 0;
    for (size_t i = 0; i < v->len; i++) { double d = v->data[i] - s.mean; double sq = d * d; var += sq; }
    s.stddev = sqrt(var / (double)v->len);
    return s;
}
