//! The regression suite's quick subset (NPB class S, Phoenix small; see
//! `het_testsuite::regression`), as CI runs it: every workload must verify on every ISA
//! with and without migrations, print the clang x86-64 build's output, and make at
//! least three migrations. Timings and sizes are measured but never asserted.
//!
//! Uses `$HETCC` (default `target/debug/hetcc`) and the `het` next to it: build them
//! with `cargo build -p hetcc` first.

use het_format::Isa;
use het_testsuite::regression::{self, Options, MIN_MIGRATIONS};
use het_testsuite::tools::{self, Tools};

#[test]
fn quick_suite_verifies_everywhere_with_migrations() {
    let located = Tools::locate();
    let hetcc = located.hetcc.clone().unwrap_or_else(|e| panic!("{e}"));
    let het = hetcc.with_file_name("het");
    assert!(
        het.is_file(),
        "{} not found: build it with cargo build -p hetcc",
        het.display()
    );
    let musl_clang = located.musl_clang.clone().unwrap_or_else(|e| panic!("{e}"));
    tools::check_emulators().unwrap_or_else(|e| panic!("{e}"));
    let scratch = std::env::temp_dir().join(format!("het-regression-quick-{}", std::process::id()));
    let options = Options {
        quick: true,
        runs: 1,
        seed: 4,
        hetcc,
        het,
        musl_clang,
        workspace: located.workspace.clone(),
        scratch: scratch.clone(),
        filters: Vec::new(),
        verbose: true,
    };
    let report = regression::run(&options).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("{}", report.table());

    assert_eq!(
        report.outcomes.len(),
        12,
        "expected the 5 NPB kernels and 7 Phoenix apps"
    );
    let failures = report.failures();
    assert!(
        failures.is_empty(),
        "{} failures (files kept in {}):\n{}",
        failures.len(),
        scratch.display(),
        failures.join("\n")
    );
    for outcome in &report.outcomes {
        let name = &outcome.workload.name;
        assert!(outcome.reference_verified, "{name}: the clang reference did not verify");
        for isa in Isa::ALL {
            let run = outcome.plain.iter().find(|r| r.isa == isa);
            assert!(
                run.is_some_and(|r| r.verified && r.same_output),
                "{name}: hetcc {isa} binary did not verify or printed something else than clang x86_64"
            );
        }
        let migrated = &outcome.migrated;
        assert!(
            migrated.verified && migrated.same_output,
            "{name}: the migrated run ({:?}) did not verify or printed something else",
            migrated.hops
        );
        assert!(
            migrated.migrations >= MIN_MIGRATIONS,
            "{name}: {} migrations (hops {:?}), need {MIN_MIGRATIONS}",
            migrated.migrations,
            migrated.hops
        );
        assert!(
            Isa::ALL.iter().all(|isa| migrated.hops.contains(isa)),
            "{name}: the hops {:?} do not visit every ISA",
            migrated.hops
        );
    }
    std::fs::remove_dir_all(&scratch).ok();
}
