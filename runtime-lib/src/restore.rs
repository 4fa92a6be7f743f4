//! Restoring a checkpoint in this binary: the destination half of a migration.
//!
//! Everything is validated before anything is changed (format and checksum, ISA and
//! program identity, every region inside this binary's data sections or the window,
//! every descriptor free), so a refused checkpoint leaves the process untouched and the
//! file intact. Then the window regions are mapped and filled, `.data`/`.bss` are
//! overwritten except for the state that belongs to this process and ISA (the kept
//! ranges below), files are reopened, and the frames are rebuilt with this binary's
//! transform table and entered.
//!
//! Kept from the destination: musl's `__libc` (auxv, TLS sizes, page size), `__hwcap`,
//! `__sysinfo`, the TLS bookkeeping (`builtin_tls`, `main_tls`, and `__het_tp_offset`,
//! the thread pointer's distance from a descriptor, which differs per ISA), the kernel's
//! view of the main thread (its tid, re-read after the copy), the cached vDSO entry points (`vdso_func`: addresses
//! in this process's vDSO), and the runtime's own table, settings, descriptor list and
//! jump-buffer registry (all of which point into this process's own mappings).

use crate::error::Error;
use crate::frames::{CarriedValue, Frames};
use crate::jump_buffers::{self, Bindings};
use crate::scratch::{Growable, Scratch};
use crate::{checkpoint, elf, env, files, load, maps, settings, start, syscall, threads, window};
use core::convert::Infallible;
use het_format::checkpoint::{Checkpoint, RegionKind};
use het_format::migration::{MAIN_THREAD_AREA, MAIN_THREAD_AREA_SIZE, UNSAFE_STACK_SIZE, WINDOW_BASE};
use het_format::TransformTable;

/// `PROT_READ`.
const PROT_READ: i32 = 1;

/// musl symbols whose destination values must survive the restore.
const KEPT_LIBC_SYMBOLS: [&[u8]; 7] = [
    b"__libc",
    b"__hwcap",
    b"__sysinfo",
    b"builtin_tls",
    b"main_tls",
    b"__het_tp_offset",
    b"vdso_func",
];

/// Ranges of memory a restore must leave as they are.
struct Kept {
    ranges: Growable<(u64, u64)>,
}

impl Kept {
    fn add(&mut self, range: (u64, u64)) -> Result<(), Error> {
        self.ranges.push(range)
    }

    fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.ranges.as_slice().iter().copied()
    }

    fn bytes(&self) -> usize {
        self.iter().map(|(_, size)| size as usize).sum()
    }
}

/// A read-only mapping of the checkpoint file.
struct MappedFile {
    address: usize,
    len: usize,
}

impl MappedFile {
    fn open(path: &[u8]) -> Result<MappedFile, Error> {
        let path = env::c_string(path, b"")?.ok_or(Error::BadPath)?;
        let fd = syscall::open_readonly(path.as_slice());
        if fd < 0 {
            return Err(Error::Syscall("open checkpoint", -fd as i32));
        }
        let fd = fd as i32;
        let len = syscall::lseek(fd, 0, 2);
        if len <= 0 {
            syscall::close(fd);
            return Err(Error::EmptyCheckpoint);
        }
        // SAFETY: a fresh, kernel-placed, read-only private file mapping.
        let address = unsafe { syscall::mmap(0, len as usize, PROT_READ, window::MAP_PRIVATE, fd, 0) };
        syscall::close(fd);
        if address < 0 {
            return Err(Error::Syscall("mmap checkpoint", -address as i32));
        }
        Ok(MappedFile {
            address: address as usize,
            len: len as usize,
        })
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the mapping is ours, readable and `len` long.
        unsafe { core::slice::from_raw_parts(self.address as *const u8, self.len) }
    }
}

impl Drop for MappedFile {
    fn drop(&mut self) {
        // SAFETY: nothing borrows the mapping past the restore.
        unsafe {
            syscall::munmap(self.address, self.len);
        }
    }
}

