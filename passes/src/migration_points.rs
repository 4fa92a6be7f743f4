//! Migration points: where a running program checks whether a migration was requested.
//!
//! A check is a relaxed atomic load of the runtime's `__het_migration_request` flag and
//! a branch weighted as almost never taken to a block that calls the slow path
//! `__het_migration_point()`:
//!
//! ```text
//!   latch:  phis                         latch:       phis
//!           ...                   ==>                 %r = load atomic i32 @flag monotonic
//!           br %c, %header, %exit                     br (%r != 0), %het.migrate, %latch.cont
//!                                        het.migrate: call @__het_migration_point()
//!                                                     br %latch.cont
//!                                        latch.cont:  ...
//!                                                     br %c, %header, %exit
//! ```
//!
//! Checks go at the start of every loop latch (the source of each back edge of a
//! depth-first search, which covers irreducible cycles too) and at the entry of every
//! recursive function, so the time between two checks is bounded by the work of one
//! loop iteration or one non-recursive call chain. The slow-path call is itself an
//! equivalence point (see [`crate::equivalence`]).
//!
//! The slow path is only declared here; `runtime-lib` (`libhet_rt.a`, linked into
//! every binary) defines it.

use crate::callgraph::{CallGraph, MIGRATION_POINT_FN, MIGRATION_REQUEST_FLAG};
use crate::cfg::{self, Cfg};
use crate::ir;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::{LLVMAtomicOrdering, LLVMIntPredicate, LLVMVisibility};
use std::ffi::CString;

/// Where a migration point was placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MigrationPointKind {
    /// At the end of a loop latch (the source of a back edge).
    LoopLatch,
    /// At the entry of a function that is part of a call-graph cycle.
    RecursiveEntry,
}

/// One inserted check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationPoint {
    /// The function holding the check.
    pub function: String,
    /// Why it is there.
    pub kind: MigrationPointKind,
}

/// Branch weights of the check: taken about once in a million (the slow path is cold,
/// so every backend lays it out of the hot path).
const SLOW_PATH_WEIGHTS: (u64, u64) = (1, (1 << 20) - 1);

/// The IR pieces every check uses.
struct PollParts {
    ctx: LLVMContextRef,
    flag: LLVMValueRef,
    slow_path: LLVMValueRef,
    slow_path_ty: LLVMTypeRef,
    weights: LLVMValueRef,
}

/// Inserts the checks into every function of `module` that `graph` describes.
pub fn insert(module: LLVMModuleRef, graph: &CallGraph) -> Vec<MigrationPoint> {
    let parts = PollParts::declare(module);
    let recursive = graph.recursive_functions();
    let mut placed = Vec::new();
    for (n, &function) in graph.functions.iter().enumerate() {
        let name = ir::name(function);
        let cfg = Cfg::of(function);
        for latch in cfg.latches() {
            let block = cfg.blocks[latch];
            parts.poll_before(block, first_non_phi(block));
            placed.push(MigrationPoint {
                function: name.clone(),
                kind: MigrationPointKind::LoopLatch,
            });
        }
        if recursive.binary_search(&n).is_ok() {
            // SAFETY: `function` is a live definition, so it has an entry block.
            let entry = unsafe { LLVMGetEntryBasicBlock(function) };
            parts.poll_before(entry, first_non_alloca(entry));
            placed.push(MigrationPoint {
                function: name,
                kind: MigrationPointKind::RecursiveEntry,
            });
        }
    }
    placed
}

/// The check goes at the start of a latch, not before its terminator: then nothing
/// the latch computes is live across the slow path, and the loop's compare stays next
/// to its branch (with the check before the terminator, x86-64 kept the loop condition
/// in a register across the check: `sete`, then `test` after it).
fn first_non_phi(block: LLVMBasicBlockRef) -> LLVMValueRef {
    // SAFETY: iteration over a live block that ends in a terminator (never a phi).
    unsafe {
        let mut inst = LLVMGetFirstInstruction(block);
        while !LLVMIsAPHINode(inst).is_null() {
            inst = LLVMGetNextInstruction(inst);
        }
        inst
    }
}

/// Static allocas stay in the entry block ahead of the check, so they stay static.
fn first_non_alloca(block: LLVMBasicBlockRef) -> LLVMValueRef {
    // SAFETY: iteration over a live block that ends in a terminator (never an alloca).
    unsafe {
        let mut inst = LLVMGetFirstInstruction(block);
        while !LLVMIsAAllocaInst(inst).is_null() {
            inst = LLVMGetNextInstruction(inst);
        }
        inst
    }
}

