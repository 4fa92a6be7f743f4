//! `het inspect FILE…`: the layout report of one program's per-ISA binaries (and their
//! program ID), and a dump of each checkpoint, recognised by its magic.

use super::program::{elf_isa, program_id, PROGRAM_ID_SYMBOL};
use anyhow::{bail, Context, Result};
use het_format::checkpoint::{layout, ProgramId};
use het_format::{Checkpoint, Isa};
use std::path::PathBuf;
use std::process::ExitCode;

/// Prints the reports; fails if the binaries are not aligned or a checkpoint is invalid.
pub fn inspect(paths: &[PathBuf]) -> Result<ExitCode> {
    let mut binaries: Vec<(Isa, Vec<u8>)> = Vec::new();
    let mut ok = true;
    for path in paths {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        if bytes.starts_with(&layout::MAGIC) {
            match Checkpoint::parse(&bytes) {
                Ok(checkpoint) => print!("{}:\n{checkpoint}", path.display()),
                Err(error) => {
                    eprintln!("het: error: {}: {error}", path.display());
                    ok = false;
                }
            }
            continue;
        }
        let isa = elf_isa(&bytes).with_context(|| {
            format!(
                "{} is neither a checkpoint nor an x86_64, aarch64 or riscv64 ELF file",
                path.display()
            )
        })?;
        if binaries.iter().any(|(seen, _)| *seen == isa) {
            bail!("{}: a second {isa} binary; give one binary per ISA", path.display());
        }
        binaries.push((isa, bytes));
    }
    if !binaries.is_empty() {
        let views: Vec<(Isa, &[u8])> = binaries.iter().map(|(isa, b)| (*isa, b.as_slice())).collect();
        print!("{}", het_aligner::inspect::inspect(&views));
        for (isa, bytes) in &binaries {
            if let Some(id) =
                program_id(bytes).with_context(|| format!("reading the {isa} binary's {PROGRAM_ID_SYMBOL}"))?
            {
                println!("{isa} program id {}", ProgramId(id));
            }
        }
        ok &= het_aligner::verify::verify(&views).is_ok();
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
