//! `cargo run --release -p het-testsuite --bin regression -- [--quick] [--out DIR]
//! [--runs N] [--seed S] [NAME…]`: the regression suite (see
//! `het_testsuite::regression`). The 12 workloads (NPB class W, Phoenix medium; with
//! `--quick` class S and small) are built with hetcc -O2 -fhet-migratable and with
//! clang-22 -O2, verified on every ISA without and with migrations, and timed (x86-64)
//! and sized (every ISA) against clang. Prints a table and writes `DIR/regression.csv`,
//! `DIR/regression.md` and `DIR/overhead.svg` (default DIR `target/regression`).
//! Exits 1 if a workload failed to verify, printed something other than the clang
//! build, or made fewer than three migrations; never because of a timing.
//!
//! Tools: `$HETCC` (default `target/release/hetcc`), `$HET` (default `het` next to
//! hetcc), `$HET_MUSL_CLANG` (default `scripts/musl-clang`).

use anyhow::{bail, Context, Result};
use het_testsuite::regression::{self, Options};
use het_testsuite::tools;
use std::path::{Path, PathBuf};

fn main() -> Result<()> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("workspace root")?
        .to_path_buf();
    let mut quick = false;
    let mut out = workspace.join("target/regression");
    let mut runs = 3usize;
    let mut seed = 4u64;
    let mut filters = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().with_context(|| format!("{flag} takes a value"));
        match arg.as_str() {
            "--quick" => quick = true,
            "--out" => out = PathBuf::from(value("--out")?),
            "--runs" => runs = value("--runs")?.parse().context("--runs takes a number")?,
            "--seed" => seed = value("--seed")?.parse().context("--seed takes a number")?,
            "-h" | "--help" => {
                println!("usage: regression [--quick] [--out DIR] [--runs N] [--seed S] [NAME…]");
                return Ok(());
            }
            flag if flag.starts_with('-') => bail!("unknown option {flag}"),
            name => filters.push(name.to_string()),
        }
    }
    let hetcc = std::env::var_os("HETCC")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target/release/hetcc"));
    let het = std::env::var_os("HET")
        .map(PathBuf::from)
        .unwrap_or_else(|| hetcc.with_file_name("het"));
    for tool in [&hetcc, &het] {
        if !tool.is_file() {
            bail!(
                "{} not found (cargo build --release -p hetcc, or set HETCC / HET)",
                tool.display()
            );
        }
    }
    let musl_clang = tools::Tools::locate().musl_clang.map_err(anyhow::Error::msg)?;
    tools::check_emulators().map_err(anyhow::Error::msg)?;
    let scratch = std::env::temp_dir().join(format!("het-regression-{}", std::process::id()));
    let options = Options {
        quick,
        runs,
        seed,
        hetcc,
        het,
        musl_clang,
        workspace,
        scratch: scratch.clone(),
        filters,
        verbose: true,
    };
    let report = regression::run(&options).map_err(anyhow::Error::msg)?;
    println!("{}", report.table());
    report.write(&out).map_err(anyhow::Error::msg)?;
    println!(
        "wrote {0}/regression.csv, {0}/regression.md, {0}/overhead.svg",
        out.display()
    );
    let failures = report.failures();
    if failures.is_empty() {
        std::fs::remove_dir_all(&scratch).ok();
        Ok(())
    } else {
        eprintln!(
            "\n{} failures (builds and captures kept in {}):",
            failures.len(),
            scratch.display()
        );
        for failure in &failures {
            eprintln!("  {failure}");
        }
        std::process::exit(1);
    }
}
