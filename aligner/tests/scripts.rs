//! Snapshot tests of the linker scripts for the `small` fixture (maps checked in, so no
//! toolchain is needed). Re-record the maps with `tests/fixtures/small/build.sh build`,
//! review snapshot changes with `cargo insta review`.

use het_aligner::{layout, link_map, script};
use het_format::Isa;

fn fixture_map(isa: Isa) -> String {
    let path = format!("{}/tests/fixtures/small/{}.map", env!("CARGO_MANIFEST_DIR"), isa.name());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn small_fixture_scripts() {
    let texts: Vec<(Isa, String)> = Isa::ALL.iter().map(|&isa| (isa, fixture_map(isa))).collect();
    let maps: Vec<_> = texts
        .iter()
        .map(|(isa, t)| (*isa, link_map::parse(t).unwrap()))
        .collect();
    let pairs: Vec<_> = maps.iter().map(|(isa, m)| (*isa, m)).collect();
    let layout = layout::compute(&pairs).unwrap();
    for isa in Isa::ALL {
        let text = script::write(&layout, isa).unwrap();
        insta::assert_snapshot!(format!("small_{}", isa.name()), text);
    }
}
