// Unions (type punning, tagged unions) and bitfields (packing, signed/unsigned fields,
// read-modify-write), with raw bytes printed to expose layout.
#include <stdio.h>
#include <stdint.h>
#include <string.h>

union pun { double d; uint64_t u; uint32_t w[2]; unsigned char b[8]; float f; };
struct flags {
    unsigned ready : 1;
    unsigned mode : 3;
    signed delta : 5;
    unsigned count : 7;
    unsigned long long wide : 40;
    unsigned tail : 4;
};
struct packed_rgb { unsigned r : 5, g : 6, b : 5; };
enum kind { K_INT, K_DBL, K_STR };
struct value { enum kind kind; union { long i; double d; const char *s; } as; };

static void print_bytes(const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}
static double value_num(struct value v) {
    switch (v.kind) {
    case K_INT: return (double)v.as.i;
    case K_DBL: return v.as.d;
    default: return (double)strlen(v.as.s);
    }
}

int main(void) {
    union pun p; p.d = -1.5;
    printf("pun: u=%016llx w=%08x,%08x b0=%02x b7=%02x\n", (unsigned long long)p.u, p.w[0], p.w[1], p.b[0], p.b[7]);
    p.u = 0; p.f = 3.0f;
    printf("float in union: u=%016llx\n", (unsigned long long)p.u);
    struct flags f; memset(&f, 0, sizeof f);
    f.ready = 1; f.mode = 5; f.delta = -9; f.count = 100; f.wide = 0x12345678ABULL; f.tail = 0xF;
    printf("sizeof flags=%zu: ", sizeof f); print_bytes(&f, sizeof f);
    f.delta += 20;  /* -9 + 20 = 11 */
    f.count += 30;  /* 130 wraps to 2 in 7 bits */
    f.mode = (f.mode + 6) & 7;
    f.wide <<= 3;
    printf("after rmw: ready=%u mode=%u delta=%d count=%u wide=%llx tail=%u\n", f.ready, f.mode, f.delta, f.count,
           (unsigned long long)f.wide, f.tail);
    printf("bytes: "); print_bytes(&f, sizeof f);
    struct packed_rgb c = {31, 63, 0};
    uint16_t raw; memcpy(&raw, &c, sizeof raw);
    printf("rgb565 sizeof=%zu raw=%04x\n", sizeof c, raw);
    c.g = 17; c.b = 9; memcpy(&raw, &c, sizeof raw);
    printf("rgb565 raw=%04x\n", raw);
    struct value vs[] = {{K_INT, {.i = -42}}, {K_DBL, {.d = 2.75}}, {K_STR, {.s = "seven c"}}};
    double total = 0;
    for (int i = 0; i < 3; i++) total += value_num(vs[i]);
    printf("tagged total=%.17g sizeof value=%zu\n", total, sizeof(struct value));
    return 0;
}
