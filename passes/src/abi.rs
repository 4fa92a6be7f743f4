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
//! - every call through a pointer with a variadic function type uses the same slots
//!   convention, whatever it may call at run time: a program function (lowered as
//!   above) or a libc one. So a libc variadic function never has its native address
//!   taken: where the program takes it (`int (*out)(FILE *, const char *, ...) =
//!   fprintf;`), the address of an adapter that takes the slots is used instead
//!   ([`SLOT_ADAPTERS`]; `fprintf` → `__het_vfprintf`, which builds the ISA's
//!   `va_list` over the slots). A libc variadic function without such an adapter
//!   cannot have its address taken: that is an error naming the line;
//! - where a `va_list` leaves the program for libc (`vprintf`, …), the call goes to an
//!   adapter in `libhet_abi.a` that builds the ISA's native `va_list` over the same
//!   slots ([`redirect_to_adapters`]), as do libc calls whose structures are laid out
//!   differently per ISA (`struct stat`, `struct epoll_event`) or whose flag values
//!   differ (`open`).
//!
//! Direct calls to libc's own variadic functions (`printf`) need nothing: each backend
//! lowers them with its own convention.
//!
//! Why not give each address-taken program variadic function a native variadic entry
//! instead: that entry would have to turn the ISA's native variadic arguments into
//! slots, which needs the ISA's `va_list` layout and register-save conventions, and
//! cannot be written once in the canonical IR every ISA shares.

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
    "vwprintf",
    "vfwprintf",
    "vswprintf",
    "vwscanf",
    "vfwscanf",
    "vswscanf",
    "vsyslog",
    "vwarn",
    "vwarnx",
    "verr",
    "verrx",
];

/// libc variadic functions whose address a program may take, each with the adapter in
/// `libhet_abi.a` that stands in for it there. An adapter takes the libc function's
/// fixed parameters and then a pointer to the argument slots, which is how every call
/// through a variadic function pointer passes its arguments. For a function with a
/// `v` variant, that is exactly the `v` variant's adapter: the canonical `va_list` is
/// the pointer to the slots.
pub const SLOT_ADAPTERS: &[(&str, &str)] = &[
    ("printf", "__het_vprintf"),
    ("fprintf", "__het_vfprintf"),
    ("sprintf", "__het_vsprintf"),
    ("snprintf", "__het_vsnprintf"),
    ("dprintf", "__het_vdprintf"),
    ("asprintf", "__het_vasprintf"),
    ("scanf", "__het_vscanf"),
    ("fscanf", "__het_vfscanf"),
    ("sscanf", "__het_vsscanf"),
    ("wprintf", "__het_vwprintf"),
    ("fwprintf", "__het_vfwprintf"),
    ("swprintf", "__het_vswprintf"),
    ("wscanf", "__het_vwscanf"),
    ("fwscanf", "__het_vfwscanf"),
    ("swscanf", "__het_vswscanf"),
    ("syslog", "__het_vsyslog"),
    ("warn", "__het_vwarn"),
    ("warnx", "__het_vwarnx"),
    ("err", "__het_verr"),
    ("errx", "__het_verrx"),
    // No v variant: the adapter reads the optional argument from the first slot (the
    // flag translation of `open`/`fcntl` included) or, for the exec family, the
    // NULL-terminated argument list (and `execle`'s environment after it).
    ("open", "__het_slots_open"),
    ("openat", "__het_slots_openat"),
    ("fcntl", "__het_slots_fcntl"),
    ("ioctl", "__het_slots_ioctl"),
    // SQLite keeps `mremap` in its table of system calls (os_unix.c `aSyscall`).
    ("mremap", "__het_slots_mremap"),
    ("execl", "__het_slots_execl"),
    ("execlp", "__het_slots_execlp"),
    ("execle", "__het_slots_execle"),
];

/// Size in bytes of one variadic argument slot in the canonical convention.
const SLOT: u64 = 8;

/// Rewrites variadic definitions and their call sites, the addresses of libc variadic
/// functions, and calls through variadic function pointers (see the module docs).
pub fn lower_variadic_definitions(module: &Module<'_>) -> Result<(), Vec<Diagnostic>> {
    let m = module.as_mut_ptr();
    let problems = adapt_address_taken_libc(m);
    if !problems.is_empty() {
        return Err(problems);
    }
    let variadic: Vec<LLVMValueRef> = ir::functions(m)
        .into_iter()
        .filter(|&f| !ir::is_declaration(f) && is_variadic(f))
        .collect();
    for function in variadic {
        lower_one(m, function);
    }
    lower_calls_through_pointers(m);
    rewrite_va_intrinsics(m);
    Ok(())
}

