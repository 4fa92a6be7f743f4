//! The checkpoint file: what a migrating process writes and its destination restores.
//! Written by `runtime-lib` (sequentially, with the encoders here and no allocation),
//! read by the runtime on restore and by the host tools (`het inspect`, `het restore`)
//! with the same zero-copy reader.
//!
//! Layout (all little-endian; byte offsets in [`layout`], drawn in
//! `docs/migration-runtime.md`):
//!
//! ```text
//! header (64)  magic "HETCKPT\0", version u32, header size u32, source ISA u16,
//!              target ISA u16 (0 = any), flags u32, program id [u64; 2], page size u32
//! records      tag u32, reserved u32, len u64, payload, zero padding to 8
//!   Frames     frame count u32, value count u32, then per frame (innermost first)
//!              id u64, value count u32, reserved u32, values (kind u8, size u16, bits u64)
//!   Region     address u64, size u64, prot u32, kind u32, memory
//!   OpenFile   fd i32, flags u32, offset i64, path len u32, reserved u32, path
//!   Thread     descriptor u64, signal mask u64, then a Frames payload (one per
//!              other thread, in increasing descriptor order)
//!   JumpBuffer address u64, frame index u32, reserved u32, point id u64
//! End          checksum u64 of every byte before the End record
//! ```
//!
//! The frames are ISA-neutral: per frame the equivalence-point ID and the live values
//! in the order the transform table lists them for that ID; the destination finds
//! where each value goes in its own table. [`Checkpoint::parse`] validates everything
//! once (structure, codes, sizes, region order, checksum), so the accessors after it
//! cannot fail. This module does not decide what to checkpoint or how to restore it;
//! that is the runtime's job.

mod checksum;
mod dump;
mod encode;
mod error;
pub mod layout;
mod validate;
mod writer;

pub use checksum::Checksum;
pub use encode::{
    end_record, frames_payload_header, frames_payload_len, open_file_payload_len, padding, record_header,
    region_payload_len, thread_payload_header, thread_payload_len,
};
pub use error::{CheckpointError, ProgramId};
pub use writer::{WriteError, Writer};

use crate::table::bytes::{i32_at, i64_at, u16_at, u32_at, u64_at, u8_at};
use crate::table::ValueKind;
use crate::Isa;

/// The layout version this crate reads and writes.
pub const VERSION: u32 = layout::VERSION;

/// What a record holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum RecordTag {
    /// The program's frames (exactly one per checkpoint).
    Frames = 1,
    /// A memory region and its contents.
    Region = 2,
    /// An open file descriptor.
    OpenFile = 3,
    /// A live `setjmp` buffer.
    JumpBuffer = 5,
    /// Another thread: its descriptor, signal mask and frames.
    Thread = 6,
    /// The last record: the checksum.
    End = 0xffff,
}

impl RecordTag {
    /// Decodes a tag.
    pub const fn from_code(code: u32) -> Option<RecordTag> {
        match code {
            1 => Some(RecordTag::Frames),
            2 => Some(RecordTag::Region),
            3 => Some(RecordTag::OpenFile),
            5 => Some(RecordTag::JumpBuffer),
            6 => Some(RecordTag::Thread),
            0xffff => Some(RecordTag::End),
            _ => None,
        }
    }

    /// A short name for messages.
    pub const fn name(self) -> &'static str {
        match self {
            RecordTag::Frames => "frames",
            RecordTag::Region => "region",
            RecordTag::OpenFile => "open-file",
            RecordTag::JumpBuffer => "jump-buffer",
            RecordTag::Thread => "thread",
            RecordTag::End => "end",
        }
    }
}

/// What a region is, which decides how the destination maps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum RegionKind {
    /// The program's own writable data (`.data`, `.bss`), at the aligned addresses.
    ProgramData = 1,
    /// Memory inside the migration window (heap, mmaps, unsafe stack, start-up area).
    Window = 2,
}

