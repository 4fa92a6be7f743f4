//! The hetcc runtime, linked into every binary hetcc produces (one static library per
//! ISA, built by `scripts/setup.sh`).
//!
//! It owns the migration-request flag and the migration slow path
//! `__het_migration_point`, which `-fhet-migratable` programs call when the flag is
//! set: it walks the program's stack with the transform table embedded in the binary
//! (`.het_transform`), writes a checkpoint, and on the destination rebuilds the frames
//! for that ISA and resumes them (docs/migration-runtime.md). It also starts the
//! program (the migration window, argv/envp copies) and records what a restore must
//! re-create (signal dispositions, descriptors, jump buffers). It is not a libc: it
//! calls none (raw system calls only).
#![no_std]
// Weak references to what only migratable programs define (threads.rs).
#![feature(linkage)]
#![deny(missing_docs)]

mod capture;
mod checkpoint;
mod elf;
mod env;
mod error;
mod files;
mod frames;
mod jump_buffers;
mod load;
mod maps;
mod out;
mod rebuild;
mod requests;
mod restore;
mod resume;
mod scratch;
mod settings;
mod signals;
mod start;
mod syscall;
mod threads;
mod walk;
mod window;

use core::sync::atomic::{AtomicU32, Ordering};
use het_format::TransformTable;

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

/// Flag value meaning "rebuild the stack on a fresh mapping with this ISA's table and
/// continue there" (the test mode of the rebuild half of a migration: the frames go
/// through the same ISA-neutral form a checkpoint carries).
pub const REQUEST_REBUILD_HERE: u32 = 4;

/// Room above the outermost rebuilt frame (the CFA of `__het_user_main`'s frame is
/// below it; `__het_resume_landing` and `exit` run below that CFA once `main` returns).
const LANDING_HEADROOM: u64 = 16 * 1024;

/// The program's state in ISA-neutral form: its frames and the jump buffers of live
/// frames.
struct Collected {
    frames: frames::Frames,
    jump_buffers: jump_buffers::Bindings,
}

/// Walks the stack into ISA-neutral frames; `None` if the walk must be deferred (a
/// frame that is no equivalence point sits between program frames).
fn collect(table: &TransformTable<'_>, captured: &capture::Captured) -> Result<Option<Collected>, error::Error> {
    // A walk that reads nothing first: a deferred request retries at every migration
    // point, and mapping the frame buffer each time cost ~1 ms under qemu-user. It
    // counts what the frame buffer must hold.
    let (mut frame_count, mut value_count) = (0u64, 0u64);
    let deciding = walk::walk(table, captured, &mut |frame| {
        frame_count += 1;
        value_count += u64::from(frame.point.live_count());
        Ok(())
    })?;
    if !deciding.complete {
        return Ok(None);
    }
    let mut jump_buffers = if jump_buffers::any_recorded() {
        let maps = maps::Snapshot::take()?;
        jump_buffers::Bindings::candidates(table, &|address, len| maps.readable(address, len))?
    } else {
        jump_buffers::Bindings::new()
    };
    let mut frames = frames::Frames::new(frame_count, value_count)?;
    let summary = walk::walk(table, captured, &mut |frame| {
        jump_buffers.visit(frame.index, frame.point.function_index(), frame.sp)?;
        frames.begin_frame(frame.point.id(), frame.point.live_count())?;
        for value in frame.point.live_values() {
            let bits = frame.read(&value)?.ok_or(error::Error::StackObject(frame.point.id()))?;
            frames.push_value(frames::CarriedValue {
                kind: value.kind,
                size: value.size,
                bits,
            })?;
        }
        Ok(())
    })?;
    Ok(summary.complete.then_some(Collected { frames, jump_buffers }))
}

/// Bytes of stack the program gets beyond its rebuilt frames: what the kernel would let
/// the main thread's stack grow to (the destination's `RLIMIT_STACK`), but not more
/// than RAM plus swap: a mapping cannot grow like the kernel's stack, so an unlimited
/// limit needs some finite reservation, and no stack could use more (qemu-user also
/// keeps per-page state for every reserved page). The mapping is reserved lazily, so
/// only the pages the program touches cost memory.
fn stack_room() -> u64 {
    let limit = syscall::soft_limit(syscall::RLIMIT_STACK).unwrap_or(u64::MAX);
    let memory = syscall::physical_memory().unwrap_or(u64::MAX);
    let room = limit.min(memory);
    // Neither known (no memory size either): the kernel's default stack limit.
    if room == u64::MAX {
        8 << 20
    } else {
        room
    }
}

