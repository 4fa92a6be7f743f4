//! Running a command with a timeout, capturing stdout and stderr through files (so a
//! chatty child can never block on a full pipe), and describing how it ended.

use std::fmt;
use std::fs::{self, File};
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How a process ended, in a form that compares equal across runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `exit(code)` or a return from `main`.
    Exited(i32),
    /// Killed by a signal.
    Signalled(i32),
    /// Still running at the deadline, so the runner killed it.
    TimedOut,
}

impl Ending {
    fn from_status(status: ExitStatus) -> Ending {
        match (status.code(), status.signal()) {
            (Some(code), _) => Ending::Exited(code),
            (None, Some(sig)) => Ending::Signalled(sig),
            (None, None) => Ending::Exited(-1),
        }
    }

    /// True for `Exited(0)`.
    pub fn success(self) -> bool {
        self == Ending::Exited(0)
    }
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ending::Exited(code) => write!(f, "exit status {code}"),
            Ending::Signalled(sig) => write!(f, "killed by signal {sig}"),
            Ending::TimedOut => f.write_str("timed out"),
        }
    }
}

/// What a finished process left behind.
#[derive(Clone, Debug)]
pub struct Captured {
    /// How it ended.
    pub ending: Ending,
    /// Everything written to stdout.
    pub stdout: Vec<u8>,
    /// Everything written to stderr.
    pub stderr: Vec<u8>,
}

impl Captured {
    /// The last `max_lines` lines of stderr, for failure reports.
    pub fn stderr_tail(&self, max_lines: usize) -> String {
        let text = String::from_utf8_lossy(&self.stderr);
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(max_lines)..].join("\n")
    }
}

/// Runs `cmd` to completion or until `timeout`, with stdin from `stdin` (or
/// `/dev/null`); the output goes through `<capture_stem>.stdout` / `.stderr`.
pub fn run(cmd: &mut Command, stdin: Option<&Path>, timeout: Duration, capture_stem: &Path) -> io::Result<Captured> {
    let input = match stdin {
        Some(p) => Stdio::from(File::open(p).map_err(|e| with_path(e, p))?),
        None => Stdio::null(),
    };
    run_with_stdin(cmd, input, timeout, capture_stem)
}

/// As [`run`], with stdin given as is: a migration's source and destination processes
/// share one open file description, so the destination reads on where the source
/// stopped.
pub fn run_with_stdin(cmd: &mut Command, input: Stdio, timeout: Duration, capture_stem: &Path) -> io::Result<Captured> {
    let out_path = capture_stem.with_extension("stdout");
    let err_path = capture_stem.with_extension("stderr");
    let mut child = cmd
        .stdin(input)
        .stdout(File::create(&out_path).map_err(|e| with_path(e, &out_path))?)
        .stderr(File::create(&err_path).map_err(|e| with_path(e, &err_path))?)
        .spawn()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot start {:?}: {e}", cmd.get_program())))?;
    let ending = wait_with_deadline(&mut child, timeout)?;
    Ok(Captured {
        ending,
        stdout: fs::read(&out_path)?,
        stderr: fs::read(&err_path)?,
    })
}

fn wait_with_deadline(child: &mut std::process::Child, timeout: Duration) -> io::Result<Ending> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Ending::from_status(status));
        }
        if Instant::now() >= deadline {
            child.kill()?;
            child.wait()?;
            return Ok(Ending::TimedOut);
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("het-exec-test-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn captures_output_and_status() {
        let dir = scratch("status");
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo out; echo err >&2; exit 3"]);
        let c = run(&mut cmd, None, Duration::from_secs(10), &dir.join("x")).unwrap();
        assert_eq!(c.ending, Ending::Exited(3));
        assert_eq!(c.stdout, b"out\n");
        assert_eq!(c.stderr_tail(5), "err");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn kills_at_the_deadline() {
        let dir = scratch("timeout");
        let mut cmd = Command::new("sleep");
        cmd.arg("10");
        let c = run(&mut cmd, None, Duration::from_millis(100), &dir.join("x")).unwrap();
        assert_eq!(c.ending, Ending::TimedOut);
        fs::remove_dir_all(dir).unwrap();
    }
}
