//! Raw Linux system calls (the runtime calls no libc: it must work whatever state the
//! program left libc in, and must not perturb it).
//!
//! x86-64 has its own syscall numbers; aarch64 and riscv64 share the kernel's generic
//! table (`include/uapi/asm-generic/unistd.h`).

/// Syscall numbers for this ISA.
#[cfg(target_arch = "x86_64")]
mod nr {
    pub const WRITE: usize = 1;
    pub const CLOSE: usize = 3;
    pub const MMAP: usize = 9;
    pub const MUNMAP: usize = 11;
    pub const MPROTECT: usize = 10;
    pub const PREAD64: usize = 17;
    pub const MREMAP: usize = 25;
    pub const CLOCK_GETTIME: usize = 228;
    pub const EXIT_GROUP: usize = 231;
    pub const OPENAT: usize = 257;
    pub const READ: usize = 0;
    pub const LSEEK: usize = 8;
    pub const GETPID: usize = 39;
    pub const FCNTL: usize = 72;
    pub const DUP3: usize = 292;
    pub const READLINKAT: usize = 267;
    pub const RENAMEAT2: usize = 316;
    pub const UNLINKAT: usize = 263;
    pub const RT_SIGPROCMASK: usize = 14;
    pub const GETDENTS64: usize = 217;
    pub const PRLIMIT64: usize = 302;
    pub const SYSINFO: usize = 99;
    pub const PRCTL: usize = 157;
}

/// Syscall numbers for this ISA (asm-generic, shared by aarch64 and riscv64).
#[cfg(any(target_arch = "aarch64", target_arch = "riscv64"))]
mod nr {
    pub const OPENAT: usize = 56;
    pub const CLOSE: usize = 57;
    pub const WRITE: usize = 64;
    pub const PREAD64: usize = 67;
    pub const EXIT_GROUP: usize = 94;
    pub const CLOCK_GETTIME: usize = 113;
    pub const MUNMAP: usize = 215;
    pub const MPROTECT: usize = 226;
    pub const MREMAP: usize = 216;
    pub const MMAP: usize = 222;
    pub const READ: usize = 63;
    pub const LSEEK: usize = 62;
    pub const GETPID: usize = 172;
    pub const FCNTL: usize = 25;
    pub const DUP3: usize = 24;
    pub const READLINKAT: usize = 78;
    pub const RENAMEAT2: usize = 276;
    pub const UNLINKAT: usize = 35;
    pub const RT_SIGPROCMASK: usize = 135;
    pub const GETDENTS64: usize = 61;
    pub const PRLIMIT64: usize = 261;
    pub const SYSINFO: usize = 179;
    pub const PRCTL: usize = 167;
}

/// `AT_FDCWD`: resolve relative paths from the working directory.
const AT_FDCWD: isize = -100;
/// `RLIMIT_STACK` (the same number on the three ISAs).
pub const RLIMIT_STACK: usize = 3;
/// `RLIMIT_NOFILE` (the same number on the three ISAs).
pub const RLIMIT_NOFILE: usize = 7;
/// `O_RDONLY | O_CLOEXEC` (0o2000000 on all three ISAs).
const O_RDONLY_CLOEXEC: usize = 0o2_000_000;
/// `CLOCK_MONOTONIC`.
const CLOCK_MONOTONIC: usize = 1;
/// Standard error.
pub const STDERR: i32 = 2;

/// Performs system call `n` with up to four arguments; returns the kernel's result
/// (negative errno on failure).
///
/// # Safety
/// The arguments must be valid for system call `n` (pointers to live buffers of the
/// sizes given).
#[cfg(target_arch = "x86_64")]
unsafe fn syscall4(n: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller guarantees the arguments; `syscall` clobbers rcx and r11.
    unsafe {
        core::arch::asm!("syscall", inlateout("rax") n as isize => ret,
            in("rdi") a0, in("rsi") a1, in("rdx") a2, in("r10") a3,
            lateout("rcx") _, lateout("r11") _, options(nostack));
    }
    ret
}

/// See the x86-64 version.
///
/// # Safety
/// As for the x86-64 version.
#[cfg(target_arch = "aarch64")]
unsafe fn syscall4(n: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller guarantees the arguments; `svc 0` preserves every register
    // but x0.
    unsafe {
        core::arch::asm!("svc 0", in("x8") n, inlateout("x0") a0 as isize => ret,
            in("x1") a1, in("x2") a2, in("x3") a3, options(nostack));
    }
    ret
}

