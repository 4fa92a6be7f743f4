//! The cc command line, parsed into an [`Invocation`].
//!
//! hetcc accepts the flags build systems pass to cc and clang. Flags that would make
//! the ISAs compute differently (`-ffast-math`, `-march=…`) or that
//! make no sense for an aligned static link (`-shared`, `-Wl,--whole-archive`) are
//! refused with a message naming the flag, rather than silently ignored. Probes that
//! configure, CMake, Meson and libtool send (`-dumpmachine`, `-print-*`, `-v` alone,
//! `-Wl,--version`) are answered as a static-only x86-64-hosted toolchain answers them.

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
    /// An `-O` flag was given. A link without one generates code at the level its
    /// objects were compiled with, since build systems rarely repeat CFLAGS at the link.
    pub opt_level_given: bool,
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
    /// A probe answered without compiling anything.
    Query(Query),
}

/// Questions build systems ask the compiler about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// `-v` without inputs: the version banner on stderr, as cc prints it.
    VerboseVersion,
    /// `-dumpmachine`, `-print-target-triple`: the triple of the host executable.
    Machine,
    /// `-dumpversion`, `-dumpfullversion`: the frontend's version number alone.
    DumpVersion,
    /// `-print-search-dirs`: install, program and library directories.
    SearchDirs,
    /// `-print-prog-name=NAME`: the tool hetcc would run for NAME (`ld` is ld.lld).
    ProgName(String),
    /// `-print-file-name=NAME`: NAME in the x86-64 library directory, or NAME itself.
    FileName(String),
    /// `-print-libgcc-file-name`.
    LibgccFileName,
    /// `-print-multi-os-directory`, `-print-multi-directory`: no multilibs.
    MultiDirectory,
    /// `-print-multi-lib`.
    MultiLib,
    /// `-print-sysroot`, `-print-multiarch`: nothing, as clang without `--sysroot`.
    Empty,
    /// `-Wl,--version`, `-Wl,-v`: the linker's version line (Meson picks its linker
    /// class from it).
    LinkerVersion,
}

/// Flags accepted and passed to the frontend as they are.
const FRONTEND_PREFIXES: &[&str] = &["-std=", "-W", "-D", "-U", "-I", "-M", "-pedantic", "-ansi", "-w"];
/// Preprocessor flags passed to the frontend as they are.
const PREPROCESSOR_FLAGS: &[&str] = &[
    "-dM",
    "-dD",
    "-dN",
    "-dI",
    "-P",
    "-C",
    "-CC",
    "-H",
    "-undef",
    "-trigraphs",
];

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
    // The one canonical IR is generated once, so an unsigned plain char is unsigned on
    // every ISA alike (GNU bc's configure adds it); only the default had to be chosen.
    "-funsigned-char",
    "-fno-signed-char",
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
    "-fexceptions",
    "-funwind-tables",
    "-fno-unwind-tables",
    "-fstrict-flex-arrays",
    "-fno-fast-math",
    "-fno-finite-math-only",
    "-fno-trapping-math",
    "-ftrapping-math",
    "-fsigned-zeros",
    "-fkeep-inline-functions",
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
    "-fstrict-flex-arrays=",
    "-fno-sanitize",
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
    "-static-libgcc",
    "-static-pie",
];
/// Linker options that cannot change an aligned static link: hetcc already searches
/// every archive until nothing changes (`--start-group`), collects unused sections,
/// and has no dynamic section for `-rpath`, `-soname` or `-z` to shape.
const HARMLESS_WL: &[&str] = &[
    "-O0",
    "-O1",
    "-O2",
    "-O3",
    "--as-needed",
    "--no-as-needed",
    "--sort-common",
    "--build-id",
    "--gc-sections",
    "--no-gc-sections",
    "--start-group",
    "--end-group",
    "-(",
    "-)",
    "--no-undefined",
    "--allow-shlib-undefined",
    "--no-allow-shlib-undefined",
    "--enable-new-dtags",
    "--disable-new-dtags",
    "--export-dynamic",
    "-E",
    "--eh-frame-hdr",
    "-Bstatic",
    "-Bdynamic",
    "-static",
    "-Bsymbolic",
    "-Bsymbolic-functions",
    "--warn-common",
    "--fatal-warnings",
    "--no-fatal-warnings",
    "--no-copy-dt-needed-entries",
    "--copy-dt-needed-entries",
    "--no-warn-rwx-segments",
    "--no-warn-execstack",
];
const HARMLESS_WL_PREFIXES: &[&str] = &[
    "--hash-style=",
    "--build-id=",
    "-rpath=",
    "--rpath=",
    "-rpath-link=",
    "--rpath-link=",
    "-soname=",
    "--soname=",
    "--version-script=",
    "--compress-debug-sections=",
    "-z",
];
/// Linker options whose value is the next token (`-Wl,-rpath,/x` or
/// `-Xlinker -rpath -Xlinker /x`); the value is harmless whatever it is.
const HARMLESS_WL_WITH_VALUE: &[&str] = &[
    "-rpath",
    "--rpath",
    "-rpath-link",
    "-soname",
    "-h",
    "--version-script",
    "-z",
];

