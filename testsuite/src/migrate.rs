//! Differential migration: a program built with `hetcc -O2 -fhet-migratable` is run
//! plainly for the expectation, then checkpointed at its k-th migration point on one
//! ISA (`HET_MIGRATE_AT=k`, exit status 75) and restored on another (`HET_RESTORE`).
//! The source's stdout followed by the destination's must equal the plain run's stdout
//! byte for byte, and the destination must end as the plain run did. Chains go through
//! `het run --hops … --at …`.
//!
//! Both halves of a migration run in the same fresh working directory and read stdin
//! through one shared open file description, as under `het run`, so the destination
//! reads on where the source stopped. Every child process waits for one of
//! [`jobs`] slots (`HET_JOBS`, default 2), whichever test thread starts it.

use std::fmt;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use het_format::migration::{CHECKPOINT_EXIT_STATUS, ENV_CHECKPOINT, ENV_MIGRATE_AT, ENV_RESTORE, ENV_TARGET};
use het_format::Isa;

use crate::diff;
use crate::exec::{self, Captured, Ending};
use crate::subject::RunSpec;
use crate::tools;

/// The six ordered pairs of distinct ISAs.
pub const PAIRS: [(Isa, Isa); 6] = [
    (Isa::X86_64, Isa::Aarch64),
    (Isa::Aarch64, Isa::Riscv64),
    (Isa::Riscv64, Isa::X86_64),
    (Isa::X86_64, Isa::Riscv64),
    (Isa::Riscv64, Isa::Aarch64),
    (Isa::Aarch64, Isa::X86_64),
];

/// The 4-hop chain every program takes once.
pub const CHAIN: [Isa; 4] = [Isa::X86_64, Isa::Aarch64, Isa::Riscv64, Isa::X86_64];

/// The search for the number of migration points stops doubling here.
pub const SEARCH_LIMIT: u64 = 1 << 40;

/// How long one `hetcc` build of a test program may take.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(300);

/// A fresh directory `$TMPDIR/<name>-<pid>` for one test's files.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Builds `source` with `hetcc -O2 -fhet-migratable` and `extra` arguments into `out`
/// (and its per-ISA siblings), in `out`'s directory. Panics with hetcc's diagnostics if
/// the build fails: the test cannot go on without its program.
pub fn build_migratable(hetcc: &Path, source: &Path, out: &Path, extra: &[&str]) {
    let dir = out.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).expect("scratch directory");
    let mut cmd = Command::new(hetcc);
    cmd.current_dir(dir)
        .args(["-O2", "-fhet-migratable", "-o"])
        .arg(out)
        .arg(source)
        .args(extra);
    let built = exec::run(&mut cmd, None, BUILD_TIMEOUT, &dir.join("hetcc")).expect("run hetcc");
    assert!(
        built.ending.success(),
        "hetcc failed for {}: {}",
        source.display(),
        built.stderr_tail(20)
    );
}

/// How many child processes may run at once (`HET_JOBS`, default 2).
pub fn jobs() -> usize {
    std::env::var("HET_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(2usize)
        .max(1)
}

static RUNNING: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// A slot for one child process; freed on drop.
struct Slot;

impl Slot {
    fn take() -> Slot {
        let limit = jobs();
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        while *running >= limit {
            running = FREED.wait(running).unwrap_or_else(|e| e.into_inner());
        }
        *running += 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        *running -= 1;
        FREED.notify_one();
    }
}

/// A built migratable program and how to run it.
#[derive(Clone, Debug)]
pub struct App {
    /// Name for messages.
    pub name: String,
    /// The `-o` base: `app` beside `app.aarch64` and `app.riscv64`.
    pub base: PathBuf,
    /// Arguments, stdin, environment, timeout.
    pub spec: RunSpec,
    /// Scratch directory for working directories, captures and checkpoints.
    pub scratch: PathBuf,
}

/// What one migration (or a run that was asked to migrate) produced.
#[derive(Clone, Debug)]
pub struct Migration {
    /// Whether the source wrote a checkpoint and exited with status 75.
    pub migrated: bool,
    /// The source's stdout followed by the destination's.
    pub stdout: Vec<u8>,
    /// How the last process ended.
    pub ending: Ending,
    /// The source's stderr, then the destination's.
    pub stderr: Vec<u8>,
    /// The checkpoint's frame count (`het inspect`), when asked for.
    pub frames: Option<usize>,
    /// The checkpoint's number of open files (`het inspect`), when asked for.
    pub open_files: Option<usize>,
}

/// Where a migration happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// Migration point number (1-based) on the source.
    pub k: u64,
    /// The source ISA.
    pub from: Isa,
    /// The destination ISA.
    pub to: Isa,
}

