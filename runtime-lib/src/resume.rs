//! Entering rebuilt frames: the per-ISA stub `__het_resume` loads SP and the
//! callee-saved registers from a [`Captured`] (the capture's own layout) and jumps to
//! the innermost frame's resume address, as if `__het_migration_point` had returned
//! there. `longjmp` enters a jump buffer's capture the same way, with a return value. It never returns. The outermost rebuilt frame returns to
//! `__het_resume_landing`, which does what musl's `__libc_start_main` does with
//! `main`'s result: `exit(result)` (atexit handlers, stdio flush), on the new stack.

use crate::capture::Captured;

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "riscv64")]
mod riscv64;
#[cfg(target_arch = "x86_64")]
mod x86_64;

extern "C" {
    fn __het_resume(state: *const Captured, value: i32) -> !;
    fn __het_resume_landing();
}

/// The address the outermost rebuilt frame returns to.
pub fn landing() -> u64 {
    __het_resume_landing as *const () as usize as u64
}

/// Loads `state` and jumps.
///
/// # Safety
/// `state` must come from `rebuild::rebuild` over frames written to a live stack.
pub unsafe fn enter(state: &Captured) -> ! {
    // SAFETY: forwarded to the caller.
    unsafe { __het_resume(state, 0) }
}

/// Loads `state` and jumps, with `value` in the return-value register.
///
/// # Safety
/// `state` must capture a live frame at an equivalence point (a jump buffer).
pub unsafe fn enter_with(state: &Captured, value: i32) -> ! {
    // SAFETY: forwarded to the caller.
    unsafe { __het_resume(state, value) }
}
