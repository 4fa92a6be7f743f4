//! Register capture: the per-ISA entry stub `__het_migration_point` (`global_asm!`)
//! stores the calling program frame's stack pointer, return address, frame pointer and
//! every callee-saved register into a [`Captured`] on its own frame, then calls
//! `__het_migration_slow_path` with a pointer to it.
//!
//! Callee-saved registers are exactly what the walk needs: at the slow-path call the
//! caller-saved ones hold nothing the program still needs (the call clobbers them),
//! and the stack maps put every live value in a stack slot; callee-saved registers
//! matter because an outer frame's value may be held in one (recovered through inner
//! frames' save slots), and because the frame pointer is one.

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "riscv64")]
mod riscv64;
#[cfg(target_arch = "x86_64")]
mod x86_64;

#[cfg(target_arch = "aarch64")]
pub use aarch64::LAYOUT;
#[cfg(target_arch = "riscv64")]
pub use riscv64::LAYOUT;
#[cfg(target_arch = "x86_64")]
pub use x86_64::LAYOUT;

/// Index of the caller's stack pointer (its value just after the call returns) in
/// [`Captured::words`].
pub const SP: usize = 0;
/// Index of the return address of the slow-path call.
pub const RA: usize = 1;
/// Index of the first register named by [`LAYOUT`].
pub const FIRST_REGISTER: usize = 2;

/// The capture the entry stub writes: `words[SP]`, `words[RA]`, then the register
/// `LAYOUT[i]` (a DWARF number) in `words[FIRST_REGISTER + i]`.
#[repr(C)]
pub struct Captured {
    /// The captured values; see the index constants.
    pub words: [u64; FIRST_REGISTER + LAYOUT.len()],
}
