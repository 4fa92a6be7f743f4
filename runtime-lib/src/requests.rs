//! How a migration gets requested: `SIGUSR2` queued with [`REQUEST_VALUE`] (`het
//! migrate`, `het run --every`) sets the flag the migration points poll, and the test
//! mode (`HET_MIGRATE_AT=k`) keeps the flag set so every migration point enters the slow
//! path and counts. Every other SIGUSR2 is the program's (`signals::deliver_to_program`).

use crate::{__het_migration_request, out, settings, syscall};
use core::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use het_format::migration::{REQUEST_SIGNAL, REQUEST_VALUE};

/// Flag value of a real migration request: checkpoint at the next migration point whose
/// stack can be transformed, then exit.
pub const REQUEST_MIGRATE: u32 = 1;

/// Flag value while the test mode counts migration points.
pub const REQUEST_COUNT: u32 = 5;

/// Flag value of a test-mode request that was deferred: retried at every migration
/// point, so that where the migration happens depends on the program alone.
pub const REQUEST_RETRY_AT_EACH_POINT: u32 = 6;

/// How long a deferred real request waits before it is tried again. The program runs
/// at full speed meanwhile (the flag is clear); each retry costs one walk that stops at
/// the first frame that is no equivalence point (microseconds natively, under a
/// millisecond under qemu-user).
const RETRY_NS: u64 = 10_000_000;

/// `si_code` of a signal queued by a POSIX timer's expiry.
const SI_TIMER: i32 = -2;
/// The value the runtime's retry timer queues with the request signal.
const RETRY_VALUE: u64 = REQUEST_VALUE ^ 1;

/// The retry timer's kernel id, [`NO_TIMER`] until the first deferral (the kernel's
/// timers are per process: a restore starts without one).
static RETRY_TIMER: AtomicI64 = AtomicI64::new(NO_TIMER);
const NO_TIMER: i64 = -1;
/// Whether the first deferral has been reported on stderr.
static DEFERRAL_REPORTED: AtomicBool = AtomicBool::new(false);

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
    let retry = code == SI_TIMER && value == RETRY_VALUE && RETRY_TIMER.load(Ordering::Relaxed) != NO_TIMER;
    if (code == SI_QUEUE && value == REQUEST_VALUE) || retry {
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
    RETRY_TIMER.store(NO_TIMER, Ordering::Relaxed);
    crate::signals::take_request_signal(on_request as extern "C" fn(i32, *mut u8, *mut u8) as usize);
}

/// A request that cannot be served yet (a frame that is no equivalence point, such as
/// a libc function calling back into the program, is on the stack). A test-mode
/// request is retried at the next point. A real one clears the flag, so the program
/// runs at full speed, and a timer sets it again [`RETRY_NS`] later; without a timer
/// it stays set (retried at every point).
pub fn defer(request: u32) {
    if request == REQUEST_COUNT || request == REQUEST_RETRY_AT_EACH_POINT {
        __het_migration_request.store(REQUEST_RETRY_AT_EACH_POINT, Ordering::Relaxed);
        return;
    }
    if !DEFERRAL_REPORTED.swap(true, Ordering::Relaxed) {
        let mut line = out::Line::new();
        line.str("het-rt: migration deferred: a libc function that calls back into the program is on the stack; retrying every ");
        line.u64(RETRY_NS / 1_000_000);
        line.str(" ms");
        line.finish();
    }
    let mut timer = RETRY_TIMER.load(Ordering::Relaxed);
    if timer == NO_TIMER {
        if let Ok(id) = syscall::timer_create(REQUEST_SIGNAL, RETRY_VALUE) {
            timer = i64::from(id);
            RETRY_TIMER.store(timer, Ordering::Relaxed);
        }
    }
    let armed = timer != NO_TIMER && syscall::timer_once(timer as i32, RETRY_NS).is_ok();
    let next = if armed { 0 } else { REQUEST_MIGRATE };
    __het_migration_request.store(next, Ordering::Relaxed);
}
