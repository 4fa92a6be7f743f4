//! `.llvm_stackmaps` bytes: parse, then read everything a valid section offers.
#![no_main]

use het_stackmap::{llvm, statepoint::Statepoint};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(blobs) = llvm::parse_all(data) else { return };
    for blob in blobs {
        for (_function, records) in blob.functions_with_records() {
            for record in records {
                for location in record.locations() {
                    let _ = location.constant(&blob);
                }
                let _ = record.live_outs().count();
                if let Ok(statepoint) = Statepoint::parse(blob, record) {
                    let _ = statepoint.value_kinds();
                }
            }
        }
    }
});
