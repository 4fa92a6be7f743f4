//! `het run --hops ISA,ISA,… (--every D | --at K,…) -- APP ARGS…`: runs a program and
//! moves it along the hops: each hop's process is asked to migrate (the request signal
//! after `D`, or `HET_MIGRATE_AT=K`), writes its checkpoint and exits with the
//! checkpoint status; the next hop's binary restores it. stdio is inherited by every
//! hop, so the terminal or pipes stay connected throughout. `het run` ends with the
//! program's own exit status.

use super::migrate::RETRY;
use super::program::{binary_for, command_for, exit_code, human_size};
use super::request::{Answer, Requester};
use anyhow::{bail, Context, Result};
use het_format::migration::{
    CHECKPOINT_EXIT_STATUS, ENV_CHECKPOINT, ENV_MIGRATE_AT, ENV_RESTORE, ENV_TARGET, REQUEST_SIGNAL,
};
use het_format::Isa;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// When each hop is asked to migrate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// Send the request signal this long after the hop started.
    Every(Duration),
    /// Test mode: migrate at the k-th migration point of each hop (one count per hop
    /// except the last, counted from the hop's start or restore).
    At(Vec<u64>),
}

/// A `het run` invocation.
#[derive(Clone, Debug)]
pub struct RunPlan {
    /// The ISAs, in order; the program starts on the first.
    pub hops: Vec<Isa>,
    /// When to migrate.
    pub trigger: Trigger,
    /// Keep the checkpoints here instead of deleting them.
    pub keep_checkpoints: Option<PathBuf>,
    /// The program (any of its per-ISA binaries) and its arguments.
    pub app: PathBuf,
    /// The program's arguments.
    pub args: Vec<OsString>,
}

/// Parses `20ms`, `1.5s`, `500us`, `2m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (e.g. 20ms, 1.5s)"))?;
    let seconds = match unit {
        "us" => value / 1e6,
        "ms" => value / 1e3,
        "s" => value,
        "m" => value * 60.0,
        _ => return Err(format!("`{text}`: the unit must be us, ms, s or m")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("`{text}` is out of range"))
}

/// Parses an ISA name for clap.
pub fn parse_isa(text: &str) -> Result<Isa, String> {
    Isa::from_name(text).ok_or_else(|| format!("unknown ISA `{text}` (x86_64, aarch64 or riscv64)"))
}

/// Where checkpoints go; deleted on drop unless they are to be kept.
struct CheckpointDir {
    path: PathBuf,
    keep: bool,
}

impl CheckpointDir {
    fn new(keep: Option<&Path>) -> Result<CheckpointDir> {
        let (path, keep) = match keep {
            Some(dir) => (dir.to_path_buf(), true),
            None => (
                std::env::temp_dir().join(format!("het-run-{}", std::process::id())),
                false,
            ),
        };
        std::fs::create_dir_all(&path).with_context(|| format!("cannot create {}", path.display()))?;
        let path = std::path::absolute(&path).with_context(|| format!("cannot resolve {}", path.display()))?;
        Ok(CheckpointDir { path, keep })
    }
}

