//! Open files across a migration: the descriptors the program opened are recorded with
//! their path, flags and offset, and reopened at the same numbers on the destination,
//! so `FILE`s (whose descriptors and buffers are in migrated memory) keep working.
//!
//! Descriptors open when the program started (stdin/stdout/stderr, and under qemu-user
//! qemu's own) are not the program's: they stay connected to whatever the tool that
//! runs each hop gives it. Pipes, sockets and other files without a path cannot be
//! reopened and make the migration fail with a message naming the descriptor.

use crate::error::Error;
use crate::syscall;
use core::sync::atomic::{AtomicU64, Ordering};

/// Descriptors below this are considered.
pub const MAX_FD: i32 = 256;
const F_GETFD: usize = 1;
const F_GETFL: usize = 3;
const SEEK_SET: usize = 0;
const SEEK_CUR: usize = 1;

/// Flags that only matter when a file is created or first opened.
const CREATION_FLAGS: u32 = 0o100 | 0o200 | 0o400 | 0o1000; // O_CREAT O_EXCL O_NOCTTY O_TRUNC
/// `O_LARGEFILE` (generic numbering): implied on 64-bit, reported by some kernels.
const LARGEFILE: u32 = 0o100000;

/// Bitmap of the descriptors open at start-up.
static INHERITED: [AtomicU64; (MAX_FD as usize) / 64] = [const { AtomicU64::new(0) }; (MAX_FD as usize) / 64];

fn is_open(fd: i32) -> bool {
    syscall::fcntl(fd, F_GETFD, 0) >= 0
}

fn inherited(fd: i32) -> bool {
    let word = INHERITED.get(fd as usize / 64).map_or(0, |w| w.load(Ordering::Relaxed));
    word & (1 << (fd % 64)) != 0
}

/// Records which descriptors are open before the program runs (fresh start or restore).
pub fn note_inherited() {
    for fd in 0..MAX_FD {
        if is_open(fd) {
            // Load and store, not `fetch_or`: an atomic read-modify-write would pull
            // aarch64's outline atomics (and their ISA-specific constructor) into every
            // binary; start-up runs on one thread.
            if let Some(word) = INHERITED.get(fd as usize / 64) {
                word.store(word.load(Ordering::Relaxed) | 1 << (fd % 64), Ordering::Relaxed);
            }
        }
    }
}

/// The bytes of this ISA's open-flag numbering that differ from x86-64/asm-generic:
/// aarch64 swaps O_DIRECTORY/O_DIRECT and O_NOFOLLOW/O_LARGEFILE.
#[cfg(target_arch = "aarch64")]
const SWAPPED: [(u32, u32); 4] = [
    (0o40000, 0o200000),  // O_DIRECTORY (aarch64, generic)
    (0o100000, 0o400000), // O_NOFOLLOW
    (0o200000, 0o40000),  // O_DIRECT
    (0o400000, 0o100000), // O_LARGEFILE
];
#[cfg(not(target_arch = "aarch64"))]
const SWAPPED: [(u32, u32); 0] = [];

fn to_generic(native: u32) -> u32 {
    let mut generic = native;
    for (ours, _) in SWAPPED {
        generic &= !ours;
    }
    for (ours, theirs) in SWAPPED {
        if native & ours != 0 {
            generic |= theirs;
        }
    }
    generic
}

fn to_native(generic: u32) -> u32 {
    let mut native = generic;
    for (_, theirs) in SWAPPED {
        native &= !theirs;
    }
    for (ours, theirs) in SWAPPED {
        if generic & theirs != 0 {
            native |= ours;
        }
    }
    native
}

/// One file the program opened.
pub struct ProgramFile<'p> {
    /// Its descriptor.
    pub fd: i32,
    /// Open flags, generic numbering.
    pub flags: u32,
    /// File offset (0 for files that cannot seek).
    pub offset: i64,
    /// Absolute path.
    pub path: &'p [u8],
}

/// Calls `visit` for every descriptor the program opened, except `runtime_fd` (the
/// checkpoint being written).
pub fn for_each(runtime_fd: i32, visit: &mut dyn FnMut(&ProgramFile<'_>) -> Result<(), Error>) -> Result<(), Error> {
    let mut link = [0u8; 32];
    let mut path = [0u8; 4096];
    for fd in 3..MAX_FD {
        if fd == runtime_fd || inherited(fd) || !is_open(fd) {
            continue;
        }
        let mut digits = [0u8; 12];
        let name = decimal(fd as u64, &mut digits);
        let link = crate::env::c_path(&mut link, b"/proc/self/fd/", name).ok_or(Error::UnsupportedFile(fd))?;
        let n = syscall::readlink(link, &mut path);
        if n <= 0 {
            return Err(Error::UnsupportedFile(fd));
        }
        let target = path.get(..n as usize).unwrap_or(&[]);
        if target.first() != Some(&b'/') || target.ends_with(b" (deleted)") {
            return Err(Error::UnsupportedFile(fd));
        }
        let flags = syscall::fcntl(fd, F_GETFL, 0);
        if flags < 0 {
            return Err(Error::Syscall("fcntl", -flags as i32));
        }
        let offset = syscall::lseek(fd, 0, SEEK_CUR).max(0);
        visit(&ProgramFile {
            fd,
            flags: to_generic(flags as u32) & !LARGEFILE,
            offset: offset as i64,
            path: target,
        })?;
    }
    Ok(())
}

/// Fails if `fd` cannot be restored here: it is taken (e.g. by qemu-user itself).
pub fn check_free(fd: i32) -> Result<(), Error> {
    if !(3..MAX_FD).contains(&fd) || is_open(fd) {
        return Err(Error::FdInUse(fd));
    }
    Ok(())
}

/// Reopens one recorded file at its descriptor and offset.
pub fn reopen(fd: i32, flags: u32, offset: i64, path: &[u8]) -> Result<(), Error> {
    let mut buf = [0u8; 4097];
    let path = crate::env::c_path(&mut buf, path, b"").ok_or(Error::UnsupportedFile(fd))?;
    let native = to_native(flags & !CREATION_FLAGS) as usize;
    let opened = syscall::open(path, native, 0);
    if opened < 0 {
        return Err(Error::Reopen(fd, -opened as i32));
    }
    let opened = opened as i32;
    if opened != fd {
        let r = syscall::dup3(opened, fd);
        syscall::close(opened);
        if r < 0 {
            return Err(Error::Reopen(fd, -r as i32));
        }
    }
    if offset > 0 && syscall::lseek(fd, offset, SEEK_SET) < 0 {
        return Err(Error::Reopen(fd, 29)); // ESPIPE-like: the offset cannot be restored
    }
    Ok(())
}

/// `value` in decimal, in `buf`.
pub fn decimal(mut value: u64, buf: &mut [u8; 12]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 || at == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or(&[])
}

/// The start-up descriptor set: this process's, which a restore keeps.
pub fn kept_range() -> (u64, u64) {
    crate::settings::range(&INHERITED)
}
