//! Readable output: one line per subject as it finishes, failure details afterwards
//! (so parallel runs never interleave), then a summary.

use std::fmt::Write;

use crate::check::Outcome;

/// The single line printed when a subject finishes.
pub fn line(o: &Outcome, name_width: usize) -> String {
    let (verdict, body) = if let Some(why) = &o.skipped {
        ("SKIP", why.clone())
    } else if o.ok() {
        ("PASS", o.passed.join(" "))
    } else {
        (
            "FAIL",
            o.failures
                .iter()
                .map(|f| f.summary.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    let mut s = format!("{verdict} {:<name_width$}  {body}", o.name);
    if !o.notes.is_empty() {
        let _ = write!(s, "  ({})", o.notes.join("; "));
    }
    s
}

/// The detail block of a failed subject: every failure's diff or stderr, and where
/// its files were kept.
pub fn details(o: &Outcome) -> String {
    let mut s = format!("==== {} ====\n", o.name);
    for f in &o.failures {
        let _ = writeln!(s, "* {}", f.summary);
        for l in f.detail.lines() {
            let _ = writeln!(s, "    {l}");
        }
    }
    if !o.workdir.as_os_str().is_empty() {
        let _ = writeln!(s, "  files kept in {}", o.workdir.display());
    }
    s
}

/// Counts of each verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Subjects that passed.
    pub passed: usize,
    /// Subjects that failed.
    pub failed: usize,
    /// Subjects that could not be checked.
    pub skipped: usize,
}

impl Tally {
    /// Tallies a set of outcomes.
    pub fn of(outcomes: &[Outcome]) -> Tally {
        let mut t = Tally::default();
        for o in outcomes {
            match (o.skipped.is_some(), o.ok()) {
                (true, _) => t.skipped += 1,
                (false, true) => t.passed += 1,
                (false, false) => t.failed += 1,
            }
        }
        t
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}