impl Drop for CheckpointDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Runs the plan; returns the program's exit code.
pub fn run(plan: &RunPlan) -> Result<u8> {
    let migrations = plan.hops.len().saturating_sub(1);
    if plan.hops.is_empty() {
        bail!("--hops needs at least one ISA");
    }
    if let Trigger::At(counts) = &plan.trigger {
        if counts.len() != migrations {
            bail!(
                "--at gives {} counts for {migrations} migrations ({} hops): one count per hop but the last",
                counts.len(),
                plan.hops.len()
            );
        }
        if counts.contains(&0) {
            bail!("--at counts start at 1 (the first migration point)");
        }
    }
    let binaries = plan
        .hops
        .iter()
        .map(|&isa| binary_for(&plan.app, isa))
        .collect::<Result<Vec<_>>>()?;
    let dir = CheckpointDir::new(plan.keep_checkpoints.as_deref())?;
    let mut restore: Option<PathBuf> = None;
    for (hop, &isa) in plan.hops.iter().enumerate() {
        let next = plan.hops.get(hop + 1).copied();
        let checkpoint = dir.path.join(format!("hop{}-{isa}.ckpt", hop + 1));
        let _ = std::fs::remove_file(&checkpoint);
        let mut command = command_for(&binaries[hop], isa);
        command.args(&plan.args).env(ENV_CHECKPOINT, &checkpoint);
        match &restore {
            Some(path) => command.env(ENV_RESTORE, path),
            None => command.env_remove(ENV_RESTORE),
        };
        match next {
            Some(target) => command.env(ENV_TARGET, target.name()),
            None => command.env_remove(ENV_TARGET),
        };
        command.env_remove(ENV_MIGRATE_AT);
        if let (Trigger::At(counts), Some(_)) = (&plan.trigger, next) {
            command.env(ENV_MIGRATE_AT, counts[hop].to_string());
        }
        ignore_requests_until_ready(&mut command);
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot start {} for {isa}", binaries[hop].display()))?;
        let (status, requested) = match (&plan.trigger, next) {
            (Trigger::Every(delay), Some(_)) => wait_and_request(&mut child, &binaries[hop], *delay)?,
            _ => (child.wait().context("waiting for the program")?, None),
        };
        let Some(target) = next else {
            return Ok(exit_code(status));
        };
        let size = std::fs::metadata(&checkpoint).map(|m| m.len()).ok();
        let (Some(size), Some(CHECKPOINT_EXIT_STATUS)) = (size, status.code()) else {
            if requested.is_some() && killed_by_request(status) {
                bail!(
                    "the {isa} process was killed by the migration request signal: it was not built with \
                     -fhet-migratable, or had not installed its handler yet (try a longer --every)"
                );
            }
            return Ok(exit_code(status));
        };
        let how = match (&plan.trigger, requested) {
            (_, Some(at)) => format!("in {:.1} ms", at.elapsed().as_secs_f64() * 1e3),
            (Trigger::At(counts), None) => format!("at migration point {}", counts[hop]),
            (Trigger::Every(_), None) => "before the request".to_string(),
        };
        eprintln!(
            "het: hop {}/{} {isa} -> {target}: checkpoint {} {how}, restore started",
            hop + 2,
            plan.hops.len(),
            human_size(size)
        );
        restore = Some(checkpoint);
    }
    unreachable!("the last hop returns")
}

fn killed_by_request(status: ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(REQUEST_SIGNAL)
}

/// Waits `delay` (or until the child ends), asks for the migration, and waits for the
/// child to exit. Returns its status and when the request was made (`None` if the child
/// ended first). A deferred request is asked again every [`RETRY`]; a refused one is
/// reported and the program runs to its end.
fn wait_and_request(child: &mut Child, binary: &Path, delay: Duration) -> Result<(ExitStatus, Option<Instant>)> {
    let deadline = Instant::now() + delay;
    loop {
        if let Some(status) = child.try_wait().context("waiting for the program")? {
            return Ok((status, None));
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(2)));
    }
    // The child is not reaped until try_wait says it has exited, so its PID cannot have
    // been reused while it is asked.
    let requester = Requester::new(child.id() as libc::pid_t, binary);
    let sent = Instant::now();
    // A request made before the runtime is ready is lost (the runtime clears the flag
    // and the child starts with the request signal ignored, see
    // `ignore_requests_until_ready`): unanswered, it is made again.
    let unanswered = delay.clamp(Duration::from_millis(20), Duration::from_millis(500));
    let mut asked: Option<Instant> = None;
    let mut refused = false;
    loop {
        if let Some(status) = child.try_wait().context("waiting for the program")? {
            return Ok((status, Some(sent)));
        }
        if !refused {
            let again = match (requester.answer(), asked) {
                (Some(Answer::Refused(reason)), _) => {
                    eprintln!("het: the program refused to migrate and continues: {reason}");
                    refused = true;
                    false
                }
                (_, None) => true,
                (Some(Answer::Deferred), Some(at)) => at.elapsed() >= RETRY,
                (None, Some(at)) => at.elapsed() >= unanswered,
            };
            if again {
                let _ = requester.ask();
                asked = Some(Instant::now());
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Starts the child with the request signal ignored. An ignored disposition survives
/// `exec` (and qemu-user passes it on to the guest); the runtime installs its handler
/// before the program runs, so a request that arrives earlier is dropped instead of
/// killing the process, and `wait_and_request` sends it again.
fn ignore_requests_until_ready(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: between fork and exec only the async-signal-safe `signal(2)` is called.
    unsafe {
        command.pre_exec(|| {
            libc::signal(REQUEST_SIGNAL, libc::SIG_IGN);
            Ok(())
        });
    }
}
