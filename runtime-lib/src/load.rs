//! Loading this binary's transform table once, into a static buffer.

use crate::elf;
use crate::error::Error;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use het_format::{Isa, TransformTable};

/// Largest table the runtime accepts. Tables are ~1 KiB per 10 points (corpus:
/// under 20 KiB); a static buffer avoids depending on the program's malloc. It is
/// `.bss` and only linked into programs that call the slow path (`--gc-sections`).
pub const CAPACITY: usize = 256 * 1024;

/// The buffer, 8-aligned so the table's 8-byte fields are naturally aligned.
#[repr(C, align(8))]
struct Buffer(UnsafeCell<[u8; CAPACITY]>);

// SAFETY: written only by `table()` while `STATE` is `EMPTY` (before any reader can
// see it), read-only afterwards. The slow path runs on one thread at a time for now
// (a threaded runtime will need a lock here; see docs/migration-runtime.md).
unsafe impl Sync for Buffer {}

static BUFFER: Buffer = Buffer(UnsafeCell::new([0; CAPACITY]));
static LENGTH: AtomicUsize = AtomicUsize::new(0);
const EMPTY: u8 = 0;
const LOADED: u8 = 1;
static STATE: AtomicU8 = AtomicU8::new(EMPTY);

/// The ISA this runtime was compiled for.
const fn this_isa() -> Isa {
    if cfg!(target_arch = "x86_64") {
        Isa::X86_64
    } else if cfg!(target_arch = "aarch64") {
        Isa::Aarch64
    } else {
        Isa::Riscv64
    }
}

/// This binary's transform table, read from `/proc/self/exe` on first use.
pub fn table() -> Result<TransformTable<'static>, Error> {
    if STATE.load(Ordering::Acquire) != LOADED {
        let length = read_section()?;
        LENGTH.store(length, Ordering::Relaxed);
        STATE.store(LOADED, Ordering::Release);
    }
    let length = LENGTH.load(Ordering::Relaxed);
    // SAFETY: LOADED means the first `length` bytes were written and are never written
    // again.
    let bytes = unsafe { (*BUFFER.0.get()).get(..length).unwrap_or(&[]) };
    let table = TransformTable::parse(bytes).map_err(Error::Table)?;
    if table.isa() != this_isa() {
        return Err(Error::WrongIsa);
    }
    Ok(table)
}

fn read_section() -> Result<usize, Error> {
    let file = elf::File::open(b"/proc/self/exe\0")?;
    let section = elf::find_section(&file, b".het_transform")?;
    if section.size > CAPACITY as u64 {
        return Err(Error::TableTooLarge(section.size, CAPACITY));
    }
    let length = section.size as usize;
    // SAFETY: STATE is not LOADED, so no reference into the buffer exists yet.
    let buffer = unsafe { &mut *BUFFER.0.get() };
    file.read_exact(buffer.get_mut(..length).unwrap_or(&mut []), section.offset)?;
    Ok(length)
}

/// The loaded table's memory: this binary's, which a restore must not overwrite with
/// the source's (another ISA's table).
pub fn kept_ranges() -> [(u64, u64); 3] {
    [
        crate::settings::range(&BUFFER),
        crate::settings::range(&LENGTH),
        crate::settings::range(&STATE),
    ]
}

/// This binary's ISA.
pub const ISA: Isa = this_isa();
