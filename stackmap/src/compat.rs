//! Cross-ISA checks: a process can migrate between two binaries only if both have the
//! same equivalence points with the same number of live values, of compatible sizes.

use std::fmt;

use het_format::table::{EquivalencePoint, LiveValue, Location, ValueKind};
use het_format::{Isa, TransformTable};

/// How many mismatches an [`Incompatible`] error lists.
pub const MAX_REPORTED: usize = 10;

/// One difference between two ISAs' tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The caller said one ISA, the table says another.
    WrongIsa {
        /// What the caller passed.
        claimed: Isa,
        /// What the table says.
        actual: Isa,
    },
    /// A point exists on one ISA only.
    MissingPoint {
        /// The ID.
        id: u64,
        /// Function holding it where it exists.
        function: String,
        /// An ISA that has it.
        present: Isa,
        /// An ISA that lacks it.
        missing: Isa,
    },
    /// Different numbers of live values.
    LiveCount {
        /// The ID.
        id: u64,
        /// Function holding it (on the first ISA).
        function: String,
        /// The counts on the two ISAs.
        counts: [(Isa, u16); 2],
    },
    /// Live value `index` has incompatible sizes or kinds.
    LiveValue {
        /// The ID.
        id: u64,
        /// Function holding it (on the first ISA).
        function: String,
        /// Index of the value.
        index: usize,
        /// The value on the two ISAs.
        values: [(Isa, LiveValue); 2],
    },
}

fn function_name(point: &EquivalencePoint<'_>) -> String {
    let function = point.function();
    match function.name {
        Some(name) => name.to_owned(),
        None => format!("{:#x}", function.address),
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::WrongIsa { claimed, actual } => {
                write!(f, "the table given as {claimed} describes {actual}")
            }
            Mismatch::MissingPoint {
                id,
                function,
                present,
                missing,
            } => {
                write!(f, "point {id} ({function}) exists on {present} but not on {missing}")
            }
            Mismatch::LiveCount {
                id,
                function,
                counts: [(a, m), (b, n)],
            } => {
                write!(f, "point {id} ({function}): {m} live values on {a}, {n} on {b}")
            }
            Mismatch::LiveValue {
                id,
                function,
                index,
                values: [(a, x), (b, y)],
            } => write!(
                f,
                "point {id} ({function}) live value {index}: {} bytes {} on {a}, {} bytes {} on {b}",
                x.size,
                x.kind.name(),
                y.size,
                y.kind.name()
            ),
        }
    }
}

/// The tables cannot be migrated between: the first mismatches, and how many there are.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Incompatible {
    /// Up to [`MAX_REPORTED`] mismatches, in ID order per ISA pair.
    pub mismatches: Vec<Mismatch>,
    /// How many mismatches were found in all.
    pub total: usize,
}

impl fmt::Display for Incompatible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transform tables are incompatible ({} mismatches", self.total)?;
        if self.total > self.mismatches.len() {
            write!(f, ", first {} shown", self.mismatches.len())?;
        }
        write!(f, ")")?;
        for mismatch in &self.mismatches {
            write!(f, "\n  {mismatch}")?;
        }
        Ok(())
    }
}

#[derive(Default)]
struct Report {
    mismatches: Vec<Mismatch>,
    total: usize,
}

impl Report {
    fn push(&mut self, mismatch: Mismatch) {
        self.total += 1;
        if self.mismatches.len() < MAX_REPORTED {
            self.mismatches.push(mismatch);
        }
    }
}

/// Checks that every ISA's table has the same point IDs, the same number of live
/// values per point, and compatible values: equal sizes (a constant on either side
/// needs no storage and matches anything) and equal kinds where both are known.
/// Each table is compared with the first.
pub fn check_compatible(tables: &[(Isa, &TransformTable<'_>)]) -> Result<(), Incompatible> {
    let mut report = Report::default();
    for &(claimed, table) in tables {
        if table.isa() != claimed {
            report.push(Mismatch::WrongIsa {
                claimed,
                actual: table.isa(),
            });
        }
    }
    if let Some(((first_isa, first), rest)) = tables.split_first() {
        for (isa, table) in rest {
            compare(&mut report, (*first_isa, first), (*isa, table));
        }
    }
    if report.total == 0 {
        Ok(())
    } else {
        Err(Incompatible {
            mismatches: report.mismatches,
            total: report.total,
        })
    }
}

/// Walks both tables' points in ID order (both are sorted by ID).
fn compare(report: &mut Report, (a, ta): (Isa, &TransformTable<'_>), (b, tb): (Isa, &TransformTable<'_>)) {
    let mut left = ta.points().peekable();
    let mut right = tb.points().peekable();
    loop {
        match (left.peek().copied(), right.peek().copied()) {
            (None, None) => return,
            (Some(p), q) if q.is_none_or(|q| p.id() < q.id()) => {
                report.push(missing(&p, a, b));
                left.next();
            }
            (p, Some(q)) if p.is_none_or(|p| q.id() < p.id()) => {
                report.push(missing(&q, b, a));
                right.next();
            }
            (Some(p), Some(q)) => {
                compare_point(report, (a, p), (b, q));
                left.next();
                right.next();
            }
            _ => return,
        }
    }
}

fn missing(point: &EquivalencePoint<'_>, present: Isa, missing: Isa) -> Mismatch {
    Mismatch::MissingPoint {
        id: point.id(),
        function: function_name(point),
        present,
        missing,
    }
}

fn compare_point(report: &mut Report, (a, p): (Isa, EquivalencePoint<'_>), (b, q): (Isa, EquivalencePoint<'_>)) {
    if p.live_count() != q.live_count() {
        report.push(Mismatch::LiveCount {
            id: p.id(),
            function: function_name(&p),
            counts: [(a, p.live_count()), (b, q.live_count())],
        });
        return;
    }
    for (index, (x, y)) in p.live_values().zip(q.live_values()).enumerate() {
        if !values_compatible(&x, &y) {
            report.push(Mismatch::LiveValue {
                id: p.id(),
                function: function_name(&p),
                index,
                values: [(a, x), (b, y)],
            });
        }
    }
}

fn values_compatible(x: &LiveValue, y: &LiveValue) -> bool {
    let constant = |v: &LiveValue| matches!(v.location, Location::Constant(_));
    let sizes = x.size == y.size || constant(x) || constant(y);
    let kinds = x.kind == y.kind || x.kind == ValueKind::Unknown || y.kind == ValueKind::Unknown;
    sizes && kinds
}
