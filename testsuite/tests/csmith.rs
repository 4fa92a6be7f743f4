//! Random programs through the whole pipeline: each csmith seed's program is built by
//! hetcc at -O0, -O1, -O2, -O3 and -Os, each with and without -fhet-migratable, and
//! must build (no `internal error`, no refusal: csmith writes portable C that hetcc
//! accepts), and print on x86-64 the checksum of the `clang-22 -O2` reference, ending
//! the same way. The -O2 builds also run on aarch64 and riscv64 (qemu-user).
//!
//! Seeds: `HET_CSMITH_SEEDS=N` (default 2) from `HET_CSMITH_SEED` (default 1). Without
//! csmith (`apt-get install csmith libcsmith-dev`; scripts/setup.sh installs both) the
//! test says so and passes, unless seeds were asked for. A seed whose reference runs
//! longer than 10 s is skipped (csmith programs may loop for a long time). Failing
//! seeds keep their files under `$TMPDIR/het-csmith-<pid>/` (`HET_KEEP=1`: every seed).

use het_format::Isa;
use het_testsuite::exec::{self, Captured};
use het_testsuite::seeds::{env_number, run_seeds};
use het_testsuite::tools::{self, Tools};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const CSMITH_INCLUDE: &str = "/usr/include/csmith";
const REFERENCE_TIMEOUT: Duration = Duration::from_secs(10);
const RUN_TIMEOUT: Duration = Duration::from_secs(120);
const LEVELS: [&str; 5] = ["-O0", "-O1", "-O2", "-O3", "-Os"];

fn csmith_available() -> bool {
    // Even `--version` writes a platform.info into the working directory.
    let runs = Command::new("csmith")
        .current_dir(std::env::temp_dir())
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    runs && Path::new(CSMITH_INCLUDE).join("csmith.h").exists()
}

fn run(cmd: &mut Command, timeout: Duration, stem: &Path) -> Captured {
    exec::run(cmd, None, timeout, stem).unwrap_or_else(|e| panic!("running {:?}: {e}", cmd.get_program()))
}

/// One seed; returns its failures.
fn check_seed(tools: &Tools, seed: u64, dir: &Path) -> Vec<String> {
    let hetcc = tools.hetcc.as_ref().unwrap_or_else(|e| panic!("{e}"));
    let musl_clang = tools.musl_clang.as_ref().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir).expect("scratch directory");
    let source = dir.join("random.c");
    let generated = run(
        // csmith writes a platform.info into its working directory.
        Command::new("csmith")
            .current_dir(dir)
            .arg("--seed")
            .arg(seed.to_string())
            .arg("-o")
            .arg(&source),
        RUN_TIMEOUT,
        &dir.join("csmith"),
    );
    assert!(
        generated.ending.success(),
        "csmith --seed {seed} failed: {}",
        generated.stderr_tail(5)
    );
    let common = ["-w".to_string(), format!("-I{CSMITH_INCLUDE}")];
    let reference = dir.join("ref");
    let built = run(
        Command::new(musl_clang)
            .arg("x86_64")
            .arg("-O2")
            .args(&common)
            .arg("-o")
            .arg(&reference)
            .arg(&source),
        RUN_TIMEOUT,
        &dir.join("ref-build"),
    );
    if !built.ending.success() {
        return vec![format!(
            "seed {seed}: the reference does not build: {}",
            built.stderr_tail(5)
        )];
    }
    let expected = run(&mut Command::new(&reference), REFERENCE_TIMEOUT, &dir.join("ref-run"));
    if expected.ending == exec::Ending::TimedOut {
        println!("seed {seed}: the reference runs over {REFERENCE_TIMEOUT:?}; skipped");
        return Vec::new();
    }
    let mut failures = Vec::new();
    for level in LEVELS {
        for migratable in [false, true] {
            let tag = format!("{level}{}", if migratable { " -fhet-migratable" } else { "" });
            let out = dir.join(format!("app{level}{}", if migratable { "-m" } else { "" }));
            let mut cmd = Command::new(hetcc);
            cmd.arg(level).args(&common).arg("-o").arg(&out).arg(&source);
            if migratable {
                cmd.arg("-fhet-migratable");
            }
            let build = run(&mut cmd, RUN_TIMEOUT, &out.with_extension("build"));
            if !build.ending.success() {
                failures.push(format!("seed {seed} {tag}: hetcc failed: {}", build.stderr_tail(3)));
                continue;
            }
            let isas: &[Isa] = if level == "-O2" { &Isa::ALL } else { &[Isa::X86_64] };
            for &isa in isas {
                let binary = tools::output_path(&out, isa);
                let got = run(
                    &mut tools::run_command(&binary, isa),
                    RUN_TIMEOUT,
                    &binary.with_extension(format!("{isa}.run")),
                );
                if got.ending != expected.ending || got.stdout != expected.stdout {
                    failures.push(format!(
                        "seed {seed} {tag} on {isa}: {} and {:?}, the reference {} and {:?}",
                        got.ending,
                        String::from_utf8_lossy(&got.stdout).trim(),
                        expected.ending,
                        String::from_utf8_lossy(&expected.stdout).trim()
                    ));
                }
                let _ = std::fs::remove_file(&binary);
            }
        }
    }
    failures
}

#[test]
fn random_programs_build_at_every_level_and_match_the_reference() {
    let asked = std::env::var_os("HET_CSMITH_SEEDS").is_some();
    if !csmith_available() {
        assert!(
            !asked,
            "HET_CSMITH_SEEDS is set but csmith or {CSMITH_INCLUDE}/csmith.h is missing"
        );
        println!("csmith is not installed (apt-get install csmith libcsmith-dev): skipped");
        return;
    }
    run_seeds(
        "het-csmith",
        env_number("HET_CSMITH_SEED", 1),
        env_number("HET_CSMITH_SEEDS", 2),
        check_seed,
    );
}
