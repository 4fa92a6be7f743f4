//! The migration window's mappings: `mmap`/`mremap` for the whole program (musl's own
//! calls included), placing anonymous mappings at addresses that are the same on every
//! ISA.
//!
//! musl's `mmap.c` defines `__mmap` with weak `mmap`/`mmap64`, and `mremap.c` defines
//! `__mremap` with weak `mremap`. This object defines all five names, and every hetcc
//! program pulls it in (it holds `__het_migration_request`) from `libhet_rt.a`, which
//! the link scans before `libc.a`: musl's two objects are then never loaded, so
//! mallocng, stdio and the program all come here. `scripts/setup.sh` knows these names
//! are deliberate replacements, not clashes.
//!
//! While the window is inactive (programs built without `-fhet-migratable`, and any
//! migratable program before `__het_runtime_init` activates it) everything passes
//! straight to the kernel, with musl's checks and errno conventions. Once it is active,
//! anonymous mappings that let the kernel choose the address (`addr == NULL`, no
//! `MAP_FIXED`) are placed from `HEAP_BASE` upwards with a bump pointer instead. The
//! sequence of such requests is the same on every ISA (same program, same libc, same
//! 4 KiB page size under qemu-user and natively), so the addresses are too.
//!
//! Placements are rounded to [`GRANULE`] (64 KiB) rather than the page size so that an
//! aarch64 host with 16 or 64 KiB pages would hand out the same addresses as a 4 KiB one.
//! Freed ranges are not reused until the bump pointer reaches the window's end and wraps
//! to `HEAP_BASE`; `MAP_FIXED_NOREPLACE` then skips whatever is still mapped.
//!
//! Like musl, `MAP_FIXED`/`MREMAP_FIXED` first call `__vm_wait` (threads still using a
//! mapping being replaced): musl's `mmap.o` supplied its weak empty default, so this
//! object supplies one too — otherwise a reference from `pthread_create` would load
//! `mmap.o` for it and clash. `vmlock.o`'s strong one wins whenever threads are linked.
//! The window's bump pointer itself assumes one thread places mappings at a time.

use crate::syscall;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use het_format::migration::{HEAP_BASE, WINDOW_BASE, WINDOW_SIZE};

/// Alignment and size unit of window placements.
pub const GRANULE: u64 = 64 << 10;

const PROT_NONE: i32 = 0;
/// `PROT_READ | PROT_WRITE`.
pub const PROT_READ_WRITE: i32 = 3;
pub const MAP_PRIVATE: i32 = 0x2;
const MAP_FIXED: i32 = 0x10;
pub const MAP_ANONYMOUS: i32 = 0x20;
pub const MAP_NORESERVE: i32 = 0x4000;
const MAP_FIXED_NOREPLACE: i32 = 0x10_0000;
const MREMAP_MAYMOVE: i32 = 1;
const MREMAP_FIXED: i32 = 2;
const MREMAP_DONTUNMAP: i32 = 4;

const EPERM: isize = 1;
const ENOMEM: isize = 12;
const EEXIST: isize = 17;
const EINVAL: isize = 22;

/// musl's `SYSCALL_MMAP2_UNIT`: on 64-bit targets its `OFF_MASK` reduces to this minus 1.
const OFFSET_UNIT: i64 = 4096;

const MAP_FAILED: *mut u8 = usize::MAX as *mut u8;

/// True once `__het_runtime_init` has mapped the unsafe stack and activated the window.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// The next window address tried for an anonymous mapping.
static NEXT: AtomicU64 = AtomicU64::new(HEAP_BASE);

extern "C" {
    fn __errno_location() -> *mut i32;
    fn __vm_wait();
}

// Weak, so musl's strong definition (vmlock.o, linked with threads) replaces it; Rust
// has no stable way to define a weak function.
core::arch::global_asm!(
    ".section .text.__vm_wait,\"ax\",%progbits",
    ".weak __vm_wait",
    ".type __vm_wait,%function",
    "__vm_wait:",
    "ret",
    ".size __vm_wait, .-__vm_wait",
    ".text",
);

/// From now on, anonymous `addr == NULL` mappings go into the window.
pub fn activate() {
    ACTIVE.store(true, Ordering::Relaxed);
}

