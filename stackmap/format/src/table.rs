//! The transform table: per ISA, for every equivalence point, where each live value is
//! and how to unwind the frame. Written by `het-stackmap` from a linked binary, read
//! here without copying or allocating, by the host tools and by `runtime-lib`.
//!
//! Layout (all little-endian; byte offsets in [`layout`], drawn in `docs/stackmap.md`):
//!
//! ```text
//! header (48)  magic "HETT", version, header size, ISA (ELF e_machine), entry sizes,
//!              counts, strings size, total size, FNV-1a checksum
//! functions    address u64, stack size u32, name u32          (16 bytes each)
//! points       id u64, function u32, return offset u32, CFA rule, RA rule,
//!              frame size, saved/live ranges                   (48 bytes each, by ID)
//! ra index     u32 point indices sorted by return address     (padded to 8)
//! saved        register u16, rule u8, value i32                (8 bytes each)
//! live         location u8, value kind u8, size u16, register u16, value i64 (16 each)
//! strings      NUL-terminated function names                  (padded to 8)
//! ```
//!
//! [`TransformTable::parse`] validates everything once (sizes, checksum, sort orders,
//! ranges, codes), so the accessors after it cannot fail.

pub(crate) mod bytes;
mod dump;
mod entry;
mod error;
pub mod layout;

pub use entry::{FrameRule, Function, LiveValue, Location, LocationKind, SaveRule, SavedRegister, ValueKind};
pub use error::TableError;

use crate::Isa;
use bytes::{i32_at, i64_at, u16_at, u32_at, u64_at, u8_at};

/// Where each section starts, and each entry's stride, from the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Sections {
    functions: usize,
    points: usize,
    ra_index: usize,
    saved: usize,
    live: usize,
    strings: usize,
    total: usize,
    function_stride: usize,
    point_stride: usize,
    saved_stride: usize,
    live_stride: usize,
}

/// A validated, zero-copy view of one ISA's transform table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransformTable<'a> {
    data: &'a [u8],
    isa: Isa,
    function_count: u32,
    point_count: u32,
    saved_count: u32,
    live_count: u32,
    strings_size: u32,
    sections: Sections,
}

/// One equivalence point of a [`TransformTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EquivalencePoint<'a> {
    table: TransformTable<'a>,
    offset: usize,
}

impl<'a> TransformTable<'a> {
    /// Validates `data` as a transform table. Bytes past the header's total size are
    /// ignored (a table may sit in a padded section).
    pub fn parse(data: &'a [u8]) -> Result<TransformTable<'a>, TableError> {
        let table = parse_header(data)?;
        table.validate_functions()?;
        table.validate_entries()?;
        table.validate_points()?;
        table.validate_ra_index()?;
        Ok(table)
    }

    /// The ISA this table describes.
    pub fn isa(&self) -> Isa {
        self.isa
    }

    /// The table's bytes, exactly `total_size` of them.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// Number of equivalence points.
    pub fn point_count(&self) -> u32 {
        self.point_count
    }

    /// Number of functions.
    pub fn function_count(&self) -> u32 {
        self.function_count
    }

    /// The equivalence points, in ID order.
    pub fn points(&self) -> impl Iterator<Item = EquivalencePoint<'a>> + 'a {
        let table = *self;
        (0..self.point_count).map(move |i| table.point_at(i))
    }

    /// The functions, in table order.
    pub fn functions(&self) -> impl Iterator<Item = Function<'a>> + 'a {
        let table = *self;
        (0..self.function_count).map(move |i| table.function(i))
    }

    /// The equivalence point with this ID (binary search).
    pub fn point_by_id(&self, id: u64) -> Option<EquivalencePoint<'a>> {
        let index = binary_search(self.point_count, |i| self.point_at(i).id().cmp(&id))?;
        Some(self.point_at(index))
    }

