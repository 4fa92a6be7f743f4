//! `setjmp`/`longjmp` that survive a migration (with `-fhet-migratable`, on the linked
//! canonical module, before [`crate::unsafe_stack`]).
//!
//! A libc `jmp_buf` holds the native registers of the ISA that filled it, so a
//! `longjmp` after a migration jumped with the source's stack pointer and return
//! address. The runtime's replacements (`runtime-lib`) keep their own layout and
//! register every buffer, and a restore rewrites each live buffer with the
//! destination's stack pointer, frame pointer and the destination return address of
//! the `__het_setjmp` call, which it finds because that call is an equivalence point
//! ([`crate::equivalence`]). The other callee-saved registers of a rewritten buffer
//! mean nothing, so no value may be live across a `__het_setjmp` call in a register or
//! spill slot. This pass:
//!
//! 1. redirects direct calls of `setjmp`/`_setjmp` (savemask 0), `sigsetjmp`/
//!    `__sigsetjmp` to `i32 @__het_setjmp(ptr buf, i32 savemask)` (`returns_twice`),
//!    and `longjmp`/`_longjmp`/`siglongjmp` to `void @__het_longjmp(ptr buf, i32
//!    value)` (`noreturn`); any other use of those functions is refused;
//! 2. demotes every value live across a `__het_setjmp` call to an entry-block slot
//!    (LLVM's DemoteRegToStack scheme: stored after its definition, loaded right before
//!    each use), which the unsafe-stack pass then moves to the unsafe stack, at the same
//!    address on every ISA (thread-local addresses too: every thread's TLS block has one
//!    address on every ISA, docs/threads.md).
//!
//! The demotion needs no SSA repair and is what C promises anyway: after a `longjmp`,
//! a non-volatile local changed between `setjmp` and `longjmp` is indeterminate, and
//! an unchanged one reads back its value from its slot.
//!
//! Elsewhere: the frame base and the saved unsafe-stack pointer of a function that
//! calls `__het_setjmp` are kept off SSA values by [`crate::unsafe_stack`]; the calls
//! become equivalence points in [`crate::equivalence`], whose statepoints are marked
//! `returns_twice` here ([`mark_setjmp_statepoints`]); each ISA's module then gets a
//! clobber of its callee-saved registers after them, as after every statepoint
//! ([`crate::statepoints::forget_callee_saved_registers`], for what
//! the backends themselves keep in registers). The buffers are the runtime's.
//! `__builtin_setjmp` (`llvm.eh.sjlj.*`) is not handled.

use crate::cfg::Cfg;
use crate::diagnostic::Diagnostic;
use crate::{gc_values, ir, liveness};
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::{LLVMAttributeFunctionIndex, LLVMAttributeReturnIndex, LLVMTypeKind};
use inkwell::module::Module;
use std::collections::HashSet;

/// The runtime's `setjmp`: `i32 (ptr buf, i32 savemask)`, `returns_twice`.
pub const SETJMP: &str = "__het_setjmp";
/// The runtime's `longjmp`: `void (ptr buf, i32 value)`, `noreturn`.
pub const LONGJMP: &str = "__het_longjmp";

/// What a libc jump function becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Jump {
    /// `setjmp(buf)`: `__het_setjmp(buf, 0)`.
    Set,
    /// `sigsetjmp(buf, savemask)`: `__het_setjmp(buf, savemask)`.
    SigSet,
    /// `longjmp(buf, value)`: `__het_longjmp(buf, value)`.
    Long,
}

/// The libc functions redirected, musl's and glibc's spellings.
const LIBC_JUMPS: [(&str, Jump); 7] = [
    ("setjmp", Jump::Set),
    ("_setjmp", Jump::Set),
    ("sigsetjmp", Jump::SigSet),
    ("__sigsetjmp", Jump::SigSet),
    ("longjmp", Jump::Long),
    ("_longjmp", Jump::Long),
    ("siglongjmp", Jump::Long),
];

/// What [`make_jumps_migratable`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Calls that now go to `__het_setjmp`.
    pub setjmps: usize,
    /// Calls that now go to `__het_longjmp`.
    pub longjmps: usize,
    /// Each function that calls `__het_setjmp`, with how many values were live across
    /// its calls and now live in memory.
    pub demoted: Vec<(String, usize)>,
}

