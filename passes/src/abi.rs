//! Whole-program ABI adaptation, run on the linked canonical module before it is
//! cloned per ISA.
//!
//! The canonical IR is riscv64's, whose `va_list` is a plain pointer into 8-byte
//! argument slots. That representation is kept everywhere in the program:
//!
//! - every variadic function the program defines becomes a normal function whose
//!   last parameter points to the caller's argument slots, and every direct call
//!   stores its variadic arguments into such slots ([`lower_variadic_definitions`]);
//!   `va_start` becomes "take that pointer", `va_copy` a pointer copy, `va_end` nothing;
//! - where a `va_list` leaves the program for libc (`vprintf`, …), the call goes to an
//!   adapter in `libhet_abi.a` that builds the ISA's native `va_list` over the same
//!   slots ([`redirect_to_adapters`]), as do libc calls whose structures are laid out
//!   differently per ISA (`struct stat`, `struct epoll_event`) or whose flag values
//!   differ (`open`).
//!
//! Calls to libc's own variadic functions (`printf`) need nothing: each backend lowers
//! them with its own convention.

use crate::diagnostic::Diagnostic;
use crate::ir;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::target::*;
use inkwell::module::Module;

/// libc functions reached through an adapter named `__het_<name>` in `libhet_abi.a`.
pub const ADAPTED_LIBC_FUNCTIONS: &[&str] = &[
    // struct stat: x86-64's layout differs from the generic one riscv64 and aarch64 use.
    "stat",
    "fstat",
    "lstat",
    "fstatat",
    // ... and in the struct stat nftw/ftw pass to their callback.
    "nftw",
    "ftw",
    // struct epoll_event: packed (12 bytes) on x86-64, 16 bytes elsewhere.
    "epoll_ctl",
    "epoll_wait",
    "epoll_pwait",
    // O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE have other values on aarch64.
    "open",
    "openat",
    "fcntl",
    // Raw system calls: canonical (riscv64) numbers become this ISA's, arguments with
    // ISA-specific layouts are converted (runtime-lib/abi/het_syscall.c).
    "syscall",
    // Consumers of a va_list: the adapter builds the native va_list over the slots.
    "vprintf",
    "vfprintf",
    "vsprintf",
    "vsnprintf",
    "vdprintf",
    "vasprintf",
    "vscanf",
    "vfscanf",
    "vsscanf",
    "vsyslog",
    "vwarn",
    "vwarnx",
    "verr",
    "verrx",
];

/// Size in bytes of one variadic argument slot in the canonical convention.
const SLOT: u64 = 8;

/// Rewrites variadic definitions and their call sites (see the module docs).
pub fn lower_variadic_definitions(module: &Module<'_>) -> Result<(), Vec<Diagnostic>> {
    let m = module.as_mut_ptr();
    let variadic: Vec<LLVMValueRef> = ir::functions(m)
        .into_iter()
        .filter(|&f| !ir::is_declaration(f) && is_variadic(f))
        .collect();
    let problems: Vec<Diagnostic> = variadic.iter().flat_map(|&f| non_call_uses(f)).collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    for function in variadic {
        lower_one(m, function);
    }
    rewrite_va_intrinsics(m);
    Ok(())
}

/// Points calls to [`ADAPTED_LIBC_FUNCTIONS`] at their adapters, unless the program
/// defines the function itself.
pub fn redirect_to_adapters(module: &Module<'_>) {
    for function in ir::functions(module.as_mut_ptr()) {
        let name = ir::name(function);
        if ir::is_declaration(function) && ADAPTED_LIBC_FUNCTIONS.contains(&name.as_str()) {
            ir::set_name(function, &format!("__het_{name}"));
        }
    }
}

fn is_variadic(function: LLVMValueRef) -> bool {
    // SAFETY: `function` is a live function.
    unsafe { LLVMIsFunctionVarArg(LLVMGlobalGetValueType(function)) != 0 }
}

