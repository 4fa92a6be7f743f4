//! Stackmap records (`StkMapRecord`): locations and live-outs.

use super::{need, StackMapError, StackMapSection};

const RECORD_HEADER_LEN: usize = 16;
const LOCATION_LEN: usize = 12;
const LIVE_OUT_LEN: usize = 4;

fn bytes<const N: usize>(data: &[u8], offset: usize) -> [u8; N] {
    // Callers read only ranges that parsing checked; a short read yields zeros.
    data.get(offset..offset.saturating_add(N))
        .and_then(|s| s.try_into().ok())
        .unwrap_or([0; N])
}

pub(super) fn read_u16(data: &[u8], offset: usize) -> u16 {
    u16::from_le_bytes(bytes(data, offset))
}

pub(super) fn read_u32(data: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes(bytes(data, offset))
}

pub(super) fn read_u64(data: &[u8], offset: usize) -> u64 {
    u64::from_le_bytes(bytes(data, offset))
}

const fn align8(n: usize) -> usize {
    (n + 7) & !7
}

/// Where a location's value is (LLVM's `Location::LocationType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocationKind {
    /// In the register.
    Register = 1,
    /// The value is `register + offset` (an address in the frame).
    Direct = 2,
    /// In memory at `register + offset` (a spill slot).
    Indirect = 3,
    /// The small constant in the offset field (sign-extended).
    Constant = 4,
    /// The constant at index `offset` of the constant pool.
    ConstantIndex = 5,
}

impl LocationKind {
    fn from_code(code: u8) -> Option<LocationKind> {
        match code {
            1 => Some(LocationKind::Register),
            2 => Some(LocationKind::Direct),
            3 => Some(LocationKind::Indirect),
            4 => Some(LocationKind::Constant),
            5 => Some(LocationKind::ConstantIndex),
            _ => None,
        }
    }
}

/// One location of a record, as LLVM wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// The kind.
    pub kind: LocationKind,
    /// Size of the value in bytes.
    pub size: u16,
    /// DWARF register number (register, direct, indirect).
    pub dwarf_register: u16,
    /// Offset (direct, indirect), small constant, or constant-pool index.
    pub offset: i32,
}

impl Location {
    /// The constant this location holds (`Constant`, `ConstantIndex`), else `None`.
    pub fn constant(&self, section: &StackMapSection<'_>) -> Option<i64> {
        match self.kind {
            LocationKind::Constant => Some(i64::from(self.offset)),
            LocationKind::ConstantIndex => section.constant(self.offset as u32).map(|c| c as i64),
            _ => None,
        }
    }
}

/// A register LLVM says is live after a patchpoint (statepoints have none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LiveOut {
    /// DWARF register number.
    pub dwarf_register: u16,
    /// Size in bytes.
    pub size: u8,
}

/// One record (one statepoint, stackmap or patchpoint).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    data: &'a [u8],
    index: u32,
}

impl<'a> Record<'a> {
    /// The record's index in its section.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The record's bytes, trailing padding included.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The ID (for statepoints, the `"statepoint-id"`).
    pub fn id(&self) -> u64 {
        read_u64(self.data, 0)
    }

    /// The instruction offset from the function's start; for a statepoint, the return
    /// address of its call.
    pub fn instruction_offset(&self) -> u32 {
        read_u32(self.data, 8)
    }

    /// The reserved "record flags" field.
    pub fn flags(&self) -> u16 {
        read_u16(self.data, 12)
    }

    /// NumLocations.
    pub fn num_locations(&self) -> u16 {
        read_u16(self.data, 14)
    }

