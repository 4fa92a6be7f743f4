//! aarch64 entry stub. At entry x30 (LR) is the return address and sp is the caller's
//! SP. x19-x29 and the low 64 bits of v8-v15 (d8-d15) are callee-saved (AAPCS64
//! §6.1.1, §6.1.2).

/// DWARF numbers of the registers after SP and RA: x29, x19-x28, v8-v15 (low halves).
pub const LAYOUT: [u16; 19] = [
    29, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 72, 73, 74, 75, 76, 77, 78, 79,
];

// Frame: a frame record (x29, x30), then 21 words of capture rounded up to 176 bytes
// so sp stays 16-aligned.
core::arch::global_asm!(
    ".section .text.__het_migration_point,\"ax\",%progbits",
    ".globl __het_migration_point",
    ".type __het_migration_point,%function",
    ".p2align 2",
    "__het_migration_point:",
    "stp x29, x30, [sp, #-16]!",
    "mov x29, sp",
    "sub sp, sp, #176",
    "add x9, x29, #16", // the caller's SP
    "str x9, [sp, #0]",
    "str x30, [sp, #8]", // the return address
    "ldr x9, [x29]",     // the caller's x29, saved in our frame record
    "str x9, [sp, #16]",
    "stp x19, x20, [sp, #24]",
    "stp x21, x22, [sp, #40]",
    "stp x23, x24, [sp, #56]",
    "stp x25, x26, [sp, #72]",
    "stp x27, x28, [sp, #88]",
    "stp d8, d9, [sp, #104]",
    "stp d10, d11, [sp, #120]",
    "stp d12, d13, [sp, #136]",
    "stp d14, d15, [sp, #152]",
    "mov x0, sp",
    "bl __het_migration_slow_path",
    "mov sp, x29",
    "ldp x29, x30, [sp], #16",
    "ret",
    ".size __het_migration_point, . - __het_migration_point",
    ".text",
);

// `__het_setjmp(buffer, save_mask)`: the same capture, into the buffer (x0), then the
// Rust half with both arguments untouched; it returns 0 to our caller (x30 unchanged).
core::arch::global_asm!(
    ".section .text.__het_setjmp,\"ax\",%progbits",
    ".globl __het_setjmp",
    ".type __het_setjmp,%function",
    ".p2align 2",
    "__het_setjmp:",
    "mov x9, sp", // the caller's SP
    "str x9, [x0, #0]",
    "str x30, [x0, #8]", // the return address
    "str x29, [x0, #16]",
    "stp x19, x20, [x0, #24]",
    "stp x21, x22, [x0, #40]",
    "stp x23, x24, [x0, #56]",
    "stp x25, x26, [x0, #72]",
    "stp x27, x28, [x0, #88]",
    "stp d8, d9, [x0, #104]",
    "stp d10, d11, [x0, #120]",
    "stp d12, d13, [x0, #136]",
    "stp d14, d15, [x0, #152]",
    "b __het_setjmp_tail",
    ".size __het_setjmp, . - __het_setjmp",
    ".text",
);
