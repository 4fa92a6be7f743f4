//! The regression suite: the five NPB kernels and the seven Phoenix
//! applications, built with `hetcc -O2 -fhet-migratable` and with plain clang-22
//! (`scripts/musl-clang <isa> -O2 -static`), run on every ISA without and with
//! migrations, and compared with clang for run time (x86-64) and binary size (per ISA).
//!
//! For each workload:
//! 1. builds the hetcc binaries (three ISAs) and a clang binary per ISA;
//! 2. runs the clang x86-64 build (its stdout is the expectation; it must verify), then
//!    each hetcc binary on its ISA (x86-64 natively, the others under qemu-user): each
//!    must verify (NPB: `VERIFICATION SUCCESSFUL`; Phoenix: last line `VERIFIED`; exit
//!    status 0) and print exactly the reference's bytes;
//! 3. runs `het run --hops A,B,C,D --every T` under `HET_TIMING=1`: the hops are a
//!    seeded permutation of the three ISAs plus a fourth hop to another ISA (three
//!    migrations), and T is a seeded fraction (0.25 to 0.6) of the time the first three
//!    hops would take to finish the whole run between them, from the plain run times of
//!    step 2. Fewer than three hop lines: the run is repeated with half the interval,
//!    then with x86_64 moved to the last hop (native hops of short workloads end
//!    before a request lands), up to [`MAX_ATTEMPTS`] runs; the attempts are reported.
//!    The output must verify and equal the reference again;
//! 4. times the x86-64 hetcc and clang builds, interleaved, median of `runs`;
//! 5. records file sizes per ISA.
//!
//! Nothing here asserts on timing; [`Report::failures`] lists correctness failures only
//! (build errors, verification, output differences, too few migrations), each naming
//! the workload, the ISA or hop.

use crate::exec::{self, Captured};
use crate::tools;
use het_format::migration::ENV_TIMING;
use het_format::Isa;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How many `het run` attempts a workload gets to make three migrations (see
/// `migrate`: the seeded order, then half the interval, then x86_64 moved last, then
/// half that interval).
pub const MAX_ATTEMPTS: u32 = 4;
/// Migrations each workload must make.
pub const MIN_MIGRATIONS: usize = 3;

const BUILD_TIMEOUT: Duration = Duration::from_secs(600);
const RUN_TIMEOUT: Duration = Duration::from_secs(900);

/// The NPB kernels (`testsuite/npb/<name>.c`).
pub const NPB: [&str; 5] = ["ep", "is", "cg", "mg", "ft"];
/// The Phoenix applications (`testsuite/phoenix/<name>.c`).
pub const PHOENIX: [&str; 7] = [
    "histogram",
    "kmeans",
    "linear_regression",
    "matrix_multiply",
    "pca",
    "string_match",
    "word_count",
];

/// Which suite a workload comes from (it decides the verification line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suite {
    /// NAS Parallel Benchmarks kernel: prints ` VERIFICATION SUCCESSFUL`.
    Npb,
    /// Phoenix application: the last line is `VERIFIED`.
    Phoenix,
}

/// One program and the argument it runs with.
#[derive(Clone, Debug)]
pub struct Workload {
    /// `ep`, `kmeans`, ….
    pub name: String,
    /// NPB or Phoenix.
    pub suite: Suite,
    /// The C source.
    pub source: PathBuf,
    /// The class (`S`, `W`) or size (`small`, `medium`).
    pub arg: String,
}

/// The 12 workloads: NPB class W and Phoenix medium, or, when `quick`, NPB class S and
/// Phoenix small (histogram medium: small is too short to be interrupted three times).
pub fn workloads(workspace: &Path, quick: bool) -> Vec<Workload> {
    let (class, size) = if quick { ("S", "small") } else { ("W", "medium") };
    let npb = NPB.iter().map(|name| Workload {
        name: name.to_string(),
        suite: Suite::Npb,
        source: workspace.join(format!("testsuite/npb/{name}.c")),
        arg: class.to_string(),
    });
    let phoenix = PHOENIX.iter().map(|name| Workload {
        name: name.to_string(),
        suite: Suite::Phoenix,
        source: workspace.join(format!("testsuite/phoenix/{name}.c")),
        // histogram small runs 1 ms natively and 20 ms under qemu, mostly start-up:
        // too short for three timer-driven requests to land.
        arg: if quick && *name == "histogram" { "medium" } else { size }.to_string(),
    });
    npb.chain(phoenix).collect()
}

/// What the suite runs with.
#[derive(Clone, Debug)]
pub struct Options {
    /// NPB S / Phoenix small instead of W / medium.
    pub quick: bool,
    /// Timed runs per build (median), interleaved.
    pub runs: usize,
    /// Seeds the hop orders and intervals.
    pub seed: u64,
    /// The hetcc driver.
    pub hetcc: PathBuf,
    /// The `het` tool (`het run`).
    pub het: PathBuf,
    /// `scripts/musl-clang`.
    pub musl_clang: PathBuf,
    /// The workspace root.
    pub workspace: PathBuf,
    /// Builds and captures go here (one subdirectory per workload).
    pub scratch: PathBuf,
    /// Only workloads whose name contains one of these (all if empty).
    pub filters: Vec<String>,
    /// Print progress to stderr.
    pub verbose: bool,
}

/// One hetcc binary's run on its ISA, without migration.
#[derive(Clone, Debug)]
pub struct IsaRun {
    /// The ISA.
    pub isa: Isa,
    /// Wall-clock seconds (including qemu's start-up for the emulated ISAs).
    pub secs: f64,
    /// Exit status 0 and the verification line.
    pub verified: bool,
    /// stdout equals the clang x86-64 build's.
    pub same_output: bool,
}