    /// The locations, in LLVM's order.
    pub fn locations(&self) -> impl ExactSizeIterator<Item = Location> + 'a {
        let data = self.data;
        (0..usize::from(self.num_locations())).map(move |i| decode_location(data, i))
    }

    /// Location `index`.
    pub fn location(&self, index: u16) -> Option<Location> {
        (index < self.num_locations()).then(|| decode_location(self.data, usize::from(index)))
    }

    /// The live-out registers.
    pub fn live_outs(&self) -> impl ExactSizeIterator<Item = LiveOut> + 'a {
        let data = self.data;
        let at = live_outs_offset(self.num_locations());
        let count = usize::from(read_u16(data, at - 2));
        (0..count).map(move |i| LiveOut {
            dwarf_register: read_u16(data, at + i * LIVE_OUT_LEN),
            size: bytes::<1>(data, at + i * LIVE_OUT_LEN + 3)[0],
        })
    }
}

fn decode_location(data: &[u8], index: usize) -> Location {
    let at = RECORD_HEADER_LEN + index * LOCATION_LEN;
    Location {
        kind: LocationKind::from_code(bytes::<1>(data, at)[0]).unwrap_or(LocationKind::Constant),
        size: read_u16(data, at + 2),
        dwarf_register: read_u16(data, at + 4),
        offset: read_u32(data, at + 8) as i32,
    }
}

/// Offset of the first live-out within a record: after the locations, 8-aligned, then
/// `u16` padding and `u16` NumLiveOuts.
fn live_outs_offset(num_locations: u16) -> usize {
    align8(RECORD_HEADER_LEN + usize::from(num_locations) * LOCATION_LEN) + 4
}

/// Checks record `index` at `offset` and returns its length (padding included).
pub(super) fn record_len(section: &StackMapSection<'_>, index: u32, offset: usize) -> Result<usize, StackMapError> {
    let data = section.data;
    need(data, "record header", offset, RECORD_HEADER_LEN)?;
    let num_locations = read_u16(data, offset + 14);
    let live_at = live_outs_offset(num_locations);
    need(data, "record locations", offset, live_at)?;
    let num_live_outs = usize::from(read_u16(data, offset + live_at - 2));
    let len = align8(live_at + num_live_outs * LIVE_OUT_LEN);
    need(data, "record live-outs", offset, len)?;
    let record = Record {
        data: &data[offset..offset + len],
        index,
    };
    for location in 0..num_locations {
        check_location(section, &record, location)?;
    }
    Ok(len)
}

fn check_location(section: &StackMapSection<'_>, record: &Record<'_>, location: u16) -> Result<(), StackMapError> {
    let at = RECORD_HEADER_LEN + usize::from(location) * LOCATION_LEN;
    let kind = bytes::<1>(record.data, at)[0];
    let decoded = LocationKind::from_code(kind).ok_or(StackMapError::BadLocationKind {
        record: record.index,
        location,
        kind,
    })?;
    let index = read_u32(record.data, at + 8);
    if decoded == LocationKind::ConstantIndex && index >= section.num_constants {
        return Err(StackMapError::ConstantIndexOutOfRange {
            record: record.index,
            location,
            index,
        });
    }
    Ok(())
}

/// The records of a section (or of one function), in order. Infallible: the section
/// was checked when parsed.
#[derive(Clone, Debug)]
pub struct Records<'a> {
    section: StackMapSection<'a>,
    offset: usize,
    index: u32,
    remaining: u32,
}

impl<'a> Records<'a> {
    pub(super) fn new(section: StackMapSection<'a>) -> Records<'a> {
        let offset = section.records_offset();
        Records {
            section,
            offset,
            index: 0,
            remaining: section.num_records,
        }
    }

    /// Splits off the next `count` records, advancing `self` past them.
    pub(super) fn take_prefix(&mut self, count: u64) -> Records<'a> {
        let count = u32::try_from(count).unwrap_or(u32::MAX).min(self.remaining);
        let prefix = Records {
            remaining: count,
            ..self.clone()
        };
        for _ in 0..count {
            self.next();
        }
        prefix
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        if self.remaining == 0 {
            return None;
        }
        let len = record_len(&self.section, self.index, self.offset).ok()?;
        let data = self.section.data.get(self.offset..self.offset + len)?;
        let record = Record {
            data,
            index: self.index,
        };
        self.offset += len;
        self.index += 1;
        self.remaining -= 1;
        Some(record)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining as usize))
    }
}
