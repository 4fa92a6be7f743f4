//! `het`: the hetcc user tool. `inspect` reports on binaries and checkpoints; `run`,
//! `migrate` and `restore` move a running program between ISAs
//! (docs/migration-runtime.md, "Tools").

use anyhow::Result;
use clap::{ArgGroup, Parser, Subcommand};
use het_format::Isa;
use hetcc::het::run::{parse_duration, parse_isa, RunPlan, Trigger};
use hetcc::het::{inspect, migrate, restore, run};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "het", version, about = "hetcc user tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Layout report of one program's per-ISA binaries (e.g. app app.aarch64 app.riscv64):
    /// symbols, addresses, padding, section sizes, the alignment verdict and the program
    /// ID; for a checkpoint file, its header, frames, regions, open files and TLS size.
    Inspect {
        /// The binaries, one per ISA, and/or checkpoint files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run a program, migrating it along the hops (e.g. --hops x86_64,aarch64,x86_64).
    #[command(group(ArgGroup::new("trigger").required(true).args(["every", "at"])))]
    Run {
        /// The ISAs to run on, in order; the program starts on the first.
        #[arg(long, required = true, value_delimiter = ',', value_parser = parse_isa)]
        hops: Vec<Isa>,
        /// Request a migration this long after each hop starts (e.g. 20ms, 1.5s).
        #[arg(long, value_parser = parse_duration)]
        every: Option<Duration>,
        /// Migrate at the K-th migration point of each hop (test mode; one count per hop
        /// but the last, counted from the hop's start or restore).
        #[arg(long, value_delimiter = ',')]
        at: Option<Vec<u64>>,
        /// Keep the checkpoints in this directory (default: a temporary one, deleted).
        #[arg(long, value_name = "DIR")]
        keep_checkpoints: Option<PathBuf>,
        /// The program (its x86_64 binary `app`, or any of `app.<isa>`).
        #[arg(required = true, last = true, num_args = 1..)]
        command: Vec<OsString>,
    },
    /// Ask a running migratable process to checkpoint; prints the `het restore` command.
    Migrate {
        /// The process.
        pid: u32,
        /// The ISA to continue on: checked against the process's HET_TARGET (which
        /// decides) and used in the printed command.
        #[arg(long, value_parser = parse_isa)]
        to: Option<Isa>,
        /// Where the process writes its checkpoint (default: its HET_CHECKPOINT, else
        /// het-PID.ckpt in its working directory).
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Continue a checkpoint on an ISA: checks it, then starts that ISA's binary.
    Restore {
        /// The checkpoint file.
        checkpoint: PathBuf,
        /// The ISA to continue on.
        #[arg(long, value_parser = parse_isa)]
        isa: Isa,
        /// The program (its x86_64 binary `app`, or any of `app.<isa>`).
        app: PathBuf,
        /// The program's arguments (the same as the original run's).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
}

fn main() -> ExitCode {
    match dispatch(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("het: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Inspect { files } => inspect::inspect(&files),
        Command::Run {
            hops,
            every,
            at,
            keep_checkpoints,
            command,
        } => {
            let trigger = match (every, at) {
                (Some(delay), _) => Trigger::Every(delay),
                (None, counts) => Trigger::At(counts.unwrap_or_default()),
            };
            let mut command = command.into_iter();
            let app = PathBuf::from(command.next().unwrap_or_default());
            let plan = RunPlan {
                hops,
                trigger,
                keep_checkpoints,
                app,
                args: command.collect(),
            };
            Ok(ExitCode::from(run::run(&plan)?))
        }
        Command::Migrate { pid, to, checkpoint } => {
            migrate::migrate(pid, to, checkpoint.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore {
            checkpoint,
            isa,
            app,
            args,
        } => {
            restore::restore(&checkpoint, isa, &app, &args)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
