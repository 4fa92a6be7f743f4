//! One translation unit: the frontend once, the portability check, the optimiser once.

use crate::cli::Invocation;
use crate::codegen;
use crate::frontend::{self, Reported};
use crate::hetobj::ModuleSymbol;
use crate::toolchain::Toolchain;
use anyhow::{anyhow, bail, Result};
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::passes::PassBuilderOptions;
use std::path::Path;

/// A checked translation unit, ready to be written as a hetcc object or linked.
pub struct Unit {
    /// Optimised canonical bitcode. It always keeps line tables, so that link-time
    /// diagnostics can name source lines; the link strips them unless `-g` was given.
    pub bitcode: Vec<u8>,
    /// External definitions and references.
    pub symbols: Vec<ModuleSymbol>,
    /// Compiled with `-g`: the final binaries keep debug information.
    pub debug: bool,
}

/// Compiles `source`; `scratch` is a directory for the intermediate bitcode, `object`
/// the output the user sees (it names dependency files).
pub fn compile(tools: &Toolchain, inv: &Invocation, source: &Path, scratch: &Path, object: &Path) -> Result<Unit> {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "unit".into());
    let bc_path = scratch.join(format!("{stem}.{}.bc", std::process::id()));
    frontend::compile_to_bitcode(tools, inv, source, &bc_path, object)?;
    let context = Context::create();
    let module = Module::parse_bitcode_from_path(&bc_path, &context)
        .map_err(|e| anyhow!("reading clang's output for {}: {e}", source.display()))?;
    let _ = std::fs::remove_file(&bc_path);
    let problems = het_passes::portability::check(&module, &source.to_string_lossy());
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("{problem}");
        }
        eprintln!(
            "{} error{} generated.",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        bail!(Reported);
    }
    het_passes::builtin_setjmp::lower(&module);
    optimise(&module, &inv.opt_level)?;
    Ok(Unit {
        bitcode: module.write_bitcode_to_memory().as_slice().to_vec(),
        symbols: symbols(&module),
        debug: inv.debug,
    })
}

/// Whose cost model the one optimisation uses: x86-64's baseline (SSE2, 128-bit vectors).
/// The IR stays target-neutral either way; what changes is which loops the vectoriser
/// finds worth it. rv64gc has no vector unit, so its cost model vectorised nothing and
/// Phoenix matrix_multiply ran 3× slower than clang on x86-64 (5.28 s vs 1.78 s); with
/// x86-64's it runs 1.76 s. 128-bit vectors map 1:1 to aarch64 NEON; rv64gc scalarises
/// them. Vector arithmetic is lane-wise IEEE and FP reductions are not reassociated
/// without fast-math, so results stay bit-identical on every ISA (corpus, NPB, Phoenix).
const COST_MODEL: het_format::Isa = het_format::Isa::X86_64;

/// The optimiser, once, with [`COST_MODEL`], tuned as clang tunes it for the same `-O`
/// level.
fn optimise(module: &Module<'_>, opt_level: &str) -> Result<()> {
    // The riscv64 frontend attributes would make the x86-64 cost model see a foreign CPU.
    het_passes::retarget::strip_target_attributes(module);
    let tm = codegen::target_machine(COST_MODEL, codegen::backend_level(opt_level))?;
    let options = PassBuilderOptions::create();
    let vectorise = matches!(opt_level, "2" | "3" | "s" | "z");
    options.set_loop_vectorization(vectorise);
    options.set_loop_slp_vectorization(matches!(opt_level, "2" | "3"));
    options.set_loop_interleaving(vectorise);
    options.set_loop_unrolling(opt_level != "0");
    module
        .run_passes(&format!("default<O{opt_level}>"), &tm, options)
        .map_err(|e| anyhow!("LLVM optimisation pipeline failed: {e}"))
}

/// The external symbols a module defines and references (intrinsics excluded).
pub fn symbols(module: &Module<'_>) -> Vec<ModuleSymbol> {
    let external = |linkage: Linkage| !matches!(linkage, Linkage::Internal | Linkage::Private);
    let weak = |linkage: Linkage| {
        matches!(
            linkage,
            Linkage::WeakAny | Linkage::WeakODR | Linkage::ExternalWeak | Linkage::LinkOnceAny | Linkage::LinkOnceODR
        )
    };
    let functions = module
        .get_functions()
        .filter(|f| external(f.get_linkage()))
        .map(|f| ModuleSymbol {
            name: f.get_name().to_string_lossy().into_owned(),
            defined: f.count_basic_blocks() > 0,
            function: true,
            weak: weak(f.get_linkage()),
        });
    let globals = module
        .get_globals()
        .filter(|g| external(g.get_linkage()))
        .map(|g| ModuleSymbol {
            name: g.get_name().to_string_lossy().into_owned(),
            defined: g.get_initializer().is_some(),
            function: false,
            weak: weak(g.get_linkage()),
        });
    functions
        .chain(globals)
        .filter(|s| !s.name.starts_with("llvm."))
        .collect()
}
