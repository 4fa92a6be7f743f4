//! The portability check: what one canonical module cannot (yet) do identically on
//! every ISA is rejected here, per translation unit, with the construct named and the
//! source line given.
//!
//! What *can* be made identical is not rejected: `char` signedness, FP contraction
//! and riscv small data are fixed by frontend flags, and libc interfaces whose ABI
//! differs (`struct stat`, `epoll_event`, `va_list` consumers, `open` flags) are
//! adapted at link time by [`crate::abi`].

use crate::diagnostic::Diagnostic;
use crate::ir;
use inkwell::llvm_sys::core::LLVMGetModuleInlineAsm;
use inkwell::llvm_sys::prelude::{LLVMModuleRef, LLVMValueRef};
use inkwell::module::Module;

/// Intrinsic prefixes that only one backend can lower.
const TARGET_INTRINSIC_PREFIXES: [&str; 4] = ["llvm.x86.", "llvm.aarch64.", "llvm.arm.", "llvm.riscv."];

/// libc entry points whose meaning depends on ISA-specific constants or layouts that
/// hetcc does not adapt yet, with the reason given to the user.
const UNPORTABLE_CALLS: &[(&str, &str)] = &[
    ("getcontext", "ucontext_t differs between ISAs"),
    ("setcontext", "ucontext_t differs between ISAs"),
    ("makecontext", "ucontext_t differs between ISAs"),
    ("swapcontext", "ucontext_t differs between ISAs"),
    ("fegetround", FENV),
    ("fesetround", FENV),
    ("feclearexcept", FENV),
    ("feraiseexcept", FENV),
    ("fetestexcept", FENV),
    ("fegetenv", FENV),
    ("fesetenv", FENV),
    ("feholdexcept", FENV),
    ("feupdateenv", FENV),
    ("fegetexceptflag", FENV),
    ("fesetexceptflag", FENV),
];
const FENV: &str = "the floating-point environment's constants and fenv_t differ between ISAs";

/// Checks one translation unit. `source` names the file for diagnostics that have no
/// debug location. Returns every problem found, in source order of discovery.
pub fn check(module: &Module<'_>, source: &str) -> Vec<Diagnostic> {
    check_raw(module.as_mut_ptr(), source)
}

fn check_raw(module: LLVMModuleRef, source: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if let Some(asm) = module_asm(module) {
        let message = "file-scope inline asm is not portable across ISAs".to_string();
        found.push(match line_of_text(source, &asm) {
            Some(line) => Diagnostic {
                file: source.to_string(),
                line,
                column: 0,
                message,
            },
            None => at_file(source, message),
        });
    }
    for global in ir::globals(module) {
        // SAFETY: `global` is a live global of `module`.
        let value_type = unsafe { inkwell::llvm_sys::core::LLVMGlobalGetValueType(global) };
        if !ir::is_declaration(global) && ir::type_contains(value_type, &ir::is_one_isa_float) {
            let message = format!("global `{}` uses {ONE_ISA_FLOAT}", ir::name(global));
            found.push(at_file(source, message));
        }
    }
    for function in ir::functions(module) {
        for inst in ir::instructions(function) {
            if let Some(message) = problem(inst) {
                found.push(at_instruction(inst, source, message));
            }
        }
    }
    one_per_line(found)
}

/// Unoptimised IR touches one construct many times (alloca, load, arithmetic, store);
/// the user needs to hear about it once per source line, and not again without a
/// line when a located report already names it.
fn one_per_line(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let located: Vec<&str> = found
        .iter()
        .filter(|d| d.line != 0)
        .map(|d| d.message.as_str())
        .collect();
    let mut kept: Vec<Diagnostic> = Vec::new();
    for d in &found {
        let duplicate = kept
            .iter()
            .any(|k| k.file == d.file && k.line == d.line && k.message == d.message);
        let unlocated_repeat = d.line == 0 && located.contains(&d.message.as_str());
        if !duplicate && !unlocated_repeat {
            kept.push(d.clone());
        }
    }
    kept.sort_by_key(|d| (d.file.clone(), d.line, d.column));
    kept
}

const ONE_ISA_FLOAT: &str =
    "a floating-point format only one ISA has (x87 80-bit or PowerPC double-double); hetcc's long double is IEEE binary128 on every ISA";

