//! The reader's error: small, `Copy`, no allocation, hand-written `Display` that says
//! what is wrong and at which byte offset of the file.

use core::fmt;

use crate::Isa;

/// Why a byte string is not a valid checkpoint, or not one this binary may restore.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckpointError {
    /// The first eight bytes are not `HETCKPT\0`.
    BadMagic,
    /// Fewer bytes than a header.
    TruncatedHeader {
        /// Bytes present.
        len: u64,
    },
    /// A layout version this reader does not know.
    UnsupportedVersion(u32),
    /// The header size is not the current version's.
    BadHeaderSize(u32),
    /// An ISA field is not an ISA hetcc knows (ELF `e_machine`).
    UnknownIsa {
        /// Byte offset of the field.
        offset: u64,
        /// The value.
        machine: u16,
    },
    /// The page size is not a power of two of at least 4096.
    BadPageSize(u32),
    /// A flags or reserved field, or record padding, is not zero.
    NonZeroReserved {
        /// Byte offset of the field.
        offset: u64,
    },
    /// Too few bytes left for a record header.
    TruncatedRecordHeader {
        /// Byte offset of the record.
        offset: u64,
        /// Bytes left in the file.
        left: u64,
    },
    /// A record's payload (with padding) goes past the end of the file.
    TruncatedRecord {
        /// Byte offset of the record.
        offset: u64,
        /// Payload length the record claims.
        claimed: u64,
        /// Bytes left after its header.
        left: u64,
    },
    /// A record tag this reader does not know.
    UnknownTag {
        /// Byte offset of the record.
        offset: u64,
        /// The tag.
        tag: u32,
    },
    /// A second record of a kind that must appear once (Frames).
    DuplicateRecord {
        /// Byte offset of the second record.
        offset: u64,
        /// Its tag.
        tag: u32,
    },
    /// No Frames record.
    MissingFrames,
    /// A jump buffer names a frame the checkpoint does not have.
    BadJumpBufferFrame {
        /// Byte offset of the record.
        offset: u64,
        /// The frame index it names.
        frame: u32,
        /// Frames in the checkpoint.
        frame_count: u32,
    },
    /// A Thread record whose descriptor is null or misaligned.
    BadThreadDescriptor {
        /// Byte offset of the record.
        offset: u64,
        /// The descriptor.
        descriptor: u64,
    },
    /// A Thread record out of order (descriptors must increase: no thread twice).
    ThreadOrder {
        /// Byte offset of the record.
        offset: u64,
        /// Its descriptor.
        descriptor: u64,
        /// The previous Thread record's.
        previous: u64,
    },
    /// The file ends without an End record.
    MissingEnd {
        /// File size.
        len: u64,
    },
    /// Bytes follow the End record.
    TrailingBytes {
        /// Byte offset just after the End record.
        offset: u64,
        /// How many bytes follow.
        count: u64,
    },
    /// The stored checksum differs from the checksum of the bytes: the file was damaged.
    ChecksumMismatch {
        /// Checksum in the End record.
        stored: u64,
        /// Checksum of the bytes before it.
        computed: u64,
    },
    /// A record's payload length disagrees with what its contents say.
    PayloadSize {
        /// Byte offset of the record.
        offset: u64,
        /// Its tag.
        tag: u32,
        /// Length the contents imply (saturated at `u64::MAX`).
        expected: u64,
        /// Length the record header states.
        stated: u64,
    },
    /// The frames' value counts do not add up to the Frames header's total.
    ValueCountMismatch {
        /// Byte offset of the Frames record.
        offset: u64,
        /// Total in the Frames header.
        stated: u32,
        /// Sum of the frames' counts.
        counted: u64,
    },
    /// A frame value's kind is not a known [`crate::table::ValueKind`] code.
    UnknownValueKind {
        /// Byte offset of the value.
        offset: u64,
        /// The code.
        code: u8,
    },
    /// A frame value's size is 0 or more than the 8 bytes of its `bits` field.
    BadValueSize {
        /// Byte offset of the value.
        offset: u64,
        /// The size.
        size: u16,
    },
    /// A region's kind is not a known [`super::RegionKind`] code.
    UnknownRegionKind {
        /// Byte offset of the region record.
        offset: u64,
        /// The code.
        kind: u32,
    },
    /// A region's protection has bits other than `PROT_READ | PROT_WRITE | PROT_EXEC`.
    BadProt {
        /// Byte offset of the region record.
        offset: u64,
        /// The value.
        prot: u32,
    },
    /// A region's address plus size is past 2^64.
    RegionOverflow {
        /// Byte offset of the region record.
        offset: u64,
        /// Its address.
        address: u64,
        /// Its size.
        size: u64,
    },
    /// A region starts below the end of the previous one: regions overlap or are not
    /// stored in increasing address order.
    RegionOverlap {
        /// Byte offset of the region record.
        offset: u64,
        /// Its address.
        address: u64,
        /// End of the previous region.
        previous_end: u64,
    },
    /// An open file's descriptor is negative or not above the previous record's
    /// (open files are stored in increasing descriptor order, each once).
    BadFd {
        /// Byte offset of the open-file record.
        offset: u64,
        /// The descriptor.
        fd: i32,
    },
    /// An open file's path is empty, longer than `PATH_MAX` or contains a NUL byte.
    BadPath {
        /// Byte offset of the open-file record.
        offset: u64,
        /// The path's length.
        len: u32,
    },
    /// The checkpoint is meant for another ISA.
    WrongTarget {
        /// The ISA it is meant for.
        target: Isa,
        /// The ISA asked to restore it.
        isa: Isa,
    },
    /// The checkpoint comes from another build of the program (or another program).
    ForeignProgram {
        /// The checkpoint's program ID.
        checkpoint: [u64; 2],
        /// The restoring binary's program ID.
        binary: [u64; 2],
    },
}

