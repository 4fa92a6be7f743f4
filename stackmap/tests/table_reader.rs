//! The reader's structural checks, one per invariant: take a valid table, break one
//! field, re-seal the checksum, expect the precise error.

mod common;

use het_format::table::layout::{self, checksum, header};
use het_format::table::{FrameRule, LiveValue, Location, SaveRule, SavedRegister, TableError, ValueKind};
use het_format::{Isa, TransformTable};
use het_stackmap::{FunctionData, PointData, TableData};

fn reseal(bytes: &mut [u8]) {
    let sum = checksum(bytes);
    bytes[header::CHECKSUM..header::CHECKSUM + 4].copy_from_slice(&sum.to_le_bytes());
}

fn put(bytes: &mut [u8], at: usize, value: &[u8]) {
    bytes[at..at + value.len()].copy_from_slice(value);
    reseal(bytes);
}

/// Offsets of the sections of a table encoded by the writer (all entry sizes minimal).
struct At {
    functions: usize,
    points: usize,
    ra_index: usize,
    saved: usize,
    live: usize,
}

fn sections(data: &TableData) -> At {
    let pad = |n: usize| (n + 7) & !7;
    let functions = header::SIZE;
    let points = pad(functions + data.functions.len() * layout::function::SIZE);
    let ra_index = pad(points + data.points.len() * layout::point::SIZE);
    let saved = pad(ra_index + data.points.len() * 4);
    let total_saved: usize = data.points.iter().map(|p| p.saved.len()).sum();
    let live = pad(saved + total_saved * layout::saved::SIZE);
    At {
        functions,
        points,
        ra_index,
        saved,
        live,
    }
}

/// A synthetic table using every location kind and save rule.
fn synthetic() -> TableData {
    let frame = |size| FrameRule {
        cfa_register: 29,
        cfa_offset: 16,
        return_address: SaveRule::AtCfaOffset(-8),
        frame_size: size,
    };
    let live = |location, kind| LiveValue {
        location,
        size: 8,
        kind,
    };
    TableData {
        isa: Isa::Aarch64,
        functions: vec![
            FunctionData {
                address: 0x1000,
                stack_size: Some(32),
                name: Some("f".into()),
            },
            FunctionData {
                address: 0x2000,
                stack_size: None,
                name: None,
            },
        ],
        points: vec![
            PointData {
                id: 9,
                function: 1,
                return_offset: 4,
                frame: frame(None),
                saved: vec![SavedRegister {
                    register: 19,
                    rule: SaveRule::InRegister(9),
                }],
                live: vec![
                    live(Location::Register(19), ValueKind::Integer),
                    live(
                        Location::Direct {
                            register: 31,
                            offset: 16,
                        },
                        ValueKind::Pointer,
                    ),
                ],
            },
            PointData {
                id: 5,
                function: 0,
                return_offset: 0x20,
                frame: frame(Some(32)),
                saved: vec![SavedRegister {
                    register: 29,
                    rule: SaveRule::AtCfaOffset(-16),
                }],
                live: vec![
                    live(
                        Location::Indirect {
                            register: 29,
                            offset: -24,
                        },
                        ValueKind::Float,
                    ),
                    live(Location::Constant(-1 << 40), ValueKind::Unknown),
                ],
            },
        ],
    }
}

#[test]
fn synthetic_round_trip_and_lookups() {
    let mut data = synthetic();
    let bytes = data.encode().unwrap();
    let table = TransformTable::parse(&bytes).unwrap();
    data.points.sort_by_key(|p| p.id);
    assert_eq!(TableData::from_table(&table), data);
    assert_eq!(table.point_by_return_address(0x1020).unwrap().id(), 5);
    assert_eq!(table.point_by_return_address(0x2004).unwrap().id(), 9);
    assert_eq!(table.function(1).name, None);
    insta::assert_snapshot!(table.to_string());
}

#[test]
fn empty_table_is_valid() {
    let bytes = TableData {
        isa: Isa::Riscv64,
        functions: vec![],
        points: vec![],
    }
    .encode()
    .unwrap();
    assert_eq!(bytes.len(), header::SIZE);
    let table = TransformTable::parse(&bytes).unwrap();
    assert_eq!((table.isa(), table.point_count()), (Isa::Riscv64, 0));
    assert!(table.point_by_id(0).is_none() && table.point_by_return_address(0).is_none());
}

