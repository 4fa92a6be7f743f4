//! What the passes' snapshot tests share: hand-written IR for the canonical target,
//! parsed, and a pass's output printed without the lines that name the test buffer.

// Each test binary includes this module and uses its own part of it.
#![allow(dead_code)]

use inkwell::context::Context;
use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::Module;

/// The canonical target's data layout and triple (docs/architecture.md).
pub const HEADER: &str = "target datalayout = \"e-m:e-p:64:64-i64:64-i128:128-n32:64-S128\"\ntarget triple = \"riscv64-unknown-linux-musl\"\n";

/// Parses `ir` as it is (it brings its own header).
pub fn parse<'ctx>(context: &'ctx Context, ir: &str) -> Module<'ctx> {
    let buffer = MemoryBuffer::create_from_memory_range_copy(ir.as_bytes(), "test");
    context.create_module_from_ir(buffer).expect("test IR parses")
}

/// Parses `ir` after [`HEADER`].
pub fn parse_canonical<'ctx>(context: &'ctx Context, ir: &str) -> Module<'ctx> {
    parse(context, &format!("{HEADER}{ir}"))
}

/// The verified, printed module without the header lines that name the test buffer.
pub fn body(module: &Module<'_>) -> String {
    module.verify().expect("pass output verifies");
    module
        .print_to_string()
        .to_string()
        .lines()
        .filter(|l| !l.starts_with("; ModuleID") && !l.starts_with("source_filename"))
        .collect::<Vec<_>>()
        .join("\n")
}
