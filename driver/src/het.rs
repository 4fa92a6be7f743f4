//! The `het` user tool's subcommands, kept in the library so tests and the binary share
//! them: [`inspect`] (layout reports of binaries, dumps of checkpoints), [`run`] (a
//! program hopping between ISAs), [`migrate`] (ask a running process to checkpoint)
//! and [`restore`] (continue a checkpoint on a chosen ISA).
//!
//! The conventions with the runtime (environment variables, request signal, exit
//! status) are `het_format::migration`'s; nothing here restates them. These tools do
//! not write or restore checkpoints themselves: the program's runtime does.

pub mod inspect;
pub mod migrate;
pub mod program;
pub mod request;
pub mod restore;
pub mod run;
