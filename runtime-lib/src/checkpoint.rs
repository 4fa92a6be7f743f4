//! Writing a checkpoint (format: `het_format::checkpoint`) and stopping: the source
//! half of a migration.
//!
//! The checkpoint holds the program's frames in ISA-neutral form, its `.data` and
//! `.bss` (at the same addresses in every ISA's binary), every mapping in the
//! migration window (heap, anonymous mappings, the used part of the unsafe stack, the
//! argv/envp copies) and the files it opened. It is written to `<path>.tmp` and renamed,
//! so a reader never sees a partial file; then the process exits with
//! `CHECKPOINT_EXIT_STATUS` without running atexit handlers or flushing stdio: pending
//! output is in the checkpointed memory and is written once, by the destination.

use crate::error::Error;
use crate::frames::Frames;
use crate::jump_buffers::Bindings;
use crate::{elf, env, files, maps, settings, start, syscall, threads};
use het_format::checkpoint::{
    frames_payload_header, frames_payload_len, region_payload_len, Header, OpenFileHeader, RecordTag, RegionHeader,
    RegionKind, Writer,
};
use het_format::migration::{CHECKPOINT_EXIT_STATUS, STARTUP_AREA, WINDOW_BASE};

/// Sections holding the program's (and libc's) writable data, at the same addresses on
/// every ISA.
pub const DATA_SECTIONS: [&[u8]; 2] = [b".data", b".bss"];

/// `[start, end)` of each of [`DATA_SECTIONS`] in the running binary.
pub fn data_ranges(exe: &elf::File) -> Result<[(u64, u64); DATA_SECTIONS.len()], Error> {
    let mut data = [(0u64, 0u64); DATA_SECTIONS.len()];
    for (slot, name) in data.iter_mut().zip(DATA_SECTIONS) {
        let section = elf::find_section(exe, name)?;
        *slot = (section.address, section.address + section.size);
    }
    Ok(data)
}

/// Page size assumed for region rounding (4 KiB on the three ISAs' Linux configurations
/// hetcc targets).
pub const PAGE: u64 = 4096;

const O_WRONLY: usize = 0o1;
const O_CREAT: usize = 0o100;
const O_TRUNC: usize = 0o1000;
const O_CLOEXEC: usize = 0o2_000_000;

/// Writes the checkpoint for `frames` and exits. Returns only on failure (the program
/// then continues; the request is dropped by the caller). The caller has checked
/// [`check_supported`] before walking the stack.
pub fn write_and_exit(frames: &Frames, jump_buffers: &Bindings, started: u64) -> Error {
    let walked = syscall::monotonic_ns();
    let mut default = [0u8; 32];
    let path = match settings::checkpoint_path() {
        Some(path) => path,
        None => default_path(&mut default),
    };
    let (final_path, temporary) = match (env::c_string(path, b""), env::c_string(path, b".tmp")) {
        (Ok(Some(final_path)), Ok(Some(temporary))) => (final_path, temporary),
        (Err(e), _) | (_, Err(e)) => return e,
        _ => return Error::BadPath,
    };
    let (final_path, temporary) = (final_path.as_slice(), temporary.as_slice());
    let fd = syscall::open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600);
    if fd < 0 {
        return Error::Syscall("open checkpoint", -fd as i32);
    }
    let fd = fd as i32;
    let written = write(fd, frames, jump_buffers);
    let size = syscall::lseek(fd, 0, 1);
    syscall::close(fd);
    if let Err(e) = written {
        syscall::unlink(temporary);
        return e;
    }
    let renamed = syscall::rename(temporary, final_path);
    if renamed < 0 {
        syscall::unlink(temporary);
        return Error::Syscall("rename checkpoint", -renamed as i32);
    }
    if settings::timing() {
        let done = syscall::monotonic_ns();
        let mut line = crate::out::Line::new();
        line.str("het-rt: checkpoint frames ");
        line.u64(u64::from(frames.frame_count()));
        line.str(" bytes ");
        line.u64(size.max(0) as u64);
        line.str(" walk_ns ");
        line.u64(walked.wrapping_sub(started));
        line.str(" write_ns ");
        line.u64(done.wrapping_sub(walked));
        line.finish();
    }
    syscall::exit_group(CHECKPOINT_EXIT_STATUS)
}

extern "C" {
    /// musl's process-wide state; `threads_minus_1` is the `int` at offset 4 (after four
    /// `char` flags) on every ISA.
    static __libc: [i32; 2];
}

/// Refuses what the checkpoint cannot carry (other threads, a main-thread area musl had
/// to place itself), before the stack is walked.
pub(crate) fn check_supported() -> Result<(), Error> {
    // SAFETY: reading an int musl keeps in its static state.
    if unsafe { core::ptr::read_volatile(&raw const __libc[1]) } != 0 {
        return Err(Error::Threads);
    }
    if !threads::main_area_in_place() {
        return Err(Error::ThreadAreaElsewhere);
    }
    Ok(())
}

