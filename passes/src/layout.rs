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
    for (list, section) in [
        ("llvm.global_ctors", ".init_array"),
        ("llvm.global_dtors", ".fini_array"),
    ] {
        explicit_array(m, list, section);
    }
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

/// Turns `llvm.global_ctors`/`llvm.global_dtors` (`[{ i32 priority, ptr function, ptr
/// data }]`) into one array of function pointers in `.init_array`/`.fini_array`,
/// ordered by priority (stably, so equal priorities keep the program's order).
///
/// Why: a backend left to itself puts them in `.ctors`/`.dtors` (clang asks for
/// `.init_array`, the LLVM C API's target machines cannot), which musl never runs and
/// the aligner has no place for. One array, already in priority order, needs no
/// linker sorting; musl runs `.init_array` forwards and `.fini_array` backwards, as
/// GNU ld's sorted `.ctors.N`/`.dtors.N` would run.
fn explicit_array(module: LLVMModuleRef, list: &str, section: &str) {
    let Some(global) = ir::globals(module).into_iter().find(|&g| ir::name(g) == list) else {
        return;
    };
    // SAFETY: `global` is a live global of `module`; its initializer is the constant
    // array LLVM's verifier requires of these lists, read element by element.
    unsafe {
        let init = LLVMGetInitializer(global);
        let mut entries: Vec<(u64, LLVMValueRef)> = Vec::new();
        if !init.is_null() && LLVMIsAConstantAggregateZero(init).is_null() {
            for i in 0..ir::operand_count(init) {
                let entry = LLVMGetOperand(init, i);
                let priority = ir::constant_int(LLVMGetOperand(entry, 0)).unwrap_or(65535);
                let function = LLVMGetOperand(entry, 1);
                if LLVMIsNull(function) == 0 {
                    entries.push((priority, function));
                }
            }
        }
        entries.sort_by_key(|&(priority, _)| priority);
        LLVMDeleteGlobal(global);
        if entries.is_empty() {
            return;
        }
        let ptr_ty = LLVMPointerTypeInContext(LLVMGetModuleContext(module), 0);
        let mut functions: Vec<LLVMValueRef> = entries.iter().map(|&(_, f)| f).collect();
        let array_ty = LLVMArrayType2(ptr_ty, functions.len() as u64);
        let name = std::ffi::CString::new(format!("__het{section}")).unwrap_or_default();
        let array = LLVMAddGlobal(module, array_ty, name.as_ptr());
        LLVMSetInitializer(
            array,
            LLVMConstArray2(ptr_ty, functions.as_mut_ptr(), functions.len() as u64),
        );
        LLVMSetLinkage(array, LLVMLinkage::LLVMInternalLinkage);
        // Not `constant`: that would make the section read-only ("a"), and lld would
        // put it outside the RELRO run of writable sections the aligner lays out.
        LLVMSetAlignment(array, 8);
        ir::set_section(array, section);
    }
}
