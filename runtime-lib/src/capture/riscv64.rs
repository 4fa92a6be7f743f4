//! riscv64 entry stub. At entry ra is the return address and sp is the caller's SP.
//! s0-s11 and (lp64d) fs0-fs11 are callee-saved (RISC-V psABI register conventions).

/// DWARF numbers of the registers after SP and RA: s0, s1, s2-s11, fs0, fs1, fs2-fs11.
pub const LAYOUT: [u16; 24] = [
    8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 40, 41, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
];

// Frame: 26 words of capture at sp+0..208, then our own ra and s0 at 216 and 208
// (224 bytes, 16-aligned).
core::arch::global_asm!(
    ".section .text.__het_migration_point,\"ax\",@progbits",
    ".globl __het_migration_point",
    ".type __het_migration_point,@function",
    ".p2align 1",
    "__het_migration_point:",
    "addi sp, sp, -224",
    "sd ra, 216(sp)",
    "sd s0, 208(sp)",
    "addi s0, sp, 224", // the caller's SP (also our frame pointer)
    "sd s0, 0(sp)",
    "sd ra, 8(sp)",   // the return address
    "ld t0, 208(sp)", // the caller's s0
    "sd t0, 16(sp)",
    "sd s1, 24(sp)",
    "sd s2, 32(sp)",
    "sd s3, 40(sp)",
    "sd s4, 48(sp)",
    "sd s5, 56(sp)",
    "sd s6, 64(sp)",
    "sd s7, 72(sp)",
    "sd s8, 80(sp)",
    "sd s9, 88(sp)",
    "sd s10, 96(sp)",
    "sd s11, 104(sp)",
    "fsd fs0, 112(sp)",
    "fsd fs1, 120(sp)",
    "fsd fs2, 128(sp)",
    "fsd fs3, 136(sp)",
    "fsd fs4, 144(sp)",
    "fsd fs5, 152(sp)",
    "fsd fs6, 160(sp)",
    "fsd fs7, 168(sp)",
    "fsd fs8, 176(sp)",
    "fsd fs9, 184(sp)",
    "fsd fs10, 192(sp)",
    "fsd fs11, 200(sp)",
    "mv a0, sp",
    "call __het_migration_slow_path",
    "ld ra, 216(sp)",
    "ld s0, 208(sp)",
    "addi sp, sp, 224",
    "ret",
    ".size __het_migration_point, . - __het_migration_point",
    ".text",
);

// `__het_setjmp(buffer, save_mask)`: the same capture, into the buffer (a0), then the
// Rust half with both arguments untouched; it returns 0 to our caller (ra unchanged).
core::arch::global_asm!(
    ".section .text.__het_setjmp,\"ax\",@progbits",
    ".globl __het_setjmp",
    ".type __het_setjmp,@function",
    ".p2align 1",
    "__het_setjmp:",
    "sd sp, 0(a0)", // the caller's SP
    "sd ra, 8(a0)", // the return address
    "sd s0, 16(a0)",
    "sd s1, 24(a0)",
    "sd s2, 32(a0)",
    "sd s3, 40(a0)",
    "sd s4, 48(a0)",
    "sd s5, 56(a0)",
    "sd s6, 64(a0)",
    "sd s7, 72(a0)",
    "sd s8, 80(a0)",
    "sd s9, 88(a0)",
    "sd s10, 96(a0)",
    "sd s11, 104(a0)",
    "fsd fs0, 112(a0)",
    "fsd fs1, 120(a0)",
    "fsd fs2, 128(a0)",
    "fsd fs3, 136(a0)",
    "fsd fs4, 144(a0)",
    "fsd fs5, 152(a0)",
    "fsd fs6, 160(a0)",
    "fsd fs7, 168(a0)",
    "fsd fs8, 176(a0)",
    "fsd fs9, 184(a0)",
    "fsd fs10, 192(a0)",
    "fsd fs11, 200(a0)",
    "tail __het_setjmp_tail",
    ".size __het_setjmp, . - __het_setjmp",
    ".text",
);
