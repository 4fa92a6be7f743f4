//! Anonymous memory the runtime maps for itself, outside the migration window (the
//! kernel chooses the address), so it is never part of a checkpoint and never collides
//! with memory a restore must place.

use crate::error::Error;
use crate::{syscall, window};

/// A private read/write mapping, unmapped on drop.
pub struct Scratch {
    base: *mut u64,
    bytes: usize,
}

impl Scratch {
    /// Maps `bytes` (rounded up to pages), reserved lazily (`MAP_NORESERVE`).
    pub fn map(bytes: usize) -> Result<Scratch, Error> {
        let bytes = (bytes + 0xfff) & !0xfff;
        // SAFETY: a kernel-chosen, fresh anonymous mapping aliases nothing.
        let address = unsafe {
            syscall::mmap(
                0,
                bytes,
                window::PROT_READ_WRITE,
                window::MAP_PRIVATE | window::MAP_ANONYMOUS | window::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if address < 0 {
            return Err(Error::Syscall("mmap", -address as i32));
        }
        Ok(Scratch {
            base: address as *mut u64,
            bytes,
        })
    }

    /// Lowest address.
    pub fn low(&self) -> u64 {
        self.base as u64
    }

    /// One past the highest address.
    pub fn high(&self) -> u64 {
        self.base as u64 + self.bytes as u64
    }

    /// The mapping as words.
    pub fn words(&self) -> &[u64] {
        // SAFETY: the mapping is ours, readable, 8-aligned and `bytes` long.
        unsafe { core::slice::from_raw_parts(self.base, self.bytes / 8) }
    }

    /// The mapping as mutable words.
    pub fn words_mut(&mut self) -> &mut [u64] {
        // SAFETY: as in `words`, and `&mut self` makes the borrow unique.
        unsafe { core::slice::from_raw_parts_mut(self.base, self.bytes / 8) }
    }

    /// Keeps the mapping alive for the rest of the process (the program's new stack).
    pub fn leak(self) {
        core::mem::forget(self);
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // SAFETY: the mapping is ours and nothing borrows it any more.
        unsafe {
            syscall::munmap(self.base as usize, self.bytes);
        }
    }
}
