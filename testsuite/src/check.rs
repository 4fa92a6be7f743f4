//! The differential check of one subject.
//!
//! ```text
//! musl-clang x86_64 ──> ref ──run──> expected (stdout bytes + exit status)
//! hetcc ──> app, app.aarch64, app.riscv64 ──run (native / qemu)──> compare   [hetcc suite]
//! musl-clang aarch64|riscv64 ──> ref.<isa> ──run (qemu)──> compare          [native suite]
//! ```
//!
//! Expected output is never recorded: it is whatever the x86-64 musl reference build
//! prints. Native per-ISA builds may differ only when the program declares
//! `native-differs`; hetcc's outputs must always match, because hetcc promises x86-64
//! semantics (signed char, no FP contraction) on every ISA.

use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use het_format::Isa;

use crate::diff;
use crate::exec::{self, Captured, Ending};
use crate::subject::{BuildError, RunSpec, Subject};
use crate::tools;

/// Which comparisons to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suites {
    /// hetcc's three outputs against the x86-64 reference (and expect-error checks).
    pub hetcc: bool,
    /// musl-clang's aarch64 and riscv64 builds against the x86-64 reference.
    pub native: bool,
}

/// Everything a check needs besides its subject.
#[derive(Clone, Debug)]
pub struct Context {
    /// The reference compiler wrapper.
    pub musl_clang: PathBuf,
    /// hetcc, when the hetcc suite runs.
    pub hetcc: Option<PathBuf>,
    /// What to compare.
    pub suites: Suites,
    /// Per-subject scratch directories go under here.
    pub scratch: PathBuf,
    /// Run timeout for programs without a `timeout` directive.
    pub default_timeout: Duration,
}

/// One problem found while checking a subject.
#[derive(Clone, Debug)]
pub struct Failure {
    /// One line for the PASS/FAIL line.
    pub summary: String,
    /// Diff excerpt, stderr tail: printed after all lines.
    pub detail: String,
}

/// The result of checking one subject.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The subject's name.
    pub name: String,
    /// Runs that matched, e.g. `hetcc[x86_64 aarch64 riscv64]`.
    pub passed: Vec<String>,
    /// Remarks that are not failures (declared native differences, ...).
    pub notes: Vec<String>,
    /// Everything that went wrong; empty means PASS.
    pub failures: Vec<Failure>,
    /// Set when nothing could be checked (e.g. an expect-error program without hetcc).
    pub skipped: Option<String>,
    /// The scratch directory (kept when the check fails).
    pub workdir: PathBuf,
}

impl Outcome {
    fn new(name: &str, workdir: PathBuf) -> Outcome {
        Outcome {
            name: name.to_string(),
            workdir,
            ..Outcome::default()
        }
    }

    fn fail(&mut self, summary: String, detail: String) {
        self.failures.push(Failure { summary, detail });
    }

    fn build_failed(&mut self, e: BuildError) {
        self.fail(e.summary, e.stderr_tail);
    }

