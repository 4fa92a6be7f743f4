//! The process's mappings inside the migration window, from `/proc/self/maps` (which
//! qemu-user emulates with guest addresses), so a checkpoint holds exactly what is
//! mapped there: heap, anonymous mappings, the used part of the unsafe stack, and the
//! start-up area.

use crate::error::Error;
use crate::scratch::Scratch;
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

/// Room for the maps text (a few hundred lines at most for these programs).
const MAPS_CAPACITY: usize = 4 << 20;

/// Calls `visit` for every mapping that lies in the window, in address order.
pub fn window_mappings(visit: &mut dyn FnMut(Mapping) -> Result<(), Error>) -> Result<(), Error> {
    let mut buffer = Scratch::map(MAPS_CAPACITY)?;
    let text = read_all(b"/proc/self/maps\0", &mut buffer)?;
    for line in text.split(|&b| b == b'\n') {
        let Some(mapping) = parse_line(line) else { continue };
        if mapping.start >= WINDOW_BASE && mapping.end <= WINDOW_BASE + WINDOW_SIZE {
            visit(mapping)?;
        }
    }
    Ok(())
}

/// Every mapping of the process, read once, to check addresses against.
pub struct Snapshot {
    buffer: Scratch,
    len: usize,
}

impl Snapshot {
    /// Reads `/proc/self/maps`.
    pub fn take() -> Result<Snapshot, Error> {
        let mut buffer = Scratch::map(MAPS_CAPACITY)?;
        let len = read_all(b"/proc/self/maps\0", &mut buffer)?.len();
        Ok(Snapshot { buffer, len })
    }

    /// Whether `[address, address + len)` lies in one readable mapping.
    pub fn readable(&self, address: u64, len: u64) -> bool {
        let words = self.buffer.words();
        // SAFETY: the scratch words are a live mapping holding `len` bytes of text.
        let bytes = unsafe { core::slice::from_raw_parts(words.as_ptr().cast::<u8>(), words.len() * 8) };
        let text = bytes.get(..self.len).unwrap_or(&[]);
        let end = address.saturating_add(len);
        text.split(|&b| b == b'\n')
            .filter_map(parse_line)
            .any(|m| m.prot & 1 != 0 && address >= m.start && end <= m.end)
    }
}

fn read_all<'b>(path: &[u8], buffer: &'b mut Scratch) -> Result<&'b [u8], Error> {
    let fd = syscall::open_readonly(path);
    if fd < 0 {
        return Err(Error::Syscall("open /proc/self/maps", -fd as i32));
    }
    let words = buffer.words_mut();
    // SAFETY: the scratch words are a live, writable mapping.
    let bytes = unsafe { core::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), words.len() * 8) };
    let mut len = 0;
    loop {
        let n = syscall::read(fd as i32, bytes.get_mut(len..).unwrap_or(&mut []));
        if n < 0 {
            syscall::close(fd as i32);
            return Err(Error::Syscall("read /proc/self/maps", -n as i32));
        }
        if n == 0 {
            break;
        }
        len += n as usize;
        if len == bytes.len() {
            syscall::close(fd as i32);
            return Err(Error::TooDeep);
        }
    }
    syscall::close(fd as i32);
    Ok(bytes.get(..len).unwrap_or(&[]))
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
