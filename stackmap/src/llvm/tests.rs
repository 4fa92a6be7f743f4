//! Hand-built stackmap blobs: every location kind, live-outs, the padding rules.

use super::*;

/// A little stackmap writer, following the documented layout.
#[derive(Default)]
struct Blob {
    functions: Vec<(u64, u64, u64)>,
    constants: Vec<u64>,
    records: Vec<Vec<u8>>,
}

fn location(kind: u8, size: u16, register: u16, offset: i32) -> [u8; 12] {
    let mut l = [0u8; 12];
    l[0] = kind;
    l[2..4].copy_from_slice(&size.to_le_bytes());
    l[4..6].copy_from_slice(&register.to_le_bytes());
    l[8..12].copy_from_slice(&offset.to_le_bytes());
    l
}

fn record(id: u64, offset: u32, locations: &[[u8; 12]], live_outs: &[(u16, u8)]) -> Vec<u8> {
    let mut r = Vec::new();
    r.extend_from_slice(&id.to_le_bytes());
    r.extend_from_slice(&offset.to_le_bytes());
    r.extend_from_slice(&0u16.to_le_bytes());
    r.extend_from_slice(&(locations.len() as u16).to_le_bytes());
    for l in locations {
        r.extend_from_slice(l);
    }
    while r.len() % 8 != 0 {
        r.push(0);
    }
    r.extend_from_slice(&0u16.to_le_bytes());
    r.extend_from_slice(&(live_outs.len() as u16).to_le_bytes());
    for &(register, size) in live_outs {
        r.extend_from_slice(&register.to_le_bytes());
        r.push(0);
        r.push(size);
    }
    while r.len() % 8 != 0 {
        r.push(0);
    }
    r
}

impl Blob {
    fn bytes(&self) -> Vec<u8> {
        let mut b = vec![VERSION, 0, 0, 0];
        b.extend_from_slice(&(self.functions.len() as u32).to_le_bytes());
        b.extend_from_slice(&(self.constants.len() as u32).to_le_bytes());
        b.extend_from_slice(&(self.records.len() as u32).to_le_bytes());
        for &(address, stack, count) in &self.functions {
            for v in [address, stack, count] {
                b.extend_from_slice(&v.to_le_bytes());
            }
        }
        for c in &self.constants {
            b.extend_from_slice(&c.to_le_bytes());
        }
        for r in &self.records {
            b.extend_from_slice(r);
        }
        b
    }
}

fn sample() -> Blob {
    Blob {
        functions: vec![(0x1000, 32, 2), (0x2000, u64::MAX, 1)],
        constants: vec![0x1234_5678_9abc],
        records: vec![
            // One location: 16 + 12 = 28, padded to 32; one live-out: 36, padded to 40.
            record(7, 12, &[location(1, 8, 3, 0)], &[(6, 8)]),
            // Two locations: 40, already aligned; no live-outs: 44, padded to 48.
            record(8, 20, &[location(2, 8, 7, 16), location(3, 4, 6, -24)], &[]),
            record(9, 4, &[location(4, 8, 0, -5), location(5, 8, 0, 0)], &[(1, 8), (2, 16)]),
        ],
    }
}

#[test]
fn parses_every_location_kind_and_padding() {
    let bytes = sample().bytes();
    let section = StackMapSection::parse(&bytes).unwrap();
    assert_eq!(section.len(), bytes.len());
    assert_eq!(section.constants().collect::<Vec<_>>(), [0x1234_5678_9abc]);
    let records: Vec<_> = section.records().collect();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].data().len(), 40);
    assert_eq!(records[1].data().len(), 48);
    let first = records[0];
    assert_eq!((first.id(), first.instruction_offset(), first.flags()), (7, 12, 0));
    let l = first.location(0).unwrap();
    assert_eq!((l.kind, l.size, l.dwarf_register), (LocationKind::Register, 8, 3));
    assert_eq!(
        first.live_outs().collect::<Vec<_>>(),
        [LiveOut {
            dwarf_register: 6,
            size: 8
        }]
    );
    let second: Vec<_> = records[1].locations().collect();
    assert_eq!((second[0].kind, second[0].offset), (LocationKind::Direct, 16));
    assert_eq!(
        (second[1].kind, second[1].size, second[1].offset),
        (LocationKind::Indirect, 4, -24)
    );
    let third: Vec<_> = records[2].locations().collect();
    assert_eq!(third[0].constant(&section), Some(-5));
    assert_eq!(third[1].constant(&section), Some(0x1234_5678_9abc));
    assert_eq!(records[2].live_outs().len(), 2);
}

#[test]
fn records_are_grouped_by_function() {
    let bytes = sample().bytes();
    let section = StackMapSection::parse(&bytes).unwrap();
    let grouped: Vec<(u64, Vec<u64>)> = section
        .functions_with_records()
        .map(|(f, records)| (f.address, records.map(|r| r.id()).collect()))
        .collect();
    assert_eq!(grouped, [(0x1000, vec![7, 8]), (0x2000, vec![9])]);
}

