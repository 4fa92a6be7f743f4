//! Carrying live values across equivalence points as gc pointers, so that
//! `rewrite-statepoints-for-gc` relocates them and the backend records where each one
//! lives at the statepoint — a location the code after the call reads back
//! (design.md §2).
//!
//! Wrapping is local to each point. Right before the call, each value live across it
//! is split into integer parts of at most 64 bits and each part becomes an
//! `inttoptr … to ptr addrspace(1)`; right after the call the parts are turned back
//! into the value, which from then on replaces the original:
//!
//! | type | parts |
//! |---|---|
//! | integer up to 64 bits | itself |
//! | wider integer (`i128`) | 64-bit pieces, low first |
//! | pointer | `ptrtoint` to `i64` |
//! | `half`, `bfloat`, `float`, `double` | `bitcast` to an integer of the same width |
//! | fixed vector, array, struct | the parts of each element, in order |
//!
//! "Replaces the original" needs SSA repair where paths with and without the call
//! meet. Each carried value gets a stack slot: stored at its definition and after
//! every point, loaded at every use and before every point; `mem2reg` (run with the
//! rewrite) then builds the phis. Code that does not pass a point is unchanged, so a
//! loop whose only point is its cold migration slow path keeps its hot path as it was
//! (measured: wrapping at the definition instead made CPU-bound corpus programs
//! 30–140 % slower, the casts hiding induction variables from the backend).
//!
//! Pointers are not `addrspacecast`: the rewrite pass would take the
//! address-space-0 pointer as the gc value's base and produce an invalid relocation
//! (measured), while an `inttoptr` is its own base.

use crate::diagnostic::Diagnostic;
use crate::ir;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::LLVMTypeKind;
use std::collections::HashMap;

/// What kind of data a wrapped part holds; recorded for the runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartKind {
    /// An integer (or a piece of a wider one).
    Integer,
    /// The bits of a floating-point value.
    Float,
    /// A pointer (which may point into a stack frame).
    Pointer,
}

/// One wrapped part: the gc pointer and the integer type it was made from.
#[derive(Clone, Copy, Debug)]
struct Part {
    wrapped: LLVMValueRef,
    int_ty: LLVMTypeRef,
}

/// Carries every value of `points[i].1` across the call `points[i].0` (calls of
/// `function`), as the module docs describe. Leaves loads and stores of slots that the
/// caller must promote with `mem2reg`.
pub fn carry_across(
    function: LLVMValueRef,
    points: &[(LLVMValueRef, Vec<LLVMValueRef>)],
) -> Result<(), Vec<Diagnostic>> {
    let mut values: Vec<LLVMValueRef> = Vec::new();
    for value in points.iter().flat_map(|(_, live)| live) {
        if !values.contains(value) {
            values.push(*value);
        }
    }
    let problems: Vec<Diagnostic> = values
        .iter()
        .filter_map(|&v| check_supported(ir::type_of(v)).err().map(|why| unsupported(v, why)))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    // SAFETY: every value is a live argument or non-terminator instruction of
    // `function` and every call one of its calls; slots are entry-block allocas, each
    // stored right after its value's definition, which dominates every use and every
    // point the value is live across, so every load reads a stored value.
    unsafe {
        let ctx = LLVMGetTypeContext(LLVMTypeOf(function));
        let b = LLVMCreateBuilderInContext(ctx);
        // Found before the slots exist: giving a value its slot rewrites its uses,
        // the casts' operands included, into loads.
        let derived: Vec<Vec<Derivation>> = points
            .iter()
            .map(|(_, live)| live.iter().filter_map(|&v| derivation_from_live(v, live)).collect())
            .collect();
        let mut slots = HashMap::new();
        for &value in &values {
            slots.insert(value, give_slot(b, function, value));
        }
        for ((call, live), derived) in points.iter().zip(&derived) {
            // Rematerialised values first: each insertion lands right after the call,
            // in front of the earlier ones, so these end up after every re-store.
            for derivation in derived {
                rematerialise(b, *call, derivation, &slots);
            }
            for &value in live.iter().filter(|v| !derived.iter().any(|d| d.value == **v)) {
                carry_one(b, *call, value, slots[&value]);
            }
        }
        LLVMDisposeBuilder(b);
    }
    Ok(())
}