/// Displays a program ID as 32 hex digits, the form every tool prints.
pub struct ProgramId(pub [u64; 2]);

impl fmt::Display for ProgramId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}{:016x}", self.0[0], self.0[1])
    }
}

fn tag_name(tag: u32) -> &'static str {
    match super::RecordTag::from_code(tag) {
        Some(tag) => tag.name(),
        None => "unknown",
    }
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CheckpointError::BadMagic => f.write_str("not a hetcc checkpoint (bad magic)"),
            CheckpointError::TruncatedHeader { len } => write!(
                f,
                "truncated: {len} bytes, shorter than the {}-byte checkpoint header",
                super::layout::header::SIZE
            ),
            CheckpointError::UnsupportedVersion(v) => write!(
                f,
                "version {v} is not supported (this hetcc reads version {})",
                super::layout::VERSION
            ),
            CheckpointError::BadHeaderSize(size) => write!(
                f,
                "header size {size} is not the {} bytes of version {}",
                super::layout::header::SIZE,
                super::layout::VERSION
            ),
            CheckpointError::UnknownIsa { offset, machine } => {
                write!(f, "unknown ISA (ELF machine {machine}) at offset {offset}")
            }
            CheckpointError::BadPageSize(size) => {
                write!(f, "page size {size} is not a power of two of at least 4096")
            }
            CheckpointError::NonZeroReserved { offset } => {
                write!(f, "reserved field or padding at offset {offset} is not zero")
            }
            CheckpointError::TruncatedRecordHeader { offset, left } => write!(
                f,
                "truncated: record at offset {offset} needs a {}-byte header, {left} left",
                super::layout::record::SIZE
            ),
            CheckpointError::TruncatedRecord { offset, claimed, left } => write!(
                f,
                "truncated: record at offset {offset} claims {claimed} bytes, {left} left"
            ),
            CheckpointError::UnknownTag { offset, tag } => {
                write!(f, "record at offset {offset} has unknown tag {tag:#x}")
            }
            CheckpointError::DuplicateRecord { offset, tag } => write!(
                f,
                "second {} record at offset {offset} (a checkpoint holds one)",
                tag_name(tag)
            ),
            CheckpointError::MissingFrames => f.write_str("no frames record"),
            CheckpointError::BadJumpBufferFrame {
                offset,
                frame,
                frame_count,
            } => write!(
                f,
                "jump buffer at offset {offset} names frame {frame}, but there are {frame_count} frames"
            ),
            CheckpointError::BadThreadDescriptor { offset, descriptor } => write!(
                f,
                "thread record at offset {offset} has descriptor {descriptor:#x}, which is null or misaligned"
            ),
            CheckpointError::ThreadOrder {
                offset,
                descriptor,
                previous,
            } => write!(
                f,
                "thread record at offset {offset} (descriptor {descriptor:#x}) does not follow the previous one \
                 ({previous:#x}): thread records go in increasing descriptor order, each thread once"
            ),
            CheckpointError::MissingEnd { len } => {
                write!(f, "truncated: no end record in {len} bytes")
            }
            CheckpointError::TrailingBytes { offset, count } => {
                write!(f, "{count} bytes after the end record at offset {offset}")
            }
            CheckpointError::ChecksumMismatch { stored, computed } => write!(
                f,
                "checksum mismatch (stored {stored:#018x}, computed {computed:#018x}): the checkpoint is damaged"
            ),
            CheckpointError::PayloadSize {
                offset,
                tag,
                expected,
                stated,
            } => write!(
                f,
                "{} record at offset {offset} is {stated} bytes, its contents need {expected}",
                tag_name(tag)
            ),
            CheckpointError::ValueCountMismatch {
                offset,
                stated,
                counted,
            } => write!(
                f,
                "frames record at offset {offset} says {stated} values, its frames hold {counted}"
            ),
            CheckpointError::UnknownValueKind { offset, code } => {
                write!(f, "frame value at offset {offset} has unknown kind {code}")
            }
            CheckpointError::BadValueSize { offset, size } => write!(
                f,
                "frame value at offset {offset} has size {size} (1 to {} bytes)",
                super::layout::MAX_VALUE_SIZE
            ),
            CheckpointError::UnknownRegionKind { offset, kind } => {
                write!(f, "region record at offset {offset} has unknown kind {kind}")
            }
            CheckpointError::BadProt { offset, prot } => write!(
                f,
                "region record at offset {offset} has protection {prot:#x} (only PROT_READ|PROT_WRITE|PROT_EXEC)"
            ),
            CheckpointError::RegionOverflow { offset, address, size } => write!(
                f,
                "region record at offset {offset}: {address:#x} + {size:#x} is past 2^64"
            ),
            CheckpointError::RegionOverlap {
                offset,
                address,
                previous_end,
            } => write!(
                f,
                "region record at offset {offset} starts at {address:#x}, below the previous region's end {previous_end:#x} (regions must be disjoint and in address order)"
            ),
            CheckpointError::BadFd { offset, fd } => write!(
                f,
                "open-file record at offset {offset} has descriptor {fd} (must be non-negative and above the previous record's)"
            ),
            CheckpointError::BadPath { offset, len } => write!(
                f,
                "open-file record at offset {offset} has a bad path ({len} bytes; must be 1 to {} bytes without NUL)",
                super::layout::MAX_PATH_LEN
            ),
            CheckpointError::WrongTarget { target, isa } => write!(
                f,
                "checkpoint is meant for {target}, not {isa} (it was requested with HET_TARGET={target})"
            ),
            CheckpointError::ForeignProgram { checkpoint, binary } => write!(
                f,
                "checkpoint is from another program build (id {}), this binary is {}",
                ProgramId(checkpoint),
                ProgramId(binary)
            ),
        }
    }
}

impl core::error::Error for CheckpointError {}
