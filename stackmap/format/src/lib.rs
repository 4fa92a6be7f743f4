//! The facts and formats shared by the host tools and the no_std runtime.
//!
//! This crate is `no_std` (and allocation-free) so that `runtime-lib` reads exactly what
//! the host tools wrote. It holds the [`Isa`] enum (one place for per-ISA facts,
//! including DWARF register numbers and callee-saved sets) and the
//! [`table::TransformTable`] format with its zero-copy reader, the [`checkpoint`] file
//! format a migrating process writes and its destination restores, and the
//! [`migration`] conventions between the runtime and the tools. It is not a parser of
//! LLVM stackmaps or DWARF; that is `het-stackmap`, which also writes the tables.
#![no_std]
#![deny(missing_docs)]

pub mod checkpoint;
pub mod isa;
pub mod migration;
pub mod table;

pub use checkpoint::{Checkpoint, CheckpointError};
pub use isa::Isa;
pub use table::{EquivalencePoint, TableError, TransformTable};
