//! Wrapping a live value into gc pointers, so that `rewrite-statepoints-for-gc`
//! relocates it and the backend records where it lives at every statepoint it
//! crosses — a location the code after the call reads again (design.md §2).
//!
//! Right after its definition, a value is split into integer parts of at most 64 bits
//! and each part becomes an `inttoptr … to ptr addrspace(1)`:
//!
//! | type | parts |
//! |---|---|
//! | integer up to 64 bits | itself |
//! | wider integer (`i128`) | 64-bit pieces, low first |
//! | pointer | `ptrtoint` to `i64` |
//! | `half`, `bfloat`, `float`, `double` | `bitcast` to an integer of the same width |
//! | fixed vector, array, struct | the parts of each element, in order |
//!
//! Every use of the value is rewritten to rebuild it from the wrapped parts
//! (`ptrtoint` back, then the inverse of the split), right before the use or, for a
//! phi, at the end of the incoming block. Pointers are not `addrspacecast`: the
//! rewrite pass would take the address-space-0 pointer as the gc value's base and
//! produce an invalid relocation (measured), while an `inttoptr` is its own base.

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
pub struct Part {
    /// `inttoptr` of the part, in address space 1.
    pub wrapped: LLVMValueRef,
    int_ty: LLVMTypeRef,
}

/// Wraps `value` (live across some equivalence point) and rewrites its uses.
pub fn wrap(value: LLVMValueRef) -> Result<Vec<Part>, Diagnostic> {
    check_supported(ir::type_of(value)).map_err(|why| unsupported(value, why))?;
    let users = ir::users(value);
    // SAFETY: `value` is a live argument or instruction; every builder position is
    // inside its function and dominated by it (see `insertion_point_after`); uses are
    // rewritten operand by operand, with one rebuilt value per phi predecessor block,
    // since a phi must see one value per incoming block.
    unsafe {
        let ctx = LLVMGetTypeContext(ir::type_of(value));
        let b = LLVMCreateBuilderInContext(ctx);
        LLVMPositionBuilderBefore(b, insertion_point_after(value));
        let mut ints = Vec::new();
        split(b, value, &mut ints);
        let gc_ptr = LLVMPointerTypeInContext(ctx, 1);
        let base = ir::name(value);
        let parts: Vec<Part> = ints
            .into_iter()
            .map(|int| {
                let name = std::ffi::CString::new(format!("{base}.live")).unwrap_or_default();
                Part { wrapped: LLVMBuildIntToPtr(b, int, gc_ptr, name.as_ptr()), int_ty: LLVMTypeOf(int) }
            })
            .collect();
        let mut at_block_end: HashMap<LLVMBasicBlockRef, LLVMValueRef> = HashMap::new();
        let mut seen = Vec::new();
        for user in users {
            if seen.contains(&user) || is_lifetime_marker(user) {
                continue;
            }
            seen.push(user);
            let is_phi = !LLVMIsAPHINode(user).is_null();
            for i in 0..ir::operand_count(user) {
                if ir::operand(user, i) != value {
                    continue;
                }
                let rebuilt = if is_phi {
                    let pred = LLVMGetIncomingBlock(user, i);
                    *at_block_end.entry(pred).or_insert_with(|| {
                        LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(pred));
                        rebuild(b, ir::type_of(value), &parts)
                    })
                } else {
                    LLVMPositionBuilderBefore(b, user);
                    rebuild(b, ir::type_of(value), &parts)
                };
                LLVMSetOperand(user, i, rebuilt);
            }
        }
        LLVMDisposeBuilder(b);
        Ok(parts)
    }
}

/// `llvm.lifetime.start/end` must name an alloca itself, so a dynamic alloca's markers
/// keep the original value (they generate no code that reads it).
fn is_lifetime_marker(user: LLVMValueRef) -> bool {
    ir::is_call(user) && ir::direct_callee(user).is_some_and(|f| ir::name(f).starts_with("llvm.lifetime."))
}

/// The kinds of the parts `ty` splits into, in part order.
pub fn part_kinds(ty: LLVMTypeRef) -> Vec<PartKind> {
    let mut out = Vec::new();
    collect_kinds(ty, &mut out);
    out
}

