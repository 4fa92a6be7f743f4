//! Shared test helpers: the checked-in fixture binaries (see fixtures/gen.sh).
#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

use het_format::Isa;

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The linked fixture binary of one ISA.
pub fn binary(isa: Isa) -> Vec<u8> {
    let path = fixture_path(&format!("eqpoints.{isa}"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `.llvm_stackmaps` bytes of one ISA's fixture.
pub fn stackmap_section(elf: &[u8]) -> Vec<u8> {
    let binary = het_stackmap::elf::LinkedBinary::parse(elf).expect("fixture parses");
    binary.stackmaps.expect("fixture has stackmaps").data.to_vec()
}

/// The encoded transform table of one ISA's fixture.
pub fn table_bytes(isa: Isa) -> Vec<u8> {
    let data = het_stackmap::build_table(&binary(isa)).expect("table builds");
    data.encode().expect("table encodes")
}
