//! The checkpoint format: round trip through `Writer` and `Checkpoint::parse`, the
//! checksum's chunking invariance and speed, seeded mutations (truncations, byte
//! flips, rewritten lengths, tags and counts) that must all be refused without a
//! panic, and `check_for`.

use het_format::checkpoint::layout::{self, frame, frames, header, record};
use het_format::checkpoint::{
    Checksum, FrameValue, Header, JumpBuffer, OpenFileHeader, RecordTag, RegionHeader, RegionKind, WriteError, Writer,
};
use het_format::table::ValueKind;
use het_format::{Checkpoint, CheckpointError, Isa};
use std::convert::Infallible;

const PROGRAM: [u64; 2] = [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210];

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn header(target: Option<Isa>) -> Header {
    Header {
        source_isa: Isa::X86_64,
        target_isa: target,
        program_id: PROGRAM,
        page_size: 4096,
    }
}

fn int(bits: u64) -> FrameValue {
    FrameValue {
        kind: ValueKind::Integer,
        size: 4,
        bits,
    }
}

/// A checkpoint with every record kind, odd-sized payloads (so padding is exercised)
/// and region contents that are not all zero.
fn synthetic(target: Option<Isa>) -> Vec<u8> {
    let mut out = Vec::new();
    let sink = |bytes: &[u8]| -> Result<(), Infallible> {
        out.extend_from_slice(bytes);
        Ok(())
    };
    let mut w = Writer::new(&header(target), sink).expect("header");
    let inner = [
        int(42),
        FrameValue {
            kind: ValueKind::Float,
            size: 8,
            bits: 1.5f64.to_bits(),
        },
        FrameValue {
            kind: ValueKind::Pointer,
            size: 8,
            bits: 0x1000_0100_0010,
        },
    ];
    let outer = [int(7)];
    w.frames(&[(300, &inner), (17, &outer), (2, &[])]).expect("frames");
    let data: Vec<u8> = (0..4096u32).map(|i| (i * 7 + 3) as u8).collect();
    let data_region = RegionHeader {
        address: 0x20_0000,
        size: data.len() as u64,
        prot: 3,
        kind: RegionKind::ProgramData,
    };
    w.region(&data_region, &data).expect("region");
    let heap = [0xa5u8; 37];
    let heap_region = RegionHeader {
        address: 0x1000_1100_0000,
        size: heap.len() as u64,
        prot: 3,
        kind: RegionKind::Window,
    };
    w.region(&heap_region, &heap).expect("region");
    for (fd, path) in [(3, &b"/tmp/input.txt"[..]), (5, &b"out.log"[..])] {
        let file = OpenFileHeader {
            fd,
            flags: 0o2,
            offset: 1234,
            path_len: path.len() as u32,
        };
        w.open_file(&file, path).expect("open file");
    }
    w.thread(0x1000_2000_0040, 0x4000, &[(41, &[int(9)]), (3, &[])])
        .expect("thread");
    w.jump_buffer(&JumpBuffer {
        address: 0x1000_0fff_ff00,
        frame: 1,
        point: 17,
    })
    .expect("jump buffer");
    w.thread(0x1000_3000_0040, 0, &[(5, &[int(1), int(2)])])
        .expect("thread");
    let size = w.finish().expect("finish");
    assert_eq!(size as usize, out.len());
    out
}

/// Rewrites the End record's checksum so that only structural checks can fail.
fn reseal(bytes: &mut [u8]) {
    if bytes.len() < header::SIZE + 24 {
        return;
    }
    let end = bytes.len() - 24;
    let sum = Checksum::of(&bytes[..end]);
    let at = bytes.len() - 8;
    bytes[at..].copy_from_slice(&sum.to_le_bytes());
}

/// Byte offsets of every record header of a valid checkpoint.
fn record_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut offsets = Vec::new();
    let mut at = header::SIZE;
    while at < bytes.len() {
        offsets.push(at);
        let len = u64::from_le_bytes(bytes[at + 8..at + 16].try_into().unwrap()) as usize;
        at += record::SIZE + len.div_ceil(8) * 8;
    }
    offsets
}

