//! The one-time validation behind [`TransformTable::parse`]: after it, every read the
//! accessors make is in bounds and every code decodes.

use super::bytes::{i32_at, u16_at, u32_at, u8_at};
use super::layout::{self, align8, header};
use super::{LocationKind, SaveRule, Sections, TableError, TransformTable, ValueKind};
use crate::Isa;

fn truncated(needed: usize, actual: usize) -> TableError {
    TableError::Truncated {
        needed: needed as u64,
        actual: actual as u64,
    }
}

fn field_u16(data: &[u8], offset: usize) -> Result<u16, TableError> {
    u16_at(data, offset).ok_or(truncated(offset + 2, data.len()))
}

fn field_u32(data: &[u8], offset: usize) -> Result<u32, TableError> {
    u32_at(data, offset).ok_or(truncated(offset + 4, data.len()))
}

fn stride(data: &[u8], field: usize, minimum: usize) -> Result<usize, TableError> {
    let size = usize::from(u8_at(data, field).ok_or(truncated(field + 1, data.len()))?);
    if size < minimum {
        return Err(TableError::EntryTooSmall);
    }
    Ok(size)
}

fn zero(data: &[u8], offset: usize, width: usize) -> Result<(), TableError> {
    let field = data
        .get(offset..offset + width)
        .ok_or(truncated(offset + width, data.len()))?;
    if field.iter().any(|&b| b != 0) {
        return Err(TableError::NonZeroReserved { offset: offset as u64 });
    }
    Ok(())
}

/// Size of a section of `count` entries of `stride` bytes, starting 8-aligned.
fn section_end(start: usize, count: u32, stride: usize) -> Option<usize> {
    start.checked_add((count as usize).checked_mul(stride)?)
}

/// Checks the header, computes the section offsets and checks size and checksum.
pub(super) fn parse_header(data: &[u8]) -> Result<TransformTable<'_>, TableError> {
    if data.len() < header::SIZE {
        return Err(truncated(header::SIZE, data.len()));
    }
    if data.get(..4) != Some(&layout::MAGIC[..]) {
        return Err(TableError::BadMagic);
    }
    let version = field_u16(data, header::VERSION)?;
    if version != layout::VERSION {
        return Err(TableError::UnsupportedVersion(version));
    }
    let header_size = usize::from(field_u16(data, header::HEADER_SIZE)?);
    if header_size < header::SIZE || header_size % 8 != 0 {
        return Err(TableError::EntryTooSmall);
    }
    let machine = field_u16(data, header::MACHINE)?;
    let isa = Isa::from_elf_machine(machine).ok_or(TableError::UnknownMachine(machine))?;
    zero(data, header::FLAGS, 2)?;
    zero(data, header::RESERVED, 4)?;
    let counts = [
        field_u32(data, header::FUNCTION_COUNT)?,
        field_u32(data, header::POINT_COUNT)?,
        field_u32(data, header::SAVED_COUNT)?,
        field_u32(data, header::LIVE_COUNT)?,
    ];
    let strings_size = field_u32(data, header::STRINGS_SIZE)?;
    let sections = sections(data, header_size, counts, strings_size)?;
    let stated = field_u32(data, header::TOTAL_SIZE)? as usize;
    if stated != sections.total {
        return Err(TableError::SizeMismatch {
            expected: sections.total as u64,
            stated: stated as u64,
        });
    }
    let data = data.get(..stated).ok_or(truncated(stated, data.len()))?;
    let stated_sum = field_u32(data, header::CHECKSUM)?;
    let computed = layout::checksum(data);
    if stated_sum != computed {
        return Err(TableError::ChecksumMismatch {
            stated: stated_sum,
            computed,
        });
    }
    let [function_count, point_count, saved_count, live_count] = counts;
    Ok(TransformTable {
        data,
        isa,
        function_count,
        point_count,
        saved_count,
        live_count,
        strings_size,
        sections,
    })
}

fn sections(
    data: &[u8],
    header_size: usize,
    [functions, points, saved, live]: [u32; 4],
    strings_size: u32,
) -> Result<Sections, TableError> {
    let function_stride = stride(data, header::FUNCTION_ENTRY_SIZE, layout::function::SIZE)?;
    let point_stride = stride(data, header::POINT_ENTRY_SIZE, layout::point::SIZE)?;
    let saved_stride = stride(data, header::SAVED_ENTRY_SIZE, layout::saved::SIZE)?;
    let live_stride = stride(data, header::LIVE_ENTRY_SIZE, layout::live::SIZE)?;
    let overflow = TableError::SizeMismatch {
        expected: u64::MAX,
        stated: 0,
    };
    let next =
        |start: usize, count: u32, stride: usize| section_end(start, count, stride).and_then(align8).ok_or(overflow);
    let functions_at = header_size;
    let points_at = next(functions_at, functions, function_stride)?;
    let ra_index_at = next(points_at, points, point_stride)?;
    let saved_at = next(ra_index_at, points, layout::RA_INDEX_ENTRY_SIZE)?;
    let live_at = next(saved_at, saved, saved_stride)?;
    let strings_at = next(live_at, live, live_stride)?;
    let total = next(strings_at, strings_size, 1)?;
    Ok(Sections {
        functions: functions_at,
        points: points_at,
        ra_index: ra_index_at,
        saved: saved_at,
        live: live_at,
        strings: strings_at,
        total,
        function_stride,
        point_stride,
        saved_stride,
        live_stride,
    })
}

