//! `cargo run --release -p het-testsuite --bin migration_bench [-- --runs N] [--only K]`
//! (K: a section number below): what a
//! migration costs, measured with the runtime's own step timings (`HET_TIMING`). What
//! migration support costs a program that never migrates is the regression runner's
//! figure (`--bin regression`, testsuite/src/regression.rs).
//!
//! 1. Stack transformation vs frames: `testsuite/bench/frames.c` at depth D (D + 2
//!    program frames): the source's walk and the destination's rebuild, per ISA pair.
//! 2. Checkpoint write and restore vs memory: `testsuite/bench/memory.c` with 1 to 256
//!    MiB of heap, x86_64 to x86_64 (native, so the figures are not qemu's) and one
//!    cross-ISA pair.
//! 3. Request-to-stop latency: `het run --hops x86_64,x86_64 --every T` on the NPB and
//!    Phoenix workloads (x86_64, native), T from a fixed seed; latency is het run's
//!    request-to-exit time minus the runtime's walk and write time.
//!
//! 4. A request that cannot be honoured: `testsuite/bench/deferral.c` sorts for about a
//!    second with musl's qsort (no equivalence point) on the stack; `het migrate` asks
//!    50 ms into the sort and keeps asking while the runtime says "deferred". The sort's
//!    own time with the pending request against plain runs, interleaved.
//!
//! Every migrated run's output is compared with the plain run's. Figures are printed,
//! never asserted: the machine is shared and noisy.

use anyhow::{bail, Context, Result};
use het_format::migration::{ENV_CHECKPOINT, ENV_RESTORE, ENV_TIMING};
use het_format::Isa;
use het_testsuite::regression::{self, median, runtime_timing as timing};
use het_testsuite::tools;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn main() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("workspace root")?
        .to_path_buf();
    let runs = het_testsuite::tools::runs_argument(3)?;
    let hetcc = het_testsuite::tools::release_tool(&root, "hetcc")?;
    let het = het_testsuite::tools::release_tool(&root, "het")?;
    let scratch = std::env::temp_dir().join(format!("het-migration-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let bench = Bench {
        root,
        hetcc,
        het,
        scratch,
        runs,
    };
    let only: Option<String> = std::env::args().skip_while(|a| a != "--only").nth(1);
    let wanted = |section: &str| only.as_deref().is_none_or(|o| o == section);
    if wanted("1") {
        bench.frames()?;
    }
    if wanted("2") {
        bench.memory()?;
    }
    if wanted("3") {
        bench.latency()?;
    }
    if wanted("4") {
        bench.deferral()?;
    }
    std::fs::remove_dir_all(&bench.scratch).ok();
    Ok(())
}

struct Bench {
    root: PathBuf,
    hetcc: PathBuf,
    het: PathBuf,
    scratch: PathBuf,
    runs: usize,
}

fn percentile(mut values: Vec<f64>, p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let at = ((values.len() as f64 - 1.0) * p).round() as usize;
    values.get(at).copied().unwrap_or(f64::NAN)
}

