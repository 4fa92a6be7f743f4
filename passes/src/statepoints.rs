//! Turning the chosen calls into statepoints with LLVM's own
//! `rewrite-statepoints-for-gc` (RS4GC), run through `LLVMRunPasses`.
//!
//! RS4GC rewrites every call of a function that has a statepoint gc strategy, unless
//! the call is a "gc leaf". So, in each function holding equivalence points:
//! - the function gets `gc "statepoint-example"`;
//! - each equivalence-point call gets `"statepoint-id"="<id>"`, and `nobuiltin` when
//!   it calls a declaration (RS4GC treats calls it recognises as library functions,
//!   `qsort` among them, as leaves);
//! - every other call gets `"gc-leaf-function"`, so it stays an ordinary call.

use crate::ir;
use het_format::Isa;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::error::{LLVMDisposeErrorMessage, LLVMGetErrorMessage};
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::transforms::pass_builder::{
    LLVMCreatePassBuilderOptions, LLVMDisposePassBuilderOptions, LLVMRunPasses,
};
use inkwell::llvm_sys::{LLVMAttributeFunctionIndex, LLVMInlineAsmDialect};
use std::ffi::CStr;

/// The gc strategy whose statepoints LLVM lowers with stack maps.
pub const GC_STRATEGY: &CStr = c"statepoint-example";

/// Prepares `function` for RS4GC: `points` are its equivalence-point calls with their
/// IDs; every other call of the function becomes a gc leaf.
pub fn mark(function: LLVMValueRef, points: &[(LLVMValueRef, u64)]) {
    // SAFETY: `function` is a live definition; `points` are its calls.
    unsafe { LLVMSetGC(function, GC_STRATEGY.as_ptr()) };
    for inst in ir::instructions(function).into_iter().filter(|&i| ir::is_call(i)) {
        match points.iter().find(|(call, _)| *call == inst) {
            Some(&(call, id)) => {
                ir::set_call_attribute(call, "statepoint-id", &id.to_string());
                // `allocsize(n, m)` names argument positions, which RS4GC would keep on
                // the statepoint, whose arguments are others (gnulib's xreallocarray).
                remove_call_enum_attribute(call, "allocsize");
                if ir::direct_callee(call).is_some_and(ir::is_declaration) {
                    add_call_enum_attribute(call, "nobuiltin");
                }
            }
            None => ir::set_call_attribute(inst, "gc-leaf-function", ""),
        }
    }
}

/// Promotes the slots [`crate::gc_values`] left (`mem2reg`: the program was optimised
/// already, so the only promotable allocas are those slots), then runs RS4GC on the
/// whole module.
pub fn rewrite(module: LLVMModuleRef) -> Result<(), String> {
    // SAFETY: `module` is live; a null target machine is allowed for IR-only passes;
    // the options and the error message are disposed of once.
    unsafe {
        let options = LLVMCreatePassBuilderOptions();
        let error = LLVMRunPasses(
            module,
            c"function(mem2reg),rewrite-statepoints-for-gc".as_ptr(),
            std::ptr::null_mut(),
            options,
        );
        LLVMDisposePassBuilderOptions(options);
        if error.is_null() {
            remove_unused_declaration(module, c"__tmp_use");
            return Ok(());
        }
        let message = LLVMGetErrorMessage(error);
        let text = CStr::from_ptr(message).to_string_lossy().into_owned();
        LLVMDisposeErrorMessage(message);
        Err(text)
    }
}

/// RS4GC leaves behind a declaration of a helper it uses internally.
///
/// # Safety
/// `module` is live.
unsafe fn remove_unused_declaration(module: LLVMModuleRef, name: &CStr) {
    let function = LLVMGetNamedFunction(module, name.as_ptr());
    if !function.is_null() && ir::is_declaration(function) && ir::users(function).is_empty() {
        LLVMDeleteFunction(function);
    }
}

fn add_call_enum_attribute(call: LLVMValueRef, name: &str) {
    // SAFETY: `call` is a live call; `name` is a known enum attribute.
    unsafe {
        let ctx = LLVMGetTypeContext(LLVMTypeOf(call));
        let kind = LLVMGetEnumAttributeKindForName(name.as_ptr() as *const _, name.len());
        LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(ctx, kind, 0));
    }
}

fn remove_call_enum_attribute(call: LLVMValueRef, name: &str) {
    // SAFETY: `call` is a live call; `name` is a known attribute kind.
    unsafe {
        let kind = LLVMGetEnumAttributeKindForName(name.as_ptr() as *const _, name.len());
        LLVMRemoveCallSiteEnumAttribute(call, LLVMAttributeFunctionIndex, kind);
    }
}

