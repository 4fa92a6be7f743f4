//! The cc command line, parsed into an [`Invocation`].
//!
//! hetcc accepts the flags build systems pass to cc and clang. Flags that would make
//! the ISAs compute differently (`-ffast-math`, `-funsigned-char`, `-march=…`) or that
//! make no sense for an aligned static link (`-shared`, most `-Wl,`) are refused with
//! a message naming the flag, rather than silently ignored.

use het_format::Isa;
use std::path::PathBuf;

/// What the invocation produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `-E`: preprocessed source.
    Preprocess,
    /// `-S`: per-ISA assembly (or canonical IR with `-emit-llvm`).
    Assemble,
    /// `-c`: hetcc objects.
    Compile,
    /// Aligned executables, one per ISA.
    Link,
}

/// One input, in command-line order (order matters for archives, as with any linker).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A C source (`.c`, or `.i` when already preprocessed).
    Source(PathBuf),
    /// A hetcc object (`.o`).
    Object(PathBuf),
    /// An archive of hetcc objects (`.a`).
    Archive(PathBuf),
    /// `-lname`.
    Library(String),
}

/// A parsed hetcc command line.
#[derive(Clone, Debug)]
pub struct Invocation {
    /// What to produce.
    pub mode: Mode,
    /// Inputs in order.
    pub inputs: Vec<Input>,
    /// `-o`.
    pub output: Option<PathBuf>,
    /// `-O` level as clang spells it (`0`, `1`, `2`, `3`, `s`, `z`).
    pub opt_level: String,
    /// Flags passed to the clang frontend unchanged (`-I`, `-D`, `-std=`, `-W`, …).
    pub frontend_flags: Vec<String>,
    /// `-L` directories.
    pub library_dirs: Vec<PathBuf>,
    /// ISAs to build for (`--targets=`), host ISA first.
    pub targets: Vec<Isa>,
    /// `-g`: keep debug information.
    pub debug: bool,
    /// `-emit-llvm`: write canonical IR instead of native code (`-S`, `-c`).
    pub emit_llvm: bool,
    /// `-v`: print the commands hetcc runs.
    pub verbose: bool,
    /// `-save-temps`: keep the per-ISA objects, link maps and linker scripts.
    pub save_temps: bool,
    /// `-fhet-migratable`: at link time, insert migration points and equivalence points
    /// (`docs/equivalence-points.md`). Off by default for now.
    pub migratable: bool,
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Request {
    /// A compilation.
    Build(Invocation),
    /// `--help`.
    Help,
    /// `--version`.
    Version,
}

/// Flags accepted and passed to the frontend as they are.
const FRONTEND_PREFIXES: &[&str] = &["-std=", "-W", "-D", "-U", "-I", "-M", "-pedantic", "-ansi", "-w"];

/// `-f` flags that change nothing the ISAs could disagree on.
const SAFE_F_FLAGS: &[&str] = &[
    "-fno-strict-aliasing",
    "-fstrict-aliasing",
    "-fwrapv",
    "-ftrapv",
    "-fno-common",
    "-fcommon",
    "-fno-builtin",
    "-fbuiltin",
    "-ffreestanding",
    "-fhosted",
    "-fno-inline",
    "-finline-functions",
    "-fno-unroll-loops",
    "-funroll-loops",
    "-fno-exceptions",
    "-fno-asynchronous-unwind-tables",
    "-fasynchronous-unwind-tables",
    "-fno-math-errno",
    "-fmath-errno",
    "-fsigned-char",
    "-fno-unsigned-char",
    "-fno-omit-frame-pointer",
    "-fomit-frame-pointer",
    "-fshort-enums",
    "-fno-short-enums",
    "-fdiagnostics-color",
    "-fno-diagnostics-color",
    "-fcolor-diagnostics",
    "-fno-color-diagnostics",
    "-fno-caret-diagnostics",
    "-fno-show-column",
    "-fgnu89-inline",
    "-fno-delete-null-pointer-checks",
    "-fno-strict-overflow",
    "-fstrict-overflow",
    "-ffp-contract=off",
    "-fno-lto",
    "-fstack-clash-protection",
    "-fno-stack-clash-protection",
    "-fno-plt",
    "-fno-ident",
    "-fno-semantic-interposition",
    "-fno-optimize-sibling-calls",
    "-fvisibility=default",
    "-fvisibility=hidden",
];
const SAFE_F_PREFIXES: &[&str] = &[
    "-fno-builtin-",
    "-fdiagnostics-",
    "-fmessage-length=",
    "-fmacro-prefix-map=",
    "-fdebug-prefix-map=",
    "-ffile-prefix-map=",
    "-fmax-errors=",
    "-ferror-limit=",
    "-fvisibility=",
];
/// Flags that hetcc always behaves as if given: static, position-dependent,
/// one section per function and object.
const IMPLIED_FLAGS: &[&str] = &[
    "-static",
    "-fno-pic",
    "-fno-PIC",
    "-fno-pie",
    "-fno-PIE",
    "-fpic",
    "-fPIC",
    "-fpie",
    "-fPIE",
    "-no-pie",
    "-ffunction-sections",
    "-fdata-sections",
    "-pipe",
    "-m64",
    "-rdynamic",
    "-s",
    "-pthread",
    "-fno-stack-protector",
    "-fstack-protector",
    "-fstack-protector-strong",
    "-fstack-protector-all",
];
/// Linker flags that cannot change an aligned static link.
const HARMLESS_WL: &[&str] = &[
    "-O1",
    "-O2",
    "--as-needed",
    "--no-as-needed",
    "-z,relro",
    "-z,now",
    "--sort-common",
    "--hash-style=gnu",
    "--build-id",
];

/// Parses cc arguments (without the program name).
pub fn parse(args: &[String]) -> Result<Request, String> {
    let mut inv = Invocation {
        mode: Mode::Link,
        inputs: Vec::new(),
        output: None,
        opt_level: "0".into(),
        frontend_flags: Vec::new(),
        library_dirs: Vec::new(),
        targets: Isa::ALL.to_vec(),
        debug: false,
        emit_llvm: false,
        verbose: false,
        save_temps: false,
        migratable: false,
    };
    let mut modes = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let mut value = |flag: &str| -> Result<String, String> {
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| format!("argument to '{flag}' is missing (expected 1 value)"))
        };
        match arg {
            "--help" | "-help" => return Ok(Request::Help),
            "--version" | "-dumpversion" => return Ok(Request::Version),
            "-c" => modes.push(Mode::Compile),
            "-S" => modes.push(Mode::Assemble),
            "-E" => modes.push(Mode::Preprocess),
            "-o" => inv.output = Some(value("-o")?.into()),
            "-v" => inv.verbose = true,
            "-save-temps" => inv.save_temps = true,
            "-fhet-migratable" => inv.migratable = true,
            "-fno-het-migratable" => inv.migratable = false,
            "-emit-llvm" => inv.emit_llvm = true,
            "-O" => inv.opt_level = "1".into(),
            "-g" | "-ggdb" | "-g1" | "-g2" | "-g3" | "-gdwarf-4" | "-gdwarf-5" => inv.debug = true,
            "-g0" => inv.debug = false,
            "-I" | "-D" | "-U" | "-include" | "-isystem" | "-iquote" | "-idirafter" | "-MF" | "-MT" | "-MQ" => {
                let v = value(arg)?;
                inv.frontend_flags.extend([arg.to_string(), v]);
            }
            "-L" => inv.library_dirs.push(value("-L")?.into()),
            "-l" => inv.inputs.push(Input::Library(value("-l")?)),
            "-x" => {
                let lang = value("-x")?;
                if lang != "c" {
                    return Err(format!("language '{lang}' is not supported; hetcc compiles C"));
                }
            }
            "-shared" => return Err("-shared is not supported: hetcc builds static executables, one per ISA".into()),
            "-nostdlib" | "-nodefaultlibs" | "-nostartfiles" => {
                return Err(format!("{arg} is not supported: hetcc links its own musl and runtime into every binary"))
            }
            _ if IMPLIED_FLAGS.contains(&arg) => {}
            _ if arg.starts_with("--targets=") => inv.targets = parse_targets(&arg["--targets=".len()..])?,
            _ if arg.starts_with("-o") => inv.output = Some(arg[2..].into()),
            _ if arg.starts_with("-O") => inv.opt_level = parse_opt_level(arg)?,
            _ if arg.starts_with("-L") => inv.library_dirs.push(arg[2..].into()),
            _ if arg.starts_with("-l") => inv.inputs.push(Input::Library(arg[2..].into())),
            _ if arg.starts_with("-Wl,") => check_linker_flag(arg)?,
            _ if arg.starts_with("-std=") && arg.contains("++") => return Err(format!("{arg}: hetcc compiles C, not C++")),
            _ if FRONTEND_PREFIXES.iter().any(|p| arg.starts_with(p)) => inv.frontend_flags.push(arg.into()),
            _ if arg.starts_with("-f") => check_f_flag(arg, &mut inv)?,
            _ if arg.starts_with("-m") => {
                return Err(format!("{arg} is not supported: hetcc chooses each ISA's code generation itself, so all ISAs compute the same results"))
            }
            _ if arg.starts_with('-') && arg.len() > 1 => return Err(format!("unsupported option '{arg}'")),
            _ => inv.inputs.push(classify_input(arg)?),
        }
        i += 1;
    }
    modes.dedup();
    inv.mode = match modes.as_slice() {
        [] => Mode::Link,
        [m] => *m,
        _ => *modes.iter().min_by_key(|m| **m as u8).unwrap_or(&Mode::Link),
    };
    if inv.inputs.is_empty() {
        return Err("no input files".into());
    }
    let sources = inv.inputs.iter().filter(|i| matches!(i, Input::Source(_))).count();
    if inv.mode != Mode::Link && inv.output.is_some() && sources > 1 {
        return Err("cannot specify -o when generating multiple output files".into());
    }
    Ok(Request::Build(inv))
}

