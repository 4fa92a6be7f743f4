//! x86-64 register facts: System V AMD64 psABI, §3.2.1 "Registers" (Figure 3.4:
//! usage) and §3.6.2 "DWARF Register Number Mapping" (Figure 3.36).

use super::registers::{saved, CalleeSaved, RegisterFacts};

/// %rsp.
const RSP: u16 = 7;
/// %rbp.
const RBP: u16 = 6;
/// The return-address pseudo-register: the CIE says it is saved at CFA-8, where
/// `call` pushed it.
const RA: u16 = 16;

/// Figure 3.4 "callee-saved: yes". x87 control word and MXCSR control bits are also
/// preserved but are not general registers; hetcc code never changes them.
const CALLEE_SAVED: &[CalleeSaved] = &[
    // %rbx: general callee-saved register.
    saved(3, 8, "rbx"),
    // %rbp: callee-saved; the frame pointer when one is kept.
    saved(RBP, 8, "rbp"),
    // %r12-%r15: general callee-saved registers.
    saved(12, 8, "r12"),
    saved(13, 8, "r13"),
    saved(14, 8, "r14"),
    saved(15, 8, "r15"),
];

/// DWARF 0-16, then %xmm0-%xmm15 (17-32).
const NAMES: &[&str] = &[
    "rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "ra",
    "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
    "xmm14", "xmm15",
];

pub(super) const REGISTERS: RegisterFacts = RegisterFacts {
    stack_pointer: RSP,
    frame_pointer: RBP,
    return_address: RA,
    return_address_in_register: false,
    callee_saved: CALLEE_SAVED,
    names: NAMES,
};
