//! The reader's error: small, `Copy`, no allocation, hand-written `Display`.

use core::fmt;

/// Why a byte string is not a valid transform table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableError {
    /// Fewer bytes than the header, or than the header's `total_size`.
    Truncated {
        /// Bytes needed.
        needed: u64,
        /// Bytes present.
        actual: u64,
    },
    /// The first four bytes are not `HETT`.
    BadMagic,
    /// A layout version this reader does not know.
    UnsupportedVersion(u16),
    /// The header or an entry is smaller than version 1 defines.
    EntryTooSmall,
    /// The ISA field is not an ISA hetcc knows (ELF `e_machine`).
    UnknownMachine(u16),
    /// A reserved or flags field is not zero.
    NonZeroReserved {
        /// Byte offset of the field.
        offset: u64,
    },
    /// `total_size` disagrees with the counts, or is not a multiple of 8.
    SizeMismatch {
        /// Size the counts imply.
        expected: u64,
        /// Size the header states.
        stated: u64,
    },
    /// The checksum does not match: the table was damaged.
    ChecksumMismatch {
        /// Checksum in the header.
        stated: u32,
        /// Checksum of the bytes.
        computed: u32,
    },
    /// Points are not sorted by strictly increasing ID.
    PointsNotSorted {
        /// Index of the first point out of order (or repeating an ID).
        index: u32,
    },
    /// The return-address index is not sorted by strictly increasing return address,
    /// or names a point that does not exist.
    ReturnIndexInvalid {
        /// Position in the index.
        index: u32,
    },
    /// A point names a function entry that does not exist.
    FunctionOutOfRange {
        /// The point's index.
        point: u32,
    },
    /// A point's saved-register or live-value range goes past its section.
    RangeOutOfBounds {
        /// The point's index.
        point: u32,
    },
    /// A return address overflows 64 bits.
    AddressOverflow {
        /// The point's index.
        point: u32,
    },
    /// An unknown location, value-kind or save-rule code.
    BadCode {
        /// Byte offset of the code.
        offset: u64,
        /// The code.
        code: u8,
    },
    /// A function name is out of bounds, unterminated or not UTF-8.
    BadName {
        /// The function's index.
        function: u32,
    },
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TableError::Truncated { needed, actual } => {
                write!(f, "transform table truncated: {needed} bytes needed, {actual} present")
            }
            TableError::BadMagic => f.write_str("not a transform table (bad magic)"),
            TableError::UnsupportedVersion(v) => {
                write!(f, "transform table version {v} is not supported (this reader knows 1)")
            }
            TableError::EntryTooSmall => f.write_str("transform table header or entry smaller than version 1 defines"),
            TableError::UnknownMachine(m) => {
                write!(f, "transform table for unknown ELF machine {m}")
            }
            TableError::NonZeroReserved { offset } => {
                write!(f, "transform table reserved field at byte {offset} is not zero")
            }
            TableError::SizeMismatch { expected, stated } => write!(
                f,
                "transform table size {stated} disagrees with its counts ({expected} bytes)"
            ),
            TableError::ChecksumMismatch { stated, computed } => write!(
                f,
                "transform table damaged: checksum {computed:#010x}, header says {stated:#010x}"
            ),
            TableError::PointsNotSorted { index } => {
                write!(f, "transform table point {index} is out of ID order or repeats an ID")
            }
            TableError::ReturnIndexInvalid { index } => {
                write!(f, "transform table return-address index entry {index} is invalid")
            }
            TableError::FunctionOutOfRange { point } => {
                write!(f, "transform table point {point} names a missing function")
            }
            TableError::RangeOutOfBounds { point } => {
                write!(f, "transform table point {point} has entries past their section")
            }
            TableError::AddressOverflow { point } => {
                write!(f, "transform table point {point} has a return address past 2^64")
            }
            TableError::BadCode { offset, code } => {
                write!(f, "transform table byte {offset} holds unknown code {code}")
            }
            TableError::BadName { function } => {
                write!(f, "transform table function {function} has an invalid name")
            }
        }
    }
}

impl core::error::Error for TableError {}