/// Redirects the program's jumps to the runtime's and demotes the values live across
/// each `__het_setjmp` call (see the module docs).
pub fn make_jumps_migratable(module: &Module<'_>) -> Result<Summary, Vec<Diagnostic>> {
    let m = module.as_mut_ptr();
    let (setjmps, longjmps) = redirect(m)?;
    let mut demoted = Vec::new();
    let mut problems = Vec::new();
    for function in ir::functions(m).into_iter().filter(|&f| !ir::is_declaration(f)) {
        match demote_live_values(function) {
            Some(Ok(count)) => demoted.push((ir::name(function), count)),
            Some(Err(problem)) => problems.push(problem),
            None => {}
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Summary {
        setjmps,
        longjmps,
        demoted,
    })
}

/// Whether `inst` is a call of the runtime's `__het_setjmp`.
pub(crate) fn is_setjmp_call(inst: LLVMValueRef) -> bool {
    ir::is_call(inst) && ir::direct_callee(inst).is_some_and(|f| ir::name(f) == SETJMP)
}

/// Puts `returns_twice` on every statepoint that calls `__het_setjmp`, so that the
/// backends know the code after it can run twice. The statepoint's callee is the
/// intrinsic, so the declaration's attribute no longer applies, and
/// `rewrite-statepoints-for-gc` keeps only the call site's own (measured with LLVM 22:
/// a call without it became a statepoint without it).
pub(crate) fn mark_setjmp_statepoints(module: LLVMModuleRef) {
    for function in ir::functions(module).into_iter().filter(|&f| !ir::is_declaration(f)) {
        for inst in ir::instructions(function) {
            if is_statepoint_of_setjmp(inst) {
                // SAFETY: `inst` is a live call.
                unsafe { add_enum_attribute(inst, LLVMAttributeFunctionIndex, "returns_twice") };
            }
        }
    }
}

fn is_statepoint_of_setjmp(inst: LLVMValueRef) -> bool {
    // Operands of a statepoint: ID, patch bytes, target, ...
    // SAFETY: a statepoint's operand 2 exists and is a live value.
    crate::statepoints::is_statepoint(inst)
        && unsafe { !LLVMIsAFunction(ir::operand(inst, 2)).is_null() }
        && ir::name(ir::operand(inst, 2)) == SETJMP
}

/// Redirects every call of a libc jump function; returns how many `setjmp`-like and
/// `longjmp`-like calls were redirected, or every use that cannot be.
fn redirect(module: LLVMModuleRef) -> Result<(usize, usize), Vec<Diagnostic>> {
    let used: Vec<(LLVMValueRef, Jump)> = LIBC_JUMPS
        .iter()
        .filter_map(|&(name, jump)| libc_declaration(module, name).map(|f| (f, jump)))
        .collect();
    let problems: Vec<Diagnostic> = used.iter().flat_map(|&(f, jump)| misuses(f, jump)).collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    if used.is_empty() {
        return Ok((0, 0));
    }
    let mut counts = (0, 0);
    // SAFETY: `module` is live; every user of a declaration in `used` is a direct call
    // of it with the expected signature (checked by `misuses`), replaced once, and the
    // declarations are deleted only once nothing uses them.
    unsafe {
        let runtime = RuntimeJumps::declare(module);
        for &(function, jump) in &used {
            for call in ir::users(function) {
                runtime.replace(call, jump);
                match jump {
                    Jump::Set | Jump::SigSet => counts.0 += 1,
                    Jump::Long => counts.1 += 1,
                }
            }
            if ir::users(function).is_empty() {
                LLVMDeleteFunction(function);
            }
        }
        runtime.delete_unused();
    }
    Ok(counts)
}

/// The libc function `name` if the program declares (and does not define) it.
fn libc_declaration(module: LLVMModuleRef, name: &str) -> Option<LLVMValueRef> {
    let c_name = std::ffi::CString::new(name).ok()?;
    // SAFETY: `module` is live; the name is NUL-terminated.
    let function = unsafe { LLVMGetNamedFunction(module, c_name.as_ptr()) };
    (!function.is_null() && ir::is_declaration(function)).then_some(function)
}

/// Every use of `function` other than a direct call with the signature C gives it.
fn misuses(function: LLVMValueRef, jump: Jump) -> Vec<Diagnostic> {
    let name = ir::name(function);
    let mut problems = Vec::new();
    for user in ir::users(function) {
        // SAFETY: `user` is a live user of `function`.
        let is_direct_call = unsafe { !LLVMIsACallInst(user).is_null() && LLVMGetCalledValue(user) == function }
            && !(0..ir::call_arg_count(user)).any(|i| ir::operand(user, i) == function);
        let why = if !is_direct_call {
            format!("`{name}` is used other than by a direct call")
        } else if !has_c_signature(user, jump) {
            format!("a call of `{name}` with an unexpected signature")
        } else {
            continue;
        };
        problems.push(at_use(user, why));
    }
    problems
}

/// Whether a call passes what C's prototype does: `(jmp_buf)`, or `(jmp_buf, int)`, and
/// returns `int` (`setjmp`s) or nothing (`longjmp`s).
fn has_c_signature(call: LLVMValueRef, jump: Jump) -> bool {
    use LLVMTypeKind::*;
    let arity = if jump == Jump::Set { 1 } else { 2 };
    // SAFETY: `call` is a live call; the type queries match each type's kind.
    unsafe {
        let ty = LLVMGetCalledFunctionType(call);
        let is_int32 = |t: LLVMTypeRef| LLVMGetTypeKind(t) == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(t) == 32;
        let returns = LLVMGetReturnType(ty);
        let returns_ok = match jump {
            Jump::Long => LLVMGetTypeKind(returns) == LLVMVoidTypeKind,
            Jump::Set | Jump::SigSet => is_int32(returns),
        };
        if !returns_ok || LLVMIsFunctionVarArg(ty) != 0 || LLVMCountParamTypes(ty) != arity {
            return false;
        }
        let mut params = vec![std::ptr::null_mut(); arity as usize];
        LLVMGetParamTypes(ty, params.as_mut_ptr());
        LLVMGetTypeKind(params[0]) == LLVMPointerTypeKind && params.get(1).is_none_or(|&p| is_int32(p))
    }
}

/// The first instruction or global variable among `value` and its transitive users:
/// where a use of a function through a constant (`store ptr @longjmp`, an
/// initialiser's array) is.
fn use_site(value: LLVMValueRef) -> Option<LLVMValueRef> {
    let mut work = vec![value];
    let mut seen = HashSet::new();
    while let Some(v) = work.pop() {
        // SAFETY: `v` is a live value.
        if unsafe { !LLVMIsAInstruction(v).is_null() || !LLVMIsAGlobalVariable(v).is_null() } {
            return Some(v);
        }
        if seen.insert(v) {
            work.extend(ir::users(v));
        }
    }
    None
}

/// A diagnostic located at `user`'s source line, or naming the global whose
/// initialiser holds it.
fn at_use(user: LLVMValueRef, why: String) -> Diagnostic {
    let site = use_site(user);
    // SAFETY: `site` is a live value.
    let global = site.filter(|&s| unsafe { !LLVMIsAGlobalVariable(s).is_null() });
    let (file, line, column) = site.and_then(ir::location).unwrap_or_default();
    let context = global
        .map(|g| format!(" (in the initialiser of `@{}`)", ir::name(g)))
        .unwrap_or_default();
    Diagnostic {
        file,
        line,
        column,
        message: format!("{why}{context}; hetcc -fhet-migratable cannot make such a jump survive a migration"),
    }
}

/// The runtime's two functions, declared in the module.
struct RuntimeJumps {
    builder: LLVMBuilderRef,
    i32_ty: LLVMTypeRef,
    setjmp: LLVMValueRef,
    setjmp_ty: LLVMTypeRef,
    longjmp: LLVMValueRef,
    longjmp_ty: LLVMTypeRef,
}

impl RuntimeJumps {
    /// Declares `i32 @__het_setjmp(ptr, i32) returns_twice nounwind` and
    /// `void @__het_longjmp(ptr, i32) noreturn nounwind`. The `i32`s are `signext`, as
    /// clang declares `int (void *, int)` for the canonical riscv64 target: its psABI
    /// passes and returns `int` sign-extended, which the runtime may rely on there.
    ///
    /// # Safety
    /// `module` is live.
    unsafe fn declare(module: LLVMModuleRef) -> RuntimeJumps {
        // SAFETY: `module` is live; names are NUL-terminated literals.
        unsafe {
            let ctx = LLVMGetModuleContext(module);
            let i32_ty = LLVMInt32TypeInContext(ctx);
            let mut params = [LLVMPointerTypeInContext(ctx, 0), i32_ty];
            let setjmp_ty = LLVMFunctionType(i32_ty, params.as_mut_ptr(), 2, 0);
            let longjmp_ty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), params.as_mut_ptr(), 2, 0);
            let setjmp = declared(module, c"__het_setjmp", setjmp_ty);
            let longjmp = declared(module, c"__het_longjmp", longjmp_ty);
            for attr in ["returns_twice", "nounwind"] {
                add_enum_attribute(setjmp, LLVMAttributeFunctionIndex, attr);
            }
            for attr in ["noreturn", "nounwind"] {
                add_enum_attribute(longjmp, LLVMAttributeFunctionIndex, attr);
            }
            add_enum_attribute(setjmp, LLVMAttributeReturnIndex, "signext");
            add_enum_attribute(setjmp, 2, "signext");
            add_enum_attribute(longjmp, 2, "signext");
            RuntimeJumps {
                builder: LLVMCreateBuilderInContext(ctx),
                i32_ty,
                setjmp,
                setjmp_ty,
                longjmp,
                longjmp_ty,
            }
        }
    }

    /// Replaces the libc call `call` by the runtime call `jump` makes it, with its
    /// name, debug location, calling convention and attributes (`signext`, `noreturn`,
    /// …); a `longjmp`'s `unreachable` stays after it.
    ///
    /// # Safety
    /// `call` is a live direct call with the signature `has_c_signature` accepts.
    unsafe fn replace(&self, call: LLVMValueRef, jump: Jump) {
        // SAFETY: as documented; `call` is erased after its replacement took its uses.
        unsafe {
            let buf = ir::operand(call, 0);
            let (function, ty, second) = match jump {
                Jump::Set => (self.setjmp, self.setjmp_ty, LLVMConstInt(self.i32_ty, 0, 0)),
                Jump::SigSet => (self.setjmp, self.setjmp_ty, ir::operand(call, 1)),
                Jump::Long => (self.longjmp, self.longjmp_ty, ir::operand(call, 1)),
            };
            LLVMPositionBuilderBefore(self.builder, call);
            let mut args = [buf, second];
            let replacement = LLVMBuildCall2(self.builder, ty, function, args.as_mut_ptr(), 2, c"".as_ptr());
            inkwell::llvm_sys::debuginfo::LLVMInstructionSetDebugLoc(
                replacement,
                inkwell::llvm_sys::debuginfo::LLVMInstructionGetDebugLoc(call),
            );
            LLVMSetInstructionCallConv(replacement, LLVMGetInstructionCallConv(call));
            ir::copy_call_site_attributes(call, replacement, ir::call_arg_count(call));
            if jump == Jump::Long {
                LLVMSetTailCallKind(replacement, LLVMGetTailCallKind(call));
            } else {
                add_enum_attribute(replacement, LLVMAttributeFunctionIndex, "returns_twice");
            }
            let name = ir::name(call);
            LLVMReplaceAllUsesWith(call, replacement);
            LLVMInstructionEraseFromParent(call);
            ir::set_name(replacement, &name);
        }
    }

    /// Deletes the runtime declarations the program does not call, and the builder.
    ///
    /// # Safety
    /// Nothing uses `self` afterwards.
    unsafe fn delete_unused(self) {
        // SAFETY: as documented; an unused declaration can go.
        unsafe {
            LLVMDisposeBuilder(self.builder);
            for function in [self.setjmp, self.longjmp] {
                if ir::users(function).is_empty() {
                    LLVMDeleteFunction(function);
                }
            }
        }
    }
}

