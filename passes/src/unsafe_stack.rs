//! The unsafe stack (with `-fhet-migratable`): every alloca of the program moves to a
//! stack inside the migration window, whose pointer `@__het_unsafe_sp` is a
//! thread-local variable this pass defines (each thread has its own unsafe stack,
//! `runtime-lib/src/threads.rs`). See `docs/unsafe-stack.md`.
//!
//! ```text
//! entry:  %usp.old = load ptr, ptr @__het_unsafe_sp
//!         %frame.raw = getelementptr i8, ptr %usp.old, i64 -<frame size>
//!         %frame = call ptr @llvm.ptrmask.p0.i64(ptr %frame.raw, i64 -<frame alignment>)
//!         store ptr %frame, ptr @__het_unsafe_sp
//! a use:  %a = getelementptr inbounds i8, ptr %frame, i64 <offset of a>   ; next to the use
//! ret:    store ptr %usp.old, ptr @__het_unsafe_sp
//! ```
//!
//! Each use of a static alloca gets its own address computation right before it, so
//! only `%frame` and `%usp.old` are live across calls (equivalence points carry two
//! values, not one per local). Dynamic allocas bump `@__het_unsafe_sp` down where they
//! stand; `llvm.stacksave`/`llvm.stackrestore` read and write it.
//!
//! A function that calls `__het_setjmp` may keep no value live across that call
//! ([`crate::setjmp`]), so neither pointer is an SSA value there. Its frame starts
//! with a pointer to itself, and each of its dynamic allocations reserves 16 more bytes
//! below the block, holding the frame base too: every value `@__het_unsafe_sp` takes
//! while the function runs (its callees restore it, `__het_longjmp` restores it to its
//! value at the `__het_setjmp`, `llvm.stackrestore` to a value it had) points at such
//! a back pointer. Each use reads the frame base through it, and `%usp.old` is saved
//! in a slot of the frame and read back at each `ret`.
//!
//! ```text
//! a use:  %usp = load ptr, ptr @__het_unsafe_sp
//!         %usp.frame = load ptr, ptr %usp
//!         %a = getelementptr inbounds i8, ptr %usp.frame, i64 <offset of a>
//! ```
//!
//! Runs before [`crate::equivalence::make_migratable`], so the pointers are ordinary
//! live values at equivalence points, and the only allocas left for the backends are
//! the equivalence pass's own slots, which it promotes to registers.

use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::setjmp::is_setjmp_call;
use het_format::migration::{UNSAFE_STACK_SIZE, WINDOW_BASE};
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::target::*;
use inkwell::llvm_sys::LLVMOpcode;
use inkwell::llvm_sys::LLVMThreadLocalMode;
use inkwell::module::Module;

/// The runtime's unsafe-stack pointer.
pub const UNSAFE_SP: &str = "__het_unsafe_sp";

/// Every frame on the unsafe stack is aligned to at least this (the native stacks'
/// alignment on all three ISAs).
const MIN_FRAME_ALIGN: u64 = 16;

/// What a dynamic allocation in a function that calls `__het_setjmp` reserves below
/// its block for the back pointer: 16 bytes, so the unsafe-stack pointer stays
/// 16-aligned.
const BACK_POINTER_BLOCK: u64 = 16;

/// What [`move_allocas`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Functions whose allocas moved, with their static frame size in bytes.
    pub frames: Vec<(String, u64)>,
    /// Dynamic allocas (VLAs, `alloca()`) that now bump the unsafe stack.
    pub dynamic_allocas: usize,
}