/// A live value that is a chain of casts of another value live across the same point:
/// it is recomputed after the call from that value instead of being carried.
///
/// Thread addresses (`llvm.threadlocal.address`, `__errno_location()`,
/// `pthread_self()`) need nothing of the kind: hetcc's musl puts every thread's
/// descriptor and TLS block at the same address on every ISA (docs/threads.md), so
/// they are carried like any pointer.
struct Derivation {
    value: LLVMValueRef,
    /// A value live across the same point: carried, never derived itself; read back
    /// from its slot.
    root: LLVMValueRef,
    /// The casts from the root to `value`, the root's user first.
    casts: Vec<LLVMValueRef>,
}

/// How `value` derives from another value live across the same point through casts
/// (`zext`, `sext`, `trunc`, `bitcast`, `ptrtoint`, `inttoptr`, `freeze`…), if it does.
/// Carrying both made the ISAs disagree: statepoint lowering records two gc values
/// once when they are one DAG node, and whether a cast folds away depends on the
/// target. x86-64 and aarch64 lower `inttoptr i32 %x` and `zext i32 %x to i64` to one
/// node, riscv64 (whose `i32`s live sign-extended) to two (NPB mg); riscv64 folds
/// `inttoptr i8 (trunc i32 %x)` into `inttoptr i32 %x` when it knows `%x` is small,
/// x86-64 does not (SQLite's `sqlite3CreateFunc`). The chain is followed to the
/// topmost live value, so the root is never derived itself.
fn derivation_from_live(value: LLVMValueRef, live: &[LLVMValueRef]) -> Option<Derivation> {
    let mut chain = Vec::new();
    let mut found = None;
    let mut current = value;
    while is_cast(current) {
        chain.push(current);
        current = ir::operand(current, 0);
        if live.contains(&current) {
            found = Some((current, chain.len()));
        }
    }
    let (root, length) = found?;
    let mut casts = chain[..length].to_vec();
    casts.reverse();
    Some(Derivation { value, root, casts })
}

/// Whether `value` is an instruction that only converts its one operand.
fn is_cast(value: LLVMValueRef) -> bool {
    // SAFETY: the instruction queries accept any value.
    unsafe {
        !LLVMIsACastInst(value).is_null()
            || (!LLVMIsAInstruction(value).is_null()
                && LLVMGetInstructionOpcode(value) == inkwell::llvm_sys::LLVMOpcode::LLVMFreeze)
    }
}

/// Recomputes a derived value right after `call`, from its root's slot (already
/// re-stored there by then, see `carry_across`).
///
/// # Safety
/// `call` is a live call that is not a terminator; the derivation was found before
/// slots rewrote the casts' operands; its value and its root have slots in `slots`.
unsafe fn rematerialise(
    b: LLVMBuilderRef,
    call: LLVMValueRef,
    derivation: &Derivation,
    slots: &HashMap<LLVMValueRef, LLVMValueRef>,
) {
    LLVMPositionBuilderBefore(b, LLVMGetNextInstruction(call));
    let root = derivation.root;
    let mut current = LLVMBuildLoad2(b, LLVMTypeOf(root), slots[&root], c"".as_ptr());
    for &cast in &derivation.casts {
        current = match LLVMGetInstructionOpcode(cast) {
            inkwell::llvm_sys::LLVMOpcode::LLVMFreeze => LLVMBuildFreeze(b, current, c"".as_ptr()),
            opcode => LLVMBuildCast(b, opcode, current, LLVMTypeOf(cast), c"".as_ptr()),
        };
    }
    LLVMBuildStore(b, current, slots[&derivation.value]);
}

