// Large structs (> 16 bytes) passed and returned by value (memory class / sret),
// nested structs, arrays inside structs, and struct assignment through pointers.
#include <stdio.h>
#include <string.h>
#include <stdint.h>

struct Vec4 { double v[4]; };
struct Mat4 { struct Vec4 row[4]; };
struct Big { int id; char tag[20]; long counts[5]; double weight; };
struct Mixed24 { int a; double b; int c; };

static struct Vec4 vec4(double a, double b, double c, double d) { struct Vec4 r = {{a, b, c, d}}; return r; }
static struct Vec4 mat_mul_vec(struct Mat4 m, struct Vec4 x) {
    struct Vec4 r;
    for (int i = 0; i < 4; i++) {
        double s = 0;
        for (int j = 0; j < 4; j++) { double t = m.row[i].v[j] * x.v[j]; s += t; }
        r.v[i] = s;
    }
    return r;
}
static struct Mat4 mat_mul(struct Mat4 a, struct Mat4 b) {
    struct Mat4 r;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            double s = 0;
            for (int k = 0; k < 4; k++) { double t = a.row[i].v[k] * b.row[k].v[j]; s += t; }
            r.row[i].v[j] = s;
        }
    return r;
}
static struct Big big_update(struct Big b, int k) {
    b.id += k;
    size_t n = strlen(b.tag);
    if (n < sizeof b.tag - 1) { b.tag[n] = (char)('a' + k % 26); b.tag[n + 1] = 0; }
    for (int i = 0; i < 5; i++) b.counts[i] = b.counts[i] * 2 + k + i;
    b.weight = b.weight * 0.75 + k;
    return b;
}
static struct Mixed24 mixed(struct Mixed24 m, struct Mixed24 n) {
    struct Mixed24 r = {m.a + n.c, m.b * n.b, m.c - n.a};
    return r;
}
static uint64_t big_hash(const struct Big *b) {
    uint64_t h = (uint64_t)b->id;
    for (const char *p = b->tag; *p; p++) h = h * 131 + (unsigned char)*p;
    for (int i = 0; i < 5; i++) h = h * 1000003 ^ (uint64_t)b->counts[i];
    return h;
}

int main(void) {
    struct Mat4 m;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) m.row[i].v[j] = (double)(i * 4 + j + 1) / 8.0;
    struct Mat4 m2 = mat_mul(m, m);
    struct Vec4 x = mat_mul_vec(m2, vec4(1, -1, 0.5, 2));
    printf("Vec4 {%.17g, %.17g, %.17g, %.17g}\n", x.v[0], x.v[1], x.v[2], x.v[3]);
    struct Big b = {1, "start", {1, 2, 3, 4, 5}, 10.0};
    for (int k = 0; k < 12; k++) b = big_update(b, k);
    printf("Big id=%d tag=%s weight=%.17g hash=%llu\n", b.id, b.tag, b.weight, (unsigned long long)big_hash(&b));
    struct Big arr[3];
    arr[0] = b; arr[1] = big_update(arr[0], 3); arr[2] = arr[1];
    arr[2].counts[4] = -1;
    printf("Big array hashes %llu %llu %llu\n", (unsigned long long)big_hash(&arr[0]),
           (unsigned long long)big_hash(&arr[1]), (unsigned long long)big_hash(&arr[2]));
    struct Mixed24 p = {3, 1.5, 9}, q = {4, -2.0, 11};
    for (int i = 0; i < 6; i++) p = mixed(p, q);
    printf("Mixed24 {%d, %.17g, %d}\n", p.a, p.b, p.c);
    return 0;
}