fn parse_targets(list: &str) -> Result<Vec<Isa>, String> {
    let mut isas: Vec<Isa> = Vec::new();
    for name in list.split(',').filter(|n| !n.is_empty()) {
        let isa = Isa::from_name(name)
            .ok_or_else(|| format!("unknown ISA '{name}' in --targets (known: x86_64, aarch64, riscv64)"))?;
        if !isas.contains(&isa) {
            isas.push(isa);
        }
    }
    if isas.is_empty() {
        return Err("--targets= needs at least one ISA".into());
    }
    isas.sort();
    Ok(isas)
}

fn parse_opt_level(arg: &str) -> Result<String, String> {
    match &arg[2..] {
        l @ ("0" | "1" | "2" | "3" | "s" | "z") => Ok(l.into()),
        "fast" => Err("-Ofast is not supported: it allows results that differ between ISAs".into()),
        _ => Err(format!("invalid optimisation level '{arg}'")),
    }
}

fn check_f_flag(arg: &str, inv: &mut Invocation) -> Result<(), String> {
    if IMPLIED_FLAGS.contains(&arg) {
        return Ok(());
    }
    if SAFE_F_FLAGS.contains(&arg) || SAFE_F_PREFIXES.iter().any(|p| arg.starts_with(p)) {
        inv.frontend_flags.push(arg.into());
        return Ok(());
    }
    let why = match arg {
        "-funsigned-char" | "-fno-signed-char" => "hetcc makes char signed on every ISA",
        "-ffast-math" | "-funsafe-math-optimizations" | "-fassociative-math" | "-freciprocal-math" => {
            "it lets each ISA round differently"
        }
        _ if arg.starts_with("-ffp-contract=") => {
            "fused multiply-add would round differently per ISA; hetcc uses -ffp-contract=off"
        }
        _ if arg.starts_with("-fsanitize") => "sanitizer runtimes are per-ISA",
        _ if arg.starts_with("-fopenmp") => "multi-threaded programs are not supported yet",
        _ if arg.starts_with("-flto") => "hetcc already compiles the whole program at link time",
        _ => "it is not known to be safe for multi-ISA builds",
    };
    Err(format!("{arg} is not supported: {why}"))
}