/// Creates `value`'s slot, stores the value after its definition and makes every use
/// load it.
///
/// # Safety
/// As for `carry_across`.
unsafe fn give_slot(b: LLVMBuilderRef, function: LLVMValueRef, value: LLVMValueRef) -> LLVMValueRef {
    let users = ir::users(value);
    let ty = LLVMTypeOf(value);
    // Found before the alloca exists: for an argument it is the entry block's first
    // instruction, which the store must follow the alloca to reach.
    let after_definition = insertion_point_after(value);
    LLVMPositionBuilderBefore(b, LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(function)));
    let name = std::ffi::CString::new(format!("{}.slot", ir::name(value))).unwrap_or_default();
    let slot = LLVMBuildAlloca(b, ty, name.as_ptr());
    LLVMPositionBuilderBefore(b, after_definition);
    LLVMBuildStore(b, value, slot);
    replace_at_each_use(b, value, &users, &mut |b| LLVMBuildLoad2(b, ty, slot, c"".as_ptr()));
    slot
}

/// Makes each of `users` use, instead of `value`, what `fetch` builds right before the
/// use (for a phi, at the end of the incoming block). `users` are `value`'s users
/// collected before anything that must keep using it (a store of it) was added.
///
/// # Safety
/// `value` is a live value; `users` are live instructions; `fetch` builds, at the
/// builder's position, a value of `value`'s type that is valid there.
pub(crate) unsafe fn replace_at_each_use(
    b: LLVMBuilderRef,
    value: LLVMValueRef,
    users: &[LLVMValueRef],
    fetch: &mut dyn FnMut(LLVMBuilderRef) -> LLVMValueRef,
) {
    let mut at_block_end: HashMap<LLVMBasicBlockRef, LLVMValueRef> = HashMap::new();
    let mut seen = Vec::new();
    for &user in users {
        if seen.contains(&user) || is_lifetime_marker(user) {
            continue;
        }
        seen.push(user);
        let is_phi = !LLVMIsAPHINode(user).is_null();
        for i in 0..ir::operand_count(user) {
            if ir::operand(user, i) != value {
                continue;
            }
            // A phi must see one value per incoming block: one fetch per block.
            let fetched = if is_phi {
                let pred = LLVMGetIncomingBlock(user, i);
                *at_block_end.entry(pred).or_insert_with(|| {
                    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(pred));
                    fetch(b)
                })
            } else {
                LLVMPositionBuilderBefore(b, user);
                fetch(b)
            };
            LLVMSetOperand(user, i, fetched);
        }
    }
}

/// Wraps the slot's current value before `call` and stores the unwrapped parts back
/// after it.
///
/// # Safety
/// `call` is a live call that is not a terminator; `slot` is `value`'s slot.
unsafe fn carry_one(b: LLVMBuilderRef, call: LLVMValueRef, value: LLVMValueRef, slot: LLVMValueRef) {
    let ty = LLVMTypeOf(value);
    let gc_ptr = LLVMPointerTypeInContext(LLVMGetTypeContext(ty), 1);
    LLVMPositionBuilderBefore(b, call);
    let current = LLVMBuildLoad2(b, ty, slot, c"".as_ptr());
    let mut ints = Vec::new();
    split(b, current, &mut ints);
    let name = std::ffi::CString::new(format!("{}.live", ir::name(value))).unwrap_or_default();
    let parts: Vec<Part> = ints
        .into_iter()
        .map(|int| Part {
            wrapped: LLVMBuildIntToPtr(b, int, gc_ptr, name.as_ptr()),
            int_ty: LLVMTypeOf(int),
        })
        .collect();
    LLVMPositionBuilderBefore(b, LLVMGetNextInstruction(call));
    let rebuilt = rebuild(b, ty, &parts);
    LLVMBuildStore(b, rebuilt, slot);
}

/// `llvm.lifetime.start/end` must name an alloca itself, so a dynamic alloca's markers
/// keep the original value (they generate no code that reads it).
fn is_lifetime_marker(user: LLVMValueRef) -> bool {
    ir::is_call(user) && ir::direct_callee(user).is_some_and(|f| ir::name(f).starts_with("llvm.lifetime."))
}

