//! Byte offsets and sizes of the transform-table layout, shared by the reader here and
//! the writer in `het-stackmap`. `docs/stackmap.md` draws the same layout.
//!
//! Everything is little-endian. Sections follow the header in this order, each starting
//! at a multiple of 8: functions, points (sorted by ID), return-address index (point
//! indices sorted by return address), saved registers, live values, strings.

/// The first four bytes of every table.
pub const MAGIC: [u8; 4] = *b"HETT";
/// The layout version this crate reads and writes.
pub const VERSION: u16 = 1;

/// Header field offsets and the header's size.
pub mod header {
    /// `[u8; 4]`: [`super::MAGIC`].
    pub const MAGIC: usize = 0;
    /// `u16`: layout version.
    pub const VERSION: usize = 4;
    /// `u16`: header size in bytes; sections start there.
    pub const HEADER_SIZE: usize = 6;
    /// `u16`: the ISA, as its ELF `e_machine`.
    pub const MACHINE: usize = 8;
    /// `u8`: size of one function entry.
    pub const FUNCTION_ENTRY_SIZE: usize = 10;
    /// `u8`: size of one point entry.
    pub const POINT_ENTRY_SIZE: usize = 11;
    /// `u8`: size of one saved-register entry.
    pub const SAVED_ENTRY_SIZE: usize = 12;
    /// `u8`: size of one live-value entry.
    pub const LIVE_ENTRY_SIZE: usize = 13;
    /// `u16`: flags, zero in version 1.
    pub const FLAGS: usize = 14;
    /// `u32`: number of functions.
    pub const FUNCTION_COUNT: usize = 16;
    /// `u32`: number of equivalence points.
    pub const POINT_COUNT: usize = 20;
    /// `u32`: number of saved-register entries (all points together).
    pub const SAVED_COUNT: usize = 24;
    /// `u32`: number of live-value entries (all points together).
    pub const LIVE_COUNT: usize = 28;
    /// `u32`: size of the string section in bytes.
    pub const STRINGS_SIZE: usize = 32;
    /// `u32`: size of the whole table in bytes, a multiple of 8.
    pub const TOTAL_SIZE: usize = 36;
    /// `u32`: FNV-1a of the whole table with this field read as zero.
    pub const CHECKSUM: usize = 40;
    /// `u32`: reserved, zero.
    pub const RESERVED: usize = 44;
    /// The version-1 header size.
    pub const SIZE: usize = 48;
}

/// Function entry: one per function that holds equivalence points.
pub mod function {
    /// `u64`: the function's address.
    pub const ADDRESS: usize = 0;
    /// `u32`: LLVM's static stack size, [`super::UNKNOWN_STACK_SIZE`] if dynamic.
    pub const STACK_SIZE: usize = 8;
    /// `u32`: offset of the NUL-terminated name in the strings, [`super::NO_NAME`] if none.
    pub const NAME: usize = 12;
    /// Entry size.
    pub const SIZE: usize = 16;
}

/// Point entry: one per equivalence point, sorted by ID.
pub mod point {
    /// `u64`: the equivalence-point ID (the statepoint ID), the same on every ISA.
    pub const ID: usize = 0;
    /// `u32`: index of the function entry.
    pub const FUNCTION: usize = 8;
    /// `u32`: return address minus the function's address.
    pub const RETURN_OFFSET: usize = 12;
    /// `i32`: CFA = value of the CFA register + this offset.
    pub const CFA_OFFSET: usize = 16;
    /// `u16`: DWARF number of the CFA register.
    pub const CFA_REGISTER: usize = 20;
    /// `u8`: save-rule code (`RULE_*`) of the return address.
    pub const RA_RULE: usize = 22;
    /// `u8`: reserved, zero.
    pub const RESERVED: usize = 23;
    /// `i32`: operand of the return-address rule.
    pub const RA_VALUE: usize = 24;
    /// `u32`: frame size, CFA minus SP at the return address; [`super::UNKNOWN_FRAME_SIZE`]
    /// if not static (dynamic allocas).
    pub const FRAME_SIZE: usize = 28;
    /// `u32`: index of the first saved-register entry.
    pub const FIRST_SAVED: usize = 32;
    /// `u32`: index of the first live-value entry.
    pub const FIRST_LIVE: usize = 36;
    /// `u16`: number of saved-register entries.
    pub const SAVED_COUNT: usize = 40;
    /// `u16`: number of live-value entries.
    pub const LIVE_COUNT: usize = 42;
    /// `u32`: reserved, zero.
    pub const RESERVED_TAIL: usize = 44;
    /// Entry size.
    pub const SIZE: usize = 48;
}

/// Return-address index entry: a `u32` point index; entries sorted by return address.
pub const RA_INDEX_ENTRY_SIZE: usize = 4;

/// Saved-register entry: where a callee-saved register of the caller is kept.
pub mod saved {
    /// `u16`: DWARF register number.
    pub const REGISTER: usize = 0;
    /// `u8`: save-rule code (`RULE_*`).
    pub const RULE: usize = 2;
    /// `u8`: reserved, zero.
    pub const RESERVED: usize = 3;
    /// `i32`: the rule's operand.
    pub const VALUE: usize = 4;
    /// Entry size.
    pub const SIZE: usize = 8;
}

/// Live-value entry: where one live value is at the equivalence point.
pub mod live {
    /// `u8`: [`crate::table::LocationKind`] code.
    pub const LOCATION: usize = 0;
    /// `u8`: [`crate::table::ValueKind`] code.
    pub const VALUE_KIND: usize = 1;
    /// `u16`: size of the value in bytes.
    pub const SIZE_BYTES: usize = 2;
    /// `u16`: DWARF register number (unused for constants).
    pub const REGISTER: usize = 4;
    /// `u16`: reserved, zero.
    pub const RESERVED: usize = 6;
    /// `i64`: offset from the register (direct, indirect) or the constant.
    pub const VALUE: usize = 8;
    /// Entry size.
    pub const SIZE: usize = 16;
}

/// Stack size value meaning "not statically known".
pub const UNKNOWN_STACK_SIZE: u32 = u32::MAX;
/// Frame size meaning "not statically known".
pub const UNKNOWN_FRAME_SIZE: u32 = u32::MAX;
/// Name offset meaning "no name".
pub const NO_NAME: u32 = u32::MAX;

/// Save-rule code: saved in memory at CFA + value.
pub const RULE_AT_CFA_OFFSET: u8 = 1;
/// Save-rule code: held in another register, whose DWARF number is the value.
pub const RULE_IN_REGISTER: u8 = 2;
/// Save-rule code: not saved, still in its own register (the return address of a frame
/// that never saved its link register).
pub const RULE_UNCHANGED: u8 = 3;

/// Rounds `n` up to a multiple of 8 (`None` on overflow).
pub const fn align8(n: usize) -> Option<usize> {
    match n.checked_add(7) {
        Some(m) => Some(m & !7),
        None => None,
    }
}

/// FNV-1a (32-bit) over `bytes`, treating the checksum field as zero.
pub fn checksum(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for (i, &byte) in bytes.iter().enumerate() {
        let in_field = (header::CHECKSUM..header::CHECKSUM + 4).contains(&i);
        hash ^= u32::from(if in_field { 0 } else { byte });
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}
