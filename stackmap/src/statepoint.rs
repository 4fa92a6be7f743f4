//! Reading a stackmap record as a statepoint, and the value-kind convention.
//!
//! A `gc.statepoint` record's locations are (LLVM `StackMaps::parseStatepointOpers`):
//!
//! ```text
//! [0] Constant calling convention
//! [1] Constant statepoint flags
//! [2] Constant N = number of deopt operands
//! [3 .. 3+N]  the "deopt" bundle's operands
//! then one (base, derived) pair per gc.relocate: the "gc-live" values
//! ```
//!
//! (gc allocas would follow the pairs; hetcc passes none, so the rest must pair up.)
//! The derived location of each pair is where the code after the call reads the
//! relocated value: the resume location an equivalence point needs (design.md §2).

use het_format::table::ValueKind;

use crate::llvm::{Location, LocationKind, Record, StackMapSection};

/// Why a record is not a statepoint hetcc can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatepointError {
    /// Fewer than the three header constants.
    #[error("fewer than 3 locations: not a statepoint (a plain stackmap or patchpoint?)")]
    TooFewLocations,
    /// A header location is not a constant.
    #[error("location {0} should be a constant statepoint header field")]
    HeaderNotConstant(u16),
    /// The deopt count runs past the locations.
    #[error("{deopt} deopt operands do not fit in {locations} locations")]
    DeoptOverrun {
        /// The deopt count.
        deopt: i64,
        /// NumLocations.
        locations: u16,
    },
    /// An odd number of gc locations: not base/derived pairs (gc allocas?).
    #[error("{0} gc-live locations do not form (base, derived) pairs")]
    UnpairedGcLocations(u16),
}

/// A record read as a statepoint.
#[derive(Clone, Copy, Debug)]
pub struct Statepoint<'a> {
    record: Record<'a>,
    section: StackMapSection<'a>,
    deopt_count: u16,
}

const HEADER: u16 = 3;

impl<'a> Statepoint<'a> {
    /// Reads `record` (of `section`) as a statepoint.
    pub fn parse(section: StackMapSection<'a>, record: Record<'a>) -> Result<Statepoint<'a>, StatepointError> {
        let locations = record.num_locations();
        if locations < HEADER {
            return Err(StatepointError::TooFewLocations);
        }
        let mut header = [0i64; 3];
        for (i, slot) in (0..HEADER).zip(header.iter_mut()) {
            let location = record.location(i).ok_or(StatepointError::TooFewLocations)?;
            *slot = location
                .constant(&section)
                .ok_or(StatepointError::HeaderNotConstant(i))?;
        }
        let deopt = header[2];
        let deopt_count = u16::try_from(deopt)
            .ok()
            .filter(|&n| n <= locations - HEADER)
            .ok_or(StatepointError::DeoptOverrun { deopt, locations })?;
        let gc = locations - HEADER - deopt_count;
        if !gc.is_multiple_of(2) {
            return Err(StatepointError::UnpairedGcLocations(gc));
        }
        Ok(Statepoint {
            record,
            section,
            deopt_count,
        })
    }

    /// The underlying record.
    pub fn record(&self) -> Record<'a> {
        self.record
    }

    /// The statepoint flags (header location 1).
    pub fn flags(&self) -> i64 {
        self.header(1)
    }

    /// The calling convention (header location 0).
    pub fn calling_convention(&self) -> i64 {
        self.header(0)
    }

    fn header(&self, index: u16) -> i64 {
        self.record
            .location(index)
            .and_then(|l| l.constant(&self.section))
            .unwrap_or(0)
    }

    /// The "deopt" operands' locations.
    pub fn deopt(&self) -> impl ExactSizeIterator<Item = Location> + 'a {
        self.record
            .locations()
            .skip(HEADER.into())
            .take(self.deopt_count.into())
    }

    /// The gc-live (base, derived) location pairs.
    pub fn gc_pairs(&self) -> impl Iterator<Item = (Location, Location)> + 'a {
        let mut gc = self.record.locations().skip(usize::from(HEADER + self.deopt_count));
        core::iter::from_fn(move || Some((gc.next()?, gc.next()?)))
    }

    /// Number of gc-live pairs.
    pub fn gc_count(&self) -> u16 {
        (self.record.num_locations() - HEADER - self.deopt_count) / 2
    }

    /// The kinds of the gc-live values, from the descriptors `passes::equivalence`
    /// writes into the `"deopt"` bundle (docs/equivalence-points.md, "Descriptors"):
    /// `[DESCRIPTOR_FORMAT = 1, descriptor of gc pair 0, …]`, descriptor =
    /// `kind | bits << 8` with kind 0 integer, 1 floating point, 2 pointer. A record
    /// in any other shape has every kind [`ValueKind::Unknown`].
    pub fn value_kinds(&self) -> Vec<ValueKind> {
        let unknown = vec![ValueKind::Unknown; usize::from(self.gc_count())];
        let mut deopt = self.deopt();
        let tagged = deopt
            .next()
            .is_some_and(|first| constant(first) == Some(DESCRIPTOR_FORMAT));
        if !tagged || self.deopt_count != self.gc_count() + 1 {
            return unknown;
        }
        let kinds: Option<Vec<ValueKind>> = deopt.map(descriptor).collect();
        kinds.unwrap_or(unknown)
    }
}

/// The first deopt constant of a record whose deopt bundle holds value descriptors.
const DESCRIPTOR_FORMAT: i64 = 1;

fn constant(location: Location) -> Option<i64> {
    (location.kind == LocationKind::Constant).then_some(i64::from(location.offset))
}

fn descriptor(location: Location) -> Option<ValueKind> {
    match constant(location)? & 0xff {
        0 => Some(ValueKind::Integer),
        1 => Some(ValueKind::Float),
        2 => Some(ValueKind::Pointer),
        _ => None,
    }
}
