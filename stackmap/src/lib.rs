//! Transform tables: will parse each linked binary's `.llvm_stackmaps` and unwind
//! information into compact per-ISA tables in the `het-format` layout.
//!
//! Not yet implemented: equivalence points arrive with live migration (issue 3).
