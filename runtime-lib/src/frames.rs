//! The walked frames in ISA-neutral form: per frame its equivalence-point ID and the
//! bits of each live value, innermost frame first. The words are laid out exactly as
//! the payload of a checkpoint's Frames record after its 8-byte counts header
//! (`het_format::checkpoint`): a frame is `id`, `value_count`, then per value
//! `kind | size << 16` and `bits`. So a checkpoint writes the buffer as it is, and an
//! in-process rebuild reads the same bytes a restore would.

use crate::error::Error;
use crate::scratch::Scratch;
use het_format::table::ValueKind;

/// One live value as carried between ISAs.
#[derive(Clone, Copy, Debug)]
pub struct CarriedValue {
    /// What it holds (must match the destination table's kind).
    pub kind: ValueKind,
    /// Its size in bytes.
    pub size: u16,
    /// Its bits, zero-extended.
    pub bits: u64,
}

/// Frames being collected (or read back), in a scratch mapping.
pub struct Frames {
    words: Scratch,
    len: usize,
    frame_count: u32,
    value_count: u32,
}

impl Frames {
    /// An empty collection with room for `capacity` bytes (reserved, not committed).
    pub fn new(capacity: usize) -> Result<Frames, Error> {
        Ok(Frames {
            words: Scratch::map(capacity)?,
            len: 0,
            frame_count: 0,
            value_count: 0,
        })
    }

    fn push(&mut self, word: u64) -> Result<(), Error> {
        let slot = self.words.words_mut().get_mut(self.len).ok_or(Error::TooDeep)?;
        *slot = word;
        self.len += 1;
        Ok(())
    }

    /// Starts a frame at point `id` holding `value_count` values.
    pub fn begin_frame(&mut self, id: u64, value_count: u16) -> Result<(), Error> {
        self.push(id)?;
        self.push(u64::from(value_count))?;
        self.frame_count += 1;
        Ok(())
    }

    /// Appends a value to the current frame.
    pub fn push_value(&mut self, value: CarriedValue) -> Result<(), Error> {
        self.push(value.kind as u64 | u64::from(value.size) << 16)?;
        self.push(value.bits)?;
        self.value_count += 1;
        Ok(())
    }

    /// Number of frames.
    pub fn frame_count(&self) -> u32 {
        self.frame_count
    }

    /// Number of values over all frames.
    pub fn value_count(&self) -> u32 {
        self.value_count
    }

    /// The encoded frames (the Frames record payload after its counts).
    pub fn as_bytes(&self) -> &[u8] {
        let words = self.words.words().get(..self.len).unwrap_or(&[]);
        // SAFETY: any u64 slice is a valid byte slice of eight times its length; all
        // three ISAs are little-endian, which is the format's byte order.
        unsafe { core::slice::from_raw_parts(words.as_ptr().cast::<u8>(), words.len() * 8) }
    }

    /// Word offsets of each frame's start, innermost first, into `index` (which must
    /// hold `frame_count` entries).
    pub fn frame_starts(&self, index: &mut [u64]) -> Result<(), Error> {
        let words = self.words.words();
        let mut at = 0usize;
        for slot in index.iter_mut().take(self.frame_count as usize) {
            *slot = at as u64;
            let count = *words.get(at + 1).ok_or(Error::BadFrames)? as usize;
            at += 2 + 2 * count;
        }
        Ok(())
    }

    /// The frame starting at word `start`: its ID and its values.
    pub fn frame_at(&self, start: u64) -> Result<(u64, impl ExactSizeIterator<Item = CarriedValue> + '_), Error> {
        let words = self.words.words();
        let start = start as usize;
        let id = *words.get(start).ok_or(Error::BadFrames)?;
        let count = *words.get(start + 1).ok_or(Error::BadFrames)? as usize;
        let values = words.get(start + 2..start + 2 + 2 * count).ok_or(Error::BadFrames)?;
        Ok((
            id,
            values.chunks_exact(2).map(|pair| CarriedValue {
                kind: ValueKind::from_code((pair[0] & 0xff) as u8).unwrap_or(ValueKind::Unknown),
                size: (pair[0] >> 16) as u16,
                bits: pair[1],
            }),
        ))
    }
}
