//! `het`: the hetcc user tool. `het inspect BINARY…` prints the layout report of the
//! per-ISA binaries of one program and whether they are aligned.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use het_format::Isa;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "het", version, about = "hetcc user tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Layout report of one program's per-ISA binaries (e.g. app app.aarch64 app.riscv64):
    /// symbols, addresses, padding, section sizes and the alignment verdict.
    Inspect {
        /// The binaries, one per ISA.
        #[arg(required = true)]
        binaries: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("het: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Inspect { binaries } => inspect(&binaries),
    }
}

fn inspect(paths: &[PathBuf]) -> Result<ExitCode> {
    let mut loaded: Vec<(Isa, Vec<u8>)> = Vec::new();
    for path in paths {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let isa = elf_isa(&bytes)
            .with_context(|| format!("{} is not an x86_64, aarch64 or riscv64 ELF file", path.display()))?;
        if loaded.iter().any(|(seen, _)| *seen == isa) {
            bail!("{}: a second {isa} binary; give one binary per ISA", path.display());
        }
        loaded.push((isa, bytes));
    }
    let binaries: Vec<(Isa, &[u8])> = loaded.iter().map(|(isa, b)| (*isa, b.as_slice())).collect();
    print!("{}", het_aligner::inspect::inspect(&binaries));
    let aligned = het_aligner::verify::verify(&binaries).is_ok();
    Ok(if aligned { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The ISA an ELF file is for, from its header's e_machine field.
fn elf_isa(bytes: &[u8]) -> Option<Isa> {
    if bytes.len() < 20 || &bytes[..4] != b"\x7fELF" || bytes[5] != 1 {
        return None;
    }
    Isa::from_elf_machine(u16::from_le_bytes([bytes[18], bytes[19]]))
}
