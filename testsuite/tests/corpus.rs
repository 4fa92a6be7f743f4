//! Differential corpus test: see `het_testsuite::runner` for options.
//!
//! `cargo test -p het-testsuite --test corpus` builds every corpus program and the
//! Makefile project with the musl reference compiler and with hetcc, runs them on
//! x86-64, aarch64 and riscv64, and compares stdout and exit status.

fn main() {
    std::process::exit(het_testsuite::runner::main(std::env::args().skip(1)));
}