/// Moves every alloca of every defined function of `module` to the unsafe stack.
pub fn move_allocas(module: &Module<'_>) -> Result<Summary, Vec<Diagnostic>> {
    let m = module.as_mut_ptr();
    let functions: Vec<LLVMValueRef> = ir::functions(m)
        .into_iter()
        .filter(|&f| !ir::is_declaration(f))
        .collect();
    let problems: Vec<Diagnostic> = functions.iter().flat_map(|&f| unsupported(f)).collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut summary = Summary::default();
    // SAFETY: `m` is a live module; the builder is disposed of at the end.
    unsafe {
        let parts = Parts::declare(m);
        for &function in &functions {
            let allocas: Vec<LLVMValueRef> = ir::instructions(function)
                .into_iter()
                .filter(|&i| !LLVMIsAAllocaInst(i).is_null())
                .collect();
            let jumps = ir::instructions(function)
                .into_iter()
                .filter(|&i| is_returns_twice_call(i))
                .collect::<Vec<_>>();
            let calls_setjmp = jumps.iter().any(|&j| is_setjmp_call(j));
            let others: Vec<LLVMValueRef> = jumps.into_iter().filter(|&j| !is_setjmp_call(j)).collect();
            restore_after_returns_twice(&parts, &others);
            if allocas.is_empty() && !calls_setjmp {
                continue;
            }
            let (frame_size, dynamic) = rewrite(&parts, function, &allocas, calls_setjmp);
            summary.frames.push((ir::name(function), frame_size));
            summary.dynamic_allocas += dynamic;
        }
        LLVMDisposeBuilder(parts.builder);
        if ir::users(parts.ptrmask).is_empty() {
            LLVMDeleteFunction(parts.ptrmask);
        }
    }
    Ok(summary)
}

/// Constructs whose frame memory cannot move, each named with its function.
fn unsupported(function: LLVMValueRef) -> Vec<Diagnostic> {
    let instructions = ir::instructions(function);
    // SAFETY: queries on live instructions.
    let has_allocas = instructions.iter().any(|&i| unsafe { !LLVMIsAAllocaInst(i).is_null() });
    let name = ir::name(function);
    let mut problems = Vec::new();
    for &inst in &instructions {
        // SAFETY: `inst` is live; the kind queries match the instruction.
        let why = unsafe {
            if has_allocas && ir::is_call(inst) && crate::statepoints::is_musttail(inst) {
                Some("a `musttail` call in a function with stack-allocated locals (its frame on the unsafe stack would have to be released before the call, while the callee may still use it)")
            } else if !LLVMIsAAllocaInst(inst).is_null() && LLVMGetPointerAddressSpace(ir::type_of(inst)) != 0 {
                Some("a stack allocation outside address space 0")
            } else if !LLVMIsAAllocaInst(inst).is_null() && passed_in_alloca(inst) {
                Some("an `inalloca` argument (its memory must be the native stack's argument area)")
            } else {
                None
            }
        };
        if let Some(why) = why {
            let (file, line, column) = ir::location(inst).unwrap_or_default();
            problems.push(Diagnostic {
                file,
                line,
                column,
                message: format!(
                    "in `{name}`: {why}; hetcc -fhet-migratable moves stack memory to the unsafe stack and cannot handle this"
                ),
            });
        }
    }
    problems
}

/// Whether an alloca is passed to a call as an `inalloca` argument.
///
/// # Safety
/// `alloca` is live.
unsafe fn passed_in_alloca(alloca: LLVMValueRef) -> bool {
    // SAFETY: `alloca` is live; the kind id comes from LLVM's own table.
    unsafe {
        let kind = LLVMGetEnumAttributeKindForName(c"inalloca".as_ptr(), "inalloca".len());
        ir::users(alloca).into_iter().filter(|&u| ir::is_call(u)).any(|call| {
            (0..ir::call_arg_count(call))
                .any(|i| ir::operand(call, i) == alloca && !LLVMGetCallSiteEnumAttribute(call, i + 1, kind).is_null())
        })
    }
}

/// Handles shared by every rewrite.
struct Parts {
    builder: LLVMBuilderRef,
    data_layout: LLVMTargetDataRef,
    sp: LLVMValueRef,
    ptr_ty: LLVMTypeRef,
    i8_ty: LLVMTypeRef,
    i64_ty: LLVMTypeRef,
    ptrmask: LLVMValueRef,
    ptrmask_ty: LLVMTypeRef,
}

