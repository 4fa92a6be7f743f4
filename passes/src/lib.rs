//! LLVM IR passes written in Rust over the one canonical module hetcc builds.
//!
//! - [`portability`]: per translation unit, rejects what cannot yet run identically on
//!   every ISA (inline asm, target intrinsics, raw syscalls, …), naming the construct
//!   and the source line; [`builtin_setjmp`], per translation unit too, expresses
//!   `__builtin_setjmp`/`__builtin_longjmp` with the C library's `setjmp`/`longjmp`.
//! - [`abi`]: on the whole linked program, rewrites the constructs whose ABI differs
//!   between ISAs into forms that do not: variadic definitions take a pointer to
//!   argument slots, and libc interfaces with ISA-specific layouts go through adapters.
//! - [`layout`]: gives every global a symbol and its own section, so the aligner can
//!   place each one at the same address on every ISA.
//! - [`retarget`]: turns a clone of the module into one ISA's module.
//! - [`equivalence`] (with `-fhet-migratable`): on the whole linked program, inserts
//!   migration points ([`migration_points`]) and turns every call that may reach one
//!   into a statepoint whose recorded locations are resume locations: the helpers are
//!   [`cfg`], [`callgraph`], [`liveness`], [`gc_values`], [`statepoints`] and
//!   [`value_kinds`]. Before it, [`setjmp`] redirects `setjmp`/`longjmp` to the
//!   runtime's and keeps nothing live across a `setjmp` outside memory, and
//!   [`unsafe_stack`] moves every stack allocation into the migration window; after
//!   it, [`startup`] hands `main` to the runtime and adds the program's identity.
//!
//! This crate never runs clang or a linker; it only reads and rewrites modules.

pub mod abi;
pub mod builtin_setjmp;
mod callgraph;
mod cfg;
pub mod diagnostic;
pub mod equivalence;
mod gc_values;
mod ir;
pub mod layout;
mod liveness;
mod migration_points;
pub mod portability;
pub mod retarget;
pub mod setjmp;
pub mod startup;
mod statepoints;
pub mod unsafe_stack;
mod value_kinds;

pub use diagnostic::Diagnostic;
