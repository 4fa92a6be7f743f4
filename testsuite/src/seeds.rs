//! Seeded generated-program tests (csmith, random variadic calls): the seed range comes
//! from the environment, each seed gets its own directory, kept only when it failed (or
//! with `HET_KEEP`), and the test fails with every seed's failures listed.

use crate::tools::Tools;
use std::path::{Path, PathBuf};

/// `name`'s value as a number, or `default` when it is not set.
///
/// # Panics
/// When the variable is set but is not a number (a test's own setting).
pub fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
        Err(_) => default,
    }
}

/// Runs `check` (which returns the seed's failures) for `count` seeds from `first`, in
/// `$TMPDIR/<prefix>-<pid>/seed-N`, and asserts that none failed.
pub fn run_seeds(prefix: &str, first: u64, count: u64, check: impl Fn(&Tools, u64, &Path) -> Vec<String>) {
    let tools = Tools::locate();
    let root: PathBuf = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
    let keep = std::env::var_os("HET_KEEP").is_some();
    let mut failures = Vec::new();
    for seed in first..first + count {
        let dir = root.join(format!("seed-{seed}"));
        let found = check(&tools, seed, &dir);
        println!("seed {seed}: {}", if found.is_empty() { "ok" } else { "FAILED" });
        if found.is_empty() && !keep {
            let _ = std::fs::remove_dir_all(&dir);
        }
        failures.extend(found);
    }
    if failures.is_empty() && !keep {
        let _ = std::fs::remove_dir_all(&root);
    }
    assert!(
        failures.is_empty(),
        "{} failure(s), files in {}:\n{}",
        failures.len(),
        root.display(),
        failures.join("\n")
    );
}