/// Parses cc arguments (without the program name).
pub fn parse(args: &[String]) -> Result<Request, String> {
    let mut inv = Invocation {
        mode: Mode::Link,
        inputs: Vec::new(),
        output: None,
        opt_level: "0".into(),
        opt_level_given: false,
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
    // Linker tokens from `-Wl,` and `-Xlinker`, checked as one stream at the end so that
    // an option and its value may come from two flags; each keeps the flag it came from.
    let mut linker: Vec<(String, String)> = Vec::new();
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
            "--version" => return Ok(Request::Version),
            "-dumpversion" | "-dumpfullversion" => return Ok(Request::Query(Query::DumpVersion)),
            "-dumpmachine" | "-print-target-triple" | "-print-effective-triple" => {
                return Ok(Request::Query(Query::Machine))
            }
            "-print-search-dirs" | "--print-search-dirs" => return Ok(Request::Query(Query::SearchDirs)),
            "-print-libgcc-file-name" | "--print-libgcc-file-name" => {
                return Ok(Request::Query(Query::LibgccFileName))
            }
            "-print-multi-os-directory" | "-print-multi-directory" => {
                return Ok(Request::Query(Query::MultiDirectory))
            }
            "-print-multi-lib" => return Ok(Request::Query(Query::MultiLib)),
            "-print-sysroot" | "-print-multiarch" | "--print-multiarch" => return Ok(Request::Query(Query::Empty)),
            _ if arg.starts_with("-print-prog-name=") || arg.starts_with("--print-prog-name=") => {
                let name = arg.split_once('=').map(|(_, n)| n).unwrap_or_default();
                return Ok(Request::Query(Query::ProgName(name.into())));
            }
            _ if arg.starts_with("-print-file-name=") || arg.starts_with("--print-file-name=") => {
                let name = arg.split_once('=').map(|(_, n)| n).unwrap_or_default();
                return Ok(Request::Query(Query::FileName(name.into())));
            }
            "-c" => modes.push(Mode::Compile),
            "-S" => modes.push(Mode::Assemble),
            "-E" => modes.push(Mode::Preprocess),
            "-o" => inv.output = Some(value("-o")?.into()),
            "-v" => inv.verbose = true,
            "-save-temps" => inv.save_temps = true,
            "-fhet-migratable" => inv.migratable = true,
            "-fno-het-migratable" => inv.migratable = false,
            "-emit-llvm" => inv.emit_llvm = true,
            "-O" => {
                inv.opt_level = "1".into();
                inv.opt_level_given = true;
            }
            "-g0" | "-ggdb0" => inv.debug = false,
            _ if arg.starts_with("-g") => inv.debug = true,
            "-I" | "-D" | "-U" | "-include" | "-imacros" | "-isystem" | "-iquote" | "-idirafter" | "-MF" | "-MT"
            | "-MQ" => {
                let v = value(arg)?;
                inv.frontend_flags.extend([arg.to_string(), v]);
            }
            "-L" => inv.library_dirs.push(value("-L")?.into()),
            "-l" => inv.inputs.push(Input::Library(value("-l")?)),
            "-x" => check_language(&value("-x")?)?,
            _ if arg.starts_with("-x") => check_language(&arg[2..])?,
            "-Xlinker" => {
                let v = value("-Xlinker")?;
                linker.push((v.clone(), format!("-Xlinker {v}")));
            }
            "-" => inv.inputs.push(Input::Source("-".into())),
            _ if PREPROCESSOR_FLAGS.contains(&arg) => inv.frontend_flags.push(arg.into()),
            "-shared" => return Err("-shared is not supported: hetcc builds static executables, one per ISA".into()),
            "-pie" => {
                return Err(
                    "-pie is not supported: hetcc builds static, position-dependent executables (one address layout for every ISA)"
                        .into(),
                )
            }
            "-nostdlib" | "-nodefaultlibs" | "-nostartfiles" => {
                return Err(format!("{arg} is not supported: hetcc links its own musl and runtime into every binary"))
            }
            _ if IMPLIED_FLAGS.contains(&arg) => {}
            _ if arg.starts_with("--targets=") => inv.targets = parse_targets(&arg["--targets=".len()..])?,
            _ if arg.starts_with("-o") => inv.output = Some(arg[2..].into()),
            _ if arg.starts_with("-O") => {
                inv.opt_level = parse_opt_level(arg)?;
                inv.opt_level_given = true;
            }
            _ if arg.starts_with("--param=") => {}
            _ if arg.starts_with("-L") => inv.library_dirs.push(arg[2..].into()),
            _ if arg.starts_with("-l") => inv.inputs.push(Input::Library(arg[2..].into())),
            _ if arg.starts_with("-Wl,") => linker.extend(arg[4..].split(',').map(|t| (t.to_string(), arg.to_string()))),
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
    if linker
        .iter()
        .any(|(t, _)| matches!(t.as_str(), "--version" | "-v" | "-V"))
    {
        return Ok(Request::Query(Query::LinkerVersion));
    }
    check_linker_options(&linker)?;
    // `-M`/`-MM` without `-MD`-style output mean "dependencies instead of compiling",
    // which is the preprocessor's job, as with cc.
    if inv.frontend_flags.iter().any(|f| f == "-M" || f == "-MM") {
        modes.push(Mode::Preprocess);
    }
    modes.dedup();
    inv.mode = match modes.as_slice() {
        [] => Mode::Link,
        [m] => *m,
        _ => *modes.iter().min_by_key(|m| **m as u8).unwrap_or(&Mode::Link),
    };
    if inv.inputs.is_empty() {
        if inv.verbose {
            return Ok(Request::Query(Query::VerboseVersion));
        }
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

fn check_language(lang: &str) -> Result<(), String> {
    match lang {
        "c" | "cpp-output" | "none" => Ok(()),
        _ => Err(format!("language '{lang}' is not supported; hetcc compiles C")),
    }
}

fn parse_opt_level(arg: &str) -> Result<String, String> {
    match &arg[2..] {
        l @ ("0" | "1" | "2" | "3" | "s" | "z") => Ok(l.into()),
        // -Og asks for debuggable optimised code; clang treats it as -O1.
        "g" => Ok("1".into()),
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

/// Checks the linker tokens in order; `(token, flag it came from)`.
fn check_linker_options(tokens: &[(String, String)]) -> Result<(), String> {
    let mut i = 0;
    while i < tokens.len() {
        let (token, origin) = (&tokens[i].0, &tokens[i].1);
        if HARMLESS_WL_WITH_VALUE.contains(&token.as_str()) {
            i += 2;
            continue;
        }
        if !(HARMLESS_WL.contains(&token.as_str()) || HARMLESS_WL_PREFIXES.iter().any(|p| token.starts_with(p))) {
            let why = match token.as_str() {
                "--whole-archive" | "--no-whole-archive" => {
                    "hetcc pulls archive members in by the symbols they define and cannot force whole archives yet"
                }
                "-shared" | "--shared" | "-pie" | "--pie" => "hetcc builds static, position-dependent executables",
                _ => "hetcc controls the per-ISA links itself",
            };
            return Err(format!(
                "linker option '{token}' (from '{origin}') is not supported: {why}"
            ));
        }
        i += 1;
    }
    Ok(())
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
        // Plain char's signedness is a frontend choice, the same for every ISA.
        assert_eq!(
            build(&["-funsigned-char", "-c", "a.c"]).frontend_flags,
            ["-funsigned-char"]
        );
        assert!(error(&["-march=native", "a.c"]).contains("-march=native"));
        assert!(error(&["-Wl,-Ttext=0x1000", "a.c"]).contains("-Wl,-Ttext=0x1000"));
        assert!(error(&["-Wl,--whole-archive", "a.c"]).contains("whole archives"));
        assert!(error(&["-pie", "a.c"]).contains("position-dependent"));
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

    fn query(args: &[&str]) -> Query {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match parse(&args) {
            Ok(Request::Query(q)) => q,
            other => panic!("expected a query, got {other:?}"),
        }
    }

    #[test]
    fn harmless_linker_options_are_accepted_in_any_spelling() {
        let inv = build(&[
            "-Wl,-O1,--as-needed",
            "-Wl,-z,relro,-z,now",
            "-Wl,--start-group",
            "x.o",
            "-Wl,--end-group",
            "-Wl,-rpath,/opt/lib",
            "-Xlinker",
            "-rpath",
            "-Xlinker",
            "/opt/lib",
            "-Wl,--no-undefined",
            "-Wl,--gc-sections",
            "-Wl,--hash-style=gnu",
        ]);
        assert_eq!(inv.inputs, [Input::Object("x.o".into())]);
        assert!(error(&["-Wl,-rpath,/x,--defsym=a=1", "x.o"])
            .contains("'--defsym=a=1' (from '-Wl,-rpath,/x,--defsym=a=1')"));
    }

    #[test]
    fn probes_are_answered_without_inputs() {
        assert_eq!(query(&["-dumpmachine"]), Query::Machine);
        assert_eq!(query(&["-dumpversion"]), Query::DumpVersion);
        assert_eq!(query(&["-v"]), Query::VerboseVersion);
        assert_eq!(query(&["-print-search-dirs"]), Query::SearchDirs);
        assert_eq!(query(&["-print-prog-name=ld"]), Query::ProgName("ld".into()));
        assert_eq!(query(&["-print-file-name=libc.a"]), Query::FileName("libc.a".into()));
        assert_eq!(query(&["-print-multi-os-directory"]), Query::MultiDirectory);
        assert_eq!(query(&["-Wl,--version"]), Query::LinkerVersion);
        assert_eq!(
            query(&["-O2", "-Wl,--as-needed", "-Wl,--version"]),
            Query::LinkerVersion
        );
        // -v with inputs is the verbose flag, not the banner.
        assert!(build(&["-v", "a.c"]).verbose);
    }

    #[test]
    fn preprocessor_probes_parse() {
        let inv = build(&["-E", "-dM", "-x", "c", "-"]);
        assert_eq!(inv.mode, Mode::Preprocess);
        assert_eq!(inv.inputs, [Input::Source("-".into())]);
        assert_eq!(inv.frontend_flags, ["-dM"]);
        // -M/-MM alone print dependencies: the preprocessor's job.
        assert_eq!(build(&["-MM", "a.c"]).mode, Mode::Preprocess);
        assert_eq!(build(&["-MMD", "-c", "a.c"]).mode, Mode::Compile);
        assert_eq!(build(&["-xc", "-c", "a.c"]).mode, Mode::Compile);
        assert_eq!(build(&["-Og", "-c", "a.c"]).opt_level, "1");
        assert!(build(&["-ggdb3", "-c", "a.c"]).debug);
    }
}
