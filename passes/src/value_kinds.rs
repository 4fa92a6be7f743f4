//! The `"deopt"` bundle of each statepoint: constants describing its gc values, for the
//! runtime. Constants cost nothing at run time; the stack map records them as
//! `Constant` locations ahead of the gc locations.
//!
//! Layout of the bundle (all `i32`):
//!
//! ```text
//! [ DESCRIPTOR_FORMAT, descriptor of gc pair 0, descriptor of gc pair 1, ... ]
//! descriptor = kind | bits << 8      kind: 0 integer, 1 floating point, 2 pointer
//! ```
//!
//! Descriptor `i` describes the `i`-th (base, derived) location pair of the record.
//! The backends emit the pairs in the use-list order of the statepoint token's
//! `gc.relocate` users, which for a module read from bitcode (as every ISA's clone
//! is) is the reverse of their textual order; so descriptors are listed in reverse
//! textual order of the relocates. `bits` is the width of the original part (a
//! pointer, an integer up to 64 bits, a 64-bit piece of a wider integer, or a float's
//! bits); every location itself is 8 bytes, zero-extended.

use crate::gc_values::PartKind;
use crate::ir;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::debuginfo::{LLVMInstructionGetDebugLoc, LLVMInstructionSetDebugLoc};
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::{LLVMOpcode, LLVMTypeKind};
use std::collections::HashSet;

/// Version of the descriptor layout, the first constant of every bundle.
pub const DESCRIPTOR_FORMAT: u64 = 1;

/// Adds the descriptor bundle to every statepoint of the module.
pub fn describe(module: LLVMModuleRef) -> Result<(), String> {
    for function in ir::functions(module) {
        for inst in ir::instructions(function) {
            if is_call_to(inst, "llvm.experimental.gc.statepoint") {
                // SAFETY: `inst` is a live statepoint; it is replaced and erased once.
                unsafe { add_descriptors(inst)? };
            }
        }
    }
    Ok(())
}

fn is_call_to(inst: LLVMValueRef, prefix: &str) -> bool {
    ir::is_call(inst) && ir::direct_callee(inst).is_some_and(|f| ir::name(f).starts_with(prefix))
}

/// # Safety
/// `statepoint` is a live `gc.statepoint` call.
unsafe fn add_descriptors(statepoint: LLVMValueRef) -> Result<(), String> {
    let gc_live = bundle_operands(statepoint, "gc-live");
    let mut relocates = Vec::new();
    let mut inst = LLVMGetNextInstruction(statepoint);
    while !inst.is_null() {
        if is_call_to(inst, "llvm.experimental.gc.relocate") && ir::operand(inst, 0) == statepoint {
            relocates.push(inst);
        }
        inst = LLVMGetNextInstruction(inst);
    }
    let ctx = LLVMGetTypeContext(LLVMTypeOf(statepoint));
    let i32_ty = LLVMInt32TypeInContext(ctx);
    let mut deopt = vec![LLVMConstInt(i32_ty, DESCRIPTOR_FORMAT, 0)];
    for relocate in relocates.iter().rev() {
        let derived = LLVMConstIntGetZExtValue(ir::operand(*relocate, 2)) as usize;
        let value = *gc_live
            .get(derived)
            .ok_or("gc.relocate index outside the gc-live bundle")?;
        let (kind, bits) = origin(value, &mut HashSet::new()).ok_or("a gc value hetcc did not wrap")?;
        deopt.push(LLVMConstInt(i32_ty, kind as u64 | (bits as u64) << 8, 0));
    }
    replace_with_bundle(statepoint, "deopt", &mut deopt);
    Ok(())
}

