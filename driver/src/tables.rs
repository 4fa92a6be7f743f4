//! Transform tables: built from each final binary by `het-stackmap`, checked against
//! each other, and embedded in the binary as the non-allocated section
//! [`SECTION`]. The runtime reads them back from `/proc/self/exe`, which also names
//! the guest binary under qemu-user.
//!
//! Why after linking: equivalence points are return addresses, known only once the
//! aligned link has placed the code; and a section that is not loaded changes no
//! address the aligner fixed.

use crate::toolchain::{self, Toolchain};
use anyhow::{bail, Context, Result};
use het_format::table::TransformTable;
use het_format::Isa;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The section that holds a binary's transform table.
pub const SECTION: &str = ".het_transform";

/// Builds, checks and embeds the tables of one program's per-ISA binaries. A mismatch
/// between ISAs fails the build and deletes the binaries: they could not migrate.
/// `binaries` holds the bytes of `outputs`, as the verifier read them.
pub fn embed(
    tools: &Toolchain,
    outputs: &[(Isa, PathBuf)],
    binaries: &[Vec<u8>],
    scratch: &Path,
    verbose: bool,
) -> Result<()> {
    let mut encoded = Vec::new();
    for ((isa, path), elf) in outputs.iter().zip(binaries) {
        let table = het_stackmap::build_table(elf)
            .and_then(|data| data.encode())
            .with_context(|| format!("building the {isa} transform table of {}", path.display()))?;
        encoded.push((*isa, table));
    }
    let tables = encoded
        .iter()
        .map(|(isa, bytes)| {
            Ok((
                *isa,
                TransformTable::parse(bytes).map_err(|e| anyhow::anyhow!("{isa}: {e}"))?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let pairs: Vec<(Isa, &TransformTable<'_>)> = tables.iter().map(|(isa, t)| (*isa, t)).collect();
    if let Err(mismatch) = het_stackmap::check_compatible(&pairs) {
        for (_, path) in outputs {
            let _ = std::fs::remove_file(path);
        }
        bail!("the ISAs' equivalence points differ, so the binaries were deleted:\n{mismatch}");
    }
    for ((isa, bytes), (_, path)) in encoded.iter().zip(outputs) {
        let file = scratch.join(format!("transform.{isa}.bin"));
        std::fs::write(&file, bytes).with_context(|| format!("writing {}", file.display()))?;
        let mut cmd = Command::new(&tools.objcopy);
        cmd.arg("--add-section")
            .arg(format!("{SECTION}={}", file.display()))
            .arg(path);
        let result = toolchain::run(&mut cmd, verbose)?;
        if !result.status.success() {
            bail!(
                "embedding the {isa} transform table: {}",
                String::from_utf8_lossy(&result.stderr).trim()
            );
        }
    }
    Ok(())
}
