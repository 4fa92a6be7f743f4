//! The `het` tool end to end: `inspect` on checkpoints (snapshot) and on binaries
//! (program ID), `run`/`migrate`/`restore` argument errors, `restore` refusing damaged,
//! foreign and mis-targeted checkpoints, and `run` handing on a program's own exit
//! status. Tests that build a program need the sysroot from `scripts/setup.sh`.

use het_format::checkpoint::{FrameValue, Header, OpenFileHeader, RegionHeader, RegionKind, Writer};
use het_format::table::ValueKind;
use het_format::Isa;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The ID `ID_PROGRAM` carries in place of a migratable build's.
const PROGRAM_ID: [u64; 2] = [0x1111_2222_3333_4444, 0x5555_6666_7777_8888];

/// A program with a `__het_program_id` symbol that reports what a restore would see.
const ID_PROGRAM: &str = r#"#include <stdio.h>
#include <stdlib.h>
volatile unsigned long long __het_program_id[2] = { 0x1111222233334444ULL, 0x5555666677778888ULL };
int main(int argc, char **argv) {
    const char *restore = getenv("HET_RESTORE");
    /* Reading the ID keeps the symbol in the binary. */
    if (__het_program_id[0] != 0x1111222233334444ULL) return 4;
    printf("restore=%s args=%d %s\n", restore ? restore : "-", argc, argc > 1 ? argv[1] : "");
    return 3;
}
"#;

