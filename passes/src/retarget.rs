//! Turns a clone of the canonical module into one ISA's module.
//!
//! The frontend's per-function target attributes (`target-cpu`, `target-features`,
//! `tune-cpu`) describe riscv64 and are removed, so each function compiles with its
//! ISA's target machine defaults. Everything else — types, layouts, calls — is
//! already identical, by construction of the canonical module, except one thing only
//! an ISA can name: after each statepoint (`-fhet-migratable`), its callee-saved
//! registers are declared clobbered ([`crate::statepoints::forget_callee_saved_registers`]).

use crate::ir;
use het_format::Isa;
use inkwell::module::Module;
use inkwell::targets::{TargetData, TargetTriple};

const RISCV_ONLY_ATTRIBUTES: [&str; 3] = ["target-cpu", "target-features", "tune-cpu"];

/// Sets triple and data layout for `isa` and strips the canonical target's
/// per-function attributes.
pub fn retarget(module: &Module<'_>, isa: Isa, data_layout: &TargetData) {
    module.set_triple(&TargetTriple::create(isa.triple()));
    module.set_data_layout(&data_layout.get_data_layout());
    strip_target_attributes(module);
    crate::statepoints::forget_callee_saved_registers(module.as_mut_ptr(), isa);
}

/// Removes the frontend's per-function CPU and feature attributes, so that whichever
/// target machine looks at the module next judges it by its own defaults.
pub fn strip_target_attributes(module: &Module<'_>) {
    for function in ir::functions(module.as_mut_ptr()) {
        for key in RISCV_ONLY_ATTRIBUTES {
            ir::remove_function_attribute(function, key);
        }
    }
}
