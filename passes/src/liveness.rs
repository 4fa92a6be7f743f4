//! SSA liveness across calls: which values of a function are still needed after a
//! given call returns.
//!
//! For each value, its live-in blocks are found by walking backwards from every use
//! to the definition (the classic per-variable path exploration; a phi uses its
//! operand at the end of the incoming block). A value is live across a call when it
//! is defined before the call and is either used later in the call's block or live
//! out of it. This is computed here rather than left to `rewrite-statepoints-for-gc`
//! so that only the values that need it are wrapped into gc pointers (see
//! `docs/equivalence-points.md`).

use crate::cfg::Cfg;
use crate::ir;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::LLVMTypeKind;
use std::collections::HashMap;

/// One value live across a call.
pub type LiveValue = LLVMValueRef;

/// Where each instruction of a function is: (block node, index in block).
struct Positions(HashMap<LLVMValueRef, (usize, usize)>);

impl Positions {
    fn of(cfg: &Cfg) -> Positions {
        let mut map = HashMap::new();
        for (node, &block) in cfg.blocks.iter().enumerate() {
            // SAFETY: iteration over a live block.
            unsafe {
                let mut inst = LLVMGetFirstInstruction(block);
                let mut i = 0;
                while !inst.is_null() {
                    map.insert(inst, (node, i));
                    inst = LLVMGetNextInstruction(inst);
                    i += 1;
                }
            }
        }
        Positions(map)
    }
}

/// For each call of `calls` (instructions of `function`), the values live across it,
/// arguments first, then instructions in layout order.
pub fn live_across(function: LLVMValueRef, cfg: &Cfg, calls: &[LLVMValueRef]) -> Vec<Vec<LiveValue>> {
    let positions = Positions::of(cfg);
    let call_positions: Vec<(usize, usize)> = calls.iter().map(|c| positions.0[c]).collect();
    let mut out = vec![Vec::new(); calls.len()];
    for value in candidates(function) {
        // An argument has no position: it is defined before everything.
        let def = positions.0.get(&value).copied();
        let Some(live) = ValueLiveness::compute(value, def, cfg, &positions) else {
            continue;
        };
        for (k, &(block, index)) in call_positions.iter().enumerate() {
            let defined_before = match def {
                Some((d, i)) if d == block => i < index,
                _ => live.live_in[block],
            };
            let needed_after = live.live_out[block] || live.last_use[block].is_some_and(|u| u > index);
            if defined_before && needed_after {
                out[k].push(value);
            }
        }
    }
    out
}

/// Arguments and value-producing instructions, in definition order.
fn candidates(function: LLVMValueRef) -> Vec<LLVMValueRef> {
    // SAFETY: `function` is a live definition.
    let params: Vec<LLVMValueRef> = unsafe {
        (0..LLVMCountParams(function))
            .map(|i| LLVMGetParam(function, i))
            .collect()
    };
    params
        .into_iter()
        .chain(ir::instructions(function))
        .filter(|&v| carries_data(v))
        .collect()
}

fn carries_data(value: LLVMValueRef) -> bool {
    use LLVMTypeKind::*;
    if is_static_alloca(value) {
        return false;
    }
    // SAFETY: `value` is live.
    let kind = unsafe { LLVMGetTypeKind(LLVMTypeOf(value)) };
    !matches!(
        kind,
        LLVMVoidTypeKind | LLVMLabelTypeKind | LLVMMetadataTypeKind | LLVMTokenTypeKind
    )
}

/// A fixed-size alloca of the entry block. Its address is a frame index, which
/// SelectionDAG materialises again in every block that uses it, from the stack or
/// frame pointer: it is never kept in a register across a call, so it needs no
/// stack-map location. (What it points to is frame memory; see
/// `docs/equivalence-points.md`.)
pub fn is_static_alloca(value: LLVMValueRef) -> bool {
    // SAFETY: `value` is live; an alloca has a parent block and a size operand.
    unsafe {
        if LLVMIsAAllocaInst(value).is_null() {
            return false;
        }
        let block = LLVMGetInstructionParent(value);
        let entry = LLVMGetEntryBasicBlock(LLVMGetBasicBlockParent(block));
        block == entry && !LLVMIsAConstantInt(LLVMGetOperand(value, 0)).is_null()
    }
}

/// Per-block facts about one value.
struct ValueLiveness {
    live_in: Vec<bool>,
    live_out: Vec<bool>,
    /// Index of the last non-phi use in each block.
    last_use: Vec<Option<usize>>,
}

impl ValueLiveness {
    /// `None` if the value has no uses.
    fn compute(
        value: LLVMValueRef,
        def: Option<(usize, usize)>,
        cfg: &Cfg,
        positions: &Positions,
    ) -> Option<ValueLiveness> {
        let n = cfg.blocks.len();
        let def_block = def.map_or(usize::MAX, |(b, _)| b);
        let mut live = ValueLiveness {
            live_in: vec![false; n],
            live_out: vec![false; n],
            last_use: vec![None; n],
        };
        let mut work = Vec::new();
        let users = ir::users(value);
        if users.is_empty() {
            return None;
        }
        for user in users {
            let Some(&(block, index)) = positions.0.get(&user) else {
                continue;
            };
            // SAFETY: `user` is a live instruction of the function.
            if unsafe { !LLVMIsAPHINode(user).is_null() } {
                // SAFETY: incoming indices stay below the phi's count.
                for i in 0..unsafe { LLVMCountIncoming(user) } {
                    if unsafe { LLVMGetIncomingValue(user, i) } == value {
                        let from = cfg.node(unsafe { LLVMGetIncomingBlock(user, i) });
                        live.live_out[from] = true;
                        work.push(from);
                    }
                }
            } else {
                live.last_use[block] = Some(live.last_use[block].map_or(index, |u: usize| u.max(index)));
                work.push(block);
            }
        }
        // Every block in `work` needs the value at its start, unless it defines it (a
        // use in the defining block follows the definition).
        while let Some(block) = work.pop() {
            if block == def_block || live.live_in[block] {
                continue;
            }
            live.live_in[block] = true;
            for pred in cfg.predecessors(block) {
                live.live_out[pred] = true;
                if pred != def_block && !live.live_in[pred] {
                    work.push(pred);
                }
            }
        }
        Some(live)
    }
}
