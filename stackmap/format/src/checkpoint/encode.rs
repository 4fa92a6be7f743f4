//! Fixed-size encoders: each returns the bytes of one header or entry, so the runtime
//! can write a checkpoint sequentially to a file descriptor without allocating.

use super::layout::{self, end, frame, frames, header, jump_buffer, open_file, record, region, thread, value};
use super::{FrameHeader, FrameValue, Header, JumpBuffer, OpenFileHeader, RecordTag, RegionHeader};

fn put<const N: usize>(out: &mut [u8; N], at: usize, bytes: &[u8]) {
    out[at..at + bytes.len()].copy_from_slice(bytes);
}

const ZEROS: [u8; 8] = [0; 8];

/// The zero bytes that pad a payload of `len` bytes to a multiple of 8 (0 to 7).
pub fn padding(len: u64) -> &'static [u8] {
    &ZEROS[..layout::padding_len(len)]
}

/// A record header: `tag`, reserved zero, payload length `len` (without padding).
pub fn record_header(tag: RecordTag, len: u64) -> [u8; record::SIZE] {
    let mut out = [0; record::SIZE];
    put(&mut out, record::TAG, &(tag as u32).to_le_bytes());
    put(&mut out, record::LEN, &len.to_le_bytes());
    out
}

/// The header of the Frames payload.
pub fn frames_payload_header(frame_count: u32, value_count_total: u32) -> [u8; frames::SIZE] {
    let mut out = [0; frames::SIZE];
    put(&mut out, frames::FRAME_COUNT, &frame_count.to_le_bytes());
    put(&mut out, frames::VALUE_COUNT_TOTAL, &value_count_total.to_le_bytes());
    out
}

/// Payload length of a Frames record with these counts.
pub const fn frames_payload_len(frame_count: u32, value_count_total: u32) -> u64 {
    frames::SIZE as u64 + frame_count as u64 * frame::SIZE as u64 + value_count_total as u64 * value::SIZE as u64
}

/// The first bytes of a Thread payload; the thread's frames payload follows.
pub fn thread_payload_header(descriptor: u64, signal_mask: u64) -> [u8; thread::SIZE] {
    let mut out = [0u8; thread::SIZE];
    put(&mut out, thread::DESCRIPTOR, &descriptor.to_le_bytes());
    put(&mut out, thread::SIGNAL_MASK, &signal_mask.to_le_bytes());
    out
}

/// Payload length of a Thread record with these counts.
pub const fn thread_payload_len(frame_count: u32, value_count_total: u32) -> u64 {
    thread::SIZE as u64 + frames_payload_len(frame_count, value_count_total)
}

/// Payload length of a Region record of `size` bytes of memory.
pub const fn region_payload_len(size: u64) -> Option<u64> {
    size.checked_add(region::SIZE as u64)
}

/// Payload length of an OpenFile record whose path is `path_len` bytes.
pub const fn open_file_payload_len(path_len: u32) -> u64 {
    open_file::SIZE as u64 + path_len as u64
}

/// The End record, header and payload, for the checksum of every byte before it.
pub fn end_record(checksum: u64) -> [u8; record::SIZE + end::SIZE] {
    let mut out = [0; record::SIZE + end::SIZE];
    put(&mut out, 0, &record_header(RecordTag::End, end::SIZE as u64));
    put(&mut out, record::SIZE + end::CHECKSUM, &checksum.to_le_bytes());
    out
}

impl Header {
    /// The 64 header bytes (the current version, flags 0).
    pub fn encode(&self) -> [u8; header::SIZE] {
        let mut out = [0; header::SIZE];
        put(&mut out, header::MAGIC, &layout::MAGIC);
        put(&mut out, header::VERSION, &layout::VERSION.to_le_bytes());
        put(&mut out, header::HEADER_SIZE, &(header::SIZE as u32).to_le_bytes());
        put(
            &mut out,
            header::SOURCE_ISA,
            &self.source_isa.elf_machine().to_le_bytes(),
        );
        let target = self.target_isa.map_or(0, |isa| isa.elf_machine());
        put(&mut out, header::TARGET_ISA, &target.to_le_bytes());
        put(&mut out, header::PROGRAM_ID, &self.program_id[0].to_le_bytes());
        put(&mut out, header::PROGRAM_ID + 8, &self.program_id[1].to_le_bytes());
        put(&mut out, header::PAGE_SIZE, &self.page_size.to_le_bytes());
        out
    }
}

impl FrameHeader {
    /// The 16 bytes of this frame header.
    pub fn encode(&self) -> [u8; frame::SIZE] {
        let mut out = [0; frame::SIZE];
        put(&mut out, frame::ID, &self.id.to_le_bytes());
        put(&mut out, frame::VALUE_COUNT, &self.value_count.to_le_bytes());
        out
    }
}

impl FrameValue {
    /// The 16 bytes of this value.
    pub fn encode(&self) -> [u8; value::SIZE] {
        let mut out = [0; value::SIZE];
        out[value::KIND] = self.kind as u8;
        put(&mut out, value::SIZE_BYTES, &self.size.to_le_bytes());
        put(&mut out, value::BITS, &self.bits.to_le_bytes());
        out
    }
}

impl RegionHeader {
    /// The 24 bytes that precede the region's memory.
    pub fn encode(&self) -> [u8; region::SIZE] {
        let mut out = [0; region::SIZE];
        put(&mut out, region::ADDRESS, &self.address.to_le_bytes());
        put(&mut out, region::SIZE_BYTES, &self.size.to_le_bytes());
        put(&mut out, region::PROT, &self.prot.to_le_bytes());
        put(&mut out, region::KIND, &(self.kind as u32).to_le_bytes());
        out
    }
}

impl OpenFileHeader {
    /// The 24 bytes that precede the path.
    pub fn encode(&self) -> [u8; open_file::SIZE] {
        let mut out = [0; open_file::SIZE];
        put(&mut out, open_file::FD, &self.fd.to_le_bytes());
        put(&mut out, open_file::FLAGS, &self.flags.to_le_bytes());
        put(&mut out, open_file::OFFSET, &self.offset.to_le_bytes());
        put(&mut out, open_file::PATH_LEN, &self.path_len.to_le_bytes());
        out
    }
}

impl JumpBuffer {
    /// The 24 bytes of this record's payload.
    pub fn encode(&self) -> [u8; jump_buffer::SIZE] {
        let mut out = [0; jump_buffer::SIZE];
        put(&mut out, jump_buffer::ADDRESS, &self.address.to_le_bytes());
        put(&mut out, jump_buffer::FRAME, &self.frame.to_le_bytes());
        put(&mut out, jump_buffer::POINT, &self.point.to_le_bytes());
        out
    }
}
