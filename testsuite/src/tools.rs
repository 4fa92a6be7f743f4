//! The programs the runner drives: hetcc, the musl reference compiler and qemu-user,
//! and the per-ISA facts about how to run an output (the one place they are matched).

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use het_format::Isa;

/// Directories (relative to the workspace) whose `*.c` files are subjects, each with a
/// `// het:` header; subject names must be unique across all of them.
pub const SUBJECT_DIRS: &[&str] = &["testsuite/corpus", "testsuite/phoenix", "testsuite/npb"];

/// Located tools; a missing one is kept as the message to show instead of a path.
#[derive(Clone, Debug)]
pub struct Tools {
    /// The workspace root (parent of `testsuite/`).
    pub workspace: PathBuf,
    /// The hetcc driver (`$HETCC`, default `<target dir>/debug/hetcc`).
    pub hetcc: Result<PathBuf, String>,
    /// `scripts/musl-clang <isa> <clang args>` (`$HET_MUSL_CLANG` overrides).
    pub musl_clang: Result<PathBuf, String>,
}

impl Tools {
    /// Locates every tool without failing; callers decide which ones they need.
    pub fn locate() -> Tools {
        let workspace = workspace_root();
        Tools {
            hetcc: locate_hetcc(&workspace),
            musl_clang: locate_musl_clang(&workspace),
            workspace,
        }
    }

    /// The corpus directory, `testsuite/corpus`.
    pub fn corpus_dir(&self) -> PathBuf {
        self.workspace.join("testsuite/corpus")
    }

    /// Every directory whose `*.c` files are subjects ([`SUBJECT_DIRS`]).
    pub fn subject_dirs(&self) -> Vec<PathBuf> {
        SUBJECT_DIRS.iter().map(|d| self.workspace.join(d)).collect()
    }

    /// The Makefile project, `testsuite/make-project`.
    pub fn make_project_dir(&self) -> PathBuf {
        self.workspace.join("testsuite/make-project")
    }
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn locate_hetcc(workspace: &Path) -> Result<PathBuf, String> {
    let path = match env::var_os("HETCC") {
        Some(p) => PathBuf::from(p),
        None => {
            let target = env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace.join("target"), PathBuf::from);
            target.join("debug/hetcc")
        }
    };
    if is_executable(&path) {
        Ok(absolute(path))
    } else {
        Err(format!(
            "hetcc not found at {}; build it with cargo build -p hetcc (or set HETCC)",
            path.display()
        ))
    }
}

fn locate_musl_clang(workspace: &Path) -> Result<PathBuf, String> {
    let path = env::var_os("HET_MUSL_CLANG").map_or_else(|| workspace.join("scripts/musl-clang"), PathBuf::from);
    if is_executable(&path) {
        Ok(absolute(path))
    } else {
        Err(format!(
            "reference compiler not found at {}: scripts/musl-clang (clang-22 against the musl sysroot, \
             static) comes from the setup branch, and the sysroot from scripts/setup.sh; \
             set HET_MUSL_CLANG to use another copy",
            path.display()
        ))
    }
}

/// Builds run in scratch directories, so tools given as relative paths must be resolved.
fn absolute(path: PathBuf) -> PathBuf {
    std::fs::canonicalize(&path).unwrap_or(path)
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// The file hetcc writes for `isa` when asked for `-o <base>`.
pub fn output_path(base: &Path, isa: Isa) -> PathBuf {
    match isa {
        Isa::X86_64 => base.to_path_buf(),
        Isa::Aarch64 | Isa::Riscv64 => {
            let mut name = base.as_os_str().to_owned();
            name.push(".");
            name.push(isa.name());
            PathBuf::from(name)
        }
    }
}

/// The emulator that runs `isa` binaries on the (x86-64) host, if one is needed.
pub fn emulator(isa: Isa) -> Option<&'static str> {
    (isa != Isa::X86_64).then(|| isa.qemu())
}

/// A command that runs `binary` for `isa`: directly, or under its emulator.
pub fn run_command(binary: &Path, isa: Isa) -> Command {
    match emulator(isa) {
        None => Command::new(binary),
        Some(qemu) => {
            let mut c = Command::new(qemu);
            c.arg(binary);
            c
        }
    }
}

/// Checks that every emulator is on `PATH`.
pub fn check_emulators() -> Result<(), String> {
    let missing: Vec<&str> = Isa::ALL
        .into_iter()
        .filter_map(emulator)
        .filter(|qemu| {
            Command::new(qemu)
                .arg("--version")
                .output()
                .map_or(true, |o| !o.status.success())
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} not found on PATH (apt-get install qemu-user)",
            missing.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names() {
        let base = Path::new("/tmp/x/app");
        assert_eq!(output_path(base, Isa::X86_64), Path::new("/tmp/x/app"));
        assert_eq!(output_path(base, Isa::Aarch64), Path::new("/tmp/x/app.aarch64"));
        assert_eq!(output_path(base, Isa::Riscv64), Path::new("/tmp/x/app.riscv64"));
    }
}

/// The number after `--runs` on the command line (the benchmarks' repetitions), or
/// `default`.
pub fn runs_argument(default: usize) -> anyhow::Result<usize> {
    use anyhow::Context as _;
    Ok(env::args()
        .skip_while(|a| a != "--runs")
        .nth(1)
        .map(|n| n.parse().context("--runs takes a number"))
        .transpose()?
        .unwrap_or(default))
}

/// The workspace's release build of tool `name` (`hetcc`, `het`), or the path in the
/// environment variable of the same name in capitals (`HETCC`, `HET`).
pub fn release_tool(workspace: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let path = env::var_os(name.to_uppercase())
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target/release").join(name));
    if !path.is_file() {
        anyhow::bail!(
            "{} not found (cargo build --release -p hetcc, or set {})",
            path.display(),
            name.to_uppercase()
        );
    }
    Ok(path)
}
