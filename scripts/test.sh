#!/usr/bin/env bash
# scripts/test.sh — the project's test entry point (called by .ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh            # no-op (< 1 s) when everything is already there
scripts/smoke.sh            # the sysroot: one libc, identical results on every ISA

# Formatting (rustfmt.toml at the root also covers runtime-lib and stackmap/fuzz,
# which are outside the workspace).
if cargo fmt --version >/dev/null 2>&1; then
    cargo fmt --all -- --check
    (cd runtime-lib && cargo fmt -- --check)
else
    echo "test.sh: rustfmt is not installed (rustup component add rustfmt); formatting not checked" >&2
fi

# The host crates link LLVM 22 through llvm-sys 221 (inkwell feature llvm22-1).
export LLVM_SYS_221_PREFIX=/usr/lib/llvm-22
cargo build --workspace
cargo test --workspace