impl RegionKind {
    /// Decodes a region kind.
    pub const fn from_code(code: u32) -> Option<RegionKind> {
        match code {
            1 => Some(RegionKind::ProgramData),
            2 => Some(RegionKind::Window),
            _ => None,
        }
    }

    /// A short name for dumps.
    pub const fn name(self) -> &'static str {
        match self {
            RegionKind::ProgramData => "program-data",
            RegionKind::Window => "window",
        }
    }
}

/// The checkpoint header's facts (magic, version, sizes and flags are implied).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Header {
    /// The ISA that wrote the checkpoint.
    pub source_isa: Isa,
    /// The ISA it is meant for; `None`: any.
    pub target_isa: Option<Isa>,
    /// The program build's identity, the same in its three binaries (`__het_program_id`).
    pub program_id: [u64; 2],
    /// The source's page size in bytes.
    pub page_size: u32,
}

/// A frame header as written: the frame's values follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FrameHeader {
    /// The equivalence-point ID the frame stopped at.
    pub id: u64,
    /// Number of values that follow.
    pub value_count: u32,
}

/// One live value of a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FrameValue {
    /// What it holds, as the transform table says.
    pub kind: ValueKind,
    /// Its size in bytes, 1 to 8.
    pub size: u16,
    /// Its bits, in the low `size` bytes.
    pub bits: u64,
}

/// A region header as written: `size` bytes of memory follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RegionHeader {
    /// First address.
    pub address: u64,
    /// Size in bytes.
    pub size: u64,
    /// `PROT_*` bits.
    pub prot: u32,
    /// What the region is.
    pub kind: RegionKind,
}

/// An open-file header as written: `path_len` bytes of path follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OpenFileHeader {
    /// The file descriptor.
    pub fd: i32,
    /// Open flags, x86-64 / asm-generic numbering.
    pub flags: u32,
    /// The file offset.
    pub offset: i64,
    /// Length of the path in bytes.
    pub path_len: u32,
}

/// A `jmp_buf` filled by `setjmp` in a frame still on the stack. Its contents travel
/// with the memory region that holds it; the native registers in it are the source's,
/// so the destination rewrites them from the frame it rebuilds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct JumpBuffer {
    /// The buffer's address.
    pub address: u64,
    /// The frame that called `setjmp`: its index among the frames, innermost first.
    pub frame: u32,
    /// The equivalence-point ID of that `setjmp` call.
    pub point: u64,
}

/// A validated, zero-copy view of a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint<'a> {
    data: &'a [u8],
    header: Header,
    frames_payload: usize,
    end: usize,
    checksum: u64,
}

/// One frame of the checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The equivalence-point ID it stopped at.
    pub id: u64,
    /// Its live values, in transform-table order.
    pub values: FrameValues<'a>,
}

/// The values of one [`Frame`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameValues<'a> {
    data: &'a [u8],
    offset: usize,
    left: u32,
}

/// The frames, innermost first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frames<'a> {
    data: &'a [u8],
    offset: usize,
    left: u32,
}

/// Another thread of the checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thread<'a> {
    /// Its descriptor (`pthread_t`), at the same address on every ISA.
    pub descriptor: u64,
    /// Its blocked signals (bit n − 1: signal n).
    pub signal_mask: u64,
    /// The number of values of all its frames together.
    pub value_count: u32,
    /// Its frames, innermost first.
    pub frames: Frames<'a>,
}

/// One memory region of the checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region<'a> {
    /// First address.
    pub address: u64,
    /// `PROT_*` bits.
    pub prot: u32,
    /// What the region is.
    pub kind: RegionKind,
    /// Its contents; the region's size is their length.
    pub bytes: &'a [u8],
}

