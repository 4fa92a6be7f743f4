//! The link: one module for the whole program, whole-program passes, one object per
//! ISA (in parallel), then the aligned per-ISA links.

use crate::cli::Invocation;
use crate::codegen;
use crate::frontend::Reported;
use crate::inputs::{self, LinkUnit};
use crate::toolchain::{self, Toolchain};
use anyhow::{anyhow, bail, Context as _, Result};
use het_format::Isa;
use inkwell::context::Context;
use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::Module;
use inkwell::targets::FileType;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the executables of `inv`: `output` for the host ISA and `output.<isa>` for
/// the others.
pub fn link(tools: &Toolchain, inv: &Invocation, scratch: &Path) -> Result<()> {
    let units = inputs::gather(tools, inv, scratch)?;
    let keep_debug = inv.debug || units.iter().any(|u| u.debug);
    let bitcode = whole_program(&units, keep_debug, inv)?;
    if inv.save_temps {
        let path = scratch.join("prog.bc");
        std::fs::write(&path, &bitcode).with_context(|| format!("writing {}", path.display()))?;
    }
    if inv.migratable {
        codegen::keep_values_off_unrecorded_registers();
    }
    let opt_level = codegen_level(inv, &units);
    if inv.verbose && !inv.opt_level_given {
        eprintln!("  code generation at -O{opt_level}, the highest level the objects were compiled with");
    }
    let objects: Vec<(Isa, PathBuf)> = inv
        .targets
        .par_iter()
        .map(|&isa| {
            let object = scratch.join(format!("prog.{isa}.o"));
            codegen::emit(&bitcode, isa, &opt_level, FileType::Object, &object)?;
            Ok((isa, object))
        })
        .collect::<Result<_>>()?;
    let output = inv.output.clone().unwrap_or_else(|| PathBuf::from("a.out"));
    let outputs: Vec<(Isa, PathBuf)> = objects
        .iter()
        .map(|(isa, _)| (*isa, executable_path(&output, *isa)))
        .collect();
    let binaries = aligned_links(tools, inv, &objects, &outputs, scratch)?;
    if inv.migratable {
        crate::tables::embed(tools, &outputs, &binaries, scratch, inv.verbose)?;
    }
    Ok(())
}

/// The `-O` level of code generation: the link's own `-O` if it has one; otherwise the
/// highest level among the objects, as a link of ordinary objects keeps the code their
/// compiles made (`make` rarely passes CFLAGS to the link; code generated at -O0 made
/// Lua's interpreter 4× slower).
pub fn codegen_level(inv: &Invocation, units: &[inputs::LinkUnit]) -> String {
    if inv.opt_level_given {
        return inv.opt_level.clone();
    }
    let rank = |level: &str| match level {
        "0" => 0,
        "1" => 1,
        "s" | "z" => 2,
        "2" => 3,
        "3" => 4,
        _ => 0,
    };
    units
        .iter()
        .filter_map(|u| u.opt_level.as_deref())
        .max_by_key(|level| rank(level))
        .unwrap_or(&inv.opt_level)
        .to_string()
}