/// The `het run` with migrations that counted (the last attempt).
#[derive(Clone, Debug, Default)]
pub struct Migrated {
    /// The hops, in order.
    pub hops: Vec<Isa>,
    /// The `--every` interval of the last attempt, in ms.
    pub every_ms: f64,
    /// `het run` invocations it took (1 when the first interval gave three migrations).
    pub attempts: u32,
    /// Hop lines `het run` printed.
    pub migrations: usize,
    /// Request-to-exit time of each migration (`het run`'s "in X ms").
    pub hop_ms: Vec<f64>,
    /// Each checkpoint's size in bytes (`het-rt: checkpoint … bytes B`).
    pub checkpoint_bytes: Vec<u64>,
    /// Each restore's time (`het-rt: restore … ns N`) plus its rebuild, in ms.
    pub restore_ms: Vec<f64>,
    /// Wall-clock seconds of the whole `het run`.
    pub secs: f64,
    /// Exit status 0 and the verification line.
    pub verified: bool,
    /// stdout equals the clang x86-64 build's.
    pub same_output: bool,
}

/// Everything measured for one workload.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The workload.
    pub workload: Workload,
    /// The clang x86-64 reference verified.
    pub reference_verified: bool,
    /// hetcc's binaries without migration, one per ISA (fewer if something failed).
    pub plain: Vec<IsaRun>,
    /// The migrated run.
    pub migrated: Migrated,
    /// Median x86-64 seconds of the hetcc -fhet-migratable build.
    pub hetcc_secs: f64,
    /// Median x86-64 seconds of the clang build.
    pub clang_secs: f64,
    /// File sizes (hetcc, clang) per ISA, in [`Isa::ALL`] order.
    pub sizes: Vec<(Isa, u64, u64)>,
    /// Correctness failures, each naming the workload and ISA or hop.
    pub failures: Vec<String>,
}

