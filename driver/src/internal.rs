//! Internal errors: what hetcc prints when hetcc or LLVM, not the program, is at fault.
//!
//! The user gets one line, `hetcc: internal error: … (please report)`, never a
//! module's worth of IR or a Rust backtrace: invalid IR after a pass names the
//! verifier's first message and the function, and its full report and the module go
//! to a file whose path is printed; an LLVM fatal error and a panic in hetcc get the
//! same one-line form.

use crate::frontend::Reported;
use anyhow::{bail, Result};
use inkwell::module::Module;
use std::ffi::{c_char, CStr};
use std::path::PathBuf;

/// Verifies `module`; on failure prints the one-line report and writes the verifier's
/// report and the module to a file named after `stage` (printed in a note).
pub fn verify(module: &Module<'_>, stage: &str) -> Result<()> {
    let Err(report) = module.verify() else {
        return Ok(());
    };
    let report = report.to_string();
    eprintln!("{}", one_line(&report, broken_function(module).as_deref()));
    let path = dump_path(stage);
    let text = format!(
        "; hetcc: {stage} produced invalid IR; the LLVM verifier said:\n{}\n{}",
        report.lines().map(|l| format!("; {l}")).collect::<Vec<_>>().join("\n"),
        module.print_to_string().to_string()
    );
    match std::fs::write(&path, text) {
        Ok(()) => eprintln!(
            "hetcc: note: the IR and the verifier's report are in {}",
            path.display()
        ),
        Err(e) => eprintln!("hetcc: note: could not write the IR to {}: {e}", path.display()),
    }
    bail!(Reported)
}

/// `hetcc: internal error: <first message> in function `f` (please report)`.
fn one_line(report: &str, function: Option<&str>) -> String {
    let first = report
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("invalid IR");
    match function {
        Some(f) => format!("hetcc: internal error: {first} in function `{f}` (please report)"),
        None => format!("hetcc: internal error: {first} (please report)"),
    }
}

/// The first defined function that does not verify on its own.
fn broken_function(module: &Module<'_>) -> Option<String> {
    module
        .get_functions()
        .filter(|f| f.count_basic_blocks() > 0)
        .find(|f| !f.verify(false))
        .map(|f| f.get_name().to_string_lossy().into_owned())
}

/// A file in the temporary directory that outlives the build's scratch directory.
fn dump_path(stage: &str) -> PathBuf {
    let tag: String = stage
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    std::env::temp_dir().join(format!("hetcc-{}-invalid-{tag}.ll", std::process::id()))
}

/// Routes LLVM fatal errors and Rust panics to the one-line form. Once per process.
pub fn install_handlers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: the handler is a plain function that lives as long as the process.
        unsafe { inkwell::llvm_sys::error_handling::LLVMInstallFatalErrorHandler(Some(llvm_fatal_error)) };
        std::panic::set_hook(Box::new(|info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            let place = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!("hetcc: internal error: {message}{place} (please report)");
        }));
    });
}

/// LLVM calls this instead of printing `LLVM ERROR: …`, then the process ends; it
/// exits at once with cc's failure status rather than letting LLVM abort.
extern "C" fn llvm_fatal_error(reason: *const c_char) {
    let reason = if reason.is_null() {
        "unknown".into()
    } else {
        // SAFETY: LLVM passes a NUL-terminated string valid for the call.
        unsafe { CStr::from_ptr(reason) }.to_string_lossy().into_owned()
    };
    let first = reason.lines().next().unwrap_or("").trim().to_string();
    eprintln!("hetcc: internal error: LLVM: {first} (please report)");
    std::process::exit(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_takes_the_first_message_and_names_the_function() {
        let report = "gc.statepoint doesn't support wrapping non-void vararg functions yet\n  %t = call token ...\n";
        assert_eq!(
            one_line(report, Some("work")),
            "hetcc: internal error: gc.statepoint doesn't support wrapping non-void vararg functions yet in function `work` (please report)"
        );
        assert_eq!(
            one_line("\n", None),
            "hetcc: internal error: invalid IR (please report)"
        );
    }

    #[test]
    fn invalid_module_is_reported_in_one_line_and_dumped_to_a_file() {
        // `ret void` in a function returning i32: built through the API, since the
        // textual parser would refuse it.
        let context = inkwell::context::Context::create();
        let module = context.create_module("t");
        let f = module.add_function("f", context.i32_type().fn_type(&[], false), None);
        let builder = context.create_builder();
        builder.position_at_end(context.append_basic_block(f, "entry"));
        builder.build_return(None).expect("builder is positioned");
        assert_eq!(broken_function(&module).as_deref(), Some("f"));
        let stage = "unit-test";
        let error = verify(&module, stage).expect_err("invalid");
        assert!(error.is::<Reported>());
        let dump = std::fs::read_to_string(dump_path(stage)).expect("dump written");
        assert!(dump.contains("define i32 @f()"), "{dump}");
        let _ = std::fs::remove_file(dump_path(stage));
    }
}
