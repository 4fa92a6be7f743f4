//! The aligner: one memory layout for every ISA.
//!
//! It reads a first-pass link of each ISA, computes one address for every input
//! section (max size, max alignment, ISA-only sections as holes), writes one ld.lld
//! linker script per ISA, and verifies the final binaries against each other. It does
//! not run the linker itself; the driver does.
