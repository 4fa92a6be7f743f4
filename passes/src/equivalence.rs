//! Equivalence points: the calls at which a thread may be stopped on one ISA and
//! resumed on another. Run on the linked canonical module, before it is cloned per
//! ISA, so every ISA's binary has the same points with the same IDs by construction.
//!
//! Steps ([`make_migratable`]):
//! 1. migration points ([`crate::migration_points`]) at loop latches and recursive
//!    entries;
//! 2. the call graph ([`crate::callgraph`]) decides which calls may reach one: those,
//!    and every `__het_setjmp` call, become equivalence points, numbered densely in
//!    module order (function order, then instruction order), starting at 1; a
//!    variadic one (a libc call) calls a non-variadic thunk instead ([`crate::thunks`]);
//! 3. every value live across an equivalence point ([`crate::liveness`]) is wrapped
//!    into gc pointers around that point ([`crate::gc_values`]);
//! 4. `mem2reg` repairs SSA form after the wrapping, and LLVM's
//!    `rewrite-statepoints-for-gc` turns the points into statepoints
//!    ([`crate::statepoints`]); the backends then record, at each return address, the
//!    stack slot holding each live value, which the code after the call reads back;
//! 5. each statepoint gets a `"deopt"` bundle of constants describing its values
//!    ([`crate::value_kinds`]).
//!
//! Not equivalence points: intrinsics, inline asm, calls that cannot reach a migration
//! point, `musttail` calls (the caller's frame is gone while the callee runs) and
//! `returns_twice` calls other than `__het_setjmp` (`vfork`: its second return does
//! not come from the call, so no stack map could describe the values it needs).
//!
//! Every `__het_setjmp` call ([`crate::setjmp`]) is one, whether or not it may reach a
//! migration point: the runtime finds the destination return address of each live
//! `jmp_buf`'s `setjmp` by its ID. Nothing may be live across it (the setjmp pass
//! demoted it all to memory): SelectionDAG reuses statepoint spill slots between the
//! statepoints of a function, so a value recorded there could be overwritten before
//! the second return. A live value there is reported as an internal error. After the
//! rewrite, such statepoints are marked `returns_twice`.

use crate::callgraph::{CallGraph, Callee};
use crate::cfg::Cfg;
use crate::diagnostic::Diagnostic;
use crate::migration_points::{self, MigrationPoint};
use crate::setjmp::is_setjmp_call;
use crate::thunks::Thunks;
use crate::{gc_values, ir, liveness, setjmp, statepoints, value_kinds};
use inkwell::llvm_sys::prelude::*;
use inkwell::module::Module;
use std::collections::BTreeMap;

/// One equivalence point, as chosen (before the rewrite into a statepoint).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EquivalencePoint {
    /// The statepoint ID, the same in every ISA's stack map.
    pub id: u64,
    /// The calling function.
    pub function: String,
    /// The called function's name, or `<indirect>`.
    pub callee: String,
    /// How many values (before splitting into parts) are live across it.
    pub live_values: usize,
}

/// What [`make_migratable`] did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Inserted checks.
    pub migration_points: Vec<MigrationPoint>,
    /// Chosen calls, by ID.
    pub equivalence_points: Vec<EquivalencePoint>,
}

/// The first statepoint ID (0 is left free to mean "none").
pub const FIRST_ID: u64 = 1;