/// The function `name` of the module, declared with `ty` if absent.
///
/// # Safety
/// `module` is live.
unsafe fn declared(module: LLVMModuleRef, name: &std::ffi::CStr, ty: LLVMTypeRef) -> LLVMValueRef {
    // SAFETY: as documented.
    unsafe {
        let existing = LLVMGetNamedFunction(module, name.as_ptr());
        if existing.is_null() {
            LLVMAddFunction(module, name.as_ptr(), ty)
        } else {
            existing
        }
    }
}

/// Adds the enum attribute `name` at `index` of a function or call.
///
/// # Safety
/// `value` is a live function or call; `name` is a known enum attribute without value.
pub(crate) unsafe fn add_enum_attribute(value: LLVMValueRef, index: u32, name: &str) {
    // SAFETY: as documented.
    unsafe {
        let ctx = LLVMGetTypeContext(LLVMTypeOf(value));
        let kind = LLVMGetEnumAttributeKindForName(name.as_ptr() as *const _, name.len());
        let attr = LLVMCreateEnumAttribute(ctx, kind, 0);
        if LLVMIsACallInst(value).is_null() {
            LLVMAddAttributeAtIndex(value, index, attr);
        } else {
            LLVMAddCallSiteAttribute(value, index, attr);
        }
    }
}

