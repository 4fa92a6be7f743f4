//! [`Writer`]: writes a checkpoint sequentially through a sink closure, keeping the
//! checksum and checking each record's length, and seals it with the End record.
//! No allocation, so the runtime can use it with a `write(2)` loop as the sink.

use core::fmt;

use super::encode::{end_record, frames_payload_header, padding, record_header};
use super::{Checksum, FrameHeader, FrameValue, Header, JumpBuffer, OpenFileHeader, RecordTag, RegionHeader};

/// Why a [`Writer`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteError<E> {
    /// The sink failed.
    Sink(E),
    /// A record got more or fewer payload bytes than its header declared, or a record
    /// was begun (or the checkpoint finished) while another was still open.
    Length {
        /// The open record's tag.
        tag: RecordTag,
        /// Payload length its header declared.
        declared: u64,
        /// Bytes written so far.
        written: u64,
    },
}

impl<E: fmt::Display> fmt::Display for WriteError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Sink(e) => write!(f, "cannot write the checkpoint: {e}"),
            WriteError::Length { tag, declared, written } => write!(
                f,
                "{} record declared {declared} payload bytes, {written} written",
                tag.name()
            ),
        }
    }
}

/// A checkpoint being written: header already out, then records, then [`Writer::finish`].
pub struct Writer<S> {
    sink: S,
    checksum: Checksum,
    position: u64,
    open: Option<(RecordTag, u64, u64)>,
}

impl<S, E> Writer<S>
where
    S: FnMut(&[u8]) -> Result<(), E>,
{
    /// Writes `header` to `sink` and returns the writer.
    pub fn new(header: &Header, sink: S) -> Result<Writer<S>, WriteError<E>> {
        let mut writer = Writer {
            sink,
            checksum: Checksum::new(),
            position: 0,
            open: None,
        };
        writer.emit(&header.encode())?;
        Ok(writer)
    }

    /// Bytes written so far.
    pub fn position(&self) -> u64 {
        self.position
    }

    fn emit(&mut self, bytes: &[u8]) -> Result<(), WriteError<E>> {
        self.checksum.update(bytes);
        self.position += bytes.len() as u64;
        (self.sink)(bytes).map_err(WriteError::Sink)
    }

    fn check_closed(&self) -> Result<(), WriteError<E>> {
        match self.open {
            Some((tag, declared, written)) => Err(WriteError::Length { tag, declared, written }),
            None => Ok(()),
        }
    }

    /// Starts a record whose payload will be `len` bytes.
    pub fn begin(&mut self, tag: RecordTag, len: u64) -> Result<(), WriteError<E>> {
        self.check_closed()?;
        self.emit(&record_header(tag, len))?;
        self.open = Some((tag, len, 0));
        Ok(())
    }

    /// Writes payload bytes of the open record.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), WriteError<E>> {
        let Some((tag, declared, written)) = self.open else {
            return Err(WriteError::Length {
                tag: RecordTag::End,
                declared: 0,
                written: bytes.len() as u64,
            });
        };
        let written = written + bytes.len() as u64;
        if written > declared {
            return Err(WriteError::Length { tag, declared, written });
        }
        self.open = Some((tag, declared, written));
        self.emit(bytes)
    }

    /// Ends the open record: checks its length and writes its padding.
    pub fn end(&mut self) -> Result<(), WriteError<E>> {
        match self.open {
            Some((_, declared, written)) if declared == written => {
                self.open = None;
                self.emit(padding(declared))
            }
            _ => self.check_closed(),
        }
    }

    /// Writes a whole Frames record: `frames` holds each frame's ID and values,
    /// innermost first.
    pub fn frames(&mut self, frames: &[(u64, &[FrameValue])]) -> Result<(), WriteError<E>> {
        let (frame_count, value_count) = counts(frames);
        self.begin(RecordTag::Frames, super::frames_payload_len(frame_count, value_count))?;
        self.frames_payload(frames)?;
        self.end()
    }

    /// Writes a whole Thread record: the thread's descriptor and blocked signals, then
    /// its frames as [`Writer::frames`] takes them.
    pub fn thread(
        &mut self,
        descriptor: u64,
        signal_mask: u64,
        frames: &[(u64, &[FrameValue])],
    ) -> Result<(), WriteError<E>> {
        let (frame_count, value_count) = counts(frames);
        self.begin(RecordTag::Thread, super::thread_payload_len(frame_count, value_count))?;
        self.write(&super::thread_payload_header(descriptor, signal_mask))?;
        self.frames_payload(frames)?;
        self.end()
    }

    fn frames_payload(&mut self, frames: &[(u64, &[FrameValue])]) -> Result<(), WriteError<E>> {
        let (frame_count, value_count) = counts(frames);
        self.write(&frames_payload_header(frame_count, value_count))?;
        for (id, values) in frames {
            let header = FrameHeader {
                id: *id,
                value_count: values.len() as u32,
            };
            self.write(&header.encode())?;
            for value in values.iter() {
                self.write(&value.encode())?;
            }
        }
        Ok(())
    }

    /// Writes a whole Region record; `region.size` must be `memory.len()`.
    pub fn region(&mut self, region: &RegionHeader, memory: &[u8]) -> Result<(), WriteError<E>> {
        let len = super::region_payload_len(region.size).unwrap_or(u64::MAX);
        self.begin(RecordTag::Region, len)?;
        self.write(&region.encode())?;
        self.write(memory)?;
        self.end()
    }

    /// Writes a whole OpenFile record; `file.path_len` must be `path.len()`.
    pub fn open_file(&mut self, file: &OpenFileHeader, path: &[u8]) -> Result<(), WriteError<E>> {
        self.begin(RecordTag::OpenFile, super::open_file_payload_len(file.path_len))?;
        self.write(&file.encode())?;
        self.write(path)?;
        self.end()
    }

    /// Writes a JumpBuffer record.
    pub fn jump_buffer(&mut self, buffer: &JumpBuffer) -> Result<(), WriteError<E>> {
        let bytes = buffer.encode();
        self.begin(RecordTag::JumpBuffer, bytes.len() as u64)?;
        self.write(&bytes)?;
        self.end()
    }

    /// Writes the End record with the checksum; returns the checkpoint's size.
    pub fn finish(mut self) -> Result<u64, WriteError<E>> {
        self.check_closed()?;
        let end = end_record(self.checksum.value());
        self.emit(&end)?;
        Ok(self.position)
    }
}

/// Frame and value counts of `frames`.
fn counts(frames: &[(u64, &[FrameValue])]) -> (u32, u32) {
    let values: usize = frames.iter().map(|(_, v)| v.len()).sum();
    (frames.len() as u32, values as u32)
}
