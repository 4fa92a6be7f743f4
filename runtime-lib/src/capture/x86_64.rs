//! x86-64 entry stub. At entry `[rsp]` is the return address (pushed by `call`) and the
//! caller's SP after the return is `rsp + 8`. rbx, rbp, r12-r15 are callee-saved
//! (System V psABI §3.2.1); the SSE registers are all caller-saved.

/// DWARF numbers of the registers after SP and RA: rbp, rbx, r12-r15.
pub const LAYOUT: [u16; 6] = [6, 3, 12, 13, 14, 15];

// Frame: push rbp (rsp is then 16-aligned), 64 bytes of capture (8 words), call.
core::arch::global_asm!(
    ".section .text.__het_migration_point,\"ax\",@progbits",
    ".globl __het_migration_point",
    ".type __het_migration_point,@function",
    ".p2align 4",
    "__het_migration_point:",
    "push rbp",
    "mov rbp, rsp",
    "sub rsp, 64",
    "lea rax, [rbp + 16]", // the caller's SP after `ret`
    "mov [rsp], rax",
    "mov rax, [rbp + 8]", // the return address
    "mov [rsp + 8], rax",
    "mov rax, [rbp]", // the caller's rbp, saved by our push
    "mov [rsp + 16], rax",
    "mov [rsp + 24], rbx",
    "mov [rsp + 32], r12",
    "mov [rsp + 40], r13",
    "mov [rsp + 48], r14",
    "mov [rsp + 56], r15",
    "mov rdi, rsp",
    "call __het_migration_slow_path",
    "leave",
    "ret",
    ".size __het_migration_point, . - __het_migration_point",
    ".text",
);

// `__het_setjmp(buffer, save_mask)`: the same capture, into the buffer (rdi), then the
// Rust half with both arguments untouched; it returns 0 to our caller.
core::arch::global_asm!(
    ".section .text.__het_setjmp,\"ax\",@progbits",
    ".globl __het_setjmp",
    ".type __het_setjmp,@function",
    ".p2align 4",
    "__het_setjmp:",
    "lea rax, [rsp + 8]", // the caller's SP after `ret`
    "mov [rdi], rax",
    "mov rax, [rsp]", // the return address
    "mov [rdi + 8], rax",
    "mov [rdi + 16], rbp",
    "mov [rdi + 24], rbx",
    "mov [rdi + 32], r12",
    "mov [rdi + 40], r13",
    "mov [rdi + 48], r14",
    "mov [rdi + 56], r15",
    "jmp __het_setjmp_tail",
    ".size __het_setjmp, . - __het_setjmp",
    ".text",
);
