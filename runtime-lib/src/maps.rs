//! The process's mappings inside the migration window, from `/proc/self/maps` (which
//! qemu-user emulates with guest addresses), so a checkpoint holds exactly what is
//! mapped there: heap, anonymous mappings, the used part of the unsafe stack, and the
//! start-up area.

use crate::error::Error;
use crate::scratch::Growable;
use crate::syscall;
use het_format::migration::{WINDOW_BASE, WINDOW_SIZE};

/// One mapping: `[start, end)` with `PROT_*` bits.
#[derive(Clone, Copy, Debug)]
pub struct Mapping {
    /// First address.
    pub start: u64,
    /// One past the last address.
    pub end: u64,
    /// `PROT_READ` 1, `PROT_WRITE` 2, `PROT_EXEC` 4.
    pub prot: u32,
}

/// Calls `visit` for every mapping that lies in the window, in address order.
pub fn window_mappings(visit: &mut dyn FnMut(Mapping) -> Result<(), Error>) -> Result<(), Error> {
    let text = read_all(b"/proc/self/maps\0")?;
    for line in text.as_slice().split(|&b| b == b'\n') {
        let Some(mapping) = parse_line(line) else { continue };
        if mapping.start >= WINDOW_BASE && mapping.end <= WINDOW_BASE + WINDOW_SIZE {
            visit(mapping)?;
        }
    }
    Ok(())
}

/// Every readable mapping of the process, read once, to check addresses against.
pub struct Snapshot {
    /// `[start, end)` in increasing address order, as `/proc/self/maps` lists them.
    readable: Growable<(u64, u64)>,
}

impl Snapshot {
    /// Reads `/proc/self/maps`.
    pub fn take() -> Result<Snapshot, Error> {
        let text = read_all(b"/proc/self/maps\0")?;
        let mut readable = Growable::new();
        for mapping in text.as_slice().split(|&b| b == b'\n').filter_map(parse_line) {
            if mapping.prot & 1 != 0 {
                readable.push((mapping.start, mapping.end))?;
            }
        }
        Ok(Snapshot { readable })
    }

    /// Whether `[address, address + len)` is readable memory.
    pub fn readable(&self, address: u64, len: u64) -> bool {
        covers(self.readable.as_slice(), address, len)
    }
}

/// Whether `[address, address + len)` lies inside `ranges` (`[start, end)`, sorted,
/// not overlapping): inside one range or several adjacent ones. A `jmp_buf` in `.bss`
/// can straddle the end of the data segment's file-backed mapping and the anonymous
/// mapping after it, which `/proc/self/maps` lists apart (and a checkpoint then holds
/// as two regions).
pub fn covers(ranges: &[(u64, u64)], address: u64, len: u64) -> bool {
    let end = address.saturating_add(len);
    // From the first range that ends after `address`, while they leave no gap.
    let first = ranges.partition_point(|&(_, high)| high <= address);
    let mut covered = address;
    for &(low, high) in ranges.get(first..).unwrap_or(&[]) {
        if low > covered {
            return false;
        }
        covered = high;
        if covered >= end {
            return true;
        }
    }
    false
}

/// The whole of `path` (a `/proc` file: its size is unknown until read), in a buffer
/// that grows as needed.
fn read_all(path: &[u8]) -> Result<Growable<u8>, Error> {
    let fd = syscall::open_readonly(path);
    if fd < 0 {
        return Err(Error::Syscall("open /proc/self/maps", -fd as i32));
    }
    let fd = fd as i32;
    let mut text = Growable::new();
    let outcome = loop {
        // A page's worth of room at least; the buffer doubles when it fills.
        match text.append_with(4096, |room| syscall::read(fd, room)) {
            Ok(0) => break Ok(()),
            Ok(n) if n < 0 => break Err(Error::Syscall("read /proc/self/maps", -n as i32)),
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    syscall::close(fd);
    outcome.map(|()| text)
}

/// `start-end perms …` → a mapping.
fn parse_line(line: &[u8]) -> Option<Mapping> {
    let mut fields = line.split(|&b| b == b' ');
    let range = fields.next()?;
    let perms = fields.next()?;
    let dash = range.iter().position(|&b| b == b'-')?;
    let start = hex(range.get(..dash)?)?;
    let end = hex(range.get(dash + 1..)?)?;
    let mut prot = 0;
    for (i, bit) in [(0, 1), (1, 2), (2, 4)] {
        if perms.get(i).is_some_and(|&c| c != b'-') {
            prot |= bit;
        }
    }
    Some(Mapping { start, end, prot })
}

fn hex(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 16 {
        return None;
    }
    bytes.iter().try_fold(0u64, |acc, &b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        Some(acc << 4 | u64::from(digit))
    })
}
