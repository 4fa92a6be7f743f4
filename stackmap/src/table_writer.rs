//! Encoding a [`TableData`] in the `het-format` layout (`het_format::table::layout`).

use het_format::table::layout::{self, header, NO_NAME, UNKNOWN_STACK_SIZE};
use het_format::table::{LiveValue, SavedRegister};

use crate::error::Error;
use crate::table_builder::{PointData, TableData};

fn put(out: &mut [u8], offset: usize, bytes: &[u8]) {
    if let Some(slot) = out.get_mut(offset..offset + bytes.len()) {
        slot.copy_from_slice(bytes);
    }
}

fn count(n: usize, what: &'static str) -> Result<u32, Error> {
    u32::try_from(n).map_err(|_| Error::TooLarge(what))
}

fn pad8(n: usize) -> usize {
    (n + 7) & !7
}

impl TableData {
    /// Encodes the table. Points are written in ID order and must have distinct IDs
    /// and distinct return addresses (the builder guarantees both).
    pub fn encode(&self) -> Result<Vec<u8>, Error> {
        let mut points: Vec<&PointData> = self.points.iter().collect();
        points.sort_by_key(|p| p.id);
        let strings = self.strings();
        let saved_total: usize = points.iter().map(|p| p.saved.len()).sum();
        let live_total: usize = points.iter().map(|p| p.live.len()).sum();
        let functions_at = header::SIZE;
        let points_at = pad8(functions_at + self.functions.len() * layout::function::SIZE);
        let ra_at = pad8(points_at + points.len() * layout::point::SIZE);
        let saved_at = pad8(ra_at + points.len() * layout::RA_INDEX_ENTRY_SIZE);
        let live_at = pad8(saved_at + saved_total * layout::saved::SIZE);
        let strings_at = pad8(live_at + live_total * layout::live::SIZE);
        let total = pad8(strings_at + strings.bytes.len());
        let mut out = vec![0u8; total];
        self.write_header(&mut out, &points, saved_total, live_total, strings.bytes.len(), total)?;
        for (i, function) in self.functions.iter().enumerate() {
            let at = functions_at + i * layout::function::SIZE;
            let stack = function.stack_size.unwrap_or(UNKNOWN_STACK_SIZE);
            put(
                &mut out,
                at + layout::function::ADDRESS,
                &function.address.to_le_bytes(),
            );
            put(&mut out, at + layout::function::STACK_SIZE, &stack.to_le_bytes());
            put(
                &mut out,
                at + layout::function::NAME,
                &strings.offsets.get(i).copied().unwrap_or(NO_NAME).to_le_bytes(),
            );
        }
        let (mut saved_next, mut live_next) = (0usize, 0usize);
        for (i, point) in points.iter().enumerate() {
            let at = points_at + i * layout::point::SIZE;
            write_point(&mut out, at, point, saved_next, live_next)?;
            for (j, saved) in point.saved.iter().enumerate() {
                write_saved(&mut out, saved_at + (saved_next + j) * layout::saved::SIZE, saved);
            }
            for (j, live) in point.live.iter().enumerate() {
                write_live(&mut out, live_at + (live_next + j) * layout::live::SIZE, live);
            }
            saved_next += point.saved.len();
            live_next += point.live.len();
        }
        let mut by_address: Vec<(u64, u32)> = Vec::with_capacity(points.len());
        for (i, point) in points.iter().enumerate() {
            by_address.push((self.return_address(point), count(i, "points")?));
        }
        by_address.sort_unstable();
        for (position, (_, index)) in by_address.iter().enumerate() {
            put(
                &mut out,
                ra_at + position * layout::RA_INDEX_ENTRY_SIZE,
                &index.to_le_bytes(),
            );
        }
        put(&mut out, strings_at, &strings.bytes);
        let sum = layout::checksum(&out);
        put(&mut out, header::CHECKSUM, &sum.to_le_bytes());
        Ok(out)
    }

    pub(crate) fn return_address(&self, point: &PointData) -> u64 {
        let function = self.functions.get(point.function as usize).map_or(0, |f| f.address);
        function.wrapping_add(point.return_offset.into())
    }

