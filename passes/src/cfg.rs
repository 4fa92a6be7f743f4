//! A function's control-flow graph as a petgraph graph over its basic blocks, for the
//! passes that need one (back edges for migration points, liveness for equivalence
//! points).
//!
//! Node `i` is the `i`-th block in layout order, so node 0 is the entry block.

use crate::ir;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{depth_first_search, DfsEvent};
use std::collections::HashMap;

/// The blocks of one function and the edges between them.
pub struct Cfg {
    /// Blocks in layout order; `blocks[i]` is node `i`.
    pub blocks: Vec<LLVMBasicBlockRef>,
    index: HashMap<LLVMBasicBlockRef, usize>,
    graph: DiGraph<(), ()>,
}

impl Cfg {
    /// Builds the CFG of a defined function from its terminators.
    pub fn of(function: LLVMValueRef) -> Cfg {
        let blocks = ir::blocks(function);
        let index: HashMap<_, _> = blocks.iter().enumerate().map(|(i, &b)| (b, i)).collect();
        let mut graph = DiGraph::with_capacity(blocks.len(), blocks.len() * 2);
        for _ in &blocks {
            graph.add_node(());
        }
        for (i, &block) in blocks.iter().enumerate() {
            for succ in successors(block) {
                graph.add_edge(NodeIndex::new(i), NodeIndex::new(index[&succ]), ());
            }
        }
        Cfg { blocks, index, graph }
    }

    /// The node number of a block of this function.
    pub fn node(&self, block: LLVMBasicBlockRef) -> usize {
        self.index[&block]
    }

    /// Node numbers of a block's predecessors (one per edge).
    pub fn predecessors(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.graph
            .neighbors_directed(NodeIndex::new(node), petgraph::Direction::Incoming)
            .map(|n| n.index())
    }

    /// The sources of the back edges of a depth-first search from the entry, without
    /// duplicates, in layout order. Every cycle of the CFG contains one such edge, so
    /// a check at each source bounds the time to reach one, irreducible loops
    /// included; in a reducible CFG they are exactly the natural loops' latches.
    pub fn latches(&self) -> Vec<usize> {
        let mut latches = Vec::new();
        if self.blocks.is_empty() {
            return latches;
        }
        depth_first_search(&self.graph, Some(NodeIndex::new(0)), |event| {
            if let DfsEvent::BackEdge(from, _) = event {
                latches.push(from.index());
            }
        });
        latches.sort_unstable();
        latches.dedup();
        latches
    }
}

/// The successor blocks of a block, from its terminator (one per edge).
pub fn successors(block: LLVMBasicBlockRef) -> Vec<LLVMBasicBlockRef> {
    // SAFETY: `block` is a live block; a block without terminator has no successors.
    unsafe {
        let term = LLVMGetBasicBlockTerminator(block);
        if term.is_null() {
            return Vec::new();
        }
        (0..LLVMGetNumSuccessors(term))
            .map(|i| LLVMGetSuccessor(term, i))
            .collect()
    }
}