fn checked(output: Output, what: &str) -> Result<Output> {
    if !output.status.success() && output.status.code() != Some(75) {
        bail!(
            "{what}: {} ({})",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output)
}

impl Bench {
    fn build(&self, source: &Path, name: &str) -> Result<PathBuf> {
        let out = self.scratch.join(name);
        let status = Command::new(&self.hetcc)
            .args(["-O2", "-fhet-migratable", "-o"])
            .arg(&out)
            .arg(source)
            .arg("-lm")
            .status()
            .context("running hetcc")?;
        if !status.success() {
            bail!("hetcc failed for {}", source.display());
        }
        Ok(out)
    }

    /// Runs `binary` on `source` with the extra argument `migrate` (the bench programs
    /// then request a migration themselves), restores on `destination`; returns (source stderr,
    /// destination stderr) after checking the joined output against `plain`.
    fn migrate_once(
        &self,
        binary: &Path,
        args: &[String],
        source: Isa,
        destination: Isa,
        plain: &[u8],
    ) -> Result<(String, String)> {
        let checkpoint = self.scratch.join("bench.ckpt");
        std::fs::remove_file(&checkpoint).ok();
        let first = checked(
            tools::run_command(&tools::output_path(binary, source), source)
                .args(args)
                .arg("migrate")
                .env(ENV_CHECKPOINT, &checkpoint)
                .env(ENV_TIMING, "1")
                .output()?,
            "source run",
        )?;
        if first.status.code() != Some(75) {
            bail!("{} did not migrate", binary.display());
        }
        let second = checked(
            tools::run_command(&tools::output_path(binary, destination), destination)
                .args(args)
                .arg("migrate")
                .env(ENV_RESTORE, &checkpoint)
                .env(ENV_TIMING, "1")
                .output()?,
            "restore",
        )?;
        let mut joined = first.stdout.clone();
        joined.extend_from_slice(&second.stdout);
        if joined != plain {
            bail!(
                "{} {source} -> {destination}: output differs from the plain run",
                binary.display()
            );
        }
        Ok((
            String::from_utf8_lossy(&first.stderr).into_owned(),
            String::from_utf8_lossy(&second.stderr).into_owned(),
        ))
    }

    fn plain(&self, binary: &Path, args: &[String]) -> Result<Vec<u8>> {
        Ok(checked(Command::new(binary).args(args).output()?, "plain run")?.stdout)
    }

    fn frames(&self) -> Result<()> {
        let binary = self.build(&self.root.join("testsuite/bench/frames.c"), "frames")?;
        println!("\n1. Stack transformation vs frames (median of {} runs; µs)", self.runs);
        println!(
            "{:>7} {:>18} {:>10} {:>12} {:>10}",
            "frames", "pair", "walk", "rebuild", "restore"
        );
        let pairs = [
            (Isa::X86_64, Isa::X86_64),
            (Isa::X86_64, Isa::Aarch64),
            (Isa::Riscv64, Isa::X86_64),
        ];
        for depth in [0usize, 9, 99, 999] {
            let args = vec![depth.to_string()];
            let plain = self.plain(&binary, &args)?;
            for (source, destination) in pairs {
                let (mut walk, mut rebuild, mut restore) = (Vec::new(), Vec::new(), Vec::new());
                for _ in 0..self.runs {
                    let (out, back) = self.migrate_once(&binary, &args, source, destination, &plain)?;
                    walk.push(timing(&out, "checkpoint", "walk_ns").unwrap_or(f64::NAN) / 1e3);
                    rebuild.push(timing(&back, "rebuild", "ns").unwrap_or(f64::NAN) / 1e3);
                    restore.push(timing(&back, "restore", "ns").unwrap_or(f64::NAN) / 1e3);
                }
                println!(
                    "{:>7} {:>18} {:>10.1} {:>12.1} {:>10.1}",
                    depth + 2,
                    format!("{source}->{destination}"),
                    median(walk),
                    median(rebuild),
                    median(restore)
                );
            }
        }
        Ok(())
    }

    fn memory(&self) -> Result<()> {
        let binary = self.build(&self.root.join("testsuite/bench/memory.c"), "memory")?;
        println!(
            "\n2. Checkpoint write and restore vs memory (median of {} runs; ms)",
            self.runs
        );
        println!(
            "{:>8} {:>18} {:>12} {:>10} {:>10}",
            "heap MiB", "pair", "ckpt bytes", "write", "restore"
        );
        for mib in [1usize, 16, 64, 256] {
            let args = vec![mib.to_string()];
            let plain = self.plain(&binary, &args)?;
            let mut pairs = vec![(Isa::X86_64, Isa::X86_64)];
            if mib <= 16 {
                pairs.push((Isa::X86_64, Isa::Aarch64));
            }
            for (source, destination) in pairs {
                let (mut write, mut restore, mut bytes) = (Vec::new(), Vec::new(), 0.0);
                for _ in 0..self.runs {
                    let (out, back) = self.migrate_once(&binary, &args, source, destination, &plain)?;
                    write.push(timing(&out, "checkpoint", "write_ns").unwrap_or(f64::NAN) / 1e6);
                    restore.push(timing(&back, "restore", "ns").unwrap_or(f64::NAN) / 1e6);
                    bytes = timing(&out, "checkpoint", "bytes").unwrap_or(f64::NAN);
                }
                println!(
                    "{:>8} {:>18} {:>12} {:>10.2} {:>10.2}",
                    mib,
                    format!("{source}->{destination}"),
                    bytes,
                    median(write),
                    median(restore)
                );
            }
        }
        Ok(())
    }

    fn deferral(&self) -> Result<()> {
        println!("\n4. A deferred request, x86_64 native: the sort's wall time (ms)");
        let binary = self.build(&self.root.join("testsuite/bench/deferral.c"), "deferral")?;
        let sort_ms = |stderr: &[u8]| -> Option<f64> {
            String::from_utf8_lossy(stderr)
                .lines()
                .find_map(|l| l.strip_prefix("sort_ms ")?.trim().parse().ok())
        };
        let (mut plain, mut requested) = (Vec::new(), Vec::new());
        for _ in 0..self.runs.max(3) {
            let output = checked(Command::new(&binary).output()?, "plain deferral run")?;
            plain.push(sort_ms(&output.stderr).context("no sort_ms line")?);
            let checkpoint = self.scratch.join("deferral.ckpt");
            std::fs::remove_file(&checkpoint).ok();
            let child = Command::new(&binary)
                .env(ENV_CHECKPOINT, &checkpoint)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()?;
            std::thread::sleep(std::time::Duration::from_millis(50));
            let asked = Command::new(&self.het)
                .args(["migrate", &child.id().to_string()])
                .output()?;
            let output = child.wait_with_output()?;
            if output.status.code() != Some(75) || !asked.status.success() {
                bail!(
                    "deferral: the request was not served after the sort ({})",
                    String::from_utf8_lossy(&asked.stderr).trim()
                );
            }
            requested.push(sort_ms(&output.stderr).context("no sort_ms line")?);
        }
        let (p, r) = (median(plain.clone()), median(requested.clone()));
        println!("{:<28} {:>10} {:>10}", "", "plain", "requested");
        println!("{:<28} {:>10.1} {:>10.1}", "median", p, r);
        println!(
            "{:<28} {:>10.1} {:>10.1}",
            "min",
            percentile(plain, 0.0),
            percentile(requested, 0.0)
        );
        println!("requested / plain: {:.3}", r / p);
        Ok(())
    }

    fn latency(&self) -> Result<()> {
        println!("\n3. Request-to-stop latency, x86_64 native, signal at a seeded time (ms)");
        println!(
            "{:<20} {:>8} {:>10} {:>10} {:>12}",
            "workload", "samples", "median", "p99", "stop+ckpt"
        );
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut all = Vec::new();
        for workload in regression::workloads(&self.root, false) {
            let (name, args) = (workload.name, workload.arg);
            let binary = self.build(&workload.source, &name)?;
            let plain = self.plain(&binary, std::slice::from_ref(&args))?;
            let started = Instant::now();
            self.plain(&binary, std::slice::from_ref(&args))?;
            let run_ms = started.elapsed().as_secs_f64() * 1e3;
            let (mut latencies, mut totals) = (Vec::new(), Vec::new());
            for _ in 0..(self.runs * 3) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = 5.0 + (seed % 1000) as f64 / 1000.0 * (run_ms * 0.8);
                let output = Command::new(&self.het)
                    .args(["run", "--hops", "x86_64,x86_64", "--every"])
                    .arg(format!("{}ms", at.round() as u64))
                    .arg("--")
                    .arg(&binary)
                    .arg(&args)
                    .env(ENV_TIMING, "1")
                    .output()?;
                if output.stdout != plain || !output.status.success() {
                    bail!("{name}: het run output or status differs from the plain run");
                }
                let stderr = String::from_utf8_lossy(&output.stderr);
                let Some(&total) = regression::parse_migration_lines(&stderr).hop_ms.first() else {
                    continue; // the program finished before the request
                };
                let work = (timing(&stderr, "checkpoint", "walk_ns").unwrap_or(0.0)
                    + timing(&stderr, "checkpoint", "write_ns").unwrap_or(0.0))
                    / 1e6;
                latencies.push((total - work).max(0.0));
                totals.push(total);
            }
            all.extend(latencies.iter().copied());
            println!(
                "{:<20} {:>8} {:>10.3} {:>10.3} {:>12.3}",
                name,
                latencies.len(),
                median(latencies.clone()),
                percentile(latencies, 0.99),
                median(totals)
            );
        }
        println!(
            "{:<20} {:>8} {:>10.3} {:>10.3}",
            "all",
            all.len(),
            median(all.clone()),
            percentile(all, 0.99)
        );
        Ok(())
    }
}