/// Reads everything a valid checkpoint offers.
fn exercise(bytes: &[u8]) -> Result<(), CheckpointError> {
    let ckpt = Checkpoint::parse(bytes)?;
    let _ = ckpt.to_string();
    for f in ckpt.frames() {
        let _ = f.values.map(|v| v.bits).fold(0u64, u64::wrapping_add);
    }
    let _ = ckpt.regions().map(|r| r.bytes.len()).sum::<usize>();
    let _ = ckpt.open_files().map(|f| f.path.len()).sum::<usize>();
    for t in ckpt.threads() {
        let _ = t.frames.map(|f| f.values.count()).sum::<usize>();
    }
    Ok(())
}

#[test]
fn round_trip() {
    let bytes = synthetic(Some(Isa::Aarch64));
    assert_eq!(bytes.len() % 8, 0);
    let ckpt = Checkpoint::parse(&bytes).expect("valid");
    assert_eq!(ckpt.header(), header(Some(Isa::Aarch64)));
    assert_eq!((ckpt.frame_count(), ckpt.value_count()), (3, 4));
    let frames: Vec<(u64, Vec<FrameValue>)> = ckpt.frames().map(|f| (f.id, f.values.collect())).collect();
    assert_eq!(frames[0].0, 300);
    assert_eq!(frames[0].1[1].bits, 1.5f64.to_bits());
    assert_eq!(frames[0].1[2].kind, ValueKind::Pointer);
    assert_eq!(frames[1], (17, vec![int(7)]));
    assert_eq!(frames[2], (2, vec![]));
    let regions: Vec<_> = ckpt.regions().collect();
    assert_eq!(regions.len(), 2);
    assert_eq!(regions[0].address, 0x20_0000);
    assert_eq!(regions[0].kind, RegionKind::ProgramData);
    assert_eq!(regions[0].bytes[5], 38);
    assert_eq!(regions[1].bytes, &[0xa5; 37]);
    assert_eq!(regions[1].prot, 3);
    let files: Vec<_> = ckpt.open_files().collect();
    assert_eq!(files.len(), 2);
    assert_eq!((files[0].fd, files[0].path), (3, &b"/tmp/input.txt"[..]));
    assert_eq!((files[1].flags, files[1].offset), (0o2, 1234));
    let threads: Vec<(u64, u64, u32, Vec<(u64, Vec<FrameValue>)>)> = ckpt
        .threads()
        .map(|t| {
            let frames = t.frames.map(|f| (f.id, f.values.collect())).collect();
            (t.descriptor, t.signal_mask, t.value_count, frames)
        })
        .collect();
    assert_eq!(
        threads,
        [
            (0x1000_2000_0040, 0x4000, 1, vec![(41, vec![int(9)]), (3, vec![])]),
            (0x1000_3000_0040, 0, 2, vec![(5, vec![int(1), int(2)])]),
        ]
    );
    let buffers: Vec<_> = ckpt.jump_buffers().collect();
    assert_eq!(
        buffers,
        [JumpBuffer {
            address: 0x1000_0fff_ff00,
            frame: 1,
            point: 17
        }]
    );
}

