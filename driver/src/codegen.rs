//! Per-ISA code generation: each ISA's backend compiles its own clone of the one
//! optimised module. Clones travel as bitcode because an LLVM context is not shared
//! between threads; each rayon task parses its copy into a context of its own.

use anyhow::{anyhow, Context as _, Result};
use het_format::Isa;
use inkwell::context::Context;
use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::Module;
use inkwell::targets::{
    CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetMachine, TargetMachineOptions, TargetTriple,
};
use inkwell::OptimizationLevel;
use std::path::Path;
use std::sync::Once;

/// Registers the three backends with LLVM, once per process.
pub fn initialise_backends() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let config = InitializationConfig::default();
        Target::initialize_x86(&config);
        Target::initialize_aarch64(&config);
        Target::initialize_riscv(&config);
        // GlobalMerge (aarch64, riscv64) packs globals into one section per ISA-specific
        // choice, which would give them ISA-specific addresses.
        let args = [c"hetcc".as_ptr(), c"-enable-global-merge=false".as_ptr()];
        // SAFETY: two valid NUL-terminated strings; LLVM copies what it keeps.
        unsafe { inkwell::llvm_sys::support::LLVMParseCommandLineOptions(2, args.as_ptr(), std::ptr::null()) };
    });
}

/// Stops the backends from creating values that live across an equivalence point
/// without being in its stack map. Once per process, before any migratable codegen.
///
/// Every IR value live across a point is a gc value, so its location is recorded. But
/// machine passes make new values: MachineLICM and MachineCSE hoist constant
/// materialisations, global-address pages (`adrp x19`) and vector splats out of the
/// loop that holds the migration point, and ConstantHoisting does the same in the IR
/// the backend sees. The register allocator then keeps them in callee-saved registers
/// or spills them to slots no stack map describes, and the code after the call reads
/// them: a frame rebuilt on another ISA (or on another stack) would read garbage
/// (measured with the in-process rebuild mode: aarch64 faulted on `x19`, riscv64
/// computed with a lost `0.5`). Without the hoisting each block materialises its own
/// constants, which the register allocator rematerialises instead of spilling. The
/// pass ends a block at every statepoint (`statepoints::isolate_resume_points`, which
/// also takes the resume blocks' addresses so that nothing merges them back); the two
/// block-merging clean-ups in the backends' own IR pipelines are off as well
/// (`-disable-cgp-branch-opts`, `-aarch64-enable-atomic-cfg-tidy=false`).
///
/// `-disable-tail-duplicate`, `-disable-early-taildup`, `-tail-dup-placement=false`: tail
/// duplication copies a small block into each predecessor, and a statepoint in it then
/// has two records with one ID (measured: GNU bc's `bc_exit`, `exit` after the poll's
/// join, x86-64), which the table refuses. Taking the block's address does not stop it.
/// Cost measured with callgrind on x86-64: +0.0…+0.8 % instructions (Phoenix
/// word_count +0.83 %, NPB cg +0.29 %).
///
/// `-no-x86-call-frame-opt`: x86-64 may pass stack arguments with `push` and pop them
/// after the call, so at the return address SP is below the frame's static size by the
/// pushed bytes; the table records the static size, the walk refused ("CFA - SP = 544,
/// table says 512", NPB ft) and a rebuilt frame was off by 32 bytes after the `add rsp`.
pub fn keep_values_off_unrecorded_registers() {
    static ONCE: Once = Once::new();
    initialise_backends();
    ONCE.call_once(|| {
        let args = [
            c"hetcc".as_ptr(),
            c"-disable-machine-licm".as_ptr(),
            c"-disable-postra-machine-licm".as_ptr(),
            c"-disable-machine-cse".as_ptr(),
            c"-disable-constant-hoisting".as_ptr(),
            c"-disable-cgp-branch-opts".as_ptr(),
            c"-aarch64-enable-atomic-cfg-tidy=false".as_ptr(),
            c"-no-x86-call-frame-opt".as_ptr(),
            c"-disable-tail-duplicate".as_ptr(),
            c"-disable-early-taildup".as_ptr(),
            c"-tail-dup-placement=false".as_ptr(),
        ];
        // SAFETY: valid NUL-terminated strings; LLVM copies what it keeps.
        unsafe {
            inkwell::llvm_sys::support::LLVMParseCommandLineOptions(args.len() as i32, args.as_ptr(), std::ptr::null())
        };
    });
}

/// The backend optimisation level for a `-O` level.
pub fn backend_level(opt_level: &str) -> OptimizationLevel {
    match opt_level {
        "0" => OptimizationLevel::None,
        "1" => OptimizationLevel::Less,
        "3" => OptimizationLevel::Aggressive,
        _ => OptimizationLevel::Default,
    }
}

/// A target machine for `isa`: static relocation, the ISA's baseline CPU.
pub fn target_machine(isa: Isa, level: OptimizationLevel) -> Result<TargetMachine> {
    initialise_backends();
    let triple = TargetTriple::create(isa.triple());
    let target = Target::from_triple(&triple).map_err(|e| anyhow!("LLVM has no backend for {isa}: {e}"))?;
    let options = TargetMachineOptions::new()
        .set_cpu(isa.llvm_cpu())
        .set_features(isa.llvm_features())
        .set_abi(isa.llvm_abi())
        .set_level(level)
        .set_reloc_mode(RelocMode::Static)
        .set_code_model(CodeModel::Default);
    target
        .create_target_machine_from_options(&triple, options)
        .ok_or_else(|| anyhow!("LLVM could not create a target machine for {isa}"))
}

/// Parses a private copy of the canonical bitcode and retargets it to `isa`.
pub fn retargeted_clone<'ctx>(
    context: &'ctx Context,
    bitcode: &[u8],
    isa: Isa,
    tm: &TargetMachine,
) -> Result<Module<'ctx>> {
    let buffer = MemoryBuffer::create_from_memory_range_copy(bitcode, "hetcc-program");
    let module = Module::parse_bitcode_from_buffer(&buffer, context)
        .map_err(|e| anyhow!("reading the program's bitcode: {e}"))?;
    het_passes::retarget::retarget(&module, isa, &tm.get_target_data());
    crate::internal::verify(&module, &format!("retargeting for {isa}"))?;
    Ok(module)
}

/// Compiles `bitcode` for `isa` into `output` (an object file, or assembly).
pub fn emit(bitcode: &[u8], isa: Isa, opt_level: &str, file_type: FileType, output: &Path) -> Result<()> {
    let tm = target_machine(isa, backend_level(opt_level))?;
    let context = Context::create();
    let module = retargeted_clone(&context, bitcode, isa, &tm)?;
    tm.write_to_file(&module, file_type, output)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("{isa} code generation into {}", output.display()))
}
