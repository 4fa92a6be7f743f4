//! Differential migration of every subject the `migratable` test covers (corpus,
//! Phoenix, NPB; expect-error programs excluded): each is built with `hetcc -O2
//! -fhet-migratable` (the runner's staged build), run plainly on x86-64 for the
//! expectation (which must equal the clang reference's, when `scripts/musl-clang` is
//! there), and then:
//!
//! 1. its number of migration points N is found on x86-64 by doubling
//!    `HET_MIGRATE_AT=k` (k = 1, 2, 4, …) until the run finishes without migrating,
//!    then bisecting; a run that finishes must still print exactly the plain output;
//! 2. it migrates at a set of k values: every k in 1..=N when N ≤ 12, otherwise 1, N,
//!    powers of two and a seeded uniform sample (seed printed, `HET_MIGRATE_SEED`
//!    overrides) up to 12 values. The six ordered ISA pairs rotate over the k values;
//!    all six pairs are also used at k = 1 and k = N when one migration of the program
//!    takes under a second;
//! 3. it takes the chain x86_64 → aarch64 → riscv64 → x86_64 with `het run --at a,b,c`
//!    (per-hop counts from the sample, so that all three migrations happen when N ≥ 3).
//!
//! Every migration: the source must exit with status 75 and write a checkpoint; the
//! source's stdout followed by the destination's must equal the plain run's stdout
//! byte for byte, and the final status must equal the plain run's.
//!
//! By default (quick mode) 6 k values per program; `HET_MIGRATE_FULL=1` tests 12.
//! `HET_MIGRATE_ONLY=sorting,kmeans` restricts the subjects, `HET_JOBS` (default 2)
//! bounds the processes that run at once, `HET_KEEP=1` keeps the scratch directory.
//! `cargo test -p het-testsuite --test migrate -- --nocapture` prints the summary.

use het_format::Isa;
use het_testsuite::exec::Captured;
use het_testsuite::migrate::{self, App, Hop, CHAIN, PAIRS};
use het_testsuite::subject::{self, Program, Subject};
use het_testsuite::tools::Tools;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// k values per program in the default run and with `HET_MIGRATE_FULL=1`.
const QUICK_KS: usize = 6;
const FULL_KS: usize = 12;
/// The fixed seed of the k sample.
const SEED: u64 = 0x6d69_6772_6174_6531;
/// Below this per-migration time, all six pairs also run at k = 1 and k = N.
const CHEAP: Duration = Duration::from_secs(1);

/// Subjects left out, with the reason (printed).
const EXCLUDED: &[(&str, &str)] = &[];

/// Subjects that fail for a reason reported and reduced in `testsuite/migrate` (the
/// dedicated tests, marked ignored there). They still run and their failures are
/// printed, but do not fail the test; one that passes fails it, so the list is kept
/// current.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// One line of the summary.
#[derive(Default)]
struct Row {
    name: String,
    points: u64,
    probes: usize,
    ks: usize,
    migrations: usize,
    pairs: BTreeSet<(Isa, Isa)>,
    chain: String,
    seconds: f64,
    failures: Vec<String>,
}

struct Setup {
    hetcc: PathBuf,
    het: PathBuf,
    musl_clang: Option<PathBuf>,
    total_ks: usize,
    seed: u64,
    scratch: PathBuf,
}

