//! Dedicated migration programs (`testsuite/migrate/*.c`, each says in its header what
//! it checks). Each is built with `hetcc -O2 -fhet-migratable`; its plain x86-64 run is
//! the expectation (and the plain aarch64 and riscv64 runs must equal it). Its number
//! of migration points N is found by doubling/bisecting `HET_MIGRATE_AT` on x86-64, and
//! it then migrates at k = 1, N/2, N and the program's own k values, for each of the six
//! ordered ISA pairs: the source must exit with status 75 and write a checkpoint, the
//! source's stdout followed by the destination's must equal the plain run's, the final
//! status must be the plain run's, and the checkpoint's frame count (`het inspect`)
//! must satisfy the program's condition.
//!
//! `cargo test -p het-testsuite --test migrate_programs -- --nocapture` prints one line
//! per program. `HET_JOBS` (default 2) bounds the processes that run at once.

use het_format::Isa;
use het_testsuite::migrate::{self, App, Hop, PAIRS};
use het_testsuite::subject::RunSpec;
use het_testsuite::tools::Tools;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// What a checkpoint's frame count must be, given k and N.
type FrameCheck = fn(u64, u64, usize) -> Result<(), String>;

fn any_frames(_k: u64, _n: u64, _frames: usize) -> Result<(), String> {
    Ok(())
}

fn build(name: &str, scratch: &std::path::Path) -> PathBuf {
    let tools = Tools::locate();
    let hetcc = tools.hetcc.as_ref().unwrap_or_else(|e| panic!("{e}"));
    let source = tools.workspace.join("testsuite/migrate").join(format!("{name}.c"));
    let out = scratch.join(name);
    migrate::build_migratable(hetcc, &source, &out, &["-lm"]);
    out
}

/// Builds and migrates `name` at 1, N/2, N and `special` for every ordered pair.
fn check(name: &str, special: &[u64], frames: FrameCheck) {
    let started = migrate::now();
    let scratch = std::env::temp_dir().join(format!("het-migrate-programs-{}/{name}", std::process::id()));
    let base = build(name, &scratch);
    let tools = Tools::locate();
    let het = tools.hetcc.as_ref().expect("hetcc").with_file_name("het");
    let app = App {
        name: name.to_string(),
        base,
        spec: RunSpec {
            timeout: RUN_TIMEOUT,
            ..RunSpec::default()
        },
        scratch: scratch.join("runs"),
    };
    let plain = app.plain(Isa::X86_64).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        plain.ending.success(),
        "{name}: plain x86_64 run: {} ({})",
        plain.ending,
        plain.stderr_tail(8)
    );
    for isa in [Isa::Aarch64, Isa::Riscv64] {
        let other = app.plain(isa).unwrap_or_else(|e| panic!("{e}"));
        if let Err(e) = migrate::compare(
            &plain,
            &other.stdout,
            other.ending,
            &other.stderr,
            &format!("{name} plain {isa}"),
        ) {
            panic!("{e}");
        }
    }
    let (points, _) = app.count_points(Isa::X86_64, &plain).unwrap_or_else(|e| panic!("{e}"));
    assert!(points > 0, "{name}: no migration point passed");
    for &k in special {
        assert!(
            k <= points,
            "{name}: k = {k} is part of the test, but a run passes only {points} migration points"
        );
    }
    let ks: BTreeSet<u64> = [1, points.div_ceil(2), points]
        .into_iter()
        .chain(special.iter().copied())
        .collect();
    let mut failures = Vec::new();
    let mut migrations = 0;
    for &k in &ks {
        for (from, to) in PAIRS {
            let hop = Hop { k, from, to };
            let result = app
                .check_migration(&plain, hop, Some(&het))
                .and_then(|m| frames(k, points, m.frames.unwrap_or(0)).map_err(|e| format!("{name} {hop}: {e}")));
            match result {
                Ok(()) => migrations += 1,
                Err(e) => failures.push(e),
            }
        }
    }
    println!(
        "{name}: N={points}, k {ks:?}, {migrations} of {} migrations ok, {}",
        ks.len() * PAIRS.len(),
        migrate::secs(started.elapsed())
    );
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    assert!(
        failures.is_empty(),
        "{name}: {} of {} migrations failed:\n{}",
        failures.len(),
        ks.len() * PAIRS.len(),
        failures.join("\n")
    );
}

#[test]
fn live_registers() {
    check("live_registers", &[], any_frames);
}

#[test]
fn vectors() {
    check("vectors", &[], any_frames);
}

#[test]
fn stack_pointers() {
    check("stack_pointers", &[], any_frames);
}

/// Point k is the entry of depth k: 10,000 is the bottom, with every frame captured.
fn recursion_frames(k: u64, _n: u64, frames: usize) -> Result<(), String> {
    if k <= 10_000 && frames != k as usize + 1 {
        return Err(format!(
            "checkpoint holds {frames} frames, expected {} (depth k plus main)",
            k + 1
        ));
    }
    Ok(())
}

#[test]
fn deep_recursion() {
    check("deep_recursion", &[5_000, 10_000], recursion_frames);
}

#[test]
fn setjmp_longjmp() {
    // Every 25th point as well: most of them fall between a setjmp and its longjmp.
    let every_25th: Vec<u64> = (10..477).step_by(25).collect();
    check("setjmp_longjmp", &every_25th, any_frames);
}

#[test]
fn setjmp_dynamic() {
    // Every 40th point as well: most of them fall between a setjmp and its longjmp.
    let every_40th: Vec<u64> = (7..700).step_by(40).collect();
    check("setjmp_dynamic", &every_40th, any_frames);
}

#[test]
fn builtin_setjmp() {
    // Every 140th of its ~4,200 points as well: most fall between a setjmp and its longjmp.
    let every_140th: Vec<u64> = (5..4100).step_by(140).collect();
    check("builtin_setjmp", &every_140th, any_frames);
}

#[test]
fn files() {
    check("files", &[], any_frames);
}

/// Wherever the request comes, the checkpoint is taken in main (qsort has returned).
fn main_frame_only(_k: u64, _n: u64, frames: usize) -> Result<(), String> {
    if frames != 1 {
        return Err(format!(
            "checkpoint holds {frames} frames: the migration was not deferred to main"
        ));
    }
    Ok(())
}

#[test]
fn fd3() {
    check("fd3", &[], any_frames);
}

#[test]
fn qsort_defer() {
    check("qsort_defer", &[], main_frame_only);
}

#[test]
fn hoisted_constant() {
    check("hoisted_constant", &[], any_frames);
}

#[test]
fn thread_locals() {
    check("thread_locals", &[], any_frames);
}

#[test]
fn signal_handlers() {
    check("signal_handlers", &[], any_frames);
}

#[test]
fn lite_malloc() {
    check("lite_malloc", &[], any_frames);
}
