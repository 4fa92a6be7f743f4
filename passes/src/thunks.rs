//! Non-variadic thunks for the variadic calls that must be equivalence points.
//!
//! LLVM cannot make a statepoint of a call with a variadic function type: the verifier
//! rejects a non-void one ("gc.statepoint doesn't support wrapping non-void vararg
//! functions yet"), and statepoint lowering has no notion of a variadic call's
//! convention (x86-64 passes the number of vector registers used in `al`). After the
//! ABI pass, every call through a pointer passes its variadic arguments in slots, so
//! the only variadic calls left call a libc function directly (`snprintf(buf, n, "%p",
//! (void *)f)`). Such a call is a point only when it may call back into the program
//! (it passes a program function, or calls a libc function that takes callbacks). It
//! then calls instead an internal thunk whose parameters are the call's exact argument
//! types and which makes the variadic call itself: the statepoint wraps a fixed-arity
//! call, and each backend lowers the variadic one inside the thunk with its own
//! convention.
//!
//! A migration inside a callback below the thunk finds the thunk's frame between
//! program frames like a libc frame: it has no stack map, so the runtime defers the
//! migration until the thread is back above it (docs/equivalence-points.md).

use crate::ir;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::LLVMLinkage;
use std::collections::HashMap;

/// Thunks made so far, by callee and fixed-arity type, so that calls with the same
/// argument types share one.
#[derive(Default)]
pub struct Thunks {
    made: HashMap<(LLVMValueRef, LLVMTypeRef), LLVMValueRef>,
}

impl Thunks {
    /// Replaces the variadic `call` (a direct call; an indirect one has no variadic
    /// type left after the ABI pass) with a call of a thunk; returns the new call.
    pub fn route(&mut self, module: LLVMModuleRef, call: LLVMValueRef) -> LLVMValueRef {
        let args: Vec<LLVMValueRef> = (0..ir::call_arg_count(call)).map(|i| ir::operand(call, i)).collect();
        // SAFETY: `call` is a live call of `module`; the thunk's type lists the types of
        // its arguments, so the new call passes the same values with a matching type;
        // the old call is erased after its uses moved to the new one.
        unsafe {
            let ctx = LLVMGetModuleContext(module);
            let mut types: Vec<LLVMTypeRef> = args.iter().map(|&a| LLVMTypeOf(a)).collect();
            let ret = LLVMGetReturnType(LLVMGetCalledFunctionType(call));
            let thunk_ty = LLVMFunctionType(ret, types.as_mut_ptr(), types.len() as u32, 0);
            let callee = LLVMGetCalledValue(call);
            let thunk = *self
                .made
                .entry((callee, thunk_ty))
                .or_insert_with(|| make_thunk(module, call, thunk_ty));
            let builder = LLVMCreateBuilderInContext(ctx);
            LLVMPositionBuilderBefore(builder, call);
            let mut args = args;
            let new = LLVMBuildCall2(
                builder,
                thunk_ty,
                thunk,
                args.as_mut_ptr(),
                args.len() as u32,
                c"".as_ptr(),
            );
            LLVMDisposeBuilder(builder);
            ir::copy_call_site_attributes(call, new, args.len() as u32);
            let location = inkwell::llvm_sys::debuginfo::LLVMInstructionGetDebugLoc(call);
            inkwell::llvm_sys::debuginfo::LLVMInstructionSetDebugLoc(new, location);
            LLVMReplaceAllUsesWith(call, new);
            LLVMInstructionEraseFromParent(call);
            new
        }
    }
}

/// `define internal <ret> @__het_vararg.<callee>(<args>) { call <callee>(<args>) }`,
/// with the call's own attributes on its parameters and on the inner call.
///
/// # Safety
/// `call` is a live variadic call of `module`; `thunk_ty` lists its argument types.
unsafe fn make_thunk(module: LLVMModuleRef, call: LLVMValueRef, thunk_ty: LLVMTypeRef) -> LLVMValueRef {
    let ctx = LLVMGetModuleContext(module);
    let callee = LLVMGetCalledValue(call);
    let name = format!("__het_vararg.{}", ir::name(callee));
    let c = std::ffi::CString::new(name).expect("LLVM names contain no NUL");
    let thunk = LLVMAddFunction(module, c.as_ptr(), thunk_ty);
    LLVMSetLinkage(thunk, LLVMLinkage::LLVMInternalLinkage);
    // Like every function of a migratable program: the runtime walks frame pointers.
    ir::set_function_attribute(thunk, "frame-pointer", "all");
    ir::set_function_attribute(thunk, "no-realign-stack", "");
    let noinline = LLVMGetEnumAttributeKindForName(c"noinline".as_ptr(), 8);
    LLVMAddAttributeAtIndex(
        thunk,
        inkwell::llvm_sys::LLVMAttributeFunctionIndex,
        LLVMCreateEnumAttribute(ctx, noinline, 0),
    );
    let n = LLVMCountParams(thunk);
    for index in (1..=n).chain([inkwell::llvm_sys::LLVMAttributeReturnIndex]) {
        let count = LLVMGetCallSiteAttributeCount(call, index);
        let mut attrs = vec![std::ptr::null_mut(); count as usize];
        LLVMGetCallSiteAttributes(call, index, attrs.as_mut_ptr());
        for attr in attrs {
            LLVMAddAttributeAtIndex(thunk, index, attr);
        }
    }
    let entry = LLVMAppendBasicBlockInContext(ctx, thunk, c"entry".as_ptr());
    let builder = LLVMCreateBuilderInContext(ctx);
    LLVMPositionBuilderAtEnd(builder, entry);
    let mut params: Vec<LLVMValueRef> = (0..n).map(|i| LLVMGetParam(thunk, i)).collect();
    let inner = LLVMBuildCall2(
        builder,
        LLVMGetCalledFunctionType(call),
        callee,
        params.as_mut_ptr(),
        n,
        c"".as_ptr(),
    );
    LLVMSetInstructionCallConv(inner, LLVMGetInstructionCallConv(call));
    ir::copy_call_site_attributes(call, inner, n);
    if LLVMGetTypeKind(LLVMGetReturnType(thunk_ty)) == inkwell::llvm_sys::LLVMTypeKind::LLVMVoidTypeKind {
        LLVMBuildRetVoid(builder);
    } else {
        LLVMBuildRet(builder, inner);
    }
    LLVMDisposeBuilder(builder);
    thunk
}