fn collect_kinds(ty: LLVMTypeRef, out: &mut Vec<PartKind>) {
    use LLVMTypeKind::*;
    // SAFETY: `ty` is a live, supported type (checked before wrapping).
    unsafe {
        match LLVMGetTypeKind(ty) {
            LLVMIntegerTypeKind => {
                let pieces = LLVMGetIntTypeWidth(ty).div_ceil(64);
                out.extend(std::iter::repeat_n(PartKind::Integer, pieces as usize));
            }
            LLVMPointerTypeKind => out.push(PartKind::Pointer),
            LLVMVectorTypeKind => {
                for _ in 0..LLVMGetVectorSize(ty) {
                    collect_kinds(LLVMGetElementType(ty), out);
                }
            }
            LLVMArrayTypeKind => {
                for _ in 0..LLVMGetArrayLength2(ty) {
                    collect_kinds(LLVMGetElementType(ty), out);
                }
            }
            LLVMStructTypeKind => {
                for i in 0..LLVMCountStructElementTypes(ty) {
                    collect_kinds(LLVMStructGetTypeAtIndex(ty, i), out);
                }
            }
            _ => out.push(PartKind::Float),
        }
    }
}

/// `Err(why)` for types with no fixed-width integer representation.
fn check_supported(ty: LLVMTypeRef) -> Result<(), &'static str> {
    use LLVMTypeKind::*;
    // SAFETY: `ty` is live; element queries match its kind.
    unsafe {
        match LLVMGetTypeKind(ty) {
            LLVMIntegerTypeKind | LLVMPointerTypeKind | LLVMHalfTypeKind | LLVMBFloatTypeKind | LLVMFloatTypeKind
            | LLVMDoubleTypeKind => Ok(()),
            LLVMVectorTypeKind | LLVMArrayTypeKind => check_supported(LLVMGetElementType(ty)),
            LLVMStructTypeKind => {
                (0..LLVMCountStructElementTypes(ty)).try_for_each(|i| check_supported(LLVMStructGetTypeAtIndex(ty, i)))
            }
            LLVMScalableVectorTypeKind => Err("a scalable vector"),
            LLVMX86_FP80TypeKind | LLVMFP128TypeKind | LLVMPPC_FP128TypeKind => Err("a long double"),
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
    Diagnostic { file, line, column, message }
}

/// The first instruction that may follow `value`'s definition: the entry block's first
/// instruction for an argument, the first non-phi for a phi, else the next one.
///
/// # Safety
/// `value` is a live argument, or a live non-terminator instruction.
unsafe fn insertion_point_after(value: LLVMValueRef) -> LLVMValueRef {
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
                let shifted = if k == 0 { v } else { LLVMBuildLShr(b, v, LLVMConstInt(ty, 64 * k as u64, 0), none) };
                out.push(LLVMBuildTrunc(b, shifted, i64_ty, none));
            }
        }
        LLVMPointerTypeKind => out.push(LLVMBuildPtrToInt(b, v, i64_ty, none)),
        LLVMVectorTypeKind => {
            for lane in 0..LLVMGetVectorSize(ty) {
                let lane = LLVMBuildExtractElement(b, v, LLVMConstInt(LLVMInt32TypeInContext(ctx), lane as u64, 0), none);
                split(b, lane, out);
            }
        }
        LLVMArrayTypeKind | LLVMStructTypeKind => {
            for i in 0..aggregate_len(ty) {
                split(b, LLVMBuildExtractValue(b, v, i, none), out);
            }
        }
        _ => out.push(LLVMBuildBitCast(b, v, float_bits(ty), none)),
    }
}

/// Rebuilds a value of type `ty` from all of `parts`.
///
/// # Safety
/// `b` is positioned where every part is available; `parts` came from `split` of a
/// value of type `ty`.
unsafe fn rebuild(b: LLVMBuilderRef, ty: LLVMTypeRef, parts: &[Part]) -> LLVMValueRef {
    let mut ints = parts.iter().map(|p| LLVMBuildPtrToInt(b, p.wrapped, p.int_ty, c"".as_ptr()));
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