    /// The equivalence point whose return address is `address` (binary search).
    pub fn point_by_return_address(&self, address: u64) -> Option<EquivalencePoint<'a>> {
        let position = binary_search(self.point_count, |i| {
            self.ra_index_point(i).return_address().cmp(&address)
        })?;
        Some(self.ra_index_point(position))
    }

    /// Function `index` (0 fields if out of range; validated tables never are).
    pub fn function(&self, index: u32) -> Function<'a> {
        let base = self.sections.functions + index as usize * self.sections.function_stride;
        let stack = u32_at(self.data, base + layout::function::STACK_SIZE).unwrap_or(0);
        let name = u32_at(self.data, base + layout::function::NAME).unwrap_or(layout::NO_NAME);
        Function {
            address: u64_at(self.data, base + layout::function::ADDRESS).unwrap_or(0),
            stack_size: (stack != layout::UNKNOWN_STACK_SIZE).then_some(stack),
            name: self.string(name),
        }
    }

    fn point_at(&self, index: u32) -> EquivalencePoint<'a> {
        let offset = self.sections.points + index as usize * self.sections.point_stride;
        EquivalencePoint { table: *self, offset }
    }

    fn ra_index_point(&self, position: u32) -> EquivalencePoint<'a> {
        let at = self.sections.ra_index + position as usize * layout::RA_INDEX_ENTRY_SIZE;
        self.point_at(u32_at(self.data, at).unwrap_or(0))
    }

    fn string(&self, offset: u32) -> Option<&'a str> {
        let start = self.sections.strings.checked_add(offset as usize)?;
        let end = self.sections.strings + self.strings_size as usize;
        let bytes = self.data.get(start..end)?;
        let len = bytes.iter().position(|&b| b == 0)?;
        core::str::from_utf8(bytes.get(..len)?).ok()
    }

    fn saved_register(&self, index: usize) -> SavedRegister {
        let base = self.sections.saved + index * self.sections.saved_stride;
        let code = u8_at(self.data, base + layout::saved::RULE).unwrap_or(0);
        let value = i32_at(self.data, base + layout::saved::VALUE).unwrap_or(0);
        SavedRegister {
            register: u16_at(self.data, base + layout::saved::REGISTER).unwrap_or(0),
            rule: SaveRule::from_fields(code, value).unwrap_or(SaveRule::Unchanged),
        }
    }

    fn live_value(&self, index: usize) -> LiveValue {
        let base = self.sections.live + index * self.sections.live_stride;
        let kind = u8_at(self.data, base + layout::live::LOCATION)
            .and_then(LocationKind::from_code)
            .unwrap_or(LocationKind::Constant);
        let register = u16_at(self.data, base + layout::live::REGISTER).unwrap_or(0);
        let value = i64_at(self.data, base + layout::live::VALUE).unwrap_or(0);
        LiveValue {
            location: Location::new(kind, register, value),
            size: u16_at(self.data, base + layout::live::SIZE_BYTES).unwrap_or(0),
            kind: u8_at(self.data, base + layout::live::VALUE_KIND)
                .and_then(ValueKind::from_code)
                .unwrap_or(ValueKind::Unknown),
        }
    }
}

impl<'a> EquivalencePoint<'a> {
    fn u16(&self, field: usize) -> u16 {
        u16_at(self.table.data, self.offset + field).unwrap_or(0)
    }

    fn u32(&self, field: usize) -> u32 {
        u32_at(self.table.data, self.offset + field).unwrap_or(0)
    }

    fn i32(&self, field: usize) -> i32 {
        i32_at(self.table.data, self.offset + field).unwrap_or(0)
    }

    /// The equivalence-point ID, the same on every ISA.
    pub fn id(&self) -> u64 {
        u64_at(self.table.data, self.offset + layout::point::ID).unwrap_or(0)
    }

    /// Index of the function holding this point.
    pub fn function_index(&self) -> u32 {
        self.u32(layout::point::FUNCTION)
    }

    /// The function holding this point.
    pub fn function(&self) -> Function<'a> {
        self.table.function(self.function_index())
    }

    /// Return address minus the function's address.
    pub fn return_offset(&self) -> u32 {
        self.u32(layout::point::RETURN_OFFSET)
    }

    /// The return address of the call: where the resumed code continues.
    pub fn return_address(&self) -> u64 {
        let address = self.function().address;
        address.wrapping_add(u64::from(self.return_offset()))
    }

    /// How to find the CFA and the return address of this frame.
    pub fn frame(&self) -> FrameRule {
        let code = u8_at(self.table.data, self.offset + layout::point::RA_RULE).unwrap_or(0);
        let value = self.i32(layout::point::RA_VALUE);
        FrameRule {
            cfa_register: self.u16(layout::point::CFA_REGISTER),
            cfa_offset: self.i32(layout::point::CFA_OFFSET),
            return_address: SaveRule::from_fields(code, value).unwrap_or(SaveRule::Unchanged),
            frame_size: match self.u32(layout::point::FRAME_SIZE) {
                layout::UNKNOWN_FRAME_SIZE => None,
                size => Some(size),
            },
        }
    }

    /// The callee-saved registers this frame saved, and where.
    pub fn saved_registers(&self) -> impl ExactSizeIterator<Item = SavedRegister> + 'a {
        let table = self.table;
        let first = self.u32(layout::point::FIRST_SAVED) as usize;
        let count = usize::from(self.u16(layout::point::SAVED_COUNT));
        (first..first.saturating_add(count)).map(move |i| table.saved_register(i))
    }

    /// The live values, in the order the compiler recorded them (the same on every ISA).
    pub fn live_values(&self) -> impl ExactSizeIterator<Item = LiveValue> + 'a {
        let table = self.table;
        let first = self.u32(layout::point::FIRST_LIVE) as usize;
        let count = usize::from(self.u16(layout::point::LIVE_COUNT));
        (first..first.saturating_add(count)).map(move |i| table.live_value(i))
    }

    /// Number of live values.
    pub fn live_count(&self) -> u16 {
        self.u16(layout::point::LIVE_COUNT)
    }
}

/// Binary search over `0..count` for the index where `cmp` says `Equal`.
fn binary_search(count: u32, cmp: impl Fn(u32) -> core::cmp::Ordering) -> Option<u32> {
    let (mut low, mut high) = (0u32, count);
    while low < high {
        let mid = low + (high - low) / 2;
        match cmp(mid) {
            core::cmp::Ordering::Less => low = mid + 1,
            core::cmp::Ordering::Greater => high = mid,
            core::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

mod validate;
use validate::parse_header;
