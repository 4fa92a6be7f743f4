// Small structs passed and returned by value, including mixed float/int aggregates
// that the three psABIs split across integer and FP registers differently.
#include <stdio.h>
#include <stdint.h>

struct IF { int i; float f; };
struct FI { float f; int i; };
struct DD { double x, y; };
struct FF { float a, b; };
struct FFF { float a, b, c; };
struct DI { double d; long l; };
struct CS { char c; short s; };
struct LL { long a, b; };
struct U8 { unsigned char b[3]; };

static struct IF make_if(int i, float f) { struct IF r = {i, f}; return r; }
static struct FI swap_if(struct IF v) { struct FI r = {v.f * 2.0f, v.i + 1}; return r; }
static struct DD dd_add(struct DD a, struct DD b) { struct DD r = {a.x + b.x, a.y + b.y}; return r; }
static struct DD dd_rot(struct DD a) { struct DD r = {-a.y, a.x}; return r; }
static struct FF ff_scale(struct FF v, float k) { struct FF r = {v.a * k, v.b * k}; return r; }
static struct FFF fff_cross(struct FFF u, struct FFF v) {
    struct FFF r;
    float t1 = u.b * v.c, t2 = u.c * v.b; r.a = t1 - t2;
    t1 = u.c * v.a; t2 = u.a * v.c; r.b = t1 - t2;
    t1 = u.a * v.b; t2 = u.b * v.a; r.c = t1 - t2;
    return r;
}
static struct DI di_step(struct DI v) { struct DI r = {v.d / 2.0 + 1.0, v.l * 3 - 1}; return r; }
static struct CS cs_mix(struct CS a, struct CS b) { struct CS r = {(char)(a.c + b.c), (short)(a.s - b.s)}; return r; }
static struct LL ll_fib(struct LL v) { struct LL r = {v.b, v.a + v.b}; return r; }
static struct U8 u8_inc(struct U8 v) { for (int i = 0; i < 3; i++) v.b[i] += (unsigned char)(i + 1); return v; }

/* Many struct arguments: some spill to the stack on every ABI. */
static double many(struct DD a, struct IF b, struct FF c, struct DI d, struct DD e,
                   struct IF f, struct FF g, struct DD h, int tail, double tail2) {
    double s = a.x;
    s += a.y; s += b.i; s += b.f; s += c.a; s += c.b; s += d.d; s += (double)d.l;
    s += e.x; s += e.y; s += f.i; s += f.f; s += g.a; s += g.b; s += h.x; s += h.y;
    s += tail; s += tail2;
    return s;
}

typedef struct DD (*dd_fn)(struct DD);

int main(void) {
    struct IF a = make_if(7, 1.25f);
    struct FI b = swap_if(a);
    printf("IF {%d, %.9g} -> FI {%.9g, %d}\n", a.i, (double)a.f, (double)b.f, b.i);
    struct DD p = {1.5, -2.25}, q = {0.125, 10.0};
    for (int i = 0; i < 5; i++) p = dd_add(dd_rot(p), q);
    printf("DD {%.17g, %.17g}\n", p.x, p.y);
    dd_fn fp = dd_rot;
    struct DD r = fp(fp(p));
    printf("DD via fnptr {%.17g, %.17g}\n", r.x, r.y);
    struct FF f = {3.0f, -0.5f};
    f = ff_scale(f, 1.5f);
    printf("FF {%.9g, %.9g}\n", (double)f.a, (double)f.b);
    struct FFF u = {1, 2, 3}, v = {4, 5, 6.5f};
    struct FFF c = fff_cross(u, v);
    printf("FFF {%.9g, %.9g, %.9g}\n", (double)c.a, (double)c.b, (double)c.c);
    struct DI d = {100.0, 5};
    for (int i = 0; i < 10; i++) d = di_step(d);
    printf("DI {%.17g, %ld}\n", d.d, d.l);
    struct CS s1 = {10, 1000}, s2 = {20, -300};
    struct CS s3 = cs_mix(s1, s2);
    printf("CS {%d, %d}\n", s3.c, s3.s);
    struct LL l = {0, 1};
    for (int i = 0; i < 90; i++) l = ll_fib(l);
    printf("LL fib90 {%ld, %ld}\n", l.a, l.b);
    struct U8 w = {{250, 100, 7}};
    for (int i = 0; i < 5; i++) w = u8_inc(w);
    printf("U8 {%d, %d, %d}\n", w.b[0], w.b[1], w.b[2]);
    struct DD h = {0.5, 0.25};
    struct DI di = {2.5, -9};
    printf("many=%.17g\n", many(p, a, f, di, q, make_if(-3, 0.75f), ff_scale(f, -1.0f), h, 11, 0.001));
    return 0;
}
