//! How a migration gets requested: `SIGUSR2` queued with [`REQUEST_VALUE`] (`het
//! migrate`, `het run --every`) sets the flag the migration points poll, and the test
//! mode (`HET_MIGRATE_AT=k`) keeps the flag set so every migration point enters the slow
//! path and counts. Every other SIGUSR2 is the program's (`signals::deliver_to_program`).

use crate::{__het_migration_request, settings};
use core::sync::atomic::Ordering;
use het_format::migration::REQUEST_VALUE;

/// Flag value of a real migration request: checkpoint at the next migration point whose
/// stack can be transformed, then exit.
pub const REQUEST_MIGRATE: u32 = 1;

/// Flag value while the test mode counts migration points.
pub const REQUEST_COUNT: u32 = 5;

/// `si_code` of a signal sent with `sigqueue`.
const SI_QUEUE: i32 = -1;
/// Offsets in the kernel's `siginfo_t` (the same on the three 64-bit ABIs): `si_code`,
/// and for `SI_QUEUE` the `sigval` after the sender's pid and uid.
const SI_CODE_OFFSET: usize = 8;
const SI_VALUE_OFFSET: usize = 24;

extern "C" fn on_request(signal: i32, info: *mut u8, context: *mut u8) {
    // SAFETY: the kernel passes a full siginfo_t to an SA_SIGINFO handler.
    let (code, value) = unsafe {
        (
            core::ptr::read_unaligned(info.add(SI_CODE_OFFSET) as *const i32),
            core::ptr::read_unaligned(info.add(SI_VALUE_OFFSET) as *const u64),
        )
    };
    if code == SI_QUEUE && value == REQUEST_VALUE {
        // Async-signal-safe: one atomic store; the program serves it at its next point.
        __het_migration_request.store(REQUEST_MIGRATE, Ordering::Relaxed);
    } else {
        // SAFETY: forwarding the kernel's arguments to the program's disposition.
        unsafe { crate::signals::deliver_to_program(signal, info, context) };
    }
}

/// Sets the flag for this hop (test mode or nothing) and installs the signal handler.
/// Called before the program runs: at a fresh start, and after a restore (which brought
/// back the source's flag).
pub fn arm() {
    let initial = if settings::counting() { REQUEST_COUNT } else { 0 };
    __het_migration_request.store(initial, Ordering::Relaxed);
    crate::signals::take_request_signal(on_request as extern "C" fn(i32, *mut u8, *mut u8) as usize);
}
