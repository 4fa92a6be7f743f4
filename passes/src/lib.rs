//! LLVM IR passes written in Rust over the one canonical module hetcc builds.
//!
//! - [`portability`]: per translation unit, rejects what cannot yet run identically on
//!   every ISA (inline asm, target intrinsics, `long double`, raw syscalls, …), naming
//!   the construct and the source line.
//! - [`abi`]: on the whole linked program, rewrites the constructs whose ABI differs
//!   between ISAs into forms that do not: variadic definitions take a pointer to
//!   argument slots, and libc interfaces with ISA-specific layouts go through adapters.
//! - [`layout`]: gives every global a symbol and its own section, so the aligner can
//!   place each one at the same address on every ISA.
//! - [`retarget`]: turns a clone of the module into one ISA's module.
//!
//! This crate never runs clang or a linker; it only reads and rewrites modules.

pub mod abi;
pub mod diagnostic;
mod ir;
pub mod layout;
pub mod portability;
pub mod retarget;

pub use diagnostic::Diagnostic;