/// The kind and width of the part a gc value was wrapped from, looking through the
/// relocations and phis RS4GC made of it.
///
/// # Safety
/// `value` is a live gc value.
unsafe fn origin(value: LLVMValueRef, seen: &mut HashSet<LLVMValueRef>) -> Option<(u32, u32)> {
    if !seen.insert(value) {
        return None;
    }
    if !LLVMIsAPHINode(value).is_null() {
        return (0..LLVMCountIncoming(value)).find_map(|i| origin(LLVMGetIncomingValue(value, i), seen));
    }
    if is_call_to(value, "llvm.experimental.gc.relocate") {
        let statepoint = ir::operand(value, 0);
        let derived = LLVMConstIntGetZExtValue(ir::operand(value, 2)) as usize;
        return origin(*bundle_operands(statepoint, "gc-live").get(derived)?, seen);
    }
    if LLVMIsAIntToPtrInst(value).is_null() {
        return None;
    }
    let int = ir::operand(value, 0);
    let bits = LLVMGetIntTypeWidth(LLVMTypeOf(int));
    let kind = if !LLVMIsAPtrToIntInst(int).is_null() {
        PartKind::Pointer
    } else if !LLVMIsABitCastInst(int).is_null() && is_float(LLVMTypeOf(ir::operand(int, 0))) {
        PartKind::Float
    } else {
        PartKind::Integer
    };
    Some((kind_code(kind), bits))
}

fn kind_code(kind: PartKind) -> u32 {
    match kind {
        PartKind::Integer => 0,
        PartKind::Float => 1,
        PartKind::Pointer => 2,
    }
}

/// # Safety
/// `ty` is live.
unsafe fn is_float(ty: LLVMTypeRef) -> bool {
    use LLVMTypeKind::*;
    matches!(
        LLVMGetTypeKind(ty),
        LLVMHalfTypeKind | LLVMBFloatTypeKind | LLVMFloatTypeKind | LLVMDoubleTypeKind
    )
}

/// The operands of a call's bundle with tag `tag` (empty if it has none).
///
/// # Safety
/// `call` is a live call.
unsafe fn bundle_operands(call: LLVMValueRef, tag: &str) -> Vec<LLVMValueRef> {
    for i in 0..LLVMGetNumOperandBundles(call) {
        let bundle = LLVMGetOperandBundleAtIndex(call, i);
        let mut len = 0usize;
        let name = LLVMGetOperandBundleTag(bundle, &mut len);
        let matches = std::slice::from_raw_parts(name as *const u8, len) == tag.as_bytes();
        let operands = (0..LLVMGetNumOperandBundleArgs(bundle))
            .map(|k| LLVMGetOperandBundleArgAtIndex(bundle, k))
            .collect();
        LLVMDisposeOperandBundle(bundle);
        if matches {
            return operands;
        }
    }
    Vec::new()
}

/// Rebuilds `call` with an extra bundle (the C API cannot add one in place): same
/// callee, arguments, other bundles, attributes, calling convention and location;
/// its users move to the new call.
///
/// # Safety
/// `call` is a live call instruction without a `tag` bundle.
unsafe fn replace_with_bundle(call: LLVMValueRef, tag: &str, operands: &mut [LLVMValueRef]) {
    let ctx = LLVMGetTypeContext(LLVMTypeOf(call));
    let mut bundles: Vec<LLVMOperandBundleRef> = (0..LLVMGetNumOperandBundles(call))
        .map(|i| LLVMGetOperandBundleAtIndex(call, i))
        .collect();
    bundles.push(LLVMCreateOperandBundle(
        tag.as_ptr() as *const _,
        tag.len(),
        operands.as_mut_ptr(),
        operands.len() as u32,
    ));
    let arg_count = ir::call_arg_count(call);
    let mut args: Vec<LLVMValueRef> = (0..arg_count).map(|i| ir::operand(call, i)).collect();
    let b = LLVMCreateBuilderInContext(ctx);
    LLVMPositionBuilderBefore(b, call);
    let name = std::ffi::CString::new(ir::name(call)).unwrap_or_default();
    let new = LLVMBuildCallWithOperandBundles(
        b,
        LLVMGetCalledFunctionType(call),
        LLVMGetCalledValue(call),
        args.as_mut_ptr(),
        arg_count,
        bundles.as_mut_ptr(),
        bundles.len() as u32,
        name.as_ptr(),
    );
    LLVMDisposeBuilder(b);
    for bundle in bundles {
        LLVMDisposeOperandBundle(bundle);
    }
    LLVMSetInstructionCallConv(new, LLVMGetInstructionCallConv(call));
    LLVMInstructionSetDebugLoc(new, LLVMInstructionGetDebugLoc(call));
    ir::copy_call_site_attributes(call, new, arg_count);
    debug_assert_eq!(LLVMGetInstructionOpcode(new), LLVMOpcode::LLVMCall);
    LLVMReplaceAllUsesWith(call, new);
    LLVMInstructionEraseFromParent(call);
}
