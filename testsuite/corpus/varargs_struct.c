// Structs, floats and doubles through variadic arguments, read back with va_arg.
#include <stdio.h>
#include <stdarg.h>

struct pt { int x, y; };
struct dd { double a, b; };
struct big { long v[4]; };

static void show(const char *kinds, ...) {
    va_list ap; va_start(ap, kinds);
    for (const char *k = kinds; *k; k++) {
        switch (*k) {
        case 'p': { struct pt p = va_arg(ap, struct pt); printf("pt(%d,%d) ", p.x, p.y); break; }
        case 'd': { struct dd d = va_arg(ap, struct dd); printf("dd(%.17g,%.17g) ", d.a, d.b); break; }
        case 'b': { struct big b = va_arg(ap, struct big); printf("big(%ld,%ld,%ld,%ld) ", b.v[0], b.v[1], b.v[2], b.v[3]); break; }
        case 'f': printf("f=%.9g ", va_arg(ap, double)); break;
        case 'i': printf("i=%d ", va_arg(ap, int)); break;
        }
    }
    va_end(ap);
    printf("\n");
}

int main(void) {
    struct pt p = {3, -4};
    struct dd d = {0.5, 1e100};
    struct big b = {{1, -2, 3000000000L, -4000000000L}};
    show("pdb", p, d, b);
    show("ifpfdib", 1, 2.5f, p, 3.25, d, 7, b);
    show("bbbbpppp", b, b, b, b, p, p, p, p);
    return 0;
}
