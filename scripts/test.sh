#!/usr/bin/env bash
# scripts/test.sh — the project's test entry point (called by .ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh            # no-op (< 1 s) when everything is already there
scripts/smoke.sh            # the sysroot: one libc, identical results on every ISA

# The host crates link LLVM 22 through llvm-sys 221 (inkwell feature llvm22-1).
export LLVM_SYS_221_PREFIX=/usr/lib/llvm-22
cargo build --workspace
cargo test --workspace
