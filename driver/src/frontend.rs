//! The clang-22 frontend and the LLVM optimiser, run once per translation unit for the
//! canonical target (riscv64-unknown-linux-musl; see docs/architecture.md for why).

use crate::cli::Invocation;
use crate::toolchain::{self, Toolchain};
use anyhow::{bail, Context as _, Result};
use het_format::Isa;
use std::path::Path;
use std::process::Command;

/// The ISA whose ABI and headers the one shared IR is generated for.
pub const CANONICAL: Isa = Isa::Riscv64;

/// Flags that make the canonical IR mean the same on every ISA.
const PORTABILITY_FLAGS: &[&str] = &[
    // x86-64's convention, so programs print what a native x86-64 build prints.
    "-fsigned-char",
    // Fused multiply-add rounds once, separate ones twice: one rule for every ISA.
    "-ffp-contract=off",
    // riscv64 would put small globals in .sdata/.sbss, which the aligner cannot place.
    "-msmall-data-limit=0",
    // Static, position-dependent executables; no per-ISA canary conventions.
    "-fno-pic",
    "-fno-stack-protector",
    "-fno-common",
    "-D__hetcc__=1",
    // `long double` is IEEE binary128 on every ISA (x86-64's libc and runtime are built
    // with -mlong-double-128), so the binary128 type names gcc and C23 give it are the
    // same type. clang has neither name on riscv64.
    "-D__float128=long double",
    "-D_Float128=long double",
    // clang has no `__builtin_setjmp` on riscv64, and where it has one its buffer holds
    // native frame pointers; these calls become `setjmp`/`longjmp` on a full jmp_buf
    // (passes/src/builtin_setjmp.rs). The declarations travel with each use.
    "-D__builtin_setjmp(buf)=({ extern int __het_builtin_setjmp(void **) __attribute__((returns_twice)); \
     __het_builtin_setjmp((void **)(buf)); })",
    "-D__builtin_longjmp(buf,value)=({ extern void __het_builtin_longjmp(void **, int) __attribute__((noreturn)); \
     __het_builtin_longjmp((void **)(buf), (value)); })",
];

/// The clang command that compiles (or preprocesses) `source` for the canonical
/// target with the user's flags.
pub fn clang_command(tools: &Toolchain, inv: &Invocation, source: &Path) -> Result<Command> {
    let mut cmd = Command::new(&tools.clang);
    cmd.arg(format!("--target={}", CANONICAL.triple()))
        .args(["-march=rv64gc", "-mabi=lp64d"])
        .args(PORTABILITY_FLAGS)
        .arg("-nostdlibinc")
        .arg("-isystem")
        .arg(tools.include_dir(CANONICAL)?)
        .arg(format!("-O{}", inv.opt_level))
        .args(&inv.frontend_flags);
    // Standard input has no extension to tell clang the language.
    if source == Path::new("-") {
        cmd.args(["-x", "c"]);
    }
    cmd.arg(source);
    Ok(cmd)
}

/// Preprocesses `source` to `output` (stdout when `None`).
pub fn preprocess(tools: &Toolchain, inv: &Invocation, source: &Path, output: Option<&Path>) -> Result<()> {
    let mut cmd = clang_command(tools, inv, source)?;
    cmd.arg("-E");
    // `cc -E -v` lists the include search path on stderr; Meson reads it from there.
    if inv.verbose {
        cmd.arg("-v");
    }
    if let Some(out) = output {
        cmd.arg("-o").arg(out);
    }
    let status = {
        if inv.verbose {
            eprintln!("  {}", toolchain::render(&cmd));
        }
        cmd.status()
            .with_context(|| format!("cannot run {}", tools.clang.display()))?
    };
    if !status.success() {
        bail!(Reported);
    }
    Ok(())
}

/// Compiles `source` into unoptimised canonical bitcode. Line tables are always
/// produced so the portability check can name source lines; the caller strips them
/// unless `-g` was given.
///
/// `object` is the file the user will see (`a.o`): with `-MD`/`-MMD` the dependency
/// file and its target are named after it, as cc does, not after the temporary bitcode.
pub fn compile_to_bitcode(
    tools: &Toolchain,
    inv: &Invocation,
    source: &Path,
    bitcode: &Path,
    object: &Path,
) -> Result<()> {
    let mut cmd = clang_command(tools, inv, source)?;
    cmd.args(dependency_flags(&inv.frontend_flags, object));
    if !inv.debug {
        cmd.arg("-gline-tables-only");
    } else {
        cmd.arg("-g");
    }
    // Stop before LLVM's passes: the portability check must see the program as written
    // (an optimiser that folds a `long double` away does not make the source portable);
    // `unit` runs the optimisation pipeline itself afterwards.
    cmd.args(["-Xclang", "-disable-llvm-passes", "-c", "-emit-llvm", "-o"])
        .arg(bitcode);
    let output = toolchain::run(&mut cmd, inv.verbose)?;
    // clang's own diagnostics are already in the cc format; pass them through as they are.
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        bail!(Reported);
    }
    Ok(())
}

/// `-MF object.d` and `-MT object` when dependency files are asked for without them.
fn dependency_flags(flags: &[String], object: &Path) -> Vec<String> {
    let has = |names: &[&str]| flags.iter().any(|f| names.contains(&f.as_str()));
    let mut extra = Vec::new();
    if !has(&["-MD", "-MMD"]) {
        return extra;
    }
    if !has(&["-MF"]) {
        extra.extend(["-MF".to_string(), object.with_extension("d").display().to_string()]);
    }
    if !has(&["-MT", "-MQ"]) {
        extra.extend(["-MT".to_string(), object.display().to_string()]);
    }
    extra
}

/// An error whose diagnostics were already printed; the driver only sets the exit code.
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("errors were reported")
    }
}

impl std::error::Error for Reported {}
