//! A zero-copy parser of LLVM's `.llvm_stackmaps` section, version 3
//! (<https://llvm.org/docs/StackMaps.html#stack-map-format>):
//!
//! ```text
//! Header   { u8 version = 3, u8 reserved, u16 reserved }
//! u32 NumFunctions, u32 NumConstants, u32 NumRecords
//! StkSizeRecord[NumFunctions] { u64 function address, u64 stack size, u64 record count }
//! Constants[NumConstants]     { u64 large constant }
//! StkMapRecord[NumRecords] {
//!   u64 ID, u32 instruction offset, u16 flags (reserved), u16 NumLocations
//!   Location[NumLocations] { u8 kind, u8 reserved, u16 size, u16 DWARF register,
//!                            u16 reserved, i32 offset or small constant }
//!   padding to 8 bytes, u16 padding, u16 NumLiveOuts
//!   LiveOut[NumLiveOuts] { u16 DWARF register, u8 reserved, u8 size }
//!   padding to 8 bytes
//! }
//! ```
//!
//! The section is little-endian (every hetcc ISA is). A linked binary's section may hold
//! several such blobs back to back, one per input object: [`parse_all`] splits them.
//! [`StackMapSection::parse`] walks and checks everything once, so iterating afterwards
//! cannot fail. Function addresses are link-time addresses; in riscv64 *object files*
//! they and the instruction offsets are still 0 (ADD32/SUB32 relocation pairs), so read
//! linked binaries.

mod record;

pub use record::{LiveOut, Location, LocationKind, Record, Records};

use record::{read_u32, read_u64, record_len};

/// The stackmap version this parser reads.
pub const VERSION: u8 = 3;
const HEADER_LEN: usize = 16;
const FUNCTION_LEN: usize = 24;
const CONSTANT_LEN: usize = 8;

/// Why bytes are not a valid `.llvm_stackmaps` v3 blob. Offsets count from the blob's
/// start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StackMapError {
    /// The bytes end inside a structure.
    #[error("stackmap truncated: {what} at byte {offset} needs {needed} bytes, {available} left")]
    Truncated {
        /// The structure being read.
        what: &'static str,
        /// Where it starts.
        offset: usize,
        /// Bytes it needs.
        needed: usize,
        /// Bytes left.
        available: usize,
    },
    /// A version other than 3.
    #[error("stackmap version {0} is not supported (only version 3 is)")]
    UnsupportedVersion(u8),
    /// A header reserved field is not zero.
    #[error("stackmap header reserved bytes are not zero")]
    NonZeroReserved,
    /// A location kind outside 1..=5.
    #[error("stackmap record {record} location {location} has unknown kind {kind}")]
    BadLocationKind {
        /// Index of the record.
        record: u32,
        /// Index of the location within it.
        location: u16,
        /// The kind byte.
        kind: u8,
    },
    /// A `ConstantIndex` location past the constants array.
    #[error("stackmap record {record} location {location} refers to missing constant {index}")]
    ConstantIndexOutOfRange {
        /// Index of the record.
        record: u32,
        /// Index of the location within it.
        location: u16,
        /// The constant index.
        index: u32,
    },
    /// The functions' record counts do not add up to NumRecords.
    #[error("stackmap functions own {owned} records but the header says {records}")]
    RecordCountMismatch {
        /// Sum of the functions' record counts (saturating).
        owned: u64,
        /// NumRecords.
        records: u32,
    },
}

/// One validated stackmap blob (one object file's worth).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StackMapSection<'a> {
    data: &'a [u8],
    num_functions: u32,
    num_constants: u32,
    num_records: u32,
}

/// A function entry (`StkSizeRecord`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionInfo {
    /// The function's address (link-time).
    pub address: u64,
    /// Its static stack size, `u64::MAX` if LLVM could not know it.
    pub stack_size: u64,
    /// How many of the following records belong to it.
    pub record_count: u64,
}

fn need(data: &[u8], what: &'static str, offset: usize, needed: usize) -> Result<(), StackMapError> {
    let available = data.len().saturating_sub(offset);
    if available < needed {
        return Err(StackMapError::Truncated {
            what,
            offset,
            needed,
            available,
        });
    }
    Ok(())
}

