//! The `hetcc` command line end to end: modes, output names, exit codes, diagnostics.
//! Needs the sysroot that `scripts/setup.sh` builds (the tests say so if it is missing).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn hetcc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hetcc"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hetcc-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test source");
    path
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run hetcc");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("run scripts/setup.sh"),
        "the hetcc sysroot is missing: run scripts/setup.sh\n{stderr}"
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const HELLO: &str =
    "#include <stdio.h>\n#define WHO \"world\"\nint main(void) { printf(\"hello %s\\n\", WHO); return 0; }\n";

#[test]
fn version_and_help_exit_zero() {
    let out = run(hetcc().arg("--version"));
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("hetcc version "));
    let out = run(hetcc().arg("--help"));
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--targets="));
}

#[test]
fn refused_flag_and_missing_input_exit_one_with_reason() {
    let out = run(hetcc().args(["-ffast-math", "x.c"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("hetcc: error: -ffast-math is not supported"),
        "{}",
        stderr(&out)
    );
    let dir = scratch("missing");
    let out = run(hetcc().current_dir(&dir).args(["-c", "nope.c"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nope.c"), "{}", stderr(&out));
}

#[test]
fn preprocess_expands_macros_with_canonical_headers() {
    let dir = scratch("pre");
    let probe = "#if defined(__riscv) && __riscv_xlen == 64 && defined(__hetcc__)\nint canonical_target;\n#endif\n\
                 #if '\\xff' < 0\nint signed_char;\n#endif\n";
    let src = write(&dir, "hello.c", &format!("{HELLO}{probe}"));
    let out = run(hetcc().arg("-E").arg(&src));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"world\""), "macro not expanded");
    assert!(
        text.contains("canonical_target"),
        "not preprocessed for riscv64 with __hetcc__: {text}"
    );
    assert!(text.contains("signed_char"), "char is not signed: {text}");
    // musl's riscv64 stdio.h, not the host's: glibc would declare __uflow.
    assert!(!text.contains("__uflow"), "host headers used: {text}");
}

#[test]
fn assembly_per_isa_and_canonical_ir() {
    let dir = scratch("asm");
    let src = write(&dir, "hello.c", HELLO);
    let out = run(hetcc().current_dir(&dir).args(["-O2", "-S"]).arg(&src));
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["hello.s", "hello.aarch64.s", "hello.riscv64.s"] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
    let out = run(hetcc().current_dir(&dir).args(["-O2", "-S", "-emit-llvm"]).arg(&src));
    assert!(out.status.success(), "{}", stderr(&out));
    let ir = std::fs::read_to_string(dir.join("hello.ll")).expect("hello.ll");
    assert!(ir.contains("target triple = \"riscv64-unknown-linux-musl\""), "{ir}");
}

#[test]
fn separate_compile_then_link_for_chosen_targets() {
    let dir = scratch("link");
    let src = write(&dir, "hello.c", HELLO);
    let out = run(hetcc().current_dir(&dir).args(["-O2", "-c"]).arg(&src));
    assert!(out.status.success(), "{}", stderr(&out));
    let object = std::fs::read(dir.join("hello.o")).expect("hello.o");
    assert_eq!(&object[..4], b"\x7fELF");
    let out = run(hetcc()
        .current_dir(&dir)
        .args(["--targets=x86_64,riscv64", "-o", "app", "hello.o"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("app").is_file() && dir.join("app.riscv64").is_file());
    assert!(!dir.join("app.aarch64").exists(), "aarch64 was not asked for");
    let run_app = Command::new(dir.join("app")).output().expect("run app");
    assert_eq!(String::from_utf8_lossy(&run_app.stdout), "hello world\n");
}

#[test]
fn plain_object_is_refused_with_advice() {
    let dir = scratch("foreign");
    let src = write(&dir, "f.c", "int f(void) { return 1; }\n");
    let status = Command::new("clang-22")
        .current_dir(&dir)
        .args(["-c", "-o", "f.o"])
        .arg(&src)
        .status()
        .expect("clang-22");
    assert!(status.success());
    let out = run(hetcc().current_dir(&dir).args(["-o", "app", "f.o"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("f.o is not a hetcc object (compile it with `hetcc -c`)"),
        "{}",
        stderr(&out)
    );
}

/// A program variadic function called through a pointer gets its arguments in slots;
/// the address of a libc variadic function without a slot adapter is an error at its
/// line.
#[test]
fn variadic_functions_through_pointers_work_and_prctl_address_is_an_error_with_line() {
    let dir = scratch("va");
    let src = write(
        &dir,
        "va.c",
        "#include <stdarg.h>\nint sum(int n, ...) { va_list ap; va_start(ap, n); int s = 0; while (n--) s += va_arg(ap, int); va_end(ap); return s; }\nint (*volatile fp)(int, ...);\nint main(void) {\n  fp = sum;\n  return fp(3, 2, 5, 30);\n}\n",
    );
    let out = run(hetcc().current_dir(&dir).args(["-O0", "-o", "app"]).arg(&src));
    assert!(out.status.success(), "{}", stderr(&out));
    let status = Command::new(dir.join("app")).status().expect("app runs");
    assert_eq!(status.code(), Some(37));
    let src = write(
        &dir,
        "pr.c",
        "#include <sys/prctl.h>\nint (*volatile ctl)(int, ...);\nint main(void) {\n  ctl = prctl;\n  return ctl(PR_GET_DUMPABLE);\n}\n",
    );
    let out = run(hetcc().current_dir(&dir).args(["-O2", "-o", "app2"]).arg(&src));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("pr.c:4:") && err.contains("no slot adapter for `prctl`"),
        "{err}"
    );
}

#[test]
fn dependency_files_name_the_object_like_cc() {
    let dir = scratch("deps");
    write(&dir, "a.h", "#define A 0\n");
    write(&dir, "m.c", "#include \"a.h\"\nint main(void) { return A; }\n");
    let out = run(hetcc()
        .current_dir(&dir)
        .args(["-MMD", "-MP", "-c", "m.c", "-o", "obj.o"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let deps = std::fs::read_to_string(dir.join("obj.d")).expect("obj.d written next to obj.o");
    assert!(deps.starts_with("obj.o: m.c a.h"), "{deps}");
    assert!(deps.contains("a.h:"), "-MP phony target missing: {deps}");
}

#[test]
fn migratable_binaries_carry_compatible_transform_tables() {
    let dir = scratch("tables");
    let src = write(
        &dir,
        "r.c",
        // Tree recursion on an input-dependent value: nothing for -O2 to fold away.
        "#include <stdio.h>\nstatic long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nint main(int argc, char **argv) { (void)argv; printf(\"%ld\\n\", fib(argc + 15)); return 0; }\n",
    );
    let out = run(hetcc()
        .current_dir(&dir)
        .args(["-O2", "-fhet-migratable", "-o", "app"])
        .arg(&src));
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["app", "app.aarch64", "app.riscv64"] {
        let elf = std::fs::read(dir.join(name)).expect("binary");
        let file = object::File::parse(&*elf).expect("ELF");
        use object::{Object, ObjectSection};
        let section = file
            .section_by_name(".het_transform")
            .unwrap_or_else(|| panic!("{name}: no .het_transform"));
        let table = het_format::table::TransformTable::parse(section.data().expect("data")).expect("table parses");
        assert!(table.point_count() > 0, "{name}: no equivalence points");
    }
}

#[test]
fn build_system_probes_are_answered_like_a_static_toolchain() {
    let stdout = |out: &Output| String::from_utf8_lossy(&out.stdout).into_owned();
    let out = run(hetcc().arg("-dumpmachine"));
    assert!(out.status.success());
    assert_eq!(stdout(&out), "x86_64-unknown-linux-musl\n");
    let out = run(hetcc().arg("-dumpversion"));
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("22."), "{}", stdout(&out));
    // Meson: "clang" in the banner, and the first dotted number is clang's version.
    let out = run(hetcc().arg("--version"));
    assert!(stdout(&out).starts_with("hetcc version 22."), "{}", stdout(&out));
    assert!(stdout(&out).contains("clang"));
    // `cc -v` alone: the banner on stderr, exit 0 (configure logs it).
    let out = run(hetcc().arg("-v"));
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("Target: x86_64-unknown-linux-musl"),
        "{}",
        stderr(&out)
    );
    // Meson picks its linker class from the first line of `cc -Wl,--version`.
    let out = run(hetcc().arg("-Wl,--version"));
    assert!(out.status.success());
    assert!(
        stdout(&out).lines().next().unwrap_or("").contains("LLD"),
        "{}",
        stdout(&out)
    );
    let out = run(hetcc().arg("-print-search-dirs"));
    assert!(stdout(&out).contains("libraries: ="), "{}", stdout(&out));
    let out = run(hetcc().arg("-print-file-name=libc.a"));
    assert!(
        stdout(&out).trim_end().ends_with("x86_64/lib/libc.a"),
        "{}",
        stdout(&out)
    );
    let out = run(hetcc().arg("-print-prog-name=ld"));
    assert!(stdout(&out).contains("ld.lld"), "{}", stdout(&out));
    let out = run(hetcc().arg("-print-multi-os-directory"));
    assert_eq!(stdout(&out), ".\n");
    // A static-only toolchain: -shared and -pie fail, naming the flag and why.
    let out = run(hetcc().args(["-shared", "-fPIC", "x.c"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("-shared is not supported: hetcc builds static executables"));
    let out = run(hetcc().args(["-pie", "x.c"]));
    assert!(stderr(&out).contains("-pie is not supported"), "{}", stderr(&out));
}

#[test]
fn preprocessor_reads_stdin_and_lists_include_dirs() {
    let dir = scratch("stdin");
    let mut child = hetcc()
        .current_dir(&dir)
        .args(["-E", "-dM", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn hetcc");
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("hetcc -E -dM -");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("#define __hetcc__ 1"));
    // `-xc -E -v -`: Meson reads the include search path from stderr.
    let out = run(hetcc()
        .current_dir(&dir)
        .args(["-xc", "-E", "-v", "-"])
        .stdin(std::process::Stdio::null()));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("#include <...> search starts here:"),
        "{}",
        stderr(&out)
    );
    // -MM alone prints the dependencies instead of compiling.
    write(&dir, "a.h", "#define A 1\n");
    write(&dir, "m.c", "#include \"a.h\"\nint main(void) { return A; }\n");
    let out = run(hetcc().current_dir(&dir).args(["-MM", "m.c"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "m.o: m.c a.h\n");
}

#[test]
fn link_without_o_flag_generates_code_at_the_objects_level() {
    let dir = scratch("optlevel");
    let src = write(&dir, "hello.c", HELLO);
    let out = run(hetcc().current_dir(&dir).args(["-O2", "-c"]).arg(&src));
    assert!(out.status.success(), "{}", stderr(&out));
    // The link repeats no CFLAGS and passes harmless linker options, as Makefiles do.
    let out = run(hetcc().current_dir(&dir).args([
        "-v",
        "-Wl,-O1,--as-needed",
        "-Wl,-z,relro",
        "-o",
        "app",
        "hello.o",
        "-lm",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("code generation at -O2"), "{}", stderr(&out));
    let run_app = Command::new(dir.join("app")).output().expect("run app");
    assert_eq!(String::from_utf8_lossy(&run_app.stdout), "hello world\n");
}

#[test]
fn an_archive_named_twice_links_each_member_once() {
    let dir = scratch("twice");
    write(&dir, "f.c", "int f(void) { return 7; }\n");
    write(&dir, "m.c", "int f(void);\nint main(void) { return f() - 7; }\n");
    let out = run(hetcc().current_dir(&dir).args(["-O2", "-c", "f.c", "m.c"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let status = Command::new("ar")
        .current_dir(&dir)
        .args(["rcs", "libf.a", "f.o"])
        .status()
        .expect("ar");
    assert!(status.success());
    // libtool lists a dependency library again after the library that needs it.
    let out = run(hetcc()
        .current_dir(&dir)
        .args(["-o", "app", "m.o", "libf.a", "-L.", "-lf", "libf.a"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(Command::new(dir.join("app")).status().expect("run app").code(), Some(0));
}
