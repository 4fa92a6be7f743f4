//! This binary's transform table, mapped read-only from the file once.
//!
//! `.het_transform` is not part of any loaded segment, so it is mapped from
//! `/proc/self/exe` (qemu-user serves the guest binary there): a private read-only file
//! mapping at a kernel-chosen address, outside the migration window, so it is never
//! part of a checkpoint and a table of any size costs only the pages a walk touches.
//! The table is validated on first use and the validated view is kept: a deferred
//! migration looks it up again at every migration point, and validation reads (and
//! checksums) the whole table.

use crate::elf;
use crate::error::Error;
use crate::syscall;
use crate::window;
use core::cell::UnsafeCell;
use het_format::{Isa, TransformTable};

/// File offsets of mappings are rounded down to this: a multiple of every page size
/// the three ISAs' kernels use (4, 16 or 64 KiB), so no page-size query is needed.
const MAP_ALIGN: u64 = 64 << 10;
/// `PROT_READ`.
const PROT_READ: i32 = 1;

struct Loaded(UnsafeCell<Option<TransformTable<'static>>>);

// SAFETY: written only by `table()` while it is `None` (before any reader can see it),
// read-only afterwards. The slow path runs on one thread at a time (migration is refused
// while other threads run).
unsafe impl Sync for Loaded {}

static TABLE: Loaded = Loaded(UnsafeCell::new(None));

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

/// This binary's transform table, mapped and validated on first use.
pub fn table() -> Result<TransformTable<'static>, Error> {
    // SAFETY: see `Loaded`.
    if let Some(table) = unsafe { *TABLE.0.get() } {
        return Ok(table);
    }
    let bytes = map_section()?;
    let table = TransformTable::parse(bytes).map_err(Error::Table)?;
    if table.isa() != this_isa() {
        return Err(Error::WrongIsa);
    }
    // SAFETY: see `Loaded`; the mapping is never unmapped, so `'static` holds.
    unsafe { *TABLE.0.get() = Some(table) };
    Ok(table)
}

/// Maps `.het_transform` for the rest of the process.
fn map_section() -> Result<&'static [u8], Error> {
    let file = elf::File::open(b"/proc/self/exe\0")?;
    let section = elf::find_section(&file, b".het_transform")?;
    section.check_in_file(file.size()?)?;
    let start = section.offset & !(MAP_ALIGN - 1);
    let skip = (section.offset - start) as usize;
    let len = usize::try_from(section.size)
        .ok()
        .and_then(|size| size.checked_add(skip))
        .ok_or(Error::BadElf(".het_transform is larger than the address space"))?;
    if section.size == 0 {
        return Ok(&[]);
    }
    // SAFETY: a fresh, kernel-placed, read-only private mapping of our own binary; the
    // section lies inside the file (checked), so every mapped byte of it is backed.
    let address = unsafe { syscall::mmap(0, len, PROT_READ, window::MAP_PRIVATE, file.fd(), start as i64) };
    if address < 0 {
        return Err(Error::Syscall("mmap .het_transform", -address as i32));
    }
    // SAFETY: the mapping is readable, `len` long, and stays for the process's lifetime
    // (the descriptor may be closed: a mapping keeps the file).
    Ok(unsafe { core::slice::from_raw_parts((address as usize + skip) as *const u8, section.size as usize) })
}

/// The loaded table: this binary's, which a restore must not overwrite with the
/// source's (another ISA's table, at the source's mapping address).
pub fn kept_ranges() -> [(u64, u64); 1] {
    [crate::settings::range(&TABLE)]
}

/// This binary's ISA.
pub const ISA: Isa = this_isa();
