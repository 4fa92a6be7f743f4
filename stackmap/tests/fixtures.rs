//! End-to-end tests on the checked-in fixture binaries: three ISAs compiled from one IR
//! module (fixtures/eqpoints.ll) with statepoints, linked by ld.lld.

mod common;

use het_format::table::{Location, SaveRule, ValueKind};
use het_format::{Isa, TransformTable};
use het_stackmap::{check_compatible, TableData};

#[test]
fn dump_tables() {
    for isa in Isa::ALL {
        let bytes = common::table_bytes(isa);
        let table = TransformTable::parse(&bytes).expect("table parses");
        println!("{table}");
    }
}
