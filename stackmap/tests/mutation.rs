//! Seeded mutation tests: random bit flips, byte overwrites and truncations of real
//! inputs must produce errors (or valid results), never panics. The same idea as the
//! cargo-fuzz targets in stackmap/fuzz/, run on every `cargo test`.

mod common;

use het_format::table::layout::{checksum, header};
use het_format::{Isa, TransformTable};
use het_stackmap::llvm;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One random mutation: flip bits, overwrite a byte with an interesting value, or
/// truncate.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..=rng.below(3) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        match rng.below(4) {
            0 => bytes[at] ^= 1 << rng.below(8),
            1 => bytes[at] = [0, 1, 2, 3, 5, 7, 8, 0x7f, 0x80, 0xff][rng.below(10)],
            2 => bytes[at] = rng.next() as u8,
            _ => bytes.truncate(at),
        }
    }
    bytes
}

/// Reads everything a valid section offers.
fn exercise_stackmap(data: &[u8]) {
    let Ok(blobs) = llvm::parse_all(data) else {
        return;
    };
    for blob in blobs {
        let _ = blob.constants().count();
        for (_function, records) in blob.functions_with_records() {
            for record in records {
                let _ = record
                    .locations()
                    .filter_map(|l| l.constant(&blob))
                    .fold(0i64, i64::wrapping_add);
                let _ = record.live_outs().count();
                if let Ok(statepoint) = het_stackmap::statepoint::Statepoint::parse(blob, record) {
                    let _ = statepoint.value_kinds();
                    let _ = statepoint.gc_pairs().count();
                }
            }
        }
    }
}

/// Reads everything a valid table offers.
fn exercise_table(data: &[u8]) {
    let Ok(table) = TransformTable::parse(data) else {
        return;
    };
    let _ = table.to_string();
    for point in table.points() {
        assert_eq!(table.point_by_id(point.id()), Some(point));
        assert!(table.point_by_return_address(point.return_address()).is_some());
    }
}

#[test]
fn stackmap_parser_survives_mutations() {
    let mut rng = Rng(0x5eed_0001);
    for isa in Isa::ALL {
        let section = common::stackmap_section(&common::binary(isa));
        for _ in 0..3000 {
            exercise_stackmap(&mutate(&mut rng, &section));
        }
    }
}

#[test]
fn table_reader_survives_mutations() {
    let mut rng = Rng(0x5eed_0002);
    for isa in Isa::ALL {
        let table = common::table_bytes(isa);
        for round in 0..4000 {
            let mut bytes = mutate(&mut rng, &table);
            // Half the time, re-seal the checksum so validation goes past it.
            if round % 2 == 0 && bytes.len() >= header::SIZE {
                let sum = checksum(&bytes[..bytes.len().min(table.len())]);
                bytes[header::CHECKSUM..header::CHECKSUM + 4].copy_from_slice(&sum.to_le_bytes());
            }
            exercise_table(&bytes);
        }
    }
}

#[test]
fn unsealed_mutations_fail_the_checksum() {
    let mut rng = Rng(0x5eed_0004);
    let table = common::table_bytes(Isa::Aarch64);
    for _ in 0..1000 {
        let mut bytes = table.clone();
        let at = rng.below(bytes.len());
        bytes[at] ^= 1 << rng.below(8);
        assert!(TransformTable::parse(&bytes).is_err(), "flip at {at} accepted");
    }
}

#[test]
fn builder_survives_mutated_binaries() {
    let mut rng = Rng(0x5eed_0005);
    for isa in Isa::ALL {
        let elf = common::binary(isa);
        for _ in 0..300 {
            let bytes = mutate(&mut rng, &elf);
            if let Ok(data) = het_stackmap::build_table(&bytes) {
                if let Ok(encoded) = data.encode() {
                    exercise_table(&encoded);
                }
            }
        }
    }
}