/// Defines the unsafe stack's pointer, one per thread:
/// `@__het_unsafe_sp = thread_local(localexec) global ptr <top of the main thread's
/// unsafe stack>`, a variable of the program so that the aligner gives it one TLS offset
/// on every ISA; musl points each new thread's copy at that thread's own unsafe stack
/// (runtime-lib/src/threads.rs). And `ptr @__het_unsafe_sp_location()`, which returns
/// the calling thread's copy: the runtime reaches the variable through it.
///
/// # Safety
/// `module` is live.
unsafe fn define_unsafe_sp(module: LLVMModuleRef) -> LLVMValueRef {
    // SAFETY: `module` is live; names are NUL-terminated literals.
    unsafe {
        let ctx = LLVMGetModuleContext(module);
        let ptr_ty = LLVMPointerTypeInContext(ctx, 0);
        let i64_ty = LLVMInt64TypeInContext(ctx);
        let mut sp = LLVMGetNamedGlobal(module, c"__het_unsafe_sp".as_ptr());
        if sp.is_null() {
            sp = LLVMAddGlobal(module, ptr_ty, c"__het_unsafe_sp".as_ptr());
        }
        let top = LLVMConstInt(i64_ty, WINDOW_BASE + UNSAFE_STACK_SIZE, 0);
        LLVMSetInitializer(sp, LLVMConstIntToPtr(top, ptr_ty));
        LLVMSetThreadLocalMode(sp, LLVMThreadLocalMode::LLVMLocalExecTLSModel);
        LLVMSetAlignment(sp, 8);

        let location_ty = LLVMFunctionType(ptr_ty, std::ptr::null_mut(), 0, 0);
        let location = LLVMAddFunction(module, c"__het_unsafe_sp_location".as_ptr(), location_ty);
        let id = LLVMLookupIntrinsicID(c"llvm.threadlocal.address".as_ptr(), "llvm.threadlocal.address".len());
        let mut overloads = [ptr_ty];
        let address = LLVMGetIntrinsicDeclaration(module, id, overloads.as_mut_ptr(), 1);
        let mut params = [ptr_ty];
        let address_ty = LLVMFunctionType(ptr_ty, params.as_mut_ptr(), 1, 0);
        let builder = LLVMCreateBuilderInContext(ctx);
        LLVMPositionBuilderAtEnd(builder, LLVMAppendBasicBlockInContext(ctx, location, c"entry".as_ptr()));
        let mut args = [sp];
        let value = LLVMBuildCall2(builder, address_ty, address, args.as_mut_ptr(), 1, c"".as_ptr());
        LLVMBuildRet(builder, value);
        LLVMDisposeBuilder(builder);
        sp
    }
}

impl Parts {
    /// Defines `@__het_unsafe_sp` (see [`define_unsafe_sp`]) and declares
    /// `llvm.ptrmask.p0.i64`.
    ///
    /// # Safety
    /// `module` is live.
    unsafe fn declare(module: LLVMModuleRef) -> Parts {
        // SAFETY: `module` is live; names are NUL-terminated literals.
        unsafe {
            let ctx = LLVMGetModuleContext(module);
            let ptr_ty = LLVMPointerTypeInContext(ctx, 0);
            let i64_ty = LLVMInt64TypeInContext(ctx);
            let sp = define_unsafe_sp(module);
            let id = LLVMLookupIntrinsicID(c"llvm.ptrmask".as_ptr(), "llvm.ptrmask".len());
            let mut overloads = [ptr_ty, i64_ty];
            let ptrmask = LLVMGetIntrinsicDeclaration(module, id, overloads.as_mut_ptr(), 2);
            let mut params = [ptr_ty, i64_ty];
            Parts {
                builder: LLVMCreateBuilderInContext(ctx),
                data_layout: LLVMGetModuleDataLayout(module),
                sp,
                ptr_ty,
                i8_ty: LLVMInt8TypeInContext(ctx),
                i64_ty,
                ptrmask,
                ptrmask_ty: LLVMFunctionType(ptr_ty, params.as_mut_ptr(), 2, 0),
            }
        }
    }

    /// `load ptr, ptr @__het_unsafe_sp` at the builder's position.
    unsafe fn load_sp(&self, name: &std::ffi::CStr) -> LLVMValueRef {
        // SAFETY: the builder is positioned in a live block.
        unsafe { LLVMBuildLoad2(self.builder, self.ptr_ty, self.sp, name.as_ptr()) }
    }