/// Link pass 1 (maps) → one layout → a script per ISA → link pass 2 → verify.
/// Returns the verified binaries' bytes, in `outputs` order.
///
/// Both passes use ld.lld `-O0`, which keeps mergeable sections (string literals,
/// constants) as separate input sections the layout can place, and identical input
/// paths, because the scripts name input files literally.
fn aligned_links(
    tools: &Toolchain,
    inv: &Invocation,
    objects: &[(Isa, PathBuf)],
    outputs: &[(Isa, PathBuf)],
    scratch: &Path,
) -> Result<Vec<Vec<u8>>> {
    let mut map_texts = Vec::new();
    for (isa, object) in objects {
        let map = scratch.join(format!("pass1.{isa}.map"));
        let mut cmd = lld_command(tools, *isa, object)?;
        cmd.arg("-o")
            .arg(scratch.join(format!("pass1.{isa}")))
            .arg(format!("-Map={}", map.display()));
        if inv.migratable {
            cmd.arg("-T").arg(keep_stack_maps_script(scratch)?);
        }
        run_lld(cmd, inv, *isa, "first-pass link")?;
        map_texts.push((
            *isa,
            std::fs::read_to_string(&map).with_context(|| format!("reading {}", map.display()))?,
        ));
    }
    let maps = map_texts
        .iter()
        .map(|(isa, text)| {
            Ok((
                *isa,
                het_aligner::link_map::parse(text).with_context(|| format!("reading the {isa} link map"))?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let map_refs: Vec<_> = maps.iter().map(|(isa, map)| (*isa, map)).collect();
    let layout = het_aligner::layout::compute(&map_refs).context("computing the common layout")?;
    for problem in het_aligner::layout::diagnose(&layout) {
        eprintln!("hetcc: warning: {problem}");
    }
    for ((isa, object), (_, output)) in objects.iter().zip(outputs) {
        let script = het_aligner::script::write(&layout, *isa).with_context(|| format!("no layout for {isa}"))?;
        let script_path = scratch.join(format!("layout.{isa}.ld"));
        std::fs::write(&script_path, script).with_context(|| format!("writing {}", script_path.display()))?;
        let mut cmd = lld_command(tools, *isa, object)?;
        cmd.arg("-T").arg(&script_path).arg("-o").arg(output);
        run_lld(cmd, inv, *isa, "aligned link")?;
    }
    verify_outputs(outputs)
}

/// Nothing refers to `.llvm_stackmaps`, so `--gc-sections` would drop it from the
/// first pass, and the layout (which puts it in the per-ISA tail, kept) would never
/// see it. This script keeps it and, with `INSERT`, leaves lld's default layout alone.
fn keep_stack_maps_script(scratch: &Path) -> Result<PathBuf> {
    let path = scratch.join("keep-stackmaps.ld");
    let script = "SECTIONS { .llvm_stackmaps : { KEEP(*(.llvm_stackmaps)) } } INSERT AFTER .eh_frame;\n";
    std::fs::write(&path, script).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// The independent check: reads only the final binaries; returns their bytes.
fn verify_outputs(outputs: &[(Isa, PathBuf)]) -> Result<Vec<Vec<u8>>> {
    let bytes = outputs
        .iter()
        .map(|(isa, path)| {
            Ok((
                *isa,
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let binaries: Vec<(Isa, &[u8])> = bytes.iter().map(|(isa, b)| (*isa, b.as_slice())).collect();
    if let Err(error) = het_aligner::verify::verify(&binaries) {
        for (_, path) in outputs {
            let _ = std::fs::remove_file(path);
        }
        bail!("the per-ISA binaries are not aligned, so they were deleted:\n{error}");
    }
    Ok(bytes.into_iter().map(|(_, b)| b).collect())
}

/// `app` for the host ISA, `app.<isa>` for the others.
pub fn executable_path(output: &Path, isa: Isa) -> PathBuf {
    if isa == Isa::X86_64 {
        output.to_path_buf()
    } else {
        let mut name = output.as_os_str().to_owned();
        name.push(format!(".{isa}"));
        PathBuf::from(name)
    }
}

/// Links every unit into one module and runs the whole-program passes (their
/// diagnostics name source lines from the units' line tables, stripped afterwards
/// unless `keep_debug`); returns the canonical bitcode every ISA's backend compiles.
///
/// With `-fhet-migratable`, migration and equivalence points are made here, after the
/// ABI passes (which rewrite calls) and before the layout pass (which gives the
/// migration slow path's stub its section), on the one module every ISA clones, so
/// every ISA gets the same statepoint IDs. Just before, `setjmp`/`longjmp` go to the
/// runtime's and stack allocations move to the unsafe stack; just after, `main` is
/// wrapped and the program identity added.
fn whole_program(units: &[LinkUnit], keep_debug: bool, inv: &Invocation) -> Result<Vec<u8>> {
    let context = Context::create();
    let parse = |unit: &LinkUnit| {
        let buffer = MemoryBuffer::create_from_memory_range_copy(&unit.bitcode, &unit.origin);
        Module::parse_bitcode_from_buffer(&buffer, &context)
            .map_err(|e| anyhow!("{}: unreadable bitcode: {e}", unit.origin))
    };
    let program = parse(&units[0])?;
    for unit in &units[1..] {
        program
            .link_in_module(parse(unit)?)
            .map_err(|e| anyhow!("linking {}: {}", unit.origin, e.to_string().trim()))?;
    }
    if let Err(problems) = het_passes::abi::lower_variadic_definitions(&program) {
        for problem in &problems {
            eprintln!("{problem}");
        }
        bail!(Reported);
    }
    het_passes::abi::redirect_to_adapters(&program);
    if inv.migratable {
        make_jumps_migratable(&program, inv.verbose)?;
        move_allocas_to_unsafe_stack(&program, inv.verbose)?;
        make_migratable(&program, inv.verbose)?;
        if let Err(problem) = het_passes::startup::wrap_main(&program) {
            eprintln!("{problem}");
            bail!(Reported);
        }
        // Hashed without the identity itself, after every pass that changes code, so all
        // ISAs' binaries of this build (cloned from this module) carry the same value.
        let bitcode = program.write_bitcode_to_memory();
        het_passes::startup::add_program_id(&program, bitcode.as_slice());
    }
    het_passes::layout::give_each_global_its_own_section(&program);
    crate::internal::verify(&program, "whole-program passes")?;
    if !keep_debug {
        program.strip_debug_info();
    }
    Ok(program.write_bitcode_to_memory().as_slice().to_vec())
}

/// Before the unsafe-stack pass, which moves the slots of the values it demotes to the
/// unsafe stack (docs/equivalence-points.md, open problem 5).
fn make_jumps_migratable(program: &Module<'_>, verbose: bool) -> Result<()> {
    match het_passes::setjmp::make_jumps_migratable(program) {
        Ok(summary) => {
            if verbose {
                eprintln!(
                    "hetcc: {} setjmp and {} longjmp call(s) redirected to the runtime, {} value(s) live across a setjmp moved to memory",
                    summary.setjmps,
                    summary.longjmps,
                    summary.demoted.iter().map(|d| d.1).sum::<usize>()
                );
            }
            Ok(())
        }
        Err(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            bail!(Reported)
        }
    }
}

/// Before the equivalence pass, so the unsafe-stack pointers are ordinary live values
/// at equivalence points (docs/unsafe-stack.md).
fn move_allocas_to_unsafe_stack(program: &Module<'_>, verbose: bool) -> Result<()> {
    match het_passes::unsafe_stack::move_allocas(program) {
        Ok(summary) => {
            if verbose {
                eprintln!(
                    "hetcc: {} function(s) with frames on the unsafe stack ({} bytes in all), {} dynamic allocation(s)",
                    summary.frames.len(),
                    summary.frames.iter().map(|f| f.1).sum::<u64>(),
                    summary.dynamic_allocas
                );
            }
            Ok(())
        }
        Err(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            bail!(Reported)
        }
    }
}

fn make_migratable(program: &Module<'_>, verbose: bool) -> Result<()> {
    match het_passes::equivalence::make_migratable(program) {
        Ok(summary) => {
            if verbose {
                eprintln!(
                    "hetcc: {} migration point(s), {} equivalence point(s)",
                    summary.migration_points.len(),
                    summary.equivalence_points.len()
                );
            }
            Ok(())
        }
        Err(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            bail!(Reported)
        }
    }
}

/// The static libraries every hetcc binary links, in link order.
const LIBRARIES: [&str; 4] = ["libhet_abi.a", "libhet_rt.a", "libc.a", "libgcc.a"];

/// One ISA's ld.lld command for `object`, without output-specific flags.
pub fn lld_command(tools: &Toolchain, isa: Isa, object: &Path) -> Result<Command> {
    let mut cmd = Command::new(&tools.lld);
    // -O0: no merging of string/constant sections (see aligned_links); --no-relax keeps
    // code sizes what pass 1 measured; --discard-locals drops the assembler's `.L`
    // temporaries (7,927 `.Lpcrel_hi` labels made a riscv64 symbol table of 191 KB)
    // but keeps the named locals the verifier checks.
    cmd.args([
        "-m",
        isa.lld_emulation(),
        "-static",
        "-O0",
        "--no-relax",
        "--discard-locals",
        "--gc-sections",
    ]);
    cmd.arg(tools.library(isa, "crt1.o")?)
        .arg(tools.library(isa, "crti.o")?)
        .arg(object);
    cmd.arg("--start-group");
    for lib in LIBRARIES {
        cmd.arg(tools.library(isa, lib)?);
    }
    cmd.arg("--end-group").arg(tools.library(isa, "crtn.o")?);
    Ok(cmd)
}

fn run_lld(mut cmd: Command, inv: &Invocation, isa: Isa, what: &str) -> Result<()> {
    let result = toolchain::run(&mut cmd, inv.verbose)?;
    if !result.status.success() {
        eprint!("{}", String::from_utf8_lossy(&result.stderr));
        bail!("{what} for {isa} failed");
    }
    Ok(())
}

/// A scratch directory, removed when dropped unless kept for `-save-temps`.
pub struct Scratch {
    /// Its path.
    pub path: PathBuf,
    keep: bool,
}

impl Scratch {
    /// Creates a fresh scratch directory under the system temp directory.
    pub fn create(keep: bool) -> Result<Scratch> {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("hetcc-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&path).with_context(|| format!("cannot create {}", path.display()))?;
        if keep {
            eprintln!("hetcc: keeping intermediate files in {}", path.display());
        }
        Ok(Scratch { path, keep })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
