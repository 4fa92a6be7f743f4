//! The parts of a linked ELF executable a transform table is built from.

use std::collections::BTreeMap;

use het_format::Isa;
use object::{Architecture, Object, ObjectKind, ObjectSection, ObjectSymbol, SymbolKind};

use crate::Error;

/// A section's bytes and load address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionData<'a> {
    /// The bytes (borrowed from the file).
    pub data: &'a [u8],
    /// Its virtual address.
    pub address: u64,
}

/// A linked binary, borrowed.
#[derive(Debug)]
pub struct LinkedBinary<'a> {
    /// The binary's ISA.
    pub isa: Isa,
    /// `.llvm_stackmaps`, if any equivalence point exists.
    pub stackmaps: Option<SectionData<'a>>,
    /// `.eh_frame`, if any.
    pub eh_frame: Option<SectionData<'a>>,
    /// `.text`'s address (base for text-relative CFI pointers).
    pub text_address: u64,
    /// Function symbols by address (the first name seen at an address).
    pub functions: BTreeMap<u64, &'a str>,
}

fn isa_of(architecture: Architecture) -> Result<Isa, Error> {
    match architecture {
        Architecture::X86_64 => Ok(Isa::X86_64),
        Architecture::Aarch64 => Ok(Isa::Aarch64),
        Architecture::Riscv64 => Ok(Isa::Riscv64),
        other => Err(Error::UnsupportedArchitecture(format!("{other:?}"))),
    }
}

fn section<'a>(file: &object::File<'a>, name: &str) -> Result<Option<SectionData<'a>>, Error> {
    let Some(section) = file.section_by_name(name) else {
        return Ok(None);
    };
    let data = section.data()?;
    Ok(Some(SectionData {
        data,
        address: section.address(),
    }))
}

impl<'a> LinkedBinary<'a> {
    /// Reads an ELF executable. Relocatable objects are refused: their stackmap
    /// addresses are not final (riscv64's instruction offsets are even zero there).
    pub fn parse(data: &'a [u8]) -> Result<LinkedBinary<'a>, Error> {
        let file = object::File::parse(data)?;
        let isa = isa_of(file.architecture())?;
        if !file.is_little_endian() || !file.is_64() {
            return Err(Error::UnsupportedArchitecture(format!(
                "{isa}, not 64-bit little-endian"
            )));
        }
        if !matches!(file.kind(), ObjectKind::Executable | ObjectKind::Dynamic) {
            return Err(Error::NotLinked(format!("{:?}", file.kind())));
        }
        let mut functions = BTreeMap::new();
        for symbol in file.symbols().filter(|s| s.kind() == SymbolKind::Text) {
            if let Ok(name) = symbol.name() {
                functions.entry(symbol.address()).or_insert(name);
            }
        }
        let text = file.section_by_name(".text").map_or(0, |s| s.address());
        Ok(LinkedBinary {
            isa,
            stackmaps: section(&file, ".llvm_stackmaps")?,
            eh_frame: section(&file, ".eh_frame")?,
            text_address: text,
            functions,
        })
    }
}