impl<'a> StackMapSection<'a> {
    /// Parses and checks the blob at the start of `data`; bytes after it are left
    /// alone ([`StackMapSection::len`] says where it ends).
    pub fn parse(data: &'a [u8]) -> Result<StackMapSection<'a>, StackMapError> {
        need(data, "header", 0, HEADER_LEN)?;
        if data[0] != VERSION {
            return Err(StackMapError::UnsupportedVersion(data[0]));
        }
        if data[1..4] != [0, 0, 0] {
            return Err(StackMapError::NonZeroReserved);
        }
        let num_functions = read_u32(data, 4);
        let num_constants = read_u32(data, 8);
        let num_records = read_u32(data, 12);
        let functions_len = num_functions as usize * FUNCTION_LEN;
        need(data, "function table", HEADER_LEN, functions_len)?;
        let constants_at = HEADER_LEN + functions_len;
        need(
            data,
            "constant table",
            constants_at,
            num_constants as usize * CONSTANT_LEN,
        )?;
        let mut section = StackMapSection {
            data,
            num_functions,
            num_constants,
            num_records,
        };
        let end = section.walk_records()?;
        section.data = &data[..end];
        section.check_record_counts()?;
        Ok(section)
    }

    /// Checks every record, returning the blob's end.
    fn walk_records(&self) -> Result<usize, StackMapError> {
        let mut offset = self.records_offset();
        for index in 0..self.num_records {
            offset += record_len(self, index, offset)?;
        }
        Ok(offset)
    }

    fn check_record_counts(&self) -> Result<(), StackMapError> {
        let owned = self.functions().fold(0u64, |sum, f| sum.saturating_add(f.record_count));
        if owned != u64::from(self.num_records) {
            return Err(StackMapError::RecordCountMismatch {
                owned,
                records: self.num_records,
            });
        }
        Ok(())
    }

    /// The blob's bytes.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The blob's length in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the blob is empty (never: a valid blob has a header).
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// NumFunctions.
    pub fn num_functions(&self) -> u32 {
        self.num_functions
    }

    /// NumRecords.
    pub fn num_records(&self) -> u32 {
        self.num_records
    }

    /// The function entries, in section order.
    pub fn functions(&self) -> impl ExactSizeIterator<Item = FunctionInfo> + 'a {
        let data = self.data;
        (0..self.num_functions as usize).map(move |i| {
            let at = HEADER_LEN + i * FUNCTION_LEN;
            FunctionInfo {
                address: read_u64(data, at),
                stack_size: read_u64(data, at + 8),
                record_count: read_u64(data, at + 16),
            }
        })
    }

    /// The large-constant pool (`ConstantIndex` locations point into it).
    pub fn constants(&self) -> impl ExactSizeIterator<Item = u64> + 'a {
        let data = self.data;
        let at = self.constants_offset();
        (0..self.num_constants as usize).map(move |i| read_u64(data, at + i * CONSTANT_LEN))
    }

    /// Constant `index` of the pool.
    pub fn constant(&self, index: u32) -> Option<u64> {
        (index < self.num_constants)
            .then(|| read_u64(self.data, self.constants_offset() + index as usize * CONSTANT_LEN))
    }

    /// The records, in section order (function by function, as [`FunctionInfo::record_count`]
    /// says).
    pub fn records(&self) -> Records<'a> {
        Records::new(*self)
    }

    /// Each function with its records.
    pub fn functions_with_records(&self) -> impl Iterator<Item = (FunctionInfo, Records<'a>)> + 'a {
        let mut records = self.records();
        self.functions().map(move |function| {
            let own = records.take_prefix(function.record_count);
            (function, own)
        })
    }

    fn constants_offset(&self) -> usize {
        HEADER_LEN + self.num_functions as usize * FUNCTION_LEN
    }

    fn records_offset(&self) -> usize {
        self.constants_offset() + self.num_constants as usize * CONSTANT_LEN
    }
}

/// Splits a linked `.llvm_stackmaps` section into its blobs (one per input object) and
/// parses each. Zero padding between blobs (from section alignment) is skipped.
pub fn parse_all(mut data: &[u8]) -> Result<Vec<StackMapSection<'_>>, StackMapError> {
    let mut blobs = Vec::new();
    loop {
        let skip = data.iter().take_while(|&&b| b == 0).count() & !7;
        data = &data[skip..];
        if data.iter().all(|&b| b == 0) {
            return Ok(blobs);
        }
        let blob = StackMapSection::parse(data)?;
        data = &data[blob.len()..];
        blobs.push(blob);
    }
}

#[cfg(test)]
mod tests;
