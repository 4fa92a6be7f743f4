//! What this hop of the program was asked to do, read from the environment at start-up
//! (`het_format::migration`): where to write a checkpoint, which ISA it is meant for,
//! and the test mode's "migrate at the k-th migration point". A restore replaces the
//! program's memory, environment included, with the source's; these settings describe
//! the destination's hop, so the restore keeps them ([`kept_ranges`]).

use crate::env;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use het_format::migration::{ENV_CHECKPOINT, ENV_MIGRATE_AT, ENV_TARGET, ENV_TIMING};
use het_format::Isa;

/// `HET_CHECKPOINT`'s value, where it is: the environment strings the kernel put at the
/// top of the initial stack, which nothing writes and which outlive the program (a
/// restore replaces the window's copies of the environment, never the initial stack).
/// No copy, so no length limit but the kernel's.
static CHECKPOINT_PATH: AtomicUsize = AtomicUsize::new(0);
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
        CHECKPOINT_PATH.store(path.as_ptr() as usize, Ordering::Relaxed);
        CHECKPOINT_PATH_LEN.store(path.len(), Ordering::Relaxed);
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
    let (address, len) = (
        CHECKPOINT_PATH.load(Ordering::Relaxed),
        CHECKPOINT_PATH_LEN.load(Ordering::Relaxed),
    );
    // SAFETY: `read_from_env` stored an environment string of this process, which
    // lives as long as the process (see `CHECKPOINT_PATH`).
    (address != 0 && len > 0).then(|| unsafe { core::slice::from_raw_parts(address as *const u8, len) })
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
    // Atomic: every thread of the program passes migration points, and exactly one of
    // them may take the k-th.
    MIGRATE_AT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(1)) == Ok(1)
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
