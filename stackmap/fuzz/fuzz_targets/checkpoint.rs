//! Checkpoint bytes: parse, then dump and read every record through the accessors.
#![no_main]

use het_format::Checkpoint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(checkpoint) = Checkpoint::parse(data) else { return };
    let _ = checkpoint.to_string();
    let frames = checkpoint.frames().count();
    assert_eq!(frames, checkpoint.frame_count() as usize);
    let values: usize = checkpoint.frames().map(|f| f.values.count()).sum();
    assert_eq!(values, checkpoint.value_count() as usize);
    for buffer in checkpoint.jump_buffers() {
        assert!((buffer.frame as usize) < frames);
    }
    let _ = checkpoint.regions().count() + checkpoint.open_files().count();
    for thread in checkpoint.threads() {
        let values = thread.value_count as usize;
        assert_eq!(thread.frames.map(|f| f.values.count()).sum::<usize>(), values);
    }
});
