//! The whole program's call graph (petgraph), with one extra node standing for "some
//! function whose address was taken".
//!
//! Rules (documented in `docs/equivalence-points.md`):
//! - a direct call to a function the program defines is an edge to it;
//! - an indirect call is an edge to the address-taken node, which has an edge to every
//!   function whose address is taken (any use other than as a call's callee);
//! - a call to a declaration (libc) is no edge, unless the call can call back into the
//!   program: it receives a program function as an argument, or the callee is a libc
//!   function known to call back ([`CALLBACK_LIBC`]); then it
//!   is an edge to the address-taken node;
//! - intrinsics, inline asm and the migration slow path are no edges.

use crate::ir;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, Reversed};
use std::collections::{HashMap, HashSet};

/// The runtime's slow path, called when a migration was requested.
pub const MIGRATION_POINT_FN: &str = "__het_migration_point";
/// The runtime's request flag (a `u32` in `runtime-lib`).
pub const MIGRATION_REQUEST_FLAG: &str = "__het_migration_request";

/// libc functions that may call program code: they take a callback (which may come
/// from a variable, so it is not always visible as a program function argument), or
/// run one stored earlier (`exit` runs `atexit` handlers, `raise` a signal handler).
/// A call to them is treated like an indirect call.
pub const CALLBACK_LIBC: &[&str] = &[
    "qsort",
    "qsort_r",
    "bsearch",
    "lfind",
    "lsearch",
    "tsearch",
    "tfind",
    "tdelete",
    "twalk",
    "tdestroy",
    "nftw",
    "ftw",
    "scandir",
    "glob",
    "atexit",
    "at_quick_exit",
    "on_exit",
    "signal",
    "sigaction",
    "bsd_signal",
    "sigset",
    "pthread_create",
    "pthread_once",
    "pthread_atfork",
    "pthread_key_create",
    "thrd_create",
    "call_once",
    "tss_create",
    "exit",
    "quick_exit",
    "raise",
    "kill",
];

/// What a call instruction calls, as far as reaching a migration point goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Callee {
    /// A function the program defines (node index in the graph).
    Program(usize),
    /// Some address-taken function: an indirect call, or libc that may call back.
    AddressTaken,
    /// The migration slow path itself.
    MigrationPoint,
    /// libc that never calls back into the program.
    Leaf,
    /// An intrinsic or inline asm: never a call in the generated code's sense.
    NotACall,
}

/// One call instruction and what it may reach.
#[derive(Clone, Copy, Debug)]
pub struct CallSite {
    /// The call instruction.
    pub call: LLVMValueRef,
    /// The calling function's node.
    pub caller: usize,
    /// What it calls.
    pub callee: Callee,
}

/// Call graph of every defined function (node `i` = `functions[i]`) plus the
/// address-taken node (the last one).
pub struct CallGraph {
    /// Defined functions, in module order.
    pub functions: Vec<LLVMValueRef>,
    /// Every call instruction of every defined function, in module order.
    pub calls: Vec<CallSite>,
    graph: DiGraph<(), ()>,
    address_taken: NodeIndex,
}

impl CallGraph {
    /// Builds the graph of `module`. The migration slow path's own definition (a stub
    /// until the runtime provides it) is not a node.
    pub fn of(module: LLVMModuleRef) -> CallGraph {
        let functions: Vec<LLVMValueRef> = ir::functions(module)
            .into_iter()
            .filter(|&f| !ir::is_declaration(f) && ir::name(f) != MIGRATION_POINT_FN)
            .collect();
        let index: HashMap<LLVMValueRef, usize> = functions.iter().enumerate().map(|(i, &f)| (f, i)).collect();
        let mut graph = DiGraph::with_capacity(functions.len() + 1, functions.len() * 4);
        for _ in 0..=functions.len() {
            graph.add_node(());
        }
        let address_taken = NodeIndex::new(functions.len());
        let mut calls = Vec::new();
        for (caller, &function) in functions.iter().enumerate() {
            for inst in ir::instructions(function).into_iter().filter(|&i| ir::is_call(i)) {
                let callee = classify(inst, &index);
                match callee {
                    Callee::Program(n) => drop(graph.update_edge(NodeIndex::new(caller), NodeIndex::new(n), ())),
                    Callee::AddressTaken => drop(graph.update_edge(NodeIndex::new(caller), address_taken, ())),
                    _ => {}
                }
                calls.push(CallSite {
                    call: inst,
                    caller,
                    callee,
                });
            }
        }
        for (n, &function) in functions.iter().enumerate() {
            if is_address_taken(function) {
                graph.add_edge(address_taken, NodeIndex::new(n), ());
            }
        }
        CallGraph {
            functions,
            calls,
            graph,
            address_taken,
        }
    }

