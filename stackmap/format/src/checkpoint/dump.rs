//! A human-readable dump of a checkpoint (`Display`), for `het inspect` and snapshots.
//! Region contents are summarised by size, not printed.

use core::fmt;

use super::{Checkpoint, FrameValue, Frames, ProgramId};
use crate::table::ValueKind;

/// `rwx` / `r--` from `PROT_*` bits.
struct Prot(u32);

impl fmt::Display for Prot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bit = |mask, c| if self.0 & mask != 0 { c } else { '-' };
        write!(f, "{}{}{}", bit(1, 'r'), bit(2, 'w'), bit(4, 'x'))
    }
}

/// A path: printable ASCII as is, other bytes as `\xNN` (paths need not be UTF-8).
struct Path<'a>(&'a [u8]);

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in self.0 {
            if (0x20..0x7f).contains(&b) && b != b'\\' {
                write!(f, "{}", b as char)?;
            } else {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

fn value(f: &mut fmt::Formatter<'_>, v: FrameValue) -> fmt::Result {
    write!(f, "{} size {} = ", v.kind.name(), v.size)?;
    match v.kind {
        ValueKind::Pointer => write!(f, "{:#x}", v.bits),
        _ => write!(f, "{}", v.bits),
    }
}

impl fmt::Display for Checkpoint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = self.header();
        writeln!(
            f,
            "checkpoint v{}: {} bytes, checksum {:#018x} ok",
            super::VERSION,
            self.as_bytes().len(),
            self.checksum()
        )?;
        write!(f, "source {}, target ", header.source_isa)?;
        match header.target_isa {
            Some(isa) => write!(f, "{isa}")?,
            None => f.write_str("any")?,
        }
        writeln!(f, ", page size {}", header.page_size)?;
        writeln!(f, "program id {}", ProgramId(header.program_id))?;
        writeln!(f, "frames: {} ({} values)", self.frame_count(), self.value_count())?;
        frames(f, self.frames(), "  ")?;
        writeln!(f, "other threads: {}", self.threads().count())?;
        for thread in self.threads() {
            writeln!(
                f,
                "  thread {:#x}, signal mask {:#x}: {} frames ({} values)",
                thread.descriptor,
                thread.signal_mask,
                thread.frames.len(),
                thread.value_count
            )?;
            frames(f, thread.frames, "    ")?;
        }
        writeln!(f, "regions: {}", self.regions().count())?;
        for r in self.regions() {
            let size = r.bytes.len() as u64;
            writeln!(
                f,
                "  {:#x}..{:#x} {size} bytes {} {}",
                r.address,
                r.address + size,
                r.kind.name(),
                Prot(r.prot)
            )?;
        }
        writeln!(f, "open files: {}", self.open_files().count())?;
        for file in self.open_files() {
            writeln!(
                f,
                "  fd {} flags {:#o} offset {} path {}",
                file.fd,
                file.flags,
                file.offset,
                Path(file.path)
            )?;
        }
        writeln!(f, "jump buffers: {}", self.jump_buffers().count())?;
        for buffer in self.jump_buffers() {
            writeln!(
                f,
                "  {:#x} set in frame {} at point {}",
                buffer.address, buffer.frame, buffer.point
            )?;
        }
        Ok(())
    }
}

/// One thread's frames, each line after `indent`.
fn frames(f: &mut fmt::Formatter<'_>, frames: Frames<'_>, indent: &str) -> fmt::Result {
    for (i, frame) in frames.enumerate() {
        writeln!(f, "{indent}frame {i}: id {}, {} values", frame.id, frame.values.len())?;
        for (j, v) in frame.values.enumerate() {
            write!(f, "{indent}  value {j}: ")?;
            value(f, v)?;
            writeln!(f)?;
        }
    }
    Ok(())
}