/// Whether anonymous mappings are being placed in the window.
pub fn is_active() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// Where the next anonymous mapping will be tried: a checkpoint records it and a
/// restore sets it back, so the restored program keeps placing mappings where it would
/// have on the source.
pub fn next_placement() -> u64 {
    NEXT.load(Ordering::Relaxed)
}

/// Sets where the next anonymous mapping will be tried (see [`next_placement`]).
pub fn set_next_placement(address: u64) {
    NEXT.store(address, Ordering::Relaxed);
}

/// Whether `address` lies in the window.
pub fn contains(address: u64) -> bool {
    (WINDOW_BASE..WINDOW_BASE + WINDOW_SIZE).contains(&address)
}

/// Maps `len` bytes of fresh read/write memory exactly at `address`, failing (rather
/// than replacing anything) if some of the range is already mapped. Returns `-errno`.
pub fn map_exactly(address: u64, len: u64) -> Result<(), isize> {
    let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE;
    // SAFETY: MAP_FIXED_NOREPLACE never replaces an existing mapping.
    let r = unsafe { syscall::mmap(address as usize, len as usize, PROT_READ_WRITE, flags, -1, 0) };
    check_placed(r, address, len as usize)
}

/// A kernel older than 4.17 treats `MAP_FIXED_NOREPLACE` as a hint and may map
/// elsewhere: that counts as "occupied".
fn check_placed(r: isize, address: u64, len: usize) -> Result<(), isize> {
    if r < 0 {
        return Err(r);
    }
    if r as u64 != address {
        // SAFETY: the kernel just created this mapping for us; nothing uses it.
        unsafe { syscall::munmap(r as usize, len) };
        return Err(-EEXIST);
    }
    Ok(())
}

fn round_up(n: u64, unit: u64) -> Option<u64> {
    n.checked_add(unit - 1).map(|v| v & !(unit - 1))
}

/// Places an anonymous mapping in the window; returns its address or `-errno`.
fn place(len: usize, prot: i32, flags: i32, fd: i32, offset: i64) -> isize {
    if len == 0 {
        return -EINVAL;
    }
    let Some(span) = round_up(len as u64, GRANULE) else {
        return -ENOMEM;
    };
    let end = WINDOW_BASE + WINDOW_SIZE;
    let mut at = NEXT.load(Ordering::Relaxed);
    let mut wrapped = false;
    loop {
        if at.checked_add(span).is_none_or(|top| top > end) {
            if wrapped {
                return -ENOMEM;
            }
            wrapped = true;
            at = HEAP_BASE;
            continue;
        }
        // SAFETY: MAP_FIXED_NOREPLACE never replaces an existing mapping.
        let r = unsafe { syscall::mmap(at as usize, len, prot, flags | MAP_FIXED_NOREPLACE, fd, offset) };
        match check_placed(r, at, len) {
            Ok(()) => {
                NEXT.store(at + span, Ordering::Relaxed);
                return r;
            }
            Err(e) if e == -EEXIST => at += span,
            Err(e) => return e,
        }
    }
}

/// musl's `__syscall_ret`: errno and `MAP_FAILED` for `-4095..=-1`.
fn to_result(r: isize) -> *mut u8 {
    if (-4095..0).contains(&r) {
        fail(-r)
    } else {
        r as usize as *mut u8
    }
}

fn fail(errno: isize) -> *mut u8 {
    // SAFETY: musl's errno location is the calling thread's, valid for its lifetime.
    unsafe { *__errno_location() = errno as i32 };
    MAP_FAILED
}

/// musl's `__mmap`, placing anonymous kernel-chosen mappings in the active window.
///
/// # Safety
/// As for `mmap(2)`.
#[no_mangle]
pub unsafe extern "C" fn __mmap(start: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, offset: i64) -> *mut u8 {
    if offset & (OFFSET_UNIT - 1) != 0 {
        return fail(EINVAL);
    }
    if len >= isize::MAX as usize {
        return fail(ENOMEM);
    }
    if flags & MAP_FIXED != 0 {
        // SAFETY: musl's empty default or its real thread barrier; no arguments.
        unsafe { __vm_wait() };
    }
    let kernel_chooses = start.is_null() && flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) == 0;
    let mut r = if kernel_chooses && flags & MAP_ANONYMOUS != 0 && is_active() {
        place(len, prot, flags, fd, offset)
    } else {
        // SAFETY: forwarded to the caller.
        unsafe { syscall::mmap(start as usize, len, prot, flags, fd, offset) }
    };
    // musl's fixup of an incorrect EPERM from the kernel.
    if r == -EPERM && start.is_null() && flags & MAP_ANONYMOUS != 0 && flags & MAP_FIXED == 0 {
        r = -ENOMEM;
    }
    to_result(r)
}