    /// Functions that may call themselves again before returning: members of a
    /// call-graph cycle (through the address-taken node too, so recursion through a
    /// function pointer counts).
    pub fn recursive_functions(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&self.graph) {
            let cyclic = scc.len() > 1 || self.graph.contains_edge(scc[0], scc[0]);
            if cyclic {
                out.extend(scc.iter().map(|n| n.index()).filter(|&n| n < self.functions.len()));
            }
        }
        out.sort_unstable();
        out
    }

    /// Which functions (by node) may reach a migration point: those that contain a
    /// call of the slow path, and their transitive callers.
    pub fn reaching_migration_points(&self) -> Vec<bool> {
        let containing: HashSet<usize> = self
            .calls
            .iter()
            .filter(|c| c.callee == Callee::MigrationPoint)
            .map(|c| c.caller)
            .collect();
        let mut reaches = vec![false; self.functions.len() + 1];
        let reversed = Reversed(&self.graph);
        for start in containing {
            let mut bfs = Bfs::new(reversed, NodeIndex::new(start));
            while let Some(n) = bfs.next(reversed) {
                reaches[n.index()] = true;
            }
        }
        reaches
    }

    /// Whether a call may reach a migration point, given [`Self::reaching_migration_points`].
    pub fn may_reach(&self, site: &CallSite, reaches: &[bool]) -> bool {
        match site.callee {
            Callee::Program(n) => reaches[n],
            Callee::AddressTaken => reaches[self.address_taken.index()],
            Callee::MigrationPoint => true,
            Callee::Leaf | Callee::NotACall => false,
        }
    }
}

fn classify(call: LLVMValueRef, program: &HashMap<LLVMValueRef, usize>) -> Callee {
    if ir::calls_inline_asm(call) {
        return Callee::NotACall;
    }
    let Some(callee) = ir::direct_callee(call) else {
        return Callee::AddressTaken;
    };
    let name = ir::name(callee);
    if name.starts_with("llvm.") {
        return Callee::NotACall;
    }
    if name == MIGRATION_POINT_FN {
        return Callee::MigrationPoint;
    }
    if let Some(&n) = program.get(&callee) {
        return Callee::Program(n);
    }
    if CALLBACK_LIBC.contains(&name.as_str()) || passes_program_function(call, program) {
        Callee::AddressTaken
    } else {
        Callee::Leaf
    }
}

/// Whether an argument of the call is (a cast of) a function the program defines.
fn passes_program_function(call: LLVMValueRef, program: &HashMap<LLVMValueRef, usize>) -> bool {
    (0..ir::call_arg_count(call)).any(|i| {
        let arg = ir::operand(call, i);
        // SAFETY: `arg` is a live operand; a constant expression's operand 0 exists.
        let stripped = unsafe {
            if !LLVMIsAConstantExpr(arg).is_null() && LLVMGetNumOperands(arg) > 0 {
                LLVMGetOperand(arg, 0)
            } else {
                arg
            }
        };
        program.contains_key(&stripped)
    })
}

/// Whether any use of a function is something other than being called directly.
pub fn is_address_taken(function: LLVMValueRef) -> bool {
    ir::users(function)
        .into_iter()
        .any(|user| !(ir::is_call(user) && ir::called_operand(user) == function && !is_argument(user, function)))
}

fn is_argument(call: LLVMValueRef, value: LLVMValueRef) -> bool {
    (0..ir::call_arg_count(call)).any(|i| ir::operand(call, i) == value)
}