    /// The frame base of a function that calls `__het_setjmp`, read through the back
    /// pointer `@__het_unsafe_sp` points at (see the module docs).
    unsafe fn frame_through_back_pointer(&self) -> LLVMValueRef {
        // SAFETY: as for `load_sp`.
        unsafe {
            let sp = self.load_sp(c"usp");
            LLVMBuildLoad2(self.builder, self.ptr_ty, sp, c"usp.frame".as_ptr())
        }
    }

    /// `store ptr %value, ptr @__het_unsafe_sp` at the builder's position.
    unsafe fn store_sp(&self, value: LLVMValueRef) -> LLVMValueRef {
        // SAFETY: as for `load_sp`.
        unsafe { LLVMBuildStore(self.builder, value, self.sp) }
    }

    /// `getelementptr inbounds i8, ptr %base, i64 offset` at the builder's position.
    unsafe fn at_offset(&self, base: LLVMValueRef, offset: u64, name: &std::ffi::CStr) -> LLVMValueRef {
        // SAFETY: as for `load_sp`; `base` is a live pointer of this function.
        unsafe {
            let mut index = [LLVMConstInt(self.i64_ty, offset, 0)];
            LLVMBuildInBoundsGEP2(self.builder, self.i8_ty, base, index.as_mut_ptr(), 1, name.as_ptr())
        }
    }

    /// `%top - bytes`, rounded down to `align` (a power of two).
    unsafe fn below(&self, top: LLVMValueRef, bytes: LLVMValueRef, align: u64, name: &std::ffi::CStr) -> LLVMValueRef {
        // SAFETY: as for `load_sp`; the operands are live values of this function.
        unsafe {
            let negated = LLVMBuildNeg(self.builder, bytes, c"".as_ptr());
            let mut index = [negated];
            let raw = LLVMBuildGEP2(self.builder, self.i8_ty, top, index.as_mut_ptr(), 1, c"".as_ptr());
            let mut args = [raw, LLVMConstInt(self.i64_ty, align.wrapping_neg(), 0)];
            LLVMBuildCall2(
                self.builder,
                self.ptrmask_ty,
                self.ptrmask,
                args.as_mut_ptr(),
                2,
                name.as_ptr(),
            )
        }
    }
}

