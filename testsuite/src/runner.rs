//! The corpus runner behind `cargo test -p het-testsuite --test corpus`.
//!
//! ```text
//! cargo test -p het-testsuite --test corpus -- [--suite hetcc|native]... [--keep]
//!            [--jobs N] [--timeout SECS] [--list] [FILTER]...
//! ```
//!
//! Subjects are every `*.c` in `testsuite/corpus/` and the other
//! [`tools::SUBJECT_DIRS`], plus `make-project`; a FILTER keeps those
//! whose name contains it. Both suites run by default. Environment: `HETCC` (the
//! driver), `HET_MUSL_CLANG` (the reference wrapper), `HET_AR` (archiver for the
//! Makefile project), `HET_JOBS`, `HET_KEEP=1`.

use std::env;
use std::fs;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use crate::check::{self, Context, Outcome, Suites};
use crate::report::{self, Tally};
use crate::subject::{self, Subject};
use crate::tools::{self, Tools};

/// Parsed command line.
#[derive(Clone, Debug)]
struct Options {
    suites: Suites,
    filters: Vec<String>,
    keep: bool,
    jobs: usize,
    timeout: Duration,
    list: bool,
}

/// Libtest flags cargo or a user may pass; they mean nothing here.
const IGNORED_FLAGS: &[&str] = &[
    "--nocapture",
    "--show-output",
    "--quiet",
    "-q",
    "--exact",
    "--ignored",
    "--include-ignored",
    "--test",
];
const IGNORED_WITH_VALUE: &[&str] = &["--test-threads", "--color", "--format", "--skip", "-Z"];

fn parse_options(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut o = Options {
        suites: Suites {
            hetcc: false,
            native: false,
        },
        filters: Vec::new(),
        keep: env::var_os("HET_KEEP").is_some_and(|v| v == "1"),
        jobs: env::var("HET_JOBS")
            .ok()
            .and_then(|j| j.parse().ok())
            .unwrap_or_else(default_jobs),
        timeout: subject::RUN_TIMEOUT,
        list: false,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{flag} needs {what}"))
        };
        match flag.as_str() {
            "--suite" => match value("hetcc or native")?.as_str() {
                "hetcc" => o.suites.hetcc = true,
                "native" => o.suites.native = true,
                other => return Err(format!("unknown suite `{other}` (hetcc, native)")),
            },
            "--keep" => o.keep = true,
            "--list" => o.list = true,
            "--jobs" => o.jobs = value("a number")?.parse().map_err(|_| "bad --jobs")?,
            "--timeout" => o.timeout = Duration::from_secs(value("seconds")?.parse().map_err(|_| "bad --timeout")?),
            f if IGNORED_FLAGS.contains(&f) => {}
            f if IGNORED_WITH_VALUE.contains(&f) => drop(value("a value")?),
            f if f.starts_with('-') => return Err(format!("unknown option `{f}`")),
            _ => o.filters.push(arg),
        }
    }
    if !o.suites.hetcc && !o.suites.native {
        o.suites = Suites {
            hetcc: true,
            native: true,
        };
    }
    o.jobs = o.jobs.max(1);
    Ok(o)
}