    fn write_header(
        &self,
        out: &mut [u8],
        points: &[&PointData],
        saved: usize,
        live: usize,
        strings: usize,
        total: usize,
    ) -> Result<(), Error> {
        put(out, header::MAGIC, &layout::MAGIC);
        put(out, header::VERSION, &layout::VERSION.to_le_bytes());
        put(out, header::HEADER_SIZE, &(header::SIZE as u16).to_le_bytes());
        put(out, header::MACHINE, &self.isa.elf_machine().to_le_bytes());
        let sizes = [
            layout::function::SIZE,
            layout::point::SIZE,
            layout::saved::SIZE,
            layout::live::SIZE,
        ];
        put(out, header::FUNCTION_ENTRY_SIZE, &sizes.map(|s| s as u8));
        put(
            out,
            header::FUNCTION_COUNT,
            &count(self.functions.len(), "functions")?.to_le_bytes(),
        );
        put(out, header::POINT_COUNT, &count(points.len(), "points")?.to_le_bytes());
        put(
            out,
            header::SAVED_COUNT,
            &count(saved, "saved registers")?.to_le_bytes(),
        );
        put(out, header::LIVE_COUNT, &count(live, "live values")?.to_le_bytes());
        put(out, header::STRINGS_SIZE, &count(strings, "names")?.to_le_bytes());
        put(out, header::TOTAL_SIZE, &count(total, "table")?.to_le_bytes());
        Ok(())
    }

    fn strings(&self) -> Strings {
        let mut strings = Strings {
            bytes: Vec::new(),
            offsets: Vec::new(),
        };
        for function in &self.functions {
            let offset = match &function.name {
                Some(name) if !name.contains('\0') => {
                    let offset = u32::try_from(strings.bytes.len()).unwrap_or(NO_NAME);
                    strings.bytes.extend_from_slice(name.as_bytes());
                    strings.bytes.push(0);
                    offset
                }
                _ => NO_NAME,
            };
            strings.offsets.push(offset);
        }
        strings
    }
}

struct Strings {
    bytes: Vec<u8>,
    offsets: Vec<u32>,
}

fn write_point(
    out: &mut [u8],
    at: usize,
    point: &PointData,
    first_saved: usize,
    first_live: usize,
) -> Result<(), Error> {
    use layout::point as p;
    let (ra_code, ra_value) = point.frame.return_address.fields();
    let saved = u16::try_from(point.saved.len()).map_err(|_| Error::TooLarge("saved registers per point"))?;
    let live = u16::try_from(point.live.len()).map_err(|_| Error::TooLarge("live values per point"))?;
    put(out, at + p::ID, &point.id.to_le_bytes());
    put(out, at + p::FUNCTION, &point.function.to_le_bytes());
    put(out, at + p::RETURN_OFFSET, &point.return_offset.to_le_bytes());
    put(out, at + p::CFA_OFFSET, &point.frame.cfa_offset.to_le_bytes());
    put(out, at + p::CFA_REGISTER, &point.frame.cfa_register.to_le_bytes());
    put(out, at + p::RA_RULE, &[ra_code]);
    put(out, at + p::RA_VALUE, &ra_value.to_le_bytes());
    let frame_size = point.frame.frame_size.unwrap_or(layout::UNKNOWN_FRAME_SIZE);
    put(out, at + p::FRAME_SIZE, &frame_size.to_le_bytes());
    put(
        out,
        at + p::FIRST_SAVED,
        &count(first_saved, "saved registers")?.to_le_bytes(),
    );
    put(
        out,
        at + p::FIRST_LIVE,
        &count(first_live, "live values")?.to_le_bytes(),
    );
    put(out, at + p::SAVED_COUNT, &saved.to_le_bytes());
    put(out, at + p::LIVE_COUNT, &live.to_le_bytes());
    Ok(())
}

fn write_saved(out: &mut [u8], at: usize, saved: &SavedRegister) {
    let (code, value) = saved.rule.fields();
    put(out, at + layout::saved::REGISTER, &saved.register.to_le_bytes());
    put(out, at + layout::saved::RULE, &[code]);
    put(out, at + layout::saved::VALUE, &value.to_le_bytes());
}

fn write_live(out: &mut [u8], at: usize, live: &LiveValue) {
    let (kind, register, value) = live.location.fields();
    put(out, at + layout::live::LOCATION, &[kind as u8]);
    put(out, at + layout::live::VALUE_KIND, &[live.kind as u8]);
    put(out, at + layout::live::SIZE_BYTES, &live.size.to_le_bytes());
    put(out, at + layout::live::REGISTER, &register.to_le_bytes());
    put(out, at + layout::live::VALUE, &value.to_le_bytes());
}
