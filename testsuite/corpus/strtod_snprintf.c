// Round trips between text and numbers: snprintf("%.17g") -> strtod must give back the
// same bits; %a hex floats; strtol/strtoul/strtoll bases and end pointers; atof/atoi.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <errno.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, sizeof u); return u; }

int main(void) {
    const double vals[] = {0.1, 1.0 / 3, 2.0 / 3, 1e23, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                           -0.0, 123456789.123456789, 9007199254740993.0, 3.141592653589793, 1e-7, 6.02214076e23};
    int mismatches = 0;
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char buf[64], hex[64];
        snprintf(buf, sizeof buf, "%.17g", vals[i]);
        snprintf(hex, sizeof hex, "%a", vals[i]);
        double back = strtod(buf, NULL), hback = strtod(hex, NULL);
        if (bits(back) != bits(vals[i]) || bits(hback) != bits(vals[i])) mismatches++;
        printf("%-26s %-24s %%g=%g %%e=%.3e\n", buf, hex, vals[i], vals[i]);
    }
    printf("round-trip mismatches=%d\n", mismatches);
    /* Shortest round trip by increasing precision. */
    const double sh[] = {0.1, 0.3, 1.0 / 3, 1e100, 123.456};
    for (int i = 0; i < 5; i++) {
        char buf[64];
        for (int p = 1; p <= 17; p++) { snprintf(buf, sizeof buf, "%.*g", p, sh[i]); if (strtod(buf, NULL) == sh[i]) break; }
        printf("shortest(%d)=%s\n", i, buf);
    }
    const char *texts[] = {"  -12.5e3xyz", "0x1.8p3", "inf", "-nan", "1e400", "1e-400", ".5", "junk"};
    for (int i = 0; i < 8; i++) {
        char *end; errno = 0;
        double d = strtod(texts[i], &end);
        printf("strtod('%s')=%g consumed=%d erange=%d\n", texts[i], d, (int)(end - texts[i]), errno == ERANGE);
    }
    const char *ints[] = {"12345", "-0x7fff", "0777", "zz", "9223372036854775807", "9223372036854775808", "-42abc"};
    for (int i = 0; i < 7; i++) {
        char *end; errno = 0;
        long long v = strtoll(ints[i], &end, 0);
        int e1 = errno == ERANGE;
        unsigned long u = strtoul(ints[i], NULL, 36);
        printf("strtoll('%s',0)=%lld consumed=%d erange=%d strtoul36=%lu\n", ints[i], v, (int)(end - ints[i]), e1, u);
    }
    printf("atoi=%d atol=%ld atof=%.17g\n", atoi("  -77 apples"), atol("123456789012"), atof("2.5e-3"));
    char out[128];
    int w = snprintf(out, sizeof out, "[%08.3f|%-8d|%+.2e|%x|%X|%#o|%5s|%.2s]", -3.14159, 42, 12345.678, 255u, 48879u, 8u, "ab", "xyz");
    printf("%s w=%d\n", out, w);
    long long parsed[3]; double pd; int k = sscanf("10 -20 0x30 4.5", "%lld %lld %lli %lf", &parsed[0], &parsed[1], &parsed[2], &pd);
    printf("sscanf k=%d %lld %lld %lld %.17g\n", k, parsed[0], parsed[1], parsed[2], pd);
    return 0;
}
