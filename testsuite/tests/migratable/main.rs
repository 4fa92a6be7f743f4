//! `-fhet-migratable` end to end: every program of the subject directories (corpus,
//! Phoenix, NPB) that hetcc accepts is built with and without `-fhet-migratable`
//! (`-O2`), every output runs on its ISA (x86-64 natively, the others under qemu-user),
//! and the migratable build must print the same bytes and end the same way as the plain
//! one. The transform tables hetcc embedded in the three migratable binaries
//! (`.het_transform`) must be compatible (same equivalence-point IDs, same live-value
//! counts, sizes and kinds). The live values per ISA and kind are printed (figures, not
//! assertions).
//!
//! `cargo test -p het-testsuite --test migratable [-- FILTER...]`; `HET_JOBS` sets the
//! parallelism (default 2), `HET_KEEP=1` keeps the build directories.

use het_format::table::{TransformTable, ValueKind};
use het_format::Isa;
use het_testsuite::exec;
use het_testsuite::subject::{self, Program, Subject};
use het_testsuite::tools::{self, Tools};
use object::{Object, ObjectSection};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Location-kind counts per ISA over every program.
type KindTally = BTreeMap<(Isa, &'static str), usize>;

fn main() {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let tools = Tools::locate();
    let hetcc = match &tools.hetcc {
        Ok(p) => p.clone(),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let programs: Vec<Program> = tools
        .subject_dirs()
        .iter()
        .flat_map(|dir| subject::discover(dir).expect("the subject directories are readable"))
        .filter_map(Result::ok)
        .filter(|p| p.directives.expect_error.is_none())
        .filter(|p| filters.is_empty() || filters.iter().any(|f| p.name.contains(f.as_str())))
        .collect();
    let scratch = std::env::temp_dir().join(format!("het-migratable-{}", std::process::id()));
    let queue = Mutex::new(programs.iter().collect::<Vec<_>>());
    let failures = Mutex::new(Vec::new());
    let tally = Mutex::new(KindTally::new());
    let jobs = std::env::var("HET_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(2usize)
        .max(1);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let Some(program) = queue.lock().expect("queue").pop() else {
                    break;
                };
                let dir = scratch.join(&program.name);
                match check(program, &hetcc, &dir) {
                    Ok(kinds) => {
                        println!("ok    {}", program.name);
                        let mut t = tally.lock().expect("tally");
                        for (k, n) in kinds {
                            *t.entry(k).or_default() += n;
                        }
                    }
                    Err(e) => {
                        println!("FAIL  {}: {e}", program.name);
                        failures.lock().expect("failures").push(program.name.clone());
                    }
                }
            });
        }
    });
    println!("\nstack map location kinds (all programs):");
    for ((isa, kind), n) in tally.into_inner().expect("tally") {
        println!("  {isa:8} {kind:14} {n}");
    }
    if std::env::var_os("HET_KEEP").is_none_or(|v| v != "1") {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    let failures = failures.into_inner().expect("failures");
    println!("\n{} program(s), {} failed", programs.len(), failures.len());
    std::process::exit(i32::from(!failures.is_empty()));
}

/// Builds both ways, compares runs on every ISA, checks the stack maps; returns the
/// location-kind counts.
fn check(program: &Program, hetcc: &Path, dir: &Path) -> Result<KindTally, String> {
    let plain = build(program, hetcc, &dir.join("plain"), false)?;
    let migratable = build(program, hetcc, &dir.join("migratable"), true)?;
    let subject = Subject::Program(Box::new(program.clone()));
    let spec = subject.run_spec(subject::RUN_TIMEOUT);
    for isa in subject.run_isas() {
        let a = run(
            &tools::output_path(&plain, isa),
            isa,
            &spec,
            &dir.join(format!("plain-{isa}")),
        )?;
        let b = run(
            &tools::output_path(&migratable, isa),
            isa,
            &spec,
            &dir.join(format!("migratable-{isa}")),
        )?;
        if a.ending != b.ending || a.stdout != b.stdout {
            return Err(format!(
                "{isa}: migratable build differs ({} vs {}, stdout {} vs {} bytes)",
                b.ending,
                a.ending,
                b.stdout.len(),
                a.stdout.len()
            ));
        }
    }
    compare_stack_maps(&migratable)
}

fn build(program: &Program, hetcc: &Path, dir: &Path, migratable: bool) -> Result<PathBuf, String> {
    let flags: &[&str] = if migratable { &["-fhet-migratable"] } else { &[] };
    Subject::Program(Box::new(program.clone()))
        .build_hetcc_with(hetcc, dir, flags)
        .map_err(|e| format!("{}: {}", e.summary, e.stderr_tail))
}

fn run(binary: &Path, isa: Isa, spec: &subject::RunSpec, stem: &Path) -> Result<exec::Captured, String> {
    let cwd = stem.with_extension("cwd");
    std::fs::create_dir_all(&cwd).map_err(|e| e.to_string())?;
    let mut cmd = tools::run_command(binary, isa);
    cmd.args(&spec.args)
        .current_dir(&cwd)
        .env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)));
    exec::run(&mut cmd, spec.stdin.as_deref(), spec.timeout, stem).map_err(|e| format!("{isa}: cannot run: {e}"))
}

/// The transform tables hetcc embedded in the three binaries (`.het_transform`) must
/// be compatible: same equivalence-point IDs, same live-value counts, sizes and kinds
/// (read from the pass's descriptors). Returns the live values per ISA and kind.
fn compare_stack_maps(base: &Path) -> Result<KindTally, String> {
    let mut sections = Vec::new();
    for isa in Isa::ALL {
        let path = tools::output_path(base, isa);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file = object::File::parse(&*bytes).map_err(|e| format!("{isa}: {e}"))?;
        let section = file
            .section_by_name(".het_transform")
            .ok_or_else(|| format!("{isa}: no .het_transform section"))?;
        let data = section.data().map_err(|e| format!("{isa}: {e}"))?.to_vec();
        sections.push((isa, data));
    }
    let mut tables = Vec::new();
    for (isa, bytes) in &sections {
        tables.push((
            *isa,
            TransformTable::parse(bytes).map_err(|e| format!("{isa}: table: {e}"))?,
        ));
    }
    let pairs: Vec<(Isa, &TransformTable<'_>)> = tables.iter().map(|(isa, t)| (*isa, t)).collect();
    het_stackmap::check_compatible(&pairs).map_err(|e| e.to_string())?;
    let mut tally = KindTally::new();
    for (isa, table) in &tables {
        for value in table.points().flat_map(|p| p.live_values().collect::<Vec<_>>()) {
            *tally.entry((*isa, kind_name(value.kind))).or_default() += 1;
        }
    }
    Ok(tally)
}

fn kind_name(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Integer => "int",
        ValueKind::Float => "float",
        ValueKind::Pointer => "pointer",
        _ => "unknown",
    }
}