/// `Err(why)` for types with no fixed-width integer representation.
fn check_supported(ty: LLVMTypeRef) -> Result<(), &'static str> {
    use LLVMTypeKind::*;
    // SAFETY: `ty` is live; element queries match its kind.
    unsafe {
        match LLVMGetTypeKind(ty) {
            LLVMIntegerTypeKind | LLVMPointerTypeKind | LLVMHalfTypeKind | LLVMBFloatTypeKind | LLVMFloatTypeKind
            | LLVMDoubleTypeKind | LLVMFP128TypeKind => Ok(()),
            LLVMVectorTypeKind | LLVMArrayTypeKind => check_supported(LLVMGetElementType(ty)),
            LLVMStructTypeKind => {
                (0..LLVMCountStructElementTypes(ty)).try_for_each(|i| check_supported(LLVMStructGetTypeAtIndex(ty, i)))
            }
            LLVMScalableVectorTypeKind => Err("a scalable vector"),
            LLVMX86_FP80TypeKind | LLVMPPC_FP128TypeKind => Err("a non-IEEE long double"),
            _ => Err("a value of a type hetcc cannot carry across a migration"),
        }
    }
}

fn unsupported(value: LLVMValueRef, why: &str) -> Diagnostic {
    // SAFETY: `value` is live; only instructions carry debug locations.
    let located = unsafe { !LLVMIsAInstruction(value).is_null() };
    let (file, line, column) = located.then(|| ir::location(value)).flatten().unwrap_or_default();
    let message = format!(
        "{why} (`{}`) is live across a call that may reach a migration point; hetcc -fhet-migratable cannot carry it",
        ir::name(value)
    );
    Diagnostic {
        file,
        line,
        column,
        message,
    }
}

/// The first instruction that may follow `value`'s definition: the entry block's first
/// instruction for an argument, the first non-phi for a phi, else the next one.
///
/// # Safety
/// `value` is a live argument, or a live non-terminator instruction.
pub(crate) unsafe fn insertion_point_after(value: LLVMValueRef) -> LLVMValueRef {
    if !LLVMIsAArgument(value).is_null() {
        return LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(LLVMGetParamParent(value)));
    }
    let mut next = LLVMGetNextInstruction(value);
    while !LLVMIsAPHINode(next).is_null() {
        next = LLVMGetNextInstruction(next);
    }
    next
}

/// Appends the integer parts of `v` to `out` (see the module docs for the order).
///
/// # Safety
/// `b` is positioned where `v` is available; `v`'s type passed `check_supported`.
unsafe fn split(b: LLVMBuilderRef, v: LLVMValueRef, out: &mut Vec<LLVMValueRef>) {
    use LLVMTypeKind::*;
    let ty = LLVMTypeOf(v);
    let ctx = LLVMGetTypeContext(ty);
    let i64_ty = LLVMInt64TypeInContext(ctx);
    let none = c"".as_ptr();
    match LLVMGetTypeKind(ty) {
        LLVMIntegerTypeKind if LLVMGetIntTypeWidth(ty) <= 64 => out.push(v),
        LLVMIntegerTypeKind => {
            for k in 0..LLVMGetIntTypeWidth(ty).div_ceil(64) {
                let shifted = if k == 0 {
                    v
                } else {
                    LLVMBuildLShr(b, v, LLVMConstInt(ty, 64 * k as u64, 0), none)
                };
                out.push(LLVMBuildTrunc(b, shifted, i64_ty, none));
            }
        }
        LLVMPointerTypeKind => out.push(LLVMBuildPtrToInt(b, v, i64_ty, none)),
        LLVMVectorTypeKind => {
            for lane in 0..LLVMGetVectorSize(ty) {
                let lane =
                    LLVMBuildExtractElement(b, v, LLVMConstInt(LLVMInt32TypeInContext(ctx), lane as u64, 0), none);
                split(b, lane, out);
            }
        }
        LLVMArrayTypeKind | LLVMStructTypeKind => {
            for i in 0..aggregate_len(ty) {
                split(b, LLVMBuildExtractValue(b, v, i, none), out);
            }
        }
        // binary128 `long double`: its bits, as two 64-bit halves.
        LLVMFP128TypeKind => split(b, LLVMBuildBitCast(b, v, LLVMInt128TypeInContext(ctx), none), out),
        _ => out.push(LLVMBuildBitCast(b, v, float_bits(ty), none)),
    }
}

