//! `cargo run --release -p het-testsuite --bin bench`: compile time and binary size of
//! hetcc builds against plain `clang-22 -O2` builds with the same musl.
//!
//! For every runnable corpus program and for the Lua 5.4 interpreter (sources from the
//! `lua-src` crate, fetched with cargo; its output on every ISA is checked against the
//! clang build), it measures, side by side in one run:
//! - compile+link time: `hetcc -O2` (all three ISAs) vs `scripts/musl-clang x86_64 -O2`
//!   (one ISA), median of `--runs` (default 3);
//! - file size of each ISA's executable vs `scripts/musl-clang <isa> -O2 -static`.
//!
//! Figures are printed, never asserted: the machine is shared and noisy.

use anyhow::{bail, Context, Result};
use het_testsuite::regression::{geomean, median};
use het_testsuite::tools;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const ISAS: [&str; 3] = ["x86_64", "aarch64", "riscv64"];

struct Program {
    name: String,
    sources: Vec<PathBuf>,
    flags: Vec<String>,
    /// Run every ISA's binary and the reference and require identical output (the
    /// corpus programs are checked by the corpus test instead).
    check_output: bool,
}

struct Figures {
    name: String,
    hetcc_secs: f64,
    clang_secs: f64,
    sizes: Vec<(u64, u64)>,
}

fn main() -> Result<()> {
    let root = workspace_root();
    let runs = tools::runs_argument(3)?;
    let hetcc = tools::release_tool(&root, "hetcc")?;
    let musl_clang = root.join("scripts/musl-clang");
    let scratch = std::env::temp_dir().join(format!("het-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let mut programs = corpus_programs(&root.join("testsuite/corpus"))?;
    programs.push(lua(&root)?);
    println!(
        "{:<24} {:>9} {:>9} {:>7}   size ratio x86_64 / aarch64 / riscv64 (hetcc vs clang -static)",
        "program", "hetcc s", "clang s", "ratio"
    );
    let mut all = Vec::new();
    for program in &programs {
        let figures = measure(program, &hetcc, &musl_clang, &scratch, runs)
            .with_context(|| format!("benchmarking {}", program.name))?;
        print_row(&figures);
        all.push(figures);
    }
    print_summary(&all);
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("testsuite lives in the workspace")
        .to_path_buf()
}

/// Runnable corpus programs: those not marked `het: expect-error`.
fn corpus_programs(dir: &Path) -> Result<Vec<Program>> {
    let mut programs = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path)?;
        if text.contains("het: expect-error") {
            continue;
        }
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        programs.push(Program {
            name,
            sources: vec![path],
            flags: vec!["-lm".into()],
            check_output: false,
        });
    }
    Ok(programs)
}

fn lua(root: &Path) -> Result<Program> {
    let manifest = root.join("testsuite/bench/lua/Cargo.toml");
    let status = Command::new("cargo")
        .args(["fetch", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .status()?;
    if !status.success() {
        bail!("cargo fetch of the Lua sources failed (needs crates.io)");
    }
    let cargo_home =
        std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()));
    let registry = Path::new(&cargo_home).join("registry/src");
    let lua_dir = std::fs::read_dir(&registry)?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("lua-src-547.0.0/lua-5.4.7"))
        .find(|p| p.join("lua.h").is_file())
        .context("lua-src-547.0.0 sources not found in the cargo registry")?;
    let mut sources = vec![root.join("testsuite/bench/lua/main.c")];
    let mut library: Vec<PathBuf> = std::fs::read_dir(&lua_dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .collect();
    library.sort();
    sources.extend(library);
    Ok(Program {
        name: "lua 5.4 (interpreter)".into(),
        sources,
        flags: vec!["-I".into(), lua_dir.to_string_lossy().into_owned(), "-lm".into()],
        check_output: true,
    })
}

