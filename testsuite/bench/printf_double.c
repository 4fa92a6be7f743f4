// printf of ordinary doubles: snprintf("%.17g") of n values, then strtod back.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 200000;
    char buf[64];
    double x = 0.1, sum = 0;
    unsigned long len = 0;
    for (int i = 0; i < n; i++) {
        len += (unsigned long)snprintf(buf, sizeof buf, "%.17g", x);
        x = x * 1.37 + 0.001;
        if (x > 1e6) x = x / 1e9;
    }
    printf("%lu %.17g\n", len, x);
    (void)sum;
    return 0;
}