/// One open file of the checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenFile<'a> {
    /// The file descriptor.
    pub fd: i32,
    /// Open flags, x86-64 / asm-generic numbering.
    pub flags: u32,
    /// The file offset.
    pub offset: i64,
    /// The path, as bytes (Linux paths need not be UTF-8).
    pub path: &'a [u8],
}

/// A record: tag, payload offset and payload length (in bounds once validated).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RawRecord {
    offset: usize,
    tag: u32,
    payload: usize,
    len: usize,
}

/// Walks the records between the header and the End record of a validated checkpoint.
#[derive(Clone, Debug)]
struct Records<'a> {
    data: &'a [u8],
    offset: usize,
    end: usize,
}

impl Iterator for Records<'_> {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        if self.offset >= self.end {
            return None;
        }
        let tag = u32_at(self.data, self.offset + layout::record::TAG)?;
        let len = usize::try_from(u64_at(self.data, self.offset + layout::record::LEN)?).ok()?;
        let record = RawRecord {
            offset: self.offset,
            tag,
            payload: self.offset + layout::record::SIZE,
            len,
        };
        self.offset = record.payload + len + layout::padding_len(len as u64);
        Some(record)
    }
}

impl<'a> Checkpoint<'a> {
    /// Validates `bytes` as a whole checkpoint file.
    pub fn parse(bytes: &'a [u8]) -> Result<Checkpoint<'a>, CheckpointError> {
        validate::parse(bytes)
    }

    /// Refuses a checkpoint that this binary (`isa`, `program_id`) must not restore:
    /// one meant for another ISA, or written by another build of the program.
    pub fn check_for(&self, isa: Isa, program_id: [u64; 2]) -> Result<(), CheckpointError> {
        if let Some(target) = self.header.target_isa {
            if target != isa {
                return Err(CheckpointError::WrongTarget { target, isa });
            }
        }
        if self.header.program_id != program_id {
            return Err(CheckpointError::ForeignProgram {
                checkpoint: self.header.program_id,
                binary: program_id,
            });
        }
        Ok(())
    }

    /// The header's facts.
    pub fn header(&self) -> Header {
        self.header
    }

    /// The whole file's bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// The stored (and verified) checksum.
    pub fn checksum(&self) -> u64 {
        self.checksum
    }

    fn records(&self) -> Records<'a> {
        Records {
            data: self.data,
            offset: layout::header::SIZE,
            end: self.end,
        }
    }

    /// Number of frames.
    pub fn frame_count(&self) -> u32 {
        u32_at(self.data, self.frames_payload + layout::frames::FRAME_COUNT).unwrap_or(0)
    }

    /// Number of values of all frames together.
    pub fn value_count(&self) -> u32 {
        u32_at(self.data, self.frames_payload + layout::frames::VALUE_COUNT_TOTAL).unwrap_or(0)
    }

    /// The frames, innermost first.
    pub fn frames(&self) -> Frames<'a> {
        Frames {
            data: self.data,
            offset: self.frames_payload + layout::frames::SIZE,
            left: self.frame_count(),
        }
    }

    /// The memory regions, in increasing address order.
    pub fn regions(&self) -> impl Iterator<Item = Region<'a>> + 'a {
        let data = self.data;
        self.records()
            .filter(|r| r.tag == RecordTag::Region as u32)
            .map(move |r| region_at(data, r))
    }

    /// The open files, in increasing descriptor order.
    pub fn open_files(&self) -> impl Iterator<Item = OpenFile<'a>> + 'a {
        let data = self.data;
        self.records()
            .filter(|r| r.tag == RecordTag::OpenFile as u32)
            .map(move |r| open_file_at(data, r))
    }

    /// The live `setjmp` buffers.
    pub fn jump_buffers(&self) -> impl Iterator<Item = JumpBuffer> + 'a {
        let data = self.data;
        self.records()
            .filter(|r| r.tag == RecordTag::JumpBuffer as u32)
            .map(move |r| jump_buffer_at(data, r.payload))
    }

    /// The other threads, in increasing descriptor order.
    pub fn threads(&self) -> impl Iterator<Item = Thread<'a>> + 'a {
        let data = self.data;
        self.records()
            .filter(|r| r.tag == RecordTag::Thread as u32)
            .map(move |r| thread_at(data, r.payload))
    }
}

