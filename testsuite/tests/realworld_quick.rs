//! The real-world suite's quick subset (`scripts/realworld.sh --quick`: zlib and cJSON
//! from their Debian bookworm source packages), as CI runs it: each builds with its own
//! build system with clang and with hetcc (plain and `-fhet-migratable`), passes its own
//! test suite on x86-64, aarch64 and riscv64, and its workload survives three
//! migrations under `het run` with output byte-identical to the clang build's.
//!
//! Uses `$HETCC` (default `target/debug/hetcc`) and the `het` next to it: build them
//! with `cargo build -p hetcc` first. Sources are cached in `$HETCC_CACHE/realworld`.

use het_testsuite::tools::{self, Tools};
use std::process::Command;

#[test]
fn quick_realworld_programs_build_test_and_migrate() {
    let located = Tools::locate();
    let hetcc = located.hetcc.clone().unwrap_or_else(|e| panic!("{e}"));
    tools::check_emulators().unwrap_or_else(|e| panic!("{e}"));
    let script = located.workspace.join("scripts/realworld.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg("--quick")
        .env("HETCC", &hetcc)
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}\n{stdout}");
    assert!(out.status.success(), "scripts/realworld.sh --quick failed:\n{stdout}");
    for name in ["zlib", "cjson"] {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row for {name} in:\n{stdout}"));
        assert!(row.ends_with("PASS"), "{row}");
    }
}