/// Moves `function`'s allocas; returns its static frame size and how many allocas
/// were dynamic. `calls_setjmp`: the function calls `__het_setjmp`, so its frame is
/// found through back pointers (see the module docs).
///
/// # Safety
/// `function` is live and `allocas` are all of its allocas.
unsafe fn rewrite(parts: &Parts, function: LLVMValueRef, allocas: &[LLVMValueRef], calls_setjmp: bool) -> (u64, usize) {
    // SAFETY: every handle is live until erased, and none is used after its erase.
    unsafe {
        let entry = LLVMGetEntryBasicBlock(function);
        let (fixed, dynamic): (Vec<LLVMValueRef>, Vec<LLVMValueRef>) =
            allocas.iter().partition(|&&a| is_static(a, entry));
        let layout = FrameLayout::of(parts, &fixed, calls_setjmp);
        let (old, frame, prologue_end) = prologue(parts, entry, &layout);
        let base = if calls_setjmp {
            FrameBase::Reloaded
        } else {
            FrameBase::Entry(frame)
        };
        let has_debug_records = !inkwell::llvm_sys::debuginfo::LLVMGetSubprogram(function).is_null();

        for (&alloca, &offset) in fixed.iter().zip(&layout.offsets) {
            remove_lifetime_markers(alloca);
            for (user, index) in uses(alloca) {
                position_for_use(parts.builder, user, index);
                let address = frame_address(parts, base, offset, alloca);
                LLVMSetOperand(user, index, address);
            }
            if has_debug_records {
                // Debug records refer to the alloca through metadata, not as operands.
                LLVMPositionBuilderBefore(parts.builder, LLVMGetNextInstruction(prologue_end));
                let for_debug_records = frame_address(parts, FrameBase::Entry(frame), offset, alloca);
                LLVMReplaceAllUsesWith(alloca, for_debug_records);
            }
            LLVMInstructionEraseFromParent(alloca);
        }
        for &alloca in &dynamic {
            remove_lifetime_markers(alloca);
            LLVMPositionBuilderBefore(parts.builder, alloca);
            let count = LLVMBuildIntCast2(parts.builder, LLVMGetOperand(alloca, 0), parts.i64_ty, 0, c"".as_ptr());
            let element = element_bytes(parts, alloca);
            let bytes = if element == 1 {
                count
            } else {
                LLVMBuildMul(
                    parts.builder,
                    count,
                    LLVMConstInt(parts.i64_ty, element, 0),
                    c"".as_ptr(),
                )
            };
            let top = parts.load_sp(c"");
            let name = std::ffi::CString::new(ir::name(alloca)).unwrap_or_default();
            let address = parts.below(top, bytes, alloca_align(alloca).max(MIN_FRAME_ALIGN), &name);
            if calls_setjmp {
                let frame = parts.frame_through_back_pointer();
                let mut index = [LLVMConstInt(parts.i64_ty, BACK_POINTER_BLOCK.wrapping_neg(), 0)];
                let sp = LLVMBuildInBoundsGEP2(
                    parts.builder,
                    parts.i8_ty,
                    address,
                    index.as_mut_ptr(),
                    1,
                    c"usp".as_ptr(),
                );
                LLVMBuildStore(parts.builder, frame, sp);
                parts.store_sp(sp);
            } else {
                parts.store_sp(address);
            }
            LLVMReplaceAllUsesWith(alloca, address);
            LLVMInstructionEraseFromParent(alloca);
        }
        replace_stack_save_restore(parts, function);
        release_at_returns(parts, function, old, layout.saved_sp);
        (layout.size, dynamic.len())
    }
}

/// Where a function's code finds its frame.
#[derive(Clone, Copy)]
enum FrameBase {
    /// The entry block's `%usp.frame`.
    Entry(LLVMValueRef),
    /// Read at each use through the back pointer at `@__het_unsafe_sp`, in a function
    /// that calls `__het_setjmp` (see the module docs).
    Reloaded,
}

/// Where the static allocas of a frame go.
struct FrameLayout {
    /// Offset of each static alloca, in order.
    offsets: Vec<u64>,
    /// Offset of the caller's pointer (`%usp.old`), saved in a function that calls
    /// `__het_setjmp`, where no value may be live across that call. Such a frame also
    /// holds a pointer to itself at offset 0.
    saved_sp: Option<u64>,
    /// Size, a multiple of `align`.
    size: u64,
    align: u64,
}

impl FrameLayout {
    /// The back pointer (if the function calls `__het_setjmp`), static allocas in
    /// order, each at its own alignment, then the saved pointer.
    ///
    /// # Safety
    /// `fixed` are live static allocas.
    unsafe fn of(parts: &Parts, fixed: &[LLVMValueRef], calls_setjmp: bool) -> FrameLayout {
        let mut offsets = Vec::with_capacity(fixed.len());
        let mut size: u64 = if calls_setjmp { 8 } else { 0 };
        let mut align = MIN_FRAME_ALIGN;
        for &alloca in fixed {
            // SAFETY: as documented.
            let (a, bytes) = unsafe { (alloca_align(alloca), alloca_bytes(parts, alloca)) };
            size = size.next_multiple_of(a);
            offsets.push(size);
            size += bytes.unwrap_or(0);
            align = align.max(a);
        }
        let saved_sp = calls_setjmp.then(|| {
            let at = size.next_multiple_of(8);
            size = at + 8;
            at
        });
        FrameLayout {
            offsets,
            saved_sp,
            size: size.next_multiple_of(align),
            align,
        }
    }
}

