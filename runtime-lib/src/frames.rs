//! The walked frames in ISA-neutral form: per frame its equivalence-point ID and the
//! bits of each live value, innermost frame first. The words are laid out exactly as
//! the payload of a checkpoint's Frames record after its 8-byte counts header
//! (`het_format::checkpoint`): a frame is `id`, `value_count`, then per value
//! `kind | size << 16` and `bits`. So a checkpoint writes the buffer as it is, and an
//! in-process rebuild reads the same bytes a restore would.

use crate::error::Error;
use crate::scratch::Growable;
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

/// Frames being collected (or read back), in a growable scratch mapping.
pub struct Frames {
    words: Growable<u64>,
    frame_count: u32,
    value_count: u32,
}

impl Frames {
    /// An empty collection with room for `frames` frames holding `values` values in all
    /// (more may be pushed: the buffer grows).
    pub fn new(frames: u64, values: u64) -> Result<Frames, Error> {
        let words = frames.saturating_add(values).saturating_mul(2);
        Ok(Frames {
            words: Growable::with_capacity(usize::try_from(words).map_err(|_| Error::TooDeep)?)?,
            frame_count: 0,
            value_count: 0,
        })
    }

    /// Starts a frame at point `id` holding `value_count` values.
    pub fn begin_frame(&mut self, id: u64, value_count: u16) -> Result<(), Error> {
        // The checkpoint counts frames and values in u32s.
        self.frame_count = self.frame_count.checked_add(1).ok_or(Error::TooDeep)?;
        self.words.push(id)?;
        self.words.push(u64::from(value_count))
    }

    /// Appends a value to the current frame.
    pub fn push_value(&mut self, value: CarriedValue) -> Result<(), Error> {
        self.value_count = self.value_count.checked_add(1).ok_or(Error::TooDeep)?;
        self.words.push(value.kind as u64 | u64::from(value.size) << 16)?;
        self.words.push(value.bits)
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
        let words = self.words.as_slice();
        // SAFETY: any u64 slice is a valid byte slice of eight times its length; all
        // three ISAs are little-endian, which is the format's byte order.
        unsafe { core::slice::from_raw_parts(words.as_ptr().cast::<u8>(), words.len() * 8) }
    }

    /// Word offsets of each frame's start, innermost first.
    pub fn frame_starts(&self) -> Result<Growable<u64>, Error> {
        let words = self.words.as_slice();
        let mut starts = Growable::with_capacity(self.frame_count as usize)?;
        let mut at = 0usize;
        for _ in 0..self.frame_count {
            starts.push(at as u64)?;
            let count = *words.get(at + 1).ok_or(Error::BadFrames)? as usize;
            at = count
                .checked_mul(2)
                .and_then(|n| n.checked_add(at + 2))
                .ok_or(Error::BadFrames)?;
        }
        Ok(starts)
    }

    /// The frame starting at word `start`: its ID and its values.
    pub fn frame_at(&self, start: u64) -> Result<(u64, impl ExactSizeIterator<Item = CarriedValue> + '_), Error> {
        let words = self.words.as_slice();
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