impl Outcome {
    fn new(workload: &Workload) -> Outcome {
        Outcome {
            workload: workload.clone(),
            reference_verified: false,
            plain: Vec::new(),
            migrated: Migrated::default(),
            hetcc_secs: f64::NAN,
            clang_secs: f64::NAN,
            sizes: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// hetcc / clang run time on x86-64.
    pub fn time_ratio(&self) -> f64 {
        self.hetcc_secs / self.clang_secs
    }

    /// hetcc / clang file size on `isa`.
    pub fn size_ratio(&self, isa: Isa) -> f64 {
        self.sizes
            .iter()
            .find(|(i, _, _)| *i == isa)
            .map_or(f64::NAN, |(_, h, c)| *h as f64 / *c as f64)
    }

    /// Verified, with the reference's output, on every ISA and with migrations, and made
    /// at least [`MIN_MIGRATIONS`] migrations.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The whole run.
#[derive(Clone, Debug)]
pub struct Report {
    /// Quick mode.
    pub quick: bool,
    /// Timed runs per build.
    pub runs: usize,
    /// The seed.
    pub seed: u64,
    /// One per workload, in order.
    pub outcomes: Vec<Outcome>,
    /// Wall-clock seconds of the whole suite.
    pub secs: f64,
}

/// Runs the suite. Errors are only for the suite itself (no scratch directory);
/// everything about a workload goes into its [`Outcome::failures`].
pub fn run(options: &Options) -> Result<Report, String> {
    let started = Instant::now();
    std::fs::create_dir_all(&options.scratch)
        .map_err(|e| format!("cannot create {}: {e}", options.scratch.display()))?;
    let mut outcomes = Vec::new();
    for workload in workloads(&options.workspace, options.quick) {
        if !options.filters.is_empty() && !options.filters.iter().any(|f| workload.name.contains(f.as_str())) {
            continue;
        }
        let outcome = run_workload(options, &workload);
        if options.verbose {
            let status = if outcome.passed() { "ok" } else { "FAILED" };
            eprintln!(
                "regression: {} {}: {status} ({} migrations)",
                workload.name, workload.arg, outcome.migrated.migrations
            );
            for failure in &outcome.failures {
                eprintln!("  {failure}");
            }
        }
        outcomes.push(outcome);
    }
    Ok(Report {
        quick: options.quick,
        runs: options.runs,
        seed: options.seed,
        outcomes,
        secs: started.elapsed().as_secs_f64(),
    })
}

fn run_workload(options: &Options, workload: &Workload) -> Outcome {
    let mut outcome = Outcome::new(workload);
    if let Err(failure) = measure(options, workload, &mut outcome) {
        outcome.failures.push(failure);
    }
    outcome
}

fn progress(options: &Options, workload: &Workload, what: &str) {
    if options.verbose {
        eprintln!("regression: {} {}: {what}", workload.name, workload.arg);
    }
}

/// Steps 1 to 5 for one workload; an `Err` is a failure that stops this workload,
/// failures that do not are pushed onto `outcome.failures` directly.
fn measure(options: &Options, workload: &Workload, outcome: &mut Outcome) -> Result<(), String> {
    let name = &workload.name;
    let dir = options.scratch.join(name);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{name}: cannot create {}: {e}", dir.display()))?;

    // 1. Builds.
    progress(options, workload, "building");
    let hetcc_out = dir.join(name);
    let mut build = Command::new(&options.hetcc);
    build
        .current_dir(&dir)
        .args(["-O2", "-fhet-migratable", "-o"])
        .arg(&hetcc_out)
        .arg(&workload.source)
        .arg("-lm");
    checked_build(
        &mut build,
        &dir.join("hetcc"),
        &format!("{name}: hetcc -O2 -fhet-migratable"),
    )?;
    let mut clang_out = Vec::new();
    for isa in Isa::ALL {
        let out = dir.join(format!("{name}.clang.{isa}"));
        let mut build = Command::new(&options.musl_clang);
        build
            .current_dir(&dir)
            .args([isa.name(), "-O2", "-static", "-o"])
            .arg(&out)
            .arg(&workload.source)
            .arg("-lm");
        checked_build(
            &mut build,
            &dir.join(format!("clang-{isa}")),
            &format!("{name}: musl-clang {isa} -O2 -static"),
        )?;
        clang_out.push((isa, out));
    }
    let clang_x86 = clang_out[0].1.clone();
    for (isa, clang) in &clang_out {
        let het = tools::output_path(&hetcc_out, *isa);
        let size = |p: &Path| {
            std::fs::metadata(p)
                .map(|m| m.len())
                .map_err(|e| format!("{}: {e}", p.display()))
        };
        outcome.sizes.push((*isa, size(&het)?, size(clang)?));
    }

    // 2. Reference and plain runs.
    progress(options, workload, "running on every ISA");
    let mut reference = Command::new(&clang_x86);
    reference.current_dir(&dir).arg(&workload.arg);
    let reference = exec::run(&mut reference, None, RUN_TIMEOUT, &dir.join("reference"))
        .map_err(|e| format!("{name}: clang x86_64 reference: {e}"))?;
    outcome.reference_verified = verified(workload.suite, &reference);
    if !outcome.reference_verified {
        return Err(format!(
            "{name} {}: the clang x86_64 reference did not verify ({}): {}",
            workload.arg,
            reference.ending,
            last_lines(&reference.stdout, 3)
        ));
    }
    let expected = reference.stdout;
    for isa in Isa::ALL {
        let binary = tools::output_path(&hetcc_out, isa);
        let mut command = tools::run_command(&binary, isa);
        command.current_dir(&dir).arg(&workload.arg);
        let started = Instant::now();
        let captured = exec::run(&mut command, None, RUN_TIMEOUT, &dir.join(format!("plain-{isa}")))
            .map_err(|e| format!("{name}: {isa}: {e}"))?;
        let secs = started.elapsed().as_secs_f64();
        let run = IsaRun {
            isa,
            secs,
            verified: verified(workload.suite, &captured),
            same_output: captured.stdout == expected,
        };
        if !run.verified {
            outcome.failures.push(format!(
                "{name} {}: hetcc {isa} binary, no migration: did not verify ({}): {}",
                workload.arg,
                captured.ending,
                last_lines(&captured.stdout, 3)
            ));
        } else if !run.same_output {
            outcome.failures.push(format!(
                "{name} {}: hetcc {isa} binary, no migration: stdout differs from the clang x86_64 build's ({})",
                workload.arg,
                first_difference(&captured.stdout, &expected)
            ));
        }
        outcome.plain.push(run);
    }

    // 3. Migrations.
    progress(options, workload, "running with migrations");
    let (migrated, failure) = migrate(options, workload, &dir, &hetcc_out, &outcome.plain, &expected)?;
    outcome.migrated = migrated;
    outcome.failures.extend(failure);
    let m = &outcome.migrated;
    let hops = hop_names(&m.hops);
    if m.migrations < MIN_MIGRATIONS && outcome.failures.is_empty() {
        outcome.failures.push(format!(
            "{name} {}: het run --hops {hops}: {} migrations after {} attempts (last --every {:.3} ms), need {MIN_MIGRATIONS}",
            workload.arg, m.migrations, m.attempts, m.every_ms
        ));
    }

    // 4. Run time on x86-64, interleaved.
    progress(options, workload, "timing on x86_64");
    let (mut hetcc_times, mut clang_times) = (Vec::new(), Vec::new());
    for _ in 0..options.runs.max(1) {
        hetcc_times
            .push(timed(&hetcc_out, &workload.arg, &dir).map_err(|e| format!("{name}: timing hetcc x86_64: {e}"))?);
        clang_times
            .push(timed(&clang_x86, &workload.arg, &dir).map_err(|e| format!("{name}: timing clang x86_64: {e}"))?);
    }
    outcome.hetcc_secs = median(hetcc_times);
    outcome.clang_secs = median(clang_times);
    Ok(())
}

/// Step 3: `het run` with seeded hops and interval. While fewer than three migrations
/// happen, the run is repeated: first with half the interval, then (a native hop of a
/// short workload ends before a request can land, or the request comes before the
/// restored process armed its handler) with the seeded order changed so that x86_64 is
/// only the last hop, which needs no request, and the interval from the emulated hops
/// alone, then half that. The attempt with the most migrations is reported, or the
/// first one that did not verify or printed something else, with that failure.
fn migrate(
    options: &Options,
    workload: &Workload,
    dir: &Path,
    binary: &Path,
    plain: &[IsaRun],
    expected: &[u8],
) -> Result<(Migrated, Option<String>), String> {
    let name = &workload.name;
    let mut rng = Rng::new(options.seed ^ fnv(name.as_bytes()));
    let seeded = rng.hops();
    let fraction = 0.25 + 0.35 * rng.unit();
    let native_last = native_last(&seeded);
    let mut best: Option<Migrated> = None;
    for attempt in 1..=MAX_ATTEMPTS {
        let hops = if attempt <= 2 { &seeded } else { &native_last };
        let halvings = if attempt % 2 == 0 { 1 } else { 0 };
        let every_ms = fraction * interval_ms(hops, plain) / f64::from(1 << halvings);
        let (migrated, failure) = migrate_once(options, workload, dir, binary, hops, every_ms, attempt, expected)?;
        if failure.is_some() {
            return Ok((migrated, failure));
        }
        let done = migrated.migrations >= MIN_MIGRATIONS;
        if options.verbose && !done && attempt < MAX_ATTEMPTS {
            eprintln!(
                "regression: {name} {}: only {} migrations with --hops {} --every {:.3}ms; retrying ({})",
                workload.arg,
                migrated.migrations,
                hop_names(hops),
                migrated.every_ms,
                if attempt == 1 {
                    "half the interval"
                } else if attempt == 2 {
                    "x86_64 only as the last hop"
                } else {
                    "x86_64 last, half the interval"
                }
            );
        }
        if best.as_ref().is_none_or(|b| migrated.migrations >= b.migrations) {
            best = Some(migrated);
        }
        if done {
            break;
        }
    }
    let mut best = best.unwrap_or_default();
    best.attempts = best.attempts.max(1);
    Ok((best, None))
}

/// The time the first three hops would take to finish the run between them: each hop
/// does `every / T(isa)` of it, so they are done when `every = 1 / Σ 1/T`; in ms.
fn interval_ms(hops: &[Isa], plain: &[IsaRun]) -> f64 {
    let rate: f64 = hops[..MIN_MIGRATIONS]
        .iter()
        .map(|isa| {
            let secs = plain.iter().find(|r| r.isa == *isa).map_or(1.0, |r| r.secs);
            1.0 / secs.max(1e-4)
        })
        .sum();
    1e3 / rate
}

/// The seeded order's two emulated ISAs, alternating, then x86_64.
fn native_last(seeded: &[Isa]) -> Vec<Isa> {
    let emulated: Vec<Isa> = seeded.iter().copied().filter(|i| *i != Isa::X86_64).take(2).collect();
    let (a, b) = match emulated.as_slice() {
        [a, b, ..] => (*a, *b),
        _ => (Isa::Aarch64, Isa::Riscv64),
    };
    vec![a, b, a, Isa::X86_64]
}

/// One `het run`, and a failure if it did not verify or printed something else than
/// the reference (not a reason to retry); an `Err` only if `het run` could not run.
#[allow(clippy::too_many_arguments)]
fn migrate_once(
    options: &Options,
    workload: &Workload,
    dir: &Path,
    binary: &Path,
    hops: &[Isa],
    every_ms: f64,
    attempt: u32,
    expected: &[u8],
) -> Result<(Migrated, Option<String>), String> {
    let name = &workload.name;
    let hop_list = hop_names(hops);
    let every_us = (every_ms * 1e3).round().max(100.0) as u64;
    let mut command = Command::new(&options.het);
    command
        .current_dir(dir)
        .args(["run", "--hops", &hop_list, "--every", &format!("{every_us}us"), "--"])
        .arg(binary)
        .arg(&workload.arg)
        .env(ENV_TIMING, "1");
    let started = Instant::now();
    let captured = exec::run(&mut command, None, RUN_TIMEOUT, &dir.join(format!("het-run-{attempt}")))
        .map_err(|e| format!("{name}: het run --hops {hop_list}: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&captured.stderr);
    let migrated = Migrated {
        hops: hops.to_vec(),
        every_ms: every_us as f64 / 1e3,
        attempts: attempt,
        secs,
        verified: verified(workload.suite, &captured),
        same_output: captured.stdout == expected,
        ..parse_migration_lines(&stderr)
    };
    if migrated.verified && migrated.same_output {
        return Ok((migrated, None));
    }
    let hop = migrated.migrations + 1;
    let on = hops.get(migrated.migrations).map_or("?", |i| i.name());
    let what = if migrated.verified {
        format!(
            "stdout differs from the clang x86_64 build's ({})",
            first_difference(&captured.stdout, expected)
        )
    } else {
        format!(
            "did not verify ({}): {}",
            captured.ending,
            last_lines(&captured.stdout, 3)
        )
    };
    let failure = format!(
        "{name} {}: het run --hops {hop_list} --every {every_us}us (attempt {attempt}, ended in hop {hop} on {on} \
         after {} migrations): {what}; stderr: {}",
        workload.arg,
        migrated.migrations,
        captured.stderr_tail(6).replace('\n', " | ")
    );
    Ok((migrated, Some(failure)))
}

/// The hop lines (`het: hop k/n A -> B: checkpoint SIZE in X ms, …`) and the runtime's
/// `HET_TIMING` lines of a `het run`'s stderr.
pub fn parse_migration_lines(stderr: &str) -> Migrated {
    let mut m = Migrated::default();
    let mut restore_ns: Vec<f64> = Vec::new();
    let mut rebuild_ns: Vec<f64> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with("het: hop ") && line.contains("restore started") {
            m.migrations += 1;
            if let Some(ms) = line
                .split(" in ")
                .nth(1)
                .and_then(|rest| rest.split(" ms").next())
                .and_then(|v| v.parse().ok())
            {
                m.hop_ms.push(ms);
            }
        } else if let Some(rest) = line.strip_prefix("het-rt: checkpoint ") {
            if let Some(bytes) = field(rest, "bytes") {
                m.checkpoint_bytes.push(bytes as u64);
            }
        } else if let Some(rest) = line.strip_prefix("het-rt: restore ") {
            if let Some(ns) = field(rest, "ns") {
                restore_ns.push(ns);
            }
        } else if let Some(rest) = line.strip_prefix("het-rt: rebuild ") {
            if let Some(ns) = field(rest, "ns") {
                rebuild_ns.push(ns);
            }
        }
    }
    m.restore_ms = restore_ns
        .iter()
        .enumerate()
        .map(|(i, ns)| (ns + rebuild_ns.get(i).copied().unwrap_or(0.0)) / 1e6)
        .collect();
    m
}

/// The value of `key` in the runtime's first `het-rt: <step> …` timing line of `stderr`.
pub fn runtime_timing(stderr: &str, step: &str, key: &str) -> Option<f64> {
    let prefix = format!("het-rt: {step} ");
    let line = stderr.lines().find_map(|l| l.strip_prefix(prefix.as_str()))?;
    field(line, key)
}

/// The number after `key` in a line of `key value` pairs.
fn field(line: &str, key: &str) -> Option<f64> {
    let mut words = line.split_whitespace();
    words.find(|w| *w == key)?;
    words.next()?.parse().ok()
}

fn hop_names(hops: &[Isa]) -> String {
    hops.iter().map(|i| i.name()).collect::<Vec<_>>().join(",")
}

fn checked_build(command: &mut Command, stem: &Path, what: &str) -> Result<(), String> {
    let captured = exec::run(command, None, BUILD_TIMEOUT, stem).map_err(|e| format!("{what}: {e}"))?;
    if captured.ending.success() {
        Ok(())
    } else {
        Err(format!("{what}: {}: {}", captured.ending, captured.stderr_tail(10)))
    }
}

/// Wall-clock seconds of one run (stdout discarded); it must exit 0.
fn timed(binary: &Path, arg: &str, dir: &Path) -> Result<f64, String> {
    let started = Instant::now();
    let status = Command::new(binary)
        .current_dir(dir)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let secs = started.elapsed().as_secs_f64();
    if status.success() {
        Ok(secs)
    } else {
        Err(format!("{} exited with {status}", binary.display()))
    }
}

/// Exit status 0 and the suite's verification line.
pub fn verified(suite: Suite, captured: &Captured) -> bool {
    captured.ending.success() && output_verified(suite, &captured.stdout)
}

/// The suite's verification line is in `stdout` (NPB: a line ` VERIFICATION
/// SUCCESSFUL`; Phoenix: the last line is `VERIFIED`).
pub fn output_verified(suite: Suite, stdout: &[u8]) -> bool {
    let text = String::from_utf8_lossy(stdout);
    match suite {
        Suite::Npb => text.lines().any(|l| l.trim() == "VERIFICATION SUCCESSFUL"),
        Suite::Phoenix => text.lines().last().is_some_and(|l| l.trim() == "VERIFIED"),
    }
}

fn last_lines(bytes: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(n)..].join(" | ");
    if tail.is_empty() {
        "no output".to_string()
    } else {
        tail
    }
}

fn first_difference(got: &[u8], expected: &[u8]) -> String {
    let got = String::from_utf8_lossy(got);
    let expected = String::from_utf8_lossy(expected);
    let (g, e): (Vec<&str>, Vec<&str>) = (got.lines().collect(), expected.lines().collect());
    for i in 0..g.len().max(e.len()) {
        if g.get(i) != e.get(i) {
            return format!(
                "line {}: got {:?}, expected {:?}",
                i + 1,
                g.get(i).copied().unwrap_or("<end>"),
                e.get(i).copied().unwrap_or("<end>")
            );
        }
    }
    "same lines, different bytes".to_string()
}

/// The median (upper middle for an even count); NaN when empty.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The geometric mean of the finite, positive values.
pub fn geomean(values: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, n) = values
        .into_iter()
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((0.0, 0usize), |(s, n), v| (s + v.ln(), n + 1));
    if n == 0 {
        f64::NAN
    } else {
        (sum / n as f64).exp()
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The seeded choices (the migration tests' SplitMix64).
struct Rng(crate::migrate::SplitMix);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(crate::migrate::SplitMix(seed))
    }

    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A permutation of the three ISAs, then a fourth hop to one of the two ISAs the
    /// third is not: three migrations that visit every ISA.
    fn hops(&mut self) -> Vec<Isa> {
        let mut hops = Isa::ALL.to_vec();
        for i in (1..hops.len()).rev() {
            let j = self.below(i + 1);
            hops.swap(i, j);
        }
        let others: Vec<Isa> = Isa::ALL.into_iter().filter(|i| *i != hops[2]).collect();
        hops.push(others[self.below(others.len())]);
        hops
    }
}

// ---------------------------------------------------------------------------------
// Output: terminal table, CSV, Markdown, SVG.

impl Report {
    /// Failures of every workload.
    pub fn failures(&self) -> Vec<&str> {
        self.outcomes
            .iter()
            .flat_map(|o| o.failures.iter().map(String::as_str))
            .collect()
    }

    /// Geomean hetcc/clang run-time ratio on x86-64.
    pub fn time_geomean(&self) -> f64 {
        geomean(self.outcomes.iter().map(Outcome::time_ratio))
    }

    /// Geomean hetcc/clang size ratio on `isa`.
    pub fn size_geomean(&self, isa: Isa) -> f64 {
        geomean(self.outcomes.iter().map(|o| o.size_ratio(isa)))
    }

    /// The terminal table.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<18} {:<6} {:<17} {:>8} {:>8} {:>7}  {:>8} {:>8} {:>8}  {:>4} {:>8} {:>9}  hops",
            "workload",
            "arg",
            "verified x/a/r/m",
            "hetcc s",
            "clang s",
            "time",
            "x86_64",
            "aarch64",
            "riscv64",
            "migr",
            "ms/migr",
            "ckpt MB",
        );
        for o in &self.outcomes {
            let [name, arg, verified, hetcc, clang, time, x86_64, aarch64, riscv64] = comparison_cells(o);
            let _ = writeln!(
                s,
                "{name:<18} {arg:<6} {verified:<17} {hetcc:>8} {clang:>8} {time:>7}  {x86_64:>8} {aarch64:>8} \
                 {riscv64:>8}  {:>4} {:>8.1} {:>9.2}  {}{}",
                o.migrated.migrations,
                mean(&o.migrated.hop_ms),
                mean(
                    &o.migrated
                        .checkpoint_bytes
                        .iter()
                        .map(|b| *b as f64)
                        .collect::<Vec<_>>()
                ) / 1e6,
                hop_names(&o.migrated.hops),
                if o.migrated.attempts > 1 {
                    format!(" ({} attempts)", o.migrated.attempts)
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(
            s,
            "{:<18} {:<6} {:<17} {:>8} {:>8} {:>7}  {:>8} {:>8} {:>8}",
            "geomean",
            "",
            "",
            "",
            "",
            percent(self.time_geomean()),
            percent(self.size_geomean(Isa::X86_64)),
            percent(self.size_geomean(Isa::Aarch64)),
            percent(self.size_geomean(Isa::Riscv64)),
        );
        let _ = writeln!(
            s,
            "time: x86_64 run time overhead, hetcc -O2 -fhet-migratable vs clang-22 -O2 -static, median of {} \
             interleaved runs; sizes: file size overhead per ISA; migr: migrations in the het run; ms/migr: mean \
             request-to-exit time per migration; ckpt MB: mean checkpoint size. Suite took {:.0} s.",
            self.runs, self.secs
        );
        s
    }

    /// `regression.csv`.
    pub fn csv(&self) -> String {
        let mut s = String::from(
            "workload,suite,arg,reference_verified,verified_x86_64,verified_aarch64,verified_riscv64,\
             same_output_all_isas,plain_secs_x86_64,plain_secs_aarch64,plain_secs_riscv64,\
             hetcc_secs_x86_64,clang_secs_x86_64,time_overhead_pct,\
             size_hetcc_x86_64,size_clang_x86_64,size_hetcc_aarch64,size_clang_aarch64,\
             size_hetcc_riscv64,size_clang_riscv64,size_overhead_pct_x86_64,size_overhead_pct_aarch64,\
             size_overhead_pct_riscv64,hops,every_ms,attempts,migrations,migrated_verified,\
             migrated_same_output,migrated_secs,ms_per_migration,checkpoint_bytes,restore_ms,failures\n",
        );
        for o in &self.outcomes {
            let plain = |isa: Isa| o.plain.iter().find(|r| r.isa == isa);
            let size = |isa: Isa| {
                o.sizes
                    .iter()
                    .find(|(i, _, _)| *i == isa)
                    .map_or((0, 0), |(_, h, c)| (*h, *c))
            };
            let m = &o.migrated;
            let mut row: Vec<String> = vec![
                o.workload.name.clone(),
                format!("{:?}", o.workload.suite).to_lowercase(),
                o.workload.arg.clone(),
                o.reference_verified.to_string(),
            ];
            for isa in Isa::ALL {
                row.push(plain(isa).is_some_and(|r| r.verified).to_string());
            }
            row.push((o.plain.len() == 3 && o.plain.iter().all(|r| r.same_output)).to_string());
            for isa in Isa::ALL {
                row.push(plain(isa).map_or(String::new(), |r| format!("{:.4}", r.secs)));
            }
            row.push(format!("{:.4}", o.hetcc_secs));
            row.push(format!("{:.4}", o.clang_secs));
            row.push(format!("{:.2}", (o.time_ratio() - 1.0) * 100.0));
            for isa in Isa::ALL {
                let (h, c) = size(isa);
                row.push(h.to_string());
                row.push(c.to_string());
            }
            for isa in Isa::ALL {
                row.push(format!("{:.2}", (o.size_ratio(isa) - 1.0) * 100.0));
            }
            row.push(hop_names(&m.hops).replace(',', " "));
            row.push(format!("{:.3}", m.every_ms));
            row.push(m.attempts.to_string());
            row.push(m.migrations.to_string());
            row.push(m.verified.to_string());
            row.push(m.same_output.to_string());
            row.push(format!("{:.3}", m.secs));
            row.push(join(m.hop_ms.iter().map(|v| format!("{v:.1}"))));
            row.push(join(m.checkpoint_bytes.iter().map(u64::to_string)));
            row.push(join(m.restore_ms.iter().map(|v| format!("{v:.2}"))));
            row.push(csv_quote(&o.failures.join("; ")));
            s.push_str(&row.join(","));
            s.push('\n');
        }
        s
    }

    /// `regression.md`.
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let mode = if self.quick {
            "quick (NPB class S, Phoenix small)"
        } else {
            "full (NPB class W, Phoenix medium)"
        };
        let _ = writeln!(s, "# Regression run: {mode}\n");
        let _ = writeln!(
            s,
            "Seed {}, median of {} interleaved x86-64 runs, suite wall time {:.0} s. Run time: hetcc -O2 \
             -fhet-migratable vs `scripts/musl-clang x86_64 -O2 -static` (clang-22), both native on x86-64. \
             Size: file size of each ISA's hetcc output vs `scripts/musl-clang <isa> -O2 -static`. \
             Verified: x86_64 / aarch64 / riscv64 (qemu-user) without migration, then the migrated run \
             (`het run`, three migrations across all three ISAs); each also printed the clang x86-64 build's \
             exact stdout.\n",
            self.seed, self.runs, self.secs
        );
        s.push_str(
            "| workload | arg | verified x/a/r/migr | hetcc s | clang s | time overhead | size x86_64 | size aarch64 \
             | size riscv64 | hops | --every ms | migrations | ms per migration | checkpoint MB |\n",
        );
        s.push_str("|---|---|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|\n");
        for o in &self.outcomes {
            let m = &o.migrated;
            let _ = writeln!(
                s,
                "| {} | {} | {:.1}{} | {} | {} | {} |",
                comparison_cells(o).join(" | "),
                hop_names(&m.hops).replace(',', " → "),
                m.every_ms,
                if m.attempts > 1 {
                    format!(" ({} attempts)", m.attempts)
                } else {
                    String::new()
                },
                m.migrations,
                join(m.hop_ms.iter().map(|v| format!("{v:.1}"))).replace(' ', " / "),
                join(m.checkpoint_bytes.iter().map(|b| format!("{:.2}", *b as f64 / 1e6))).replace(' ', " / "),
            );
        }
        let _ = writeln!(
            s,
            "| **geomean** | | | | | **{}** | **{}** | **{}** | **{}** | | | | | |\n",
            percent(self.time_geomean()),
            percent(self.size_geomean(Isa::X86_64)),
            percent(self.size_geomean(Isa::Aarch64)),
            percent(self.size_geomean(Isa::Riscv64)),
        );
        let all_ms: Vec<f64> = self
            .outcomes
            .iter()
            .flat_map(|o| o.migrated.hop_ms.iter().copied())
            .collect();
        let migrations: usize = self.outcomes.iter().map(|o| o.migrated.migrations).sum();
        let _ = writeln!(
            s,
            "Migrations: {migrations} in total, median {:.1} ms from request to checkpoint written \
             (`het run`'s \"in X ms\").\n",
            median(all_ms)
        );
        let failures = self.failures();
        if failures.is_empty() {
            s.push_str("Every workload verified on every ISA, with and without migrations.\n");
        } else {
            s.push_str("Failures:\n\n");
            for f in failures {
                let _ = writeln!(s, "- {f}");
            }
        }
        s
    }

    /// `overhead.svg`: two bar charts, each on its own scale around a zero line: the
    /// run-time overhead per workload on x86-64, and the size overhead per workload
    /// and ISA; the last group of each is the geomean.
    pub fn svg(&self) -> String {
        let names: Vec<String> = self
            .outcomes
            .iter()
            .map(|o| o.workload.name.clone())
            .chain(["geomean".to_string()])
            .collect();
        let pct = |r: f64| (r - 1.0) * 100.0;
        let time: Vec<Vec<f64>> = self
            .outcomes
            .iter()
            .map(|o| vec![pct(o.time_ratio())])
            .chain([vec![pct(self.time_geomean())]])
            .collect();
        let size: Vec<Vec<f64>> = self
            .outcomes
            .iter()
            .map(|o| Isa::ALL.iter().map(|i| pct(o.size_ratio(*i))).collect())
            .chain([Isa::ALL.iter().map(|i| pct(self.size_geomean(*i))).collect()])
            .collect();
        let group_w = 64.0;
        let width = PANEL_LEFT + group_w * names.len() as f64 + 20.0;
        let panel_h = PANEL_PLOT + 130.0;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{:.0}\" \
             font-family=\"sans-serif\" font-size=\"11\">",
            2.0 * panel_h + 10.0
        );
        let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        let mode = if self.quick {
            "quick: NPB S, Phoenix small"
        } else {
            "NPB W, Phoenix medium"
        };
        panel(
            &mut s,
            0.0,
            width,
            &format!(
                "Run time on x86-64, hetcc -O2 -fhet-migratable vs clang-22 -O2, median of {} ({mode}): overhead in %",
                self.runs
            ),
            &names,
            &time,
            &[("x86_64 run time", "#4e79a7")],
        );
        panel(
            &mut s,
            panel_h,
            width,
            "Binary size, hetcc -O2 -fhet-migratable vs clang-22 -O2 -static, per ISA: overhead in %",
            &names,
            &size,
            &[("x86_64", "#f28e2b"), ("aarch64", "#59a14f"), ("riscv64", "#e15759")],
        );
        s.push_str("</svg>\n");
        s
    }

    /// Writes `regression.csv`, `regression.md` and `overhead.svg` into `dir`.
    pub fn write(&self, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for (file, text) in [
            ("regression.csv", self.csv()),
            ("regression.md", self.markdown()),
            ("overhead.svg", self.svg()),
        ] {
            let path = dir.join(file);
            std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(())
    }
}

const PANEL_LEFT: f64 = 60.0;
const PANEL_PLOT: f64 = 260.0;

/// One bar chart at vertical offset `top0`: a group of bars (one per series) per name,
/// y axis in % with a zero line, a legend below.
fn panel(
    s: &mut String,
    top0: f64,
    width: f64,
    title: &str,
    names: &[String],
    rows: &[Vec<f64>],
    series: &[(&str, &str)],
) {
    let (left, top, plot_h, group_w, bar_w) = (PANEL_LEFT, top0 + 40.0, PANEL_PLOT, 64.0, 14.0);
    let finite = rows.iter().flat_map(|v| v.iter().copied()).filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((0.0f64, 2.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let step = nice_step((hi - lo) / 6.0);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let y = |v: f64| top + (hi - v) / (hi - lo) * plot_h;
    let _ = writeln!(
        s,
        "<text x=\"{left}\" y=\"{:.1}\" font-size=\"13\">{}</text>",
        top0 + 20.0,
        xml_escape(title)
    );
    let mut tick = lo;
    while tick <= hi + step / 2.0 {
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}%</text>",
            width - 20.0,
            y(tick),
            y(tick),
            if tick.abs() < step / 1e3 { "black" } else { "#ddd" },
            left - 4.0,
            y(tick) + 4.0,
            trim_number(tick)
        );
        tick += step;
    }
    for (g, (name, values)) in names.iter().zip(rows).enumerate() {
        let x0 = left + g as f64 * group_w + (group_w - bar_w * values.len() as f64) / 2.0;
        for (k, v) in values.iter().enumerate() {
            if !v.is_finite() {
                continue;
            }
            let (a, b) = (y(v.max(0.0)), y(v.min(0.0)));
            let _ = writeln!(
                s,
                "<rect x=\"{:.1}\" y=\"{a:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\">\
                 <title>{name} {}: {v:+.1}%</title></rect>",
                x0 + k as f64 * bar_w,
                bar_w - 1.0,
                (b - a).max(0.5),
                series[k].1,
                series[k].0
            );
            if values.len() == 1 {
                let _ = writeln!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"9\">{v:+.1}</text>",
                    x0 + bar_w / 2.0,
                    if *v >= 0.0 { a - 3.0 } else { b + 10.0 }
                );
            }
        }
        let cx = left + g as f64 * group_w + group_w / 2.0;
        let ly = top + plot_h + 14.0;
        let _ = writeln!(
            s,
            "<text x=\"{cx:.1}\" y=\"{ly:.1}\" text-anchor=\"end\" transform=\"rotate(-35 {cx:.1} {ly:.1})\">{name}</text>"
        );
    }
    for (k, (label, color)) in series.iter().enumerate() {
        let lx = left + k as f64 * 130.0;
        let ly = top + plot_h + 84.0;
        let _ = writeln!(
            s,
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{color}\"/>\
             <text x=\"{:.1}\" y=\"{ly:.1}\">{label}</text>",
            ly - 9.0,
            lx + 14.0
        );
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The cells both tables start with: workload, argument, verification, the two run
/// times, the time overhead and the three size overheads.
fn comparison_cells(o: &Outcome) -> [String; 9] {
    [
        o.workload.name.to_string(),
        o.workload.arg.to_string(),
        verified_cell(o),
        format!("{:.3}", o.hetcc_secs),
        format!("{:.3}", o.clang_secs),
        percent(o.time_ratio()),
        percent(o.size_ratio(Isa::X86_64)),
        percent(o.size_ratio(Isa::Aarch64)),
        percent(o.size_ratio(Isa::Riscv64)),
    ]
}

fn verified_cell(o: &Outcome) -> String {
    let mark = |ok: bool| if ok { "ok" } else { "NO" };
    let mut cells: Vec<&str> = Isa::ALL
        .iter()
        .map(|isa| mark(o.plain.iter().any(|r| r.isa == *isa && r.verified && r.same_output)))
        .collect();
    cells.push(mark(
        o.migrated.verified && o.migrated.same_output && o.migrated.migrations >= MIN_MIGRATIONS,
    ));
    cells.join("/")
}

fn percent(ratio: f64) -> String {
    if ratio.is_finite() {
        format!("{:+.1}%", (ratio - 1.0) * 100.0)
    } else {
        "-".to_string()
    }
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        f64::NAN
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(" ")
}

fn csv_quote(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn nice_step(raw: f64) -> f64 {
    let raw = raw.max(1e-3);
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
}

fn trim_number(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hop_and_timing_lines() {
        let stderr = "het-rt: checkpoint frames 3 bytes 1400000 walk_ns 10 write_ns 20\n\
                      het: hop 2/4 x86_64 -> aarch64: checkpoint 1.4 MB in 1.5 ms, restore started\n\
                      het-rt: restore bytes 1400000 ns 2000000\n\
                      het-rt: rebuild frames 3 values 9 ns 500000\n\
                      het: hop 3/4 aarch64 -> riscv64: checkpoint 1.4 MB before the request, restore started\n";
        let m = parse_migration_lines(stderr);
        assert_eq!(m.migrations, 2);
        assert_eq!(m.hop_ms, vec![1.5]);
        assert_eq!(m.checkpoint_bytes, vec![1_400_000]);
        assert_eq!(m.restore_ms, vec![2.5]);
    }

    #[test]
    fn seeded_hops_visit_every_isa() {
        for seed in 0..200 {
            let hops = Rng::new(seed).hops();
            assert_eq!(hops.len(), 4);
            assert!(Isa::ALL.iter().all(|i| hops.contains(i)), "{hops:?}");
            assert!(hops.windows(2).all(|w| w[0] != w[1]), "{hops:?}");
        }
    }

    #[test]
    fn verification_lines() {
        assert!(output_verified(Suite::Npb, b" x\n VERIFICATION SUCCESSFUL\n"));
        assert!(!output_verified(Suite::Npb, b" VERIFICATION FAILED\n"));
        assert!(output_verified(Suite::Phoenix, b"a\nVERIFIED\n"));
        assert!(!output_verified(Suite::Phoenix, b"VERIFIED\nVERIFICATION FAILED\n"));
    }

    fn sample_report() -> Report {
        let workload = workloads(Path::new("/w"), true).remove(0);
        let mut outcome = Outcome::new(&workload);
        outcome.reference_verified = true;
        outcome.plain = Isa::ALL
            .iter()
            .map(|&isa| IsaRun {
                isa,
                secs: 0.5,
                verified: true,
                same_output: true,
            })
            .collect();
        outcome.sizes = Isa::ALL.iter().map(|&isa| (isa, 120, 100)).collect();
        outcome.hetcc_secs = 1.02;
        outcome.clang_secs = 1.0;
        outcome.migrated = Migrated {
            hops: vec![Isa::X86_64, Isa::Aarch64, Isa::Riscv64, Isa::X86_64],
            every_ms: 20.0,
            attempts: 1,
            migrations: 3,
            hop_ms: vec![1.0, 2.0, 3.0],
            checkpoint_bytes: vec![1, 2, 3],
            restore_ms: vec![1.0, 1.0, 1.0],
            secs: 1.0,
            verified: true,
            same_output: true,
        };
        let mut failed = outcome.clone();
        failed.workload.name = "other".into();
        failed.failures.push("other S: x, \"quoted\"".into());
        Report {
            quick: true,
            runs: 3,
            seed: 4,
            outcomes: vec![outcome, failed],
            secs: 1.0,
        }
    }

    #[test]
    fn csv_rows_have_the_header_s_columns() {
        let csv = sample_report().csv();
        let mut lines = csv.lines();
        let columns = lines.next().unwrap().split(',').count();
        assert_eq!(lines.next().unwrap().split(',').count(), columns);
        // The failure text is quoted (it holds a comma), so count outside quotes.
        let row = lines.next().unwrap();
        let unquoted = row.split('"').step_by(2).collect::<String>();
        assert_eq!(unquoted.matches(',').count() + 1, columns);
    }

    #[test]
    fn markdown_and_svg_show_the_figures() {
        let report = sample_report();
        let md = report.markdown();
        assert!(md.contains("| ep | S | ok/ok/ok/ok |"), "{md}");
        assert!(md.contains("+2.0%") && md.contains("+20.0%"), "{md}");
        assert!(md.contains("Failures:"), "{md}");
        let svg = report.svg();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<rect").count(), svg.matches("</rect>").count() + 1 + 4);
        assert!(
            svg.contains("ep run time") || svg.contains("ep x86_64 run time"),
            "{svg}"
        );
    }

    #[test]
    fn geomean_and_median() {
        assert!((geomean([2.0, 8.0]) - 4.0).abs() < 1e-12);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
    }
}
