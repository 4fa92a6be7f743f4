/* Floating-point and vector values live across a loop with calls: two vectors of two
 * doubles and two vectors of four ints (`vector_size(16)`) and a scalar float are
 * updated every iteration around a call that is not inlined and printed at the end. */
#include <stdio.h>

typedef double v2d __attribute__((vector_size(16)));
typedef int v4i __attribute__((vector_size(16)));

__attribute__((noinline)) static int tick(int i) {
    int r = i;
    for (int j = 0; j < (i & 3) + 2; j++) r = r * 1103515245 + 12345;
    return r;
}

__attribute__((noinline)) static void run(int n) {
    v2d a = {1.0, 2.0}, b = {0.5, -0.25};
    v4i p = {1, 2, 3, 4}, q = {7, 11, 13, 17};
    float f = 0.5f;
    for (int i = 0; i < n; i++) {
        int t = tick(i);
        v2d tv = {(double)(t & 255), (double)((t >> 8) & 255)};
        a = a * 0.75 + tv;
        b = b + a * 0.125;
        v4i ti = {t, t >> 3, t >> 6, t >> 9};
        p = p ^ ti;
        q = q + (p & 0xff);
        f = f * 0.9f + (float)(t & 15);
    }
    printf("a %.17g %.17g b %.17g %.17g\n", a[0], a[1], b[0], b[1]);
    printf("p %d %d %d %d q %d %d %d %d f %.9g\n", p[0], p[1], p[2], p[3], q[0], q[1], q[2], q[3], (double)f);
}

int main(void) {
    run(150);
    run(301);
    return 0;
}
