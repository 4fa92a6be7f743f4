//! Where hetcc finds the programs and libraries it builds with, and the clear error
//! when one is missing (naming the Debian package or the setup step).

use anyhow::{bail, Context, Result};
use het_format::Isa;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The external pieces of a build.
#[derive(Clone, Debug)]
pub struct Toolchain {
    /// The clang-22 frontend.
    pub clang: PathBuf,
    /// ld.lld from LLVM 22.
    pub lld: PathBuf,
    /// llvm-objcopy from LLVM 22 (embeds transform tables).
    pub objcopy: PathBuf,
    /// Per-ISA musl, libgcc and runtime libraries (see docs/architecture.md).
    pub sysroot: PathBuf,
}

impl Toolchain {
    /// Finds the toolchain, honouring `HETCC_CLANG`, `HETCC_LLD` and `HETCC_SYSROOT`.
    pub fn locate() -> Result<Toolchain> {
        let clang = program("HETCC_CLANG", &["clang-22", "/usr/lib/llvm-22/bin/clang"], "clang-22")?;
        let lld = program("HETCC_LLD", &["ld.lld-22", "/usr/lib/llvm-22/bin/ld.lld"], "lld-22")?;
        let objcopy = program(
            "HETCC_OBJCOPY",
            &["llvm-objcopy-22", "/usr/lib/llvm-22/bin/llvm-objcopy"],
            "llvm-22",
        )?;
        let sysroot = match std::env::var_os("HETCC_SYSROOT") {
            Some(dir) => PathBuf::from(dir),
            None => default_sysroot()?,
        };
        Ok(Toolchain {
            clang,
            lld,
            objcopy,
            sysroot,
        })
    }

    /// The directory of one ISA's musl headers.
    pub fn include_dir(&self, isa: Isa) -> Result<PathBuf> {
        let dir = self.sysroot.join(isa.name()).join("include");
        if !dir.join("stdio.h").is_file() {
            bail!(
                "musl headers for {isa} not found in {} (run scripts/setup.sh, or set HETCC_SYSROOT)",
                dir.display()
            );
        }
        Ok(dir)
    }

    /// One of the libraries or start files of an ISA (`libc.a`, `crt1.o`, …).
    pub fn library(&self, isa: Isa, file: &str) -> Result<PathBuf> {
        let path = self.sysroot.join(isa.name()).join("lib").join(file);
        if !path.is_file() {
            bail!(
                "{} for {isa} not found at {} (run scripts/setup.sh, or set HETCC_SYSROOT)",
                file,
                path.display()
            );
        }
        Ok(path)
    }
}

fn default_sysroot() -> Result<PathBuf> {
    let home = std::env::var_os("HOME").context("HOME is not set; set HETCC_SYSROOT to the hetcc sysroot")?;
    Ok(Path::new(&home).join(".cache/hetcc/sysroot"))
}

fn program(env: &str, candidates: &[&str], package: &str) -> Result<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        return Ok(PathBuf::from(path));
    }
    for candidate in candidates {
        if let Some(found) = find_in_path(candidate) {
            return Ok(found);
        }
    }
    bail!(
        "{} not found: install the Debian package `{package}` (or run scripts/setup.sh, or set {env})",
        candidates[0]
    )
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    if path.is_absolute() {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Runs a command, echoing it first when `verbose`; a failure names the program.
pub fn run(command: &mut Command, verbose: bool) -> Result<std::process::Output> {
    if verbose {
        eprintln!("  {}", render(command));
    }
    let program = command.get_program().to_string_lossy().into_owned();
    command.output().with_context(|| format!("cannot run {program}"))
}

/// A command line as a shell would show it.
pub fn render(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}