#[test]
fn subjects_migrate_at_sampled_points() {
    let tools = Tools::locate();
    let hetcc = tools.hetcc.clone().unwrap_or_else(|e| panic!("{e}"));
    let full = std::env::var("HET_MIGRATE_FULL").is_ok_and(|v| v == "1");
    let seed = std::env::var("HET_MIGRATE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let only: Vec<String> = std::env::var("HET_MIGRATE_ONLY")
        .map(|s| s.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let setup = Setup {
        het: hetcc.with_file_name("het"),
        hetcc,
        musl_clang: tools.musl_clang.clone().ok(),
        total_ks: if full { FULL_KS } else { QUICK_KS },
        seed,
        scratch: std::env::temp_dir().join(format!("het-migrate-{}", std::process::id())),
    };
    let programs: Vec<Program> = tools
        .subject_dirs()
        .iter()
        .flat_map(|dir| subject::discover(dir).expect("the subject directories are readable"))
        .filter_map(Result::ok)
        .filter(|p| p.directives.expect_error.is_none())
        .filter(|p| only.is_empty() || only.iter().any(|o| o == &p.name))
        .filter(|p| match EXCLUDED.iter().find(|(name, _)| *name == p.name) {
            Some((name, why)) => {
                println!("excluded: {name}: {why}");
                false
            }
            None => true,
        })
        .collect();
    assert!(!programs.is_empty(), "no subjects (HET_MIGRATE_ONLY={only:?})");
    println!(
        "{} subjects, {} mode: {} k values each, seed {seed:#x}",
        programs.len(),
        if full {
            "full"
        } else {
            "quick (HET_MIGRATE_FULL=1 for the full sweep)"
        },
        setup.total_ks
    );
    let started = migrate::now();
    let queue = Mutex::new(programs.iter().rev().collect::<Vec<_>>());
    let rows = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..migrate::jobs() {
            s.spawn(|| loop {
                let Some(program) = queue.lock().expect("queue").pop() else {
                    break;
                };
                let row = check(program, &setup);
                println!(
                    "{} {} (N={}, {} migrations, {})",
                    if row.failures.is_empty() { "ok  " } else { "FAIL" },
                    row.name,
                    row.points,
                    row.migrations,
                    migrate::secs(Duration::from_secs_f64(row.seconds))
                );
                rows.lock().expect("rows").push(row);
            });
        }
    });
    let mut rows = rows.into_inner().expect("rows");
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    print_table(&rows);
    let migrations: usize = rows.iter().map(|r| r.migrations).sum();
    let known = |r: &Row| KNOWN_FAILURES.iter().find(|(n, _)| *n == r.name).map(|(_, why)| *why);
    for row in rows.iter().filter(|r| !r.failures.is_empty()) {
        if let Some(why) = known(row) {
            println!("\nknown failure {} ({why}):\n{}", row.name, row.failures.join("\n"));
        }
    }
    let mut failed: Vec<&Row> = rows
        .iter()
        .filter(|r| !r.failures.is_empty() && known(r).is_none())
        .collect();
    let fixed: Vec<&Row> = rows
        .iter()
        .filter(|r| r.failures.is_empty() && known(r).is_some())
        .collect();
    for row in &fixed {
        println!("{} is listed in KNOWN_FAILURES but passed: remove it", row.name);
    }
    failed.extend(fixed.iter().copied());
    println!(
        "\n{} programs, {migrations} migrations (chains included), {} failed, {}",
        rows.len(),
        failed.len(),
        migrate::secs(started.elapsed())
    );
    if std::env::var_os("HET_KEEP").is_none_or(|v| v != "1") {
        let _ = std::fs::remove_dir_all(&setup.scratch);
    }
    if !failed.is_empty() {
        let mut report = String::new();
        for row in &failed {
            if row.failures.is_empty() {
                report.push_str(&format!("{}: passed, but is listed in KNOWN_FAILURES\n", row.name));
            }
            for f in &row.failures {
                report.push_str(f);
                report.push('\n');
            }
        }
        panic!(
            "{} of {} programs failed to migrate:\n{report}",
            failed.len(),
            rows.len()
        );
    }
}

fn print_table(rows: &[Row]) {
    println!(
        "\n{:<20} {:>10} {:>7} {:>4} {:>10} {:>5} {:>14} {:>7}",
        "program", "N", "probes", "ks", "migrations", "pairs", "chain", "time"
    );
    for r in rows {
        println!(
            "{:<20} {:>10} {:>7} {:>4} {:>10} {:>5} {:>14} {:>6.1}s{}",
            r.name,
            r.points,
            r.probes,
            r.ks,
            r.migrations,
            r.pairs.len(),
            r.chain,
            r.seconds,
            if r.failures.is_empty() { "" } else { "  FAILED" }
        );
    }
}

fn check(program: &Program, setup: &Setup) -> Row {
    let started = migrate::now();
    let mut row = Row {
        name: program.name.clone(),
        ..Row::default()
    };
    if let Err(e) = check_into(program, setup, &mut row) {
        row.failures.push(e);
    }
    row.seconds = started.elapsed().as_secs_f64();
    row
}