fn measure(program: &Program, hetcc: &Path, musl_clang: &Path, scratch: &Path, runs: usize) -> Result<Figures> {
    let het_out = scratch.join(format!("{}.het", program.name.replace(' ', "_")));
    let ref_out = scratch.join(format!("{}.ref", program.name.replace(' ', "_")));
    let mut het_times = Vec::new();
    let mut clang_times = Vec::new();
    for _ in 0..runs {
        // Alternate the two so that load on the shared machine hits both alike.
        het_times.push(timed(
            Command::new(hetcc)
                .arg("-O2")
                .arg("-o")
                .arg(&het_out)
                .args(&program.sources)
                .args(&program.flags),
        )?);
        clang_times.push(timed(
            Command::new(musl_clang)
                .args(["x86_64", "-O2", "-o"])
                .arg(&ref_out)
                .args(&program.sources)
                .args(&program.flags),
        )?);
    }
    let mut sizes = Vec::new();
    for isa in ISAS {
        let het_bin = if isa == "x86_64" {
            het_out.clone()
        } else {
            PathBuf::from(format!("{}.{isa}", het_out.display()))
        };
        let ref_bin = scratch.join(format!("ref.{isa}"));
        if isa == "x86_64" {
            std::fs::copy(&ref_out, &ref_bin)?;
        } else {
            timed(
                Command::new(musl_clang)
                    .args([isa, "-O2", "-o"])
                    .arg(&ref_bin)
                    .args(&program.sources)
                    .args(&program.flags),
            )?;
        }
        sizes.push((std::fs::metadata(&het_bin)?.len(), std::fs::metadata(&ref_bin)?.len()));
    }
    if program.check_output {
        check_same_output(&het_out, &ref_out)?;
    }
    Ok(Figures {
        name: program.name.clone(),
        hetcc_secs: median(het_times),
        clang_secs: median(clang_times),
        sizes,
    })
}

/// The larger program must print the same on every ISA as the clang build on x86-64.
fn check_same_output(het_out: &Path, ref_out: &Path) -> Result<()> {
    let reference = Command::new(ref_out).output()?.stdout;
    for isa in het_format::Isa::ALL {
        let output = tools::run_command(&tools::output_path(het_out, isa), isa).output()?;
        if output.stdout != reference {
            bail!("hetcc's {isa} binary printed something else than the clang-22 -O2 build");
        }
    }
    Ok(())
}

fn timed(command: &mut Command) -> Result<f64> {
    let start = Instant::now();
    let output = command
        .output()
        .with_context(|| format!("running {:?}", command.get_program()))?;
    if !output.status.success() {
        bail!("{:?} failed:\n{}", command, String::from_utf8_lossy(&output.stderr));
    }
    Ok(start.elapsed().as_secs_f64())
}

fn print_row(f: &Figures) {
    let ratios: Vec<String> = f
        .sizes
        .iter()
        .map(|(h, c)| format!("{:.2}", *h as f64 / *c as f64))
        .collect();
    println!(
        "{:<24} {:>9.3} {:>9.3} {:>6.2}x   {}",
        f.name,
        f.hetcc_secs,
        f.clang_secs,
        f.hetcc_secs / f.clang_secs,
        ratios.join(" / ")
    );
}

fn print_summary(all: &[Figures]) {
    println!();
    println!(
        "geomean compile-time ratio (hetcc 3 ISAs / clang 1 ISA): {:.2}x",
        geomean(all.iter().map(|f| f.hetcc_secs / f.clang_secs))
    );
    for (i, isa) in ISAS.iter().enumerate() {
        let ratio = geomean(all.iter().map(|f| f.sizes[i].0 as f64 / f.sizes[i].1 as f64));
        let (het, clang): (u64, u64) = all
            .iter()
            .fold((0, 0), |(h, c), f| (h + f.sizes[i].0, c + f.sizes[i].1));
        println!("{isa:<8} size: geomean ratio {ratio:.2}x, total {het} B (hetcc) vs {clang} B (clang -static)");
    }
}
