//! `setjmp`/`longjmp` across a migration. hetcc (`passes/src/setjmp.rs`) sends the
//! program's `setjmp` family to [`__het_setjmp`] and its `longjmp` family to
//! [`__het_longjmp`], and makes each `__het_setjmp` call an equivalence point with no
//! live values: everything the code after it reads is in the unsafe stack.
//!
//! A buffer (the canonical, riscv64-sized `jmp_buf` of 43 words) holds:
//!
//! | words | what |
//! |---|---|
//! | `0 .. NATIVE_WORDS` | the caller's registers as a [`Captured`]: SP after the return, return address, callee-saved registers (ISA-specific) |
//! | [`SAVED_MASK`] | whether [`SIGNAL_MASK`] holds a mask to restore (`sigsetjmp(b, 1)`) |
//! | [`SIGNAL_MASK`] | the signal mask at the `sigsetjmp` |
//! | [`UNSAFE_SP`] | the unsafe-stack pointer at the `setjmp`, which `longjmp` restores |
//! | [`MAGIC`] | [`MAGIC_TAG`] xor the buffer's address: "filled by `__het_setjmp`" |
//!
//! Only the native words are ISA-specific. A migration finds each buffer whose
//! `setjmp` frame is still on the stack (a registry of filled buffers, checked against
//! the walked frames), names it in the checkpoint with that frame and the point of the
//! `setjmp` call, and the destination writes its own registers for that frame into the
//! native words.

use crate::capture::{self, Captured};
use crate::error::Error;
use crate::scratch::Growable;
use crate::{out, syscall, threads};
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, Ordering};
use het_format::checkpoint::JumpBuffer;
use het_format::TransformTable;

/// Words of the native part (a [`Captured`]).
const NATIVE_WORDS: usize = capture::FIRST_REGISTER + capture::LAYOUT.len();
/// Word: 1 if the buffer saved a signal mask.
const SAVED_MASK: usize = 26;
/// Word: the saved signal mask.
const SIGNAL_MASK: usize = 27;
/// Word: `__het_unsafe_sp` at the `setjmp`.
const UNSAFE_SP: usize = 28;
/// Word: [`MAGIC_TAG`] ^ the buffer's address.
const MAGIC: usize = 29;
/// Words of the canonical `jmp_buf` (riscv64 musl: 26 + 1 + 16).
const CANONICAL_WORDS: usize = 43;
/// Marks a buffer `__het_setjmp` filled ("HETJMPBF").
const MAGIC_TAG: u64 = 0x4845_544a_4d50_4246;

const _: () = assert!(NATIVE_WORDS <= SAVED_MASK && MAGIC < CANONICAL_WORDS);

/// Bytes of a buffer the runtime reads or writes.
pub const USED_BYTES: u64 = (MAGIC as u64 + 1) * 8;

/// A buffer and the SP of the frame that filled it.
#[derive(Clone, Copy)]
struct Entry {
    buffer: u64,
    sp: u64,
}

/// Filled buffers whose `setjmp` frame may still be live, in a growable scratch
/// mapping (outside the window: a restore keeps the destination's registry, see
/// [`kept_range`], and [`Bindings::rewrite`] fills it again).
struct Registry {
    entries: Growable<Entry>,
    /// Set when a buffer could not be recorded: migration is refused from then on.
    overflowed: bool,
}

struct Shared(UnsafeCell<Registry>);

// SAFETY: accessed only while `BUSY` is held (a signal handler or another thread that
// calls `setjmp` while the registry is in use finds it taken and marks the registry
// lost), and by the slow path and the restore, which run with the program stopped.
// Entries are not per thread (a thread's `note` drops entries below its SP, whatever
// stack they are on); every entry is checked before a migration uses it (readable,
// marked, SP and function matching a walked frame), and a migration is refused while
// other threads run.
unsafe impl Sync for Shared {}

static REGISTRY: Shared = Shared(UnsafeCell::new(Registry {
    entries: Growable::new(),
    overflowed: false,
}));
static BUSY: AtomicBool = AtomicBool::new(false);

/// Runs `f` on the registry, or returns `None` if it is in use (re-entered from a
/// signal handler).
fn with_registry<T>(f: impl FnOnce(&mut Registry) -> T) -> Option<T> {
    // A swap: another thread may be inside, and so may the code a signal handler on
    // this thread interrupted. Either way the caller's buffer goes unrecorded (and
    // migration is refused), which waiting could not fix for the handler.
    if BUSY.swap(true, Ordering::Acquire) {
        return None;
    }
    // SAFETY: `BUSY` makes this the only reference (see `Shared`).
    let result = f(unsafe { &mut *REGISTRY.0.get() });
    BUSY.store(false, Ordering::Release);
    Some(result)
}