/// Points calls to [`ADAPTED_LIBC_FUNCTIONS`] at their adapters, unless the program
/// defines the function itself. An adapter that is already declared (the address of
/// `printf` became `__het_vprintf` while the program also calls `vprintf`) takes the
/// libc declaration's place, so the two stay one symbol.
pub fn redirect_to_adapters(module: &Module<'_>) {
    let m = module.as_mut_ptr();
    for function in ir::functions(m) {
        let name = ir::name(function);
        if !(ir::is_declaration(function) && ADAPTED_LIBC_FUNCTIONS.contains(&name.as_str())) {
            continue;
        }
        let adapter = format!("__het_{name}");
        match named_function(m, &adapter) {
            // SAFETY: both are live declarations of `m` with pointer-typed values; once
            // every use refers to the adapter, the libc declaration has none left.
            Some(existing) => unsafe {
                LLVMReplaceAllUsesWith(function, existing);
                LLVMDeleteFunction(function);
            },
            None => ir::set_name(function, &adapter),
        }
    }
}

fn named_function(module: LLVMModuleRef, name: &str) -> Option<LLVMValueRef> {
    let c = std::ffi::CString::new(name).ok()?;
    // SAFETY: `module` is live; LLVM reads the NUL-terminated name.
    let f = unsafe { LLVMGetNamedFunction(module, c.as_ptr()) };
    (!f.is_null()).then_some(f)
}

fn is_variadic(function: LLVMValueRef) -> bool {
    // SAFETY: `function` is a live function.
    unsafe { LLVMIsFunctionVarArg(LLVMGlobalGetValueType(function)) != 0 }
}

/// Replaces every use of a libc variadic function other than as a direct callee with
/// its slot adapter ([`SLOT_ADAPTERS`]); returns an error for each such use of one
/// that has none.
///
/// Only prototyped declarations count: `int f();` in pre-C23 code declares `f(...)`
/// with no fixed parameter, but calls through a pointer to such a function are not
/// variadic calls in the IR (clang passes the promoted arguments as fixed ones), so
/// its address needs nothing.
fn adapt_address_taken_libc(module: LLVMModuleRef) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for function in ir::functions(module) {
        if !ir::is_declaration(function) || !is_variadic(function) || fixed_parameters(function) == 0 {
            continue;
        }
        let name = ir::name(function);
        if name.starts_with("llvm.") || !crate::callgraph::is_address_taken(function) {
            continue;
        }
        match SLOT_ADAPTERS.iter().find(|(libc, _)| *libc == name) {
            Some(&(_, adapter)) => {
                let adapter = declare_slot_adapter(module, function, adapter);
                replace_address(function, adapter);
            }
            None => problems.extend(address_uses(function).into_iter().map(|user| {
                let (file, line, column, context) = use_location(user);
                Diagnostic {
                    file,
                    line,
                    column,
                    message: format!(
                        "the address of libc variadic function `{name}` is taken{context}; hetcc calls variadic functions through pointers with 8-byte argument slots and has no slot adapter for `{name}` (call it directly, or through a non-variadic wrapper)"
                    ),
                }
            })),
        }
    }
    problems
}

fn fixed_parameters(function: LLVMValueRef) -> u32 {
    // SAFETY: `function` is a live function.
    unsafe { LLVMCountParamTypes(LLVMGlobalGetValueType(function)) }
}

/// The adapter's declaration: the libc function's fixed parameters (and their
/// attributes, `signext` included) plus the slot pointer, the same return type. An
/// existing declaration of that name is reused.
fn declare_slot_adapter(module: LLVMModuleRef, libc: LLVMValueRef, adapter: &str) -> LLVMValueRef {
    if let Some(existing) = named_function(module, adapter) {
        return existing;
    }
    // SAFETY: `libc` is a live declaration of `module`; the new declaration gets its
    // fixed parameters' types and attributes, index by index.
    unsafe {
        let ctx = LLVMGetModuleContext(module);
        let ty = LLVMGlobalGetValueType(libc);
        let fixed = LLVMCountParamTypes(ty) as usize;
        let mut params = vec![std::ptr::null_mut(); fixed];
        LLVMGetParamTypes(ty, params.as_mut_ptr());
        params.push(LLVMPointerTypeInContext(ctx, 0));
        let new_ty = LLVMFunctionType(LLVMGetReturnType(ty), params.as_mut_ptr(), params.len() as u32, 0);
        let c = std::ffi::CString::new(adapter).expect("adapter names contain no NUL");
        let new = LLVMAddFunction(module, c.as_ptr(), new_ty);
        copy_function_properties(libc, new, fixed);
        new
    }
}

/// Makes every use of `function` but the callee operands of its direct calls refer to
/// `replacement` (and deletes `function` if it has no direct call). `LLVMReplaceAllUsesWith` also reaches uses inside constants (a
/// static table of function pointers), which are uniqued and cannot be edited operand
/// by operand; the direct calls are pointed back afterwards.
fn replace_address(function: LLVMValueRef, replacement: LLVMValueRef) {
    let mut direct: Vec<LLVMValueRef> = ir::users(function)
        .into_iter()
        .filter(|&u| ir::is_call(u) && called_value(u) == function)
        .collect();
    dedup_in_order(&mut direct);
    // SAFETY: all are live; the callee is a call's last operand; a declaration left
    // without uses is deleted once, after its last use moved.
    unsafe {
        LLVMReplaceAllUsesWith(function, replacement);
        let unused = direct.is_empty();
        for call in direct {
            LLVMSetOperand(call, ir::operand_count(call) - 1, function);
        }
        if unused {
            LLVMDeleteFunction(function);
        }
    }
}

