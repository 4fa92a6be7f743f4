//! End-to-end: compile C for every ISA, link pass 1 (`-Map`), compute the layout, write
//! the scripts, link pass 2 (`-T`), verify, and run every binary (x86_64 natively, the
//! others under qemu-user). Skips, with the reason printed, when a tool or the musl
//! sysroot is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use het_aligner::{inspect, layout, link_map, script, verify};
use het_format::Isa;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// The tools every test here needs, or the first one missing.
fn missing_tool() -> Option<&'static str> {
    ["clang-22", "ld.lld-22", "qemu-aarch64", "qemu-riscv64"]
        .into_iter()
        .find(|tool| {
            Command::new(tool)
                .arg("--version")
                .output()
                .map_or(true, |o| !o.status.success())
        })
}

fn skip(test: &str, why: &str) {
    eprintln!("SKIPPED {test}: {why}");
}

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Codegen flags shared by every ISA (what the driver's per-ISA backends use).
fn cflags(isa: Isa) -> Vec<String> {
    let mut flags: Vec<String> = [
        "-O2",
        "-ffunction-sections",
        "-fdata-sections",
        "-ffp-contract=off",
        "-fsigned-char",
        "-fno-stack-protector",
        // riscv64 and aarch64 otherwise merge globals into one `.L_MergedGlobals` section.
        "-mllvm",
        "-enable-global-merge=false",
    ]
    .map(String::from)
    .to_vec();
    flags.push(format!("--target={}", isa.triple()));
    if isa == Isa::Riscv64 {
        flags.extend(["-msmall-data-limit=0", "-march=rv64gc", "-mabi=lp64d"].map(String::from));
    }
    flags
}

/// Compiles C to an object; string literals become named internal globals in their own
/// non-mergeable sections, as the driver emits them.
fn compile(isa: Isa, src: &Path, includes: &[String], out: &Path) {
    let ll = out.with_extension("ll");
    run(Command::new("clang-22")
        .args(cflags(isa))
        .args(includes)
        .args(["-S", "-emit-llvm", "-o"])
        .arg(&ll)
        .arg(src));
    let text = std::fs::read_to_string(&ll).unwrap();
    let named: String = text
        .lines()
        .map(|l| match l.split_once(" = private unnamed_addr constant") {
            Some((name, rest)) if name.starts_with("@.str") => format!("{name} = internal constant{rest}\n"),
            _ => format!("{l}\n"),
        })
        .collect();
    std::fs::write(&ll, named).unwrap();
    run(Command::new("clang-22")
        .args(cflags(isa))
        .arg("-Wno-override-module")
        .arg("-c")
        .arg(&ll)
        .arg("-o")
        .arg(out));
}

/// `ld.lld-22 -O0 -static -nostdlib -o OUT INPUTS [-Map=…] [-T …]`.
fn link(inputs: &[PathBuf], out: &Path, map: Option<&Path>, script: Option<&Path>) {
    let mut cmd = Command::new("ld.lld-22");
    cmd.args(["-O0", "-static", "-nostdlib", "-o"]).arg(out).args(inputs);
    if let Some(map) = map {
        cmd.arg(format!("-Map={}", map.display()));
    }
    if let Some(script) = script {
        cmd.arg("-T").arg(script);
    }
    run(&mut cmd);
}

fn execute(isa: Isa, binary: &Path) -> String {
    let mut cmd = match isa {
        Isa::X86_64 => Command::new(binary),
        _ => Command::new(isa.qemu()),
    };
    if isa != Isa::X86_64 {
        cmd.arg(binary);
    }
    String::from_utf8(run(&mut cmd).stdout).unwrap()
}

/// Pass 1 for every ISA, layout, scripts, pass 2. Returns the final binaries' paths.
fn align_and_link(dir: &Path, isas: &[Isa], inputs: impl Fn(Isa) -> Vec<PathBuf>) -> Vec<(Isa, PathBuf)> {
    let texts: Vec<String> = isas
        .iter()
        .map(|&isa| {
            let map = dir.join(format!("pass1.{isa}.map"));
            link(&inputs(isa), &dir.join(format!("pass1.{isa}")), Some(&map), None);
            std::fs::read_to_string(map).unwrap()
        })
        .collect();
    let maps: Vec<_> = texts.iter().map(|t| link_map::parse(t).unwrap()).collect();
    let pairs: Vec<_> = isas.iter().copied().zip(&maps).collect();
    let layout = layout::compute(&pairs).unwrap();
    for problem in layout::diagnose(&layout) {
        eprintln!("layout problem: {problem}");
    }
    isas.iter()
        .map(|&isa| {
            let script_path = dir.join(format!("{isa}.ld"));
            std::fs::write(&script_path, script::write(&layout, isa).unwrap()).unwrap();
            let out = dir.join(format!("app.{isa}"));
            link(
                &inputs(isa),
                &out,
                Some(&dir.join(format!("pass2.{isa}.map"))),
                Some(&script_path),
            );
            (isa, out)
        })
        .collect()
}

fn read_all(binaries: &[(Isa, PathBuf)]) -> Vec<(Isa, Vec<u8>)> {
    binaries
        .iter()
        .map(|(isa, p)| (*isa, std::fs::read(p).unwrap()))
        .collect()
}

fn as_slices(bytes: &[(Isa, Vec<u8>)]) -> Vec<(Isa, &[u8])> {
    bytes.iter().map(|(isa, b)| (*isa, b.as_slice())).collect()
}

/// The freestanding fixture: needs no sysroot, only clang, lld and qemu.
#[test]
fn freestanding_fixture_aligns_and_runs() {
    if let Some(tool) = missing_tool() {
        return skip("freestanding_fixture_aligns_and_runs", &format!("{tool} not found"));
    }
    let dir = work_dir("e2e-small");
    let src = Path::new(FIXTURES).join("small");
    for isa in Isa::ALL {
        let flags = ["-ffreestanding".to_owned()];
        compile(isa, &src.join("prog.c"), &flags, &dir.join(format!("prog.{isa}.o")));
        compile(isa, &src.join("mini.c"), &flags, &dir.join(format!("mini.{isa}.o")));
        let lib = dir.join(format!("libmini.{isa}.a"));
        run(Command::new("llvm-ar-22")
            .arg("rc")
            .arg(&lib)
            .arg(dir.join(format!("mini.{isa}.o"))));
    }
    let inputs = |isa: Isa| vec![dir.join(format!("prog.{isa}.o")), dir.join(format!("libmini.{isa}.a"))];
    let binaries = align_and_link(&dir, &Isa::ALL, inputs);
    let bytes = read_all(&binaries);
    let report = verify::verify(&as_slices(&bytes)).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.aligned_symbols >= 10, "{report:?}");
    assert!(report.tls.is_some());
    for (isa, path) in &binaries {
        assert_eq!(execute(*isa, path), "hello from hetcc\n", "{isa}");
    }

    // The same objects, aarch64 linked without the script: verify must fail.
    let plain = dir.join("plain.aarch64");
    link(&inputs(Isa::Aarch64), &plain, None, None);
    let mut bad = bytes.clone();
    bad[1].1 = std::fs::read(&plain).unwrap();
    let err = verify::verify(&as_slices(&bad)).unwrap_err().to_string();
    assert!(err.contains("mismatch") && err.contains("aarch64"), "{err}");
    assert!(inspect::inspect(&as_slices(&bad)).contains("NOT ALIGNED"));
}

