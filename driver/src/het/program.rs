//! What the tools need to know about a program's per-ISA binaries: their names, how to
//! run them, their ISA and program ID, and how a finished child's status maps to ours.

use crate::link::executable_path;
use anyhow::{bail, Context, Result};
use het_format::Isa;
use object::{Object, ObjectSection, ObjectSymbol};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

/// The symbol holding a build's program ID, the same 16 bytes in its three binaries.
pub const PROGRAM_ID_SYMBOL: &str = "__het_program_id";

/// The ISA this `het` runs on natively; the others run under qemu-user.
pub const fn host_isa() -> Isa {
    if cfg!(target_arch = "aarch64") {
        Isa::Aarch64
    } else if cfg!(target_arch = "riscv64") {
        Isa::Riscv64
    } else {
        Isa::X86_64
    }
}

/// The build's base name: `app` for `app`, `app.aarch64` or `app.riscv64`, so any of
/// the three may be named on the command line.
pub fn base_name(app: &Path) -> PathBuf {
    let name = app.as_os_str().to_string_lossy();
    for isa in Isa::ALL {
        if let Some(base) = name.strip_suffix(&format!(".{isa}")) {
            return PathBuf::from(base);
        }
    }
    app.to_path_buf()
}

/// The binary of `app`'s build for `isa` (`app` for x86_64, `app.<isa>` otherwise),
/// which must exist.
pub fn binary_for(app: &Path, isa: Isa) -> Result<PathBuf> {
    let path = executable_path(&base_name(app), isa);
    if !path.is_file() {
        bail!(
            "{} not found: the {isa} binary of this build is needed (hetcc -o app writes app, \
             app.aarch64 and app.riscv64)",
            path.display()
        );
    }
    Ok(path)
}

/// A command that runs `binary` for `isa`: directly on the host ISA, under
/// `Isa::qemu()` otherwise.
pub fn command_for(binary: &Path, isa: Isa) -> Command {
    if isa == host_isa() {
        Command::new(binary)
    } else {
        let mut command = Command::new(isa.qemu());
        command.arg(binary);
        command
    }
}

/// The ISA of an ELF file, from its header's `e_machine`.
pub fn elf_isa(bytes: &[u8]) -> Option<Isa> {
    if bytes.len() < 20 || &bytes[..4] != b"\x7fELF" || bytes[5] != 1 {
        return None;
    }
    Isa::from_elf_machine(u16::from_le_bytes([bytes[18], bytes[19]]))
}

/// The value of [`PROGRAM_ID_SYMBOL`] in an ELF file; `None` if the symbol is absent
/// (a build without `-fhet-migratable`).
pub fn program_id(elf: &[u8]) -> Result<Option<[u64; 2]>> {
    let file = object::File::parse(elf).context("not a readable ELF file")?;
    let Some(symbol) = file.symbols().find(|s| s.name() == Ok(PROGRAM_ID_SYMBOL)) else {
        return Ok(None);
    };
    let address = symbol.address();
    let bytes = file
        .sections()
        .find_map(|section| section.data_range(address, 16).ok().flatten())
        .with_context(|| format!("{PROGRAM_ID_SYMBOL} at {address:#x} is not in a section with contents"))?;
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
        u64::from_le_bytes(w)
    };
    Ok(Some([word(0), word(1)]))
}

/// Our exit code for a child's status: its code, or 128 + the signal that ended it
/// (the shells' convention).
pub fn exit_code(status: ExitStatus) -> u8 {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => code as u8,
        (None, Some(signal)) => (128 + signal) as u8,
        (None, None) => 1,
    }
}

/// `1.2 MB`, `830 KB`, `96 B` (decimal units, one decimal).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "KB")];
    for (scale, unit) in UNITS {
        if bytes >= scale {
            return format!("{:.1} {unit}", bytes as f64 / scale as f64);
        }
    }
    format!("{bytes} B")
}
