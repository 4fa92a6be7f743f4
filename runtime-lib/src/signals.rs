//! The program's signal handlers across a migration. Handlers are kernel state, which a
//! checkpoint does not carry, but their addresses are the same in every ISA's binary:
//! the runtime's `sigaction`/`signal` (replacing musl's `sigaction` alias and `signal.o`)
//! record each installed disposition in a table in `.bss`, which migrates with the rest
//! of the program's data, and a restore installs them again through musl's
//! `__sigaction`, which adds the destination ISA's restorer.
//!
//! The request signal (`SIGUSR2`) is shared: once the runtime has taken it
//! ([`take_request_signal`]), the kernel keeps the runtime's handler, the program's
//! `sigaction`/`signal` calls for it are only recorded (and answered from the record),
//! and every SIGUSR2 that is not a migration request gets the program's recorded
//! disposition ([`deliver_to_program`]): its handler, ignored, or the default action.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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
const SA_SIGINFO: i32 = 4;
const SIG_DFL: usize = 0;
const SIG_IGN: usize = 1;
const SIG_ERR: usize = usize::MAX;

/// Whether the kernel's handler for the request signal is the runtime's.
static REQUEST_TAKEN: AtomicBool = AtomicBool::new(false);

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
    fn raise(signal: i32) -> i32;
}

/// `sigaction(2)` as musl implements it, plus the record.
///
/// # Safety
/// As for libc's `sigaction`.
#[no_mangle]
pub unsafe extern "C" fn sigaction(signal: i32, action: *const SigAction, old: *mut SigAction) -> i32 {
    if signal == REQUEST_SIGNAL && REQUEST_TAKEN.load(Ordering::Relaxed) {
        // The kernel keeps the runtime's handler; the program's disposition is the record.
        // SAFETY: `old` and `action` are NULL or valid (the caller's contract).
        unsafe {
            if !old.is_null() {
                *old = recorded(signal).unwrap_or(DEFAULT_ACTION);
            }
            if !action.is_null() {
                record(signal, *action);
            }
        }
        return 0;
    }
    // SAFETY: forwarded to the caller.
    let result = unsafe { __sigaction(signal, action, old) };
    if result == 0 && !action.is_null() && (1..SIGNALS as i32).contains(&signal) {
        // SAFETY: `action` is a valid `struct sigaction` (the call just read it).
        record(signal, unsafe { *action });
    }
    result
}

const DEFAULT_ACTION: SigAction = SigAction {
    handler: SIG_DFL,
    mask: [0; 16],
    flags: 0,
    restorer: 0,
};

fn record(signal: i32, action: SigAction) {
    // SAFETY: the slot is ours (single-threaded programs; the table is only a record).
    unsafe { (*TABLE.0.get())[signal as usize] = action };
    let word = &RECORDED[signal as usize / 64];
    // Load and store, not `fetch_or`: see `files::note_inherited`.
    word.store(word.load(Ordering::Relaxed) | 1 << (signal % 64), Ordering::Relaxed);
}

fn recorded(signal: i32) -> Option<SigAction> {
    let bit = RECORDED[signal as usize / 64].load(Ordering::Relaxed) & (1 << (signal % 64)) != 0;
    // SAFETY: as for `record`.
    bit.then(|| unsafe { (*TABLE.0.get())[signal as usize] })
}

/// Installs `handler` (an `SA_SIGINFO` handler) for the request signal. The disposition
/// it replaces is recorded as the program's unless the program recorded one (before
/// this call, or on the source of a restore): an ignored SIGUSR2 stays ignored.
pub fn take_request_signal(handler: usize) {
    let action = SigAction {
        handler,
        mask: [0; 16],
        flags: SA_SIGINFO | SA_RESTART,
        restorer: 0,
    };
    let mut old = DEFAULT_ACTION;
    // SAFETY: both point to live `struct sigaction`s; musl adds this ISA's restorer.
    if unsafe { __sigaction(REQUEST_SIGNAL, &action, &mut old) } == 0 {
        if recorded(REQUEST_SIGNAL).is_none() {
            record(REQUEST_SIGNAL, old);
        }
        REQUEST_TAKEN.store(true, Ordering::Relaxed);
    }
}

/// Gives a request signal that is not a migration request to the program's recorded
/// disposition, from the runtime's handler.
///
/// # Safety
/// Called from the runtime's `SA_SIGINFO` handler with the kernel's arguments.
pub unsafe fn deliver_to_program(signal: i32, info: *mut u8, context: *mut u8) {
    let action = recorded(signal).unwrap_or(DEFAULT_ACTION);
    match action.handler {
        SIG_IGN => {}
        SIG_DFL => {
            // The default action (termination for SIGUSR2): the signal is blocked while
            // this handler runs, so it stays pending and acts when the handler returns.
            // SAFETY: restoring the default disposition, then raising the signal.
            unsafe {
                __sigaction(signal, &DEFAULT_ACTION, core::ptr::null_mut());
                raise(signal);
            }
        }
        handler if action.flags & SA_SIGINFO != 0 => {
            // SAFETY: the program installed this address as an SA_SIGINFO handler.
            let f: extern "C" fn(i32, *mut u8, *mut u8) = unsafe { core::mem::transmute(handler) };
            f(signal, info, context);
        }
        handler => {
            // SAFETY: the program installed this address as a plain handler.
            let f: extern "C" fn(i32) = unsafe { core::mem::transmute(handler) };
            f(signal);
        }
    }
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
    // The request signal's record stays a record: `take_request_signal` follows.
    REQUEST_TAKEN.store(false, Ordering::Relaxed);
    for sig in 1..SIGNALS as i32 {
        if sig == REQUEST_SIGNAL {
            continue;
        }
        if let Some(action) = recorded(sig) {
            // SAFETY: a disposition `sigaction` accepted on the source; handler
            // addresses are the same in this binary.
            unsafe { __sigaction(sig, &action, core::ptr::null_mut()) };
        }
    }
}
