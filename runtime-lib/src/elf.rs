//! Just enough ELF64 to find one section in the running binary's file.
//!
//! `.het_transform` is not allocated (it is not in any segment), so it is mapped from
//! the file, `/proc/self/exe` (qemu-user maps that to the guest binary too).

use crate::error::Error;
use crate::scratch::Scratch;
use crate::syscall;

/// Where a section's bytes are in the file and in memory.
#[derive(Clone, Copy, Debug)]
pub struct Section {
    /// File offset.
    pub offset: u64,
    /// Size in bytes.
    pub size: u64,
    /// Address in memory (0 if not allocated).
    pub address: u64,
}

impl Section {
    /// Fails unless the section's bytes lie inside a file of `file_size` bytes (before
    /// anything is sized by the section's header, or a mapping past the end of the file
    /// faults on access).
    pub fn check_in_file(&self, file_size: u64) -> Result<(), Error> {
        match self.offset.checked_add(self.size) {
            Some(end) if end <= file_size => Ok(()),
            _ => Err(Error::BadElf("a section lies outside the file")),
        }
    }
}

/// An open file, closed on drop.
pub struct File(i32);

impl File {
    /// Opens `path` (NUL-terminated) read-only.
    pub fn open(path: &[u8]) -> Result<File, Error> {
        let fd = syscall::open_readonly(path);
        if fd < 0 {
            return Err(Error::Syscall("openat", -fd as i32));
        }
        Ok(File(fd as i32))
    }

    /// The descriptor (for `mmap`).
    pub fn fd(&self) -> i32 {
        self.0
    }

    /// The file's size in bytes.
    pub fn size(&self) -> Result<u64, Error> {
        let end = syscall::lseek(self.0, 0, 2); // SEEK_END
        if end < 0 {
            return Err(Error::Syscall("lseek", -end as i32));
        }
        Ok(end as u64)
    }

    /// Fills `buf` exactly from file offset `offset`.
    pub fn read_exact(&self, buf: &mut [u8], mut offset: u64) -> Result<(), Error> {
        let mut done = 0;
        while done < buf.len() {
            let rest = buf.get_mut(done..).unwrap_or(&mut []);
            let n = syscall::pread(self.0, rest, offset);
            if n < 0 {
                return Err(Error::Syscall("pread64", -n as i32));
            }
            if n == 0 {
                return Err(Error::BadElf("truncated"));
            }
            done += n as usize;
            offset += n as u64;
        }
        Ok(())
    }
}

impl Drop for File {
    fn drop(&mut self) {
        syscall::close(self.0);
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    let mut a = [0u8; 2];
    a.copy_from_slice(b.get(at..at + 2).unwrap_or(&[0; 2]));
    u16::from_le_bytes(a)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(b.get(at..at + 4).unwrap_or(&[0; 4]));
    u32::from_le_bytes(a)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(b.get(at..at + 8).unwrap_or(&[0; 8]));
    u64::from_le_bytes(a)
}

/// ELF64 section header size.
const SHDR_SIZE: usize = 64;

/// Finds the section called `name` in `file`'s section headers.
pub fn find_section(file: &File, name: &[u8]) -> Result<Section, Error> {
    let mut ehdr = [0u8; 64];
    file.read_exact(&mut ehdr, 0)?;
    // "\x7fELF", ELFCLASS64, ELFDATA2LSB: all three ISAs are 64-bit little-endian.
    if ehdr.get(..6) != Some(&[0x7f, b'E', b'L', b'F', 2, 1][..]) {
        return Err(Error::BadElf("not an ELF64 little-endian file"));
    }
    let shoff = u64_at(&ehdr, 0x28);
    let shentsize = usize::from(u16_at(&ehdr, 0x3a));
    let shnum = u64::from(u16_at(&ehdr, 0x3c));
    let shstrndx = u64::from(u16_at(&ehdr, 0x3e));
    if shentsize < SHDR_SIZE || shoff == 0 || shstrndx >= shnum {
        return Err(Error::BadElf("no usable section headers"));
    }
    let header = |index: u64| -> Result<[u8; SHDR_SIZE], Error> {
        let mut shdr = [0u8; SHDR_SIZE];
        file.read_exact(&mut shdr, shoff + index * shentsize as u64)?;
        Ok(shdr)
    };
    let strtab = header(shstrndx)?;
    let (str_offset, str_size) = (u64_at(&strtab, 0x18), u64_at(&strtab, 0x20));
    // Room for the name and its NUL, to compare in one read per section.
    let mut candidate = [0u8; 64];
    let want = name.len() + 1;
    if want > candidate.len() {
        return Err(Error::BadElf("section name too long"));
    }
    for index in 1..shnum {
        let shdr = header(index)?;
        let name_offset = u64::from(u32_at(&shdr, 0));
        if name_offset + want as u64 > str_size {
            continue;
        }
        let buf = candidate.get_mut(..want).unwrap_or(&mut []);
        file.read_exact(buf, str_offset + name_offset)?;
        if buf.get(..name.len()) == Some(name) && buf.last() == Some(&0) {
            return Ok(Section {
                offset: u64_at(&shdr, 0x18),
                size: u64_at(&shdr, 0x20),
                address: u64_at(&shdr, 0x10),
            });
        }
    }
    Err(match name {
        b".het_transform" => Error::NoTable,
        _ => Error::BadElf("a section hetcc needs is missing"),
    })
}

/// ELF64 symbol size.
const SYM_SIZE: usize = 24;

/// Calls `found(name, address, size)` for every symbol of `.symtab` whose name is one of
/// `names` (locals included: musl's file-scope statics are what is looked up).
pub fn find_symbols(file: &File, names: &[&[u8]], found: &mut dyn FnMut(&[u8], u64, u64)) -> Result<(), Error> {
    let symtab = find_section(file, b".symtab")?;
    let strtab = find_section(file, b".strtab")?;
    strtab.check_in_file(file.size()?)?;
    let size = usize::try_from(strtab.size).map_err(|_| Error::BadElf("string table too large"))?;
    let mut strings = Scratch::map(size)?;
    let strings = strings.bytes_mut().get_mut(..size).unwrap_or(&mut []);
    file.read_exact(strings, strtab.offset)?;
    let strings = &*strings;
    let mut chunk = [0u8; SYM_SIZE * 128];
    let count = symtab.size / SYM_SIZE as u64;
    let mut index = 0u64;
    while index < count {
        let n = (count - index).min(128) as usize;
        let bytes = chunk.get_mut(..n * SYM_SIZE).unwrap_or(&mut []);
        file.read_exact(bytes, symtab.offset + index * SYM_SIZE as u64)?;
        for sym in bytes.chunks_exact(SYM_SIZE) {
            let start = u32_at(sym, 0) as usize;
            let Some(rest) = strings.get(start..) else { continue };
            let name = rest
                .get(..rest.iter().position(|&b| b == 0).unwrap_or(0))
                .unwrap_or(&[]);
            if !name.is_empty() && names.contains(&name) {
                found(name, u64_at(sym, 8), u64_at(sym, 16));
            }
        }
        index += n as u64;
    }
    Ok(())
}
