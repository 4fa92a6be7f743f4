//! Byte offsets and sizes of the checkpoint layout, shared by the encoders and the
//! reader. `docs/migration-runtime.md` ("Checkpoint format") draws the same layout.
//!
//! Everything is little-endian. A file is the header, then records, then the End
//! record. Every record is a 16-byte record header, its payload, and zero padding to
//! a multiple of 8, so every record header and payload starts 8-aligned.

/// The first eight bytes of every checkpoint.
pub const MAGIC: [u8; 8] = *b"HETCKPT\0";
/// The layout version this crate reads and writes.
pub const VERSION: u32 = 3;

/// Header field offsets and the header's size.
pub mod header {
    /// `[u8; 8]`: [`super::MAGIC`].
    pub const MAGIC: usize = 0;
    /// `u32`: layout version.
    pub const VERSION: usize = 8;
    /// `u32`: header size in bytes, [`SIZE`]; records start there.
    pub const HEADER_SIZE: usize = 12;
    /// `u16`: the ISA that wrote the checkpoint, as its ELF `e_machine`.
    pub const SOURCE_ISA: usize = 16;
    /// `u16`: the ISA the checkpoint is meant for (ELF `e_machine`), 0 = any.
    pub const TARGET_ISA: usize = 18;
    /// `u32`: flags, zero.
    pub const FLAGS: usize = 20;
    /// `[u64; 2]`: the program build's identity, the same in its three binaries.
    pub const PROGRAM_ID: usize = 24;
    /// `u32`: the source's page size in bytes.
    pub const PAGE_SIZE: usize = 40;
    /// Reserved to the end of the header, zero.
    pub const RESERVED: usize = 44;
    /// The header size.
    pub const SIZE: usize = 64;
}

/// Record header: precedes every record's payload.
pub mod record {
    /// `u32`: [`crate::checkpoint::RecordTag`] code.
    pub const TAG: usize = 0;
    /// `u32`: reserved, zero.
    pub const RESERVED: usize = 4;
    /// `u64`: payload length in bytes, without the padding.
    pub const LEN: usize = 8;
    /// Record header size.
    pub const SIZE: usize = 16;
}

/// Frames payload: this header, then per frame a [`frame`] header and its values.
pub mod frames {
    /// `u32`: number of frames.
    pub const FRAME_COUNT: usize = 0;
    /// `u32`: number of values of all frames together.
    pub const VALUE_COUNT_TOTAL: usize = 4;
    /// Size of the payload's header.
    pub const SIZE: usize = 8;
}

/// Frame header: one per frame, innermost first, followed by its values.
pub mod frame {
    /// `u64`: the equivalence-point ID the frame stopped at.
    pub const ID: usize = 0;
    /// `u32`: number of values that follow.
    pub const VALUE_COUNT: usize = 8;
    /// `u32`: reserved, zero.
    pub const RESERVED: usize = 12;
    /// Frame header size.
    pub const SIZE: usize = 16;
}

/// Frame value: one live value, in the order the transform table lists them.
pub mod value {
    /// `u8`: [`crate::table::ValueKind`] code.
    pub const KIND: usize = 0;
    /// `u8`: reserved, zero.
    pub const RESERVED: usize = 1;
    /// `u16`: size of the value in bytes, 1 to 8.
    pub const SIZE_BYTES: usize = 2;
    /// `u32`: reserved, zero.
    pub const RESERVED_TAIL: usize = 4;
    /// `u64`: the value's bits, zero-extended.
    pub const BITS: usize = 8;
    /// Value size.
    pub const SIZE: usize = 16;
}

/// Thread payload: this header, then a [`frames`] payload (the thread's frames). One
/// record per thread other than the one that wrote the checkpoint, whose frames are the
/// Frames record; in increasing descriptor order.
pub mod thread {
    /// `u64`: the thread's descriptor (`pthread_t`), at the same address on every ISA.
    pub const DESCRIPTOR: usize = 0;
    /// `u64`: its blocked signals (bit n − 1: signal n).
    pub const SIGNAL_MASK: usize = 8;
    /// Thread header size; the frames payload follows.
    pub const SIZE: usize = 16;
}

/// Region payload: this header, then `size` bytes of memory.
pub mod region {
    /// `u64`: the region's first address.
    pub const ADDRESS: usize = 0;
    /// `u64`: the region's size in bytes.
    pub const SIZE_BYTES: usize = 8;
    /// `u32`: `PROT_*` bits ([`super::PROT_MASK`]).
    pub const PROT: usize = 16;
    /// `u32`: [`crate::checkpoint::RegionKind`] code.
    pub const KIND: usize = 20;
    /// Region header size.
    pub const SIZE: usize = 24;
}

/// Open-file payload: this header, then `path_len` bytes of path.
pub mod open_file {
    /// `i32`: the file descriptor.
    pub const FD: usize = 0;
    /// `u32`: open flags, x86-64 / asm-generic numbering.
    pub const FLAGS: usize = 4;
    /// `i64`: the file offset.
    pub const OFFSET: usize = 8;
    /// `u32`: length of the path in bytes.
    pub const PATH_LEN: usize = 16;
    /// `u32`: reserved, zero.
    pub const RESERVED: usize = 20;
    /// Open-file header size.
    pub const SIZE: usize = 24;
}

/// Jump-buffer payload: a `jmp_buf` the program filled with `setjmp` in a frame that
/// is still on the stack, which the destination must rewrite for its own registers.
pub mod jump_buffer {
    /// `u64`: the buffer's address (the same on every ISA).
    pub const ADDRESS: usize = 0;
    /// `u32`: index of the frame that called `setjmp`, innermost first.
    pub const FRAME: usize = 8;
    /// `u32`: reserved, zero.
    pub const RESERVED: usize = 12;
    /// `u64`: the equivalence-point ID of that `setjmp` call.
    pub const POINT: usize = 16;
    /// Jump-buffer payload size.
    pub const SIZE: usize = 24;
}

/// End payload: the checksum.
pub mod end {
    /// `u64`: [`crate::checkpoint::Checksum`] of every byte before the End record.
    pub const CHECKSUM: usize = 0;
    /// End payload size.
    pub const SIZE: usize = 8;
}

/// `PROT_READ | PROT_WRITE | PROT_EXEC`, the same bits on all three Linux ABIs.
pub const PROT_MASK: u32 = 0x7;

/// Longest path an open-file record may carry (Linux `PATH_MAX`, including no NUL).
pub const MAX_PATH_LEN: u32 = 4096;

/// Largest value a frame value holds: the `bits` field.
pub const MAX_VALUE_SIZE: u16 = 8;

/// Number of zero bytes that pad `len` to a multiple of 8.
pub const fn padding_len(len: u64) -> usize {
    ((8 - (len % 8)) % 8) as usize
}