/// Uses of a variadic function other than as the callee of a direct call: hetcc cannot
/// know what convention such an indirect caller would use.
fn non_call_uses(function: LLVMValueRef) -> Vec<Diagnostic> {
    ir::users(function)
        .into_iter()
        .filter(|&user| !(ir::is_call(user) && ir::called_operand(user) == function && !is_argument_of(user, function)))
        .map(|user| {
            let message = format!(
                "the address of variadic function `{}` is taken; hetcc supports only direct calls to the variadic functions it compiles",
                ir::name(function)
            );
            let (file, line, column) = location_or_unknown(user);
            Diagnostic { file, line, column, message }
        })
        .collect()
}

fn is_argument_of(call: LLVMValueRef, value: LLVMValueRef) -> bool {
    (0..ir::call_arg_count(call)).any(|i| ir::operand(call, i) == value)
}

fn location_or_unknown(value: LLVMValueRef) -> (String, u32, u32) {
    // SAFETY: `value` is live; only instructions carry debug locations.
    let is_inst = unsafe { !LLVMIsAInstruction(value).is_null() };
    is_inst.then(|| ir::location(value)).flatten().unwrap_or_default()
}

fn lower_one(module: LLVMModuleRef, old: LLVMValueRef) {
    // SAFETY: `old` is a live variadic definition of `module`; its blocks are moved to
    // `new` before `old` is deleted, every use of `old` is a direct call that is
    // replaced and erased first, so nothing refers to `old` when it is deleted.
    unsafe {
        let ctx = LLVMGetModuleContext(module);
        let ptr_ty = LLVMPointerTypeInContext(ctx, 0);
        let old_ty = LLVMGlobalGetValueType(old);
        let fixed = LLVMCountParamTypes(old_ty) as usize;
        let mut params = vec![std::ptr::null_mut(); fixed];
        LLVMGetParamTypes(old_ty, params.as_mut_ptr());
        params.push(ptr_ty);
        let new_ty = LLVMFunctionType(LLVMGetReturnType(old_ty), params.as_mut_ptr(), params.len() as u32, 0);
        let name = ir::name(old);
        let new = LLVMAddFunction(module, c"".as_ptr(), new_ty);
        copy_function_properties(old, new, fixed);
        for block in ir::blocks(old) {
            LLVMRemoveBasicBlockFromParent(block);
            LLVMAppendExistingBasicBlock(new, block);
        }
        for i in 0..fixed as u32 {
            LLVMReplaceAllUsesWith(LLVMGetParam(old, i), LLVMGetParam(new, i));
        }
        let slots = LLVMGetParam(new, fixed as u32);
        ir::set_name(slots, "het.va_slots");
        replace_va_start(ctx, new, slots);
        for call in ir::users(old) {
            rewrite_call(module, call, new, new_ty, fixed as u32);
        }
        LLVMDeleteFunction(old);
        ir::set_name(new, &name);
    }
}

/// # Safety
/// `old` and `new` are live functions; `new` has `fixed` + 1 parameters.
unsafe fn copy_function_properties(old: LLVMValueRef, new: LLVMValueRef, fixed: usize) {
    LLVMSetLinkage(new, LLVMGetLinkage(old));
    LLVMSetVisibility(new, LLVMGetVisibility(old));
    LLVMSetFunctionCallConv(new, LLVMGetFunctionCallConv(old));
    LLVMSetUnnamedAddress(new, LLVMGetUnnamedAddress(old));
    LLVMSetAlignment(new, LLVMGetAlignment(old));
    if let Some(section) = ir::section(old) {
        ir::set_section(new, &section);
    }
    let subprogram = inkwell::llvm_sys::debuginfo::LLVMGetSubprogram(old);
    if !subprogram.is_null() {
        inkwell::llvm_sys::debuginfo::LLVMSetSubprogram(new, subprogram);
    }
    let indices = [
        inkwell::llvm_sys::LLVMAttributeFunctionIndex,
        inkwell::llvm_sys::LLVMAttributeReturnIndex,
    ]
    .into_iter()
    .chain(1..=fixed as u32);
    for index in indices {
        let n = LLVMGetAttributeCountAtIndex(old, index);
        let mut attrs = vec![std::ptr::null_mut(); n as usize];
        LLVMGetAttributesAtIndex(old, index, attrs.as_mut_ptr());
        for attr in attrs {
            LLVMAddAttributeAtIndex(new, index, attr);
        }
    }
}