#[test]
fn trailing_bytes_are_ignored() {
    let mut bytes = synthetic().encode().unwrap();
    let len = bytes.len();
    bytes.extend_from_slice(&[0xaa; 24]);
    assert_eq!(TransformTable::parse(&bytes).unwrap().as_bytes().len(), len);
}

fn error_after(edit: impl FnOnce(&mut Vec<u8>, &At)) -> TableError {
    let data = synthetic();
    let mut bytes = data.encode().unwrap();
    edit(&mut bytes, &sections(&data));
    TransformTable::parse(&bytes).unwrap_err()
}

#[test]
fn header_errors() {
    assert_eq!(
        error_after(|b, _| b.truncate(47)),
        TableError::Truncated { needed: 48, actual: 47 }
    );
    assert_eq!(error_after(|b, _| b[0] = b'X'), TableError::BadMagic);
    assert_eq!(
        error_after(|b, _| put(b, header::VERSION, &[2, 0])),
        TableError::UnsupportedVersion(2)
    );
    assert_eq!(
        error_after(|b, _| put(b, header::MACHINE, &[3, 0])),
        TableError::UnknownMachine(3)
    );
    assert_eq!(
        error_after(|b, _| put(b, header::POINT_ENTRY_SIZE, &[39])),
        TableError::EntryTooSmall
    );
    assert_eq!(
        error_after(|b, _| put(b, header::FLAGS, &[1, 0])),
        TableError::NonZeroReserved {
            offset: header::FLAGS as u64
        }
    );
    assert!(matches!(
        error_after(|b, _| put(b, header::LIVE_COUNT, &[9, 0, 0, 0])),
        TableError::SizeMismatch { .. }
    ));
    assert!(matches!(
        error_after(|b, _| {
            let n = b.len();
            b.truncate(n - 8)
        }),
        TableError::Truncated { .. }
    ));
    assert!(matches!(
        error_after(|b, _| b[60] ^= 1),
        TableError::ChecksumMismatch { .. }
    ));
}

#[test]
fn structure_errors() {
    use layout::point as p;
    assert_eq!(
        error_after(|b, at| put(b, at.points + p::ID, &10u64.to_le_bytes())),
        TableError::PointsNotSorted { index: 1 }
    );
    assert_eq!(
        error_after(|b, at| put(b, at.points + p::FUNCTION, &[2, 0, 0, 0])),
        TableError::FunctionOutOfRange { point: 0 }
    );
    assert_eq!(
        error_after(|b, at| put(b, at.points + p::LIVE_COUNT, &[5, 0])),
        TableError::RangeOutOfBounds { point: 0 }
    );
    assert_eq!(
        error_after(|b, at| put(b, at.ra_index, &[1, 0, 0, 0])),
        TableError::ReturnIndexInvalid { index: 1 }
    );
    assert_eq!(
        error_after(|b, at| put(b, at.ra_index, &[7, 0, 0, 0])),
        TableError::ReturnIndexInvalid { index: 0 }
    );
    let live_kind = |at: &At| at.live + layout::live::LOCATION;
    assert!(matches!(
        error_after(|b, at| put(b, live_kind(at), &[5])),
        TableError::BadCode { code: 5, .. }
    ));
    assert!(matches!(
        error_after(|b, at| put(b, at.saved + layout::saved::RULE, &[4])),
        TableError::BadCode { code: 4, .. }
    ));
    assert_eq!(
        error_after(|b, at| put(b, at.functions + layout::function::NAME, &[9, 0, 0, 0])),
        TableError::BadName { function: 0 }
    );
}

#[test]
fn errors_display_without_allocation_types() {
    let error = TableError::ChecksumMismatch { stated: 1, computed: 2 };
    assert_eq!(
        error.to_string(),
        "transform table damaged: checksum 0x00000002, header says 0x00000001"
    );
    // Copy: errors can be passed around freely in the runtime.
    let copy = error;
    assert_eq!(copy, error);
}