/// Fills `row`; migration failures are collected in it, setup failures returned.
fn check_into(program: &Program, setup: &Setup, row: &mut Row) -> Result<(), String> {
    let name = &program.name;
    let subject = Subject::Program(Box::new(program.clone()));
    let dir = setup.scratch.join(name);
    let base = subject
        .build_hetcc_with(&setup.hetcc, &dir.join("build"), &["-fhet-migratable"])
        .map_err(|e| format!("{name}: {}: {}", e.summary, e.stderr_tail))?;
    let app = App {
        name: name.clone(),
        base,
        spec: subject.run_spec(subject::RUN_TIMEOUT),
        scratch: dir.join("runs"),
    };
    let isas = subject.run_isas();
    let plain = app.plain(Isa::X86_64)?;
    if let Some(musl_clang) = &setup.musl_clang {
        check_reference(&subject, &app, musl_clang, &dir, &plain)?;
    }

    let (points, probes) = app.count_points(Isa::X86_64, &plain)?;
    row.points = points;
    row.probes = probes;
    if points == 0 {
        row.chain = "no points".into();
        return Ok(());
    }
    let ks = migrate::sample_ks(points, setup.total_ks, setup.seed);
    row.ks = ks.len();
    let pairs: Vec<(Isa, Isa)> = PAIRS
        .iter()
        .copied()
        .filter(|(a, b)| isas.contains(a) && isas.contains(b))
        .collect();
    let mut done = BTreeSet::new();
    let slowest = std::cell::Cell::new(Duration::ZERO);
    let mut migrate_at = |hop: Hop, row: &mut Row| {
        if !done.insert((hop.k, hop.from, hop.to)) {
            return;
        }
        let t = migrate::now();
        match app.check_migration(&plain, hop, None) {
            Ok(_) => {
                row.migrations += 1;
                row.pairs.insert((hop.from, hop.to));
            }
            Err(e) => row.failures.push(e),
        }
        slowest.set(slowest.get().max(t.elapsed()));
    };
    for (i, &k) in ks.iter().enumerate() {
        if let Some(&(from, to)) = pairs.get(i % pairs.len().max(1)) {
            migrate_at(Hop { k, from, to }, row);
        }
    }
    if slowest.get() < CHEAP {
        for k in [1, points] {
            for &(from, to) in &pairs {
                migrate_at(Hop { k, from, to }, row);
            }
        }
    }

    if CHAIN.iter().all(|i| isas.contains(i)) {
        let counts = migrate::chain_counts(points, &ks);
        let expected = migrate::chain_migrations(points, &counts);
        let label = format!(
            "{name} chain {} --at {}",
            CHAIN.map(|i| i.name()).join(","),
            counts.map(|c| c.to_string()).join(",")
        );
        let hopped = app.chain(&setup.het, &CHAIN, &counts)?;
        let hops = String::from_utf8_lossy(&hopped.stderr)
            .lines()
            .filter(|l| l.starts_with("het: hop "))
            .count();
        row.chain = format!("{}/{expected} at {}", hops, counts.map(|c| c.to_string()).join(","));
        if hops != expected {
            row.failures.push(format!(
                "{label}: {hops} hops reported, expected {expected} ({} migration points)\n{}",
                points,
                migrate::runtime_lines(&hopped.stderr)
            ));
        } else if let Err(e) = migrate::compare(&plain, &hopped.stdout, hopped.ending, &hopped.stderr, &label) {
            row.failures.push(e);
        } else {
            row.migrations += hops;
        }
    }
    Ok(())
}

/// The plain migratable run must print what the clang reference prints (the corpus
/// runner's check; cheap: one clang build and one native run).
fn check_reference(
    subject: &Subject,
    app: &App,
    musl_clang: &Path,
    dir: &Path,
    plain: &Captured,
) -> Result<(), String> {
    let name = subject.name();
    let reference = subject
        .build_reference(musl_clang, Isa::X86_64, &dir.join("ref"))
        .map_err(|e| format!("{name}: {}: {}", e.summary, e.stderr_tail))?;
    let reference_app = App {
        base: reference,
        scratch: dir.join("ref-runs"),
        ..app.clone()
    };
    let expected = reference_app.plain(Isa::X86_64)?;
    migrate::compare(
        &expected,
        &plain.stdout,
        plain.ending,
        &plain.stderr,
        &format!("{name}: plain -fhet-migratable x86_64 run against the clang reference"),
    )
}
