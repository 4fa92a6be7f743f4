//! Migration end to end: `testsuite/walk/loop.c` built with `hetcc -O2
//! -fhet-migratable` runs under `het run --hops x86_64,aarch64,riscv64,x86_64 --at
//! 50,50,50`, so it is checkpointed and restored three times (at the 50th migration
//! point of each hop); its stdout must equal the plain x86-64 run's and `het run` must
//! report three hops and exit 0.

use het_format::Isa;
use het_testsuite::tools::{self, Tools};
use het_testsuite::{exec, migrate};
use std::process::Command;
use std::time::Duration;

const RUN_TIMEOUT: Duration = Duration::from_secs(300);

#[test]
fn loop_hops_across_three_isas() {
    let tools = Tools::locate();
    let hetcc = tools.hetcc.as_ref().unwrap_or_else(|e| panic!("{e}"));
    let het = hetcc.with_file_name("het");
    let dir = migrate::scratch_dir("het-migrate-run");
    let program = dir.join("loop");
    migrate::build_migratable(hetcc, &tools.workspace.join("testsuite/walk/loop.c"), &program, &[]);

    let mut plain = tools::run_command(&program, Isa::X86_64);
    let plain = exec::run(&mut plain, None, RUN_TIMEOUT, &dir.join("plain")).expect("plain run");
    assert!(plain.ending.success(), "plain run: {}", plain.ending);

    let mut hopping = Command::new(&het);
    hopping
        .args([
            "run",
            "--hops",
            "x86_64,aarch64,riscv64,x86_64",
            "--at",
            "50,50,50",
            "--keep-checkpoints",
        ])
        .arg(dir.join("checkpoints"))
        .arg("--")
        .arg(&program);
    let hopped = exec::run(&mut hopping, None, RUN_TIMEOUT, &dir.join("het-run")).expect("het run");
    let stderr = String::from_utf8_lossy(&hopped.stderr);
    assert!(hopped.ending.success(), "het run: {} ({stderr})", hopped.ending);
    assert_eq!(
        String::from_utf8_lossy(&hopped.stdout),
        String::from_utf8_lossy(&plain.stdout),
        "stdout differs from the plain run; het run said:\n{stderr}"
    );
    for hop in [
        "hop 2/4 x86_64 -> aarch64",
        "hop 3/4 aarch64 -> riscv64",
        "hop 4/4 riscv64 -> x86_64",
    ] {
        assert!(stderr.contains(hop), "no `{hop}` line:\n{stderr}");
    }
}