fn thread_at(data: &[u8], at: usize) -> Thread<'_> {
    let frames = at + layout::thread::SIZE;
    let frame_count = u32_at(data, frames + layout::frames::FRAME_COUNT).unwrap_or(0);
    Thread {
        descriptor: u64_at(data, at + layout::thread::DESCRIPTOR).unwrap_or(0),
        signal_mask: u64_at(data, at + layout::thread::SIGNAL_MASK).unwrap_or(0),
        value_count: u32_at(data, frames + layout::frames::VALUE_COUNT_TOTAL).unwrap_or(0),
        frames: Frames {
            data,
            offset: frames + layout::frames::SIZE,
            left: frame_count,
        },
    }
}

fn region_at(data: &[u8], r: RawRecord) -> Region<'_> {
    let at = r.payload;
    let start = at + layout::region::SIZE;
    Region {
        address: u64_at(data, at + layout::region::ADDRESS).unwrap_or(0),
        prot: u32_at(data, at + layout::region::PROT).unwrap_or(0),
        kind: u32_at(data, at + layout::region::KIND)
            .and_then(RegionKind::from_code)
            .unwrap_or(RegionKind::Window),
        bytes: data.get(start..at + r.len).unwrap_or(&[]),
    }
}

fn jump_buffer_at(data: &[u8], at: usize) -> JumpBuffer {
    JumpBuffer {
        address: u64_at(data, at + layout::jump_buffer::ADDRESS).unwrap_or(0),
        frame: u32_at(data, at + layout::jump_buffer::FRAME).unwrap_or(0),
        point: u64_at(data, at + layout::jump_buffer::POINT).unwrap_or(0),
    }
}

fn open_file_at(data: &[u8], r: RawRecord) -> OpenFile<'_> {
    let at = r.payload;
    OpenFile {
        fd: i32_at(data, at + layout::open_file::FD).unwrap_or(-1),
        flags: u32_at(data, at + layout::open_file::FLAGS).unwrap_or(0),
        offset: i64_at(data, at + layout::open_file::OFFSET).unwrap_or(0),
        path: data.get(at + layout::open_file::SIZE..at + r.len).unwrap_or(&[]),
    }
}

fn value_at(data: &[u8], at: usize) -> FrameValue {
    FrameValue {
        kind: u8_at(data, at + layout::value::KIND)
            .and_then(ValueKind::from_code)
            .unwrap_or(ValueKind::Unknown),
        size: u16_at(data, at + layout::value::SIZE_BYTES).unwrap_or(0),
        bits: u64_at(data, at + layout::value::BITS).unwrap_or(0),
    }
}

impl<'a> Iterator for Frames<'a> {
    type Item = Frame<'a>;

    fn next(&mut self) -> Option<Frame<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let at = self.offset;
        let count = u32_at(self.data, at + layout::frame::VALUE_COUNT).unwrap_or(0);
        let values = FrameValues {
            data: self.data,
            offset: at + layout::frame::SIZE,
            left: count,
        };
        self.offset = values.offset + count as usize * layout::value::SIZE;
        Some(Frame {
            id: u64_at(self.data, at + layout::frame::ID).unwrap_or(0),
            values,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left as usize, Some(self.left as usize))
    }
}

impl ExactSizeIterator for Frames<'_> {}

impl Iterator for FrameValues<'_> {
    type Item = FrameValue;

    fn next(&mut self) -> Option<FrameValue> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let value = value_at(self.data, self.offset);
        self.offset += layout::value::SIZE;
        Some(value)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left as usize, Some(self.left as usize))
    }
}

impl ExactSizeIterator for FrameValues<'_> {}