/// The entry block's prologue: reads the caller's pointer, reserves the frame (if
/// there is one) and saves the caller's pointer in it (if the layout has a slot for
/// it). Returns `%usp.old`, the frame base (`%usp.old` itself when there is no frame)
/// and the prologue's last instruction.
///
/// # Safety
/// `entry` is a live entry block; `layout` describes its function's frame.
unsafe fn prologue(
    parts: &Parts,
    entry: LLVMBasicBlockRef,
    layout: &FrameLayout,
) -> (LLVMValueRef, LLVMValueRef, LLVMValueRef) {
    // SAFETY: as documented; the builder is positioned in `entry`.
    unsafe {
        LLVMPositionBuilderBefore(parts.builder, LLVMGetFirstInstruction(entry));
        let old = parts.load_sp(c"usp.old");
        if layout.offsets.is_empty() && layout.saved_sp.is_none() {
            return (old, old, old);
        }
        let frame = parts.below(
            old,
            LLVMConstInt(parts.i64_ty, layout.size, 0),
            layout.align,
            c"usp.frame",
        );
        let mut last = parts.store_sp(frame);
        if let Some(offset) = layout.saved_sp {
            LLVMBuildStore(parts.builder, frame, frame);
            let slot = parts.at_offset(frame, offset, c"usp.old.slot");
            last = LLVMBuildStore(parts.builder, old, slot);
        }
        (old, frame, last)
    }
}

/// Gives the caller's pointer back before each `ret`: `%usp.old`, or in a function
/// that saved it in its frame (`saved_sp`), the value read from there.
///
/// # Safety
/// `function` is live; `old` is its `%usp.old`.
unsafe fn release_at_returns(parts: &Parts, function: LLVMValueRef, old: LLVMValueRef, saved_sp: Option<u64>) {
    for inst in ir::instructions(function) {
        // SAFETY: as documented; the builder is positioned before a live `ret`.
        unsafe {
            if LLVMGetInstructionOpcode(inst) != LLVMOpcode::LLVMRet {
                continue;
            }
            LLVMPositionBuilderBefore(parts.builder, inst);
            let caller_sp = match saved_sp {
                Some(offset) => {
                    let frame = parts.frame_through_back_pointer();
                    let slot = parts.at_offset(frame, offset, c"usp.old.slot");
                    LLVMBuildLoad2(parts.builder, parts.ptr_ty, slot, c"usp.old".as_ptr())
                }
                None => old,
            };
            parts.store_sp(caller_sp);
        }
    }
}

/// A fixed-size alloca of the entry block (the others are laid out when they run).
///
/// # Safety
/// `alloca` is live.
unsafe fn is_static(alloca: LLVMValueRef, entry: LLVMBasicBlockRef) -> bool {
    // SAFETY: as documented.
    unsafe { LLVMGetInstructionParent(alloca) == entry && !LLVMIsAConstantInt(LLVMGetOperand(alloca, 0)).is_null() }
}

unsafe fn alloca_align(alloca: LLVMValueRef) -> u64 {
    // SAFETY: `alloca` is live.
    u64::from(unsafe { LLVMGetAlignment(alloca) }).max(1)
}

/// Allocation size of one element, from the module's data layout (the canonical
/// riscv64 one, whose LP64 sizes and alignments every target shares).
unsafe fn element_bytes(parts: &Parts, alloca: LLVMValueRef) -> u64 {
    // SAFETY: `alloca` is live.
    unsafe { LLVMABISizeOfType(parts.data_layout, LLVMGetAllocatedType(alloca)) }
}

/// Total size of a static alloca.
unsafe fn alloca_bytes(parts: &Parts, alloca: LLVMValueRef) -> Option<u64> {
    // SAFETY: `alloca` is live and its count is a constant integer.
    let count = unsafe { LLVMConstIntGetZExtValue(LLVMGetOperand(alloca, 0)) };
    // SAFETY: as above.
    count.checked_mul(unsafe { element_bytes(parts, alloca) })
}

/// `getelementptr inbounds i8, ptr <frame base>, i64 offset`, named after the alloca.
///
/// # Safety
/// The builder is positioned in the function `base` belongs to.
unsafe fn frame_address(parts: &Parts, base: FrameBase, offset: u64, alloca: LLVMValueRef) -> LLVMValueRef {
    // SAFETY: as documented.
    unsafe {
        let frame = match base {
            FrameBase::Entry(frame) => frame,
            FrameBase::Reloaded => parts.frame_through_back_pointer(),
        };
        let name = std::ffi::CString::new(ir::name(alloca)).unwrap_or_default();
        parts.at_offset(frame, offset, &name)
    }
}

