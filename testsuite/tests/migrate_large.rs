//! Migration of a program whose transform tables are megabytes: the runtime maps
//! `.het_transform` from the binary, so no table is too large. The test generates a C
//! program of many functions whose calls keep many values live (about 6,000 equivalence
//! points with up to 16 live values each), builds it with `hetcc -O2
//! -fhet-migratable`, checks that every ISA's `.het_transform` is larger than 2 MB,
//! and runs it under `het run --hops x86_64,aarch64,riscv64,x86_64 --at K,K,K` with K
//! a quarter of its migration points: three checkpoints and restores, each loading a
//! multi-megabyte table on both sides. Its stdout must equal the plain x86-64 run's
//! byte for byte.
//!
//! `cargo test -p het-testsuite --test migrate_large -- --nocapture` prints the table
//! sizes, the checkpoint sizes and the times.

use het_format::Isa;
use het_testsuite::exec;
use het_testsuite::migrate::{self, App};
use het_testsuite::subject::RunSpec;
use het_testsuite::tools::{self, Tools};
use object::{Object, ObjectSection};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const RUN_TIMEOUT: Duration = Duration::from_secs(300);

/// Generated functions; each holds [`CALLS`] equivalence points.
const FUNCTIONS: usize = 250;
/// Values each function keeps live across its calls.
const LIVE: usize = 16;
/// Calls per function (more calls with fewer live values gave the most table per
/// second of hetcc's time: ~90 KB/s).
const CALLS: usize = 24;
/// Every ISA's table must be larger than this.
const MIN_TABLE_BYTES: u64 = 2_000_000;

/// The program: `leaf` loops (its latch is a migration point, so every call to it is an
/// equivalence point); `f<i>` keeps [`LIVE`] values live across [`CALLS`] calls, the
/// last of which goes to `f<i-1>` (chains of eight frames); `main` calls every `f<i>`
/// and prints a running hash every 32 functions. `spins` comes from the command line so
/// the optimiser cannot unroll `leaf`'s loop away.
fn source() -> String {
    let mut c = String::from(
        "#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n\n\
         static unsigned spins = 3;\n\n\
         __attribute__((noinline)) static uint64_t leaf(uint64_t x) {\n\
         \x20   uint64_t s = x;\n\
         \x20   for (unsigned i = 0; i < spins + (unsigned)(x & 1); i++) s = (s ^ (s >> 29)) * 6364136223846793005ull + i;\n\
         \x20   return s;\n}\n",
    );
    for i in 0..FUNCTIONS {
        let inner = if i % 8 == 0 {
            "leaf".to_string()
        } else {
            format!("f{}", i - 1)
        };
        let _ = writeln!(c, "\n__attribute__((noinline)) uint64_t f{i}(uint64_t x) {{");
        let values: Vec<String> = (0..LIVE)
            .map(|j| format!("v{j} = x * {}u + {j}", i * 13 + j * 7 + 1))
            .collect();
        let _ = writeln!(c, "    uint64_t {};", values.join(", "));
        for call in 0..CALLS {
            let target = call % LIVE;
            let callee = if call == CALLS - 1 { inner.as_str() } else { "leaf" };
            let _ = writeln!(
                c,
                "    v{target} += {callee}(v{} ^ v{}) * {}u;",
                (target + 1) % LIVE,
                (target + 5) % LIVE,
                2 * call + 1
            );
        }
        let all: Vec<String> = (0..LIVE).map(|j| format!("v{j}")).collect();
        let _ = writeln!(c, "    return {};\n}}", all.join(" ^ "));
    }
    c.push_str(
        "\nint main(int argc, char **argv) {\n\
         \x20   if (argc > 1) spins = (unsigned)atoi(argv[1]);\n\
         \x20   uint64_t h = 1469598103934665603ull;\n",
    );
    for i in 0..FUNCTIONS {
        let _ = writeln!(c, "    h = h * 1099511628211ull ^ f{i}(h);");
        if i % 32 == 31 {
            let _ = writeln!(c, "    printf(\"%d %016llx\\n\", {i}, (unsigned long long)h);");
        }
    }
    c.push_str("    printf(\"done %016llx\\n\", (unsigned long long)h);\n    return 0;\n}\n");
    c
}

fn table_size(binary: &Path) -> u64 {
    let bytes = std::fs::read(binary).unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
    let file = object::File::parse(&*bytes).unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
    file.section_by_name(".het_transform")
        .unwrap_or_else(|| panic!("{} has no .het_transform", binary.display()))
        .size()
}

#[test]
fn megabyte_tables_across_four_hops() {
    let tools = Tools::locate();
    let hetcc = tools.hetcc.as_ref().unwrap_or_else(|e| panic!("{e}"));
    let het = hetcc.with_file_name("het");
    let dir = migrate::scratch_dir("het-migrate-large");
    let source_path = dir.join("large_table.c");
    std::fs::write(&source_path, source()).expect("write the generated program");
    let program = dir.join("large_table");
    let started = Instant::now();
    migrate::build_migratable(hetcc, &source_path, &program, &[]);
    let build_time = started.elapsed();

    let mut sizes = Vec::new();
    for isa in Isa::ALL {
        let size = table_size(&tools::output_path(&program, isa));
        assert!(
            size > MIN_TABLE_BYTES,
            "{isa}'s .het_transform is {size} bytes; the test needs more than {MIN_TABLE_BYTES}"
        );
        sizes.push(format!("{isa} {size}"));
    }

    let app = App {
        name: "large_table".to_string(),
        base: program.clone(),
        spec: RunSpec {
            timeout: RUN_TIMEOUT,
            ..RunSpec::default()
        },
        scratch: dir.join("runs"),
    };
    let plain = app.plain(Isa::X86_64).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        plain.ending.success(),
        "plain run: {} ({})",
        plain.ending,
        plain.stderr_tail(8)
    );
    let (points, _) = app.count_points(Isa::X86_64, &plain).unwrap_or_else(|e| panic!("{e}"));
    let k = points / 4;
    assert!(k > 0, "the program passes only {points} migration points");

    let checkpoints = dir.join("checkpoints");
    let mut hopping = Command::new(&het);
    hopping
        .args(["run", "--hops", "x86_64,aarch64,riscv64,x86_64", "--at"])
        .arg(format!("{k},{k},{k}"))
        .arg("--keep-checkpoints")
        .arg(&checkpoints)
        .arg("--")
        .arg(&program);
    let hops_started = Instant::now();
    let hopped = exec::run(&mut hopping, None, RUN_TIMEOUT, &dir.join("het-run")).expect("het run");
    let hops_time = hops_started.elapsed();
    let stderr = String::from_utf8_lossy(&hopped.stderr);
    assert!(hopped.ending.success(), "het run: {} ({stderr})", hopped.ending);
    assert!(!stderr.contains("het-rt:"), "the runtime reported a problem:\n{stderr}");
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
    let mut written: Vec<String> = std::fs::read_dir(&checkpoints)
        .expect("kept checkpoints")
        .filter_map(|e| e.ok())
        .map(|e| {
            let size = e.metadata().map_or(0, |m| m.len());
            format!("{} {size}", e.file_name().to_string_lossy())
        })
        .collect();
    written.sort();
    assert_eq!(written.len(), 3, "expected three checkpoints: {written:?}");
    println!(
        "large_table: .het_transform bytes {}; N = {points}, migrating at {k} per hop; \
         checkpoints {}; build {}, 4 hops {}",
        sizes.join(", "),
        written.join(", "),
        migrate::secs(build_time),
        migrate::secs(hops_time)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