/// Restores the checkpoint at `path` and continues the program in it. Returns only on
/// failure; if the failure came before any change, nothing was touched.
pub fn restore(path: &[u8]) -> Result<Infallible, Error> {
    let started = syscall::monotonic_ns();
    let file = MappedFile::open(path)?;
    let checkpoint = Checkpoint::parse(file.bytes()).map_err(Error::Checkpoint)?;
    checkpoint
        .check_for(load::ISA, start::program_id())
        .map_err(Error::Checkpoint)?;
    let table = load::table()?;

    let exe = elf::File::open(b"/proc/self/exe\0")?;
    let data = checkpoint::data_ranges(&exe)?;
    for region in checkpoint.regions() {
        let (start, end) = (region.address, region.address + region.bytes.len() as u64);
        let fits = match region.kind {
            RegionKind::ProgramData => data.iter().any(|&(low, high)| start >= low && end <= high),
            RegionKind::Window => window::contains(start) && window::contains(end - 1) && start % checkpoint::PAGE == 0,
        };
        if !fits {
            return Err(Error::RegionOutside(start));
        }
    }
    // The counts were checked against the Frames record's length, so they are bounded
    // by the file's size.
    let mut frames = Frames::new(u64::from(checkpoint.frame_count()), u64::from(checkpoint.value_count()))?;
    for frame in checkpoint.frames() {
        let count = u16::try_from(frame.values.len()).map_err(|_| Error::ValueCount { id: frame.id })?;
        frames.begin_frame(frame.id, count)?;
        for value in frame.values {
            frames.push_value(CarriedValue {
                kind: value.kind,
                size: value.size,
                bits: value.bits,
            })?;
        }
    }

    let jump_buffers = jump_buffers(&checkpoint, &table, &frames)?;

    let mut kept = Kept {
        ranges: Growable::new(),
    };
    for range in load::kept_ranges().into_iter().chain(settings::kept_ranges()) {
        kept.add(range)?;
    }
    kept.add(files::kept_range())?;
    kept.add(jump_buffers::kept_range())?;
    let mut added = Ok(());
    elf::find_symbols(&exe, &KEPT_LIBC_SYMBOLS, &mut |_, address, size| {
        if added.is_ok() {
            added = kept.add((address, size));
        }
    })?;
    added?;
    // Other threads are not re-created yet (the runtime does not write their records).
    if checkpoint.threads().next().is_some() {
        return Err(Error::Threads);
    }
    if !threads::main_area_in_place() {
        return Err(Error::ThreadAreaElsewhere);
    }
    // Closed now: the restored program must not inherit the runtime's descriptor, and
    // its number may be one of the checkpoint's.
    drop(exe);
    for file in checkpoint.open_files() {
        files::check_free(file.fd)?;
    }
    let mut saved = Scratch::map(kept.bytes().max(8))?;
    copy_out(&kept, &mut saved);

    // The main thread's area is mapped already (musl's start-up placed this process's
    // there): its regions are copied over it, so they must lie inside it.
    let maps = maps::Snapshot::take()?;
    for region in checkpoint.regions() {
        let (start, end) = (region.address, region.address + region.bytes.len() as u64);
        let inside = start.max(MAIN_THREAD_AREA)..end.min(MAIN_THREAD_AREA + MAIN_THREAD_AREA_SIZE);
        if region.kind == RegionKind::Window
            && !inside.is_empty()
            && !maps.readable(inside.start, inside.end - inside.start)
        {
            return Err(Error::RegionOutside(inside.start));
        }
    }
    drop(maps);

    // From here on the process is changed: a failure can only be reported.
    window::map_exactly(WINDOW_BASE, UNSAFE_STACK_SIZE).map_err(|e| Error::Syscall("mmap unsafe stack", -e as i32))?;
    let mut window_end = 0;
    for region in checkpoint.regions() {
        let address = region.address;
        let size = region.bytes.len() as u64;
        if region.kind == RegionKind::Window {
            let mapped_to = map_window_region(address, address + size)?;
            window_end = window_end.max(mapped_to);
        }
        // SAFETY: validated above: inside this binary's data sections or a window range
        // just mapped read/write; the program is not running.
        unsafe { core::ptr::copy_nonoverlapping(region.bytes.as_ptr(), address as *mut u8, region.bytes.len()) };
        if region.kind == RegionKind::Window && region.prot != 3 {
            // SAFETY: a window range restored just now, nothing else uses it yet.
            let r = unsafe { syscall::mprotect(address as usize, size as usize, region.prot as usize) };
            if r < 0 {
                return Err(Error::Syscall("mprotect window region", -r as i32));
            }
        }
    }
    copy_back(&kept, &saved);
    threads::refresh_after_restore();
    for file in checkpoint.open_files() {
        files::reopen(file.fd, file.flags, file.offset, file.path)?;
    }
    let file_len = file.len as u64;
    drop(file);
    // The restored runtime statics say where the source would place its next mapping;
    // never below what was just restored.
    if window_end > window::next_placement() {
        window::set_next_placement(window_end);
    }
    window::activate();
    crate::signals::reinstall();
    crate::requests::arm();
    if settings::timing() {
        let mut line = crate::out::Line::new();
        line.str("het-rt: restore bytes ");
        line.u64(file_len);
        line.str(" ns ");
        line.u64(syscall::monotonic_ns().wrapping_sub(started));
        line.finish();
    }
    crate::rebuild_and_enter(&table, &frames, &jump_buffers)
}