/// `het-<pid>.ckpt`.
fn default_path(buf: &mut [u8; 32]) -> &[u8] {
    let mut digits = [0u8; 12];
    let pid = files::decimal(syscall::getpid() as u64, &mut digits);
    let mut len = 0;
    for part in [&b"het-"[..], pid, b".ckpt"] {
        for &b in part {
            if let Some(slot) = buf.get_mut(len) {
                *slot = b;
                len += 1;
            }
        }
    }
    buf.get(..len).unwrap_or(&[])
}

fn write(fd: i32, frames: &Frames, jump_buffers: &Bindings) -> Result<(), Error> {
    let header = Header {
        source_isa: crate::load::ISA,
        target_isa: settings::target(),
        program_id: start::program_id(),
        page_size: PAGE as u32,
    };
    let sink = |bytes: &[u8]| syscall::write_fully(fd, bytes);
    let mut writer = Writer::new(&header, sink).map_err(Error::from_write)?;
    let (frame_count, value_count) = (frames.frame_count(), frames.value_count());
    writer
        .begin(RecordTag::Frames, frames_payload_len(frame_count, value_count))
        .map_err(Error::from_write)?;
    writer
        .write(&frames_payload_header(frame_count, value_count))
        .map_err(Error::from_write)?;
    writer.write(frames.as_bytes()).map_err(Error::from_write)?;
    writer.end().map_err(Error::from_write)?;

    // Closed before the descriptors are listed, or it would count as a program file.
    let exe = elf::File::open(b"/proc/self/exe\0")?;
    let data = data_ranges(&exe)?;
    drop(exe);
    for (start, end) in data {
        if end > start {
            region(&mut writer, start, end, 3, RegionKind::ProgramData)?;
        }
    }
    let unsafe_sp = threads::unsafe_stack_pointer() & !(PAGE - 1);
    maps::window_mappings(&mut |mapping| {
        if mapping.prot & 1 == 0 {
            // Reserved but inaccessible (mallocng reserves its metadata area PROT_NONE
            // and opens it page by page with mprotect): its contents are nothing, but
            // the reservation must exist on the destination too.
            return reserved_region(&mut writer, mapping.start, mapping.end);
        }
        // Only the used part of the unsafe stack (it is reserved at 256 MiB).
        let start = if mapping.start < STARTUP_AREA && mapping.start >= WINDOW_BASE {
            mapping.start.max(unsafe_sp)
        } else {
            mapping.start
        };
        if start >= mapping.end {
            return Ok(());
        }
        region(&mut writer, start, mapping.end, mapping.prot, RegionKind::Window)
    })?;
    files::for_each(fd, &mut |file| {
        let header = OpenFileHeader {
            fd: file.fd,
            flags: file.flags,
            offset: file.offset,
            path_len: file.path.len() as u32,
        };
        writer.open_file(&header, file.path).map_err(Error::from_write)
    })?;
    for buffer in jump_buffers.iter() {
        writer.jump_buffer(buffer).map_err(Error::from_write)?;
    }
    writer.finish().map_err(Error::from_write)?;
    Ok(())
}

/// A region that cannot be read: recorded with zero bytes and protection 0.
fn reserved_region<S: FnMut(&[u8]) -> Result<(), i32>>(
    writer: &mut Writer<S>,
    start: u64,
    end: u64,
) -> Result<(), Error> {
    static ZEROS: [u8; 4096] = [0; 4096];
    let header = RegionHeader {
        address: start,
        size: end - start,
        prot: 0,
        kind: RegionKind::Window,
    };
    let len = region_payload_len(end - start).ok_or(Error::Write(0))?;
    writer.begin(RecordTag::Region, len).map_err(Error::from_write)?;
    writer.write(&header.encode()).map_err(Error::from_write)?;
    let mut left = end - start;
    while left > 0 {
        let n = left.min(ZEROS.len() as u64) as usize;
        writer.write(ZEROS.get(..n).unwrap_or(&[])).map_err(Error::from_write)?;
        left -= n as u64;
    }
    writer.end().map_err(Error::from_write)
}

fn region<S: FnMut(&[u8]) -> Result<(), i32>>(
    writer: &mut Writer<S>,
    start: u64,
    end: u64,
    prot: u32,
    kind: RegionKind,
) -> Result<(), Error> {
    let header = RegionHeader {
        address: start,
        size: end - start,
        prot,
        kind,
    };
    // SAFETY: the range is a readable mapping of this process (a data section of the
    // running binary, or a readable line of /proc/self/maps), not changing while the
    // program is stopped in the slow path.
    let memory = unsafe { core::slice::from_raw_parts(start as *const u8, (end - start) as usize) };
    writer.region(&header, memory).map_err(Error::from_write)
}