impl TransformTable<'_> {
    pub(super) fn validate_functions(&self) -> Result<(), TableError> {
        for index in 0..self.function_count {
            let base = self.sections.functions + index as usize * self.sections.function_stride;
            let name = u32_at(self.data, base + layout::function::NAME).unwrap_or(0);
            if name != layout::NO_NAME && self.string(name).is_none() {
                return Err(TableError::BadName { function: index });
            }
        }
        Ok(())
    }

    /// Saved-register and live-value entries: codes known, reserved fields zero.
    pub(super) fn validate_entries(&self) -> Result<(), TableError> {
        for index in 0..self.saved_count as usize {
            let base = self.sections.saved + index * self.sections.saved_stride;
            let code_at = base + layout::saved::RULE;
            let code = u8_at(self.data, code_at).unwrap_or(0);
            let value = i32_at(self.data, base + layout::saved::VALUE).unwrap_or(0);
            if SaveRule::from_fields(code, value).is_none() {
                return Err(TableError::BadCode {
                    offset: code_at as u64,
                    code,
                });
            }
            zero(self.data, base + layout::saved::RESERVED, 1)?;
        }
        for index in 0..self.live_count as usize {
            let base = self.sections.live + index * self.sections.live_stride;
            code(self.data, base + layout::live::LOCATION, |c| {
                LocationKind::from_code(c).is_some()
            })?;
            code(self.data, base + layout::live::VALUE_KIND, |c| {
                ValueKind::from_code(c).is_some()
            })?;
            zero(self.data, base + layout::live::RESERVED, 2)?;
        }
        Ok(())
    }

    /// Points: strictly increasing IDs, existing functions, ranges in bounds, RA rule.
    pub(super) fn validate_points(&self) -> Result<(), TableError> {
        let mut previous: Option<u64> = None;
        for index in 0..self.point_count {
            let point = self.point_at(index);
            let id = point.id();
            if previous.is_some_and(|p| p >= id) {
                return Err(TableError::PointsNotSorted { index });
            }
            previous = Some(id);
            if point.function_index() >= self.function_count {
                return Err(TableError::FunctionOutOfRange { point: index });
            }
            let saved =
                u64::from(point.u32(layout::point::FIRST_SAVED)) + u64::from(point.u16(layout::point::SAVED_COUNT));
            let live =
                u64::from(point.u32(layout::point::FIRST_LIVE)) + u64::from(point.u16(layout::point::LIVE_COUNT));
            if saved > u64::from(self.saved_count) || live > u64::from(self.live_count) {
                return Err(TableError::RangeOutOfBounds { point: index });
            }
            let rule_at = point.offset + layout::point::RA_RULE;
            let rule = u8_at(self.data, rule_at).unwrap_or(0);
            if SaveRule::from_fields(rule, point.i32(layout::point::RA_VALUE)).is_none() {
                return Err(TableError::BadCode {
                    offset: rule_at as u64,
                    code: rule,
                });
            }
            zero(self.data, point.offset + layout::point::RESERVED, 1)?;
            zero(self.data, point.offset + layout::point::RESERVED_TAIL, 4)?;
            let function = point.function().address;
            if function.checked_add(u64::from(point.return_offset())).is_none() {
                return Err(TableError::AddressOverflow { point: index });
            }
        }
        Ok(())
    }

    /// The return-address index: valid point indices, strictly increasing addresses
    /// (which also makes it a permutation of the points).
    pub(super) fn validate_ra_index(&self) -> Result<(), TableError> {
        let mut previous: Option<u64> = None;
        for position in 0..self.point_count {
            let at = self.sections.ra_index + position as usize * layout::RA_INDEX_ENTRY_SIZE;
            let point = u32_at(self.data, at).unwrap_or(u32::MAX);
            if point >= self.point_count {
                return Err(TableError::ReturnIndexInvalid { index: position });
            }
            let address = self.point_at(point).return_address();
            if previous.is_some_and(|p| p >= address) {
                return Err(TableError::ReturnIndexInvalid { index: position });
            }
            previous = Some(address);
        }
        Ok(())
    }
}

fn code(data: &[u8], offset: usize, known: impl Fn(u8) -> bool) -> Result<(), TableError> {
    let code = u8_at(data, offset).unwrap_or(0);
    if known(code) {
        Ok(())
    } else {
        Err(TableError::BadCode {
            offset: offset as u64,
            code,
        })
    }
}