/// Every (user, operand index) that uses `value` (an instruction may use it twice).
unsafe fn uses(value: LLVMValueRef) -> Vec<(LLVMValueRef, u32)> {
    let mut out = Vec::new();
    for user in ir::users(value) {
        for i in 0..ir::operand_count(user) {
            if ir::operand(user, i) == value && !out.contains(&(user, i)) {
                out.push((user, i));
            }
        }
    }
    out
}

/// Before the user, or for a phi at the end of the block its operand comes from.
unsafe fn position_for_use(builder: LLVMBuilderRef, user: LLVMValueRef, index: u32) {
    // SAFETY: `user` is a live instruction; a phi's incoming block ends in a terminator.
    unsafe {
        if LLVMIsAPHINode(user).is_null() {
            LLVMPositionBuilderBefore(builder, user);
        } else {
            let from = LLVMGetIncomingBlock(user, index);
            LLVMPositionBuilderBefore(builder, LLVMGetBasicBlockTerminator(from));
        }
    }
}

/// `llvm.lifetime.start/end` must name an alloca; the unsafe stack has no use for them.
unsafe fn remove_lifetime_markers(alloca: LLVMValueRef) {
    for user in ir::users(alloca) {
        if ir::is_call(user) && ir::direct_callee(user).is_some_and(|f| ir::name(f).starts_with("llvm.lifetime.")) {
            // SAFETY: the marker returns nothing, so nothing uses it.
            unsafe { LLVMInstructionEraseFromParent(user) };
        }
    }
}

/// `llvm.stacksave` → load of `@__het_unsafe_sp`; `llvm.stackrestore(p)` → store of p.
unsafe fn replace_stack_save_restore(parts: &Parts, function: LLVMValueRef) {
    for inst in ir::instructions(function) {
        let Some(callee) = ir::is_call(inst).then(|| ir::direct_callee(inst)).flatten() else {
            continue;
        };
        let name = ir::name(callee);
        // SAFETY: `inst` is a live call, erased only after its replacement is in place.
        unsafe {
            if name.starts_with("llvm.stacksave") {
                LLVMPositionBuilderBefore(parts.builder, inst);
                let saved = parts.load_sp(c"usp.saved");
                LLVMReplaceAllUsesWith(inst, saved);
                LLVMInstructionEraseFromParent(inst);
            } else if name.starts_with("llvm.stackrestore") {
                LLVMPositionBuilderBefore(parts.builder, inst);
                parts.store_sp(LLVMGetOperand(inst, 0));
                LLVMInstructionEraseFromParent(inst);
            }
        }
    }
}

fn is_returns_twice_call(inst: LLVMValueRef) -> bool {
    ir::is_call(inst) && crate::statepoints::has_function_attribute(inst, "returns_twice")
}

/// `longjmp` skips the exits of the functions it unwinds, so their frames would stay
/// allocated on the unsafe stack; a loop of `setjmp` + failing calls would leak a
/// frame per round. Reading the pointer before each `setjmp` and writing it back
/// after both of its returns frees them. (The value read survives the `longjmp` like
/// any value not modified between `setjmp` and `longjmp`.)
///
/// Only for `returns_twice` calls other than `__het_setjmp` (`vfork`, a libc `setjmp`
/// the setjmp pass did not redirect): that value would be live across the call, and
/// `__het_longjmp` restores the pointer itself.
unsafe fn restore_after_returns_twice(parts: &Parts, calls: &[LLVMValueRef]) {
    for &call in calls {
        // SAFETY: `call` is live and not a terminator.
        unsafe {
            LLVMPositionBuilderBefore(parts.builder, call);
            let at_setjmp = parts.load_sp(c"usp.setjmp");
            LLVMPositionBuilderBefore(parts.builder, LLVMGetNextInstruction(call));
            parts.store_sp(at_setjmp);
        }
    }
}