    /// True when nothing failed.
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Checks one subject under every requested suite.
pub fn check(subject: &Subject, ctx: &Context) -> Outcome {
    let workdir = ctx.scratch.join(subject.name());
    let mut out = Outcome::new(subject.name(), workdir.clone());
    let _ = fs::remove_dir_all(&workdir);
    if let Err(e) = fs::create_dir_all(&workdir) {
        out.fail(format!("cannot create {}: {e}", workdir.display()), String::new());
        return out;
    }
    if let Some(substring) = subject.expect_error() {
        match &ctx.hetcc {
            Some(hetcc) if ctx.suites.hetcc => check_rejected(subject, substring, hetcc, &mut out),
            _ => out.skipped = Some("expect-error programs need the hetcc suite".into()),
        }
        return out;
    }
    let spec = subject.run_spec(ctx.default_timeout);
    let Some(expected) = reference_run(subject, ctx, &spec, &mut out) else {
        return out;
    };
    if ctx.suites.hetcc {
        if let Some(hetcc) = &ctx.hetcc {
            check_hetcc(subject, hetcc, &spec, &expected, &mut out);
        }
    }
    if ctx.suites.native {
        check_native(subject, ctx, &spec, &expected, &mut out);
    }
    out
}

/// Builds and runs the x86-64 reference; `None` (with a failure recorded) if it breaks.
fn reference_run(subject: &Subject, ctx: &Context, spec: &RunSpec, out: &mut Outcome) -> Option<Captured> {
    let dir = out.workdir.join("ref-x86_64");
    let binary = match subject.build_reference(&ctx.musl_clang, Isa::X86_64, &dir) {
        Ok(b) => b,
        Err(e) => {
            out.build_failed(e);
            return None;
        }
    };
    let workdir = out.workdir.clone();
    let expected = run_once(&binary, Isa::X86_64, spec, &workdir, "ref-x86_64", out)?;
    if let Ending::TimedOut | Ending::Signalled(_) = expected.ending {
        let detail = expected.stderr_tail(10);
        out.fail(format!("the reference itself {}", expected.ending), detail);
        return None;
    }
    Some(expected)
}

fn check_hetcc(subject: &Subject, hetcc: &Path, spec: &RunSpec, expected: &Captured, out: &mut Outcome) {
    let workdir = out.workdir.clone();
    let dir = workdir.join("hetcc");
    let base = match subject.build_hetcc(hetcc, &dir) {
        Ok(b) => b,
        Err(e) => return out.build_failed(e),
    };
    let mut matched = Vec::new();
    for isa in subject.run_isas() {
        let binary = tools::output_path(&base, isa);
        if !binary.is_file() {
            out.fail(
                format!(
                    "hetcc wrote no {}",
                    binary.file_name().unwrap_or_default().to_string_lossy()
                ),
                String::new(),
            );
            continue;
        }
        let label = format!("hetcc-{isa}");
        let Some(actual) = run_once(&binary, isa, spec, &workdir, &label, out) else {
            continue;
        };
        match compare(expected, &actual, &format!("hetcc {isa}")) {
            None => matched.push(isa.name()),
            Some(f) => out.failures.push(f),
        }
    }
    if !matched.is_empty() {
        out.passed.push(format!("hetcc[{}]", matched.join(" ")));
    }
}

fn check_native(subject: &Subject, ctx: &Context, spec: &RunSpec, expected: &Captured, out: &mut Outcome) {
    let workdir = out.workdir.clone();
    let mut matched = Vec::new();
    for isa in [Isa::Aarch64, Isa::Riscv64] {
        let label = format!("ref-{isa}");
        let binary = match subject.build_reference(&ctx.musl_clang, isa, &workdir.join(&label)) {
            Ok(b) => b,
            Err(e) => {
                out.build_failed(e);
                continue;
            }
        };
        let Some(actual) = run_once(&binary, isa, spec, &workdir, &label, out) else {
            continue;
        };
        let difference = compare(expected, &actual, &format!("native {isa}"));
        match (difference, subject.native_differs()) {
            (None, None) => matched.push(isa.name().to_string()),
            (None, Some(_)) => {
                matched.push(isa.name().to_string());
                out.notes.push(format!("native-differs declared, but {isa} agrees"));
            }
            (Some(_), Some(_)) => matched.push(format!("{}*", isa.name())),
            (Some(f), None) => out.failures.push(f),
        }
    }
    if !matched.is_empty() {
        out.passed.push(format!("native[{}]", matched.join(" ")));
    }
    if matched.iter().any(|m| m.ends_with('*')) {
        out.notes.push(format!(
            "* differs as declared: {}",
            subject.native_differs().unwrap_or_default()
        ));
    }
}

/// hetcc must exit non-zero, say `substring`, and name a marked line as `<file>:<line>`.
fn check_rejected(subject: &Subject, substring: &str, hetcc: &Path, out: &mut Outcome) {
    let result = match subject.try_hetcc(hetcc, &out.workdir.join("hetcc")) {
        Ok(r) => r,
        Err(e) => return out.build_failed(e),
    };
    let stderr = String::from_utf8_lossy(&result.stderr);
    let tail = result.stderr_tail(15);
    if result.ending.success() {
        return out.fail("hetcc accepted a program it must reject".into(), tail);
    }
    if result.ending == Ending::TimedOut {
        return out.fail("hetcc timed out".into(), tail);
    }
    if !stderr.contains(substring) {
        out.fail(format!("hetcc's error does not contain {substring:?}"), tail.clone());
    }
    let Subject::Program(p) = subject else { return };
    let file = format!("{}.c", p.name);
    let named = lines_named(&stderr, &file);
    let marked = &p.directives.error_lines;
    let located = if marked.is_empty() {
        !named.is_empty()
    } else {
        named.iter().any(|l| marked.contains(l))
    };
    if !located {
        let want = if marked.is_empty() {
            format!("{file}:<line>")
        } else {
            format!("{file}:{marked:?}")
        };
        out.fail(
            format!("hetcc's error does not name {want} (it names lines {named:?})"),
            tail,
        );
    }
    if out.ok() {
        out.passed.push(format!("hetcc rejects it ({substring:?})"));
    }
}

/// Every `<line>` in `<file>:<line>` occurrences of `text`.
pub fn lines_named(text: &str, file: &str) -> Vec<usize> {
    let needle = format!("{file}:");
    let mut lines = Vec::new();
    for (at, _) in text.match_indices(&needle) {
        let preceded_by_name_char = text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let digits: String = text[at + needle.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let (false, Ok(n)) = (preceded_by_name_char, digits.parse()) {
            lines.push(n);
        }
    }
    lines
}

/// Runs `binary` in a fresh, empty working directory; `None` if it could not start.
fn run_once(
    binary: &Path,
    isa: Isa,
    spec: &RunSpec,
    workdir: &Path,
    label: &str,
    out: &mut Outcome,
) -> Option<Captured> {
    let cwd = workdir.join(format!("run-{label}"));
    let binary = fs::canonicalize(binary).unwrap_or_else(|_| binary.to_path_buf());
    let mut cmd = tools::run_command(&binary, isa);
    cmd.args(&spec.args)
        .current_dir(&cwd)
        .env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)));
    let result = fs::create_dir_all(&cwd).and_then(|()| {
        exec::run(
            &mut cmd,
            spec.stdin.as_deref(),
            spec.timeout,
            &workdir.join(format!("out-{label}")),
        )
    });
    match result {
        Ok(c) => Some(c),
        Err(e) => {
            out.fail(format!("{label}: cannot run: {e}"), String::new());
            None
        }
    }
}

/// Compares exit status and stdout bytes; `None` when they match.
fn compare(expected: &Captured, actual: &Captured, label: &str) -> Option<Failure> {
    let line = diff::first_difference(&expected.stdout, &actual.stdout);
    let status_differs = expected.ending != actual.ending;
    if line.is_none() && !status_differs {
        return None;
    }
    let mut problems = Vec::new();
    if status_differs {
        problems.push(format!("{}, reference {}", actual.ending, expected.ending));
    }
    if let Some(n) = line {
        problems.push(format!("stdout differs at line {n}"));
    }
    let mut detail = diff::excerpt(&expected.stdout, &actual.stdout, "reference x86_64", label);
    let stderr = actual.stderr_tail(8);
    if !stderr.is_empty() && stderr != expected.stderr_tail(8) {
        let _ = write!(detail, "stderr ({label}):\n{stderr}\n");
    }
    Some(Failure {
        summary: format!("{label}: {}", problems.join(", ")),
        detail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_named_lines() {
        let text = "In file included from x.c:3:\nx.c:7:5: error: inline asm\nmyx.c:9: no\nx.c:abc";
        assert_eq!(lines_named(text, "x.c"), [3, 7]);
    }
}