impl Registry {
    /// Records `buffer`, filled by a frame whose SP is `sp`. Entries of frames below
    /// `sp` are dead (the stack grows down and the caller of `setjmp` is running), and
    /// an older entry for the same buffer is replaced. If the registry cannot grow (no
    /// memory), the buffer is lost and migration refused.
    fn note(&mut self, buffer: u64, sp: u64) {
        let entries = self.entries.as_mut_slice();
        let mut kept = 0;
        for i in 0..entries.len() {
            let entry = entries[i];
            if entry.sp >= sp && entry.buffer != buffer {
                entries[kept] = entry;
                kept += 1;
            }
        }
        self.entries.truncate(kept);
        if self.entries.push(Entry { buffer, sp }).is_err() {
            self.overflowed = true;
        }
    }
}

fn words<'a>(buffer: u64) -> &'a mut [u64; CANONICAL_WORDS] {
    // SAFETY: callers pass a buffer the program handed to setjmp/longjmp (a jmp_buf of
    // the canonical size) or one a checkpoint names inside a restored region.
    unsafe { &mut *(buffer as *mut [u64; CANONICAL_WORDS]) }
}

const SIG_BLOCK: usize = 0;
const SIG_SETMASK: usize = 2;

/// The second half of `__het_setjmp` (`capture/<isa>.rs`), which stored the native
/// words and jumps here; returns `setjmp`'s first result, 0.
///
/// # Safety
/// `buffer` is a canonical `jmp_buf` whose native words were just filled.
#[no_mangle]
pub unsafe extern "C" fn __het_setjmp_tail(buffer: *mut u64, save_mask: i32) -> i32 {
    let address = buffer as u64;
    let w = words(address);
    w[SAVED_MASK] = u64::from(save_mask != 0);
    if save_mask != 0 {
        // SAFETY: reads the current mask into the buffer's mask word.
        unsafe { syscall::rt_sigprocmask(SIG_BLOCK, 0, &raw mut w[SIGNAL_MASK] as usize) };
    }
    w[UNSAFE_SP] = threads::unsafe_stack_pointer();
    w[MAGIC] = MAGIC_TAG ^ address;
    let sp = w[capture::SP];
    if with_registry(|r| r.note(address, sp)).is_none() {
        lose_registry();
    }
    0
}

/// Migration is refused from now on: a buffer could not be recorded.
fn lose_registry() {
    // SAFETY: only reached while another `with_registry` holds it (a signal handler
    // that interrupted it, or another thread); a single store of a flag the holder
    // never reads back.
    unsafe { (*REGISTRY.0.get()).overflowed = true };
}

/// `longjmp(buffer, value)` for buffers `__het_setjmp` filled, here or before a
/// migration (a restore rewrote the native words).
///
/// # Safety
/// As for libc's `longjmp`: the frame that called `setjmp` must still be live.
#[no_mangle]
pub unsafe extern "C" fn __het_longjmp(buffer: *mut u64, value: i32) -> ! {
    let address = buffer as u64;
    let w = words(address);
    if w[MAGIC] != MAGIC_TAG ^ address {
        let mut line = out::Line::new();
        line.str("het-rt: longjmp to a buffer that setjmp did not fill");
        line.finish();
        syscall::exit_group(134);
    }
    if w[SAVED_MASK] != 0 {
        // SAFETY: sets the mask saved by `sigsetjmp`.
        unsafe { syscall::rt_sigprocmask(SIG_SETMASK, &raw const w[SIGNAL_MASK] as usize, 0) };
    }
    threads::set_unsafe_stack_pointer(w[UNSAFE_SP]);
    let state = buffer as *const Captured;
    // SAFETY: the native words are a capture of the live `setjmp` frame, by
    // `__het_setjmp` or by `rewrite` after a restore.
    unsafe { crate::resume::enter_with(&*state, if value == 0 { 1 } else { value }) }
}

/// A buffer of the registry that still belongs to a live frame: its address, its
/// frame's SP and its `setjmp` point (source ISA).
#[derive(Clone, Copy)]
struct Candidate {
    buffer: u64,
    sp: u64,
    point: u64,
    function: u32,
}

/// The jump buffers of one migration, in growable scratch mappings.
pub struct Bindings {
    /// Sorted by SP, the order the walk meets their frames in.
    candidates: Growable<Candidate>,
    /// Candidates before this one belong to frames the walk has passed.
    next_candidate: usize,
    /// Sorted by frame index (see [`Bindings::sort`]).
    bound: Growable<JumpBuffer>,
}

