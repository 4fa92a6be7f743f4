//! The `hetcc` compiler driver and the `het` user tool.
//!
//! `hetcc` is a drop-in C compiler: it runs clang-22 once per source for the canonical
//! target, checks portability, optimises once, and at link time compiles the whole
//! program for every ISA and links each with an aligned layout. The phases, in order:
//! [`cli`] → [`frontend`]/[`unit`] → [`inputs`] → [`link`] (whole-program passes,
//! [`codegen`] per ISA, ld.lld, aligner).
//!
//! It is not an optimiser or a linker itself: LLVM and ld.lld do that work.

pub mod cc;
pub mod cli;
pub mod codegen;
pub mod frontend;
pub mod het;
pub mod hetobj;
pub mod inputs;
pub mod internal;
pub mod link;
pub mod tables;
pub mod toolchain;
pub mod unit;