impl PollParts {
    /// Declares the flag and the slow path, reusing what the module already has.
    fn declare(module: LLVMModuleRef) -> PollParts {
        // SAFETY: `module` is live; names are NUL-terminated; created values belong to it.
        unsafe {
            let ctx = LLVMGetModuleContext(module);
            let i32_ty = LLVMInt32TypeInContext(ctx);
            let flag_name = CString::new(MIGRATION_REQUEST_FLAG).expect("no NUL");
            let mut flag = LLVMGetNamedGlobal(module, flag_name.as_ptr());
            if flag.is_null() {
                flag = LLVMAddGlobal(module, i32_ty, flag_name.as_ptr());
                LLVMSetAlignment(flag, 4);
            }
            // Hidden makes it dso_local (the C API cannot set that directly): without,
            // x86-64 reads the flag's address from a GOT slot, which --no-relax keeps,
            // one more load per check (measured).
            LLVMSetVisibility(flag, LLVMVisibility::LLVMHiddenVisibility);
            let slow_path_ty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), std::ptr::null_mut(), 0, 0);
            let fn_name = CString::new(MIGRATION_POINT_FN).expect("no NUL");
            let mut slow_path = LLVMGetNamedFunction(module, fn_name.as_ptr());
            if slow_path.is_null() {
                slow_path = LLVMAddFunction(module, fn_name.as_ptr(), slow_path_ty);
                mark_slow_path(ctx, slow_path);
            }
            LLVMSetVisibility(slow_path, LLVMVisibility::LLVMHiddenVisibility);
            let weights = [
                LLVMValueAsMetadata(LLVMConstInt(i32_ty, SLOW_PATH_WEIGHTS.0, 0)),
                LLVMValueAsMetadata(LLVMConstInt(i32_ty, SLOW_PATH_WEIGHTS.1, 0)),
            ];
            let tag = LLVMMDStringInContext2(ctx, c"branch_weights".as_ptr(), "branch_weights".len());
            let mut node = vec![tag];
            node.extend_from_slice(&weights);
            let weights = LLVMMetadataAsValue(ctx, LLVMMDNodeInContext2(ctx, node.as_mut_ptr(), node.len()));
            PollParts {
                ctx,
                flag,
                slow_path,
                slow_path_ty,
                weights,
            }
        }
    }

    /// Splits `block` before `at` and puts a check between the two halves.
    fn poll_before(&self, block: LLVMBasicBlockRef, at: LLVMValueRef) {
        // SAFETY: `block` is live and `at` is one of its instructions; the split keeps
        // every phi consistent (see `split_before`), and the new blocks end in branches.
        unsafe {
            let function = LLVMGetBasicBlockParent(block);
            let cont = split_before(self.ctx, block, at);
            let slow = LLVMAppendBasicBlockInContext(self.ctx, function, c"het.migrate".as_ptr());
            let b = LLVMCreateBuilderInContext(self.ctx);
            LLVMPositionBuilderAtEnd(b, block);
            let i32_ty = LLVMInt32TypeInContext(self.ctx);
            let request = LLVMBuildLoad2(b, i32_ty, self.flag, c"het.request".as_ptr());
            LLVMSetOrdering(request, LLVMAtomicOrdering::LLVMAtomicOrderingMonotonic);
            LLVMSetAlignment(request, 4);
            let zero = LLVMConstInt(i32_ty, 0, 0);
            let requested = LLVMBuildICmp(b, LLVMIntPredicate::LLVMIntNE, request, zero, c"het.requested".as_ptr());
            let branch = LLVMBuildCondBr(b, requested, slow, cont);
            LLVMSetMetadata(
                branch,
                LLVMGetMDKindIDInContext(self.ctx, c"prof".as_ptr(), 4),
                self.weights,
            );
            LLVMPositionBuilderAtEnd(b, slow);
            LLVMBuildCall2(
                b,
                self.slow_path_ty,
                self.slow_path,
                std::ptr::null_mut(),
                0,
                c"".as_ptr(),
            );
            LLVMBuildBr(b, cont);
            LLVMDisposeBuilder(b);
        }
    }
}

