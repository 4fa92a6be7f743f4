//! One line of output to stderr, built in a fixed buffer (no allocation, no libc stdio:
//! the program's own `stderr` buffer is left untouched) and written with one `write`.

use crate::syscall;

/// Room for one line; longer lines are flushed in pieces.
const CAPACITY: usize = 512;

/// A line being built.
pub struct Line {
    buf: [u8; CAPACITY],
    len: usize,
}

impl Line {
    /// An empty line.
    pub fn new() -> Line {
        Line {
            buf: [0; CAPACITY],
            len: 0,
        }
    }

    /// Appends raw bytes, writing the buffer out whenever it fills.
    pub fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.len == CAPACITY {
                self.flush();
            }
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
    }

    /// Appends a string.
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// Appends `value` in decimal.
    pub fn u64(&mut self, mut value: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                *d = b'0' + (value % 10) as u8;
            }
            value /= 10;
            if value == 0 || i == 0 {
                break;
            }
        }
        let tail = digits.get(i..).unwrap_or(&[]);
        self.bytes(tail);
    }

    /// Appends anything `Display`.
    pub fn display(&mut self, value: &dyn core::fmt::Display) {
        let _ = core::fmt::write(self, format_args!("{value}"));
    }

    fn flush(&mut self) {
        // Nothing useful to do if stderr is gone.
        let _ = syscall::write_fully(syscall::STDERR, self.buf.get(..self.len).unwrap_or(&[]));
        self.len = 0;
    }

    /// Ends the line and writes it.
    pub fn finish(mut self) {
        self.bytes(b"\n");
        self.flush();
    }
}

impl core::fmt::Write for Line {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.str(s);
        Ok(())
    }
}

/// Text written into a fixed buffer, cut off at its end (for a reason another process
/// reads from this one's memory).
pub struct Truncating<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> Truncating<'a> {
    /// An empty text in `buf`.
    pub fn new(buf: &'a mut [u8]) -> Truncating<'a> {
        Truncating { buf, len: 0 }
    }

    /// Bytes written.
    pub fn len(&self) -> usize {
        self.len
    }
}

impl core::fmt::Write for Truncating<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        for &b in s.as_bytes() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
        Ok(())
    }
}
