//! The one-time validation behind [`Checkpoint::parse`]: after it, every read the
//! accessors make is in bounds and every code decodes.

use super::layout::{self, end, frame, frames, header, jump_buffer, open_file, record, region, thread, value};
use super::{Checkpoint, CheckpointError, Checksum, Header, RecordTag, RegionKind};
use crate::table::bytes::{i32_at, u16_at, u32_at, u64_at, u8_at};
use crate::table::ValueKind;
use crate::Isa;

fn zero(data: &[u8], offset: usize, width: usize) -> Result<(), CheckpointError> {
    let nonzero = data
        .get(offset..offset + width)
        .is_none_or(|f| f.iter().any(|&b| b != 0));
    if nonzero {
        return Err(CheckpointError::NonZeroReserved { offset: offset as u64 });
    }
    Ok(())
}

fn isa_at(data: &[u8], offset: usize) -> Result<Option<Isa>, CheckpointError> {
    let machine = u16_at(data, offset).unwrap_or(0);
    if machine == 0 {
        return Ok(None);
    }
    match Isa::from_elf_machine(machine) {
        Some(isa) => Ok(Some(isa)),
        None => Err(CheckpointError::UnknownIsa {
            offset: offset as u64,
            machine,
        }),
    }
}

fn parse_header(data: &[u8]) -> Result<Header, CheckpointError> {
    match data.get(..layout::MAGIC.len()) {
        Some(magic) if magic == layout::MAGIC => {}
        None if layout::MAGIC.starts_with(data) => {
            return Err(CheckpointError::TruncatedHeader { len: data.len() as u64 })
        }
        _ => return Err(CheckpointError::BadMagic),
    }
    if data.len() < header::SIZE {
        return Err(CheckpointError::TruncatedHeader { len: data.len() as u64 });
    }
    let field = |at| u32_at(data, at).unwrap_or(0);
    let version = field(header::VERSION);
    if version != layout::VERSION {
        return Err(CheckpointError::UnsupportedVersion(version));
    }
    let header_size = field(header::HEADER_SIZE);
    if header_size as usize != header::SIZE {
        return Err(CheckpointError::BadHeaderSize(header_size));
    }
    let source_isa = match isa_at(data, header::SOURCE_ISA)? {
        Some(isa) => isa,
        None => {
            return Err(CheckpointError::UnknownIsa {
                offset: header::SOURCE_ISA as u64,
                machine: 0,
            })
        }
    };
    let target_isa = isa_at(data, header::TARGET_ISA)?;
    zero(data, header::FLAGS, 4)?;
    let page_size = field(header::PAGE_SIZE);
    if page_size < 4096 || !page_size.is_power_of_two() {
        return Err(CheckpointError::BadPageSize(page_size));
    }
    zero(data, header::RESERVED, header::SIZE - header::RESERVED)?;
    Ok(Header {
        source_isa,
        target_isa,
        program_id: [
            u64_at(data, header::PROGRAM_ID).unwrap_or(0),
            u64_at(data, header::PROGRAM_ID + 8).unwrap_or(0),
        ],
        page_size,
    })
}

/// A record whose header and padded payload are in bounds.
struct Bounded {
    offset: usize,
    tag: u32,
    payload: usize,
    len: usize,
    next: usize,
}

fn bounded_record(data: &[u8], offset: usize) -> Result<Bounded, CheckpointError> {
    let left = data.len() - offset;
    if left < record::SIZE {
        return Err(if left == 0 {
            CheckpointError::MissingEnd { len: data.len() as u64 }
        } else {
            CheckpointError::TruncatedRecordHeader {
                offset: offset as u64,
                left: left as u64,
            }
        });
    }
    let tag = u32_at(data, offset + record::TAG).unwrap_or(0);
    zero(data, offset + record::RESERVED, 4)?;
    let claimed = u64_at(data, offset + record::LEN).unwrap_or(0);
    let after_header = (left - record::SIZE) as u64;
    let padded = claimed.checked_add(layout::padding_len(claimed) as u64);
    if padded.is_none_or(|p| p > after_header) {
        return Err(CheckpointError::TruncatedRecord {
            offset: offset as u64,
            claimed,
            left: after_header,
        });
    }
    let payload = offset + record::SIZE;
    let len = claimed as usize;
    zero(data, payload + len, layout::padding_len(claimed))?;
    Ok(Bounded {
        offset,
        tag,
        payload,
        len,
        next: payload + len + layout::padding_len(claimed),
    })
}

fn payload_size(r: &Bounded, expected: Option<u64>) -> Result<(), CheckpointError> {
    let expected = expected.unwrap_or(u64::MAX);
    if expected != r.len as u64 {
        return Err(CheckpointError::PayloadSize {
            offset: r.offset as u64,
            tag: r.tag,
            expected,
            stated: r.len as u64,
        });
    }
    Ok(())
}

