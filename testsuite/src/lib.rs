//! Differential tests for hetcc.
//!
//! Every corpus program (`testsuite/corpus/*.c`, and the other `tools::SUBJECT_DIRS`
//! such as `testsuite/phoenix/`) and the Makefile project
//! (`testsuite/make-project/`) is built by the reference compiler (`scripts/musl-clang
//! x86_64`: plain clang-22, static, against the musl sysroot) and by hetcc; hetcc's
//! three outputs run on their ISAs (x86-64 natively, the others under qemu-user) and
//! must print the same bytes and exit with the same status as the reference. Per-ISA
//! reference builds check that the corpus itself is portable. Programs that hetcc must
//! reject say so in their header. See [`directives`] for the header grammar and
//! [`runner`] for the command line.
//!
//! This crate holds no expected outputs: the reference run is the expectation.

pub mod check;
pub mod diff;
pub mod directives;
pub mod exec;
pub mod migrate;
pub mod regression;
pub mod report;
pub mod runner;
pub mod seeds;
pub mod subject;
pub mod tools;
