// strtod of ordinary decimal strings (musl's __floatscan computes in long double).
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 200000;
    static const char *texts[] = {"0.1", "3.141592653589793", "1e300", "2.2250738585072014e-308",
                                  "123456.789", "-0.000123", "6.02214076e23", "1.7976931348623157e308"};
    double sum = 0;
    for (int i = 0; i < n; i++) {
        sum += strtod(texts[i % 8], 0) * 1e-300;
    }
    printf("%.17g\n", sum);
    return 0;
}
