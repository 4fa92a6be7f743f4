//! The host-side error: what went wrong, naming the ISA, the equivalence point and the
//! function, like the rest of hetcc's tools.

use het_format::Isa;

use crate::llvm::StackMapError;
use crate::statepoint::StatepointError;
use crate::unwind::UnwindError;

/// Why a transform table could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The ELF file could not be read.
    #[error("reading ELF: {0}")]
    Elf(#[from] object::Error),
    /// Not an ISA hetcc builds for.
    #[error("unsupported architecture {0}")]
    UnsupportedArchitecture(String),
    /// A relocatable object or other non-linked file.
    #[error("not a linked executable ({0}): stackmaps are final only after linking")]
    NotLinked(String),
    /// `.llvm_stackmaps` is malformed.
    #[error("{isa}: .llvm_stackmaps: {error}")]
    StackMap {
        /// The binary's ISA.
        isa: Isa,
        /// What is wrong.
        error: StackMapError,
    },
    /// `.eh_frame` is malformed.
    #[error("{isa}: .eh_frame: {error}")]
    EhFrame {
        /// The binary's ISA.
        isa: Isa,
        /// What is wrong.
        error: UnwindError,
    },
    /// One equivalence point cannot be described.
    #[error("{isa}: equivalence point {id} in {function}: {reason}")]
    Point {
        /// The binary's ISA.
        isa: Isa,
        /// The point's ID.
        id: u64,
        /// The function's name (or address).
        function: String,
        /// What is wrong.
        reason: PointError,
    },
    /// Two records share an ID.
    #[error("{isa}: equivalence point ID {id} appears twice (in {first} and {second}); every statepoint needs its own \"statepoint-id\"")]
    DuplicateId {
        /// The binary's ISA.
        isa: Isa,
        /// The ID.
        id: u64,
        /// The function holding the first.
        first: String,
        /// The function holding the second.
        second: String,
    },
    /// Two points share a return address (their records would be indistinguishable).
    #[error("{isa}: equivalence points {first} and {second} share a return address")]
    SharedReturnAddress {
        /// The binary's ISA.
        isa: Isa,
        /// One ID.
        first: u64,
        /// The other.
        second: u64,
    },
    /// The table would exceed a field's range.
    #[error("transform table too large: {0}")]
    TooLarge(&'static str),
}

/// Why one equivalence point cannot be described.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PointError {
    /// Its record is not a statepoint.
    #[error(transparent)]
    Statepoint(#[from] StatepointError),
    /// Its frame has no usable unwind rule.
    #[error(transparent)]
    Unwind(#[from] UnwindError),
    /// A gc-live location that cannot be a resume location.
    #[error("live value {index} has location kind {kind:?}")]
    BadLiveLocation {
        /// Index of the live value.
        index: usize,
        /// Its LLVM kind.
        kind: crate::llvm::LocationKind,
    },
    /// More entries than the table's 16-bit counts hold.
    #[error("{0} live values or saved registers exceed the table's 65535")]
    TooMany(usize),
    /// The return address lies outside the function's 4 GiB range.
    #[error("return offset {0:#x} exceeds 32 bits")]
    OffsetTooLarge(u64),
}
