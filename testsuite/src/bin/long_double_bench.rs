//! `cargo run --release -p het-testsuite --bin long_double_bench`: what IEEE binary128
//! `long double` costs on x86-64, where it is computed in software.
//!
//! Three builds of each program in `testsuite/bench/` (`ld_arith.c`, `printf_double.c`,
//! `strtod_double.c`), side by side in one run, all on x86-64:
//! - `hetcc -O2`: binary128 `long double`, musl with printf's double path;
//! - `clang-22 -O2` against the host's glibc: x87 80-bit `long double` in hardware,
//!   glibc's printf and strtod (what a user's plain build does);
//! - `scripts/musl-clang x86_64 -O2`: the same musl as hetcc, without hetcc.
//!
//! Instruction counts (callgrind: steady on a shared machine) and the median wall time
//! of `--runs` runs (default 5) are printed, never asserted. hetcc's output must equal
//! the musl-clang build's; the glibc build may print other digits where x87 rounds
//! differently.

use anyhow::{bail, Context, Result};
use het_testsuite::regression::median;
use het_testsuite::tools;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Each benchmark program and the argument (iteration count) it runs with.
const PROGRAMS: [(&str, &str); 3] = [
    ("ld_arith", "2000000"),
    ("printf_double", "1000000"),
    ("strtod_double", "1000000"),
];

struct Build {
    label: &'static str,
    binary: PathBuf,
}

fn main() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("testsuite lives in the workspace")?
        .to_path_buf();
    let runs = tools::runs_argument(5)?;
    let hetcc = tools::release_tool(&root, "hetcc")?;
    let scratch = std::env::temp_dir().join(format!("het-ld-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    println!(
        "{:<15} {:<22} {:>14} {:>8} {:>10} {:>8}",
        "program", "build", "instructions", "ratio", "wall ms", "ratio"
    );
    for (name, arg) in PROGRAMS {
        let source = root.join("testsuite/bench").join(format!("{name}.c"));
        let builds = build_all(&root, &hetcc, &source, &scratch.join(name))
            .with_context(|| format!("building {}", source.display()))?;
        let outputs: Vec<Vec<u8>> = builds
            .iter()
            .map(|b| run_output(&b.binary, arg))
            .collect::<Result<_>>()?;
        if outputs[0] != outputs[2] {
            bail!("{name}: hetcc and musl-clang print differently");
        }
        let counts: Vec<u64> = builds
            .iter()
            .map(|b| instructions(&b.binary, arg))
            .collect::<Result<_>>()?;
        let mut times = vec![Vec::new(); builds.len()];
        for _ in 0..runs {
            // Interleaved, so that load on the shared machine hits every build alike.
            for (i, b) in builds.iter().enumerate() {
                times[i].push(wall_ms(&b.binary, arg)?);
            }
        }
        let times: Vec<f64> = times.into_iter().map(median).collect();
        for (i, b) in builds.iter().enumerate() {
            println!(
                "{:<15} {:<22} {:>14} {:>7.2}x {:>10.1} {:>7.2}x",
                if i == 0 { name } else { "" },
                b.label,
                counts[i],
                counts[i] as f64 / counts[1] as f64,
                times[i],
                times[i] / times[1],
            );
        }
        if outputs[0] != outputs[1] {
            println!("{:<15} (glibc's x87 build prints other digits)", "");
        }
    }
    println!("ratios are against clang-22 -O2 (glibc, x87 long double)");
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

fn build_all(root: &Path, hetcc: &Path, source: &Path, out: &Path) -> Result<Vec<Build>> {
    let with_suffix = |s: &str| PathBuf::from(format!("{}.{s}", out.display()));
    let builds = vec![
        Build {
            label: "hetcc -O2",
            binary: with_suffix("hetcc"),
        },
        Build {
            label: "clang-22 -O2 (glibc)",
            binary: with_suffix("glibc"),
        },
        Build {
            label: "musl-clang -O2",
            binary: with_suffix("musl"),
        },
    ];
    check(
        Command::new(hetcc)
            .arg("-O2")
            .arg("-o")
            .arg(&builds[0].binary)
            .arg(source)
            .arg("-lm"),
    )?;
    check(
        Command::new("clang-22")
            .arg("-O2")
            .arg("-o")
            .arg(&builds[1].binary)
            .arg(source)
            .arg("-lm"),
    )?;
    check(
        Command::new(root.join("scripts/musl-clang"))
            .args(["x86_64", "-O2", "-o"])
            .arg(&builds[2].binary)
            .arg(source)
            .arg("-lm"),
    )?;
    Ok(builds)
}

fn check(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("running {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(())
}

fn run_output(binary: &Path, arg: &str) -> Result<Vec<u8>> {
    let out = Command::new(binary).arg(arg).output()?;
    if !out.status.success() {
        bail!("{} {arg} failed: {}", binary.display(), out.status);
    }
    Ok(out.stdout)
}

fn wall_ms(binary: &Path, arg: &str) -> Result<f64> {
    let start = Instant::now();
    run_output(binary, arg)?;
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}

/// Instructions executed, from callgrind's "Collected" line.
fn instructions(binary: &Path, arg: &str) -> Result<u64> {
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(binary)
        .arg(arg)
        .output()
        .context("running valgrind (apt-get install valgrind)")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .lines()
        .find_map(|l| l.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .with_context(|| {
            format!(
                "no instruction count from callgrind for {}:\n{stderr}",
                binary.display()
            )
        })
}
