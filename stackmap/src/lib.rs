//! Transform tables: each linked binary's `.llvm_stackmaps` (where every live value is
//! at each equivalence point) joined with its `.eh_frame` (how to unwind each frame)
//! into the compact per-ISA [`TransformTable`](het_format::TransformTable) the runtime
//! reads, plus the cross-ISA [`check_compatible`] check.
//!
//! Phases, one module each: [`elf`] (read the linked binary) → [`llvm`] (parse the
//! stackmap section) → [`statepoint`] (read records as statepoints) → [`unwind`]
//! (CFI rows at return addresses) → [`table_builder`] (join them) → `table_writer`
//! (encode) → [`compat`] (compare ISAs). The table layout and its no_std reader live in
//! `het-format`. `docs/stackmap.md` documents the format and what each ISA produced.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let elf = std::fs::read("app.aarch64")?;
//! let bytes = het_stackmap::build_table(&elf)?.encode()?;
//! let table = het_format::TransformTable::parse(&bytes)?;
//! println!("{table}");
//! # Ok(()) }
//! ```

pub mod compat;
pub mod elf;
mod error;
pub mod llvm;
pub mod statepoint;
pub mod table_builder;
mod table_writer;
pub mod unwind;

pub use compat::{check_compatible, Incompatible, Mismatch};
pub use error::{Error, PointError};
pub use table_builder::{build_from, build_table, FunctionData, PointData, TableData};