/// Demotes the values live across `function`'s `__het_setjmp` calls; `None` if it has
/// none, else how many values were demoted, or an internal error for a value that
/// cannot be.
fn demote_live_values(function: LLVMValueRef) -> Option<Result<usize, Diagnostic>> {
    let calls: Vec<LLVMValueRef> = ir::instructions(function)
        .into_iter()
        .filter(|&i| is_setjmp_call(i))
        .collect();
    if calls.is_empty() {
        return None;
    }
    let mut values: Vec<LLVMValueRef> = Vec::new();
    for value in liveness::live_across(function, &Cfg::of(function), &calls)
        .into_iter()
        .flatten()
    {
        if !values.contains(&value) {
            values.push(value);
        }
    }
    // SAFETY: `values` are live arguments or instructions of `function`.
    if let Some(&terminator) = values.iter().find(|&&v| unsafe { !LLVMIsATerminatorInst(v).is_null() }) {
        return Some(Err(cannot_demote(function, terminator)));
    }
    // SAFETY: every value is a live argument or non-terminator instruction of
    // `function`; each is demoted once and nothing refers to the old uses afterwards.
    unsafe {
        let b = LLVMCreateBuilderInContext(LLVMGetTypeContext(LLVMTypeOf(function)));
        demote_to_slots(b, function, &values);
        LLVMDisposeBuilder(b);
    }
    Some(Ok(values.len()))
}