fn het() -> Command {
    Command::new(env!("CARGO_BIN_EXE_het"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("het-tool-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A small checkpoint using every record kind.
fn checkpoint(target: Option<Isa>, program_id: [u64; 2]) -> Vec<u8> {
    let mut out = Vec::new();
    let header = Header {
        source_isa: Isa::X86_64,
        target_isa: target,
        program_id,
        page_size: 4096,
    };
    let mut w = Writer::new(&header, |b: &[u8]| {
        out.extend_from_slice(b);
        Ok::<(), Infallible>(())
    })
    .expect("header");
    let value = |kind, size, bits| FrameValue { kind, size, bits };
    let inner = [
        value(ValueKind::Integer, 4, 700),
        value(ValueKind::Float, 8, 2.5f64.to_bits()),
        value(ValueKind::Pointer, 8, 0x1000_1000_0040),
        value(ValueKind::Unknown, 1, 0xff),
    ];
    let outer = [value(ValueKind::Integer, 8, u64::MAX)];
    w.frames(&[(1201, &inner), (1188, &outer), (3, &[])]).expect("frames");
    let data = [7u8; 256];
    let region = |address, size, prot, kind| RegionHeader {
        address,
        size,
        prot,
        kind,
    };
    w.region(&region(0x22_9380, 256, 3, RegionKind::ProgramData), &data)
        .expect("region");
    w.region(&region(0x1000_1100_0000, 100, 3, RegionKind::Window), &data[..100])
        .expect("region");
    let path = b"/tmp/data file.txt";
    let file = OpenFileHeader {
        fd: 3,
        flags: 0o2101,
        offset: 4096,
        path_len: path.len() as u32,
    };
    w.open_file(&file, path).expect("open file");
    w.thread(
        0x1000_2000_0040,
        1 << 11,
        &[(9, &[value(ValueKind::Integer, 4, 17)]), (4, &[])],
    )
    .expect("thread");
    w.finish().expect("finish");
    out
}

/// Builds `ID_PROGRAM` with hetcc; returns the x86-64 binary's path.
fn id_program(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("idprog.c"), ID_PROGRAM).expect("write source");
    let out = Command::new(env!("CARGO_BIN_EXE_hetcc"))
        .current_dir(dir)
        .args(["-O1", "-o", "idprog", "idprog.c"])
        .output()
        .expect("run hetcc");
    assert!(
        out.status.success(),
        "hetcc failed (the sysroot comes from scripts/setup.sh): {}",
        stderr(&out)
    );
    dir.join("idprog")
}

#[test]
fn inspect_prints_a_checkpoint() {
    let dir = scratch("inspect");
    std::fs::write(dir.join("demo.ckpt"), checkpoint(Some(Isa::Aarch64), PROGRAM_ID)).expect("write");
    let out = het()
        .current_dir(&dir)
        .args(["inspect", "demo.ckpt"])
        .output()
        .expect("run het");
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn inspect_refuses_a_damaged_checkpoint() {
    let dir = scratch("inspect-bad");
    let mut bytes = checkpoint(None, PROGRAM_ID);
    bytes[300] ^= 4;
    std::fs::write(dir.join("bad.ckpt"), &bytes).expect("write");
    let out = het()
        .current_dir(&dir)
        .args(["inspect", "bad.ckpt"])
        .output()
        .expect("run het");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("het: error: bad.ckpt: checksum mismatch (stored 0x"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn run_and_migrate_argument_errors() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["run", "--hops", "x86_64,sparc", "--at", "1", "--", "app"],
            "unknown ISA `sparc`",
        ),
        (
            &["run", "--hops", "x86_64,aarch64", "--", "app"],
            "<--every <EVERY>|--at <AT>>",
        ),
        (
            &[
                "run",
                "--hops",
                "x86_64,aarch64",
                "--every",
                "1s",
                "--at",
                "3",
                "--",
                "app",
            ],
            "cannot be used with",
        ),
        (
            &["run", "--hops", "x86_64,aarch64", "--every", "20 parsecs", "--", "app"],
            "the unit must be",
        ),
        (
            &["run", "--hops", "x86_64,aarch64,x86_64", "--at", "5", "--", "app"],
            "--at gives 1 counts for 2 migrations (3 hops)",
        ),
        (&["migrate", "notapid"], "invalid digit"),
    ];
    for (args, expected) in cases {
        let out = het().args(args).output().expect("run het");
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
    }
    let dir = scratch("missing");
    let out = het()
        .current_dir(&dir)
        .args(["run", "--hops", "x86_64,riscv64", "--at", "4", "--", "./app", "x"])
        .output()
        .expect("run het");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("./app not found: the x86_64 binary of this build is needed"),
        "{}",
        stderr(&out)
    );
    let out = het().args(["migrate", "999999999"]).output().expect("run het");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("process 999999999"), "{}", stderr(&out));
}

#[test]
fn restore_refuses_a_corrupt_checkpoint_before_running_anything() {
    let dir = scratch("restore-corrupt");
    let bytes = checkpoint(None, PROGRAM_ID);
    std::fs::write(dir.join("short.ckpt"), &bytes[..bytes.len() - 30]).expect("write");
    let out = het()
        .current_dir(&dir)
        .args(["restore", "short.ckpt", "--isa", "aarch64", "./app"])
        .output()
        .expect("run het");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "het: error: short.ckpt is not a valid checkpoint: truncated: record at offset 720 claims 72 bytes, 66 left\n"
    );
}

#[test]
fn restore_checks_program_and_target_then_starts_the_binary() {
    let dir = scratch("restore");
    let app = id_program(&dir);
    let restore = |ckpt: &[u8], isa: &str| {
        std::fs::write(dir.join("c.ckpt"), ckpt).expect("write");
        het()
            .current_dir(&dir)
            .args(["restore", "c.ckpt", "--isa", isa])
            .arg(&app)
            .arg("--flag")
            .output()
            .expect("run het")
    };
    let out = restore(&checkpoint(None, [1, 2]), "x86_64");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "checkpoint is from another program build (id 00000000000000010000000000000002), \
             this binary is 11112222333344445555666677778888"
        ),
        "{}",
        stderr(&out)
    );
    let out = restore(&checkpoint(Some(Isa::Aarch64), PROGRAM_ID), "riscv64");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("checkpoint is meant for aarch64, not riscv64"),
        "{}",
        stderr(&out)
    );
    for isa in ["x86_64", "aarch64"] {
        let out = restore(
            &checkpoint(Some(Isa::Aarch64).filter(|_| isa == "aarch64"), PROGRAM_ID),
            isa,
        );
        assert_eq!(out.status.code(), Some(3), "{isa}: {}", stderr(&out));
        let expected = format!("restore={} args=2 --flag\n", dir.join("c.ckpt").display());
        assert_eq!(stdout(&out), expected, "{isa}");
    }
}