impl fmt::Display for Hop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "k={} {}->{}", self.k, self.from, self.to)
    }
}

/// The `het-rt:` lines of a stderr capture (the runtime's reasons), or its tail.
pub fn runtime_lines(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let rt: Vec<&str> = text.lines().filter(|l| l.starts_with("het-rt")).collect();
    if !rt.is_empty() {
        return rt.join("\n");
    }
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(6)..].join("\n")
}

/// Compares a result with the expectation; `Err` describes the difference.
pub fn compare(expected: &Captured, stdout: &[u8], ending: Ending, stderr: &[u8], label: &str) -> Result<(), String> {
    let line = diff::first_difference(&expected.stdout, stdout);
    if line.is_none() && ending == expected.ending {
        return Ok(());
    }
    let mut problems = Vec::new();
    if ending != expected.ending {
        problems.push(format!("{ending}, plain run {}", expected.ending));
    }
    if let Some(n) = line {
        problems.push(format!(
            "stdout differs at line {n} ({} bytes, plain run {})",
            stdout.len(),
            expected.stdout.len()
        ));
    }
    let mut message = format!("{label}: {}\n", problems.join(", "));
    message.push_str(&diff::excerpt(&expected.stdout, stdout, "plain run", label));
    let rt = runtime_lines(stderr);
    if !rt.is_empty() {
        message.push_str(&format!("stderr:\n{rt}\n"));
    }
    Err(message)
}

