//! A minimal reader of LLVM stack map v3 sections, for this test only (the real parser
//! is `stackmap/`): records with their IDs and location kinds.

/// Location kinds, as the stack map format numbers them.
pub const KIND_NAMES: [&str; 6] = ["?", "Register", "Direct", "Indirect", "Constant", "ConstantIndex"];

/// One call-site record.
#[derive(Debug)]
pub struct Record {
    pub id: u64,
    /// Each location's kind (1..=5).
    pub kinds: Vec<u8>,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let slice = self.bytes.get(self.at..self.at + N).ok_or(format!("truncated at offset {}", self.at))?;
        self.at += N;
        Ok(slice.try_into().expect("N bytes"))
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.take()?))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take()?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.take()?))
    }
    fn align8(&mut self) {
        self.at = self.at.next_multiple_of(8);
    }
}

/// Parses a whole `.llvm_stackmaps` section (little-endian, version 3).
pub fn parse(bytes: &[u8]) -> Result<Vec<Record>, String> {
    let mut c = Cursor { bytes, at: 0 };
    let version = c.u8()?;
    if version != 3 {
        return Err(format!("stack map version {version}, expected 3"));
    }
    c.take::<3>()?;
    let (functions, constants, records) = (c.u32()?, c.u32()?, c.u32()?);
    c.at += functions as usize * 24 + constants as usize * 8;
    let mut out = Vec::with_capacity(records as usize);
    for _ in 0..records {
        let id = c.u64()?;
        let _offset = c.u32()?;
        c.u16()?;
        let count = c.u16()?;
        let mut kinds = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let kind = c.u8()?;
            c.take::<11>()?;
            kinds.push(kind);
        }
        c.align8();
        c.u16()?;
        let live_outs = c.u16()?;
        c.at += live_outs as usize * 4;
        c.align8();
        out.push(Record { id, kinds });
    }
    Ok(out)
}
