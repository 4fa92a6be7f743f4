//! The runtime's same-ISA stack walk, end to end: each program in `testsuite/walk` is
//! built with `hetcc -O2 -fhet-migratable` and run on x86-64 (native), aarch64 and
//! riscv64 (qemu-user), once plainly and once with argument `2`, which makes it set
//! `__het_migration_request = 2` at a deterministic moment. The slow path then prints
//! one `het-walk frame K id ID values …` line per frame and a `het-walk done|deferred
//! frames N` summary, clears the flag and returns.
//!
//! Required: the `het-walk` lines (frame counts, IDs, every non-pointer live value) are
//! identical on the three ISAs; stdout equals the plain run's; no walk fails.
//!
//! `cargo test -p het-testsuite --test walk -- --nocapture` also prints the location
//! kinds and saved-register rules of each table and the walk time for ~1,000 frames.

use het_format::table::{Location, SaveRule, TransformTable};
use het_format::Isa;
use het_testsuite::tools::{self, Tools};
use het_testsuite::{exec, migrate};
use object::{Object, ObjectSection, ObjectSymbol};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

const RUN_TIMEOUT: Duration = Duration::from_secs(120);

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("het-walk-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Builds `testsuite/walk/<name>.c`; returns the x86-64 output's path.
fn build(name: &str) -> PathBuf {
    let tools = Tools::locate();
    let hetcc = tools.hetcc.as_ref().unwrap_or_else(|e| panic!("{e}"));
    let source = tools.workspace.join("testsuite/walk").join(format!("{name}.c"));
    let dir = scratch(name);
    let out = dir.join(name);
    migrate::build_migratable(hetcc, &source, &out, &[]);
    out
}

/// Runs `binary` for `isa` with `args`; returns (stdout, stderr). Must exit 0.
fn run(binary: &Path, isa: Isa, args: &[&str]) -> (String, String) {
    let stem = binary.with_file_name(format!(
        "{}-{isa}-{}",
        binary.file_name().and_then(|n| n.to_str()).unwrap_or("app"),
        args.join("-")
    ));
    let mut cmd = tools::run_command(&tools::output_path(binary, isa), isa);
    cmd.args(args);
    let out = exec::run(&mut cmd, None, RUN_TIMEOUT, &stem).expect("run program");
    assert!(
        out.ending.success(),
        "{isa} {args:?}: {} ({})",
        out.ending,
        out.stderr_tail(10)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs every ISA plainly and with request 2; checks the invariants; returns the
/// `het-walk` lines (identical on every ISA).
fn walk_lines(binary: &Path) -> Vec<String> {
    let mut first: Option<Vec<String>> = None;
    for isa in Isa::ALL {
        let (plain_out, plain_err) = run(binary, isa, &[]);
        assert!(!plain_err.contains("het-"), "{isa}: plain run printed {plain_err:?}");
        let (out, err) = run(binary, isa, &["2"]);
        assert_eq!(out, plain_out, "{isa}: stdout changed by the walk");
        assert!(!err.contains("error"), "{isa}: {err}");
        let lines: Vec<String> = err
            .lines()
            .filter(|l| l.starts_with("het-walk"))
            .map(str::to_owned)
            .collect();
        println!("{isa}: {} het-walk lines", lines.len());
        match &first {
            None => first = Some(lines),
            Some(reference) => {
                if let Some(i) = (0..reference.len().max(lines.len())).find(|&i| reference.get(i) != lines.get(i)) {
                    panic!(
                        "{isa} differs from x86_64 at het-walk line {i}:\n  x86_64: {:?}\n  {isa}: {:?}",
                        reference.get(i),
                        lines.get(i)
                    );
                }
            }
        }
    }
    first.unwrap_or_default()
}

/// The binary links the runtime's strong slow path (not the pass's weak stub), and its
/// table's location kinds and saved-register rules, for the report.
fn inspect(binary: &Path) {
    for isa in Isa::ALL {
        let bytes = std::fs::read(tools::output_path(binary, isa)).expect("read binary");
        let file = object::File::parse(&*bytes).expect("ELF");
        assert!(
            file.symbols().any(|s| s.name() == Ok("__het_migration_slow_path")),
            "{isa}: the runtime's slow path is not linked"
        );
        let section = file.section_by_name(".het_transform").expect(".het_transform");
        let data = section.data().expect("section data");
        let table = TransformTable::parse(data).expect("valid table");
        let mut kinds = BTreeMap::<&str, usize>::new();
        let mut rules = BTreeMap::<&str, usize>::new();
        for point in table.points() {
            for value in point.live_values() {
                let kind = match value.location {
                    Location::Register(_) => "Register",
                    Location::Direct { .. } => "Direct",
                    Location::Indirect { .. } => "Indirect",
                    Location::Constant(_) => "Constant",
                };
                *kinds.entry(kind).or_default() += 1;
            }
            for saved in point.saved_registers() {
                let rule = match saved.rule {
                    SaveRule::AtCfaOffset(_) => "at-cfa",
                    SaveRule::InRegister(_) => "in-register",
                    SaveRule::Unchanged => "unchanged",
                };
                *rules.entry(rule).or_default() += 1;
            }
        }
        println!(
            "{isa}: {} points, live {kinds:?}, saved registers {rules:?}",
            table.point_count()
        );
    }
}

fn summaries(lines: &[String]) -> Vec<&str> {
    lines
        .iter()
        .filter(|l| !l.starts_with("het-walk frame"))
        .map(String::as_str)
        .collect()
}

#[test]
fn deep_recursion() {
    let binary = build("recursion");
    inspect(&binary);
    let lines = walk_lines(&binary);
    // Request set at depth 12 of 142 and served at the entry check of depth 11: frames
    // 11..=142 of `descend` (132), then main.
    assert_eq!(summaries(&lines), ["het-walk done frames 133"]);
    assert!(lines.iter().filter(|l| l.starts_with("het-walk frame")).count() >= 100);
    // Every `descend` frame carries the depth (an int) in decimal: frame k has depth 11+k.
    let frame5 = lines
        .iter()
        .find(|l| l.starts_with("het-walk frame 5 "))
        .expect("frame 5");
    assert!(frame5.split(' ').any(|v| v == "16"), "{frame5}");
    // ~1,000 frames, walked without printing (request 3): report the time.
    for isa in Isa::ALL {
        let (_, err) = run(&binary, isa, &["3", "1012"]);
        let line = err
            .lines()
            .find(|l| l.starts_with("het-walk done"))
            .unwrap_or_else(|| panic!("{isa}: {err}"));
        assert!(line.starts_with("het-walk done frames 1003 ns "), "{isa}: {line}");
        println!("{isa}: {line}");
    }
}

#[test]
fn loop_with_live_values() {
    let binary = build("loop");
    inspect(&binary);
    let lines = walk_lines(&binary);
    // `outer`'s three rounds (unrolled by -O2) each set the request once in `run`.
    assert_eq!(summaries(&lines), ["het-walk done frames 3"; 3]);
    let innermost = lines.first().expect("a frame line");
    let numbers = innermost
        .split(' ')
        .skip(6)
        .filter(|v| v.parse::<u64>().is_ok())
        .count();
    assert!(numbers >= 4, "expected ints and doubles live in the loop: {innermost}");
    assert!(
        innermost.split(' ').any(|v| v == "700"),
        "loop counter 700 live: {innermost}"
    );
}

#[test]
fn qsort_comparator_defers() {
    let binary = build("qsort_cb");
    inspect(&binary);
    let lines = walk_lines(&binary);
    // In the comparator: qsort's frame (musl) has no equivalence point -> deferred.
    // Back in main after qsort: complete.
    assert_eq!(
        summaries(&lines),
        ["het-walk deferred frames 1", "het-walk done frames 1"]
    );
}

#[test]
fn worker_thread_walk_is_complete() {
    let binary = build("thread_walk");
    let lines = walk_lines(&binary);
    // descend at depth 0 .. 8 (9 frames) and the start routine: the walk ends at the
    // return into `__het_thread_call`.
    assert_eq!(summaries(&lines), ["het-walk done frames 10"]);
}