#[test]
fn encoders_match_the_layout() {
    let h = header(None).encode();
    assert_eq!(&h[..8], b"HETCKPT\0");
    assert_eq!(u32::from_le_bytes(h[8..12].try_into().unwrap()), 3);
    assert_eq!(u32::from_le_bytes(h[12..16].try_into().unwrap()), 64);
    assert_eq!(u16::from_le_bytes(h[16..18].try_into().unwrap()), 62);
    assert_eq!(&h[18..20], &[0, 0]);
    let r = het_format::checkpoint::record_header(RecordTag::End, 8);
    assert_eq!(r, [0xff, 0xff, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0]);
    for len in 0..20u64 {
        assert_eq!((len as usize + het_format::checkpoint::padding(len).len()) % 8, 0);
    }
    let v = FrameValue {
        kind: ValueKind::Pointer,
        size: 8,
        bits: 0x1122,
    }
    .encode();
    assert_eq!(v, [3, 0, 8, 0, 0, 0, 0, 0, 0x22, 0x11, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        het_format::checkpoint::frames_payload_header(2, 5),
        [2, 0, 0, 0, 5, 0, 0, 0]
    );
}

#[test]
fn writer_refuses_wrong_record_lengths() {
    let mut w = Writer::new(&header(None), |_: &[u8]| Ok::<(), Infallible>(())).expect("header");
    w.begin(RecordTag::Region, 4).expect("begin");
    assert!(matches!(w.write(&[0; 5]), Err(WriteError::Length { .. })));
    w.write(&[0; 3]).expect("within length");
    assert!(matches!(w.end(), Err(WriteError::Length { written: 3, .. })));
    assert!(w.finish().is_err());
}

#[test]
fn checksum_is_independent_of_chunking() {
    let mut rng = Rng(0x5eed_c4c4);
    let data: Vec<u8> = (0..1000).map(|_| rng.next() as u8).collect();
    for len in [0, 1, 7, 8, 9, 63, 64, 999, 1000] {
        let whole = Checksum::of(&data[..len]);
        for _ in 0..50 {
            let mut sum = Checksum::new();
            let mut rest = &data[..len];
            while !rest.is_empty() {
                let (chunk, tail) = rest.split_at(rng.below(rest.len().min(20)) + 1);
                sum.update(chunk);
                rest = tail;
            }
            assert_eq!(sum.value(), whole, "length {len}");
        }
    }
    assert_ne!(Checksum::of(b"a"), Checksum::of(b"a\0"));
    assert_ne!(Checksum::of(&[]), Checksum::of(&[0; 8]));
}

#[test]
fn checksum_catches_paired_top_bit_flips() {
    // Word-wise FNV-1a without the fold would miss these.
    let data = [0u8; 64];
    let mut flipped = data;
    flipped[7] ^= 0x80;
    flipped[47] ^= 0x80;
    assert_ne!(Checksum::of(&data), Checksum::of(&flipped));
}

#[test]
fn checksum_speed() {
    let data = vec![0x5au8; 64 << 20];
    let start = std::time::Instant::now();
    let mut sum = Checksum::new();
    for chunk in data.chunks(1 << 20) {
        sum.update(chunk);
    }
    let value = sum.value();
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "checksum: {} MiB in {:.1} ms = {:.2} GB/s ({value:#x}; build with --release for real numbers)",
        data.len() >> 20,
        seconds * 1e3,
        data.len() as f64 / seconds / 1e9
    );
}

#[test]
fn every_truncation_is_refused() {
    let bytes = synthetic(None);
    for len in 0..bytes.len() {
        assert!(Checkpoint::parse(&bytes[..len]).is_err(), "truncated to {len} accepted");
    }
}

#[test]
fn every_byte_flip_is_refused() {
    let bytes = synthetic(None);
    let mut rng = Rng(0x5eed_f11b);
    for at in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[at] ^= 1 << rng.below(8);
        assert!(Checkpoint::parse(&damaged).is_err(), "flip at {at} accepted");
    }
}

#[test]
fn flip_in_region_memory_fails_the_checksum() {
    let bytes = synthetic(None);
    let region = record_offsets(&bytes)[1];
    let mut damaged = bytes.clone();
    damaged[region + record::SIZE + layout::region::SIZE + 100] ^= 0x10;
    assert!(matches!(
        Checkpoint::parse(&damaged),
        Err(CheckpointError::ChecksumMismatch { .. })
    ));
}

