#include <math.h>
#include <stdio.h>
#include "util.h"

int main(void) {
    struct vec a = {0}, b = {0};
    for (int i = 0; i < 1000; i++) {
        vec_push(&a, sin(i * 0.01));
        vec_push(&b, exp(-i / 250.0));
    }
    struct summary sa = summarize(&a), sb = summarize(&b);
    struct strbuf out = {0};
    sb_printf(&out, "a: mean=%.17g stddev=%.17g min=%.17g max=%.17g\n", sa.mean, sa.stddev, sa.min, sa.max);
    sb_printf(&out, "b: mean=%.17g stddev=%.17g min=%.17g max=%.17g\n", sb.mean, sb.stddev, sb.min, sb.max);
    sb_printf(&out, "dot=%.17g len=%zu calls=%d\n", vec_dot(&a, &b), a.len, stats_calls);
    fputs(out.s, stdout);
    printf("report length=%zu hash=%lu\n", out.len, sb_hash(&out));
    sb_free(&out);
    vec_free(&a);
    vec_free(&b);
    return 0;
}
