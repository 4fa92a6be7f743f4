//! The facts and formats shared by the host tools and the no_std runtime.
//!
//! This crate is `no_std` so that `runtime-lib` can read exactly what the host tools
//! wrote. It holds the [`Isa`] enum (one place for per-ISA facts) and, once migration
//! lands, the transform-table format. It is not a parser of LLVM stackmaps or DWARF;
//! that is `het-stackmap`.
#![no_std]
#![deny(missing_docs)]

pub mod isa;
pub use isa::Isa;
