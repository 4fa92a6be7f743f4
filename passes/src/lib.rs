//! LLVM IR passes written in Rust: portability checks and normalisation of the one
//! canonical module, and its per-ISA clones.
//!
//! Not a driver: it never runs clang or a linker; it only reads and rewrites modules.