/// Inserts migration points and turns every call that may reach one into an
/// equivalence point (see the module docs).
pub fn make_migratable(module: &Module<'_>) -> Result<Summary, Vec<Diagnostic>> {
    let m = module.as_mut_ptr();
    let migration_points = migration_points::insert(m, &CallGraph::of(m));
    let graph = CallGraph::of(m);
    let reaches = graph.reaching_migration_points();
    let mut per_function: BTreeMap<usize, Vec<(LLVMValueRef, u64)>> = BTreeMap::new();
    let chosen = graph
        .calls
        .iter()
        .filter(|s| is_setjmp_call(s.call) || (graph.may_reach(s, &reaches) && eligible(s.call)));
    let mut thunks = Thunks::default();
    for (id, site) in (FIRST_ID..).zip(chosen) {
        let call = if ir::is_variadic_call(site.call) {
            thunks.route(m, site.call)
        } else {
            site.call
        };
        per_function.entry(site.caller).or_default().push((call, id));
    }
    let mut equivalence_points = Vec::new();
    let mut problems = Vec::new();
    for (&caller, points) in &per_function {
        let function = graph.functions[caller];
        let calls: Vec<LLVMValueRef> = points.iter().map(|p| p.0).collect();
        let live = liveness::live_across(function, &Cfg::of(function), &calls);
        if let Some(problem) = live_across_setjmp(function, &calls, &live) {
            problems.push(problem);
            continue;
        }
        for (&(call, id), values) in points.iter().zip(&live) {
            let callee = describe_callee(&graph, call);
            equivalence_points.push(EquivalencePoint {
                id,
                function: ir::name(function),
                callee,
                live_values: values.len(),
            });
        }
        let carried: Vec<(LLVMValueRef, Vec<LLVMValueRef>)> = calls.into_iter().zip(live).collect();
        if let Err(mut found) = gc_values::carry_across(function, &carried) {
            problems.append(&mut found);
        }
        statepoints::mark(function, points);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    keep_frame_pointers(&graph);
    statepoints::rewrite(m).map_err(|e| vec![internal(format!("rewrite-statepoints-for-gc failed: {e}"))])?;
    setjmp::mark_setjmp_statepoints(m);
    statepoints::isolate_resume_points(m);
    value_kinds::describe(m).map_err(|e| vec![internal(e)])?;
    Ok(Summary {
        migration_points,
        equivalence_points,
    })
}

/// Calls that may be equivalence points at all (see the module docs).
fn eligible(call: LLVMValueRef) -> bool {
    // SAFETY: `call` is a live call or invoke.
    let is_invoke = unsafe { !inkwell::llvm_sys::core::LLVMIsAInvokeInst(call).is_null() };
    !is_invoke && !statepoints::is_musttail(call) && !statepoints::has_function_attribute(call, "returns_twice")
}

/// An internal error if a value is live across one of `function`'s `__het_setjmp`
/// calls (`live[i]` is what is live across `calls[i]`).
fn live_across_setjmp(
    function: LLVMValueRef,
    calls: &[LLVMValueRef],
    live: &[Vec<LLVMValueRef>],
) -> Option<Diagnostic> {
    let values: Vec<String> = calls
        .iter()
        .zip(live)
        .filter(|(&call, _)| is_setjmp_call(call))
        .flat_map(|(_, values)| values.iter().map(|&v| format!("`{}`", ir::name(v))))
        .collect();
    (!values.is_empty()).then(|| {
        internal(format!(
            "in `{}`, {} live across a setjmp after the setjmp pass",
            ir::name(function),
            values.join(", ")
        ))
    })
}

fn describe_callee(graph: &CallGraph, call: LLVMValueRef) -> String {
    let site = graph.calls.iter().find(|s| s.call == call);
    match (site.map(|s| s.callee), ir::direct_callee(call)) {
        (Some(Callee::AddressTaken), None) => "<indirect>".into(),
        (_, Some(f)) => ir::name(f),
        _ => "<indirect>".into(),
    }
}

/// `"frame-pointer"="all"` on every function: with a frame pointer in every frame,
/// the runtime walks a stack the same way on every ISA, from the frame pointer chain,
/// and finds each frame's stack-map slots (which the stack maps give relative to the
/// stack pointer or the frame pointer) without needing unwind tables, which musl's
/// own frames lack on x86_64 and riscv64.
fn keep_frame_pointers(graph: &CallGraph) {
    for &function in &graph.functions {
        ir::set_function_attribute(function, "frame-pointer", "all");
        // A frame that realigns its stack pointer (`and rsp, -32` for an over-aligned
        // spill) has a CFA − SP distance that depends on the incoming alignment, so the
        // table's static frame size is wrong for it and a rebuilt frame (or a later walk)
        // disagrees with the code (measured: NPB ft, "CFA - SP = 544, table says 512",
        // then a crash after a restore). Without realignment LLVM caps such slots at the
        // ABI stack alignment.
        ir::set_function_attribute(function, "no-realign-stack", "");
    }
}

fn internal(message: String) -> Diagnostic {
    Diagnostic {
        file: String::new(),
        line: 0,
        column: 0,
        message: format!("internal error: {message}"),
    }
}