/// `va_start(ap)` in a lowered function: the list starts at the caller's slots.
///
/// # Safety
/// `function` is live and `slots` is its slot-pointer parameter.
unsafe fn replace_va_start(ctx: LLVMContextRef, function: LLVMValueRef, slots: LLVMValueRef) {
    let builder = LLVMCreateBuilderInContext(ctx);
    for inst in ir::instructions(function) {
        if intrinsic_name(inst).is_some_and(|n| n.starts_with("llvm.va_start")) {
            LLVMPositionBuilderBefore(builder, inst);
            LLVMBuildStore(builder, slots, ir::operand(inst, 0));
            LLVMInstructionEraseFromParent(inst);
        }
    }
    LLVMDisposeBuilder(builder);
}

fn intrinsic_name(inst: LLVMValueRef) -> Option<String> {
    if !ir::is_call(inst) {
        return None;
    }
    ir::direct_callee(inst).map(ir::name).filter(|n| n.starts_with("llvm."))
}

/// Replaces `call @f(fixed..., varargs...)` with stores of the variadic arguments
/// into slots of an entry-block alloca and `call @f.new(fixed..., slots)`.
///
/// # Safety
/// `call` is a live direct call of the old function; `new` has type `new_ty`.
unsafe fn rewrite_call(module: LLVMModuleRef, call: LLVMValueRef, new: LLVMValueRef, new_ty: LLVMTypeRef, fixed: u32) {
    let ctx = LLVMGetModuleContext(module);
    let layout = LLVMGetModuleDataLayout(module);
    let i8_ty = LLVMInt8TypeInContext(ctx);
    let i64_ty = LLVMInt64TypeInContext(ctx);
    let total = ir::call_arg_count(call);
    let varargs: Vec<LLVMValueRef> = (fixed..total).map(|i| ir::operand(call, i)).collect();
    let offsets = slot_offsets(layout, &varargs);
    let area = offsets.last().map_or(SLOT, |&(off, size)| (off + size).max(SLOT));

    let builder = LLVMCreateBuilderInContext(ctx);
    let caller = LLVMGetBasicBlockParent(LLVMGetInstructionParent(call));
    LLVMPositionBuilderBefore(builder, LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(caller)));
    let slots = LLVMBuildAlloca(builder, LLVMArrayType2(i8_ty, area), c"het.va_area".as_ptr());
    LLVMSetAlignment(slots, 16);

    LLVMPositionBuilderBefore(builder, call);
    let location = inkwell::llvm_sys::debuginfo::LLVMInstructionGetDebugLoc(call);
    LLVMSetCurrentDebugLocation2(builder, location);
    for (i, (&value, &(offset, _))) in varargs.iter().zip(&offsets).enumerate() {
        let mut index = LLVMConstInt(i64_ty, offset, 0);
        let slot = LLVMBuildInBoundsGEP2(builder, i8_ty, slots, &mut index, 1, c"".as_ptr());
        let stored = widen_integer(builder, call, fixed + i as u32, value, i64_ty);
        LLVMBuildStore(builder, stored, slot);
    }
    let mut args: Vec<LLVMValueRef> = (0..fixed).map(|i| ir::operand(call, i)).collect();
    args.push(slots);
    let replacement = LLVMBuildCall2(builder, new_ty, new, args.as_mut_ptr(), args.len() as u32, c"".as_ptr());
    LLVMSetInstructionCallConv(replacement, LLVMGetInstructionCallConv(call));
    // The call's own attributes (`signext` on fixed arguments and on the result, which
    // the riscv64 ABI relies on) stay on the rewritten call.
    ir::copy_call_site_attributes(call, replacement, fixed);
    LLVMSetTailCall(replacement, 0);
    LLVMReplaceAllUsesWith(call, replacement);
    LLVMInstructionEraseFromParent(call);
    LLVMDisposeBuilder(builder);
}