fn cannot_demote(function: LLVMValueRef, value: LLVMValueRef) -> Diagnostic {
    let (file, line, column) = ir::location(value).unwrap_or_default();
    Diagnostic {
        file,
        line,
        column,
        message: format!(
            "internal error: in `{}`, `{}` is live across a setjmp but ends its block, so it cannot be kept in memory",
            ir::name(function),
            ir::name(value)
        ),
    }
}

/// Gives each value an entry-block slot (in `values` order, before the function's own
/// code), stores it there after its definition (an argument right after the slots) and
/// makes every use load it.
///
/// # Safety
/// As for `demote_live_values`.
unsafe fn demote_to_slots(b: LLVMBuilderRef, function: LLVMValueRef, values: &[LLVMValueRef]) {
    // SAFETY: as documented; each store is placed where its value is defined, and each
    // load right before a use the definition dominates.
    unsafe {
        let body = LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(function));
        LLVMPositionBuilderBefore(b, body);
        let slots: Vec<LLVMValueRef> = values
            .iter()
            .map(|&value| {
                let name = std::ffi::CString::new(format!("{}.sj", ir::name(value))).unwrap_or_default();
                LLVMBuildAlloca(b, LLVMTypeOf(value), name.as_ptr())
            })
            .collect();
        for (&value, &slot) in values.iter().zip(&slots) {
            let users = ir::users(value);
            let after_definition = if LLVMIsAArgument(value).is_null() {
                gc_values::insertion_point_after(value)
            } else {
                body
            };
            LLVMPositionBuilderBefore(b, after_definition);
            LLVMBuildStore(b, value, slot);
            let ty = LLVMTypeOf(value);
            gc_values::replace_at_each_use(b, value, &users, &mut |b| LLVMBuildLoad2(b, ty, slot, c"".as_ptr()));
        }
    }
}
