//! Transform-table bytes: parse, then dump and look up every point.
#![no_main]

use het_format::TransformTable;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = TransformTable::parse(data) else { return };
    let _ = table.to_string();
    for point in table.points() {
        assert_eq!(table.point_by_id(point.id()), Some(point));
        assert!(table.point_by_return_address(point.return_address()).is_some());
    }
});
