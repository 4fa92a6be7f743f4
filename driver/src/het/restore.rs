//! `het restore CKPT --isa ISA APP [ARGS…]`: checks that the checkpoint is intact and
//! belongs to this build and ISA, then replaces `het` with the ISA's binary (under
//! qemu-user when not native) started with `HET_RESTORE`, whose runtime restores it.

use super::program::{binary_for, command_for, elf_isa, program_id, PROGRAM_ID_SYMBOL};
use anyhow::{bail, Context, Result};
use het_format::migration::ENV_RESTORE;
use het_format::{Checkpoint, Isa};
use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

/// Everything a restore needs, validated: the binary to start and the checkpoint path.
#[derive(Debug)]
pub struct Plan {
    /// The ISA's binary.
    pub binary: PathBuf,
    /// The checkpoint, as an absolute path (the program may change directory first).
    pub checkpoint: PathBuf,
}

/// Validates `checkpoint` for `app`'s `isa` binary without running anything.
pub fn plan(checkpoint: &Path, isa: Isa, app: &Path) -> Result<Plan> {
    let bytes = std::fs::read(checkpoint).with_context(|| format!("cannot read {}", checkpoint.display()))?;
    let parsed =
        Checkpoint::parse(&bytes).with_context(|| format!("{} is not a valid checkpoint", checkpoint.display()))?;
    let binary = binary_for(app, isa)?;
    let elf = std::fs::read(&binary).with_context(|| format!("cannot read {}", binary.display()))?;
    match elf_isa(&elf) {
        Some(found) if found == isa => {}
        Some(found) => bail!("{} is a {found} binary, not {isa}", binary.display()),
        None => bail!("{} is not an x86_64, aarch64 or riscv64 ELF file", binary.display()),
    }
    let Some(id) = program_id(&elf).with_context(|| format!("reading {}", binary.display()))? else {
        bail!(
            "{} has no {PROGRAM_ID_SYMBOL}: it was not built with hetcc -fhet-migratable",
            binary.display()
        );
    };
    parsed
        .check_for(isa, id)
        .with_context(|| format!("{} cannot be restored by {}", checkpoint.display(), binary.display()))?;
    let checkpoint =
        std::path::absolute(checkpoint).with_context(|| format!("cannot resolve {}", checkpoint.display()))?;
    Ok(Plan { binary, checkpoint })
}

/// Validates, then execs the binary; returns only if that fails.
pub fn restore(checkpoint: &Path, isa: Isa, app: &Path, args: &[OsString]) -> Result<()> {
    let plan = plan(checkpoint, isa, app)?;
    let mut command = command_for(&plan.binary, isa);
    command.args(args).env(ENV_RESTORE, &plan.checkpoint);
    let error = command.exec();
    Err(error).with_context(|| format!("cannot start {} for {isa}", plan.binary.display()))
}
