//! What the runner tests: a corpus program (one C file with a `// het:` header) or the
//! Makefile project, and how each is built by the reference compiler and by hetcc.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use het_format::Isa;

use crate::directives::{self, Directives};
use crate::exec::{self, Captured};

/// Builds get this long before they count as hung.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(600);
/// Programs get this long per run unless their header says otherwise.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// The name the Makefile project is reported (and filtered) under.
pub const MAKE_PROJECT: &str = "make-project";

/// One corpus C file.
#[derive(Clone, Debug)]
pub struct Program {
    /// File stem: `recursion` for `recursion.c`.
    pub name: String,
    /// Absolute path of the source.
    pub path: PathBuf,
    /// Its parsed header.
    pub directives: Directives,
}

/// Something the runner builds, runs and compares.
#[derive(Clone, Debug)]
pub enum Subject {
    /// A corpus program.
    Program(Box<Program>),
    /// The Makefile project in this directory.
    MakeProject(PathBuf),
}

/// How to run a built subject.
#[derive(Clone, Debug, Default)]
pub struct RunSpec {
    /// Arguments after `argv[0]`.
    pub args: Vec<String>,
    /// Absolute path of the stdin file, if any.
    pub stdin: Option<PathBuf>,
    /// The complete environment.
    pub env: Vec<(String, String)>,
    /// Per-run timeout.
    pub timeout: Duration,
}

/// A failed build: what was run and how it went.
#[derive(Debug)]
pub struct BuildError {
    /// One line: the command and how it ended.
    pub summary: String,
    /// The end of its stderr.
    pub stderr_tail: String,
}

/// Reads every `*.c` in `dir`, sorted by name. A header that does not parse is
/// returned as an error naming the file, so it is reported like any failure.
pub fn discover(dir: &Path) -> std::io::Result<Vec<Result<Program, (String, String)>>> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.retain(|p| p.extension().is_some_and(|x| x == "c"));
    paths.sort();
    let programs = paths.into_iter().map(|path| {
        let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let source = match fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => return Err((name, format!("cannot read {}: {e}", path.display()))),
        };
        match directives::parse(&source) {
            Ok(directives) => Ok(Program { name, path, directives }),
            Err(e) => Err((name, format!("bad header in {}: {e}", path.display()))),
        }
    });
    Ok(programs.collect())
}

impl Subject {
    /// The name reports and filters use.
    pub fn name(&self) -> &str {
        match self {
            Subject::Program(p) => &p.name,
            Subject::MakeProject(_) => MAKE_PROJECT,
        }
    }

    /// The expected-error substring, for programs hetcc must reject.
    pub fn expect_error(&self) -> Option<&str> {
        match self {
            Subject::Program(p) => p.directives.expect_error.as_deref(),
            Subject::MakeProject(_) => None,
        }
    }

    /// Why native per-ISA builds may print differently, if they may.
    pub fn native_differs(&self) -> Option<&str> {
        match self {
            Subject::Program(p) => p.directives.native_differs.as_deref(),
            Subject::MakeProject(_) => None,
        }
    }

    /// Which of hetcc's outputs to run.
    pub fn run_isas(&self) -> Vec<Isa> {
        match self {
            Subject::Program(p) => p.directives.run_isas(),
            Subject::MakeProject(_) => Isa::ALL.to_vec(),
        }
    }

    /// Arguments, stdin (relative to the program's own directory), environment and
    /// timeout for every run.
    pub fn run_spec(&self, default_timeout: Duration) -> RunSpec {
        let Subject::Program(p) = self else {
            return RunSpec {
                timeout: default_timeout,
                ..RunSpec::default()
            };
        };
        let d = &p.directives;
        RunSpec {
            args: d.args.clone(),
            stdin: d
                .stdin
                .as_ref()
                .map(|s| p.path.parent().unwrap_or(Path::new(".")).join(s)),
            env: d.env.clone(),
            timeout: d.timeout.unwrap_or(default_timeout),
        }
    }

    /// Builds with `musl-clang <isa>` in `dir`; returns the binary.
    pub fn build_reference(&self, musl_clang: &Path, isa: Isa, dir: &Path) -> Result<PathBuf, BuildError> {
        let label = format!("musl-clang {isa}");
        match self {
            Subject::Program(p) => {
                let source = stage_source(p, dir)?;
                let mut cmd = Command::new(musl_clang);
                cmd.arg(isa.name())
                    .args(["-O2", "-o", "ref"])
                    .arg(include_flag(p))
                    .arg(source)
                    .arg("-lm");
                build(&mut cmd, dir, &label)?;
                Ok(dir.join("ref"))
            }
            Subject::MakeProject(src) => {
                stage_make_project(src, dir)?;
                let cc = format!("CC={} {}", musl_clang.display(), isa.name());
                build(&mut make(dir, &cc), dir, &label)?;
                Ok(dir.join("app"))
            }
        }
    }