/// Slot offset and rounded size of each variadic argument: 8-byte slots, arguments of
/// 16-byte alignment start at an even slot — the riscv64 psABI rule the canonical
/// `va_arg` code was generated for, which aarch64 and x86-64 also follow for
/// arguments passed in memory.
fn slot_offsets(layout: LLVMTargetDataRef, args: &[LLVMValueRef]) -> Vec<(u64, u64)> {
    let mut next = 0u64;
    args.iter()
        .map(|&arg| {
            let ty = ir::type_of(arg);
            // SAFETY: `layout` is the live module's data layout, `ty` a sized type.
            let (size, align) = unsafe { (LLVMABISizeOfType(layout, ty), LLVMABIAlignmentOfType(layout, ty) as u64) };
            if align >= 2 * SLOT {
                next = next.next_multiple_of(2 * SLOT);
            }
            let placed = (next, size.next_multiple_of(SLOT));
            next += placed.1;
            placed
        })
        .collect()
}

/// Integers narrower than a slot are stored widened as the riscv64 convention passes
/// them in registers (sign- or zero-extended per the call's attributes), so a reader
/// of the whole slot sees what a native callee would.
///
/// # Safety
/// `builder` is positioned before `call`; `arg_index` is `value`'s argument index.
unsafe fn widen_integer(
    builder: LLVMBuilderRef,
    call: LLVMValueRef,
    arg_index: u32,
    value: LLVMValueRef,
    i64_ty: LLVMTypeRef,
) -> LLVMValueRef {
    let ty = ir::type_of(value);
    let narrow =
        LLVMGetTypeKind(ty) == inkwell::llvm_sys::LLVMTypeKind::LLVMIntegerTypeKind && LLVMGetIntTypeWidth(ty) < 64;
    if !narrow {
        return value;
    }
    if has_call_site_attribute(call, arg_index, "zeroext") {
        LLVMBuildZExt(builder, value, i64_ty, c"".as_ptr())
    } else {
        LLVMBuildSExt(builder, value, i64_ty, c"".as_ptr())
    }
}

unsafe fn has_call_site_attribute(call: LLVMValueRef, arg_index: u32, name: &str) -> bool {
    let kind = LLVMGetEnumAttributeKindForName(name.as_ptr() as *const _, name.len());
    !LLVMGetCallSiteEnumAttribute(call, arg_index + 1, kind).is_null()
}

/// `va_copy` copies the slot pointer; `va_end` does nothing. Both are rewritten in
/// every function, because each backend would otherwise lower them for its own,
/// larger, `va_list`.
fn rewrite_va_intrinsics(module: LLVMModuleRef) {
    // SAFETY: instructions are collected per function before any is erased; each is
    // erased once, after its replacement is built.
    unsafe {
        let ctx = LLVMGetModuleContext(module);
        let ptr_ty = LLVMPointerTypeInContext(ctx, 0);
        let builder = LLVMCreateBuilderInContext(ctx);
        for function in ir::functions(module) {
            for inst in ir::instructions(function) {
                match intrinsic_name(inst).as_deref() {
                    Some(n) if n.starts_with("llvm.va_copy") => {
                        LLVMPositionBuilderBefore(builder, inst);
                        let current = LLVMBuildLoad2(builder, ptr_ty, ir::operand(inst, 1), c"".as_ptr());
                        LLVMBuildStore(builder, current, ir::operand(inst, 0));
                        LLVMInstructionEraseFromParent(inst);
                    }
                    Some(n) if n.starts_with("llvm.va_end") => LLVMInstructionEraseFromParent(inst),
                    _ => {}
                }
            }
        }
        LLVMDisposeBuilder(builder);
    }
}
