//! AArch64 register facts: AAPCS64 §6.1.1 "General-purpose registers" and §6.1.2
//! "SIMD and Floating-Point registers"; DWARF numbers from "DWARF for the Arm 64-bit
//! Architecture" (aadwarf64) §4.1: x0-x30 = 0-30, sp = 31, v0-v31 = 64-95.

use super::registers::{saved, CalleeSaved, RegisterFacts};

/// sp.
const SP: u16 = 31;
/// x29, the frame pointer (AAPCS64 §6.2.3: the frame record's first word).
const FP: u16 = 29;
/// x30, the link register: `bl` writes the return address here.
const LR: u16 = 30;

/// AAPCS64: "A subroutine invocation must preserve the contents of the registers
/// r19-r29 and SP" and the low 64 bits of v8-v15. x18 is the platform register
/// (Linux leaves it a temporary; not preserved). x30 is not callee-saved but is saved by
/// every non-leaf prologue; the table records it as the return-address rule instead.
const CALLEE_SAVED: &[CalleeSaved] = &[
    // x19-x28: general callee-saved registers.
    saved(19, 8, "x19"),
    saved(20, 8, "x20"),
    saved(21, 8, "x21"),
    saved(22, 8, "x22"),
    saved(23, 8, "x23"),
    saved(24, 8, "x24"),
    saved(25, 8, "x25"),
    saved(26, 8, "x26"),
    saved(27, 8, "x27"),
    saved(28, 8, "x28"),
    // x29: the frame pointer, callee-saved.
    saved(FP, 8, "x29"),
    // v8-v15 (DWARF 72-79): only the lower 64 bits (d8-d15) are preserved.
    saved(72, 8, "d8"),
    saved(73, 8, "d9"),
    saved(74, 8, "d10"),
    saved(75, 8, "d11"),
    saved(76, 8, "d12"),
    saved(77, 8, "d13"),
    saved(78, 8, "d14"),
    saved(79, 8, "d15"),
];

/// DWARF 0-31 (x0-x30, sp); then unassigned numbers, then v0-v31 (64-95).
const NAMES: &[&str] = &[
    "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
    "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp", "", "", "", "",
    "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
    "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17",
    "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31",
];

pub(super) const REGISTERS: RegisterFacts = RegisterFacts {
    stack_pointer: SP,
    frame_pointer: FP,
    return_address: LR,
    return_address_in_register: true,
    callee_saved: CALLEE_SAVED,
    names: NAMES,
};