fn check_linker_flag(arg: &str) -> Result<(), String> {
    let rest = &arg["-Wl,".len()..];
    if HARMLESS_WL.contains(&rest) {
        Ok(())
    } else {
        Err(format!(
            "linker option '{arg}' is not supported: hetcc controls the per-ISA links itself"
        ))
    }
}

fn classify_input(arg: &str) -> Result<Input, String> {
    let path = PathBuf::from(arg);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "c" | "i" => Ok(Input::Source(path)),
        "o" => Ok(Input::Object(path)),
        "a" => Ok(Input::Archive(path)),
        "s" | "S" => Err(format!("{arg}: assembly sources cannot be compiled for several ISAs")),
        "cc" | "cpp" | "cxx" | "C" => Err(format!("{arg}: hetcc compiles C, not C++")),
        "so" => Err(format!(
            "{arg}: shared libraries cannot be linked; hetcc builds static executables"
        )),
        _ => Err(format!("{arg}: unknown file type (expected .c, .i, .o or .a)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(args: &[&str]) -> Invocation {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match parse(&args) {
            Ok(Request::Build(inv)) => inv,
            other => panic!("expected a build, got {other:?}"),
        }
    }

    fn error(args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse(&args).expect_err("expected an error")
    }

    #[test]
    fn typical_make_compile_line() {
        let inv = build(&[
            "-O2",
            "-Wall",
            "-Iinclude",
            "-D",
            "X=1",
            "-MMD",
            "-MP",
            "-c",
            "a.c",
            "-o",
            "a.o",
        ]);
        assert_eq!(inv.mode, Mode::Compile);
        assert_eq!(inv.opt_level, "2");
        assert_eq!(inv.frontend_flags, ["-Wall", "-Iinclude", "-D", "X=1", "-MMD", "-MP"]);
        assert_eq!(inv.output, Some("a.o".into()));
    }

    #[test]
    fn link_line_keeps_input_order() {
        let inv = build(&["-o", "app", "main.o", "-L.", "-lutil", "libx.a", "-lm"]);
        assert_eq!(inv.mode, Mode::Link);
        assert_eq!(
            inv.inputs,
            [
                Input::Object("main.o".into()),
                Input::Library("util".into()),
                Input::Archive("libx.a".into()),
                Input::Library("m".into())
            ]
        );
        assert_eq!(inv.library_dirs, [PathBuf::from(".")]);
    }

    #[test]
    fn targets_are_parsed_and_ordered() {
        let inv = build(&["--targets=riscv64,x86_64", "a.c"]);
        assert_eq!(inv.targets, [Isa::X86_64, Isa::Riscv64]);
        assert!(error(&["--targets=mips", "a.c"]).contains("unknown ISA 'mips'"));
    }

    #[test]
    fn isa_divergent_flags_are_refused_with_reason() {
        assert!(error(&["-ffast-math", "a.c"]).contains("round differently"));
        assert!(error(&["-funsigned-char", "a.c"]).contains("char signed"));
        assert!(error(&["-march=native", "a.c"]).contains("-march=native"));
        assert!(error(&["-Wl,--gc-sections", "a.c"]).contains("-Wl,--gc-sections"));
        assert!(error(&["-shared", "a.c"]).contains("static"));
        assert!(error(&["--frobnicate", "a.c"]).contains("unsupported option '--frobnicate'"));
    }

    #[test]
    fn bad_inputs_are_refused() {
        assert!(error(&[]).contains("no input files"));
        assert!(error(&["x.s"]).contains("assembly"));
        assert!(error(&["-c", "a.c", "b.c", "-o", "x.o"]).contains("multiple output files"));
        assert!(error(&["-o"]).contains("argument to '-o' is missing"));
    }
}
