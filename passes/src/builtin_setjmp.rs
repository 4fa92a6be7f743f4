//! `__builtin_setjmp`/`__builtin_longjmp` in terms of the C library's `setjmp` and
//! `longjmp`, per translation unit, before the optimiser.
//!
//! clang has these builtins only on some targets (not on the canonical riscv64), and
//! where it has them it lowers them to `llvm.eh.sjlj.*`, whose buffer holds native
//! frame and stack pointers that no restore could rewrite. The frontend therefore
//! defines them as calls to `__het_builtin_setjmp(void **buf)` and
//! `__het_builtin_longjmp(void **buf, int value)` (`driver/src/frontend.rs`), which
//! this pass replaces:
//!
//! ```text
//! __builtin_setjmp(buf)      ->  shadow = <jmp_buf in the caller's frame>
//!                                buf[0] = shadow; setjmp(shadow)
//! __builtin_longjmp(buf, v)  ->  longjmp(buf[0], 1)
//! ```
//!
//! The user's buffer is only five words, too small for a `jmp_buf`; the shadow lives
//! exactly as long as the builtin requires (the frame of the function that called
//! `__builtin_setjmp`). With `-fhet-migratable` the `setjmp`/`longjmp` calls then go to
//! the runtime like any other ([`crate::setjmp`]), and the shadow moves to the unsafe
//! stack, at one address on every ISA, so `buf[0]` stays valid after a migration.
//! `__builtin_longjmp` always makes `__builtin_setjmp` return 1, as gcc documents.

use crate::ir;
use crate::setjmp::add_enum_attribute;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::debuginfo::{LLVMInstructionGetDebugLoc, LLVMInstructionSetDebugLoc};
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::LLVMAttributeFunctionIndex;
use inkwell::module::Module;

/// What the frontend's `__builtin_setjmp(buf)` calls: `int (void **)`.
pub const BUILTIN_SETJMP: &str = "__het_builtin_setjmp";
/// What the frontend's `__builtin_longjmp(buf, value)` calls: `void (void **, int)`.
pub const BUILTIN_LONGJMP: &str = "__het_builtin_longjmp";

/// Bytes of the canonical `jmp_buf` (riscv64's, the largest of the three ISAs'; see
/// docs/architecture.md).
const JMP_BUF_BYTES: u64 = 344;

/// Replaces every call of [`BUILTIN_SETJMP`] and [`BUILTIN_LONGJMP`] in `module`;
/// returns how many calls were replaced.
pub fn lower(module: &Module<'_>) -> usize {
    let m = module.as_mut_ptr();
    let mut replaced = 0;
    for (name, rewrite) in [
        (BUILTIN_SETJMP, rewrite_setjmp as unsafe fn(LLVMModuleRef, LLVMValueRef)),
        (BUILTIN_LONGJMP, rewrite_longjmp),
    ] {
        let Some(function) = ir::functions(m).into_iter().find(|&f| ir::name(f) == name) else {
            continue;
        };
        for call in ir::users(function).into_iter().filter(|&u| ir::is_call(u)) {
            if ir::direct_callee(call) == Some(function) {
                // SAFETY: `call` is a live direct call of `function`, erased only here.
                unsafe { rewrite(m, call) };
                replaced += 1;
            }
        }
        if ir::users(function).is_empty() {
            // SAFETY: a declaration nothing refers to any more.
            unsafe { LLVMDeleteFunction(function) };
        }
    }
    replaced
}

/// # Safety
/// `call` is a live call of [`BUILTIN_SETJMP`] in a function of `module`.
unsafe fn rewrite_setjmp(module: LLVMModuleRef, call: LLVMValueRef) {
    // SAFETY: as documented; every handle below is live.
    unsafe {
        let ctx = LLVMGetModuleContext(module);
        let builder = LLVMCreateBuilderInContext(ctx);
        let function = LLVMGetBasicBlockParent(LLVMGetInstructionParent(call));
        let entry = LLVMGetEntryBasicBlock(function);
        LLVMPositionBuilderBefore(builder, LLVMGetFirstInstruction(entry));
        let bytes = LLVMArrayType2(LLVMInt8TypeInContext(ctx), JMP_BUF_BYTES);
        let shadow = LLVMBuildAlloca(builder, bytes, c"builtin.jmp_buf".as_ptr());
        LLVMSetAlignment(shadow, 16);
        LLVMPositionBuilderBefore(builder, call);
        LLVMBuildStore(builder, shadow, LLVMGetOperand(call, 0));
        let (setjmp, ty) = libc_function(module, "setjmp", LLVMInt32TypeInContext(ctx), 1);
        let mut args = [shadow];
        let new = LLVMBuildCall2(builder, ty, setjmp, args.as_mut_ptr(), 1, c"".as_ptr());
        add_enum_attribute(new, LLVMAttributeFunctionIndex, "returns_twice");
        replace(call, new);
        LLVMDisposeBuilder(builder);
    }
}

/// # Safety
/// `call` is a live call of [`BUILTIN_LONGJMP`] in a function of `module`.
unsafe fn rewrite_longjmp(module: LLVMModuleRef, call: LLVMValueRef) {
    // SAFETY: as documented; every handle below is live.
    unsafe {
        let ctx = LLVMGetModuleContext(module);
        let builder = LLVMCreateBuilderInContext(ctx);
        LLVMPositionBuilderBefore(builder, call);
        let ptr_ty = LLVMPointerTypeInContext(ctx, 0);
        let shadow = LLVMBuildLoad2(builder, ptr_ty, LLVMGetOperand(call, 0), c"builtin.jmp_buf".as_ptr());
        let (longjmp, ty) = libc_function(module, "longjmp", LLVMVoidTypeInContext(ctx), 2);
        let mut args = [shadow, LLVMConstInt(LLVMInt32TypeInContext(ctx), 1, 0)];
        let new = LLVMBuildCall2(builder, ty, longjmp, args.as_mut_ptr(), 2, c"".as_ptr());
        add_enum_attribute(new, LLVMAttributeFunctionIndex, "noreturn");
        replace(call, new);
        LLVMDisposeBuilder(builder);
    }
}

/// `name` (`setjmp` or `longjmp`) as the module declares it, or a new declaration
/// `returns (ptr[, i32])`, with the function type to call it by.
///
/// # Safety
/// `module` is live; `params` is 1 or 2.
unsafe fn libc_function(
    module: LLVMModuleRef,
    name: &str,
    returns: LLVMTypeRef,
    params: u32,
) -> (LLVMValueRef, LLVMTypeRef) {
    // SAFETY: as documented.
    unsafe {
        let ctx = LLVMGetModuleContext(module);
        let mut types = [LLVMPointerTypeInContext(ctx, 0), LLVMInt32TypeInContext(ctx)];
        let ty = LLVMFunctionType(returns, types.as_mut_ptr(), params, 0);
        let c_name = std::ffi::CString::new(name).unwrap_or_default();
        let existing = LLVMGetNamedFunction(module, c_name.as_ptr());
        let function = if existing.is_null() {
            LLVMAddFunction(module, c_name.as_ptr(), ty)
        } else {
            existing
        };
        (function, ty)
    }
}

/// Makes `new` take `old`'s place (uses and debug location) and erases `old`.
///
/// # Safety
/// `old` and `new` are live calls with the same result type.
unsafe fn replace(old: LLVMValueRef, new: LLVMValueRef) {
    // SAFETY: as documented.
    unsafe {
        LLVMInstructionSetDebugLoc(new, LLVMInstructionGetDebugLoc(old));
        LLVMReplaceAllUsesWith(old, new);
        LLVMInstructionEraseFromParent(old);
    }
}