/// Whether a call has a function attribute (on the call site or the callee).
pub fn has_function_attribute(call: LLVMValueRef, name: &str) -> bool {
    // SAFETY: `call` is a live call; the callee, if direct, is a live function.
    unsafe {
        let kind = LLVMGetEnumAttributeKindForName(name.as_ptr() as *const _, name.len());
        if !LLVMGetCallSiteEnumAttribute(call, LLVMAttributeFunctionIndex, kind).is_null() {
            return true;
        }
        ir::direct_callee(call)
            .is_some_and(|f| !LLVMGetEnumAttributeAtIndex(f, LLVMAttributeFunctionIndex, kind).is_null())
    }
}

/// Whether a call is `musttail` (its frame is gone by the time the callee runs).
pub fn is_musttail(call: LLVMValueRef) -> bool {
    // SAFETY: `call` is a live call or invoke; only calls have a tail-call kind.
    unsafe {
        !LLVMIsACallInst(call).is_null()
            && LLVMGetTailCallKind(call) == inkwell::llvm_sys::LLVMTailCallKind::LLVMTailCallKindMustTail
    }
}

/// Ends the block right after each statepoint (and its `gc.relocate`/`gc.result`
/// calls), so the code that resumes there starts a block of its own.
///
/// Why: SelectionDAG builds one block at a time and shares a constant's or a global's
/// address between its uses in that block. A use before the call and one after it then
/// share one value kept across the call in a callee-saved register, which no stack map
/// records, and a frame rebuilt on another ISA resumes with garbage in it (measured:
/// a `printf` format string in x19 on aarch64 / s1 on riscv64 across a call that
/// migrated). In a block of its own the resumed code materialises its constants again.
/// This only holds while nothing merges the blocks or reuses values across them again;
/// the driver turns off CodeGenPrepare's block merging, MachineCSE and MachineLICM for
/// migratable builds (`codegen::keep_values_off_unrecorded_registers`).
pub fn isolate_resume_points(module: LLVMModuleRef) {
    let mut resumes = Vec::new();
    for function in ir::functions(module) {
        if ir::is_declaration(function) {
            continue;
        }
        // Collected before any split: a split rebuilds the phis of the moved
        // terminator's successors, so a list of all instructions would hold freed ones.
        let statepoints: Vec<LLVMValueRef> = ir::instructions(function)
            .into_iter()
            .filter(|&inst| is_statepoint(inst))
            .collect();
        for inst in statepoints {
            let resume = after_results(inst);
            // SAFETY: `inst` is a live instruction of a defined function; the split
            // point is a non-phi instruction after it in the same block.
            unsafe {
                if resume.is_null() || !LLVMIsATerminatorInst(resume).is_null() {
                    continue;
                }
                let block = LLVMGetInstructionParent(inst);
                let ctx = LLVMGetModuleContext(module);
                let rest = crate::migration_points::split_before(ctx, block, resume);
                let builder = LLVMCreateBuilderInContext(ctx);
                LLVMPositionBuilderAtEnd(builder, block);
                LLVMBuildBr(builder, rest);
                LLVMDisposeBuilder(builder);
                resumes.push(LLVMBlockAddress(function, rest));
            }
        }
    }
    keep_blocks_apart(module, &mut resumes);
}

/// Takes the address of every resume block, in one unused constant kept by
/// `llvm.compiler.used`. LLVM never merges a block whose address is taken into its
/// predecessor, and CodeGenPrepare would otherwise merge the straight-line blocks
/// `isolate_resume_points` made (whatever `-disable-cgp-branch-opts` says: measured on
/// x86-64, an `8.0` stored before and after a call shared one `movabs` in r13).
fn keep_blocks_apart(module: LLVMModuleRef, resumes: &mut [LLVMValueRef]) {
    if resumes.is_empty() {
        return;
    }
    // SAFETY: `module` is live; the block addresses belong to its functions.
    unsafe {
        let ctx = LLVMGetModuleContext(module);
        let ptr = LLVMPointerTypeInContext(ctx, 0);
        let array = LLVMConstArray2(ptr, resumes.as_mut_ptr(), resumes.len() as u64);
        let global = LLVMAddGlobal(module, LLVMTypeOf(array), c"__het_resume_blocks".as_ptr());
        LLVMSetInitializer(global, array);
        LLVMSetGlobalConstant(global, 1);
        LLVMSetLinkage(global, inkwell::llvm_sys::LLVMLinkage::LLVMInternalLinkage);
        let mut used = vec![global];
        let existing = LLVMGetNamedGlobal(module, c"llvm.compiler.used".as_ptr());
        if !existing.is_null() {
            let old = LLVMGetInitializer(existing);
            if !old.is_null() {
                for i in 0..ir::operand_count(old) {
                    used.push(ir::operand(old, i));
                }
            }
            LLVMDeleteGlobal(existing);
        }
        let used_array = LLVMConstArray2(ptr, used.as_mut_ptr(), used.len() as u64);
        let keeper = LLVMAddGlobal(module, LLVMTypeOf(used_array), c"llvm.compiler.used".as_ptr());
        LLVMSetInitializer(keeper, used_array);
        LLVMSetLinkage(keeper, inkwell::llvm_sys::LLVMLinkage::LLVMAppendingLinkage);
        LLVMSetSection(keeper, c"llvm.metadata".as_ptr());
    }
}