    /// Builds with hetcc in `dir`; returns the `-o` base (`app`, beside `app.<isa>`).
    pub fn build_hetcc(&self, hetcc: &Path, dir: &Path) -> Result<PathBuf, BuildError> {
        self.build_hetcc_with(hetcc, dir, &[])
    }

    /// As [`Subject::build_hetcc`], with extra hetcc flags (`-fhet-migratable`).
    pub fn build_hetcc_with(&self, hetcc: &Path, dir: &Path, flags: &[&str]) -> Result<PathBuf, BuildError> {
        let label = std::iter::once("hetcc")
            .chain(flags.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        match self {
            Subject::Program(p) => {
                let source = stage_source(p, dir)?;
                let mut cmd = hetcc_command(hetcc, p, &source);
                cmd.args(flags);
                build(&mut cmd, dir, &label)?;
            }
            Subject::MakeProject(src) => {
                stage_make_project(src, dir)?;
                let cc = std::iter::once(hetcc.display().to_string())
                    .chain(flags.iter().map(|f| f.to_string()))
                    .collect::<Vec<_>>()
                    .join(" ");
                build(&mut make(dir, &format!("CC={cc}")), dir, &format!("make CC={label}"))?;
            }
        }
        Ok(dir.join("app"))
    }

    /// Runs hetcc on a program that must be rejected; returns what happened.
    pub fn try_hetcc(&self, hetcc: &Path, dir: &Path) -> Result<Captured, BuildError> {
        let Subject::Program(p) = self else {
            unreachable!("only programs expect errors")
        };
        let source = stage_source(p, dir)?;
        let mut cmd = hetcc_command(hetcc, p, &source);
        cmd.current_dir(dir);
        exec::run(&mut cmd, None, BUILD_TIMEOUT, &dir.join("hetcc")).map_err(|e| io_error("hetcc", e))
    }
}

fn hetcc_command(hetcc: &Path, p: &Program, source: &str) -> Command {
    let mut cmd = Command::new(hetcc);
    cmd.args(["-O2", "-o", "app"])
        .arg(include_flag(p))
        .args([source, "-lm"]);
    cmd
}

/// `-I<the program's own directory>`: the staged copy still finds headers that live
/// beside the original (`npb/npb_common.h`).
fn include_flag(p: &Program) -> String {
    format!("-I{}", p.path.parent().unwrap_or(Path::new(".")).display())
}

/// Copies the program into `dir` as `<name>.c`, so diagnostics say `<name>.c:<line>`.
fn stage_source(p: &Program, dir: &Path) -> Result<String, BuildError> {
    let file = format!("{}.c", p.name);
    fs::create_dir_all(dir).map_err(|e| io_error("staging", e))?;
    fs::copy(&p.path, dir.join(&file)).map_err(|e| io_error("staging", e))?;
    Ok(file)
}

/// Copies the project's sources (never its build products) into `dir`.
fn stage_make_project(src: &Path, dir: &Path) -> Result<(), BuildError> {
    let copy = || -> std::io::Result<()> {
        fs::create_dir_all(dir)?;
        for entry in fs::read_dir(src)? {
            let path = entry?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            if name == "Makefile" || name.ends_with(".c") || name.ends_with(".h") {
                fs::copy(&path, dir.join(&name))?;
            }
        }
        Ok(())
    };
    copy().map_err(|e| io_error("staging make-project", e))
}

/// `make <cc>` in `dir`, isolated from any make that runs us; `$HET_AR` sets `AR`.
fn make(dir: &Path, cc_assignment: &str) -> Command {
    let mut cmd = Command::new("make");
    cmd.arg("-C").arg(dir).arg(cc_assignment);
    if let Some(ar) = std::env::var_os("HET_AR") {
        let mut assignment = std::ffi::OsString::from("AR=");
        assignment.push(ar);
        cmd.arg(assignment);
    }
    cmd.env_remove("MAKEFLAGS").env_remove("MFLAGS").env_remove("MAKELEVEL");
    cmd
}

fn build(cmd: &mut Command, dir: &Path, label: &str) -> Result<(), BuildError> {
    cmd.current_dir(dir);
    let stem = dir.join(label.replace(' ', "-").replace("CC=", ""));
    let out = exec::run(cmd, None, BUILD_TIMEOUT, &stem).map_err(|e| io_error(label, e))?;
    if out.ending.success() {
        return Ok(());
    }
    let mut stderr_tail = out.stderr_tail(25);
    if stderr_tail.is_empty() {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = stdout.lines().collect();
        stderr_tail = lines[lines.len().saturating_sub(25)..].join("\n");
    }
    Err(BuildError {
        summary: format!("{label} build failed ({})", out.ending),
        stderr_tail,
    })
}

fn io_error(label: &str, e: std::io::Error) -> BuildError {
    BuildError {
        summary: format!("{label}: {e}"),
        stderr_tail: String::new(),
    }
}