#[test]
fn rewritten_lengths_tags_and_counts_are_refused() {
    let bytes = synthetic(None);
    let offsets = record_offsets(&bytes);
    let mut cases: Vec<(usize, Vec<u8>)> = Vec::new();
    for &at in &offsets {
        let len = u64::from_le_bytes(bytes[at + 8..at + 16].try_into().unwrap());
        for new in [
            0,
            1,
            len.wrapping_sub(1),
            len + 1,
            len.wrapping_sub(8),
            len + 8,
            u64::MAX,
            1 << 40,
        ] {
            if new != len {
                cases.push((at + record::LEN, new.to_le_bytes().to_vec()));
            }
        }
        let tag = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        for new in [
            0u32,
            5,
            0xfffe,
            0x1_ffff,
            RecordTag::Frames as u32,
            RecordTag::Thread as u32,
        ] {
            if new != tag {
                cases.push((at + record::TAG, new.to_le_bytes().to_vec()));
            }
        }
    }
    let payload = offsets[0] + record::SIZE;
    for field in [frames::FRAME_COUNT, frames::VALUE_COUNT_TOTAL] {
        for count in [0u32, 1, 2, 3, 5, u32::MAX] {
            cases.push((payload + field, count.to_le_bytes().to_vec()));
        }
    }
    let first_frame = payload + frames::SIZE;
    for count in [0u32, 1, 2, 4, u32::MAX] {
        cases.push((first_frame + frame::VALUE_COUNT, count.to_le_bytes().to_vec()));
    }
    let region = offsets[1] + record::SIZE;
    for size in [0u64, 4095, 4097, u64::MAX] {
        cases.push((region + layout::region::SIZE_BYTES, size.to_le_bytes().to_vec()));
    }
    cases.push((region + layout::region::KIND, 3u32.to_le_bytes().to_vec()));
    cases.push((region + layout::region::PROT, 8u32.to_le_bytes().to_vec()));
    let heap = offsets[2] + record::SIZE;
    cases.push((heap + layout::region::ADDRESS, 0x20_0800u64.to_le_bytes().to_vec()));
    cases.push((heap + layout::region::ADDRESS, u64::MAX.to_le_bytes().to_vec()));
    let file = offsets[4] + record::SIZE;
    cases.push((file + layout::open_file::FD, 3i32.to_le_bytes().to_vec()));
    cases.push((file + layout::open_file::FD, (-1i32).to_le_bytes().to_vec()));
    cases.push((file + layout::open_file::PATH_LEN, 6u32.to_le_bytes().to_vec()));
    cases.push((file + layout::open_file::SIZE + 2, vec![0]));
    let jump = offsets[6] + record::SIZE;
    cases.push((jump + layout::jump_buffer::FRAME, 3u32.to_le_bytes().to_vec()));
    cases.push((jump + layout::jump_buffer::RESERVED, 1u32.to_le_bytes().to_vec()));
    cases.push((offsets[6] + record::LEN, 23u64.to_le_bytes().to_vec()));
    let thread = offsets[5] + record::SIZE;
    for descriptor in [0u64, 0x1000_2000_0041, 0x1000_3000_0040, 0x1000_4000_0000] {
        // Null, misaligned, the same as the next thread's, after the next thread's.
        cases.push((thread + layout::thread::DESCRIPTOR, descriptor.to_le_bytes().to_vec()));
    }
    let thread_frames = thread + layout::thread::SIZE;
    for field in [frames::FRAME_COUNT, frames::VALUE_COUNT_TOTAL] {
        for count in [0u32, 3, u32::MAX] {
            cases.push((thread_frames + field, count.to_le_bytes().to_vec()));
        }
    }
    cases.push((
        thread_frames + frames::SIZE + frame::VALUE_COUNT,
        2u32.to_le_bytes().to_vec(),
    ));
    for (field, value) in [
        (header::VERSION, 1u32),
        (header::HEADER_SIZE, 72),
        (header::PAGE_SIZE, 4095),
    ] {
        cases.push((field, value.to_le_bytes().to_vec()));
    }
    cases.push((header::SOURCE_ISA, 3u16.to_le_bytes().to_vec()));
    cases.push((header::SOURCE_ISA, 0u16.to_le_bytes().to_vec()));
    cases.push((header::TARGET_ISA, 40u16.to_le_bytes().to_vec()));
    for (at, value) in cases {
        let mut damaged = bytes.clone();
        damaged[at..at + value.len()].copy_from_slice(&value);
        if damaged == bytes {
            continue;
        }
        reseal(&mut damaged);
        let result = exercise(&damaged);
        assert!(result.is_err(), "rewrite of {value:02x?} at {at} accepted");
    }
}