/// Drops repeated values (a user appears once per operand that uses the value), keeping
/// use-list order: an order by handle address would change from run to run, and with
/// it the order of the rewritten IR and the error messages.
fn dedup_in_order(values: &mut Vec<LLVMValueRef>) {
    let mut seen = std::collections::HashSet::new();
    values.retain(|&v| seen.insert(v));
}

fn called_value(call: LLVMValueRef) -> LLVMValueRef {
    // SAFETY: `call` is a live call or invoke.
    unsafe { LLVMGetCalledValue(call) }
}

/// Uses of a function other than as the callee of a direct call.
fn address_uses(function: LLVMValueRef) -> Vec<LLVMValueRef> {
    let mut uses: Vec<LLVMValueRef> = ir::users(function)
        .into_iter()
        .filter(|&user| !(ir::is_call(user) && called_value(user) == function && !is_argument_of(user, function)))
        .collect();
    dedup_in_order(&mut uses);
    uses
}

/// Where a use is: an instruction's line, or for a constant, the line of an
/// instruction using it or the global whose initialiser holds it (in the context
/// string, since globals have no line in the line tables hetcc keeps).
fn use_location(user: LLVMValueRef) -> (String, u32, u32, String) {
    let mut pending = vec![user];
    let mut seen = std::collections::HashSet::new();
    let mut global = None;
    while let Some(value) = pending.pop() {
        if !seen.insert(value) {
            continue;
        }
        // SAFETY: `value` is a live user: an instruction, a global or a constant.
        unsafe {
            if !LLVMIsAInstruction(value).is_null() {
                if let Some((file, line, column)) = ir::location(value) {
                    return (file, line, column, String::new());
                }
            } else if !LLVMIsAGlobalVariable(value).is_null() {
                global.get_or_insert(value);
            } else {
                pending.extend(ir::users(value));
            }
        }
    }
    let context = global.map_or_else(String::new, |g| format!(" in the initialiser of `{}`", ir::name(g)));
    (String::new(), 0, 0, context)
}

fn is_argument_of(call: LLVMValueRef, value: LLVMValueRef) -> bool {
    (0..ir::call_arg_count(call)).any(|i| ir::operand(call, i) == value)
}

fn lower_one(module: LLVMModuleRef, old: LLVMValueRef) {
    // SAFETY: `old` is a live variadic definition of `module`; its blocks are moved to
    // `new` before `old` is deleted; every direct call of `old` is replaced and erased
    // first (each once), then every other use refers to `new`, so nothing refers to
    // `old` when it is deleted.
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
        let mut calls: Vec<LLVMValueRef> = ir::users(old)
            .into_iter()
            .filter(|&u| ir::is_call(u) && called_value(u) == old)
            .collect();
        dedup_in_order(&mut calls);
        for call in calls {
            rewrite_call(module, call, new, new_ty, fixed as u32);
        }
        // What is left takes the address (a table, a callback argument): calls through
        // such pointers use the slots convention too (`lower_calls_through_pointers`).
        LLVMReplaceAllUsesWith(old, new);
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
/// into slots of an entry-block alloca and `call @f.new(fixed..., slots)`; `new` is
/// the lowered function, or the called pointer of a call through a pointer.
///
/// # Safety
/// `call` is a live call with `fixed` fixed arguments; `new` has type `new_ty`.
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

/// Every call with a variadic function type that does not call a libc declaration
/// directly is lowered to the slots convention: it may call a program function
/// (lowered by [`lower_one`]) or a libc one (whose address became its slot adapter),
/// and both take the slots.
fn lower_calls_through_pointers(module: LLVMModuleRef) {
    for function in ir::functions(module) {
        if ir::is_declaration(function) {
            continue;
        }
        let calls: Vec<LLVMValueRef> = ir::instructions(function)
            .into_iter()
            .filter(|&i| ir::is_call(i) && !ir::calls_inline_asm(i) && ir::is_variadic_call(i))
            .filter(|&i| !ir::direct_callee(i).is_some_and(ir::is_declaration))
            .collect();
        for call in calls {
            // SAFETY: `call` is a live call with a variadic function type; the slot
            // call's type is that type's fixed parameters plus the slot pointer.
            unsafe {
                let ctx = LLVMGetModuleContext(module);
                let ty = LLVMGetCalledFunctionType(call);
                let fixed = LLVMCountParamTypes(ty);
                let mut params = vec![std::ptr::null_mut(); fixed as usize];
                LLVMGetParamTypes(ty, params.as_mut_ptr());
                params.push(LLVMPointerTypeInContext(ctx, 0));
                let slot_ty = LLVMFunctionType(LLVMGetReturnType(ty), params.as_mut_ptr(), params.len() as u32, 0);
                rewrite_call(module, call, called_value(call), slot_ty, fixed);
            }
        }
    }
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
