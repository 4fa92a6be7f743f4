//! The register facts a frame rewriter needs, as DWARF register numbers.
//!
//! DWARF numbers are what `.llvm_stackmaps` and `.eh_frame` both speak, so the
//! transform table and the runtime use them too and never an ISA's own encoding.

/// A DWARF register number (the psABI's "DWARF Register Number Mapping").
pub type DwarfRegister = u16;

/// One callee-saved register: a callee that uses it saves it in its frame (the CFI
/// says where), so an outer frame's value of it may live in an inner frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CalleeSaved {
    /// Its DWARF register number.
    pub register: DwarfRegister,
    /// How many bytes of it the callee preserves (8 for the lower half of a vector
    /// register whose low 64 bits only are callee-saved).
    pub size: u8,
    /// The assembler name, for dumps and diagnostics.
    pub name: &'static str,
}

/// Per-ISA register facts, one `const` per ISA (see the `x86_64`, `aarch64` and
/// `riscv64` modules, whose comments cite the psABI for each entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegisterFacts {
    /// The stack pointer.
    pub stack_pointer: DwarfRegister,
    /// The frame pointer, when a function keeps one (`"frame-pointer"="all"`).
    pub frame_pointer: DwarfRegister,
    /// The `.eh_frame` return-address column: a real register (the link register)
    /// on aarch64 and riscv64, a pseudo-register meaning "the word at CFA-8" on x86-64.
    pub return_address: DwarfRegister,
    /// Whether the return address arrives in a register (`bl`/`jal` write the link
    /// register) rather than on the stack (x86-64's `call` pushes it).
    pub return_address_in_register: bool,
    /// The callee-saved registers, in DWARF order.
    pub callee_saved: &'static [CalleeSaved],
    /// Names of DWARF registers `0..names.len()`, `""` where unassigned.
    pub names: &'static [&'static str],
}

impl RegisterFacts {
    /// Whether `register` is preserved across calls by the psABI.
    pub fn is_callee_saved(&self, register: DwarfRegister) -> bool {
        self.callee_saved.iter().any(|c| c.register == register)
    }

    /// The assembler name of a DWARF register, if it has one.
    pub fn name(&self, register: DwarfRegister) -> Option<&'static str> {
        match self.names.get(usize::from(register)) {
            Some(name) if !name.is_empty() => Some(name),
            _ => None,
        }
    }
}

/// Shorthand for the callee-saved tables.
pub(super) const fn saved(register: DwarfRegister, size: u8, name: &'static str) -> CalleeSaved {
    CalleeSaved { register, size, name }
}