impl App {
    fn command(&self, isa: Isa, cwd: &Path) -> Command {
        let mut cmd = tools::run_command(&tools::output_path(&self.base, isa), isa);
        cmd.args(&self.spec.args)
            .current_dir(cwd)
            .env_clear()
            .envs(self.spec.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    fn stdin(&self) -> Result<Option<File>, String> {
        self.spec
            .stdin
            .as_ref()
            .map(|p| File::open(p).map_err(|e| format!("{}: {e}", p.display())))
            .transpose()
    }

    fn fresh_dir(&self, label: &str) -> Result<PathBuf, String> {
        let dir = self.scratch.join(label);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("cwd")).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(dir)
    }

    fn exec(&self, mut cmd: Command, stdin: Option<&File>, stem: &Path) -> Result<Captured, String> {
        let input = match stdin {
            Some(f) => Stdio::from(f.try_clone().map_err(|e| format!("stdin: {e}"))?),
            None => Stdio::null(),
        };
        let _slot = Slot::take();
        exec::run_with_stdin(&mut cmd, input, self.spec.timeout, stem)
            .map_err(|e| format!("{}: cannot run: {e}", self.name))
    }

    /// Runs `isa`'s binary to the end without any migration setting.
    pub fn plain(&self, isa: Isa) -> Result<Captured, String> {
        let dir = self.fresh_dir(&format!("plain-{isa}"))?;
        let cmd = self.command(isa, &dir.join("cwd"));
        let stdin = self.stdin()?;
        self.exec(cmd, stdin.as_ref(), &dir.join("out"))
    }

    /// Runs `from`'s binary with `HET_MIGRATE_AT=k` and, if it checkpointed, restores
    /// on `to`. `target` is what `HET_TARGET` says (`None`: unset). With `inspect`
    /// (the `het` binary), the checkpoint's frame count is read before the restore.
    pub fn migrate(&self, hop: Hop, target: Option<Isa>, inspect: Option<&Path>) -> Result<Migration, String> {
        self.run_hop(hop, target, inspect, true)
    }

    /// As [`App::migrate`]; without `restore` only the source runs.
    fn run_hop(
        &self,
        hop: Hop,
        target: Option<Isa>,
        inspect: Option<&Path>,
        restore: bool,
    ) -> Result<Migration, String> {
        let dir = self.fresh_dir(&format!("k{}-{}-{}", hop.k, hop.from, hop.to))?;
        let cwd = dir.join("cwd");
        let checkpoint = dir.join("c.ckpt");
        let stdin = self.stdin()?;
        let mut source = self.command(hop.from, &cwd);
        source
            .env(ENV_MIGRATE_AT, hop.k.to_string())
            .env(ENV_CHECKPOINT, &checkpoint);
        if let Some(t) = target {
            source.env(ENV_TARGET, t.name());
        }
        let first = self.exec(source, stdin.as_ref(), &dir.join("source"))?;
        let wrote = checkpoint.is_file();
        if first.ending != Ending::Exited(CHECKPOINT_EXIT_STATUS) || !wrote || !restore {
            let migrated = wrote && first.ending == Ending::Exited(CHECKPOINT_EXIT_STATUS);
            let _ = fs::remove_dir_all(&dir);
            return Ok(Migration {
                migrated,
                stdout: first.stdout,
                ending: first.ending,
                stderr: first.stderr,
                frames: None,
                open_files: None,
            });
        }
        let (frames, open_files) = match inspect {
            Some(het) => {
                let counts = checkpoint_counts(het, &checkpoint)?;
                (Some(counts.frames), Some(counts.open_files))
            }
            None => (None, None),
        };
        let mut destination = self.command(hop.to, &cwd);
        destination.env(ENV_RESTORE, &checkpoint);
        let second = self.exec(destination, stdin.as_ref(), &dir.join("destination"))?;
        let mut stdout = first.stdout;
        stdout.extend_from_slice(&second.stdout);
        let mut stderr = first.stderr;
        stderr.extend_from_slice(&second.stderr);
        let _ = fs::remove_dir_all(&dir);
        Ok(Migration {
            migrated: true,
            stdout,
            ending: second.ending,
            stderr,
            frames,
            open_files,
        })
    }

    /// Migrates at `hop` and checks the result against `expected`: the source must have
    /// migrated (the caller knows `k` is at most the number of points) and the joined
    /// output and final status must equal the plain run's.
    pub fn check_migration(&self, expected: &Captured, hop: Hop, inspect: Option<&Path>) -> Result<Migration, String> {
        let m = self.migrate(hop, Some(hop.to), inspect)?;
        let label = format!("{} {hop}", self.name);
        if !m.migrated {
            return Err(format!(
                "{label}: the source did not migrate ({}; expected status {CHECKPOINT_EXIT_STATUS} and a checkpoint)\n{}",
                m.ending,
                runtime_lines(&m.stderr)
            ));
        }
        compare(expected, &m.stdout, m.ending, &m.stderr, &label)?;
        Ok(m)
    }

    /// The exact number of migration points a run passes on `isa`: doubling k until the
    /// run ends without migrating, then bisecting. Every run that ends on its own must
    /// match `expected` (the counting mode must not change the program). Returns the
    /// count and the runs made.
    pub fn count_points(&self, isa: Isa, expected: &Captured) -> Result<(u64, usize), String> {
        let mut runs = 0;
        let mut probe = |k: u64| -> Result<bool, String> {
            runs += 1;
            let m = self.run_hop(Hop { k, from: isa, to: isa }, None, None, false)?;
            if m.migrated {
                // The source half of a migration; its output is checked by migrations.
                return Ok(true);
            }
            compare(
                expected,
                &m.stdout,
                m.ending,
                &m.stderr,
                &format!("{} {isa} HET_MIGRATE_AT={k} (finished without migrating)", self.name),
            )?;
            Ok(false)
        };
        let (mut yes, mut no) = (0u64, 1u64);
        while probe(no)? {
            yes = no;
            no *= 2;
            if no > SEARCH_LIMIT {
                return Err(format!("{}: more than {SEARCH_LIMIT} migration points", self.name));
            }
        }
        while no - yes > 1 {
            let mid = yes + (no - yes) / 2;
            if probe(mid)? {
                yes = mid;
            } else {
                no = mid;
            }
        }
        Ok((yes, runs))
    }

    /// `het run --hops <hops> --at <counts> -- app args`; returns the capture.
    pub fn chain(&self, het: &Path, hops: &[Isa], counts: &[u64]) -> Result<Captured, String> {
        let names: Vec<&str> = hops.iter().map(|i| i.name()).collect();
        let at: Vec<String> = counts.iter().map(u64::to_string).collect();
        let dir = self.fresh_dir(&format!("chain-{}", at.join("-")))?;
        let mut cmd = Command::new(het);
        cmd.args(["run", "--hops", &names.join(","), "--at", &at.join(",")])
            .arg("--keep-checkpoints")
            .arg(dir.join("checkpoints"))
            .arg("--")
            .arg(&self.base)
            .args(&self.spec.args)
            .current_dir(dir.join("cwd"))
            .env_clear()
            .envs(self.spec.env.iter().map(|(k, v)| (k, v)));
        let stdin = self.stdin()?;
        let captured = self.exec(cmd, stdin.as_ref(), &dir.join("out"))?;
        let _ = fs::remove_dir_all(&dir);
        Ok(captured)
    }
}

/// What `het inspect` counts in a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckpointCounts {
    /// Frames.
    pub frames: usize,
    /// Open-file records.
    pub open_files: usize,
}