#[test]
fn random_mutations_never_panic() {
    let bytes = synthetic(Some(Isa::Riscv64));
    let mut rng = Rng(0x5eed_0007);
    for round in 0..20_000 {
        let mut damaged = bytes.clone();
        for _ in 0..=rng.below(3) {
            if damaged.is_empty() {
                break;
            }
            let at = rng.below(damaged.len());
            match rng.below(5) {
                0 => damaged[at] ^= 1 << rng.below(8),
                1 => damaged[at] = [0, 1, 2, 3, 4, 7, 8, 0x7f, 0x80, 0xff][rng.below(10)],
                2 => damaged[at] = rng.next() as u8,
                3 => {
                    let aligned = at & !7;
                    let word = [0, 1, 8, 16, 24, 0xffff, u64::MAX, 1 << 63][rng.below(8)];
                    let end = (aligned + 8).min(damaged.len());
                    damaged[aligned..end].copy_from_slice(&word.to_le_bytes()[..end - aligned]);
                }
                _ => damaged.truncate(at),
            }
        }
        if damaged == bytes {
            continue;
        }
        // Half the time, re-seal the checksum so validation goes past it; a re-sealed
        // change to memory, values or IDs is a valid checkpoint, so only the unsealed
        // half must be refused.
        if round % 2 == 0 {
            reseal(&mut damaged);
            let _ = exercise(&damaged);
        } else {
            assert!(
                exercise(&damaged).is_err(),
                "round {round}: damaged checkpoint accepted"
            );
        }
    }
}

#[test]
fn check_for_refuses_other_targets_and_programs() {
    let any = synthetic(None);
    let any = Checkpoint::parse(&any).expect("valid");
    for isa in Isa::ALL {
        assert_eq!(any.check_for(isa, PROGRAM), Ok(()));
    }
    let bytes = synthetic(Some(Isa::Aarch64));
    let ckpt = Checkpoint::parse(&bytes).expect("valid");
    assert_eq!(ckpt.check_for(Isa::Aarch64, PROGRAM), Ok(()));
    let wrong = ckpt.check_for(Isa::Riscv64, PROGRAM).unwrap_err();
    assert_eq!(
        wrong.to_string(),
        "checkpoint is meant for aarch64, not riscv64 (it was requested with HET_TARGET=aarch64)"
    );
    let foreign = ckpt.check_for(Isa::Aarch64, [1, 2]).unwrap_err();
    assert_eq!(
        foreign.to_string(),
        "checkpoint is from another program build (id 0123456789abcdeffedcba9876543210), \
         this binary is 00000000000000010000000000000002"
    );
}

#[test]
fn messages_say_what_and_where() {
    let bytes = synthetic(None);
    let msg = |b: &[u8]| Checkpoint::parse(b).unwrap_err().to_string();
    assert_eq!(msg(b"\x7fELF\x02\x01\x01\0"), "not a hetcc checkpoint (bad magic)");
    assert_eq!(
        msg(b"HETC"),
        "truncated: 4 bytes, shorter than the 64-byte checkpoint header"
    );
    let mut v7 = bytes.clone();
    v7[header::VERSION] = 7;
    assert_eq!(msg(&v7), "version 7 is not supported (this hetcc reads version 3)");
    let thread = record_offsets(&bytes)[5];
    let mut out_of_order = bytes.clone();
    let at = thread + record::SIZE + layout::thread::DESCRIPTOR;
    out_of_order[at..at + 8].copy_from_slice(&0x1000_4000_0000u64.to_le_bytes());
    reseal(&mut out_of_order);
    let second = record_offsets(&bytes)[7];
    assert_eq!(
        msg(&out_of_order),
        format!(
            "thread record at offset {second} (descriptor 0x100030000040) does not follow the previous one \
             (0x100040000000): thread records go in increasing descriptor order, each thread once"
        )
    );
    let region = record_offsets(&bytes)[1];
    assert_eq!(
        msg(&bytes[..region + 200]),
        format!("truncated: record at offset {region} claims 4120 bytes, 184 left")
    );
    let mut damaged = bytes.clone();
    damaged[region + 500] ^= 1;
    assert!(msg(&damaged).starts_with("checksum mismatch (stored 0x"));
    let mut unknown = bytes.clone();
    unknown[region] = 9;
    reseal(&mut unknown);
    assert_eq!(msg(&unknown), format!("record at offset {region} has unknown tag 0x9"));
}
