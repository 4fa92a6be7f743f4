//! `het migrate PID [--to ISA] [--checkpoint PATH]`: asks a running migratable process
//! (started by anything, not only `het run`) to checkpoint, waits for it to exit, and
//! says where the checkpoint is and how to continue it with `het restore`.
//!
//! The target ISA cannot be changed from outside: the runtime reads `HET_TARGET` from
//! its own environment when the request arrives (`het run` sets it per hop). `--to`
//! only checks against it and fills in the printed restore command.

use super::program::{base_name, human_size};
use super::request::{Answer, Requester};
use anyhow::{bail, Context, Result};
use het_format::migration::{CHECKPOINT_EXIT_STATUS, ENV_CHECKPOINT, ENV_TARGET};
use het_format::{Checkpoint, Isa};
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What `/proc/PID` says about the process, read before it exits.
struct Target {
    environ: Vec<(OsString, OsString)>,
    cwd: PathBuf,
    cmdline: Vec<OsString>,
}

fn proc_target(pid: u32) -> Result<Target> {
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let split = |bytes: Vec<u8>| -> Vec<OsString> {
        bytes
            .split(|&b| b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| OsString::from_vec(s.to_vec()))
            .collect()
    };
    let environ = std::fs::read(proc.join("environ"))
        .with_context(|| format!("cannot read the environment of process {pid} (no such process, or not yours)"))?;
    let environ = split(environ)
        .into_iter()
        .filter_map(|entry| {
            let bytes = entry.as_bytes();
            let eq = bytes.iter().position(|&b| b == b'=')?;
            Some((
                OsString::from_vec(bytes[..eq].to_vec()),
                OsString::from_vec(bytes[eq + 1..].to_vec()),
            ))
        })
        .collect();
    let cwd =
        std::fs::read_link(proc.join("cwd")).with_context(|| format!("cannot read the directory of process {pid}"))?;
    let cmdline = split(std::fs::read(proc.join("cmdline")).unwrap_or_default());
    Ok(Target { environ, cwd, cmdline })
}

/// How long a deferred request waits before it is asked again: the program runs at
/// full speed meanwhile, and each retry costs it one stack walk that stops at the
/// first frame that is no equivalence point.
pub const RETRY: Duration = Duration::from_millis(10);

impl Target {
    /// The program's binary: `/proc/PID/exe`, or under qemu-user the guest named on
    /// its command line.
    fn binary(&self, pid: u32) -> PathBuf {
        if self.program().len() == self.cmdline.len() {
            return PathBuf::from(format!("/proc/{pid}/exe"));
        }
        match self.program().first() {
            Some(guest) => self.cwd.join(guest),
            None => PathBuf::from(format!("/proc/{pid}/exe")),
        }
    }

    fn env(&self, name: &str) -> Option<&OsString> {
        self.environ.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The program and its arguments: the command line without a leading qemu-user
    /// (qemu runs the guest as its first non-option argument).
    fn program(&self) -> &[OsString] {
        let is_qemu = self
            .cmdline
            .first()
            .and_then(|a| Path::new(a).file_name())
            .is_some_and(|n| n.as_bytes().starts_with(b"qemu-"));
        if !is_qemu {
            return &self.cmdline;
        }
        let start = self
            .cmdline
            .iter()
            .skip(1)
            .position(|a| !a.as_bytes().starts_with(b"-"));
        start.map_or(&[], |i| &self.cmdline[i + 1..])
    }
}

/// `text` as one shell word: as is when it is plain, single-quoted otherwise.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%".contains(&b));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Whether the process is gone (or a zombie: it has exited, its parent has not reaped it).
fn gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

/// Requests the migration and reports; the exit code is 0 when a checkpoint was written.
pub fn migrate(pid: u32, to: Option<Isa>, checkpoint: Option<&Path>) -> Result<()> {
    let target = proc_target(pid)?;
    let requested = target.env(ENV_TARGET).map(|t| t.to_string_lossy().into_owned());
    if let (Some(to), Some(requested)) = (to, &requested) {
        if Isa::from_name(requested) != Some(to) {
            bail!(
                "process {pid} was started with {ENV_TARGET}={requested}; its checkpoint will be for that ISA, \
                 not {to} (the target is read from the process's own environment)"
            );
        }
    }
    let path = match (checkpoint, target.env(ENV_CHECKPOINT)) {
        (Some(path), _) => path.to_path_buf(),
        (None, Some(path)) => target.cwd.join(path),
        (None, None) => target.cwd.join(format!("het-{pid}.ckpt")),
    };
    let binary = target.binary(pid);
    let requester = Requester::new(pid as libc::pid_t, &binary);
    let sent = Instant::now();
    if let Err(error) = requester.ask() {
        bail!("cannot ask process {pid} to migrate: {error}");
    }
    let mut asked = sent;
    while !gone(pid) {
        match requester.answer() {
            Some(Answer::Refused(reason)) => {
                bail!("process {pid} refused to migrate and continues: {reason}")
            }
            Some(Answer::Deferred) if asked.elapsed() >= RETRY => {
                let _ = requester.ask();
                asked = Instant::now();
            }
            _ => {}
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let elapsed = sent.elapsed();
    let bytes = std::fs::read(&path).with_context(|| {
        format!(
            "process {pid} exited but left no checkpoint at {} (not built with -fhet-migratable, \
             exited on its own, or it writes elsewhere: give --checkpoint)",
            path.display()
        )
    })?;
    let checkpoint =
        Checkpoint::parse(&bytes).with_context(|| format!("{} is not a valid checkpoint", path.display()))?;
    let source = checkpoint.header().source_isa;
    eprintln!(
        "het: process {pid} ({source}) checkpointed {} in {:.1} ms to {} (it exits with status {CHECKPOINT_EXIT_STATUS})",
        human_size(bytes.len() as u64),
        elapsed.as_secs_f64() * 1e3,
        path.display()
    );
    let isa = checkpoint.header().target_isa.or(to);
    let program = target.program();
    let mut command = format!(
        "het restore {} --isa {}",
        shell_word(&path.to_string_lossy()),
        isa.map_or("ISA".to_string(), |i| i.name().to_string())
    );
    if let Some((app, args)) = program.split_first() {
        let app = target.cwd.join(base_name(Path::new(app)));
        command.push_str(&format!(" {}", shell_word(&app.to_string_lossy())));
        for arg in args {
            command.push_str(&format!(" {}", shell_word(&arg.to_string_lossy())));
        }
    } else {
        command.push_str(" APP ARGS…");
    }
    println!("{command}");
    Ok(())
}