/// The frame and open-file counts `het inspect` reports for a checkpoint.
pub fn checkpoint_counts(het: &Path, checkpoint: &Path) -> Result<CheckpointCounts, String> {
    let out = Command::new(het)
        .arg("inspect")
        .arg(checkpoint)
        .output()
        .map_err(|e| format!("het inspect: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let count = |prefix: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| {
                format!(
                    "het inspect {}: no `{prefix}` line ({}{})",
                    checkpoint.display(),
                    text,
                    String::from_utf8_lossy(&out.stderr)
                )
            })
    };
    Ok(CheckpointCounts {
        frames: count("frames: ")?,
        open_files: count("open files: ")?,
    })
}

/// How many chain migrations `het run --at counts` makes for a program with `points`
/// migration points: each hop's count is counted from its restore.
pub fn chain_migrations(points: u64, counts: &[u64]) -> usize {
    let mut used = 0;
    let mut done = 0;
    for &c in counts {
        used += c;
        if used > points {
            break;
        }
        done += 1;
    }
    done
}

/// A small deterministic generator (SplitMix64) for sampling k values.
#[derive(Clone, Debug)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `1..=n` (`n` ≥ 1).
    pub fn one_to(&mut self, n: u64) -> u64 {
        1 + self.next_u64() % n
    }
}

/// The k values to migrate at for a program with `points` migration points: all of
/// them when there are at most `total`; otherwise 1, `points`, powers of two (at most
/// `total / 2`, spread evenly over the doubling set) and seeded uniform samples up to
/// `total` values. Sorted, distinct.
pub fn sample_ks(points: u64, total: usize, seed: u64) -> Vec<u64> {
    if points <= total as u64 {
        return (1..=points).collect();
    }
    let mut ks = std::collections::BTreeSet::from([1, points]);
    let doubling: Vec<u64> = (1..64).map(|e| 1u64 << e).take_while(|&k| k < points).collect();
    let want = (total / 2).saturating_sub(1).max(1);
    if !doubling.is_empty() {
        for i in 0..want.min(doubling.len()) {
            ks.insert(doubling[i * doubling.len() / want.min(doubling.len())]);
        }
    }
    let mut rng = SplitMix(seed ^ points);
    let mut attempts = 0;
    while ks.len() < total && attempts < 1000 {
        ks.insert(rng.one_to(points));
        attempts += 1;
    }
    ks.into_iter().collect()
}

/// Per-hop counts for the chain: values from `ks` (sorted), as large as fit so that
/// all three migrations happen within `points`; 1s when nothing fits.
pub fn chain_counts(points: u64, ks: &[u64]) -> [u64; 3] {
    let mut counts = [1u64; 3];
    let mut left = points;
    for (i, slot) in counts.iter_mut().enumerate() {
        let share = left / (3 - i) as u64;
        *slot = ks.iter().copied().filter(|&k| k <= share).max().unwrap_or(1);
        left = left.saturating_sub(*slot);
    }
    counts
}

/// Seconds, for tables.
pub fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// A stopwatch.
pub fn now() -> Instant {
    Instant::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples() {
        assert_eq!(sample_ks(5, 12, 1), [1, 2, 3, 4, 5]);
        let ks = sample_ks(1_000_000, 12, 7);
        assert_eq!(ks.len(), 12);
        assert!(ks.contains(&1) && ks.contains(&1_000_000) && ks.contains(&2));
        assert!(ks.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(sample_ks(1_000_000, 12, 7), ks, "seeded");
    }

    #[test]
    fn chains() {
        assert_eq!(chain_migrations(10, &[3, 3, 3]), 3);
        assert_eq!(chain_migrations(8, &[3, 3, 3]), 2);
        assert_eq!(chain_migrations(0, &[1, 1, 1]), 0);
        let c = chain_counts(100, &[1, 2, 4, 8, 16, 32, 64, 100]);
        assert_eq!(c, [32, 32, 32]);
        assert_eq!(chain_migrations(100, &c), 3);
        assert_eq!(chain_counts(2, &[1, 2]), [1, 1, 1]);
    }
}
