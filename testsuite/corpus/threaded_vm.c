// A bytecode VM dispatched with computed goto (GNU labels-as-values), next to the same
// VM dispatched with a switch; both run the same program and must agree.
#include <stdio.h>
#include <stdint.h>

enum { OP_PUSH, OP_ADD, OP_MUL, OP_DUP, OP_SWAP, OP_DEC, OP_JNZ, OP_POP, OP_XOR, OP_HALT };
/* Computes a hash-like value: loop 100000 times { acc = (acc * 31) ^ counter }. */
static const int64_t code[] = {
    OP_PUSH, 7,          /* acc */
    OP_PUSH, 100000,     /* counter */
    /* loop (pc 4): stack = acc counter */
    OP_SWAP, OP_PUSH, 31, OP_MUL, /* counter acc*31 */
    OP_SWAP, OP_DUP,              /* acc*31 counter counter */
    OP_PUSH, 0, OP_ADD,           /* no-op add */
    OP_SWAP, OP_POP,              /* drop duplicate trick: acc*31 counter */
    OP_DUP,                       /* acc*31 counter counter */
    OP_PUSH, 0, OP_XOR, OP_POP,   /* exercise xor + pop */
    OP_SWAP, OP_PUSH, 0, OP_ADD, OP_SWAP, /* acc*31 counter */
    OP_DEC, OP_JNZ, 4,
    OP_POP, OP_HALT,
};

static int64_t run_goto(const int64_t *pc) {
    static void *labels[] = {&&push, &&add, &&mul, &&dup, &&swap, &&dec, &&jnz, &&pop, &&xor, &&halt};
    uint64_t st[64]; int sp = 0; const int64_t *base = pc;
#define NEXT goto *labels[*pc++]
    NEXT;
push: st[sp++] = (uint64_t)*pc++; NEXT;
add:  sp--; st[sp - 1] += st[sp]; NEXT;
mul:  sp--; st[sp - 1] *= st[sp]; NEXT;
dup:  st[sp] = st[sp - 1]; sp++; NEXT;
swap: { uint64_t t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; } NEXT;
dec:  st[sp - 1]--; st[sp - 2] ^= st[sp - 1]; NEXT;
jnz:  if (st[sp - 1]) pc = base + *pc; else pc++; NEXT;
pop:  sp--; NEXT;
xor:  sp--; st[sp - 1] ^= st[sp]; NEXT;
halt: return (int64_t)(st[sp - 1] & 0x7fffffffffffffffULL);
#undef NEXT
}

static int64_t run_switch(const int64_t *code0) {
    uint64_t st[64]; int sp = 0; const int64_t *pc = code0;
    for (;;) {
        switch (*pc++) {
        case OP_PUSH: st[sp++] = (uint64_t)*pc++; break;
        case OP_ADD: sp--; st[sp - 1] += st[sp]; break;
        case OP_MUL: sp--; st[sp - 1] *= st[sp]; break;
        case OP_DUP: st[sp] = st[sp - 1]; sp++; break;
        case OP_SWAP: { uint64_t t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; } break;
        case OP_DEC: st[sp - 1]--; st[sp - 2] ^= st[sp - 1]; break;
        case OP_JNZ: if (st[sp - 1]) pc = code0 + *pc; else pc++; break;
        case OP_POP: sp--; break;
        case OP_XOR: sp--; st[sp - 1] ^= st[sp]; break;
        case OP_HALT: return (int64_t)(st[sp - 1] & 0x7fffffffffffffffULL);
        }
    }
}

int main(void) {
    int64_t a = run_goto(code), b = run_switch(code);
    printf("computed goto=%lld switch=%lld agree=%d\n", (long long)a, (long long)b, a == b);
    return 0;
}
