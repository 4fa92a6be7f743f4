//! The program's signal handlers across a migration. Handlers are kernel state, which a
//! checkpoint does not carry, but their addresses are the same in every ISA's binary:
//! the runtime's `sigaction`/`signal` (replacing musl's `sigaction` alias and `signal.o`)
//! record each installed disposition in a table in `.bss`, which migrates with the rest
//! of the program's data, and a restore installs them again through musl's
//! `__sigaction`, which adds the destination ISA's restorer.
//!
//! The request signal (`SIGUSR2`) stays the runtime's after a restore: a program's own
//! SIGUSR2 handler replaces the runtime's until then.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicU64, Ordering};
use het_format::migration::REQUEST_SIGNAL;

/// musl's `struct sigaction` (the generic layout, the same on all three ISAs): handler,
/// 128-byte mask, flags, restorer.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SigAction {
    handler: usize,
    mask: [u64; 16],
    flags: i32,
    restorer: usize,
}

const SIGNALS: usize = 65;
const SA_RESTART: i32 = 0x1000_0000;
const SIG_ERR: usize = usize::MAX;

struct Table(UnsafeCell<[SigAction; SIGNALS]>);

// SAFETY: written by `sigaction` (single-threaded programs; the table is only a record)
// and read by `reinstall` before the program runs.
unsafe impl Sync for Table {}

static TABLE: Table = Table(UnsafeCell::new(
    [SigAction {
        handler: 0,
        mask: [0; 16],
        flags: 0,
        restorer: 0,
    }; SIGNALS],
));
/// Bit n: signal n has a recorded disposition (two words for signals 1–64).
static RECORDED: [AtomicU64; 2] = [const { AtomicU64::new(0) }; 2];

extern "C" {
    fn __sigaction(signal: i32, action: *const SigAction, old: *mut SigAction) -> i32;
}

/// `sigaction(2)` as musl implements it, plus the record.
///
/// # Safety
/// As for libc's `sigaction`.
#[no_mangle]
pub unsafe extern "C" fn sigaction(signal: i32, action: *const SigAction, old: *mut SigAction) -> i32 {
    // SAFETY: forwarded to the caller.
    let result = unsafe { __sigaction(signal, action, old) };
    if result == 0 && !action.is_null() && (1..SIGNALS as i32).contains(&signal) {
        // SAFETY: `action` is a valid `struct sigaction` (the call just read it); the
        // slot is ours.
        unsafe { (*TABLE.0.get())[signal as usize] = *action };
        let word = &RECORDED[signal as usize / 64];
        // Load and store, not `fetch_or`: see `files::note_inherited`.
        word.store(word.load(Ordering::Relaxed) | 1 << (signal % 64), Ordering::Relaxed);
    }
    result
}

/// `signal(3)` with musl's semantics (`SA_RESTART`, empty mask), through [`sigaction`].
///
/// # Safety
/// As for libc's `signal`.
#[no_mangle]
pub unsafe extern "C" fn signal(signal: i32, handler: usize) -> usize {
    let action = SigAction {
        handler,
        mask: [0; 16],
        flags: SA_RESTART,
        restorer: 0,
    };
    let mut old = action;
    // SAFETY: both point to live `struct sigaction`s.
    if unsafe { sigaction(signal, &action, &mut old) } < 0 {
        return SIG_ERR;
    }
    old.handler
}

/// musl's other names for `signal` (its `signal.o` must not be needed at all).
///
/// # Safety
/// As for libc's `signal`.
#[no_mangle]
pub unsafe extern "C" fn bsd_signal(sig: i32, handler: usize) -> usize {
    // SAFETY: forwarded.
    unsafe { signal(sig, handler) }
}

/// See [`bsd_signal`].
///
/// # Safety
/// As for libc's `signal`.
#[no_mangle]
pub unsafe extern "C" fn __sysv_signal(sig: i32, handler: usize) -> usize {
    // SAFETY: forwarded.
    unsafe { signal(sig, handler) }
}

/// Installs every recorded disposition again (after a restore brought the table back).
pub fn reinstall() {
    for sig in 1..SIGNALS {
        let recorded = RECORDED[sig / 64].load(Ordering::Relaxed) & (1 << (sig % 64)) != 0;
        if !recorded || sig as i32 == REQUEST_SIGNAL {
            continue;
        }
        // SAFETY: the table entry is a disposition `sigaction` accepted on the source;
        // handler addresses are the same in this binary.
        unsafe {
            let action = (*TABLE.0.get())[sig];
            __sigaction(sig as i32, &action, core::ptr::null_mut());
        }
    }
}
