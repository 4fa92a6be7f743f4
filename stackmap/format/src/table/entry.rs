//! The decoded, `Copy` values a table hands out: locations, live values, frame rules.

use super::layout::{RULE_AT_CFA_OFFSET, RULE_IN_REGISTER, RULE_UNCHANGED};
use crate::isa::DwarfRegister;

/// Where a live value is at an equivalence point (LLVM's stackmap location kinds;
/// `ConstantIndex` is resolved to [`Location::Constant`] when the table is built).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// The value is in a register.
    Register(DwarfRegister),
    /// The value is the address `register + offset` (a stack object's address).
    Direct {
        /// Base register.
        register: DwarfRegister,
        /// Byte offset.
        offset: i64,
    },
    /// The value is in memory at `register + offset` (a spill slot).
    Indirect {
        /// Base register.
        register: DwarfRegister,
        /// Byte offset.
        offset: i64,
    },
    /// The value is this constant; nothing to transfer.
    Constant(i64),
}

/// The table's code for a [`Location`] kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum LocationKind {
    /// [`Location::Register`].
    Register = 1,
    /// [`Location::Direct`].
    Direct = 2,
    /// [`Location::Indirect`].
    Indirect = 3,
    /// [`Location::Constant`].
    Constant = 4,
}

impl LocationKind {
    /// Decodes a location code.
    pub const fn from_code(code: u8) -> Option<LocationKind> {
        match code {
            1 => Some(LocationKind::Register),
            2 => Some(LocationKind::Direct),
            3 => Some(LocationKind::Indirect),
            4 => Some(LocationKind::Constant),
            _ => None,
        }
    }
}

impl Location {
    /// Builds a location from its table fields.
    pub const fn new(kind: LocationKind, register: DwarfRegister, value: i64) -> Location {
        match kind {
            LocationKind::Register => Location::Register(register),
            LocationKind::Direct => Location::Direct {
                register,
                offset: value,
            },
            LocationKind::Indirect => Location::Indirect {
                register,
                offset: value,
            },
            LocationKind::Constant => Location::Constant(value),
        }
    }

    /// The table fields of this location: kind, register, value.
    pub const fn fields(self) -> (LocationKind, DwarfRegister, i64) {
        match self {
            Location::Register(register) => (LocationKind::Register, register, 0),
            Location::Direct { register, offset } => (LocationKind::Direct, register, offset),
            Location::Indirect { register, offset } => (LocationKind::Indirect, register, offset),
            Location::Constant(value) => (LocationKind::Constant, 0, value),
        }
    }
}

/// What a live value holds, when the compiler said so (docs/stackmap.md, "value kinds").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ValueKind {
    /// Not recorded.
    Unknown = 0,
    /// An integer: copied bit for bit.
    Integer = 1,
    /// A floating-point value: copied bit for bit, but lives in FP registers.
    Float = 2,
    /// A pointer: copied bit for bit (one address space); a pointer into the stack
    /// would need fixing, which hetcc avoids by keeping address-taken memory off it.
    Pointer = 3,
}

impl ValueKind {
    /// Decodes a value-kind code.
    pub const fn from_code(code: u8) -> Option<ValueKind> {
        match code {
            0 => Some(ValueKind::Unknown),
            1 => Some(ValueKind::Integer),
            2 => Some(ValueKind::Float),
            3 => Some(ValueKind::Pointer),
            _ => None,
        }
    }

    /// A short name for dumps.
    pub const fn name(self) -> &'static str {
        match self {
            ValueKind::Unknown => "unknown",
            ValueKind::Integer => "int",
            ValueKind::Float => "float",
            ValueKind::Pointer => "ptr",
        }
    }
}

/// One value live across an equivalence point, where the resumed code reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LiveValue {
    /// Where it is.
    pub location: Location,
    /// Its size in bytes (for a register: the size LLVM recorded, the spill size).
    pub size: u16,
    /// What it holds, if known.
    pub kind: ValueKind,
}

/// How to recover a register's (or the return address's) value in the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SaveRule {
    /// Saved in memory at CFA + offset.
    AtCfaOffset(i32),
    /// Held in another register.
    InRegister(DwarfRegister),
    /// Not saved: still in its own register.
    Unchanged,
}

impl SaveRule {
    /// Builds a rule from its table fields.
    pub const fn from_fields(code: u8, value: i32) -> Option<SaveRule> {
        match code {
            RULE_AT_CFA_OFFSET => Some(SaveRule::AtCfaOffset(value)),
            RULE_IN_REGISTER if value >= 0 && value <= u16::MAX as i32 => {
                Some(SaveRule::InRegister(value as DwarfRegister))
            }
            RULE_UNCHANGED => Some(SaveRule::Unchanged),
            _ => None,
        }
    }

    /// The table fields of this rule: code and operand.
    pub const fn fields(self) -> (u8, i32) {
        match self {
            SaveRule::AtCfaOffset(offset) => (RULE_AT_CFA_OFFSET, offset),
            SaveRule::InRegister(register) => (RULE_IN_REGISTER, register as i32),
            SaveRule::Unchanged => (RULE_UNCHANGED, 0),
        }
    }
}

/// A callee-saved register that this frame saved, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SavedRegister {
    /// The register (DWARF number).
    pub register: DwarfRegister,
    /// Where the caller's value of it is.
    pub rule: SaveRule,
}

/// How to find a frame's canonical frame address (CFA) and return address at an
/// equivalence point. The CFA is the caller's stack pointer before the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FrameRule {
    /// CFA = value of this register ...
    pub cfa_register: DwarfRegister,
    /// ... plus this offset.
    pub cfa_offset: i32,
    /// Where the return address into the caller is.
    pub return_address: SaveRule,
    /// CFA minus the stack pointer at the return address, `None` if not static. With an
    /// SP-based CFA it equals `cfa_offset`; with an FP-based one it is what locates the
    /// SP-relative live values of a frame being built on the destination.
    pub frame_size: Option<u32>,
}

/// A function holding equivalence points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Function<'a> {
    /// Its address (the same on every ISA in an aligned build).
    pub address: u64,
    /// LLVM's static frame size, `None` if dynamic.
    pub stack_size: Option<u32>,
    /// Its symbol name, if the table carries one.
    pub name: Option<&'a str>,
}