/// Maps the parts of the window region `[start, end)` that are not mapped already (the
/// unsafe stack, mapped just before, and the main thread's area; /proc/self/maps may
/// have merged either with a neighbour into one region). Returns the end of what it
/// mapped, 0 if nothing.
fn map_window_region(start: u64, end: u64) -> Result<u64, Error> {
    let premapped = [
        (WINDOW_BASE, WINDOW_BASE + UNSAFE_STACK_SIZE),
        (MAIN_THREAD_AREA, MAIN_THREAD_AREA + MAIN_THREAD_AREA_SIZE),
    ];
    let mut mapped_to = 0;
    let mut from = start;
    while from < end {
        if let Some(&(_, high)) = premapped.iter().find(|&&(low, high)| (low..high).contains(&from)) {
            from = high;
            continue;
        }
        let to = premapped
            .iter()
            .map(|&(low, _)| low)
            .filter(|&low| low > from)
            .fold(end, u64::min);
        let len = (to - from).div_ceil(checkpoint::PAGE) * checkpoint::PAGE;
        window::map_exactly(from, len).map_err(|e| Error::Syscall("mmap window region", -e as i32))?;
        mapped_to = from + len;
        from = to;
    }
    Ok(mapped_to)
}

/// The checkpoint's jump buffers, each checked to lie in a restored region and to name
/// a `setjmp` point of the function its frame stopped in.
fn jump_buffers(checkpoint: &Checkpoint<'_>, table: &TransformTable<'_>, frames: &Frames) -> Result<Bindings, Error> {
    let mut bindings = Bindings::new();
    if checkpoint.jump_buffers().next().is_none() {
        return Ok(bindings);
    }
    // Lookups by frame index and by address, so that neither the number of frames nor
    // that of buffers makes this quadratic. Regions come in increasing address order
    // without overlaps (the reader checked).
    let starts = frames.frame_starts()?;
    let mut regions = Growable::new();
    for region in checkpoint.regions() {
        regions.push((region.address, region.address + region.bytes.len() as u64))?;
    }
    let regions = regions.as_slice();
    for buffer in checkpoint.jump_buffers() {
        let inside = maps::covers(regions, buffer.address, jump_buffers::USED_BYTES);
        let frame_point = match starts.as_slice().get(buffer.frame as usize) {
            Some(&at) => table.point_by_id(frames.frame_at(at)?.0),
            None => None,
        };
        let setjmp_point = table.point_by_id(buffer.point);
        match (inside, frame_point, setjmp_point) {
            (true, Some(frame), Some(point)) if frame.function_index() == point.function_index() => {
                bindings.bind(buffer)?
            }
            _ => return Err(Error::BadJumpBuffer(buffer.address)),
        }
    }
    bindings.sort();
    Ok(bindings)
}

fn copy_out(kept: &Kept, saved: &mut Scratch) {
    let mut at = saved.low() as usize;
    for (address, size) in kept.iter() {
        // SAFETY: each kept range is a live static of this binary; `saved` holds their
        // total size.
        unsafe { core::ptr::copy_nonoverlapping(address as *const u8, at as *mut u8, size as usize) };
        at += size as usize;
    }
}

fn copy_back(kept: &Kept, saved: &Scratch) {
    let mut at = saved.low() as usize;
    for (address, size) in kept.iter() {
        // SAFETY: as in `copy_out`, in the other direction.
        unsafe { core::ptr::copy_nonoverlapping(at as *const u8, address as *mut u8, size as usize) };
        at += size as usize;
    }
}
