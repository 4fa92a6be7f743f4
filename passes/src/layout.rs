//! Makes every global of the canonical module placeable by the aligner: each one gets
//! a symbol and a section of its own, with the same name on every ISA.
//!
//! Why: the aligner places input sections, so two globals that shared a section could
//! not be given independent addresses; and string literals, which LLVM leaves nameless
//! in mergeable sections, would otherwise be deduplicated by the linker differently
//! per ISA, moving every pointer to them.

use crate::ir;
use inkwell::llvm_sys::core::*;
use inkwell::llvm_sys::prelude::*;
use inkwell::llvm_sys::{LLVMLinkage, LLVMUnnamedAddr};
use inkwell::module::Module;

/// Gives every defined function and variable a local-or-global symbol and its own
/// section (`.text.<name>`, `.rodata.<name>`, `.data.<name>`, `.bss.<name>`,
/// `.tdata.<name>`, `.tbss.<name>`). Globals that already carry an explicit section
/// keep it.
pub fn give_each_global_its_own_section(module: &Module<'_>) {
    let m = module.as_mut_ptr();
    let mut anonymous = 0usize;
    for function in ir::functions(m) {
        if ir::is_declaration(function) {
            continue;
        }
        make_symbol_visible(function, &mut anonymous);
        if ir::section(function).is_none() {
            ir::set_section(function, &format!(".text.{}", ir::name(function)));
        }
    }
    for global in ir::globals(m) {
        if ir::is_declaration(global) || ir::name(global).starts_with("llvm.") {
            continue;
        }
        make_symbol_visible(global, &mut anonymous);
        if ir::section(global).is_none() {
            ir::set_section(global, &format!("{}.{}", section_kind(global), ir::name(global)));
        }
    }
}

/// Private globals have no symbol; internal ones have a local symbol the verifier can
/// check. `unnamed_addr` is dropped so LLVM does not put constants in mergeable
/// sections.
fn make_symbol_visible(global: LLVMValueRef, anonymous: &mut usize) {
    // SAFETY: `global` is a live global value.
    unsafe {
        if LLVMGetLinkage(global) == LLVMLinkage::LLVMPrivateLinkage {
            LLVMSetLinkage(global, LLVMLinkage::LLVMInternalLinkage);
        }
        LLVMSetUnnamedAddress(global, LLVMUnnamedAddr::LLVMNoUnnamedAddr);
    }
    if ir::name(global).is_empty() {
        ir::set_name(global, &format!("__het_anon.{anonymous}"));
        *anonymous += 1;
    }
}

fn section_kind(global: LLVMValueRef) -> &'static str {
    // SAFETY: `global` is a live, defined global variable.
    unsafe {
        let zero = LLVMIsNull(LLVMGetInitializer(global)) != 0;
        match (LLVMIsThreadLocal(global) != 0, LLVMIsGlobalConstant(global) != 0, zero) {
            (true, _, true) => ".tbss",
            (true, _, false) => ".tdata",
            (false, true, _) => ".rodata",
            (false, false, true) => ".bss",
            (false, false, false) => ".data",
        }
    }
}
