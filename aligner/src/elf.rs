//! What [`crate::verify`] and [`crate::inspect`] read from a linked binary: its
//! allocated sections, its symbols keyed the same way on every ISA, and its PT_TLS.

use het_format::Isa;
use object::elf;
use object::read::elf::{ElfFile64, ProgramHeader as _};
use object::{Endianness, Object, ObjectSection, ObjectSymbol, SectionIndex, SymbolFlags, SymbolKind};

use crate::verify::VerifyError;

/// A linked binary, read.
#[derive(Clone, Debug)]
pub struct Image {
    /// Its ISA (checked against `e_machine`).
    pub isa: Isa,
    /// Its allocated sections, by address.
    pub sections: Vec<Section>,
    /// Its symbols (mapping symbols, temporaries and undefined ones left out), by address.
    pub symbols: Vec<Symbol>,
    /// Its PT_TLS segment, if any.
    pub tls: Option<Tls>,
}

/// An allocated output section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Its name.
    pub name: String,
    /// Its address.
    pub addr: u64,
    /// Its size.
    pub size: u64,
    /// Its bytes, kept for the constructor and destructor tables only
    /// ([`POINTER_TABLES`]): their entries are addresses, the same on every ISA.
    pub contents: Option<Vec<u8>>,
}

/// Sections that hold only function addresses, which musl's start-up and `exit` call
/// in order: with every function at one address, they must be byte-identical.
pub const POINTER_TABLES: [&str; 3] = [".preinit_array", ".init_array", ".fini_array"];

/// What kind of thing a symbol names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Code (STT_FUNC).
    Function,
    /// Data (STT_OBJECT).
    Object,
    /// Thread-local data (STT_TLS); its value is an offset in the TLS block.
    Tls,
    /// A label without a type (assembly).
    Label,
}

/// A symbol of a linked binary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// Globals: the name. Locals: `name@file` (`file` from the preceding STT_FILE symbol),
    /// with `#n` for the n-th local of that name in that file, so that the key is the
    /// same on every ISA.
    pub key: String,
    /// Its address (TLS: offset in the TLS block).
    pub addr: u64,
    /// Its size.
    pub size: u64,
    /// Its kind.
    pub kind: Kind,
    /// The output section it is in.
    pub section: String,
}

/// The PT_TLS program header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tls {
    /// Address of the TLS initialisation image.
    pub vaddr: u64,
    /// Bytes of initialised data.
    pub filesz: u64,
    /// Bytes of the whole block.
    pub memsz: u64,
    /// Alignment of the block.
    pub align: u64,
}

/// Reads one binary.
pub fn read(isa: Isa, bytes: &[u8]) -> Result<Image, VerifyError> {
    let file = ElfFile64::<Endianness>::parse(bytes).map_err(|e| VerifyError::Elf {
        isa,
        message: e.to_string(),
    })?;
    let endian = file.endian();
    let machine = file.elf_header().e_machine.get(endian);
    if machine != isa.elf_machine() {
        return Err(VerifyError::WrongMachine { isa, machine });
    }
    let mut sections: Vec<Section> = file
        .sections()
        .filter(|s| s.address() != 0)
        .map(|s| {
            let name = s.name().unwrap_or("?").to_owned();
            let contents = POINTER_TABLES
                .contains(&name.as_str())
                .then(|| s.data().map(<[u8]>::to_vec).unwrap_or_default());
            Section {
                name,
                addr: s.address(),
                size: s.size(),
                contents,
            }
        })
        .collect();
    sections.sort_by_key(|s| (s.addr, s.name.clone()));
    let tls = file
        .elf_program_headers()
        .iter()
        .find(|p| p.p_type(endian) == elf::PT_TLS)
        .map(|p| Tls {
            vaddr: p.p_vaddr(endian),
            filesz: p.p_filesz(endian),
            memsz: p.p_memsz(endian),
            align: p.p_align(endian),
        });
    Ok(Image {
        isa,
        sections,
        symbols: symbols(&file),
        tls,
    })
}

fn symbols(file: &ElfFile64<'_, Endianness>) -> Vec<Symbol> {
    let mut out = Vec::new();
    let mut current_file = String::new();
    let mut seen = std::collections::HashMap::<(String, String), usize>::new();
    for sym in file.symbols() {
        let name = sym.name().unwrap_or("");
        if sym.kind() == SymbolKind::File {
            current_file = name.to_owned();
            continue;
        }
        let kind = match sym.kind() {
            SymbolKind::Text => Kind::Function,
            SymbolKind::Data => Kind::Object,
            SymbolKind::Tls => Kind::Tls,
            SymbolKind::Unknown | SymbolKind::Label => Kind::Label,
            _ => continue,
        };
        if sym.is_undefined() || !crate::layout::is_named(name) {
            continue;
        }
        let Some(section) = sym.section_index().and_then(|i| section_name(file, i)) else {
            continue;
        };
        // Hidden globals become locals in the output; they were unique names in the link.
        let hidden = matches!(sym.flags(), SymbolFlags::Elf { st_other, .. } if st_other & 3 == elf::STV_HIDDEN);
        let key = if sym.is_local() && !hidden {
            let n = seen.entry((current_file.clone(), name.to_owned())).or_default();
            *n += 1;
            if *n == 1 {
                format!("{name}@{current_file}")
            } else {
                format!("{name}@{current_file}#{n}")
            }
        } else {
            name.to_owned()
        };
        out.push(Symbol {
            key,
            addr: sym.address(),
            size: sym.size(),
            kind,
            section,
        });
    }
    out.sort_by(|a, b| (a.addr, &a.key).cmp(&(b.addr, &b.key)));
    out
}

fn section_name(file: &ElfFile64<'_, Endianness>, index: SectionIndex) -> Option<String> {
    file.section_by_index(index).ok()?.name().ok().map(str::to_owned)
}