#[test]
fn run_ends_with_the_programs_own_status() {
    let dir = scratch("run-own-exit");
    let app = id_program(&dir);
    for trigger in [["--at", "5"], ["--every", "30s"]] {
        let out = het()
            .args(["run", "--hops", "x86_64,aarch64"])
            .args(trigger)
            .arg("--")
            .arg(&app)
            .arg("first")
            .output()
            .expect("run het");
        assert_eq!(out.status.code(), Some(3), "{trigger:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "restore=- args=2 first\n", "{trigger:?}");
        assert_eq!(stderr(&out), "", "{trigger:?}: no hop happened");
    }
}

/// A stand-in for a migratable x86-64 program, so `het run`'s hop logic is tested
/// without the runtime (Perl, which Debian always has, because `het run` starts hops
/// with the request signal ignored and a shell cannot trap a signal ignored on entry): it reports its environment, and when asked to migrate (by
/// `HET_MIGRATE_AT` or SIGUSR2) copies a prepared checkpoint to `HET_CHECKPOINT` and
/// exits with the checkpoint status. The last hop (no `HET_TARGET`) just ends.
const FAKE_MIGRATABLE: &str = r#"#!/usr/bin/perl
$| = 1;
sub val { my $v = $ENV{$_[0]}; (defined $v && $v ne "") ? $v : undef }
print "restore=" . (val("HET_RESTORE") ? "yes" : "") . " target=" . (val("HET_TARGET") // "none")
    . " at=" . (val("HET_MIGRATE_AT") // "none") . " args=@ARGV\n";
exit 0 unless val("HET_TARGET");
my $prepared = $0;
$prepared =~ s{[^/]*$}{prepared.ckpt};
sub checkpoint { system("cp", $prepared, $ENV{HET_CHECKPOINT}); exit 75 }
checkpoint() if val("HET_MIGRATE_AT");
$SIG{USR2} = \&checkpoint;
select(undef, undef, undef, 0.01) while 1;
"#;

#[test]
fn run_hops_through_checkpoints() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("run-hops");
    let app = dir.join("app");
    std::fs::write(&app, FAKE_MIGRATABLE).expect("write script");
    std::fs::set_permissions(&app, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::write(dir.join("prepared.ckpt"), checkpoint(None, PROGRAM_ID)).expect("write");
    let kept = dir.join("kept");
    for trigger in [&["--at", "7,9"][..], &["--every", "300ms"][..]] {
        let _ = std::fs::remove_dir_all(&kept);
        let out = het()
            .args(["run", "--hops", "x86_64,x86_64,x86_64"])
            .args(trigger)
            .arg("--keep-checkpoints")
            .arg(&kept)
            .arg("--")
            .arg(&app)
            .arg("a b")
            .output()
            .expect("run het");
        assert_eq!(out.status.code(), Some(0), "{trigger:?}: {}", stderr(&out));
        let at = |k: &str| {
            if trigger[0] == "--at" {
                k.to_string()
            } else {
                "none".to_string()
            }
        };
        let expected = format!(
            "restore= target=x86_64 at={} args=a b\nrestore=yes target=x86_64 at={} args=a b\n\
             restore=yes target=none at=none args=a b\n",
            at("7"),
            at("9")
        );
        assert_eq!(stdout(&out), expected, "{trigger:?}");
        let lines: Vec<String> = stderr(&out).lines().map(str::to_string).collect();
        assert_eq!(lines.len(), 2, "{trigger:?}: {}", stderr(&out));
        let how = if trigger[0] == "--at" {
            "at migration point 7"
        } else {
            "in "
        };
        assert!(
            lines[0].starts_with(&format!("het: hop 2/3 x86_64 -> x86_64: checkpoint 832 B {how}")),
            "{}",
            lines[0]
        );
        assert!(lines[1].ends_with(", restore started"), "{}", lines[1]);
        assert!(kept.join("hop1-x86_64.ckpt").is_file() && kept.join("hop2-x86_64.ckpt").is_file());
    }
}