fn minimum(r: &Bounded, size: usize) -> Result<(), CheckpointError> {
    if r.len < size {
        return payload_size(r, Some(size as u64));
    }
    Ok(())
}

fn validate_frames(data: &[u8], r: &Bounded) -> Result<(), CheckpointError> {
    validate_frames_at(data, r, r.payload, r.len)
}

/// A frames payload at `payload`, `len` bytes (all of a Frames record, or a Thread
/// record's tail); errors name the record `r`.
fn validate_frames_at(data: &[u8], r: &Bounded, payload: usize, len: usize) -> Result<(), CheckpointError> {
    let size_error = |expected: u64| CheckpointError::PayloadSize {
        offset: r.offset as u64,
        tag: r.tag,
        expected,
        stated: r.len as u64,
    };
    if len < frames::SIZE {
        return Err(size_error((r.len - len + frames::SIZE) as u64));
    }
    let frame_count = u32_at(data, payload + frames::FRAME_COUNT).unwrap_or(0);
    let total = u32_at(data, payload + frames::VALUE_COUNT_TOTAL).unwrap_or(0);
    let needed = super::frames_payload_len(frame_count, total);
    if needed != len as u64 {
        return Err(size_error(needed + (r.len - len) as u64));
    }
    let end = payload + len;
    let mismatch = |counted| CheckpointError::ValueCountMismatch {
        offset: r.offset as u64,
        stated: total,
        counted,
    };
    let mut at = payload + frames::SIZE;
    let mut counted: u64 = 0;
    for _ in 0..frame_count {
        if at + frame::SIZE > end {
            return Err(mismatch(counted));
        }
        zero(data, at + frame::RESERVED, 4)?;
        let count = u32_at(data, at + frame::VALUE_COUNT).unwrap_or(0);
        counted += u64::from(count);
        at += frame::SIZE;
        if counted > u64::from(total) {
            return Err(mismatch(counted));
        }
        for _ in 0..count {
            validate_value(data, at)?;
            at += value::SIZE;
        }
    }
    if counted != u64::from(total) || at != end {
        return Err(mismatch(counted));
    }
    Ok(())
}

/// Checks a Thread record; returns its descriptor, which the next one must exceed.
fn validate_thread(data: &[u8], r: &Bounded, previous: Option<u64>) -> Result<u64, CheckpointError> {
    minimum(r, thread::SIZE + frames::SIZE)?;
    let descriptor = u64_at(data, r.payload + thread::DESCRIPTOR).unwrap_or(0);
    if descriptor == 0 || descriptor % 8 != 0 {
        return Err(CheckpointError::BadThreadDescriptor {
            offset: r.offset as u64,
            descriptor,
        });
    }
    if let Some(previous) = previous.filter(|&p| descriptor <= p) {
        return Err(CheckpointError::ThreadOrder {
            offset: r.offset as u64,
            descriptor,
            previous,
        });
    }
    validate_frames_at(data, r, r.payload + thread::SIZE, r.len - thread::SIZE)?;
    Ok(descriptor)
}

fn validate_value(data: &[u8], at: usize) -> Result<(), CheckpointError> {
    let code = u8_at(data, at + value::KIND).unwrap_or(u8::MAX);
    if ValueKind::from_code(code).is_none() {
        return Err(CheckpointError::UnknownValueKind {
            offset: (at + value::KIND) as u64,
            code,
        });
    }
    zero(data, at + value::RESERVED, 1)?;
    let size = u16_at(data, at + value::SIZE_BYTES).unwrap_or(0);
    if size == 0 || size > layout::MAX_VALUE_SIZE {
        return Err(CheckpointError::BadValueSize {
            offset: (at + value::SIZE_BYTES) as u64,
            size,
        });
    }
    zero(data, at + value::RESERVED_TAIL, 4)
}

/// Checks a region; returns its end address, which the next region must not go below.
fn validate_region(data: &[u8], r: &Bounded, previous_end: Option<u64>) -> Result<u64, CheckpointError> {
    minimum(r, region::SIZE)?;
    let address = u64_at(data, r.payload + region::ADDRESS).unwrap_or(0);
    let size = u64_at(data, r.payload + region::SIZE_BYTES).unwrap_or(0);
    payload_size(r, super::region_payload_len(size))?;
    let offset = r.offset as u64;
    let kind = u32_at(data, r.payload + region::KIND).unwrap_or(0);
    if RegionKind::from_code(kind).is_none() {
        return Err(CheckpointError::UnknownRegionKind { offset, kind });
    }
    let prot = u32_at(data, r.payload + region::PROT).unwrap_or(0);
    if prot & !layout::PROT_MASK != 0 {
        return Err(CheckpointError::BadProt { offset, prot });
    }
    let Some(end) = address.checked_add(size) else {
        return Err(CheckpointError::RegionOverflow { offset, address, size });
    };
    if let Some(previous_end) = previous_end {
        if address < previous_end {
            return Err(CheckpointError::RegionOverlap {
                offset,
                address,
                previous_end,
            });
        }
    }
    Ok(end)
}