#[test]
fn splits_concatenated_blobs() {
    let mut bytes = sample().bytes();
    bytes.extend_from_slice(&[0; 8]);
    bytes.extend_from_slice(&sample().bytes());
    bytes.extend_from_slice(&[0; 8]);
    let blobs = parse_all(&bytes).unwrap();
    assert_eq!(blobs.len(), 2);
    assert_eq!(parse_all(&[]).unwrap().len(), 0);
}

#[test]
fn rejects_malformed_blobs() {
    let good = sample().bytes();
    let mut bad_version = good.clone();
    bad_version[0] = 2;
    assert_eq!(
        StackMapSection::parse(&bad_version),
        Err(StackMapError::UnsupportedVersion(2))
    );
    let mut bad_reserved = good.clone();
    bad_reserved[2] = 1;
    assert_eq!(
        StackMapSection::parse(&bad_reserved),
        Err(StackMapError::NonZeroReserved)
    );
    assert!(matches!(
        StackMapSection::parse(&good[..good.len() - 4]),
        Err(StackMapError::Truncated {
            what: "record live-outs",
            ..
        })
    ));
    let mut blob = sample();
    blob.records[0] = record(7, 12, &[location(6, 8, 3, 0)], &[]);
    assert_eq!(
        StackMapSection::parse(&blob.bytes()),
        Err(StackMapError::BadLocationKind {
            record: 0,
            location: 0,
            kind: 6
        })
    );
    let mut blob = sample();
    blob.records[2] = record(9, 4, &[location(5, 8, 0, 1)], &[]);
    assert_eq!(
        StackMapSection::parse(&blob.bytes()),
        Err(StackMapError::ConstantIndexOutOfRange {
            record: 2,
            location: 0,
            index: 1
        })
    );
    let mut blob = sample();
    blob.functions[1].2 = 5;
    assert_eq!(
        StackMapSection::parse(&blob.bytes()),
        Err(StackMapError::RecordCountMismatch { owned: 7, records: 3 })
    );
}

#[test]
fn error_messages_say_where() {
    let error = StackMapSection::parse(&[3, 0, 0, 0]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "stackmap truncated: header at byte 0 needs 16 bytes, 4 left"
    );
}

mod statepoints {
    use super::*;
    use crate::statepoint::{Statepoint, StatepointError};
    use het_format::table::ValueKind;

    fn constant(value: i32) -> [u8; 12] {
        location(4, 8, 0, value)
    }

    fn spill(offset: i32) -> [u8; 12] {
        location(3, 8, 7, offset)
    }

    fn read(locations: &[[u8; 12]]) -> Result<(Vec<ValueKind>, usize), StatepointError> {
        let blob = Blob {
            functions: vec![(0x1000, 16, 1)],
            constants: vec![],
            records: vec![record(1, 4, locations, &[])],
        };
        let bytes = blob.bytes();
        let section = StackMapSection::parse(&bytes).unwrap();
        let record = section.records().next().unwrap();
        let statepoint = Statepoint::parse(section, record)?;
        Ok((statepoint.value_kinds(), statepoint.gc_pairs().count()))
    }

    #[test]
    fn descriptors_give_value_kinds() {
        // Format 1, then a 64-bit pointer (2 | 64 << 8) and a 64-bit float (1 | 64 << 8).
        let header = [constant(0), constant(0), constant(3)];
        let locations = [
            header.as_slice(),
            &[constant(1), constant(2 | 64 << 8), constant(1 | 64 << 8)],
            &[spill(0), spill(0), spill(8), spill(8)],
        ]
        .concat();
        assert_eq!(read(&locations), Ok((vec![ValueKind::Pointer, ValueKind::Float], 2)));
    }

    #[test]
    fn other_deopt_operands_leave_kinds_unknown() {
        let locations = [constant(0), constant(0), constant(1), spill(16), spill(0), spill(0)];
        assert_eq!(read(&locations), Ok((vec![ValueKind::Unknown], 1)));
        let locations = [constant(0), constant(0), constant(1), constant(9), spill(0), spill(0)];
        assert_eq!(read(&locations), Ok((vec![ValueKind::Unknown], 1)));
    }

    #[test]
    fn non_statepoints_are_refused() {
        assert_eq!(read(&[constant(0)]), Err(StatepointError::TooFewLocations));
        assert_eq!(
            read(&[constant(0), spill(0), constant(0)]),
            Err(StatepointError::HeaderNotConstant(1))
        );
        assert_eq!(
            read(&[constant(0), constant(0), constant(4), constant(1)]),
            Err(StatepointError::DeoptOverrun { deopt: 4, locations: 4 })
        );
        assert_eq!(
            read(&[constant(0), constant(0), constant(-1)]),
            Err(StatepointError::DeoptOverrun {
                deopt: -1,
                locations: 3
            })
        );
        assert_eq!(
            read(&[constant(0), constant(0), constant(0), spill(0)]),
            Err(StatepointError::UnpairedGcLocations(1))
        );
    }
}
