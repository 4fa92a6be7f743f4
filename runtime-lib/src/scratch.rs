//! Anonymous memory the runtime maps for itself, outside the migration window (the
//! kernel chooses the address), so it is never part of a checkpoint and never collides
//! with memory a restore must place. Nothing the runtime keeps is sized by a constant:
//! [`Growable`] arrays start empty (no mapping at all) and grow by remapping, so what
//! they hold is limited by memory only.

use crate::error::Error;
use crate::{syscall, window};
use core::marker::PhantomData;

/// `mremap` may move the mapping (kernel-chosen address, like the first `mmap`).
const MREMAP_MAYMOVE: i32 = 1;
/// Mappings are made in whole pages of this size (the smallest page size of the three
/// ISAs' Linux configurations; a larger page size only rounds further up).
const PAGE: usize = 4096;

fn pages(bytes: usize) -> Option<usize> {
    bytes.checked_add(PAGE - 1).map(|b| b & !(PAGE - 1))
}

/// A private read/write mapping, unmapped on drop.
pub struct Scratch {
    base: *mut u64,
    bytes: usize,
}

impl Scratch {
    /// Maps `bytes` (rounded up to pages), reserved lazily (`MAP_NORESERVE`).
    pub fn map(bytes: usize) -> Result<Scratch, Error> {
        let bytes = pages(bytes.max(1)).ok_or(Error::Syscall("mmap", 12))?;
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

    /// Makes the mapping at least `bytes` long (rounded up to pages), keeping its
    /// contents; it may move (the kernel chooses, outside the window as for `map`).
    pub fn grow(&mut self, bytes: usize) -> Result<(), Error> {
        let bytes = pages(bytes).ok_or(Error::Syscall("mremap", 12))?;
        if bytes <= self.bytes {
            return Ok(());
        }
        // SAFETY: the mapping is ours; `&mut self` means nothing borrows it, and the
        // kernel moves the contents if it moves the mapping.
        let address = unsafe { syscall::mremap(self.base as usize, self.bytes, bytes, MREMAP_MAYMOVE, 0) };
        if address < 0 {
            return Err(Error::Syscall("mremap", -address as i32));
        }
        self.base = address as *mut u64;
        self.bytes = bytes;
        Ok(())
    }

    /// Lowest address.
    pub fn low(&self) -> u64 {
        self.base as u64
    }

    /// One past the highest address.
    pub fn high(&self) -> u64 {
        self.base as u64 + self.bytes as u64
    }

    /// Length in bytes (a whole number of pages).
    pub fn len(&self) -> usize {
        self.bytes
    }

    /// The mapping as bytes.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: the mapping is ours, readable and writable, `bytes` long, and
        // `&mut self` makes the borrow unique.
        unsafe { core::slice::from_raw_parts_mut(self.base.cast::<u8>(), self.bytes) }
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

/// A growable array of plain values in a [`Scratch`] mapping: the runtime's vector.
/// It maps nothing until the first value arrives and doubles its mapping when full, so
/// its capacity is whatever memory the process can get.
pub struct Growable<T: Copy> {
    mapping: Option<Scratch>,
    len: usize,
    items: PhantomData<T>,
}

impl<T: Copy> Growable<T> {
    const ITEM: usize = {
        assert!(core::mem::size_of::<T>() > 0 && core::mem::align_of::<T>() <= PAGE);
        core::mem::size_of::<T>()
    };

    /// An empty array (no mapping yet).
    pub const fn new() -> Growable<T> {
        Growable {
            mapping: None,
            len: 0,
            items: PhantomData,
        }
    }

    /// An empty array with room for `count` values.
    pub fn with_capacity(count: usize) -> Result<Growable<T>, Error> {
        let mut array = Growable::new();
        array.reserve(count)?;
        Ok(array)
    }

    fn capacity(&self) -> usize {
        self.mapping.as_ref().map_or(0, |m| m.len() / Self::ITEM)
    }

    /// Makes room for `additional` more values: at least double the current mapping,
    /// so that pushing n values remaps O(log n) times.
    pub fn reserve(&mut self, additional: usize) -> Result<(), Error> {
        let needed = self.len.checked_add(additional).ok_or(Error::Syscall("mmap", 12))?;
        if needed <= self.capacity() {
            return Ok(());
        }
        let bytes = needed
            .max(self.capacity().saturating_mul(2))
            .checked_mul(Self::ITEM)
            .ok_or(Error::Syscall("mmap", 12))?;
        match &mut self.mapping {
            Some(mapping) => mapping.grow(bytes),
            None => {
                self.mapping = Some(Scratch::map(bytes)?);
                Ok(())
            }
        }
    }

    /// Appends `value`, growing the mapping if it is full.
    pub fn push(&mut self, value: T) -> Result<(), Error> {
        self.reserve(1)?;
        let at = self.len;
        let slot = self.spare_mut().first_mut().ok_or(Error::Syscall("mmap", 12))?;
        *slot = value;
        self.len = at + 1;
        Ok(())
    }

    /// Appends every value of `values`.
    pub fn extend_from_slice(&mut self, values: &[T]) -> Result<(), Error> {
        self.append_with(values.len(), |spare| {
            let n = values.len().min(spare.len());
            if let (Some(to), Some(from)) = (spare.get_mut(..n), values.get(..n)) {
                to.copy_from_slice(from);
            }
            n as isize
        })
        .map(|_| ())
    }

    /// Whether it holds no values.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Drops every value after the first `len` (the mapping stays).
    pub fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// The values.
    pub fn as_slice(&self) -> &[T] {
        match &self.mapping {
            // SAFETY: the first `len` values were written by `push` or `append_with`; the
            // mapping is page-aligned, so aligned for `T`.
            Some(m) => unsafe { core::slice::from_raw_parts(m.base.cast::<T>(), self.len) },
            None => &[],
        }
    }

    /// The values, mutably.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        match &mut self.mapping {
            // SAFETY: as in `as_slice`; `&mut self` makes the borrow unique.
            Some(m) => unsafe { core::slice::from_raw_parts_mut(m.base.cast::<T>(), self.len) },
            None => &mut [],
        }
    }

    /// The room after the values. Anonymous memory starts zeroed and the runtime only
    /// stores plain integers in these arrays, so every slot holds a valid `T`.
    fn spare_mut(&mut self) -> &mut [T] {
        let (len, capacity) = (self.len, self.capacity());
        match &mut self.mapping {
            // SAFETY: `[len, capacity)` lies in the mapping (see above for validity).
            Some(m) => unsafe { core::slice::from_raw_parts_mut(m.base.cast::<T>().add(len), capacity - len) },
            None => &mut [],
        }
    }

    /// Makes room for at least `room` more values, lets `fill` write into the room and
    /// keeps the count it returns (a negative count is returned as it is and keeps
    /// nothing): for `read(2)`-style producers.
    pub fn append_with(&mut self, room: usize, fill: impl FnOnce(&mut [T]) -> isize) -> Result<isize, Error> {
        self.reserve(room)?;
        let spare = self.spare_mut();
        let available = spare.len();
        let n = fill(spare);
        if n > 0 {
            self.len += (n as usize).min(available);
        }
        Ok(n)
    }
}

// SAFETY: the mapping is owned like a `Vec`'s buffer; sending it to another thread is
// as safe as sending its values.
unsafe impl<T: Copy + Send> Send for Growable<T> {}
