//! Dedicated migration programs (`testsuite/migrate/*.c`, each says in its header what
//! it checks). Each is built with `hetcc -O2 -fhet-migratable`; its plain x86-64 run is
//! the expectation (and the plain aarch64 and riscv64 runs must equal it). Its number
//! of migration points N is found by doubling/bisecting `HET_MIGRATE_AT` on x86-64, and
//! it then migrates at k = 1, N/2, N and the program's own k values, for each of the six
//! ordered ISA pairs: the source must exit with status 75 and write a checkpoint, the
//! source's stdout followed by the destination's must equal the plain run's, the final
//! status must be the plain run's, and the checkpoint's frame and open-file counts
//! (`het inspect`) must satisfy the program's condition.
//!
//! `cargo test -p het-testsuite --test migrate_programs -- --nocapture` prints one line
//! per program. `HET_JOBS` (default 2) bounds the processes that run at once.

use het_format::Isa;
use het_testsuite::migrate::{self, App, CheckpointCounts, Hop, PAIRS};
use het_testsuite::subject::RunSpec;
use het_testsuite::tools::Tools;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// What a checkpoint's counts must be, given k and N.
type CountCheck = fn(u64, u64, CheckpointCounts) -> Result<(), String>;

fn any_counts(_k: u64, _n: u64, _counts: CheckpointCounts) -> Result<(), String> {
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

/// `name` built into `scratch`, run with the test's timeout.
fn built_app(name: &str, scratch: &std::path::Path) -> App {
    App {
        name: name.to_string(),
        base: build(name, scratch),
        spec: RunSpec {
            timeout: RUN_TIMEOUT,
            ..RunSpec::default()
        },
        scratch: scratch.join("runs"),
    }
}

/// Builds and migrates `name` at 1, N/2, N and `special` for every ordered pair.
fn check(name: &str, special: &[u64], counts: CountCheck) {
    let started = migrate::now();
    let scratch = std::env::temp_dir().join(format!("het-migrate-programs-{}/{name}", std::process::id()));
    let app = built_app(name, &scratch);
    let tools = Tools::locate();
    let het = tools.hetcc.as_ref().expect("hetcc").with_file_name("het");
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
            let result = app.check_migration(&plain, hop, Some(&het)).and_then(|m| {
                let found = CheckpointCounts {
                    frames: m.frames.unwrap_or(0),
                    open_files: m.open_files.unwrap_or(0),
                };
                counts(k, points, found).map_err(|e| format!("{name} {hop}: {e}"))
            });
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
    check("live_registers", &[], any_counts);
}

#[test]
fn vectors() {
    check("vectors", &[], any_counts);
}

#[test]
fn stack_pointers() {
    check("stack_pointers", &[], any_counts);
}

/// Point k is the entry of depth k: 10,000 is the bottom, with every frame captured.
fn recursion_frames(k: u64, _n: u64, counts: CheckpointCounts) -> Result<(), String> {
    let frames = counts.frames;
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
    check("setjmp_longjmp", &every_25th, any_counts);
}

#[test]
fn jmp_buf_straddle() {
    check("jmp_buf_straddle", &[], any_counts);
}

#[test]
fn setjmp_dynamic() {
    // Every 40th point as well: most of them fall between a setjmp and its longjmp.
    let every_40th: Vec<u64> = (7..700).step_by(40).collect();
    check("setjmp_dynamic", &every_40th, any_counts);
}

#[test]
fn builtin_setjmp() {
    // Every 140th of its ~4,200 points as well: most fall between a setjmp and its longjmp.
    let every_140th: Vec<u64> = (5..4100).step_by(140).collect();
    check("builtin_setjmp", &every_140th, any_counts);
}

#[test]
fn files() {
    check("files", &[], any_counts);
}

/// Wherever the request comes, the checkpoint is taken in main (qsort has returned).
fn main_frame_only(_k: u64, _n: u64, counts: CheckpointCounts) -> Result<(), String> {
    let frames = counts.frames;
    if frames != 1 {
        return Err(format!(
            "checkpoint holds {frames} frames: the migration was not deferred to main"
        ));
    }
    Ok(())
}

/// k = 700 and 1,500 fall in the read loop (points 610 to 1,810 or so of 11,300 on
/// x86-64), where all 301 of the program's descriptors are open.
fn all_descriptors(k: u64, _n: u64, counts: CheckpointCounts) -> Result<(), String> {
    if [700, 1_500].contains(&k) && counts.open_files != 301 {
        return Err(format!(
            "checkpoint holds {} open files, expected 301 (descriptors 4 to 303 and 900)",
            counts.open_files
        ));
    }
    Ok(())
}

#[test]
fn high_descriptors() {
    check("high_descriptors", &[700, 1_500], all_descriptors);
}

#[test]
fn many_mappings() {
    check("many_mappings", &[], any_counts);
}

#[test]
fn fd3() {
    check("fd3", &[], any_counts);
}

#[test]
fn qsort_defer() {
    check("qsort_defer", &[], main_frame_only);
}

#[test]
fn hoisted_constant() {
    check("hoisted_constant", &[], any_counts);
}

#[test]
fn thread_locals() {
    check("thread_locals", &[], any_counts);
}

#[test]
fn signal_handlers() {
    check("signal_handlers", &[], any_counts);
}

#[test]
fn own_sigusr2() {
    check("own_sigusr2", &[100, 3000, 5000], any_counts);
}

#[test]
fn tls_derived() {
    check("tls_derived", &[], any_counts);
}

#[test]
fn errno_live() {
    check("errno_live", &[], any_counts);
}

#[test]
fn tls_stored() {
    check("tls_stored", &[], any_counts);
}

#[test]
fn lite_malloc() {
    check("lite_malloc", &[], any_counts);
}

/// A request to a program with other threads is refused at the point that takes it,
/// once, and the program runs to its plain end on every ISA. Kept pending, the request
/// would make every later point walk a worker's stack and defer.
#[test]
fn threads_refused() {
    let name = "threads_refused";
    let scratch = migrate::scratch_dir(name);
    let app = built_app(name, &scratch);
    let plain = app.plain(Isa::X86_64).unwrap_or_else(|e| panic!("{e}"));
    assert!(plain.ending.success(), "{name}: plain run: {}", plain.ending);
    let mut failures = Vec::new();
    for (from, to) in [
        (Isa::X86_64, Isa::Aarch64),
        (Isa::Aarch64, Isa::Riscv64),
        (Isa::Riscv64, Isa::X86_64),
    ] {
        for k in [1, 1000, 100_000] {
            let hop = Hop { k, from, to };
            let run = match app.migrate(hop, None, None) {
                Ok(run) => run,
                Err(e) => {
                    failures.push(e);
                    continue;
                }
            };
            let stderr = String::from_utf8_lossy(&run.stderr);
            let refusals = stderr.matches("other threads are running").count();
            if run.migrated || !run.ending.success() || run.stdout != plain.stdout || refusals != 1 {
                failures.push(format!(
                    "{name} {hop}: migrated {}, {}, stdout {} the plain run's, {refusals} refusal lines:\n{stderr}",
                    run.migrated,
                    run.ending,
                    if run.stdout == plain.stdout {
                        "equals"
                    } else {
                        "differs from"
                    },
                ));
            }
        }
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