/// Rebuilds a value of type `ty` from all of `parts`.
///
/// # Safety
/// `b` is positioned where every part is available; `parts` came from `split` of a
/// value of type `ty`.
unsafe fn rebuild(b: LLVMBuilderRef, ty: LLVMTypeRef, parts: &[Part]) -> LLVMValueRef {
    let mut ints = parts
        .iter()
        .map(|p| LLVMBuildPtrToInt(b, p.wrapped, p.int_ty, c"".as_ptr()));
    join(b, ty, &mut ints)
}

/// # Safety
/// As for `rebuild`; `ints` yields the integer parts in `split` order.
unsafe fn join(b: LLVMBuilderRef, ty: LLVMTypeRef, ints: &mut dyn Iterator<Item = LLVMValueRef>) -> LLVMValueRef {
    use LLVMTypeKind::*;
    let none = c"".as_ptr();
    let mut next = || ints.next().expect("as many parts as split made");
    match LLVMGetTypeKind(ty) {
        LLVMIntegerTypeKind if LLVMGetIntTypeWidth(ty) <= 64 => next(),
        LLVMIntegerTypeKind => {
            let mut acc = LLVMBuildZExt(b, next(), ty, none);
            for k in 1..LLVMGetIntTypeWidth(ty).div_ceil(64) {
                let piece = LLVMBuildZExt(b, next(), ty, none);
                let shifted = LLVMBuildShl(b, piece, LLVMConstInt(ty, 64 * k as u64, 0), none);
                acc = LLVMBuildOr(b, acc, shifted, none);
            }
            acc
        }
        LLVMPointerTypeKind => LLVMBuildIntToPtr(b, next(), ty, none),
        LLVMVectorTypeKind => {
            let i32_ty = LLVMInt32TypeInContext(LLVMGetTypeContext(ty));
            let mut acc = LLVMGetPoison(ty);
            for lane in 0..LLVMGetVectorSize(ty) {
                let element = join(b, LLVMGetElementType(ty), ints);
                acc = LLVMBuildInsertElement(b, acc, element, LLVMConstInt(i32_ty, lane as u64, 0), none);
            }
            acc
        }
        LLVMArrayTypeKind | LLVMStructTypeKind => {
            let mut acc = LLVMGetPoison(ty);
            for i in 0..aggregate_len(ty) {
                let element_ty = if LLVMGetTypeKind(ty) == LLVMArrayTypeKind {
                    LLVMGetElementType(ty)
                } else {
                    LLVMStructGetTypeAtIndex(ty, i)
                };
                let element = join(b, element_ty, ints);
                acc = LLVMBuildInsertValue(b, acc, element, i, none);
            }
            acc
        }
        LLVMFP128TypeKind => {
            let bits = join(b, LLVMInt128TypeInContext(LLVMGetTypeContext(ty)), ints);
            LLVMBuildBitCast(b, bits, ty, none)
        }
        _ => LLVMBuildBitCast(b, next(), ty, none),
    }
}

/// # Safety
/// `ty` is a live array or struct type.
unsafe fn aggregate_len(ty: LLVMTypeRef) -> u32 {
    if LLVMGetTypeKind(ty) == LLVMTypeKind::LLVMArrayTypeKind {
        LLVMGetArrayLength2(ty) as u32
    } else {
        LLVMCountStructElementTypes(ty)
    }
}

/// The integer type with a floating-point type's width.
///
/// # Safety
/// `ty` is a live `half`, `bfloat`, `float` or `double`.
unsafe fn float_bits(ty: LLVMTypeRef) -> LLVMTypeRef {
    let ctx = LLVMGetTypeContext(ty);
    let bits = match LLVMGetTypeKind(ty) {
        LLVMTypeKind::LLVMHalfTypeKind | LLVMTypeKind::LLVMBFloatTypeKind => 16,
        LLVMTypeKind::LLVMFloatTypeKind => 32,
        _ => 64,
    };
    LLVMIntTypeInContext(ctx, bits)
}
