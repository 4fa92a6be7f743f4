//! The hetcc runtime, linked into every binary hetcc produces (one static library per
//! ISA, built by `scripts/setup.sh`).
//!
//! For now it only owns the migration-request flag, so that the runtime's own data is
//! laid out and aligned like every other symbol. Stack transformation, checkpoint and
//! restore arrive with live migration (issue 3). It is not a libc: it calls none.
#![no_std]
#![deny(missing_docs)]

use core::sync::atomic::AtomicU32;

/// Non-zero when a migration has been requested; set by a signal handler or written
/// from outside the process, read by migration points.
#[no_mangle]
pub static __het_migration_request: AtomicU32 = AtomicU32::new(0);

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}