fn default_jobs() -> usize {
    thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs the corpus; returns the process exit code.
pub fn main(args: impl IntoIterator<Item = String>) -> i32 {
    let opts = match parse_options(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let tools = Tools::locate();
    let (subjects, mut broken) = match collect_subjects(&tools, &opts.filters) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    if opts.list {
        for s in &subjects {
            println!("{}: test", s.name());
        }
        return 0;
    }
    let mut problems = Vec::new();
    let musl_clang = match &tools.musl_clang {
        Ok(p) => p.clone(),
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    if let Err(e) = tools::check_emulators() {
        eprintln!("error: {e}");
        return 1;
    }
    let hetcc = match (&tools.hetcc, opts.suites.hetcc) {
        (Ok(p), true) => Some(p.clone()),
        (Err(e), true) => {
            problems.push(e.clone());
            None
        }
        (_, false) => None,
    };
    for p in &problems {
        println!("error: {p}");
    }
    let scratch = env::temp_dir().join(format!("het-corpus-{}", std::process::id()));
    let ctx = Context {
        musl_clang,
        hetcc,
        suites: opts.suites,
        scratch: scratch.clone(),
        default_timeout: opts.timeout,
    };
    println!(
        "corpus: {} subjects, suites:{}{}, {} jobs, reference {}",
        subjects.len(),
        if ctx.suites.hetcc { " hetcc" } else { "" },
        if ctx.suites.native { " native" } else { "" },
        opts.jobs,
        ctx.musl_clang.display()
    );
    let started = Instant::now();
    let mut outcomes = run_parallel(&subjects, &ctx, opts.jobs);
    outcomes.append(&mut broken);
    outcomes.sort_by(|a, b| a.name.cmp(&b.name));
    finish(&outcomes, &problems, &scratch, opts.keep, started)
}

/// Prints details and the summary, cleans up, and picks the exit code.
fn finish(outcomes: &[Outcome], problems: &[String], scratch: &std::path::Path, keep: bool, started: Instant) -> i32 {
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.ok()).collect();
    if !failed.is_empty() {
        println!();
        for o in &failed {
            print!("{}", report::details(o));
        }
    }
    if !keep {
        for o in outcomes.iter().filter(|o| o.ok()) {
            let _ = fs::remove_dir_all(&o.workdir);
        }
        let _ = fs::remove_dir(scratch); // only succeeds when nothing was kept
    }
    let tally = Tally::of(outcomes);
    println!("\ncorpus summary: {tally} in {:.1}s", started.elapsed().as_secs_f64());
    for p in problems {
        println!("error: {p}");
    }
    i32::from(tally.failed > 0 || !problems.is_empty())
}

/// Programs of every subject directory and the Makefile project matching the filters;
/// headers that do not parse, and names found in two directories, come back as failed
/// outcomes.
fn collect_subjects(tools: &Tools, filters: &[String]) -> Result<(Vec<Subject>, Vec<Outcome>), String> {
    let keep = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));
    let (mut subjects, mut broken) = (Vec::new(), Vec::new());
    let mut seen = std::collections::BTreeMap::new();
    for dir in tools.subject_dirs() {
        let found = subject::discover(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for item in found {
            let item = item.and_then(|p| match seen.insert(p.name.clone(), p.path.clone()) {
                Some(first) => Err((
                    p.name,
                    format!("{} has the same name as {}", p.path.display(), first.display()),
                )),
                None => Ok(p),
            });
            match item {
                Ok(p) if keep(&p.name) => subjects.push(Subject::Program(Box::new(p))),
                Ok(_) => {}
                Err((name, why)) if keep(&name) => {
                    let mut o = Outcome {
                        name,
                        ..Outcome::default()
                    };
                    o.failures.push(check::Failure {
                        summary: why,
                        detail: String::new(),
                    });
                    broken.push(o);
                }
                Err(_) => {}
            }
        }
    }
    if keep(subject::MAKE_PROJECT) {
        subjects.push(Subject::MakeProject(tools.make_project_dir()));
    }
    Ok((subjects, broken))
}

/// Checks subjects on `jobs` threads, printing each line as its subject finishes.
fn run_parallel(subjects: &[Subject], ctx: &Context, jobs: usize) -> Vec<Outcome> {
    let width = subjects.iter().map(|s| s.name().len()).max().unwrap_or(0);
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(subjects.len()));
    thread::scope(|scope| {
        for _ in 0..jobs.min(subjects.len()) {
            scope.spawn(|| {
                while let Some(subject) = subjects.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let outcome = check::check(subject, ctx);
                    let mut results = results.lock().unwrap_or_else(|e| e.into_inner());
                    let mut stdout = std::io::stdout().lock();
                    let _ = writeln!(stdout, "{}", report::line(&outcome, width));
                    let _ = stdout.flush();
                    results.push(outcome);
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        parse_options(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn options() {
        let o = parse(&[
            "--suite",
            "native",
            "--jobs=3",
            "--nocapture",
            "--test-threads",
            "1",
            "vararg",
        ])
        .unwrap();
        assert_eq!(
            o.suites,
            Suites {
                hetcc: false,
                native: true
            }
        );
        assert_eq!((o.jobs, o.filters.as_slice()), (3, &["vararg".to_string()][..]));
        let all = parse(&[]).unwrap();
        assert_eq!(
            all.suites,
            Suites {
                hetcc: true,
                native: true
            }
        );
        assert!(parse(&["--suite", "bogus"]).is_err());
        assert!(parse(&["--frobnicate"]).is_err());
    }
}