/// Checks an open file; returns its descriptor, which the next one must exceed.
fn validate_open_file(data: &[u8], r: &Bounded, previous_fd: Option<i32>) -> Result<i32, CheckpointError> {
    minimum(r, open_file::SIZE)?;
    let path_len = u32_at(data, r.payload + open_file::PATH_LEN).unwrap_or(0);
    zero(data, r.payload + open_file::RESERVED, 4)?;
    payload_size(r, Some(super::open_file_payload_len(path_len)))?;
    let offset = r.offset as u64;
    let fd = i32_at(data, r.payload + open_file::FD).unwrap_or(-1);
    if fd < 0 || previous_fd.is_some_and(|p| fd <= p) {
        return Err(CheckpointError::BadFd { offset, fd });
    }
    let path = data.get(r.payload + open_file::SIZE..r.payload + r.len).unwrap_or(&[0]);
    if path.is_empty() || path_len > layout::MAX_PATH_LEN || path.contains(&0) {
        return Err(CheckpointError::BadPath { offset, len: path_len });
    }
    Ok(fd)
}

/// Checks a jump buffer's size and reserved field; its frame index is checked against
/// the frame count once both are known (see [`parse`]).
fn validate_jump_buffer(data: &[u8], r: &Bounded) -> Result<(), CheckpointError> {
    payload_size(r, Some(jump_buffer::SIZE as u64))?;
    zero(data, r.payload + jump_buffer::RESERVED, 4)
}

/// Every jump buffer must name a frame of the checkpoint.
fn check_jump_buffer_frames(data: &[u8], end: usize, frame_count: u32) -> Result<(), CheckpointError> {
    let mut offset = header::SIZE;
    while offset < end {
        let r = bounded_record(data, offset)?;
        if r.tag == super::RecordTag::JumpBuffer as u32 {
            let frame = u32_at(data, r.payload + jump_buffer::FRAME).unwrap_or(u32::MAX);
            if frame >= frame_count {
                return Err(CheckpointError::BadJumpBufferFrame {
                    offset: r.offset as u64,
                    frame,
                    frame_count,
                });
            }
        }
        offset = r.next;
    }
    Ok(())
}

/// Checks the End record at `r` (its payload, nothing after it, the checksum) and
/// returns the stored checksum.
fn validate_end(data: &[u8], r: &Bounded) -> Result<u64, CheckpointError> {
    payload_size(r, Some(end::SIZE as u64))?;
    if r.next != data.len() {
        return Err(CheckpointError::TrailingBytes {
            offset: r.next as u64,
            count: (data.len() - r.next) as u64,
        });
    }
    let stored = u64_at(data, r.payload + end::CHECKSUM).unwrap_or(0);
    let computed = Checksum::of(data.get(..r.offset).unwrap_or(&[]));
    if stored != computed {
        return Err(CheckpointError::ChecksumMismatch { stored, computed });
    }
    Ok(stored)
}

/// Validates a whole checkpoint.
pub(super) fn parse(data: &[u8]) -> Result<Checkpoint<'_>, CheckpointError> {
    let header = parse_header(data)?;
    let mut frames_payload = None;
    let mut previous_thread = None;
    let mut region_end = None;
    let mut previous_fd = None;
    let mut offset = header::SIZE;
    loop {
        let r = bounded_record(data, offset)?;
        let duplicate = CheckpointError::DuplicateRecord {
            offset: r.offset as u64,
            tag: r.tag,
        };
        match RecordTag::from_code(r.tag) {
            Some(RecordTag::Frames) => {
                if frames_payload.is_some() {
                    return Err(duplicate);
                }
                validate_frames(data, &r)?;
                frames_payload = Some(r.payload);
            }
            Some(RecordTag::Region) => region_end = Some(validate_region(data, &r, region_end)?),
            Some(RecordTag::OpenFile) => previous_fd = Some(validate_open_file(data, &r, previous_fd)?),
            Some(RecordTag::Thread) => previous_thread = Some(validate_thread(data, &r, previous_thread)?),
            Some(RecordTag::JumpBuffer) => validate_jump_buffer(data, &r)?,
            Some(RecordTag::End) => {
                let checksum = validate_end(data, &r)?;
                let frames_payload = frames_payload.ok_or(CheckpointError::MissingFrames)?;
                let frame_count = u32_at(data, frames_payload + frames::FRAME_COUNT).unwrap_or(0);
                check_jump_buffer_frames(data, r.offset, frame_count)?;
                return Ok(Checkpoint {
                    data,
                    header,
                    frames_payload,
                    end: r.offset,
                    checksum,
                });
            }
            None => {
                return Err(CheckpointError::UnknownTag {
                    offset: r.offset as u64,
                    tag: r.tag,
                })
            }
        }
        offset = r.next;
    }
}
