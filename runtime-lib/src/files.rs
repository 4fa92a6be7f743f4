//! Open files across a migration: the descriptors the program opened are recorded with
//! their path, flags and offset, and reopened at the same numbers on the destination,
//! so `FILE`s (whose descriptors and buffers are in migrated memory) keep working.
//!
//! Descriptors open when the program started (stdin/stdout/stderr, and under qemu-user
//! qemu's own) are not the program's: they stay connected to whatever the tool that
//! runs each hop gives it. Pipes, sockets and other files without a path cannot be
//! reopened and make the migration fail with a message naming the descriptor.

use crate::error::Error;
use crate::scratch::Growable;
use crate::syscall;
use core::cell::UnsafeCell;

const F_GETFD: usize = 1;
const F_GETFL: usize = 3;
const SEEK_SET: usize = 0;
const SEEK_CUR: usize = 1;

/// Flags that only matter when a file is created or first opened.
const CREATION_FLAGS: u32 = 0o100 | 0o200 | 0o400 | 0o1000; // O_CREAT O_EXCL O_NOCTTY O_TRUNC
/// `O_LARGEFILE` (generic numbering): implied on 64-bit, reported by some kernels.
const LARGEFILE: u32 = 0o100000;

/// The descriptors open at start-up, sorted, or the errno of listing them.
struct Inherited {
    fds: Growable<i32>,
    error: i32,
}

struct Shared(UnsafeCell<Inherited>);

// SAFETY: written once by `note_inherited` at start-up, before the program runs (one
// thread), read-only afterwards.
unsafe impl Sync for Shared {}

static INHERITED: Shared = Shared(UnsafeCell::new(Inherited {
    fds: Growable::new(),
    error: 0,
}));

fn is_open(fd: i32) -> bool {
    syscall::fcntl(fd, F_GETFD, 0) >= 0
}

/// Every open descriptor, sorted, from `/proc/self/fd` (under qemu-user the host
/// process's, which are the guest's: qemu does not renumber descriptors). Listing the
/// directory rather than probing numbers finds descriptors of any number. The listing's
/// own descriptor is left out (it is closed when this returns, and its number is then
/// free for the program).
fn open_descriptors() -> Result<Growable<i32>, Error> {
    let dir = syscall::open_readonly(b"/proc/self/fd\0");
    if dir < 0 {
        return Err(Error::Syscall("open /proc/self/fd", -dir as i32));
    }
    let dir = dir as i32;
    let mut fds = Growable::new();
    // Entries are read a bufferful at a time; the buffer bounds nothing.
    let mut buf = [0u8; 2048];
    let listed = 'listing: loop {
        let n = syscall::getdents64(dir, &mut buf);
        if n <= 0 {
            break if n < 0 {
                Err(Error::Syscall("getdents64 /proc/self/fd", -n as i32))
            } else {
                Ok(())
            };
        }
        let mut entries = buf.get(..n as usize).unwrap_or(&[]);
        // struct linux_dirent64: d_ino u64, d_off i64, d_reclen u16, d_type u8, d_name
        // (NUL-terminated).
        while let Some(&[lo, hi]) = entries.get(16..18) {
            let reclen = usize::from(u16::from_le_bytes([lo, hi]));
            let name = entries.get(19..reclen).unwrap_or(&[]);
            let name = name.split(|&b| b == 0).next().unwrap_or(&[]);
            let fd = crate::env::parse_u64(name).and_then(|fd| i32::try_from(fd).ok());
            if let Some(fd) = fd.filter(|&fd| fd != dir) {
                if let Err(e) = fds.push(fd) {
                    break 'listing Err(e);
                }
            }
            entries = entries.get(reclen.max(19)..).unwrap_or(&[]);
        }
    };
    syscall::close(dir);
    listed?;
    fds.as_mut_slice().sort_unstable();
    Ok(fds)
}

fn inherited(fd: i32) -> Result<bool, Error> {
    // SAFETY: see `Shared`.
    let inherited = unsafe { &*INHERITED.0.get() };
    if inherited.error != 0 {
        return Err(Error::Syscall("open /proc/self/fd", inherited.error));
    }
    Ok(inherited.fds.as_slice().binary_search(&fd).is_ok())
}

/// Records which descriptors are open before the program runs (fresh start or restore).
/// A failure is kept and reported by the first migration, which needs the list.
pub fn note_inherited() {
    // SAFETY: see `Shared`: start-up, before anything reads it.
    let inherited = unsafe { &mut *INHERITED.0.get() };
    match open_descriptors() {
        Ok(fds) => inherited.fds = fds,
        Err(Error::Syscall(_, errno)) => inherited.error = errno.max(1),
        Err(_) => inherited.error = 12, // ENOMEM: the list could not grow
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

/// Calls `visit` for every descriptor the program opened, in increasing order, except
/// `runtime_fd` (the checkpoint being written).
pub fn for_each(runtime_fd: i32, visit: &mut dyn FnMut(&ProgramFile<'_>) -> Result<(), Error>) -> Result<(), Error> {
    let mut link = [0u8; 32];
    // A `/proc/self/fd` link is at most the kernel's PATH_MAX (it fails with
    // ENAMETOOLONG otherwise), and so is any path `open` accepts to reopen it.
    let mut path = [0u8; 4096];
    for &fd in open_descriptors()?.as_slice() {
        if fd < 3 || fd == runtime_fd || inherited(fd)? {
            continue;
        }
        let mut digits = [0u8; 12];
        let name = decimal(fd as u64, &mut digits);
        let link = crate::env::c_path(&mut link, b"/proc/self/fd/", name).ok_or(Error::UnsupportedFile(fd))?;
        let n = syscall::readlink(link, &mut path);
        if n <= 0 || n as usize >= path.len() {
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

/// Fails if `fd` cannot be restored here: it is taken (e.g. by qemu-user itself), or
/// it is beyond this process's descriptor limit (`RLIMIT_NOFILE`).
pub fn check_free(fd: i32) -> Result<(), Error> {
    if fd < 3 || is_open(fd) {
        return Err(Error::FdInUse(fd));
    }
    let limit = syscall::soft_limit(syscall::RLIMIT_NOFILE).map_err(|e| Error::Syscall("prlimit64", -e as i32))?;
    if fd as u64 >= limit {
        return Err(Error::FdLimit(fd, limit));
    }
    Ok(())
}

/// Reopens one recorded file at its descriptor and offset.
pub fn reopen(fd: i32, flags: u32, offset: i64, path: &[u8]) -> Result<(), Error> {
    let path = crate::env::c_string(path, b"")?.ok_or(Error::UnsupportedFile(fd))?;
    let path = path.as_slice();
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

/// The start-up descriptor list: this process's, which a restore keeps.
pub fn kept_range() -> (u64, u64) {
    crate::settings::range(&INHERITED)
}
