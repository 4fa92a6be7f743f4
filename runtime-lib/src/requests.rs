//! How a migration gets requested: `het migrate`/`het run --every` write the flag the
//! migration points poll into the process's memory and read the answer back
//! ([`__het_migration_status`]); where they may not write it, `SIGUSR2` queued with
//! [`REQUEST_VALUE`] sets it. The test mode (`HET_MIGRATE_AT=k`) keeps the flag set so
//! every migration point enters the slow path and counts. Every other SIGUSR2 is the
//! program's (`signals::deliver_to_program`).

use crate::{__het_migration_request, out, settings};
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use het_format::migration::{REASON_BYTES, REQUEST_VALUE, STATUS_VALUE_DEFERRED, STATUS_VALUE_REFUSED};

/// Flag value of a real migration request: checkpoint at the next migration point whose
/// stack can be transformed, then exit.
pub const REQUEST_MIGRATE: u32 = het_format::migration::REQUEST_MIGRATE_VALUE;

/// Flag value while the test mode counts migration points.
pub const REQUEST_COUNT: u32 = 5;

/// Flag value of a test-mode request that was deferred: retried at every migration
/// point, so that where the migration happens depends on the program alone.
pub const REQUEST_RETRY_AT_EACH_POINT: u32 = 6;

/// Whether the first deferral has been reported on stderr.
static DEFERRAL_REPORTED: AtomicBool = AtomicBool::new(false);

/// What became of the last request, for the requester to read from outside
/// ([`STATUS_DEFERRED`], [`STATUS_REFUSED`]; 0 while none has been answered). `het`
/// writes the flag and reads this back from the process's memory, at addresses that are
/// the same in every ISA's binary.
#[no_mangle]
pub static __het_migration_status: AtomicU32 = AtomicU32::new(0);

/// Why the last request was refused: a NUL-terminated line, written before
/// [`__het_migration_status`] says [`STATUS_REFUSED`].
#[no_mangle]
pub static __het_migration_reason: Reason = Reason(UnsafeCell::new([0; REASON_BYTES]));

/// The request's checkpoint has to wait (a frame that is no equivalence point is on the
/// stack); the requester asks again later.
pub const STATUS_DEFERRED: u32 = STATUS_VALUE_DEFERRED;
/// The request was refused; the program continues. The reason is in
/// [`__het_migration_reason`].
pub const STATUS_REFUSED: u32 = STATUS_VALUE_REFUSED;

/// The reason buffer (written by the thread that refused, read from outside).
#[repr(transparent)]
pub struct Reason(UnsafeCell<[u8; REASON_BYTES]>);

// SAFETY: written only by the slow path of the thread that claimed the request, before
// the status store that publishes it.
unsafe impl Sync for Reason {}

/// Records a refusal for the requester: the reason, then the status.
pub fn refused(reason: &dyn core::fmt::Display) {
    // SAFETY: see `Reason`.
    let buffer = unsafe { &mut *__het_migration_reason.0.get() };
    let mut writer = out::Truncating::new(&mut buffer[..REASON_BYTES - 1]);
    let _ = core::fmt::write(&mut writer, format_args!("{reason}"));
    let len = writer.len();
    buffer[len] = 0;
    __het_migration_status.store(STATUS_REFUSED, Ordering::Release);
}

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
    __het_migration_status.store(0, Ordering::Relaxed);
    crate::signals::take_request_signal(on_request as extern "C" fn(i32, *mut u8, *mut u8) as usize);
}

/// A request that cannot be served yet (a frame that is no equivalence point, such as
/// a libc function calling back into the program, is on the stack). A test-mode
/// request is retried at the next point. A real one is dropped, so the program runs at
/// full speed, and the status tells the requester (`het`) to ask again later.
pub fn defer(request: u32) {
    if request == REQUEST_COUNT || request == REQUEST_RETRY_AT_EACH_POINT {
        __het_migration_request.store(REQUEST_RETRY_AT_EACH_POINT, Ordering::Relaxed);
        return;
    }
    if !DEFERRAL_REPORTED.swap(true, Ordering::Relaxed) {
        let mut line = out::Line::new();
        line.str("het-rt: migration deferred: a libc function that calls back into the program is on the stack");
        line.finish();
    }
    __het_migration_request.store(0, Ordering::Relaxed);
    __het_migration_status.store(STATUS_DEFERRED, Ordering::Release);
}
