//! The main thread's block of thread-local variables. hetcc gives every TLS variable
//! the same offset in the block on every ISA, but the block itself sits on the other
//! side of the thread pointer depending on the ISA's TLS variant, at the offset musl
//! computed (`__libc.tls_head->offset`), measured with a program printing `&var - tp`:
//! x86-64 (variant II) block = tp − offset; aarch64 and riscv64 (variant I)
//! block = tp + offset (aarch64's offset includes its 16-byte gap).

use crate::elf;
use crate::error::Error;

/// musl's `struct tls_module` (LP64 on all three ISAs).
#[repr(C)]
struct TlsModule {
    next: *const TlsModule,
    image: *const u8,
    len: usize,
    size: usize,
    align: usize,
    offset: usize,
}

extern "C" {
    /// musl's process state; `tls_head` is the pointer at byte offset 16 (four `char`
    /// flags, `int threads_minus_1`, `size_t *auxv`).
    static __libc: [usize; 3];
}

fn thread_pointer() -> usize {
    let tp: usize;
    // SAFETY: reading the thread pointer register has no side effects.
    unsafe {
        #[cfg(target_arch = "x86_64")]
        core::arch::asm!("mov {}, fs:0", out(reg) tp, options(nostack, readonly));
        #[cfg(target_arch = "aarch64")]
        core::arch::asm!("mrs {}, tpidr_el0", out(reg) tp, options(nostack, nomem));
        #[cfg(target_arch = "riscv64")]
        core::arch::asm!("mv {}, tp", out(reg) tp, options(nostack, nomem));
    }
    tp
}

/// The main thread's TLS block (`PT_TLS` memory size bytes, read from `exe`, the running
/// binary), `None` if the program has no thread-local variables.
pub fn main_block(exe: &elf::File) -> Result<Option<&'static mut [u8]>, Error> {
    let size = elf::tls_size(exe)? as usize;
    if size == 0 {
        return Ok(None);
    }
    // SAFETY: musl set `tls_head` at start-up (a static binary with a TLS segment has
    // exactly one module, the program's); the block it describes is this thread's and
    // lives as long as the process.
    unsafe {
        let module = __libc[2] as *const TlsModule;
        if module.is_null() {
            return Err(Error::BadElf("TLS segment without musl's TLS module"));
        }
        let offset = (*module).offset;
        let tp = thread_pointer();
        let block = if cfg!(target_arch = "x86_64") {
            tp - offset
        } else {
            tp + offset
        };
        Ok(Some(core::slice::from_raw_parts_mut(block as *mut u8, size)))
    }
}
