//! How a migration gets requested: `SIGUSR2` (`het migrate`, `het run --every`) sets
//! the flag the migration points poll, and the test mode (`HET_MIGRATE_AT=k`) keeps the
//! flag set so every migration point enters the slow path and counts.

use crate::{__het_migration_request, settings};
use core::sync::atomic::Ordering;
use het_format::migration::REQUEST_SIGNAL;

/// Flag value of a real migration request: checkpoint at the next migration point whose
/// stack can be transformed, then exit.
pub const REQUEST_MIGRATE: u32 = 1;

/// Flag value while the test mode counts migration points.
pub const REQUEST_COUNT: u32 = 5;

extern "C" fn on_request(_signal: i32) {
    // Async-signal-safe: one atomic store; the program serves it at its next point.
    __het_migration_request.store(REQUEST_MIGRATE, Ordering::Relaxed);
}

/// Sets the flag for this hop (test mode or nothing) and installs the signal handler.
/// Called before the program runs: at a fresh start, and after a restore (which brought
/// back the source's flag).
pub fn arm() {
    let initial = if settings::counting() { REQUEST_COUNT } else { 0 };
    __het_migration_request.store(initial, Ordering::Relaxed);
    // SAFETY: installing a handler that only stores to an atomic (through musl, which
    // knows each ISA's restorer).
    unsafe { crate::signals::signal(REQUEST_SIGNAL, on_request as extern "C" fn(i32) as usize) };
}