/// See the x86-64 version.
///
/// # Safety
/// As for the x86-64 version.
#[cfg(target_arch = "riscv64")]
unsafe fn syscall4(n: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller guarantees the arguments; `ecall` preserves every register
    // but a0.
    unsafe {
        core::arch::asm!("ecall", in("a7") n, inlateout("a0") a0 as isize => ret,
            in("a1") a1, in("a2") a2, in("a3") a3, options(nostack));
    }
    ret
}

/// Performs system call `n` with six arguments; returns the kernel's result (negative
/// errno on failure).
///
/// # Safety
/// As for `syscall4`.
#[cfg(target_arch = "x86_64")]
unsafe fn syscall6(n: usize, a: [usize; 6]) -> isize {
    let ret: isize;
    // SAFETY: the caller guarantees the arguments; `syscall` clobbers rcx and r11.
    unsafe {
        core::arch::asm!("syscall", inlateout("rax") n as isize => ret,
            in("rdi") a[0], in("rsi") a[1], in("rdx") a[2], in("r10") a[3], in("r8") a[4],
            in("r9") a[5], lateout("rcx") _, lateout("r11") _, options(nostack));
    }
    ret
}

/// See the x86-64 version.
///
/// # Safety
/// As for `syscall4`.
#[cfg(target_arch = "aarch64")]
unsafe fn syscall6(n: usize, a: [usize; 6]) -> isize {
    let ret: isize;
    // SAFETY: the caller guarantees the arguments; `svc 0` preserves every register
    // but x0.
    unsafe {
        core::arch::asm!("svc 0", in("x8") n, inlateout("x0") a[0] as isize => ret,
            in("x1") a[1], in("x2") a[2], in("x3") a[3], in("x4") a[4], in("x5") a[5],
            options(nostack));
    }
    ret
}

/// See the x86-64 version.
///
/// # Safety
/// As for `syscall4`.
#[cfg(target_arch = "riscv64")]
unsafe fn syscall6(n: usize, a: [usize; 6]) -> isize {
    let ret: isize;
    // SAFETY: the caller guarantees the arguments; `ecall` preserves every register
    // but a0.
    unsafe {
        core::arch::asm!("ecall", in("a7") n, inlateout("a0") a[0] as isize => ret,
            in("a1") a[1], in("a2") a[2], in("a3") a[3], in("a4") a[4], in("a5") a[5],
            options(nostack));
    }
    ret
}

/// `mmap(2)` without libc; returns the address or `-errno`.
///
/// # Safety
/// As for the system call: a `MAP_FIXED` mapping replaces whatever was there.
pub unsafe fn mmap(addr: usize, len: usize, prot: i32, flags: i32, fd: i32, offset: i64) -> isize {
    // SAFETY: forwarded to the caller.
    unsafe {
        syscall6(
            nr::MMAP,
            [addr, len, prot as usize, flags as usize, fd as usize, offset as usize],
        )
    }
}

/// `mremap(2)` without libc; returns the new address or `-errno`.
///
/// # Safety
/// As for the system call: `MREMAP_FIXED` replaces whatever was at `new_addr`.
pub unsafe fn mremap(old: usize, old_len: usize, new_len: usize, flags: i32, new_addr: usize) -> isize {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr::MREMAP, [old, old_len, new_len, flags as usize, new_addr, 0]) }
}

/// `munmap(2)` without libc; returns 0 or `-errno`.
///
/// # Safety
/// Nothing may still use the range.
pub unsafe fn munmap(addr: usize, len: usize) -> isize {
    // SAFETY: forwarded to the caller.
    unsafe { syscall4(nr::MUNMAP, addr, len, 0, 0) }
}

/// Changes the protection of memory the runtime restored; returns `-errno` on failure.
///
/// # Safety
/// The range must be a mapping nothing relies on being accessible otherwise.
pub unsafe fn mprotect(addr: usize, len: usize, prot: usize) -> isize {
    // SAFETY: forwarded to the caller.
    unsafe { syscall4(nr::MPROTECT, addr, len, prot, 0) }
}

/// `rt_sigprocmask(how, set, old, 8)`: 8 bytes is the kernel's signal set on all three
/// ISAs. Returns `-errno` on failure.
///
/// # Safety
/// `set` is 0 or points to 8 readable bytes, `old` is 0 or points to 8 writable bytes.
pub unsafe fn rt_sigprocmask(how: usize, set: usize, old: usize) -> isize {
    // SAFETY: forwarded to the caller.
    unsafe { syscall4(nr::RT_SIGPROCMASK, how, set, old, 8) }
}