/// `declare void @__het_migration_point() cold nounwind`: cold keeps the optimiser's
/// layout of the fast path; the runtime never unwinds through it.
///
/// # Safety
/// `function` is a live, bodiless `void()` function of a module in `ctx`.
unsafe fn mark_slow_path(ctx: LLVMContextRef, function: LLVMValueRef) {
    for attr in ["cold", "nounwind"] {
        let kind = LLVMGetEnumAttributeKindForName(attr.as_ptr() as *const _, attr.len());
        LLVMAddAttributeAtIndex(
            function,
            inkwell::llvm_sys::LLVMAttributeFunctionIndex,
            LLVMCreateEnumAttribute(ctx, kind, 0),
        );
    }
}

/// Moves `at` and every instruction after it (the terminator included) into a new
/// block placed right after `block`, and makes the phis of the moved terminator's
/// successors name the new block as their predecessor. `block` is left without a
/// terminator. Returns the new block.
///
/// # Safety
/// `at` is a non-phi instruction of the live block `block`.
pub unsafe fn split_before(ctx: LLVMContextRef, block: LLVMBasicBlockRef, at: LLVMValueRef) -> LLVMBasicBlockRef {
    let function = LLVMGetBasicBlockParent(block);
    let next = LLVMGetNextBasicBlock(block);
    let name = CString::new(format!("{}.cont", block_name(block))).unwrap_or_default();
    let new = if next.is_null() {
        LLVMAppendBasicBlockInContext(ctx, function, name.as_ptr())
    } else {
        LLVMInsertBasicBlockInContext(ctx, next, name.as_ptr())
    };
    let mut successors = cfg::successors(block);
    successors.dedup();
    let b = LLVMCreateBuilderInContext(ctx);
    LLVMPositionBuilderAtEnd(b, new);
    let mut inst = at;
    while !inst.is_null() {
        let following = LLVMGetNextInstruction(inst);
        let inst_name = CString::new(ir::name(inst)).unwrap_or_default();
        LLVMInstructionRemoveFromParent(inst);
        LLVMInsertIntoBuilderWithName(b, inst, inst_name.as_ptr());
        inst = following;
    }
    LLVMDisposeBuilder(b);
    let mut seen = Vec::new();
    for succ in successors {
        if !seen.contains(&succ) {
            seen.push(succ);
            retarget_phis(ctx, succ, block, new);
        }
    }
    new
}

fn block_name(block: LLVMBasicBlockRef) -> String {
    // SAFETY: `block` is live; its name is copied at once.
    unsafe {
        let ptr = LLVMGetBasicBlockName(block);
        if ptr.is_null() {
            return String::new();
        }
        std::ffi::CStr::from_ptr(ptr).to_string_lossy().into_owned()
    }
}

/// Replaces every phi of `block` that has `old` as an incoming block by a phi with
/// `new` in its place. (The C API cannot set an incoming block, so each such phi is
/// rebuilt, and the old one erased after its uses moved to the new one.)
///
/// # Safety
/// All three blocks are live and belong to one function.
unsafe fn retarget_phis(ctx: LLVMContextRef, block: LLVMBasicBlockRef, old: LLVMBasicBlockRef, new: LLVMBasicBlockRef) {
    let mut phis = Vec::new();
    let mut inst = LLVMGetFirstInstruction(block);
    while !inst.is_null() && !LLVMIsAPHINode(inst).is_null() {
        phis.push(inst);
        inst = LLVMGetNextInstruction(inst);
    }
    let b = LLVMCreateBuilderInContext(ctx);
    for phi in phis {
        let n = LLVMCountIncoming(phi);
        let mut values: Vec<LLVMValueRef> = (0..n).map(|i| LLVMGetIncomingValue(phi, i)).collect();
        let mut blocks: Vec<LLVMBasicBlockRef> = (0..n).map(|i| LLVMGetIncomingBlock(phi, i)).collect();
        if !blocks.contains(&old) {
            continue;
        }
        blocks.iter_mut().filter(|b| **b == old).for_each(|b| *b = new);
        LLVMPositionBuilderBefore(b, phi);
        let name = CString::new(ir::name(phi)).unwrap_or_default();
        let replacement = LLVMBuildPhi(b, LLVMTypeOf(phi), c"".as_ptr());
        LLVMAddIncoming(replacement, values.as_mut_ptr(), blocks.as_mut_ptr(), n);
        LLVMReplaceAllUsesWith(phi, replacement);
        LLVMInstructionEraseFromParent(phi);
        LLVMSetValueName2(replacement, name.as_ptr(), name.as_bytes().len());
    }
    LLVMDisposeBuilder(b);
}
