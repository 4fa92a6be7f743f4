//! Every kind of memory a migrated program can point to has the same address on every
//! ISA: `testsuite/migrate/addresses.c`, built with `hetcc -O2 -fhet-migratable`,
//! prints the addresses of heap blocks (small, large, calloc, a growing realloc), an
//! anonymous mmap, strdup's copy, a local array, an escaping local scalar, a VLA,
//! `argv[0]` and a `getenv` result. Run natively on x86-64 and under
//! qemu-aarch64/qemu-riscv64 with the same argv[0] and environment, the three outputs
//! must be byte-identical, and each address must lie in its part of the migration
//! window (het_format::migration).

use het_format::migration::{HEAP_BASE, STARTUP_AREA, STARTUP_AREA_SIZE, UNSAFE_STACK_SIZE, WINDOW_BASE, WINDOW_SIZE};
use het_format::Isa;
use het_testsuite::tools::{self, Tools};
use het_testsuite::{exec, migrate};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const RUN_TIMEOUT: Duration = Duration::from_secs(120);
/// argv[0] for every run: its length shifts every copied string after it.
const ARGV0: &str = "addresses";

fn build() -> PathBuf {
    let tools = Tools::locate();
    let hetcc = tools.hetcc.as_ref().unwrap_or_else(|e| panic!("{e}"));
    let source = tools.workspace.join("testsuite/migrate/addresses.c");
    let dir = std::env::temp_dir().join(format!("het-addresses-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let out = dir.join("addresses");
    migrate::build_migratable(hetcc, &source, &out, &[]);
    out
}

/// Runs one ISA's binary with a fixed argv[0] and a one-variable environment.
fn run(binary: &Path, isa: Isa) -> String {
    let path = tools::output_path(binary, isa);
    let mut cmd = if isa == Isa::X86_64 {
        let mut c = Command::new(&path);
        c.arg0(ARGV0);
        c
    } else {
        let mut c = Command::new(isa.qemu());
        c.args(["-0", ARGV0]).arg(&path);
        c
    };
    cmd.env_clear().env("HET_ADDRESSES_PROBE", "found");
    let stem = binary.with_file_name(format!("run-{isa}"));
    let out = exec::run(&mut cmd, None, RUN_TIMEOUT, &stem).expect("run program");
    assert!(out.ending.success(), "{isa}: {} ({})", out.ending, out.stderr_tail(10));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The part of the window each kind of memory must be in.
fn expected_range(kind: &str) -> std::ops::Range<u64> {
    match kind {
        "local-array" | "escaped-scalar" | "vla" => WINDOW_BASE..WINDOW_BASE + UNSAFE_STACK_SIZE,
        "argv0" | "getenv" => STARTUP_AREA..STARTUP_AREA + STARTUP_AREA_SIZE,
        "malloc-small" | "malloc-large" | "calloc" | "realloc-grown" | "mmap-anonymous" | "strdup" => {
            HEAP_BASE..WINDOW_BASE + WINDOW_SIZE
        }
        other => panic!("unexpected line kind {other:?}"),
    }
}

#[test]
fn every_address_is_in_the_window_and_the_same_on_every_isa() {
    let binary = build();
    let outputs: Vec<(Isa, String)> = Isa::ALL.into_iter().map(|isa| (isa, run(&binary, isa))).collect();
    let (_, reference) = &outputs[0];
    print!("{reference}");
    for (isa, out) in &outputs[1..] {
        assert_eq!(out, reference, "{isa} printed other addresses than x86_64");
    }
    let mut kinds = Vec::new();
    for line in reference.lines() {
        let (kind, address) = line
            .split_once(' ')
            .unwrap_or_else(|| panic!("malformed line {line:?}"));
        let address: u64 = address.parse().unwrap_or_else(|e| panic!("{line:?}: {e}"));
        let range = expected_range(kind);
        assert!(
            range.contains(&address),
            "{kind} at {address:#x}, outside {:#x}..{:#x}",
            range.start,
            range.end
        );
        kinds.push(kind);
    }
    assert_eq!(kinds.len(), 12, "expected 12 addresses, got {kinds:?}");
}