/// Opens `path` (NUL-terminated) with `flags` (native numbering) and `mode`.
pub fn open(path: &[u8], flags: usize, mode: usize) -> isize {
    if path.last() != Some(&0) {
        return -22;
    }
    // SAFETY: `path` is a live, NUL-terminated buffer.
    unsafe { syscall4(nr::OPENAT, AT_FDCWD as usize, path.as_ptr() as usize, flags, mode) }
}

/// Reads up to `buf.len()` bytes from the file position; returns the count or `-errno`.
pub fn read(fd: i32, buf: &mut [u8]) -> isize {
    // SAFETY: `buf` is a live, writable buffer of the length passed.
    unsafe { syscall4(nr::READ, fd as usize, buf.as_mut_ptr() as usize, buf.len(), 0) }
}

/// Reads directory entries (`struct linux_dirent64`, the same on the three ISAs) into
/// `buf`; returns the bytes filled (0 at the end) or `-errno`.
pub fn getdents64(fd: i32, buf: &mut [u8]) -> isize {
    // SAFETY: `buf` is a live, writable buffer of the length passed.
    unsafe { syscall4(nr::GETDENTS64, fd as usize, buf.as_mut_ptr() as usize, buf.len(), 0) }
}

/// This process's soft limit for `resource` (`RLIM_INFINITY` is `u64::MAX`), or
/// `-errno`.
pub fn soft_limit(resource: usize) -> Result<u64, isize> {
    // struct rlimit64 { cur, max }
    let mut limit = [0u64; 2];
    // SAFETY: pid 0 is this process; no new limit; `limit` is a live struct rlimit64.
    let r = unsafe { syscall4(nr::PRLIMIT64, 0, resource, 0, limit.as_mut_ptr() as usize) };
    if r < 0 {
        return Err(r);
    }
    Ok(limit[0])
}

/// RAM plus swap in bytes (`sysinfo`), or `-errno`.
pub fn physical_memory() -> Result<u64, isize> {
    // struct sysinfo on LP64: uptime, loads[3], totalram (word 4), freeram, sharedram,
    // bufferram, totalswap (word 8), freeswap, procs + padding, totalhigh, freehigh,
    // mem_unit (u32 at byte 104); 112 bytes in all.
    let mut info = [0u64; 16];
    // SAFETY: `info` is a live buffer larger than struct sysinfo.
    let r = unsafe { syscall4(nr::SYSINFO, info.as_mut_ptr() as usize, 0, 0, 0) };
    if r < 0 {
        return Err(r);
    }
    let unit = (info[13] & 0xffff_ffff).max(1);
    Ok(info[4].saturating_add(info[8]).saturating_mul(unit))
}

/// Writes all of `bytes` to `fd`, retrying short writes; returns `-errno` on failure.
pub fn write_fully(fd: i32, mut bytes: &[u8]) -> Result<(), i32> {
    while !bytes.is_empty() {
        // SAFETY: `bytes` is a live buffer of the length passed.
        let n = unsafe { syscall4(nr::WRITE, fd as usize, bytes.as_ptr() as usize, bytes.len(), 0) };
        if n == -4 {
            continue; // EINTR
        }
        if n <= 0 {
            return Err(if n == 0 { 5 } else { -n as i32 });
        }
        bytes = bytes.get(n as usize..).unwrap_or(&[]);
    }
    Ok(())
}

/// `lseek`; returns the new offset or `-errno`.
pub fn lseek(fd: i32, offset: i64, whence: usize) -> isize {
    // SAFETY: no memory is passed.
    unsafe { syscall4(nr::LSEEK, fd as usize, offset as usize, whence, 0) }
}

/// `fcntl` with an integer argument; returns the result or `-errno`.
pub fn fcntl(fd: i32, command: usize, argument: usize) -> isize {
    // SAFETY: only integer commands are used (F_GETFL, F_GETFD, F_SETFD).
    unsafe { syscall4(nr::FCNTL, fd as usize, command, argument, 0) }
}

/// `dup3(old, new, 0)`.
pub fn dup3(old: i32, new: i32) -> isize {
    // SAFETY: no memory is passed.
    unsafe { syscall4(nr::DUP3, old as usize, new as usize, 0, 0) }
}

