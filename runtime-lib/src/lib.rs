//! The hetcc runtime, linked into every binary hetcc produces (one static library per
//! ISA, built by `scripts/setup.sh`).
//!
//! It owns the migration-request flag and the migration slow path
//! `__het_migration_point`, which `-fhet-migratable` programs call when the flag is
//! set. For now the slow path only *walks* the program's stack with the transform
//! table embedded in the binary (`.het_transform`) and, in test mode (flag = 2),
//! reports every frame's equivalence-point ID and live values on stderr. Checkpoint,
//! stack rewriting and restore arrive with live migration (issue 3). It is not a libc:
//! it calls none (raw system calls only).
#![no_std]
#![deny(missing_docs)]

mod capture;
mod elf;
mod error;
mod load;
mod out;
mod start;
mod syscall;
mod walk;
mod window;

use core::sync::atomic::{AtomicU32, Ordering};

/// Non-zero when a migration has been requested; set by a signal handler or written
/// from outside the process, read by migration points.
#[no_mangle]
pub static __het_migration_request: AtomicU32 = AtomicU32::new(0);

/// Flag value meaning "walk the stack, print one `het-walk` line per frame on stderr,
/// clear the flag and continue" (the test mode; no checkpoint is written).
pub const REQUEST_WALK_AND_REPORT: u32 = 2;

/// Flag value meaning "walk the stack without printing the frames and report the walk's
/// duration" (for measuring the walk itself).
pub const REQUEST_WALK_AND_TIME: u32 = 3;

/// The Rust half of the slow path: `capture` (per ISA, `global_asm!`) saved the
/// registers of the program frame that called `__het_migration_point` and calls this.
///
/// # Safety
/// `regs` must point to a register capture written by the entry stub of this ISA.
#[no_mangle]
pub unsafe extern "C" fn __het_migration_slow_path(regs: *const capture::Captured) {
    let request = __het_migration_request.load(Ordering::Relaxed);
    // SAFETY: the entry stub passes a pointer to the capture on its own stack frame,
    // alive until this function returns.
    let captured = unsafe { &*regs };
    match request {
        REQUEST_WALK_AND_REPORT | REQUEST_WALK_AND_TIME => {
            let print = request == REQUEST_WALK_AND_REPORT;
            let start = syscall::monotonic_ns();
            let result = load::table().and_then(|table| walk::walk(&table, captured, print));
            let elapsed = syscall::monotonic_ns().wrapping_sub(start);
            let mut line = out::Line::new();
            match result {
                Ok(summary) => {
                    line.str("het-walk ");
                    line.str(if summary.complete { "done" } else { "deferred" });
                    line.str(" frames ");
                    line.u64(summary.frames);
                    if !print {
                        line.str(" ns ");
                        line.u64(elapsed);
                    }
                }
                Err(e) => {
                    line.str("het-walk error: ");
                    line.display(&e);
                }
            }
            line.finish();
        }
        _ => {
            // Real migration (checkpoint + exit) is not implemented yet: say so once
            // and keep running rather than stop the program.
            let mut line = out::Line::new();
            line.str("het-rt: migration requested (");
            line.u64(u64::from(request));
            line.str("), not implemented yet; continuing");
            line.finish();
        }
    }
    __het_migration_request.store(0, Ordering::Relaxed);
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    // Nothing in the runtime should panic (every failure is an `Error`), but if a bounds
    // check ever fires, stop loudly instead of spinning forever.
    let mut line = out::Line::new();
    line.str("het-rt: internal error (panic)");
    line.finish();
    syscall::exit_group(134)
}