/// Whether `inst` is a statepoint (an equivalence point, once RS4GC has run).
pub(crate) fn is_statepoint(inst: LLVMValueRef) -> bool {
    is_intrinsic_call(inst, "llvm.experimental.gc.statepoint")
}

/// The first instruction after a statepoint's `gc.relocate`/`gc.result` calls (null at
/// the end of an unterminated block): where the code that resumes after it starts.
fn after_results(statepoint: LLVMValueRef) -> LLVMValueRef {
    // SAFETY: `statepoint` is a live instruction; so is each one after it.
    unsafe {
        let mut next = LLVMGetNextInstruction(statepoint);
        while !next.is_null()
            && (is_intrinsic_call(next, "llvm.experimental.gc.relocate")
                || is_intrinsic_call(next, "llvm.experimental.gc.result"))
        {
            next = LLVMGetNextInstruction(next);
        }
        next
    }
}

/// In one ISA's module: right after every statepoint, an empty inline asm that
/// clobbers the ISA's callee-saved registers other than the frame pointer.
///
/// Why: a frame rebuilt on another ISA holds in its callee-saved registers the frame
/// pointer and the live values its stack map records, nothing else. The backends can
/// still leave a value of their own in such a register across the call and read it
/// after: the post-RA clean-up (`machine-latecleanup`, which has no switch) deletes a
/// re-materialisation after the call when the same register got the same value before
/// it (measured on the corpus `setjmp_longjmp.c`: `x19` on aarch64 and `s1` on riscv64
/// held `&__het_unsafe_sp` across the `__het_setjmp` call). The codegen options
/// (`keep_values_off_unrecorded_registers` in the driver) and the split blocks
/// ([`isolate_resume_points`]) stop the passes known to do this; the clobber stops any
/// pass, since no register value made before it can be read after it.
///
/// Before the `gc.relocate`/`gc.result` calls, not after them: nothing then comes
/// between the call and the asm but the copy of the result out of its (caller-saved)
/// return register, and the relocated values, which SelectionDAG loads from the
/// statepoint's slots, start after the asm and may go straight into callee-saved
/// registers. After them, every relocated value was live across the asm, so the
/// register allocator could keep none of them in a callee-saved register there; it
/// spilled loop values instead (measured on x86-64, Phoenix `string_match`: reloads
/// in the innermost loop, +6.6% instructions, where this placement costs none).
///
/// The cost that remains is in the prologue and epilogue of every function holding a
/// statepoint, which now save and restore all those registers (measured: nothing on
/// the NPB and Phoenix workloads; +33% instructions on x86-64 for the corpus
/// `recursion.c`, whose small functions call themselves).
pub fn forget_callee_saved_registers(module: LLVMModuleRef, isa: Isa) {
    let statepoints: Vec<LLVMValueRef> = ir::functions(module)
        .into_iter()
        .filter(|&f| !ir::is_declaration(f))
        .flat_map(ir::instructions)
        .filter(|&i| is_statepoint(i))
        .collect();
    if statepoints.is_empty() {
        return;
    }
    let clobbers = callee_saved_clobbers(isa);
    // SAFETY: `module` is live; each statepoint is a live call in a terminated block, so
    // an instruction follows it; the builder is disposed of once.
    unsafe {
        let ctx = LLVMGetModuleContext(module);
        let ty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), std::ptr::null_mut(), 0, 0);
        let asm = LLVMGetInlineAsm(
            ty,
            c"".as_ptr(),
            0,
            clobbers.as_ptr() as *const _,
            clobbers.len(),
            1,
            0,
            LLVMInlineAsmDialect::LLVMInlineAsmDialectATT,
            0,
        );
        let b = LLVMCreateBuilderInContext(ctx);
        for statepoint in statepoints {
            LLVMPositionBuilderBefore(b, LLVMGetNextInstruction(statepoint));
            LLVMBuildCall2(b, ty, asm, std::ptr::null_mut(), 0, c"".as_ptr());
        }
        LLVMDisposeBuilder(b);
    }
}

/// The ISA's callee-saved registers but the frame pointer, which every migratable
/// function keeps and every rebuilt frame restores, as inline-asm clobbers
/// (`~{rbx},~{r12},…`). The link register is not callee-saved.
fn callee_saved_clobbers(isa: Isa) -> String {
    let registers = isa.registers();
    registers
        .callee_saved
        .iter()
        .filter(|saved| saved.register != registers.frame_pointer)
        .map(|saved| format!("~{{{}}}", saved.name))
        .collect::<Vec<_>>()
        .join(",")
}

fn is_intrinsic_call(inst: LLVMValueRef, prefix: &str) -> bool {
    ir::is_call(inst) && ir::direct_callee(inst).is_some_and(|callee| ir::name(callee).starts_with(prefix))
}
