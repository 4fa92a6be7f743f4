//! The ISAs hetcc targets and the facts that differ between them.
//!
//! Register facts (DWARF numbers of the stack, frame and return-address registers, the
//! callee-saved sets) live in one small module per ISA, each citing its psABI.

mod aarch64;
mod registers;
mod riscv64;
mod x86_64;

pub use registers::{CalleeSaved, DwarfRegister, RegisterFacts};

/// An instruction-set architecture hetcc builds for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Isa {
    /// x86-64 (System V psABI).
    X86_64,
    /// AArch64 (AAPCS64).
    Aarch64,
    /// RISC-V 64 with the G and C extensions (lp64d).
    Riscv64,
}

impl Isa {
    /// Every supported ISA, in the order outputs and reports list them.
    pub const ALL: [Isa; 3] = [Isa::X86_64, Isa::Aarch64, Isa::Riscv64];

    /// The short name used in file names (`app.aarch64`), flags (`--targets=`) and reports.
    pub const fn name(self) -> &'static str {
        match self {
            Isa::X86_64 => "x86_64",
            Isa::Aarch64 => "aarch64",
            Isa::Riscv64 => "riscv64",
        }
    }

    /// Parses a short name; `amd64`, `arm64` and `riscv` are accepted as aliases.
    pub fn from_name(name: &str) -> Option<Isa> {
        match name {
            "x86_64" | "x86-64" | "amd64" => Some(Isa::X86_64),
            "aarch64" | "arm64" => Some(Isa::Aarch64),
            "riscv64" | "riscv" => Some(Isa::Riscv64),
            _ => None,
        }
    }

    /// The LLVM target triple each backend compiles for (musl, static).
    pub const fn triple(self) -> &'static str {
        match self {
            Isa::X86_64 => "x86_64-unknown-linux-musl",
            Isa::Aarch64 => "aarch64-unknown-linux-musl",
            Isa::Riscv64 => "riscv64-unknown-linux-musl",
        }
    }

    /// The ELF `e_machine` value of this ISA's binaries.
    pub const fn elf_machine(self) -> u16 {
        match self {
            Isa::X86_64 => 62,
            Isa::Aarch64 => 183,
            Isa::Riscv64 => 243,
        }
    }

    /// Maps an ELF `e_machine` value back to an ISA.
    pub fn from_elf_machine(machine: u16) -> Option<Isa> {
        Isa::ALL.into_iter().find(|isa| isa.elf_machine() == machine)
    }

    /// The LLVM CPU each backend compiles for: the ISA's baseline, so binaries run on
    /// any implementation of it.
    pub const fn llvm_cpu(self) -> &'static str {
        match self {
            Isa::X86_64 => "x86-64",
            Isa::Aarch64 => "generic",
            Isa::Riscv64 => "generic-rv64",
        }
    }

    /// LLVM target features. aarch64 disables outline atomics (they call libgcc
    /// helpers that read ISA-private state); riscv64 is RV64GC.
    pub const fn llvm_features(self) -> &'static str {
        match self {
            Isa::X86_64 => "",
            Isa::Aarch64 => "+neon,+fp-armv8,-outline-atomics",
            Isa::Riscv64 => "+m,+a,+f,+d,+c",
        }
    }

    /// The LLVM target ABI name, where the ISA has a choice.
    pub const fn llvm_abi(self) -> &'static str {
        match self {
            Isa::Riscv64 => "lp64d",
            _ => "",
        }
    }

    /// ld.lld's `-m` emulation for static executables.
    pub const fn lld_emulation(self) -> &'static str {
        match self {
            Isa::X86_64 => "elf_x86_64",
            Isa::Aarch64 => "aarch64linux",
            Isa::Riscv64 => "elf64lriscv",
        }
    }

    /// The qemu-user binary that runs this ISA's programs on another host.
    pub const fn qemu(self) -> &'static str {
        match self {
            Isa::X86_64 => "qemu-x86_64",
            Isa::Aarch64 => "qemu-aarch64",
            Isa::Riscv64 => "qemu-riscv64",
        }
    }

    /// Required stack alignment at a call, in bytes (all three psABIs say 16).
    pub const fn stack_alignment(self) -> u32 {
        16
    }

    /// The size of a pointer and of a general register, in bytes.
    pub const fn pointer_size(self) -> u32 {
        8
    }

    /// DWARF register numbers, callee-saved sets and register names.
    pub const fn registers(self) -> &'static RegisterFacts {
        match self {
            Isa::X86_64 => &x86_64::REGISTERS,
            Isa::Aarch64 => &aarch64::REGISTERS,
            Isa::Riscv64 => &riscv64::REGISTERS,
        }
    }
}

impl core::fmt::Display for Isa {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
