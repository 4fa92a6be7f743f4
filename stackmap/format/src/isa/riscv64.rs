//! riscv64 register facts: RISC-V psABI "Integer Register Convention" and
//! "Floating-point Register Convention" (lp64d), DWARF numbers from its "DWARF Register
//! Numbers" table: x0-x31 = 0-31, f0-f31 = 32-63.

use super::registers::{saved, CalleeSaved, RegisterFacts};

/// x2 (sp).
const SP: u16 = 2;
/// x8 (s0/fp), the frame pointer when one is kept.
const FP: u16 = 8;
/// x1 (ra): `jal`/`jalr` write the return address here.
const RA: u16 = 1;

/// "Preserved across calls: yes". gp (x3) and tp (x4) are never allocated (global and
/// thread pointer; unchanged by any call) and are not saved by prologues. ra is not
/// callee-saved but is saved by every non-leaf prologue; the table records it as the
/// return-address rule instead.
const CALLEE_SAVED: &[CalleeSaved] = &[
    // s0/fp, s1: callee-saved.
    saved(FP, 8, "s0"),
    saved(9, 8, "s1"),
    // s2-s11 (x18-x27): callee-saved.
    saved(18, 8, "s2"),
    saved(19, 8, "s3"),
    saved(20, 8, "s4"),
    saved(21, 8, "s5"),
    saved(22, 8, "s6"),
    saved(23, 8, "s7"),
    saved(24, 8, "s8"),
    saved(25, 8, "s9"),
    saved(26, 8, "s10"),
    saved(27, 8, "s11"),
    // fs0, fs1 (f8, f9): callee-saved under lp64d (the D extension's 64 bits).
    saved(40, 8, "fs0"),
    saved(41, 8, "fs1"),
    // fs2-fs11 (f18-f27): callee-saved under lp64d.
    saved(50, 8, "fs2"),
    saved(51, 8, "fs3"),
    saved(52, 8, "fs4"),
    saved(53, 8, "fs5"),
    saved(54, 8, "fs6"),
    saved(55, 8, "fs7"),
    saved(56, 8, "fs8"),
    saved(57, 8, "fs9"),
    saved(58, 8, "fs10"),
    saved(59, 8, "fs11"),
];

/// ABI names of DWARF 0-63.
const NAMES: &[&str] = &[
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2",
    "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6", "ft0", "ft1", "ft2", "ft3", "ft4",
    "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4",
    "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
];

pub(super) const REGISTERS: RegisterFacts = RegisterFacts {
    stack_pointer: SP,
    frame_pointer: FP,
    return_address: RA,
    return_address_in_register: true,
    callee_saved: CALLEE_SAVED,
    names: NAMES,
};