/// System calls whose arguments hetcc cannot convert between ISAs, by canonical
/// (riscv64, asm-generic) number, with the reason. Every other number is translated
/// at run time (runtime-lib/abi/het_syscall.c).
const UNPORTABLE_SYSCALLS: &[(u64, &str, &str)] = &[
    (
        220,
        "clone",
        "the child's stack and registers are this ISA's; use pthread_create or fork",
    ),
    (
        435,
        "clone3",
        "the child's stack and registers are this ISA's; use pthread_create or fork",
    ),
    (
        134,
        "rt_sigaction",
        "the kernel's struct sigaction differs between ISAs; use sigaction",
    ),
    (139, "rt_sigreturn", "a signal frame is this ISA's"),
    (117, "ptrace", "registers and user areas are this ISA's"),
];

/// `syscall(n, …)`: `n` must be a constant (translated per ISA at run time), and not
/// one of [`UNPORTABLE_SYSCALLS`].
fn syscall_problem(call: LLVMValueRef) -> Option<String> {
    let number = (ir::call_arg_count(call) > 0).then(|| ir::operand(call, 0));
    let Some(number) = number.and_then(ir::constant_int) else {
        return Some(
            "`syscall` with a number that is not a constant: hetcc translates system call numbers between ISAs, and needs the `SYS_` constant at the call"
                .into(),
        );
    };
    UNPORTABLE_SYSCALLS
        .iter()
        .find(|(n, _, _)| *n == number)
        .map(|(_, name, why)| format!("`syscall(SYS_{name}, …)` is not supported: {why}"))
}

/// The reason an instruction cannot be compiled portably, if there is one.
fn problem(inst: LLVMValueRef) -> Option<String> {
    if ir::is_call(inst) {
        if ir::calls_inline_asm(inst) {
            return Some("inline asm is not portable across ISAs".into());
        }
        if let Some(callee) = ir::direct_callee(inst) {
            let name = ir::name(callee);
            if TARGET_INTRINSIC_PREFIXES.iter().any(|p| name.starts_with(p)) {
                return Some(format!(
                    "target-specific intrinsic `{name}` has no equivalent on the other ISAs"
                ));
            }
            if let Some((_, why)) = UNPORTABLE_CALLS.iter().find(|(n, _)| *n == name) {
                return Some(format!("call to `{name}` is not supported: {why}"));
            }
            if name == "syscall" {
                return syscall_problem(inst);
            }
        }
    }
    let uses_one_isa_float = ir::type_contains(ir::type_of(inst), &ir::is_one_isa_float)
        || (0..ir::operand_count(inst))
            .any(|i| ir::type_contains(ir::type_of(ir::operand(inst, i)), &ir::is_one_isa_float));
    uses_one_isa_float.then(|| format!("this uses {ONE_ISA_FLOAT}"))
}

fn module_asm(module: LLVMModuleRef) -> Option<String> {
    let mut len = 0usize;
    // SAFETY: LLVM returns `len` bytes owned by the module, copied at once.
    let text = unsafe {
        let ptr = LLVMGetModuleInlineAsm(module, &mut len);
        if ptr.is_null() || len == 0 {
            return None;
        }
        String::from_utf8_lossy(std::slice::from_raw_parts(ptr as *const u8, len)).into_owned()
    };
    Some(text)
}

/// File-scope asm carries no debug location; the line is found by looking for the
/// first line of its text in the source (as written between the quotes). `None` when
/// the source cannot be read or the text came from a macro.
fn line_of_text(source: &str, asm: &str) -> Option<u32> {
    let first = asm.lines().map(str::trim).find(|l| !l.is_empty())?;
    let text = std::fs::read_to_string(source).ok()?;
    let index = text.lines().position(|line| line.contains(first))?;
    u32::try_from(index + 1).ok()
}

fn at_file(source: &str, message: String) -> Diagnostic {
    Diagnostic {
        file: source.to_string(),
        line: 0,
        column: 0,
        message,
    }
}

fn at_instruction(inst: LLVMValueRef, source: &str, message: String) -> Diagnostic {
    match ir::location(inst) {
        Some((file, line, column)) => {
            let file = if file.is_empty() { source.to_string() } else { file };
            Diagnostic {
                file,
                line,
                column,
                message,
            }
        }
        None => at_file(source, message),
    }
}
