//! The aligner: one memory layout for every ISA.
//!
//! It reads a first-pass link of each ISA, computes one address for every input
//! section (max size, max alignment, ISA-only sections as holes), writes one ld.lld
//! linker script per ISA, and verifies the final binaries against each other. It does
//! not run the linker itself; the driver does.
//!
//! Phases, one module each: [`link_map`] (read pass-1 maps) → [`layout`] (one layout)
//! → [`script`] (one script per ISA) → link pass 2 (driver) → [`verify`] (an independent
//! check of the binaries) and [`inspect`] (a readable report).

pub mod inspect;
pub mod layout;
pub mod link_map;
pub mod script;
pub mod verify;

mod elf;
pub use elf::{Image, Kind, Section, Symbol, Tls};