/// `mmap` (weak in musl): the same as [`__mmap`].
///
/// # Safety
/// As for `mmap(2)`.
#[no_mangle]
pub unsafe extern "C" fn mmap(start: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, offset: i64) -> *mut u8 {
    // SAFETY: forwarded to the caller.
    unsafe { __mmap(start, len, prot, flags, fd, offset) }
}

/// `mmap64` (weak in musl): the same as [`__mmap`]; defined so that a reference to it
/// cannot pull musl's `mmap.o`, whose `__mmap` would clash with ours.
///
/// # Safety
/// As for `mmap(2)`.
#[no_mangle]
pub unsafe extern "C" fn mmap64(start: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, offset: i64) -> *mut u8 {
    // SAFETY: forwarded to the caller.
    unsafe { __mmap(start, len, prot, flags, fd, offset) }
}

/// musl's `__mremap`. A window mapping the kernel would have to move goes to a fresh
/// window address instead of wherever the kernel likes.
///
/// C declares `mremap` variadic (`new_addr` only with `MREMAP_FIXED`). On the three
/// Linux ABIs a variadic pointer argument travels in the same register as a named
/// fifth one, so it is defined with five parameters; `new_addr` is only read when
/// `MREMAP_FIXED` says the caller passed it, like musl's `va_arg`.
///
/// # Safety
/// As for `mremap(2)`.
#[no_mangle]
pub unsafe extern "C" fn __mremap(
    old: *mut u8,
    old_len: usize,
    new_len: usize,
    flags: i32,
    new_addr: *mut u8,
) -> *mut u8 {
    if new_len >= isize::MAX as usize {
        return fail(ENOMEM);
    }
    let new_addr = if flags & MREMAP_FIXED != 0 {
        // SAFETY: as in `__mmap`.
        unsafe { __vm_wait() };
        new_addr as usize
    } else {
        0
    };
    let movable_window_mapping =
        contains(old as u64) && flags & (MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP) == MREMAP_MAYMOVE;
    let r = if movable_window_mapping {
        // SAFETY: forwarded to the caller; without MREMAP_MAYMOVE nothing moves.
        let in_place = unsafe { syscall::mremap(old as usize, old_len, new_len, 0, 0) };
        if in_place == -ENOMEM {
            move_within_window(old as usize, old_len, new_len)
        } else {
            in_place
        }
    } else {
        // SAFETY: forwarded to the caller.
        unsafe { syscall::mremap(old as usize, old_len, new_len, flags, new_addr) }
    };
    to_result(r)
}

/// Reserves a fresh window range, then moves the mapping over the reservation
/// (`MREMAP_FIXED` replaces it atomically), so nothing else can be clobbered.
fn move_within_window(old: usize, old_len: usize, new_len: usize) -> isize {
    let reserve = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    let target = place(new_len, PROT_NONE, reserve, -1, 0);
    if target < 0 {
        return target;
    }
    // SAFETY: `target` is our own fresh reservation of `new_len` bytes.
    let r = unsafe { syscall::mremap(old, old_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED, target as usize) };
    if r < 0 {
        // SAFETY: the reservation is unused.
        unsafe { syscall::munmap(target as usize, new_len) };
    }
    r
}

/// `mremap` (weak in musl): the same as [`__mremap`].
///
/// # Safety
/// As for `mremap(2)`.
#[no_mangle]
pub unsafe extern "C" fn mremap(
    old: *mut u8,
    old_len: usize,
    new_len: usize,
    flags: i32,
    new_addr: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded to the caller.
    unsafe { __mremap(old, old_len, new_len, flags, new_addr) }
}
