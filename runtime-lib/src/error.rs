//! Why the runtime could not do what was asked.

use het_format::checkpoint::{CheckpointError, WriteError};
use het_format::TableError;

/// A runtime failure. `Copy` and allocation-free, so it can be returned from anywhere
/// and printed with the raw-syscall writer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// A system call failed (which one, and the errno).
    Syscall(&'static str, i32),
    /// `/proc/self/exe` is not an ELF64 little-endian file we can read.
    BadElf(&'static str),
    /// The binary has no `.het_transform` section (not built with `-fhet-migratable`).
    NoTable,
    /// The table failed validation.
    Table(TableError),
    /// The table describes another ISA than the one running.
    WrongIsa,
    /// The slow path's return address is not an equivalence point.
    NotAtPoint(u64),
    /// A frame rule or location names a register whose value is unknown in that frame.
    UnknownRegister(u16),
    /// A computed stack address is implausible (not aligned, or outside the walked
    /// stack range): the table does not describe this frame.
    BadAddress(u64),
    /// A frame's CFA minus its SP disagrees with the table's frame size.
    FrameSize { id: u64, expected: u32, found: u64 },
    /// More frames or live values than a checkpoint can count (2^32 - 1 each).
    TooDeep,
    /// Carried frames are malformed (counts disagree with the contents).
    BadFrames,
    /// A carried frame's equivalence point is not in this binary's table.
    UnknownPoint(u64),
    /// The destination frame of this point has no static size.
    DynamicFrame(u64),
    /// The rebuilt frames do not fit the new stack.
    StackFull,
    /// A save rule the rebuild cannot write yet (`InRegister`).
    UnsupportedRule(u64),
    /// A carried frame has another number of values than the table's point.
    ValueCount { id: u64 },
    /// A carried value's kind differs from the table's.
    ValueKind { id: u64 },
    /// The address of a native-stack object is live at this point: it would not be
    /// valid on another stack.
    StackObject(u64),
    /// The checkpoint path holds a NUL.
    BadPath,
    /// The checkpoint file is empty.
    EmptyCheckpoint,
    /// The checkpoint is invalid or not for this binary.
    Checkpoint(CheckpointError),
    /// Writing the checkpoint failed (errno), or the writer was misused (0).
    Write(i32),
    /// A checkpoint region lies outside this binary's data sections and the window.
    RegionOutside(u64),
    /// A descriptor the program opened has no path to reopen it by (pipe, socket,
    /// deleted file).
    UnsupportedFile(i32),
    /// A descriptor of the checkpoint is already open here (e.g. qemu-user's own).
    FdInUse(i32),
    /// A descriptor of the checkpoint is at or beyond this process's `RLIMIT_NOFILE`
    /// (descriptor, limit).
    FdLimit(i32, u64),
    /// Reopening a file failed (descriptor, errno).
    Reopen(i32, i32),
    /// The main thread's area is not at its fixed address (its TLS is larger than the
    /// area's reservation, or the address was taken).
    ThreadAreaElsewhere,
    /// Other threads are running; only single-threaded programs migrate.
    Threads,
    /// A `setjmp` buffer could not be recorded (no memory to grow the registry, or
    /// `setjmp` in a signal handler that interrupted another `setjmp`), so a `longjmp`
    /// after a migration could not be made to work.
    JumpBuffersLost,
    /// A checkpoint's jump buffer lies outside its regions or names a point that is no
    /// `setjmp` call of its frame's function here.
    BadJumpBuffer(u64),
}

impl Error {
    /// The runtime's view of a checkpoint writer failure.
    pub fn from_write(e: WriteError<i32>) -> Error {
        match e {
            WriteError::Sink(errno) => Error::Write(errno),
            WriteError::Length { .. } => Error::Write(0),
        }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Error::Syscall(what, errno) => write!(f, "{what} failed (errno {errno})"),
            Error::BadElf(why) => write!(f, "/proc/self/exe: {why}"),
            Error::NoTable => f.write_str("no .het_transform section (build with -fhet-migratable)"),
            Error::Table(e) => write!(f, ".het_transform is invalid: {e}"),
            Error::WrongIsa => f.write_str(".het_transform describes another ISA"),
            Error::NotAtPoint(ra) => write!(f, "return address {ra:#x} is not an equivalence point"),
            Error::UnknownRegister(r) => write!(f, "DWARF register {r} is not known in this frame"),
            Error::BadAddress(a) => write!(f, "implausible stack address {a:#x}"),
            Error::FrameSize { id, expected, found } => {
                write!(f, "point {id}: CFA - SP = {found}, table says {expected}")
            }
            Error::TooDeep => f.write_str("more frames or live values than a checkpoint can count (2^32 - 1)"),
            Error::BadFrames => f.write_str("malformed frames"),
            Error::UnknownPoint(id) => write!(f, "equivalence point {id} is not in this binary's table"),
            Error::DynamicFrame(id) => write!(f, "point {id}: the frame has no static size"),
            Error::StackFull => f.write_str("the rebuilt frames do not fit the new stack"),
            Error::UnsupportedRule(id) => write!(f, "point {id}: unsupported register save rule"),
            Error::ValueCount { id } => write!(f, "point {id}: live value count differs from the table's"),
            Error::ValueKind { id } => write!(f, "point {id}: a live value's kind differs from the table's"),
            Error::BadPath => f.write_str("the checkpoint path contains a NUL byte"),
            Error::EmptyCheckpoint => f.write_str("the checkpoint file is empty"),
            Error::Checkpoint(e) => write!(f, "{e}"),
            Error::Write(0) => f.write_str("internal error: checkpoint record lengths"),
            Error::Write(errno) => write!(f, "writing the checkpoint failed (errno {errno})"),
            Error::RegionOutside(a) => {
                write!(
                    f,
                    "memory region at {a:#x} is outside this binary's data and the migration window"
                )
            }
            Error::UnsupportedFile(fd) => {
                write!(
                    f,
                    "descriptor {fd} has no path to reopen it by (pipe, socket or deleted file)"
                )
            }
            Error::FdInUse(fd) => write!(f, "descriptor {fd} of the checkpoint is already in use here"),
            Error::FdLimit(fd, limit) => write!(
                f,
                "descriptor {fd} of the checkpoint is beyond this process's descriptor limit ({limit}; raise it with ulimit -n)"
            ),
            Error::ThreadAreaElsewhere => f.write_str("the main thread's TLS area is not at its fixed address (thread-local storage larger than 64 MiB?), so thread-local addresses would change"),
            Error::Threads => f.write_str("other threads are running; only single-threaded programs migrate"),
            Error::Reopen(fd, errno) => write!(f, "reopening descriptor {fd} failed (errno {errno})"),
            Error::BadJumpBuffer(a) => write!(
                f,
                "the checkpoint's jump buffer at {a:#x} does not fit its memory or frames"
            ),
            Error::JumpBuffersLost => f.write_str(
                "a setjmp buffer could not be recorded (no memory for the registry, or setjmp re-entered from a signal handler)",
            ),
            Error::StackObject(id) => write!(f, "point {id}: the address of a native stack object is live"),
        }
    }
}