fn sysroot() -> PathBuf {
    match std::env::var_os("HETCC_SYSROOT") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/hetcc/sysroot"),
    }
}

/// The link line of the driver: crt1 crti prog libhet_abi libhet_rt libc libgcc crtn
/// (the runtime libraries only if the sysroot has them yet).
fn musl_inputs(isa: Isa, prog: PathBuf) -> Vec<PathBuf> {
    let lib = sysroot().join(isa.name()).join("lib");
    let mut inputs = vec![lib.join("crt1.o"), lib.join("crti.o"), prog];
    for name in ["libhet_abi.a", "libhet_rt.a"] {
        if lib.join(name).exists() {
            inputs.push(lib.join(name));
        }
    }
    inputs.extend(["libc.a", "libgcc.a", "crtn.o"].map(|f| lib.join(f)));
    inputs
}

/// `layout::diagnose` of the pass-1 maps in `dir`.
fn diagnose_dir(dir: &Path) -> Vec<String> {
    let texts: Vec<String> = Isa::ALL
        .iter()
        .map(|isa| std::fs::read_to_string(dir.join(format!("pass1.{isa}.map"))).unwrap())
        .collect();
    let maps: Vec<_> = texts.iter().map(|t| link_map::parse(t).unwrap()).collect();
    let pairs: Vec<_> = Isa::ALL.iter().copied().zip(&maps).collect();
    layout::diagnose(&layout::compute(&pairs).unwrap())
}

/// The real thing: a C program with musl for all three ISAs.
#[test]
fn musl_program_aligns_and_prints_the_same_everywhere() {
    const TEST: &str = "musl_program_aligns_and_prints_the_same_everywhere";
    if let Some(tool) = missing_tool() {
        return skip(TEST, &format!("{tool} not found"));
    }
    let required = ["crt1.o", "crti.o", "crtn.o", "libc.a", "libgcc.a"];
    for isa in Isa::ALL {
        let lib = sysroot().join(isa.name()).join("lib");
        if let Some(f) = required.iter().find(|f| !lib.join(f).exists()) {
            return skip(
                TEST,
                &format!("{} missing (musl sysroot not built yet)", lib.join(f).display()),
            );
        }
    }
    let dir = work_dir("e2e-musl");
    let src = Path::new(FIXTURES).join("e2e/prog.c");
    for isa in Isa::ALL {
        let include = sysroot().join(isa.name()).join("include");
        let flags = [
            "-nostdinc".to_owned(),
            "-isystem".to_owned(),
            include.display().to_string(),
        ];
        let clang_include = [
            "-isystem".to_owned(),
            "/usr/lib/llvm-22/lib/clang/22/include".to_owned(),
        ];
        compile(
            isa,
            &src,
            &[flags.as_slice(), &clang_include].concat(),
            &dir.join(format!("prog.{isa}.o")),
        );
    }
    let binaries = align_and_link(&dir, &Isa::ALL, |isa| {
        musl_inputs(isa, dir.join(format!("prog.{isa}.o")))
    });
    let bytes = read_all(&binaries);
    std::fs::write(dir.join("inspect.txt"), inspect::inspect(&as_slices(&bytes))).unwrap();
    match verify::verify(&as_slices(&bytes)) {
        Ok(report) => eprintln!("{}", inspect::summary(&report)),
        Err(e) => panic!("{e}\nlayout problems: {:#?}", diagnose_dir(&dir)),
    }
    let outputs: Vec<String> = binaries.iter().map(|(isa, p)| execute(*isa, p)).collect();
    eprintln!("{}", outputs[0]);
    assert!(outputs[0].contains("op[2]"), "{}", outputs[0]);
    for (output, (isa, _)) in outputs.iter().zip(&binaries) {
        assert_eq!(output, &outputs[0], "{isa} printed something else than x86_64");
    }
}
