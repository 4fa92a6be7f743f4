//! `hetcc`'s entry point: dispatch on the mode, report errors like cc.

use crate::cli::{self, Input, Invocation, Mode, Query, Request};
use crate::codegen;
use crate::frontend::{self, Reported};
use crate::hetobj;
use crate::link::{self, Scratch};
use crate::toolchain::Toolchain;
use crate::unit;
use anyhow::{Context, Result};
use inkwell::targets::FileType;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "\
usage: hetcc [options] file...

Compiles C into one static executable per ISA (x86_64, aarch64, riscv64) with every
function, global and thread-local variable at the same address on every ISA.

Outputs:  -o app  writes app (x86_64), app.aarch64, app.riscv64
          -c      writes hetcc objects (.o): ELF files carrying the optimised IR;
                  code is generated at link time for the whole program

Options:
  -c, -S, -E, -o FILE        as cc (-S writes FILE.s for x86_64 and FILE.<isa>.s)
  -O0 -O1 -O2 -O3 -Os -Oz    optimisation level
  -g                         keep debug information
  -I -D -U -include -isystem -std= -W... -M...   passed to the clang-22 frontend
  -l -L                      hetcc archives (libc's -lm -lpthread… are built in)
  --targets=ISA[,ISA...]     ISAs to build for (default x86_64,aarch64,riscv64)
  -emit-llvm                 with -S or -c: write the canonical LLVM IR
  -save-temps                keep the whole-program IR (prog.bc), per-ISA objects,
                             link maps and linker scripts in a temp directory
  -fhet-migratable           (at link) make the binaries migratable between ISAs:
                             migration-point checks at loop latches and recursive
                             entries, equivalence points (statepoints with stack maps)
                             at calls that may reach one. Off by default for now.
  -v                         show the commands hetcc runs
  --version, --help

Refused, with the reason: -ffast-math, -ffp-contract=on/fast, -m...,
-shared, most -Wl,... (see docs/architecture.md).
Environment: HETCC_SYSROOT, HETCC_CLANG, HETCC_LLD.
";

/// Runs hetcc with the process's arguments; the exit code follows cc (0 or 1).
pub fn main() -> ExitCode {
    crate::internal::install_handlers();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let inv = match cli::parse(&args) {
        Ok(Request::Build(inv)) => inv,
        Ok(Request::Help) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Ok(Request::Version) => {
            print!("{}", version_banner());
            return ExitCode::SUCCESS;
        }
        Ok(Request::Query(query)) => {
            return match answer(&query) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("hetcc: error: {error:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(message) => {
            eprintln!("hetcc: error: {message}");
            return ExitCode::FAILURE;
        }
    };
    match run(&inv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is::<Reported>() => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("hetcc: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The triple of the executable that runs on the build machine (`a.out`, configure's
/// conftest): the host ISA's, whatever the canonical frontend target is.
const HOST_TRIPLE: &str = "x86_64-unknown-linux-musl";

/// The frontend's version, which is what build systems compare against when they pick
/// flags (Meson takes the first dotted number of the banner).
fn clang_version() -> String {
    let probe = Toolchain::locate().ok().and_then(|tools| {
        std::process::Command::new(&tools.clang)
            .arg("-dumpversion")
            .output()
            .ok()
            .filter(|o| o.status.success())
    });
    probe
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "22".into())
}

/// `--version`: clang's layout, so that Meson and CMake recognise a clang-compatible
/// driver (Meson looks for "clang" and takes the first version number).
fn version_banner() -> String {
    format!(
        "hetcc version {} (hetcc {}, clang-22 frontend; targets x86_64 aarch64 riscv64)\n\
         Target: {HOST_TRIPLE}\nThread model: posix\n",
        clang_version(),
        env!("CARGO_PKG_VERSION")
    )
}

fn answer(query: &Query) -> Result<()> {
    let lib_dir = |tools: &Toolchain| tools.sysroot.join(het_format::Isa::X86_64.name()).join("lib");
    match query {
        Query::VerboseVersion => eprint!("{}", version_banner()),
        Query::Machine => println!("{HOST_TRIPLE}"),
        Query::DumpVersion => println!("{}", clang_version()),
        Query::MultiDirectory => println!("."),
        Query::MultiLib => println!(".;"),
        Query::Empty => println!(),
        Query::SearchDirs => {
            let tools = Toolchain::locate()?;
            let programs = tools.lld.parent().unwrap_or(Path::new("/")).display().to_string();
            println!("install: {}", tools.sysroot.display());
            println!("programs: ={programs}");
            println!("libraries: ={}", lib_dir(&tools).display());
        }
        Query::ProgName(name) => {
            let tools = Toolchain::locate()?;
            match name.as_str() {
                "ld" | "ld.lld" => println!("{}", tools.lld.display()),
                "cc1" | "clang" => println!("{}", tools.clang.display()),
                other => println!("{other}"),
            }
        }
        Query::FileName(name) => {
            let tools = Toolchain::locate()?;
            let path = lib_dir(&tools).join(name);
            if path.exists() {
                println!("{}", path.display());
            } else {
                println!("{name}");
            }
        }
        Query::LibgccFileName => println!("{}", lib_dir(&Toolchain::locate()?).join("libgcc.a").display()),
        Query::LinkerVersion => {
            let tools = Toolchain::locate()?;
            let out = std::process::Command::new(&tools.lld)
                .arg("--version")
                .output()
                .with_context(|| format!("cannot run {}", tools.lld.display()))?;
            print!("{}", String::from_utf8_lossy(&out.stdout));
        }
    }
    Ok(())
}

fn run(inv: &Invocation) -> Result<()> {
    let tools = Toolchain::locate()?;
    let scratch = Scratch::create(inv.save_temps)?;
    if inv.mode != Mode::Link {
        warn_unused_linker_inputs(inv);
    }
    match inv.mode {
        Mode::Preprocess => {
            for source in sources(inv) {
                frontend::preprocess(&tools, inv, source, inv.output.as_deref())?;
            }
            Ok(())
        }
        Mode::Compile => sources(inv).try_for_each(|source| compile_object(&tools, inv, source, &scratch.path)),
        Mode::Assemble => sources(inv).try_for_each(|source| compile_assembly(&tools, inv, source, &scratch.path)),
        Mode::Link => link::link(&tools, inv, &scratch.path),
    }
}

fn sources(inv: &Invocation) -> impl Iterator<Item = &Path> {
    inv.inputs.iter().filter_map(|i| match i {
        Input::Source(p) => Some(p.as_path()),
        _ => None,
    })
}

fn warn_unused_linker_inputs(inv: &Invocation) {
    for input in &inv.inputs {
        let name = match input {
            Input::Object(p) | Input::Archive(p) => p.display().to_string(),
            Input::Library(l) => format!("-l{l}"),
            Input::Source(_) => continue,
        };
        eprintln!("hetcc: warning: {name}: linker input unused because linking not done");
    }
}

/// `dir/name.c` → `name.<ext>` in the current directory, as cc names outputs.
pub(crate) fn default_output(source: &Path, ext: &str) -> PathBuf {
    let stem = source.file_stem().unwrap_or(source.as_os_str());
    PathBuf::from(stem).with_extension(ext)
}

fn compile_object(tools: &Toolchain, inv: &Invocation, source: &Path, scratch: &Path) -> Result<()> {
    let output = inv
        .output
        .clone()
        .unwrap_or_else(|| default_output(source, if inv.emit_llvm { "bc" } else { "o" }));
    let unit = unit::compile(tools, inv, source, scratch, &output)?;
    if inv.emit_llvm {
        let bitcode = without_debug_unless(inv.debug, &unit.bitcode)?;
        return std::fs::write(&output, bitcode).with_context(|| format!("writing {}", output.display()));
    }
    hetobj::write(&output, &unit.bitcode, &unit.symbols, unit.debug, &inv.opt_level)
}

/// `x.s` for the host ISA, `x.<isa>.s` for the others.
fn assembly_path(output: &Path, isa: het_format::Isa) -> PathBuf {
    if isa == het_format::Isa::X86_64 {
        return output.to_path_buf();
    }
    let stem = output.file_stem().unwrap_or(output.as_os_str()).to_string_lossy();
    let ext = output
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "s".into());
    output.with_file_name(format!("{stem}.{isa}.{ext}"))
}

fn compile_assembly(tools: &Toolchain, inv: &Invocation, source: &Path, scratch: &Path) -> Result<()> {
    let unit = unit::compile(tools, inv, source, scratch, &default_output(source, "o"))?;
    let bitcode = without_debug_unless(inv.debug, &unit.bitcode)?;
    if inv.emit_llvm {
        let output = inv.output.clone().unwrap_or_else(|| default_output(source, "ll"));
        let context = inkwell::context::Context::create();
        let module = parse(&context, &bitcode)?;
        return module
            .print_to_file(&output)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", output.display()));
    }
    let output = inv.output.clone().unwrap_or_else(|| default_output(source, "s"));
    for &isa in &inv.targets {
        codegen::emit(
            &bitcode,
            isa,
            &inv.opt_level,
            FileType::Assembly,
            &assembly_path(&output, isa),
        )?;
    }
    Ok(())
}

fn parse<'ctx>(context: &'ctx inkwell::context::Context, bitcode: &[u8]) -> Result<inkwell::module::Module<'ctx>> {
    let buffer = inkwell::memory_buffer::MemoryBuffer::create_from_memory_range_copy(bitcode, "unit");
    inkwell::module::Module::parse_bitcode_from_buffer(&buffer, context)
        .map_err(|e| anyhow::anyhow!("re-reading bitcode: {e}"))
}

/// Outputs that are final for this invocation (`-S`, `-c -emit-llvm`) carry debug
/// information only when `-g` was given, as with cc.
fn without_debug_unless(debug: bool, bitcode: &[u8]) -> Result<Vec<u8>> {
    if debug {
        return Ok(bitcode.to_vec());
    }
    let context = inkwell::context::Context::create();
    let module = parse(&context, bitcode)?;
    module.strip_debug_info();
    Ok(module.write_bitcode_to_memory().as_slice().to_vec())
}