/// `readlink(path)` into `buf`; returns the length or `-errno`.
pub fn readlink(path: &[u8], buf: &mut [u8]) -> isize {
    if path.last() != Some(&0) {
        return -22;
    }
    // SAFETY: `path` is NUL-terminated, `buf` is live and writable.
    unsafe {
        syscall4(
            nr::READLINKAT,
            AT_FDCWD as usize,
            path.as_ptr() as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    }
}

/// `rename(from, to)` (both NUL-terminated).
pub fn rename(from: &[u8], to: &[u8]) -> isize {
    if from.last() != Some(&0) || to.last() != Some(&0) {
        return -22;
    }
    // renameat2 with no flags: riscv64 has no plain renameat.
    // SAFETY: both paths are live, NUL-terminated buffers.
    unsafe {
        syscall6(
            nr::RENAMEAT2,
            [
                AT_FDCWD as usize,
                from.as_ptr() as usize,
                AT_FDCWD as usize,
                to.as_ptr() as usize,
                0,
                0,
            ],
        )
    }
}

/// `unlink(path)` (NUL-terminated); errors ignored.
pub fn unlink(path: &[u8]) {
    if path.last() == Some(&0) {
        // SAFETY: the path is a live, NUL-terminated buffer.
        unsafe {
            syscall4(nr::UNLINKAT, AT_FDCWD as usize, path.as_ptr() as usize, 0, 0);
        }
    }
}

/// This process's ID.
pub fn getpid() -> i32 {
    // SAFETY: no arguments.
    unsafe { syscall4(nr::GETPID, 0, 0, 0, 0) as i32 }
}

/// Opens `path` (NUL-terminated) read-only; returns the descriptor or `-errno`.
pub fn open_readonly(path: &[u8]) -> isize {
    if path.last() != Some(&0) {
        return -22; // EINVAL: the kernel needs a terminated string
    }
    // SAFETY: `path` is a live, NUL-terminated buffer.
    unsafe {
        syscall4(
            nr::OPENAT,
            AT_FDCWD as usize,
            path.as_ptr() as usize,
            O_RDONLY_CLOEXEC,
            0,
        )
    }
}

/// Reads up to `buf.len()` bytes at file offset `offset`; returns the count or `-errno`.
pub fn pread(fd: i32, buf: &mut [u8], offset: u64) -> isize {
    // SAFETY: `buf` is a live, writable buffer of the length passed.
    unsafe {
        syscall4(
            nr::PREAD64,
            fd as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
            offset as usize,
        )
    }
}

/// Closes `fd` (errors ignored: nothing useful to do about them here).
pub fn close(fd: i32) {
    // SAFETY: closing a descriptor has no memory-safety requirements.
    unsafe {
        syscall4(nr::CLOSE, fd as usize, 0, 0, 0);
    }
}

/// Ends the process (all threads) with `status`.
pub fn exit_group(status: i32) -> ! {
    loop {
        // SAFETY: exit_group has no memory-safety requirements and does not return.
        unsafe {
            syscall4(nr::EXIT_GROUP, status as usize, 0, 0, 0);
        }
    }
}

/// `CLOCK_MONOTONIC` in nanoseconds (0 if the clock cannot be read). A real system call,
/// not the vDSO: the runtime does not parse the auxiliary vector.
pub fn monotonic_ns() -> u64 {
    let mut ts = [0i64; 2];
    // SAFETY: `ts` is a live `struct timespec` (two 64-bit fields on all three ISAs).
    let r = unsafe { syscall4(nr::CLOCK_GETTIME, CLOCK_MONOTONIC, ts.as_mut_ptr() as usize, 0, 0) };
    if r != 0 {
        return 0;
    }
    (ts[0] as u64).wrapping_mul(1_000_000_000).wrapping_add(ts[1] as u64)
}

/// `PR_SET_PTRACER`, `PR_SET_PTRACER_ANY`.
const PR_SET_PTRACER: usize = 0x5961_6d61;
const PR_SET_PTRACER_ANY: usize = usize::MAX;

/// Lets any process of this user read and write this one's memory (Yama's
/// `ptrace_scope` 1 allows only ancestors otherwise): `het migrate` asks for a
/// migration by writing the request flag. Without Yama the call fails, harmlessly.
pub fn allow_any_tracer() {
    // SAFETY: prctl with integer arguments only.
    unsafe {
        syscall4(nr::PRCTL, PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0);
    }
}