impl Bindings {
    /// No buffers (nothing mapped).
    pub const fn new() -> Bindings {
        Bindings {
            candidates: Growable::new(),
            next_candidate: 0,
            bound: Growable::new(),
        }
    }

    /// Before a walk: the registry's buffers that are readable, were filled by
    /// `__het_setjmp` and whose return address is a point of `table`.
    pub fn candidates(table: &TransformTable<'_>, readable: &dyn Fn(u64, u64) -> bool) -> Result<Bindings, Error> {
        let mut found = Bindings::new();
        with_registry(|r| {
            if r.overflowed {
                return Err(Error::JumpBuffersLost);
            }
            for entry in r.entries.as_slice() {
                if !readable(entry.buffer, USED_BYTES) {
                    continue;
                }
                let w = words(entry.buffer);
                if w[MAGIC] != MAGIC_TAG ^ entry.buffer || w[capture::SP] != entry.sp {
                    continue;
                }
                let Some(point) = table.point_by_return_address(w[capture::RA]) else {
                    continue;
                };
                found.candidates.push(Candidate {
                    buffer: entry.buffer,
                    sp: entry.sp,
                    point: point.id(),
                    function: point.function_index(),
                })?;
            }
            Ok(())
        })
        .ok_or(Error::JumpBuffersLost)??;
        found.candidates.as_mut_slice().sort_unstable_by_key(|c| c.sp);
        Ok(found)
    }

    /// During the walk, which visits frames in increasing SP order: binds the
    /// candidates filled by this frame (index `frame`, innermost first, stopped at a
    /// point of function `function` with SP `sp`).
    pub fn visit(&mut self, frame: u64, function: u32, sp: u64) -> Result<(), Error> {
        let candidates = self.candidates.as_slice();
        let mut i = self.next_candidate;
        while let Some(c) = candidates.get(i).filter(|c| c.sp <= sp) {
            if c.sp == sp && c.function == function {
                self.bound.push(JumpBuffer {
                    address: c.buffer,
                    frame: frame as u32,
                    point: c.point,
                })?;
            }
            i += 1;
        }
        self.next_candidate = i;
        Ok(())
    }

    /// Adds a binding (from a checkpoint; [`Bindings::sort`] once all are added).
    pub fn bind(&mut self, buffer: JumpBuffer) -> Result<(), Error> {
        self.bound.push(buffer)
    }

    /// Orders the bindings by frame, as [`Bindings::rewrite`] looks them up (a walk
    /// binds them in that order already; a checkpoint's need not be).
    pub fn sort(&mut self) {
        self.bound.as_mut_slice().sort_unstable_by_key(|b| b.frame);
    }

    /// The bound buffers.
    pub fn iter(&self) -> impl Iterator<Item = &JumpBuffer> {
        self.bound.as_slice().iter()
    }

    /// After the rebuild laid out frame `frame` (innermost first) as `state` (its SP
    /// and registers as its code sees them): writes this ISA's native words into the
    /// buffers that frame filled, and records them for the next migration.
    pub fn rewrite(&self, table: &TransformTable<'_>, frame: u32, state: &Captured) -> Result<(), Error> {
        let bound = self.bound.as_slice();
        let first = bound.partition_point(|b| b.frame < frame);
        for buffer in bound
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .take_while(|b| b.frame == frame)
        {
            let point = table
                .point_by_id(buffer.point)
                .ok_or(Error::UnknownPoint(buffer.point))?;
            let w = words(buffer.address);
            for (word, &value) in w.iter_mut().zip(state.words.iter()) {
                *word = value;
            }
            w[capture::RA] = point.return_address();
            let sp = state.words[capture::SP];
            if with_registry(|r| r.note(buffer.address, sp)).is_none() {
                return Err(Error::JumpBuffersLost);
            }
        }
        Ok(())
    }
}

/// Whether any buffer is recorded (a migration then looks for live ones).
pub fn any_recorded() -> bool {
    with_registry(|r| !r.entries.is_empty() || r.overflowed).unwrap_or(true)
}

/// Forgets every recorded buffer: the SPs of the entries are those of the stack being
/// replaced; [`Bindings::rewrite`] records the live ones again. The mapping stays.
pub fn forget_all() {
    with_registry(|r| {
        r.entries.truncate(0);
        r.overflowed = false;
    });
}

/// The registry: this process's (its entries live in this process's scratch mapping),
/// which a restore keeps rather than taking the source's.
pub fn kept_range() -> (u64, u64) {
    crate::settings::range(&REGISTRY)
}