/// Rebuilds `frames` on a fresh stack with this binary's table, rewrites the jump
/// buffers for the rebuilt frames and enters them. The stack holds the frames, however
/// many, plus [`stack_room`] for the rest of the program.
pub(crate) fn rebuild_and_enter(
    table: &TransformTable<'_>,
    frames: &frames::Frames,
    jump_buffers: &jump_buffers::Bindings,
) -> Result<core::convert::Infallible, error::Error> {
    let needed = rebuild::stack_needed(table, frames)?;
    let size = needed
        .checked_add(stack_room())
        .and_then(|s| s.checked_add(LANDING_HEADROOM + 4096))
        .and_then(|s| usize::try_from(s).ok())
        .ok_or(error::Error::StackFull)?;
    let stack = scratch::Scratch::map(size)?;
    let place = rebuild::Stack {
        low: stack.low(),
        top: (stack.high() - LANDING_HEADROOM) & !15,
    };
    // A fresh mapping reads as zeros, which would hide a frame slot the rebuild failed to
    // write (0 is a plausible value): poison where the frames go.
    let poison_from = place.top.saturating_sub(needed).max(place.low) & !7;
    for address in (poison_from..place.top).step_by(8) {
        // SAFETY: inside the fresh, unused stack mapping.
        unsafe { core::ptr::write_volatile(address as *mut u64, 0x5a5a_5a5a_5a5a_5a5a) };
    }
    let start = syscall::monotonic_ns();
    jump_buffers::forget_all();
    let state = rebuild::rebuild(table, frames, &place, resume::landing(), &mut |frame, state| {
        jump_buffers.rewrite(table, frame, state)
    })?;
    // Every frame from here on lies below the new stack's end.
    walk::set_stack_top(stack.high());
    stack.leak();
    if settings::timing() {
        let mut line = out::Line::new();
        line.str("het-rt: rebuild frames ");
        line.u64(u64::from(frames.frame_count()));
        line.str(" values ");
        line.u64(u64::from(frames.value_count()));
        line.str(" ns ");
        line.u64(syscall::monotonic_ns().wrapping_sub(start));
        line.finish();
    }
    // SAFETY: `state` describes frames just written to the leaked stack.
    unsafe { resume::enter(&state) }
}

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
        // Another thread took the request between this thread's check and here.
        0 => return,
        REQUEST_WALK_AND_REPORT | REQUEST_WALK_AND_TIME => {
            let print = request == REQUEST_WALK_AND_REPORT;
            let start = syscall::monotonic_ns();
            let result = load::table().and_then(|table| {
                walk::walk(&table, captured, &mut |frame| {
                    if print {
                        walk::report(frame)
                    } else {
                        Ok(())
                    }
                })
            });
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
        REQUEST_REBUILD_HERE => {
            let outcome = load::table().and_then(|table| match collect(&table, captured)? {
                Some(c) => rebuild_and_enter(&table, &c.frames, &c.jump_buffers).map(|never| match never {}),
                None => Ok(()),
            });
            match outcome {
                // Deferred: keep the request for the next migration point.
                Ok(()) => return,
                Err(e) => {
                    let mut line = out::Line::new();
                    line.str("het-rt: rebuild failed: ");
                    line.display(&e);
                    line.finish();
                }
            }
        }
        requests::REQUEST_COUNT if !settings::count_point() => return,
        // Claimed by one thread: the others that saw the request return at once.
        requests::REQUEST_MIGRATE
            if __het_migration_request
                .compare_exchange(request, 0, Ordering::Relaxed, Ordering::Relaxed)
                .is_err() =>
        {
            return
        }
        requests::REQUEST_COUNT | requests::REQUEST_MIGRATE | requests::REQUEST_RETRY_AT_EACH_POINT => {
            let start = syscall::monotonic_ns();
            // Threads first: a worker's stack ends in musl's thread start, which is no
            // equivalence point, so its walks would defer at every point it passes
            // while the request stays pending (a 0.4 s four-thread program ran for
            // 543 s). Refused at once, the request is dropped and costs one check.
            let outcome = checkpoint::check_supported()
                .and_then(|()| load::table())
                .and_then(|table| collect(&table, captured));
            let failure = match outcome {
                // Deferred: a frame that is no equivalence point (a libc callback) is on
                // the stack; the requester asks again (the test mode at the next point).
                Ok(None) => {
                    requests::defer(request);
                    return;
                }
                Ok(Some(c)) => checkpoint::write_and_exit(&c.frames, &c.jump_buffers, start),
                Err(e) => e,
            };
            let mut line = out::Line::new();
            line.str("het-rt: migration failed, the program continues: ");
            line.display(&failure);
            line.finish();
            requests::refused(&failure);
        }
        _ => {
            let mut line = out::Line::new();
            line.str("het-rt: unknown migration request ");
            line.u64(u64::from(request));
            line.str(" ignored");
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
