//! What this hop of the program was asked to do, read from the environment at start-up
//! (`het_format::migration`): where to write a checkpoint, which ISA it is meant for,
//! and the test mode's "migrate at the k-th migration point". A restore replaces the
//! program's memory, environment included, with the source's; these settings describe
//! the destination's hop, so the restore keeps them ([`kept_ranges`]).

use crate::env;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use het_format::migration::{ENV_CHECKPOINT, ENV_MIGRATE_AT, ENV_TARGET, ENV_TIMING};
use het_format::Isa;

/// Longest checkpoint path accepted (Linux `PATH_MAX`, NUL included).
const PATH_CAPACITY: usize = 4096;

struct PathBuffer(UnsafeCell<[u8; PATH_CAPACITY]>);

// SAFETY: written only by `read_from_env` at start-up, before the program (and any
// signal handler that could lead to a checkpoint) runs.
unsafe impl Sync for PathBuffer {}

static CHECKPOINT_PATH: PathBuffer = PathBuffer(UnsafeCell::new([0; PATH_CAPACITY]));
static CHECKPOINT_PATH_LEN: AtomicUsize = AtomicUsize::new(0);
/// `Isa::elf_machine` of the requested destination, 0 for any.
static TARGET: AtomicU64 = AtomicU64::new(0);
/// Whether to report step timings (`HET_TIMING`).
static TIMING: AtomicU64 = AtomicU64::new(0);
/// Migration points still to pass before the test mode requests a migration; 0: off.
static MIGRATE_AT: AtomicU64 = AtomicU64::new(0);

/// Reads the settings of this hop.
pub fn read_from_env() {
    if let Some(path) = env::var(ENV_CHECKPOINT) {
        if path.len() < PATH_CAPACITY && !path.contains(&0) {
            // SAFETY: see `PathBuffer`: nothing reads the buffer yet.
            let buffer = unsafe { &mut *CHECKPOINT_PATH.0.get() };
            if let Some(slot) = buffer.get_mut(..path.len()) {
                slot.copy_from_slice(path);
                CHECKPOINT_PATH_LEN.store(path.len(), Ordering::Relaxed);
            }
        }
    }
    let target = env::var(ENV_TARGET)
        .and_then(|name| core::str::from_utf8(name).ok())
        .and_then(Isa::from_name)
        .map_or(0, |isa| u64::from(isa.elf_machine()));
    TARGET.store(target, Ordering::Relaxed);
    let at = env::var(ENV_MIGRATE_AT).and_then(env::parse_u64).unwrap_or(0);
    MIGRATE_AT.store(at, Ordering::Relaxed);
    TIMING.store(u64::from(env::var(ENV_TIMING).is_some()), Ordering::Relaxed);
}

/// Whether step timings are reported.
pub fn timing() -> bool {
    TIMING.load(Ordering::Relaxed) != 0
}

/// The checkpoint path from `HET_CHECKPOINT`, if set.
pub fn checkpoint_path() -> Option<&'static [u8]> {
    let len = CHECKPOINT_PATH_LEN.load(Ordering::Relaxed);
    // SAFETY: written once at start-up, read-only afterwards.
    let buffer = unsafe { &*CHECKPOINT_PATH.0.get() };
    (len > 0).then(|| buffer.get(..len).unwrap_or(&[]))
}

/// The ISA the checkpoint is meant for (`HET_TARGET`).
pub fn target() -> Option<Isa> {
    Isa::from_elf_machine(TARGET.load(Ordering::Relaxed) as u16)
}

/// Whether the test mode (`HET_MIGRATE_AT`) is on.
pub fn counting() -> bool {
    MIGRATE_AT.load(Ordering::Relaxed) > 0
}

/// Counts one migration point in test mode; true when this is the k-th.
pub fn count_point() -> bool {
    // Load and store (see `files::note_inherited`): migration points run on one thread.
    let left = MIGRATE_AT.load(Ordering::Relaxed);
    MIGRATE_AT.store(left.saturating_sub(1), Ordering::Relaxed);
    left == 1
}

/// The memory of these settings, which a restore must not overwrite.
pub fn kept_ranges() -> [(u64, u64); 5] {
    [
        range(&TIMING),
        range(&CHECKPOINT_PATH),
        range(&CHECKPOINT_PATH_LEN),
        range(&TARGET),
        range(&MIGRATE_AT),
    ]
}

/// `(address, size)` of a static.
pub fn range<T>(value: &'static T) -> (u64, u64) {
    (value as *const T as u64, core::mem::size_of::<T>() as u64)
}
