# scripts/lib/common.sh — one place for the sysroot location, the ISA list and the
# compiler flags, sourced by scripts/setup.sh and scripts/musl-clang so the libc, the
# runtime and the reference builds can never drift apart.
# shellcheck shell=bash disable=SC2034  # the variables are for the sourcing scripts

HETCC_SYSROOT=${HETCC_SYSROOT:-$HOME/.cache/hetcc/sysroot}
# Build trees, downloaded sources and cargo target dirs (not needed after setup).
HETCC_CACHE=${HETCC_CACHE:-$HOME/.cache/hetcc}

HET_ISAS=(x86_64 aarch64 riscv64)

# Flags every C library object is built with, identical for all ISAs. The point is
# -ffp-contract=off: aarch64 (and riscv64) would otherwise fuse a*b+c into one fma and
# libm would round differently from x86-64; sections per function/object let the
# aligner place (and the linker drop) each symbol on its own. -enable-global-merge=false:
# at -O2 the riscv64 and aarch64 backends merge a file's static globals into one
# `.L_MergedGlobals` blob (36 of them in riscv64 libc.a), which no per-symbol layout can
# align with x86-64's separate globals (x86-64 has no such pass; the flag is a no-op there).
# -U__FP_FAST_FMA: clang predefines it on aarch64 only, and musl's log/log2/pow then
# take an fma-based path with other tables (__log_data was 0x890 bytes on aarch64, 0x1090
# elsewhere): one algorithm everywhere is what makes libm's results identical.
HET_LIBC_CFLAGS=(-O2 -ffp-contract=off -ffunction-sections -fdata-sections
                 -mllvm -enable-global-merge=false -U__FP_FAST_FMA -U__FP_FAST_FMAF)

# clang target triple for an ISA.
het_triple() {
    case $1 in
        x86_64 | aarch64 | riscv64) echo "$1-unknown-linux-musl" ;;
        *) echo "unknown ISA '$1' (expected one of: ${HET_ISAS[*]})" >&2; return 1 ;;
    esac
}

# ABI flags: needed wherever code is linked against our libc.a/libgcc.a. riscv64:
# clang-22's default for riscv64 Linux is already rv64gc/lp64d, but we pin it because
# libgcc.a (riscv64-linux-gnu-gcc), libc.a and Rust's riscv64gc target all use lp64d,
# and objects with a different float ABI refuse to link with them. x86-64: long double
# is IEEE binary128 (software, libgcc's __addtf3…), as it is on aarch64 and riscv64,
# instead of x87's 80-bit format, so it computes the same everywhere.
het_abi_flags() {
    case $1 in
        riscv64) echo "-march=rv64gc -mabi=lp64d" ;;
        x86_64) echo "-mlong-double-128" ;;
        aarch64) ;;
        *) het_triple "$1" >/dev/null ;;
    esac
}

# Layout flags: for code whose globals the aligner must place at one address on every
# ISA (libc, runtime adapters, hetcc output). riscv64 would put small globals in
# .sdata/.sbss (gp-relative); 0 keeps them in ordinary .data/.bss like the other ISAs.
het_layout_flags() {
    case $1 in
        riscv64) echo "-msmall-data-limit=0" ;;
        x86_64 | aarch64) ;;
        *) het_triple "$1" >/dev/null ;;
    esac
}

# Rust target for the no_std runtime. The musl targets exist in Debian's rustc-web;
# for a no_std staticlib gnu and musl produce the same code, and musl says what it
# links against.
het_rust_target() {
    case $1 in
        x86_64) echo x86_64-unknown-linux-musl ;;
        aarch64) echo aarch64-unknown-linux-musl ;;
        riscv64) echo riscv64gc-unknown-linux-musl ;;
        *) het_triple "$1" >/dev/null ;;
    esac
}

# The gcc whose libgcc.a matches the ISA (fp128/int128 helpers for long double).
het_gcc() {
    case $1 in
        x86_64) echo gcc ;;
        aarch64) echo aarch64-linux-gnu-gcc ;;
        riscv64) echo riscv64-linux-gnu-gcc ;;
        *) het_triple "$1" >/dev/null ;;
    esac
}

# How to run a static binary of the ISA on this (x86-64) machine.
het_runner() {
    case $1 in
        x86_64) ;;
        aarch64) echo qemu-aarch64 ;;
        riscv64) echo qemu-riscv64 ;;
        *) het_triple "$1" >/dev/null ;;
    esac
}

# The Debian package that provides het_gcc's libgcc.a.
het_gcc_package() {
    case $1 in
        x86_64) echo gcc ;;
        aarch64) echo gcc-aarch64-linux-gnu ;;
        riscv64) echo gcc-riscv64-linux-gnu ;;
        *) het_triple "$1" >/dev/null ;;
    esac
}
